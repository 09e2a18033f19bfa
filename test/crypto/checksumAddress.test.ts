import fc from "fast-check";
import { getAddress } from "ethers";
import { describe, expect, it } from "vitest";
import { checksumAddress } from "../../src/crypto/checksumAddress.ts";

describe("checksumAddress", () => {
  it("default: the EIP-55 examples", () => {
    for (const address of ["0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359", "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"]) {
      expect(checksumAddress(address.toLowerCase())).toBe(address);
    }
  });

  it("behavior (property): equals ethers' getAddress for any address", () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), (bytes) => {
      const hex = `0x${Buffer.from(bytes).toString("hex")}`;
      expect(checksumAddress(hex)).toBe(getAddress(hex));
      // Again, in another spelling: the remembered answer is the same.
      expect(checksumAddress(`0x${hex.slice(2).toUpperCase()}`)).toBe(getAddress(hex));
    }), { numRuns: 500 });
  });

  it("behavior: stays right past the bound of the addresses it remembers", () => {
    const addresses = Array.from({ length: 9000 }, (_, index) => `0x${index.toString(16).padStart(40, "0").replace(/^0/, "a")}`);
    for (const round of [1, 2]) {
      for (const address of addresses) expect(checksumAddress(address), `round ${round}`).toBe(getAddress(address));
    }
  });

  it("error: refuses what is not a 20-byte hex address", () => {
    expect(() => checksumAddress("0x123")).toThrow("not a 0x-prefixed 20-byte address: 0x123");
  });
});
