import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CalendarDate, Instant } from '@openrcm/core';
import { practiceScope, type PracticeScope } from '@openrcm/db';
import { createTestDb, type TestDb } from '@openrcm/db/test-harness';
import { generateToDirectory } from '@openrcm/sim';
import {
  eligibilityResponse,
  officeVisitAnswer,
  parseEligibility,
  rejection,
  writeEligibilityInterchange,
  type EligibilityAnswer,
  type EligibilityTransaction,
} from '@openrcm/x12/270-271';
import { importPath } from '../intake/import.ts';
import { buildClaims } from '../claims/build.ts';
import { codesetsAdapter } from '../scrubber/codesets-adapter.ts';
import { scrubClaims } from '../scrubber/run.ts';
import { inProcessTransport } from '../submission/transport.ts';
import { eligibilityReport, reportCsv, reportHtml } from './report.ts';
import { expireChecks, ingestEligibilityResponses, planChecks, sendChecks } from './run.ts';

// A generated practice's schedule is checked the evening before; a test payer (the x12 library's 271
// builders, no OpenRCM code) answers each inquiry by a scenario chosen from the check id.
let db: TestDb;
let dir: string;
let scope: PracticeScope;
let houseId: number;
const received: string[] = [];
const evening = '2026-01-13T22:00:00.000Z' as Instant;

type Scenario = 'active' | 'typo' | 'inactive' | 'silent' | 'changed';
const scenarioOf = (checkId: number): Scenario =>
  (['active', 'typo', 'inactive', 'silent', 'changed'] as const)[checkId % 5] ?? 'active';

function answer(tx: EligibilityTransaction): EligibilityTransaction | undefined {
  const trace = tx.sources[0]?.receivers[0]?.subscribers[0];
  const member = trace?.dependents[0] ?? trace;
  const id = Number(member?.traces[0]?.referenceId ?? '0');
  const s = scenarioOf(id);
  if (s === 'silent') return undefined;
  return eligibilityResponse(tx, { date: '2026-01-13', time: '2200' }, (m): EligibilityAnswer | undefined => {
    if (m !== member) return undefined;
    if (s === 'typo') return { rejects: [rejection('72', 'C')] };
    if (s === 'inactive') return officeVisitAnswer({ status: 'inactive' });
    return officeVisitAnswer({
      status: 'active',
      planBegin: '2025-01-01',
      // No plan name on the active answer (nothing to compare with the file); a new one on the changed one.
      ...(s === 'changed' ? { planDescription: 'NEW PLAN NAME' } : {}),
      inNetwork: {
        ...(s === 'changed' ? { officeVisitCopayCents: 99900 } : {}),
        deductible: { individual: { totalCents: 100000, remainingCents: 25000 } },
      },
    });
  });
}

beforeAll(async () => {
  db = await createTestDb();
  dir = mkdtempSync(join(tmpdir(), 'openrcm-elig-'));
  generateToDirectory({ practices: 1, months: 1, seed: 5, startDate: '2026-01-05' }, dir);
  expect((await importPath(db, dir)).ok).toBe(true);
  scope = practiceScope((await db.query<{ id: number }>('SELECT id FROM practices')).rows[0]?.id ?? 0);
  const h = await db.query<{ id: number }>(
    `INSERT INTO clearinghouses (code, name, sender_id, receiver_id) VALUES ('t', 'test', 'OPENRCM', 'SIMCH') RETURNING id`,
  );
  houseId = h.rows[0]?.id ?? 0;
  await db.query(`UPDATE payers SET clearinghouse_id = $1 WHERE submission_channel = 'electronic'`, [
    houseId,
  ]);
});

afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the nightly eligibility run', () => {
  it('plans one check per appointment × coverage for the next business day, once', async () => {
    const first = await planChecks(db, scope, { date: '2026-01-13' as CalendarDate, at: evening });
    expect(first.appointments).toBeGreaterThan(0);
    expect(first.checksCreated).toBeGreaterThanOrEqual(first.appointments * 0.8);
    const again = await planChecks(db, scope, { date: '2026-01-13' as CalendarDate, at: evening });
    expect(again.checksCreated).toBe(0);
    const days = await db.query<{ d: string }>(
      'SELECT DISTINCT a.service_date::text AS d FROM eligibility_checks e JOIN appointments a ON a.id = e.appointment_id',
    );
    expect(days.rows).toEqual([{ d: '2026-01-14' }]);
  });

  it('a real-time check asks again for one appointment, whatever was asked before', async () => {
    const one = await db.query<{ appointment_id: number; n: number }>(
      'SELECT appointment_id, count(*)::int AS n FROM eligibility_checks GROUP BY appointment_id ORDER BY appointment_id LIMIT 1',
    );
    const appt = one.rows[0];
    if (appt === undefined) throw new Error('no planned check');
    const r = await planChecks(db, scope, {
      date: '2026-01-20' as CalendarDate,
      at: evening,
      appointmentId: appt.appointment_id,
    });
    expect(r).toEqual({ appointments: 1, checksCreated: appt.n });
    // The extra checks stay out of the nightly flow below: remove them again.
    await db.query(
      'DELETE FROM eligibility_checks WHERE id IN (SELECT id FROM eligibility_checks WHERE appointment_id = $1 ORDER BY id DESC LIMIT $2)',
      [appt.appointment_id, appt.n],
    );
  });

  it('sends the checks as a 270 batch, ingests the 271s and classifies each scenario', async () => {
    const outbox = new Map<string, string>();
    const transport = inProcessTransport({
      outbox,
      receive(name, content) {
        received.push(name);
        const inquiries = parseEligibility(content);
        expect(inquiries.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        const answers = inquiries.value
          .map(answer)
          .filter((x): x is EligibilityTransaction => x !== undefined);
        if (answers.length === 0) return;
        outbox.set(
          `271-${name}`,
          writeEligibilityInterchange(answers, {
            interchange: {
              senderQualifier: 'ZZ',
              senderId: 'SIMCH',
              receiverQualifier: 'ZZ',
              receiverId: 'OPENRCM',
              date: '2026-01-13',
              time: '2200',
              controlNumber: 9,
            },
            senderCode: 'SIMCH',
            receiverCode: 'OPENRCM',
            groupControlNumber: 9,
          }),
        );
      },
    });
    const sent = await sendChecks(db, scope, { at: evening, transports: new Map([[houseId, transport]]) });
    expect(sent.checksSent).toBeGreaterThan(0);
    expect(received).toHaveLength(1);
    const r = await ingestEligibilityResponses(db, outbox.get(`271-${received[0] ?? ''}`) ?? '', {
      at: evening,
    });
    expect(r.unmatched).toBe(0);
    const rows = await db.query<{
      id: number;
      classification: string | null;
      status: string;
      fields: string[] | null;
    }>(
      `SELECT id, classification, status, response_summary->'changedFields' AS fields FROM eligibility_checks
        WHERE batch_id IS NOT NULL ORDER BY id`,
    );
    // Checks to paper-only payers are never sent: unconfirmed at once, with the phone/portal action.
    const paper = await db.query<{ classification: string }>(
      `SELECT DISTINCT classification FROM eligibility_checks WHERE batch_id IS NULL`,
    );
    expect(paper.rows.map((x) => x.classification)).toEqual(paper.rows.length === 0 ? [] : ['unconfirmed']);
    for (const c of rows.rows) {
      const s = scenarioOf(c.id);
      const expected = {
        active: 'unchanged',
        typo: 'not_found',
        inactive: 'lapsed',
        silent: null,
        changed: 'changed',
      }[s];
      expect({ id: c.id, classification: c.classification }).toEqual({ id: c.id, classification: expected });
      if (s === 'changed') expect(c.fields).toEqual(['plan', 'copay']);
    }
  });

  it('a payer that never answers: sent again, then unconfirmed after the retries', async () => {
    const silentBefore =
      (
        await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM eligibility_checks WHERE status = 'pending'`,
        )
      ).rows[0]?.n ?? 0;
    expect(silentBefore).toBeGreaterThan(0);
    const later = (h: number): Instant =>
      new Date(Date.parse(evening) + h * 3_600_000).toISOString() as Instant;
    const retried = await expireChecks(db, scope, { at: later(5), maxAttempts: 2 });
    expect(retried).toEqual({ retried: silentBefore, unconfirmed: 0, released: 0 });
    const noAnswer = inProcessTransport({ outbox: new Map(), receive: () => undefined });
    await sendChecks(db, scope, { at: later(5), transports: new Map([[houseId, noAnswer]]) });
    const closed = await expireChecks(db, scope, { at: later(10), maxAttempts: 2 });
    expect(closed).toEqual({ retried: 0, unconfirmed: silentBefore, released: 0 });
  });

  it('the pre-visit report lists exactly the flagged appointments first, in HTML and CSV', async () => {
    const report = await eligibilityReport(db, scope, '2026-01-14' as CalendarDate);
    const flags = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM eligibility_checks WHERE classification <> 'unchanged'`,
    );
    const flagged = report.rows.filter((r) => r.flagged);
    expect(flagged).toHaveLength(flags.rows[0]?.n ?? -1);
    const firstUnflagged = report.rows.findIndex((r) => !r.flagged);
    expect(
      report.rows.slice(0, firstUnflagged === -1 ? undefined : firstUnflagged).every((r) => r.flagged),
    ).toBe(true);
    expect(report.rows.slice(flagged.length).every((r) => !r.flagged)).toBe(true);
    expect(reportCsv(report).split('\n')[0]).toBe('time,patient,mrn,coverage,payer,result,reason,action');
    expect(reportHtml(report)).toContain('Pre-visit eligibility');
  });

  it('claims of visits whose coverage came back lapsed or not found are held for eligibility (§5)', async () => {
    const at = '2026-01-20T07:00:00.000Z' as Instant;
    await buildClaims(db, scope, { at });
    await scrubClaims(db, scope, { asOf: '2026-01-20' as CalendarDate, at, codeSets: codesetsAdapter() });
    const rows = await db.query<{ classification: string; status: string; held_for_eligibility: boolean }>(
      `SELECT DISTINCT ON (c.id) e.classification, c.status,
              EXISTS (SELECT 1 FROM claim_issues i WHERE i.claim_id = c.id AND i.status = 'open'
                        AND i.rule_key = 'eligibility-hold' AND i.severity = 'error') AS held_for_eligibility
         FROM claims c JOIN encounters en ON en.id = c.encounter_id
         JOIN eligibility_checks e ON e.appointment_id = en.appointment_id AND e.coverage_id = c.coverage_id
        ORDER BY c.id, e.id DESC`,
    );
    const flagged = rows.rows.filter(
      (r) => r.classification === 'lapsed' || r.classification === 'not_found',
    );
    expect(flagged.length).toBeGreaterThan(0);
    for (const r of flagged)
      expect({ status: r.status, eligibility: r.held_for_eligibility }).toEqual({
        status: 'held',
        eligibility: true,
      });
    const fine = rows.rows.filter((r) => r.classification === 'unchanged');
    expect(fine.length).toBeGreaterThan(0);
    expect(fine.every((r) => !r.held_for_eligibility)).toBe(true);
    // Every held claim is one open work item in its hold's queue, and scrubbing again does not add another.
    await scrubClaims(db, scope, {
      asOf: '2026-01-21' as CalendarDate,
      at: '2026-01-21T07:00:00.000Z' as Instant,
      codeSets: codesetsAdapter(),
    });
    const work = await db.query<{ held: number; items: number; dupes: number }>(
      `SELECT (SELECT count(*)::int FROM claims WHERE status = 'held') AS held,
              (SELECT count(*)::int FROM work_items WHERE dedupe_key LIKE 'hold:%' AND status = 'open') AS items,
              (SELECT count(*)::int FROM (SELECT dedupe_key FROM work_items WHERE status = 'open' GROUP BY dedupe_key HAVING count(*) > 1) d) AS dupes`,
    );
    expect(work.rows[0]).toEqual({ held: work.rows[0]?.items, items: work.rows[0]?.held, dupes: 0 });
    expect(work.rows[0]?.held ?? 0).toBeGreaterThan(0);
  });
});
