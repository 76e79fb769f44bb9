import { isOpenRcmError, type Instant } from '@openrcm/core';
import type { Db, PracticeScope } from '@openrcm/db';
import { unbilledCharges } from './queries.ts';
import { rebuildUnsent } from './resubmit.ts';

/**
 * Late charges in the daily claims job: every claim not yet sent (draft, held, ready) that takes a late charge
 * (`unbilledCharges` with remedy `rebuild`) is rebuilt with it (`rebuildUnsent`) and left in draft for the job's
 * scrubber step, which follows, so it goes out complete. A claim whose current version a batch is sending right now
 * is left for the next run. Claims the payer has, or that are on their way, are not touched: those need a biller's
 * correction or the acknowledgement (`openrcm claims unbilled` lists them). Running it again finds nothing more to
 * do.
 */
export async function rebuildClaimsWithLateCharges(
  db: Db,
  scope: PracticeScope,
  options: { readonly at: Instant; readonly actor: string },
): Promise<{ readonly claimIds: readonly number[]; readonly sending: readonly number[] }> {
  // Every late charge of an encounter with an unsent claim: few, however large the practice.
  const rows = await unbilledCharges(db, scope, { limit: null, unsentOnly: true });
  const todo = new Set(
    rows.flatMap((r) => (r.remedy === 'rebuild' && r.claim_id !== null ? [r.claim_id] : [])),
  );
  const claimIds: number[] = [];
  const sending: number[] = [];
  for (const claimId of todo) {
    try {
      await rebuildUnsent(db, scope, claimId, { ...options, reason: 'late charges' });
      claimIds.push(claimId);
    } catch (e) {
      if (!(isOpenRcmError(e) && e.code === 'claims.sending')) throw e;
      sending.push(claimId);
    }
  }
  return { claimIds, sending };
}
