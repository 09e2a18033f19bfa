import { InvalidInputError } from "../../../errors/issuerErrors.ts";
import { escapeXml } from "./escapeXml.ts";

/** What the generated badge shows. */
export type BadgeSvgParameters = {
  /** The achievement's name (`Achievement.name`): the badge's title, wrapped on up to three lines. */
  readonly achievementName: string;
  /** The issuer's name (`issuer.name`), on one line. */
  readonly issuerName: string;
  /** EQF level, 1 to 8: shown as "EQF 6" on the ribbon. */
  readonly eqfLevel?: number | undefined;
  /** ECTS credits (`Achievement.creditsAvailable`), positive, at most 1,000: shown as "5 ECTS" on the ribbon. */
  readonly credits?: number | undefined;
};

const FONT_FAMILY = "'Segoe UI', 'Helvetica Neue', Helvetica, Arial, 'Noto Sans', 'Noto Sans Arabic', 'Noto Sans Hebrew', 'Noto Sans CJK SC', sans-serif";
/** Font sizes for the title, largest first, each with the lines it may take: big type on two lines at most. */
const TITLE_SIZES: readonly (readonly [number, number])[] = [[46, 2], [42, 2], [38, 3], [34, 3], [30, 3], [27, 3], [24, 3]];
const TITLE_WIDTH = 300;
const TITLE_CENTER_Y = 222;
const ISSUER_SIZES: readonly (readonly [number, number])[] = [[22, 1], [20, 1], [18, 1], [16, 1]];
const ISSUER_WIDTH = 300;
const RIBBON_SIZES: readonly (readonly [number, number])[] = [[24, 1], [22, 1], [20, 1], [18, 1]];
const RIBBON_WIDTH = 360;
const ELLIPSIS = "…";

const WIDE = /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{20000}-\u{3FFFD}]|\p{Extended_Pictographic}/u;
const RIGHT_TO_LEFT = /[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u;
const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });
const words = new Intl.Segmenter(undefined, { granularity: "word" });

/**
 * A badge image for an achievement, as a self-contained SVG (512×512): a gold-rimmed blue hexagon with a star, the
 * achievement's name wrapped on up to three lines (the font shrinks to fit; what still does not fit ends with "…"),
 * the issuer's name, and a ribbon with the EQF level and the ECTS credits ("EQF 6 · 5 ECTS", or "MICRO-CREDENTIAL"
 * when neither is given). Every text is XML-escaped; control characters and explicit bidi controls are dropped (a
 * line written right to left gets `direction="rtl"`); the full names are in `<title>` and `<desc>` for screen
 * readers. There are no external references, fonts or scripts (generic font stacks only), so the result passes
 * `checkBadgeImage` and can be embedded as a `data:` URL (`badgeImageDataUrl`) and baked (`bakeSvg`). Line widths
 * are estimated from character classes (no font metrics here), with a margin. Throws {@link InvalidInputError}
 * for an empty name, an EQF level outside 1 to 8, or credits that are not a positive number up to 1,000.
 */
