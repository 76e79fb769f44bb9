import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, isBusinessDay, type CalendarDate, type Instant } from '@openrcm/core';
import { practiceScope, type PracticeScope } from '@openrcm/db';
import { createTestDb, type TestDb } from '@openrcm/db/test-harness';
import { generateToDirectory } from '@openrcm/sim';
import {
  inProcessClearinghouse,
  loadPayerKnowledge,
  type InProcessEndpoint,
} from '@openrcm/sim/clearinghouse';
// The simulated payers' outage calendar, to pick a day a payer's eligibility system is down.
import { eligibilityOutage } from '../../../sim/src/payers/eligibility.ts';
import { importPath } from '../intake/import.ts';
import { inProcessTransport, type ClearinghouseTransport } from '../submission/transport.ts';
import { expireChecks, ingestEligibilityResponses, planChecks, sendChecks } from './run.ts';

// The nightly run against the simulated clearinghouse and payers (in process, the same code the SFTP server
// runs): a cardiology practice (specialist copays on file) and a family practice (primary care copays).
let db: TestDb;
let dir: string;
let ch: InProcessEndpoint;
let today = '2026-01-13';
let transports: Map<number, ClearinghouseTransport>;
const scopes: { code: string; scope: PracticeScope }[] = [];
const sent270: string[] = [];

const at = (date: string, hour: number): Instant =>
  `${date}T${String(hour).padStart(2, '0')}:00:00.000Z` as Instant;

/** Picks up every 271 waiting and ingests it; other files (999s) are left alone. */
async function pickup(when: Instant): Promise<{ answered: number; retryLater: number; duplicates: number }> {
  const total = { answered: 0, retryLater: 0, duplicates: 0 };
  for (const name of [...ch.outbox.keys()].sort()) {
    if (!name.includes('-271-')) continue;
    const r = await ingestEligibilityResponses(db, ch.outbox.get(name) ?? '', { at: when });
    expect(r.unmatched).toBe(0);
    total.answered += r.answered;
    total.retryLater += r.retryLater;
    total.duplicates += r.duplicates;
    ch.outbox.delete(name);
  }
  return total;
}

beforeAll(async () => {
  db = await createTestDb();
  dir = mkdtempSync(join(tmpdir(), 'openrcm-elig-sim-'));
  generateToDirectory(
    {
      practices: 2,
      months: 1,
      seed: 11,
      startDate: '2026-01-05',
      volume: 0.3,
      specialties: ['cardiology', 'family_medicine'],
    },
    dir,
  );
  expect((await importPath(db, dir)).ok).toBe(true);
  const k = loadPayerKnowledge(dir);
  ch = inProcessClearinghouse(
    { setup: k.data, authorizations: k.data.authorizations, seed: 11, id: 'SIMCH' },
    () => today,
  );
  const h = await db.query<{ id: number }>(
    `INSERT INTO clearinghouses (code, name, sender_id, receiver_id) VALUES ('sim', 'sim', 'OPENRCM', 'SIMCH') RETURNING id`,
  );
  const houseId = h.rows[0]?.id ?? 0;
  await db.query(`UPDATE payers SET clearinghouse_id = $1 WHERE submission_channel = 'electronic'`, [
    houseId,
  ]);
  const inner = inProcessTransport(ch);
  transports = new Map([
    [
      houseId,
      {
        ...inner,
        send: async (name: string, content: string) => {
          sent270.push(content);
          await inner.send(name, content);
        },
      },
    ],
  ]);
  const ps = await db.query<{ id: number; code: string }>('SELECT id, code FROM practices ORDER BY id');
  for (const p of ps.rows) scopes.push({ code: p.code, scope: practiceScope(p.id) });
}, 120_000);

afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('eligibility against the simulated payers', () => {
  it('asks about the scheduled provider, and compares the copay of that provider’s tier', async () => {
    const evening = at(today, 22);
    for (const { scope } of scopes) {
      await planChecks(db, scope, { date: today as CalendarDate, at: evening });
      await sendChecks(db, scope, { at: evening, transports });
    }
    expect(sent270.length).toBeGreaterThan(0);
    // 2100B: the appointment's provider (NM1*1P*1 with the NPI) and PRV*PE with the taxonomy.
    const providers = await db.query<{ npi: string; taxonomy_code: string }>(
      'SELECT npi, taxonomy_code FROM providers',
    );
    const text = sent270.join('\n');
    const asked = providers.rows.filter((p) => text.includes(`NM1*1P*1*`) && text.includes(`*XX*${p.npi}~`));
    expect(asked.length).toBeGreaterThan(0);
    for (const p of asked) expect(text).toContain(`PRV*PE*PXC*${p.taxonomy_code}~`);
    const r = await pickup(evening);
    expect(r.answered).toBeGreaterThan(0);

    const rows = await db.query<{
      specialty_tax: string;
      classification: string;
      fields: string[] | null;
      copay_on_file: number | null;
      copay_271: number | null;
      tier: string | null;
    }>(
      `SELECT pv.taxonomy_code AS specialty_tax, e.classification, c.copay_cents::int AS copay_on_file,
              ARRAY(SELECT jsonb_array_elements_text(e.response_summary->'changedFields')) AS fields,
              (e.response_summary->'facts'->>'copayCents')::int AS copay_271,
              e.response_summary->'facts'->>'copayTier' AS tier
         FROM eligibility_checks e
         JOIN coverages c ON c.id = e.coverage_id
         JOIN appointments a ON a.id = e.appointment_id
         JOIN providers pv ON pv.id = a.provider_id
        WHERE e.status = 'responded'`,
    );
    const answered = rows.rows.filter((x) => x.classification !== 'not_found' && x.copay_271 !== null);
    expect(answered.length).toBeGreaterThan(10);
    // The generator put no copay change in: every copay the payer announced is the one on file.
    for (const x of answered)
      expect({ ...x, fields: x.fields }).toMatchObject({ copay_271: x.copay_on_file });
    expect(rows.rows.filter((x) => (x.fields ?? []).includes('copay'))).toEqual([]);
    // Both tiers occur (cardiologists and their PAs: specialist; family physicians and NPs: primary care).
    expect(new Set(answered.map((x) => x.tier).filter((t) => t !== null))).toEqual(
      new Set(['specialist', 'primary_care']),
    );
  }, 120_000);

  it('runs twice, and twice at once, without planning or sending anything twice', async () => {
    const date = addDays(today as CalendarDate, 1);
    today = date;
    const evening = at(date, 22);
    const before = sent270.length;
    for (const { scope } of scopes) {
      const [a, b] = await Promise.all([
        planChecks(db, scope, { date, at: evening }),
        planChecks(db, scope, { date, at: evening }),
      ]);
      const again = await planChecks(db, scope, { date, at: evening });
      expect(again.checksCreated).toBe(0);
      const planned = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM eligibility_checks e JOIN appointments ap ON ap.id = e.appointment_id
          WHERE e.practice_id = $1 AND ap.service_date = $2`,
        [scope.practiceId, addDays(date, 1)],
      );
      expect(a.checksCreated + b.checksCreated).toBe(planned.rows[0]?.n);
      const [s1, s2] = await Promise.all([
        sendChecks(db, scope, { at: evening, transports, maxPerFile: 7 }),
        sendChecks(db, scope, { at: evening, transports, maxPerFile: 7 }),
      ]);
      const third = await sendChecks(db, scope, { at: evening, transports });
      expect(third.checksSent).toBe(0);
      const electronic = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM eligibility_checks e JOIN appointments ap ON ap.id = e.appointment_id
          WHERE e.practice_id = $1 AND ap.service_date = $2 AND e.batch_id IS NOT NULL`,
        [scope.practiceId, addDays(date, 1)],
      );
      expect(s1.checksSent + s2.checksSent).toBe(electronic.rows[0]?.n);
    }
    // Every check went out in exactly one 270 (its TRN02 once over all files sent this evening).
    const traces = sent270.slice(before).flatMap((t) => [...t.matchAll(/TRN\*1\*(\d+)\*/g)].map((m) => m[1]));
    expect(new Set(traces).size).toBe(traces.length);
    // Every answer recorded once, even when the same 271 file is ingested twice.
    const files = [...ch.outbox.entries()].filter(([n]) => n.includes('-271-'));
    const first = await pickup(evening);
    expect(first.answered).toBe(traces.length);
    const replay = await ingestEligibilityResponses(db, files[0]?.[1] ?? '', { at: evening });
    expect(replay.answered).toBe(0);
    expect(replay.duplicates).toBeGreaterThan(0);

    // An appointment moved to the next day is checked again for its new date of service, once.
    const moved = await db.query<{ id: number; practice_id: number; n: number }>(
      `SELECT a.id, a.practice_id, count(e.id)::int AS n FROM appointments a
         JOIN eligibility_checks e ON e.appointment_id = a.id
        WHERE a.service_date = $1 GROUP BY a.id, a.practice_id ORDER BY a.id LIMIT 1`,
      [addDays(date, 1)],
    );
    const m = moved.rows[0];
    if (m === undefined) throw new Error('no checked appointment');
    const newDay = addDays(date, 2);
    await db.query(
      "UPDATE appointments SET service_date = $2, starts_at = starts_at + interval '1 day' WHERE id = $1",
      [m.id, newDay],
    );
    const scope = practiceScope(m.practice_id);
    const replanned = await planChecks(db, scope, { date: addDays(date, 1), at: evening });
    expect(
      (
        await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM eligibility_checks WHERE appointment_id = $1 AND service_date = $2`,
          [m.id, newDay],
        )
      ).rows[0]?.n,
    ).toBe(m.n);
    expect(replanned.checksCreated).toBeGreaterThanOrEqual(m.n);
    const twice = await planChecks(db, scope, { date: addDays(date, 1), at: evening });
    expect(twice.checksCreated).toBe(0);
  }, 120_000);

  it('a payer whose system is down answers AAA 42: asked again, then unconfirmed', async () => {
    const payers = await db.query<{ payer_code: string; n: number }>(
      `SELECT py.payer_code, count(*)::int AS n FROM eligibility_checks e JOIN payers py ON py.id = e.payer_id
        WHERE e.batch_id IS NOT NULL GROUP BY 1 ORDER BY 2 DESC`,
    );
    // The first business day after the schedule that one of the practices' payers has an outage.
    let down: { date: CalendarDate; payer: string } | undefined;
    for (let d = addDays(today as CalendarDate, 1); down === undefined; d = addDays(d, 1)) {
      if (!isBusinessDay(d)) continue;
      const p = payers.rows.find((x) => eligibilityOutage(x.payer_code, d));
      if (p !== undefined) down = { date: d, payer: p.payer_code };
    }
    today = down.date;
    const scheduleDay = '2026-01-15' as CalendarDate;
    const t0 = at(down.date, 12);
    const later = (h: number): Instant => new Date(Date.parse(t0) + h * 3_600_000).toISOString() as Instant;
    for (const { scope } of scopes) {
      await planChecks(db, scope, { date: scheduleDay, at: t0 });
      await sendChecks(db, scope, { at: t0, transports });
    }
    const r1 = await pickup(t0);
    expect(r1.retryLater).toBeGreaterThan(0);
    const open = async (): Promise<{ status: string; classification: string | null; reason: string }[]> =>
      (
        await db.query<{ status: string; classification: string | null; reason: string }>(
          `SELECT e.status, e.classification, e.response_summary->>'reason' AS reason
             FROM eligibility_checks e JOIN payers py ON py.id = e.payer_id
             JOIN appointments ap ON ap.id = e.appointment_id
            WHERE py.payer_code = $1 AND ap.service_date = $2`,
          [down.payer, addDays(scheduleDay, 1)],
        )
      ).rows;
    const waiting = await open();
    expect(waiting.length).toBe(r1.retryLater);
    expect(waiting.every((w) => w.status === 'pending' && w.reason.includes('AAA 42'))).toBe(true);
    // Too early for a retry: nothing moves. Four hours later: asked again (the payer is still down).
    for (const { scope } of scopes)
      expect(await expireChecks(db, scope, { at: later(1), maxAttempts: 2 })).toMatchObject({ retried: 0 });
    let retried = 0;
    for (const { scope } of scopes) {
      retried += (await expireChecks(db, scope, { at: later(5), maxAttempts: 2 })).retried;
      await sendChecks(db, scope, { at: later(5), transports });
    }
    expect(retried).toBe(r1.retryLater);
    expect((await pickup(later(5))).retryLater).toBe(r1.retryLater);
    let closed = 0;
    for (const { scope } of scopes)
      closed += (await expireChecks(db, scope, { at: later(10), maxAttempts: 2 })).unconfirmed;
    expect(closed).toBe(r1.retryLater);
    const done = await open();
    expect(done.every((w) => w.status === 'no_response' && w.classification === 'unconfirmed')).toBe(true);
    expect(done[0]?.reason).toMatch(/AAA 42.*2 attempts/);
  }, 120_000);
});
