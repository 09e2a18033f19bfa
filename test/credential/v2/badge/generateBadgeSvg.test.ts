import { describe, expect, it } from "vitest";
import { checkBadgeImage } from "../../../../src/credential/v2/badge/checkBadgeImage.ts";
import { generateBadgeSvg } from "../../../../src/credential/v2/badge/generateBadgeSvg.ts";
import { parseSvgDocument, type XmlElement } from "../../../../src/credential/v2/badge/parseSvgDocument.ts";
import { xmlDescendants } from "../../../../src/credential/v2/badge/xmlDescendants.ts";
import { InvalidInputError } from "../../../../src/errors/issuerErrors.ts";

type Drawn = { text: string; attributes: Record<string, string> };

/** The badge's elements, and its <text> elements as a reader sees them (references decoded). */
function read(svg: string): { elements: XmlElement[]; texts: Drawn[]; title: string; titleLines: Drawn[] } {
  const { root } = parseSvgDocument(svg);
  const elements = [...xmlDescendants(root)].filter((node): node is XmlElement => node.kind === "element");
  const textOf = (element: XmlElement) => element.children.map((child) => (child.kind === "text" ? child.value : "")).join("");
  const texts = elements.filter((element) => element.name === "text").map((element) => ({ text: textOf(element), attributes: Object.fromEntries(element.attributes.map((attribute) => [attribute.name, attribute.value])) }));
  const title = textOf(elements.find((element) => element.name === "title")!);
  return { elements, texts, title, titleLines: texts.filter((text) => text.attributes.fill === "#ffffff") };
}

const base = { achievementName: "Data Analysis with Python", issuerName: "Demo University" };

