/**
 * Job payloads carry ids and names, never patient data (STYLE §11, §13). One shape for every job; each job
 * reads the fields it needs. graphile-worker adds `_cron` to scheduled jobs: ignored here.
 */
import { workerError } from '../errors.ts';

const invalid = (message: string) => workerError('worker.invalid_payload', message);

export interface JobPayload {
  /** Run for this practice only (per-practice jobs); absent: every practice, one after the other. */
  readonly practiceId?: number;
  /** Pick up from this clearinghouse only; absent: every configured clearinghouse. */
  readonly clearinghouseId?: number;
  /** `YYYY-MM` for reports.monthly; absent: the month before today. */
  readonly month?: string;
  /** A directory or file for intake.import; absent: the context's drop directory. */
  readonly path?: string;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Validates a payload from the queue, the CLI or a config file; errors name the job and the field. */
export function parsePayload(job: string, raw: unknown): JobPayload {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw invalid(`job ${job}: the payload must be an object`);
  const r = raw as Record<string, unknown>;
  const out: { practiceId?: number; clearinghouseId?: number; month?: string; path?: string } = {};
  for (const [k, v] of Object.entries(r)) {
    switch (k) {
      case 'practiceId':
      case 'clearinghouseId':
        if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0)
          throw invalid(`job ${job}: payload.${k} must be a positive integer`);
        out[k] = v;
        break;
      case 'month':
        if (typeof v !== 'string' || !MONTH.test(v))
          throw invalid(`job ${job}: payload.month must be YYYY-MM`);
        out.month = v;
        break;
      case 'path':
        if (typeof v !== 'string' || v === '')
          throw invalid(`job ${job}: payload.path must be a non-empty string`);
        out.path = v;
        break;
      case '_cron':
        break;
      default:
        throw invalid(`job ${job}: payload.${k} is not a field of any job`);
    }
  }
  return out;
}
