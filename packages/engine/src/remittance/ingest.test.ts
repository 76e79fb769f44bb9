import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Instant } from '@openrcm/core';
import { createTestDb, type TestDb } from '@openrcm/db/test-harness';
import { parse835 } from '@openrcm/x12/835';
import { testCodeLists } from '../../../x12/test/codelists.ts';
import { corpusManifest, isClean, mutationFiles, readCorpus } from '../../../x12/test/corpus.ts';
import { createClaimsFor835, createWorld } from './fixtures.ts';
import { importEra } from './ingest.ts';

let db: TestDb;
const receivedAt = '2026-03-02T08:00:00.000Z' as Instant;
const now = '2026-03-02T09:30:00.000Z' as Instant;

beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => {
  await db.close();
});

async function count(sql: string, params: readonly unknown[] = []): Promise<number> {
  const r = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${sql}) x`, params);
  return r.rows[0]?.n ?? 0;
}

/** Ledger invariants for one practice: every transaction balances; every claim line's entries net to zero. */
async function expectLedgerBalanced(practiceId: number): Promise<void> {
  expect(
    await count(
      `SELECT transaction_id FROM ledger_entries WHERE practice_id = $1 GROUP BY transaction_id HAVING sum(amount_cents) <> 0`,
      [practiceId],
    ),
  ).toBe(0);
  // charge = paid + adjustments + patient responsibility + open balance, per claim line: every entry on a
  // line has its opposite on the same line, so the line's entries sum to zero across accounts.
  expect(
    await count(
      `SELECT claim_line_id FROM ledger_entries WHERE practice_id = $1 AND claim_line_id IS NOT NULL
        GROUP BY claim_line_id HAVING sum(amount_cents) <> 0`,
      [practiceId],
    ),
  ).toBe(0);
}

async function cashOf(remittanceId: number): Promise<number> {
  const r = await db.query<{ s: number | null }>(
    `SELECT coalesce(sum(e.amount_cents), 0)::bigint AS s FROM ledger_entries e
       JOIN ledger_transactions t ON t.id = e.transaction_id WHERE t.remittance_id = $1 AND e.account = 'cash'`,
    [remittanceId],
  );
  return Number(r.rows[0]?.s ?? 0);
}

/** Remittance ids posted by earlier corpus files. */
const seen = new Set<number>();
const clean835 = corpusManifest().filter((e) => e.file.startsWith('835/') && isClean(e));

describe('corpus 835s import and post in balance', () => {
  it('has clean 835s to post', () => {
    expect(clean835.length).toBeGreaterThanOrEqual(10);
  });

  for (const entry of clean835) {
    it(`${entry.file}: posts, cash = BPR02, ledger balanced; re-import posts nothing`, async () => {
      const text = readCorpus(entry.file);
      const parsed = parse835(text);
      const w = await createWorld(db, entry.file.slice(4, 12));
      await createClaimsFor835(db, w, parsed.value);
      const opts = { receivedAt, now, practiceId: w.practiceId, payerId: w.payerId };
      const first = await importEra(db, { text }, opts);
      expect(first.transactionSets.map((s) => s.reason ?? '')).toEqual(first.transactionSets.map(() => ''));
      expect(first.transactionSets.length).toBe(parsed.value.length);
      for (const set of first.transactionSets) {
        expect(set.diagnostics).toEqual([]);
        // Some corpus files carry the same ERA as an earlier one (re-formatted): that is a duplicate.
        if (set.outcome === 'duplicate') expect(seen.has(set.remittanceId ?? 0)).toBe(true);
        else expect(set.outcome).toBe('posted');
        seen.add(set.remittanceId ?? 0);
        expect(await cashOf(set.remittanceId ?? 0)).toBe(set.paymentCents);
      }
      await expectLedgerBalanced(w.practiceId);
      // Claims we could have billed (CLP01 in our format, not reused for another visit) all post automatically.
      const pcns = parsed.value.flatMap((r) =>
        r.headers.flatMap((h) => h.claims.map((c) => c.patientControlNumber)),
      );
      if (pcns.every((p) => /^[!-~]{1,20}$/.test(p)) && new Set(pcns).size === pcns.length) {
        expect(
          first.transactionSets.every((s) => s.claimExceptions === 0 && s.linesAutoPosted === s.lines),
        ).toBe(true);
      }
      const ledgerBefore = await count('SELECT id FROM ledger_transactions WHERE practice_id = $1', [
        w.practiceId,
      ]);
      const again = await importEra(db, { text }, opts);
      expect(again.transactionSets.map((s) => s.outcome)).toEqual(
        first.transactionSets.map(() => 'duplicate'),
      );
      expect(again.transactionSets.map((s) => s.remittanceId)).toEqual(
        first.transactionSets.map((s) => s.remittanceId),
      );
      expect(await count('SELECT id FROM ledger_transactions WHERE practice_id = $1', [w.practiceId])).toBe(
        ledgerBefore,
      );
    });
  }
});

describe('money-balancing mutations are refused with located diagnostics and post nothing', () => {
  const files = mutationFiles('835').filter((f) => /\/0[678]_/.test(f));
  const codeLists = testCodeLists();

  it('covers 06, 07 and 08', () => {
    expect(files).toHaveLength(3);
  });

  for (const file of files) {
    it(file, async () => {
      const text = readCorpus(file);
      const w = await createWorld(db, 'mut');
      await createClaimsFor835(db, w, parse835(text).value);
      const before = await count('SELECT id FROM ledger_transactions WHERE practice_id = $1', [w.practiceId]);
      const res = await importEra(db, { text }, { receivedAt, now, practiceId: w.practiceId, codeLists });
      expect(res.transactionSets.length).toBeGreaterThan(0);
      for (const set of res.transactionSets) {
        expect(set.outcome).toBe('refused');
        expect(set.diagnostics.length).toBeGreaterThan(0);
        for (const d of set.diagnostics) {
          expect(d.severity).toBe('error');
          expect(d.segmentIndex).toBeTypeOf('number');
          expect(d.segmentId).toBeTypeOf('string');
        }
      }
      expect(await count('SELECT id FROM remittances WHERE practice_id = $1', [w.practiceId])).toBe(0);
      expect(await count('SELECT id FROM ledger_transactions WHERE practice_id = $1', [w.practiceId])).toBe(
        before,
      );
    });
  }
});
