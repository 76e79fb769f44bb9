import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, type Instant } from '@openrcm/core';
import { openDatabase, type Db } from '@openrcm/db';
import { createTestDb, prepareDataDir, testDbKind, type TestDb } from '@openrcm/db/test-harness';
import { importPath } from '@openrcm/engine';
import { generateToDirectory } from '@openrcm/sim';
import { serveClearinghouse, type ClearinghouseServer } from '@openrcm/sim/clearinghouse';
import { COMMANDS, run } from '../index.ts';
import { holds271 } from './eligibility.ts';

// `openrcm eligibility check|run|report` end to end: a generated practice in the database, the simulated
// clearinghouse and payers on a local SFTP port, the CLI in process with the clock on a clinic day.
const dir = mkdtempSync(join(tmpdir(), 'openrcm-elig-cli-'));
const password = 'elig-cli-test';
const today = '2026-01-13';
let env: Record<string, string>;
let testDb: TestDb | undefined;
let server: ClearinghouseServer;
let practice = '';
let patient = { mrn: '', appointmentDay: '' };

async function openrcm(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    commands: COMMANDS,
    env,
    clock: fixedClock(`${today}T15:00:00.000Z` as Instant),
    stdout: { write: (t) => void (stdout += t) },
    stderr: { write: (t) => void (stderr += t) },
  });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  const data = join(dir, 'sim-data');
  generateToDirectory(
    { practices: 1, months: 1, seed: 7, startDate: '2026-01-05', volume: 0.25, specialties: ['cardiology'] },
    data,
  );
  server = await serveClearinghouse({
    root: join(dir, 'clearinghouse'),
    username: 'openrcm',
    password,
    seed: 7,
    dataDir: data,
    startDate: today,
  });
  let db: Db;
  if (testDbKind() === 'postgres') {
    testDb = await createTestDb();
    env = { DATABASE_URL: testDb.url ?? '' };
    db = testDb;
  } else {
    await prepareDataDir(join(dir, 'db'));
    env = { OPENRCM_DATA_DIR: join(dir, 'db') };
    db = await openDatabase({ dataDir: join(dir, 'db'), migrate: true });
  }
  env['OPENRCM_CLEARINGHOUSE_SIM_PASSWORD'] = password;
  try {
    expect((await importPath(db, data)).ok).toBe(true);
    const h = await db.query<{ id: number }>(
      `INSERT INTO clearinghouses (code, name, sender_id, receiver_id, transport, settings)
       VALUES ('sim', 'simulated clearinghouse', 'OPENRCM', 'SIMCH', 'sftp', $1::jsonb) RETURNING id`,
      [JSON.stringify({ host: server.host, port: server.port, username: 'openrcm' })],
    );
    await db.query(`UPDATE payers SET clearinghouse_id = $1 WHERE submission_channel = 'electronic'`, [
      h.rows[0]?.id,
    ]);
    practice = (await db.query<{ code: string }>('SELECT code FROM practices')).rows[0]?.code ?? '';
    // A patient with an appointment after today and a primary coverage at an electronic payer.
    const p = await db.query<{ mrn: string; d: string }>(
      `SELECT pt.mrn, a.service_date::text AS d FROM appointments a
         JOIN patients pt ON pt.id = a.patient_id
         JOIN coverages c ON c.patient_id = pt.id AND c.priority = 'primary' AND c.status = 'active'
         JOIN payers py ON py.id = c.payer_id AND py.submission_channel = 'electronic'
        WHERE a.service_date > $1 AND a.status <> 'cancelled'
          AND NOT EXISTS (SELECT 1 FROM appointments b WHERE b.patient_id = pt.id AND b.service_date >= $1
                            AND b.service_date < a.service_date)
        ORDER BY a.service_date, pt.mrn LIMIT 1`,
      [today],
    );
    patient = { mrn: p.rows[0]?.mrn ?? '', appointmentDay: p.rows[0]?.d ?? '' };
  } finally {
    if (testDb === undefined) await db.close();
  }
}, 120_000);

afterAll(async () => {
  await server.close();
  await testDb?.close();
  rmSync(dir, { recursive: true, force: true });
});

type Row = { appointmentId: number; mrn: string; result: string; reason: string; flagged: boolean };

/** The database between CLI runs (the embedded one is opened and closed again: one process at a time). */
async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  if (testDb !== undefined) return fn(testDb);
  const db = await openDatabase({ dataDir: join(dir, 'db') });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

