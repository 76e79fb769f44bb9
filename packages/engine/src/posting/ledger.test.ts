/**
 * The ledger's integrity rules as migration 0009 checks them once per INSERT statement (instead of per row):
 * references exist in the entry's practice, entries only join a transaction of the same database transaction,
 * an unbalanced transaction is refused at COMMIT, and a claim named by entries cannot be deleted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenRcmError } from '@openrcm/core';
import { createTestDb, type TestDb } from '@openrcm/db/test-harness';
import { createClaim, createWorld, type FixtureClaim, type World } from '../remittance/fixtures.ts';

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
});
