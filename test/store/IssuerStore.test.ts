import { execFile } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DatabaseSync } from "node:sqlite";
import { describe, expect, it } from "vitest";
import { StoreError } from "../../src/errors/storeErrors.ts";
import { AuditIndex } from "../../src/audit/AuditIndex.ts";
import { describeChainReset } from "../../src/store/describeChainReset.ts";
import { IssuerStore } from "../../src/store/IssuerStore.ts";
import { MIGRATIONS } from "../../src/store/openStoreDatabase.ts";

const REGISTRY = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const ISSUER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const hex = (byte: string) => `0x${byte.repeat(32)}`;

function prepare(store: IssuerStore, root = hex("aa")) {
  return store.insertPreparedBatch(
    { chainId: "31337", registry: REGISTRY, issuer: ISSUER, root, leafCount: 2, inputDigest: "digest", template: { any: "template" }, outDir: "/out", outputFormat: "files" },
    [0, 1].map((index) => ({ leafIndex: index, inputIndex: index + 2, recipient: { name: `R${index}` }, credentialId: `urn:uuid:${index}`, emailSalt: "00", salt: hex("11"), contentHash: hex("22"), credentialHash: hex("33") })),
  );
}

/**
 * A store on a file, a second connection to read every row as SQLite has it, and `failWhen(condition)`, which creates a
 * trigger on that condition that raises "injected failure" (a write failing midway) and returns a function that drops it.
 */
