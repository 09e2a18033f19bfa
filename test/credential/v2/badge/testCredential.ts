import { readFileSync } from "node:fs";

// The credential text the baking tests bake: the hand-written v2 fixture, with unicode (accents, Hebrew, an emoji,
// CJK) and the CDATA terminator `]]>` in string values, serialized compactly or indented with CRLF line ends.

const shape = JSON.parse(readFileSync(new URL("../../../fixtures/v2/credential-v2-shape.json", import.meta.url), "utf8")) as Record<string, unknown>;

export const tricky = {
  ...shape,
  name: "Analyse de données — ניתוח נתונים 📊 数据分析",
  description: "Ends a CDATA section: ]]> and again ]]]]> and <![CDATA[ opens one; quotes \" ' & <tag>",
};

/** The credential as JSON.stringify writes it. */
export const compactCredential = JSON.stringify(tricky);

/** The same credential indented, with CRLF line ends and a trailing newline (an XML parser would turn CRLF into LF). */
export const prettyCredential = `${JSON.stringify(tricky, null, 2).replaceAll("\n", "\r\n")}\r\n`;
