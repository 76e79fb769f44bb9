import { registerErrors, type CalendarDate, type Instant } from '@openrcm/core';
import type { Db, PracticeScope, Tx } from '@openrcm/db';
import { scrubClaims } from '../scrubber/run.ts';
import type { CodeSets } from '../scrubber/types.ts';
import {
  backToDraft,
  CORRECTABLE,
  insertLinesFromCharges,
  lockClaim,
  moveChargesToVersion,
  UNSENT,
  type LockedClaim,
} from './versions.ts';

/**
 * Resubmission of a claim the clearinghouse rejected (TA1 / 999 / 277CA → `rejected`, with a
 * `clearinghouse_rejection` work item). The payer never received such a claim, so it has no payer claim control
 * number and nothing to replace: after the biller fixed the cause on file (the coverage's member id, a
 * provider, the encounter's charges or diagnoses), the claim is rebuilt from the current data as a new
 * version that goes out again as an original (CLM05-3 = 1, no REF*F8; TR3 2300 CLM05-3 — 7 and 8 only for a
 * claim the payer adjudicated). In one transaction the new version and its lines are written (new line ids
 * and REF*6R numbers, the ledger's charges move to them as for a corrected claim), the claim goes
 * rejected → draft with a history row, and the rejection's open work items are closed. Then the scrubber runs on
 * the claim alone (draft → ready, or held again if it is still wrong, recorded by the scrubber).
 *
 * The submission's idempotency key is '<claim version id>/<rejections of that version>' (migration 0010): the
 * new version has a new id, so it goes out once under '<new id>/0'; the rejected version keeps its key.
 */

export const resubmitError = registerErrors({
  'claims.not_rejected': {
    retryable: false,
    summary: 'only a claim the clearinghouse rejected can be resubmitted',
  },
  'claims.not_unsent': {
    retryable: false,
    summary: 'only a claim not yet sent (draft, held, ready) can be rebuilt before submission',
  },
  'claims.sending': {
    retryable: true,
    summary:
      'a batch is sending the claim right now; it can be rebuilt once the batch is sent or queued again',
  },
  'claims.no_charges': {
    retryable: false,
    summary: 'the encounter of the claim has no active charges to rebuild the claim from',
  },
});

export interface Resubmission {
  readonly claimId: number;
  readonly versionNo: number;
  readonly lines: number;
  /** After the scrubber: `ready`, or `held` if the data on file is still wrong. */
  readonly status: string;
  readonly holdReason: string | null;
  readonly workItemsClosed: number;
}

type StatusRow = { status: string; hold_reason: string | null };
type IdRow = { id: number };

export async function resubmitRejected(
  db: Db,
  scope: PracticeScope,
  claimId: number,
  options: {
    readonly at: Instant;
    readonly actor: string;
    readonly codeSets: CodeSets;
    readonly reason?: string;
  },
): Promise<Resubmission> {
  const built = await db.transaction(async (tx) => {
    const { versionNo, lines } = await rebuildAsOriginal(tx, scope, claimId, options, {
      refusal: (c) =>
        c === undefined
          ? resubmitError('claims.not_rejected', `claim ${claimId} is not a claim of this practice`)
          : c.status === 'rejected'
            ? undefined
            : resubmitError(
                'claims.not_rejected',
                `claim ${claimId} is ${c.status}: only a claim the clearinghouse rejected can be resubmitted` +
                  (CORRECTABLE.includes(c.status)
                    ? ' (the payer has it: send a corrected claim with `claims correct`)'
                    : ''),
              ),
      memo: 'resubmitted claim: charges move to the new version',
      what: 'rebuilt after the clearinghouse rejection',
    });
    const closed = await tx.query(
      `UPDATE work_items SET status = 'done', resolved_at = $3, updated_at = $3,
              resolution = left('resubmitted as claim version ' || $4::text || ' by ' || $5::text, 500)
        WHERE practice_id = $1 AND type = 'clearinghouse_rejection' AND links->>'claimId' = $2::text
          AND status NOT IN ('done', 'cancelled')`,
      [scope.practiceId, claimId, options.at, versionNo, options.actor],
    );
    return { versionNo, lines, workItemsClosed: closed.rowCount };
  });

  return { claimId, ...built, ...(await scrubOne(db, scope, claimId, options)) };
}

