import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CalendarDate, Instant } from '@openrcm/core';
import { practiceScope } from '@openrcm/db';
import { createTestDb, type TestDb } from '@openrcm/db/test-harness';
import { generateToDirectory } from '@openrcm/sim';
import { buildClaims } from '../claims/build.ts';
import { importPath } from '../intake/import.ts';
import { codesetsAdapter } from './codesets-adapter.ts';
import { scrubClaims } from './run.ts';

/**
 * The scrubber pages by patient: the outcome must not depend on the page size (duplicates inside the run are
 * found across a page boundary too). Two databases with the same data (five visits keyed in twice):
 * one built in pages of 13 encounters and scrubbed in pages of 7 claims, the other in single pages.
 */
const dbs: TestDb[] = [];
let dir: string;
const at = '2026-02-20T07:00:00.000Z' as Instant;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'openrcm-scrub-pages-'));
  generateToDirectory({ practices: 1, months: 1, seed: 17, startDate: '2026-01-05', volume: 0.3 }, dir);
  for (let i = 0; i < 2; i++) {
    const db = await createTestDb();
    expect((await importPath(db, dir)).ok).toBe(true);
    const p = (await db.query<{ id: number }>('SELECT id FROM practices')).rows[0]?.id ?? 0;
    // The same visit keyed in twice: five coded encounters entered again with their charges and diagnoses.
    const copies = await db.query<{ id: number; src: number }>(
      `WITH src AS (SELECT e.* FROM encounters e
                     WHERE e.coding_status = 'coded' AND e.primary_coverage_id IS NOT NULL
                       AND EXISTS (SELECT 1 FROM charges c WHERE c.encounter_id = e.id AND c.status = 'active')
                     ORDER BY e.id LIMIT 5)
       INSERT INTO encounters (practice_id, patient_id, primary_coverage_id, rendering_provider_id, location_id,
                               place_of_service, date_of_service, coding_status, documentation_status,
                               documentation_complete_at, coded_at, external_id, source)
       SELECT practice_id, patient_id, primary_coverage_id, rendering_provider_id, location_id, place_of_service,
              date_of_service, coding_status, documentation_status, documentation_complete_at, coded_at,
              external_id || '-again', source FROM src
       RETURNING id, (SELECT s.id FROM src s WHERE s.external_id || '-again' = encounters.external_id) AS src`,
    );
    for (const c of copies.rows) {
      await db.query(
        `INSERT INTO charges (practice_id, encounter_id, line_number, procedure_code, modifiers, units, charge_cents,
                              diagnosis_pointers, service_date, status, authorization_id)
         SELECT practice_id, $1, line_number, procedure_code, modifiers, units, charge_cents, diagnosis_pointers,
                service_date, status, authorization_id FROM charges WHERE encounter_id = $2`,
        [c.id, c.src],
      );
      await db.query(
        `INSERT INTO encounter_diagnoses (practice_id, encounter_id, icd10_code, sequence)
         SELECT practice_id, $1, icd10_code, sequence FROM encounter_diagnoses WHERE encounter_id = $2`,
        [c.id, c.src],
      );
    }
    await buildClaims(db, practiceScope(p), { at, pageSize: i === 0 ? 13 : 100_000 });
    dbs.push(db);
  }
}, 300_000);

afterAll(async () => {
  for (const db of dbs) await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('scrubbing in pages', () => {
  it('gives every claim the same status and issues whatever the page size (and builds the same claims in pages)', async () => {
    const outcomes: string[][] = [];
    for (const [i, db] of dbs.entries()) {
      const p = (await db.query<{ id: number }>('SELECT id FROM practices')).rows[0]?.id ?? 0;
      const r = await scrubClaims(db, practiceScope(p), {
        asOf: '2026-02-20' as CalendarDate,
        at,
        codeSets: codesetsAdapter(),
        pageSize: i === 0 ? 7 : 100_000,
      });
      expect(r.scrubbed).toBeGreaterThan(100);
      const rows = await db.query<{ k: string }>(
        `SELECT c.encounter_id || ':' || c.status || ':' ||
                COALESCE((SELECT string_agg(rule_key, ',' ORDER BY rule_key) FROM claim_issues i WHERE i.claim_id = c.id), '') AS k
           FROM claims c ORDER BY c.encounter_id`,
      );
      outcomes.push(rows.rows.map((x) => x.k));
    }
    expect(outcomes[0]).toEqual(outcomes[1]);
    expect(outcomes[0]?.some((k) => k.includes('duplicate-claim'))).toBe(true);
  }, 300_000);
});
