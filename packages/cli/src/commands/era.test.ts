import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '@openrcm/db';
import { createTestDb, prepareDataDir, testDbKind, type TestDb } from '@openrcm/db/test-harness';
import {
  cas,
  claimPayment,
  createClaim,
  createWorld,
  remittance,
  service,
  write,
} from '../../../engine/src/remittance/fixtures.ts';
import { COMMANDS, run } from '../index.ts';

let env: Record<string, string>;
let testDb: TestDb | undefined;
const dir = mkdtempSync(join(tmpdir(), 'openrcm-era-cli-'));
let claimId = 0;

async function openrcm(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(['--json', ...args], {
    commands: COMMANDS,
    env,
    stdout: { write: (t) => void (stdout += t) },
    stderr: { write: (t) => void (stderr += t) },
  });
  return { code, stdout, stderr };
}

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
  // A claim of 200.00 + an ERA paying 140.00 with CO-45 40.00 and PR-2 20.00 (synthetic data).
  const w = await createWorld(db, 'cli');
  const c = await createClaim(db, w, 'CLI-1', [
    { procedureCode: '99214', chargeCents: 20000, serviceDate: '2026-02-10' },
  ]);
  claimId = c.claimId;
  const era = remittance(w, 'TRN-CLI-1', [
    claimPayment('CLI-1', '1', [
      service('99214', 20000, [cas('CO', ['45', 4000]), cas('PR', ['2', 2000])], {
        ref: c.lineControlNumbers[0] ?? '',
      }),
    ]),
  ]);
  writeFileSync(join(dir, 'era.835'), write([era]));
  copyFileSync(
    join(import.meta.dirname, '../../../x12/test/corpus/mutations/835/06_payment_not_balanced.edi'),
    join(dir, 'bad.835'),
  );
  if (testDb === undefined) await db.close();
});

afterAll(async () => {
  await testDb?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe(`openrcm era on ${testDbKind()}`, () => {
  it('imports an ERA, says so when it is imported again, lists it, shows it, and prints the claim ledger', async () => {
    const first = await openrcm('era', 'import', join(dir, 'era.835'));
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const [set] = JSON.parse(first.stdout) as {
      outcome: string;
      remittanceId: number;
      linesAutoPosted: number;
    }[];
    expect(set).toMatchObject({ outcome: 'posted', linesAutoPosted: 1 });

    const again = await openrcm('era', 'import', join(dir, 'era.835'));
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('already imported');
    expect(JSON.parse(again.stdout)).toMatchObject([
      { outcome: 'duplicate', remittanceId: set?.remittanceId },
    ]);

    const list = await openrcm('era', 'list');
    expect(JSON.parse(list.stdout)).toMatchObject([
      { id: set?.remittanceId, autoPostingRate: 1, status: 'posted' },
    ]);

    const show = await openrcm('era', 'show', String(set?.remittanceId));
    const detail = JSON.parse(show.stdout) as { entries: { account: string; amountCents: number }[] };
    expect(detail.entries.filter((e) => e.account === 'cash').reduce((s, e) => s + e.amountCents, 0)).toBe(
      14000,
    );

    const ledger = await openrcm('ledger', 'claim', String(claimId));
    const rows = JSON.parse(ledger.stdout) as { kind: string; openBalanceCents: number }[];
    expect(rows[0]?.kind).toBe('charge');
    // Open balance after posting: the 20.00 coinsurance now owed by the patient.
    expect(rows.at(-1)?.openBalanceCents).toBe(2000);
  });

  it('imports bank deposits and ties them to the ERA by trace and amount', async () => {
    writeFileSync(
      join(dir, 'deposits.csv'),
      'date,amount,trace\n2026-03-03,140.00,TRN-CLI-1\n2026-03-04,9.99,OTHER\n',
    );
    const practice = await openrcm('era', 'list');
    const [rem] = JSON.parse(practice.stdout) as { practiceId: number }[];
    const r = await openrcm(
      'era',
      'deposits',
      join(dir, 'deposits.csv'),
      '--practice',
      String(rem?.practiceId),
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ inserted: 2, matched: 1, unmatchedRemittanceIds: [] });
  });

  it('refuses an unbalanced 835 with located diagnostics on stderr and exit 1', async () => {
    const r = await openrcm('era', 'import', join(dir, 'bad.835'), '--practice', '1', '--payer', '1');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/segment \d+ BPR BPR02 .*balance-payment/);
    expect(r.stderr).toMatch(/refused/);
  });
});
