import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pfsSettingForPos } from '@openrcm/codesets';
import type { Instant } from '@openrcm/core';
import { createTestDb, type TestDb } from '@openrcm/db/test-harness';
import { newClaimVersion } from '../claims/versions.ts';
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
const DOS = '2026-02-10';
let seq = 0;
const pcn = (): string => `V${process.pid % 100000}-${(seq += 1)}`;

beforeAll(async () => {
  db = await createTestDb();
  w = await createWorld(db, 'vs');
});
afterAll(async () => {
  await db.close();
});

async function importOne(...args: Parameters<typeof remittance>) {
  const res = await importEra(db, { text: write([remittance(...args)]) }, opts);
  const set = res.transactionSets[0];
  if (!set) throw new Error('no transaction set');
  return set;
}

type AccountSum = { account: string; s: number | string };

async function claimBalances(claimId: number): Promise<Record<string, number>> {
  const r = await db.query<AccountSum>(
    `SELECT account, sum(amount_cents) AS s FROM ledger_entries WHERE practice_id = $1 AND claim_id = $2 GROUP BY account`,
    [w.practiceId, claimId],
  );
  return Object.fromEntries(r.rows.map((x) => [x.account, Number(x.s)]));
}

type LineRow = { id: number; version_no: number; line_control_number: string; ar: number | string };

/** Every line of every version of the claim with what it still owes in ar_insurance. */
async function lineBalances(claimId: number): Promise<LineRow[]> {
  const r = await db.query<LineRow>(
    `SELECT l.id, v.version_no, l.line_control_number,
            COALESCE((SELECT sum(e.amount_cents) FROM ledger_entries e
                       WHERE e.practice_id = l.practice_id AND e.claim_line_id = l.id AND e.account = 'ar_insurance'), 0) AS ar
       FROM claim_lines l JOIN claim_versions v ON v.practice_id = l.practice_id AND v.id = l.claim_version_id
      WHERE l.practice_id = $1 AND l.claim_id = $2 ORDER BY v.version_no, l.line_number`,
    [w.practiceId, claimId],
  );
  return r.rows;
}

