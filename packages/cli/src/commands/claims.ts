/** `openrcm claims build`: claim construction and the scrubber for one practice or all. */
import type { Command } from 'commander';
import { dateInZone } from '@openrcm/core';
import { practiceScope, type Db } from '@openrcm/db';
import { buildClaims, codesetsAdapter, scrubClaims } from '@openrcm/engine';
import { invalid } from '../args.ts';
import type { CliContext } from '../context.ts';

async function practicesFor(db: Db, code: string | undefined): Promise<{ id: number; code: string }[]> {
  const res = await db.query<{ id: number; code: string }>(
    'SELECT id, code FROM practices WHERE $1::text IS NULL OR code = $1 ORDER BY id',
    [code ?? null],
  );
  if (code !== undefined && res.rows.length === 0) throw invalid(`--practice: no practice with code ${code}`);
  return res.rows;
}

export function register(program: Command, ctx: CliContext): void {
  const claims = program.command('claims').description('claims');

  claims
    .command('build')
    .description('build claims from coded encounters that have none, then scrub them')
    .option('--practice <code>', 'only this practice')
    .action(async (o: { practice?: string }) => {
      const at = ctx.clock.now();
      const asOf = dateInZone(at, 'UTC');
      const codeSets = codesetsAdapter();
      await ctx.withDb(async (db) => {
        const rows = [];
        for (const p of await practicesFor(db, o.practice)) {
          const b = await buildClaims(db, practiceScope(p.id), { at });
          const s = await scrubClaims(db, practiceScope(p.id), { asOf, at, codeSets });
          rows.push({
            practice: p.code,
            built: b.claimsBuilt,
            lines: b.linesBuilt,
            ready: s.ready,
            held: s.held,
          });
        }
        ctx.output().records(rows, [
          { header: 'PRACTICE', value: (r) => r.practice },
          { header: 'BUILT', value: (r) => r.built },
          { header: 'LINES', value: (r) => r.lines },
          { header: 'CLEAN', value: (r) => r.ready },
          { header: 'HELD', value: (r) => r.held },
        ]);
      });
    });
}
