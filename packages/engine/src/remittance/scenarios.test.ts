import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Instant } from '@openrcm/core';
import { createTestDb, type TestDb } from '@openrcm/db/test-harness';
import {
  cas,
  claimPayment,
  createClaim,
  createWorld,
  remittance,
  service,
  write,
  type World,
} from './fixtures.ts';
import { importEra } from './ingest.ts';

let db: TestDb;
let w: World;
const receivedAt = '2026-03-02T08:00:00.000Z' as Instant;
const now = '2026-03-02T10:00:00.000Z' as Instant;
const opts = { receivedAt, now, actor: 'system:test' };
let seq = 0;
const pcn = (): string => `S${process.pid % 100000}-${(seq += 1)}`;

beforeAll(async () => {
  db = await createTestDb();
  w = await createWorld(db, 'scn');
});
afterAll(async () => {
  await db.close();
});

type Bal = Record<string, number>;

/** Ledger balance per account for one claim (or one claim line). */
async function balances(where: { claimId?: number; lineId?: number }): Promise<Bal> {
  const r = await db.query<{ account: string; s: number | string }>(
    `SELECT account, sum(amount_cents) AS s FROM ledger_entries
      WHERE practice_id = $1 AND ($2::bigint IS NULL OR claim_id = $2) AND ($3::bigint IS NULL OR claim_line_id = $3)
      GROUP BY account`,
    [w.practiceId, where.claimId ?? null, where.lineId ?? null],
  );
  return Object.fromEntries(r.rows.map((x) => [x.account, Number(x.s)]));
}

async function claimStatus(claimId: number): Promise<string> {
  const r = await db.query<{ status: string }>('SELECT status FROM claims WHERE id = $1', [claimId]);
  return r.rows[0]?.status ?? '';
}

async function workItems(
  type: string,
  claimId?: number,
): Promise<{ links: Record<string, unknown>; title: string }[]> {
  const r = await db.query<{ links: Record<string, unknown>; title: string }>(
    `SELECT links, title FROM work_items WHERE practice_id = $1 AND type = $2
        AND ($3::bigint IS NULL OR (links->>'claimId')::bigint = $3) ORDER BY id`,
    [w.practiceId, type, claimId ?? null],
  );
  return r.rows;
}

async function importOne(...args: Parameters<typeof remittance>) {
  const res = await importEra(db, { text: write([remittance(...args)]) }, opts);
  const set = res.transactionSets[0];
  if (!set) throw new Error('no transaction set');
  return set;
}

const DOS = '2026-02-10';

