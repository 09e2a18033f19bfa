import { readFile } from "node:fs/promises";
import { deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { ZipArchiveError } from "../../src/errors/portfolioErrors.ts";
import { DEFAULT_ZIP_LIMITS, readZipArchive } from "../../src/portfolio/readZipArchive.ts";
import { zipArchive } from "../helpers/zipArchive.ts";

// A candidate's credentials as one ZIP archive (the portfolio page, `credreg verify <archive.zip>`): the credential
// files read as a folder's are, everything else ignored, and anything that could exhaust the reader refused whole.

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString("utf8");

/** The error `run` throws: a ZipArchiveError, whose short message is returned. */
function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ZipArchiveError);
    return (error as ZipArchiveError).shortMessage;
  }
  throw new Error("no error was thrown");
}

describe("readZipArchive", () => {
  it("default: archives made by Info-ZIP (stored and deflated; and streamed, with data descriptors) give their credential files, byte for byte", async () => {
    const one = await readFile("test/fixtures/zip/infozip.zip");
    const read = readZipArchive(one);
    // Folders, hidden files and README.txt are not credentials; one.png has its one.json beside it (the same credential).
    expect(read.files.map((file) => file.name)).toEqual(["candidate/badges/three.svg", "candidate/one.json", "candidate/two.json"]);
    expect(read.ignored).toEqual(["candidate/README.txt", "candidate/one.png"]);
    expect(text(read.files[1]!.bytes)).toBe('{"id":"urn:uuid:1","n":"first"}\n');
    expect(text(read.files[2]!.bytes)).toBe(`{"x":"${"a".repeat(5000)}"}\n`);
    const streamed = readZipArchive(await readFile("test/fixtures/zip/streamed.zip"));
    expect(streamed.files.map((file) => [file.name, file.bytes.length])).toEqual([
      ["candidate/one.json", 32],
      ["candidate/two.json", 5009],
      ["candidate/badges/three.svg", 7],
    ]);
    expect(text(streamed.files[1]!.bytes)).toBe(text(read.files[2]!.bytes));
  });

  it("default: UTF-8 names, a trailing comment, .ndjson and baked badges without their JSON; a batch record is ignored; macOS clutter is not reported", () => {
    const archive = zipArchive(
      [
        { name: "Zoë/credential-1.json", bytes: "{}" },
        { name: "Zoë/credential-2.svg", bytes: "<svg/>", method: 0 },
        { name: "__MACOSX/Zoë/._credential-1.json", bytes: "junk" },
        { name: "batch/credentials.ndjson", bytes: "{}\n{}\n" },
        // What `credreg issue` writes beside the credentials: its batch record, not a credential.
        { name: "batch/batch.jsonl", bytes: "{}\n" },
        { name: "notes.PDF", bytes: "%PDF" },
      ],
      "made for a test",
    );
    const read = readZipArchive(archive);
    expect(read.files.map((file) => file.name)).toEqual(["Zoë/credential-1.json", "Zoë/credential-2.svg", "batch/credentials.ndjson"]);
    expect(read.ignored).toEqual(["batch/batch.jsonl", "notes.PDF"]);
  });

  it("security: an entry that inflates past the size it declares (a ZIP bomb) is refused, without inflating it all", () => {
    const bomb = Buffer.alloc(20 * 1024 * 1024, 0x20);
    const archive = zipArchive([{ name: "ok.json", bytes: "{}" }, { name: "bomb.json", bytes: bomb, declaredSize: 1000 }]);
    expect(archive.length).toBeLessThan(30_000);
    expect(refusal(() => readZipArchive(archive, "candidate.zip"))).toBe("candidate.zip's entry bomb.json inflates to more than the 1,000 bytes it declares (a ZIP bomb, or a damaged archive); nothing was verified.");
    // Inflated no further than 1,000 bytes (else it would be "damaged: inflates to 20,971,520 bytes").
  });

  it("security: declared sizes past the limits (one file, all files), too many credential files, or too large an archive are refused before anything is inflated", () => {
    const limits = { ...DEFAULT_ZIP_LIMITS, maxFiles: 3, maxFileBytes: 1000, maxTotalBytes: 2500, maxArchiveBytes: 100_000 };
    expect(refusal(() => readZipArchive(zipArchive([{ name: "big.json", bytes: "x".repeat(1001) }]), undefined, limits))).toBe("The ZIP archive's entry big.json would inflate to 1,001 bytes; a credential file may be at most 1,000 bytes.");
    const three = [1, 2, 3].map((n) => ({ name: `${n}.json`, bytes: "y".repeat(900) }));
    expect(refusal(() => readZipArchive(zipArchive(three), "c.zip", limits))).toBe("c.zip would inflate to 2,700 bytes of credential files; at most 2,500 bytes are read.");
    const four = [1, 2, 3, 4].map((n) => ({ name: `${n}.json`, bytes: "{}" }));
    expect(refusal(() => readZipArchive(zipArchive(four), "c.zip", limits))).toBe("c.zip holds 4 credential files; at most 3 are read.");
    // Files that are not credentials do not count (and are never inflated).
    expect(readZipArchive(zipArchive([...four.slice(0, 3), { name: "video.mp4", bytes: "z".repeat(5000) }]), "c.zip", limits).files).toHaveLength(3);
    expect(refusal(() => readZipArchive(Buffer.alloc(100_001), "c.zip", limits))).toBe("c.zip is 100,001 bytes; at most 100,000 bytes are read.");
  });

  it("error: not a ZIP, damaged (CRC, truncated, sizes that disagree), encrypted, another compression, ZIP64, several disks: each says so", () => {
    expect(refusal(() => readZipArchive(Buffer.from('{"a":1}'), "cv.zip"))).toBe("cv.zip is not a ZIP archive (no end of central directory record).");
    expect(refusal(() => readZipArchive(Buffer.alloc(0), "cv.zip"))).toBe("cv.zip is not a ZIP archive (no end of central directory record).");
    expect(refusal(() => readZipArchive(zipArchive([{ name: "a.json", bytes: "{}", crc: 1234 }]), "cv.zip"))).toBe("cv.zip is damaged: a.json fails its CRC-32 check.");
    expect(refusal(() => readZipArchive(zipArchive([{ name: "a.json", bytes: "{}".repeat(50), declaredSize: 120 }]), "cv.zip"))).toBe("cv.zip is damaged: a.json inflates to 100 bytes, not the 120 it declares.");
    expect(refusal(() => readZipArchive(zipArchive([{ name: "a.json", bytes: "{}", method: 0, declaredSize: 3 }]), "cv.zip"))).toBe("cv.zip is damaged: a.json is stored, but its two sizes differ.");
    expect(refusal(() => readZipArchive(zipArchive([{ name: "a.json", bytes: "{}", flags: 1 }]), "cv.zip"))).toBe("cv.zip's entry a.json is encrypted.");
    expect(refusal(() => readZipArchive(zipArchive([{ name: "a.json", bytes: "{}", method: 12 }]), "cv.zip"))).toBe("cv.zip's entry a.json is compressed with method 12; only stored (0) and deflate (8) are read.");
    // A deflate stream that is not one.
    const garbage = zipArchive([{ name: "a.json", bytes: "{}" }]);
    garbage[30 + "a.json".length] = 0xff;
    expect(refusal(() => readZipArchive(garbage, "cv.zip"))).toMatch(/^cv\.zip is damaged: a\.json does not inflate \(/);
    // Cut in the middle: the end record is gone.
    const whole = zipArchive([{ name: "a.json", bytes: "{}" }, { name: "b.json", bytes: "[]" }]);
    expect(refusal(() => readZipArchive(whole.subarray(0, whole.length - 30), "cv.zip"))).toBe("cv.zip is not a ZIP archive (no end of central directory record).");
    // A central directory pointing past the file, and a local header that is not one.
    const moved = Buffer.from(whole);
    moved.writeUInt32LE(whole.length, moved.length - 6);
    expect(refusal(() => readZipArchive(moved, "cv.zip"))).toBe("cv.zip is damaged: its central directory lies outside the file.");
    const wrongLocal = Buffer.from(whole);
    wrongLocal.writeUInt32LE(0, 0);
    expect(refusal(() => readZipArchive(wrongLocal, "cv.zip"))).toBe("cv.zip is damaged: the data of a.json is not where its central directory says.");
    // ZIP64 (its locator before the end record) and a multi-disk archive.
    const end = whole.subarray(whole.length - 22);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    expect(refusal(() => readZipArchive(Buffer.concat([whole.subarray(0, whole.length - 22), locator, end]), "cv.zip"))).toBe("cv.zip is a ZIP64 archive, which is not read here.");
    const disks = Buffer.from(whole);
    disks.writeUInt16LE(1, disks.length - 18);
    expect(refusal(() => readZipArchive(disks, "cv.zip"))).toBe("cv.zip spans several disks, which is not read here.");
  });

  it("error: every refusal tells what to do", () => {
    try {
      readZipArchive(zipArchive([{ name: "a.json", bytes: "{}", flags: 1 }]));
      expect.unreachable();
    } catch (error) {
      expect((error as ZipArchiveError).metaMessages).toEqual(["Make the archive without a password: a verifier must read every credential."]);
    }
  });

  it("default: a real deflate stream of exactly the declared size is read (the bound is not off by one)", () => {
    const content = "q".repeat(4096);
    expect(deflateRawSync(content).length).toBeLessThan(100);
    expect(text(readZipArchive(zipArchive([{ name: "q.json", bytes: content }])).files[0]!.bytes)).toBe(content);
  });
});
