import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMillis, Npi, ProviderId, type CalendarDate, type Instant } from '@openrcm/core';
import { practiceScope, updateProvider, type Db, type PracticeScope } from '@openrcm/db';
import { createTestDb, type TestDb } from '@openrcm/db/test-harness';
import { generateToDirectory } from '@openrcm/sim';
import { inProcessClearinghouse, loadPayerKnowledge } from '@openrcm/sim/clearinghouse';
import { memberId, read837P } from '@openrcm/x12/837p';
import {
  buildClaimAcknowledgement,
  writeClaimAcknowledgementInterchange,
  type AckClaim,
} from '@openrcm/x12/277ca';
import { ingestAcknowledgement } from '../acks/ingest.ts';
import { importPath } from '../intake/import.ts';
import { codesetsAdapter } from '../scrubber/codesets-adapter.ts';
import { scrubClaims } from '../scrubber/run.ts';
import { submitReadyClaims } from '../submission/submit.ts';
import { folderTransport, inProcessTransport } from '../submission/transport.ts';
import { buildClaims } from './build.ts';
import { rejectedClaimsWithChanges, resubmitRejected } from './resubmit.ts';

/**
 * A claim the clearinghouse rejects for a wrong member id goes back out, end to end: build, scrub, submit (837P
 * to a folder clearinghouse), a 277CA that rejects every claim whose subscriber id (NM109 of 2010BA, read back
 * from the file sent) is the wrong one, the coverage fixed, resubmit → a new original version, ready, sent once,
 * accepted.
 */

let db: TestDb;
let dataDir: string;
let chRoot: string;
let scope: PracticeScope;
let houseId: number;
let claimId: number;
let coverageId: number;
let goodMemberId: string;
const BAD_MEMBER_ID = 'WRONG000111';
const t0 = '2026-02-09T07:00:00.000Z' as Instant;
const hours = (n: number): Instant => addMillis(t0, n * 3_600_000);
const codeSets = codesetsAdapter();
const parties = {
  submitterName: 'OPENRCM TEST BILLING',
  submitterId: 'OPENRCM',
  contactName: 'BILLING DESK',
  contactPhone: '8005550100',
  receiverName: 'SIM',
  receiverId: 'SIMCH',
};
let ackNo = 700;
const sentFiles = new Set<string>();

/** The test clearinghouse: answers every 837P not yet answered with a 277CA; rejects a claim with the bad id. */
async function answer(at: Instant): Promise<{ accepted: number; rejected: number }> {
  const inbound = join(chRoot, 'inbound');
  let accepted = 0;
  let rejected = 0;
  for (const f of readdirSync(inbound).filter((n) => !n.startsWith('.') && !sentFiles.has(n))) {
    sentFiles.add(f);
    const text = readFileSync(join(inbound, f), 'latin1');
    for (const tx of read837P(text).value.transactions) {
      const acked: AckClaim[] = tx.claims.map((c) => {
        const bad = memberId(c) === BAD_MEMBER_ID;
        if (bad) rejected += 1;
        else accepted += 1;
        return {
          patientControlNumber: c.claim.patientControlNumber,
          patient: { lastName: 'TESTPATIENT', memberId: memberId(c) ?? '' },
          statuses: bad
            ? [{ category: 'A7', status: '21', entity: 'IL' }]
            : [{ category: 'A2', status: '20' }],
          chargeCents: c.claim.totalChargeCents,
          ...(bad ? {} : { payerClaimControlNumber: `PCN${c.claim.patientControlNumber}` }),
          serviceDate: c.lines[0]?.serviceDate ?? '2026-01-02',
        };
      });
      ackNo += 1;
      const ca = buildClaimAcknowledgement({
        referenceId: String(ackNo),
        date: '2026-02-09',
        time: '0900',
        source: { entity: 'AY', name: 'SIM CLEARINGHOUSE', idQualifier: '46', id: 'SIMCH' },
        sourceTrace: String(ackNo),
        receivedDate: '2026-02-09',
        processedDate: '2026-02-09',
        receiver: { name: 'OPENRCM', etin: 'OPENRCM' },
        batchReference: String(ackNo),
        providers: [
          {
            npi: tx.claims[0]?.billingProvider.provider.name.id ?? '',
            organizationName: 'PRACTICE',
            claims: acked,
          },
        ],
      });
      const content = writeClaimAcknowledgementInterchange([ca], {
        interchange: {
          senderQualifier: 'ZZ',
          senderId: 'SIMCH',
          receiverQualifier: 'ZZ',
          receiverId: 'OPENRCM',
          date: '2026-02-09',
          time: '0900',
          controlNumber: ackNo,
        },
        senderCode: 'SIMCH',
        receiverCode: 'OPENRCM',
        groupControlNumber: ackNo,
      });
      const r = await ingestAcknowledgement(
        db,
        { name: `277CA-${ackNo}.x12`, content, clearinghouseId: houseId },
        { at },
      );
      expect(r.unmatched).toBe(0);
    }
  }
  return { accepted, rejected };
}