/** Runs the scrubber on one claim (draft → ready, or held) and returns where it left it. */
async function scrubOne(
  db: Db,
  scope: PracticeScope,
  claimId: number,
  options: { readonly at: Instant; readonly actor: string; readonly codeSets: CodeSets },
): Promise<{ status: string; holdReason: string | null }> {
  await scrubClaims(db, scope, {
    asOf: options.at.slice(0, 10) as CalendarDate,
    at: options.at,
    codeSets: options.codeSets,
    actor: options.actor,
    claimIds: [claimId],
  });
  const after = await db.query<StatusRow>(
    'SELECT status, hold_reason FROM claims WHERE practice_id = $1 AND id = $2',
    [scope.practiceId, claimId],
  );
  const s = after.rows[0];
  return { status: s?.status ?? 'draft', holdReason: s?.hold_reason ?? null };
}

/**
 * Rebuilds a claim that has not been sent (draft, held or ready) from the data on file as a new original version
 * (frequency 1), as a resubmission does for a rejected claim: for a charge keyed in after the claim was built (a
 * late charge, listed by `unbilledCharges`), or any other change to the encounter, so the claim goes out complete
 * rather than being corrected after adjudication. In one transaction the new version and its lines are written
 * (the ledger's charges move to them), the claim goes to draft with a history row; then, given `codeSets`, the
 * scrubber runs on it (without, it is left in draft for the caller's scrubber run: the daily job's, late.ts).
 * A batch that queued the earlier version drops it before sending (submission/submit.ts), and the new version is
 * queued by the next submission run. Refused: a claim in any other status (`claims.not_unsent`: submitted claims
 * await their acknowledgement, rejected ones are resubmitted, and the payer's are corrected), and one whose
 * current version a batch is sending right now (`claims.sending`).
 */
export async function rebuildUnsent(
  db: Db,
  scope: PracticeScope,
  claimId: number,
  options: {
    readonly at: Instant;
    readonly actor: string;
    readonly codeSets?: CodeSets;
    readonly reason?: string;
  },
): Promise<Omit<Resubmission, 'workItemsClosed'>> {
  const built = await db.transaction((tx) =>
    rebuildAsOriginal(tx, scope, claimId, options, {
      refusal: (c) =>
        c === undefined
          ? resubmitError('claims.not_unsent', `claim ${claimId} is not a claim of this practice`)
          : !UNSENT.includes(c.status)
            ? resubmitError(
                'claims.not_unsent',
                `claim ${claimId} is ${c.status}: only a claim not yet sent (draft, held, ready) can be rebuilt` +
                  (c.status === 'rejected'
                    ? ' (resubmit it with `claims resubmit`)'
                    : c.status === 'submitted'
                      ? ' (it is on its way: wait for the acknowledgement)'
                      : CORRECTABLE.includes(c.status)
                        ? ' (the payer has it: send a corrected claim with `claims correct`)'
                        : ''),
              )
            : c.sending
              ? resubmitError(
                  'claims.sending',
                  `claim ${claimId}: a batch is sending its current version; rebuild it once the batch is sent or queued again`,
                )
              : undefined,
      memo: 'rebuilt claim (not yet sent): charges move to the new version',
      what: 'rebuilt before submission',
    }),
  );
  const codeSets = options.codeSets;
  const after =
    codeSets === undefined
      ? { status: 'draft', holdReason: null }
      : await scrubOne(db, scope, claimId, { ...options, codeSets });
  return { claimId, ...built, ...after };
}

/**
 * The rebuild a resubmission and a rebuild before submission share: the claim is locked and read (`lockClaim`),
 * `refusal` may refuse it, a claim
 * with no charge to bill is refused, then the next version is written as an original from the data on file and the
 * claim goes back to draft with a history row ("<what> as version N (original, frequency 1)", the user's reason).
 */
async function rebuildAsOriginal(
  tx: Tx,
  scope: PracticeScope,
  claimId: number,
  options: { readonly at: Instant; readonly actor: string; readonly reason?: string },
  how: {
    readonly refusal: (claim: LockedClaim | undefined) => Error | undefined;
    readonly memo: string;
    readonly what: string;
  },
): Promise<{ versionNo: number; lines: number }> {
  const c = await lockClaim(tx, scope, claimId);
  const refused = how.refusal(c);
  if (refused !== undefined) throw refused;
  if (c === undefined) throw new Error(`claim ${claimId}: refusal let a missing claim through`);
  if (c.charges === 0) {
    throw resubmitError('claims.no_charges', `claim ${claimId}: its encounter has no active charges`);
  }
  const versionNo = c.version_no + 1;
  const { versionId, lines } = await writeOriginalVersion(tx, scope, claimId, versionNo, options, how.memo);
  await backToDraft(tx, scope, claimId, versionId, c.status, options, {
    what: `${how.what} as version ${versionNo} (original, frequency 1)`,
    ...(options.reason === undefined ? {} : { reason: options.reason }),
  });
  return { versionNo, lines };
}

