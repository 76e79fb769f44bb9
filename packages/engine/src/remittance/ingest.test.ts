import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Instant } from '@openrcm/core';
import { createTestDb, type TestDb } from '@openrcm/db/test-harness';
import { parse835 } from '@openrcm/x12/835';
import { testCodeLists } from '../../../x12/test/codelists.ts';
import { corpusManifest, isClean, mutationFiles, readCorpus } from '../../../x12/test/corpus.ts';
import {
  cas,
  claimPayment,
  createClaim,
  createClaimsFor835,
  createWorld,
  remittance,
  service,
  write,
} from './fixtures.ts';
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
        // Every remittance posted now links to this file's inbound_files row.
        if (set.outcome === 'posted')
          expect(await inboundFileOf(set.remittanceId ?? 0)).toBe(first.inboundFileId);
      }
      expect(await inboundFile(first.inboundFileId)).toMatchObject({
        kind: '835',
        content_sha256: first.fileSha256,
        status: first.transactionSets.every((x) => x.outcome === 'duplicate') ? 'duplicate' : 'processed',
      });
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
      const statusBefore = (await inboundFile(first.inboundFileId))?.status;
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
      // The same file again is the same inbound file, which keeps its first outcome.
      expect(again.inboundFileId).toBe(first.inboundFileId);
      expect((await inboundFile(first.inboundFileId))?.status).toBe(statusBefore);
    });
  }
});

type InboundRow = {
  kind: string;
  file_name: string;
  content_sha256: string;
  size_bytes: number;
  status: string;
};

async function inboundFile(id: number): Promise<InboundRow | undefined> {
  const r = await db.query<InboundRow>(
    'SELECT kind, file_name, content_sha256, size_bytes, status FROM inbound_files WHERE id = $1',
    [id],
  );
  return r.rows[0];
}

async function inboundFileOf(remittanceId: number): Promise<number | null> {
  const r = await db.query<{ id: number | null }>(
    'SELECT inbound_file_id AS id FROM remittances WHERE id = $1',
    [remittanceId],
  );
  return r.rows[0]?.id ?? null;
}

describe('inbound files', () => {
  it('a file read from disk is recorded with its name, size and hash before its sets post; a re-import links to it', async () => {
    const w = await createWorld(db, 'file');
    const pcn = `F${process.pid % 100000}`;
    const c = await createClaim(db, w, pcn, [
      { procedureCode: '99213', chargeCents: 10000, serviceDate: '2026-02-10' },
    ]);
    const text = write([
      remittance(w, `TRN-${pcn}`, [
        claimPayment(pcn, '1', [
          service('99213', 10000, [cas('CO', ['45', 2500])], { ref: c.lineControlNumbers[0] ?? '' }),
        ]),
      ]),
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'openrcm-era-'));
    const path = join(dir, 'remit-0001.835');
    writeFileSync(path, text);
    try {
      const opts = { receivedAt, now, practiceId: w.practiceId, payerId: w.payerId };
      const first = await importEra(db, { file: path }, opts);
      expect(first.transactionSets.map((x) => x.outcome)).toEqual(['posted']);
      expect(first.fileSha256).toBe(createHash('sha256').update(text).digest('hex'));
      expect(await inboundFile(first.inboundFileId)).toEqual({
        kind: '835',
        file_name: 'remit-0001.835',
        content_sha256: first.fileSha256,
        size_bytes: Buffer.byteLength(text),
        status: 'processed',
      });
      expect(await inboundFileOf(first.transactionSets[0]?.remittanceId ?? 0)).toBe(first.inboundFileId);
      const again = await importEra(db, { file: path }, opts);
      expect(again.inboundFileId).toBe(first.inboundFileId);
      expect(again.transactionSets.map((x) => x.outcome)).toEqual(['duplicate']);
      expect((await inboundFile(first.inboundFileId))?.status).toBe('processed');
      expect(await count('SELECT id FROM inbound_files WHERE content_sha256 = $1', [first.fileSha256])).toBe(
        1,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
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
      // The file is on record, as failed: nothing in it posted.
      expect((await inboundFile(res.inboundFileId))?.status).toBe('failed');
      expect(await count('SELECT id FROM ledger_transactions WHERE practice_id = $1', [w.practiceId])).toBe(
        before,
      );
    });
  }
});
