import type { Problem } from "../errors/credentialErrors.ts";
import { formatJsonPath } from "./formatJsonPath.ts";

/** A problem with the segments of its path, so that it can be re-rooted under a member. */
type LocatedProblem = Problem & { readonly segments: readonly (string | number)[] };

/**
 * A JSON document read strictly: the value `JSON.parse` gives, and every way the text breaks I-JSON (RFC 7493) that
 * `JSON.parse` hides: duplicate member names (every parser here keeps the last value, a person or another parser may
 * read the first), strings or names with lone surrogates, numbers that do not survive parsing (integers beyond
 * ±(2^53 − 1), overflow to Infinity). A document with problems must never be trusted: credentials with any are
 * format failures.
 */
export class ParsedJson {
  readonly value: unknown;
  readonly #problems: readonly LocatedProblem[];

  constructor(value: unknown, problems: readonly LocatedProblem[]) {
    this.value = value;
    this.#problems = problems;
  }

  /** Every problem, with its JSON path (`$.a.b[2]`). Empty when the document is strict I-JSON. */
  get problems(): readonly Problem[] {
    return this.#problems.map(({ path, message }) => ({ path, message }));
  }

  /** The part of the document under `segments` (e.g. `"credentials", 3`), its problems re-rooted at `$`. */
  member(...segments: readonly (string | number)[]): ParsedJson {
    let value = this.value;
    for (const segment of segments) value = value === null || typeof value !== "object" ? undefined : (value as Record<string | number, unknown>)[segment];
    const inside = this.#problems
      .filter((problem) => segments.every((segment, index) => problem.segments[index] === segment))
      .map((problem) => {
        const rest = problem.segments.slice(segments.length);
        return { segments: rest, path: formatJsonPath(rest), message: problem.message };
      });
    return new ParsedJson(value, inside);
  }
}

/** Text that is not JSON at all (a syntax error), with a sentence saying where. */
export class JsonSyntaxProblem {
  readonly message: string;
  constructor(message: string) {
    this.message = message;
  }
}

/** Deeper documents are refused (credentials nest about 6 deep; the canonical form allows 64). */
const MAX_DEPTH = 256;

const BACKSLASH = 0x5c;

/** The end (index of the closing quote) of the string literal that opens at `start`, in text known to be JSON. */
function stringEnd(text: string, start: number): number {
  let at = start + 1;
  for (;;) {
    const quote = text.indexOf('"', at);
    let backslashes = 0;
    for (let back = quote - 1; text.charCodeAt(back) === BACKSLASH; back -= 1) backslashes += 1;
    if (backslashes % 2 === 0) return quote;
    at = quote + 1;
  }
}

/**
 * How many members JSON `text` (already known to parse) writes: string literals followed by a colon. When the parsed
 * value holds fewer, some object wrote a name twice (the parser kept one value): only then is the text scanned for
 * where ({@link duplicateNames}).
 */
function memberCount(text: string): number {
  let count = 0;
  for (let at = text.indexOf('"'); at !== -1; ) {
    let next = stringEnd(text, at) + 1;
    let code = text.charCodeAt(next);
    while (code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09) {
      next += 1;
      code = text.charCodeAt(next);
    }
    if (code === 0x3a /* : */) count += 1;
    at = text.indexOf('"', next);
  }
  return count;
}

type Frame = { readonly object: true; readonly names: Set<string>; name: string | undefined; expectName: boolean } | { readonly object: false; index: number };

/**
 * The tokens of JSON text that matter for member names: string literals (escapes included) and the structural
 * characters. Whitespace, numbers and literals between them are skipped by the regular expression engine.
 */
