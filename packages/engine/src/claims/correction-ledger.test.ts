import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, type CalendarDate, type Instant } from '@openrcm/core';
import { practiceScope, type PracticeScope } from '@openrcm/db';
import { createTestDb, type TestDb } from '@openrcm/db/test-harness';
import { generateToDirectory } from '@openrcm/sim';
import {
  inProcessClearinghouse,
  loadPayerKnowledge,
  type InProcessEndpoint,
} from '@openrcm/sim/clearinghouse';
import { ingestAcknowledgement } from '../acks/ingest.ts';
import { importPath } from '../intake/import.ts';
import { importEra } from '../remittance/ingest.ts';
import { codesetsAdapter } from '../scrubber/codesets-adapter.ts';
import { scrubClaims } from '../scrubber/run.ts';
import { submitReadyClaims } from '../submission/submit.ts';
import { inProcessTransport } from '../submission/transport.ts';
import { buildClaims } from './build.ts';
import { newClaimVersion } from './versions.ts';

/**
 * A corrected claim and the ledger (issue 5, data-model.md "claims"): the payer paid version 1, the biller sends a
 * replacement (frequency 7); the payer's 835 reverses version 1 (CLP02 22, against the old lines) and pays version
 * 2 (against the new lines, REF*6R). Every line of both versions must end balanced and the claim's charges stay
 * what they were.
 */

let db: TestDb;
let dir: string;
let scope: PracticeScope;
let house: InProcessEndpoint;
let houseId: number;
let today = '2026-02-02';
const codeSets = codesetsAdapter();
const parties = {
  submitterName: 'OPENRCM TEST BILLING',
  submitterId: 'OPENRCM',
  contactName: 'BILLING DESK',
  contactPhone: '8005550100',
  receiverName: 'SIM',
  receiverId: 'SIMCH',
};

/** One business morning: submit what is ready, let the clearinghouse answer, and post what came back. */
async function day(date: string): Promise<void> {
  today = date;
  house.advanceTo(date);
  const at = `${date}T07:00:00.000Z` as Instant;
  await scrubClaims(db, scope, { asOf: date as CalendarDate, at, codeSets });
  const transport = inProcessTransport(house);
  await submitReadyClaims(db, scope, { at, transports: new Map([[houseId, transport]]), parties });
  for (const name of [...house.outbox.keys()].sort()) {
    const content = house.outbox.get(name) ?? '';
    house.outbox.delete(name);
    if (/(^|~|\n)ST\*835\*/.test(content))
      await importEra(
        db,
        { text: content, fileName: name },
        { receivedAt: at, now: at, actor: 'system:test' },
      );
    else await ingestAcknowledgement(db, { name, content, clearinghouseId: houseId }, { at });
  }
}

async function lineBalances(claimId: number): Promise<{ line_id: number; version_no: number; ar: number }[]> {
  const r = await db.query<{ line_id: number; version_no: number; ar: number | string }>(
    `SELECT l.id AS line_id, v.version_no,
            COALESCE((SELECT sum(e.amount_cents) FROM ledger_entries e
                       WHERE e.practice_id = l.practice_id AND e.claim_line_id = l.id AND e.account = 'ar_insurance'), 0) AS ar
       FROM claim_lines l JOIN claim_versions v ON v.id = l.claim_version_id
      WHERE l.practice_id = $1 AND l.claim_id = $2 ORDER BY v.version_no, l.line_number`,
    [scope.practiceId, claimId],
  );
  return r.rows.map((x) => ({ ...x, ar: Number(x.ar) }));
}

async function claimTotals(claimId: number): Promise<{ gross: number; ar: number }> {
  const r = await db.query<{ gross: number | string; ar: number | string }>(
    `SELECT COALESCE(sum(amount_cents) FILTER (WHERE account = 'gross_charges'), 0) AS gross,
            COALESCE(sum(amount_cents) FILTER (WHERE account IN ('ar_insurance', 'ar_patient')), 0) AS ar
       FROM ledger_entries WHERE practice_id = $1 AND claim_id = $2`,
    [scope.practiceId, claimId],
  );
  return { gross: Number(r.rows[0]?.gross ?? 0), ar: Number(r.rows[0]?.ar ?? 0) };
}

