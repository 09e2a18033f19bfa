import { mkdirSync } from "node:fs";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { StoreError } from "../errors/storeErrors.ts";

/** Schema migrations, applied in order; `schema_version` records the last one applied. Never edit an applied one. */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE batches (
     id INTEGER PRIMARY KEY,
     chain_id TEXT NOT NULL,
     registry TEXT NOT NULL,
     issuer TEXT NOT NULL,
     root TEXT NOT NULL,
     leaf_count INTEGER NOT NULL,
     input_digest TEXT NOT NULL,
     state TEXT NOT NULL,
     template TEXT NOT NULL,
     out_dir TEXT NOT NULL,
     output_format TEXT NOT NULL,
     tx_hash TEXT,
     raw_tx TEXT,
     nonce INTEGER,
     block_number INTEGER,
     anchored_at INTEGER,
     proof_created TEXT,
     created_at TEXT NOT NULL,
     error TEXT,
     UNIQUE (chain_id, registry, issuer, root)
   );
   CREATE INDEX batches_by_digest ON batches (chain_id, registry, issuer, input_digest);
   CREATE TABLE credentials (
     batch_id INTEGER NOT NULL REFERENCES batches (id),
     leaf_index INTEGER NOT NULL,
     input_index INTEGER NOT NULL,
     recipient TEXT NOT NULL,
     credential_id TEXT NOT NULL,
     email_salt TEXT NOT NULL,
     salt TEXT NOT NULL,
     content_hash TEXT NOT NULL,
     credential_hash TEXT NOT NULL,
     file_path TEXT,
     PRIMARY KEY (batch_id, leaf_index)
   ) WITHOUT ROWID;
   CREATE TABLE transactions (
     hash TEXT PRIMARY KEY,
     kind TEXT NOT NULL,
     batch_id INTEGER REFERENCES batches (id),
     nonce INTEGER NOT NULL,
     state TEXT NOT NULL,
     payload TEXT NOT NULL,
     block_number INTEGER,
     created_at TEXT NOT NULL
   );`,
  // 2: the auditor's index of registry events.
  `CREATE TABLE audit_events (
     chain_id TEXT NOT NULL,
     registry TEXT NOT NULL,
     block_number INTEGER NOT NULL,
     log_index INTEGER NOT NULL,
     block_hash TEXT NOT NULL,
     block_time INTEGER NOT NULL,
     transaction_hash TEXT NOT NULL,
     sender TEXT NOT NULL,
     event TEXT NOT NULL,
     issuer TEXT,
     root TEXT,
     leaf_index INTEGER,
     reason INTEGER,
     actor TEXT,
     args TEXT NOT NULL,
     final INTEGER NOT NULL,
     PRIMARY KEY (chain_id, registry, block_number, log_index)
   ) WITHOUT ROWID;
   CREATE INDEX audit_events_by_issuer ON audit_events (chain_id, registry, issuer, block_number, log_index);
   CREATE INDEX audit_events_by_batch ON audit_events (chain_id, registry, issuer, root, leaf_index);
   CREATE TABLE audit_cursors (
     chain_id TEXT NOT NULL,
     registry TEXT NOT NULL,
     final_block INTEGER NOT NULL,
     final_block_hash TEXT,
     PRIMARY KEY (chain_id, registry)
   );`,
  // 3: API keys of the HTTP service, stored only as SHA-256 hashes, each bound to one issuer.
  `CREATE TABLE api_keys (
     key_hash TEXT PRIMARY KEY,
     key_prefix TEXT NOT NULL,
     issuer TEXT NOT NULL,
     label TEXT NOT NULL,
     created_at TEXT NOT NULL,
     revoked_at TEXT
   );`,
  // 4: a chain is its id and its genesis block hash. Records of a chain that was reset (same id, new genesis) are kept
  // apart: batches, transactions and audit events carry the genesis hash ('' until a chain first claims them), and a
  // transaction is keyed by (genesis, hash), since the same key, nonce and data sign the same hash on a reset chain.
  `CREATE TABLE chains (
     chain_id TEXT NOT NULL,
     genesis_hash TEXT NOT NULL,
     first_seen_at TEXT NOT NULL,
     vanished_at TEXT,
     PRIMARY KEY (chain_id, genesis_hash)
   ) WITHOUT ROWID;
   ALTER TABLE batches ADD COLUMN genesis_hash TEXT NOT NULL DEFAULT '';
   DROP INDEX batches_by_digest;
   CREATE INDEX batches_by_digest ON batches (chain_id, registry, issuer, input_digest, genesis_hash);
   CREATE TABLE transactions_v4 (
     genesis_hash TEXT NOT NULL,
     chain_id TEXT NOT NULL,
     hash TEXT NOT NULL,
     kind TEXT NOT NULL,
     batch_id INTEGER REFERENCES batches (id),
     nonce INTEGER NOT NULL,
     state TEXT NOT NULL,
     payload TEXT NOT NULL,
     block_number INTEGER,
     created_at TEXT NOT NULL,
     PRIMARY KEY (genesis_hash, hash)
   );
   INSERT INTO transactions_v4 (genesis_hash, chain_id, hash, kind, batch_id, nonce, state, payload, block_number, created_at)
     SELECT '', COALESCE((SELECT chain_id FROM batches WHERE batches.id = transactions.batch_id), ''), hash, kind, batch_id, nonce, state, payload, block_number, created_at FROM transactions;
   DROP TABLE transactions;
   ALTER TABLE transactions_v4 RENAME TO transactions;
   CREATE INDEX transactions_by_batch ON transactions (batch_id);
   CREATE TABLE audit_events_v4 (
     chain_id TEXT NOT NULL,
     genesis_hash TEXT NOT NULL,
     registry TEXT NOT NULL,
     block_number INTEGER NOT NULL,
     log_index INTEGER NOT NULL,
     block_hash TEXT NOT NULL,
     block_time INTEGER NOT NULL,
     transaction_hash TEXT NOT NULL,
     sender TEXT NOT NULL,
     event TEXT NOT NULL,
     issuer TEXT,
     root TEXT,
     leaf_index INTEGER,
     reason INTEGER,
     actor TEXT,
     args TEXT NOT NULL,
     final INTEGER NOT NULL,
     PRIMARY KEY (chain_id, genesis_hash, registry, block_number, log_index)
   ) WITHOUT ROWID;
   INSERT INTO audit_events_v4 SELECT chain_id, '', registry, block_number, log_index, block_hash, block_time, transaction_hash, sender, event, issuer, root, leaf_index, reason, actor, args, final FROM audit_events;
   DROP TABLE audit_events;
   ALTER TABLE audit_events_v4 RENAME TO audit_events;
   CREATE INDEX audit_events_by_issuer ON audit_events (chain_id, genesis_hash, registry, issuer, block_number, log_index);
   CREATE INDEX audit_events_by_batch ON audit_events (chain_id, genesis_hash, registry, issuer, root, leaf_index);
   CREATE TABLE audit_cursors_v4 (
     chain_id TEXT NOT NULL,
     genesis_hash TEXT NOT NULL,
     registry TEXT NOT NULL,
     final_block INTEGER NOT NULL,
     final_block_hash TEXT,
     PRIMARY KEY (chain_id, genesis_hash, registry)
   );
   INSERT INTO audit_cursors_v4 SELECT chain_id, '', registry, final_block, final_block_hash FROM audit_cursors;
   DROP TABLE audit_cursors;
   ALTER TABLE audit_cursors_v4 RENAME TO audit_cursors;`,
];


/** The store's SQLite database, migrated, with a transaction helper. Shared by the issuer's records and the audit index. */
export type StoreDatabase = {
  readonly file: string;
  readonly db: DatabaseSync;
  readonly schemaVersion: number;
  /** Runs `work` in one SQLite transaction: all of it is committed, or none. */
  transaction<T>(work: () => T): T;
  close(): void;
};

export type StoreOpenOptions = {
  /**
   * How long a write waits for another connection's write to finish (SQLite's busy_timeout), default
   * {@link DEFAULT_BUSY_TIMEOUT_MS}. The wait blocks the thread: a server passes {@link SERVER_BUSY_TIMEOUT_MS}.
   */
  readonly busyTimeoutMs?: number | undefined;
};

/** A command line process may wait a few seconds for another process's write. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5_000;
/** A server must not stall its event loop: a busy store fails the request quickly instead (the client retries). */
export const SERVER_BUSY_TIMEOUT_MS = 250;

/** SQLite's SQLITE_BUSY and SQLITE_LOCKED (primary result codes). */
const isBusy = (error: unknown) => [5, 6].includes(Number((error as { errcode?: number }).errcode) & 0xff);

/** Opens (creating if needed) the store at `file` and applies pending migrations; refuses a newer schema. */
export function openStoreDatabase(file: string, options: StoreOpenOptions = {}): StoreDatabase {
  let db: DatabaseSync;
  const busyTimeoutMs = Math.max(0, Math.floor(options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS));
  try {
    if (file !== ":memory:") mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    db = new DatabaseSync(file);
    db.exec(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
    // Switching a new database to WAL takes an exclusive lock and does not wait on the busy timeout: a process opening
    // the store while another creates it retries for up to the busy timeout.
    const deadline = Date.now() + busyTimeoutMs;
    for (;;) {
      try {
        db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;");
        break;
      } catch (error) {
        if (!isBusy(error) || Date.now() >= deadline) throw error;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
      }
    }
  } catch (error) {
    throw new StoreError(`Cannot open the issuer store at ${file}.`, {
      details: error instanceof Error ? error.message : String(error),
      metaMessages: ["Check the path (CREDREG_STORE or --store) and its permissions."],
    });
  }
  const transaction = <T>(work: () => T): T => {
    try {
      db.exec("BEGIN IMMEDIATE");
    } catch (error) {
      if (!isBusy(error)) throw error;
      throw new StoreError(`The issuer store ${file} stayed busy with another process's write for ${busyTimeoutMs} ms; nothing was written, so try again in a moment.`, {
        details: error instanceof Error ? error.message : String(error),
      });
    }
    try {
      const result = work();
      db.exec("COMMIT");
      return result;
    } catch (error) {
      db.exec("ROLLBACK");
      throw error;
    }
  };
  const appliedVersion = () => {
    const row = db.prepare("SELECT version FROM schema_version").get() as { version?: number } | undefined;
    return row === undefined ? 0 : Number(row.version);
  };
  const refuseNewer = (current: number) => {
    if (current <= MIGRATIONS.length) return;
    db.close();
    throw new StoreError(`The issuer store ${file} has schema version ${current}; this credreg knows up to ${MIGRATIONS.length}.`, {
      metaMessages: ["Upgrade credreg; never downgrade a store."],
    });
  };
  db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
  refuseNewer(appliedVersion());
  // Two processes may open a new store at once: each migration re-reads the version inside its write transaction
  // (BEGIN IMMEDIATE holds the write lock), so a step another process has just applied is skipped, never run twice.
  while (
    transaction(() => {
      const version = appliedVersion();
      if (version >= MIGRATIONS.length) return false;
      db.exec(MIGRATIONS[version]!);
      db.exec("DELETE FROM schema_version");
      db.prepare("INSERT INTO schema_version (version) VALUES (?)").run(version + 1);
      return true;
    })
  );
  refuseNewer(appliedVersion());
  return { file, db, schemaVersion: MIGRATIONS.length, transaction, close: () => db.close() };
}
