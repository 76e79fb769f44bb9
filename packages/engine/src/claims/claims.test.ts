import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Instant } from '@openrcm/core';
import { practiceScope, type PracticeScope } from '@openrcm/db';
import { createTestDb, type TestDb } from '@openrcm/db/test-harness';
import { generateToDirectory } from '@openrcm/sim';
import { read837P } from '@openrcm/x12/837p';
import { importPath } from '../intake/import.ts';
import { testInterchange } from '../submission/fixtures.ts';
import { buildClaims } from './build.ts';
import { loadClaims } from './load.ts';

let db: TestDb;
let dir: string;
let scope: PracticeScope;
const at = '2026-02-05T06:00:00.000Z' as Instant;

beforeAll(async () => {
  db = await createTestDb();
  dir = mkdtempSync(join(tmpdir(), 'openrcm-claims-'));
  generateToDirectory({ practices: 1, months: 1, seed: 11, startDate: '2026-01-01' }, dir);
  const r = await importPath(db, dir);
  expect(r.ok).toBe(true);
  const p = await db.query<{ id: number }>('SELECT id FROM practices');
  scope = practiceScope(p.rows[0]?.id ?? 0);
});

afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('claim construction from coded encounters', () => {
  it('builds one claim per coded encounter with a primary coverage, a line per charge, and is idempotent', async () => {
    const encounters = readFileSync(join(dir, 'encounters.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    const withPrimary = encounters.filter(
      (l) => (JSON.parse(l) as { primaryCoverageId: string | null }).primaryCoverageId !== null,
    );
    const first = await buildClaims(db, scope, { at });
    expect(first.claimsBuilt).toBe(withPrimary.length);
    expect(first.encountersConsidered).toBe(encounters.length);
    const charges = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM charges ch JOIN encounters e ON e.id = ch.encounter_id WHERE e.primary_coverage_id IS NOT NULL',
    );
    expect(first.linesBuilt).toBe(charges.rows[0]?.n);
    const again = await buildClaims(db, scope, { at });
    expect(again.claimsBuilt).toBe(0);
    // CLM02 = Σ SV102 for every version, and every claim has its 'draft' history row.
    const unbalanced = await db.query(
      `SELECT v.id FROM claim_versions v JOIN claim_lines l ON l.claim_version_id = v.id
        GROUP BY v.id, v.total_charge_cents HAVING v.total_charge_cents <> sum(l.charge_cents)`,
    );
    expect(unbalanced.rows).toEqual([]);
    const history = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM claim_status_history WHERE to_status = 'draft'",
    );
    expect(history.rows[0]?.n).toBe(first.claimsBuilt);
  });

  it('writes the claims as an 837P that OpenRCM reads back with no error, REF*6R on every line', async () => {
    const ids = await db.query<{ id: number }>('SELECT id FROM claims ORDER BY id LIMIT 200');
    const claims = await loadClaims(
      db,
      scope,
      ids.rows.map((r) => r.id),
    );
    expect(claims).toHaveLength(ids.rows.length);
    const text = testInterchange(claims);
    const read = read837P(text);
    expect(read.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    // The writer groups claims under their subscriber's HL, so compare per claim, not by position.
    const back = new Map(
      (read.value.transactions[0]?.claims ?? []).map((c) => [c.claim.patientControlNumber, c]),
    );
    expect([...back.keys()].sort()).toEqual(claims.map((c) => c.patientControlNumber).sort());
    for (const c of claims) {
      const b = back.get(c.patientControlNumber);
      expect(b?.claim.totalChargeCents).toBe(c.totalChargeCents);
      expect(b?.lines.map((l) => l.lineControlNumber)).toEqual(c.lines.map((l) => l.lineControlNumber));
      expect(b?.lines.reduce((s, l) => s + l.chargeCents, 0)).toBe(c.totalChargeCents);
    }
    // No patient data in the serialized claim objects' JSON form (Phi is redacted).
    expect(JSON.stringify(claims[0])).toContain('[PHI]');
  });
});
