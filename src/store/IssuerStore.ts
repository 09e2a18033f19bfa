import type { DatabaseSync } from "node:sqlite";
import { StoreError } from "../errors/storeErrors.ts";
import { type ChainReset, claimChain, liveGenesisSql } from "./claimChain.ts";
import { openStoreDatabase, type StoreDatabase, type StoreOpenOptions } from "./openStoreDatabase.ts";

/** Where a batch stands. Each state is committed before the step that leaves it starts. */
export type BatchState = "prepared" | "signed" | "anchored" | "written" | "failed";

export type StoredBatch = {
  readonly id: number;
  readonly chainId: string;
  /** The genesis block hash of the chain the batch belongs to ('' when written before it was known). */
  readonly genesisHash: string;
  readonly registry: string;
  readonly issuer: string;
  readonly root: string;
  readonly leafCount: number;
  /** sha256 of the command's inputs: a rerun of the same command finds its batch by it. */
  readonly inputDigest: string;
  readonly state: BatchState;
  /** The credential template (issuer, achievement, registry, validity), as used to build every credential. */
  readonly template: unknown;
  readonly outDir: string;
  readonly outputFormat: string;
  readonly txHash: string | null;
  readonly rawTx: string | null;
  readonly nonce: number | null;
  readonly blockNumber: number | null;
  readonly anchoredAt: number | null;
  /** The `proof.created` of every credential file of the batch (fixed once, so reruns write identical files). */
  readonly proofCreated: string | null;
  readonly createdAt: string;
  readonly error: string | null;
};

export type StoredCredential = {
  readonly leafIndex: number;
  readonly inputIndex: number;
  /** The recipient as given (one validated input row). */
  readonly recipient: unknown;
  readonly credentialId: string;
  readonly emailSalt: string;
  readonly salt: string;
  readonly contentHash: string;
  readonly credentialHash: string;
  readonly filePath: string | null;
};

export type StoredTransaction = {
  readonly hash: string;
  readonly kind: string;
  readonly batchId: number | null;
  readonly nonce: number;
  readonly state: "signed" | "mined" | "failed";
  readonly payload: unknown;
  readonly blockNumber: number | null;
  readonly createdAt: string;
};

const now = () => new Date().toISOString();

/** Only the batches of the live chain of their chain id: a reset chain's batches are kept apart. */
const LIVE = `genesis_hash = ${liveGenesisSql("batches.chain_id")}`;
/** Only the transactions of live chains (a transaction hash names its chain id). */
const LIVE_TRANSACTION = "genesis_hash IN (SELECT genesis_hash FROM chains WHERE vanished_at IS NULL UNION ALL SELECT '')";

type Row = Record<string, unknown>;

function toBatch(row: Row): StoredBatch {
  return {
    id: Number(row.id),
    chainId: String(row.chain_id),
    genesisHash: String(row.genesis_hash ?? ""),
    registry: String(row.registry),
    issuer: String(row.issuer),
    root: String(row.root),
    leafCount: Number(row.leaf_count),
    inputDigest: String(row.input_digest),
    state: row.state as BatchState,
    template: JSON.parse(String(row.template)),
    outDir: String(row.out_dir),
    outputFormat: String(row.output_format),
    txHash: (row.tx_hash as string | null) ?? null,
    rawTx: (row.raw_tx as string | null) ?? null,
    nonce: row.nonce === null ? null : Number(row.nonce),
    blockNumber: row.block_number === null ? null : Number(row.block_number),
    anchoredAt: row.anchored_at === null ? null : Number(row.anchored_at),
    proofCreated: (row.proof_created as string | null) ?? null,
    createdAt: String(row.created_at),
    error: (row.error as string | null) ?? null,
  };
}

function toTransaction(row: Row): StoredTransaction {
  return {
    hash: String(row.hash),
    kind: String(row.kind),
    batchId: row.batch_id === null ? null : Number(row.batch_id),
    nonce: Number(row.nonce),
    state: row.state as StoredTransaction["state"],
    payload: JSON.parse(String(row.payload)),
    blockNumber: row.block_number === null ? null : Number(row.block_number),
    createdAt: String(row.created_at),
  };
}

/**
 * The issuer's embedded store (SQLite through Node's built-in `node:sqlite`): its batches, every credential's
 * index, randomness, salt and hashes, and every transaction it signed. Each write is one SQLite transaction, so the
 * store is consistent after a crash at any point.
 */
export class IssuerStore {
  readonly file: string;
  readonly #store: StoreDatabase;
  readonly #db: DatabaseSync;

  private constructor(store: StoreDatabase) {
    this.file = store.file;
    this.#store = store;
    this.#db = store.db;
  }

