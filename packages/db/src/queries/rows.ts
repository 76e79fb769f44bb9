/** Small decoders shared by query modules: turn driver rows into typed records. */
import { coreError, dateFromDb, instantFromDb, type CalendarDate, type Instant } from '@openrcm/core';

export function str(row: Record<string, unknown>, col: string): string {
  const v = row[col];
  if (typeof v !== 'string') throw coreError('db.decode_failed', `column ${col}: expected text`);
  return v;
}

export function optStr(row: Record<string, unknown>, col: string): string | null {
  const v = row[col];
  if (v === null || v === undefined) return null;
  if (typeof v !== 'string') throw coreError('db.decode_failed', `column ${col}: expected text`);
  return v;
}

export function num(row: Record<string, unknown>, col: string): number {
  const v = row[col];
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
    throw coreError('db.decode_failed', `column ${col}: expected an integer`);
  }
  return v;
}

export function optNum(row: Record<string, unknown>, col: string): number | null {
  return row[col] === null || row[col] === undefined ? null : num(row, col);
}

export function bool(row: Record<string, unknown>, col: string): boolean {
  const v = row[col];
  if (typeof v !== 'boolean') throw coreError('db.decode_failed', `column ${col}: expected boolean`);
  return v;
}

export function instant(row: Record<string, unknown>, col: string): Instant {
  return instantFromDb(row[col], col);
}

export function optDate(row: Record<string, unknown>, col: string): CalendarDate | null {
  return row[col] === null || row[col] === undefined ? null : dateFromDb(row[col], col);
}

export function json(row: Record<string, unknown>, col: string): Record<string, unknown> {
  const v = row[col];
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw coreError('db.decode_failed', `column ${col}: expected a JSON object`);
  }
  return v as Record<string, unknown>;
}

/** Maps a unique violation to `core.conflict` (naming the constraint), rethrows anything else. */
export function rethrowConflict(e: unknown, what: string): never {
  const err = e as { details?: Record<string, unknown> } | null;
  if (err?.details?.['sqlstate'] === '23505') {
    const constraint = err.details['constraint'];
    throw coreError(
      'core.conflict',
      `${what} already exists (${typeof constraint === 'string' ? constraint : 'unique key'})`,
      {
        cause: e,
      },
    );
  }
  throw e;
}
