/**
 * `openrcm worker`: the production job worker on PostgreSQL (graphile-worker) — runs queued jobs and the
 * registry's schedules until SIGINT/SIGTERM, then stops taking jobs, lets the running ones finish and exits.
 * Several processes may run against one database. One JSON line per event on stdout (ids and counts only).
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { migrate, openPostgres } from '@openrcm/db';
import { codesetsAdapter } from '@openrcm/engine';
import {
  readWorkerConfig,
  resolveWorkerConfig,
  scheduleFlags,
  startWorker,
  workerError,
  type WorkerConfigInput,
} from '@openrcm/worker';
import { positiveInt } from '../args.ts';
import type { CliContext } from '../context.ts';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function register(program: Command, ctx: CliContext): void {
  program
    .command('worker')
    .description(
      'run the background jobs on their schedules (PostgreSQL only; see packages/worker/README.md)',
    )
    .option('--config <file>', 'JSON config file (concurrency, schedules, outDir, dropDir, submitter)')
    .option('--concurrency <n>', 'jobs this process runs at once')
    .option(
      '--schedule <job=cron>',
      'override a schedule, e.g. "claims.daily=30 6 * * 1-5" or "db.analyze=off"',
      collect,
      [],
    )
    .option('--out <dir>', 'where reports are written')
    .option('--drop-dir <dir>', 'intake drop directory for intake.import')
    .option('--poll-interval <ms>', 'how often to look for jobs due later (LISTEN/NOTIFY covers new ones)')
    .action(
      async (o: {
        config?: string;
        concurrency?: string;
        schedule: string[];
        out?: string;
        dropDir?: string;
        pollInterval?: string;
      }) => {
        const url = ctx.env['DATABASE_URL'];
        if (url === undefined || url === '')
          throw workerError(
            'worker.needs_postgres',
            'openrcm worker needs a PostgreSQL server: set DATABASE_URL (the embedded database has no job queue; run one job with `openrcm job run NAME`)',
          );
        const flags: WorkerConfigInput = {
          ...(o.concurrency === undefined
            ? {}
            : { concurrency: positiveInt(o.concurrency, '--concurrency') }),
          ...(o.pollInterval === undefined
            ? {}
            : { pollIntervalMs: positiveInt(o.pollInterval, '--poll-interval') }),
          ...(o.out === undefined ? {} : { outDir: resolve(o.out) }),
          ...(o.dropDir === undefined ? {} : { dropDir: resolve(o.dropDir) }),
          ...(o.schedule.length === 0 ? {} : { schedules: scheduleFlags(o.schedule) }),
        };
        const config = resolveWorkerConfig(o.config === undefined ? {} : readWorkerConfig(o.config), flags);
        const log = (event: string, fields: Readonly<Record<string, unknown>> = {}): void =>
          ctx.stdout.write(`${JSON.stringify({ t: ctx.clock.now(), event, ...fields })}\n`);
        // Each running job may hold one connection for its practice lock while its work uses others: the pool
        // has two per concurrent job (and at least node-postgres' usual ten).
        const db = await openPostgres({
          connectionString: url,
          max: Math.max(10, 2 * config.concurrency + 2),
        });
        try {
          await migrate(db);
        } catch (e) {
          await db.close();
          throw e;
        }
        try {
          const worker = await startWorker({
            connectionString: url,
            db,
            config,
            clock: ctx.clock,
            env: ctx.env,
            codeSets: codesetsAdapter(),
            log,
          });
          // First signal: graceful (finish running jobs); a second one exits at once.
          let signals = 0;
          const onSignal = (signal: NodeJS.Signals): void => {
            signals += 1;
            if (signals > 1) process.exit(signal === 'SIGINT' ? 130 : 143);
            log('worker.signal', { signal });
            void worker.stop();
          };
          process.on('SIGINT', onSignal);
          process.on('SIGTERM', onSignal);
          try {
            await worker.promise;
          } finally {
            process.off('SIGINT', onSignal);
            process.off('SIGTERM', onSignal);
          }
        } finally {
          await db.close();
        }
      },
    );
}
