import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CalendarDate } from '@openrcm/core';
import { practiceScope, type PracticeScope } from '@openrcm/db';
import { createTestDb, type TestDb } from '@openrcm/db/test-harness';
import { generateToDirectory } from '@openrcm/sim';
import { importPath } from '../intake/import.ts';
import { monthlyReport } from '../reports/monthly.ts';
import { eligibilityFigures } from './figures.ts';

// The monthly report's eligibility flags (issue 7 / reports): the checks of the month's visits — by the date of
// service asked about, not the day the 270 went out — that a payer was really asked, the latest per appointment
// and coverage, as known on the report's as-of day. A fixture of checks with known answers.
let db: TestDb;
let dir: string;
let scope: PracticeScope;
let houseId = 0;
let scheduledInJanuary = 0;
const appointmentOf = new Map<number, { appt: number; cov: number }>();

type Check = {
  serviceDate: string;
  /** When the 270 went out (its batch's sent_at); null: never sent (a paper-only payer's check). */
  sentAt: string | null;
  respondedAt: string | null;
  classification: string;
  /** The same appointment and coverage as an earlier check of the fixture (a real-time re-check). */
  recheckOf?: number;
  /** The fields a `changed` answer named. */
  fields?: string[];
  /** The batch's status since it was sent (a 999 marks it accepted); default 'sent'. */
  batchStatus?: string;
};

/** Inserts a check of a new appointment (or of the appointment of `recheckOf`); returns the appointment id. */
async function addCheck(c: Check, appointmentOf: Map<number, { appt: number; cov: number }>, i: number) {
  const prior = c.recheckOf === undefined ? undefined : appointmentOf.get(c.recheckOf);
  const target =
    prior ??
    (
      await db.query<{ appt: number; cov: number }>(
        `WITH cov AS (SELECT c.id, c.patient_id FROM coverages c WHERE c.practice_id = $1 AND c.priority = 'primary'
                        ORDER BY c.id OFFSET $3 LIMIT 1)
         INSERT INTO appointments (practice_id, patient_id, provider_id, location_id, external_id, starts_at, service_date)
         SELECT $1, cov.patient_id, (SELECT id FROM providers WHERE practice_id = $1 ORDER BY id LIMIT 1),
                (SELECT id FROM locations WHERE practice_id = $1 ORDER BY id LIMIT 1), 'FLAGS-' || $3,
                $2::date + time '10:00', $2::date
           FROM cov RETURNING id AS appt, (SELECT id FROM cov) AS cov`,
        [scope.practiceId, c.serviceDate, i],
      )
    ).rows[0];
  if (target === undefined) throw new Error('no coverage to check');
  appointmentOf.set(i, { appt: Number(target.appt), cov: Number(target.cov) });
  let batch: number | null = null;
  if (c.sentAt !== null) {
    const b = await db.query<{ id: number }>(
      `INSERT INTO submission_batches (practice_id, clearinghouse_id, transaction_type, status, item_count, created_at, sent_at)
       VALUES ($1, $2, '270', $4, 1, $3, $3) RETURNING id`,
      [scope.practiceId, houseId, c.sentAt, c.batchStatus ?? 'sent'],
    );
    batch = Number(b.rows[0]?.id);
  }
  await db.query(
    `INSERT INTO eligibility_checks (practice_id, patient_id, coverage_id, appointment_id, payer_id, batch_id, requested_at,
                                     responded_at, status, classification, origin, service_date, response_summary)
     SELECT $1, c.patient_id, c.id, $2, c.payer_id, $4, COALESCE($5, '2026-01-01T00:00:00Z'::timestamptz), $6,
            CASE WHEN $4::bigint IS NULL OR $6::timestamptz IS NULL THEN 'no_response' ELSE 'responded' END, $7,
            CASE WHEN $8 THEN 'real_time' ELSE 'scheduled' END, $9, jsonb_build_object('changedFields', $10::jsonb)
       FROM coverages c WHERE c.id = $3`,
    [
      scope.practiceId,
      target.appt,
      target.cov,
      batch,
      c.sentAt,
      c.respondedAt,
      c.classification,
      c.recheckOf !== undefined,
      c.serviceDate,
      JSON.stringify(c.fields ?? []),
    ],
  );
}

