import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, type CalendarDate, type Instant } from '@openrcm/core';
import { openDatabase, practiceScope, type Db } from '@openrcm/db';
import { createTestDb, prepareDataDir, testDbKind, type TestDb } from '@openrcm/db/test-harness';
import { buildClaims, codesetsAdapter, importPath, scrubClaims } from '@openrcm/engine';
import { generateToDirectory } from '@openrcm/sim';
import { COMMANDS, run } from '../index.ts';

// `openrcm claims resubmit`: the engine test (engine/src/claims/resubmit.test.ts) takes a claim through a real
// 277CA rejection; here the rejection is recorded as the acknowledgement ingest records it (status, history
// row, work item) and the command is checked for what it accepts, refuses and prints.

let env: Record<string, string>;
let testDb: TestDb | undefined;
const dir = mkdtempSync(join(tmpdir(), 'openrcm-claims-cli-'));
let practice = '';
let rejectedIds: number[] = [];
let readyId = 0;
const t0 = '2026-02-09T07:00:00.000Z' as Instant;

async function openrcm(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(['--json', ...args], {
    commands: COMMANDS,
    env,
    clock: fixedClock('2026-02-11T10:00:00.000Z' as Instant),
    stdout: { write: (t) => void (stdout += t) },
    stderr: { write: (t) => void (stderr += t) },
  });
  return { code, stdout, stderr };
}

type ClaimRow = { id: number; coverage_id: number };

beforeAll(async () => {
  let db: Db;
  if (testDbKind() === 'postgres') {
    testDb = await createTestDb();
    env = { DATABASE_URL: testDb.url ?? '' };
    db = testDb;
  } else {
    await prepareDataDir(join(dir, 'data'));
    env = { OPENRCM_DATA_DIR: join(dir, 'data') };
    db = await openDatabase({ dataDir: join(dir, 'data'), migrate: true });
  }
  generateToDirectory(
    { practices: 1, months: 1, seed: 7, startDate: '2026-01-01', volume: 0.2 },
    join(dir, 'sim'),
  );
  expect((await importPath(db, join(dir, 'sim'))).ok).toBe(true);
  const p = (await db.query<{ id: number; code: string }>('SELECT id, code FROM practices')).rows[0];
  if (p === undefined) throw new Error('no practice');
  practice = p.code;
  const scope = practiceScope(p.id);
  await buildClaims(db, scope, { at: t0 });
  await scrubClaims(db, scope, { asOf: '2026-02-09' as CalendarDate, at: t0, codeSets: codesetsAdapter() });
  for (const table of ['coverages', 'patients', 'encounters', 'providers', 'locations', 'practices']) {
    await db.query(`UPDATE ${table} SET updated_at = '2026-02-01T00:00:00Z'`);
  }
  // Two ready claims with coverages of their own are rejected by the clearinghouse (as acks/ingest.ts records it).
  const picked = await db.query<ClaimRow>(
    `SELECT c.id, c.coverage_id FROM claims c
      WHERE c.status = 'ready' AND (SELECT count(*) FROM claims o WHERE o.coverage_id = c.coverage_id) = 1
      ORDER BY c.id LIMIT 3`,
  );
  const [a, b, c] = picked.rows;
  if (a === undefined || b === undefined || c === undefined) throw new Error('not enough ready claims');
  rejectedIds = [a.id, b.id];
  readyId = c.id;
  await db.query(`UPDATE claims SET status = 'rejected' WHERE id = ANY($1::bigint[])`, [rejectedIds]);
  await db.query(
    `INSERT INTO claim_status_history (practice_id, claim_id, claim_version_id, from_status, to_status, at, actor, reason)
     SELECT c.practice_id, c.id, v.id, 'submitted', 'rejected', '2026-02-09T09:00:00Z', 'clearinghouse:sim', '277CA rejected: A7:21'
       FROM claims c JOIN claim_versions v ON v.claim_id = c.id WHERE c.id = ANY($1::bigint[])`,
    [rejectedIds],
  );
  await db.query(
    `INSERT INTO work_items (practice_id, type, queue, priority, title, links, dedupe_key)
     SELECT c.practice_id, 'clearinghouse_rejection', 'billing', 2, 'Claim ' || c.id || ' rejected',
            jsonb_build_object('claimId', c.id), 'rejection:' || c.id
       FROM claims c WHERE c.id = ANY($1::bigint[])`,
    [rejectedIds],
  );
  // The biller fixes the second claim's coverage after the rejection.
  await db.query(`UPDATE coverages SET updated_at = '2026-02-10T00:00:00Z' WHERE id = $1`, [b.coverage_id]);
  if (testDb === undefined) await db.close();
}, 120_000);

