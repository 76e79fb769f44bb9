import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseX12 } from '../core/parse.ts';
import { X12WriteError, writeInterchange } from '../core/writer.ts';
import { corpusManifest, isClean, readCorpus } from '../../test/corpus.ts';
import { read837P } from './read.ts';
import { build837PSegments } from './write.ts';

// A few clean files of different shapes (COB, drugs, ambulance, dependent patient) as mutation bases.
const bases = corpusManifest()
  .filter((e) => e.file.startsWith('837p/') && isClean(e))
  .map((e) => readCorpus(e.file));

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'delete'; segment: number }
  | { kind: 'duplicate'; segment: number }
  | { kind: 'swap'; segment: number }
  | { kind: 'bytes'; at: number; text: string }
  | { kind: 'element'; segment: number; element: number; text: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('delete' as const), segment: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), segment: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), segment: fc.nat() }),
  fc.record({ kind: fc.constant('bytes' as const), at: fc.nat(), text: fc.string({ maxLength: 6 }) }),
  fc.record({
    kind: fc.constant('element' as const),
    segment: fc.nat(),
    element: fc.integer({ min: 1, max: 12 }),
    text: fc.oneof(
      fc.constantFrom('', 'XX', '-1', '99999999', '1.234', '20261399', ':', 'ABK:Z0000'),
      fc.string({ maxLength: 8 }),
    ),
  }),
);

/** Applies mutations to the segments of a file (split on '~', which every base file uses). */
function apply(text: string, muts: readonly Mutation[]): string {
  let segs = text.split('~');
  for (const m of muts) {
    const i = segs.length === 0 ? 0 : ('segment' in m ? m.segment : 0) % segs.length;
    switch (m.kind) {
      case 'truncate':
        segs = segs
          .join('~')
          .slice(0, m.at % (segs.join('~').length + 1))
          .split('~');
        break;
      case 'delete':
        segs.splice(i, 1);
        break;
      case 'duplicate':
        segs.splice(i, 0, segs[i] ?? '');
        break;
      case 'swap': {
        const a = segs[i] ?? '';
        segs[i] = segs[i + 1] ?? a;
        if (i + 1 < segs.length) segs[i + 1] = a;
        break;
      }
      case 'bytes': {
        const all = segs.join('~');
        const at = m.at % (all.length + 1);
        segs = (all.slice(0, at) + m.text + all.slice(at + m.text.length)).split('~');
        break;
      }
      case 'element': {
        const parts = (segs[i] ?? '').split('*');
        if (m.element < parts.length) parts[m.element] = m.text;
        segs[i] = parts.join('*');
        break;
      }
    }
  }
  return segs.join('~');
}

describe('837P reader under random mutations', () => {
  it('never throws, and what it reads is either written or refused with X12WriteError', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: bases.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        (b, muts) => {
          const text = apply(bases[b] ?? '', muts);
          const result = read837P(text);
          expect(Array.isArray(result.diagnostics)).toBe(true);
          for (const tx of result.value.transactions) {
            try {
              build837PSegments(tx);
            } catch (err) {
              expect(err).toBeInstanceOf(X12WriteError);
            }
          }
        },
      ),
      { numRuns: 400, seed: 837 },
    );
  });

  it('when the reader finds no error, the writer accepts what it read and writes the same claims', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: bases.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 2 }),
        (b, muts) => {
          const text = apply(bases[b] ?? '', muts);
          const result = read837P(text);
          // Out-of-order segments are read (with a warning) and written back in TR3 order: not comparable.
          if (result.diagnostics.some((d) => d.severity === 'error' || d.code === 'segment-order')) return;
          // Write with the file's own delimiters: data may hold characters that are delimiters in the default set.
          const delimiters = parseX12(text).interchanges[0]?.header.delimiters;
          for (const tx of result.value.transactions) {
            const again = read837P(
              writeInterchange(
                {
                  senderQualifier: 'ZZ',
                  senderId: 'S',
                  receiverQualifier: 'ZZ',
                  receiverId: 'R',
                  date: '2026-01-01',
                  time: '1200',
                  controlNumber: 1,
                  ...(delimiters === undefined ? {} : { delimiters }),
                },
                [
                  {
                    functionalId: 'HC',
                    senderCode: 'S',
                    receiverCode: 'R',
                    controlNumber: 1,
                    version: '005010X222A1',
                    transactions: [
                      { type: '837', controlNumber: 1, segments: build837PSegments(tx, delimiters) },
                    ],
                  },
                ],
              ),
            );
            expect(again.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
            const strip = (v: unknown): unknown =>
              JSON.parse(JSON.stringify(v, (k, x: unknown) => (k === 'location' ? undefined : x))) as unknown;
            expect(strip(again.value.transactions[0]?.claims)).toEqual(strip(tx.claims));
          }
        },
      ),
      { numRuns: 400, seed: 2300 },
    );
  });

  it('reads arbitrary text without throwing', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        expect(() => read837P(text)).not.toThrow();
      }),
      { numRuns: 200, seed: 5010 },
    );
  });
});
