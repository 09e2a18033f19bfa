import { createHash, randomBytes } from "node:crypto";
import type { DatabaseSync } from "node:sqlite";
import { openStoreDatabase, type StoreDatabase, type StoreOpenOptions } from "./openStoreDatabase.ts";

const hashOf = (key: string) => createHash("sha256").update(key, "utf8").digest("hex");

/** The HTTP service's API keys: only their SHA-256 hashes are kept; each key acts for one issuer. */
export class ApiKeyStore {
  readonly #store: StoreDatabase;
  readonly #db: DatabaseSync;

  private constructor(store: StoreDatabase) {
    this.#store = store;
    this.#db = store.db;
  }

  static open(file: string, options: StoreOpenOptions = {}): ApiKeyStore {
    return new ApiKeyStore(openStoreDatabase(file, options));
  }

  close(): void {
    this.#store.close();
  }

  /** Creates a key for `issuer`; the key itself is returned once and never stored. */
  create(issuer: string, label: string): { key: string; prefix: string } {
    const key = `crk_${randomBytes(32).toString("base64url")}`;
    const prefix = key.slice(0, 10);
    this.#db
      .prepare("INSERT INTO api_keys (key_hash, key_prefix, issuer, label, created_at) VALUES (?, ?, ?, ?, ?)")
      .run(hashOf(key), prefix, issuer.toLowerCase(), label, new Date().toISOString());
    return { key, prefix };
  }

  /** The issuer a presented key acts for, if it is a live key. */
  find(key: string): { issuer: string; label: string; prefix: string } | undefined {
    const row = this.#db.prepare("SELECT issuer, label, key_prefix FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL").get(hashOf(key)) as
      | { issuer: string; label: string; key_prefix: string }
      | undefined;
    return row === undefined ? undefined : { issuer: row.issuer, label: row.label, prefix: row.key_prefix };
  }

  /** Revokes the key starting with `prefix` (as `apikey create` printed it). */
  revoke(prefix: string): boolean {
    return Number(this.#db.prepare("UPDATE api_keys SET revoked_at = ? WHERE key_prefix = ? AND revoked_at IS NULL").run(new Date().toISOString(), prefix).changes) > 0;
  }
}
