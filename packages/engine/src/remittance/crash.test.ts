import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, testDbKind, type TestDb } from '@openrcm/db/test-harness';
import {
  cas,
  claimPayment,
  createClaim,
  createWorld,
  remittance,
  service,
  write,
  type World,
} from './fixtures.ts';

// Crash safety needs a real server and a real process to kill: skipped on the embedded database.
const server = testDbKind() === 'postgres';
const SETS = 30;
const CLAIMS_PER_SET = 4;
const child = join(import.meta.dirname, 'crash-child.ts');
let db: TestDb;
let w: World;
// Made in beforeAll, on the server only: a skipped file runs no hooks, so a directory made here would stay.
let dir = '';
let file = '';
let expectedCash = 0;

function runChild(
  killWhen?: () => Promise<boolean>,
): Promise<{ code: number | null; signal: string | null; out: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(
      process.execPath,
      ['--import', 'tsx', child, db.url ?? '', file, String(w.practiceId), String(w.payerId)],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    p.on('close', (code, signal) => resolve({ code, signal, out }));
    if (killWhen) {
      const poll = (): void => {
        void killWhen().then((yes) => {
          if (yes) p.kill('SIGKILL');
          else if (p.exitCode === null) setTimeout(poll, 5);
        });
      };
      poll();
    }
  });
}

beforeAll(async () => {
  if (!server) return;
  dir = mkdtempSync(join(tmpdir(), 'openrcm-era-crash-'));
  file = join(dir, 'big.835');
  db = await createTestDb();
  w = await createWorld(db, 'crash');
  const sets = [];
  for (let s = 0; s < SETS; s += 1) {
    const claims = [];
    for (let c = 0; c < CLAIMS_PER_SET; c += 1) {
      const pcn = `K${s}-${c}`;
      const fc = await createClaim(db, w, pcn, [
        { procedureCode: '99213', chargeCents: 10000, serviceDate: '2026-02-10' },
        { procedureCode: '36415', chargeCents: 2000, serviceDate: '2026-02-10' },
      ]);
      claims.push(
        claimPayment(pcn, '1', [
          service('99213', 10000, [cas('CO', ['45', 2500]), cas('PR', ['2', 1500])], {
            ref: fc.lineControlNumbers[0] ?? '',
          }),
          service('36415', 2000, [cas('CO', ['45', 500])], { ref: fc.lineControlNumbers[1] ?? '' }),
        ]),
      );
    }
    const r = remittance(w, `CRASH-${s}`, claims);
    expectedCash += r.payment.amount;
    sets.push(r);
  }
  writeFileSync(file, write(sets));
}, 300_000);

afterAll(async () => {
  if (server) await db.close();
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!server)('crash safety (real child process, real PostgreSQL)', () => {
  it('killing the import mid-file and re-running it leaves no double and no missing posting', async () => {
    const count = async (): Promise<number> => {
      const r = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM remittances WHERE status = 'posted'",
      );
      return r.rows[0]?.n ?? 0;
    };
    const killed = await runChild(async () => (await count()) >= 3);
    expect(killed.signal).toBe('SIGKILL');
    const partial = await count();
    expect(partial).toBeGreaterThanOrEqual(3);
    expect(partial).toBeLessThan(SETS);

    const rerun = await runChild();
    expect(rerun.code).toBe(0);
    const outcomes = JSON.parse(rerun.out) as string[];
    expect(outcomes.filter((o) => o === 'duplicate').length).toBeGreaterThanOrEqual(partial);
    expect(outcomes.filter((o) => o === 'refused')).toEqual([]);

    expect(await count()).toBe(SETS);
    // No double: one remittance per trace, and cash over the whole ledger is exactly Σ BPR02.
    const traces = await db.query<{ n: number }>(
      'SELECT count(DISTINCT trace_number)::int AS n FROM remittances',
    );
    expect(traces.rows[0]?.n).toBe(SETS);
    const cash = await db.query<{ s: string | number }>(
      "SELECT sum(amount_cents) AS s FROM ledger_entries WHERE practice_id = $1 AND account = 'cash'",
      [w.practiceId],
    );
    expect(Number(cash.rows[0]?.s)).toBe(expectedCash);
    // No missing: every claim line is fully adjudicated (insurance balance zero), none half-posted.
    const open = await db.query(
      `SELECT claim_line_id FROM ledger_entries WHERE practice_id = $1 AND account = 'ar_insurance'
        GROUP BY claim_line_id HAVING sum(amount_cents) <> 0`,
      [w.practiceId],
    );
    expect(open.rows).toEqual([]);
    const half = await db.query("SELECT id FROM remittances WHERE status <> 'posted' OR posted_at IS NULL");
    expect(half.rows).toEqual([]);
  });
});
