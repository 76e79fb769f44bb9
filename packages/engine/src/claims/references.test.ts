import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Instant } from '@openrcm/core';
import { practiceScope, type PracticeScope } from '@openrcm/db';
import { createTestDb, type TestDb } from '@openrcm/db/test-harness';
import { generateToDirectory } from '@openrcm/sim';
import { importPath } from '../intake/import.ts';
import { buildClaims } from './build.ts';

/**
 * Migration 0014: the references of claims, versions, lines, history, issues and batch membership are checked once
 * per statement (and per row on an UPDATE that changes them) instead of by foreign keys. These scenarios are what the
 * foreign keys refused: each must still be refused, with SQLSTATE 23503, and nothing half-written.
 */

let db: TestDb;
let dir: string;
let scope: PracticeScope;
let claim: { id: number; version: number; patient: number; coverage: number; line: number; charge: number };
const at = '2026-02-05T06:00:00.000Z' as Instant;

async function refused(p: Promise<unknown>): Promise<string | null> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e, 'the statement was accepted').toBeDefined();
  return (e as { details?: Record<string, unknown> }).details?.['sqlstate'] as string | null;
}

beforeAll(async () => {
  db = await createTestDb();
  dir = mkdtempSync(join(tmpdir(), 'openrcm-claim-refs-'));
  generateToDirectory({ practices: 2, months: 1, seed: 5, startDate: '2026-01-01' }, dir);
  expect((await importPath(db, dir)).ok).toBe(true);
  const p = await db.query<{ id: number }>('SELECT id FROM practices ORDER BY id');
  scope = practiceScope(p.rows[0]?.id ?? 0);
  const built = await buildClaims(db, scope, { at });
  expect(built.claimsBuilt).toBeGreaterThan(0);
  const c = await db.query<{
    id: number;
    version: number;
    patient: number;
    coverage: number;
    line: number;
    charge: number;
  }>(
    `SELECT c.id, v.id AS version, c.patient_id AS patient, c.coverage_id AS coverage, l.id AS line, l.charge_id AS charge
       FROM claims c JOIN claim_versions v ON v.claim_id = c.id JOIN claim_lines l ON l.claim_version_id = v.id
      WHERE c.practice_id = $1 ORDER BY c.id, l.line_number LIMIT 1`,
    [scope.practiceId],
  );
  const row = c.rows[0];
  if (row === undefined) throw new Error('no claim built');
  claim = row;
});

afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('claim references checked per statement (migration 0014)', () => {
  it('a batch of history rows naming one unknown claim is refused whole', async () => {
    const before = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM claim_status_history');
    const state = await refused(
      db.query(
        `INSERT INTO claim_status_history (practice_id, claim_id, from_status, to_status, at, actor)
         SELECT $1, t.id, NULL, 'draft', $2, 'system:test' FROM unnest($3::bigint[]) AS t(id)`,
        [scope.practiceId, at, [claim.id, claim.id, 987_654_321]],
      ),
    );
    expect(state).toBe('23503');
    const after = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM claim_status_history');
    expect(after.rows[0]?.n).toBe(before.rows[0]?.n);
    // The same rows without the unknown claim go in.
    await db.query(
      `INSERT INTO claim_status_history (practice_id, claim_id, claim_version_id, from_status, to_status, at, actor)
       VALUES ($1, $2, $3, 'draft', 'draft', $4, 'system:test')`,
      [scope.practiceId, claim.id, claim.version, at],
    );
  });

  it('a line naming a version of another practice is refused (composite reference)', async () => {
    const other = await db.query<{ practice_id: number }>(
      'SELECT id AS practice_id FROM practices WHERE id <> $1 LIMIT 1',
      [scope.practiceId],
    );
    const otherPractice = other.rows[0]?.practice_id;
    expect(otherPractice).toBeDefined();
    const state = await refused(
      db.query(
        `INSERT INTO claim_lines (practice_id, claim_version_id, claim_id, line_number, line_control_number, procedure_code,
                                  units, charge_cents, diagnosis_pointers, service_date_from, service_date_to)
         VALUES ($1, $2, $3, 49, 'REFTEST1', '99213', 1, 100, '{1}', '2026-01-05', '2026-01-05')`,
        [otherPractice, claim.version, claim.id],
      ),
    );
    expect(state).toBe('23503');
  });

  it('a claim naming an unknown patient, or updated to an unknown coverage, is refused', async () => {
    const insert = await refused(
      db.query(
        `INSERT INTO claims (practice_id, encounter_id, patient_id, coverage_id, payer_id, responsibility,
                             patient_control_number, billing_provider_id, rendering_provider_id, location_id, status)
         SELECT practice_id, encounter_id, 987654321, coverage_id, payer_id, 'primary', 'REFTEST2', billing_provider_id,
                rendering_provider_id, location_id, 'draft' FROM claims WHERE id = $1`,
        [claim.id],
      ),
    );
    expect(insert).toBe('23503');
    const update = await refused(
      db.query('UPDATE claims SET coverage_id = 987654321 WHERE id = $1', [claim.id]),
    );
    expect(update).toBe('23503');
    // A status update (no reference changes) is not checked and goes through.
    await db.query(`UPDATE claims SET updated_at = updated_at WHERE id = $1`, [claim.id]);
  });

  it('deleting or re-keying a referenced row is refused: patient, coverage, charge, claim, version', async () => {
    expect(await refused(db.query('DELETE FROM patients WHERE id = $1', [claim.patient]))).toBe('23503');
    expect(await refused(db.query('DELETE FROM coverages WHERE id = $1', [claim.coverage]))).toBe('23503');
    expect(await refused(db.query('DELETE FROM charges WHERE id = $1', [claim.charge]))).toBe('23503');
    expect(await refused(db.query('UPDATE charges SET id = id + 900000000 WHERE id = $1', [claim.charge]))).toBe(
      '23503',
    );
    expect(await refused(db.query('DELETE FROM claim_versions WHERE id = $1', [claim.version]))).toBe('23503');
    expect(await refused(db.query('DELETE FROM claims WHERE id = $1', [claim.id]))).toBe('23503');
    expect(await refused(db.query('TRUNCATE charges'))).toBe('23503');
    const still = await db.query('SELECT 1 FROM claim_lines WHERE id = $1', [claim.line]);
    expect(still.rows).toHaveLength(1);
  });

  it('a charge no line names can still be deleted', async () => {
    const free = await db.query<{ id: number }>(
      `INSERT INTO charges (practice_id, encounter_id, line_number, procedure_code, units, charge_cents,
                            diagnosis_pointers, service_date)
       SELECT practice_id, encounter_id, 50, '99213', 1, 100, '{1}', service_date FROM charges WHERE id = $1
       RETURNING id`,
      [claim.charge],
    );
    const id = free.rows[0]?.id;
    const del = await db.query('DELETE FROM charges WHERE id = $1', [id]);
    expect(del.rowCount).toBe(1);
  });
});
