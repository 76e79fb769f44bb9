import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { corpusManifest, isClean, mutationFiles, readCorpus } from '../../test/corpus.ts';
import { DiagnosticSink } from './diagnostics.ts';
import { parseX12, streamTransactions, transactionsOf } from './parse.ts';
import { component, element } from './segment.ts';
import { Tokenizer, tokenize } from './tokenizer.ts';
import { formatAmount, parseAmount } from './values.ts';
import { writeInterchange, SegmentWriter } from './writer.ts';

const manifest = corpusManifest();

function tokenizeInChunks(text: string, size: number): string {
  const t = new Tokenizer();
  const segs = [];
  for (let i = 0; i < text.length; i += size) segs.push(...t.push(text.slice(i, i + size)));
  segs.push(...t.end());
  return JSON.stringify([
    segs.map((s) => [s.id, s.elements, s.index, s.line, s.offset]),
    t.diagnostics.items,
  ]);
}

describe('tokenizer', () => {
  it('reads delimiters from the ISA, including unusual ones', () => {
    const text = writeInterchange(
      {
        senderQualifier: 'ZZ',
        senderId: 'SENDER',
        receiverQualifier: 'ZZ',
        receiverId: 'RECEIVER',
        date: '2026-11-28',
        time: '1200',
        controlNumber: 7,
        delimiters: { element: '|', repetition: '!', component: '>', segment: '\n' },
      },
      [
        {
          functionalId: 'HC',
          senderCode: 'S',
          receiverCode: 'R',
          controlNumber: 1,
          version: '005010X222A1',
          transactions: [{ type: '837', controlNumber: 1, segments: ['BHT|0019|00|1|20261128|1200|CH'] }],
        },
      ],
    );
    const sink = new DiagnosticSink();
    const segs = tokenize(text, sink);
    expect(segs.map((s) => s.id)).toEqual(['ISA', 'GS', 'ST', 'BHT', 'SE', 'GE', 'IEA']);
    expect(segs[0]?.delimiters).toEqual({ element: '|', repetition: '!', component: '>', segment: '\n' });
    expect(segs.map((s) => s.line)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(sink.items).toEqual([]);
  });

  it('skips a BOM, CR/LF after terminators and indentation', () => {
    const base = readCorpus('835/sedi-pass__era-sample.edi');
    const messy = `\uFEFF  ${base.split('~').join('~\r\n    ')}`;
    const a = parseX12(base);
    const b = parseX12(messy);
    expect(b.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(transactionsOf(b).map((t) => t.segments.map((s) => s.elements))).toEqual(
      transactionsOf(a).map((t) => t.segments.map((s) => s.elements)),
    );
  });

  it('reports input without an ISA as a located error, never a throw', () => {
    const sink = new DiagnosticSink();
    expect(tokenize('hello world', sink)).toEqual([]);
    expect(sink.items[0]?.code).toBe('no-isa');
  });

  it('gives identical segments, positions and diagnostics for every chunk size', () => {
    const files = manifest.slice(0, 40).map((e) => readCorpus(e.file));
    for (const text of files) {
      const whole = tokenizeInChunks(text, text.length + 1);
      for (const size of [1, 2, 3, 7, 64, 105, 106, 107, 4096])
        expect(tokenizeInChunks(text, size)).toBe(whole);
    }
  });

  it('streams transaction sets from byte chunks like the whole-string parse', async () => {
    const text = readCorpus('835/sedi-pass__era-sample.edi');
    const bytes = Buffer.from(text);
    const chunks = [];
    for (let i = 0; i < bytes.length; i += 5) chunks.push(bytes.subarray(i, i + 5));
    const streamed = [];
    for await (const t of streamTransactions(chunks)) streamed.push(t.segments.map((s) => s.elements));
    expect(streamed).toEqual(transactionsOf(parseX12(text)).map((t) => t.segments.map((s) => s.elements)));
  });
});

describe('envelope', () => {
  it('every clean corpus file has a sound envelope', () => {
    const clean = manifest.filter(isClean);
    expect(clean.length).toBeGreaterThan(50);
    for (const e of clean) {
      const parsed = parseX12(readCorpus(e.file));
      const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
      expect({ file: e.file, errors }).toEqual({ file: e.file, errors: [] });
      expect(transactionsOf(parsed).length).toBeGreaterThan(0);
    }
  });

  it('no corpus file crashes the reader', () => {
    for (const e of manifest) expect(() => parseX12(readCorpus(e.file))).not.toThrow();
  });

  it.each([
    ['mutations/837p/01_se_count_wrong.edi', 'se-count', 'SE01'],
    ['mutations/837p/04_iea_control_number_mismatch.edi', 'iea-control-number', 'IEA02'],
    ['mutations/837p/08_ge_count_wrong.edi', 'ge-count', 'GE01'],
    ['mutations/835/01_se_count_wrong.edi', 'se-count', 'SE01'],
  ])('%s yields %s at %s', (file, code, at) => {
    const parsed = parseX12(readCorpus(file));
    const d = parsed.diagnostics.find((x) => x.code === code);
    expect(d?.element).toBe(at);
    expect(d?.line).toBeGreaterThan(0);
    expect(mutationFiles('837p').length + mutationFiles('835').length).toBe(18);
  });
});

describe('values', () => {
  it('converts X12 decimals to cents exactly and back', () => {
    expect(parseAmount('132')).toBe(13200);
    expect(parseAmount('34.25')).toBe(3425);
    expect(parseAmount('-0.5')).toBe(-50);
    expect(parseAmount('.5')).toBe(50);
    expect(parseAmount('10.500')).toBe(1050);
    expect(parseAmount('10.005')).toBeUndefined();
    expect(parseAmount('1e3')).toBeUndefined();
    expect(parseAmount('')).toBeUndefined();
    fc.assert(
      fc.property(
        fc.integer({ min: -1e12, max: 1e12 }),
        (cents) => parseAmount(formatAmount(cents)) === cents,
      ),
    );
  });
});

describe('writer', () => {
  it('pads the ISA to 106 characters and counts segments', () => {
    const w = new SegmentWriter();
    const text = writeInterchange(
      {
        senderQualifier: 'ZZ',
        senderId: 'A',
        receiverQualifier: 'ZZ',
        receiverId: 'B',
        date: '2026-01-02',
        time: '0930',
        controlNumber: 42,
      },
      [
        {
          functionalId: 'HP',
          senderCode: 'A',
          receiverCode: 'B',
          controlNumber: 9,
          version: '005010X221A1',
          transactions: [
            {
              type: '835',
              controlNumber: 1,
              segments: [
                w.segment('BPR', 'I', '10', 'C', 'ACH'),
                w.segment('TRN', '1', '12345', '1512345678'),
              ],
            },
          ],
        },
      ],
    );
    expect(text.indexOf('~')).toBe(105);
    const parsed = parseX12(text);
    expect(parsed.diagnostics).toEqual([]);
    const [tx] = transactionsOf(parsed);
    expect(tx?.se && element(tx.se, 1)).toBe('4');
    expect(w.segment('CLM', 'A1', '100', undefined, undefined, ['11', 'B', '1'], 'Y')).toBe(
      'CLM*A1*100***11:B:1*Y',
    );
    expect(w.segment('NM1', 'IL', '1', 'DOE', '', undefined)).toBe('NM1*IL*1*DOE');
    expect(() => w.segment('NM1', 'IL', '1', 'DO*E')).toThrow(/NM103/);
    const seg = tokenize(`${text.slice(0, 106)}CLM*A1*100***11:B:1*Y~`)[1];
    expect(seg && component(seg, 5, 3)).toBe('1');
  });
});
