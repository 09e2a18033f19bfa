import fc from "fast-check";
import { canonicalJson } from "../../src/credential/canonicalJson.ts";
import { JsonSyntaxProblem, parseJsonText } from "../../src/credential/parseJsonText.ts";

/** A credential file changed somehow: the text to verify, and what was done (for failure messages). */
export type Mutation = { readonly kind: string; readonly path: string; readonly text: string };

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Segment = string | number;

/** Every path in `value` (root included), containers and primitives alike. */
function pathsOf(value: Json, prefix: Segment[] = []): Segment[][] {
  const paths: Segment[][] = [prefix];
  if (Array.isArray(value)) value.forEach((item, index) => paths.push(...pathsOf(item, [...prefix, index])));
  else if (value !== null && typeof value === "object") for (const [key, member] of Object.entries(value)) paths.push(...pathsOf(member, [...prefix, key]));
  return paths;
}

const get = (value: Json, path: readonly Segment[]): Json => path.reduce<Json>((node, segment) => (node as Record<string | number, Json>)[segment]!, value);

/** A deep copy of `value` with the node at `path` replaced by `replace(old)` (undefined removes an object member). */
function update(value: Json, path: readonly Segment[], replace: (old: Json) => Json | undefined): Json {
  if (path.length === 0) return replace(value) ?? null;
  const [head, ...rest] = path;
  if (Array.isArray(value)) return value.map((item, index) => (index === head ? update(item, rest, replace) : item));
  const copy: Record<string, Json> = {};
  for (const [key, member] of Object.entries(value as Record<string, Json>)) {
    if (key !== head) copy[key] = member;
    else if (rest.length > 0) copy[key] = update(member, rest, replace);
    else {
      const replaced = replace(member);
      if (replaced !== undefined) copy[key] = replaced;
    }
  }
  return copy;
}

const pathText = (path: readonly Segment[]) => `$${path.map((segment) => (typeof segment === "number" ? `[${segment}]` : `.${segment}`)).join("")}`;

/** Look-alike and invisible variants of a string: what a forger would try on a name or an id. */
function stringVariants(text: string): string[] {
  return [
    `${text} `,
    text.toUpperCase(),
    text.toLowerCase(),
    text.normalize("NFD"),
    text.normalize("NFC"),
    text.replace(/a/, "\u0430"), // Cyrillic а
    text.replace(/o/, "\u03bf"), // Greek ο
    `${text.slice(0, 1)}\u200b${text.slice(1)}`, // zero-width space
    `${text}\u001b[8m`,
    `\u202e${text}`,
    `${text}\u0000`,
    text.replace(/0x([0-9a-fA-F]+)/, (_match, hex: string) => `0x${hex.toUpperCase()}`),
    text.slice(1),
    "",
    "Doctor of Medicine",
    "Mallory Forger",
  ];
}

const numberVariants = (value: number) => [value + 1, value - 1, -value, value * 10, 0, value + 0.5, 1e21];

/** A value to add or substitute, of any JSON type. */
const anyValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(null, true, false, 0, 1, -1, 1.5, "", "x", "Doctor of Medicine", [], {}, ["VerifiableCredential"], { type: "Evidence" }),
  fc.string({ maxLength: 8 }),
  fc.integer(),
);

/** Value-level mutations at a random path: replace, add a member, remove a member, reorder or resize an array. */
function valueMutation(base: Json): fc.Arbitrary<Mutation> {
  const paths = pathsOf(base);
  return fc.constantFrom(...paths).chain((path) => {
    const node = get(base, path);
    const options: fc.Arbitrary<{ kind: string; value: Json }>[] = [];
    const at = (kind: string, replace: (old: Json) => Json | undefined) => ({ kind, value: update(base, path, replace) });
    if (typeof node === "string") options.push(fc.constantFrom(...stringVariants(node)).map((variant) => at("string variant", () => variant)));
    if (typeof node === "number") options.push(fc.constantFrom(...numberVariants(node)).map((variant) => at("number change", () => variant)));
    if (typeof node === "boolean") options.push(fc.constant(at("boolean flip", () => !node)));
    if (node !== null && typeof node !== "object") options.push(anyValue.map((value) => at("type change", () => value)));
    if (node !== null && typeof node === "object" && !Array.isArray(node)) {
      options.push(
        fc.tuple(fc.constantFrom("description", "name", "id", "type", "extra", "proof", "@context", "credentialStatus", "validUntil"), anyValue).map(([key, value]) =>
          at(`member added: ${key}`, (old) => ({ ...(old as Record<string, Json>), [key]: value })),
        ),
      );
      const keys = Object.keys(node);
      if (keys.length > 0) options.push(fc.constantFrom(...keys).map((key) => ({ kind: `member removed: ${key}`, value: update(base, [...path, key], () => undefined) })));
    }
    if (Array.isArray(node)) {
      options.push(anyValue.map((value) => at("array element appended", (old) => [...(old as Json[]), value])));
      if (node.length > 0) {
        options.push(fc.nat(node.length - 1).map((index) => at("array element removed", (old) => (old as Json[]).filter((_, position) => position !== index))));
        options.push(fc.nat(node.length - 1).map((index) => at("array element duplicated", (old) => [...(old as Json[]), (old as Json[])[index]!])));
      }
      if (node.length > 1) {
        options.push(
          fc.tuple(fc.nat(node.length - 1), fc.nat(node.length - 1)).map(([first, second]) =>
            at("array elements swapped", (old) => {
              const copy = [...(old as Json[])];
              [copy[first], copy[second]] = [copy[second]!, copy[first]!];
              return copy;
            }),
          ),
        );
      }
    }
    if (options.length === 0) options.push(anyValue.map((value) => at("null replaced", () => value)));
    return fc.oneof(...options).chain(({ kind, value }) => fc.boolean().map((pretty) => ({ kind, path: pathText(path), text: JSON.stringify(value, null, pretty ? 2 : undefined) })));
  });
}

