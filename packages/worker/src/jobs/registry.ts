/**
 * The job registry: every background job of OpenRCM, by name, with its default schedule. The production worker
 * (`openrcm worker`, graphile-worker on PostgreSQL), `openrcm job run NAME` and the demo's simulated clock all
 * run jobs through `runJob`, so a stage behaves the same in all three.
 *
 * Adding a stage (denials follow-up, secondary billing, statements, AR follow-up, ...): write its handler in
 * `jobs/<stage>.ts` taking `(ctx, practice, payload)` (per practice) or `(ctx, payload)` (global), and add ONE
 * entry to `JOBS` below with its name (`<stage>.<cadence>`), description, default cron schedule (or null: on
 * demand only) and attempts. It is then listed by `openrcm job list`, runnable by `openrcm job run`, scheduled by
 * `openrcm worker` and overridable in the worker's config file. Handlers must be safe to re-run: re-check state
 * before acting, carry ids (not patient data) in payloads and logs.
 */
import { workerError } from '../errors.ts';
import { dbAnalyze } from './analyze.ts';
import { claimsDaily } from './claims.ts';
import type { JobContext, LogValue } from './context.ts';
import { eligibilityNightly, eligibilityRetry } from './eligibility.ts';
import { intakeImport } from './intake.ts';
import { withSubjectLock } from './lock.ts';
import { parsePayload, type JobPayload } from './payload.ts';
import { clearinghousePickup } from './pickup.ts';
import { practicesFor, type PracticeRef } from './practices.ts';
import { reportsMonthly } from './reports.ts';

export type JobCounts = Record<string, number>;

interface JobBase {
  readonly name: string;
  readonly description: string;
  /**
   * Default crontab schedule (minute hour day-of-month month day-of-week, in the worker's time zone — UTC unless
   * TZ says otherwise), or null for a job that only runs on demand.
   */
  readonly schedule: string | null;
  /** How often graphile-worker tries a failing run before leaving it failed in the queue. */
  readonly maxAttempts: number;
  /** A scheduled run missed while no worker was up is made up if a worker starts within this many minutes. */
  readonly backfillMinutes: number;
}

/** A job that runs for one practice at a time (under that practice's advisory lock). */
export interface PracticeJob extends JobBase {
  readonly scope: 'practice';
  run(ctx: JobContext, practice: PracticeRef, payload: JobPayload): Promise<JobCounts>;
}

/** A job over the whole installation (clearinghouses, the database, every practice's reports). */
export interface GlobalJob extends JobBase {
  readonly scope: 'global';
  run(ctx: JobContext, payload: JobPayload): Promise<JobCounts>;
}

export type JobDefinition = PracticeJob | GlobalJob;

export const JOBS = {
  'eligibility.nightly': {
    name: 'eligibility.nightly',
    scope: 'practice',
    description: "270 checks for the next business day's appointments; retries and closes unanswered checks",
    schedule: '0 22 * * 1-5',
    maxAttempts: 5,
    backfillMinutes: 120,
    run: (ctx, practice) => eligibilityNightly(ctx, practice),
  },
  'eligibility.retry': {
    name: 'eligibility.retry',
    scope: 'practice',
    description:
      'asks again the checks a payer has not answered (after 4 h); closes them unconfirmed when out of attempts',
    schedule: '30 2,6 * * *',
    maxAttempts: 3,
    backfillMinutes: 60,
    run: (ctx, practice) => eligibilityRetry(ctx, practice),
  },
  'clearinghouse.pickup': {
    name: 'clearinghouse.pickup',
    scope: 'global',
    description: 'fetches 999, 277CA, TA1, 271 and 835 files from each clearinghouse, ingests or posts them',
    schedule: '15 6,10,14,18,23 * * *',
    maxAttempts: 5,
    backfillMinutes: 0,
    run: (ctx, payload) => clearinghousePickup(ctx, payload),
  },
  'claims.daily': {
    name: 'claims.daily',
    scope: 'practice',
    description: 'builds claims for documented encounters, scrubs them, submits the ready ones as 837P',
    schedule: '0 7 * * 1-5',
    maxAttempts: 5,
    backfillMinutes: 240,
    run: (ctx, practice) => claimsDaily(ctx, practice),
  },
  'intake.import': {
    name: 'intake.import',
    scope: 'global',
    description: 'imports the practice files in the intake drop directory (idempotent)',
    schedule: null,
    maxAttempts: 3,
    backfillMinutes: 0,
    run: (ctx, payload) => intakeImport(ctx, payload),
  },
  'reports.monthly': {
    name: 'reports.monthly',
    scope: 'global',
    description: "writes every practice's monthly report and the roll-up for the month just ended",
    schedule: '0 5 1 * *',
    maxAttempts: 3,
    backfillMinutes: 1440,
    run: (ctx, payload) => reportsMonthly(ctx, payload),
  },
  'db.analyze': {
    name: 'db.analyze',
    scope: 'global',
    description: 'refreshes planner statistics (ANALYZE)',
    schedule: '30 2 * * *',
    maxAttempts: 3,
    backfillMinutes: 0,
    run: (ctx) => dbAnalyze(ctx),
  },
} as const satisfies Record<string, JobDefinition>;

export type JobName = keyof typeof JOBS;
export const JOB_NAMES = Object.keys(JOBS) as JobName[];

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(JOBS, name);
}

export function jobDefinition(name: string): JobDefinition {
  if (!isJobName(name))
    throw workerError('worker.unknown_job', `no job named ${name} (known: ${JOB_NAMES.join(', ')})`);
  return JOBS[name];
}

export interface JobRunResult {
  readonly job: string;
  /** Practices the run covered (per-practice jobs), by id. */
  readonly practices: readonly number[];
  readonly counts: JobCounts;
}

function add(into: JobCounts, counts: JobCounts): void {
  for (const [k, v] of Object.entries(counts)) into[k] = (into[k] ?? 0) + v;
}

const logFields = (counts: JobCounts): Record<string, LogValue> => ({ ...counts });

/**
 * Runs one job now: a per-practice job for `payload.practiceId`, or for every practice one after the other
 * (each under its practice lock); a global job once. Logs `job.done` with ids and counts only.
 */
export async function runJob(ctx: JobContext, name: string, rawPayload: unknown = {}): Promise<JobRunResult> {
  const def = jobDefinition(name);
  const payload = parsePayload(name, rawPayload);
  const counts: JobCounts = {};
  const practices: number[] = [];
  if (def.scope === 'practice') {
    for (const p of await practicesFor(ctx.db, payload.practiceId)) {
      const c = await withSubjectLock(ctx.db, 'practice', p.id, () => def.run(ctx, p, payload));
      practices.push(p.id);
      ctx.log('job.practice', { job: name, practiceId: p.id, practice: p.code, ...logFields(c) });
      add(counts, c);
    }
  } else {
    add(counts, await def.run(ctx, payload));
  }
  ctx.log('job.done', { job: name, at: ctx.clock.now(), ...logFields(counts) });
  return { job: name, practices, counts };
}
