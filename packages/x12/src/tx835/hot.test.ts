import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { syntheticInterchange } from '../../bench/synth835.ts';
import { testCodeLists } from '../../test/codelists.ts';
import { corpusManifest, readCorpus } from '../../test/corpus.ts';
import type { TransactionSet } from '../core/envelope.ts';
import { parseX12, transactionsOf } from '../core/parse.ts';
import type { Segment } from '../core/segment.ts';
import { compileLayout } from '../core/check.ts';
import { SegmentView } from '../core/view.ts';
import { HotReads, SharedTables } from './hot.ts';
import * as L from './layouts.ts';
import { readSet, type Read835Options } from './reader.ts';

/** The segments with a fused read (hot.ts), and the 2100/2110 segments around them. */
const HOT = new Set(['SVC', 'CAS', 'DTM', 'REF', 'AMT', 'CLP', 'NM1']);

/** Values the hot segments' elements take, valid somewhere or nearly so, and broken ones. */
const VALUES = [
  '',
  'CO',
  'PR',
  'OA',
  'XX',
  '45',
  '1',
  '2',
  '3',
  '4',
  '22',
  '12',
  'MC',
  '11',
  '472',
  '050',
  '150',
  '405',
  '47',
  'QC',
  '82',
  'IL',
  'ZZ',
  'MI',
  '6R',
  'EA',
  'B6',
  'AU',
  'I',
  '20261120',
  '20240229',
  '20250229',
  '20261131',
  '2026112',
  '178.23',
  '141.2',
  '100',
  '-5.5',
  '-0',
  '0',
  '10.500',
  '1.005',
  '.5',
  '5.',
  '.',
  '-',
  '1e3',
  '12345678901234',
  '1234567890123456789',
  'HC:99213',
  'HC:99213:25',
  'HC:99213:25:59:LT:RT:OFFICE VISIT',
  'HC:99213::::',
  'HC:99213:::::DESC',
  'HC:99213:2',
  'HC:99213:25:59:LT:RT:D:X',
  'HC',
  'HC:',
  ':99213',
  'XX:99213',
  'AD:D0120',
  'DAVIS',
  'PATRICIA',
  'M488788317',
  'SL1X0L0',
  'CLM1X0',
  'A'.repeat(61),
];

const value = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...VALUES) },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.constantFrom(...'0123456789-.ABCZ: '.split('')), { maxLength: 9 })
      .map((cs) => cs.join('')),
  },
);

/** A change to one segment: elements replaced, dropped from the end or appended. */
const change = fc.record({
  at: fc.nat(),
  replace: fc.array(fc.tuple(fc.nat(20), value), { maxLength: 3 }),
  keep: fc.option(fc.nat(20), { nil: undefined }),
  append: fc.array(value, { maxLength: 2 }),
});
type Change = typeof change extends fc.Arbitrary<infer T> ? T : never;

function changed(seg: Segment, c: Change): Segment {
  const elements = [...seg.elements];
  for (const [at, v] of c.replace) elements[1 + (at % Math.max(1, elements.length))] = v;
  for (let k = 0; k < elements.length; k++) elements[k] ??= '';
  const kept = c.keep === undefined ? elements : elements.slice(0, 1 + c.keep);
  return { ...seg, elements: [...kept, ...c.append] };
}

/** The set with some of its hot segments changed. */
function withChanges(tx: TransactionSet, changes: readonly Change[]): TransactionSet {
  const hot = tx.segments.flatMap((s, k) => (HOT.has(s.id) ? [k] : []));
  const segments = [...tx.segments];
  for (const c of changes) {
    const k = hot[c.at % hot.length]!;
    segments[k] = changed(segments[k]!, c);
  }
  return { ...tx, segments };
}

/** Fused and generic reads of a set: the same typed 835 (key order included) and the same findings. */
function expectSameReads(tx: TransactionSet, options: Read835Options): void {
  const fused = readSet(tx, options, true);
  const generic = readSet(tx, options, false);
  expect(JSON.stringify(fused.value)).toBe(JSON.stringify(generic.value));
  expect(fused.value).toEqual(generic.value);
  expect(fused.diagnostics).toEqual(generic.diagnostics);
}

const OPTIONS: Read835Options[] = [{}, { validate: false }, { codeLists: testCodeLists() }];

describe('fused reads of the hot 835 segments = the generic checks and conversions', () => {
  const synthetic = transactionsOf(parseX12(syntheticInterchange(12, 7)));
  const corpus = corpusManifest()
    .filter((e) => e.file.startsWith('835/'))
    .flatMap((e) => transactionsOf(parseX12(readCorpus(e.file))));
  const sets = [...synthetic, ...corpus].filter((tx) => tx.segments.some((s) => HOT.has(s.id)));

  it('on every corpus and synthetic 835 as written', () => {
    expect(sets.length).toBeGreaterThan(20);
    for (const tx of sets) for (const options of OPTIONS) expectSameReads(tx, options);
  });

  it('the usual segments of a professional remittance take the fused reads', () => {
    // Otherwise the comparisons above would hold trivially.
    const hot = new HotReads(new SharedTables());
    const items: never[] = [];
    const view = new SegmentView();
    const reads: Record<string, (v: SegmentView) => boolean> = {
      SVC: (v) => hot.service(v, compileLayout(L.SVC)),
      CAS: (v) => hot.adjustment(v, compileLayout(L.CAS), items),
      DTM: (v) => hot.dateRef(v, compileLayout(L.SERVICE_DTM)) || hot.dateRef(v, compileLayout(L.CLAIM_DTM)),
      REF: (v) => hot.reference(v, compileLayout(L.SERVICE_REF)),
      AMT: (v) => hot.amountRef(v, compileLayout(L.SERVICE_AMT)),
      CLP: (v) => hot.claim(v, compileLayout(L.CLP)),
      NM1: (v) => hot.name(v, compileLayout(L.CLAIM_NM1)),
    };
    const seen = new Set<string>();
    for (const tx of synthetic) {
      for (const seg of tx.segments) {
        const read = reads[seg.id];
        if (read === undefined || (seg.id === 'DTM' && seg.elements[1] === '405')) continue;
        view.setSegment(seg);
        expect(read(view), seg.elements.join('*')).toBe(true);
        seen.add(seg.id);
      }
    }
    expect([...seen].sort()).toEqual([...HOT].sort());
  });

  it('on random valid and invalid values in their elements (changed, dropped, appended)', () => {
    fc.assert(
      fc.property(
        fc.nat(sets.length - 1),
        fc.array(change, { minLength: 1, maxLength: 4 }),
        fc.nat(OPTIONS.length - 1),
        (k, changes, o) => expectSameReads(withChanges(sets[k]!, changes), OPTIONS[o]!),
      ),
      { numRuns: 4000 },
    );
  });
});
