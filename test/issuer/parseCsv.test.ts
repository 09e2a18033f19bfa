import { describe, expect, it } from "vitest";
import { CsvSyntaxError, parseCsv } from "../../src/issuer/parseCsv.ts";

describe("parseCsv", () => {
  it("default: fields, quotes, escaped quotes, CRLF, BOM, blank lines, and each record's first line", () => {
    const text = '\ufeffname,email\r\n"Dijkstra, Edsger",e@x.org\r\n\r\n"He said ""hi""",\n"two\nlines",z@x.org\nlast,';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ["name", "email"] },
      { line: 2, fields: ["Dijkstra, Edsger", "e@x.org"] },
      { line: 4, fields: ['He said "hi"', ""] },
      { line: 5, fields: ["two\nlines", "z@x.org"] },
      { line: 7, fields: ["last", ""] },
    ]);
  });

  it("error: a quote inside an unquoted field, text after a closing quote, an unclosed quote", () => {
    expect(() => parseCsv('a,b"c\n')).toThrowError(new CsvSyntaxError(1, "").constructor as typeof CsvSyntaxError);
    expect(() => parseCsv('a\n"x"y,1')).toThrowError("line 2: a closing quote must end its field");
    expect(() => parseCsv('a\nb\n"open,1')).toThrowError("line 3: a quoted field is never closed");
  });
});