async function submit(at: Instant): Promise<number> {
  const r = await submitReadyClaims(db, scope, {
    at,
    parties,
    transports: new Map([[houseId, folderTransport(chRoot)]]),
  });
  return r.claims;
}

async function claimRow(): Promise<{ status: string; hold_reason: string | null }> {
  const r = await db.query<{ status: string; hold_reason: string | null }>(
    'SELECT status, hold_reason FROM claims WHERE id = $1',
    [claimId],
  );
  const row = r.rows[0];
  if (row === undefined) throw new Error('no claim');
  return row;
}

/**
 * Generates a small practice (1 month, a fifth of a clinic's volume), imports it and routes every electronic
 * payer through a clearinghouse row of the given transport. The import stamps updated_at with the wall clock;
 * these tests run on a clock in February 2026, so the data on file is dated `stampedAt` (before any rejection),
 * as it would be in production.
 */
async function importedPractice(
  target: Db,
  dir: string,
  transport: 'directory' | 'api',
  stampedAt: Instant,
): Promise<{ houseId: number; scope: PracticeScope }> {
  generateToDirectory({ practices: 1, months: 1, seed: 5, startDate: '2026-01-01', volume: 0.2 }, dir);
  expect((await importPath(target, dir)).ok).toBe(true);
  const house = await target.query<{ id: number }>(
    `INSERT INTO clearinghouses (code, name, sender_id, receiver_id, usage_indicator, transport, settings)
     VALUES ('sim', 'SIM CLEARINGHOUSE', 'OPENRCM', 'SIMCH', 'T', $1, '{}'::jsonb) RETURNING id`,
    [transport],
  );
  const id = house.rows[0]?.id ?? 0;
  await target.query(`UPDATE payers SET clearinghouse_id = $1 WHERE submission_channel = 'electronic'`, [id]);
  for (const table of ['coverages', 'patients', 'encounters', 'providers', 'locations', 'practices'])
    await target.query(`UPDATE ${table} SET updated_at = $1`, [stampedAt]);
  const practice = await target.query<{ id: number }>('SELECT id FROM practices');
  return { houseId: id, scope: practiceScope(practice.rows[0]?.id ?? 0) };
}

beforeAll(async () => {
  db = await createTestDb();
  dataDir = mkdtempSync(join(tmpdir(), 'openrcm-resubmit-data-'));
  chRoot = mkdtempSync(join(tmpdir(), 'openrcm-resubmit-ch-'));
  ({ houseId, scope } = await importedPractice(db, dataDir, 'directory', t0));
  await buildClaims(db, scope, { at: t0 });
  await scrubClaims(db, scope, { asOf: '2026-02-09' as CalendarDate, at: t0, codeSets });
  // One ready electronic claim whose coverage no other claim uses gets a well-formed but wrong member id.
  const pick = await db.query<{ id: number; coverage_id: number; member_id: string }>(
    `SELECT c.id, c.coverage_id, cov.member_id
       FROM claims c JOIN payers p ON p.id = c.payer_id JOIN coverages cov ON cov.id = c.coverage_id
      WHERE c.practice_id = $1 AND c.status = 'ready' AND p.submission_channel = 'electronic'
        AND (SELECT count(*) FROM claims o WHERE o.coverage_id = c.coverage_id) = 1
      ORDER BY c.id LIMIT 1`,
    [scope.practiceId],
  );
  const p = pick.rows[0];
  if (p === undefined) throw new Error('no ready claim with a coverage of its own');
  claimId = p.id;
  coverageId = p.coverage_id;
  goodMemberId = p.member_id;
  await db.query(`UPDATE coverages SET member_id = $2 WHERE id = $1`, [coverageId, BAD_MEMBER_ID]);
}, 120_000);

