import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOpenRcmError, type Instant } from '@openrcm/core';
import { practiceScope, type PracticeScope } from '@openrcm/db';
import { createTestDb, type TestDb } from '@openrcm/db/test-harness';
import { generateToDirectory } from '@openrcm/sim';
import { read837P, write837P } from '@openrcm/x12/837p';
import { importPath } from '../intake/import.ts';
import { toBatch837P } from '../submission/to837p.ts';
import { buildClaims } from './build.ts';
import { loadClaims } from './load.ts';
import { newClaimVersion } from './versions.ts';

let db: TestDb;
let dir: string;
let scope: PracticeScope;
let claimId: number;
const at = '2026-02-20T09:00:00.000Z' as Instant;

beforeAll(async () => {
  db = await createTestDb();
  dir = mkdtempSync(join(tmpdir(), 'openrcm-versions-'));
  generateToDirectory({ practices: 1, months: 1, seed: 9, startDate: '2026-01-05', volume: 0.2 }, dir);
  expect((await importPath(db, dir)).ok).toBe(true);
  scope = practiceScope((await db.query<{ id: number }>('SELECT id FROM practices')).rows[0]?.id ?? 0);
  await buildClaims(db, scope, { at: '2026-02-01T06:00:00.000Z' as Instant });
  claimId = (await db.query<{ id: number }>('SELECT min(id)::int AS id FROM claims')).rows[0]?.id ?? 0;
});

afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function expectCode(p: Promise<unknown>, code: string): Promise<void> {
  const e: unknown = await p.catch((x: unknown) => x);
  expect(isOpenRcmError(e) && e.code).toBe(code);
}

function roundTrip837(claims: Awaited<ReturnType<typeof loadClaims>>): ReturnType<typeof read837P> {
  const text = write837P(
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
      '1',
      { date: '2026-02-20', time: '0900' },
    ),
    {
      senderQualifier: 'ZZ',
      senderId: 'OPENRCM',
      receiverQualifier: 'ZZ',
      receiverId: 'SIMCH',
      date: '2026-02-20',
      time: '0900',
      controlNumber: 1,
      applicationSenderCode: 'OPENRCM',
      applicationReceiverCode: 'SIMCH',
      groupControlNumber: 1,
      transactionControlNumber: 1,
    },
  );
  return read837P(text);
}

describe('corrected and void claims', () => {
  it('a claim the payer has not accepted cannot be corrected; one without a payer claim number neither', async () => {
    await expectCode(
      newClaimVersion(db, scope, claimId, { kind: 'corrected', at, actor: 'user:1' }),
      'claims.not_correctable',
    );
    await db.query(`UPDATE claims SET status = 'paid' WHERE id = $1`, [claimId]);
    await expectCode(
      newClaimVersion(db, scope, claimId, { kind: 'corrected', at, actor: 'user:1' }),
      'claims.no_payer_claim_number',
    );
    await expectCode(
      newClaimVersion(db, scope, 999_999_999, { kind: 'void', at, actor: 'user:1' }),
      'claims.not_found',
    );
  });

  it('corrected: version 2, frequency 7 with REF*F8, rebuilt from the charges, back to draft, new line ids', async () => {
    await db.query(`UPDATE claims SET payer_claim_number = 'PAYER123' WHERE id = $1`, [claimId]);
    const v1 = (await loadClaims(db, scope, [claimId]))[0];
    const r = await newClaimVersion(db, scope, claimId, {
      kind: 'corrected',
      at,
      actor: 'user:1',
      reason: 'modifier added',
    });
    expect(r.versionNo).toBe(2);
    const [c] = await loadClaims(db, scope, [claimId]);
    expect(c?.frequencyCode).toBe('7');
    expect(c?.payerClaimControlNumber).toBe('PAYER123');
    expect(c?.version).toBe(2);
    expect(c?.lines.length).toBe(v1?.lines.length);
    expect(c?.lines.map((l) => l.lineControlNumber)).not.toEqual(v1?.lines.map((l) => l.lineControlNumber));
    const status = await db.query<{ status: string }>('SELECT status FROM claims WHERE id = $1', [claimId]);
    expect(status.rows[0]?.status).toBe('draft');
    const read = roundTrip837(c === undefined ? [] : [c]);
    expect(read.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const back = read.value.transactions[0]?.claims[0]?.claim;
    expect([back?.frequencyCode, back?.payerClaimControlNumber]).toEqual(['7', 'PAYER123']);
  });

  it('void: version 3, frequency 8, the last version\u2019s lines; history says why', async () => {
    await db.query(`UPDATE claims SET status = 'accepted' WHERE id = $1`, [claimId]);
    const v2 = (await loadClaims(db, scope, [claimId]))[0];
    await newClaimVersion(db, scope, claimId, { kind: 'void', at, actor: 'user:1' });
    const [c] = await loadClaims(db, scope, [claimId]);
    expect([c?.version, c?.frequencyCode]).toEqual([3, '8']);
    expect(c?.lines.map((l) => [l.procedureCode, l.chargeCents])).toEqual(
      v2?.lines.map((l) => [l.procedureCode, l.chargeCents]),
    );
    const h = await db.query<{ reason: string }>(
      'SELECT reason FROM claim_status_history WHERE claim_id = $1 ORDER BY id',
      [claimId],
    );
    expect(h.rows.map((x) => x.reason)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/corrected claim \(frequency 7\) version 2: modifier added/),
        expect.stringMatching(/void \(frequency 8\) version 3/),
      ]),
    );
  });
});
