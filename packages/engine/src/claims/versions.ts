import {
  centsFromDb,
  ClaimId,
  ClaimLineId,
  PatientId,
  PayerId,
  registerErrors,
  type CalendarDate,
  type Cents,
  type Instant,
} from '@openrcm/core';
import {
  postLedgerTransaction,
  type Db,
  type LedgerEntryInput,
  type PracticeScope,
  type Tx,
} from '@openrcm/db';

import { MAX_LINES_PER_CLAIM } from './split.ts';
/**
 * Corrected and void claims (issue 5 §2): a new version of a claim the payer already has. A corrected claim
 * (CLM05-3 = 7) is rebuilt from the encounter's charges as they are now, so a fixed charge or diagnosis goes out;
 * a void (CLM05-3 = 8) repeats the last version's lines to cancel it. Both carry the payer's claim control number
 * in REF*F8 (what the 835 sent as CLP07, or the 277CA as REF*1K), return the claim to `draft` so the scrubber
 * and the submission job take it from there, and are recorded in the claim's history. The earlier versions stay
 * as they were sent.
 */

export const claimVersionError = registerErrors({
  'claims.no_payer_claim_number': {
    retryable: false,
    summary:
      'a corrected or void claim needs the payer claim control number, which the payer has not sent yet',
  },
  'claims.not_correctable': {
    retryable: false,
    summary: 'the claim is not in a status that can be corrected or voided',
  },
  'claims.not_found': { retryable: false, summary: 'no such claim in the practice' },
  'claims.too_many_lines': {
    retryable: false,
    summary: 'the rebuilt claim would carry more than the 837P allows (50 service lines)',
  },
});

/** Statuses in which the payer holds the claim, so a replacement or void is meaningful. */
export const CORRECTABLE: readonly string[] = [
  'accepted',
  'pending',
  'denied',
  'partially_paid',
  'paid',
  'appealed',
  'closed',
];

/** Statuses of a claim the payer does not have and that is not on its way: it can be rebuilt before it is sent. */
export const UNSENT: readonly string[] = ['draft', 'held', 'ready'];

/** A claim as a new version of it starts from: its status and current version, locked for the transaction. */
export type LockedClaim = {
  readonly status: string;
  readonly payer_claim_number: string | null;
  readonly encounter_id: number;
  readonly version_id: number;
  readonly version_no: number;
  /** How many charges the claim bills now (`claim_charges`). */
  readonly charges: number;
  /** Whether a batch is sending its current version right now. */
  readonly sending: boolean;
};

/** Locks a claim (FOR UPDATE) and reads what a new version of it starts from; undefined if not the practice's. */
export async function lockClaim(
  tx: Tx,
  scope: PracticeScope,
  claimId: number,
): Promise<LockedClaim | undefined> {
  const head = await tx.query<LockedClaim>(
    `SELECT c.status, c.payer_claim_number, c.encounter_id, v.id AS version_id, v.version_no,
            (SELECT count(*)::int FROM claim_charges(c.practice_id, c.id)) AS charges,
            EXISTS (SELECT 1 FROM batch_claims bc
                      JOIN submission_batches b ON b.id = bc.batch_id
                     WHERE bc.practice_id = c.practice_id AND bc.claim_version_id = v.id
                       AND b.status = 'sending') AS sending
       FROM claims c
       JOIN LATERAL (SELECT id, version_no FROM claim_versions cv WHERE cv.practice_id = c.practice_id AND cv.claim_id = c.id
                      ORDER BY version_no DESC LIMIT 1) v ON true
      WHERE c.practice_id = $1 AND c.id = $2 FOR UPDATE OF c`,
    [scope.practiceId, claimId],
  );
  return head.rows[0];
}

export interface NewVersion {
  readonly claimId: number;
  readonly versionNo: number;
  readonly lines: number;
}

