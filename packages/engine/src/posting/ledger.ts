/**
 * Set-based ledger writes for posting. The single-transaction helpers in @openrcm/db (postLedgerTransaction,
 * reverseLedgerTransaction) stay the API for one posting; these exist because (1) claim construction posts
 * the CHARGEs of thousands of claims at once, and (2) an ERA reversal must carry its remittance and
 * claim payment (so the remittance's cash reconciles to BPR02), which reverseLedgerTransaction does not take.
 * Both are idempotent on the ledger's (practice_id, idempotency_key) and leave the balance check to the
 * deferred constraint trigger at COMMIT, so they must run inside `db.transaction`.
 */
import {
  coreError,
  type CalendarDate,
  type Cents,
  type ClaimId,
  type ClaimLineId,
  type LedgerTransactionId,
  type PatientId,
  type PayerId,
} from '@openrcm/core';
import type { PracticeScope, Tx } from '@openrcm/db';

/**
 * Posts the CHARGE transaction of each of these claim versions: one transaction per version (key
 * `charge:version:<version id>`, dated the version's first date of service) with, for every line of a non-zero
 * charge, a debit of ar_insurance and a credit of gross_charges on that line — so every claim line's entries
 * still sum to zero across accounts. A version already charged is skipped; a version whose lines are all zero
 * posts nothing. Reads the lines and their claim's patient and payer from the database. Returns how many
 * transactions were created.
 *
 * One transaction per version, not per line: building 100,000 claims of three lines wrote 300,000 transaction
 * rows (each with its deferred balance check at COMMIT) for what is one charge event per claim; per version it
 * is a third of them (the ledger statement of a page of 5,000 claims on PGlite: 520 instead of 790 ms).
 */
export async function postVersionCharges(
  tx: Tx,
  scope: PracticeScope,
  versionIds: readonly number[],
  actor = 'system',
): Promise<number> {
  if (versionIds.length === 0) return 0;
  const res = await tx.query<{ transactions: number }>(
    `WITH l AS (
       SELECT l.claim_version_id AS version_id, l.claim_id, l.id AS line_id, l.charge_cents AS amount,
              l.service_date_from AS service_date, c.patient_id, c.payer_id
         FROM unnest($2::bigint[]) AS u(version_id)
         JOIN claim_lines l ON l.practice_id = $1 AND l.claim_version_id = u.version_id
         JOIN claims c ON c.practice_id = $1 AND c.id = l.claim_id
        WHERE l.charge_cents <> 0),
     t AS (
       INSERT INTO ledger_transactions (practice_id, kind, effective_date, idempotency_key, actor, memo)
       SELECT $1, 'charge', min(l.service_date), 'charge:version:' || l.version_id, $3, 'charge'
         FROM l GROUP BY l.version_id ORDER BY l.version_id
       ON CONFLICT (practice_id, idempotency_key) DO NOTHING
       RETURNING id, idempotency_key),
     e AS (
       INSERT INTO ledger_entries (practice_id, transaction_id, account, amount_cents, claim_id, claim_line_id, patient_id, payer_id)
       SELECT $1, t.id, a.account, a.sign * l.amount, l.claim_id, l.line_id, l.patient_id, l.payer_id
         FROM t JOIN l ON t.idempotency_key = 'charge:version:' || l.version_id
         CROSS JOIN (VALUES ('ar_insurance', 1), ('gross_charges', -1)) AS a(account, sign)
       RETURNING transaction_id)
     SELECT count(DISTINCT transaction_id)::int AS transactions FROM e`,
    [scope.practiceId, versionIds, actor],
  );
  return res.rows[0]?.transactions ?? 0;
}

/**
 * Posts the exact negation of a ledger transaction as a 'reversal' linked to the remittance and claim payment
 * that ordered it. Returns false when the idempotency key was already used (nothing written).
 */
export async function reverseForRemittance(
  tx: Tx,
  scope: PracticeScope,
  transactionId: LedgerTransactionId,
  input: {
    readonly effectiveDate: CalendarDate;
    readonly idempotencyKey: string;
    readonly remittanceId: number;
    readonly claimPaymentId: number;
    readonly actor: string;
    readonly memo: string;
  },
): Promise<boolean> {
  const res = await tx.query(
    `WITH t AS (
       INSERT INTO ledger_transactions (practice_id, kind, effective_date, idempotency_key, remittance_id,
                                        claim_payment_id, reverses_transaction_id, actor, memo)
       VALUES ($1, 'reversal', $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (practice_id, idempotency_key) DO NOTHING
       RETURNING id)
     INSERT INTO ledger_entries (practice_id, transaction_id, account, amount_cents, claim_id, claim_line_id, patient_id, payer_id)
     SELECT e.practice_id, t.id, e.account, -e.amount_cents, e.claim_id, e.claim_line_id, e.patient_id, e.payer_id
       FROM t CROSS JOIN ledger_entries e
      WHERE e.practice_id = $1 AND e.transaction_id = $6
     RETURNING transaction_id`,
    [
      scope.practiceId,
      input.effectiveDate,
      input.idempotencyKey,
      input.remittanceId,
      input.claimPaymentId,
      transactionId,
      input.actor,
      input.memo,
    ],
  );
  return res.rowCount > 0;
}

