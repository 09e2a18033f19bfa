import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatJsonPath } from "../../src/credential/formatJsonPath.ts";
import { iJsonProblems, JsonSyntaxProblem, ParsedJson, parseJsonText, parsedValue } from "../../src/credential/parseJsonText.ts";

const problemsOf = (text: string | Uint8Array) => {
  const parsed = parseJsonText(text);
  if (parsed instanceof JsonSyntaxProblem) throw new Error(`syntax: ${parsed.message}`);
  return parsed.problems;
};

describe("parseJsonText", () => {
  it("default: strict I-JSON has no problems and the value JSON.parse gives", () => {
    const text = '{"a":[1,2,{"b":"c\\u00e9"}],"d":{"e":null,"f":true}, "g": -0.5e3}';
    const parsed = parseJsonText(text) as ParsedJson;
    expect(parsed.problems).toEqual([]);
    expect(parsed.value).toEqual(JSON.parse(text));
  });

  it("behavior: duplicate member names are found at any depth, also when spelled with escapes", () => {
    expect(problemsOf('{"a":1,"a":2}')).toEqual([{ path: "$.a", message: 'the member name "a" appears twice in one object (I-JSON, RFC 7493): readers disagree on which value counts' }]);
    expect(problemsOf('{"x":[{"k":1},{"k":1,"\\u006b":2}]}').map((problem) => problem.path)).toEqual(["$.x[1].k"]);
    expect(problemsOf('{"s":"\\"a\\",\\"a\\":","a":1,"n":{"a":1}}')).toEqual([]); // quotes inside strings are not names
    expect(problemsOf('{"a b":1,"a b":2}').map((problem) => problem.path)).toEqual(['$["a b"]']);
    // Whitespace (all four JSON kinds) between a name and its colon; names JSON.parse treats specially.
    expect(problemsOf('{ "a" : 1 ,\n\t"a"\r\n :2, "b" : "x:" }').map((problem) => problem.path)).toEqual(["$.a"]);
    expect(problemsOf('{"__proto__":{"a":1},"__proto__":2}').map((problem) => problem.path)).toEqual(["$.__proto__"]);
    expect(problemsOf('{"k":"\\\\","k":"\\\\\\"","z":["a:", "b" ]}').map((problem) => problem.path)).toEqual(["$.k"]);
  });

  it("behavior: lone surrogates (escaped) in strings and names, unsafe integers and overflow are problems with their paths", () => {
    expect(problemsOf('{"n":"x\\ud800y"}')).toEqual([{ path: "$.n", message: "not I-JSON: the string has a lone surrogate (half of a UTF-16 pair)" }]);
    expect(problemsOf('{"n":"\\udc00"}').map((problem) => problem.path)).toEqual(["$.n"]);
    expect(problemsOf('{"ok":"\\ud83d\\ude00"}')).toEqual([]); // a proper pair
    expect(problemsOf('{"\\ud800":1}').map((problem) => problem.message)).toEqual(["not I-JSON: the member name has a lone surrogate"]);
    expect(problemsOf('{"i":9007199254740993,"f":1e400,"s":9007199254740991}').map((problem) => problem.path)).toEqual(["$.i", "$.f"]);
  });

  it("behavior: bytes must be UTF-8; a byte-order mark is ignored; syntax errors are JsonSyntaxProblem", () => {
    expect(parseJsonText(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]))).toEqual(new JsonSyntaxProblem("the file is not UTF-8 text"));
    expect((parseJsonText(Buffer.from('\ufeff{"a":1}', "utf8")) as ParsedJson).value).toEqual({ a: 1 });
    expect(parseJsonText("{ nope")).toBeInstanceOf(JsonSyntaxProblem);
    expect(parseJsonText("")).toBeInstanceOf(JsonSyntaxProblem);
  });

  it("behavior: member() re-roots a part of the document with exactly its own problems", () => {
    const parsed = parseJsonText('{"credentials":[{"a":1},{"a":1,"a":2},{"b":"\\ud800"}],"x":1,"x":2}') as ParsedJson;
    expect(parsed.problems.map((problem) => problem.path)).toEqual(["$.credentials[1].a", "$.x", "$.credentials[2].b"]);
    expect(parsed.member("credentials", 0).problems).toEqual([]);
    expect(parsed.member("credentials", 1).problems.map((problem) => problem.path)).toEqual(["$.a"]);
    expect(parsed.member("credentials", 1).value).toEqual({ a: 2 });
    expect(parsed.member("credentials", 2).problems.map((problem) => problem.path)).toEqual(["$.b"]);
  });

  it("behavior: nesting deeper than 256 is a problem, never a crash", () => {
    const deep = `${"[".repeat(10_000)}${"]".repeat(10_000)}`;
    const parsed = parseJsonText(deep);
    expect(parsed instanceof ParsedJson && parsed.problems.some((problem) => problem.message === "not I-JSON: nesting deeper than 256")).toBe(true);
  });

  it("behavior (property): for any JSON value, no problem unless it has duplicate names, lone surrogates or unsafe numbers", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        for (const text of [JSON.stringify(value), JSON.stringify(value, null, 2)]) {
          const parsed = parseJsonText(text) as ParsedJson;
          expect(parsed.problems).toEqual(iJsonProblems(JSON.parse(text)));
          expect(parsedValue(JSON.parse(text)).problems).toEqual(parsed.problems);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("behavior (property): duplicating any member of any object is found", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1 }), fc.jsonValue(), { minKeys: 1 }), fc.nat(), (object, pick) => {
        const keys = Object.keys(object);
        const key = keys[pick % keys.length]!;
        for (const text of [`{${JSON.stringify(key)}:0,${JSON.stringify(object).slice(1)}`, `{\n  ${JSON.stringify(key)} : 0,\n${JSON.stringify(object, null, 2).slice(1)}`]) {
          const parsed = parseJsonText(text);
          expect(parsed instanceof ParsedJson && parsed.problems.some((problem) => problem.path === formatJsonPath([key]) && problem.message.includes("appears twice"))).toBe(true);
        }
      }),
    );
  });
});
