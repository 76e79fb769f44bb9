import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, type Instant } from '@openrcm/core';
import { createTestDb, type TestDb } from '@openrcm/db/test-harness';
import { codesetsAdapter } from '@openrcm/engine';
import type { JobContext } from './context.ts';
import { parsePayload } from './payload.ts';
import { kindOf } from './pickup.ts';
import { previousMonth } from './reports.ts';
import { JOB_NAMES, runJob } from './registry.ts';

// The handlers through runJob on this run's database (embedded or server): what the worker, `openrcm job run`
// and the demo all call.
let db: TestDb;
const dir = mkdtempSync(join(tmpdir(), 'openrcm-jobs-'));
const log: { event: string; fields: Record<string, unknown> }[] = [];
const ctx = (): JobContext => ({
  db,
  clock: fixedClock('2026-03-02T07:00:00.000Z' as Instant),
  transports: new Map(),
  log: (event, fields = {}) => log.push({ event, fields }),
  outDir: dir,
  codeSets: codesetsAdapter(),
});

beforeAll(async () => {
  db = await createTestDb();
}, 120_000);
afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('job handlers', () => {
  it('db.analyze re-reads only the tables that changed enough since their last ANALYZE', async () => {
    await runJob(ctx(), 'db.analyze');
    // Nothing changed since: nothing to do.
    expect((await runJob(ctx(), 'db.analyze')).counts).toEqual({ tables: 0 });
    await db.query(
      `INSERT INTO billing_organizations (name) SELECT 'Org ' || i FROM generate_series(1, 200) AS i`,
    );
    const r = await runJob(ctx(), 'db.analyze');
    expect(r.counts['tables']).toBeGreaterThanOrEqual(1);
    const stat = await db.query<{ n: number; analyzed: boolean }>(
      `SELECT n_mod_since_analyze::int AS n, (last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL) AS analyzed
         FROM pg_stat_user_tables WHERE relname = 'billing_organizations'`,
    );
    expect(stat.rows[0]).toEqual({ n: 0, analyzed: true });
  });

  it('intake.import: a rejected file fails the job with located problems; the same drop imported twice inserts nothing new', async () => {
    const drop = join(dir, 'drop');
    const bad = join(dir, 'bad');
    mkdirSync(drop);
    mkdirSync(bad);
    const header = 'organizationId,name,tin,npi,address1,city,state,zip,phone\n';
    writeFileSync(
      join(bad, 'organizations.csv'),
      `${header}ORG1,,123456789,1234567893,1 Main St,Springfield,IL,62701,2175550100\n`,
    );
    await expect(runJob(ctx(), 'intake.import', { path: bad })).rejects.toThrow(/organizations\.csv:2 name/);
    writeFileSync(
      join(drop, 'organizations.csv'),
      `${header}ORG1,Acme Billing,123456789,1234567893,1 Main St,Springfield,IL,62701,2175550100\n`,
    );
    const first = await runJob({ ...ctx(), dropDir: drop }, 'intake.import');
    expect(first.counts['rowsInserted']).toBeGreaterThan(0);
    const again = await runJob({ ...ctx(), dropDir: drop }, 'intake.import');
    expect(again.counts['rowsInserted']).toBe(0);
  });

  it('claims.daily runs per practice and refuses to run without an 837P submitter', async () => {
    await db.query(
      `INSERT INTO practices (billing_organization_id, code, name) SELECT id, 'px1', 'Practice X' FROM billing_organizations ORDER BY id LIMIT 1`,
    );
    await expect(runJob(ctx(), 'claims.daily')).rejects.toThrow(/needs the 837P submitter/);
    await expect(runJob(ctx(), 'claims.daily', { practiceId: 999_999 })).rejects.toThrow(
      /no practice with id/,
    );
    const parties = {
      submitterName: 'OPENRCM TEST',
      submitterId: 'OPENRCM',
      contactName: 'DESK',
      contactPhone: '8005550100',
      receiverName: 'CH',
      receiverId: 'CH',
    };
    const r = await runJob({ ...ctx(), parties }, 'claims.daily');
    expect(r.practices).toHaveLength(1);
    expect(r.counts).toMatchObject({ built: 0, submitted: 0 });
    expect(log.filter((l) => l.event === 'job.practice').map((l) => l.fields['practice'])).toEqual(['px1']);
  });

  it('reports.monthly writes the month just ended by default', async () => {
    expect(previousMonth('2026-03-02')).toBe('2026-02');
    expect(previousMonth('2026-01-15')).toBe('2025-12');
    const r = await runJob(ctx(), 'reports.monthly');
    expect(r.counts['months']).toBe(1);
    expect(r.counts['files']).toBeGreaterThan(0);
  }, 60_000);

  it('payloads: ids and names only, located errors; unknown jobs are refused', async () => {
    expect(parsePayload('x', { practiceId: 3, _cron: { ts: 'now' } })).toEqual({ practiceId: 3 });
    expect(() => parsePayload('claims.daily', { practiceId: '3' })).toThrow(/payload\.practiceId/);
    expect(() => parsePayload('reports.monthly', { month: '2026-13' })).toThrow(/payload\.month/);
    expect(() => parsePayload('x', { patientName: 'a' })).toThrow(/payload\.patientName is not a field/);
    await expect(runJob(ctx(), 'claims.weekly')).rejects.toThrow(/no job named/);
    expect(JOB_NAMES).toEqual([
      'eligibility.nightly',
      'eligibility.retry',
      'clearinghouse.pickup',
      'claims.daily',
      'intake.import',
      'reports.monthly',
      'db.analyze',
    ]);
  });

  it('a received file is told apart by its first ST01', () => {
    const isa =
      'ISA*00*          *00*          *ZZ*SIMCH          *ZZ*OPENRCM        *260105*0700*^*00501*000000001*0*T*:~';
    expect(isa.length).toBe(106);
    const file = (st: string): string => `${isa}\nGS*HP*SIMCH*OPENRCM*20260105*0700*1*X*005010X221A1~\n${st}`;
    expect(kindOf(file('ST*835*0001~'))).toBe('835');
    expect(kindOf(file('ST*277*0001*005010X214~'))).toBe('277CA');
    expect(kindOf(file('ST*999*0001*005010X231A1~'))).toBe('999');
    expect(kindOf(file('ST*271*0001*005010X279A1~'))).toBe('271');
    expect(kindOf(`${isa}\nTA1*000000001*260105*0700*R*022~`)).toBe('TA1');
  });
});
