import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '@openrcm/db';
import { createTestDb, prepareDataDir, testDbKind, type TestDb } from '@openrcm/db/test-harness';
import {
  cas,
  claimPayment,
  createClaim,
  createWorld,
  remittance,
  service,
  write,
} from '../../../engine/src/remittance/fixtures.ts';
import { COMMANDS, run } from '../index.ts';

let env: Record<string, string>;
let testDb: TestDb | undefined;
const dir = mkdtempSync(join(tmpdir(), 'openrcm-report-cli-'));
let practice = '';
let claimId = 0;

async function openrcm(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    commands: COMMANDS,
    env,
    stdout: { write: (t) => void (stdout += t) },
    stderr: { write: (t) => void (stderr += t) },
  });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  let db: Db;
  if (testDbKind() === 'postgres') {
    testDb = await createTestDb();
    env = { DATABASE_URL: testDb.url ?? '' };
    db = testDb;
  } else {
    await prepareDataDir(join(dir, 'data'));
    env = { OPENRCM_DATA_DIR: join(dir, 'data') };
    db = await openDatabase({ dataDir: join(dir, 'data'), migrate: true });
  }
  // A claim of 200.00 (DOS 2026-03-02) and an ERA of 2026-03-02 paying 140.00, CO-45 40.00, PR-2 20.00, posted
  // through the real ERA import: 20.00 stays open, owed by the patient.
  const w = await createWorld(db, 'rep-cli');
  const code = await db.query<{ code: string }>('SELECT code FROM practices WHERE id = $1', [w.practiceId]);
  practice = code.rows[0]?.code ?? '';
  const c = await createClaim(db, w, 'RCLI-1', [
    { procedureCode: '99214', chargeCents: 20000, serviceDate: '2026-03-02' },
  ]);
  claimId = c.claimId;
  const era = remittance(w, 'TRN-RCLI-1', [
    claimPayment('RCLI-1', '1', [
      service('99214', 20000, [cas('CO', ['45', 4000]), cas('PR', ['2', 2000])], {
        ref: c.lineControlNumbers[0] ?? '',
      }),
    ]),
  ]);
  writeFileSync(join(dir, 'era.835'), write([era]));
  if (testDb === undefined) await db.close();
  const imported = await openrcm('era', 'import', join(dir, 'era.835'));
  expect(imported.code).toBe(0);
}, 120_000);

afterAll(async () => {
  await testDb?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe(`openrcm report on ${testDbKind()}`, () => {
  it('prints the monthly report as JSON and CSV, writes HTML and PDF, and drills a figure to its claims', async () => {
    const json = await openrcm(
      'report',
      'monthly',
      '--practice',
      practice,
      '--month',
      '2026-03',
      '--format',
      'json',
    );
    expect(json.stderr).toBe('');
    const r = JSON.parse(json.stdout) as {
      ledgerOpenArCents: number;
      figures: { key: string; value: number | null; numerator?: number; denominator?: number }[];
    };
    const fig = (k: string) => r.figures.find((f) => f.key === k);
    expect(r.ledgerOpenArCents).toBe(2000);
    expect(fig('open_ar_cents')?.value).toBe(2000);
    // As of the due date (2026-04-07) no month of dates of service is 60 days old yet: n/a.
    expect(fig('net_collection_rate')?.value).toBeNull();
    // As of 2026-06-01, March has matured: paid 140.00 of 200.00 − 40.00 contractual.
    const later = await openrcm(
      'report',
      'monthly',
      '--practice',
      practice,
      '--month',
      '2026-03',
      '--format',
      'json',
      '--as-of',
      '2026-06-01',
    );
    const l = JSON.parse(later.stdout) as typeof r & { asOf: string };
    expect(l.asOf).toBe('2026-06-01');
    expect(l.figures.find((f) => f.key === 'net_collection_rate')).toMatchObject({
      numerator: 14000,
      denominator: 16000,
    });

    const csv = await openrcm(
      'report',
      'monthly',
      '--practice',
      practice,
      '--month',
      '2026-03',
      '--format',
      'csv',
    );
    expect(csv.stdout.trimEnd().split('\n')).toHaveLength(r.figures.length + 1);

    for (const format of ['html', 'pdf']) {
      const out = join(dir, `r.${format}`);
      const res = await openrcm(
        'report',
        'monthly',
        '--practice',
        practice,
        '--month',
        '2026-03',
        '--format',
        format,
        '--out',
        out,
      );
      expect(res.code).toBe(0);
      expect(readFileSync(out).subarray(0, 5).toString()).toBe(format === 'pdf' ? '%PDF-' : '<!DOC');
    }

    const drill = await openrcm(
      '--json',
      'report',
      'drill',
      '--metric',
      'ar_aging:0-30',
      '--practice',
      practice,
      '--month',
      '2026-03',
    );
    expect(JSON.parse(drill.stdout)).toMatchObject([
      { claimId, patientControlNumber: 'RCLI-1', openArCents: 2000 },
    ]);
  });

  it('refuses a bad month, an unknown metric and a PDF without --out', async () => {
    const month = await openrcm('report', 'monthly', '--practice', practice, '--month', '2026-13');
    expect(month.code).not.toBe(0);
    expect(month.stderr).toContain('--month');
    const metric = await openrcm(
      'report',
      'drill',
      '--metric',
      'nope',
      '--practice',
      practice,
      '--month',
      '2026-03',
    );
    expect(metric.stderr).toContain('--metric');
    const pdf = await openrcm(
      'report',
      'monthly',
      '--practice',
      practice,
      '--month',
      '2026-03',
      '--format',
      'pdf',
    );
    expect(pdf.stderr).toContain('--out');
    const asOf = await openrcm(
      'report',
      'monthly',
      '--practice',
      practice,
      '--month',
      '2026-03',
      '--as-of',
      '2026-03-40',
    );
    expect(asOf.code).not.toBe(0);
    expect(asOf.stderr).toContain('--as-of');
  });
});