afterAll(async () => {
  await db.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(chRoot, { recursive: true, force: true });
});

describe('resubmitting a claim the clearinghouse rejected', () => {
  it('the claim with the wrong member id is sent and rejected, with a work item', async () => {
    expect(await submit(hours(1))).toBeGreaterThan(1);
    const a = await answer(hours(2));
    expect(a.rejected).toBe(1);
    expect(await claimRow()).toMatchObject({ status: 'rejected' });
    const work = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM work_items WHERE type = 'clearinghouse_rejection' AND status = 'open'
          AND links->>'claimId' = $1::text`,
      [claimId],
    );
    expect(work.rows[0]?.n).toBe(1);
  });

  it('is not picked by --all-rejected before the coverage is fixed', async () => {
    expect(await rejectedClaimsWithChanges(db, scope)).toEqual([]);
  });

  it('is picked when the practice row (2010AA group NPI, TIN, address) changed after the rejection', async () => {
    const before = await db.query<{ tin: string }>('SELECT tin FROM practices WHERE id = $1', [
      scope.practiceId,
    ]);
    // A psql-style repair that does not set updated_at: the 0012 trigger stamps the transaction's time, which is
    // after the test's simulated rejection time.
    await db.query(
      `UPDATE practices SET address_line1 = 'SUITE 200 ' || coalesce(address_line1, '') WHERE id = $1`,
      [scope.practiceId],
    );
    expect(await rejectedClaimsWithChanges(db, scope)).toEqual([claimId]);
    // The address put back (its update time stays later than the rejection: the fix-and-resubmit flow goes on).
    await db.query(`UPDATE practices SET address_line1 = substr(address_line1, 11) WHERE id = $1`, [
      scope.practiceId,
    ]);
    const after = await db.query<{ tin: string }>('SELECT tin FROM practices WHERE id = $1', [
      scope.practiceId,
    ]);
    expect(after.rows[0]?.tin).toBe(before.rows[0]?.tin);
  });

  it('refuses a claim that is not rejected, and changes nothing', async () => {
    const other = await db.query<{ id: number; status: string }>(
      `SELECT id, status FROM claims WHERE practice_id = $1 AND status = 'accepted' ORDER BY id LIMIT 1`,
      [scope.practiceId],
    );
    const o = other.rows[0];
    if (o === undefined) throw new Error('no accepted claim');
    const refused = await resubmitRejected(db, scope, o.id, {
      at: hours(3),
      actor: 'user:test',
      codeSets,
    }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'claims.not_rejected' });
    expect(refused instanceof Error ? refused.message : '').toContain(
      `claim ${o.id} is accepted: only a claim the clearinghouse rejected can be resubmitted`,
    );
    const versions = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM claim_versions WHERE claim_id = $1',
      [o.id],
    );
    expect(versions.rows[0]?.n).toBe(1);
    expect(
      (await db.query<{ status: string }>('SELECT status FROM claims WHERE id = $1', [o.id])).rows[0]?.status,
    ).toBe('accepted');
  });

  it('after the coverage is fixed: a new original version, ready, the work item closed', async () => {
    await db.query(`UPDATE coverages SET member_id = $2, updated_at = $3 WHERE id = $1`, [
      coverageId,
      goodMemberId,
      hours(4),
    ]);
    expect(await rejectedClaimsWithChanges(db, scope)).toEqual([claimId]);
    const r = await resubmitRejected(db, scope, claimId, { at: hours(5), actor: 'user:test', codeSets });
    expect(r).toMatchObject({ claimId, versionNo: 2, status: 'ready', holdReason: null, workItemsClosed: 1 });
    expect(r.lines).toBeGreaterThan(0);
    const v = await db.query<{
      version_no: number;
      kind: string;
      frequency_code: string;
      ref: string | null;
    }>(
      `SELECT version_no, kind, frequency_code, original_payer_claim_number AS ref
         FROM claim_versions WHERE claim_id = $1 ORDER BY version_no`,
      [claimId],
    );
    expect(v.rows).toEqual([
      { version_no: 1, kind: 'original', frequency_code: '1', ref: null },
      { version_no: 2, kind: 'original', frequency_code: '1', ref: null },
    ]);
    const history = await db.query<{ from_status: string; to_status: string; actor: string; reason: string }>(
      `SELECT from_status, to_status, actor, reason FROM claim_status_history WHERE claim_id = $1 AND at >= $2 ORDER BY id`,
      [claimId, hours(5)],
    );
    expect(history.rows.map((h) => [h.from_status, h.to_status, h.actor])).toEqual([
      ['rejected', 'draft', 'user:test'],
      ['draft', 'ready', 'user:test'],
    ]);
    expect(history.rows[0]?.reason).toContain('original, frequency 1');
    const work = await db.query<{ status: string; resolved: boolean }>(
      `SELECT status, resolved_at IS NOT NULL AS resolved FROM work_items
        WHERE type = 'clearinghouse_rejection' AND links->>'claimId' = $1::text`,
      [claimId],
    );
    expect(work.rows).toEqual([{ status: 'done', resolved: true }]);
    // The ledger carries the charges on the new lines; the claim still nets to its total.
    const ledger = await db.query<{ old_lines: string; new_lines: string; total: string }>(
      `SELECT coalesce(sum(e.amount_cents) FILTER (WHERE l.claim_version_id = v1.id), 0)::text AS old_lines,
              coalesce(sum(e.amount_cents) FILTER (WHERE l.claim_version_id = v2.id), 0)::text AS new_lines,
              (SELECT total_charge_cents FROM claim_versions WHERE id = v2.id)::text AS total
         FROM ledger_entries e JOIN claim_lines l ON l.id = e.claim_line_id
         JOIN claim_versions v1 ON v1.claim_id = $1 AND v1.version_no = 1
         JOIN claim_versions v2 ON v2.claim_id = $1 AND v2.version_no = 2
        WHERE e.claim_id = $1 AND e.account = 'ar_insurance'
        GROUP BY v1.id, v2.id`,
      [claimId],
    );
    expect(ledger.rows[0]?.old_lines).toBe('0');
    expect(ledger.rows[0]?.new_lines).toBe(ledger.rows[0]?.total);
  });

  it('resubmitting it again before it is sent is refused', async () => {
    await expect(
      resubmitRejected(db, scope, claimId, { at: hours(5), actor: 'user:test', codeSets }),
    ).rejects.toMatchObject({ code: 'claims.not_rejected' });
  });

  it('the new version goes out once under its own idempotency key and is accepted', async () => {
    expect(await submit(hours(6))).toBe(1);
    expect(await submit(hours(7))).toBe(0);
    const keys = await db.query<{ key: string; version_no: number }>(
      `SELECT bc.idempotency_key AS key, v.version_no FROM batch_claims bc
         JOIN claim_versions v ON v.id = bc.claim_version_id WHERE v.claim_id = $1 ORDER BY bc.id`,
      [claimId],
    );
    expect(keys.rows.map((k) => k.version_no)).toEqual([1, 2]);
    expect(keys.rows[1]?.key).toMatch(/^\d+\/0$/);
    expect(keys.rows[0]?.key).not.toBe(keys.rows[1]?.key);
    const a = await answer(hours(8));
    expect(a).toEqual({ accepted: 1, rejected: 0 });
    expect(await claimRow()).toMatchObject({ status: 'accepted' });
    // The 837P it went out in: CLM05-3 = 1 and no REF*F8.
    const files = [...sentFiles].map((f) => readFileSync(join(chRoot, 'inbound', f), 'latin1'));
    const last = files[files.length - 1] ?? '';
    expect(last).toMatch(/CLM\*[^*~]+\*[0-9.]+\*\*\*[0-9]{2}:B:1\*/);
    expect(last).not.toContain('REF*F8');
  });
});

/**
 * A provider NPI fault, through the simulated clearinghouse: the rendering provider's NPI on file is mistyped
 * (a data load after the morning scrub, so the claims are already ready), the claims go out and the simulator's
 * front end rejects them (277CA A7:562, provider identifier invalid); nothing on file changed after the
 * rejection, so `--all-rejected` picks nothing; the NPI is corrected through `updateProvider` (what `openrcm
 * provider update` calls), `--all-rejected` picks exactly those claims up, and each goes out once more and is
 * accepted.
 */
describe('resubmitting the claims rejected for a provider NPI fixed on file (simulated clearinghouse)', () => {
  let pdb: TestDb;
  let pdir: string;
  let pscope: PracticeScope;
  let today = '2026-02-09';
  let house: ReturnType<typeof inProcessClearinghouse>;
  let pHouseId: number;
  let providerId: number;
  let goodNpi: string;
  let rejected: number[] = [];
  const at = (day: string, time: string): Instant => `${day}T${time}:00.000Z` as Instant;

  const sendAndAcknowledge = async (when: Instant): Promise<number> => {
    const transport = inProcessTransport(house);
    const r = await submitReadyClaims(pdb, pscope, {
      at: when,
      parties,
      transports: new Map([[pHouseId, transport]]),
    });
    for (const name of await transport.list()) {
      const content = await transport.fetch(name);
      if (/(^|~|\n)ST\*(999|277)\*/.test(content))
        await ingestAcknowledgement(pdb, { name, content, clearinghouseId: pHouseId }, { at: when });
      await transport.acknowledge(name);
    }
    return r.claims;
  };

  const statusOf = async (ids: readonly number[]): Promise<Record<string, number>> => {
    const r = await pdb.query<{ status: string; n: number }>(
      'SELECT status, count(*)::int AS n FROM claims WHERE id = ANY($1::bigint[]) GROUP BY status',
      [ids],
    );
    return Object.fromEntries(r.rows.map((x) => [x.status, x.n]));
  };

  beforeAll(async () => {
    pdb = await createTestDb();
    pdir = mkdtempSync(join(tmpdir(), 'openrcm-resubmit-npi-'));
    ({ houseId: pHouseId, scope: pscope } = await importedPractice(
      pdb,
      pdir,
      'api',
      at('2026-02-01', '00:00'),
    ));
    const knowledge = loadPayerKnowledge(pdir);
    house = inProcessClearinghouse(
      { setup: knowledge.data, authorizations: knowledge.data.authorizations, seed: 5 },
      () => today,
    );
    house.advanceTo(today);
    // The claims of the first week's visits, scrubbed on the morning of 9 February.
    await buildClaims(pdb, pscope, { at: at(today, '07:00'), documentedBefore: at('2026-01-08', '00:00') });
    await scrubClaims(pdb, pscope, { asOf: today as CalendarDate, at: at(today, '07:00'), codeSets });
    // The rendering provider with the most ready electronic claims gets a mistyped NPI (last digit off by one:
    // the check digit fails) in a data load after the scrub.
    const pick = await pdb.query<{ id: number; npi: string; n: number }>(
      `SELECT p.id, p.npi, count(*)::int AS n
         FROM claims c JOIN providers p ON p.id = c.rendering_provider_id JOIN payers y ON y.id = c.payer_id
        WHERE c.practice_id = $1 AND c.status = 'ready' AND y.submission_channel = 'electronic'
        GROUP BY p.id, p.npi ORDER BY n DESC, p.id LIMIT 1`,
      [pscope.practiceId],
    );
    const p = pick.rows[0];
    if (p === undefined) throw new Error('no ready electronic claim');
    providerId = p.id;
    goodNpi = p.npi;
    const bad = goodNpi.slice(0, 9) + String((Number(goodNpi[9]) + 1) % 10);
    await pdb.query('UPDATE providers SET npi = $2, updated_at = $3 WHERE id = $1', [
      providerId,
      bad,
      at(today, '07:30'),
    ]);
  }, 180_000);

  afterAll(async () => {
    await pdb.close();
    rmSync(pdir, { recursive: true, force: true });
  });

  it('the claims of the provider go out with the bad NPI and the simulator rejects them (277CA)', async () => {
    expect(await sendAndAcknowledge(at(today, '08:00'))).toBeGreaterThan(0);
    const r = await pdb.query<{ id: number; reason: string }>(
      `SELECT c.id, h.reason FROM claims c
         JOIN claim_status_history h ON h.claim_id = c.id AND h.to_status = 'rejected'
        WHERE c.practice_id = $1 AND c.status = 'rejected' ORDER BY c.id`,
      [pscope.practiceId],
    );
    rejected = r.rows.map((x) => x.id);
    expect(rejected.length).toBeGreaterThan(0);
    for (const x of r.rows) expect(x.reason).toMatch(/^277CA rejected: A7:562\b/);
    // Every rejected claim is one of the provider's; every other submitted claim was accepted.
    const theirs = await pdb.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM claims WHERE id = ANY($1::bigint[]) AND rendering_provider_id = $2`,
      [rejected, providerId],
    );
    expect(theirs.rows[0]?.n).toBe(rejected.length);
  });

  it('--all-rejected picks nothing while nothing on file changed after the rejection', async () => {
    expect(await rejectedClaimsWithChanges(pdb, pscope)).toEqual([]);
  });

  it('after the NPI is corrected through updateProvider, --all-rejected picks exactly those claims up', async () => {
    today = '2026-02-10';
    house.advanceTo(today);
    const fixed = await updateProvider(
      pdb,
      pscope,
      ProviderId(providerId),
      { npi: Npi(goodNpi, 'npi') },
      at(today, '09:00'),
    );
    expect(fixed).toMatchObject({ npi: goodNpi, updatedAt: at(today, '09:00') });
    const picked = await rejectedClaimsWithChanges(pdb, pscope);
    expect(picked).toEqual(rejected);
    for (const id of picked) {
      const r = await resubmitRejected(pdb, pscope, id, {
        at: at(today, '09:05'),
        actor: 'user:test',
        codeSets,
        reason: 'rendering NPI corrected',
      });
      expect(r).toMatchObject({ versionNo: 2, status: 'ready', workItemsClosed: 1 });
    }
    expect(await rejectedClaimsWithChanges(pdb, pscope)).toEqual([]);
  });

  it('each claim goes out once more, under its new version, and is accepted', async () => {
    expect(await sendAndAcknowledge(at(today, '10:00'))).toBe(rejected.length);
    expect(await sendAndAcknowledge(at(today, '11:00'))).toBe(0);
    expect(await statusOf(rejected)).toEqual({ accepted: rejected.length });
    const sent = await pdb.query<{ claim_id: number; versions: number[] }>(
      `SELECT v.claim_id, array_agg(v.version_no ORDER BY bc.id) AS versions
         FROM batch_claims bc JOIN claim_versions v ON v.id = bc.claim_version_id
        WHERE v.claim_id = ANY($1::bigint[]) GROUP BY v.claim_id ORDER BY v.claim_id`,
      [rejected],
    );
    expect(sent.rows).toEqual(rejected.map((id) => ({ claim_id: id, versions: [1, 2] })));
    expect(await rejectedClaimsWithChanges(pdb, pscope)).toEqual([]);
  });

  it('an UPDATE that does not set updated_at (a repair in psql) still moves it (migration 0012 trigger)', async () => {
    const before = await pdb.query<{ id: number; updated_at: unknown }>(
      'SELECT id, updated_at FROM locations WHERE practice_id = $1 ORDER BY id LIMIT 1',
      [pscope.practiceId],
    );
    const loc = before.rows[0];
    if (loc === undefined) throw new Error('no location');
    const after = await pdb.query<{ moved: boolean; provider_kept: boolean }>(
      `WITH l AS (UPDATE locations SET phone = '5555550100' WHERE id = $1 RETURNING updated_at),
            p AS (UPDATE providers SET credential = 'MD', updated_at = $3 WHERE id = $2 RETURNING updated_at)
       SELECT (SELECT updated_at FROM l) > $4::timestamptz AS moved, (SELECT updated_at FROM p) = $3 AS provider_kept`,
      [loc.id, providerId, at(today, '12:00'), at(today, '09:00')],
    );
    expect(after.rows[0]).toEqual({ moved: true, provider_kept: true });
  });
});
