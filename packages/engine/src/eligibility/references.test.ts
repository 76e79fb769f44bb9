import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CalendarDate, Instant } from '@openrcm/core';
import { practiceScope, type PracticeScope } from '@openrcm/db';
import { createTestDb, refusalState as refused, type TestDb } from '@openrcm/db/test-harness';
import { generateToDirectory } from '@openrcm/sim';
import { importPath } from '../intake/import.ts';
import { planChecks } from './run.ts';

/**
 * Migration 0015: the references of eligibility_checks (patient, coverage, appointment, batch, payer) are checked
 * once per statement (and per row on an UPDATE that changes one other than the batch) instead of by foreign keys.
 * These scenarios are what the foreign keys refused: each must still be refused, with SQLSTATE 23503, and nothing
 * half-written.
 */

let db: TestDb;
let dir: string;
let scope: PracticeScope;
let check: { id: number; patient: number; coverage: number; appointment: number; payer: number };
let batchId: number;
let houseId: number;
const at = '2026-01-13T22:00:00.000Z' as Instant;

const newBatch = async (): Promise<number> =>
  (
    await db.query<{ id: number }>(
      `INSERT INTO submission_batches (practice_id, clearinghouse_id, transaction_type, status, item_count, created_at)
       VALUES ($1, $2, '270', 'building', 0, $3) RETURNING id`,
      [scope.practiceId, houseId, at],
    )
  ).rows[0]?.id ?? 0;

const count = async (): Promise<number> =>
  (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM eligibility_checks')).rows[0]?.n ?? -1;

beforeAll(async () => {
  db = await createTestDb();
  dir = mkdtempSync(join(tmpdir(), 'openrcm-elig-refs-'));
  generateToDirectory({ practices: 2, months: 1, seed: 5, startDate: '2026-01-05' }, dir);
  expect((await importPath(db, dir)).ok).toBe(true);
  const p = await db.query<{ id: number }>('SELECT id FROM practices ORDER BY id');
  scope = practiceScope(p.rows[0]?.id ?? 0);
  const planned = await planChecks(db, scope, { date: '2026-01-13' as CalendarDate, at });
  expect(planned.checksCreated).toBeGreaterThan(0);
  const c = await db.query<{ id: number; patient: number; coverage: number; appointment: number; payer: number }>(
    `SELECT id, patient_id AS patient, coverage_id AS coverage, appointment_id AS appointment, payer_id AS payer
       FROM eligibility_checks WHERE practice_id = $1 ORDER BY id LIMIT 1`,
    [scope.practiceId],
  );
  const row = c.rows[0];
  if (row === undefined) throw new Error('no check planned');
  check = row;
  const h = await db.query<{ id: number }>(
    `INSERT INTO clearinghouses (code, name, sender_id, receiver_id) VALUES ('r', 'refs', 'OPENRCM', 'SIMCH') RETURNING id`,
  );
  houseId = h.rows[0]?.id ?? 0;
  batchId = await newBatch();
});

afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('eligibility check references checked per statement (migration 0015)', () => {
  it('a batch of checks naming one unknown appointment is refused whole', async () => {
    const before = await count();
    const state = await refused(
      db.query(
        `INSERT INTO eligibility_checks (practice_id, patient_id, coverage_id, appointment_id, payer_id, origin)
         SELECT $1, $2, $3, t.id, $4, 'real_time' FROM unnest($5::bigint[]) AS t(id)`,
        [scope.practiceId, check.patient, check.coverage, check.payer, [check.appointment, 987_654_321]],
      ),
    );
    expect(state).toBe('23503');
    expect(await count()).toBe(before);
    // The same row with the known appointment goes in.
    await db.query(
      `INSERT INTO eligibility_checks (practice_id, patient_id, coverage_id, appointment_id, payer_id, origin)
       VALUES ($1, $2, $3, $4, $5, 'real_time')`,
      [scope.practiceId, check.patient, check.coverage, check.appointment, check.payer],
    );
    expect(await count()).toBe(before + 1);
  });

  it('a check naming a patient, coverage or batch of another practice, or an unknown payer, is refused', async () => {
    const other = await db.query<{ id: number }>('SELECT id FROM practices WHERE id <> $1 LIMIT 1', [
      scope.practiceId,
    ]);
    const otherPractice = other.rows[0]?.id;
    expect(otherPractice).toBeDefined();
    const insert = (practice: number | undefined, payer: number, batch: number | null) =>
      db.query(
        `INSERT INTO eligibility_checks (practice_id, patient_id, coverage_id, appointment_id, payer_id, batch_id, origin)
         VALUES ($1, $2, $3, NULL, $4, $5, 'real_time')`,
        [practice, check.patient, check.coverage, payer, batch],
      );
    expect(await refused(insert(otherPractice, check.payer, null))).toBe('23503');
    expect(await refused(insert(scope.practiceId, 987_654_321, null))).toBe('23503');
    expect(await refused(insert(scope.practiceId, check.payer, 987_654_321))).toBe('23503');
    await insert(scope.practiceId, check.payer, batchId);
  });

  it('an update to an unknown batch or coverage is refused; a status update or a known batch goes through', async () => {
    expect(
      await refused(db.query('UPDATE eligibility_checks SET batch_id = 987654321 WHERE id = $1', [check.id])),
    ).toBe('23503');
    expect(
      await refused(db.query('UPDATE eligibility_checks SET coverage_id = 987654321 WHERE id = $1', [check.id])),
    ).toBe('23503');
    // Many rows to one unknown batch: refused whole.
    expect(
      await refused(
        db.query('UPDATE eligibility_checks SET batch_id = 987654321 WHERE practice_id = $1', [scope.practiceId]),
      ),
    ).toBe('23503');
    const claimed = await db.query('UPDATE eligibility_checks SET batch_id = $2 WHERE id = $1', [check.id, batchId]);
    expect(claimed.rowCount).toBe(1);
    await db.query(`UPDATE eligibility_checks SET attempts = attempts + 1 WHERE id = $1`, [check.id]);
  });

  it('deleting, re-keying or truncating a referenced row is refused: patient, coverage, appointment, payer, batch', async () => {
    const before = await count();
    // The checks are the only rows naming these (the generated data has no encounter for the first checks' day
    // or claim for them): the refusal comes from eligibility_checks.
    expect(await refused(db.query('DELETE FROM submission_batches WHERE id = $1', [batchId]))).toBe('23503');
    expect(
      await refused(db.query('UPDATE submission_batches SET id = id + 900000000 WHERE id = $1', [batchId])),
    ).toBe('23503');
    expect(await refused(db.query('DELETE FROM appointments WHERE id = $1', [check.appointment]))).toBe('23503');
    expect(await refused(db.query('DELETE FROM coverages WHERE id = $1', [check.coverage]))).toBe('23503');
    expect(await refused(db.query('DELETE FROM patients WHERE id = $1', [check.patient]))).toBe('23503');
    expect(await refused(db.query('DELETE FROM payers WHERE id = $1', [check.payer]))).toBe('23503');
    // With the tables foreign keys still tie to the batches (no acknowledgement names them here), so the
    // refusal is the trigger's and not the foreign key's 0A000.
    expect(await refused(db.query('TRUNCATE submission_batches, acknowledgements, ack_claim_results'))).toBe('23503');
    expect(await count()).toBe(before);
  });

  it('a batch no check names can still be deleted', async () => {
    const del = await db.query('DELETE FROM submission_batches WHERE id = $1', [await newBatch()]);
    expect(del.rowCount).toBe(1);
  });
});