beforeAll(async () => {
  db = await createTestDb();
  dir = mkdtempSync(join(tmpdir(), 'openrcm-correction-'));
  generateToDirectory({ practices: 1, months: 1, seed: 31, startDate: '2026-01-05', volume: 0.25 }, dir);
  expect((await importPath(db, dir)).ok).toBe(true);
  const knowledge = loadPayerKnowledge(dir);
  house = inProcessClearinghouse(
    { setup: knowledge.data, authorizations: knowledge.data.authorizations, seed: 31 },
    () => today,
  );
  const h = await db.query<{ id: number }>(
    `INSERT INTO clearinghouses (code, name, sender_id, receiver_id, usage_indicator, transport, settings)
     VALUES ('sim', 'SIM', 'OPENRCM', 'SIMCH', 'T', 'api', '{}'::jsonb) RETURNING id`,
  );
  houseId = h.rows[0]?.id ?? 0;
  await db.query(`UPDATE payers SET clearinghouse_id = $1 WHERE submission_channel = 'electronic'`, [
    houseId,
  ]);
  scope = practiceScope((await db.query<{ id: number }>('SELECT id FROM practices')).rows[0]?.id ?? 0);
  await buildClaims(db, scope, { at: '2026-02-02T06:00:00.000Z' as Instant });
  // Five weeks of business days: submission, acknowledgements, adjudication and the 835s.
  for (let d = '2026-02-02' as CalendarDate; d <= '2026-03-13'; d = addDays(d, 1)) {
    const weekday = new Date(`${d}T12:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6) await day(d);
  }
}, 300_000);

afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a corrected claim carries its charges to the new version', () => {
  it('partly paid version 1 is replaced: its charges move to version 2 (claim totals unchanged), and after the 835 for version 2 each new line holds what its charge held on version 1', async () => {
    // A claim of several lines the payer paid in part (a line denied or patient responsibility left).
    const pick = await db.query<{ id: number }>(
      `SELECT c.id FROM claims c
        WHERE c.practice_id = $1 AND c.status IN ('partially_paid', 'paid') AND c.payer_claim_number IS NOT NULL
          AND (SELECT count(*) FROM claim_lines l WHERE l.claim_id = c.id) >= 2
          AND EXISTS (SELECT 1 FROM ledger_entries e WHERE e.claim_id = c.id AND e.account = 'cash')
        ORDER BY c.status = 'partially_paid' DESC, c.id LIMIT 1`,
      [scope.practiceId],
    );
    const claimId = pick.rows[0]?.id;
    expect(claimId).toBeDefined();
    const id = claimId ?? 0;
    const before = await claimTotals(id);
    const paidV1 = (await lineBalances(id)).filter((l) => l.version_no === 1);
    expect(paidV1.length).toBeGreaterThanOrEqual(2);

    const v = await newClaimVersion(db, scope, id, {
      kind: 'corrected',
      at: '2026-03-16T10:00:00.000Z' as Instant,
      actor: 'user:1',
      reason: 'corrected modifier',
    });
    expect(v.versionNo).toBe(2);
    // At correction time the charges sit on version 2's lines; version 1's lines keep only what was posted to them.
    const moved = await lineBalances(id);
    const charges = await db.query<{ line_id: number; charge_cents: number | string }>(
      `SELECT id AS line_id, charge_cents FROM claim_lines WHERE claim_id = $1 AND claim_version_id =
         (SELECT id FROM claim_versions WHERE claim_id = $1 AND version_no = 2)`,
      [id],
    );
    for (const c of charges.rows)
      expect(moved.find((l) => l.line_id === c.line_id)?.ar).toBe(Number(c.charge_cents));
    expect((await claimTotals(id)).gross).toBe(before.gross);
    expect((await claimTotals(id)).ar).toBe(before.ar);

    // The replacement goes out, the payer reverses version 1 and pays version 2.
    for (let d = '2026-03-16' as CalendarDate; d <= '2026-04-24'; d = addDays(d, 1)) {
      const weekday = new Date(`${d}T12:00:00Z`).getUTCDay();
      if (weekday !== 0 && weekday !== 6) await day(d);
    }
    // The payer adjudicated the replacement as it did the original (same payment, same patient share): each line of
    // version 2 now holds exactly what the same charge's line of version 1 held before the correction — the 835
    // for version 2 posted against lines that carry their charge, so nothing is split across versions.
    const payments = await db.query<{ paid: number | string; status: string }>(
      `SELECT paid_cents AS paid, claim_status_code AS status FROM claim_payments
        WHERE practice_id = $1 AND claim_id = $2 AND claim_status_code <> '22' ORDER BY id`,
      [scope.practiceId, id],
    );
    expect(payments.rows.length).toBe(2);
    expect(Number(payments.rows[1]?.paid)).toBe(Number(payments.rows[0]?.paid));
    const after = await lineBalances(id);
    const chargeOf = await db.query<{ line_id: number; charge_id: number }>(
      `SELECT id AS line_id, charge_id FROM claim_lines WHERE practice_id = $1 AND claim_id = $2`,
      [scope.practiceId, id],
    );
    const charge = new Map(chargeOf.rows.map((r) => [r.line_id, r.charge_id]));
    const v1Before = new Map(paidV1.map((l) => [charge.get(l.line_id), l.ar]));
    const v2After = after.filter((l) => l.version_no === 2);
    expect(v2After.length).toBe(charges.rows.length);
    for (const l of v2After) expect(l.ar).toBe(v1Before.get(charge.get(l.line_id)));
    expect((await claimTotals(id)).gross).toBe(before.gross);
  }, 300_000);
});
