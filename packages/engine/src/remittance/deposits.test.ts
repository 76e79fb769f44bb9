import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Instant } from '@openrcm/core';
import { createTestDb, type TestDb } from '@openrcm/db/test-harness';
import { importDeposits, parseDepositsCsv } from './deposits.ts';
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
import { importEra } from './ingest.ts';

let db: TestDb;
let w: World;
const opts = {
  receivedAt: '2026-03-02T08:00:00.000Z' as Instant,
  now: '2026-03-02T09:00:00.000Z' as Instant,
};

beforeAll(async () => {
  db = await createTestDb();
  w = await createWorld(db, 'dep');
});
afterAll(async () => {
  await db.close();
});

async function era(pcn: string, trace: string, charge: number, date: string): Promise<number> {
  const c = await createClaim(db, w, pcn, [
    { procedureCode: '99213', chargeCents: charge, serviceDate: '2026-02-10' },
  ]);
  const res = await importEra(
    db,
    {
      text: write([
        remittance(
          w,
          trace,
          [
            claimPayment(pcn, '1', [
              service('99213', charge, [cas('CO', ['45', 1000])], { ref: c.lineControlNumbers[0] ?? '' }),
            ]),
          ],
          [],
          date,
        ),
      ]),
    },
    opts,
  );
  return res.transactionSets[0]?.remittanceId ?? 0;
}

describe('deposit reconciliation', () => {
  it('parses date,amount,trace and names the bad field by line', () => {
    expect(parseDepositsCsv('date,amount,trace\n2026-03-03,90.00,EFT1\n').rows).toEqual([
      { date: '2026-03-03', amountCents: 9000, trace: 'EFT1' },
    ]);
    expect(parseDepositsCsv('date,amount,trace\n2026-13-03,x,\n').errors).toEqual([
      { line: 2, message: 'date is not YYYY-MM-DD' },
    ]);
  });

  it('matches by trace + amount, then by amount within the date window; lists what is left on both sides', async () => {
    const a = await era('D-1', 'EFT-A', 10000, '2026-03-02'); // pays 90.00, deposit carries its trace
    const b = await era('D-2', 'CHK-B', 20000, '2026-03-02'); // pays 190.00, the bank file has another reference
    const c = await era('D-3', 'EFT-C', 30000, '2026-03-02'); // pays 290.00, no deposit arrived
    const csv =
      'date,amount,trace\n2026-03-03,90.00,EFT-A\n2026-03-04,190.00,BANKREF-77\n2026-03-04,55.00,EFT-X\n';
    const first = await importDeposits(db, w.scope, csv);
    expect(first).toMatchObject({ inserted: 3, matched: 2, unmatchedRemittanceIds: [c] });
    expect(first.unmatchedDepositIds).toHaveLength(1);
    const linked = await db.query<{ id: number; deposit_id: number | null }>(
      'SELECT id, deposit_id FROM remittances WHERE id = ANY($1::bigint[]) ORDER BY id',
      [[a, b]],
    );
    expect(linked.rows.every((r) => r.deposit_id !== null)).toBe(true);
    // Importing the same bank file again adds nothing and links nothing new.
    const again = await importDeposits(db, w.scope, csv);
    expect(again).toMatchObject({ inserted: 0, matched: 0, unmatchedRemittanceIds: [c] });
  });
});
