/**
 * `openrcm job list` and `openrcm job run NAME`: the worker's jobs (packages/worker/src/jobs/registry.ts) —
 * listed with their schedules, or one run now, in this process, on either database (no queue needed).
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { codesetsAdapter } from '@openrcm/engine';
import {
  JOBS,
  JOB_NAMES,
  jobDefinition,
  openTransports,
  readWorkerConfig,
  resolveWorkerConfig,
  runJob,
  type JobContext,
} from '@openrcm/worker';
import { invalid } from '../args.ts';
import type { CliContext } from '../context.ts';
import { practiceByCode } from '../practices.ts';

export function register(program: Command, ctx: CliContext): void {
  const job = program.command('job').description('background jobs: list them, run one now');

  job
    .command('list')
    .description('every job with its schedule (UTC crontab; from --config when given) and what it does')
    .option('--config <file>', 'worker config file whose schedules to show')
    .action((o: { config?: string }) => {
      const config = resolveWorkerConfig(o.config === undefined ? {} : readWorkerConfig(o.config));
      const rows = JOB_NAMES.map((name) => ({
        name,
        scope: JOBS[name].scope,
        schedule: config.schedules[name] ?? 'on demand',
        attempts: JOBS[name].maxAttempts,
        description: JOBS[name].description,
      }));
      ctx.output().records(rows, [
        { header: 'JOB', value: (r) => r.name },
        { header: 'PER', value: (r) => r.scope },
        { header: 'SCHEDULE', value: (r) => r.schedule },
        { header: 'ATTEMPTS', value: (r) => r.attempts },
        { header: 'WHAT', value: (r) => r.description },
      ]);
    });

  job
    .command('run')
    .description('run one job now, in this process (every practice, or --practice)')
    .argument('<name>', `job name (${JOB_NAMES.join(', ')})`)
    .option('--practice <code>', 'only this practice (per-practice jobs)')
    .option('--clearinghouse <code>', 'only this clearinghouse (clearinghouse.pickup)')
    .option('--month <YYYY-MM>', 'the month to report (reports.monthly; default: last month)')
    .option('--path <dir>', 'the directory or file to import (intake.import; default: the config dropDir)')
    .option('--config <file>', 'worker config file (outDir, dropDir, submitter)')
    .option('--out <dir>', 'where reports are written')
    .action(
      async (
        name: string,
        o: {
          practice?: string;
          clearinghouse?: string;
          month?: string;
          path?: string;
          config?: string;
          out?: string;
        },
      ) => {
        const def = jobDefinition(name);
        if (o.practice !== undefined && def.scope !== 'practice')
          throw invalid(`--practice: ${name} is not a per-practice job`);
        const config = resolveWorkerConfig(
          o.config === undefined ? {} : readWorkerConfig(o.config),
          o.out === undefined ? {} : { outDir: resolve(o.out) },
        );
        const log = (event: string, fields: Readonly<Record<string, unknown>> = {}): void => {
          if (ctx.globals().json) return;
          ctx.stderr.write(`${JSON.stringify({ t: ctx.clock.now(), event, ...fields })}\n`);
        };
        await ctx.withDb(async (db) => {
          const payload: Record<string, unknown> = {};
          if (o.practice !== undefined) payload['practiceId'] = (await practiceByCode(db, o.practice)).id;
          if (o.clearinghouse !== undefined) {
            const ch = await db.query<{ id: number }>('SELECT id FROM clearinghouses WHERE code = $1', [
              o.clearinghouse,
            ]);
            const id = ch.rows[0]?.id;
            if (id === undefined)
              throw invalid(`--clearinghouse: no clearinghouse with code ${o.clearinghouse}`);
            payload['clearinghouseId'] = id;
          }
          if (o.month !== undefined) payload['month'] = o.month;
          if (o.path !== undefined) payload['path'] = resolve(o.path);
          const transports = await openTransports(db, ctx.env);
          try {
            for (const [code, why] of Object.entries(transports.unavailable))
              log('transport.unavailable', { clearinghouse: code, reason: why });
            const jobCtx: JobContext = {
              db,
              clock: ctx.clock,
              transports: transports.transports,
              log,
              outDir: config.outDir,
              dropDir: config.dropDir,
              codeSets: codesetsAdapter(),
              parties:
                config.submitter === undefined
                  ? undefined
                  : // The receiver (loop 1000B) is each clearinghouse's own; submission fills it from the row.
                    { ...config.submitter, receiverName: '', receiverId: '' },
            };
            const result = await runJob(jobCtx, name, payload);
            ctx.output().record({ job: result.job, practices: result.practices.length, ...result.counts }, [
              { header: 'job', value: (r) => r.job },
              { header: 'practices', value: (r) => r.practices },
              ...Object.keys(result.counts).map((k) => ({
                header: k,
                value: (r: Record<string, string | number>) => r[k],
              })),
            ]);
          } finally {
            await transports.close();
          }
        });
      },
    );
}
