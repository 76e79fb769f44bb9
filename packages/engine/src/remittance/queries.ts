/**
 * Read side of ERA posting: remittance lists and detail (what was posted where), and a claim's ledger with its
 * running balance. Ids, codes and amounts only — no patient data.
 */
import { centsFromDb, coreError, type Cents } from '@openrcm/core';
import type { Queryable } from '@openrcm/db';

export interface RemittanceSummary {
  readonly id: number;
  readonly practiceId: number;
  readonly payerId: number;
  readonly traceNumber: string;
  readonly paymentDate: string;
  readonly paymentCents: Cents;
  readonly status: string;
  readonly claims: number;
  readonly claimExceptions: number;
  readonly lines: number;
  readonly linesAutoPosted: number;
  /** lines auto-posted ÷ lines (DOMAIN auto-posting rate), null with no lines. */
  readonly autoPostingRate: number | null;
  readonly receivedAt: string;
  readonly postedAt: string | null;
  /** Hours from receipt to posting (DOMAIN posting lag). */
  readonly postingLagHours: number | null;
}

type RemRow = {
  id: number;
  practice_id: number;
  payer_id: number;
  trace_number: string;
  payment_date: string;
  payment_cents: number | string;
  status: string;
  claims_total: number;
  claims_exception: number;
  lines_total: number;
  lines_auto_posted: number;
  received_at: Date;
  posted_at: Date | null;
};

const REM_COLUMNS = `id, practice_id, payer_id, trace_number, payment_date::text AS payment_date, payment_cents, status,
  claims_total, claims_exception, lines_total, lines_auto_posted, received_at, posted_at`;

function toSummary(r: RemRow): RemittanceSummary {
  const lag = r.posted_at === null ? null : (r.posted_at.getTime() - r.received_at.getTime()) / 3_600_000;
  return {
    id: r.id,
    practiceId: r.practice_id,
    payerId: r.payer_id,
    traceNumber: r.trace_number,
    paymentDate: r.payment_date,
    paymentCents: centsFromDb(r.payment_cents, 'payment_cents'),
    status: r.status,
    claims: r.claims_total,
    claimExceptions: r.claims_exception,
    lines: r.lines_total,
    linesAutoPosted: r.lines_auto_posted,
    autoPostingRate: r.lines_total === 0 ? null : r.lines_auto_posted / r.lines_total,
    receivedAt: r.received_at.toISOString(),
    postedAt: r.posted_at === null ? null : r.posted_at.toISOString(),
    postingLagHours: lag === null ? null : Math.round(lag * 100) / 100,
  };
}

/** Remittances, newest first (optionally one practice's). */
export async function listRemittances(
  q: Queryable,
  options: { readonly practiceId?: number; readonly limit?: number } = {},
): Promise<RemittanceSummary[]> {
  const r = await q.query<RemRow>(
    `SELECT ${REM_COLUMNS} FROM remittances WHERE $1::bigint IS NULL OR practice_id = $1 ORDER BY id DESC LIMIT $2`,
    [options.practiceId ?? null, options.limit ?? 100],
  );
  return r.rows.map(toSummary);
}

export interface PostedEntry {
  readonly transactionId: number;
  readonly kind: string;
  readonly memo: string | null;
  readonly claimPaymentId: number | null;
  readonly account: string;
  readonly amountCents: Cents;
  readonly claimId: number | null;
  readonly claimLineId: number | null;
}

export interface RemittanceDetail extends RemittanceSummary {
  readonly claimPayments: readonly {
    readonly id: number;
    readonly claimId: number | null;
    readonly status: string;
    readonly chargeCents: Cents;
    readonly paidCents: Cents;
    readonly postingStatus: string;
    readonly reversesClaimPaymentId: number | null;
  }[];
  readonly entries: readonly PostedEntry[];
}