/** Member lines of the pretty-printed text (`  "key": value,`), where a duplicate can be inserted. */
const MEMBER_LINE = /^(\s*)("(?:[^"\\]|\\.)*"): (.*?)(,?)$/;

/** Text-level forgeries JSON.parse cannot see: duplicate member names, lone surrogate escapes. */
function textMutation(base: Json): fc.Arbitrary<Mutation> {
  const lines = JSON.stringify(base, null, 2).split("\n");
  const members = lines.map((line, index) => ({ index, match: MEMBER_LINE.exec(line) })).filter((entry) => entry.match !== null);
  const strings = lines.map((line, index) => ({ index, match: /: "([^"\\]+)"/.exec(line) })).filter((entry) => entry.match !== null);
  const duplicate = fc.tuple(fc.constantFrom(...members), fc.constantFrom('"Doctor of Medicine"', "0", "null", "[]", "{}", "true"), fc.boolean()).map(([{ index, match }, value, before]) => {
    const [, indent, key] = match!;
    const copy = [...lines];
    const extra = `${indent}${key}: ${value},`;
    // Before the member: the forged value is the first a reader sees. After it: the last, which JSON.parse keeps.
    if (before) copy.splice(index, 0, extra);
    else copy.splice(index, 1, `${lines[index]!.replace(/,?$/, ",")}`, `${indent}${key}: ${value}${match![4]}`);
    return { kind: `duplicate member ${before ? "before" : "after"}`, path: key!, text: copy.join("\n") };
  });
  const surrogate = fc.tuple(fc.constantFrom(...strings), fc.constantFrom("\\ud800", "\\udfff", "\\ud83d")).map(([{ index, match }, escape]) => {
    const copy = [...lines];
    copy[index] = lines[index]!.replace(`"${match![1]}"`, `"${match![1]}${escape}"`);
    return { kind: `lone surrogate ${escape}`, path: match![1]!, text: copy.join("\n") };
  });
  return fc.oneof(duplicate, surrogate);
}

/** Edits that keep the canonical form (key order, whitespace, number spelling, escape spelling): must stay valid. */
function canonicalMutation(base: Json): fc.Arbitrary<Mutation> {
  const reorder = (value: Json, seed: number): Json => {
    if (Array.isArray(value)) return value.map((item) => reorder(item, seed));
    if (value === null || typeof value !== "object") return value;
    const entries = Object.entries(value).map(([key, member]) => [key, reorder(member, seed)] as const);
    entries.sort((a, b) => ((a[0].length * 31 + seed) % 7) - ((b[0].length * 31 + seed) % 7) || (seed % 2 === 0 ? a[0].localeCompare(b[0]) : b[0].localeCompare(a[0])));
    return Object.fromEntries(entries);
  };
  const pretty = JSON.stringify(base, null, 2);
  return fc.oneof(
    fc.nat(1000).map((seed) => ({ kind: "keys reordered", path: "$", text: JSON.stringify(reorder(base, seed), null, seed % 3) })),
    fc.constantFrom("\t", "    ", "\r\n", " ").map((space) => ({ kind: "whitespace", path: "$", text: pretty.replaceAll("\n", `${space}\n`).replaceAll(": ", `:${space}`) })),
    fc.constantFrom("$1.0", "$1e0", "$1.00E0", "$10e-1").map((spelling) => ({ kind: `number spelling ${spelling}`, path: "$", text: pretty.replace(/(?<=: )(-?\d+)(?=,?\n)/g, spelling) })),
    fc.constant({ kind: "escape spelling", path: "$", text: pretty.replace(/(?<=: ")([A-Za-z])/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`).replaceAll("/", "\\/") }),
  );
}

/** Any change to a genuine credential's text: forgeries of every kind, and canonical no-ops. */
export function credentialMutation(baseText: string): fc.Arbitrary<Mutation> {
  const base = JSON.parse(baseText) as Json;
  return fc.oneof({ weight: 6, arbitrary: valueMutation(base) }, { weight: 2, arbitrary: textMutation(base) }, { weight: 1, arbitrary: canonicalMutation(base) });
}

/**
 * Whether `text` may verify: only when it is strict I-JSON and its canonical form (RFC 8785, proof included) is
 * exactly the genuine file's. Everything else must never be valid.
 */
export function mayStayValid(baseText: string, text: string): boolean {
  const parsed = parseJsonText(text);
  if (parsed instanceof JsonSyntaxProblem || parsed.problems.length > 0) return false;
  try {
    return canonicalJson(parsed.value) === canonicalJson(JSON.parse(baseText));
  } catch {
    return false;
  }
}
