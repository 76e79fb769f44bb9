/**
 * What every job handler receives: the database, the time "now" from an injectable clock (the wall clock in
 * the worker, the simulated clock in the demo), the clearinghouse transports, a log that carries ids and
 * counts only, and where files go. Handlers never read the wall clock nor the environment themselves.
 */
import type { Clock } from '@openrcm/core';
import type { Db } from '@openrcm/db';
import type { BatchParties, ClearinghouseTransport, CodeSets } from '@openrcm/engine';

/** A log field: ids, names of files and jobs, counts. Never patient data (names, member ids, dates of birth). */
export type LogValue = string | number | boolean | null;

/** One structured log line: an event name and its fields. */
export type JobLog = (event: string, fields?: Readonly<Record<string, LogValue>>) => void;

export interface JobContext {
  readonly db: Db;
  readonly clock: Clock;
  /** Open transports by clearinghouse id (`openTransports` builds them from the `clearinghouses` table). */
  readonly transports: ReadonlyMap<number, ClearinghouseTransport>;
  readonly log: JobLog;
  /** Where reports are written (`<outDir>/reports/...`). */
  readonly outDir: string;
  /** The intake drop directory `intake.import` reads when its payload names no path. */
  readonly dropDir?: string | undefined;
  readonly codeSets: CodeSets;
  /**
   * The 837P submitter (loop 1000A), from the worker's config; submission replaces the receiver (1000B) by each
   * clearinghouse's own. claims.daily refuses to run without it.
   */
  readonly parties?: BatchParties | undefined;
  /** Wraps each stage call (the demo measures where its time goes); default: runs it. */
  readonly timed?: <T>(step: string, fn: () => Promise<T>) => Promise<T>;
  /** Called with every file the claims job sent (the demo keeps a copy). */
  readonly onSent?: (name: string, content: string) => void;
  /** Called with every file picked up, before it is ingested (the demo keeps a copy). */
  readonly onReceived?: (name: string, content: string, kind: ReceivedKind) => void;
}

export const RECEIVED_KINDS = ['835', '271', '999', '277CA', 'TA1'] as const;
export type ReceivedKind = (typeof RECEIVED_KINDS)[number];

/** Runs `fn` through the context's timer, if any. */
export function timed<T>(ctx: JobContext, step: string, fn: () => Promise<T>): Promise<T> {
  return ctx.timed === undefined ? fn() : ctx.timed(step, fn);
}