beforeAll(async () => {
  db = await createTestDb();
  dir = mkdtempSync(join(tmpdir(), 'openrcm-elig-flags-'));
  generateToDirectory({ practices: 1, months: 1, seed: 9, startDate: '2026-01-05', volume: 0.1 }, dir);
  expect((await importPath(db, dir)).ok).toBe(true);
  scope = practiceScope(Number((await db.query<{ id: number }>('SELECT id FROM practices')).rows[0]?.id));
  const h = await db.query<{ id: number }>(
    `INSERT INTO clearinghouses (code, name, sender_id, receiver_id) VALUES ('t', 't', 'OPENRCM', 'SIMCH') RETURNING id`,
  );
  houseId = Number(h.rows[0]?.id);
  // The generated schedule's own checks are not part of the fixture.
  await db.query('DELETE FROM eligibility_checks');
  const n = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM appointments WHERE status <> 'cancelled' AND service_date BETWEEN '2026-01-01' AND '2026-01-31'`,
  );
  scheduledInJanuary = Number(n.rows[0]?.n);
}, 120_000);

afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('monthly report: eligibility flags', () => {
  it('counts the checks of the month’s visits that a payer was asked, the latest per appointment', async () => {
    const checks: Check[] = [
      // 0: a January visit checked on New Year's Eve, unconfirmed: January's (the old count missed it).
      {
        serviceDate: '2026-01-05',
        sentAt: '2025-12-31T22:00:00Z',
        respondedAt: null,
        classification: 'unconfirmed',
      },
      // 1: lapsed the evening before, then 2: re-checked in real time the next morning, unchanged (replaces 1).
      {
        serviceDate: '2026-01-20',
        sentAt: '2026-01-19T22:00:00Z',
        respondedAt: '2026-01-19T22:05:00Z',
        classification: 'lapsed',
      },
      {
        serviceDate: '2026-01-20',
        sentAt: '2026-01-20T08:00:00Z',
        respondedAt: '2026-01-20T08:01:00Z',
        classification: 'unchanged',
        recheckOf: 1,
      },
      // 3: not found (its 270 batch acknowledged by the clearinghouse's 999 since).
      {
        batchStatus: 'accepted',
        serviceDate: '2026-01-21',
        sentAt: '2026-01-20T22:00:00Z',
        respondedAt: '2026-01-20T22:05:00Z',
        classification: 'not_found',
      },
      // 4: a paper-only payer's check: never sent, closed unconfirmed at once — not a payer's answer.
      { serviceDate: '2026-01-22', sentAt: null, respondedAt: null, classification: 'unconfirmed' },
      // 5: a February visit checked on January 30: February's, not January's.
      {
        serviceDate: '2026-02-02',
        sentAt: '2026-01-30T22:00:00Z',
        respondedAt: '2026-01-30T22:05:00Z',
        classification: 'changed',
      },
      // 6: answered only after the as-of day: still pending in this report.
      {
        serviceDate: '2026-01-30',
        sentAt: '2026-01-29T22:00:00Z',
        respondedAt: '2026-02-20T09:00:00Z',
        classification: 'lapsed',
      },
    ];
    for (const [i, c] of checks.entries()) await addCheck(c, appointmentOf, i);

    const jan = await monthlyReport(db, scope, '2026-01', { asOf: '2026-02-09' as CalendarDate });
    expect(jan.eligibilityFlags).toEqual([
      { classification: 'not_found', checks: 1 },
      { classification: 'pending', checks: 1 },
      { classification: 'unchanged', checks: 1 },
      { classification: 'unconfirmed', checks: 1 },
    ]);
    const figure = jan.figures.find((f) => f.key === 'eligibility_flags');
    expect(figure).toMatchObject({ value: 2, note: 'not_found 1, unconfirmed 1' });

    const feb = await monthlyReport(db, scope, '2026-02', { asOf: '2026-03-09' as CalendarDate });
    expect(feb.eligibilityFlags).toEqual([{ classification: 'changed', checks: 1 }]);
    expect(feb.figures.find((f) => f.key === 'eligibility_flags')).toMatchObject({ value: 1 });
  }, 120_000);

  it('the demo figures: visits verified before the visit, flagged by reason (secondary found apart)', async () => {
    // Two more January visits: secondary coverage found alone, and with a plan change.
    const more: Check[] = [
      {
        serviceDate: '2026-01-23',
        sentAt: '2026-01-22T22:00:00Z',
        respondedAt: '2026-01-22T22:05:00Z',
        classification: 'changed',
        fields: ['other_coverage'],
      },
      {
        serviceDate: '2026-01-26',
        sentAt: '2026-01-23T22:00:00Z',
        respondedAt: '2026-01-23T22:05:00Z',
        classification: 'changed',
        fields: ['group', 'plan', 'other_coverage'],
      },
    ];
    for (const [i, c] of more.entries()) await addCheck(c, appointmentOf, 7 + i);
    const f = await eligibilityFigures(db, {
      from: '2026-01-01' as CalendarDate,
      to: '2026-01-31' as CalendarDate,
    });
    // Seven January visits of the fixture (the re-checked one once) besides the generated schedule's.
    expect(f.appointments).toBe(scheduledInJanuary + 7);
    expect(f.checked).toBe(7);
    // Answered active before the visit: the re-check of 1 and the two changed ones (6 came back lapsed).
    expect(f.verified).toBe(3);
    expect(f.byReason).toEqual({
      changed: 1,
      secondaryFound: 2,
      lapsed: 1,
      notFound: 1,
      unconfirmed: 1,
      notAsked: 1,
    });
    // 0 unconfirmed, 3 not found, 4 not asked, 6 lapsed, and the two changed visits.
    expect(f.flagged).toBe(6);
    expect(f.sharePercent.verified).toBe(Math.round((1000 * 3) / f.appointments) / 10);
  }, 120_000);
});
