import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, type Instant } from '@openrcm/core';
import { createTestDb, type TestDb } from '@openrcm/db/test-harness';
import { codesetsAdapter, importPath, inProcessTransport } from '@openrcm/engine';
import { generateToDirectory } from '@openrcm/sim';
import type { JobContext } from './context.ts';
import { runJob } from './registry.ts';

// A payer that never answers: the evening run sends the 270s, the early-morning retry asks again once 4 hours
// have passed, and the checks out of attempts are closed as unconfirmed — before the clinic opens.
let db: TestDb;
const dir = mkdtempSync(join(tmpdir(), 'openrcm-elig-retry-'));
let houseId = 0;
let received = 0;
const silent = inProcessTransport({
  receive: () => {
    received++;
    return Promise.resolve();
  },
  outbox: new Map<string, string>(),
});

const ctxAt = (at: string): JobContext => ({
  db,
  clock: fixedClock(at as Instant),
  transports: new Map([[houseId, silent]]),
  log: () => undefined,
  outDir: dir,
  codeSets: codesetsAdapter(),
});

beforeAll(async () => {
  db = await createTestDb();
  generateToDirectory(
    { practices: 1, months: 1, seed: 3, startDate: '2026-01-05', volume: 0.2 },
    join(dir, 'data'),
  );
  expect((await importPath(db, join(dir, 'data'))).ok).toBe(true);
  const h = await db.query<{ id: number }>(
    `INSERT INTO clearinghouses (code, name, sender_id, receiver_id) VALUES ('silent', 'silent', 'OPENRCM', 'SIMCH') RETURNING id`,
  );
  houseId = h.rows[0]?.id ?? 0;
  await db.query(`UPDATE payers SET clearinghouse_id = $1 WHERE submission_channel = 'electronic'`, [
    houseId,
  ]);
}, 120_000);

afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('eligibility.retry', () => {
  it('asks an unanswering payer again after 4 hours, plans nothing new, then closes the checks unconfirmed', async () => {
    const evening = await runJob(ctxAt('2026-01-06T22:00:00.000Z'), 'eligibility.nightly');
    const sentFirst = evening.counts['checksSent'] ?? 0;
    expect(sentFirst).toBeGreaterThan(0);
    expect(received).toBeGreaterThan(0);

    // Too early (2 hours later): nothing is due yet.
    const early = await runJob(ctxAt('2026-01-07T00:00:00.000Z'), 'eligibility.retry');
    expect(early.counts).toMatchObject({ retried: 0, checksSent: 0 });

    const night = await runJob(ctxAt('2026-01-07T02:30:00.000Z'), 'eligibility.retry');
    expect(night.counts['retried']).toBe(sentFirst);
    expect(night.counts['checksSent']).toBe(sentFirst);
    expect(night.counts).not.toHaveProperty('checksCreated');

    const morning = await runJob(ctxAt('2026-01-07T06:30:00.000Z'), 'eligibility.retry');
    expect(morning.counts['retried']).toBe(sentFirst);

    const closed = await runJob(ctxAt('2026-01-07T10:30:00.000Z'), 'eligibility.retry');
    expect(closed.counts['unconfirmed']).toBe(sentFirst);
    expect(closed.counts['checksSent']).toBe(0);
    const open = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM eligibility_checks WHERE status = 'pending'`,
    );
    expect(open.rows[0]?.n).toBe(0);
  }, 120_000);
});
