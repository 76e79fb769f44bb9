import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addBusinessDays, addDays, isBusinessDay, type CalendarDate, type Instant } from '@openrcm/core';
import { practiceScope, type PracticeScope } from '@openrcm/db';
import { createTestDb, type TestDb } from '@openrcm/db/test-harness';
import { generateToDirectory } from '@openrcm/sim';
import { serveClearinghouse, type ClearinghouseServer } from '@openrcm/sim/clearinghouse';
// The simulated payers' outage calendar, to pick a day a payer's eligibility system is down.
import { eligibilityOutage } from '../../../sim/src/payers/eligibility.ts';
import { ingestAcknowledgement } from '../acks/ingest.ts';
import { importPath } from '../intake/import.ts';
import { sftpTransport, type ClearinghouseTransport } from '../submission/transport.ts';
import { expireChecks, ingestEligibilityResponses, planChecks, sendChecks } from './run.ts';

// The scenarios of issue 7, each against the simulated clearinghouse and payers over their real transport
// (SFTP on a local port): the payer's roster is the generator's ground truth, the answers are real 271s.
// The generator injects the eligibility scenarios at raised rates so one small practice has each of them;
// each scenario patient gets an appointment on a chosen date and a real-time check (planChecks with the
// appointment), sent as a 270 batch, answered, picked up and classified.
type Truth = {
  errorKind: string;
  coverageId: string | null;
  detail: string;
  payerTerminationDate: string | null;
  payerGroupNumber: string | null;
  payerPlanName: string | null;
  otherPayerId: string | null;
  otherMemberId: string | null;
};
type Summary = {
  reason?: string;
  action?: string;
  changedFields?: string[];
  facts?: { groupNumber?: string; plan?: string; otherPayers?: { id?: string; memberId?: string }[] };
};

const dir = mkdtempSync(join(tmpdir(), 'openrcm-elig-scenarios-'));
const password = 'elig-scenarios';
const START = '2026-01-05';
let db: TestDb;
let server: ClearinghouseServer;
let transport: ClearinghouseTransport;
let transports: Map<number, ClearinghouseTransport>;
let houseId = 0;
let scope: PracticeScope;
let truths: Truth[] = [];

const at = (date: string, hour: number): Instant =>
  `${date}T${String(hour).padStart(2, '0')}:00:00.000Z` as Instant;

/** The DB coverage (and its patient) of a generated coverage id, and the first provider and location. */
async function coverageOf(externalId: string): Promise<{ id: number; patient: number; payer: string }> {
  const r = await db.query<{ id: number; patient_id: number; payer_code: string }>(
    `SELECT c.id, c.patient_id, py.payer_code FROM coverages c JOIN payers py ON py.id = c.payer_id
      WHERE c.external_id = $1`,
    [externalId],
  );
  const c = r.rows[0];
  if (c === undefined) throw new Error(`coverage ${externalId} not imported`);
  return { id: Number(c.id), patient: Number(c.patient_id), payer: c.payer_code };
}

let nextAppointment = 0;
/** An appointment of the patient on `date` at the practice's first location with its first provider. */
async function appointment(patient: number, date: string): Promise<number> {
  nextAppointment++;
  const r = await db.query<{ id: number }>(
    `INSERT INTO appointments (practice_id, patient_id, provider_id, location_id, external_id, starts_at, service_date, status)
     SELECT $1, $2, (SELECT id FROM providers WHERE practice_id = $1 ORDER BY id LIMIT 1),
            (SELECT id FROM locations WHERE practice_id = $1 ORDER BY id LIMIT 1), $3, $4::date + time '09:00', $4::date, 'scheduled'
     RETURNING id`,
    [scope.practiceId, patient, `SCENARIO-${nextAppointment}`, date],
  );
  return Number(r.rows[0]?.id);
}

/**
 * What the clearinghouse sent back, fetched over SFTP as the pickup job does: each 999 ingested (it marks the
 * 270 batch accepted), each 271 ingested; then acknowledged.
 */
async function pickup(when: Instant): Promise<{ answered: number; retryLater: number }> {
  await server.processInbound();
  const total = { answered: 0, retryLater: 0 };
  for (const name of await transport.list()) {
    const content = await transport.fetch(name);
    if (/(^|~|\n)ST\*271\*/.test(content)) {
      const r = await ingestEligibilityResponses(db, content, { at: when });
      expect(r.unmatched).toBe(0);
      total.answered += r.answered;
      total.retryLater += r.retryLater;
    } else if (/(^|~|\n)ST\*999\*/.test(content)) {
      await ingestAcknowledgement(db, { name, content, clearinghouseId: houseId }, { at: when });
    }
    await transport.acknowledge(name);
  }
  return total;
}

