import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMillis, type CalendarDate, type Instant } from '@openrcm/core';
import { practiceScope, type PracticeScope } from '@openrcm/db';
import { createTestDb, type TestDb } from '@openrcm/db/test-harness';
import { generateToDirectory } from '@openrcm/sim';
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
import { folderTransport } from '../submission/transport.ts';
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

beforeAll(async () => {
  db = await createTestDb();
  dataDir = mkdtempSync(join(tmpdir(), 'openrcm-resubmit-data-'));
  chRoot = mkdtempSync(join(tmpdir(), 'openrcm-resubmit-ch-'));
  generateToDirectory({ practices: 1, months: 1, seed: 5, startDate: '2026-01-01', volume: 0.2 }, dataDir);
  expect((await importPath(db, dataDir)).ok).toBe(true);
  const house = await db.query<{ id: number }>(
    `INSERT INTO clearinghouses (code, name, sender_id, receiver_id, usage_indicator, transport, settings)
     VALUES ('sim', 'SIM CLEARINGHOUSE', 'OPENRCM', 'SIMCH', 'T', 'directory', '{}'::jsonb) RETURNING id`,
  );
  houseId = house.rows[0]?.id ?? 0;
  await db.query(`UPDATE payers SET clearinghouse_id = $1 WHERE submission_channel = 'electronic'`, [
    houseId,
  ]);
  scope = practiceScope((await db.query<{ id: number }>('SELECT id FROM practices')).rows[0]?.id ?? 0);
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
  // The import stamps updated_at with the wall clock; this test runs on a clock in February 2026, so the data
  // on file is dated to the start of the test day (before the rejection), as it would be in production.
  for (const table of ['coverages', 'patients', 'encounters']) {
    await db.query(`UPDATE ${table} SET updated_at = $1`, [t0]);
  }
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
