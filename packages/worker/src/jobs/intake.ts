/**
 * intake.import: the practice files dropped in the intake directory (docs/import-format.md) are imported —
 * each file in one transaction, idempotent on every entity's natural key, so re-running imports nothing twice.
 * A file with a bad row is rejected whole; the job then fails naming the files and the first located problems
 * (file, line, field — never a value).
 */
import { formatRowError, importPath } from '@openrcm/engine';
import { workerError } from '../errors.ts';
import { timed, type JobContext } from './context.ts';
import type { JobPayload } from './payload.ts';

export async function intakeImport(ctx: JobContext, payload: JobPayload): Promise<Record<string, number>> {
  const path = payload.path ?? ctx.dropDir;
  if (path === undefined)
    throw workerError(
      'worker.invalid_payload',
      'intake.import: no payload.path and no drop directory configured',
    );
  const result = await timed(ctx, 'import', () => importPath(ctx.db, path));
  const rejected = result.files.filter((f) => f.status === 'rejected');
  if (rejected.length > 0) {
    const where = rejected
      .flatMap((f) => f.errors.slice(0, 3).map((e) => formatRowError(e)))
      .slice(0, 10)
      .join('; ');
    throw workerError(
      'worker.import_rejected',
      `intake.import rejected ${rejected.map((f) => f.file).join(', ')}: ${where}`,
    );
  }
  return {
    files: result.files.filter((f) => f.status === 'imported').length,
    rowsInserted: result.files.reduce((s, f) => s + f.rowsInserted, 0),
    rowsExisting: result.files.reduce((s, f) => s + f.rowsExisting, 0),
  };
}
