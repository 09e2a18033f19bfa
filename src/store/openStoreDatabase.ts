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

/** Opens (creating if needed) the store at `file` and applies pending migrations; refuses a newer schema. */
export function openStoreDatabase(file: string): StoreDatabase {
  let db: DatabaseSync;
  try {
    if (file !== ":memory:") mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    db = new DatabaseSync(file);
    db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;");
  } catch (error) {
    throw new StoreError(`Cannot open the issuer store at ${file}.`, {
      details: error instanceof Error ? error.message : String(error),
      metaMessages: ["Check the path (CREDREG_STORE or --store) and its permissions."],
    });
  }
  const transaction = <T>(work: () => T): T => {
    db.exec("BEGIN IMMEDIATE");
    try {
      const result = work();
      db.exec("COMMIT");
      return result;
    } catch (error) {
      db.exec("ROLLBACK");
      throw error;
    }
  };
  db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
  const row = db.prepare("SELECT version FROM schema_version").get() as { version?: number } | undefined;
  const current = row === undefined ? 0 : Number(row.version);
  if (current > MIGRATIONS.length) {
    db.close();
    throw new StoreError(`The issuer store ${file} has schema version ${current}; this credreg knows up to ${MIGRATIONS.length}.`, {
      metaMessages: ["Upgrade credreg; never downgrade a store."],
    });
  }
  for (let version = current; version < MIGRATIONS.length; version += 1) {
    transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.exec("DELETE FROM schema_version");
      db.prepare("INSERT INTO schema_version (version) VALUES (?)").run(version + 1);
    });
  }
  return { file, db, schemaVersion: MIGRATIONS.length, transaction, close: () => db.close() };
}