/**
 * Writes version `versionNo` of a claim as an original (frequency 1, no REF*F8) rebuilt from the data on file:
 * the charges the claim bills (`claim_charges`) with their totals, dates, place of service, prior authorization
 * and the encounter's diagnoses, new lines (REF*6R numbers), and the ledger's charges moved to them (`memo`).
 */
async function writeOriginalVersion(
  tx: Tx,
  scope: PracticeScope,
  claimId: number,
  versionNo: number,
  options: { readonly at: Instant; readonly actor: string },
  memo: string,
): Promise<{ versionId: number; lines: number }> {
  const v = await tx.query<IdRow>(
    `INSERT INTO claim_versions (practice_id, claim_id, version_no, kind, frequency_code, original_payer_claim_number,
                                   total_charge_cents, diagnosis_codes, service_date_from, service_date_to, place_of_service,
                                   prior_authorization, created_at, created_by)
       SELECT c.practice_id, c.id, $3, 'original', '1', NULL, ch.total,
              (SELECT array_agg(d.icd10_code ORDER BY d.sequence) FROM encounter_diagnoses d WHERE d.practice_id = $1 AND d.encounter_id = c.encounter_id),
              ch.first_date, ch.last_date, e.place_of_service, ch.auth, $4, $5
         FROM claims c
         JOIN encounters e ON e.practice_id = c.practice_id AND e.id = c.encounter_id
         -- The charges the claim bills, read once for every aggregate.
         CROSS JOIN LATERAL (
           SELECT sum(x.charge_cents) AS total, min(x.service_date) AS first_date, max(x.service_date) AS last_date,
                  (array_agg(a.auth_number ORDER BY x.line_number) FILTER (WHERE a.auth_number IS NOT NULL))[1] AS auth
             FROM claim_charges($1, c.id) x
             LEFT JOIN authorizations a ON a.practice_id = x.practice_id AND a.id = x.authorization_id) ch
        WHERE c.practice_id = $1 AND c.id = $2
       RETURNING id`,
    [scope.practiceId, claimId, versionNo, options.at, options.actor],
  );
  const versionId = v.rows[0]?.id;
  if (versionId === undefined) throw new Error(`claim ${claimId}: the new version was not written`);
  const lines = await insertLinesFromCharges(tx, scope, claimId, versionId, 'R', versionNo);
  await moveChargesToVersion(tx, scope, claimId, versionId, options.at, options.actor, memo);
  return { versionId, lines: lines.rowCount };
}

type CandidateRow = { id: number };

/**
 * Rejected claims of the practice whose data on file changed after their latest rejection, so the cause may have
 * been fixed: the data the claim is rebuilt from — the billed coverage (member id, subscriber), the patient, the
 * encounter (charges, diagnoses, the referring provider's NPI of 2310A, prior authorization), the claim's
 * rendering provider (2310B NPI, name, taxonomy) and billing provider row (`updateProvider`, migration 0012), its
 * service location (2310C NPI and address) and the practice (2010AA group NPI, TIN, name, address; migration
 * 0017) — has an `updated_at` later than the rejection.
 */
export async function rejectedClaimsWithChanges(db: Db, scope: PracticeScope): Promise<number[]> {
  const r = await db.query<CandidateRow>(
    `SELECT c.id
       FROM claims c
       JOIN LATERAL (SELECT max(h.at) AS at FROM claim_status_history h
                      WHERE h.practice_id = c.practice_id AND h.claim_id = c.id AND h.to_status = 'rejected') rej ON true
       JOIN coverages cov ON cov.practice_id = c.practice_id AND cov.id = c.coverage_id
       JOIN patients p ON p.practice_id = c.practice_id AND p.id = c.patient_id
       JOIN encounters e ON e.practice_id = c.practice_id AND e.id = c.encounter_id
       JOIN providers rp ON rp.practice_id = c.practice_id AND rp.id = c.rendering_provider_id
       JOIN providers bp ON bp.practice_id = c.practice_id AND bp.id = c.billing_provider_id
       JOIN locations lo ON lo.practice_id = c.practice_id AND lo.id = c.location_id
       JOIN practices pr ON pr.id = c.practice_id
      WHERE c.practice_id = $1 AND c.status = 'rejected'
        AND (rej.at IS NULL
             OR greatest(cov.updated_at, p.updated_at, e.updated_at, rp.updated_at, bp.updated_at, lo.updated_at,
                         pr.updated_at) > rej.at)
      ORDER BY c.id`,
    [scope.practiceId],
  );
  return r.rows.map((x) => x.id);
}
