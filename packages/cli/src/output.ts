/**
 * Command output: records as JSON (`--json`, for scripts) or as an aligned table (for people).
 * Human messages go to stdout in table mode and to stderr in JSON mode, so stdout stays parseable.
 */

export interface Column<T> {
  readonly header: string;
  readonly value: (row: T) => string | number | boolean | null | undefined;
}

export interface Sink {
  write(text: string): void;
}

export interface Output {
  readonly json: boolean;
  /** A list of records: a JSON array, or a table with a header row. */
  records<T>(rows: readonly T[], columns: readonly Column<T>[]): void;
  /** One record (e.g. what a create command made): a JSON object, or a two-column key/value list. */
  record<T>(row: T, columns: readonly Column<T>[]): void;
  /** A human-readable line (progress, summary). */
  message(text: string): void;
}

function cell(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '';
  return String(v);
}

/** Lays out rows as left-aligned columns separated by two spaces (numbers right-aligned). */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  numeric: readonly boolean[] = [],
): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

export function createOutput(json: boolean, stdout: Sink, stderr: Sink): Output {
  return {
    json,
    records(rows, columns) {
      if (json) {
        stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      if (rows.length === 0) {
        stdout.write('(none)\n');
        return;
      }
      const cells = rows.map((r) => columns.map((c) => cell(c.value(r))));
      const numeric = columns.map((c) => rows.every((r) => typeof c.value(r) === 'number'));
      stdout.write(
        `${formatTable(
          columns.map((c) => c.header),
          cells,
          numeric,
        )}\n`,
      );
    },
    record(row, columns) {
      if (json) {
        stdout.write(`${JSON.stringify(row, null, 2)}\n`);
        return;
      }
      const width = Math.max(...columns.map((c) => c.header.length));
      stdout.write(
        `${columns.map((c) => `${c.header.padEnd(width)}  ${cell(c.value(row))}`.trimEnd()).join('\n')}\n`,
      );
    },
    message(text) {
      (json ? stderr : stdout).write(`${text}\n`);
    },
  };
}
