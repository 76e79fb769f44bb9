/**
 * Double-entry ledger postings (docs/data-model.md). Every financial event is one transaction of
 * two or more signed entries (debit > 0, credit < 0) that sum to zero. The code checks the balance
 * before writing and the database checks it again at COMMIT (deferred constraint trigger), so a
 * posting must run inside `db.transaction` — hence the `Tx` parameter.
 */
import {
  centsFromDb,
  coreError,
  LedgerTransactionId,
  PracticeId,
  sum,
  type CalendarDate,
  type Cents,
  type ClaimId,
  type ClaimLineId,
  type Instant,
  type PatientId,
  type PayerId,
} from '@openrcm/core';
import type { Queryable, Row, Tx } from '../db.ts';
import type { PracticeScope } from '../scope.ts';
import { instant, num, optDate, optNum, optStr, str } from './rows.ts';

export const LEDGER_ACCOUNTS = [
  'ar_insurance',
  'ar_patient',
  'gross_charges',
  'contractual_adjustments',
  'other_adjustments',
  'write_offs',
  'cash',
  'unapplied_cash',
  'refunds_payable',
  'interest_expense',
  'interest_income',
  'provider_level_adjustments',
] as const;
export type LedgerAccount = (typeof LEDGER_ACCOUNTS)[number];

export const LEDGER_TRANSACTION_KINDS = [
  'charge',
  'insurance_payment',
  'patient_payment',
  'contractual_adjustment',
  'patient_responsibility',
  'adjustment',
  'write_off',
  'refund',
  'recoupment',
  'interest',
  'provider_level_adjustment',
  'transfer',
  'reversal',
] as const;
export type LedgerTransactionKind = (typeof LEDGER_TRANSACTION_KINDS)[number];

export interface LedgerEntryInput {
  readonly account: LedgerAccount;
  /** Signed: debit > 0, credit < 0. */
  readonly amountCents: Cents;
  readonly claimId?: ClaimId;
  readonly claimLineId?: ClaimLineId;
  readonly patientId?: PatientId;
  readonly payerId?: PayerId;
}

export interface LedgerTransactionInput {
  readonly kind: Exclude<LedgerTransactionKind, 'reversal'>;
  /** Accounting date, e.g. the ERA payment date (BPR16) or the date of service for a charge. */
  readonly effectiveDate: CalendarDate;
  /** Business key of the posting (e.g. `era:<remittance>:clp:<claim payment>`): posting twice is a no-op. */
  readonly idempotencyKey: string;
  readonly entries: readonly LedgerEntryInput[];
  readonly remittanceId?: number;
  readonly claimPaymentId?: number;
  readonly writeOffRequestId?: number;
  /** 'user:<id>' or 'system:<job>'. */
  readonly actor?: string;
  readonly memo?: string;
}

export interface PostResult {
  readonly id: LedgerTransactionId;
  /** False when a transaction with the same idempotency key already existed (nothing written). */
  readonly created: boolean;
}

function checkBalanced(entries: readonly LedgerEntryInput[]): void {
  if (entries.length < 2)
    throw coreError('db.ledger_unbalanced', 'a ledger transaction needs at least two entries');
  if (entries.some((e) => e.amountCents === 0)) {
    throw coreError('db.ledger_unbalanced', 'a ledger entry amount cannot be zero');
  }
  if (sum(entries.map((e) => e.amountCents)) !== 0) {
    throw coreError('db.ledger_unbalanced', 'ledger entries do not sum to zero');
  }
}

async function insertTransaction(
  tx: Tx,
  scope: PracticeScope,
  header: Omit<LedgerTransactionInput, 'entries' | 'kind'> & {
    kind: LedgerTransactionKind;
    reversesTransactionId?: number;
  },
  entries: readonly LedgerEntryInput[],
): Promise<PostResult> {
  checkBalanced(entries);
  const inserted = await tx.query(
    `INSERT INTO ledger_transactions (practice_id, kind, effective_date, idempotency_key, remittance_id,
       claim_payment_id, write_off_request_id, reverses_transaction_id, actor, memo)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (practice_id, idempotency_key) DO NOTHING
     RETURNING id`,
    [
      scope.practiceId,
      header.kind,
      header.effectiveDate,
      header.idempotencyKey,
      header.remittanceId ?? null,
      header.claimPaymentId ?? null,
      header.writeOffRequestId ?? null,
      header.reversesTransactionId ?? null,
      header.actor ?? 'system',
      header.memo ?? null,
    ],
  );
  const row = inserted.rows[0];
  if (!row) {
    const existing = await tx.query(
      'SELECT id FROM ledger_transactions WHERE practice_id = $1 AND idempotency_key = $2',
      [scope.practiceId, header.idempotencyKey],
    );
    if (!existing.rows[0]) throw coreError('core.internal', 'ledger idempotency conflict without a row');
    return { id: LedgerTransactionId(num(existing.rows[0], 'id')), created: false };
  }
  const id = LedgerTransactionId(num(row, 'id'));
  // One statement for all entries: arrays in, one row per element out.
  await tx.query(
    `INSERT INTO ledger_entries (practice_id, transaction_id, account, amount_cents, claim_id, claim_line_id, patient_id, payer_id)
     SELECT $1, $2, e.account, e.amount, e.claim_id, e.claim_line_id, e.patient_id, e.payer_id
       FROM unnest($3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[])
         AS e(account, amount, claim_id, claim_line_id, patient_id, payer_id)`,
    [
      scope.practiceId,
      id,
      entries.map((e) => e.account),
      entries.map((e) => e.amountCents),
      entries.map((e) => e.claimId ?? null),
      entries.map((e) => e.claimLineId ?? null),
      entries.map((e) => e.patientId ?? null),
      entries.map((e) => e.payerId ?? null),
    ],
  );
  return { id, created: true };
}

