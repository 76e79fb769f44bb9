/**
 * The production worker (issue #8): graphile-worker on PostgreSQL runs the registry's jobs, queued or on their
 * cron schedules. Several worker processes may run against one database: graphile-worker hands each queued job
 * to exactly one of them (row locks, SKIP LOCKED), its cron scheduler enqueues each scheduled run once (keyed
 * by the schedule's identifier and time), and handlers that must not overlap on one practice or clearinghouse
 * take an advisory lock (jobs/lock.ts).
 *
 * A scheduled run of a per-practice job without a practice fans out: one queued job per practice (job key
 * `<job>:practice:<id>`), so the practices of a large installation spread over the workers. Logs carry job
 * names, ids and counts — never payload contents beyond ids, never patient data.
 */
import { hostname } from 'node:os';
import pg from 'pg';
import type { Clock } from '@openrcm/core';
import type { Db } from '@openrcm/db';
import type { CodeSets } from '@openrcm/engine';
import {
  Logger,
  parseCronItems,
  run,
  type CronItem,
  type JobHelpers,
  type LogLevel,
  type Runner,
  type Task,
  type TaskList,
} from 'graphile-worker';
import { workerError } from '../errors.ts';
import type { JobContext, JobLog } from '../jobs/context.ts';
import { parsePayload } from '../jobs/payload.ts';
import { practicesFor } from '../jobs/practices.ts';
import { JOBS, JOB_NAMES, jobDefinition, runJob, type JobName } from '../jobs/registry.ts';
import { openTransports } from '../transports.ts';
import type { WorkerConfig } from './config.ts';

export interface StartWorkerOptions {
  /** postgres:// URL of the database the queue lives in (graphile-worker's own pool and schema). */
  readonly connectionString: string;
  /** The same database for the handlers (a PostgreSQL `Db`; the embedded database has no queue). */
  readonly db: Db;
  readonly config: WorkerConfig;
  readonly clock: Clock;
  /** For the clearinghouse passwords (`OPENRCM_CLEARINGHOUSE_<CODE>_PASSWORD`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly codeSets: CodeSets;
  readonly log: JobLog;
  /** Distinguishes this process in logs (default host:pid). */
  readonly workerName?: string;
}

export interface RunningWorker {
  /** Stops taking jobs, waits for the running ones, releases the queue's connections. */
  stop(): Promise<void>;
  /** Settles when the worker stops. */
  readonly promise: Promise<void>;
  readonly runner: Runner;
}

/** The cron items for the configured schedules (jobs whose schedule is off are not scheduled). */
export function cronItems(config: WorkerConfig): CronItem[] {
  const items: CronItem[] = [];
  for (const name of JOB_NAMES) {
    const pattern = config.schedules[name];
    if (pattern === null) continue;
    const def = JOBS[name];
    items.push({
      task: name,
      match: pattern,
      identifier: name,
      options: {
        // A run missed while no worker was up is made up when one starts within this window.
        backfillPeriod: def.backfillMinutes * 60_000,
        maxAttempts: def.maxAttempts,
        jobKey: `cron:${name}`,
        jobKeyMode: 'replace',
      },
    });
  }
  return items;
}

