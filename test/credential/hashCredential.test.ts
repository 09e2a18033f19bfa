import { createHash } from "node:crypto";
import fc from "fast-check";
import { AbiCoder, keccak256 as ethersKeccak, toUtf8Bytes } from "ethers";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/credential/canonicalJson.ts";
import { buildUnsignedCredential } from "../../src/credential/buildUnsignedCredential.ts";
import { contentHashOf, credentialHashOf } from "../../src/credential/hashCredential.ts";
import { hashEmailIdentity } from "../../src/credential/hashEmailIdentity.ts";
import { validateUnsignedCredential } from "../../src/credential/validateCredential.ts";
import { credentialLeaf } from "../../src/merkle/credentialLeaf.ts";
import { sampleCredentials, sampleTemplate } from "../helpers/sampleCredentials.ts";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path to a primitive value in `value`. */
function leafPaths(value: Json, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((item, index) => leafPaths(item, [...path, index]));
  if (value !== null && typeof value === "object") return Object.entries(value).flatMap(([key, member]) => leafPaths(member, [...path, key]));
  return [path];
}

/** Every path to an array with at least two different elements. */
function arrayPaths(value: Json, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) {
    const own = new Set(value.map((item) => JSON.stringify(item))).size > 1 ? [path] : [];
    return [...own, ...value.flatMap((item, index) => arrayPaths(item, [...path, index]))];
  }
  if (value !== null && typeof value === "object") return Object.entries(value).flatMap(([key, member]) => arrayPaths(member, [...path, key]));
  return [];
}

function update(root: Json, path: (string | number)[], change: (value: Json) => Json): Json {
  const copy = structuredClone(root);
  let parent = copy as Record<string | number, Json>;
  for (const segment of path.slice(0, -1)) parent = parent[segment] as Record<string | number, Json>;
  const last = path[path.length - 1]!;
  parent[last] = change(parent[last]!);
  return copy;
}

const mutate = (value: Json): Json => (typeof value === "string" ? `${value}.` : typeof value === "number" ? value + 1 : typeof value === "boolean" ? !value : "null");

describe("contentHash, credentialHash, leaf", () => {
  const credential = sampleCredentials(3)[1]! as unknown as Json;
  const hash = contentHashOf(credential as object);

  it("default: contentHash = keccak256(UTF-8 of the RFC 8785 form without proof); credentialHash = keccak256(abi.encode(salt, contentHash))", () => {
    expect(hash).toBe(ethersKeccak(toUtf8Bytes(canonicalJson(credential))));
    expect(contentHashOf({ ...(credential as object), proof: { anything: 1 } })).toBe(hash);
    const salt = `0x${"5a".repeat(32)}`;
    expect(credentialHashOf(salt, hash)).toBe(ethersKeccak(AbiCoder.defaultAbiCoder().encode(["bytes32", "bytes32"], [salt, hash])));
  });

  it("behavior: changing any single value anywhere in the credential changes the contentHash", () => {
    const paths = leafPaths(credential);
    expect(paths.length).toBeGreaterThan(40);
    for (const path of paths) expect(contentHashOf(update(credential, path, mutate) as object), path.join(".")).not.toBe(hash);
  });

  it("behavior: reordering the elements of any array changes the contentHash", () => {
    const paths = arrayPaths(credential);
    expect(paths.length).toBeGreaterThan(3);
    for (const path of paths) {
      const reversed = update(credential, path, (array) => [...(array as Json[])].reverse());
      expect(contentHashOf(reversed as object), path.join(".")).not.toBe(hash);
    }
  });

  it("behavior: key order and whitespace of the JSON text do not change the contentHash", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8 }), fc.boolean(), (indent, reverse) => {
        const reorder = (value: Json): Json =>
          Array.isArray(value)
            ? value.map(reorder)
            : value !== null && typeof value === "object"
              ? Object.fromEntries((reverse ? Object.entries(value).reverse() : Object.entries(value).sort()).map(([k, v]) => [k, reorder(v)]))
              : value;
        const text = JSON.stringify(reorder(credential), null, indent);
        expect(contentHashOf(JSON.parse(text) as object)).toBe(hash);
      }),
      { numRuns: 50 },
    );
  });

  it("behavior: a different salt changes the credentialHash; a different index changes the leaf", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.nat(1_000_000), (a, b, index) => {
        fc.pre(Buffer.compare(Buffer.from(a), Buffer.from(b)) !== 0);
        const saltA = `0x${Buffer.from(a).toString("hex")}`;
        const saltB = `0x${Buffer.from(b).toString("hex")}`;
        const credentialHash = credentialHashOf(saltA, hash);
        expect(credentialHashOf(saltB, hash)).not.toBe(credentialHash);
        expect(credentialLeaf(index + 1, credentialHash)).not.toBe(credentialLeaf(index, credentialHash));
      }),
      { numRuns: 200 },
    );
  });
});

describe("buildUnsignedCredential", () => {
  it("default: builds a valid credential; the e-mail is hashed as Open Badges 3.0 does, normalized", () => {
    const credential = buildUnsignedCredential(sampleTemplate(), { name: "Ada", email: "  Ada@Example.ORG " }, 7, {
      id: "urn:uuid:00000000-0000-4000-8000-000000000007",
      emailSalt: "0123456789abcdef0123456789abcdef",
    });
    expect(validateUnsignedCredential(credential).ok).toBe(true);
    expect(credential.id).toBe("urn:uuid:00000000-0000-4000-8000-000000000007");
    expect(credential.credentialStatus.map((entry) => [entry.statusPurpose, entry.statusListIndex, entry.registry])).toEqual([
      ["revocation", "7", "eip155:31337:0x5FbDB2315678afecb367f032d93F642f64180aa3"],
      ["suspension", "7", "eip155:31337:0x5FbDB2315678afecb367f032d93F642f64180aa3"],
    ]);
    const email = credential.credentialSubject.identifier.find((identity) => identity.identityType === "emailAddress");
    const expected = `sha256$${createHash("sha256").update("ada@example.org0123456789abcdef0123456789abcdef").digest("hex")}`;
    expect(email).toEqual({ type: "IdentityObject", identityType: "emailAddress", hashed: true, identityHash: expected, salt: "0123456789abcdef0123456789abcdef" });
    expect(hashEmailIdentity("ADA@example.org", "0123456789abcdef0123456789abcdef")).toBe(expected);
    expect(credential.credentialSubject.achievement.achievementType).toBe("MicroCredential");
  });

  it("behavior: the same randomness gives the same credential; fresh randomness gives a fresh id and salt", () => {
    const template = sampleTemplate();
    const randomness = { id: "urn:uuid:00000000-0000-4000-8000-000000000001", emailSalt: "ab".repeat(16) };
    const recipient = { name: "Grace", email: "grace@example.org" };
    expect(buildUnsignedCredential(template, recipient, 1, randomness)).toEqual(buildUnsignedCredential(template, recipient, 1, randomness));
    const a = buildUnsignedCredential(template, recipient, 1);
    const b = buildUnsignedCredential(template, recipient, 1);
    expect(a.id).not.toBe(b.id);
    expect(a.credentialSubject.identifier[1]).not.toEqual(b.credentialSubject.identifier[1]);
  });
});
