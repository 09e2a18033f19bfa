import { deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { bakePng } from "../../../../src/credential/v2/badge/bakePng.ts";
import { bakeSvg } from "../../../../src/credential/v2/badge/bakeSvg.ts";
import { generateBadgeSvg } from "../../../../src/credential/v2/badge/generateBadgeSvg.ts";
import { unbakeBadge } from "../../../../src/credential/v2/badge/unbakeBadge.ts";
import { BakedCredentialError, type BakedCredentialProblem, CorruptPngError, MalformedSvgError } from "../../../../src/errors/badgeErrors.ts";
import { classifyError } from "../../../../src/errors/classifyError.ts";
import { compactCredential, prettyCredential } from "./testCredential.ts";
import { buildPng, chunk, flipped, itxtData } from "./testPng.ts";

const OB = "https://purl.imsglobal.org/ob/v3p0";
const utf8 = (text: string) => new TextEncoder().encode(text);
const svg = (body: string, namespaces = ` xmlns:openbadges="${OB}"`) => `<svg xmlns="http://www.w3.org/2000/svg"${namespaces}>${body}<circle r="5"/></svg>`;
const credentialPng = (...data: Uint8Array[]) => buildPng(100, 100, data.map((entry) => chunk("iTXt", entry)));
const badge = generateBadgeSvg({ achievementName: "Données & <analyse> ניתוח", issuerName: "Université", eqfLevel: 6, credits: 5 });

function rejection(input: Uint8Array | string): unknown {
  try {
    unbakeBadge(input);
  } catch (error) {
    return error;
  }
  throw new Error("unbakeBadge returned a credential");
}

describe("unbakeBadge", () => {
  it("default: bake then unbake gives back the exact text, PNG and SVG, compact and indented JSON with unicode and ]]>", () => {
    for (const credential of [compactCredential, prettyCredential]) {
      expect(unbakeBadge(bakePng(buildPng(), credential))).toBe(credential);
      expect(unbakeBadge(utf8(bakeSvg(badge, credential)))).toBe(credential);
      expect(unbakeBadge(bakeSvg(badge, credential))).toBe(credential);
    }
    expect(compactCredential).toContain("]]>");
    expect(compactCredential).toContain("📊");
  });

  it("behavior: a compressed iTXt chunk (flag 1, zlib) is read, although the spec forbids writing one", () => {
    const png = credentialPng(itxtData("openbadgecredential", deflateSync(Buffer.from(compactCredential)), 1, 0, "en", "credential"));
    expect(unbakeBadge(png)).toBe(compactCredential);
  });

  it("behavior: an SVG baked as the spec's example shows (indented CDATA), as escaped text, or with another prefix", () => {
    const indented = svg(`\n  <openbadges:credential>\n      <![CDATA[\n        {"a": "]]]]><![CDATA[>"}\n      ]]>\n  </openbadges:credential>\n`);
    expect(unbakeBadge(indented)).toBe('\n        {"a": "]]>"}\n      ');
    expect(unbakeBadge(svg(`<openbadges:credential>\n {&quot;a&quot;:&quot;&lt;b&gt; &amp; &#x1F4CA;&quot;} <!-- a comment --></openbadges:credential>`))).toBe('{"a":"<b> & 📊"}');
    expect(unbakeBadge(svg(`<ob:credential><![CDATA[{"x":1}]]></ob:credential>`, ` xmlns:ob="${OB}"`))).toBe('{"x":1}');
    expect(unbakeBadge(svg(`<g><openbadges:credential><![CDATA[{"deep":1}]]></openbadges:credential></g>`))).toBe('{"deep":1}');
  });

  it("behavior: the VC-JWT form is returned as-is (the verify attribute, or the PNG text): the caller decides", () => {
    const jws = "eyJhbGciOiJFZERTQSJ9.eyJ2YyI6e319.c2lnbmF0dXJl";
    expect(unbakeBadge(svg(`<openbadges:credential verify=" ${jws} "></openbadges:credential>`))).toBe(jws);
    expect(unbakeBadge(credentialPng(itxtData("openbadgecredential", jws)))).toBe(jws);
  });

  it("behavior: an openbadges:credential element whose prefix was never declared is still read", () => {
    expect(unbakeBadge(svg(`<openbadges:credential><![CDATA[{"x":1}]]></openbadges:credential>`, ""))).toBe('{"x":1}');
  });

  const baked = bakePng(buildPng(), compactCredential);
  const rejected: [string, Uint8Array | string, BakedCredentialProblem, string][] = [
    ["a JPEG", Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]), "format", "The file is a JPEG image; a baked badge is a PNG or an SVG image."],
    ["a JSON file", utf8(compactCredential), "format", "The file is neither a PNG nor an SVG file; a baked badge is a PNG or an SVG image."],
    ["a PNG without credential", buildPng(), "missing", "The PNG holds no baked credential (no iTXt chunk with keyword openbadgecredential)."],
    ["a PNG baked for Open Badges 2.0", credentialPng(itxtData("openbadges", "{}")), "missing", "The PNG holds no baked credential (no iTXt chunk with keyword openbadgecredential); it holds an Open Badges 1.0/2.0 assertion (keyword openbadges), which is not an Open Badges 3.0 credential."],
    ["a PNG with a tEXt chunk of that keyword only", buildPng(100, 100, [chunk("tEXt", "openbadgecredential\0{}")]), "missing", "The PNG holds no baked credential"],
    ["a PNG with two credentials", credentialPng(itxtData("openbadgecredential", '{"a":1}'), itxtData("openbadgecredential", '{"b":2}')), "duplicate", "The PNG holds 2 iTXt chunks with keyword openbadgecredential (at bytes "],
    ["a PNG with an empty credential", credentialPng(itxtData("openbadgecredential", "")), "missing", "The PNG's openbadgecredential iTXt chunk is empty."],
    ["an unknown compression method", credentialPng(itxtData("openbadgecredential", "x", 1, 7)), "unreadable", "The PNG's iTXt chunk cannot be read: its compression method is 7; PNG defines only 0 (zlib deflate)."],
    ["an unknown compression flag", credentialPng(itxtData("openbadgecredential", "x", 2)), "unreadable", "The PNG's iTXt chunk cannot be read: its compression flag is 2; it must be 0 (uncompressed) or 1 (compressed)."],
    ["compressed text that does not inflate", credentialPng(itxtData("openbadgecredential", "not zlib", 1)), "unreadable", "The PNG's iTXt chunk cannot be read: its compressed text does not inflate"],
    ["text that is not UTF-8", credentialPng(itxtData("openbadgecredential", Uint8Array.from([0x7b, 0xff, 0x7d]))), "unreadable", "The PNG's iTXt chunk cannot be read: its text is not valid UTF-8."],
    ["a chunk without its NUL separators", credentialPng(new TextEncoder().encode("openbadgecredential\0\0\0no separators")), "unreadable", "The PNG's iTXt chunk cannot be read: it has no NUL after the language tag."],
    ["an SVG without credential", badge, "missing", `The SVG holds no baked credential (no <openbadges:credential> element in the namespace ${OB}).`],
    ["an SVG with two credentials", svg(`<openbadges:credential>{}</openbadges:credential><openbadges:credential>{}</openbadges:credential>`), "duplicate", "The SVG holds 2 <openbadges:credential> elements; Open Badges 3.0 allows exactly one."],
    ["an SVG with a credential inside a credential", svg(`<openbadges:credential><openbadges:credential>{}</openbadges:credential></openbadges:credential>`), "duplicate", "The SVG holds 2 <openbadges:credential> elements"],
    ["an SVG with both a verify attribute and a body", svg(`<openbadges:credential verify="a.b.c"><![CDATA[{}]]></openbadges:credential>`), "duplicate", "The SVG's <openbadges:credential> element holds both a verify attribute (a compact JWS) and a body; a badge holds exactly one credential."],
    ["an SVG with markup in the credential", svg(`<openbadges:credential><data>{}</data></openbadges:credential>`), "unreadable", "The SVG's <openbadges:credential> element holds markup (<data>) instead of the credential's text."],
    ["an SVG with an empty credential", svg(`<openbadges:credential>\n  <![CDATA[]]>\n</openbadges:credential>`), "missing", "The SVG's <openbadges:credential> element is empty."],
  ];
  for (const [what, input, problem, message] of rejected) {
    it(`error: ${what}`, () => {
      const error = rejection(input) as BakedCredentialError;
      expect(error).toBeInstanceOf(BakedCredentialError);
      expect(error.problem).toBe(problem);
      expect(error.shortMessage).toContain(message);
      expect(error.metaMessages).toHaveLength(1);
    });
  }

  it("error: a baked PNG with a wrong CRC is corrupt, even in a chunk after the credential", () => {
    const damaged = flipped(baked, -1); // the IEND chunk's CRC
    const error = rejection(damaged);
    expect(error).toBeInstanceOf(CorruptPngError);
    expect((error as CorruptPngError).shortMessage).toMatch(/^The PNG file is corrupt: chunk IEND has a wrong CRC \(stored 0x[0-9a-f]{8}, its content gives 0xae426082\) \(at byte \d+\)\.$/);
    const inText = flipped(baked, -30); // a byte of the credential's text
    expect((rejection(inText) as CorruptPngError).shortMessage).toContain("chunk iTXt has a wrong CRC");
  });

  it("error: a malformed SVG", () => {
    const error = rejection(`<svg xmlns:openbadges="${OB}"><openbadges:credential>{"a":1}</svg>`);
    expect(error).toBeInstanceOf(MalformedSvgError);
    expect((error as MalformedSvgError).shortMessage).toBe("The SVG file is not well-formed: the end tag </svg> does not match the start tag <openbadges:credential> at line 1 (line 1, column 90).");
  });

  it("error: the errors are the caller's input: exit code 1, HTTP 400", () => {
    for (const error of [rejection(buildPng()), rejection(Uint8Array.from(baked).fill(0, -4)), rejection("<svg><g></svg>")]) {
      expect(classifyError(error)).toMatchObject({ kind: "input", exitCode: 1, httpStatus: 400, code: "InvalidInput" });
    }
  });
});
