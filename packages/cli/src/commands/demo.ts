/** `openrcm demo`: the end-to-end run on synthetic practices (what `npm run demo` calls). */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { formatCents, type Cents } from '@openrcm/core';
import { runDemo, workerError } from '@openrcm/worker';
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
      const failed = Object.entries(s.balance).filter(([, ok]) => !ok);
      const fail = (): void => {
        // A false balance check is a failed run (exit 1), not a line to overlook.
        if (failed.length > 0)
          throw workerError(
            'worker.demo_unbalanced',
            `balance check(s) failed: ${failed.map(([k]) => k).join(', ')}`,
          );
      };
      if (ctx.globals().json) {
        ctx.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
        fail();
        return;
      }
      const c = s.claims;
      const d = s.dollars;
      const money = (k: string): string => formatCents((d[k] ?? 0) as Cents);
      const num = (k: string): number => c[k] ?? 0;
      const pct = (a: number, b: number): string => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)} %`);
      const ev = s.eligibility.visits;
      const er = ev.byReason;
      const kv = (r: Readonly<Record<string, number>>): string =>
        Object.entries(r)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ') || 'none';
      const lines = [
        '',
        `OpenRCM demo — ${s.period.from} to ${s.period.to} (clock run to ${s.period.clockEnd})`,
        `  encounters                  ${s.generated['encounters'] ?? 0}`,
        `  claims built                ${num('built')}   (${money('chargedCents')} charged)`,
        `  held by the scrubber        ${num('heldAtSomePoint')} at some point (${pct(num('heldAtSomePoint'), num('built'))}); still held: ${kv(s.heldBy)}`,
        `  submitted                   ${num('submitted')}`,
        `  accepted / rejected         ${num('accepted')} / ${num('rejected')} (front-end rejection ${pct(num('rejected'), num('submitted'))})`,
        `  adjudicated / denied        ${num('adjudicated')} / ${num('denied')} (denial rate ${pct(num('denied'), num('adjudicated'))})`,
        `  claims now                  ${kv(s.claimsByStatus)}`,
        `  eligibility checks          ${kv(s.eligibility.checks)}`,
        `  visits verified (271)       ${ev.verified} of ${ev.appointments} (${pct(ev.verified, ev.appointments)}; ${pct(ev.verified, ev.withCoverage)} of the insured) before the visit`,
        `  visits flagged              ${ev.flagged} (${pct(ev.flagged, ev.appointments)}): changed ${er.changed}, secondary coverage found ${er.secondaryFound}, lapsed ${er.lapsed}, not found ${er.notFound}, unconfirmed ${er.unconfirmed}; paper payers not asked ${er.notAsked}`,
        `  insurance paid              ${money('insurancePaidCents')}  (Σ BPR02 of the 835s received: ${money('bpr02TotalCents')})`,
        `  contractual / other adj.    ${money('contractualAdjustmentsCents')} / ${money('otherAdjustmentsCents')}`,
        `  patient responsibility      ${money('patientResponsibilityCents')}`,
        `  open AR                     ${money('openArCents')}`,
        `  files sent / received       ${kv(s.edi.sent)} / ${kv(s.edi.received)}`,
        `  balance checks              ${Object.entries(s.balance)
          .map(([k, v]) => `${k} ${v ? 'yes' : 'NO'}`)
          .join(', ')}`,
        `  claim lines (ledger)        ${s.claimLines['checked'] ?? 0} checked: charge = paid + adjustments + patient + open on ${(s.claimLines['checked'] ?? 0) - (s.claimLines['unbalanced'] ?? 0)}`,
        '',
        `Output: ${out}/summary.json, ${out}/reports/ (monthly reports), ${out}/edi/outbound/ (sent), ${out}/edi/inbound/ (received), ${out}/data/ (generated files)`,
        `Time by step (s): ${Object.entries(s.stepMs)
          .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`)
          .join(', ')}`,
        `CPU time by step (s): ${Object.entries(s.stepCpuMs)
          .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`)
          .join(', ')}`,
        `Finished in ${(s.elapsedMs / 1000).toFixed(1)} s (${(s.cpuMs / 1000).toFixed(1)} s of CPU time).`,
      ];
      ctx.stdout.write(`${lines.join('\n')}\n`);
      fail();
    });
}