afterAll(async () => {
  await testDb?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe(`openrcm claims resubmit on ${testDbKind()}`, () => {
  it('needs either a claim id or --all-rejected', async () => {
    const r = await openrcm('claims', 'resubmit', '--practice', practice);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('give either a claim id or --all-rejected');
  });

  it('refuses a claim that is not rejected with a clear error', async () => {
    const r = await openrcm('claims', 'resubmit', String(readyId), '--practice', practice);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      `claim ${readyId} is ready: only a claim the clearinghouse rejected can be resubmitted`,
    );
  });

  it('--all-rejected rebuilds only the rejected claim whose data changed since the rejection', async () => {
    const r = await openrcm('claims', 'resubmit', '--all-rejected', '--practice', practice);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject([
      { claimId: rejectedIds[1], versionNo: 2, status: 'ready', workItemsClosed: 1 },
    ]);
    const again = await openrcm('claims', 'resubmit', '--all-rejected', '--practice', practice);
    expect(JSON.parse(again.stdout)).toEqual([]);
  });

  it('rebuilds a rejected claim by id as version 2, ready, and shows it as an original (CLM05-3 = 1)', async () => {
    const id = String(rejectedIds[0]);
    const r = await openrcm('claims', 'resubmit', id, '--practice', practice, '--reason', 'member id fixed');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject([
      { claimId: rejectedIds[0], versionNo: 2, status: 'ready', holdReason: null, workItemsClosed: 1 },
    ]);
    const show = await openrcm('claims', 'show', id, '--practice', practice);
    const detail = JSON.parse(show.stdout) as {
      history: { from_status: string; to_status: string; reason: string }[];
      x12: string[];
    };
    expect(detail.history.map((h) => `${h.from_status}>${h.to_status}`)).toContain('rejected>draft');
    expect(detail.history.find((h) => h.from_status === 'rejected')?.reason).toContain('member id fixed');
    expect(detail.x12.find((s) => s.startsWith('CLM*'))).toMatch(/:B:1\*/);
    expect(detail.x12.some((s) => s.startsWith('REF*F8'))).toBe(false);
  });
});

describe(`openrcm claims unbilled on ${testDbKind()}`, () => {
  it('lists a charge keyed in after its claim was built, with the remedy, and nothing else', async () => {
    const empty = await openrcm('claims', 'unbilled', '--practice', practice);
    expect(empty.stderr).toBe('');
    expect(JSON.parse(empty.stdout)).toEqual([]);
    const db = testDb ?? (await openDatabase({ dataDir: join(dir, 'data'), migrate: false }));
    const late = await db.query<{ id: number; encounter_id: number }>(
      `INSERT INTO charges (practice_id, encounter_id, line_number, procedure_code, modifiers, units, charge_cents,
                            diagnosis_pointers, service_date, status)
       SELECT ch.practice_id, ch.encounter_id, (SELECT max(line_number) + 1 FROM charges WHERE encounter_id = c.encounter_id),
              ch.procedure_code, ch.modifiers, ch.units, 12345, ch.diagnosis_pointers, ch.service_date, 'active'
         FROM claims c JOIN charges ch ON ch.encounter_id = c.encounter_id AND ch.line_number = 1
        WHERE c.id = $1
       RETURNING id, encounter_id`,
      [readyId],
    );
    // A claim the payer has, for the refusal below.
    await db.query(`UPDATE claims SET status = 'paid', hold_reason = NULL WHERE id = $1`, [rejectedIds[1]]);
    if (testDb === undefined) await db.close();
    const r = await openrcm('claims', 'unbilled', '--practice', practice);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject([
      {
        encounter_id: late.rows[0]?.encounter_id,
        charge_id: late.rows[0]?.id,
        charge_cents: 12345,
        claim_ids: [readyId],
        claim_id: readyId,
        remedy: 'rebuild',
      },
    ]);
    // The claim, not sent yet, is rebuilt with it.
    const rebuilt = await openrcm(
      'claims',
      'rebuild',
      String(readyId),
      '--practice',
      practice,
      '--reason',
      'late charge',
    );
    expect(rebuilt.stderr).toBe('');
    expect(JSON.parse(rebuilt.stdout)).toMatchObject([{ claimId: readyId, versionNo: 2 }]);
    expect(JSON.parse((await openrcm('claims', 'unbilled', '--practice', practice)).stdout)).toEqual([]);
    const show = await openrcm('claims', 'show', String(readyId), '--practice', practice);
    const detail = JSON.parse(show.stdout) as {
      lines: { charge_cents: number }[];
      history: { reason: string }[];
    };
    expect(detail.lines.map((l) => l.charge_cents)).toContain(12345);
    expect(detail.history.map((h) => h.reason)).toContain(
      'rebuilt before submission as version 2 (original, frequency 1): late charge',
    );
    const refused = await openrcm('claims', 'rebuild', String(rejectedIds[1]), '--practice', practice);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(
      `claim ${rejectedIds[1]} is paid: only a claim not yet sent (draft, held, ready) can be rebuilt (the payer has it: send a corrected claim with \`claims correct\`)`,
    );
  });
});
