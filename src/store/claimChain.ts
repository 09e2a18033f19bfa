import type { StoreDatabase } from "./openStoreDatabase.ts";

/** A chain id whose genesis block changed: the chain was reset (a restarted local node) or replaced. */
export type ChainReset = {
  readonly chainId: string;
  /** The genesis hash of the vanished chain, whose records the store keeps apart. */
  readonly previousGenesisHash: string;
  readonly genesisHash: string;
  /** What the store keeps of the vanished chain (never used for new work while it is gone). */
  readonly batches: number;
  readonly transactions: number;
};

/**
 * SQL for the genesis hash of the live chain with id `chainIdSql` (an SQL expression), or '' when no chain of that id
 * was claimed yet (records written before, e.g. by a store from before migration 4, carry '').
 */
export const liveGenesisSql = (chainIdSql: string) => `COALESCE((SELECT genesis_hash FROM chains WHERE chains.chain_id = ${chainIdSql} AND vanished_at IS NULL), '')`;

/**
 * Records that chain `chainId` now has the genesis block `genesisHash`. The first claim of a chain id adopts the
 * records written before genesis hashes were kept. When the genesis differs from the live one, that chain has
 * vanished: its records stay in the store, apart (no query of the new chain sees them), and come back if that chain
 * does; the reset is returned so that the caller can say so.
 */
export function claimChain(store: StoreDatabase, chainId: string, genesisHash: string): ChainReset | undefined {
  const genesis = genesisHash.toLowerCase();
  const { db } = store;
  const live = db.prepare("SELECT genesis_hash FROM chains WHERE chain_id = ? AND vanished_at IS NULL").get(chainId) as { genesis_hash: string } | undefined;
  if (live?.genesis_hash === genesis) return undefined;
  return store.transaction(() => {
    // Read again under the write lock: another process may have claimed it meanwhile.
    const current = db.prepare("SELECT genesis_hash FROM chains WHERE chain_id = ? AND vanished_at IS NULL").get(chainId) as { genesis_hash: string } | undefined;
    if (current?.genesis_hash === genesis) return undefined;
    const known = db.prepare("SELECT 1 FROM chains WHERE chain_id = ?").get(chainId) !== undefined;
    if (!known) {
      db.prepare("UPDATE batches SET genesis_hash = ? WHERE chain_id = ? AND genesis_hash = ''").run(genesis, chainId);
      db.prepare("UPDATE transactions SET genesis_hash = ?, chain_id = ? WHERE genesis_hash = '' AND chain_id IN (?, '')").run(genesis, chainId, chainId);
      db.prepare("UPDATE audit_events SET genesis_hash = ? WHERE chain_id = ? AND genesis_hash = ''").run(genesis, chainId);
      db.prepare("UPDATE audit_cursors SET genesis_hash = ? WHERE chain_id = ? AND genesis_hash = ''").run(genesis, chainId);
    }
    const now = new Date().toISOString();
    db.prepare("UPDATE chains SET vanished_at = ? WHERE chain_id = ? AND vanished_at IS NULL").run(now, chainId);
    db.prepare("INSERT INTO chains (chain_id, genesis_hash, first_seen_at) VALUES (?, ?, ?) ON CONFLICT (chain_id, genesis_hash) DO UPDATE SET vanished_at = NULL").run(chainId, genesis, now);
    if (current === undefined) return undefined;
    const count = (sql: string) => Number((db.prepare(sql).get(chainId, current.genesis_hash) as { n: number }).n);
    return {
      chainId,
      previousGenesisHash: current.genesis_hash,
      genesisHash: genesis,
      batches: count("SELECT COUNT(*) AS n FROM batches WHERE chain_id = ? AND genesis_hash = ?"),
      transactions: count("SELECT COUNT(*) AS n FROM transactions WHERE chain_id = ? AND genesis_hash = ?"),
    };
  });
}