/** Posts one balanced transaction (idempotent on `idempotencyKey`). */
export function postLedgerTransaction(
  tx: Tx,
  scope: PracticeScope,
  input: LedgerTransactionInput,
): Promise<PostResult> {
  return insertTransaction(tx, scope, input, input.entries);
}

/** Posts the exact negation of a transaction (the ledger is append-only: this is how to undo). */
export async function reverseLedgerTransaction(
  tx: Tx,
  scope: PracticeScope,
  transactionId: LedgerTransactionId,
  input: {
    readonly effectiveDate: CalendarDate;
    readonly idempotencyKey: string;
    readonly actor?: string;
    readonly memo?: string;
  },
): Promise<PostResult> {
  const r = await tx.query(
    `SELECT account, amount_cents, claim_id, claim_line_id, patient_id, payer_id FROM ledger_entries
      WHERE practice_id = $1 AND transaction_id = $2 ORDER BY id`,
    [scope.practiceId, transactionId],
  );
  if (r.rows.length === 0) throw coreError('core.not_found', `ledger transaction ${transactionId} not found`);
  const entries: LedgerEntryInput[] = r.rows.map((row) => {
    const claimId = optNum(row, 'claim_id');
    const claimLineId = optNum(row, 'claim_line_id');
    const patientId = optNum(row, 'patient_id');
    const payerId = optNum(row, 'payer_id');
    return {
      account: str(row, 'account') as LedgerAccount,
      amountCents: centsFromDb(-num(row, 'amount_cents')),
      ...(claimId === null ? {} : { claimId: claimId as ClaimId }),
      ...(claimLineId === null ? {} : { claimLineId: claimLineId as ClaimLineId }),
      ...(patientId === null ? {} : { patientId: patientId as PatientId }),
      ...(payerId === null ? {} : { payerId: payerId as PayerId }),
    };
  });
  return insertTransaction(
    tx,
    scope,
    { ...input, kind: 'reversal', reversesTransactionId: transactionId },
    entries,
  );
}

export interface LedgerBalanceFilter {
  readonly claimId?: ClaimId;
  readonly patientId?: PatientId;
  readonly payerId?: PayerId;
  /** Only transactions effective on or before this date. */
  readonly asOf?: CalendarDate;
}

/** Balance per account, derived by SUM over entries (accounts without entries are 0). */
export async function ledgerBalances(
  q: Queryable,
  scope: PracticeScope,
  filter: LedgerBalanceFilter = {},
): Promise<Record<LedgerAccount, Cents>> {
  const r = await q.query(
    `SELECT e.account, sum(e.amount_cents) AS balance
       FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id AND t.practice_id = e.practice_id
      WHERE e.practice_id = $1
        AND ($2::bigint IS NULL OR e.claim_id = $2)
        AND ($3::bigint IS NULL OR e.patient_id = $3)
        AND ($4::bigint IS NULL OR e.payer_id = $4)
        AND ($5::date IS NULL OR t.effective_date <= $5)
      GROUP BY e.account`,
    [
      scope.practiceId,
      filter.claimId ?? null,
      filter.patientId ?? null,
      filter.payerId ?? null,
      filter.asOf ?? null,
    ],
  );
  const out = Object.fromEntries(LEDGER_ACCOUNTS.map((a) => [a, 0 as Cents])) as Record<LedgerAccount, Cents>;
  for (const row of r.rows)
    out[str(row, 'account') as LedgerAccount] = centsFromDb(row['balance'], 'balance');
  return out;
}

export interface LedgerTransaction {
  readonly id: LedgerTransactionId;
  readonly practiceId: PracticeId;
  readonly kind: LedgerTransactionKind;
  readonly effectiveDate: CalendarDate | null;
  readonly idempotencyKey: string;
  readonly recordedAt: Instant;
  readonly memo: string | null;
}

function toTransaction(row: Row): LedgerTransaction {
  return {
    id: LedgerTransactionId(num(row, 'id')),
    practiceId: PracticeId(num(row, 'practice_id')),
    kind: str(row, 'kind') as LedgerTransactionKind,
    effectiveDate: optDate(row, 'effective_date'),
    idempotencyKey: str(row, 'idempotency_key'),
    recordedAt: instant(row, 'recorded_at'),
    memo: optStr(row, 'memo'),
  };
}

/** The practice's ledger transactions, newest first. */
export async function listLedgerTransactions(
  q: Queryable,
  scope: PracticeScope,
  options: { readonly limit?: number } = {},
): Promise<LedgerTransaction[]> {
  const r = await q.query(
    `SELECT id, practice_id, kind, effective_date, idempotency_key, recorded_at, memo FROM ledger_transactions
      WHERE practice_id = $1 ORDER BY id DESC LIMIT $2`,
    [scope.practiceId, options.limit ?? 1000],
  );
  return r.rows.map(toTransaction);
}
