/**
 * claims.daily: for one practice, in its morning — claims for the encounters documented by now
 * (`buildClaims`, one claim per encounter ever), the claims not yet sent rebuilt with charges keyed in after they
 * were built (`rebuildClaimsWithLateCharges`), the scrubber over draft and held claims (`scrubClaims`), and the
 * ready claims to electronic payers as one 837P per clearinghouse (`submitReadyClaims`: a failed transport leaves
 * them ready, nothing is marked sent that was not). Re-running finds nothing new to build or send.
 */
import { dateInZone } from '@openrcm/core';
import { practiceScope } from '@openrcm/db';
import { buildClaims, rebuildClaimsWithLateCharges, scrubClaims, submitReadyClaims } from '@openrcm/engine';
import { workerError } from '../errors.ts';
import { timed, type JobContext } from './context.ts';
import type { PracticeRef } from './practices.ts';

export async function claimsDaily(ctx: JobContext, practice: PracticeRef): Promise<Record<string, number>> {
  const parties = ctx.parties;
  if (parties === undefined)
    throw workerError(
      'worker.invalid_config',
      'claims.daily needs the 837P submitter: submitter.name, id, contactName and contactPhone in the worker config',
    );
  const at = ctx.clock.now();
  const asOf = dateInZone(at, practice.timeZone);
  const scope = practiceScope(practice.id);
  const built = await timed(ctx, 'build claims', () =>
    buildClaims(ctx.db, scope, { at, documentedBefore: at }),
  );
  const late = await timed(ctx, 'rebuild for late charges', () =>
    rebuildClaimsWithLateCharges(ctx.db, scope, { at, actor: 'system:claims.daily' }),
  );
  const scrubbed = await timed(ctx, 'scrub', () =>
    scrubClaims(ctx.db, scope, { asOf, at, codeSets: ctx.codeSets }),
  );
  const submitted = await timed(ctx, 'submit 837P', () =>
    submitReadyClaims(ctx.db, scope, {
      at,
      transports: ctx.transports,
      parties,
      ...(ctx.onSent === undefined ? {} : { onSent: ctx.onSent }),
    }),
  );
  return {
    built: built.claimsBuilt,
    rebuiltForLateCharges: late.claimIds.length,
    scrubbed: scrubbed.scrubbed,
    ready: scrubbed.ready,
    held: scrubbed.held,
    batches: submitted.batches,
    submitted: submitted.claims,
    paperClaims: submitted.paperClaims,
  };
}
