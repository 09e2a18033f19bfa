import type { DatabaseSync } from "node:sqlite";
import { keyRegistryAddressOf } from "../chain/keyRegistryAddressOf.ts";
import { SIGNING_KEY_EVENTS } from "./signingKeyEvents.ts";
import { type ChainReset, claimChain, liveGenesisSql } from "../store/claimChain.ts";
import { openStoreDatabase, type StoreDatabase, type StoreOpenOptions } from "../store/openStoreDatabase.ts";

/** Only the rows of the live chain of their chain id: a reset chain's events are kept apart, never mixed in. */
const LIVE_EVENT = `genesis_hash = ${liveGenesisSql("audit_events.chain_id")}`;
const LIVE_CURSOR = `genesis_hash = ${liveGenesisSql("audit_cursors.chain_id")}`;

const SIGNING_KEY_EVENT_SQL = SIGNING_KEY_EVENTS.map((name) => `'${name}'`).join(", ");

/** One registry event (or one of its key registry's) as the auditor keeps it. */
export type AuditEvent = {
  readonly blockNumber: number;
  readonly logIndex: number;
  readonly blockHash: string;
  /** Unix seconds. */
  readonly blockTime: number;
  readonly transactionHash: string;
  /** The account that sent the transaction (`tx.from`). */
  readonly sender: string;
  readonly event: string;
  readonly issuer: string | null;
  readonly root: string | null;
  readonly leafIndex: number | null;
  readonly reason: number | null;
  /**
   * Who made the change: the msg.sender of the contract that emitted the event (the registry, or its key registry).
   * For a transaction sent straight to that contract, its sender (a fact, whatever the event says); through another
   * contract (a contract wallet, a relayer), the account the event names by the contract's rules (the issuer of an
   * anchor, a status change or a key's addition or retirement, the accreditor of StatusChangedByAccreditor, the actor
   * of BatchRevoked and SigningKeyRevoked, the accreditor or admin of governance events).
   */
  readonly actor: string | null;
  /** Every decoded argument, as strings. */
  readonly args: Readonly<Record<string, string>>;
  /** Older than the confirmation depth when indexed; non-final events are re-read on every update. */
  readonly final: boolean;
};

export type AuditFilter = {
  readonly issuer?: string | undefined;
  readonly root?: string | undefined;
  readonly leafIndex?: number | undefined;
  /**
   * The key registry's events of this signing key (bytes32): with `root`, added to the batch's events (a format v2
   * credential's history is its batch's and its signing key's); alone, only the key's.
   */
  readonly signingKey?: string | undefined;
  readonly fromBlock?: number | undefined;
  readonly toBlock?: number | undefined;
  readonly fromTime?: number | undefined;
  readonly toTime?: number | undefined;
};

/** Where an event is in the chain's order: its block and its log's index in that block. */
export type AuditPosition = { readonly blockNumber: number; readonly logIndex: number };

type Row = Record<string, unknown>;

const toEvent = (row: Row): AuditEvent => ({
  blockNumber: Number(row.block_number),
  logIndex: Number(row.log_index),
  blockHash: String(row.block_hash),
  blockTime: Number(row.block_time),
  transactionHash: String(row.transaction_hash),
  sender: String(row.sender),
  event: String(row.event),
  issuer: (row.issuer as string | null) ?? null,
  root: (row.root as string | null) ?? null,
  leafIndex: row.leaf_index === null ? null : Number(row.leaf_index),
  reason: row.reason === null ? null : Number(row.reason),
  actor: (row.actor as string | null) ?? null,
  args: JSON.parse(String(row.args)) as Record<string, string>,
  final: Number(row.final) === 1,
});

/** The auditor's index of one or more registries' events, in the store's SQLite database. */
export class AuditIndex {
  readonly #store: StoreDatabase;
  readonly #db: DatabaseSync;

  private constructor(store: StoreDatabase) {
    this.#store = store;
    this.#db = store.db;
  }

  static open(file: string, options: StoreOpenOptions = {}): AuditIndex {
    return new AuditIndex(openStoreDatabase(file, options));
  }

  close(): void {
    this.#store.close();
  }

