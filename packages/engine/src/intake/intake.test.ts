import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '@openrcm/db/test-harness';
import { generateToDirectory } from '@openrcm/sim';
import { importPath } from './import.ts';
import { parseCsv } from './read.ts';

let db: TestDb;
let dir: string;

beforeAll(async () => {
  db = await createTestDb();
  dir = mkdtempSync(join(tmpdir(), 'openrcm-intake-'));
  // A small generated practice: one month of a single practice's schedule.
  generateToDirectory({ practices: 1, months: 1, seed: 7, startDate: '2026-01-01' }, join(dir, 'set'));
});

afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function count(table: string): Promise<number> {
  const r = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return r.rows[0]?.n ?? -1;
}

function lines(file: string): string[] {
  return readFileSync(join(dir, 'set', file), 'utf8')
    .split('\n')
    .filter((l) => l !== '');
}

describe('importing practice files', () => {
  it('a bad row rejects its whole file with file, line and field, and writes nothing of it', async () => {
    // A copy of the data set whose charges file has a malformed procedure code on its third row.
    const bad = join(dir, 'bad');
    generateToDirectory({ practices: 1, months: 1, seed: 7, startDate: '2026-01-01' }, bad);
    const charges = readFileSync(join(bad, 'charges.jsonl'), 'utf8').split('\n');
    const row = JSON.parse(charges[2] ?? '{}') as Record<string, unknown>;
    row['code'] = '99X1';
    charges[2] = JSON.stringify(row);
    writeFileSync(join(bad, 'charges.jsonl'), charges.join('\n'));
    const r = await importPath(db, bad);
    expect(r.ok).toBe(false);
    const file = r.files.find((f) => f.entity === 'charges');
    expect(file?.status).toBe('rejected');
    expect(file?.errors).toEqual([
      { file: 'charges.jsonl', line: 3, field: 'code', message: 'must be a CPT or HCPCS code' },
    ]);
    expect(await count('charges')).toBe(0);
    // The files before it imported (each file is its own transaction).
    expect(await count('encounters')).toBe(lines('encounters.jsonl').length);
  });

  it('imports a generated data set, then a re-import changes nothing', async () => {
    const first = await importPath(db, join(dir, 'set'));
    expect(first.ok).toBe(true);
    expect(first.files.find((f) => f.entity === 'ground_truth')?.status).toBe('skipped');
    expect(await count('charges')).toBe(lines('charges.jsonl').length);
    expect(await count('patients')).toBe(lines('patients.jsonl').length);
    expect(await count('coverages')).toBe(lines('coverages.jsonl').length);
    const diagnoses = lines('encounters.jsonl').reduce(
      (n, l) => n + (JSON.parse(l) as { diagnoses: string[] }).diagnoses.length,
      0,
    );
    expect(await count('encounter_diagnoses')).toBe(diagnoses);
    const before = await db.query("SELECT md5(string_agg(t::text, ',' ORDER BY t.id)) AS h FROM charges t");
    const again = await importPath(db, join(dir, 'set'));
    expect(again.ok).toBe(true);
    expect(again.files.every((f) => f.rowsInserted === 0)).toBe(true);
    const after = await db.query("SELECT md5(string_agg(t::text, ',' ORDER BY t.id)) AS h FROM charges t");
    expect(after.rows).toEqual(before.rows);
  });

  it('money arrives as integer cents and keeps its value to the cent', async () => {
    const total = lines('charges.jsonl').reduce(
      (s, l) => s + (JSON.parse(l) as { chargeCents: number }).chargeCents,
      0,
    );
    const r = await db.query<{ s: number }>('SELECT sum(charge_cents)::bigint AS s FROM charges');
    expect(Number(r.rows[0]?.s)).toBe(total);
  });

  it('a reference to an unknown row is a located error naming the field, never the value', async () => {
    const f = join(dir, 'one', 'encounters.jsonl');
    const row = JSON.parse(lines('encounters.jsonl')[0] ?? '{}') as Record<string, unknown>;
    row['encounterId'] = 'NEW-ENCOUNTER';
    row['patientId'] = 'NO-SUCH-PATIENT';
    mkdirSync(join(dir, 'one'), { recursive: true });
    writeFileSync(f, `${JSON.stringify(row)}\n`);
    const r = await importPath(db, f);
    expect(r.files[0]?.status).toBe('rejected');
    expect(r.files[0]?.errors).toEqual([
      { file: 'encounters.jsonl', line: 1, field: 'patientId', message: 'names no patient of this practice' },
    ]);
    expect(JSON.stringify(r)).not.toContain('NO-SUCH-PATIENT');
  });

  it("a charge's own rendering provider and a payer's one-provider-per-claim rule import (split rules)", async () => {
    const charge = JSON.parse(lines('charges.jsonl')[0] ?? '{}') as Record<string, unknown>;
    const provider = JSON.parse(lines('providers.jsonl')[1] ?? '{}') as Record<string, unknown>;
    const payer = JSON.parse(lines('payers.jsonl')[0] ?? '{}') as Record<string, unknown>;
    mkdirSync(join(dir, 'split'), { recursive: true });
    const write = (file: string, row: Record<string, unknown>): string => {
      const f = join(dir, 'split', file);
      writeFileSync(f, `${JSON.stringify(row)}\n`);
      return f;
    };
    // An unknown provider is a located error; a known one is stored on the charge.
    const unknown = await importPath(
      db,
      write('charges.jsonl', {
        ...charge,
        chargeId: 'NEW-CHARGE',
        lineNumber: 51,
        renderingProviderId: 'NOBODY',
      }),
    );
    expect(unknown.files[0]?.errors).toEqual([
      {
        file: 'charges.jsonl',
        line: 1,
        field: 'renderingProviderId',
        message: 'names no provider of this practice',
      },
    ]);
    const known = await importPath(
      db,
      write('charges.jsonl', {
        ...charge,
        chargeId: 'NEW-CHARGE',
        lineNumber: 51,
        renderingProviderId: provider['providerId'],
      }),
    );
    expect(known.ok).toBe(true);
    const stored = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM charges ch JOIN providers p ON p.id = ch.rendering_provider_id
        WHERE ch.line_number = 51 AND p.external_id = $1`,
      [provider['providerId']],
    );
    expect(stored.rows[0]?.n).toBe(1);
    const bad = await importPath(
      db,
      write('payers.jsonl', { ...payer, payerId: 'NEWPAYER', claimPerRenderingProvider: 'sometimes' }),
    );
    expect(bad.files[0]?.errors).toEqual([
      { file: 'payers.jsonl', line: 1, field: 'claimPerRenderingProvider', message: 'must be true or false' },
    ]);
    const good = await importPath(
      db,
      write('payers.jsonl', { ...payer, payerId: 'NEWPAYER', claimPerRenderingProvider: true }),
    );
    expect(good.ok).toBe(true);
    const flag = await db.query<{ f: boolean }>(
      "SELECT claim_per_rendering_provider AS f FROM payers WHERE payer_code = 'NEWPAYER'",
    );
    expect(flag.rows[0]?.f).toBe(true);
  });

  it('reads CSV with quoted cells, doubled quotes and line breaks inside quotes', () => {
    expect(parseCsv('a,b,c\n1,"x, y","say ""hi"""\n2,"two\nlines",\n')).toEqual([
      { line: 1, cells: ['a', 'b', 'c'] },
      { line: 2, cells: ['1', 'x, y', 'say "hi"'] },
      { line: 3, cells: ['2', 'two\nlines', ''] },
    ]);
  });

  it('imports the same data set written as CSV (lists joined with |)', async () => {
    const csvDb = await createTestDb();
    try {
      const csvDir = join(dir, 'csv');
      generateToDirectory({ practices: 1, months: 1, seed: 7, startDate: '2026-01-01' }, csvDir, {
        format: 'csv',
      });
      const r = await importPath(csvDb, csvDir);
      expect(r.files.filter((f) => f.status === 'rejected').flatMap((f) => f.errors)).toEqual([]);
      const n = await csvDb.query<{ n: number }>('SELECT count(*)::int AS n FROM charges');
      expect(n.rows[0]?.n).toBe(lines('charges.jsonl').length);
    } finally {
      await csvDb.close();
    }
  });
});