  /** Opens (creating if needed) the store at `file` and applies pending migrations. */
  static open(file: string, options: StoreOpenOptions = {}): IssuerStore {
    return new IssuerStore(openStoreDatabase(file, options));
  }

  /** The schema version after migrations. */
  get schemaVersion(): number {
    return this.#store.schemaVersion;
  }

  /** Runs `work` in one SQLite transaction: all of it is committed, or none. */
  transaction<T>(work: () => T): T {
    return this.#store.transaction(work);
  }

  close(): void {
    this.#store.close();
  }

  /**
   * Records that chain `chainId` has the genesis block `genesisHash` (call it before any work on that chain): records
   * of an earlier chain with the same id are kept apart from then on. Returns the reset when the genesis changed.
   */
  useChain(chainId: string, genesisHash: string): ChainReset | undefined {
    return claimChain(this.#store, chainId, genesisHash);
  }

  /** The unfinished or finished batch this issuer built from the same inputs on this registry, if any. */
  findBatchByDigest(chainId: string, registry: string, issuer: string, inputDigest: string): StoredBatch | undefined {
    const row = this.#db
      .prepare(`SELECT * FROM batches WHERE chain_id = ? AND registry = ? AND issuer = ? AND input_digest = ? AND state != 'failed' AND ${LIVE} ORDER BY id DESC LIMIT 1`)
      .get(chainId, registry.toLowerCase(), issuer.toLowerCase(), inputDigest) as Row | undefined;
    return row === undefined ? undefined : toBatch(row);
  }

  findBatchByRoot(chainId: string, registry: string, issuer: string, root: string): StoredBatch | undefined {
    const row = this.#db
      .prepare(`SELECT * FROM batches WHERE chain_id = ? AND registry = ? AND issuer = ? AND root = ? AND ${LIVE}`)
      .get(chainId, registry.toLowerCase(), issuer.toLowerCase(), root.toLowerCase()) as Row | undefined;
    return row === undefined ? undefined : toBatch(row);
  }

  listBatches(chainId: string, registry: string, issuer: string): StoredBatch[] {
    return (
      this.#db
        .prepare(`SELECT * FROM batches WHERE chain_id = ? AND registry = ? AND issuer = ? AND ${LIVE} ORDER BY id`)
        .all(chainId, registry.toLowerCase(), issuer.toLowerCase()) as Row[]
    ).map(toBatch);
  }

  /** Write-ahead: the whole batch (template, every credential's randomness, salt and hashes) in one transaction. */
  insertPreparedBatch(
    batch: Omit<StoredBatch, "id" | "genesisHash" | "state" | "txHash" | "rawTx" | "nonce" | "blockNumber" | "anchoredAt" | "proofCreated" | "createdAt" | "error">,
    credentials: Iterable<Omit<StoredCredential, "filePath">>,
  ): StoredBatch {
    return this.transaction(() => {
      const { lastInsertRowid } = this.#db
        .prepare(
          `INSERT INTO batches (chain_id, genesis_hash, registry, issuer, root, leaf_count, input_digest, state, template, out_dir, output_format, created_at)
           VALUES (?1, ${liveGenesisSql("?1")}, ?2, ?3, ?4, ?5, ?6, 'prepared', ?7, ?8, ?9, ?10)`,
        )
        .run(
          batch.chainId,
          batch.registry.toLowerCase(),
          batch.issuer.toLowerCase(),
          batch.root.toLowerCase(),
          batch.leafCount,
          batch.inputDigest,
          JSON.stringify(batch.template),
          batch.outDir,
          batch.outputFormat,
          now(),
        );
      const insert = this.#db.prepare(
        `INSERT INTO credentials (batch_id, leaf_index, input_index, recipient, credential_id, email_salt, salt, content_hash, credential_hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const credential of credentials) {
        insert.run(
          lastInsertRowid,
          credential.leafIndex,
          credential.inputIndex,
          JSON.stringify(credential.recipient),
          credential.credentialId,
          credential.emailSalt,
          credential.salt,
          credential.contentHash,
          credential.credentialHash,
        );
      }
      return this.getBatch(Number(lastInsertRowid));
    });
  }

  getBatch(id: number): StoredBatch {
    const row = this.#db.prepare("SELECT * FROM batches WHERE id = ?").get(id) as Row | undefined;
    if (row === undefined) throw new StoreError(`The store has no batch ${id}.`);
    return toBatch(row);
  }

  credentials(batchId: number): StoredCredential[] {
    return (this.#db.prepare("SELECT * FROM credentials WHERE batch_id = ? ORDER BY leaf_index").all(batchId) as Row[]).map((row) => ({
      leafIndex: Number(row.leaf_index),
      inputIndex: Number(row.input_index),
      recipient: JSON.parse(String(row.recipient)),
      credentialId: String(row.credential_id),
      emailSalt: String(row.email_salt),
      salt: String(row.salt),
      contentHash: String(row.content_hash),
      credentialHash: String(row.credential_hash),
      filePath: (row.file_path as string | null) ?? null,
    }));
  }

  /**
   * Records a signed transaction before it is broadcast (its hash is known from the signature), on the live chain of
   * `chainId` (default: the batch's chain).
   */
  recordSignedTransaction(tx: { hash: string; kind: string; batchId: number | null; nonce: number; payload: unknown; rawTx: string; chainId?: string | undefined }): void {
    this.transaction(() => {
      const chainId = tx.chainId ?? (tx.batchId === null ? "" : this.getBatch(tx.batchId).chainId);
      this.#db
        .prepare(`INSERT INTO transactions (chain_id, genesis_hash, hash, kind, batch_id, nonce, state, payload, created_at) VALUES (?1, ${liveGenesisSql("?1")}, ?2, ?3, ?4, ?5, 'signed', ?6, ?7)`)
        .run(chainId, tx.hash, tx.kind, tx.batchId, tx.nonce, JSON.stringify(tx.payload), now());
      if (tx.kind === "anchor" && tx.batchId !== null) {
        this.#db.prepare("UPDATE batches SET state = 'signed', tx_hash = ?, raw_tx = ?, nonce = ? WHERE id = ?").run(tx.hash, tx.rawTx, tx.nonce, tx.batchId);
      }
    });
  }

  markTransaction(hash: string, state: "mined" | "failed", blockNumber: number | null): void {
    this.#db.prepare(`UPDATE transactions SET state = ?, block_number = ? WHERE hash = ? AND ${LIVE_TRANSACTION}`).run(state, blockNumber, hash);
  }

  markAnchored(batchId: number, anchor: { txHash: string; blockNumber: number; anchoredAt: number; proofCreated: string }): void {
    this.transaction(() => {
      this.#db
        .prepare("UPDATE batches SET state = 'anchored', tx_hash = ?, block_number = ?, anchored_at = ?, proof_created = ?, error = NULL WHERE id = ?")
        .run(anchor.txHash, anchor.blockNumber, anchor.anchoredAt, anchor.proofCreated, batchId);
      const { chainId, genesisHash } = this.getBatch(batchId);
      this.#db
        .prepare("INSERT OR IGNORE INTO transactions (chain_id, genesis_hash, hash, kind, batch_id, nonce, state, payload, block_number, created_at) VALUES (?, ?, ?, 'anchor', ?, -1, 'mined', '{}', ?, ?)")
        .run(chainId, genesisHash, anchor.txHash, batchId, anchor.blockNumber, now());
      this.#db.prepare("UPDATE transactions SET state = 'mined', block_number = ? WHERE hash = ? AND genesis_hash = ?").run(anchor.blockNumber, anchor.txHash, genesisHash);
    });
  }

  /** Back to `prepared` after a transaction that never made it on chain (dropped or replaced). */
  resetToPrepared(batchId: number, reason: string): void {
    this.#db.prepare("UPDATE batches SET state = 'prepared', tx_hash = NULL, raw_tx = NULL, nonce = NULL, error = ? WHERE id = ?").run(reason, batchId);
  }

  markFailed(batchId: number, reason: string): void {
    this.#db.prepare("UPDATE batches SET state = 'failed', error = ? WHERE id = ?").run(reason, batchId);
  }

  markWritten(batchId: number, files: readonly { leafIndex: number; filePath: string }[]): void {
    this.transaction(() => {
      const update = this.#db.prepare("UPDATE credentials SET file_path = ? WHERE batch_id = ? AND leaf_index = ?");
      for (const file of files) update.run(file.filePath, batchId, file.leafIndex);
      this.#db.prepare("UPDATE batches SET state = 'written' WHERE id = ?").run(batchId);
    });
  }

  /** Transactions of `kind` on the live chain `chainId` that were signed and not yet seen mined or failed. */
  pendingTransactions(chainId: string, kind: string): StoredTransaction[] {
    return (this.#db.prepare(`SELECT * FROM transactions WHERE chain_id = ? AND kind = ? AND state = 'signed' AND ${LIVE_TRANSACTION} ORDER BY created_at`).all(chainId, kind) as Row[]).map(toTransaction);
  }

  transactionsOf(batchId: number): StoredTransaction[] {
    return (this.#db.prepare("SELECT * FROM transactions WHERE batch_id = ? ORDER BY created_at").all(batchId) as Row[]).map(toTransaction);
  }
}
