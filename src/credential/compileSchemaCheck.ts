import type { z } from "zod";

/** Whether a value passes a schema: nothing more (no output, no issues, no paths). */
export type SchemaCheck = (value: unknown) => boolean;

/** The parts of zod's internals the compiled check reads (zod 4 `_zod`: its def, traits, known values, checks). */
type Internals = {
  readonly def: {
    readonly type: string;
    readonly checks?: readonly Check[];
    readonly shape?: Readonly<Record<string, z.ZodType>>;
    readonly catchall?: z.ZodType;
    readonly element?: z.ZodType;
    readonly items?: readonly z.ZodType[];
    readonly rest?: z.ZodType | null;
    readonly innerType?: z.ZodType;
    readonly options?: readonly z.ZodType[];
    readonly discriminator?: string;
    readonly coerce?: boolean;
  };
  readonly traits: ReadonlySet<string>;
  readonly values?: ReadonlySet<unknown>;
  readonly propValues?: Readonly<Record<string, ReadonlySet<unknown>>>;
};
type Check = {
  readonly _zod: {
    check(payload: { value: unknown; issues: unknown[] }): unknown;
    readonly traits: ReadonlySet<string>;
    readonly def: { readonly pattern?: RegExp; readonly maximum?: number; readonly fn?: (value: unknown) => unknown };
  };
};

/** A construct this compiler does not know: the caller then runs zod itself. */
class Unsupported extends Error {}

const internals = (schema: z.ZodType) => (schema as unknown as { _zod: Internals })._zod;

/** Unicode code points of a string (zod measures `max` in code points). */
function codePoints(value: string): number {
  let count = 0;
  for (const _ of value) count += 1;
  return count;
}

/**
 * One of zod's checks as a plain test. The three kinds every credential runs dozens of times are the test zod's own
 * check makes, without its payload and issue objects: a regular expression (`.regex()`, and the ISO date-time
 * format, whose check is its pattern), a maximum length (in code points, as zod counts), a refinement (its function's
 * answer; an asynchronous one is unsupported, as below). Any other check runs zod's own function.
 */
function checkTest(check: Check): (value: unknown) => boolean {
  const { traits, def } = check._zod;
  const pattern = def.pattern;
  if ((traits.has("$ZodCheckRegex") || traits.has("$ZodISODateTime")) && pattern instanceof RegExp) {
    return (value) => {
      pattern.lastIndex = 0;
      return pattern.test(value as string);
    };
  }
  const maximum = def.maximum;
  if (traits.has("$ZodCheckMaxLength") && typeof maximum === "number") {
    return (value) => {
      const length = (value as { length: number }).length;
      return length <= maximum || (typeof value === "string" && codePoints(value) <= maximum);
    };
  }
  const fn = def.fn;
  if (traits.has("$ZodCustom") && typeof fn === "function") {
    return (value) => {
      const result = fn(value);
      if (result instanceof Promise) throw new Unsupported("asynchronous check");
      return Boolean(result);
    };
  }
  return (value) => {
    const payload = { value, issues: [] as unknown[] };
    const result = check._zod.check(payload);
    if (result instanceof Promise) throw new Unsupported("asynchronous check");
    return payload.issues.length === 0;
  };
}

