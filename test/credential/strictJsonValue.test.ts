import { describe, expect, it } from "vitest";
import { strictJsonValue } from "../../src/credential/strictJsonValue.ts";
import { InvalidInputError } from "../../src/errors/issuerErrors.ts";

// JSON bytes read strictly, with no file system (pathway files on the portfolio page; readStrictJsonFile in the CLI).

const bytes = (text: string) => new TextEncoder().encode(text);

function refusal(text: string): InvalidInputError {
  try {
    strictJsonValue(bytes(text), "The pathway file p.json", "Fix it.");
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return error as InvalidInputError;
  }
  throw new Error("not refused");
}

describe("strictJsonValue", () => {
  it("default: I-JSON gives its value", () => {
    expect(strictJsonValue(bytes('{"a":[1,"b"]}'), "x", "y")).toEqual({ a: [1, "b"] });
  });

  it("error: a duplicate member name is refused with its path and the fix, though JSON.parse would keep the last", () => {
    const error = refusal('{"id":"a","id":"b"}');
    expect(error.shortMessage).toBe("The pathway file p.json is not I-JSON (RFC 7493): 1 problem.");
    expect(error.metaMessages).toHaveLength(2);
    expect(error.metaMessages![0]).toMatch(/^\$\.id: the member name "id" appears twice/);
    expect(error.metaMessages![1]).toBe("Fix it.");
  });

  it("error: text that is not JSON, or not UTF-8, says so in one sentence", () => {
    expect(refusal("{ not json").shortMessage).toMatch(/^The pathway file p\.json is not JSON/);
    let notUtf8: unknown;
    try {
      strictJsonValue(new Uint8Array([0x7b, 0xff, 0x7d]), "The pathway file p.json", "Fix it.");
    } catch (error) {
      notUtf8 = error;
    }
    expect((notUtf8 as InvalidInputError).shortMessage).toMatch(/^The pathway file p\.json is /);
  });
});
