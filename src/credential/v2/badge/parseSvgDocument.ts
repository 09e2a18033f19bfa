import { MalformedSvgError } from "../../../errors/badgeErrors.ts";
import { textPosition } from "./textPosition.ts";

/** An attribute: `value` has its references decoded and its whitespace normalized (XML §3.3.3); offsets are into the source. */
export type XmlAttribute = { readonly name: string; readonly localName: string; readonly value: string; readonly start: number; readonly end: number };

/** An element. Offsets are into the source text: `start` at its `<`, `end` just after its end tag (or its `/>`). */
export type XmlElement = {
  readonly kind: "element";
  readonly name: string;
  readonly prefix: string | undefined;
  readonly localName: string;
  /** The namespace its prefix (or the default namespace) is bound to; undefined when none is declared. */
  readonly namespace: string | undefined;
  readonly attributes: readonly XmlAttribute[];
  readonly start: number;
  /** Just after the last attribute's closing quote (or after the name when there are none). */
  readonly attributesEnd: number;
  /** Just after the start tag's `>` (or `/>`). */
  readonly startTagEnd: number;
  readonly end: number;
  readonly selfClosing: boolean;
  readonly children: readonly XmlNode[];
};

/** Character data: `value` has its line ends normalized and its references decoded, as an XML parser reports it. */
export type XmlText = { readonly kind: "text"; readonly value: string; readonly start: number; readonly end: number };
/** A CDATA section: `value` is its content, line ends normalized. */
export type XmlCdata = { readonly kind: "cdata"; readonly value: string; readonly start: number; readonly end: number };
export type XmlComment = { readonly kind: "comment"; readonly start: number; readonly end: number };
export type XmlProcessingInstruction = { readonly kind: "pi"; readonly target: string; readonly start: number; readonly end: number };
export type XmlNode = XmlElement | XmlText | XmlCdata | XmlComment | XmlProcessingInstruction;

/** A parsed SVG file: its root `<svg>` element, and the comments and processing instructions around it. */
export type SvgDocument = {
  readonly root: XmlElement;
  /** Comments and processing instructions before and after the root element (the XML declaration excluded). */
  readonly outside: readonly XmlNode[];
  readonly doctype: { readonly start: number; readonly end: number } | undefined;
};

type MutableElement = Omit<XmlElement, "end" | "children"> & { end: number; children: XmlNode[]; scope: ReadonlyMap<string, string> };

const XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace";
const NAME = /[A-Za-z_:\u00C0-\uFFFD][-A-Za-z0-9._:\u00B7\u00C0-\uFFFD]*/y;
const WHITESPACE = /[ \t\r\n]*/y;
/** Characters XML 1.0 does not allow anywhere (its `Char` production), and lone surrogates. */
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const REFERENCE_OR_WHITESPACE = /\r\n?|[\t\n]|&(#x[0-9A-Fa-f]+|#[0-9]+|[A-Za-z_:][-A-Za-z0-9._:]*)?(;?)/g;
const PREDEFINED: Readonly<Record<string, string>> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/**
 * Parses an SVG file with a small, strict XML 1.0 parser (no dependency, nothing fetched, no DTD processing): the
 * XML declaration (UTF-8 only), comments, processing instructions, a DOCTYPE without internal subset, exactly one
 * root element, matched tags, quoted unique attributes, CDATA, and only the five predefined entities and character
 * references. Namespace prefixes are resolved for element names (an undeclared prefix gives no namespace).
 * The root element must be named `svg`. Offsets in the result are into `text`, so callers can splice the source.
 * Throws {@link MalformedSvgError} with the line and column of the first problem.
 */
export function parseSvgDocument(text: string): SvgDocument {
  const fail = (problem: string, at: number): never => {
    throw new MalformedSvgError(problem, textPosition(text, at));
  };
  const badChar = NOT_XML_CHAR.exec(text);
  if (badChar) fail(`it holds the character U+${badChar[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}, which XML does not allow`, badChar.index);

  let index = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const skipWhitespace = () => {
    WHITESPACE.lastIndex = index;
    WHITESPACE.exec(text);
    index = WHITESPACE.lastIndex;
  };
  const nameAt = (at: number): string | undefined => {
    NAME.lastIndex = at;
    return NAME.exec(text)?.[0];
  };

  if (text.startsWith("<?xml", index) && /[ \t\r\n?]/.test(text[index + 5] ?? "")) {
    const close = text.indexOf("?>", index);
    if (close < 0) fail("the XML declaration is not closed with ?>", index);
    const body = text.slice(index + 5, close);
    if (!/^[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(["'])1\.[0-9]+\1/.test(body)) fail('the XML declaration must start with version="1.0"', index);
    const encoding = /[ \t\r\n]encoding[ \t\r\n]*=[ \t\r\n]*(["'])([^"']*)\1/.exec(body)?.[2];
    if (encoding !== undefined && !/^utf-?8$/i.test(encoding)) fail(`it declares encoding="${encoding}"; only UTF-8 is supported`, index);
    index = close + 2;
  }

  const stack: MutableElement[] = [];
  const outside: XmlNode[] = [];
  let root: MutableElement | undefined;
  let doctype: SvgDocument["doctype"];
  const append = (node: XmlNode) => (stack.length === 0 ? outside.push(node) : stack.at(-1)!.children.push(node));

  while (index < text.length) {
    const lt = text.indexOf("<", index);
    if (lt !== index) {
      const stop = lt < 0 ? text.length : lt;
      const raw = text.slice(index, stop);
      if (stack.length === 0) {
        const visible = raw.search(/[^ \t\r\n]/);
        if (visible >= 0) fail(`text ${root ? "after" : "before"} the root element`, index + visible);
      } else {
        const cdataEnd = raw.indexOf("]]>");
        if (cdataEnd >= 0) fail("']]>' may not appear in text (write ]]&gt;)", index + cdataEnd);
        append({ kind: "text", value: decodeCharacterData(raw, index, false, fail), start: index, end: stop });
      }
      index = stop;
      continue;
    }
    if (text.startsWith("<!--", index)) {
      const close = text.indexOf("-->", index + 4);
      if (close < 0) fail("a comment is not closed with -->", index);
      const doubleHyphen = text.indexOf("--", index + 4);
      if (doubleHyphen < close) fail("'--' may not appear inside a comment", doubleHyphen);
      append({ kind: "comment", start: index, end: close + 3 });
      index = close + 3;
      continue;
    }
    if (text.startsWith("<![CDATA[", index)) {
      if (stack.length === 0) fail("a CDATA section outside the root element", index);
      const close = text.indexOf("]]>", index + 9);
      if (close < 0) fail("a CDATA section is not closed with ]]>", index);
      append({ kind: "cdata", value: text.slice(index + 9, close).replace(/\r\n?/g, "\n"), start: index, end: close + 3 });
      index = close + 3;
      continue;
    }
    if (text.startsWith("<!DOCTYPE", index)) {
      if (root || doctype) fail("a DOCTYPE may appear only once, before the root element", index);
      let at = index + 9;
      let quote: string | undefined;
      for (; at < text.length; at += 1) {
        const char = text[at]!;
        if (quote !== undefined) {
          if (char === quote) quote = undefined;
        } else if (char === '"' || char === "'") quote = char;
        else if (char === "[") fail("a DOCTYPE with an internal subset (entity declarations) is not supported: remove it, or export the image as plain SVG", at);
        else if (char === ">") break;
      }
      if (at >= text.length) fail("the DOCTYPE is not closed with >", index);
      doctype = { start: index, end: at + 1 };
      index = at + 1;
      continue;
    }
    if (text.startsWith("<!", index)) fail("unknown markup '<!'", index);
    if (text.startsWith("<?", index)) {
      const close = text.indexOf("?>", index + 2);
      if (close < 0) fail("a processing instruction is not closed with ?>", index);
      const target = nameAt(index + 2);
      if (target === undefined) fail("a processing instruction needs a target name", index);
      if (/^xml$/i.test(target!)) fail("an XML declaration may appear only at the very start of the file", index);
      append({ kind: "pi", target: target!, start: index, end: close + 2 });
      index = close + 2;
      continue;
    }
    if (text.startsWith("</", index)) {
      const name = nameAt(index + 2);
      if (name === undefined) fail("an end tag needs a name", index);
      const tagStart = index;
      index += 2 + name!.length;
      skipWhitespace();
      if (text[index] !== ">") fail(`the end tag </${name}> is not closed with >`, index);
      const open = stack.pop();
      if (open === undefined) fail(`the end tag </${name}> has no start tag`, tagStart);
      if (open!.name !== name) fail(`the end tag </${name}> does not match the start tag <${open!.name}> at line ${textPosition(text, open!.start).line}`, tagStart);
      open!.end = index + 1;
      index += 1;
      continue;
    }

    const name = nameAt(index + 1);
    if (name === undefined) fail("'<' must start a tag (write &lt; in text)", index);
    if (root && stack.length === 0) fail("a second root element (an XML file has exactly one)", index);
    const start = index;
    index += 1 + name!.length;
    let attributesEnd = index;
    const attributes: XmlAttribute[] = [];
    const attributeNames = new Set<string>();
    let selfClosing = false;
    for (;;) {
      const before = index;
      skipWhitespace();
      if (index >= text.length) fail(`the start tag <${name}> is not closed`, start);
      if (text.startsWith("/>", index)) {
        selfClosing = true;
        index += 2;
        break;
      }
      if (text[index] === ">") {
        index += 1;
        break;
      }
      const attributeName = nameAt(index);
      if (attributeName === undefined) fail(`unexpected '${text[index]}' in the start tag <${name}>`, index);
      if (index === before) fail(`attributes of <${name}> must be separated by whitespace`, index);
      const attributeStart = index;
      index += attributeName!.length;
      skipWhitespace();
      if (text[index] !== "=") fail(`the attribute ${attributeName} of <${name}> needs a value (${attributeName}="…")`, index);
      index += 1;
      skipWhitespace();
      const quote = text[index];
      if (quote !== '"' && quote !== "'") fail(`the value of ${attributeName} must be in quotes`, index);
      const close = text.indexOf(quote!, index + 1);
      if (close < 0) fail(`the value of ${attributeName} is not closed with ${quote}`, index);
      const raw = text.slice(index + 1, close);
      const lessThan = raw.indexOf("<");
      if (lessThan >= 0) fail(`'<' may not appear in the value of ${attributeName} (write &lt;)`, index + 1 + lessThan);
      if (attributeNames.has(attributeName!)) fail(`the attribute ${attributeName} appears twice in <${name}>`, attributeStart);
      const value = decodeCharacterData(raw, index + 1, true, fail);
      attributeNames.add(attributeName!);
      attributes.push({ name: attributeName!, localName: attributeName!.slice(attributeName!.indexOf(":") + 1), value, start: attributeStart, end: close + 1 });
      index = close + 1;
      attributesEnd = index;
    }

    const parentScope = stack.at(-1)?.scope ?? new Map([["xml", XML_NAMESPACE]]);
    let scope = parentScope;
    for (const attribute of attributes) {
      if (attribute.name !== "xmlns" && !attribute.name.startsWith("xmlns:")) continue;
      if (scope === parentScope) scope = new Map(parentScope);
      const prefix = attribute.name === "xmlns" ? "" : attribute.name.slice(6);
      if (attribute.value === "") (scope as Map<string, string>).delete(prefix);
      else (scope as Map<string, string>).set(prefix, attribute.value);
    }
    const colon = name!.indexOf(":");
    const prefix = colon < 0 ? undefined : name!.slice(0, colon);
    const element: MutableElement = {
      kind: "element",
      name: name!,
      prefix,
      localName: name!.slice(colon + 1),
      namespace: scope.get(prefix ?? ""),
      attributes,
      start,
      attributesEnd,
      startTagEnd: index,
      end: index,
      selfClosing,
      children: [],
      scope,
    };
    if (stack.length === 0) root = element;
    else append(element);
    if (!selfClosing) stack.push(element);
  }
  if (stack.length > 0) fail(`the element <${stack.at(-1)!.name}> is not closed`, stack.at(-1)!.start);
  if (root === undefined) fail("it has no root element", index);
  if (root!.localName !== "svg") fail(`its root element is <${root!.name}>, not <svg>`, root!.start);
  return { root: root!, outside, doctype };
}

/** Decodes references and normalizes line ends (and, in an attribute value, whitespace) as XML 1.0 §2.11 and §3.3.3 do. */
function decodeCharacterData(raw: string, offset: number, attribute: boolean, fail: (problem: string, at: number) => never): string {
  return raw.replace(REFERENCE_OR_WHITESPACE, (match: string, reference: string | undefined, semicolon: string, at: number) => {
    if (match[0] !== "&") return attribute ? " " : match === "\t" ? "\t" : "\n";
    if (reference === undefined || semicolon === "") fail("'&' must start a reference such as &amp; or &#160; (write &amp; for a literal &)", offset + at);
    if (reference![0] !== "#") {
      const predefined = PREDEFINED[reference!];
      if (predefined === undefined) fail(`&${reference}; is not defined in XML (only &lt; &gt; &amp; &quot; &apos;): use a character reference such as &#160;`, offset + at);
      return predefined!;
    }
    const code = reference![1] === "x" ? Number.parseInt(reference!.slice(2), 16) : Number.parseInt(reference!.slice(1), 10);
    const allowed = code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
    if (!allowed) fail(`&${reference}; refers to a character XML does not allow`, offset + at);
    return String.fromCodePoint(code);
  });
}
