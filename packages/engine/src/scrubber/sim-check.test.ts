import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '@openrcm/db/test-harness';
import { formatSimCheck, simulatorCheck, type SimCheckReport } from './sim-check.ts';

/**
 * Issue 5's Done-when on a small generated data set (1 practice, 1 month, a third of a clinic's volume), run as
 * production runs it — the evening-before 270s and their 271s, then each morning build, scrub, submit and the
 * acknowledgements: the scrubber (its rules and the eligibility hold) and the clearinghouse together catch what
 * the simulator injected, and what passed the scrubber is rejected by the clearinghouse at under 1 %.
 */
let db: TestDb;
let report: SimCheckReport;

beforeAll(async () => {
  db = await createTestDb();
  report = await simulatorCheck(db, { practices: 1, months: 1, seed: 5, volume: 0.35 });
}, 600_000);

afterAll(async () => {
  await db.close();
});

describe('scrubber against the simulator’s injected errors', () => {
  it('counts every claim once and agrees with the database', async () => {
    const n = await db.query<{ claims: number; held: number; rejected: number; submitted: number }>(
      `SELECT count(*)::int AS claims,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM claim_status_history h WHERE h.claim_id = c.id AND h.to_status = 'held'))::int AS held,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM claim_status_history h WHERE h.claim_id = c.id AND h.to_status = 'rejected'))::int AS rejected,
              count(*) FILTER (WHERE c.first_submitted_at IS NOT NULL)::int AS submitted
         FROM claims c`,
    );
    expect(report).toMatchObject(n.rows[0] ?? {});
    const sum = (m: Readonly<Record<string, number>>): number => Object.values(m).reduce((a, b) => a + b, 0);
    expect(sum(report.heldBy)).toBe(report.held);
    expect(sum(report.rejectedBy)).toBe(report.rejected);
    expect(report.caughtInjected + report.missed).toBe(report.injected);
    for (const k of Object.values(report.byKind))
      expect(k.heldByRule + k.heldByEligibility + k.rejected + k.missed).toBe(k.injected);
    expect(report.claims).toBeGreaterThan(300);
    expect(report.injected).toBeGreaterThan(0);
  });

  it('runs the eligibility check on the schedule: every scheduled visit’s claim had its coverage’s answer before it was built', async () => {
    const r = await db.query<{ claims: number; unchecked: number }>(
      `SELECT count(*)::int AS claims,
              count(*) FILTER (WHERE NOT EXISTS (
                SELECT 1 FROM eligibility_checks e
                 WHERE e.practice_id = c.practice_id AND e.appointment_id = en.appointment_id
                   AND e.coverage_id = c.coverage_id AND e.classification IS NOT NULL
                   AND coalesce(e.responded_at, e.requested_at) <= c.created_at))::int AS unchecked
         FROM claims c
         JOIN encounters en ON en.practice_id = c.practice_id AND en.id = c.encounter_id
        WHERE en.appointment_id IS NOT NULL`,
    );
    expect(r.rows[0]?.claims).toBeGreaterThan(300);
    expect(r.rows[0]?.unchecked).toBe(0);
    expect(report.eligibilityChecks['lapsed'] ?? 0).toBeGreaterThan(0);
    expect(report.eligibilityChecks['not_found'] ?? 0).toBeGreaterThan(0);
    expect(report.eligibilityChecks['pending'] ?? 0).toBe(0);
  });

  it('holds for eligibility what only a 271 reveals: no member id typo or terminated coverage reaches the clearinghouse', () => {
    expect(report.heldBy['eligibility'] ?? 0).toBeGreaterThan(0);
    const outdated = report.byKind['outdated_coverage'];
    const typo = report.byKind['member_id_typo'];
    expect(outdated?.injected ?? 0).toBeGreaterThan(0);
    expect(outdated?.heldByEligibility).toBe(outdated?.injected);
    expect(typo?.heldByEligibility ?? 0).toBeGreaterThan(0);
    expect((typo?.rejected ?? 0) + (typo?.missed ?? 0)).toBe(0);
  });

  it('reproduces the injection: every injected error the front end can know of is held or rejected', () => {
    const sum = (m: Readonly<Record<string, number>>): number => Object.values(m).reduce((a, b) => a + b, 0);
    expect(sum(report.missedBy)).toBe(report.missed);
    // What gets through is what the payer keeps out of its manual, or a visit no 270 could be sent for.
    expect(report.missedBy.front_end_gap).toBe(0);
    expect(report.missedBy.unpublished_policy).toBeGreaterThan(0);
  });

  it('catches most injected errors before the payer, with few holds that have no error behind them', () => {
    expect(report.caughtInjected / report.injected).toBeGreaterThanOrEqual(0.9);
    expect(report.caughtWithoutError / report.claims).toBeLessThan(0.02);
  });

  it('claims that passed the scrubber are rejected by the clearinghouse at under 1 % (the Done-when target)', () => {
    expect(report.submitted).toBeGreaterThan(300);
    expect(report.cleanRejectionRate).toBeLessThan(0.01);
    const text = formatSimCheck(report).join('\n');
    expect(text).toMatch(/rejected by the clearinghouse: \d+ of \d+ = [0-9.]+ % \(target < 1 %\) MET/);
  });
});
