/** One CSV record with the 1-based line it starts on. */
export type CsvRecord = { readonly line: number; readonly fields: string[] };

/** A malformed CSV text. */
export class CsvSyntaxError extends Error {
  readonly line: number;

  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.line = line;
  }
}

/**
 * Parses RFC 4180 CSV: comma-separated, fields optionally double-quoted (`""` is a quote inside), CRLF or LF line
 * ends, a leading UTF-8 BOM ignored, blank lines skipped. Each record keeps the line it starts on.
 */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let fieldStarted = false;
  let position = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === "" && !fieldStarted)) records.push({ line: recordLine, fields });
    fields = [];
    field = "";
    fieldStarted = false;
  };
  for (; position < text.length; position += 1) {
    const char = text[position]!;
    if (quoted) {
      if (char === '"') {
        if (text[position + 1] === '"') {
          field += '"';
          position += 1;
        } else {
          quoted = false;
          const next = text[position + 1];
          if (next !== undefined && next !== "," && next !== "\n" && next !== "\r") {
            throw new CsvSyntaxError(line, "a closing quote must end its field (write a quote inside a quoted field as \"\")");
          }
        }
      } else {
        if (char === "\n") line += 1;
        field += char;
      }
      continue;
    }
    if (char === '"') {
      if (field !== "") throw new CsvSyntaxError(line, "a quote may only start a field (quote the whole field)");
      quoted = true;
      fieldStarted = true;
    } else if (char === ",") {
      fields.push(field);
      field = "";
      fieldStarted = true;
    } else if (char === "\r" || char === "\n") {
      if (char === "\r" && text[position + 1] === "\n") position += 1;
      endRecord();
      line += 1;
      recordLine = line;
    } else {
      field += char;
      fieldStarted = true;
    }
  }
  if (quoted) throw new CsvSyntaxError(recordLine, "a quoted field is never closed");
  if (field !== "" || fields.length > 0 || fieldStarted) endRecord();
  return records;
}
