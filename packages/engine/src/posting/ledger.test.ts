/**
 * The ledger's integrity rules as migration 0009 checks them once per INSERT statement (instead of per row):
 * references exist in the entry's practice, entries only join a transaction of the same database transaction,
 * an unbalanced transaction is refused at COMMIT, and a claim named by entries cannot be deleted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenRcmError } from '@openrcm/core';
import { createTestDb, type TestDb } from '@openrcm/db/test-harness';
import { createClaim, createWorld, type FixtureClaim, type World } from '../remittance/fixtures.ts';
import { postChargesForClaims } from './ledger.ts';

let db: TestDb;
let w: World;
let other: World;
let c: FixtureClaim;

beforeAll(async () => {
  db = await createTestDb();
  w = await createWorld(db, 'led');
  other = await createWorld(db, 'led2');
  c = await createClaim(db, w, `L${process.pid % 100000}`, [
    { procedureCode: '99213', chargeCents: 10000, serviceDate: '2026-02-10' },
  ]);
});
afterAll(async () => {
  await db.close();
});

type Ref = { claimId?: number; lineId?: number; patientId?: number; payerId?: number };

/** One transaction with a balanced pair of entries carrying `ref`, in one statement per table. */
async function post(practiceId: number, key: string, ref: Ref): Promise<void> {
  await db.transaction(async (tx) => {
    const t = await tx.query<{ id: number }>(
      `INSERT INTO ledger_transactions (practice_id, kind, effective_date, idempotency_key)
       VALUES ($1, 'adjustment', DATE '2026-02-11', $2) RETURNING id`,
      [practiceId, key],
    );
    await tx.query(
      `INSERT INTO ledger_entries (practice_id, transaction_id, account, amount_cents, claim_id, claim_line_id, patient_id, payer_id)
       SELECT $1, $2, a.account, a.amount, $3, $4, $5, $6 FROM (VALUES ('other_adjustments', 100), ('ar_insurance', -100)) a(account, amount)`,
      [
        practiceId,
        t.rows[0]?.id,
        ref.claimId ?? null,
        ref.lineId ?? null,
        ref.patientId ?? null,
        ref.payerId ?? null,
      ],
    );
  });
}

async function failure(p: Promise<unknown>): Promise<OpenRcmError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(OpenRcmError);
  return e as OpenRcmError;
}

