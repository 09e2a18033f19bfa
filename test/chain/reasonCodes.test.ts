import { describe, expect, it } from "vitest";
import { describeReason, findReason, MAX_REASON, reasonCodes } from "../../src/chain/reasonCodes.ts";

describe("reasonCodes", () => {
  it("default: codes are 0..MAX_REASON in order, each with a unique name", () => {
    expect(reasonCodes.map((entry) => entry.code)).toEqual(Array.from({ length: MAX_REASON + 1 }, (_, code) => code));
    expect(new Set(reasonCodes.map((entry) => entry.name)).size).toBe(reasonCodes.length);
  });

  it("behavior: describeReason and findReason", () => {
    expect(describeReason(2n).name).toBe("Superseded");
    expect(describeReason(42)).toEqual({ code: 42, name: "Unknown", description: "Code 42 is not in the reason-code table." });
    expect(findReason("superseded")?.code).toBe(2);
    expect(findReason("key-compromise")?.code).toBe(4);
    expect(findReason("8")?.name).toBe("UnderInvestigation");
    expect(findReason("10")).toBeUndefined();
    expect(findReason("nonsense")).toBeUndefined();
  });
});