export function generateBadgeSvg(parameters: BadgeSvgParameters): string {
  const achievementName = displayText(parameters.achievementName, "achievement name");
  const issuerName = displayText(parameters.issuerName, "issuer name");
  const { eqfLevel, credits } = parameters;
  if (eqfLevel !== undefined && !(Number.isInteger(eqfLevel) && eqfLevel >= 1 && eqfLevel <= 8)) {
    throw new InvalidInputError(`EQF level ${eqfLevel} is not a level of the European Qualifications Framework (1 to 8).`);
  }
  if (credits !== undefined && !(Number.isFinite(credits) && credits > 0 && credits <= 1000)) {
    throw new InvalidInputError(`${credits} ECTS credits cannot be shown on a badge: credits must be a positive number, at most 1,000.`);
  }
  const details = [eqfLevel === undefined ? undefined : `EQF ${eqfLevel}`, credits === undefined ? undefined : `${formatCredits(credits)} ECTS`].filter((part): part is string => part !== undefined);
  const ribbon = details.length > 0 ? details.join(" · ") : "MICRO-CREDENTIAL";
  const description = [`Issued by ${issuerName}`, eqfLevel === undefined ? undefined : `EQF level ${eqfLevel}`, credits === undefined ? undefined : `${formatCredits(credits)} ECTS credits`].filter(Boolean).join(", ");

  const title = fitLines(achievementName, TITLE_SIZES, TITLE_WIDTH);
  const lineHeight = title.size * 1.15;
  const firstBaseline = TITLE_CENTER_Y - ((title.lines.length - 1) * lineHeight) / 2 + title.size * 0.35;
  const titleTexts = title.lines.map((line, index) => textElement(line, firstBaseline + index * lineHeight, title.size, "#ffffff", 'font-weight="700"'));
  const issuer = fitLines(issuerName, ISSUER_SIZES, ISSUER_WIDTH);
  const ribbonText = fitLines(ribbon, RIBBON_SIZES, RIBBON_WIDTH);

  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512" role="img" aria-labelledby="credreg-badge-title credreg-badge-desc">
  <title id="credreg-badge-title">${escapeXml(achievementName)}</title>
  <desc id="credreg-badge-desc">${escapeXml(description)}</desc>
  <defs>
    <linearGradient id="credreg-badge-rim" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#fde68a"/><stop offset="0.5" stop-color="#f59e0b"/><stop offset="1" stop-color="#b45309"/></linearGradient>
    <linearGradient id="credreg-badge-face" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#2563eb"/><stop offset="1" stop-color="#1e3a8a"/></linearGradient>
    <linearGradient id="credreg-badge-ribbon" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#fcd34d"/><stop offset="1" stop-color="#f59e0b"/></linearGradient>
  </defs>
  <g transform="translate(0 16)">
    <polygon points="${hexagon(226)}" fill="url(#credreg-badge-rim)" stroke="#d97706" stroke-width="10" stroke-linejoin="round"/>
    <polygon points="${hexagon(200)}" fill="url(#credreg-badge-face)" stroke="#1e3a8a" stroke-width="4" stroke-linejoin="round"/>
    <polygon points="${hexagon(186)}" fill="none" stroke="#ffffff" stroke-opacity="0.3" stroke-width="2" stroke-linejoin="round"/>
    <polygon points="${star(256, 106, 20, 8)}" fill="#fbbf24"/>
    <g font-family="${FONT_FAMILY}" text-anchor="middle">
      ${titleTexts.join("\n      ")}
      ${textElement(issuer.lines[0]!, 322, issuer.size, "#dbeafe", "")}
      <polygon points="18,394 86,394 86,454 18,454 38,424" fill="#b45309"/>
      <polygon points="494,394 426,394 426,454 494,454 474,424" fill="#b45309"/>
      <rect x="50" y="380" width="412" height="60" rx="4" fill="url(#credreg-badge-ribbon)" stroke="#d97706" stroke-width="2"/>
      <polygon points="50,440 86,454 86,440" fill="#78350f"/>
      <polygon points="462,440 426,454 426,440" fill="#78350f"/>
      ${textElement(ribbonText.lines[0]!, 410 + ribbonText.size * 0.35, ribbonText.size, "#422006", 'font-weight="700" letter-spacing="1"')}
    </g>
  </g>
</svg>
`;
}

/** The name as it can be drawn: well-formed, without control characters or explicit bidi controls, whitespace collapsed. */
function displayText(value: string, what: string): string {
  if (typeof value !== "string") throw new InvalidInputError(`The ${what} for the badge image must be a string.`);
  const text = value
    .toWellFormed()
    .replace(/[\u202A-\u202E\u2066-\u2069\uFFFE\uFFFF]/g, "")
    .replace(/[\p{Cc}\u2028\u2029\s]+/gu, " ")
    .trim();
  if (text === "") throw new InvalidInputError(`The ${what} for the badge image is empty.`);
  return text;
}

function formatCredits(credits: number): string {
  return new Intl.NumberFormat("en-US", { maximumFractionDigits: 2, useGrouping: false }).format(credits);
}

function textElement(text: string, y: number, size: number, fill: string, extra: string): string {
  const direction = isRightToLeft(text) ? ' direction="rtl"' : "";
  return `<text x="256" y="${y.toFixed(1)}" font-size="${size}" fill="${fill}"${extra ? ` ${extra}` : ""}${direction}>${escapeXml(text)}</text>`;
}

/** True when the first letter is of a right-to-left script (the line's base direction, as Unicode's P2 rule finds it). */
function isRightToLeft(text: string): boolean {
  const letter = /\p{L}/u.exec(text)?.[0];
  return letter !== undefined && RIGHT_TO_LEFT.test(letter);
}

/** The first size at which `text` wraps into the lines that size allows, or the last size with its last line cut short with "…". */
function fitLines(text: string, sizes: readonly (readonly [number, number])[], width: number): { size: number; lines: string[] } {
  for (const [size, maxLines] of sizes) {
    const lines = wrap(text, width / size);
    if (lines.length <= maxLines) return { size, lines };
  }
  const [size, maxLines] = sizes.at(-1)!;
  const lines = wrap(text, width / size);
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = withEllipsis(`${kept[maxLines - 1]} ${lines.slice(maxLines).join(" ")}`, width / size);
  return { size, lines: kept };
}

/**
 * Greedy word wrap in em units. A word too long for a line is broken at word boundaries (Intl.Segmenter, which also
 * finds them in Chinese or Japanese text written without spaces), and a piece still too long between graphemes
 * (never inside one).
 */
function wrap(text: string, maxEm: number): string[] {
  const lines: string[] = [];
  let current = "";
  for (const word of text.split(" ")) {
    const joined = current === "" ? word : `${current} ${word}`;
    if (emWidth(joined) <= maxEm) {
      current = joined;
      continue;
    }
    if (emWidth(word) <= maxEm) {
      lines.push(current);
      current = word;
      continue;
    }
    let separator = " ";
    for (const piece of piecesOf(word, maxEm)) {
      const candidate = current === "" ? piece : `${current}${separator}${piece}`;
      if (emWidth(candidate) <= maxEm) current = candidate;
      else {
        if (current !== "") lines.push(current);
        current = piece;
      }
      separator = "";
    }
  }
  if (current !== "") lines.push(current);
  return lines;
}

/** A word cut at its inner word boundaries, and a piece still wider than a line cut into graphemes. */
function piecesOf(word: string, maxEm: number): string[] {
  return [...words.segment(word)].flatMap(({ segment }) => (emWidth(segment) <= maxEm ? [segment] : [...graphemes.segment(segment)].map((grapheme) => grapheme.segment)));
}

/** The longest start of `text` that fits with "…" after it, cut after a whole word when that keeps most of the line. */
function withEllipsis(text: string, maxEm: number): string {
  const pieces = [...graphemes.segment(text)].map((segment) => segment.segment);
  while (pieces.length > 0 && emWidth(`${pieces.join("").trimEnd()}${ELLIPSIS}`) > maxEm) pieces.pop();
  const kept = pieces.join("").trimEnd();
  const space = text[kept.length] === " " ? kept.length : kept.lastIndexOf(" ");
  return `${space >= kept.length * 0.6 ? kept.slice(0, space).trimEnd() : kept}${ELLIPSIS}`;
}

/** An estimate of the width of `text` in a bold sans-serif font, in em. */
function emWidth(text: string): number {
  let width = 0;
  for (const { segment } of graphemes.segment(text)) {
    if (/^\s$/u.test(segment)) width += 0.28;
    else if (WIDE.test(segment)) width += 1;
    else if (/^[iljtfrI.,:;'!|()[\]`]$/.test(segment)) width += 0.34;
    else if (/^[mwMW@]$/.test(segment)) width += 0.9;
    else if (/^[A-Z0-9&%#?]$/.test(segment)) width += 0.7;
    else if (/\p{Script=Arabic}/u.test(segment)) width += 0.45;
    else width += 0.6;
  }
  return width;
}

/** The six corners of a hexagon (pointy top) centred on the badge, as SVG points. */
function hexagon(radius: number): string {
  return [0, 1, 2, 3, 4, 5].map((corner) => point(256, 236, radius, -90 + corner * 60)).join(" ");
}

function star(x: number, y: number, outer: number, inner: number): string {
  return Array.from({ length: 10 }, (_, index) => point(x, y, index % 2 === 0 ? outer : inner, -90 + index * 36)).join(" ");
}

function point(x: number, y: number, radius: number, degrees: number): string {
  const radians = (degrees * Math.PI) / 180;
  return `${(x + radius * Math.cos(radians)).toFixed(1)},${(y + radius * Math.sin(radians)).toFixed(1)}`;
}
