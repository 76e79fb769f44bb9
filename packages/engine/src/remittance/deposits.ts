/**
 * Deposit reconciliation (issue #6 §6): bank deposits (CSV: date, amount, trace) matched to 835 payments
 * (BPR02 amount, TRN02 trace, BPR16 date), so every ERA is tied to money that actually arrived and every
 * deposit to the ERA that explains it. Unmatched deposits and unmatched ERAs are listed for a person.
 */
import { coreError, isCalendarDate, tryParseCents, type Cents } from '@openrcm/core';
import type { Db, PracticeScope } from '@openrcm/db';

export interface DepositRow {
  readonly date: string;
  readonly amountCents: Cents;
  /** EFT trace or check number (matches TRN02). */
  readonly trace: string;
}

export interface DepositParse {
  readonly rows: readonly DepositRow[];
  /** 1-based CSV line and what is wrong (field names, never values). */
  readonly errors: readonly { readonly line: number; readonly message: string }[];
}

/** Parses `date,amount,trace` CSV (header required; amount as a decimal like 1234.56). Pure. */
export function parseDepositsCsv(text: string): DepositParse {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const header = (lines[0] ?? '').split(',').map((h) => h.trim().toLowerCase());
  const col = (name: string): number => header.indexOf(name);
  const [di, ai, ti] = [col('date'), col('amount'), col('trace')];
  if (di < 0 || ai < 0 || ti < 0) {
    return { rows: [], errors: [{ line: 1, message: 'header must name the columns date, amount, trace' }] };
  }
  const rows: DepositRow[] = [];
  const errors: { line: number; message: string }[] = [];
  lines.slice(1).forEach((raw, i) => {
    if (raw.trim() === '') return;
    const f = raw.split(',').map((x) => x.trim());
    const date = f[di] ?? '';
    const amount = tryParseCents(f[ai] ?? '');
    const trace = f[ti] ?? '';
    if (!isCalendarDate(date)) errors.push({ line: i + 2, message: 'date is not YYYY-MM-DD' });
    else if (amount === undefined) errors.push({ line: i + 2, message: 'amount is not a decimal amount' });
    else if (trace === '') errors.push({ line: i + 2, message: 'trace is empty' });
    else rows.push({ date, amountCents: amount, trace });
  });
  return { rows, errors };
}

export interface Reconciliation {
  /** Remittances newly linked to a deposit. */
  readonly matched: number;
  readonly unmatchedDepositIds: readonly number[];
  /** Remittances carrying money (BPR02 > 0) with no deposit. */
  readonly unmatchedRemittanceIds: readonly number[];
}

/** Days a deposit may trail the 835 payment date (BPR16) when matched by amount alone. */
export const DEPOSIT_DATE_WINDOW_DAYS = 5;

/**
 * Links the practice's unlinked remittances to unlinked deposits: first trace + amount exact, then amount
 * with the deposit dated 0–5 days after BPR16 when exactly one of each fits. Idempotent.
 */
export async function reconcileDeposits(db: Db, scope: PracticeScope): Promise<Reconciliation> {
  return db.transaction(async (tx) => {
    const byTrace = await tx.query(
      `WITH m AS (
         SELECT DISTINCT ON (r.id) r.id AS remittance_id, d.id AS deposit_id
           FROM remittances r
           JOIN deposits d ON d.practice_id = r.practice_id AND d.reference = r.trace_number AND d.amount_cents = r.payment_cents
          WHERE r.practice_id = $1 AND r.deposit_id IS NULL AND r.payment_cents > 0
            AND NOT EXISTS (SELECT 1 FROM remittances x WHERE x.practice_id = d.practice_id AND x.deposit_id = d.id)
          ORDER BY r.id, d.id)
       UPDATE remittances r SET deposit_id = m.deposit_id FROM m WHERE r.practice_id = $1 AND r.id = m.remittance_id`,
      [scope.practiceId],
    );
    // Amount + date window, only where the pairing is unambiguous on both sides.
    const byAmount = await tx.query(
      `WITH c AS (
         SELECT r.id AS remittance_id, d.id AS deposit_id
           FROM remittances r
           JOIN deposits d ON d.practice_id = r.practice_id AND d.amount_cents = r.payment_cents
            AND d.deposit_date BETWEEN r.payment_date AND r.payment_date + $2::int
          WHERE r.practice_id = $1 AND r.deposit_id IS NULL AND r.payment_cents > 0
            AND NOT EXISTS (SELECT 1 FROM remittances x WHERE x.practice_id = d.practice_id AND x.deposit_id = d.id)),
       u AS (
         SELECT remittance_id, deposit_id FROM c
          WHERE remittance_id IN (SELECT remittance_id FROM c GROUP BY remittance_id HAVING count(*) = 1)
            AND deposit_id IN (SELECT deposit_id FROM c GROUP BY deposit_id HAVING count(*) = 1))
       UPDATE remittances r SET deposit_id = u.deposit_id FROM u WHERE r.practice_id = $1 AND r.id = u.remittance_id`,
      [scope.practiceId, DEPOSIT_DATE_WINDOW_DAYS],
    );
    const deposits = await tx.query<{ id: number }>(
      `SELECT d.id FROM deposits d WHERE d.practice_id = $1
          AND NOT EXISTS (SELECT 1 FROM remittances r WHERE r.practice_id = d.practice_id AND r.deposit_id = d.id)
        ORDER BY d.id`,
      [scope.practiceId],
    );
    const remittances = await tx.query<{ id: number }>(
      `SELECT id FROM remittances WHERE practice_id = $1 AND deposit_id IS NULL AND payment_cents > 0 ORDER BY id`,
      [scope.practiceId],
    );
    return {
      matched: byTrace.rowCount + byAmount.rowCount,
      unmatchedDepositIds: deposits.rows.map((r) => r.id),
      unmatchedRemittanceIds: remittances.rows.map((r) => r.id),
    };
  });
}

/**
 * Imports bank deposits (a row already on file with the same date, amount and trace is skipped) and
 * reconciles. Refuses the whole file when a row is malformed.
 */
export async function importDeposits(
  db: Db,
  scope: PracticeScope,
  text: string,
): Promise<Reconciliation & { readonly inserted: number }> {
  const parsed = parseDepositsCsv(text);
  if (parsed.errors.length > 0) {
    throw coreError(
      'core.invalid_argument',
      `deposits file: ${parsed.errors.map((e) => `line ${e.line}: ${e.message}`).join('; ')}`,
    );
  }
  const res = await db.query(
    `INSERT INTO deposits (practice_id, deposit_date, amount_cents, reference, source)
     SELECT $1, x.d, x.a, x.t, 'bank_file'
       FROM unnest($2::date[], $3::bigint[], $4::text[]) AS x(d, a, t)
      WHERE NOT EXISTS (SELECT 1 FROM deposits e WHERE e.practice_id = $1 AND e.deposit_date = x.d
                          AND e.amount_cents = x.a AND e.reference = x.t)`,
    [
      scope.practiceId,
      parsed.rows.map((r) => r.date),
      parsed.rows.map((r) => r.amountCents),
      parsed.rows.map((r) => r.trace),
    ],
  );
  return { inserted: res.rowCount, ...(await reconcileDeposits(db, scope)) };
}
