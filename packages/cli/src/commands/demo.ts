/** `openrcm demo`: the end-to-end run on synthetic practices (what `npm run demo` calls). */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { formatCents, type Cents } from '@openrcm/core';
import { runDemo } from '@openrcm/worker';
import { positiveInt } from '../args.ts';
import type { CliContext } from '../context.ts';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('demo')
    .description('generate synthetic practices and run them through OpenRCM end to end')
    .option('--practices <n>', 'number of practices', '3')
    .option('--months <n>', 'months of encounters', '3')
    .option('--seed <n>', 'random seed (same seed, same run)', '1')
    .option('--out <dir>', 'output folder', './demo-output')
    .option('--start <date>', 'first date of service', '2026-01-05')
    .action(async (o: { practices: string; months: string; seed: string; out: string; start: string }) => {
      const out = resolve(o.out);
      const log = (line: string): void =>
        ctx.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
      const s = await runDemo({
        practices: positiveInt(o.practices, '--practices'),
        months: positiveInt(o.months, '--months'),
        seed: positiveInt(o.seed, '--seed'),
        out,
        startDate: o.start,
        databaseUrl: ctx.env['DATABASE_URL'],
        log,
      });
      if (ctx.globals().json) {
        ctx.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
        return;
      }
      const c = s.claims;
      const pct = (n: number, d: number): string => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(1)} %`);
      const lines = [
        '',
        'OpenRCM demo — summary',
        `  encounters generated        ${s.generated['encounters'] ?? 0} (${c.encountersWithoutPrimaryCoverage} self-pay, no claim)`,
        `  claims built                ${c.built}   (${formatCents(s.dollars.chargedCents as Cents)} charged)`,
        `  held by the scrubber        ${c.held}   (${pct(c.held, c.built)}) ${JSON.stringify(c.heldBy)}`,
        `  holds by rule               ${JSON.stringify(c.heldByRule)}`,
        `  submitted (837P)            ${c.submitted}   (${formatCents(s.dollars.submittedCents as Cents)}) in ${s.edi.outboundFiles} file(s)`,
        `  to paper-only payers        ${c.paper}`,
        `  837P files read back        ${s.edi.claimsInFiles} claims, ${s.edi.readerErrors} reader errors`,
        `  built = held + clean + sent ${s.balance.builtEqualsHeldPlusReadyPlusSubmitted ? 'yes' : 'NO'}`,
        '',
        `Output: ${out}/summary.json, ${out}/edi/outbound/, generated data in ${out}/data/`,
        'Not in this run yet:',
        ...s.notYet.map((n) => `  - ${n}`),
        `Finished in ${(s.elapsedMs / 1000).toFixed(1)} s.`,
      ];
      ctx.stdout.write(`${lines.join('\n')}\n`);
    });
}