/** Real-time checks of the given appointments, sent in one 270 batch over SFTP and the answers picked up. */
async function check(appointments: readonly number[], when: Instant): Promise<void> {
  for (const a of appointments)
    await planChecks(db, scope, { date: when.slice(0, 10) as CalendarDate, at: when, appointmentId: a });
  const sent = await sendChecks(db, scope, { at: when, transports });
  expect(sent.batches).toBe(1);
  await pickup(when);
}

async function resultOf(appointmentId: number, coverageId: number) {
  const r = await db.query<{ status: string; classification: string | null; summary: Summary }>(
    `SELECT status, classification, response_summary AS summary FROM eligibility_checks
      WHERE appointment_id = $1 AND coverage_id = $2 ORDER BY id DESC LIMIT 1`,
    [appointmentId, coverageId],
  );
  const row = r.rows[0];
  if (row === undefined) throw new Error('no check');
  return row;
}

/** The first truth of a kind on a coverage that has no other injected error. */
function only(kind: string, also: (t: Truth) => boolean = () => true): Truth {
  const t = truths.find(
    (g) =>
      g.errorKind === kind &&
      also(g) &&
      !truths.some((o) => o.coverageId === g.coverageId && o.errorKind !== kind),
  );
  if (t?.coverageId == null) throw new Error(`no ${kind} scenario in the data set`);
  return t;
}

