// Minimal RFC 4180 CSV reader for the build: quoted fields, doubled quotes, CRLF or LF line ends.
// The source files are small enough (< 2 MB) to read whole.

/** Parses CSV text into rows of fields. A trailing newline does not produce an empty row. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const n = text.length;
  if (text.charCodeAt(0) === 0xfeff) i = 1; // UTF-8 BOM
  while (i < n) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"') {
      quoted = true;
      i++;
    } else if (c === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (c === '\r' || c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += c;
      i++;
    }
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Parses CSV with a header row into records keyed by column name; throws if a named column is missing. */
export function readCsvRecords(text: string, required: readonly string[]): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new Error('empty CSV');
  for (const col of required) if (!header.includes(col)) throw new Error(`CSV lacks column ${col}`);
  return rows.map((r, line) => {
    if (r.length !== header.length)
      throw new Error(`CSV row ${line + 2}: ${r.length} fields, header ${header.length}`);
    const rec: Record<string, string> = {};
    header.forEach((h, k) => (rec[h] = r[k] ?? ''));
    return rec;
  });
}
