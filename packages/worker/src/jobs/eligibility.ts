/**
 * eligibility.nightly (issue #7): for one practice, in its evening — unanswered checks are retried or closed
 * (`expireChecks`), tomorrow's schedule gets a check per appointment × coverage (`planChecks`, idempotent per
 * appointment and coverage), and the unsent checks leave as 270 batches (`sendChecks`, marked sent only once the
 * transport confirmed). The 271 answers come back through clearinghouse.pickup.
 */
import { dateInZone, isBusinessDay } from '@openrcm/core';
import { practiceScope } from '@openrcm/db';
import { expireChecks, planChecks, sendChecks } from '@openrcm/engine';
import { timed, type JobContext } from './context.ts';
import type { PracticeRef } from './practices.ts';

export async function eligibilityNightly(
  ctx: JobContext,
  practice: PracticeRef,
): Promise<Record<string, number>> {
  const at = ctx.clock.now();
  const date = dateInZone(at, practice.timeZone);
  // The schedule says business days; a run on a weekend (a manual or late retry) plans nothing new but still
  // closes and re-sends what is due.
  const scope = practiceScope(practice.id);
  const expired = await timed(ctx, 'eligibility', () => expireChecks(ctx.db, scope, { at }));
  const planned = isBusinessDay(date)
    ? await timed(ctx, 'eligibility', () => planChecks(ctx.db, scope, { date, at }))
    : { appointments: 0, checksCreated: 0 };
  const sent = await timed(ctx, 'eligibility', () =>
    sendChecks(ctx.db, scope, { at, transports: ctx.transports }),
  );
  return {
    retried: expired.retried,
    unconfirmed: expired.unconfirmed,
    appointments: planned.appointments,
    checksCreated: planned.checksCreated,
    batches: sent.batches,
    checksSent: sent.checksSent,
  };
}

/**
 * eligibility.retry (issue #7): between the evening run and the clinic's opening, the checks a payer did not
 * answer (or answered "unable to respond now", AAA 42) are asked again once their retry time has come, and those
 * out of attempts are closed as `unconfirmed` — so the front desk learns the outcome before the patient arrives,
 * not the next evening. Plans nothing new.
 */
export async function eligibilityRetry(
  ctx: JobContext,
  practice: PracticeRef,
): Promise<Record<string, number>> {
  const at = ctx.clock.now();
  const scope = practiceScope(practice.id);
  const expired = await timed(ctx, 'eligibility', () => expireChecks(ctx.db, scope, { at }));
  const sent = await timed(ctx, 'eligibility', () =>
    sendChecks(ctx.db, scope, { at, transports: ctx.transports }),
  );
  return {
    retried: expired.retried,
    unconfirmed: expired.unconfirmed,
    batches: sent.batches,
    checksSent: sent.checksSent,
  };
}
