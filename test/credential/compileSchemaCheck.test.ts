import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { compileSchemaCheck } from "../../src/credential/compileSchemaCheck.ts";
import { credentialSchema, unsignedCredentialSchema } from "../../src/credential/credentialSchema.ts";
import { credentialMutation } from "../helpers/credentialMutations.ts";

// The fast yes/no form of a schema must agree with zod: a value it accepts that zod refuses would let a malformed
// credential through the format step (zod only runs when the fast form says no).

const CORPUS = path.resolve(import.meta.dirname, "../fixtures/forged");
const corpus = readdirSync(CORPUS)
  .filter((name) => name.endsWith(".json") && name !== "expected.json")
  .sort()
  .flatMap((name) => {
    try {
      return [{ name, value: JSON.parse(readFileSync(path.join(CORPUS, name), "utf8")) as unknown }];
    } catch {
      return [];
    }
  });
/** zod's verdict; a refinement that throws counts as a refusal (the verifier reports it as a format problem). */
function passes(schema: z.ZodType, value: unknown): boolean {
  try {
    return schema.safeParse(value).success;
  } catch {
    return false;
  }
}

const genuine = corpus.filter(({ value }) => credentialSchema.safeParse(value).success);

describe("compileSchemaCheck", () => {
  it("default: the credential schema compiles, and agrees with zod on every file of the forged corpus", () => {
    const fast = compileSchemaCheck(credentialSchema)!;
    expect(fast).toBeTypeOf("function");
    expect(genuine.length).toBeGreaterThan(5);
    expect(corpus.length - genuine.length).toBeGreaterThan(5);
    for (const { name, value } of corpus) expect(fast(value), name).toBe(credentialSchema.safeParse(value).success);
  });

  it("behavior: agrees with zod on 4,000 mutations of genuine credentials (members added, removed, retyped, strings and numbers changed)", () => {
    const fast = compileSchemaCheck(credentialSchema)!;
    const unsigned = compileSchemaCheck(unsignedCredentialSchema)!;
    let refused = 0;
    for (const { value } of genuine.slice(0, 4)) {
      fc.assert(
        fc.property(credentialMutation(JSON.stringify(value)), (mutation) => {
          let mutated: Record<string, unknown>;
          try {
            mutated = JSON.parse(mutation.text) as Record<string, unknown>;
          } catch {
            return; // a text edit that is not JSON: the parser refuses it before any schema runs
          }
          const zod = passes(credentialSchema, mutated);
          if (!zod) refused += 1;
          expect(fast(mutated), `${mutation.kind} at ${mutation.path}`).toBe(zod);
          const { proof: _proof, ...content } = mutated;
          expect(unsigned(content), `unsigned: ${mutation.kind} at ${mutation.path}`).toBe(passes(unsignedCredentialSchema, content));
        }),
        { numRuns: 1_000, seed: 20261122 },
      );
    }
    // The mutations mostly break the format: the agreement was tested on refusals, not only on valid values.
    expect(refused).toBeGreaterThan(1_500);
  });

  it("behavior: each construct as zod has it: strict members, optional members, tuples' length, discriminated unions, refinements, string formats", () => {
    const schema = z.strictObject({
      name: z.string().max(3).refine((value) => value.trim() === value, "trimmed"),
      when: z.iso.datetime({ offset: true }).optional(),
      pair: z.tuple([z.literal("a"), z.number().int()]),
      kind: z.discriminatedUnion("type", [z.strictObject({ type: z.literal("x"), x: z.boolean() }), z.strictObject({ type: z.literal("y"), y: z.enum(["p", "q"]) })]),
      list: z.array(z.number().positive()).min(1),
      // A global pattern keeps its lastIndex between tests unless reset: the second "abc" below must still pass.
      code: z.string().regex(/^[a-z]+$/g).optional(),
    });
    const fast = compileSchemaCheck(schema)!;
    const good = { name: "abc", pair: ["a", 2], kind: { type: "x", x: true }, list: [1] };
    const cases: unknown[] = [
      good,
      { ...good, when: "2026-01-01T00:00:00Z" },
      { ...good, when: "2026-02-30T00:00:00Z" },
      { ...good, when: "2026-01-01" },
      { ...good, extra: 1 },
      { ...good, name: "abcd" },
      { ...good, name: " ab" },
      // zod counts a maximum length in code points: four UTF-16 units, three code points, passes; four do not.
      { ...good, name: "a\u{1F600}b" },
      { ...good, name: "\u{1F600}\u{1F600}\u{1F600}\u{1F600}" },
      { ...good, code: "abc" },
      { ...good, code: "abc" },
      { ...good, code: "ab1" },
      { ...good, pair: ["a", 2, 3] },
      { ...good, pair: ["a"] },
      { ...good, pair: ["a", 2.5] },
      { ...good, pair: ["a", Number.MAX_SAFE_INTEGER + 2] },
      { ...good, kind: { type: "y", y: "q" } },
      { ...good, kind: { type: "y", x: true } },
      { ...good, kind: { type: "z" } },
      { ...good, kind: ["x"] },
      { ...good, list: [] },
      { ...good, list: [0] },
      { ...good, list: [Infinity] },
      { ...good, list: [Number.NaN] },
      { name: "abc", pair: ["a", 2], kind: { type: "x", x: true } },
      Object.assign(Object.create({ inherited: 1 }), good),
      null,
      [good],
      "abc",
    ];
    const verdicts = cases.map((value) => [fast(value), schema.safeParse(value).success]);
    for (const [index, [mine, zods]] of verdicts.entries()) expect(mine, `case ${index}`).toBe(zods);
    expect(verdicts.filter(([, zods]) => zods).length).toBe(6);
  });

  it("behavior: a schema with a construct it does not know is not compiled (zod alone decides)", () => {
    expect(compileSchemaCheck(z.object({ a: z.string() }))).toBeUndefined();
    expect(compileSchemaCheck(z.strictObject({ a: z.string().transform((value) => value.length) }))).toBeUndefined();
    expect(compileSchemaCheck(z.strictObject({ a: z.union([z.string(), z.number()]) }))).toBeUndefined();
    expect(compileSchemaCheck(z.strictObject({ a: z.string().default("x") }))).toBeUndefined();
    expect(compileSchemaCheck(z.strictObject({ a: z.coerce.number() }))).toBeUndefined();
    expect(compileSchemaCheck(z.strictObject({ a: z.string().nullable() }))).toBeUndefined();
  });
});
