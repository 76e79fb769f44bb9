/**
 * Set-based ledger writes for posting. The single-transaction helpers in @openrcm/db (postLedgerTransaction,
 * reverseLedgerTransaction) stay the API for one posting; these two exist because (1) claim construction posts
 * one CHARGE per line for thousands of lines at once, and (2) an ERA reversal must carry its remittance and
 * claim payment (so the remittance's cash reconciles to BPR02), which reverseLedgerTransaction does not take.
 * Both are idempotent on the ledger's (practice_id, idempotency_key) and leave the balance check to the
 * deferred constraint trigger at COMMIT, so they must run inside `db.transaction`.
 */
import type {
  CalendarDate,
  Cents,
  ClaimId,
  ClaimLineId,
  LedgerTransactionId,
  PatientId,
  PayerId,
} from '@openrcm/core';
import type { PracticeScope, Tx } from '@openrcm/db';

/** One claim line's charge. */
export interface ChargeLine {
  readonly claimId: ClaimId;
  readonly lineId: ClaimLineId;
  readonly chargeCents: Cents;
  readonly serviceDate: CalendarDate;
  readonly patientId?: PatientId;
  readonly payerId?: PayerId;
}

/**
 * Posts the CHARGE transaction of each line: debit ar_insurance, credit gross_charges, key
 * `charge:<claim line id>` (a line already charged is skipped; a zero charge posts nothing). Returns how
 * many transactions were created.
 */
export async function postChargeTransactions(
  tx: Tx,
  scope: PracticeScope,
  lines: readonly ChargeLine[],
  actor = 'system',
): Promise<number> {
  const todo = lines.filter((l) => l.chargeCents !== 0);
  if (todo.length === 0) return 0;
  const res = await tx.query<{ id: number }>(
    `WITH l AS (
       SELECT * FROM unnest($2::bigint[], $3::bigint[], $4::bigint[], $5::date[], $6::bigint[], $7::bigint[])
         AS l(claim_id, line_id, amount, service_date, patient_id, payer_id)),
     t AS (
       INSERT INTO ledger_transactions (practice_id, kind, effective_date, idempotency_key, actor, memo)
       SELECT $1, 'charge', l.service_date, 'charge:' || l.line_id, $8, 'charge' FROM l
       ON CONFLICT (practice_id, idempotency_key) DO NOTHING
       RETURNING id, idempotency_key)
     INSERT INTO ledger_entries (practice_id, transaction_id, account, amount_cents, claim_id, claim_line_id, patient_id, payer_id)
     SELECT $1, t.id, a.account, a.sign * l.amount, l.claim_id, l.line_id, l.patient_id, l.payer_id
       FROM t JOIN l ON t.idempotency_key = 'charge:' || l.line_id
       CROSS JOIN (VALUES ('ar_insurance', 1), ('gross_charges', -1)) AS a(account, sign)
     RETURNING transaction_id`,
    [
      scope.practiceId,
      todo.map((l) => l.claimId),
      todo.map((l) => l.lineId),
      todo.map((l) => l.chargeCents),
      todo.map((l) => l.serviceDate),
      todo.map((l) => l.patientId ?? null),
      todo.map((l) => l.payerId ?? null),
      actor,
    ],
  );
  return res.rowCount / 2;
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
