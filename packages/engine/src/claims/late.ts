import { isOpenRcmError, type Instant } from '@openrcm/core';
import type { Db, PracticeScope } from '@openrcm/db';
import type { CodeSets } from '../scrubber/types.ts';
import { unbilledCharges } from './queries.ts';
import { rebuildUnsent } from './resubmit.ts';

/**
 * Late charges in the daily claims job: every claim not yet sent (draft, held, ready) that takes a late charge
 * (`unbilledCharges` with remedy `rebuild`) is rebuilt with it (`rebuildUnsent`, scrubbed as it goes), so it goes
 * out complete. A claim whose current version a batch is sending right now is left for the next run. Claims the
 * payer has, or that are on their way, are not touched: those need a biller's correction or the acknowledgement
 * (`openrcm claims unbilled` lists them). Running it again finds nothing more to do.
 */
export async function rebuildClaimsWithLateCharges(
  db: Db,
  scope: PracticeScope,
  options: { readonly at: Instant; readonly actor: string; readonly codeSets: CodeSets },
): Promise<{ readonly rebuilt: number; readonly claimIds: readonly number[]; readonly sending: number }> {
  const rebuilt: number[] = [];
  const sending = new Set<number>();
  for (;;) {
    const rows = await unbilledCharges(db, scope, { limit: 10_000, unsentOnly: true });
    const todo = [
      ...new Set(
        rows.flatMap((r) =>
          r.remedy === 'rebuild' && r.claim_id !== null && !sending.has(r.claim_id) ? [r.claim_id] : [],
        ),
      ),
    ];
    if (todo.length === 0) break;
    for (const claimId of todo) {
      try {
        await rebuildUnsent(db, scope, claimId, { ...options, reason: 'late charges' });
        rebuilt.push(claimId);
      } catch (e) {
        if (!(isOpenRcmError(e) && e.code === 'claims.sending')) throw e;
        sending.add(claimId);
      }
    }
    // Fewer rows than the page: everything there was to rebuild was seen.
    if (rows.length < 10_000) break;
  }
  return { rebuilt: rebuilt.length, claimIds: rebuilt, sending: sending.size };
}