/** One remittance with its claim payments and every ledger entry it posted. */
export async function showRemittance(q: Queryable, id: number): Promise<RemittanceDetail> {
  const r = await q.query<RemRow>(`SELECT ${REM_COLUMNS} FROM remittances WHERE id = $1`, [id]);
  const row = r.rows[0];
  if (!row) throw coreError('core.not_found', `remittance ${id} not found`);
  const cps = await q.query<{
    id: number;
    claim_id: number | null;
    claim_status_code: string;
    charge_cents: number | string;
    paid_cents: number | string;
    posting_status: string;
    reverses_claim_payment_id: number | null;
  }>(
    `SELECT id, claim_id, claim_status_code, charge_cents, paid_cents, posting_status, reverses_claim_payment_id
       FROM claim_payments WHERE practice_id = $1 AND remittance_id = $2 ORDER BY id`,
    [row.practice_id, id],
  );
  const entries = await q.query<{
    transaction_id: number;
    kind: string;
    memo: string | null;
    claim_payment_id: number | null;
    account: string;
    amount_cents: number | string;
    claim_id: number | null;
    claim_line_id: number | null;
  }>(
    `SELECT t.id AS transaction_id, t.kind, t.memo, t.claim_payment_id, e.account, e.amount_cents, e.claim_id, e.claim_line_id
       FROM ledger_transactions t JOIN ledger_entries e ON e.practice_id = t.practice_id AND e.transaction_id = t.id
      WHERE t.practice_id = $1 AND t.remittance_id = $2 ORDER BY t.id, e.id`,
    [row.practice_id, id],
  );
  return {
    ...toSummary(row),
    claimPayments: cps.rows.map((c) => ({
      id: c.id,
      claimId: c.claim_id,
      status: c.claim_status_code,
      chargeCents: centsFromDb(c.charge_cents),
      paidCents: centsFromDb(c.paid_cents),
      postingStatus: c.posting_status,
      reversesClaimPaymentId: c.reverses_claim_payment_id,
    })),
    entries: entries.rows.map((e) => ({
      transactionId: e.transaction_id,
      kind: e.kind,
      memo: e.memo,
      claimPaymentId: e.claim_payment_id,
      account: e.account,
      amountCents: centsFromDb(e.amount_cents),
      claimId: e.claim_id,
      claimLineId: e.claim_line_id,
    })),
  };
}

export interface ClaimLedgerEntry {
  readonly transactionId: number;
  readonly effectiveDate: string;
  readonly kind: string;
  readonly memo: string | null;
  readonly remittanceId: number | null;
  readonly account: string;
  readonly claimLineId: number | null;
  readonly amountCents: Cents;
  /** Running claim balance: open AR (ar_insurance + ar_patient) after this entry. */
  readonly openBalanceCents: Cents;
}

/** Every ledger entry of a claim in posting order, with the running open balance (insurance + patient AR). */
export async function claimLedger(q: Queryable, claimId: number): Promise<ClaimLedgerEntry[]> {
  const r = await q.query<{
    transaction_id: number;
    effective_date: string;
    kind: string;
    memo: string | null;
    remittance_id: number | null;
    account: string;
    claim_line_id: number | null;
    amount_cents: number | string;
  }>(
    `SELECT t.id AS transaction_id, t.effective_date::text AS effective_date, t.kind, t.memo, t.remittance_id,
            e.account, e.claim_line_id, e.amount_cents
       FROM ledger_entries e JOIN ledger_transactions t ON t.practice_id = e.practice_id AND t.id = e.transaction_id
      WHERE e.claim_id = $1 ORDER BY t.id, e.id`,
    [claimId],
  );
  let open = 0;
  return r.rows.map((e) => {
    const amount = centsFromDb(e.amount_cents);
    if (e.account === 'ar_insurance' || e.account === 'ar_patient') open += amount;
    return {
      transactionId: e.transaction_id,
      effectiveDate: e.effective_date,
      kind: e.kind,
      memo: e.memo,
      remittanceId: e.remittance_id,
      account: e.account,
      claimLineId: e.claim_line_id,
      amountCents: amount,
      openBalanceCents: open as Cents,
    };
  });
}
