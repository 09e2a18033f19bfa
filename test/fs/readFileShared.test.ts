import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readFileShared } from "../../src/fs/readFileShared.ts";

describe("readFileShared", () => {
  it("default: returns every byte of small, empty and large files (from the reused buffer's size on: a buffer of their own)", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "credreg-read-"));
    const small = Buffer.from('{"name":"Zoë 中村"}\n', "utf8");
    const large = Buffer.alloc(700 * 1024 + 7);
    for (let offset = 0; offset < large.length; offset += 1) large[offset] = (offset * 31 + 7) % 251;
    await writeFile(path.join(dir, "small.json"), small);
    await writeFile(path.join(dir, "empty.json"), "");
    await writeFile(path.join(dir, "large.bin"), large);
    expect(Buffer.compare(readFileShared(path.join(dir, "small.json")), small)).toBe(0);
    expect(readFileShared(path.join(dir, "empty.json")).length).toBe(0);
    const readLarge = readFileShared(path.join(dir, "large.bin"));
    expect(readLarge.length).toBe(large.length);
    expect(Buffer.compare(readLarge, large)).toBe(0);
    // Exactly the reused buffer's size (256 KB): still a buffer of its own.
    const exact = large.subarray(0, 256 * 1024);
    await writeFile(path.join(dir, "exact.bin"), exact);
    const readExact = readFileShared(path.join(dir, "exact.bin"));
    // The large files' bytes are their own: reading another file does not change them.
    readFileShared(path.join(dir, "small.json"));
    expect(Buffer.compare(readLarge, large)).toBe(0);
    expect(Buffer.compare(readExact, exact)).toBe(0);
  });

  it("behavior: a small file's bytes are a view of the reused buffer, overwritten by the next read (decode before reading on)", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "credreg-read-"));
    await writeFile(path.join(dir, "a"), "aaaa");
    await writeFile(path.join(dir, "b"), "bb");
    const first = readFileShared(path.join(dir, "a"));
    expect(first.toString()).toBe("aaaa");
    const second = readFileShared(path.join(dir, "b"));
    expect(second.toString()).toBe("bb");
    expect(first.toString()).toBe("bbaa");
  });

  it("error: a missing file or a directory throws with the system's code, like readFileSync", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "credreg-read-"));
    expect(() => readFileShared(path.join(dir, "missing.json"))).toThrow(expect.objectContaining({ code: "ENOENT" }));
    expect(() => readFileShared(dir)).toThrow(expect.objectContaining({ code: "EISDIR" }));
  });
});