  /** Records that chain `chainId` has the genesis block `genesisHash` (before indexing it); returns a reset if it changed. */
  useChain(chainId: string, genesisHash: string): ChainReset | undefined {
    return claimChain(this.#store, chainId, genesisHash);
  }

  /** The last final block indexed for the registry, and its hash (to notice a reorg deeper than the depth). */
  cursor(chainId: string, registry: string): { finalBlock: number; finalBlockHash: string | null } | undefined {
    const row = this.#db.prepare(`SELECT * FROM audit_cursors WHERE chain_id = ? AND registry = ? AND ${LIVE_CURSOR}`).get(chainId, registry.toLowerCase()) as Row | undefined;
    return row === undefined ? undefined : { finalBlock: Number(row.final_block), finalBlockHash: (row.final_block_hash as string | null) ?? null };
  }

  /** Drops every non-final event of the registry: they are read again. */
  dropNonFinal(chainId: string, registry: string): void {
    this.#db.prepare(`DELETE FROM audit_events WHERE chain_id = ? AND registry = ? AND final = 0 AND ${LIVE_EVENT}`).run(chainId, registry.toLowerCase());
  }

  /**
   * Forgets everything indexed for the registry (a reorg deeper than the confirmation depth, or --reindex): its events,
   * its key registry's (kept with them), and both cursors.
   */
  reset(chainId: string, registry: string): void {
    this.#store.transaction(() => {
      this.#db.prepare(`DELETE FROM audit_events WHERE chain_id = ? AND registry = ? AND ${LIVE_EVENT}`).run(chainId, registry.toLowerCase());
      for (const source of [registry, keyRegistryAddressOf(registry)]) {
        this.#db.prepare(`DELETE FROM audit_cursors WHERE chain_id = ? AND registry = ? AND ${LIVE_CURSOR}`).run(chainId, source.toLowerCase());
      }
    });
  }

  /**
   * Stores one chunk of events and moves the cursor, in one transaction: an interruption never leaves a gap or a
   * duplicate. `alsoRead` names the other contracts whose events the chunk holds (the key registry): their cursors
   * move with the registry's, so that an index built before they were read is noticed (their cursor lags).
   */
  commit(chainId: string, registry: string, events: readonly AuditEvent[], cursor: { finalBlock: number; finalBlockHash: string | null } | undefined, alsoRead: readonly string[] = []): void {
    const key = registry.toLowerCase();
    this.#store.transaction(() => {
      const insert = this.#db.prepare(
        `INSERT OR REPLACE INTO audit_events (chain_id, genesis_hash, registry, block_number, log_index, block_hash, block_time, transaction_hash, sender, event, issuer, root, leaf_index, reason, actor, args, final)
         VALUES (?1, ${liveGenesisSql("?1")}, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)`,
      );
      for (const event of events) {
        insert.run(chainId, key, event.blockNumber, event.logIndex, event.blockHash, event.blockTime, event.transactionHash, event.sender, event.event, event.issuer, event.root, event.leafIndex, event.reason, event.actor, JSON.stringify(event.args), event.final ? 1 : 0);
      }
      if (cursor !== undefined) {
        const move = this.#db.prepare(
          `INSERT INTO audit_cursors (chain_id, genesis_hash, registry, final_block, final_block_hash) VALUES (?1, ${liveGenesisSql("?1")}, ?2, ?3, ?4)
           ON CONFLICT (chain_id, genesis_hash, registry) DO UPDATE SET final_block = excluded.final_block, final_block_hash = excluded.final_block_hash`,
        );
        for (const source of [key, ...alsoRead.map((address) => address.toLowerCase())]) move.run(chainId, source, cursor.finalBlock, cursor.finalBlockHash);
      }
    });
  }

  /** Events of the registry matching `filter`, oldest first. */
  events(chainId: string, registry: string, filter: AuditFilter = {}): AuditEvent[] {
    const { where, values } = this.#where(chainId, registry, filter);
    return (this.#db.prepare(`SELECT * FROM audit_events WHERE ${where} ORDER BY block_number, log_index`).all(...values) as Row[]).map(toEvent);
  }

  /**
   * At most `limit` events matching `filter`, oldest first, strictly after the position `after` (keyset paging on
   * (blockNumber, logIndex): pages never overlap nor skip, and memory is bounded by `limit`).
   */
  page(chainId: string, registry: string, filter: AuditFilter, limit: number, after?: AuditPosition): AuditEvent[] {
    const { where, values } = this.#where(chainId, registry, filter);
    const keyset = after === undefined ? "" : " AND (block_number > ? OR (block_number = ? AND log_index > ?))";
    const keysetValues = after === undefined ? [] : [after.blockNumber, after.blockNumber, after.logIndex];
    return (this.#db.prepare(`SELECT * FROM audit_events WHERE ${where}${keyset} ORDER BY block_number, log_index LIMIT ?`).all(...values, ...keysetValues, limit) as Row[]).map(toEvent);
  }

  #where(chainId: string, registry: string, filter: AuditFilter): { where: string; values: (string | number)[] } {
    const clauses = ["chain_id = ?", "registry = ?", LIVE_EVENT];
    const values: (string | number)[] = [chainId, registry.toLowerCase()];
    if (filter.issuer !== undefined) {
      clauses.push("issuer = ?");
      values.push(filter.issuer.toLowerCase());
    }
    const batch: string[] = [];
    const batchValues: (string | number)[] = [];
    if (filter.root !== undefined) {
      batch.push("root = ?");
      batchValues.push(filter.root.toLowerCase());
    }
    if (filter.leafIndex !== undefined) {
      batch.push("(leaf_index = ? OR leaf_index IS NULL)");
      batchValues.push(filter.leafIndex);
    }
    if (filter.signingKey === undefined) {
      clauses.push(...batch);
      values.push(...batchValues);
    } else {
      const key = `(event IN (${SIGNING_KEY_EVENT_SQL}) AND json_extract(args, '$.key') = ?)`;
      clauses.push(batch.length === 0 ? key : `((${batch.join(" AND ")}) OR ${key})`);
      values.push(...batchValues, filter.signingKey.toLowerCase());
    }
    for (const [column, operator, value] of [
      ["block_number", ">=", filter.fromBlock],
      ["block_number", "<=", filter.toBlock],
      ["block_time", ">=", filter.fromTime],
      ["block_time", "<=", filter.toTime],
    ] as const) {
      if (value !== undefined) {
        clauses.push(`${column} ${operator} ?`);
        values.push(value);
      }
    }
    return { where: clauses.join(" AND "), values };
  }

  count(chainId: string, registry: string): number {
    return Number((this.#db.prepare(`SELECT COUNT(*) AS n FROM audit_events WHERE chain_id = ? AND registry = ? AND ${LIVE_EVENT}`).get(chainId, registry.toLowerCase()) as Row).n);
  }
}
