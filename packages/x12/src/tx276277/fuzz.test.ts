import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { corpusManifest, readCorpus } from '../../test/corpus.ts';
import { statusCodeLists } from '../../test/status-code-lists.ts';
import { X12WriteError } from '../core/writer.ts';
import { parseEligibility } from '../tx270271/read.ts';
import { eligibilityRejects, summarizeEligibility } from '../tx270271/summary.ts';
import { writeEligibilitySegments } from '../tx270271/write.ts';
import { claimAcknowledgements } from '../tx277ca/acknowledgements.ts';
import { parseClaimAcknowledgement } from '../tx277ca/read.ts';
import { writeClaimAcknowledgementSegments } from '../tx277ca/write.ts';
import { parseClaimStatus } from './read.ts';
import { writeClaimStatusSegments } from './write.ts';

const goldenDir = join(import.meta.dirname, '..', '..', 'test', 'golden');
const inputs: string[] = [
  ...corpusManifest()
    .filter((e) => /^(270|271|276|277|277ca)\//.test(e.file))
    .map((e) => readCorpus(e.file)),
  ...['270', '271', '276', '277', '277ca'].flatMap((d) =>
    readdirSync(join(goldenDir, d))
      .filter((f) => f.endsWith('.edi'))
      .map((f) => readFileSync(join(goldenDir, d, f), 'utf8')),
  ),
];
const codeLists = statusCodeLists();

/** Writers may refuse a value (X12WriteError); anything else thrown is a bug. */
function writeOrRefuse(write: () => unknown): void {
  try {
    write();
  } catch (e) {
    expect(e).toBeInstanceOf(X12WriteError);
  }
}

/** Reads a text with every reader and helper of this family; none may throw. */
function readAll(text: string): void {
  const e = parseEligibility(text, { codeLists });
  for (const tx of e.value) {
    summarizeEligibility(tx);
    eligibilityRejects(tx);
    writeOrRefuse(() => writeEligibilitySegments(tx));
  }
  const s = parseClaimStatus(text, { codeLists });
  for (const tx of s.value) writeOrRefuse(() => writeClaimStatusSegments(tx));
  const a = parseClaimAcknowledgement(text, { codeLists });
  for (const tx of a.value) {
    claimAcknowledgements(tx);
    writeOrRefuse(() => writeClaimAcknowledgementSegments(tx));
  }
}

const segmentsOf = (text: string): string[] => text.split(/(?<=~)/);

const mutation = fc.oneof(
  // truncate anywhere
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  // delete, duplicate or swap segments
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), with: fc.nat() }),
  // overwrite random characters (including delimiters) with random bytes
  fc.record({
    kind: fc.constant('bytes' as const),
    at: fc.nat(),
    chars: fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 6 }),
  }),
  // blank out one element
  fc.record({ kind: fc.constant('blank' as const), at: fc.nat(), element: fc.integer({ min: 1, max: 14 }) }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function apply(text: string, m: Mutation): string {
  const segs = segmentsOf(text);
  const i = segs.length === 0 ? 0 : m.at % segs.length;
  switch (m.kind) {
    case 'truncate':
      return text.slice(0, m.at % (text.length + 1));
    case 'delete':
      return [...segs.slice(0, i), ...segs.slice(i + 1)].join('');
    case 'duplicate':
      return [...segs.slice(0, i + 1), ...segs.slice(i)].join('');
    case 'swap': {
      const j = segs.length === 0 ? 0 : m.with % segs.length;
      const out = [...segs];
      const a = out[i];
      const b = out[j];
      if (a !== undefined && b !== undefined) {
        out[i] = b;
        out[j] = a;
      }
      return out.join('');
    }
    case 'bytes': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + m.chars + text.slice(at + m.chars.length);
    }
    case 'blank': {
      const seg = segs[i];
      if (seg === undefined) return text;
      const parts = seg.split('*');
      if (parts.length > m.element) parts[m.element] = '';
      return [...segs.slice(0, i), parts.join('*'), ...segs.slice(i + 1)].join('');
    }
  }
}

describe('270/271/276/277/277CA readers under random mutation', () => {
  it('read every corpus and golden file of these types without throwing', () => {
    for (const text of inputs) readAll(text);
  });

  it('never throw on random mutations (truncation, deleted / duplicated / swapped segments, random bytes)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: inputs.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        (which, ms) => {
          let text = inputs[which] ?? '';
          for (const m of ms) text = apply(text, m);
          readAll(text);
        },
      ),
      { numRuns: 400 },
    );
  });
});
