import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Instant } from '@openrcm/core';
import { practiceScope, type PracticeScope } from '@openrcm/db';
import { createTestDb, type TestDb } from '@openrcm/db/test-harness';
import { generateToDirectory } from '@openrcm/sim';
import { parseX12 } from '@openrcm/x12';
import { read837P } from '@openrcm/x12/837p';
import { build999 } from '@openrcm/x12/ack';
import { write999 } from '@openrcm/x12/999';
import {
  buildClaimAcknowledgement,
  writeClaimAcknowledgementInterchange,
  type AckClaim,
} from '@openrcm/x12/277ca';
import { buildClaims } from '../claims/build.ts';
import { importPath } from '../intake/import.ts';
import { loadClaims } from '../claims/load.ts';
import { toBatch837P } from '../submission/to837p.ts';
import { write837P } from '@openrcm/x12/837p';
import { ingestAcknowledgement } from './ingest.ts';

// A small practice's claims go out as one 837P batch; a test clearinghouse (built from the x12 library's
// 999 and 277CA builders, not from OpenRCM's claim code) answers; OpenRCM ingests the answers.
let db: TestDb;
let dir: string;
let scope: PracticeScope;
let claimIds: number[];
let sent837: string;
const at = '2026-02-05T06:00:00.000Z' as Instant;
const later = '2026-02-05T09:00:00.000Z' as Instant;

const envelope = (control: number) => ({
  senderQualifier: 'ZZ',
  senderId: 'SIMCH',
  receiverQualifier: 'ZZ',
  receiverId: 'OPENRCM',
  date: '2026-02-05',
  time: '0900',
  controlNumber: control,
});

beforeAll(async () => {
  db = await createTestDb();
  dir = mkdtempSync(join(tmpdir(), 'openrcm-acks-'));
  generateToDirectory({ practices: 1, months: 1, seed: 3, startDate: '2026-01-01' }, join(dir, 'data'));
  expect((await importPath(db, join(dir, 'data'))).ok).toBe(true);
  scope = practiceScope((await db.query<{ id: number }>('SELECT id FROM practices')).rows[0]?.id ?? 0);
  await buildClaims(db, scope, { at });
  claimIds = (await db.query<{ id: number }>('SELECT id FROM claims ORDER BY id LIMIT 20')).rows.map(
    (r) => r.id,
  );
  // Submit 20 claims as one batch, as the submission job records it.
  await db.query(
    `INSERT INTO clearinghouses (code, name, sender_id, receiver_id) VALUES ('t', 'test', 'OPENRCM', 'SIMCH')`,
  );
  const batch = await db.query<{ id: number; isa: number; gs: number }>(
    `INSERT INTO submission_batches (practice_id, clearinghouse_id, transaction_type, status, item_count, sent_at)
     VALUES ($1, (SELECT id FROM clearinghouses WHERE code = 't'), '837P', 'sent', 20, $2)
     RETURNING id, isa_control_number AS isa, gs_control_number AS gs`,
    [scope.practiceId, at],
  );
  const b = batch.rows[0];
  if (b === undefined) throw new Error('no batch');
  await db.query(
    `INSERT INTO batch_claims (practice_id, batch_id, claim_version_id, st_control_number)
     SELECT $1, $2, v.id, '0001' FROM claim_versions v WHERE v.claim_id = ANY($3::bigint[])`,
    [scope.practiceId, b.id, claimIds],
  );
  await db.query(`UPDATE claims SET status = 'submitted' WHERE id = ANY($1::bigint[])`, [claimIds]);
  const claims = await loadClaims(db, scope, claimIds);
  sent837 = write837P(
    toBatch837P(
      claims,
      {
        submitterName: 'OPENRCM',
        submitterId: 'OPENRCM',
        contactName: 'DESK',
        contactPhone: '8005550100',
        receiverName: 'SIM',
        receiverId: 'SIMCH',
      },
      String(b.id),
      { date: '2026-02-05', time: '0600' },
    ),
    {
      ...envelope(b.isa),
      senderId: 'OPENRCM',
      receiverId: 'SIMCH',
      applicationSenderCode: 'OPENRCM',
      applicationReceiverCode: 'SIMCH',
      groupControlNumber: b.gs,
      transactionControlNumber: 1,
    },
  );
});

afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function statuses(): Promise<Record<string, number>> {
  const r = await db.query<{ status: string; n: number }>(
    'SELECT status, count(*)::int AS n FROM claims WHERE id = ANY($1::bigint[]) GROUP BY status',
    [claimIds],
  );
  return Object.fromEntries(r.rows.map((x) => [x.status, x.n]));
}

