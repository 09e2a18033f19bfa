import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { open, readFile, stat, unlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { IssuerLockTimeoutError } from "../errors/storeErrors.ts";

/** Whose lock: one per store, chain (id and genesis) and signing account. */
export type IssuerLockKey = {
  readonly storeFile: string;
  readonly chainId: string;
  readonly genesisHash: string;
  /** The signing account (its nonces are what two processes must not race). */
  readonly issuer: string;
};

export type IssuerLockOptions = {
  /** How long to wait for a live holder before failing (default: CREDREG_LOCK_TIMEOUT_MS, else 10 minutes). */
  readonly timeoutMs?: number | undefined;
  /** How often to look again while waiting (default 100 ms); the wait is asynchronous, never a busy loop. */
  readonly pollMs?: number | undefined;
};

type LockRecord = { format: "credreg-lock-v1"; pid: number; processStart: string | null; since: string; token: string };

/** A lock file that cannot be read as a record is being written by its creator, unless it is older than this. */
const UNREADABLE_GRACE_MS = 5_000;
const DEFAULT_TIMEOUT_MS = 10 * 60_000;

/** The lock files this async flow holds (nested calls in the same flow do not wait for themselves). */
const held = new AsyncLocalStorage<ReadonlySet<string>>();

/** The lock file of `key`: beside the store, named by chain id, genesis and account. */
export function issuerLockFile(key: IssuerLockKey): string {
  const memory = key.storeFile === ":memory:";
  const dir = memory ? tmpdir() : path.dirname(path.resolve(key.storeFile));
  const base = memory ? "credreg-memory-store" : path.basename(key.storeFile);
  return path.join(dir, `${base}.${key.chainId}-${key.genesisHash.replace(/^0x/, "").slice(0, 16)}-${key.issuer.toLowerCase()}.lock`);
}

/** The start time of process `pid` as the kernel counts it (Linux), to tell a reused pid from the lock's holder. */
function processStartOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}

function isRunning(record: LockRecord): boolean {
  try {
    process.kill(record.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  if (record.processStart === null) return true;
  const start = processStartOf(record.pid);
  return start === null || start === record.processStart;
}

function parseRecord(text: string): LockRecord | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockRecord>;
    return value.format === "credreg-lock-v1" && Number.isSafeInteger(value.pid) && typeof value.token === "string" ? (value as LockRecord) : undefined;
  } catch {
    return undefined;
  }
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** Creates the lock file exclusively (O_EXCL), taking over a stale one; waits (asynchronously) for a live holder. */
async function acquire(file: string, key: IssuerLockKey, options: IssuerLockOptions): Promise<string> {
  const envTimeout = Number(process.env.CREDREG_LOCK_TIMEOUT_MS);
  const timeoutMs = options.timeoutMs ?? (Number.isFinite(envTimeout) && envTimeout >= 0 ? envTimeout : DEFAULT_TIMEOUT_MS);
  const pollMs = options.pollMs ?? 100;
  const started = Date.now();
  const token = randomUUID();
  const record: LockRecord = { format: "credreg-lock-v1", pid: process.pid, processStart: processStartOf(process.pid), since: new Date().toISOString(), token };
  for (;;) {
    try {
      const handle = await open(file, "wx", 0o600);
      try {
        await handle.writeFile(`${JSON.stringify(record)}\n`);
      } finally {
        await handle.close();
      }
      return token;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const text = await readIfExists(file);
    if (text === undefined) continue;
    const holder = parseRecord(text);
    const stale = holder === undefined ? Date.now() - (await stat(file).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs > UNREADABLE_GRACE_MS : !isRunning(holder);
    if (stale) {
      // Remove only the very lock judged stale (another waiter may have taken it over meanwhile), then try again.
      if ((await readIfExists(file)) === text) await unlink(file).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== "ENOENT") throw error;
      });
      continue;
    }
    const waited = Date.now() - started;
    if (waited >= timeoutMs) {
      throw new IssuerLockTimeoutError({ file, issuer: key.issuer, chainId: key.chainId, waitedMs: timeoutMs, holderPid: holder?.pid, holderSince: holder?.since });
    }
    await sleep(Math.min(pollMs, timeoutMs - waited));
  }
}

async function release(file: string, token: string): Promise<void> {
  const holder = parseRecord((await readIfExists(file)) ?? "");
  if (holder?.token === token) await unlink(file).catch(() => undefined);
}

/**
 * Runs `work` holding the cross-process lock of (store, chain, account): a lock file created exclusively beside the
 * store, holding the pid and start time of its holder. A second process waits, asynchronously and at most
 * `timeoutMs`, then fails with {@link IssuerLockTimeoutError}; a lock of a process that no longer runs is taken over.
 * Another async flow of the same process waits the same way; a nested call in the flow that holds it runs at once.
 */
export async function withIssuerLock<T>(key: IssuerLockKey, work: () => Promise<T>, options: IssuerLockOptions = {}): Promise<T> {
  const file = issuerLockFile(key);
  const mine = held.getStore();
  if (mine?.has(file)) return work();
  const token = await acquire(file, key, options);
  try {
    return await held.run(new Set([...(mine ?? []), file]), work);
  } finally {
    await release(file, token);
  }
}
