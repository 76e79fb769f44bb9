import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '@openrcm/db/test-harness';
import { runDemo, type DemoSummary } from './demo.ts';

// The whole cycle at a small size: one practice, one month at a quarter of a clinic's daily volume, the
// simulated clearinghouse over SFTP, on the embedded database (or, with DATABASE_URL, a server database of its
// own). What must hold is what the demo promises: money balances and no claim is lost between stages.
const out = mkdtempSync(join(tmpdir(), 'openrcm-demo-'));
let serverDb: TestDb | undefined;

afterAll(async () => {
  await serverDb?.close();
  rmSync(out, { recursive: true, force: true });
});

describe('the demo at a small size', () => {
  it('runs every stage and its summary balances', async () => {
    if (process.env['DATABASE_URL'] !== undefined) serverDb = await createTestDb();
    const summary: DemoSummary = await runDemo({
      practices: 1,
      months: 1,
      seed: 3,
      out,
      startDate: '2026-01-05',
      volume: 0.25,
      runoutDays: 40,
      databaseUrl: serverDb?.url ?? undefined,
      log: () => undefined,
    });
    const c = summary.claims;
    expect(c['built'] ?? 0).toBeGreaterThan(50);
    expect(c['submitted'] ?? 0).toBeGreaterThan(0);
    expect(c['adjudicated'] ?? 0).toBeGreaterThan(0);
    // Every balance check of the summary holds; a false one names itself in the failure.
    expect(Object.keys(summary.balance).sort()).toEqual([
      'everyClaimAccountedFor',
      'everyClaimLineBalances',
      'insurancePaymentsPostedEqualSumOfBpr02',
    ]);
    for (const [check, ok] of Object.entries(summary.balance))
      expect({ check, ok }).toEqual({ check, ok: true });
    // Every claim built is somewhere: submitted, held, ready (paper payers) or draft.
    expect(summary.balance['everyClaimAccountedFor']).toBe(true);
    // Per claim line, from the ledger: charge = insurance paid + adjustments + patient responsibility + open
    // balance, on every line that was built (each has its charge posting) — and paid lines are among them.
    expect(summary.claimLines['checked'] ?? 0).toBeGreaterThan(c['built'] ?? 0);
    expect(summary.claimLines).toMatchObject({
      unbalanced: 0,
      chargeDiffersFromLine: 0,
      withoutChargePosting: 0,
    });
    // Insurance payments posted to the ledger equal the sum of BPR02 over every 835 received.
    expect(summary.dollars['insurancePaidCents']).toBe(summary.dollars['bpr02TotalCents']);
    expect(summary.dollars['insurancePaidCents'] ?? 0).toBeGreaterThan(0);
    expect(summary.edi.received['835'] ?? 0).toBeGreaterThan(0);
    expect(summary.edi.received['999'] ?? 0).toBeGreaterThan(0);
    expect(summary.edi.received['277CA'] ?? 0).toBeGreaterThan(0);
    expect(readdirSync(join(out, 'edi', 'outbound')).some((f) => f.startsWith('837P'))).toBe(true);
    expect(readdirSync(join(out, 'edi', 'inbound')).length).toBe(
      Object.values(summary.edi.received).reduce((a, b) => a + b, 0),
    );
    // Where the time went, per stage, as the job handlers report it.
    for (const step of [
      'import',
      'build claims',
      'scrub',
      'submit 837P',
      'post 835',
      'ingest acks',
      'eligibility',
      'analyze',
      'reports',
    ])
      expect([step, summary.stepMs[step] !== undefined, summary.stepCpuMs[step] !== undefined]).toEqual([
        step,
        true,
        true,
      ]);
    expect(summary.cpuMs).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))).toMatchObject({
      balance: summary.balance,
    });
    for (const ext of ['html', 'pdf', 'json', 'csv'])
      expect(existsSync(join(out, 'reports', 'pr001', `2026-01.${ext}`))).toBe(true);
    // The whole cycle: about 40 s on an idle machine, several times that on a loaded one.
  }, 600_000);
});
