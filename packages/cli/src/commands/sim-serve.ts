/**
 * `openrcm sim serve` and `openrcm sim adjudicate` (issue 4 §1, §5): the simulated clearinghouse with its
 * payers, over SFTP or one shot on a file. Both read the payers' knowledge from a generated data set
 * (`openrcm sim generate --out DIR`).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { parseX12 } from '@openrcm/x12';
import {
  SimClearinghouse,
  datasetOrigin,
  loadDataset,
  loadPayerKnowledge,
  naive837Files,
  serveClearinghouse,
  type ClearinghouseStats,
} from '@openrcm/sim/clearinghouse';
import { invalid } from '../args.ts';
import type { CliContext } from '../context.ts';

function port(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('port must be 0..65535');
  return n;
}

function date(v: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`)))
    throw new InvalidArgumentError('expected a YYYY-MM-DD date');
  return v;
}

function nonNegativeInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number');
  return n;
}

const seedOf = (s: string): number | string => (/^\d+$/.test(s) ? Number(s) : s);

function addDays(d: string, n: number): string {
  return new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** ISA09 (YYMMDD) of the first interchange as a date, when readable. */
function interchangeDate(content: string): string | null {
  const d6 = parseX12(content).interchanges[0]?.header.date ?? '';
  return /^\d{6}$/.test(d6) ? `20${d6.slice(0, 2)}-${d6.slice(2, 4)}-${d6.slice(4, 6)}` : null;
}

function pct(n: number, d: number): string {
  return d === 0 ? 'n/a' : `${((n / d) * 100).toFixed(1)} %`;
}

function summary(s: ClearinghouseStats): Record<string, unknown> {
  return {
    interchanges: s.interchanges,
    interchangesRejected: s.interchangesRejected,
    transactionSetsRejected: s.transactionSetsRejected,
    claimsReceived: s.claimsReceived,
    frontEndRejected: s.frontEndRejected,
    frontEndRejectionRate: s.claimsReceived === 0 ? 0 : s.frontEndRejected / s.claimsReceived,
    rejectionsByStatus: s.rejectionsByStatus,
    firstAdjudications: s.firstAdjudications,
    firstDenied: s.firstDenied,
    firstAdjudicationDenialRate: s.firstAdjudications === 0 ? 0 : s.firstDenied / s.firstAdjudications,
    deniedLinesByCarc: s.deniedLinesByCarc,
    crossovers: s.crossovers,
    reversals: s.reversals,
    splitClaims: s.splitClaims,
    recoupments: s.recoupments,
    recoupedCents: s.recoupedCents,
    internalErrors: s.internalErrors,
    paperOnlyAdjudications: s.paperOnly,
    eras: s.eras,
    paidCents: s.paidCents,
  };
}

interface ServeOptions {
  root: string;
  port: number;
  host: string;
  user?: string;
  password?: string;
  sftp: boolean;
  data: string;
  seed: string;
  start?: string;
  dayMs: number;
}

interface AdjudicateOptions {
  data: string;
  out: string;
  seed: string;
  received?: string;
  days: number;
}