const TOKENS = /"[^"\\]*(?:\\.[^"\\]*)*"|[{}[\],]/g;

/** Duplicate member names of JSON `text` (already known to parse), each with the path of the repeated member. */
function duplicateNames(text: string): LocatedProblem[] {
  const problems: LocatedProblem[] = [];
  const stack: Frame[] = [];
  const segmentsOf = (last: string) => [...stack.slice(0, -1).map((frame) => (frame.object ? frame.name! : frame.index)), last];
  TOKENS.lastIndex = 0;
  for (let match = TOKENS.exec(text); match !== null; match = TOKENS.exec(text)) {
    const token = match[0];
    const top = stack[stack.length - 1];
    if (token.length > 1 || token === '"') {
      // A string literal: a member name when an object expects one (a string value otherwise).
      if (top?.object && top.expectName) {
        const name = token.includes("\\") ? (JSON.parse(token) as string) : token.slice(1, -1);
        if (top.names.has(name)) {
          const segments = segmentsOf(name);
          problems.push({ segments, path: formatJsonPath(segments), message: `the member name "${name}" appears twice in one object (I-JSON, RFC 7493): readers disagree on which value counts` });
        }
        top.names.add(name);
        top.name = name;
        top.expectName = false;
      }
    } else if (token === "{") stack.push({ object: true, names: new Set(), name: undefined, expectName: true });
    else if (token === "[") stack.push({ object: false, index: 0 });
    else if (token === "}" || token === "]") stack.pop();
    else if (top !== undefined) {
      // ","
      if (top.object) top.expectName = true;
      else top.index += 1;
    }
  }
  return problems;
}

/**
 * What is not I-JSON in an already parsed value: strings or member names with lone surrogates, integers beyond
 * ±(2^53 − 1), overflowed numbers, nesting deeper than 256. (Duplicate names are gone once parsed: read text with
 * {@link parseJsonText} to see them.)
 */
export function iJsonProblems(value: unknown): readonly Problem[] {
  return valueProblems(value).problems.map(({ path, message }) => ({ path, message }));
}

/** Why one value (not its members) is not I-JSON, if it is not. */
function valueProblem(node: unknown, depth: number): string | undefined {
  if (depth > MAX_DEPTH) return `nesting deeper than ${MAX_DEPTH}`;
  if (typeof node === "string") return node.isWellFormed() ? undefined : "the string has a lone surrogate (half of a UTF-16 pair)";
  if (typeof node !== "number") return undefined;
  if (!Number.isFinite(node)) return "the number is not finite (too large to represent, or NaN)";
  if (Number.isInteger(node) && !Number.isSafeInteger(node)) return "the integer is beyond ±(2^53 − 1): other parsers would read another value";
  return undefined;
}

/** The I-JSON problems of a parsed value, and how many members its objects hold in all. */
function valueProblems(value: unknown): { problems: LocatedProblem[]; members: number } {
  const problems: LocatedProblem[] = [];
  let members = 0;
  // The path is one array pushed and popped as the walk goes (copied only for a problem): no allocation per node.
  const segments: (string | number)[] = [];
  const report = (message: string) => problems.push({ segments: [...segments], path: formatJsonPath(segments), message });
  const visit = (node: unknown): void => {
    const reason = valueProblem(node, segments.length);
    if (reason !== undefined) report(`not I-JSON: ${reason}`);
    else if (Array.isArray(node)) {
      for (let index = 0; index < node.length; index += 1) {
        segments.push(index);
        visit(node[index]);
        segments.pop();
      }
    } else if (node !== null && typeof node === "object") {
      const names = Object.keys(node);
      members += names.length;
      for (const name of names) {
        segments.push(name);
        if (!name.isWellFormed()) report("not I-JSON: the member name has a lone surrogate");
        visit((node as Record<string, unknown>)[name]);
        segments.pop();
      }
    }
  };
  visit(value);
  return { problems, members };
}

/**
 * Reads JSON text strictly: a {@link ParsedJson} with every I-JSON problem (duplicate names, lone surrogates,
 * numbers that do not survive parsing), or a {@link JsonSyntaxProblem} when the text is not JSON. `Uint8Array` input
 * must be UTF-8 (invalid bytes are a syntax problem, never replaced); a leading byte-order mark is ignored.
 */
export function parseJsonText(input: string | Uint8Array): ParsedJson | JsonSyntaxProblem {
  let text: string;
  if (typeof input === "string") text = input;
  else {
    try {
      text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(input);
    } catch {
      return new JsonSyntaxProblem("the file is not UTF-8 text");
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return new JsonSyntaxProblem(`not JSON (${(error as Error).message})`);
  }
  const checked = valueProblems(value);
  const duplicates = checked.members === memberCount(text) ? [] : duplicateNames(text);
  return new ParsedJson(value, [...duplicates, ...checked.problems]);
}

/** A value already parsed by someone else: only what is still visible (lone surrogates, unsafe numbers) is checked. */
export function parsedValue(value: unknown): ParsedJson {
  return new ParsedJson(value, valueProblems(value).problems);
}
