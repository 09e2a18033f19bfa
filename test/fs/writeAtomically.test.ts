import { readlinkSync, readFileSync } from "node:fs";
import { lstat, mkdtemp, open, readdir, readFile, symlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { removeStaleTemporaryFiles } from "../../src/fs/removeStaleTemporaryFiles.ts";
import { syncFileSystem, writeFileAtomically, writeLinesAtomically } from "../../src/fs/writeAtomically.ts";

const tempDir = () => mkdtemp(path.join(tmpdir(), "credreg-atomic-"));
/** A process id above Linux's pid_max: no such process runs, so its temporary files are stale. */
const DEAD_PID = 999_999_999;

afterEach(() => {
  vi.restoreAllMocks();
});

describe("writeFileAtomically, writeLinesAtomically", () => {
  it("default: writes the content and leaves no temporary file", async () => {
    const dir = await tempDir();
    await writeFileAtomically(path.join(dir, "a.json"), "{}\n");
    await writeLinesAtomically(path.join(dir, "b.jsonl"), ["1", "2"]);
    expect(await readFile(path.join(dir, "a.json"), "utf8")).toBe("{}\n");
    expect(await readFile(path.join(dir, "b.jsonl"), "utf8")).toBe("1\n2\n");
    expect((await readdir(dir)).sort()).toEqual(["a.json", "b.jsonl"]);
  });

  it("behavior: a symlink planted at the temporary file's name is never followed (the write takes another name)", async () => {
    const dir = await tempDir();
    for (const write of [
      (file: string) => writeFileAtomically(file, "new\n", { removeStale: false }),
      (file: string) => writeLinesAtomically(file, ["new"], { removeStale: false }),
    ]) {
      const file = path.join(dir, `out-${Math.random().toString(16).slice(2)}.json`);
      const victim = path.join(dir, `victim-${path.basename(file)}`);
      const missing = path.join(dir, `created-through-link-${path.basename(file)}`);
      await writeFile(victim, "precious\n");
      // The predictable name (pid), and a dangling link: plain O_CREAT would create its target.
      await symlink(victim, `${file}.${process.pid}.tmp`);
      await write(file);
      expect(await readFile(file, "utf8")).toBe("new\n");
      expect(await readFile(victim, "utf8")).toBe("precious\n");
      expect((await lstat(`${file}.${process.pid}.tmp`)).isSymbolicLink()).toBe(true);

      const second = `${file}.second`;
      await symlink(missing, `${second}.${process.pid}.tmp`);
      await write(second);
      expect(await readFile(second, "utf8")).toBe("new\n");
      await expect(lstat(missing)).rejects.toMatchObject({ code: "ENOENT" });
    }
  });

  it("behavior: stale temporary files beside the file are removed (symlinks unlinked, not followed); a live writer's are kept", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "84532.json");
    const victim = path.join(dir, "victim.txt");
    await writeFile(victim, "precious\n");
    await writeFile(`${file}.${DEAD_PID}.tmp`, "half");
    await writeFile(`${file}.${DEAD_PID}.0123abcd.tmp`, "half");
    await symlink(victim, `${file}.${process.pid}.tmp`);
    const live = `${file}.${process.ppid}.tmp`;
    await writeFile(live, "in progress");
    const old = `${file}.${process.ppid}.fe.tmp`;
    await writeFile(old, "abandoned");
    await utimes(old, new Date(Date.now() - 2 * 86_400_000), new Date(Date.now() - 2 * 86_400_000));
    await writeFile(path.join(dir, `other.json.${DEAD_PID}.tmp`), "not beside this file");
    await writeFileAtomically(file, "{}\n");
    expect((await readdir(dir)).sort()).toEqual(["84532.json", `84532.json.${process.ppid}.tmp`, `other.json.${DEAD_PID}.tmp`, "victim.txt"].sort());
    expect(await readFile(victim, "utf8")).toBe("precious\n");

    const lines = path.join(dir, "batch.jsonl");
    await writeFile(`${lines}.${DEAD_PID}.tmp`, "half");
    await writeLinesAtomically(lines, ["{}"]);
    expect(await readdir(dir)).not.toContain(`batch.jsonl.${DEAD_PID}.tmp`);
    // The whole folder (credentials/): every stale one.
    expect(await removeStaleTemporaryFiles(dir)).toEqual([path.join(dir, `other.json.${DEAD_PID}.tmp`)]);
  });

  it.skipIf(process.platform !== "linux")("behavior: fsyncs the temporary file before the rename and the folder after it, before resolving", async () => {
    const dir = await tempDir();
    const probe = await open(path.join(dir, "probe"), "w");
    const FileHandle = Object.getPrototypeOf(probe) as { sync(this: { fd: number }): Promise<void> };
    await probe.close();
    for (const [name, write] of [
      ["a.json", (file: string) => writeFileAtomically(file, "content\n")],
      ["b.jsonl", (file: string) => writeLinesAtomically(file, ["content"])],
    ] as const) {
      const file = path.join(dir, name);
      const synced: { path: string; fileThen: string | null }[] = [];
      const original = FileHandle.sync;
      vi.spyOn(FileHandle, "sync").mockImplementation(async function (this: { fd: number }) {
        let fileThen: string | null = null;
        try {
          fileThen = readFileSync(file, "utf8");
        } catch {}
        synced.push({ path: readlinkSync(`/proc/self/fd/${this.fd}`), fileThen });
        return original.call(this);
      });
      await write(file);
      vi.restoreAllMocks();
      expect(synced).toEqual([
        { path: `${file}.${process.pid}.tmp`, fileThen: null },
        { path: dir, fileThen: "content\n" },
      ]);
    }
  });

  it.skipIf(process.platform !== "linux")("behavior: many files written without their own fsync are made durable by one syncFileSystem (syncfs, else an fsync of each and of the folder)", async () => {
    const dir = await tempDir();
    const probe = await open(path.join(dir, "probe"), "w");
    const FileHandle = Object.getPrototypeOf(probe) as { sync(this: { fd: number }): Promise<void> };
    await probe.close();
    const files = ["x.json", "y.json", "z.json"].map((name) => path.join(dir, name));
    const synced: string[] = [];
    const original = FileHandle.sync;
    vi.spyOn(FileHandle, "sync").mockImplementation(async function (this: { fd: number }) {
      synced.push(readlinkSync(`/proc/self/fd/${this.fd}`));
      return original.call(this);
    });
    for (const file of files) await writeFileAtomically(file, "content\n", { removeStale: false, sync: false });
    expect(synced).toEqual([]);
    await syncFileSystem(dir, files); // coreutils sync -f: one syncfs, no fsync from this process
    expect(synced).toEqual([]);
    const path_ = process.env.PATH;
    process.env.PATH = await tempDir(); // no `sync` to run: the fallback fsyncs every file, then the folder
    try {
      await syncFileSystem(dir, files);
    } finally {
      process.env.PATH = path_;
    }
    // the files are synced concurrently (any order among them), the folder after all of them
    expect(synced.slice(0, files.length).sort()).toEqual([...files].sort());
    expect(synced.slice(files.length)).toEqual([dir]);
    for (const file of files) expect(await readFile(file, "utf8")).toBe("content\n");
  });
});