/** Adds `sim serve` and `sim adjudicate` to the `sim` command group. */
export function register(program: Command, ctx: CliContext): void {
  const sim =
    program.commands.find((c) => c.name() === 'sim') ??
    program.command('sim').description('simulated practices, clearinghouse and payers');

  sim
    .command('serve')
    .description('run the simulated clearinghouse and payers behind an SFTP server (inbound/ and outbound/)')
    .requiredOption('--root <dir>', 'clearinghouse folder (inbound/, outbound/, archive/)')
    .requiredOption('--data <dir>', 'generated data set (openrcm sim generate --out) the payers know')
    .option('--user <name>', 'SFTP user name (required unless --no-sftp)')
    .option('--password <secret>', 'SFTP password (required unless --no-sftp)')
    .option('--no-sftp', 'no SFTP server: a plain drop folder (inbound/ polled, answers in outbound/)')
    .option('--port <n>', 'SFTP port (0 picks a free one)', port, 2222)
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option('--seed <seed>', 'random seed (adjudication lags)', '1')
    .option('--start <date>', 'first simulated date (default: the data set start)', date)
    .option(
      '--day-ms <n>',
      'real milliseconds per simulated day (0: only *.clock files move the clock)',
      nonNegativeInt,
      0,
    )
    .action(async (opts: ServeOptions) => {
      if (opts.sftp && (opts.user === undefined || opts.password === undefined))
        throw invalid('--user and --password are required for the SFTP server (or pass --no-sftp)');
      const server = await serveClearinghouse({
        root: opts.root,
        sftp: opts.sftp,
        username: opts.user ?? '',
        password: opts.password ?? '',
        port: opts.port,
        host: opts.host,
        seed: seedOf(opts.seed),
        dataDir: opts.data,
        ...(opts.start === undefined ? {} : { startDate: opts.start }),
        dayMs: opts.dayMs,
        log: (line) => ctx.stderr.write(`${line}\n`),
      });
      ctx.stdout.write(
        `sim serve: ${opts.sftp ? `SFTP on ${server.host}:${server.port}` : 'drop folder'}, root ${opts.root}, simulated date ${server.today()}; ` +
          `drop a file named *.clock holding YYYY-MM-DD into inbound/ to move the clock. Ctrl-C stops.\n`,
      );
      await new Promise<void>((resolve) => {
        const stop = (): void => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await server.close();
      ctx.stdout.write('sim serve: stopped\n');
    });

  sim
    .command('adjudicate')
    .description(
      'one shot: run an 837 (or, without one, claims written straight from the data set charges) through the clearinghouse and payers',
    )
    .argument('[in]', '837P file; omitted: the data set charges unscrubbed, sent day by day (realism check)')
    .requiredOption('--data <dir>', 'generated data set (openrcm sim generate --out)')
    .requiredOption('--out <dir>', 'where the 999, 277CA and 835 files go')
    .option('--seed <seed>', 'random seed (adjudication lags)', '1')
    .option('--received <date>', 'date the clearinghouse receives IN (default: its ISA09 date)', date)
    .option(
      '--days <n>',
      'days the clock runs past the last receipt (enough for every payment)',
      nonNegativeInt,
      150,
    )
    .action((input: string | undefined, opts: AdjudicateOptions) => {
      const t0 = performance.now();
      mkdirSync(opts.out, { recursive: true });
      let ch: SimClearinghouse;
      let last: string;
      const origin = datasetOrigin(opts.data);
      const dataset = origin === null ? {} : { dataset: origin };
      if (input !== undefined) {
        const { data, startDate } = loadPayerKnowledge(opts.data);
        ch = new SimClearinghouse({
          setup: data,
          authorizations: data.authorizations,
          seed: seedOf(opts.seed),
          ...dataset,
        });
        const content = readFileSync(input, 'latin1');
        last = opts.received ?? interchangeDate(content) ?? startDate ?? '2026-01-05';
        ch.receive(input, content, last);
      } else {
        const ds = loadDataset(opts.data);
        ch = new SimClearinghouse({
          setup: ds,
          authorizations: ds.authorizations,
          seed: seedOf(opts.seed),
          ...dataset,
        });
        const files = naive837Files(ds);
        mkdirSync(join(opts.out, '837'), { recursive: true });
        last = files[0]?.receivedDate ?? '2026-01-05';
        for (const f of files) {
          writeFileSync(join(opts.out, '837', f.name), f.content);
          ch.receive(f.name, f.content, f.receivedDate);
          last = f.receivedDate;
        }
      }
      ch.advanceTo(addDays(last, opts.days));
      for (const f of ch.outbox()) writeFileSync(join(opts.out, f.name), f.content);
      const s = ch.stats;
      const seconds = (performance.now() - t0) / 1000;
      if (ctx.globals().json) {
        ctx.stdout.write(
          `${JSON.stringify({ out: opts.out, files: ch.outbox().length, seconds: Math.round(seconds * 100) / 100, ...summary(s) }, null, 2)}\n`,
        );
        return;
      }
      const carcs = Object.entries(s.deniedLinesByCarc)
        .sort((a, b) => b[1] - a[1])
        .map(([k, n]) => `${k} ${n}`)
        .join(', ');
      ctx.stdout.write(
        `sim adjudicate: ${s.claimsReceived} claims in ${s.interchanges} interchanges; ` +
          `front-end rejection rate ${pct(s.frontEndRejected, s.claimsReceived)} (${s.frontEndRejected}); ` +
          `first-adjudication denial rate ${pct(s.firstDenied, s.firstAdjudications)} (${s.firstDenied} of ${s.firstAdjudications})\n` +
          `  denied lines: ${carcs === '' ? 'none' : carcs}\n` +
          `  ${s.eras} ERAs paying ${(s.paidCents / 100).toFixed(2)}, ${s.crossovers} crossovers, ${s.splitClaims} claims split across ERAs, ${s.reversals} reversals, ` +
          `${s.recoupments} overpayment recoveries (PLB WO, ${(s.recoupedCents / 100).toFixed(2)}), ` +
          `${s.paperOnly} paper-only adjudications (no 835); ${ch.outbox().length} files in ${opts.out} (${seconds.toFixed(2)} s)\n`,
      );
    });
}