export async function newClaimVersion(
  db: Db,
  scope: PracticeScope,
  claimId: number,
  options: {
    readonly kind: 'corrected' | 'void';
    readonly at: Instant;
    readonly actor: string;
    readonly reason?: string;
  },
): Promise<NewVersion> {
  return db.transaction(async (tx) => {
    const c = await lockClaim(tx, scope, claimId);
    if (c === undefined)
      throw claimVersionError('claims.not_found', `claim ${claimId} is not a claim of this practice`);
    if (!CORRECTABLE.includes(c.status)) {
      throw claimVersionError(
        'claims.not_correctable',
        `claim ${claimId} is ${c.status}: only a claim the payer has accepted can be ${options.kind}`,
      );
    }
    if (c.payer_claim_number === null) {
      throw claimVersionError(
        'claims.no_payer_claim_number',
        `claim ${claimId} has no payer claim control number (REF*F8) yet`,
      );
    }
    const versionNo = c.version_no + 1;
    const frequency = options.kind === 'corrected' ? '7' : '8';
    const v = await tx.query<{ id: number }>(
      `INSERT INTO claim_versions (practice_id, claim_id, version_no, kind, frequency_code, original_payer_claim_number,
                                   total_charge_cents, diagnosis_codes, service_date_from, service_date_to, place_of_service,
                                   prior_authorization, created_at, created_by)
       SELECT practice_id, claim_id, $3, $4, $5, $6,
              CASE WHEN $4 = 'void' THEN total_charge_cents
                   ELSE (SELECT sum(ch.charge_cents) FROM claim_charges($1, claim_id) ch) END,
              CASE WHEN $4 = 'void' THEN diagnosis_codes
                   ELSE (SELECT array_agg(d.icd10_code ORDER BY d.sequence) FROM encounter_diagnoses d WHERE d.practice_id = $1 AND d.encounter_id = $7) END,
              service_date_from, service_date_to, place_of_service, prior_authorization, $8, $9
         FROM claim_versions WHERE practice_id = $1 AND id = $2
       RETURNING id`,
      [
        scope.practiceId,
        c.version_id,
        versionNo,
        options.kind,
        frequency,
        c.payer_claim_number,
        c.encounter_id,
        options.at,
        options.actor,
      ],
    );
    const versionId = v.rows[0]?.id;
    if (versionId === undefined) throw new Error(`claim ${claimId}: the new version was not written`);
    // New line ids (and so new REF*6R numbers) per version: the 835 for this version posts to these lines.
    const lines =
      options.kind === 'void'
        ? await tx.query(
            `INSERT INTO claim_lines (practice_id, claim_version_id, claim_id, charge_id, line_number, line_control_number,
                                      procedure_code, modifiers, units, charge_cents, diagnosis_pointers, service_date_from,
                                      service_date_to, place_of_service, rendering_provider_id)
             SELECT practice_id, $3, claim_id, charge_id, line_number, 'V' || id || '-' || $4, procedure_code, modifiers, units,
                    charge_cents, diagnosis_pointers, service_date_from, service_date_to, place_of_service, rendering_provider_id
               FROM claim_lines WHERE practice_id = $1 AND claim_version_id = $2 ORDER BY line_number`,
            [scope.practiceId, c.version_id, versionId, versionNo],
          )
        : await insertLinesFromCharges(tx, scope, claimId, versionId, 'C', versionNo);
    if (options.kind === 'corrected') {
      await moveChargesToVersion(tx, scope, claimId, versionId, options.at, options.actor);
    }
    await backToDraft(tx, scope, claimId, versionId, c.status, options, {
      what: `${options.kind === 'corrected' ? 'corrected claim (frequency 7)' : 'void (frequency 8)'} version ${versionNo}`,
      ...(options.reason === undefined ? {} : { reason: options.reason }),
    });
    return { claimId, versionNo, lines: lines.rowCount };
  });
}

/**
 * Returns a claim to `draft` for its new version (the scrubber and the submission job take it from there) and
 * records the transition from `fromStatus` in its history: what was done, and the user's reason if given (the
 * whole cut to the column's 500 characters).
 */
export async function backToDraft(
  tx: Tx,
  scope: PracticeScope,
  claimId: number,
  versionId: number,
  fromStatus: string,
  by: { readonly at: Instant; readonly actor: string },
  note: { readonly what: string; readonly reason?: string },
): Promise<void> {
  await tx.query(
    `UPDATE claims SET status = 'draft', hold_reason = NULL, updated_at = $3 WHERE practice_id = $1 AND id = $2`,
    [scope.practiceId, claimId, by.at],
  );
  await tx.query(
    `INSERT INTO claim_status_history (practice_id, claim_id, claim_version_id, from_status, to_status, at, actor, reason)
     VALUES ($1, $2, $3, $4, 'draft', $5, $6, $7)`,
    [
      scope.practiceId,
      claimId,
      versionId,
      fromStatus,
      by.at,
      by.actor,
      `${note.what}${note.reason === undefined ? '' : `: ${note.reason}`}`.slice(0, 500),
    ],
  );
}

/**
 * The lines of a rebuilt version (a correction `C`, a resubmission `R`): one per charge the claim bills
 * (`claim_charges`, migration 0018: a split claim keeps its own part of the encounter) in charge order, with new
 * line control numbers (`<prefix><charge id>-<version no>`, REF*6R), SV105 where the charge's place of service is not
 * the encounter's, and 2420A where the charge's rendering provider is not the claim's. The build plans the same
 * lines in JavaScript (`splitEncounter`, `build.ts`); split.test.ts rebuilds split claims and holds the two equal.
 * More than 50 charges (a late charge on a full claim) are refused with `claims.too_many_lines`, and nothing is
 * written.
 */
