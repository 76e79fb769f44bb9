/** `openrcm import PATH`: practice files (docs/import-format.md), one transaction per file, idempotent. */
import type { Command } from 'commander';
import { registerErrors } from '@openrcm/core';
import { formatRowError, importPath, type FileResult } from '@openrcm/engine';
import type { CliContext } from '../context.ts';
import type { Column } from '../output.ts';

const intakeError = registerErrors({
  'intake.rejected': { retryable: false, summary: 'an import file was rejected; nothing of it was written' },
});

const COLUMNS: readonly Column<FileResult>[] = [
  { header: 'FILE', value: (f) => f.file },
  { header: 'STATUS', value: (f) => f.status },
  { header: 'ROWS', value: (f) => f.rowsRead },
  { header: 'NEW', value: (f) => f.rowsInserted },
  { header: 'ALREADY THERE', value: (f) => f.rowsExisting },
];

export function register(program: Command, ctx: CliContext): void {
  program
    .command('import')
    .description('import practice files (a directory, or one <entity>.jsonl|csv file)')
    .argument(
      '<path>',
      'directory written by `openrcm sim generate` or in the documented format, or one file',
    )
    .action(async (path: string) => {
      const result = await ctx.withDb((db) => importPath(db, path));
      ctx.output().records(result.files, COLUMNS);
      const errors = result.files.flatMap((f) => f.errors);
      for (const e of errors) ctx.stderr.write(`${formatRowError(e)}\n`);
      if (!result.ok) {
        const rejected = result.files.filter((f) => f.status === 'rejected').map((f) => f.file);
        throw intakeError('intake.rejected', `rejected ${rejected.join(', ')} (problems listed above)`);
      }
    });
}