beforeAll(async () => {
  const data = join(dir, 'data');
  generateToDirectory(
    {
      practices: 1,
      months: 1,
      seed: 17,
      startDate: START,
      volume: 0.3,
      specialties: ['family_medicine'],
      errorRates: { planChange: 0.2, unknownOtherCoverage: 0.2, memberIdTypo: 0.1, outdatedCoverage: 0.1 },
    },
    data,
  );
  truths = readFileSync(join(data, 'ground_truth.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Truth & { scope: string })
    .filter((t) => t.scope === 'coverage');
  server = await serveClearinghouse({
    root: join(dir, 'clearinghouse'),
    username: 'openrcm',
    password,
    seed: 17,
    dataDir: data,
    startDate: START,
  });
  db = await createTestDb();
  expect((await importPath(db, data)).ok).toBe(true);
  const h = await db.query<{ id: number }>(
    `INSERT INTO clearinghouses (code, name, sender_id, receiver_id, transport, settings)
     VALUES ('sim', 'simulated clearinghouse', 'OPENRCM', 'SIMCH', 'sftp', $1::jsonb) RETURNING id`,
    [JSON.stringify({ host: server.host, port: server.port, username: 'openrcm' })],
  );
  houseId = Number(h.rows[0]?.id);
  await db.query(`UPDATE payers SET clearinghouse_id = $1 WHERE submission_channel = 'electronic'`, [
    houseId,
  ]);
  transport = sftpTransport({ host: server.host, port: server.port, username: 'openrcm', password });
  transports = new Map([[houseId, transport]]);
  scope = practiceScope(Number((await db.query<{ id: number }>('SELECT id FROM practices')).rows[0]?.id));
}, 120_000);

afterAll(async () => {
  await transport.close();
  await server.close();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('eligibility scenarios against the simulated payers over SFTP', () => {
  it('plan change, member id typo (AAA 72), secondary coverage found, and a coverage as on file', async () => {
    const day = '2026-01-13';
    const visit = addBusinessDays(day as CalendarDate, 1);
    const plan = only('plan_change');
    const typo = only('member_id_typo', (t) => t.detail.includes('breaks the payer format'));
    const other = only('unknown_other_coverage');
    const injected = new Set(truths.map((t) => t.coverageId));
    const clean = await db.query<{ external_id: string }>(
      `SELECT c.external_id FROM coverages c JOIN payers py ON py.id = c.payer_id
        WHERE c.priority = 'primary' AND c.effective_to IS NULL AND py.submission_channel = 'electronic'
          AND NOT EXISTS (SELECT 1 FROM coverages s WHERE s.patient_id = c.patient_id AND s.id <> c.id)
        ORDER BY c.id`,
    );
    const asOnFile = clean.rows.find((r) => !injected.has(r.external_id))?.external_id ?? '';
    const cases = new Map<string, { coverage: number; appointment: number }>();
    for (const [name, ext] of [
      ['plan', plan.coverageId ?? ''],
      ['typo', typo.coverageId ?? ''],
      ['other', other.coverageId ?? ''],
      ['clean', asOnFile],
    ] as const) {
      const c = await coverageOf(ext);
      cases.set(name, { coverage: c.id, appointment: await appointment(c.patient, visit) });
    }
    await check(
      [...cases.values()].map((c) => c.appointment),
      at(day, 22),
    );
    const result = (name: string) => {
      const c = cases.get(name);
      if (c === undefined) throw new Error(name);
      return resultOf(c.appointment, c.coverage);
    };

    // Plan change: the 271's plan (EB05) and group (REF*6P) are the payer's, not the file's.
    const p = await result('plan');
    expect(p.classification).toBe('changed');
    expect(p.summary.changedFields).toEqual(['group', 'plan']);
    expect(p.summary.facts).toMatchObject({
      groupNumber: plan.payerGroupNumber,
      plan: plan.payerPlanName?.toUpperCase(),
    });
    expect(p.summary.action).toMatch(/insurance card/);

    // A member id that breaks the payer's format: AAA 72 at 2100C → not found, fix the member id.
    const t = await result('typo');
    expect(t.classification).toBe('not_found');
    expect(t.summary.reason).toMatch(/AAA 72/);
    expect(t.summary.action).toBe('Verify the insurance card and correct the member id');

    // Secondary coverage found: EB*R with the other payer in 2120C, not on file → changed, collect the card.
    const o = await result('other');
    expect(o.classification).toBe('changed');
    expect(o.summary.changedFields).toEqual(['other_coverage']);
    expect(o.summary.facts?.otherPayers).toEqual([
      expect.objectContaining({ id: other.otherPayerId, memberId: other.otherMemberId }),
    ]);
    expect(o.summary.action).toMatch(
      /^Ask for the other insurance card \(.+\) and add it on file as secondary/,
    );

    // A coverage exactly as on file: unchanged.
    expect((await result('clean')).classification).toBe('unchanged');
  }, 120_000);

  it('termination mid-month: covered the day the payer ended it, lapsed the day after', async () => {
    const ended = only(
      'outdated_coverage',
      (t) =>
        t.payerTerminationDate !== null &&
        t.payerTerminationDate >= START &&
        isBusinessDay(t.payerTerminationDate as CalendarDate) &&
        isBusinessDay(addDays(t.payerTerminationDate as CalendarDate, 1)) &&
        !t.payerTerminationDate.endsWith('-01'),
    );
    const last = ended.payerTerminationDate as CalendarDate;
    const c = await coverageOf(ended.coverageId ?? '');
    const onLast = await appointment(c.patient, last);
    const after = await appointment(c.patient, addDays(last, 1));
    await check([onLast, after], at(addDays(last, -1), 22));
    expect((await resultOf(onLast, c.id)).classification).toBe('unchanged');
    const lapsed = await resultOf(after, c.id);
    expect(lapsed.classification).toBe('lapsed');
    expect(lapsed.summary.action).toMatch(/new insurance/);
  }, 120_000);

  it('payer not responding: AAA 42 on its outage day, asked again, then unconfirmed', async () => {
    // A business day in the period on which one of the practice's electronic payers is down.
    const payers = await db.query<{ payer_code: string }>(
      `SELECT DISTINCT py.payer_code FROM coverages c JOIN payers py ON py.id = c.payer_id
        WHERE py.submission_channel = 'electronic' ORDER BY 1`,
    );
    let down: { day: CalendarDate; payer: string } | undefined;
    for (let d = '2026-01-20' as CalendarDate; down === undefined; d = addDays(d, 1)) {
      const p = payers.rows.find((x) => isBusinessDay(d) && eligibilityOutage(x.payer_code, d));
      if (p !== undefined) down = { day: d, payer: p.payer_code };
    }
    await server.advanceTo(down.day);
    const cov = await db.query<{ external_id: string }>(
      `SELECT c.external_id FROM coverages c JOIN payers py ON py.id = c.payer_id
        WHERE py.payer_code = $1 AND c.priority = 'primary' AND c.effective_to IS NULL ORDER BY c.id LIMIT 1`,
      [down.payer],
    );
    const c = await coverageOf(cov.rows[0]?.external_id ?? '');
    const appt = await appointment(c.patient, addBusinessDays(down.day, 1));
    const t0 = at(down.day, 12);
    const later = (h: number): Instant => new Date(Date.parse(t0) + h * 3_600_000).toISOString() as Instant;
    await check([appt], t0);
    const waiting = await resultOf(appt, c.id);
    expect(waiting.status).toBe('pending');
    // The clearinghouse's 999 accepted the 270 batch: still a sent batch whose checks are retried.
    const batch = await db.query<{ status: string }>(
      `SELECT b.status FROM submission_batches b JOIN eligibility_checks e ON e.batch_id = b.id
        WHERE e.appointment_id = $1`,
      [appt],
    );
    expect(batch.rows[0]?.status).toBe('accepted');
    expect(waiting.summary.reason).toMatch(/AAA 42/);
    // Four hours later the check is sent again (the payer is still down that day), then closed.
    expect(await expireChecks(db, scope, { at: later(5), maxAttempts: 2 })).toMatchObject({ retried: 1 });
    await sendChecks(db, scope, { at: later(5), transports });
    expect((await pickup(later(5))).retryLater).toBe(1);
    expect(await expireChecks(db, scope, { at: later(10), maxAttempts: 2 })).toMatchObject({
      unconfirmed: 1,
    });
    const done = await resultOf(appt, c.id);
    expect(done).toMatchObject({ status: 'no_response', classification: 'unconfirmed' });
    expect(done.summary.reason).toMatch(/AAA 42.*2 attempts/);
  }, 120_000);
});