describe('reversal of an earlier claim version', () => {
  it('a reversal naming version 1 lines (REF*6R) after a correction negates the v1 payment on those lines; v2 is paid; nothing is an exception', async () => {
    const p = pcn();
    const c = await createClaim(db, w, p, [
      { procedureCode: '99213', chargeCents: 10000, serviceDate: DOS },
      { procedureCode: '99214', chargeCents: 15000, serviceDate: DOS },
    ]);
    const [ref1 = '', ref2 = ''] = c.lineControlNumbers;
    const first = await importOne(w, `TRN-${p}-1`, [
      claimPayment(
        p,
        '1',
        [
          service('99213', 10000, [cas('CO', ['45', 2000])], { ref: ref1, date: DOS }),
          service('99214', 15000, [cas('CO', ['45', 3000])], { ref: ref2, date: DOS }),
        ],
        { payerClaimNumber: 'PCC1' },
      ),
    ]);
    expect(first).toMatchObject({ outcome: 'posted', claimExceptions: 0 });

    // The practice corrects the claim: the encounter's charges as they are now (the 99214 re-priced).
    const enc = await db.query<{ encounter_id: number }>('SELECT encounter_id FROM claims WHERE id = $1', [
      c.claimId,
    ]);
    const encounterId = enc.rows[0]?.encounter_id;
    await db.query(
      `INSERT INTO encounter_diagnoses (practice_id, encounter_id, sequence, icd10_code) VALUES ($1, $2, 1, 'Z0000')`,
      [w.practiceId, encounterId],
    );
    await db.query(
      `INSERT INTO charges (practice_id, encounter_id, line_number, procedure_code, units, diagnosis_pointers, charge_cents, service_date)
       VALUES ($1, $2, 1, '99213', 1, '{1}', 10000, $3), ($1, $2, 2, '99214', 1, '{1}', 16000, $3)`,
      [w.practiceId, encounterId, DOS],
    );
    const v = await newClaimVersion(db, w.scope, c.claimId, {
      kind: 'corrected',
      at: '2026-02-20T09:00:00.000Z' as Instant,
      actor: 'user:1',
    });
    expect(v.versionNo).toBe(2);
    const v2 = (await lineBalances(c.claimId)).filter((l) => l.version_no === 2);
    const [n1 = '', n2 = ''] = v2.map((l) => l.line_control_number);
    expect(n1).not.toBe(ref1);

    // The payer reverses the original adjudication (v1 lines) and pays the corrected claim (v2 lines).
    const second = await importOne(w, `TRN-${p}-2`, [
      claimPayment(
        p,
        '22',
        [
          service('99213', -10000, [cas('CO', ['45', -2000])], { ref: ref1, date: DOS }),
          service('99214', -15000, [cas('CO', ['45', -3000])], { ref: ref2, date: DOS }),
        ],
        { payerClaimNumber: 'PCC1' },
      ),
      claimPayment(
        p,
        '1',
        [
          service('99213', 10000, [cas('CO', ['45', 2000])], { ref: n1, date: DOS }),
          service('99214', 16000, [cas('CO', ['45', 3000]), cas('PR', ['2', 1000])], { ref: n2, date: DOS }),
        ],
        { payerClaimNumber: 'PCC2' },
      ),
    ]);
    expect(second).toMatchObject({
      outcome: 'posted',
      paymentCents: 0,
      reversals: 1,
      claims: 2,
      claimExceptions: 0,
      lines: 4,
      linesAutoPosted: 4,
    });
    const exceptions = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM work_items WHERE practice_id = $1 AND type = 'posting_exception'`,
      [w.practiceId],
    );
    expect(exceptions.rows[0]?.n).toBe(0);

    // The reversal is linked to the v1 payment and its line payments to the v1 lines.
    const rev = await db.query<{ posting_status: string; reverses: number | null; first_cp: number }>(
      `SELECT r.posting_status, r.reverses_claim_payment_id AS reverses,
              (SELECT id FROM claim_payments WHERE remittance_id = $2) AS first_cp
         FROM claim_payments r WHERE r.remittance_id = $1 AND r.claim_status_code = '22'`,
      [second.remittanceId, first.remittanceId],
    );
    expect(rev.rows).toHaveLength(1);
    expect(rev.rows[0]?.posting_status).toBe('posted');
    expect(rev.rows[0]?.reverses).toBe(rev.rows[0]?.first_cp);
    const revLines = await db.query<{ claim_line_id: number | null; match_method: string }>(
      `SELECT lp.claim_line_id, lp.match_method FROM line_payments lp JOIN claim_payments cp ON cp.id = lp.claim_payment_id
        WHERE cp.remittance_id = $1 AND cp.claim_status_code = '22' ORDER BY lp.id`,
      [second.remittanceId],
    );
    expect(revLines.rows).toEqual([
      { claim_line_id: c.lineIds[0], match_method: 'line_control_number' },
      { claim_line_id: c.lineIds[1], match_method: 'line_control_number' },
    ]);

    // Every line of both versions is settled; the claim holds the v2 adjudication only.
    const lines = await lineBalances(c.claimId);
    expect(lines).toHaveLength(4);
    expect(lines.map((l) => [l.version_no, Number(l.ar)])).toEqual([
      [1, 0],
      [1, 0],
      [2, 0],
      [2, 0],
    ]);
    expect(await claimBalances(c.claimId)).toMatchObject({
      gross_charges: -26000,
      cash: 20000,
      contractual_adjustments: 5000,
      ar_patient: 1000,
      ar_insurance: 0,
    });
    const status = await db.query<{ status: string }>('SELECT status FROM claims WHERE id = $1', [c.claimId]);
    expect(status.rows[0]?.status).toBe('paid');
  });

  it('a reversal whose REF*6R names lines the reversed payment did not post to is an exception, not guessed', async () => {
    const p = pcn();
    const c = await createClaim(db, w, p, [{ procedureCode: '99213', chargeCents: 10000, serviceDate: DOS }]);
    await importOne(w, `TRN-${p}-1`, [
      claimPayment(p, '1', [
        service('99213', 10000, [cas('CO', ['45', 2000])], { ref: c.lineControlNumbers[0] ?? '', date: DOS }),
      ]),
    ]);
    // BPR02 cannot be negative: another claim's payment travels in the same set.
    const other = pcn();
    const oc = await createClaim(db, w, other, [
      { procedureCode: '99213', chargeCents: 10000, serviceDate: DOS },
    ]);
    const set = await importOne(w, `TRN-${p}-2`, [
      claimPayment(p, '22', [
        service('99215', -10000, [cas('CO', ['45', -2000])], { ref: 'NOT-OURS', date: DOS }),
      ]),
      claimPayment(other, '1', [service('99213', 10000, [], { ref: oc.lineControlNumbers[0] ?? '' })]),
    ]);
    expect(set).toMatchObject({ outcome: 'posted', reversals: 0, claimExceptions: 1 });
    const items = await db.query<{ links: Record<string, unknown> }>(
      `SELECT links FROM work_items WHERE practice_id = $1 AND type = 'posting_exception' AND (links->>'claimId')::bigint = $2`,
      [w.practiceId, c.claimId],
    );
    expect(items.rows.map((r) => r.links['reason'])).toEqual(['line_not_matched']);
    expect(await claimBalances(c.claimId)).toMatchObject({ cash: 8000, ar_insurance: 0 });
  });
});

describe('underpayment: facility vs non-facility rate by place of service', () => {
  it('picks the setting from the line (SV105) or claim place of service', () => {
    expect(['22', '21', '23', '24', '19'].map(pfsSettingForPos)).toEqual(Array(5).fill('facility'));
    expect(['11', '12', '10', '20'].map(pfsSettingForPos)).toEqual(Array(4).fill('nonfacility'));
  });

  it('a POS 22 line is held to the facility rate, an office (POS 11) line to the non-facility rate', async () => {
    await db.query(
      `INSERT INTO practice_payer_settings (practice_id, payer_id, underpayment_tolerance_cents, underpayment_tolerance_bp)
       VALUES ($1, $2, 100, 100) ON CONFLICT (practice_id, payer_id) DO NOTHING`,
      [w.practiceId, w.payerId],
    );
    // The non-facility schedule is the later one, so "the latest schedule" alone would pick it for every line.
    for (const [name, setting, from, amount] of [
      ['PFS 2026 facility', 'facility', '2025-01-01', 9000],
      ['PFS 2026 non-facility', 'nonfacility', '2026-01-01', 13000],
    ] as const) {
      const fs = await db.query<{ id: number }>(
        `INSERT INTO fee_schedules (practice_id, payer_id, kind, name, effective_from, setting)
         VALUES ($1, $2, 'contracted', $3, $4, $5) RETURNING id`,
        [w.practiceId, w.payerId, name, from, setting],
      );
      await db.query(
        `INSERT INTO fee_schedule_entries (practice_id, fee_schedule_id, procedure_code, modifier, amount_cents)
         VALUES ($1, $2, '99214', '', $3)`,
        [w.practiceId, fs.rows[0]?.id, amount],
      );
    }
    const line = [{ procedureCode: '99214', chargeCents: 20000, serviceDate: DOS }];
    const claimOf = async () => {
      const p = pcn();
      return { p, ...(await createClaim(db, w, p, line)) };
    };
    const pay = (c: { p: string; lineControlNumbers: readonly string[] }, allowed: number) =>
      claimPayment(c.p, '1', [
        service('99214', 20000, [cas('CO', ['45', 20000 - allowed])], {
          ref: c.lineControlNumbers[0] ?? '',
          allowedCents: allowed,
          date: DOS,
        }),
      ]);
    // Outpatient hospital on the claim (CLM05-1), paid 500 below the facility rate: beyond max(100, 1 %).
    const under = await claimOf();
    await db.query(`UPDATE claim_versions SET place_of_service = '22' WHERE claim_id = $1`, [under.claimId]);
    // Outpatient hospital on the line (SV105) of an office claim, paid exactly the facility rate.
    const exact = await claimOf();
    await db.query(`UPDATE claim_lines SET place_of_service = '22' WHERE id = $1`, [exact.lineIds[0]]);
    // Office visit paid the facility rate: below the non-facility rate.
    const office = await claimOf();
    const set = await importOne(w, `TRN-POS-${process.pid}`, [
      pay(under, 8500),
      pay(exact, 9000),
      pay(office, 9000),
    ]);
    expect(set).toMatchObject({ outcome: 'posted', claimExceptions: 0, underpayments: 2 });
    const items = await db.query<{ links: Record<string, unknown> }>(
      `SELECT links FROM work_items WHERE practice_id = $1 AND type = 'underpayment' ORDER BY (links->>'claimId')::bigint`,
      [w.practiceId],
    );
    expect(items.rows.map((r) => r.links)).toEqual([
      expect.objectContaining({
        claimId: under.claimId,
        expectedCents: 9000,
        receivedCents: 8500,
        shortfallCents: 500,
      }),
      expect.objectContaining({
        claimId: office.claimId,
        expectedCents: 13000,
        receivedCents: 9000,
        shortfallCents: 4000,
      }),
    ]);
  });
});
