import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { OpenRcmError } from '@openrcm/core';
import { createTestDb, testDbKind, type TestDb } from './harness.ts';
import { seedTwoPractices } from './seed.ts';
import type { Tx } from '../src/index.ts';

async function postTransaction(tx: Tx, practiceId: number, key: string, amounts: number[]): Promise<number> {
  const t = await tx.query<{ id: number }>(
    `INSERT INTO ledger_transactions (practice_id, kind, effective_date, idempotency_key)
     VALUES ($1, 'charge', DATE '2024-05-01', $2) RETURNING id`,
    [practiceId, key],
  );
  const id = t.rows[0]?.id ?? 0;
  for (const [i, amount] of amounts.entries()) {
    await tx.query(
      `INSERT INTO ledger_entries (practice_id, transaction_id, account, amount_cents) VALUES ($1, $2, $3, $4)`,
      [practiceId, id, i % 2 === 0 ? 'ar_insurance' : 'gross_charges', amount],
    );
  }
  return id;
}

describe(`database invariants on ${testDbKind()}`, () => {
  let db: TestDb;
  let practiceId: number;
  beforeAll(async () => {
    db = await createTestDb();
    practiceId = (await seedTwoPractices(db)).a.practice.id;
  });
  afterAll(async () => {
    await db.close();
  });

  it('a balanced ledger transaction commits and the balance is derived by SUM', async () => {
    await db.transaction((tx) => postTransaction(tx, practiceId, 'charge:1', [12500, -12500]));
    await db.transaction((tx) => postTransaction(tx, practiceId, 'charge:2', [100, -60, -40]));
    const r = await db.query<{ account: string; balance: string }>(
      `SELECT account, sum(amount_cents)::text AS balance FROM ledger_entries WHERE practice_id = $1
        GROUP BY account ORDER BY account`,
      [practiceId],
    );
    expect(r.rows).toEqual([
      { account: 'ar_insurance', balance: '12560' },
      { account: 'gross_charges', balance: '-12560' },
    ]);
  });

  it('the database rejects an unbalanced transaction at COMMIT, not only the code', async () => {
    const err: unknown = await db
      .transaction(async (tx) => {
        await postTransaction(tx, practiceId, 'charge:bad', [12500, -12400]);
        // Until COMMIT the deferred trigger has not fired: the insert itself succeeded.
        return 'inserted';
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenRcmError);
    expect((err as Error).message).toMatch(/unbalanced/);
    const left = await db.query("SELECT 1 FROM ledger_transactions WHERE idempotency_key = 'charge:bad'");
    expect(left.rowCount).toBe(0);
  });

  it('rejects a transaction with a single entry or no entries', async () => {
    await expect(db.transaction((tx) => postTransaction(tx, practiceId, 'one', [5]))).rejects.toThrow(
      /unbalanced/,
    );
    await expect(db.transaction((tx) => postTransaction(tx, practiceId, 'none', []))).rejects.toThrow(
      /unbalanced/,
    );
  });

  it('rejects an unbalanced insert made outside an explicit transaction (autocommit)', async () => {
    await expect(
      db.query(
        `WITH t AS (INSERT INTO ledger_transactions (practice_id, kind, effective_date, idempotency_key)
                    VALUES ($1, 'adjustment', DATE '2024-05-02', 'auto') RETURNING id)
         INSERT INTO ledger_entries (practice_id, transaction_id, account, amount_cents)
         SELECT $1, id, 'cash', 100 FROM t`,
        [practiceId],
      ),
    ).rejects.toThrow(/unbalanced/);
  });

  it('the ledger is append-only: corrections are reversals', async () => {
    await expect(db.query('UPDATE ledger_entries SET amount_cents = amount_cents * 2')).rejects.toThrow(
      /append-only/,
    );
    await expect(db.query('DELETE FROM ledger_transactions')).rejects.toThrow(/append-only/);
  });

  it('the audit log refuses UPDATE and DELETE', async () => {
    await db.query(
      `INSERT INTO audit_log (practice_id, actor, action, entity_type, entity_id) VALUES ($1, 'user:1', 'practice.create', 'practice', '1')`,
      [practiceId],
    );
    const update: unknown = await db.query("UPDATE audit_log SET actor = 'user:2'").catch((e: unknown) => e);
    expect((update as OpenRcmError).details['sqlstate']).toBe('23001'); // restrict_violation
    await expect(db.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    await expect(db.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
    expect((await db.query('SELECT count(*)::int AS n FROM audit_log')).rows[0]).toEqual({ n: 1 });
  });

  it('check constraints guard closed code sets and money columns are integers', async () => {
    await expect(
      db.query(
        `INSERT INTO payers (payer_code, name, payer_type, timely_filing_days) VALUES ('X1', 'X', 'bogus', 90)`,
      ),
    ).rejects.toMatchObject({ details: { sqlstate: '23514' } });
    await expect(
      db.query(
        `INSERT INTO deposits (practice_id, deposit_date, amount_cents) VALUES ($1, DATE '2024-01-01', 10.5)`,
        [practiceId],
      ),
    ).resolves.toBeDefined(); // 10.5 rounds in the cast: the money type is integer cents, never fractional
    const r = await db.query<{ amount_cents: number }>(
      'SELECT amount_cents FROM deposits WHERE practice_id = $1',
      [practiceId],
    );
    expect(Number.isInteger(r.rows[0]?.amount_cents)).toBe(true);
  });
});
