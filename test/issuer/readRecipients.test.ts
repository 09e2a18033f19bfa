import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/errors/issuerErrors.ts";
import { readRecipients } from "../../src/issuer/readRecipients.ts";
import { rejectionOf } from "../helpers/rejectionOf.ts";

const file = async (name: string, content: string | Buffer) => {
  const dir = await mkdtemp(path.join(tmpdir(), "credreg-recipients-"));
  await writeFile(path.join(dir, name), content);
  return path.join(dir, name);
};

describe("readRecipients: the issuer never issues what a verifier would refuse", () => {
  it("default: a strict JSON file and a UTF-8 CSV are read", async () => {
    expect((await readRecipients(await file("r.json", '[{"name":"Zoë","email":"zoe@example.org"}]'))).valid).toHaveLength(1);
    expect((await readRecipients(await file("r.csv", "name,email\nZoë,zoe@example.org\n"))).valid).toHaveLength(1);
  });

  it("error: a JSON file with a duplicate member name or a lone surrogate is refused whole, naming each problem", async () => {
    const duplicate = await rejectionOf(readRecipients(await file("r.json", '[{"name":"Ada","email":"ada@example.org"},{"name":"Alan","name":"Mallory"}]')));
    expect(duplicate).toBeInstanceOf(InvalidInputError);
    expect((duplicate as InvalidInputError).shortMessage).toMatch(/^The recipients file .*r\.json is not I-JSON \(RFC 7493\): 1 problem\.$/);
    expect((duplicate as InvalidInputError).metaMessages![0]).toBe('$[1].name: the member name "name" appears twice in one object (I-JSON, RFC 7493): readers disagree on which value counts');
    const surrogate = await rejectionOf(readRecipients(await file("r.json", '[{"name":"Ada \\udfff"}]')));
    expect((surrogate as InvalidInputError).metaMessages![0]).toBe("$[0].name: not I-JSON: the string has a lone surrogate (half of a UTF-16 pair)");
  });

  it("error: a CSV that is not UTF-8 is refused with the line of the first bad bytes, never read with replacement characters", async () => {
    const latin1 = Buffer.concat([Buffer.from("name,email\nAda,ada@example.org\nJos"), Buffer.from([0xe9]), Buffer.from(",jose@example.org\n")]);
    const error = await rejectionOf(readRecipients(await file("r.csv", latin1)));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).shortMessage).toMatch(/^The recipients file .*r\.csv is not UTF-8 text \(invalid bytes at line 3\)\.$/);
  });
});
