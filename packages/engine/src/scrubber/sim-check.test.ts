import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '@openrcm/db/test-harness';
import { formatSimCheck, simulatorCheck, type SimCheckReport } from './sim-check.ts';

/**
 * Issue 5's Done-when on a small generated data set (1 practice, 1 month, a third of a clinic's volume): the
 * scrubber and the clearinghouse together catch what the simulator injected, and what passed the scrubber is
 * rejected by the clearinghouse at under 1 %.
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
    expect(report.caughtInjected + report.missed).toBe(report.injected);
    expect(report.claims).toBeGreaterThan(300);
    expect(report.injected).toBeGreaterThan(0);
  });

  it('catches most injected errors before the payer, with few holds that have no error behind them', () => {
    expect(report.caughtInjected / report.injected).toBeGreaterThanOrEqual(0.85);
    expect(report.caughtWithoutError / report.claims).toBeLessThan(0.03);
  });

  it('claims that passed the scrubber are rejected at under 1 % for errors the scrubber can see (the rest needs a 271)', () => {
    expect(report.scrubberRejectionRate).toBeLessThan(0.01);
    expect(report.rejectedEligibilityOnly).toBeLessThanOrEqual(report.rejected);
    const text = formatSimCheck(report).join('\n');
    expect(text).toMatch(/the rest: [0-9.]+ % MET/);
  });
});