describe('acknowledgements from the clearinghouse', () => {
  it('a 999 accepting the transaction set accepts the batch and leaves the claims submitted', async () => {
    const parsed = parseX12(sent837);
    const group = parsed.interchanges[0]?.groups[0];
    if (group === undefined) throw new Error('no group');
    const ack = build999(group, [read837P(sent837).diagnostics]);
    const text = write999([ack], {
      interchange: envelope(501),
      senderCode: 'SIMCH',
      receiverCode: 'OPENRCM',
      groupControlNumber: 501,
    });
    const r = await ingestAcknowledgement(db, { name: '999-1.x12', content: text }, { at: later });
    expect(r).toMatchObject({ kind: '999', duplicate: false, claimsRejected: 0, unmatched: 0 });
    const batch = await db.query<{ status: string }>('SELECT status FROM submission_batches');
    expect(batch.rows[0]?.status).toBe('accepted');
    expect(await statuses()).toEqual({ submitted: 20 });
  });

  it('a 277CA accepts 19 claims and rejects one with its reason; the rejection becomes billing work', async () => {
    const tx837 = read837P(sent837).value.transactions[0];
    const acked: AckClaim[] = (tx837?.claims ?? []).map((c, i) => ({
      patientControlNumber: c.claim.patientControlNumber,
      patient: { lastName: 'TESTPATIENT', memberId: 'MEMBER01' },
      statuses:
        i === 0 ? [{ category: 'A7', status: '21', entity: 'IL' }] : [{ category: 'A2', status: '20' }],
      chargeCents: c.claim.totalChargeCents,
      ...(i === 0 ? {} : { payerClaimControlNumber: `PCN${i}` }),
      serviceDate: c.lines[0]?.serviceDate ?? '2026-01-02',
    }));
    const rejectedPcn = acked[0]?.patientControlNumber;
    const ca = buildClaimAcknowledgement({
      referenceId: '1',
      date: '2026-02-05',
      time: '0900',
      source: { entity: 'AY', name: 'SIM CLEARINGHOUSE', idQualifier: '46', id: 'SIMCH' },
      sourceTrace: '1',
      receivedDate: '2026-02-05',
      processedDate: '2026-02-05',
      receiver: { name: 'OPENRCM', etin: 'OPENRCM' },
      batchReference: '1',
      providers: [
        {
          npi: tx837?.claims[0]?.billingProvider.provider.name.id ?? '',
          organizationName: 'PRACTICE',
          claims: acked,
        },
      ],
    });
    const text = writeClaimAcknowledgementInterchange([ca], {
      interchange: envelope(502),
      senderCode: 'SIMCH',
      receiverCode: 'OPENRCM',
      groupControlNumber: 502,
    });
    const r = await ingestAcknowledgement(db, { name: '277CA-1.x12', content: text }, { at: later });
    expect(r).toMatchObject({ kind: '277CA', claimsAccepted: 19, claimsRejected: 1, unmatched: 0 });
    expect(await statuses()).toEqual({ accepted: 19, rejected: 1 });
    const work = await db.query<{ title: string; links: { claimId: number } }>(
      "SELECT title, links FROM work_items WHERE type = 'clearinghouse_rejection'",
    );
    expect(work.rows).toHaveLength(1);
    expect(String(work.rows[0]?.links.claimId)).toBe(rejectedPcn);
    expect(work.rows[0]?.title).toMatch(/A7:21/);
    const history = await db.query<{ to_status: string; reason: string }>(
      `SELECT h.to_status, h.reason FROM claim_status_history h JOIN claims c ON c.id = h.claim_id
        WHERE c.patient_control_number = $1 ORDER BY h.id DESC LIMIT 1`,
      [rejectedPcn],
    );
    expect(history.rows[0]?.to_status).toBe('rejected');
    // The same file again changes nothing.
    const again = await ingestAcknowledgement(db, { name: '277CA-1-copy.x12', content: text }, { at: later });
    expect(again.duplicate).toBe(true);
    expect(await statuses()).toEqual({ accepted: 19, rejected: 1 });
  });

  it('a 999 rejecting the transaction set rejects its claims with the located reason', async () => {
    // Corrupt one CLM segment's charge so the reader finds an error, and reject that set.
    const bad = sent837.replace(/CLM\*([^*]+)\*[0-9.]+\*/, 'CLM*$1*ABC*');
    const parsed = parseX12(bad);
    const group = parsed.interchanges[0]?.groups[0];
    if (group === undefined) throw new Error('no group');
    const ack = build999(group, [read837P(bad).diagnostics]);
    expect(ack.transactions[0]?.status).toBe('R');
    await db.query(`UPDATE claims SET status = 'submitted' WHERE id = ANY($1::bigint[])`, [claimIds]);
    const text = write999([ack], {
      interchange: envelope(503),
      senderCode: 'SIMCH',
      receiverCode: 'OPENRCM',
      groupControlNumber: 503,
    });
    const r = await ingestAcknowledgement(db, { name: '999-2.x12', content: text }, { at: later });
    expect(r.claimsRejected).toBe(20);
    const reason = await db.query<{ reason: string }>(
      "SELECT reason FROM claim_status_history WHERE reason LIKE '999 rejected%' LIMIT 1",
    );
    expect(reason.rows[0]?.reason).toMatch(/CLM02 .*IK403/);
  });
});