describe("generateBadgeSvg", () => {
  it("default: a 512×512 SVG with the title wrapped, the issuer, and the EQF level and credits on the ribbon; a valid badge image", () => {
    const svg = generateBadgeSvg({ ...base, eqfLevel: 6, credits: 5 });
    expect(checkBadgeImage(new TextEncoder().encode(svg))).toEqual({ mediaType: "image/svg+xml", width: 512, height: 512 });
    const { texts, title } = read(svg);
    expect(texts.map((text) => text.text)).toEqual(["Data Analysis", "with Python", "Demo University", "EQF 6 · 5 ECTS"]);
    expect(title).toBe("Data Analysis with Python");
    expect(svg).toContain("<desc id=\"credreg-badge-desc\">Issued by Demo University, EQF level 6, 5 ECTS credits</desc>");
  });

  it("behavior: self-contained and static: no script, no link, no external reference, no event handler", () => {
    const { elements } = read(generateBadgeSvg({ ...base, eqfLevel: 6, credits: 5 }));
    const names = new Set(elements.map((element) => element.localName));
    expect([...names].sort()).toEqual(["defs", "desc", "g", "linearGradient", "polygon", "rect", "stop", "svg", "text", "title"]);
    for (const element of elements) {
      for (const attribute of element.attributes) {
        expect(attribute.name).not.toMatch(/^on|href$/i);
        if (attribute.value.includes("url(")) expect(attribute.value).toMatch(/^url\(#credreg-badge-[a-z]+\)$/);
        if (attribute.value.includes("http")) expect(attribute).toMatchObject({ name: "xmlns", value: "http://www.w3.org/2000/svg" });
      }
    }
  });

  it("behavior: every text is XML-escaped and reads back exactly: <, &, quotes, markup", () => {
    const achievementName = `<script>alert("x")</script> & 'R&D' ]]> <![CDATA[`;
    const issuerName = `"Quotes" & <Co>`;
    const svg = generateBadgeSvg({ achievementName, issuerName });
    expect(svg).not.toContain("<script");
    expect(svg).not.toContain("<![CDATA[");
    const { texts, title } = read(svg);
    expect(title).toBe(achievementName);
    expect(texts.at(-2)!.text).toBe(issuerName);
    expect(checkBadgeImage(new TextEncoder().encode(svg)).mediaType).toBe("image/svg+xml");
    const shortWords = `<b> "Tom & Jerry's" </b> ]]> <![CDATA[`;
    expect(read(generateBadgeSvg({ achievementName: shortWords, issuerName })).titleLines.map((line) => line.text).join(" ")).toBe(shortWords);
  });

  it("behavior: a long name shrinks the font, wraps on at most three lines and ends with …; the title keeps it whole", () => {
    const short = read(generateBadgeSvg({ ...base, achievementName: "Python" })).titleLines;
    expect(short).toHaveLength(1);
    expect(short[0]!.attributes["font-size"]).toBe("46");
    const achievementName = Array.from({ length: 30 }, (_, index) => `word${index}`).join(" ");
    const { titleLines, title } = read(generateBadgeSvg({ ...base, achievementName }));
    expect(title).toBe(achievementName);
    expect(titleLines).toHaveLength(3);
    expect(Number(titleLines[0]!.attributes["font-size"])).toBeLessThan(46);
    expect(titleLines[2]!.text.endsWith("…")).toBe(true);
    expect(achievementName.startsWith(titleLines.map((line) => line.text).join(" ").slice(0, -1))).toBe(true);
    const issuer = read(generateBadgeSvg({ ...base, issuerName: "The Very Long Official Name of a University of Applied Sciences and Arts" })).texts.at(-2)!;
    expect(issuer.text).toBe("The Very Long Official Name of a…");
  });

  it("behavior: a word longer than a line is broken between graphemes, never inside one (combining marks, emoji sequences)", () => {
    const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });
    for (const unit of ["e\u0301", "👩‍👩‍👧", "🇪🇺", "ก\u0e49"]) {
      const achievementName = `x${unit.repeat(45)}`; // the x shifts every break off an even code point
      const { titleLines } = read(generateBadgeSvg({ ...base, achievementName }));
      expect(titleLines.length).toBeGreaterThan(1);
      const drawn = titleLines.map((line) => line.text.replace(/…$/, ""));
      expect(achievementName.startsWith(drawn.join(""))).toBe(true);
      for (const line of drawn) for (const { segment } of graphemes.segment(line)) expect(["x", unit]).toContain(segment);
    }
  });

  it("behavior: a line in a right-to-left script gets direction=rtl; others do not", () => {
    const { texts } = read(generateBadgeSvg({ achievementName: "ניתוח נתונים עם פייתון", issuerName: "Demo University", eqfLevel: 5 }));
    expect(texts[0]!.attributes.direction).toBe("rtl");
    expect(texts.at(-2)!.attributes.direction).toBeUndefined();
    const arabic = read(generateBadgeSvg({ achievementName: "Data", issuerName: "جامعة القاهرة" })).texts.at(-2)!;
    expect(arabic).toMatchObject({ text: "جامعة القاهرة", attributes: { direction: "rtl" } });
  });

  it("behavior: control characters become spaces, bidi overrides are dropped, a lone surrogate becomes U+FFFD", () => {
    const svg = generateBadgeSvg({ achievementName: "A\u0000B\u202Ec\n\td\uD800", issuerName: "X\u0007Y" });
    const { title, texts } = read(svg);
    expect(title).toBe("A Bc d\uFFFD");
    expect(texts.at(-2)!.text).toBe("X Y");
  });

  it("behavior: the ribbon shows what is given", () => {
    const ribbon = (parameters: { eqfLevel?: number; credits?: number }) => read(generateBadgeSvg({ ...base, ...parameters })).texts.at(-1)!.text;
    expect(ribbon({})).toBe("MICRO-CREDENTIAL");
    expect(ribbon({ eqfLevel: 3 })).toBe("EQF 3");
    expect(ribbon({ credits: 7.5 })).toBe("7.5 ECTS");
    expect(ribbon({ eqfLevel: 8, credits: 1000 })).toBe("EQF 8 · 1000 ECTS");
    expect(ribbon({ credits: 0.333 })).toBe("0.33 ECTS");
  });

  const invalid: [string, Parameters<typeof generateBadgeSvg>[0], string][] = [
    ["an empty achievement name", { ...base, achievementName: "" }, "The achievement name for the badge image is empty."],
    ["a blank issuer name", { ...base, issuerName: " \u0000\n " }, "The issuer name for the badge image is empty."],
    ["a name that is not a string", { ...base, achievementName: 42 as unknown as string }, "The achievement name for the badge image must be a string."],
    ["EQF level 9", { ...base, eqfLevel: 9 }, "EQF level 9 is not a level of the European Qualifications Framework (1 to 8)."],
    ["EQF level 0", { ...base, eqfLevel: 0 }, "EQF level 0 is not a level of the European Qualifications Framework (1 to 8)."],
    ["EQF level 2.5", { ...base, eqfLevel: 2.5 }, "EQF level 2.5 is not a level of the European Qualifications Framework (1 to 8)."],
    ["zero credits", { ...base, credits: 0 }, "0 ECTS credits cannot be shown on a badge: credits must be a positive number, at most 1,000."],
    ["NaN credits", { ...base, credits: Number.NaN }, "NaN ECTS credits cannot be shown on a badge: credits must be a positive number, at most 1,000."],
    ["1001 credits", { ...base, credits: 1001 }, "1001 ECTS credits cannot be shown on a badge: credits must be a positive number, at most 1,000."],
  ];
  for (const [what, parameters, message] of invalid) {
    it(`error: ${what}`, () => {
      expect(() => generateBadgeSvg(parameters)).toThrow(InvalidInputError);
      expect(() => generateBadgeSvg(parameters)).toThrow(message);
    });
  }
});
