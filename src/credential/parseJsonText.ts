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

const QUOTE = 0x22;
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

type Frame = { readonly object: true; readonly names: Set<string>; name: string | undefined; expectName: boolean } | { readonly object: false; index: number };

/** Duplicate member names of JSON `text` (already known to parse), each with the path of the repeated member. */
function duplicateNames(text: string): LocatedProblem[] {
  const problems: LocatedProblem[] = [];
  const stack: Frame[] = [];
  const segmentsOf = (last: string) => [...stack.slice(0, -1).map((frame) => (frame.object ? frame.name! : frame.index)), last];
  for (let at = 0; at < text.length; at += 1) {
    const code = text.charCodeAt(at);
    const top = stack[stack.length - 1];
    if (code === QUOTE) {
      const end = stringEnd(text, at);
      if (top?.object && top.expectName) {
        const literal = text.slice(at, end + 1);
        const name = literal.includes("\\") ? (JSON.parse(literal) as string) : literal.slice(1, -1);
        if (top.names.has(name)) {
          const segments = segmentsOf(name);
          problems.push({ segments, path: formatJsonPath(segments), message: `the member name "${name}" appears twice in one object (I-JSON, RFC 7493): readers disagree on which value counts` });
        }
        top.names.add(name);
        top.name = name;
        top.expectName = false;
      }
      at = end;
    } else if (code === 0x7b /* { */) stack.push({ object: true, names: new Set(), name: undefined, expectName: true });
    else if (code === 0x5b /* [ */) stack.push({ object: false, index: 0 });
    else if (code === 0x7d /* } */ || code === 0x5d /* ] */) stack.pop();
    else if (code === 0x2c /* , */ && top !== undefined) {
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
  return valueProblems(value).map(({ path, message }) => ({ path, message }));
}

function valueProblems(value: unknown): LocatedProblem[] {
  const problems: LocatedProblem[] = [];
  const visit = (node: unknown, segments: (string | number)[]): void => {
    const reason =
      segments.length > MAX_DEPTH
        ? `nesting deeper than ${MAX_DEPTH}`
        : typeof node === "string" && !node.isWellFormed()
        ? "the string has a lone surrogate (half of a UTF-16 pair)"
        : typeof node === "number" && !Number.isFinite(node)
          ? "the number is not finite (too large to represent, or NaN)"
          : typeof node === "number" && Number.isInteger(node) && !Number.isSafeInteger(node)
            ? "the integer is beyond ±(2^53 − 1): other parsers would read another value"
            : undefined;
    if (reason !== undefined) {
      problems.push({ segments: [...segments], path: formatJsonPath(segments), message: `not I-JSON: ${reason}` });
    } else if (Array.isArray(node)) node.forEach((item, index) => visit(item, [...segments, index]));
    else if (node !== null && typeof node === "object") {
      for (const [name, member] of Object.entries(node)) {
        if (!name.isWellFormed()) problems.push({ segments: [...segments, name], path: formatJsonPath([...segments, name]), message: "not I-JSON: the member name has a lone surrogate" });
        visit(member, [...segments, name]);
      }
    }
  };
  visit(value, []);
  return problems;
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
  const problems = [...duplicateNames(text), ...valueProblems(value)];
  return new ParsedJson(value, problems);
}

/** A value already parsed by someone else: only what is still visible (lone surrogates, unsafe numbers) is checked. */
export function parsedValue(value: unknown): ParsedJson {
  return new ParsedJson(value, valueProblems(value));
}