describe('ERA posting scenarios', () => {
  it('partial pay: CO-45 contractual, PR-1 deductible / PR-2 coinsurance / PR-3 copay kept apart, claim paid', async () => {
    const p = pcn();
    const c = await createClaim(db, w, p, [
      { procedureCode: '99214', chargeCents: 20000, serviceDate: DOS },
      { procedureCode: '36415', chargeCents: 3000, serviceDate: DOS },
    ]);
    const set = await importOne(w, `TRN-${p}`, [
      claimPayment(p, '1', [
        service('99214', 20000, [cas('CO', ['45', 6000]), cas('PR', ['1', 5000], ['2', 1800])], {
          ref: c.lineControlNumbers[0] ?? '',
          date: DOS,
        }),
        service('36415', 3000, [cas('CO', ['45', 1000]), cas('PR', ['3', 2000])], {
          ref: c.lineControlNumbers[1] ?? '',
          date: DOS,
        }),
      ]),
    ]);
    expect(set).toMatchObject({
      outcome: 'posted',
      claims: 1,
      claimExceptions: 0,
      lines: 2,
      linesAutoPosted: 2,
    });
    const line1 = await balances({ lineId: c.lineIds[0] ?? 0 });
    // charge 200.00 = paid 72.00 + contractual 60.00 + patient 68.00 + open 0.
    expect(line1).toMatchObject({
      gross_charges: -20000,
      cash: 7200,
      contractual_adjustments: 6000,
      ar_patient: 6800,
      ar_insurance: 0,
    });
    const pr = await db.query<{ memo: string; s: number | string }>(
      `SELECT t.memo, sum(e.amount_cents) AS s FROM ledger_transactions t JOIN ledger_entries e ON e.transaction_id = t.id
        WHERE t.remittance_id = $1 AND t.kind = 'patient_responsibility' AND e.account = 'ar_patient' GROUP BY t.memo ORDER BY t.memo`,
      [set.remittanceId],
    );
    expect(pr.rows.map((r) => [r.memo, Number(r.s)])).toEqual([
      ['PR-1', 5000],
      ['PR-2', 1800],
      ['PR-3', 2000],
    ]);
    expect(await claimStatus(c.claimId)).toBe('paid');
    const lag = await db.query<{ h: number }>(
      'SELECT extract(epoch FROM posted_at - received_at)::int / 3600 AS h FROM remittances WHERE id = $1',
      [set.remittanceId],
    );
    expect(lag.rows[0]?.h).toBe(2);
  });

  it('denial CO-197: the line pays zero, a denial row (authorization) and a denial work item due in 72 h', async () => {
    const p = pcn();
    const c = await createClaim(db, w, p, [{ procedureCode: '97110', chargeCents: 15000, serviceDate: DOS }]);
    const set = await importOne(w, `TRN-${p}`, [
      claimPayment(p, '4', [
        service('97110', 15000, [cas('CO', ['197', 15000])], {
          ref: c.lineControlNumbers[0] ?? '',
          remarks: ['N54'],
        }),
      ]),
    ]);
    expect(set).toMatchObject({ outcome: 'posted', denials: 1 });
    const d = await db.query<{
      category: string;
      route: string;
      reason_code: string;
      remark_codes: string[];
    }>('SELECT category, route, reason_code, remark_codes FROM denials WHERE claim_id = $1', [c.claimId]);
    expect(d.rows).toEqual([
      { category: 'authorization', route: 'billing', reason_code: '197', remark_codes: ['N54'] },
    ]);
    const items = await workItems('denial', c.claimId);
    expect(items).toHaveLength(1);
    expect(items[0]?.links).toMatchObject({ carc: '197', group: 'CO', amountCents: 15000 });
    expect(await claimStatus(c.claimId)).toBe('denied');
    // The denied amount is not written off as contractual: it stays collectable in insurance AR until the
    // denial is worked (DOMAIN stage 5).
    expect(await balances({ claimId: c.claimId })).toEqual({ ar_insurance: 15000, gross_charges: -15000 });
    const hist = await db.query<{ to_status: string }>(
      'SELECT to_status FROM claim_status_history WHERE claim_id = $1 ORDER BY id',
      [c.claimId],
    );
    expect(hist.rows.map((h) => h.to_status)).toEqual(['denied']);
  });

  it('reversal then re-adjudication: the first payment is negated exactly, then the new one posts', async () => {
    const p = pcn();
    const c = await createClaim(db, w, p, [{ procedureCode: '99213', chargeCents: 10000, serviceDate: DOS }]);
    const ref = c.lineControlNumbers[0] ?? '';
    const first = await importOne(w, `TRN-${p}-1`, [
      claimPayment(p, '1', [service('99213', 10000, [cas('CO', ['45', 2000])], { ref })], {
        payerClaimNumber: 'PCC1',
      }),
    ]);
    expect(first.outcome).toBe('posted');
    const second = await importOne(w, `TRN-${p}-2`, [
      claimPayment(p, '22', [service('99213', -10000, [cas('CO', ['45', -2000])], { ref })], {
        payerClaimNumber: 'PCC1',
      }),
      claimPayment(
        p,
        '1',
        [service('99213', 10000, [cas('CO', ['45', 1500]), cas('PR', ['2', 500])], { ref })],
        {
          payerClaimNumber: 'PCC2',
        },
      ),
    ]);
    expect(second).toMatchObject({ outcome: 'posted', reversals: 1, claims: 2 });
    const rev = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ledger_transactions WHERE remittance_id = $1 AND kind = 'reversal'
          AND reverses_transaction_id IN (SELECT id FROM ledger_transactions WHERE remittance_id = $2)`,
      [second.remittanceId, first.remittanceId],
    );
    expect(rev.rows[0]?.n).toBe(2); // the payment and the CO-45 of the first ERA
    expect(await balances({ claimId: c.claimId })).toMatchObject({
      cash: 8000,
      contractual_adjustments: 1500,
      ar_patient: 500,
      ar_insurance: 0,
    });
    const cp = await db.query<{ reverses_claim_payment_id: number | null }>(
      `SELECT reverses_claim_payment_id FROM claim_payments WHERE remittance_id = $1 AND claim_status_code = '22'`,
      [second.remittanceId],
    );
    expect(cp.rows[0]?.reverses_claim_payment_id).not.toBeNull();
    const pcc = await db.query<{ payer_claim_number: string }>(
      'SELECT payer_claim_number FROM claims WHERE id = $1',
      [c.claimId],
    );
    expect(pcc.rows[0]?.payer_claim_number).toBe('PCC2');
  });

  it('PLB recoupment (WO) against an earlier claim, and PLB interest (L6), post against cash = BPR02', async () => {
    const old = pcn();
    const oc = await createClaim(db, w, old, [
      { procedureCode: '99213', chargeCents: 10000, serviceDate: DOS },
    ]);
    await importOne(w, `TRN-${old}`, [
      claimPayment(old, '1', [service('99213', 10000, [], { ref: oc.lineControlNumbers[0] ?? '' })], {
        payerClaimNumber: `PCN${old}`,
      }),
    ]);
    const p = pcn();
    const c = await createClaim(db, w, p, [{ procedureCode: '99213', chargeCents: 10000, serviceDate: DOS }]);
    const set = await importOne(
      w,
      `TRN-${p}`,
      [
        claimPayment(p, '1', [
          service('99213', 10000, [cas('CO', ['45', 2000])], { ref: c.lineControlNumbers[0] ?? '' }),
        ]),
      ],
      [
        { reason: 'WO', reference: `PCN${old}`, amount: 3000 },
        { reason: 'L6', reference: p, amount: -125 },
      ],
    );
    expect(set).toMatchObject({ outcome: 'posted', paymentCents: 8000 - 3000 + 125 });
    const plb = await db.query<{ kind: string; claim_id: number | null; s: number | string }>(
      `SELECT t.kind, e.claim_id, e.amount_cents AS s FROM ledger_transactions t JOIN ledger_entries e ON e.transaction_id = t.id
        WHERE t.remittance_id = $1 AND e.account = 'cash' AND t.kind IN ('recoupment', 'interest') ORDER BY t.id`,
      [set.remittanceId],
    );
    expect(plb.rows.map((r) => [r.kind, r.claim_id, Number(r.s)])).toEqual([
      ['recoupment', oc.claimId, -3000],
      ['interest', c.claimId, 125],
    ]);
    // Interest has an income account of its own; the claim's payment stays what CLP04 paid.
    const accounts = await db.query<{ account: string; s: number | string }>(
      `SELECT e.account, sum(e.amount_cents) AS s FROM ledger_transactions t JOIN ledger_entries e ON e.transaction_id = t.id
        WHERE t.remittance_id = $1 AND t.kind IN ('recoupment', 'interest') AND e.account <> 'cash'
        GROUP BY e.account ORDER BY e.account`,
      [set.remittanceId],
    );
    expect(accounts.rows.map((r) => [r.account, Number(r.s)])).toEqual([
      ['interest_income', -125],
      ['provider_level_adjustments', 3000],
    ]);
    const paid = await db.query<{ s: number | string }>(
      `SELECT sum(e.amount_cents) AS s FROM ledger_transactions t JOIN ledger_entries e ON e.transaction_id = t.id
        WHERE t.remittance_id = $1 AND t.kind = 'insurance_payment' AND e.account = 'cash'`,
      [set.remittanceId],
    );
    expect(Number(paid.rows[0]?.s)).toBe(8000);
  });

  it('a reversal (CLP02 = 22) with no payment to reverse is a posting exception; its money waits in unapplied cash', async () => {
    const p = pcn();
    const c = await createClaim(db, w, p, [{ procedureCode: '99213', chargeCents: 10000, serviceDate: DOS }]);
    const ref = c.lineControlNumbers[0] ?? '';
    // An earlier payment of 8000 was posted; this reversal undoes one of 6000 that we never posted.
    await importOne(w, `TRN-${p}-1`, [
      claimPayment(p, '1', [service('99213', 10000, [cas('CO', ['45', 2000])], { ref })]),
    ]);
    const other = pcn();
    const oc = await createClaim(db, w, other, [
      { procedureCode: '99213', chargeCents: 10000, serviceDate: DOS },
    ]);
    const set = await importOne(w, `TRN-${p}-2`, [
      claimPayment(p, '22', [service('99213', -10000, [cas('CO', ['45', -4000])], { ref })]),
      claimPayment(other, '1', [
        service('99213', 10000, [cas('CO', ['45', 2000])], { ref: oc.lineControlNumbers[0] ?? '' }),
      ]),
    ]);
    expect(set).toMatchObject({
      outcome: 'posted',
      paymentCents: 2000,
      reversals: 0,
      claims: 2,
      claimExceptions: 1,
      lines: 2,
      linesAutoPosted: 1,
    });
    // Nothing of the claim's posting was touched; the −6000 waits in unapplied cash, the set equals BPR02.
    expect(await balances({ claimId: c.claimId })).toMatchObject({
      cash: 8000,
      contractual_adjustments: 2000,
      ar_insurance: 0,
    });
    const money = await db.query<{ account: string; s: number | string }>(
      `SELECT e.account, sum(e.amount_cents) AS s FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id
        WHERE t.remittance_id = $1 AND e.account IN ('cash', 'unapplied_cash') GROUP BY e.account ORDER BY e.account`,
      [set.remittanceId],
    );
    expect(money.rows.map((r) => [r.account, Number(r.s)])).toEqual([
      ['cash', 2000],
      ['unapplied_cash', 6000],
    ]);
    const cp = await db.query<{ posting_status: string; reverses_claim_payment_id: number | null }>(
      `SELECT posting_status, reverses_claim_payment_id FROM claim_payments WHERE remittance_id = $1 AND claim_status_code = '22'`,
      [set.remittanceId],
    );
    expect(cp.rows).toEqual([{ posting_status: 'exception', reverses_claim_payment_id: null }]);
    const items = await workItems('posting_exception', c.claimId);
    expect(items).toHaveLength(1);
    expect(items[0]?.links).toMatchObject({
      reason: 'reversal_without_payment',
      remittanceId: set.remittanceId,
    });
    const r = await db.query<{ status: string }>('SELECT status FROM remittances WHERE id = $1', [
      set.remittanceId,
    ]);
    expect(r.rows[0]?.status).toBe('partially_posted');
  });

  it('crossover (CLP02 = 19, NM1*TT): claim marked, PR stays with insurance for the forwarded payer', async () => {
    const p = pcn();
    const c = await createClaim(db, w, p, [{ procedureCode: '99213', chargeCents: 10000, serviceDate: DOS }]);
    const set = await importOne(w, `TRN-${p}`, [
      claimPayment(
        p,
        '19',
        [
          service('99213', 10000, [cas('CO', ['45', 2000]), cas('PR', ['2', 1600])], {
            ref: c.lineControlNumbers[0] ?? '',
          }),
        ],
        { crossoverTo: 'MEDIGAP PLAN' },
      ),
    ]);
    expect(set.outcome).toBe('posted');
    const claim = await db.query<{ crossed_over_to: string | null }>(
      'SELECT crossed_over_to FROM claims WHERE id = $1',
      [c.claimId],
    );
    expect(claim.rows[0]?.crossed_over_to).toBe('MEDIGAP PLAN');
    expect(await balances({ claimId: c.claimId })).toMatchObject({ cash: 6400, ar_insurance: 1600 });
    expect((await balances({ claimId: c.claimId }))['ar_patient'] ?? 0).toBe(0);
  });

  it('payer dropped a modifier and sent no REF*6R: matched by fallback, auto-posted with its confidence', async () => {
    const p = pcn();
    const c = await createClaim(db, w, p, [
      { procedureCode: '99214', modifiers: ['25'], chargeCents: 18000, serviceDate: DOS },
      { procedureCode: '20610', chargeCents: 25000, serviceDate: DOS },
    ]);
    const set = await importOne(w, `TRN-${p}`, [
      claimPayment(p, '1', [
        service('99214', 18000, [cas('CO', ['45', 3000])], { date: DOS }),
        service('20611', 25000, [cas('CO', ['45', 5000])], { date: DOS, original: { code: '20610' } }),
      ]),
    ]);
    expect(set).toMatchObject({ outcome: 'posted', claimExceptions: 0, linesAutoPosted: 2 });
    const lp = await db.query<{ claim_line_id: number; match_method: string; match_confidence: number }>(
      `SELECT claim_line_id, match_method, match_confidence FROM line_payments l JOIN claim_payments cp ON cp.id = l.claim_payment_id
        WHERE cp.remittance_id = $1 ORDER BY l.id`,
      [set.remittanceId],
    );
    expect(lp.rows.map((r) => [r.claim_line_id, r.match_method])).toEqual([
      [c.lineIds[0], 'modifier_changed'],
      [c.lineIds[1], 'original_procedure'],
    ]);
    expect(lp.rows[0]?.match_confidence).toBeCloseTo(0.85);
  });

  it('an unknown CLP01 becomes a posting exception; its money waits in unapplied cash', async () => {
    const set = await importOne(w, 'TRN-UNKNOWN', [
      claimPayment('NOSUCHCLAIM', '1', [service('99213', 9000, [])]),
    ]);
    expect(set).toMatchObject({ outcome: 'posted', claimExceptions: 1, linesAutoPosted: 0, lines: 1 });
    const items = await db.query<{ title: string; links: Record<string, unknown> }>(
      `SELECT title, links FROM work_items WHERE type = 'posting_exception' AND (links->>'remittanceId')::bigint = $1`,
      [set.remittanceId],
    );
    expect(items.rows).toHaveLength(1);
    expect(items.rows[0]?.title).not.toContain('NOSUCHCLAIM');
    expect(items.rows[0]?.links).toMatchObject({ reason: 'claim_not_found' });
    const un = await db.query<{ s: number | string }>(
      `SELECT sum(e.amount_cents) AS s FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id
        WHERE t.remittance_id = $1 AND e.account = 'unapplied_cash'`,
      [set.remittanceId],
    );
    expect(Number(un.rows[0]?.s)).toBe(-9000);
  });

  it('underpayment: allowed below the contracted rate beyond tolerance opens a work item with both amounts', async () => {
    await db.query(
      `INSERT INTO practice_payer_settings (practice_id, payer_id, underpayment_tolerance_cents, underpayment_tolerance_bp)
       VALUES ($1, $2, 100, 100) ON CONFLICT (practice_id, payer_id) DO NOTHING`,
      [w.practiceId, w.payerId],
    );
    const fs = await db.query<{ id: number }>(
      `INSERT INTO fee_schedules (practice_id, payer_id, kind, name, effective_from) VALUES ($1, $2, 'contracted', 'contract 2026', '2026-01-01') RETURNING id`,
      [w.practiceId, w.payerId],
    );
    await db.query(
      `INSERT INTO fee_schedule_entries (practice_id, fee_schedule_id, procedure_code, modifier, amount_cents) VALUES ($1, $2, '99215', '', 12000)`,
      [w.practiceId, fs.rows[0]?.id],
    );
    const p = pcn();
    const c = await createClaim(db, w, p, [{ procedureCode: '99215', chargeCents: 20000, serviceDate: DOS }]);
    const set = await importOne(w, `TRN-${p}`, [
      claimPayment(p, '1', [
        service('99215', 20000, [cas('CO', ['45', 10000])], {
          ref: c.lineControlNumbers[0] ?? '',
          allowedCents: 10000,
          date: DOS,
        }),
      ]),
    ]);
    expect(set).toMatchObject({ outcome: 'posted', underpayments: 1 });
    const items = await workItems('underpayment', c.claimId);
    expect(items[0]?.links).toMatchObject({
      expectedCents: 12000,
      receivedCents: 10000,
      shortfallCents: 2000,
    });
  });

  it('a file with a good and an unbalanced transaction set posts the good one and refuses the other', async () => {
    const p = pcn();
    const c = await createClaim(db, w, p, [{ procedureCode: '99213', chargeCents: 10000, serviceDate: DOS }]);
    const good = remittance(w, `TRN-${p}-G`, [
      claimPayment(p, '1', [
        service('99213', 10000, [cas('CO', ['45', 2000])], { ref: c.lineControlNumbers[0] ?? '' }),
      ]),
    ]);
    const badBase = remittance(w, `TRN-${p}-B`, [claimPayment(pcn(), '1', [service('99213', 5000, [])])]);
    const bad = { ...badBase, payment: { ...badBase.payment, amount: badBase.payment.amount + 1 } };
    const res = await importEra(db, { text: write([good, bad]) }, opts);
    expect(res.transactionSets.map((s) => s.outcome)).toEqual(['posted', 'refused']);
    expect(res.transactionSets[1]?.diagnostics.some((d) => d.code === 'balance-payment')).toBe(true);
    const again = await importEra(db, { text: write([good, bad]) }, opts);
    expect(again.transactionSets.map((s) => s.outcome)).toEqual(['duplicate', 'refused']);
  });
});

describe('a posting the database refuses', () => {
  it('rolls back its transaction set, reports posting_failed with the constraint, and posts nothing', async () => {
    const p = pcn();
    const c = await createClaim(db, w, p, [{ procedureCode: '99213', chargeCents: 10000, serviceDate: DOS }]);
    const text = write([
      remittance(w, `TRN-${p}`, [
        claimPayment(p, '1', [service('99213', 10000, [], { ref: c.lineControlNumbers[0] ?? '' })]),
      ]),
    ]);
    // claim_status_history.actor must look like 'system:<job>' or 'user:<id>'.
    const res = await importEra(db, { text }, { ...opts, actor: 'not an actor' });
    expect(res.transactionSets[0]?.outcome).toBe('refused');
    expect(res.transactionSets[0]?.reason).toMatch(/^posting_failed: db\./);
    const rows = await db.query('SELECT id FROM remittances WHERE trace_number = $1', [`TRN-${p}`]);
    expect(rows.rows).toEqual([]);
    const ok = await importEra(db, { text }, opts);
    expect(ok.transactionSets[0]?.outcome).toBe('posted');
  });
});

describe('property: random remittances keep every claim and the ledger in balance; re-import posts nothing', () => {
  const casArb = fc.array(
    fc.tuple(
      fc.constantFrom('CO', 'PR', 'OA', 'PI'),
      fc.constantFrom('45', '1', '2', '3', '97', '197', '253'),
      fc.integer({ min: -2000, max: 6000 }),
    ),
    { maxLength: 3 },
  );
  const lineArb = fc.tuple(fc.integer({ min: 1, max: 40000 }), casArb, fc.boolean());

  it('posts random claim payments (REF*6R or fallback), reversals and PLB in balance', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(lineArb, { minLength: 1, maxLength: 4 }),
        casArb,
        fc.constantFrom('1', '2', '4', '19', '22'),
        fc.integer({ min: -500, max: 500 }),
        async (lines, claimCas, status, plbAmount) => {
          const p = pcn();
          const c = await createClaim(
            db,
            w,
            p,
            lines.map(([charge], i) => ({
              procedureCode: `9921${i}`,
              chargeCents: charge,
              serviceDate: DOS,
            })),
          );
          const svcs = lines.map(([charge, adj, withRef], i) => {
            const sign = status === '22' ? -1 : 1;
            return service(
              `9921${i}`,
              sign * charge,
              adj.map(([g, r, a]) => cas(g, [r, sign * a])),
              withRef ? { ref: c.lineControlNumbers[i] ?? '' } : { date: DOS },
            );
          });
          const cp = claimPayment(p, status, svcs, {
            claimAdjustments: claimCas.map(([g, r, a]) => cas(g, [r, a])),
          });
          const plb = plbAmount === 0 ? [] : [{ reason: 'L6', reference: p, amount: plbAmount }];
          const r = remittance(w, `TRN-${p}`, [cp], plb);
          if (r.payment.amount < 0) return; // BPR02 cannot be negative: not a valid 835
          const text = write([r]);
          const first = await importEra(db, { text }, opts);
          const set = first.transactionSets[0];
          expect(set?.outcome).toBe('posted');
          const cash = await db.query<{ s: number | string | null }>(
            `SELECT coalesce(sum(e.amount_cents), 0) AS s FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id
              WHERE t.remittance_id = $1 AND e.account = 'cash'`,
            [set?.remittanceId],
          );
          expect(Number(cash.rows[0]?.s)).toBe(r.payment.amount);
          const unbalanced = await db.query(
            `SELECT claim_line_id FROM ledger_entries WHERE claim_id = $1 AND claim_line_id IS NOT NULL
              GROUP BY claim_line_id HAVING sum(amount_cents) <> 0`,
            [c.claimId],
          );
          expect(unbalanced.rows).toEqual([]);
          const before = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM ledger_transactions');
          const again = await importEra(db, { text }, opts);
          expect(again.transactionSets[0]?.outcome).toBe('duplicate');
          const after = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM ledger_transactions');
          expect(after.rows[0]?.n).toBe(before.rows[0]?.n);
        },
      ),
      { numRuns: 12 },
    );
  });
});