describe('ledger integrity, checked per statement', () => {
  it('accepts entries whose claim, line, patient and payer exist in the practice', async () => {
    await post(w.practiceId, 'ok', {
      claimId: c.claimId,
      lineId: c.lineIds[0] ?? 0,
      patientId: w.patientId,
      payerId: w.payerId,
    });
    const n = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id
        WHERE t.idempotency_key = 'ok'`,
    );
    expect(n.rows[0]?.n).toBe(2);
  });

  it.each([
    ['claim', (): Ref => ({ claimId: c.claimId })],
    ['claim line', (): Ref => ({ lineId: c.lineIds[0] ?? 0 })],
    ['patient', (): Ref => ({ patientId: w.patientId })],
  ])('refuses a %s of another practice, and nothing of the transaction stays', async (what, ref) => {
    const key = `cross-${what}`;
    const e = await failure(post(other.practiceId, key, ref()));
    expect(e.message).toContain(`names a ${what} that does not exist`);
    expect(e.details['constraint']).toBe('ledger_entries_references');
    const left = await db.query('SELECT 1 FROM ledger_transactions WHERE idempotency_key = $1', [key]);
    expect(left.rowCount).toBe(0);
  });

  it('refuses an unknown payer and an unknown transaction', async () => {
    expect((await failure(post(w.practiceId, 'nopayer', { payerId: 987654321 }))).message).toContain('payer');
    const e = await failure(
      db.query(
        `INSERT INTO ledger_entries (practice_id, transaction_id, account, amount_cents)
         VALUES ($1, 987654321, 'cash', 5), ($1, 987654321, 'unapplied_cash', -5)`,
        [w.practiceId],
      ),
    );
    expect(e.message).toContain('names a transaction');
  });

  it('refuses entries added to a transaction committed earlier (corrections are reversals)', async () => {
    const t = await db.query<{ id: number }>(
      "SELECT id FROM ledger_transactions WHERE idempotency_key = 'ok'",
    );
    const e = await failure(
      db.query(
        `INSERT INTO ledger_entries (practice_id, transaction_id, account, amount_cents)
         VALUES ($1, $2, 'cash', 5), ($1, $2, 'unapplied_cash', -5)`,
        [w.practiceId, t.rows[0]?.id],
      ),
    );
    expect(e.message).toMatch(/committed earlier/);
  });

  it('still refuses an unbalanced transaction at COMMIT, also when its entries come in several statements', async () => {
    const e = await failure(
      db.transaction(async (tx) => {
        const t = await tx.query<{ id: number }>(
          `INSERT INTO ledger_transactions (practice_id, kind, effective_date, idempotency_key)
           VALUES ($1, 'adjustment', DATE '2026-02-11', 'unbalanced') RETURNING id`,
          [w.practiceId],
        );
        for (const amount of [100, -60]) {
          await tx.query(
            `INSERT INTO ledger_entries (practice_id, transaction_id, account, amount_cents) VALUES ($1, $2, 'cash', $3)`,
            [w.practiceId, t.rows[0]?.id, amount],
          );
        }
      }),
    );
    expect(e.message).toMatch(/unbalanced/);
  });

  it('refuses to delete claim lines that ledger entries name', async () => {
    const e = await failure(
      db.transaction(async (tx) => {
        await tx.query('DELETE FROM claim_lines WHERE claim_id = $1', [c.claimId]);
      }),
    );
    expect(e.message).toContain('claim_lines is named by ledger entries');
  });
  it('refuses to delete a payer that only ledger entries name', async () => {
    const payer = await db.query<{ id: number }>(
      `INSERT INTO payers (payer_code, name, payer_type, timely_filing_days) VALUES ($1, 'Only in the ledger', 'commercial', 90)
       RETURNING id`,
      [`LEDGERONLY${process.pid}`],
    );
    const id = payer.rows[0]?.id ?? 0;
    await post(w.practiceId, 'payer-only', { payerId: id });
    const e = await failure(db.query('DELETE FROM payers WHERE id = $1', [id]));
    expect(e.message).toContain('a deleted payers is named by ledger entries');
    expect(e.details['sqlstate']).toBe('23503');
  });
});

describe('ERA rows, references checked per statement', () => {
  it('refuses a line payment or CAS row naming a claim payment that does not exist, and a ledger transaction naming an unknown remittance', async () => {
    const lp = await failure(
      db.query(
        `INSERT INTO line_payments (practice_id, claim_payment_id, procedure_code, charge_cents, paid_cents)
         VALUES ($1, 987654321, '99213', 100, 100)`,
        [w.practiceId],
      ),
    );
    expect(lp.message).toContain('a row of line_payments names a claim payment');
    expect(lp.details['constraint']).toBe('line_payments_references');
    const adj = await failure(
      db.query(
        `INSERT INTO adjustments (practice_id, claim_payment_id, group_code, reason_code, amount_cents)
         VALUES ($1, 987654321, 'CO', '45', 100)`,
        [w.practiceId],
      ),
    );
    expect(adj.message).toContain('a row of adjustments names a claim payment');
    const t = await failure(
      db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO ledger_transactions (practice_id, kind, effective_date, idempotency_key, remittance_id)
           VALUES ($1, 'insurance_payment', DATE '2026-02-11', 'no-remit', 987654321)`,
          [w.practiceId],
        );
      }),
    );
    expect(t.message).toContain('a row of ledger_transactions names a remittance');
  });

  it('refuses to delete a claim payment that line payments name, and lets ordinary updates through', async () => {
    const r = await db.query<{ id: number }>(
      `INSERT INTO remittances (practice_id, payer_id, content_sha256, trace_number, handling_code, payment_cents,
                                payment_method, payment_date)
       VALUES ($1, $2, repeat('a', 64), 'TRN-REF', 'I', 0, 'NON', DATE '2026-03-01') RETURNING id`,
      [w.practiceId, w.payerId],
    );
    const cp = await db.query<{ id: number }>(
      `INSERT INTO claim_payments (practice_id, remittance_id, claim_id, patient_control_number, claim_status_code,
                                   charge_cents, paid_cents)
       VALUES ($1, $2, $3, 'X', '1', 100, 0) RETURNING id`,
      [w.practiceId, r.rows[0]?.id, c.claimId],
    );
    await db.query(
      `INSERT INTO line_payments (practice_id, claim_payment_id, claim_line_id, procedure_code, charge_cents, paid_cents)
       VALUES ($1, $2, $3, '99213', 100, 0)`,
      [w.practiceId, cp.rows[0]?.id, c.lineIds[0]],
    );
    await db.query(`UPDATE claim_payments SET posting_status = 'posted' WHERE id = $1`, [cp.rows[0]?.id]);
    await db.query(`UPDATE remittances SET status = 'posted' WHERE id = $1`, [r.rows[0]?.id]);
    const e = await failure(db.query('DELETE FROM claim_payments WHERE id = $1', [cp.rows[0]?.id]));
    expect(e.message).toContain('claim_payments is still named by posting rows');
    const l = await failure(db.query('DELETE FROM claim_lines WHERE id = $1', [c.lineIds[0]]));
    expect(l.details['sqlstate']).toBe('23503');
  });
});

