import { describe, expect, it } from "vitest";
import { bakeSvg } from "../../../../src/credential/v2/badge/bakeSvg.ts";
import { checkBadgeImage } from "../../../../src/credential/v2/badge/checkBadgeImage.ts";
import { generateBadgeSvg } from "../../../../src/credential/v2/badge/generateBadgeSvg.ts";
import { parseSvgDocument, type XmlElement } from "../../../../src/credential/v2/badge/parseSvgDocument.ts";
import { unbakeBadge } from "../../../../src/credential/v2/badge/unbakeBadge.ts";
import { InvalidBadgeImageError, InvalidCredentialTextError, MalformedSvgError } from "../../../../src/errors/badgeErrors.ts";
import { compactCredential, prettyCredential } from "./testCredential.ts";

const OB = "https://purl.imsglobal.org/ob/v3p0";
const image = `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">\n  <circle r="10"/>\n</svg>\n`;
const countOf = (text: string, part: string) => text.split(part).length - 1;

describe("bakeSvg", () => {
  it("default: xmlns:openbadges on the root, <openbadges:credential> as its first child with the JSON in CDATA, the rest unchanged", () => {
    const baked = bakeSvg(image, '{"a":1}');
    expect(baked).toBe(
      `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512" xmlns:openbadges="${OB}"><openbadges:credential><![CDATA[{"a":1}]]></openbadges:credential>\n  <circle r="10"/>\n</svg>\n`,
    );
    const { root } = parseSvgDocument(baked);
    expect(root.children[0]).toMatchObject({ kind: "element", name: "openbadges:credential", namespace: OB });
  });

  it("behavior: a ]]> inside the JSON is split across two CDATA sections, and a CR is written &#13;, so the text reads back exactly", () => {
    const baked = bakeSvg(image, '{"a":"x]]>y"}');
    expect(baked).toContain('<openbadges:credential><![CDATA[{"a":"x]]]]><![CDATA[>y"}]]></openbadges:credential>');
    expect(unbakeBadge(baked)).toBe('{"a":"x]]>y"}');
    expect(bakeSvg(image, "{\r\n}")).toContain("<![CDATA[{]]>&#13;<![CDATA[\n}]]>");
    for (const credential of [compactCredential, prettyCredential]) expect(unbakeBadge(bakeSvg(image, credential))).toBe(credential);
  });

  it("behavior: baking again replaces the element and keeps a single namespace declaration", () => {
    const once = bakeSvg(image, compactCredential);
    const twice = bakeSvg(once, '{"b":2}');
    expect(countOf(twice, "<openbadges:credential>")).toBe(1);
    expect(countOf(twice, "xmlns:openbadges=")).toBe(1);
    expect(twice).toBe(bakeSvg(image, '{"b":2}'));
    expect(unbakeBadge(twice)).toBe('{"b":2}');
  });

  it("behavior: every existing credential element goes, whatever its prefix and wherever it is", () => {
    const baked = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:ob="${OB}"><g><ob:credential verify="a.b.c"/></g><rect/><ob:credential><![CDATA[{}]]></ob:credential></svg>`;
    expect(bakeSvg(baked, '{"new":true}')).toBe(`<svg xmlns="http://www.w3.org/2000/svg" xmlns:ob="${OB}" xmlns:openbadges="${OB}"><openbadges:credential><![CDATA[{"new":true}]]></openbadges:credential><g></g><rect/></svg>`);
  });

  it("behavior: a self-closing root gets the element and an end tag; an existing xmlns:openbadges is kept", () => {
    expect(bakeSvg(`<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges='${OB}' />`, "{}")).toBe(`<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges='${OB}'><openbadges:credential><![CDATA[{}]]></openbadges:credential></svg>`);
  });

  it("behavior: a compact JWS (VC-JWT) goes in the verify attribute with an empty body, as the spec says", () => {
    const jws = "eyJhbGciOiJFZERTQSJ9.eyJ2YyI6e319.c2lnbmF0dXJl";
    const baked = bakeSvg(image, jws);
    expect(baked).toContain(`<openbadges:credential verify="${jws}"></openbadges:credential>`);
    expect(unbakeBadge(baked)).toBe(jws);
  });

  it("behavior: a generated badge can be baked, given as bytes with a BOM, and is still a valid badge image", () => {
    const badge = generateBadgeSvg({ achievementName: "Data & <Analysis>", issuerName: "Demo University", eqfLevel: 6, credits: 5 });
    const baked = bakeSvg(new TextEncoder().encode(`\uFEFF${badge}`), compactCredential);
    expect(checkBadgeImage(new TextEncoder().encode(baked))).toEqual({ mediaType: "image/svg+xml", width: 512, height: 512 });
    expect(unbakeBadge(new TextEncoder().encode(baked))).toBe(compactCredential);
    const { root } = parseSvgDocument(baked);
    expect((root.children.find((child) => child.kind === "element") as XmlElement).name).toBe("openbadges:credential");
  });

  it("error: an SVG whose openbadges prefix means something else (Open Badges 2.0) is refused", () => {
    const ob2 = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org"><openbadges:assertion verify="x"/></svg>`;
    expect(() => bakeSvg(ob2, "{}")).toThrow(InvalidBadgeImageError);
    expect(() => bakeSvg(ob2, "{}")).toThrow(`The SVG's root binds the openbadges prefix to http://openbadges.org, not to ${OB}: it looks baked for another Open Badges version.`);
  });

  it("error: a malformed SVG or bytes that are not UTF-8", () => {
    expect(() => bakeSvg("<svg><g></svg>", "{}")).toThrow(MalformedSvgError);
    expect(() => bakeSvg("<svg><g></svg>", "{}")).toThrow("The SVG file is not well-formed: the end tag </svg> does not match the start tag <g> at line 1 (line 1, column 9).");
    expect(() => bakeSvg(Uint8Array.from([0x3c, 0x73, 0x76, 0x67, 0x2f, 0x3e, 0xff]), "{}")).toThrow("The SVG file is not well-formed: it is not valid UTF-8 text.");
  });

  it("error: text XML cannot hold, or that is empty", () => {
    expect(() => bakeSvg(image, '{"a":"\u0001"}')).toThrow(InvalidCredentialTextError);
    expect(() => bakeSvg(image, '{"a":"\u0001"}')).toThrow("The credential text cannot be baked: it holds U+0001 at index 6, a character XML cannot hold.");
    expect(() => bakeSvg(image, "")).toThrow("The credential text cannot be baked: it is empty.");
  });
});
