import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { describe, expect, it } from "vitest";
import { StoreError } from "../../src/errors/storeErrors.ts";
import { IssuerStore } from "../../src/store/IssuerStore.ts";

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
    expect(store.schemaVersion).toBe(3);
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

  it("error: a store from a newer credreg is refused", async () => {
    const file = path.join(await mkdtemp(path.join(tmpdir(), "credreg-store-")), "issuer.sqlite");
    IssuerStore.open(file).close();
    const db = new DatabaseSync(file);
    db.exec("UPDATE schema_version SET version = 99");
    db.close();
    expect(() => IssuerStore.open(file)).toThrowError(StoreError);
    expect(() => IssuerStore.open(file)).toThrowError(`The issuer store ${file} has schema version 99; this credreg knows up to 3.`);
  });
});
