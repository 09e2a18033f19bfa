import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { checkBadgeImage } from "../../../../src/credential/v2/badge/checkBadgeImage.ts";
import { generateBadgeSvg } from "../../../../src/credential/v2/badge/generateBadgeSvg.ts";
import { type BadgeImageProblem, CorruptPngError, InvalidBadgeImageError, MalformedSvgError } from "../../../../src/errors/badgeErrors.ts";
import { buildGreyPng, buildPng, chunk, chunksOf, concat, flipped, ihdr, rgbIdat, SIGNATURE } from "./testPng.ts";

const utf8 = (text: string) => new TextEncoder().encode(text);
const svg = (attributes: string, body = "") => utf8(`<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ${attributes}>${body}</svg>`);
const IEND = chunk("IEND", new Uint8Array());

function rejection(bytes: Uint8Array): InvalidBadgeImageError {
  try {
    checkBadgeImage(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidBadgeImageError);
    return error as InvalidBadgeImageError;
  }
  throw new Error("checkBadgeImage accepted the image");
}

describe("checkBadgeImage", () => {
  it("default: a real 100×100 PNG built with zlib (IHDR, IDAT, IEND) passes, with its size read from IHDR", () => {
    const png = buildPng(100, 100);
    const [header, data] = chunksOf(png);
    expect(header!.type).toBe("IHDR");
    expect(inflateSync(data!.data).length).toBe(100 * (1 + 100 * 3)); // a filter byte and 100 RGB pixels per row
    expect(checkBadgeImage(png)).toEqual({ mediaType: "image/png", width: 100, height: 100 });
  });

  it("default: a generated badge SVG passes, 512×512", () => {
    const badge = generateBadgeSvg({ achievementName: "Data Analysis with Python", issuerName: "Demo University", eqfLevel: 6, credits: 5 });
    expect(checkBadgeImage(utf8(badge))).toEqual({ mediaType: "image/svg+xml", width: 512, height: 512 });
  });

  it("behavior: an SVG's size comes from width and height in absolute units, else the viewBox, else it is unknown", () => {
    expect(checkBadgeImage(svg('width="2in" height="150px"'))).toEqual({ mediaType: "image/svg+xml", width: 192, height: 150 });
    expect(checkBadgeImage(svg('viewBox="0 0 300 200"'))).toEqual({ mediaType: "image/svg+xml", width: 300, height: 200 });
    expect(checkBadgeImage(svg('viewBox="-10,-10, 300,200" width="600"'))).toEqual({ mediaType: "image/svg+xml", width: 600, height: 400 });
    expect(checkBadgeImage(svg('viewBox="0 0 300 200" height="100"'))).toEqual({ mediaType: "image/svg+xml", width: 150, height: 100 });
    expect(checkBadgeImage(svg('width="100%" height="100%" viewBox="0 0 256 256"'))).toEqual({ mediaType: "image/svg+xml", width: 256, height: 256 });
    expect(checkBadgeImage(svg(""))).toEqual({ mediaType: "image/svg+xml" });
  });

  it("behavior: accepts what real SVG files hold: a BOM, the XML declaration, the SVG 1.1 DOCTYPE, comments, fragment and data:image references", () => {
    const file = `\uFEFF<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<!-- Generator: an editor -->
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="128" height="128">
  <style>.a { fill: url(#g); }</style>
  <defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient></defs>
  <rect class="a" width="128" height="128" style="stroke: url('#g')"/>
  <use xlink:href="#g"/><a href="#top"><text>Top</text></a>
  <image href="data:image/png;base64,iVBORw0KGgo=" width="10" height="10"/>
</svg>`;
    expect(checkBadgeImage(utf8(file))).toEqual({ mediaType: "image/svg+xml", width: 128, height: 128 });
  });

  it("behavior: the size limit is 256 KiB exactly", () => {
    const padded = (total: number) => {
      const base = buildPng(100, 100);
      return concat(base.subarray(0, base.length - 12), chunk("tEXt", `Comment\0${"x".repeat(total - base.length - 12 - 8)}`), IEND);
    };
    expect(padded(262_144).length).toBe(262_144);
    expect(checkBadgeImage(padded(262_144)).mediaType).toBe("image/png");
    const error = rejection(padded(262_145));
    expect(error.problem).toBe("size");
    expect(error.shortMessage).toBe("The badge image is 262,145 bytes; at most 262,144 bytes (256 KiB) are allowed.");
    expect(error.message).toContain("Make it smaller");
  });

  it("behavior: PNG width and height may each be 64 to 2048 pixels", () => {
    expect(checkBadgeImage(buildGreyPng(64, 64))).toEqual({ mediaType: "image/png", width: 64, height: 64 });
    expect(checkBadgeImage(buildGreyPng(2048, 2048))).toEqual({ mediaType: "image/png", width: 2048, height: 2048 });
  });

  const rejected: [string, Uint8Array, BadgeImageProblem, string][] = [
    ["an empty file", new Uint8Array(), "type", "The badge image is empty (0 bytes); a badge image must be a PNG or an SVG."],
    ["a JPEG", Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), "type", "The badge image is a JPEG image; a badge image must be a PNG or an SVG."],
    ["a GIF", utf8("GIF89a\x01\x00"), "type", "The badge image is a GIF image; a badge image must be a PNG or an SVG."],
    ["a WebP", utf8("RIFF\0\0\0\0WEBPVP8 "), "type", "The badge image is a WebP image; a badge image must be a PNG or an SVG."],
    ["plain text", utf8("hello"), "type", "The badge image is neither a PNG nor an SVG file; a badge image must be a PNG or an SVG."],
    ["an SVG saved as UTF-16", Uint8Array.from([0xff, 0xfe, 0x3c, 0x00]), "type", "The badge image is UTF-16 text (an SVG must be saved as UTF-8); a badge image must be a PNG or an SVG."],
    ["XML that is not UTF-8", Uint8Array.from([0x3c, 0x73, 0x76, 0x67, 0x3e, 0xe9, 0x3c, 0x2f, 0x73, 0x76, 0x67, 0x3e]), "type", "The badge image is XML text that is not valid UTF-8 (an SVG must be saved as UTF-8); a badge image must be a PNG or an SVG."],
    ["a PNG with a wrong CRC", flipped(buildPng(), 45), "corrupt", "The PNG file is corrupt: chunk IDAT has a wrong CRC"],
    ["a truncated PNG", buildPng().subarray(0, 200), "corrupt", "The PNG file is corrupt: chunk IDAT declares"],
    ["a PNG without IDAT", concat(SIGNATURE, ihdr(100, 100), IEND), "corrupt", "The PNG badge image cannot be displayed: it has no image data (no IDAT chunk)."],
    ["a PNG with an unknown critical chunk", buildPng(100, 100, [chunk("ABCD", "?")]), "corrupt", "The PNG badge image cannot be displayed: it has a critical chunk ABCD that PNG does not define, so viewers refuse it."],
    ["an indexed PNG without palette", concat(SIGNATURE, ihdr(100, 100, 8, 3), rgbIdat(10, 10), IEND), "corrupt", "The PNG badge image cannot be displayed: it is an indexed-colour image without a palette (no PLTE chunk)."],
    ["a PNG 63 pixels wide", buildGreyPng(63, 100), "dimensions", "The PNG badge image is 63×100 pixels; width and height must each be 64 to 2048 pixels."],
    ["a PNG 2049 pixels high", buildGreyPng(100, 2049), "dimensions", "The PNG badge image is 100×2049 pixels; width and height must each be 64 to 2048 pixels."],
    ["an SVG 32×32", svg('width="32" height="32"'), "dimensions", "The SVG badge image is 32×32 pixels; width and height must each be 64 to 2048 pixels."],
    ["an SVG with only a small viewBox", svg('viewBox="0 0 24 24"'), "dimensions", "The SVG badge image is 24×24 pixels; width and height must each be 64 to 2048 pixels."],
    ["an SVG 60 cm wide", svg('width="60cm"'), "dimensions", "The SVG badge image is 2267.72 pixels wide; width and height must each be 64 to 2048 pixels."],
    ["an SVG width that is not a length", svg('width="wide"'), "dimensions", 'The SVG badge image\'s width="wide" is not a positive length.'],
    ["an SVG with a zero height", svg('height="0"'), "dimensions", 'The SVG badge image\'s height="0" is not a positive length.'],
    ["an SVG with a bad viewBox", svg('viewBox="0 0 100"'), "dimensions", 'The SVG badge image\'s viewBox="0 0 100" is not four numbers with a positive width and height.'],
    ["an SVG that is not well-formed", utf8('<svg xmlns="http://www.w3.org/2000/svg"><g></svg>'), "corrupt", "The SVG file is not well-formed: the end tag </svg> does not match the start tag <g> at line 1 (line 1, column 44)."],
    ["an SVG with an entity declaration (XXE)", utf8('<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>'), "corrupt", "The SVG file is not well-formed: a DOCTYPE with an internal subset"],
    ["an HTML file", utf8("<html><body/></html>"), "corrupt", "The SVG file is not well-formed: its root element is <html>, not <svg> (line 1, column 1)."],
    ["an SVG without the SVG namespace", utf8('<svg width="100" height="100"/>'), "corrupt", "The SVG badge image's root <svg> is not in the SVG namespace, so browsers will not draw it as an image."],
    ["a <script>", svg('width="100" height="100"', "<g><script>alert(1)</script></g>"), "unsafe", "The SVG badge image contains a <script> element (line 1); a badge image must be a static, self-contained picture."],
    ["a prefixed script", svg('xmlns:s="http://www.w3.org/2000/svg" width="100" height="100"', "<s:SCRIPT/>"), "unsafe", "The SVG badge image contains a <script> element"],
    ["an onload attribute", svg('width="100" height="100" onload="alert(1)"'), "unsafe", 'The SVG badge image has an event handler attribute onload="…" on <svg> (line 1)'],
    ["an onclick attribute on a shape", svg('width="100" height="100"', '\n<rect\n onClick="x()"/>'), "unsafe", 'The SVG badge image has an event handler attribute onClick="…" on <rect> (line 3)'],
    ["a <foreignObject>", svg('width="100" height="100"', "<foreignObject><p>hi</p></foreignObject>"), "unsafe", "The SVG badge image contains a <foreignObject> element (HTML inside the SVG) (line 1)"],
    ["an external xlink:href", svg('width="100" height="100"', '<image xlink:href="https://tracker.example/pixel.png"/>'), "unsafe", 'The SVG badge image refers to "https://tracker.example/pixel.png" in xlink:href on <image>, which is neither a fragment (#id) nor an embedded image (data:image/…)'],
    ["an external href", svg('width="100" height="100"', '<use href="other.svg#icon"/>'), "unsafe", 'The SVG badge image refers to "other.svg#icon" in href on <use>'],
    ["a javascript: link", svg('width="100" height="100"', '<a href=" javascript:alert(1)"><text>x</text></a>'), "unsafe", 'The SVG badge image refers to "javascript:alert(1)" in href on <a>'],
    ["a javascript: link hidden by a character reference", svg('width="100" height="100"', '<a href="jav&#x61;script:alert(1)"><text>x</text></a>'), "unsafe", 'The SVG badge image refers to "javascript:alert(1)" in href on <a>'],
    ["a data: link that is not an image", svg('width="100" height="100"', '<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;"><text>x</text></a>'), "unsafe", 'The SVG badge image refers to "data:text/html,<script>alert(1)</script>" in href on <a>'],
    ["an external url() in a style attribute", svg('width="100" height="100"', '<rect style="fill: url(https://x.example/p.svg#p)"/>'), "unsafe", 'The SVG badge image refers to url("https://x.example/p.svg#p"), which is neither a fragment (#id) nor an embedded image (data:image/…)'],
    ["an external url() in a presentation attribute", svg('width="100" height="100"', "<rect filter=\"url('https://x.example/f.svg#f')\"/>"), "unsafe", 'The SVG badge image refers to url("https://x.example/f.svg#f")'],
    ["an @import in a <style>", svg('width="100" height="100"', "<style><![CDATA[@import 'https://x.example/a.css';]]></style>"), "unsafe", "The SVG badge image imports a stylesheet with @import (line 1)"],
    ["an external font in a <style>", svg('width="100" height="100"', "<style>@font-face { src: url(https://fonts.example/f.woff2) }</style>"), "unsafe", 'The SVG badge image refers to url("https://fonts.example/f.woff2")'],
    ["a url() hidden by CSS escapes", svg('width="100" height="100"', "<style>rect { fill: u\\72l(https://x.example/p.svg#p) }</style>"), "unsafe", 'The SVG badge image refers to url("https://x.example/p.svg#p")'],
    ["an @import hidden by a CSS escape", svg('width="100" height="100"', '<style>@\\69mport "https://x.example/a.css";</style>'), "unsafe", "The SVG badge image imports a stylesheet with @import (line 1)"],
    ["an image-set()", svg('width="100" height="100"', "<rect style='fill: image-set(\"https://x.example/a.png\" 1x)'/>"), "unsafe", "The SVG badge image uses image-set(), which loads images (line 1)"],
    ["an xml-stylesheet processing instruction", utf8('<?xml-stylesheet href="https://x.example/a.css"?><svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"/>'), "unsafe", "The SVG badge image contains the processing instruction <?xml-stylesheet …?>, which can load a stylesheet (line 1)"],
    ["an animation that sets href", svg('width="100" height="100"', '<a><set attributeName="href" to="javascript:alert(1)"/><text>x</text></a>'), "unsafe", "The SVG badge image animates the href attribute with <set> (line 1)"],
  ];
  for (const [what, bytes, problem, message] of rejected) {
    it(`error: ${what}`, () => {
      const error = rejection(bytes);
      expect(error.problem).toBe(problem);
      expect(error.shortMessage).toContain(message);
      expect(error.metaMessages).toHaveLength(1); // how to fix it
    });
  }

  it("behavior: a hostile 256 KiB SVG is checked in well under a second (no catastrophic backtracking)", () => {
    const attributes = Array.from({ length: 14_000 }, (_, index) => `a${index}="url(#g)"`).join(" ");
    const bodies = [`<g ${attributes}/>`, `<style>${"url(".repeat(60_000)}</style>`, "<!-- - - -->".repeat(20_000), `<rect style="${"url(\" ".repeat(40_000)}"/>`];
    for (const body of bodies) {
      const file = svg('width="100" height="100"', body);
      expect(file.length).toBeLessThanOrEqual(262_144);
      const started = performance.now();
      try {
        checkBadgeImage(file);
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidBadgeImageError);
      }
      expect(performance.now() - started).toBeLessThan(1_000);
    }
  });

  it("error: a corrupt file's parser error is the cause, with its position", () => {
    expect(rejection(buildPng().subarray(0, 200)).cause).toBeInstanceOf(CorruptPngError);
    const svgError = rejection(utf8('<svg xmlns="http://www.w3.org/2000/svg">\n<g>\n</svg>'));
    expect(svgError.cause).toBeInstanceOf(MalformedSvgError);
    expect(svgError.cause).toMatchObject({ line: 3, column: 1 });
  });
});
