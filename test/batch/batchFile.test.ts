import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { rejectionOf } from "../helpers/rejectionOf.ts";
import { buildBatchFromRecipients } from "../../src/batch/buildBatchFromRecipients.ts";
import { readBatchFile, writeBatchFile } from "../../src/batch/batchFile.ts";
import { InvalidBatchFileError } from "../../src/errors/credentialErrors.ts";
import { SAMPLE_ANCHOR, sampleRecipients, sampleTemplate } from "../helpers/sampleCredentials.ts";

const anchor = SAMPLE_ANCHOR;

async function written() {
  const batch = await buildBatchFromRecipients(sampleTemplate(), sampleRecipients);
  const credentials = Array.from({ length: batch.leafCount }, (_, index) => batch.credential(index));
  const file = path.join(await mkdtemp(path.join(tmpdir(), "credreg-batch-")), "batch.jsonl");
  await writeBatchFile(file, batch, credentials, { anchor, createdAt: "2026-07-01T00:00:00Z" });
  return { batch, credentials, file };
}

async function expectBroken(file: string, line: number | undefined, problem: RegExp) {
  const error = await rejectionOf<InvalidBatchFileError>(readBatchFile(file));
  expect(error).toBeInstanceOf(InvalidBatchFileError);
  expect(error.line).toBe(line);
  expect(error.shortMessage).toMatch(problem);
}

describe("batch file (credreg-batch-v1)", () => {
  it("default: a header line and one line per credential; reading it back rebuilds the same batch", async () => {
    const { batch, credentials, file } = await written();
    const lines = (await readFile(file, "utf8")).trimEnd().split("\n");
    expect(lines).toHaveLength(batch.leafCount + 1);
    expect(JSON.parse(lines[0]!)).toEqual({ format: "credreg-batch-v1", root: batch.root, leafCount: batch.leafCount, createdAt: "2026-07-01T00:00:00Z", anchor });
    const loaded = await readBatchFile(file);
    expect(loaded.header.anchor).toEqual(anchor);
    expect(loaded.credentials).toEqual(credentials);
    expect(loaded.batch.root).toBe(batch.root);
    for (let index = 0; index < batch.leafCount; index += 1) {
      expect(loaded.batch.proof(index)).toEqual(batch.proof(index));
      expect(loaded.batch.salt(index)).toBe(batch.salt(index));
    }
  });

  it("behavior: stale temporary files of a crashed write beside the batch file are removed", async () => {
    const { batch, credentials, file } = await written();
    // 999999999 is above Linux's pid_max: no process by that id runs, so this is a crashed writer's leftover.
    await writeFile(`${file}.999999999.tmp`, "{half");
    await writeBatchFile(file, batch, credentials, { anchor, createdAt: "2026-07-01T00:00:00Z" });
    expect(await readdir(path.dirname(file))).toEqual(["batch.jsonl"]);
  });

  it("error: a changed credential, salt, hash, root or count is caught, with the line", async () => {
    const { file } = await written();
    const original = (await readFile(file, "utf8")).split("\n");
    const edit = async (line: number, change: (record: Record<string, any>) => void) => {
      const lines = [...original];
      const record = JSON.parse(lines[line - 1]!) as Record<string, any>;
      change(record);
      lines[line - 1] = JSON.stringify(record);
      await writeFile(file, lines.join("\n"));
    };
    await edit(3, (record) => (record.credential.name = "Forged"));
    await expectBroken(file, 3, /the credentialHash does not match the credential and its salt/);
    await edit(4, (record) => (record.salt = `0x${"00".repeat(32)}`));
    await expectBroken(file, 4, /the credentialHash does not match/);
    await edit(1, (record) => (record.root = `0x${"11".repeat(32)}`));
    await expectBroken(file, 1, /the credentials rebuild root 0x[0-9a-f]{64}, not the recorded 0x1111/);
    await edit(1, (record) => (record.leafCount = 99));
    await expectBroken(file, undefined, /it holds 6 credentials, its header says 99/);
    await edit(2, (record) => (record.index = 5));
    await expectBroken(file, 2, /index is 5, expected 0/);
    await edit(2, (record) => (record.credential.validFrom = "soon"));
    await expectBroken(file, 2, /a credential is not valid \(\$\[0\]\.validFrom: must be a date-time/);
    await edit(1, (record) => (record.format = "credreg-batch-v0"));
    await expectBroken(file, 1, /format is "credreg-batch-v0", expected "credreg-batch-v1"/);
    await writeFile(file, `${original[0]}\n{not json\n`);
    await expectBroken(file, 2, /the line is not a JSON object/);
    await writeFile(file, "");
    await expectBroken(file, undefined, /the file is empty/);
    await expectBroken(`${file}.missing`, undefined, /the file does not exist/);
  });
});
