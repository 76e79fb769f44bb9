import { readFileSync } from 'node:fs';

/** One data row of an import file with its 1-based line number (the header is line 1 in CSV). */
export interface SourceRow {
  readonly line: number;
  readonly values: Readonly<Record<string, unknown>>;
}

/** A problem in an import file, located by file, line and field. Never carries the field's value. */
export interface RowError {
  readonly file: string;
  readonly line: number;
  readonly field?: string;
  readonly message: string;
}

export function formatRowError(e: RowError): string {
  return `${e.file}:${e.line}${e.field === undefined ? '' : ` ${e.field}`}: ${e.message}`;
}

/**
 * Splits CSV text (RFC 4180: quoted cells may hold commas, quotes doubled, line breaks) into records,
 * each with the line it starts on.
 */
export function parseCsv(text: string): { line: number; cells: string[] }[] {
  const out: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let i = 0;
  const n = text.length;
  const endRecord = (): void => {
    cells.push(cell);
    if (!(cells.length === 1 && cells[0] === '')) out.push({ line: recordLine, cells });
    cells = [];
    cell = '';
  };
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  while (i < n) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
      i++;
      continue;
    }
    if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else cell += ch;
    i++;
  }
  if (cell !== '' || cells.length > 0) endRecord();
  return out;
}

/**
 * Reads a JSON Lines or CSV file into rows. CSV cells are strings ('' = absent); lists are '|'-joined
 * (docs/import-format.md). A line that is not valid JSON becomes a located error, not an exception.
 */
export function readRows(path: string, fileLabel: string): { rows: SourceRow[]; errors: RowError[] } {
  const text = readFileSync(path, 'utf8');
  const rows: SourceRow[] = [];
  const errors: RowError[] = [];
  if (path.endsWith('.csv')) {
    const records = parseCsv(text);
    const header = records[0]?.cells ?? [];
    for (const r of records.slice(1)) {
      if (r.cells.length !== header.length) {
        errors.push({
          file: fileLabel,
          line: r.line,
          message: `has ${r.cells.length} cells; the header has ${header.length}`,
        });
        continue;
      }
      const values: Record<string, unknown> = {};
      header.forEach((h, k) => {
        values[h] = r.cells[k];
      });
      rows.push({ line: r.line, values });
    }
    return { rows, errors };
  }
  const lines = text.split('\n');
  for (let k = 0; k < lines.length; k++) {
    const raw = (lines[k] ?? '').trim();
    if (raw === '') continue;
    try {
      const v: unknown = JSON.parse(raw);
      if (typeof v !== 'object' || v === null || Array.isArray(v)) {
        errors.push({ file: fileLabel, line: k + 1, message: 'is not a JSON object' });
        continue;
      }
      rows.push({ line: k + 1, values: v as Record<string, unknown> });
    } catch {
      errors.push({ file: fileLabel, line: k + 1, message: 'is not valid JSON' });
    }
  }
  return { rows, errors };
}
