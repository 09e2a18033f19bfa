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

  it("behavior: a failed write changes nothing (one transaction per write)", async () => {
    const store = IssuerStore.open(":memory:");
    prepare(store);
    expect(() => prepare(store)).toThrowError(/UNIQUE constraint failed/);
    expect(store.listBatches("31337", REGISTRY, ISSUER)).toHaveLength(1);
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