export async function insertLinesFromCharges(
  tx: Tx,
  scope: PracticeScope,
  claimId: number,
  versionId: number,
  prefix: 'C' | 'R',
  versionNo: number,
): Promise<{ rowCount: number }> {
  const count = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM claim_charges($1, $2)', [
    scope.practiceId,
    claimId,
  ]);
  const n = count.rows[0]?.n ?? 0;
  if (n > MAX_LINES_PER_CLAIM) {
    throw claimVersionError(
      'claims.too_many_lines',
      `claim ${claimId} would carry ${n} lines; an 837P claim carries at most ${MAX_LINES_PER_CLAIM} (its charges need another claim)`,
    );
  }
  return tx.query(
    `INSERT INTO claim_lines (practice_id, claim_version_id, claim_id, charge_id, line_number, line_control_number,
                              procedure_code, modifiers, units, charge_cents, diagnosis_pointers, service_date_from,
                              service_date_to, place_of_service, rendering_provider_id)
     SELECT ch.practice_id, $3, $2, ch.id, row_number() OVER (ORDER BY ch.line_number), $4 || ch.id || '-' || $5,
            ch.procedure_code, ch.modifiers, ch.units, ch.charge_cents, ch.diagnosis_pointers, ch.service_date,
            ch.service_date, NULLIF(ch.place_of_service, e.place_of_service),
            NULLIF(coalesce(ch.rendering_provider_id, e.rendering_provider_id), cl.rendering_provider_id)
       FROM claim_charges($1, $2) ch
       JOIN encounters e ON e.practice_id = ch.practice_id AND e.id = ch.encounter_id
       JOIN claims cl ON cl.practice_id = ch.practice_id AND cl.id = $2`,
    [scope.practiceId, claimId, versionId, prefix, versionNo],
  );
}

/**
 * The ledger side of a corrected claim (docs/data-model.md, claims): the charges the ledger carries on the
 * replaced version's lines move to the new version's lines in one `transfer` transaction (key
 * `correction:<new version id>`), so an 835 for the new version — which posts against the new lines (REF*6R) —
 * leaves every line balanced. Each replaced line gives up what its CHARGE (and earlier correction transfers)
 * put on it; each new line receives its own charge; if the corrected charges differ from the replaced ones, the
 * difference goes to gross_charges, otherwise the transfer nets to zero on the claim. Payments, adjustments and
 * their reversals stay on the lines they were posted to: the payer's reversal of the original (CLP02 22) comes
 * back against the old lines and settles them.
 */
export async function moveChargesToVersion(
  tx: Tx,
  scope: PracticeScope,
  claimId: number,
  versionId: number,
  at: Instant,
  actor: string,
  memo = 'corrected claim: charges move to the new version',
): Promise<void> {
  const old = await tx.query<{ line_id: number; amount: number | string }>(
    `SELECT e.claim_line_id AS line_id, sum(e.amount_cents) AS amount
       FROM ledger_entries e JOIN ledger_transactions t ON t.practice_id = e.practice_id AND t.id = e.transaction_id
      WHERE e.practice_id = $1 AND e.claim_id = $2 AND e.account = 'ar_insurance' AND e.claim_line_id IS NOT NULL
        AND (t.idempotency_key LIKE 'charge:%' OR t.idempotency_key LIKE 'correction:%')
      GROUP BY e.claim_line_id HAVING sum(e.amount_cents) <> 0
      ORDER BY e.claim_line_id`,
    [scope.practiceId, claimId],
  );
  const fresh = await tx.query<{
    line_id: number;
    amount: number | string;
    patient_id: number;
    payer_id: number;
  }>(
    `SELECT l.id AS line_id, l.charge_cents AS amount, c.patient_id, c.payer_id
       FROM claim_lines l JOIN claims c ON c.practice_id = l.practice_id AND c.id = l.claim_id
      WHERE l.practice_id = $1 AND l.claim_version_id = $2 AND l.charge_cents <> 0
      ORDER BY l.line_number`,
    [scope.practiceId, versionId],
  );
  const party = fresh.rows[0];
  if (old.rows.length === 0 || party === undefined) return;
  const common = {
    claimId: ClaimId(claimId),
    patientId: PatientId(party.patient_id),
    payerId: PayerId(party.payer_id),
  };
  const entries: LedgerEntryInput[] = [
    ...old.rows.map((r) => ({
      ...common,
      account: 'ar_insurance' as const,
      amountCents: (0 - centsFromDb(r.amount, 'amount')) as Cents,
      claimLineId: ClaimLineId(r.line_id),
    })),
    ...fresh.rows.map((r) => ({
      ...common,
      account: 'ar_insurance' as const,
      amountCents: centsFromDb(r.amount, 'charge_cents'),
      claimLineId: ClaimLineId(r.line_id),
    })),
  ];
  const net = entries.reduce((s, e) => s + e.amountCents, 0);
  if (net !== 0) entries.push({ ...common, account: 'gross_charges', amountCents: -net as Cents });
  await postLedgerTransaction(tx, scope, {
    kind: 'transfer',
    effectiveDate: at.slice(0, 10) as CalendarDate,
    idempotencyKey: `correction:${String(versionId)}`,
    entries,
    actor,
    memo,
  });
}
