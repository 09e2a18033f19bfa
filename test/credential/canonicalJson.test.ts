import canonicalize from "canonicalize";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assertCanonicalizable, canonicalJson, SharedCanonicalForms } from "../../src/credential/canonicalJson.ts";
import { NonCanonicalJsonError } from "../../src/errors/credentialErrors.ts";

/** JSON values without the integers beyond ±(2^53 − 1) that I-JSON excludes. */
const iJsonValue = fc.jsonValue().filter((value) => {
  try {
    assertCanonicalizable(value);
    return true;
  } catch {
    return false;
  }
});

describe("canonicalJson", () => {
  it("default: RFC 8785 — sorted keys (UTF-16 code units), no whitespace, ES number form, minimal escapes", () => {
    // RFC 8785 §3.2.2 / Appendix: numbers and strings
    // (the RFC's 1E30 is left out: an integer beyond ±(2^53 − 1) is not I-JSON and is rejected, see below)
    expect(canonicalJson({ numbers: [333333333.33333329, 4.5, 2e-3, 0.000000000000000000000000001, -0, 1e-7] })).toBe(
      '{"numbers":[333333333.3333333,4.5,0.002,1e-27,0,1e-7]}',
    );
    expect(canonicalJson({ string: "€$\u000f\nA'B\"\\\\\"/" })).toBe('{"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}');
    // RFC 8785 §3.2.3: sorting by UTF-16 code units
    expect(canonicalJson({ "\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew Letter Dalet With Dagesh", "1": "One", "\ud83d\ude00": "Emoji: Grinning Face", "\u0080": "Control", "\u00f6": "Latin Small Letter O With Diaeresis" })).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","ö":"Latin Small Letter O With Diaeresis","€":"Euro Sign","😀":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
    expect(canonicalJson({ b: [3, { d: true, c: null }], a: "x" })).toBe('{"a":"x","b":[3,{"c":null,"d":true}]}');
  });

  it("behavior (property): the same text as the canonicalize package, also for integer-like and prototype member names", () => {
    // Documents as JSON text, parsed (JSON.parse makes "__proto__" an own member, as a credential file would).
    const name = fc.oneof(fc.string(), fc.constantFrom("__proto__", "constructor", "toString", "toJSON", "valueOf", "0", "1", "9", "10", "01", "-1", "1e3", "4294967295", ""));
    const { text } = fc.letrec<{ text: string }>((tie) => ({
      text: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        fc.oneof(fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.boolean(), fc.constant(null)).map((value) => JSON.stringify(value)),
        fc.array(tie("text")).map((items) => `[${items.join(",")}]`),
        fc.uniqueArray(fc.tuple(name, tie("text")), { selector: ([key]) => key, maxLength: 6 }).map((entries) => `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(",")}}`),
      ),
    }));
    let withProto = 0;
    fc.assert(
      fc.property(text, (json) => {
        const value = JSON.parse(json) as unknown;
        fc.pre((() => { try { assertCanonicalizable(value); return true; } catch { return false; } })());
        if (json.includes('"__proto__":')) withProto += 1;
        expect(canonicalJson(value)).toBe(canonicalize(value));
      }),
      { numRuns: 1000 },
    );
    expect(withProto).toBeGreaterThan(20);
  });

  it("behavior: key order and whitespace of the source text never matter", () => {
    fc.assert(
      fc.property(iJsonValue, (value) => {
        const reordered = JSON.parse(JSON.stringify(shuffleKeys(value), null, 3)) as unknown;
        expect(canonicalJson(reordered)).toBe(canonicalJson(value));
      }),
      { numRuns: 300 },
    );
  });

  it("behavior: spliced shared sub-documents give exactly the plain canonical form", () => {
    let spliced = 0;
    fc.assert(
      fc.property(sharedDocument, ({ shared, document }) => {
        const forms = new SharedCanonicalForms();
        for (const value of shared) forms.share(value);
        const plain = canonicalJson(document);
        expect(canonicalJson(document, forms)).toBe(plain);
        // Where every shared object met stands once, the result must come from the cached forms (the splice path):
        // a shared object changed after share() (which the API forbids) still shows its form as registered.
        const counts = sharedOccurrences(document, new Set(shared));
        if (counts.size === 0 || [...counts.values()].some((count) => count > 1)) return;
        spliced += 1;
        for (const value of shared) mutate(value);
        expect(canonicalJson(document, forms)).toBe(plain);
        expect(canonicalJson(document)).not.toBe(plain);
      }),
      { numRuns: 300 },
    );
    // The generator does reach the splice path (about half the runs), not only the plain one.
    expect(spliced).toBeGreaterThan(75);
  });

  it("error: values RFC 8785 / I-JSON cannot represent, named by JSON path", () => {
    const cases: [unknown, string][] = [
      [{ a: [1, Number.NaN] }, "$.a[1] cannot be canonicalized (RFC 8785): NaN is not a JSON number."],
      [{ a: Number.POSITIVE_INFINITY }, "$.a cannot be canonicalized (RFC 8785): Infinity is not a JSON number."],
      [{ big: 2 ** 53 }, "$.big cannot be canonicalized (RFC 8785): 9007199254740992 is an integer beyond ±(2^53 − 1), not I-JSON."],
      [{ s: "ok\ud800" }, "$.s cannot be canonicalized (RFC 8785): the string has a lone surrogate."],
      [{ ["k\udc00"]: 1 }, '$["k\\udc00"] cannot be canonicalized (RFC 8785): the key has a lone surrogate.'],
      [{ when: new Date(0) }, "$.when cannot be canonicalized (RFC 8785): a Date object is not JSON."],
      [{ u: undefined }, "$.u cannot be canonicalized (RFC 8785): undefined is not a JSON value."],
      [{ n: 1n }, "$.n cannot be canonicalized (RFC 8785): bigint is not a JSON value."],
      [{ "@context": [() => 1] }, '$["@context"][0] cannot be canonicalized (RFC 8785): function is not a JSON value.'],
    ];
    for (const [value, message] of cases) {
      expect(() => canonicalJson(value)).toThrowError(new NonCanonicalJsonError("", "").constructor as typeof NonCanonicalJsonError);
      const error = (() => {
        try {
          assertCanonicalizable(value);
        } catch (caught) {
          return caught as NonCanonicalJsonError;
        }
        throw new Error("no error");
      })();
      expect(error.shortMessage).toBe(message);
    }
    let deep: unknown = 1;
    for (let level = 0; level < 70; level += 1) deep = [deep];
    expect(() => canonicalJson(deep)).toThrowError(/nesting deeper than 64/);
  });
});

function shuffleKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shuffleKeys);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([key, member]) => [key, shuffleKeys(member)]),
    );
  }
  return value;
}

/** Stands for shared object number `index` (modulo how many there are) in a generated template. */
class SharedRef {
  readonly index: number;
  constructor(index: number) {
    this.index = index;
  }
}

/** JSON leaves and small JSON values (no integers beyond ±(2^53 − 1)), kept shallow: nesting stays under 64. */
const smallJson = fc.jsonValue({ maxDepth: 2 }).filter((value) => {
  try {
    assertCanonicalizable(value);
    return true;
  } catch {
    return false;
  }
});

/** Trees of JSON values and references to shared objects, at any depth, in arrays and objects, possibly repeated. */
const { tree: template, container } = fc.letrec<{ tree: unknown; container: unknown }>((tie) => ({
  tree: fc.oneof({ depthSize: "small", maxDepth: 4 }, smallJson, fc.nat(7).map((index) => new SharedRef(index)), tie("container")),
  container: fc.oneof(fc.array(tie("tree"), { maxLength: 4 }), fc.dictionary(fc.string(), tie("tree"), { maxKeys: 4 })),
}));

function materialize(value: unknown, shared: readonly object[]): unknown {
  if (value instanceof SharedRef) return shared.length === 0 ? null : shared[value.index % shared.length];
  if (Array.isArray(value)) return value.map((member) => materialize(member, shared));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, member]) => [key, materialize(member, shared)]));
  }
  return value;
}

/**
 * 1 to 4 shared objects (arrays or plain objects; each may contain earlier ones by reference) and a document that
 * contains them by reference, anywhere (top level included), once or repeatedly.
 */
const sharedDocument = fc
  .record({ sharedTemplates: fc.array(container, { minLength: 1, maxLength: 4 }), documentTemplate: template })
  .map(({ sharedTemplates, documentTemplate }) => {
    const shared: object[] = [];
    for (const sharedTemplate of sharedTemplates) shared.push(materialize(sharedTemplate, shared) as object);
    return { shared, document: materialize(documentTemplate, shared) };
  });

/** How many times each shared object is met walking `value` (not descending into a shared object). */
function sharedOccurrences(value: unknown, shared: ReadonlySet<object>, counts = new Map<object, number>()): Map<object, number> {
  if (value === null || typeof value !== "object") return counts;
  if (shared.has(value)) return counts.set(value, (counts.get(value) ?? 0) + 1);
  for (const member of Array.isArray(value) ? value : Object.values(value)) sharedOccurrences(member, shared, counts);
  return counts;
}

function mutate(value: object): void {
  if (Array.isArray(value)) value.push("changed after share()");
  else (value as Record<string, unknown>)["changed after share()"] = true;
}