async function storeOnFile() {
  const file = path.join(await mkdtemp(path.join(tmpdir(), "credreg-store-")), "issuer.sqlite");
  const store = IssuerStore.open(file);
  const rows = () => {
    const db = new DatabaseSync(file, { readOnly: true });
    try {
      return {
        batches: db.prepare("SELECT id, state, tx_hash FROM batches ORDER BY id").all().map((row) => ({ ...row })),
        credentials: db.prepare("SELECT batch_id, leaf_index, file_path FROM credentials ORDER BY batch_id, leaf_index").all().map((row) => ({ ...row })),
        transactions: db.prepare("SELECT hash, state, block_number FROM transactions ORDER BY hash").all().map((row) => ({ ...row })),
      };
    } finally {
      db.close();
    }
  };
  let triggers = 0;
  const failWhen = (condition: string) => {
    const name = `inject_failure_${(triggers += 1)}`;
    const db = new DatabaseSync(file);
    db.exec(`CREATE TRIGGER ${name} ${condition} BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
    db.close();
    return () => {
      const again = new DatabaseSync(file);
      again.exec(`DROP TRIGGER ${name}`);
      again.close();
    };
  };
  return { store, rows, failWhen };
}

describe("IssuerStore", () => {
  it("default: migrates a new store, keeps batches, credentials and transactions through their states", async () => {
    const file = path.join(await mkdtemp(path.join(tmpdir(), "credreg-store-")), "nested", "issuer.sqlite");
    const store = IssuerStore.open(file);
    expect(store.schemaVersion).toBe(4);
    const batch = prepare(store);
    expect(batch).toMatchObject({ state: "prepared", leafCount: 2, template: { any: "template" }, txHash: null });
    expect(store.findBatchByDigest("31337", REGISTRY, ISSUER, "digest")?.id).toBe(batch.id);
    store.recordSignedTransaction({ hash: hex("44"), kind: "anchor", batchId: batch.id, nonce: 7, payload: { root: batch.root }, rawTx: "0x02ff" });
    expect(store.getBatch(batch.id)).toMatchObject({ state: "signed", txHash: hex("44"), rawTx: "0x02ff", nonce: 7 });
    store.markAnchored(batch.id, { txHash: hex("44"), blockNumber: 9, anchoredAt: 1_700_000_000, proofCreated: "2023-11-14T22:13:20Z" });
    store.markWritten(batch.id, [{ leafIndex: 0, filePath: "/out/a.json" }, { leafIndex: 1, filePath: "/out/b.json" }]);
    store.close();
    const reopened = IssuerStore.open(file);
    expect(reopened.getBatch(batch.id)).toMatchObject({ state: "written", blockNumber: 9, proofCreated: "2023-11-14T22:13:20Z" });
    expect(reopened.credentials(batch.id).map((credential) => [credential.leafIndex, credential.inputIndex, credential.filePath])).toEqual([[0, 2, "/out/a.json"], [1, 3, "/out/b.json"]]);
    expect(reopened.transactionsOf(batch.id)).toMatchObject([{ hash: hex("44"), kind: "anchor", nonce: 7, state: "mined", blockNumber: 9 }]);
    reopened.close();
  });

  it("error: a second batch with the same chain, registry, issuer and root is refused; the first stays", async () => {
    const store = IssuerStore.open(":memory:");
    prepare(store);
    expect(() => prepare(store)).toThrowError(/UNIQUE constraint failed/);
    expect(store.listBatches("31337", REGISTRY, ISSUER)).toHaveLength(1);
    store.close();
  });

  it("behavior: insertPreparedBatch failing on its third statement leaves neither the batch nor its first credential", async () => {
    const { store, rows } = await storeOnFile();
    // Statement 1 inserts the batch, statement 2 credential 0, statement 3 a second credential 0: the primary key fails.
    const credential = { inputIndex: 0, recipient: { name: "R" }, credentialId: "urn:uuid:0", emailSalt: "00", salt: hex("11"), contentHash: hex("22"), credentialHash: hex("33") };
    expect(() =>
      store.insertPreparedBatch(
        { chainId: "31337", registry: REGISTRY, issuer: ISSUER, root: hex("bb"), leafCount: 2, inputDigest: "digest-b", template: {}, outDir: "/out", outputFormat: "files" },
        [{ ...credential, leafIndex: 0 }, { ...credential, leafIndex: 0 }],
      ),
    ).toThrowError("UNIQUE constraint failed: credentials.batch_id, credentials.leaf_index");
    expect(rows()).toEqual({ batches: [], credentials: [], transactions: [] });
    // The failed write left no transaction open: the next write commits normally.
    const batch = prepare(store);
    expect(rows().batches).toEqual([{ id: batch.id, state: "prepared", tx_hash: null }]);
    expect(rows().credentials).toHaveLength(2);
    store.close();
  });

  it("behavior: recordSignedTransaction, markAnchored and markWritten failing on their last statement leave nothing of their earlier ones", async () => {
    const { store, rows, failWhen } = await storeOnFile();
    const batch = prepare(store);
    const prepared = rows();

    // recordSignedTransaction: the transaction row is inserted, then the batch update fails.
    const dropSigned = failWhen("BEFORE UPDATE OF state ON batches WHEN NEW.state = 'signed'");
    expect(() => store.recordSignedTransaction({ hash: hex("44"), kind: "anchor", batchId: batch.id, nonce: 7, payload: {}, rawTx: "0x02ff" })).toThrowError("injected failure");
    expect(rows()).toEqual(prepared);
    dropSigned();
    store.recordSignedTransaction({ hash: hex("44"), kind: "anchor", batchId: batch.id, nonce: 7, payload: {}, rawTx: "0x02ff" });
    const signed = rows();
    expect(signed.transactions).toEqual([{ hash: hex("44"), state: "signed", block_number: null }]);

    // markAnchored: the batch update and the insert of a new transaction row run, then the transaction update fails.
    const dropMined = failWhen("BEFORE UPDATE OF state ON transactions WHEN NEW.state = 'mined'");
    expect(() => store.markAnchored(batch.id, { txHash: hex("55"), blockNumber: 9, anchoredAt: 1_700_000_000, proofCreated: "2023-11-14T22:13:20Z" })).toThrowError("injected failure");
    expect(rows()).toEqual(signed);
    dropMined();
    store.markAnchored(batch.id, { txHash: hex("44"), blockNumber: 9, anchoredAt: 1_700_000_000, proofCreated: "2023-11-14T22:13:20Z" });
    const anchored = rows();
    expect(anchored.batches).toEqual([{ id: batch.id, state: "anchored", tx_hash: hex("44") }]);

    // markWritten: both credentials get their file path, then the batch update fails.
    const dropWritten = failWhen("BEFORE UPDATE OF state ON batches WHEN NEW.state = 'written'");
    expect(() => store.markWritten(batch.id, [{ leafIndex: 0, filePath: "/out/a.json" }, { leafIndex: 1, filePath: "/out/b.json" }])).toThrowError("injected failure");
    expect(rows()).toEqual(anchored);
    expect(anchored.credentials.map((credential) => credential.file_path)).toEqual([null, null]);
    dropWritten();
    store.markWritten(batch.id, [{ leafIndex: 0, filePath: "/out/a.json" }, { leafIndex: 1, filePath: "/out/b.json" }]);
    expect(rows().credentials.map((credential) => credential.file_path)).toEqual(["/out/a.json", "/out/b.json"]);
    store.close();
  });

  it("behavior: a chain reset (same id, new genesis) keeps the vanished chain's records apart; they never block new work and come back with their chain", async () => {
    const store = IssuerStore.open(":memory:");
    const [genesisA, genesisB] = [hex("0a"), hex("0b")];
    expect(store.useChain("31337", genesisA)).toBeUndefined();
    expect(store.useChain("31337", genesisA)).toBeUndefined();
    const old = prepare(store);
    expect(old.genesisHash).toBe(genesisA);
    store.recordSignedTransaction({ hash: hex("44"), kind: "accredit", batchId: null, nonce: 0, payload: {}, rawTx: "0x02ff", chainId: "31337" });
    store.recordSignedTransaction({ hash: hex("45"), kind: "anchor", batchId: old.id, nonce: 1, payload: {}, rawTx: "0x02fe" });

    const reset = store.useChain("31337", genesisB);
    expect(reset).toEqual({ chainId: "31337", previousGenesisHash: genesisA, genesisHash: genesisB, batches: 1, transactions: 2 });
    expect(describeChainReset(reset!)).toBe(
      "Chain 31337 was reset (its genesis block is now 0x0b0b0b0b…, was 0x0a0a0a0a…): the store keeps the vanished chain's 1 batch and 2 transactions apart, and new work starts afresh on this chain.",
    );
    // The vanished chain's batch is not resumed, listed or found on the new chain.
    expect(store.findBatchByDigest("31337", REGISTRY, ISSUER, "digest")).toBeUndefined();
    expect(store.findBatchByRoot("31337", REGISTRY, ISSUER, old.root)).toBeUndefined();
    expect(store.listBatches("31337", REGISTRY, ISSUER)).toEqual([]);
    // The same key, nonce and data sign the same hash on the new chain: recorded apart, the old one untouched.
    store.recordSignedTransaction({ hash: hex("44"), kind: "accredit", batchId: null, nonce: 0, payload: {}, rawTx: "0x02ff", chainId: "31337" });
    store.markTransaction(hex("44"), "mined", 3);
    const fresh = prepare(store, hex("cc"));
    expect(fresh.genesisHash).toBe(genesisB);
    expect(store.listBatches("31337", REGISTRY, ISSUER).map((batch) => batch.id)).toEqual([fresh.id]);
    // Another chain id is not touched by the reset of 31337.
    expect(store.useChain("1", hex("01"))).toBeUndefined();

    // The first chain comes back (e.g. the other node again): its records are live again, the second chain's apart.
    expect(store.useChain("31337", genesisA)).toMatchObject({ previousGenesisHash: genesisB, genesisHash: genesisA, batches: 1, transactions: 1 });
    expect(store.listBatches("31337", REGISTRY, ISSUER).map((batch) => batch.id)).toEqual([old.id]);
    expect(store.transactionsOf(old.id)).toMatchObject([{ hash: hex("45"), state: "signed" }]);
    store.close();
  });

  it("behavior: migration 4 keeps a version-3 store's records, and the first chain to claim its chain id adopts them", async () => {
    const file = path.join(await mkdtemp(path.join(tmpdir(), "credreg-store-")), "issuer.sqlite");
    const v3 = new DatabaseSync(file);
    v3.exec("CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version (version) VALUES (3);");
    for (const migration of MIGRATIONS.slice(0, 3)) v3.exec(migration);
    v3.exec(`INSERT INTO batches (id, chain_id, registry, issuer, root, leaf_count, input_digest, state, template, out_dir, output_format, created_at)
             VALUES (1, '31337', '${REGISTRY.toLowerCase()}', '${ISSUER.toLowerCase()}', '${hex("aa")}', 2, 'digest', 'written', '{}', '/out', 'files', '2026-01-01')`);
    v3.exec(`INSERT INTO transactions (hash, kind, batch_id, nonce, state, payload, created_at) VALUES ('${hex("44")}', 'anchor', 1, 0, 'mined', '{}', '2026-01-01'), ('${hex("46")}', 'accredit', NULL, 0, 'mined', '{}', '2026-01-01')`);
    v3.exec(`INSERT INTO audit_events (chain_id, registry, block_number, log_index, block_hash, block_time, transaction_hash, sender, event, args, final)
             VALUES ('31337', '${REGISTRY.toLowerCase()}', 2, 0, '${hex("99")}', 1, '${hex("44")}', '${ISSUER.toLowerCase()}', 'BatchAnchored', '{}', 1)`);
    v3.close();

    const store = IssuerStore.open(file);
    expect(store.schemaVersion).toBe(4);
    expect(store.findBatchByDigest("31337", REGISTRY, ISSUER, "digest")).toMatchObject({ id: 1, genesisHash: "" });
    expect(store.useChain("31337", hex("0a"))).toBeUndefined();
    expect(store.findBatchByDigest("31337", REGISTRY, ISSUER, "digest")).toMatchObject({ id: 1, genesisHash: hex("0a") });
    expect(store.transactionsOf(1)).toMatchObject([{ hash: hex("44"), state: "mined" }]);
    // A reset afterwards counts both old transactions (the batch's and the governance one) as the vanished chain's.
    expect(store.useChain("31337", hex("0b"))).toMatchObject({ batches: 1, transactions: 2 });
    store.close();
    const audit = AuditIndex.open(file);
    expect(audit.count("31337", REGISTRY)).toBe(0);
    expect(audit.useChain("31337", hex("0a"))).toMatchObject({ genesisHash: hex("0a") });
    expect(audit.events("31337", REGISTRY).map((event) => event.event)).toEqual(["BatchAnchored"]);
    audit.close();
  });

  it("error: a write that finds the store busy past the busy timeout fails at once with a sentence, not a long stall", async () => {
    const { store } = await storeOnFile();
    store.close();
    const busy = IssuerStore.open(store.file, { busyTimeoutMs: 50 });
    const other = new DatabaseSync(store.file);
    other.exec("BEGIN IMMEDIATE");
    const started = Date.now();
    let error: unknown;
    try {
      prepare(busy);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).shortMessage).toBe(`The issuer store ${store.file} stayed busy with another process's write for 50 ms; nothing was written, so try again in a moment.`);
    expect(Date.now() - started).toBeLessThan(1_000);
    other.exec("ROLLBACK");
    other.close();
    expect(prepare(busy).state).toBe("prepared");
    busy.close();
  });

  it("behavior: processes that open a new store at the same moment all succeed; every migration is applied once", async () => {
    const openStore = fileURLToPath(new URL("../../src/store/openStoreDatabase.ts", import.meta.url));
    // Each child waits for the same instant, then opens the store: they race through the migrations.
    const child = `import { openStoreDatabase } from ${JSON.stringify(openStore)};
      const at = Number(process.argv[2]); while (Date.now() < at) {}
      openStoreDatabase(process.argv[1]).close();`;
    for (let round = 0; round < 3; round += 1) {
      const file = path.join(await mkdtemp(path.join(tmpdir(), "credreg-store-")), "issuer.sqlite");
      const at = Date.now() + 1_500;
      const runs = await Promise.all(
        Array.from({ length: 6 }, () =>
          new Promise<{ code: number; stderr: string }>((resolve) => {
            execFile(process.execPath, ["--input-type=module", "-e", child, file, String(at)], (error, _stdout, stderr) =>
              resolve({ code: error === null ? 0 : Number(error.code ?? 1), stderr }),
            );
          }),
        ),
      );
      for (const run of runs) expect(run.code, run.stderr).toBe(0);
      const db = new DatabaseSync(file);
      expect(db.prepare("SELECT version FROM schema_version").all()).toEqual([{ version: MIGRATIONS.length }]);
      db.close();
    }
  });

  it("error: a store from a newer credreg is refused", async () => {
    const file = path.join(await mkdtemp(path.join(tmpdir(), "credreg-store-")), "issuer.sqlite");
    IssuerStore.open(file).close();
    const db = new DatabaseSync(file);
    db.exec("UPDATE schema_version SET version = 99");
    db.close();
    expect(() => IssuerStore.open(file)).toThrowError(StoreError);
    expect(() => IssuerStore.open(file)).toThrowError(`The issuer store ${file} has schema version 99; this credreg knows up to 4.`);
  });
});