/** Zod's own checks of a schema, in zod's order: the schema itself first when it is a check (string formats). */
function checksOf(schema: z.ZodType): SchemaCheck {
  const zod = internals(schema);
  const checks: Check[] = [...(zod.traits.has("$ZodCheck") ? [schema as unknown as Check] : []), ...(zod.def.checks ?? [])];
  const tests = checks.map(checkTest);
  if (tests.length === 0) return () => true;
  if (tests.length === 1) return tests[0]!;
  return (value) => {
    for (const test of tests) if (!test(value)) return false;
    return true;
  };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

function compile(schema: z.ZodType): SchemaCheck {
  const zod = internals(schema);
  const { def } = zod;
  if (def.coerce === true) throw new Unsupported("coercion");
  const checks = checksOf(schema);
  switch (def.type) {
    case "string":
      return (value) => typeof value === "string" && checks(value);
    case "number":
      return (value) => typeof value === "number" && Number.isFinite(value) && checks(value);
    case "boolean":
      return (value) => typeof value === "boolean" && checks(value);
    case "literal":
    case "enum": {
      const values = zod.values;
      if (values === undefined) throw new Unsupported(def.type);
      return (value) => values.has(value) && checks(value);
    }
    case "optional": {
      const inner = compile(def.innerType!);
      if (internals(def.innerType!).def.type === "default") throw new Unsupported("default");
      return (value) => value === undefined || (inner(value) && checks(value));
    }
    case "array": {
      const element = compile(def.element!);
      return (value) => {
        if (!Array.isArray(value)) return false;
        for (const item of value) if (!element(item)) return false;
        return checks(value);
      };
    }
    case "tuple": {
      if (def.rest !== null && def.rest !== undefined) throw new Unsupported("tuple with rest");
      const items = def.items!.map((item) => {
        if (internals(item).def.type === "optional") throw new Unsupported("tuple with optional items");
        return compile(item);
      });
      return (value) => {
        if (!Array.isArray(value) || value.length !== items.length) return false;
        for (let index = 0; index < items.length; index += 1) if (!items[index]!(value[index])) return false;
        return checks(value);
      };
    }
    case "object": {
      const catchall = def.catchall === undefined ? undefined : internals(def.catchall).def.type;
      // Only strict objects: a loose one strips unknown members from the copy its refinements are given.
      if (catchall !== "never") throw new Unsupported("object that is not strict");
      const shape = def.shape!;
      const keys = Object.keys(shape);
      if (keys.includes("__proto__")) throw new Unsupported("__proto__ in a shape");
      const known = new Set(keys);
      const members = keys.map((key) => ({ key, check: compile(shape[key]!), optional: internals(shape[key]!).def.type === "optional" }));
      return (value) => {
        if (!isObject(value)) return false;
        // zod reports every enumerable name the shape does not declare (inherited ones too), as `for ... in` finds them.
        for (const key in value) if (!known.has(key)) return false;
        for (const { key, check, optional } of members) {
          const member = value[key];
          if (member === undefined) {
            if (!optional) return false;
          } else if (!check(member)) return false;
        }
        return checks(value);
      };
    }
    case "union": {
      const discriminator = def.discriminator;
      if (discriminator === undefined) throw new Unsupported("union without a discriminator");
      const byValue = new Map<unknown, SchemaCheck>();
      for (const option of def.options!) {
        const values = internals(option).propValues?.[discriminator];
        if (values === undefined) throw new Unsupported("discriminated union option without its values");
        const check = compile(option);
        for (const tag of values) {
          if (tag === undefined || byValue.has(tag)) throw new Unsupported("ambiguous discriminated union");
          byValue.set(tag, check);
        }
      }
      return (value) => {
        if (!isObject(value)) return false;
        const option = byValue.get(value[discriminator]);
        return option !== undefined && option(value) && checks(value);
      };
    }
    default:
      throw new Unsupported(def.type);
  }
}

const compiled = new WeakMap<z.ZodType, SchemaCheck | null>();

/**
 * A fast yes/no form of a zod schema, made from the schema itself (never a second definition): the same types,
 * required and optional members, unknown members of strict objects, literal and enum values, tuple lengths,
 * discriminated unions, and every one of the schema's own checks and refinements (regular expressions, maximum
 * lengths and refinements as the test zod's check makes, any other check by zod's own function), without zod's parse
 * (which builds an output copy and issue lists). A value it accepts is one zod accepts: where unsure (a construct it
 * does not know), it is not made at all (undefined) and zod is run instead. It only says yes or no: for the problems
 * themselves, run zod (tests compare both on the corpus of forged files and on mutations).
 */
export function compileSchemaCheck(schema: z.ZodType): SchemaCheck | undefined {
  let check = compiled.get(schema);
  if (check === undefined) {
    try {
      const fast = compile(schema);
      // An asynchronous check is found only when it runs: then zod decides.
      check = (value) => {
        try {
          return fast(value);
        } catch {
          return false;
        }
      };
    } catch (error) {
      if (!(error instanceof Unsupported)) throw error;
      check = null;
    }
    compiled.set(schema, check);
  }
  return check ?? undefined;
}