/**
 * Posts the CHARGE transaction of the latest version of each of these claims (`postVersionCharges`). Idempotent
 * per version. Returns how many transactions were created.
 */
export async function postChargesForClaims(
  tx: Tx,
  scope: PracticeScope,
  claimIds: readonly number[],
  actor = 'system',
): Promise<number> {
  if (claimIds.length === 0) return 0;
  const res = await tx.query<{ version_id: number }>(
    `SELECT v.id AS version_id
       FROM unnest($2::bigint[]) AS u(id)
       -- LATERAL: the latest version of each claim by index, whatever the planner's statistics (right after a
       -- bulk load they are empty, and a join on max(version_no) turned quadratic: 8 s of CPU for 10,000 claims).
       CROSS JOIN LATERAL (SELECT x.id FROM claim_versions x WHERE x.practice_id = $1 AND x.claim_id = u.id
                            ORDER BY x.version_no DESC LIMIT 1) v
      ORDER BY v.id`,
    [scope.practiceId, claimIds],
  );
  return postVersionCharges(
    tx,
    scope,
    res.rows.map((r) => Number(r.version_id)),
    actor,
  );
}

/** A planned transaction with the claim payment it belongs to. */
export interface PlannedPosting {
  readonly kind: string;
  readonly key: string;
  readonly memo: string;
  readonly entries: readonly {
    readonly account: string;
    readonly amountCents: Cents;
    readonly claimId?: ClaimId;
    readonly claimLineId?: ClaimLineId;
    readonly patientId?: PatientId;
    readonly payerId?: PayerId;
  }[];
  readonly claimPaymentId?: number;
}

/**
 * Posts many planned transactions of one remittance in two statements (headers, then the entries of the ones
 * that were new). Idempotent per key. Each transaction is checked here (≥ 2 non-zero entries summing to zero)
 * and again by the database at COMMIT. Returns how many transactions were created.
 */
export async function postPlanned(
  tx: Tx,
  scope: PracticeScope,
  header: {
    readonly effectiveDate: CalendarDate;
    readonly remittanceId: number;
    readonly actor: string;
  },
  plan: readonly PlannedPosting[],
): Promise<number> {
  if (plan.length === 0) return 0;
  for (const t of plan) {
    if (
      t.entries.length < 2 ||
      t.entries.some((e) => e.amountCents === 0) ||
      t.entries.reduce((s, e) => s + e.amountCents, 0) !== 0
    ) {
      throw coreError('db.ledger_unbalanced', `planned ledger transaction ${t.key} does not balance`);
    }
  }
  const created = await tx.query<{ id: number; idempotency_key: string }>(
    `INSERT INTO ledger_transactions (practice_id, kind, effective_date, idempotency_key, remittance_id, claim_payment_id, actor, memo)
     SELECT $1, k.kind, $2, k.key, $3, k.cp, $4, k.memo
       FROM unnest($5::text[], $6::text[], $7::bigint[], $8::text[]) WITH ORDINALITY AS k(kind, key, cp, memo, ord)
      ORDER BY k.ord
     ON CONFLICT (practice_id, idempotency_key) DO NOTHING
     RETURNING id, idempotency_key`,
    [
      scope.practiceId,
      header.effectiveDate,
      header.remittanceId,
      header.actor,
      plan.map((t) => t.kind),
      plan.map((t) => t.key),
      plan.map((t) => t.claimPaymentId ?? null),
      plan.map((t) => t.memo),
    ],
  );
  if (created.rows.length === 0) return 0;
  const idByKey = new Map(created.rows.map((r) => [r.idempotency_key, r.id]));
  const entries = plan.flatMap((t) => {
    const id = idByKey.get(t.key);
    return id === undefined ? [] : t.entries.map((e) => ({ id, e }));
  });
  await tx.query(
    `INSERT INTO ledger_entries (practice_id, transaction_id, account, amount_cents, claim_id, claim_line_id, patient_id, payer_id)
     SELECT $1, e.txn, e.account, e.amount, e.claim_id, e.line_id, e.patient_id, e.payer_id
       FROM unnest($2::bigint[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[])
         AS e(txn, account, amount, claim_id, line_id, patient_id, payer_id)`,
    [
      scope.practiceId,
      entries.map((x) => x.id),
      entries.map((x) => x.e.account),
      entries.map((x) => x.e.amountCents),
      entries.map((x) => x.e.claimId ?? null),
      entries.map((x) => x.e.claimLineId ?? null),
      entries.map((x) => x.e.patientId ?? null),
      entries.map((x) => x.e.payerId ?? null),
    ],
  );
  return created.rows.length;
}
