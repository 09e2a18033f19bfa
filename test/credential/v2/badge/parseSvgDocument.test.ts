import { describe, expect, it } from "vitest";
import { parseSvgDocument, type XmlElement } from "../../../../src/credential/v2/badge/parseSvgDocument.ts";
import { MalformedSvgError } from "../../../../src/errors/badgeErrors.ts";

describe("parseSvgDocument", () => {
  it("default: the root, its children, namespaces, and offsets that slice the source", () => {
    const text = `<?xml version="1.0" encoding="UTF-8"?>\n<!-- a badge -->\n<svg xmlns="http://www.w3.org/2000/svg" xmlns:ob="https://purl.imsglobal.org/ob/v3p0" viewBox="0 0 10 10"><ob:credential a='1'><![CDATA[{"x":1}]]></ob:credential><g><rect/></g></svg>\n`;
    const { root, outside } = parseSvgDocument(text);
    expect(root.name).toBe("svg");
    expect(root.namespace).toBe("http://www.w3.org/2000/svg");
    expect(text.slice(root.start, root.end)).toBe(text.trim().split("\n").at(-1));
    expect(text.slice(root.attributesEnd, root.startTagEnd)).toBe(">");
    expect(outside.map((node) => node.kind)).toEqual(["comment"]);
    const credential = root.children[0] as XmlElement;
    expect(credential).toMatchObject({ name: "ob:credential", prefix: "ob", localName: "credential", namespace: "https://purl.imsglobal.org/ob/v3p0" });
    expect(credential.attributes).toMatchObject([{ name: "a", value: "1" }]);
    expect(credential.children).toMatchObject([{ kind: "cdata", value: '{"x":1}' }]);
    const rect = (root.children[1] as XmlElement).children[0] as XmlElement;
    expect(rect).toMatchObject({ name: "rect", selfClosing: true, namespace: "http://www.w3.org/2000/svg" });
    expect(text.slice(rect.start, rect.end)).toBe("<rect/>");
  });

  it("behavior: references are decoded and line ends normalized as an XML parser does (text, CDATA, attributes)", () => {
    const text = `<svg a="x\r\ny&#10;&lt;&#x1F600;" b="\tz"><t>a &amp; b\r\nc&#13;&quot;&apos;&gt;</t><t><![CDATA[p\r\nq\rr &amp;]]></t></svg>`;
    const { root } = parseSvgDocument(text);
    expect(root.attributes.map((attribute) => attribute.value)).toEqual(["x y\n<😀", " z"]);
    const [first, second] = root.children as XmlElement[];
    expect(first!.children).toMatchObject([{ kind: "text", value: "a & b\nc\r\"'>" }]);
    expect(second!.children).toMatchObject([{ kind: "cdata", value: "p\nq\nr &amp;" }]);
  });

  it("behavior: accepts a BOM, a DOCTYPE without internal subset, comments and processing instructions; an undeclared prefix has no namespace", () => {
    const text = `\uFEFF<?xml version='1.0'?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"><?app data?><svg><x:y/><!-- c --></svg><!-- end -->`;
    const { root, doctype, outside } = parseSvgDocument(text);
    expect(doctype).toBeDefined();
    expect(outside.map((node) => node.kind)).toEqual(["pi", "comment"]);
    expect(root.children[0]).toMatchObject({ name: "x:y", prefix: "x", namespace: undefined });
  });

  const malformed: [string, string, string][] = [
    ["empty", "", "it has no root element (line 1, column 1)"],
    ["not closed", "<svg><g></svg>", "the end tag </svg> does not match the start tag <g> at line 1 (line 1, column 9)"],
    ["an unclosed root", "<svg>\n<g></g>", "the element <svg> is not closed (line 1, column 1)"],
    ["an end tag without start", "<svg></svg></g>", "the end tag </g> has no start tag (line 1, column 12)"],
    ["two roots", "<svg/><svg/>", "a second root element (an XML file has exactly one) (line 1, column 7)"],
    ["text outside the root", "<svg/>hello", "text after the root element (line 1, column 7)"],
    ["a root that is not svg", "<html/>", "its root element is <html>, not <svg> (line 1, column 1)"],
    ["an unquoted attribute", "<svg width=10/>", "the value of width must be in quotes (line 1, column 12)"],
    ["a duplicate attribute", '<svg a="1" a="2"/>', "the attribute a appears twice in <svg> (line 1, column 12)"],
    ["attributes run together", '<svg a="1"b="2"/>', "attributes of <svg> must be separated by whitespace (line 1, column 11)"],
    ["'<' in an attribute", '<svg a="<"/>', "'<' may not appear in the value of a (write &lt;) (line 1, column 9)"],
    ["an undefined entity", "<svg><t>&nbsp;</t></svg>", "&nbsp; is not defined in XML (only &lt; &gt; &amp; &quot; &apos;): use a character reference such as &#160; (line 1, column 9)"],
    ["a bare ampersand", "<svg><t>R&D</t></svg>", "'&' must start a reference such as &amp; or &#160; (write &amp; for a literal &) (line 1, column 10)"],
    ["a reference to a forbidden character", "<svg><t>&#0;</t></svg>", "&#0; refers to a character XML does not allow (line 1, column 9)"],
    ["a raw control character", "<svg>\u0001</svg>", "it holds the character U+0001, which XML does not allow (line 1, column 6)"],
    ["a lone surrogate", "<svg>\uD800</svg>", "it holds the character U+D800, which XML does not allow (line 1, column 6)"],
    ["]]> in text", "<svg>a]]>b</svg>", "']]>' may not appear in text (write ]]&gt;) (line 1, column 7)"],
    ["-- in a comment", "<svg><!-- a -- b --></svg>", "'--' may not appear inside a comment (line 1, column 13)"],
    ["an unclosed comment", "<svg><!-- a </svg>", "a comment is not closed with --> (line 1, column 6)"],
    ["an unclosed CDATA section", "<svg><![CDATA[ a </svg>", "a CDATA section is not closed with ]]> (line 1, column 6)"],
    ["an internal DTD subset (entities, XXE)", '<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg>&x;</svg>', "a DOCTYPE with an internal subset (entity declarations) is not supported: remove it, or export the image as plain SVG (line 1, column 15)"],
    ["an XML declaration not at the start", '\n<?xml version="1.0"?><svg/>', "an XML declaration may appear only at the very start of the file (line 2, column 1)"],
    ["a non-UTF-8 encoding", '<?xml version="1.0" encoding="ISO-8859-1"?><svg/>', 'it declares encoding="ISO-8859-1"; only UTF-8 is supported (line 1, column 1)'],
    ["a bare '<' in text", "<svg>a < b</svg>", "'<' must start a tag (write &lt; in text) (line 1, column 8)"],
  ];
  for (const [what, text, problem] of malformed) {
    it(`error: ${what}`, () => {
      expect(() => parseSvgDocument(text)).toThrow(MalformedSvgError);
      expect(() => parseSvgDocument(text)).toThrow(`The SVG file is not well-formed: ${problem}.`);
    });
  }

  it("error: the line and column are those of the problem", () => {
    try {
      parseSvgDocument("<svg>\n  <g>\n    <rect x=1/>\n  </g>\n</svg>");
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ line: 3, column: 13 });
    }
  });

  it("behavior: a deeply nested file does not overflow the stack", () => {
    const depth = 20_000;
    const { root } = parseSvgDocument(`<svg>${"<g>".repeat(depth)}${"</g>".repeat(depth)}</svg>`);
    expect(root.end).toBe(5 + depth * 7 + 6);
  });
});
