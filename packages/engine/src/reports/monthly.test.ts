import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CalendarDate, Cents, ClaimId } from '@openrcm/core';
import { postLedgerTransaction, reverseLedgerTransaction, type LedgerEntryInput } from '@openrcm/db';
import { createTestDb, type TestDb } from '@openrcm/db/test-harness';
import { createClaim, createWorld, type FixtureClaim, type World } from '../remittance/fixtures.ts';
import { drillClaimIds, drillRows } from './drill.ts';
import { ledgerOpenAr, loadFacts } from './facts-db.ts';
import { openBalances } from './metrics.ts';
import { monthlyReport, rollupReport, type Figure, type MonthlyReport } from './monthly.ts';
import { asOfText, figureLine } from './render.ts';
import { pdfText } from './report-fixture.ts';
import { writeMonthlyReports } from './write.ts';

/*
 * A hand-built month (March 2026) for one practice with one payer, written with SQL the way the pipeline writes it
 * (batches, acknowledgement history, remittances, claim payments, denials, ledger postings):
 *   A  DOS 03-02, lines 60.00 + 40.00, documented 03-03, coded 03-04, sent 03-05, 277CA accepted; ERA received
 *      03-20 08:00, posted 09:00: paid 70.00, CO-45 20.00, PR-2 10.00 (ERA 1: 2 lines, both auto-posted).
 *   B  DOS 03-03, 200.00, sent 03-06, accepted; ERA 2 received 03-22 08:00, posted 03-24 10:00 (50 h): denied
 *      CO-197 200.00 (1 line, not auto-posted); the denial work item opened 03-22 08:00, resolved 03-23 08:00.
 *   C  DOS 03-10, 50.00, sent 03-12, 999-rejected the same day, sent again 03-14, accepted; not paid yet.
 *   D  DOS 02-10, 80.00, sent 02-12, accepted, denied CO-16 on an ERA of 02-25 (the prior month's denial).
 *   E  DOS 03-25, 30.00, held for credentialing since 03-26 00:00 and still held.
 *   F  DOS 03-15, 10.00, never submitted in this fixture; a 10.00 payment posted 03-18 is reversed on 03-28.
 * Later money on A: the patient pays 6.00 of the 10.00 coinsurance on 03-25, 4.00 is written off on 03-26.
 * In April (so March's figures stay as above):
 *   R  DOS 04-06, 50.00, sent 04-08, accepted 04-09; ERA of 04-14 denies it CO-16; the payer reverses that
 *      (CLP02 22) on the ERA of 04-16 and pays 40.00 with CO-45 10.00: still a denial on first adjudication,
 *      resolved by the reprocessing after 48 h.
 */
let db: TestDb;
let w: World;
const claims: Record<string, FixtureClaim> = {};
let report: MonthlyReport;

type IdRow = { id: number };

async function id(sql: string, params: readonly unknown[]): Promise<number> {
  const r = await db.query<IdRow>(sql, params);
  const v = r.rows[0]?.id;
  if (v === undefined) throw new Error('insert returned no id');
  return v;
}

async function versionOf(claimId: number): Promise<number> {
  return id('SELECT id FROM claim_versions WHERE claim_id = $1 AND version_no = 1', [claimId]);
}

