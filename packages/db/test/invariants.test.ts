import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { cents, OpenRcmError, parseDate } from '@openrcm/core';
import { createTestDb, testDbKind, type TestDb } from './harness.ts';
import { seedTwoPractices } from './seed.ts';
import {
  ledgerBalances,
  listLedgerTransactions,
  postLedgerTransaction,
  reverseLedgerTransaction,
  type LedgerAccount,
  type PracticeScope,
  type Tx,
} from '../src/index.ts';

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
  let scope: PracticeScope;
  beforeAll(async () => {
    db = await createTestDb();
    const seeded = await seedTwoPractices(db);
    practiceId = seeded.a.practice.id;
    scope = seeded.a.scope;
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
    // + the seeded 100.00 charge
    expect(r.rows).toEqual([
      { account: 'ar_insurance', balance: '22560' },
      { account: 'gross_charges', balance: '-22560' },
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
    // The two seeded entries and this one are all still there.
    expect((await db.query('SELECT count(*)::int AS n FROM audit_log')).rows[0]).toEqual({ n: 3 });
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

  it('postLedgerTransaction: a charge then an ERA with CO-45 and PR-2; balances are derived by SUM', async () => {
    const post = (
      key: string,
      kind: 'charge' | 'insurance_payment' | 'contractual_adjustment' | 'patient_responsibility',
      debit: LedgerAccount,
      credit: LedgerAccount,
      amount: number,
    ) =>
      db.transaction((tx) =>
        postLedgerTransaction(tx, scope, {
          kind,
          effectiveDate: parseDate('2024-06-01'),
          idempotencyKey: key,
          entries: [
            { account: debit, amountCents: cents(amount) },
            { account: credit, amountCents: cents(-amount) },
          ],
        }),
      );
    const before = await ledgerBalances(db, scope);
    expect((await post('c1', 'charge', 'ar_insurance', 'gross_charges', 12500)).created).toBe(true);
    await post('p1', 'insurance_payment', 'cash', 'ar_insurance', 8000);
    await post('a1', 'contractual_adjustment', 'contractual_adjustments', 'ar_insurance', 3000);
    await post('r1', 'patient_responsibility', 'ar_patient', 'ar_insurance', 1500);
    // Posting the same business key again writes nothing (idempotent jobs).
    const again = await post('p1', 'insurance_payment', 'cash', 'ar_insurance', 8000);
    expect(again.created).toBe(false);
    const after = await ledgerBalances(db, scope);
    expect(after.ar_insurance - before.ar_insurance).toBe(0);
    expect(after.ar_patient - before.ar_patient).toBe(1500);
    expect(after.cash - before.cash).toBe(8000);
    const total = Object.values(after).reduce((a, b) => a + b, 0);
    expect(total).toBe(0);
    expect((await ledgerBalances(db, scope, { asOf: parseDate('2024-05-31') })).cash).toBe(before.cash);
  });

  it('postLedgerTransaction refuses an unbalanced posting before writing', async () => {
    const err: unknown = await db
      .transaction((tx) =>
        postLedgerTransaction(tx, scope, {
          kind: 'adjustment',
          effectiveDate: parseDate('2024-06-02'),
          idempotencyKey: 'bad',
          entries: [
            { account: 'other_adjustments', amountCents: cents(100) },
            { account: 'ar_patient', amountCents: cents(-99) },
          ],
        }),
      )
      .catch((e: unknown) => e);
    expect((err as OpenRcmError).code).toBe('db.ledger_unbalanced');
  });

  it('reverseLedgerTransaction posts the exact negation', async () => {
    const before = await ledgerBalances(db, scope);
    const posted = await db.transaction((tx) =>
      postLedgerTransaction(tx, scope, {
        kind: 'write_off',
        effectiveDate: parseDate('2024-06-03'),
        idempotencyKey: 'wo1',
        entries: [
          { account: 'write_offs', amountCents: cents(700) },
          { account: 'ar_patient', amountCents: cents(-700) },
        ],
      }),
    );
    const reversed = await db.transaction((tx) =>
      reverseLedgerTransaction(tx, scope, posted.id, {
        effectiveDate: parseDate('2024-06-04'),
        idempotencyKey: 'wo1:rev',
      }),
    );
    expect(reversed.created).toBe(true);
    expect(await ledgerBalances(db, scope)).toEqual(before);
    const kinds = (await listLedgerTransactions(db, scope, { limit: 2 })).map((t) => t.kind);
    expect(kinds).toEqual(['reversal', 'write_off']);
  });

  it('using the database handle inside its own transaction fails fast instead of hanging', async () => {
    const err: unknown = await db
      .transaction(async () => {
        await db.query('SELECT 1');
      })
      .catch((e: unknown) => e);
    expect((err as OpenRcmError).code).toBe('core.internal');
    expect((err as Error).message).toMatch(/use the tx handle/);
    // Concurrent work outside the transaction is unaffected.
    const [a, b] = await Promise.all([
      db.transaction((tx) => tx.query<{ n: number }>('SELECT 1::int AS n')),
      db.query<{ n: number }>('SELECT 2::int AS n'),
    ]);
    expect([a.rows[0]?.n, b.rows[0]?.n]).toEqual([1, 2]);
  });
});