/** Starts the worker; refuses anything but PostgreSQL. */
export async function startWorker(o: StartWorkerOptions): Promise<RunningWorker> {
  if (o.db.kind !== 'postgres')
    throw workerError(
      'worker.needs_postgres',
      'openrcm worker runs its job queue on PostgreSQL only: set DATABASE_URL (the embedded database has no queue; use `openrcm job run` there)',
    );
  const who = o.workerName ?? `${hostname()}:${process.pid}`;
  const queueLog = new Logger(() => (logLevel: LogLevel, message: string) => {
    // graphile-worker's own lines name tasks and job ids; debug lines are left out.
    const level: string = logLevel;
    if (level === 'debug') return;
    o.log('queue', { worker: who, level, message });
  });

  const taskFor =
    (name: JobName): Task =>
    async (rawPayload: unknown, helpers: JobHelpers) => {
      const def = jobDefinition(name);
      const payload = parsePayload(name, rawPayload);
      const queueJobId = helpers.job.id;
      const attempt = helpers.job.attempts;
      if (def.scope === 'practice' && payload.practiceId === undefined) {
        // Fan out: one job per practice, keyed so a practice never has two of them waiting.
        const practices = await practicesFor(o.db, undefined);
        for (const p of practices)
          await helpers.addJob(
            name,
            { practiceId: p.id },
            { jobKey: `${name}:practice:${p.id}`, maxAttempts: def.maxAttempts },
          );
        o.log('job.fanout', { worker: who, job: name, queueJobId, practices: practices.length });
        return;
      }
      o.log('job.start', {
        worker: who,
        job: name,
        queueJobId,
        attempt,
        practiceId: payload.practiceId ?? null,
      });
      const transports = await openTransports(o.db, o.env);
      try {
        const ctx: JobContext = {
          db: o.db,
          clock: o.clock,
          transports: transports.transports,
          log: (event, fields) => o.log(event, { worker: who, queueJobId, ...fields }),
          outDir: o.config.outDir,
          dropDir: o.config.dropDir,
          codeSets: o.codeSets,
          parties:
            o.config.submitter === undefined
              ? undefined
              : // The receiver (loop 1000B) is each clearinghouse's own; submission fills it from the row.
                { ...o.config.submitter, receiverName: '', receiverId: '' },
        };
        await runJob(ctx, name, payload);
      } catch (e) {
        // The code and whether a retry can help; the message names fields, never values (STYLE §13).
        o.log('job.failed', {
          worker: who,
          job: name,
          queueJobId,
          attempt,
          code: e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : 'unexpected',
        });
        throw e;
      } finally {
        await transports.close();
      }
    };
  const taskList: TaskList = Object.fromEntries(JOB_NAMES.map((n) => [n, taskFor(n)]));

  // The queue's own pool, owned here rather than by graphile-worker: graphile-worker 0.17.3 records a job's
  // completion without awaiting it, so a stop right after a job finished could end its pool under that
  // statement and leave the job locked (run again hours later). `stop` ends this pool only once it is idle.
  const queuePool = new pg.Pool({
    connectionString: o.connectionString,
    max: o.config.concurrency + 2,
    application_name: 'openrcm-worker-queue',
  });
  // An idle connection the server closed (restart, admin termination) is dropped by the pool; say so.
  queuePool.on('error', (e: Error & { code?: string }) =>
    o.log('queue.connection_lost', { worker: who, code: e.code ?? 'unexpected' }),
  );
  const runner = await run({
    pgPool: queuePool,
    concurrency: o.config.concurrency,
    pollInterval: o.config.pollIntervalMs,
    noHandleSignals: true,
    logger: queueLog,
    taskList,
    parsedCronItems: parseCronItems(cronItems(o.config)),
  });
  o.log('worker.started', {
    worker: who,
    concurrency: o.config.concurrency,
    scheduled: JOB_NAMES.filter((n) => o.config.schedules[n] !== null).join(','),
  });
  const drainAndEnd = async (): Promise<void> => {
    // A completion still in flight holds a client or waits for one: let it finish (at most 10 s).
    const end = Date.now() + 10_000;
    while ((queuePool.waitingCount > 0 || queuePool.idleCount < queuePool.totalCount) && Date.now() < end)
      await new Promise((r) => setTimeout(r, 20));
    await queuePool.end();
  };
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= runner
      .stop()
      .then(drainAndEnd)
      .then(() => o.log('worker.stopped', { worker: who }));
    return stopping;
  };
  // The runner may also end by itself (a fatal queue error): release the pool then too.
  const promise = runner.promise.then(
    () => stop(),
    async (e: unknown) => {
      await drainAndEnd().catch(() => undefined);
      throw e;
    },
  );
  return { runner, promise, stop };
}
