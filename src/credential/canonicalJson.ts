import { randomBytes } from "node:crypto";
import canonicalize from "canonicalize";
import { NonCanonicalJsonError } from "../errors/credentialErrors.ts";
import { formatJsonPath } from "./formatJsonPath.ts";

const MAX_DEPTH = 64;

/** A shared sub-document whose canonical form is computed once, and the token that stands for it meanwhile. */
type SharedForm = { readonly token: string; readonly form: string };

/** Per-process secret that makes placeholder tokens impossible to forge from inside a document. */
const TOKEN_NONCE = randomBytes(16).toString("hex");

/**
 * Canonical forms of sub-documents that many documents share by reference (a batch's achievement and issuer):
 * {@link canonicalJson} splices the cached form in instead of serializing the same object a million times. RFC 8785
 * serializes a member's value independently of its context, so the result is byte-for-byte the same. Shared
 * objects must not be mutated after {@link SharedCanonicalForms.share}.
 */
export class SharedCanonicalForms {
  readonly #forms = new WeakMap<object, SharedForm>();
  #count = 0;

  /** Registers `value` (once; later calls are free). */
  share(value: object): void {
    if (this.#forms.has(value)) return;
    this.#forms.set(value, { token: `\u0000credreg:${TOKEN_NONCE}:${this.#count}`, form: canonicalJson(value) });
    this.#count += 1;
  }

  /** @internal */
  get(value: object): SharedForm | undefined {
    return this.#forms.get(value);
  }
}

/**
 * Checks `value` the way {@link assertCanonicalizable} documents and, where it meets a shared object, returns a
 * copy of the path to it with the object replaced by its token. With `plain`, objects whose members are not in
 * sorted order are returned as sorted copies, until a member name makes that impossible (`plain.ok` false); other
 * values are returned as they are, uncopied.
 */
function prepare(value: unknown, path: PropertyKey[], shared: SharedCanonicalForms | undefined, used: SharedForm[], plain?: { ok: boolean }): unknown {
  if (path.length > MAX_DEPTH) throw new NonCanonicalJsonError(formatJsonPath(path), `nesting deeper than ${MAX_DEPTH}`);
  switch (typeof value) {
    case "boolean":
      return value;
    case "string":
      if (!value.isWellFormed()) throw new NonCanonicalJsonError(formatJsonPath(path), "the string has a lone surrogate");
      return value;
    case "number":
      if (!Number.isFinite(value)) throw new NonCanonicalJsonError(formatJsonPath(path), `${value} is not a JSON number`);
      if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
        throw new NonCanonicalJsonError(formatJsonPath(path), `${value} is an integer beyond ±(2^53 − 1), not I-JSON`);
      }
      return value;
    case "object": {
      if (value === null) return value;
      const sharedForm = shared?.get(value);
      if (sharedForm !== undefined) {
        used.push(sharedForm);
        return sharedForm.token;
      }
      if (Array.isArray(value)) {
        let copy: unknown[] | undefined;
        for (let index = 0; index < value.length; index += 1) {
          path.push(index);
          const prepared = prepare(value[index], path, shared, used, plain);
          path.pop();
          if (prepared !== value[index]) (copy ??= [...value])[index] = prepared;
        }
        return copy ?? value;
      }
      const prototype = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) {
        throw new NonCanonicalJsonError(formatJsonPath(path), `a ${prototype?.constructor?.name ?? "non-plain"} object is not JSON`);
      }
      const keys = Object.keys(value);
      let copy: Record<string, unknown> | undefined;
      for (const key of keys) {
        path.push(key);
        if (!key.isWellFormed()) throw new NonCanonicalJsonError(formatJsonPath(path), "the key has a lone surrogate");
        // An integer-like name is always enumerated first by the engine, whatever the order it was added in.
        if (plain !== undefined && (key === "__proto__" || (key.charCodeAt(0) <= 0x39 && INTEGER_LIKE.test(key)))) plain.ok = false;
        const member = (value as Record<string, unknown>)[key];
        const prepared = prepare(member, path, shared, used, plain);
        path.pop();
        if (prepared !== member) (copy ??= { ...(value as Record<string, unknown>) })[key] = prepared;
      }
      if (plain === undefined || !plain.ok || isSorted(keys)) return copy ?? value;
      const source = copy ?? (value as Record<string, unknown>);
      const sorted: Record<string, unknown> = {};
      for (const key of keys.sort()) sorted[key] = source[key];
      return sorted;
    }
    default:
      throw new NonCanonicalJsonError(formatJsonPath(path), `${typeof value} is not a JSON value`);
  }
}

/**
 * Checks that `value` is plain I-JSON that RFC 8785 can represent, and throws a {@link NonCanonicalJsonError} naming
 * the JSON path of the first value that is not: NaN or ±Infinity, an integer beyond ±(2^53 − 1) (it would not
 * survive a round trip through other JSON parsers), a string or key with a lone surrogate, `undefined`, a function,
 * a symbol, a bigint, a non-plain object (Date, Map, class instance), or nesting deeper than 64.
 */
export function assertCanonicalizable(value: unknown): void {
  prepare(value, [], undefined, []);
}

/**
 * RFC 8785 text of checked I-JSON. When {@link prepare} could give every object its members in sorted order (UTF-16
 * code units), the engine's own JSON.stringify writes it: its strings and numbers are exactly RFC 8785's (the RFC
 * defines them by ECMAScript's JSON.stringify). An object with an integer-like name (always enumerated first by the
 * engine, whatever the order it was added in) or `__proto__` cannot be rebuilt in order: then `canonicalize` writes it.
 */
function serialize(prepared: unknown, sorted: boolean): string | undefined {
  return sorted ? JSON.stringify(prepared) : canonicalize(prepared);
}

const INTEGER_LIKE = /^(0|[1-9][0-9]*)$/;

function isSorted(keys: readonly string[]): boolean {
  for (let index = 1; index < keys.length; index += 1) if (keys[index - 1]! > keys[index]!) return false;
  return true;
}

/**
 * The RFC 8785 (JCS) canonical form of `value`, after the checks of {@link assertCanonicalizable}. With `shared`,
 * registered sub-documents are spliced in from their cached form.
 */
export function canonicalJson(value: unknown, shared?: SharedCanonicalForms): string {
  const used: SharedForm[] = [];
  const plain = { ok: true };
  const prepared = prepare(value, [], shared, used, plain);
  let canonical = serialize(prepared, plain.ok);
  if (canonical === undefined) throw new NonCanonicalJsonError("$", "the value serializes to nothing");
  for (const { token, form } of used) {
    const quoted = JSON.stringify(token);
    const at = canonical.indexOf(quoted);
    // A shared object held twice by one document leaves its token twice: serialize plainly (exact, only slower).
    if (at < 0 || canonical.indexOf(quoted, at + quoted.length) >= 0) return canonicalJson(value);
    canonical = canonical.slice(0, at) + form + canonical.slice(at + quoted.length);
  }
  return canonical;
}
