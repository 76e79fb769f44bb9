import { describe, expect, it } from 'vitest';
import { hasErrors, formatDiagnostic } from '../core/diagnostics.ts';
import { parseX12, transactionsOf } from '../core/parse.ts';
import { writeInterchange } from '../core/writer.ts';
import { corpusManifest, isClean, readCorpus } from '../../test/corpus.ts';
import { read837P, read837PTransaction } from './read.ts';
import { build837PSegments } from './write.ts';
import { segmentDifference } from './roundtrip.ts';

const entries = corpusManifest();
const clean837p = entries.filter((e) => e.file.startsWith('837p/') && isClean(e));
const all837 = entries.filter((e) => e.file.startsWith('837p/') || e.file.startsWith('837i/'));

/** Writes a read transaction back and re-tokenizes it, so segments can be compared with the original. */
function rewrite(text: string): {
  original: ReturnType<typeof transactionsOf>;
  rewritten: ReturnType<typeof transactionsOf>;
} {
  const original = transactionsOf(parseX12(text));
  const rewrittenText = writeInterchange(
    {
      senderQualifier: 'ZZ',
      senderId: 'S',
      receiverQualifier: 'ZZ',
      receiverId: 'R',
      date: '2026-01-01',
      time: '1200',
      controlNumber: 1,
    },
    [
      {
        functionalId: 'HC',
        senderCode: 'S',
        receiverCode: 'R',
        controlNumber: 1,
        version: '005010X222A1',
        transactions: original.map((tx, i) => ({
          type: '837',
          controlNumber: i + 1,
          segments: build837PSegments(read837PTransaction(tx).value),
        })),
      },
    ],
  );
  return { original, rewritten: transactionsOf(parseX12(rewrittenText)) };
}

describe('837P corpus', () => {
  it('has the clean 837P files the MANIFEST lists', () => {
    expect(clean837p.length).toBeGreaterThanOrEqual(15);
  });

  describe.each(clean837p.map((e) => e.file))('clean file %s', (file) => {
    const text = readCorpus(file);

    it('reads with no error diagnostic', () => {
      const result = read837P(text);
      const errors = result.diagnostics
        .filter((d) => d.severity === 'error')
        .map((d) => formatDiagnostic(d, file));
      expect(errors).toEqual([]);
      expect(result.value.transactions.length).toBeGreaterThan(0);
      for (const t of result.value.transactions) expect(t.claims.length).toBeGreaterThan(0);
    });

    it('round-trips: parse → typed → write gives the same segments (modulo delimiters and decimal form)', () => {
      const { original, rewritten } = rewrite(text);
      expect(rewritten.length).toBe(original.length);
      original.forEach((tx, i) => {
        expect(segmentDifference(tx.segments, rewritten[i]?.segments ?? [])).toBeUndefined();
      });
    });
  });

  // Files validators accept once a BOM / indentation is stripped or the guide label is fixed: they must
  // round-trip too (the tokenizer already tolerates those quirks).
  const normalized = entries.filter(
    (e) => e.file.startsWith('837p/') && e.verdict === 'clean-after-normalize',
  );
  it.each(normalized.map((e) => e.file))('round-trips the clean-after-normalize file %s', (file) => {
    const { original, rewritten } = rewrite(readCorpus(file));
    expect(rewritten.length).toBe(original.length);
    original.forEach((tx, i) => {
      expect(segmentDifference(tx.segments, rewritten[i]?.segments ?? [])).toBeUndefined();
    });
  });

  it.each(all837.map((e) => e.file))('reads %s without throwing', (file) => {
    const result = read837P(readCorpus(file));
    expect(Array.isArray(result.diagnostics)).toBe(true);
  });

  it('never reports errors without a location on clean files', () => {
    for (const e of clean837p) {
      const result = read837P(readCorpus(e.file));
      expect(hasErrors(result.diagnostics)).toBe(false);
    }
  });
});