describe('CHARGE: one ledger transaction per claim version', () => {
  it('debits ar_insurance and credits gross_charges on every line of a non-zero charge, once', async () => {
    const claim = await createClaim(db, w, `LC${process.pid % 100000}`, [
      { procedureCode: '99214', chargeCents: 12500, serviceDate: '2026-03-03' },
      { procedureCode: '36415', chargeCents: 0, serviceDate: '2026-03-02' },
      { procedureCode: '81002', chargeCents: 2550, serviceDate: '2026-03-04' },
    ]);
    const txns = await db.query<{ id: number; key: string; kind: string; effective: string }>(
      `SELECT DISTINCT t.id, t.idempotency_key AS key, t.kind, t.effective_date::text AS effective
         FROM ledger_transactions t JOIN ledger_entries e ON e.transaction_id = t.id
        WHERE e.practice_id = $1 AND e.claim_id = $2`,
      [w.practiceId, claim.claimId],
    );
    const version = await db.query<{ id: number }>(`SELECT id FROM claim_versions WHERE claim_id = $1`, [
      claim.claimId,
    ]);
    expect(txns.rows).toEqual([
      {
        id: txns.rows[0]?.id,
        key: `charge:version:${String(version.rows[0]?.id)}`,
        kind: 'charge',
        // The version's first date of service among its charged lines.
        effective: '2026-03-03',
      },
    ]);
    const entries = await db.query<{ line: number; account: string; amount: string }>(
      `SELECT claim_line_id AS line, account, amount_cents::text AS amount FROM ledger_entries
        WHERE practice_id = $1 AND claim_id = $2 ORDER BY claim_line_id, account`,
      [w.practiceId, claim.claimId],
    );
    const [l1, , l3] = claim.lineIds;
    expect(entries.rows).toEqual([
      { line: l1, account: 'ar_insurance', amount: '12500' },
      { line: l1, account: 'gross_charges', amount: '-12500' },
      { line: l3, account: 'ar_insurance', amount: '2550' },
      { line: l3, account: 'gross_charges', amount: '-2550' },
    ]);
    // Idempotent per version: posting the same claim's charges again writes nothing.
    const again = await db.transaction((tx) => postChargesForClaims(tx, w.scope, [claim.claimId]));
    expect(again).toBe(0);
    const count = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ledger_entries WHERE practice_id = $1 AND claim_id = $2`,
      [w.practiceId, claim.claimId],
    );
    expect(count.rows[0]?.n).toBe(4);
  });

  it('posts nothing for a version whose lines are all zero', async () => {
    const claim = await createClaim(db, w, `LZ${process.pid % 100000}`, [
      { procedureCode: '99211', chargeCents: 0, serviceDate: '2026-03-05' },
    ]);
    const n = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ledger_entries WHERE practice_id = $1 AND claim_id = $2`,
      [w.practiceId, claim.claimId],
    );
    expect(n.rows[0]?.n).toBe(0);
  });
});
