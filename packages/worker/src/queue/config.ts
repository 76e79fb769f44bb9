/**
 * The worker's configuration: defaults (the registry's schedules, one job at a time per process), a JSON config
 * file, then command-line flags, each overriding the one before. Errors are located: the file and the field.
 *
 * ```json
 * {
 *   "concurrency": 2,
 *   "pollIntervalMs": 2000,
 *   "outDir": "/var/lib/openrcm",
 *   "dropDir": "/var/lib/openrcm/intake",
 *   "submitter": { "name": "ACME BILLING", "id": "ACME01", "contactName": "BILLING DESK", "contactPhone": "8005550100" },
 *   "schedules": { "claims.daily": "30 6 * * 1-5", "db.analyze": "off" }
 * }
 * ```
 * Schedules are crontab patterns (minute hour day-of-month month day-of-week) evaluated in UTC, as graphile-worker
 * does; "off" disables a job's schedule (it still runs when queued or with `openrcm job run`).
 */
import { readFileSync } from 'node:fs';
import type { BatchParties } from '@openrcm/engine';
import { parseCronItems } from 'graphile-worker';
import { workerError } from '../errors.ts';
import { JOBS, JOB_NAMES, isJobName, type JobName } from '../jobs/registry.ts';

export interface WorkerConfig {
  readonly concurrency: number;
  readonly pollIntervalMs: number;
  readonly outDir: string;
  readonly dropDir: string | undefined;
  readonly submitter: Omit<BatchParties, 'receiverName' | 'receiverId'> | undefined;
  /** Every registered job's schedule, or null when it is off. */
  readonly schedules: Readonly<Record<JobName, string | null>>;
}

/** What a config file or the flags may set (each field optional). */
export interface WorkerConfigInput {
  readonly concurrency?: number;
  readonly pollIntervalMs?: number;
  readonly outDir?: string;
  readonly dropDir?: string;
  readonly submitter?: Omit<BatchParties, 'receiverName' | 'receiverId'>;
  readonly schedules?: Readonly<Record<string, string>>;
}

const bad = (where: string, message: string) => workerError('worker.invalid_config', `${where}: ${message}`);

export function defaultWorkerConfig(): WorkerConfig {
  const schedules = Object.fromEntries(JOB_NAMES.map((n) => [n, JOBS[n].schedule])) as Record<
    JobName,
    string | null
  >;
  return {
    concurrency: 1,
    pollIntervalMs: 2000,
    outDir: './openrcm-output',
    dropDir: undefined,
    submitter: undefined,
    schedules,
  };
}

/** Checks one crontab pattern the way the worker will parse it. */
export function checkSchedule(where: string, pattern: string): void {
  try {
    parseCronItems([{ task: 'check', match: pattern, identifier: 'check' }]);
  } catch (e) {
    throw bad(where, `not a crontab pattern (${e instanceof Error ? e.message : 'invalid'})`);
  }
}

const str = (where: string, v: unknown): string => {
  if (typeof v !== 'string' || v === '') throw bad(where, 'expected a non-empty string');
  return v;
};
const posInt = (where: string, v: unknown, max: number): number => {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1 || v > max)
    throw bad(where, `expected a whole number from 1 to ${max}`);
  return v;
};

/** Validates a parsed config object; `source` names the file (or "flags") in errors. */
export function parseWorkerConfig(source: string, raw: unknown): WorkerConfigInput {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw bad(source, 'expected a JSON object');
  const r = raw as Record<string, unknown>;
  const out: {
    concurrency?: number;
    pollIntervalMs?: number;
    outDir?: string;
    dropDir?: string;
    submitter?: Omit<BatchParties, 'receiverName' | 'receiverId'>;
    schedules?: Record<string, string>;
  } = {};
  for (const [k, v] of Object.entries(r)) {
    const where = `${source}: ${k}`;
    switch (k) {
      case 'concurrency':
        out.concurrency = posInt(where, v, 32);
        break;
      case 'pollIntervalMs':
        out.pollIntervalMs = posInt(where, v, 3_600_000);
        break;
      case 'outDir':
        out.outDir = str(where, v);
        break;
      case 'dropDir':
        out.dropDir = str(where, v);
        break;
      case 'submitter': {
        if (typeof v !== 'object' || v === null) throw bad(where, 'expected an object');
        const s = v as Record<string, unknown>;
        out.submitter = {
          submitterName: str(`${where}.name`, s['name']),
          submitterId: str(`${where}.id`, s['id']),
          contactName: str(`${where}.contactName`, s['contactName']),
          contactPhone: str(`${where}.contactPhone`, s['contactPhone']),
        };
        break;
      }
      case 'schedules': {
        if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(where, 'expected an object');
        const schedules: Record<string, string> = {};
        for (const [job, pattern] of Object.entries(v as Record<string, unknown>)) {
          if (!isJobName(job)) throw bad(`${where}.${job}`, `no such job (known: ${JOB_NAMES.join(', ')})`);
          const p = str(`${where}.${job}`, pattern);
          if (p !== 'off') checkSchedule(`${where}.${job}`, p);
          schedules[job] = p;
        }
        out.schedules = schedules;
        break;
      }
      default:
        throw bad(where, 'not a worker setting');
    }
  }
  return out;
}

/** Reads and validates a JSON config file. */
export function readWorkerConfig(file: string): WorkerConfigInput {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw bad(file, 'cannot be read');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw bad(file, `not valid JSON (${e instanceof Error ? e.message : 'parse error'})`);
  }
  return parseWorkerConfig(file, raw);
}

/** Layers inputs over the defaults, later ones winning. */
export function resolveWorkerConfig(...inputs: readonly WorkerConfigInput[]): WorkerConfig {
  let c = defaultWorkerConfig();
  for (const i of inputs) {
    const schedules = { ...c.schedules };
    for (const [job, p] of Object.entries(i.schedules ?? {}))
      if (isJobName(job)) schedules[job] = p === 'off' ? null : p;
    c = {
      concurrency: i.concurrency ?? c.concurrency,
      pollIntervalMs: i.pollIntervalMs ?? c.pollIntervalMs,
      outDir: i.outDir ?? c.outDir,
      dropDir: i.dropDir ?? c.dropDir,
      submitter: i.submitter ?? c.submitter,
      schedules,
    };
  }
  return c;
}

/** `--schedule job=pattern` flags (repeatable; `job=off` disables) as a config input, validated. */
export function scheduleFlags(values: readonly string[]): Record<string, string> {
  const input: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq < 1) throw bad('--schedule', `expected job=pattern (e.g. "claims.daily=0 7 * * 1-5"), got ${v}`);
    input[v.slice(0, eq).trim()] = v.slice(eq + 1).trim();
  }
  return parseWorkerConfig('--schedule', { schedules: input }).schedules ?? {};
}
