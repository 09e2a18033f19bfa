import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { IssuerLockTimeoutError } from "../../src/errors/storeErrors.ts";
import { issuerLockFile, withIssuerLock } from "../../src/store/withIssuerLock.ts";

const ISSUER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const GENESIS = `0x${"ab".repeat(32)}`;

async function lockKey() {
  const dir = await mkdtemp(path.join(tmpdir(), "credreg-lock-"));
  return { dir, key: { storeFile: path.join(dir, "issuer.sqlite"), chainId: "31337", genesisHash: GENESIS, issuer: ISSUER } };
}

describe("withIssuerLock", () => {
  it("default: holds a lock file beside the store (pid and start time) during the work, removes it after; a nested call runs at once", async () => {
    const { dir, key } = await lockKey();
    const file = issuerLockFile(key);
    expect(path.dirname(file)).toBe(dir);
    expect(path.basename(file)).toBe(`issuer.sqlite.31337-${"ab".repeat(8)}-${ISSUER.toLowerCase()}.lock`);
    const result = await withIssuerLock(key, async () => {
      const record = JSON.parse(await readFile(file, "utf8"));
      expect(record).toMatchObject({ format: "credreg-lock-v1", pid: process.pid });
      expect(typeof record.processStart).toBe("string");
      return withIssuerLock(key, async () => "nested", { timeoutMs: 0 });
    });
    expect(result).toBe("nested");
    expect(await readdir(dir)).toEqual([]);
  });

  it("behavior: a lock left by a process that no longer runs is taken over without waiting", async () => {
    const { key } = await lockKey();
    // 999999999 is above Linux's pid_max: no process by that id runs.
    await writeFile(issuerLockFile(key), JSON.stringify({ format: "credreg-lock-v1", pid: 999999999, processStart: "1", since: "2026-01-01T00:00:00.000Z", token: "stale" }));
    expect(await withIssuerLock(key, async () => "taken over", { timeoutMs: 0 })).toBe("taken over");
  });

  it("behavior: a lock of a reused pid (same pid, another start time) is stale too", async () => {
    const { key } = await lockKey();
    await writeFile(issuerLockFile(key), JSON.stringify({ format: "credreg-lock-v1", pid: process.pid, processStart: "1", since: "2026-01-01T00:00:00.000Z", token: "reused" }));
    expect(await withIssuerLock(key, async () => "taken over", { timeoutMs: 0 })).toBe("taken over");
  });

  it("behavior: a second flow waits for the first, asynchronously (timers keep firing while it waits), then runs", async () => {
    const { key } = await lockKey();
    const order: string[] = [];
    let ticks = 0;
    let lastTick = Date.now();
    let longestGap = 0;
    const ticker = setInterval(() => {
      ticks += 1;
      longestGap = Math.max(longestGap, Date.now() - lastTick);
      lastTick = Date.now();
    }, 10);
    let releaseFirst!: () => void;
    const first = withIssuerLock(key, async () => {
      order.push("first in");
      await new Promise<void>((resolve) => (releaseFirst = resolve));
      order.push("first out");
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = withIssuerLock(key, async () => void order.push("second"), { pollMs: 300 });
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(order).toEqual(["first in"]);
    const ticksWhileWaiting = ticks;
    releaseFirst();
    await Promise.all([first, second]);
    clearInterval(ticker);
    expect(order).toEqual(["first in", "first out", "second"]);
    expect(ticksWhileWaiting).toBeGreaterThan(5);
    // Between two looks at the lock file (300 ms apart) the event loop runs: no gap near the poll interval.
    expect(longestGap).toBeLessThan(150);
  });

  it("error: a live holder makes the wait fail after the timeout with one sentence of what happened and what to do", async () => {
    const { key } = await lockKey();
    const file = issuerLockFile(key);
    // The parent of this test process runs for as long as the test does: a live holder.
    await writeFile(file, JSON.stringify({ format: "credreg-lock-v1", pid: process.ppid, processStart: null, since: "2026-11-22T06:00:00.000Z", token: "live" }));
    const started = Date.now();
    const error = await withIssuerLock(key, async () => "never", { timeoutMs: 300, pollMs: 20 }).catch((caught: unknown) => caught);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(error).toBeInstanceOf(IssuerLockTimeoutError);
    expect((error as IssuerLockTimeoutError).shortMessage).toBe(
      `Another credreg process (pid ${process.ppid}, since 2026-11-22T06:00:00.000Z) is still issuing or changing statuses as ${ISSUER} on chain 31337 after 0.3 s of waiting; let it finish (or stop it), then run the command again.`,
    );
    expect((error as IssuerLockTimeoutError).metaMessages).toEqual([`Lock file: ${file}`, "A lock left behind by a process that no longer runs is taken over without waiting."]);
    // The live holder's lock is left alone.
    expect(JSON.parse(await readFile(file, "utf8")).token).toBe("live");
  });
  it("behavior: CREDREG_LOCK_TIMEOUT_MS bounds the wait when no timeout is given", async () => {
    const { key } = await lockKey();
    await writeFile(issuerLockFile(key), JSON.stringify({ format: "credreg-lock-v1", pid: process.ppid, processStart: null, since: "2026-11-22T06:00:00.000Z", token: "live" }));
    process.env.CREDREG_LOCK_TIMEOUT_MS = "100";
    try {
      const started = Date.now();
      await expect(withIssuerLock(key, async () => "never")).rejects.toThrowError(/after 0\.1 s of waiting/);
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      delete process.env.CREDREG_LOCK_TIMEOUT_MS;
    }
  });
});