describe(`openrcm eligibility on ${testDbKind()}`, () => {
  it('check: one patient asked now over SFTP, the 271 read back, the answer printed', async () => {
    expect(patient.mrn).not.toBe('');
    const r = await openrcm(
      '--json',
      'eligibility',
      'check',
      patient.mrn,
      '--practice',
      practice,
      '--wait',
      '30',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as Row[];
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.mrn).toBe(patient.mrn);
      expect(['unchanged', 'changed', 'lapsed', 'not_found']).toContain(row.result);
    }
    // The simulated clearinghouse answered exactly the inquiries sent: one 270 file in, one 271 out.
    expect(server.clearinghouse.stats.eligibilityInquiries).toBe(rows.length);
    // Asked again: a new real-time check, answered again.
    const again = await openrcm('--json', 'eligibility', 'check', patient.mrn, '--practice', practice);
    expect(again.code).toBe(0);
    expect(server.clearinghouse.stats.eligibilityInquiries).toBe(rows.length * 2);
  }, 90_000);

  it('check: an unknown patient is a located error that names no patient data', async () => {
    const r = await openrcm('eligibility', 'check', 'NO-SUCH-MRN', '--practice', practice, '--wait', '1');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('no upcoming appointment');
    expect(r.stderr).not.toContain('NO-SUCH-MRN');
  });

  it('run then report: every appointment of the next day in HTML, CSV and JSON, flagged first', async () => {
    const first = await openrcm('--json', 'eligibility', 'run', '--date', today, '--practice', practice);
    expect(first.code).toBe(0);
    const [planned] = JSON.parse(first.stdout) as { planned: number; sent: number }[];
    expect(planned?.planned).toBeGreaterThan(0);
    // The clearinghouse answers; the next run picks the 271s up and plans nothing new.
    await server.processInbound();
    const second = await openrcm('--json', 'eligibility', 'run', '--date', today, '--practice', practice);
    expect(JSON.parse(second.stdout)).toMatchObject([{ planned: 0, sent: 0 }]);

    const day = '2026-01-14';
    const json = await openrcm(
      'eligibility',
      'report',
      '--date',
      day,
      '--practice',
      practice,
      '--format',
      'json',
    );
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as { rows: Row[]; counts: Record<string, number> };
    expect(report.rows.length).toBeGreaterThanOrEqual(planned?.planned ?? 0);
    expect(report.rows.filter((x) => x.result === 'pending')).toEqual([]);
    const flagged = report.rows.filter((x) => x.flagged).length;
    expect(report.rows.slice(0, flagged).every((x) => x.flagged)).toBe(true);
    expect(report.rows.slice(flagged).every((x) => !x.flagged)).toBe(true);
    expect(Object.values(report.counts).reduce((a, b) => a + b, 0)).toBe(report.rows.length);

    const csv = await openrcm(
      'eligibility',
      'report',
      '--date',
      day,
      '--practice',
      practice,
      '--format',
      'csv',
    );
    const lines = csv.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('time,patient,mrn,coverage,payer,result,reason,action');
    expect(lines).toHaveLength(report.rows.length + 1);
    report.rows.forEach((row, i) => expect(lines[i + 1]).toContain(`,${row.mrn},`));

    const out = join(dir, 'report.html');
    const html = await openrcm('eligibility', 'report', '--date', day, '--practice', practice, '--out', out);
    expect(html.code).toBe(0);
    expect(html.stdout).toBe('');
    const page = readFileSync(out, 'utf8');
    for (const row of report.rows) expect(page).toContain(row.mrn);

    const bad = await openrcm('eligibility', 'report', '--date', '2026-02-30', '--practice', practice);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--date');
  }, 120_000);

  it('accept: the plan the payer returned replaces the stale one on file, audited by field name only', async () => {
    // The file's plan name of the patient's primary coverage is out of date; the payer's 271 names its own.
    const coverageId = await withDb(async (db) => {
      const c = await db.query<{ id: number }>(
        `UPDATE coverages c SET plan_name = 'Retired Plan 2019' FROM patients pt
          WHERE pt.id = c.patient_id AND pt.mrn = $1 AND c.priority = 'primary' AND c.status = 'active'
          RETURNING c.id`,
        [patient.mrn],
      );
      return Number(c.rows[0]?.id);
    });
    const r = await openrcm('--json', 'eligibility', 'check', patient.mrn, '--practice', practice);
    expect(r.code).toBe(0);
    const check = await withDb(async (db) => {
      const q = await db.query<{ id: number; classification: string; fields: string[]; plan: string }>(
        `SELECT id, classification, ARRAY(SELECT jsonb_array_elements_text(response_summary->'changedFields')) AS fields,
                response_summary->'facts'->>'plan' AS plan
           FROM eligibility_checks WHERE coverage_id = $1 ORDER BY id DESC LIMIT 1`,
        [coverageId],
      );
      return q.rows[0];
    });
    expect(check).toMatchObject({ classification: 'changed', fields: ['plan'] });
    const accepted = await openrcm('eligibility', 'accept', String(check?.id), '--practice', practice);
    expect(accepted.stderr).toBe('');
    expect(accepted.stdout).toContain(': plan');
    await withDb(async (db) => {
      const c = await db.query<{ plan_name: string }>('SELECT plan_name FROM coverages WHERE id = $1', [
        coverageId,
      ]);
      expect(c.rows[0]?.plan_name).toBe(check?.plan);
      const audit = await db.query<{ details: unknown }>(
        `SELECT details FROM audit_log WHERE action = 'coverage.accept_eligibility_change' AND entity_id = $1`,
        [String(coverageId)],
      );
      expect(audit.rows.map((a) => a.details)).toEqual([{ eligibilityCheckId: check?.id, fields: ['plan'] }]);
    });
    // Checked again: as on file now.
    const again = await openrcm('--json', 'eligibility', 'check', patient.mrn, '--practice', practice);
    const rows = JSON.parse(again.stdout) as Row[];
    expect(rows.find((x) => x.result === 'changed')).toBeUndefined();
  }, 90_000);

  it('tells a 271 file by its content, not its name', () => {
    const isa =
      'ISA*00*          *00*          *ZZ*SIMCH          *ZZ*OPENRCM        *260113*1200*^*00501*000000001*0*T*:~';
    expect(
      holds271(`${isa}GS*HB*SIMCH*OPENRCM*20260113*1200*1*X*005010X279A1~ST*271*0001*005010X279A1~`),
    ).toBe(true);
    expect(
      holds271(`${isa}GS*FA*SIMCH*OPENRCM*20260113*1200*1*X*005010X231A1~ST*999*0001*005010X231A1~`),
    ).toBe(false);
    expect(
      holds271(isa.replaceAll('*', '|') + 'GS|HB|A|B|20260113|1200|1|X|005010X279A1~\nST|271|0001~'),
    ).toBe(true);
  });
});
