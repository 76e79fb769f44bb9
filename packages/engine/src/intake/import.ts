import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Db } from '@openrcm/db';
import { ENTITY_DEFS, NOT_IMPORTED, Resolver } from './entities.ts';
import { RowReader } from './fields.ts';
import { readRows, type RowError } from './read.ts';

/** What happened to one file. */
export interface FileResult {
  readonly file: string;
  readonly entity: string;
  readonly rowsRead: number;
  /** Rows newly inserted; a re-import of the same file inserts 0. */
  readonly rowsInserted: number;
  /** Rows whose natural key was already in the database. */
  readonly rowsExisting: number;
  readonly status: 'imported' | 'rejected' | 'skipped';
  /** Located problems (file, line, field); a rejected file imported nothing. */
  readonly errors: readonly RowError[];
  readonly note?: string;
}

export interface ImportResult {
  readonly files: readonly FileResult[];
  readonly ok: boolean;
}

/** How many row errors a file reports before the rest are summarised. */
const MAX_ERRORS_PER_FILE = 50;

function findFile(dir: string, entity: string): string | undefined {
  for (const ext of ['jsonl', 'csv']) {
    const p = join(dir, `${entity}.${ext}`);
    if (existsSync(p)) return p;
  }
  return undefined;
}

/**
 * Imports practice files (docs/import-format.md) from a directory, or a single file named after its
 * entity (`charges.csv`). Files are taken in dependency order; each is validated row by row and loaded in
 * ONE transaction: a file with any bad row is rejected whole (every problem reported with file, line and
 * field) and nothing of it is written. Loading is idempotent on each entity's natural key.
 */
export async function importPath(db: Db, path: string): Promise<ImportResult> {
  const isDir = statSync(path).isDirectory();
  const files: { entity: string; path: string }[] = [];
  if (isDir) {
    for (const d of ENTITY_DEFS) {
      const p = findFile(path, d.file);
      if (p !== undefined) files.push({ entity: d.file, path: p });
    }
  } else {
    const entity = basename(path).replace(/\.(jsonl|csv)$/, '');
    files.push({ entity, path });
  }
  const results: FileResult[] = [];
  if (isDir) {
    for (const [entity, why] of Object.entries(NOT_IMPORTED)) {
      const p = findFile(path, entity);
      if (p !== undefined) {
        results.push({
          file: basename(p),
          entity,
          rowsRead: 0,
          rowsInserted: 0,
          rowsExisting: 0,
          status: 'skipped',
          errors: [],
          note: why,
        });
      }
    }
  }
  for (const f of files) results.push(await importFile(db, f.entity, f.path));
  return { files: results, ok: results.every((r) => r.status !== 'rejected') };
}

async function importFile(db: Db, entity: string, path: string): Promise<FileResult> {
  const label = basename(path);
  const d = ENTITY_DEFS.find((x) => x.file === entity);
  if (d === undefined) {
    const why = NOT_IMPORTED[entity];
    return {
      file: label,
      entity,
      rowsRead: 0,
      rowsInserted: 0,
      rowsExisting: 0,
      status: why === undefined ? 'rejected' : 'skipped',
      errors:
        why === undefined
          ? [
              {
                file: label,
                line: 0,
                message: `is not a known import file (${ENTITY_DEFS.map((x) => x.file).join(', ')})`,
              },
            ]
          : [],
      ...(why === undefined ? {} : { note: why }),
    };
  }
  const { rows, errors } = readRows(path, label);
  const reader = new RowReader(label, errors);
  const parsed: { line: number; value: unknown }[] = [];
  for (const row of rows) {
    const value = d.parse(reader.at(row));
    if (!reader.failed) parsed.push({ line: row.line, value });
  }
  const sha = createHash('sha256').update(readFileSync(path)).digest('hex');
  const reject = (errs: RowError[]): FileResult => ({
    file: label,
    entity,
    rowsRead: rows.length,
    rowsInserted: 0,
    rowsExisting: 0,
    status: 'rejected',
    errors:
      errs.length > MAX_ERRORS_PER_FILE
        ? [
            ...errs.slice(0, MAX_ERRORS_PER_FILE),
            { file: label, line: 0, message: `${errs.length - MAX_ERRORS_PER_FILE} more problems not shown` },
          ]
        : errs,
  });
  if (errors.length > 0) return reject(errors);

  // One transaction per file: references are resolved inside it, so a failure leaves nothing behind.
  class Rejected extends Error {}
  try {
    const inserted = await db.transaction(async (tx) => {
      const resolver = new Resolver(tx);
      const resolved: unknown[][] = [];
      for (const p of parsed) {
        const values = await d.resolve(p.value, resolver, (field, message) =>
          errors.push({ file: label, line: p.line, field, message }),
        );
        if (values !== undefined) resolved.push(values);
      }
      if (errors.length > 0) throw new Rejected();
      const n = await d.load(tx, resolved, resolver);
      await tx.query(
        'INSERT INTO import_runs (entity, file_name, content_sha256, rows_read, rows_inserted) VALUES ($1, $2, $3, $4, $5)',
        [entity, label, sha, rows.length, n],
      );
      return n;
    });
    // A bulk load changes the tables' statistics; the embedded engine has no autovacuum to refresh them, and
    // stale statistics make the daily jobs' queries pick nested loops over whole tables.
    if (inserted > 0) for (const table of d.tables) await db.exec(`ANALYZE ${table}`);
    return {
      file: label,
      entity,
      rowsRead: rows.length,
      rowsInserted: inserted,
      rowsExisting: rows.length - inserted,
      status: 'imported',
      errors: [],
    };
  } catch (e) {
    // The database layer wraps whatever the callback threw; ours is the cause.
    if (e instanceof Rejected || (e as { cause?: unknown }).cause instanceof Rejected) return reject(errors);
    // A constraint the row checks did not foresee (e.g. a duplicate NPI under another provider id): the
    // file is rolled back and the constraint named, without row values.
    const err = e as { message?: string; details?: { constraint?: unknown } };
    const constraint = typeof err.details?.constraint === 'string' ? ` (${err.details.constraint})` : '';
    return reject([
      {
        file: label,
        line: 0,
        message: `was rolled back: the database refused it${constraint}: ${String(err.message ?? e)}`,
      },
    ]);
  }
}