async function send(claimId: number, at: string): Promise<void> {
  const ch = await id(
    `INSERT INTO clearinghouses (code, name, sender_id, receiver_id) VALUES ($1, 'CH', 'S', 'R')
     ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
    [`rep-ch-${process.pid}`],
  );
  const batch = await id(
    `INSERT INTO submission_batches (practice_id, clearinghouse_id, transaction_type, status, sent_at)
     VALUES ($1, $2, '837P', 'sent', $3) RETURNING id`,
    [w.practiceId, ch, at],
  );
  await db.query(
    `INSERT INTO batch_claims (practice_id, batch_id, claim_version_id, st_control_number) VALUES ($1, $2, $3, '0001')`,
    [w.practiceId, batch, await versionOf(claimId)],
  );
}

async function ack(claimId: number, to: 'accepted' | 'rejected', at: string): Promise<void> {
  await db.query(
    `INSERT INTO claim_status_history (practice_id, claim_id, claim_version_id, from_status, to_status, at, actor, reason)
     VALUES ($1, $2, $3, 'submitted', $4, $5, 'clearinghouse:test', 'ack')`,
    [w.practiceId, claimId, await versionOf(claimId), to, at],
  );
}

async function remittance(
  receivedAt: string,
  postedAt: string,
  paymentDate: string,
  lines: number,
  auto: number,
): Promise<number> {
  return id(
    `INSERT INTO remittances (practice_id, payer_id, content_sha256, trace_number, handling_code, payment_cents, payment_method,
                              payment_date, status, received_at, posted_at, lines_total, lines_auto_posted)
     VALUES ($1, $2, md5($3) || md5($3), $3, 'I', 0, 'ACH', $4, 'posted', $5, $6, $7, $8) RETURNING id`,
    [
      w.practiceId,
      w.payerId,
      `${receivedAt}-${w.practiceId}`,
      paymentDate,
      receivedAt,
      postedAt,
      lines,
      auto,
    ],
  );
}

/** One claim payment: every line with its paid amount, CAS (group, reason, amount) per line, posted to the ledger. */
async function pay(
  remittanceId: number,
  c: FixtureClaim,
  effectiveDate: string,
  lines: readonly { paid: number; charge: number; cas: readonly [string, string, number][] }[],
  denied: readonly string[] = [],
): Promise<void> {
  const paid = lines.reduce((s, l) => s + l.paid, 0);
  const charge = lines.reduce((s, l) => s + l.charge, 0);
  const cp = await id(
    `INSERT INTO claim_payments (practice_id, remittance_id, claim_id, patient_control_number, claim_status_code, charge_cents, paid_cents, posting_status)
     VALUES ($1, $2, $3, 'x', $4, $5, $6, 'posted') RETURNING id`,
    [w.practiceId, remittanceId, c.claimId, paid === 0 ? '4' : '1', charge, paid],
  );
  await db.transaction(async (tx) => {
    for (const [i, l] of lines.entries()) {
      const lineId = c.lineIds[i];
      const lp = (
        await tx.query<IdRow>(
          `INSERT INTO line_payments (practice_id, claim_payment_id, claim_line_id, procedure_code, charge_cents, paid_cents)
           VALUES ($1, $2, $3, '99213', $4, $5) RETURNING id`,
          [w.practiceId, cp, lineId, l.charge, l.paid],
        )
      ).rows[0]?.id;
      const common = {
        claimId: c.claimId as ClaimId,
        ...(lineId === undefined ? {} : { claimLineId: lineId as never }),
      };
      const pair = (account: LedgerEntryInput['account'], amount: number): LedgerEntryInput[] => [
        { account, amountCents: amount as Cents, ...common },
        { account: 'ar_insurance', amountCents: -amount as Cents, ...common },
      ];
      if (l.paid !== 0) {
        await postLedgerTransaction(tx, w.scope, {
          kind: 'insurance_payment',
          effectiveDate: effectiveDate as CalendarDate,
          idempotencyKey: `t:${cp}:${i}:pay`,
          entries: pair('cash', l.paid),
        });
      }
      for (const [group, reason, amount] of l.cas) {
        await postLedgerTransaction(tx, w.scope, {
          kind: group === 'CO' ? 'contractual_adjustment' : 'patient_responsibility',
          effectiveDate: effectiveDate as CalendarDate,
          idempotencyKey: `t:${cp}:${i}:${group}-${reason}`,
          entries: pair(group === 'CO' ? 'contractual_adjustments' : 'ar_patient', amount),
        });
        if (denied.includes(`${group}-${reason}`)) {
          await tx.query(
            `INSERT INTO denials (practice_id, claim_id, claim_payment_id, line_payment_id, payer_id, group_code, reason_code, amount_cents,
                                  category, route, detected_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'authorization', 'billing', $9)`,
            [w.practiceId, c.claimId, cp, lp, w.payerId, group, reason, amount, `${effectiveDate}T08:00:00Z`],
          );
        }
      }
    }
  });
}

beforeAll(async () => {
  db = await createTestDb();
  w = await createWorld(db, 'rep');
  const line = (chargeCents: number, serviceDate: string) => ({
    procedureCode: '99213',
    chargeCents,
    serviceDate,
  });
  claims['A'] = await createClaim(db, w, 'A1', [line(6000, '2026-03-02'), line(4000, '2026-03-02')]);
  claims['B'] = await createClaim(db, w, 'B1', [line(20000, '2026-03-03')]);
  claims['C'] = await createClaim(db, w, 'C1', [line(5000, '2026-03-10')]);
  claims['D'] = await createClaim(db, w, 'D1', [line(8000, '2026-02-10')]);
  claims['E'] = await createClaim(db, w, 'E1', [line(3000, '2026-03-25')]);
  claims['F'] = await createClaim(db, w, 'F1', [line(1000, '2026-03-15')]);
  claims['R'] = await createClaim(db, w, 'R1', [line(5000, '2026-04-06')]);
  const { A, B, C, D, E } = claims as Record<'A' | 'B' | 'C' | 'D' | 'E', FixtureClaim>;
  await db.query(
    `UPDATE encounters SET documentation_complete_at = '2026-03-03T15:00:00Z', coded_at = '2026-03-04T10:00:00Z'
      WHERE id = (SELECT encounter_id FROM claims WHERE id = $1)`,
    [A.claimId],
  );
  await send(A.claimId, '2026-03-05T10:00:00Z');
  await ack(A.claimId, 'accepted', '2026-03-06T10:00:00Z');
  await send(B.claimId, '2026-03-06T10:00:00Z');
  await ack(B.claimId, 'accepted', '2026-03-07T10:00:00Z');
  await send(C.claimId, '2026-03-12T10:00:00Z');
  await ack(C.claimId, 'rejected', '2026-03-12T12:00:00Z');
  await send(C.claimId, '2026-03-14T10:00:00Z');
  await ack(C.claimId, 'accepted', '2026-03-15T10:00:00Z');
  await send(D.claimId, '2026-02-12T10:00:00Z');
  await ack(D.claimId, 'accepted', '2026-02-13T10:00:00Z');
  await db.query(`UPDATE claims SET status = 'held', hold_reason = 'credentialing' WHERE id = $1`, [
    E.claimId,
  ]);
  await db.query(
    `INSERT INTO claim_status_history (practice_id, claim_id, from_status, to_status, at, actor, reason)
     VALUES ($1, $2, 'draft', 'held', '2026-03-26T00:00:00Z', 'system:scrub', 'held (credentialing): rendering-enrolled')`,
    [w.practiceId, E.claimId],
  );

  const r0 = await remittance('2026-02-25T08:00:00Z', '2026-02-25T09:00:00Z', '2026-02-25', 1, 1);
  await pay(r0, D, '2026-02-25', [{ paid: 0, charge: 8000, cas: [['CO', '16', 8000]] }], ['CO-16']);
  const r1 = await remittance('2026-03-20T08:00:00Z', '2026-03-20T09:00:00Z', '2026-03-20', 2, 2);
  await pay(r1, A, '2026-03-20', [
    {
      paid: 4000,
      charge: 6000,
      cas: [
        ['CO', '45', 1200],
        ['PR', '2', 800],
      ],
    },
    {
      paid: 3000,
      charge: 4000,
      cas: [
        ['CO', '45', 800],
        ['PR', '2', 200],
      ],
    },
  ]);
  const r2 = await remittance('2026-03-22T08:00:00Z', '2026-03-24T10:00:00Z', '2026-03-22', 1, 0);
  await pay(r2, B, '2026-03-22', [{ paid: 0, charge: 20000, cas: [['CO', '197', 20000]] }], ['CO-197']);
  await db.query(
    `INSERT INTO work_items (practice_id, type, queue, title, links, status, created_at, resolved_at)
     VALUES ($1, 'denial', 'denials', 'Denial CO-197', $2::jsonb, 'done', '2026-03-22T08:00:00Z', '2026-03-23T08:00:00Z')`,
    [w.practiceId, JSON.stringify({ claimId: B.claimId })],
  );
  await db.query(
    `UPDATE practices SET benchmarks = '{"clean_claim_rate": 0.3, "daysInAr": 10}' WHERE id = $1`,
    [w.practiceId],
  );
  const F = claims['F'];
  const at = (d: string) => d as CalendarDate;
  const onA = (account: LedgerEntryInput['account'], amount: number): LedgerEntryInput => ({
    account,
    amountCents: amount as Cents,
    claimId: A.claimId as ClaimId,
  });
  await db.transaction(async (tx) => {
    const paidF = await postLedgerTransaction(tx, w.scope, {
      kind: 'insurance_payment',
      effectiveDate: at('2026-03-18'),
      idempotencyKey: 'f:pay',
      entries: [
        { account: 'cash', amountCents: 1000 as Cents, claimId: F.claimId as ClaimId },
        { account: 'ar_insurance', amountCents: -1000 as Cents, claimId: F.claimId as ClaimId },
      ],
    });
    await reverseLedgerTransaction(tx, w.scope, paidF.id, {
      effectiveDate: at('2026-03-28'),
      idempotencyKey: 'f:pay:reversal',
    });
    await postLedgerTransaction(tx, w.scope, {
      kind: 'patient_payment',
      effectiveDate: at('2026-03-25'),
      idempotencyKey: 'a:patient-payment',
      entries: [onA('cash', 600), onA('ar_patient', -600)],
    });
    await postLedgerTransaction(tx, w.scope, {
      kind: 'write_off',
      effectiveDate: at('2026-03-26'),
      idempotencyKey: 'a:write-off',
      entries: [onA('write_offs', 400), onA('ar_patient', -400)],
    });
  });
  // R: denied on 04-14, reversed and repaid on 04-16.
  const R = claims['R'];
  await send(R.claimId, '2026-04-08T10:00:00Z');
  await ack(R.claimId, 'accepted', '2026-04-09T10:00:00Z');
  const r3 = await remittance('2026-04-14T08:00:00Z', '2026-04-14T09:00:00Z', '2026-04-14', 1, 1);
  await pay(r3, R, '2026-04-14', [{ paid: 0, charge: 5000, cas: [['CO', '16', 5000]] }], ['CO-16']);
  const denied = await id(
    `SELECT cp.id FROM claim_payments cp JOIN remittances r ON r.id = cp.remittance_id
      WHERE cp.claim_id = $1 AND r.id = $2`,
    [R.claimId, r3],
  );
  const r4 = await remittance('2026-04-16T08:00:00Z', '2026-04-16T09:00:00Z', '2026-04-16', 2, 2);
  await db.query(
    `INSERT INTO claim_payments (practice_id, remittance_id, claim_id, patient_control_number, claim_status_code, charge_cents,
                                 paid_cents, posting_status, reverses_claim_payment_id)
     VALUES ($1, $2, $3, 'R1', '22', -5000, 0, 'posted', $4)`,
    [w.practiceId, r4, R.claimId, denied],
  );
  await db.transaction(async (tx) => {
    const co16 = await tx.query<IdRow>(
      `SELECT id FROM ledger_transactions WHERE practice_id = $1 AND idempotency_key = $2`,
      [w.practiceId, `t:${denied}:0:CO-16`],
    );
    await reverseLedgerTransaction(tx, w.scope, (co16.rows[0]?.id ?? 0) as never, {
      effectiveDate: '2026-04-16' as CalendarDate,
      idempotencyKey: 'r:co16:reversal',
    });
  });
  await pay(r4, R, '2026-04-16', [{ paid: 4000, charge: 5000, cas: [['CO', '45', 1000]] }]);
  report = await monthlyReport(db, w.scope, '2026-03');
}, 120_000);

afterAll(async () => {
  await db?.close();
});

function fig(key: string): Figure {
  const f = report.figures.find((x) => x.key === key);
  if (f === undefined) throw new Error(`no figure ${key}`);
  return f;
}

describe('loadFacts on a posted database', () => {
  it('derives the same open AR as the ledger (Σ ar_insurance + ar_patient), as of any day', async () => {
    for (const day of ['2026-02-10', '2026-02-28', '2026-03-20', '2026-03-25', '2026-03-28', '2026-03-31']) {
      const facts = await loadFacts(db, w.scope, day as CalendarDate);
      const derived = openBalances(facts.claims, facts.money, day as CalendarDate).reduce(
        (s, b) => s + b.insuranceCents + b.patientCents,
        0,
      );
      expect(derived).toBe(await ledgerOpenAr(db, w.scope, day as CalendarDate));
    }
    // 470.00 charged − A 100.00 (70 paid, 20 CO-45, then the patient's 6 paid and 4 written off) − B 200 CO-197
    // − D 80 CO-16; F's payment is reversed, so F is open again.
    expect(await ledgerOpenAr(db, w.scope, '2026-03-31' as CalendarDate)).toBe(9000);
    // On 03-20: B not adjudicated yet, A's 10.00 patient share, F paid → B 200 + C 50 + A 10 (E's DOS is later).
    expect(await ledgerOpenAr(db, w.scope, '2026-03-20' as CalendarDate)).toBe(26000);
  });

  it('reads submissions, acknowledgements and first adjudications per claim', async () => {
    const facts = await loadFacts(db, w.scope, '2026-03-31' as CalendarDate);
    const c = facts.claims.find((x) => x.claimId === claims['C']?.claimId);
    expect(c?.submissions.map((s) => s.acknowledgement)).toEqual(['rejected', 'accepted']);
    const b = facts.claims.find((x) => x.claimId === claims['B']?.claimId);
    expect(b?.submissions[0]?.adjudication).toMatchObject({
      outcome: 'denied',
      lineCount: 1,
      deniedLineCount: 1,
      deniedCents: 20000,
      denialReasons: ['CO-197'],
      adjudicatedOn: '2026-03-22',
    });
    const e = facts.claims.find((x) => x.claimId === claims['E']?.claimId);
    expect(e?.credentialingHoldDays).toBe(6);
    expect(e?.heldReasons).toContain('credentialing');
  });
});

describe('monthlyReport from the database', () => {
  it('is as of the due date, 5 business days after month end; balances at month end', () => {
    expect([report.asOf, report.dueBy, report.balancesAsOf]).toEqual([
      '2026-04-07',
      '2026-04-07',
      '2026-03-31',
    ]);
  });

  it('computes the submission figures: A and B accepted first time, C rejected; only A clean', () => {
    expect(fig('first_pass_acceptance_rate')).toMatchObject({ numerator: 2, denominator: 3 });
    // Entered the pipeline in March: A, B, C (first submission) and E (held 03-26); D entered in February and F
    // never did. Clean: A; B was denied, C rejected, E held.
    // Not held 3/4 × accepted 2/3 × no denial 1/2 = 1/4, as every claim is decided: clean ÷ cohort.
    expect(fig('clean_claim_rate').value).toBeCloseTo(0.25, 12);
    expect(fig('clean_claim_rate').note).toContain('not held 3/4 × accepted on first submission 2/3');
    expect(fig('clean_claim_rate').claimIds).toEqual(
      [claims['A'], claims['B'], claims['C'], claims['E']].map((x) => x?.claimId),
    );
    expect(fig('claims_held_before_submission')).toMatchObject({
      value: 1,
      claimIds: [claims['E']?.claimId],
    });
    // The contract says 30 %: 25 % misses against the contract, not the default.
    expect(fig('clean_claim_rate').benchmark).toMatchObject({
      target: 0.3,
      source: 'contract',
      status: 'miss',
    });
    expect(fig('first_pass_acceptance_rate').benchmark).toMatchObject({ source: 'default', status: 'miss' });
    expect(report.benchmarkSource).toBe('contract+defaults');
  });

  it('computes denials by claims, lines, dollars, reason, payer and the trend vs February', () => {
    expect(fig('denial_rate')).toMatchObject({ numerator: 1, denominator: 2, value: 0.5 });
    expect(fig('denial_rate_lines')).toMatchObject({ numerator: 1, denominator: 3 });
    expect(fig('denial_rate_dollars')).toMatchObject({ numerator: 20000, denominator: 30000 });
    expect(report.denialsByReason).toEqual([
      { reason: 'CO-197', claims: 1, claimIds: [claims['B']?.claimId] },
    ]);
    expect(report.denialTrend).toMatchObject({ current: 0.5, prior: 1 });
    expect(fig('denial_rate_change').value).toBeCloseTo(-50, 9);
  });

  it('computes AR, days in AR, collection rates, lags, posting and resolution', () => {
    expect(fig('open_ar_cents').value).toBe(9000);
    expect(report.ledgerOpenArCents).toBe(9000);
    expect(report.arAgingTotals['0-30']).toBe(9000);
    // 47000 charged with dates of service in the 90 days to 03-31 → 522.22 a day; 9000 / 522.22 = 17.2 days.
    expect(fig('days_in_ar').value).toBeCloseTo(9000 / (47000 / 90), 9);
    expect(fig('days_in_ar').benchmark).toMatchObject({ target: 10, source: 'contract', status: 'miss' });
    // As of 04-07 the latest month of dates of service 60 days old is January: none here, so n/a (not 0 %).
    expect(fig('net_collection_rate')).toMatchObject({ value: null, numerator: 0, denominator: 0 });
    expect(fig('net_collection_rate').benchmark?.status).toBe('no-data');
    // Charge lag A 3, B 3, C 2 days; documentation 1 and coding 1 day for A only.
    expect(fig('charge_lag_median_days').value).toBe(3);
    expect(fig('coding_lag_median_days').value).toBe(1);
    // ERA 1 posted after 1 h, ERA 2 after 50 h; 2 of 3 lines auto-posted.
    expect(fig('posting_lag_median_hours').value).toBe(25.5);
    expect(fig('posted_within_48h').value).toBe(0.5);
    expect(fig('auto_posting_rate')).toMatchObject({ numerator: 2, denominator: 3 });
    // The posting figures drill to the claims on March's ERAs: A and B (D's ERA came in February).
    expect(fig('auto_posting_rate').claimIds).toEqual([claims['A']?.claimId, claims['B']?.claimId]);
    // B's denial (ERA of 03-22 08:00) was closed when its work item was resolved 03-23 08:00.
    expect(fig('denial_resolution_rate')).toMatchObject({ numerator: 1, denominator: 1, value: 1 });
    expect(fig('denial_resolution_hours_mean').value).toBe(24);
    expect(fig('credentialing_holds').value).toBe(1);
    expect(report.holdsByReason).toEqual([
      { reason: 'credentialing', claims: 1, claimIds: [claims['E']?.claimId] },
    ]);
    // Still held on the as-of day: 03-26 00:00 to the end of 04-07 = 13 days.
    expect(fig('credentialing_hold_days_mean').value).toBe(13);
  });

  it('drills a figure to its claims', async () => {
    const ids = drillClaimIds(report, 'denial_reason:CO-197') ?? [];
    const rows = await drillRows(db, w.scope, ids, report.asOf);
    expect(rows).toEqual([
      expect.objectContaining({ claimId: claims['B']?.claimId, patientControlNumber: 'B1' }),
    ]);
    expect(drillClaimIds(report, 'first_pass_acceptance_rate')).toHaveLength(3);
    expect(drillClaimIds(report, 'no_such_metric')).toBeUndefined();
    // Open at month end, all under 30 days: C, E, F.
    expect(drillClaimIds(report, 'ar_aging:0-30')).toEqual(
      [claims['C']?.claimId, claims['E']?.claimId, claims['F']?.claimId].sort((a, b) => (a ?? 0) - (b ?? 0)),
    );
  });
});

describe('a denial the payer reversed and reprocessed (April)', () => {
  it('is a denial on first adjudication, resolved by the reprocessing 48 h later; R is not clean', async () => {
    const april = await monthlyReport(db, w.scope, '2026-04');
    const f = (key: string) => april.figures.find((x) => x.key === key);
    const R = claims['R']?.claimId;
    expect(f('denial_rate')).toMatchObject({ numerator: 1, denominator: 1, claimIds: [R] });
    expect(april.denialsByReason).toEqual([{ reason: 'CO-16', claims: 1, claimIds: [R] }]);
    expect(f('denial_resolution_rate')).toMatchObject({ numerator: 1, denominator: 1, value: 1 });
    expect(f('denial_resolution_hours_mean')?.value).toBe(48);
    expect(f('denial_resolved_within_72h')?.value).toBe(1);
    expect(f('clean_claim_rate')?.note).toContain('first adjudication without denial or resubmission 0/1');
    const facts = await loadFacts(db, w.scope, '2026-04-30' as CalendarDate);
    const r = facts.claims.find((x) => x.claimId === R);
    expect(r?.submissions[0]?.adjudication).toMatchObject({ outcome: 'denied', adjudicatedOn: '2026-04-14' });
    expect(r?.submissions[0]?.laterAdjudications).toEqual([
      expect.objectContaining({ outcome: 'paid', adjudicatedOn: '2026-04-16' }),
    ]);
    // The ledger still agrees with the facts once the reversal and the repayment are posted.
    const derived = openBalances(facts.claims, facts.money, '2026-04-30' as CalendarDate).reduce(
      (s, b) => s + b.insuranceCents + b.patientCents,
      0,
    );
    expect(derived).toBe(await ledgerOpenAr(db, w.scope, '2026-04-30' as CalendarDate));
  });
});

describe('roll-up and files', () => {
  it('pools the practices: with one practice the roll-up figures equal the practice figures', async () => {
    const { rollup, reports } = await rollupReport(db, '2026-03');
    const mine = reports.find((r) => r.practice.id === w.practiceId);
    expect(mine?.figures.find((f) => f.key === 'denial_rate')?.value).toBe(0.5);
    const pooled = rollup.figures.find((f) => f.key === 'clean_claim_rate');
    expect(pooled?.value).toBeCloseTo(0.25, 12);
    expect(rollup.asOf).toBe('2026-04-07');
    // A month still in progress: as of today, for the roll-up and each practice alike.
    const running = await rollupReport(db, '2026-03', { today: '2026-03-20' as CalendarDate });
    expect([running.rollup.asOf, running.reports[0]?.asOf]).toEqual(['2026-03-20', '2026-03-20']);
    expect(running.reports[0]?.balancesAsOf).toBe('2026-03-20');
    // On 03-20: B 200 + C 50 + A's 10.00 patient share (F was paid; E's date of service is later).
    expect(running.reports[0]?.figures.find((f) => f.key === 'open_ar_cents')?.value).toBe(26000);
    expect(running.reports[0]?.ledgerOpenArCents).toBe(26000);
  });

  it('measures collections on dates of service 60 days old: March, in the May report', async () => {
    const may = await monthlyReport(db, w.scope, '2026-05');
    const f = (key: string) => may.figures.find((x) => x.key === key);
    // March dates of service: A, B, C, E, F charged 39000; contractual 2000 + 20000; paid 7000 + 600 by the
    // patient (F's 1000 was paid and reversed).
    expect(f('net_collection_rate')).toMatchObject({ numerator: 7600, denominator: 17000 });
    expect(f('gross_collection_rate')).toMatchObject({ numerator: 7600, denominator: 39000 });
    expect(f('net_collection_rate')?.note).toContain('dates of service in 2026-03');
    // C 50.00, E 30.00 and F 10.00 are still with the payer; A's patient share was paid and written off.
    expect(f('net_collection_rate')?.note).toContain('still open $90.00 with payers, $0.00 with patients');
  });

  it('says n/a, and why, for denial resolution when no denial has been resolved at all', async () => {
    // As of 03-31 B's denial (03-22) had been closed on 03-23: resolved.
    const early = await monthlyReport(db, w.scope, '2026-03', { asOf: '2026-03-31' as CalendarDate });
    expect(early.figures.find((x) => x.key === 'denial_resolution_rate')?.value).toBe(1);
    await db.query(
      `UPDATE work_items SET status = 'open', resolved_at = NULL WHERE practice_id = $1 AND type = 'denial'`,
      [w.practiceId],
    );
    try {
      const open = await monthlyReport(db, w.scope, '2026-03');
      const r = open.figures.find((x) => x.key === 'denial_resolution_rate');
      expect(r).toMatchObject({ value: null, numerator: 0, denominator: 1 });
      expect(r?.note).toMatch(/^n\/a: none of the practice's 2 denied claims has been resolved/);
      expect(r?.benchmark).toBeUndefined();
      expect(open.figures.find((x) => x.key === 'denial_resolved_within_72h')?.benchmark?.status).toBe(
        'no-data',
      );
    } finally {
      await db.query(
        `UPDATE work_items SET status = 'done', resolved_at = '2026-03-23T08:00:00Z' WHERE practice_id = $1 AND type = 'denial'`,
        [w.practiceId],
      );
    }
  });

  it('writes html, pdf, json and csv per practice and for the roll-up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openrcm-reports-'));
    try {
      const { files } = await writeMonthlyReports(db, dir, ['2026-03']);
      const code = report.practice.code;
      for (const ext of ['html', 'pdf', 'json', 'csv']) {
        expect(files).toContain(join('reports', code, `2026-03.${ext}`));
        expect(files).toContain(join('reports', 'rollup', `2026-03.${ext}`));
      }
      const json = JSON.parse(
        readFileSync(join(dir, 'reports', code, '2026-03.json'), 'utf8'),
      ) as MonthlyReport;
      expect(json.figures.find((f) => f.key === 'open_ar_cents')?.value).toBe(9000);
      // The PDF written next to it shows every figure of the JSON, as the other renderers print it.
      const text = pdfText(readFileSync(join(dir, 'reports', code, '2026-03.pdf')));
      for (const f of json.figures) expect(text).toContain(figureLine(f));
      // The as-of sentence wraps over lines in the PDF.
      expect(text.replace(/\s+/g, ' ')).toContain(asOfText(json));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
