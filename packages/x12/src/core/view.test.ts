import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { corpusManifest, readCorpus } from '../../test/corpus.ts';
import * as L835 from '../tx835/layouts.ts';
import { checkView, compileLayout } from './check.ts';
import { codesOf } from './codes.ts';
import { DiagnosticSink } from './diagnostics.ts';
import { Scanner, type SegmentHandler } from './scan.ts';
import type { Segment } from './segment.ts';
import { checkSegment, type SegmentSpec } from './spec.ts';
import { Tokenizer, tokenize } from './tokenizer.ts';
import { d8ToIso, isValidD8, parseAmount } from './values.ts';
import { centsAt, d8At, idOf, Interner, isoOfD8, SegmentView } from './view.ts';

/** Text the element checks care about: digits, signs, points, letters, a separator now and then. */
const elementText = fc
  .array(fc.constantFrom(...'0123456789-.0123456789ABCZ:'.split('')), { maxLength: 12 })
  .map((cs) => cs.join(''));

/** The bytes of `text` when it is all ASCII (one byte per character), else undefined. */
const asciiBytes = (text: string): Uint8Array | undefined =>
  Buffer.byteLength(text, 'utf8') === text.length ? Buffer.from(text, 'latin1') : undefined;

/**
 * The segments of `text` (element separator '*') as [elements, line, offset], by the plainest reading: whitespace
 * between segments skipped, each segment up to the terminator, line breaks at its end dropped, lines counted; the
 * offset in bytes of the text as UTF-8.
 */
function naiveSegments(text: string, terminator: string): unknown[] {
  const out: unknown[] = [];
  let pos = 0;
  let line = 1;
  for (;;) {
    while (pos < text.length && ' \t\r\n'.includes(text.charAt(pos))) {
      if (text.charAt(pos) === '\n') line++;
      pos++;
    }
    if (pos >= text.length) return out;
    const t = text.indexOf(terminator, pos);
    const end = t < 0 ? text.length : t;
    const raw = text.slice(pos, end);
    out.push([raw.replace(/[\r\n]+$/, '').split('*'), line, Buffer.byteLength(text.slice(0, pos), 'utf8')]);
    line += raw.split('\n').length - 1 + (terminator === '\n' && t >= 0 ? 1 : 0);
    pos = end + 1;
  }
}

const viewOf = (seg: Segment): SegmentView => {
  const v = new SegmentView();
  v.setSegment(seg);
  return v;
};

const segmentOf = (id: string, elements: readonly string[]): Segment => ({
  id,
  elements: [id, ...elements],
  index: 3,
  line: 4,
  offset: 50,
  delimiters: { element: '*', repetition: '^', component: ':', segment: '~' },
});

describe('segment views: values read in place equal the string readers', () => {
  it('centsAt = parseAmount (NaN where parseAmount says undefined)', () => {
    fc.assert(
      fc.property(elementText, (t) => {
        const expected = parseAmount(t);
        const got = centsAt(codesOf(`x${t}y`), 1, 1 + t.length);
        if (expected === undefined) expect(got).toBeNaN();
        else expect(got).toBe(expected);
      }),
      { numRuns: 20000 },
    );
  });

  it('d8At = isValidD8 / d8ToIso', () => {
    const dates = fc.oneof(
      elementText,
      fc
        .tuple(
          fc.integer({ min: 0, max: 9999 }),
          fc.integer({ min: 0, max: 13 }),
          fc.integer({ min: 0, max: 32 }),
        )
        .map(
          ([y, m, d]) =>
            `${String(y).padStart(4, '0')}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`,
        ),
    );
    fc.assert(
      fc.property(dates, (t) => {
        const v = d8At(codesOf(t), 0, t.length);
        expect(v >= 0).toBe(isValidD8(t));
        if (v >= 0) expect(isoOfD8(v)).toBe(d8ToIso(t));
      }),
      { numRuns: 20000 },
    );
  });

  it('decimal() = Number for X12 decimals, undefined otherwise', () => {
    fc.assert(
      fc.property(elementText, (t) => {
        const v = viewOf(segmentOf('QTY', ['CA', t]));
        const ok = t !== '' && /^-?(\d+\.?\d*|\.\d+)$/.test(t) && Number.isFinite(Number(t));
        expect(v.decimal(2)).toBe(ok ? Number(t) : undefined);
      }),
      { numRuns: 20000 },
    );
  });

  it('str, len, component and elements follow Segment.elements, absent elements are empty', () => {
    const v = viewOf(segmentOf('SVC', ['HC:99213:25::::DESC', '100', '', '80']));
    expect(v.count).toBe(4);
    expect(v.str(0)).toBe('SVC');
    expect(v.idCode).toBe(idOf('SVC'));
    expect(v.str(3)).toBe('');
    expect(v.str(4)).toBe('80');
    expect(v.str(9)).toBe('');
    expect(v.len(2)).toBe(3);
    expect(v.has(3)).toBe(false);
    expect(v.component(1, 1)).toBe('HC');
    expect(v.component(1, 3)).toBe('25');
    expect(v.component(1, 7)).toBe('DESC');
    expect(v.component(1, 8)).toBe('');
    expect(v.elements()).toEqual(['SVC', 'HC:99213:25::::DESC', '100', '', '80']);
    expect(v.toSegment()).toEqual(segmentOf('SVC', ['HC:99213:25::::DESC', '100', '', '80']));
  });

  it('the scanner hands out views equal to the tokenizer segments for every corpus file', () => {
    const files = corpusManifest().map((e) => e.file);
    expect(files.length).toBeGreaterThan(50);
    for (const file of files) {
      const text = readCorpus(file);
      const seen: unknown[] = [];
      const handler: SegmentHandler = {
        segment(v) {
          seen.push([v.toSegment(), v.idCode === idOf(v.id) || v.id.length > 3]);
        },
      };
      const expected = tokenize(text).map((s) => [s, true]);
      const scanner = new Scanner(new DiagnosticSink(), handler);
      scanner.push(text);
      scanner.end();
      expect(seen).toEqual(expected);
      // The same text with its bytes (ASCII files): the separators are then found in the bytes.
      const bytes = asciiBytes(text);
      if (bytes === undefined) continue;
      seen.length = 0;
      const byBytes = new Scanner(new DiagnosticSink(), handler);
      byBytes.push(text, bytes);
      byBytes.end();
      expect(seen).toEqual(expected);
    }
  });

  it('segments, lines and offsets match a naive split, whatever the line breaks, chunking, bytes given or not', () => {
    // Files with '*' and '~' as element separator and terminator (most of the corpus).
    const files = corpusManifest()
      .map((e) => e.file)
      .filter((f) => {
        const t = readCorpus(f);
        return t.startsWith('ISA*') && t.charAt(105) === '~' && !t.slice(0, 106).includes('\n');
      });
    expect(files.length).toBeGreaterThan(30);
    // Line breaks after the terminators, before them (inside the segment: trimmed, counted), inside elements, or
    // as the terminator; ISA segments are left as they are except in the last two.
    const each = (f: (seg: string) => string) => (t: string) =>
      t
        .split('~')
        .map((seg, i, all) =>
          i === all.length - 1 ? seg : seg.trimStart().startsWith('ISA') ? `${seg}~` : f(seg),
        )
        .join('');
    const layouts: [string, (t: string) => string][] = [
      ['~', (t) => t],
      ['~', each((seg) => `${seg}~\n`)],
      ['~', each((seg) => `${seg}~\r\n  `)],
      ['~', each((seg) => `${seg}\n~`)],
      ['~', each((seg) => `${seg}\r~\r`)],
      ['~', each((seg) => `${seg.replaceAll('*', '*\n')}~`)],
      // Names with characters outside ASCII, of 2, 3 and 4 bytes in UTF-8 (the last a surrogate pair, which a chunk
      // may split): the text's codes are then 16-bit, and offsets count bytes.
      ['~', each((seg) => `${seg.replace(/^(\s*NM1\*)/, '$1\u00c9')}~`)],
      ['~', each((seg) => `${seg.replace(/^(\s*NM1\*)/, '$1\u20ac\u00c9\u{1f600}')}~\n`)],
      ['\n', (t) => t.split('~').join('\n')],
      ['\n', (t) => t.split('~').join('\r\n')],
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...files),
        fc.constantFrom(...layouts),
        fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 6 }),
        (file, [terminator, layout], sizes, withBytes) => {
          const text = layout(readCorpus(file));
          const sink = new DiagnosticSink();
          const seen: unknown[] = [];
          const scanner = new Scanner(sink, {
            segment: (v) => seen.push([v.elements(), v.line, v.offset]),
          });
          for (let i = 0, k = 0; i < text.length; k++) {
            const size = sizes[k % sizes.length]!;
            const chunk = text.slice(i, i + size);
            i += size;
            scanner.push(chunk, withBytes[k % withBytes.length]! ? asciiBytes(chunk) : undefined);
          }
          scanner.end();
          expect(seen).toEqual(naiveSegments(text, terminator));
        },
      ),
      { numRuns: 120 },
    );
  });

  it('byte offsets after a segment continued into a long chunk past characters of several bytes', () => {
    // A long chunk that begins inside a segment is joined only up to its first terminator and then read in place:
    // the bytes of what was joined must be counted once.
    const text = readCorpus('835/sedi-pass__era-sample.edi').replace(
      /NM1\*QC\*1\*/g,
      'NM1*QC*1*\u00c9\u20ac\u{1f600}',
    );
    const cut = text.indexOf('\u00c9');
    expect(cut).toBeGreaterThan(0);
    const long = text.slice(cut).padEnd(2000, '\n');
    const seen: unknown[] = [];
    const scanner = new Scanner(new DiagnosticSink(), {
      segment: (v) => seen.push([v.elements(), v.line, v.offset]),
    });
    scanner.push(text.slice(0, cut));
    scanner.push(long);
    scanner.end();
    expect(long.length).toBeGreaterThanOrEqual(1024);
    expect(seen).toEqual(naiveSegments(text.slice(0, cut) + long, '~'));
    expect(seen.length).toBeGreaterThan(10);
  });

  it('text and bytes of different lengths are refused', () => {
    const scanner = new Scanner(new DiagnosticSink(), { segment: () => undefined });
    expect(() => scanner.push('ISA*', Buffer.from('ISA*00'))).toThrow(/bytes and text differ/);
  });

  it('a handler that pauses the scanner anywhere gets the same segments and findings after resume()', () => {
    const files = corpusManifest().map((e) => e.file);
    fc.assert(
      fc.property(
        fc.constantFrom(...files),
        fc.integer({ min: 1, max: 4000 }),
        fc.integer({ min: 1, max: 7 }),
        (file, size, every) => {
          const text = readCorpus(file);
          const expected = new DiagnosticSink();
          const segments = tokenize(text, expected);
          const seen: Segment[] = [];
          let pauses = 0;
          const sink = new DiagnosticSink();
          const scanner = new Scanner(sink, {
            segment(v) {
              seen.push(v.toSegment());
              if (seen.length % every === 0) scanner.pause();
            },
          });
          for (let i = 0; i < text.length; i += size) {
            const chunk = text.slice(i, i + size);
            // Every other chunk with its bytes (when ASCII): a pause inside a chunk scanned as bytes too.
            scanner.push(chunk, (i / size) % 2 === 0 ? asciiBytes(chunk) : undefined);
            for (; scanner.paused; scanner.resume()) pauses++;
          }
          scanner.end();
          for (; scanner.paused; scanner.resume()) pauses++;
          expect(seen).toEqual(segments);
          expect(sink.items).toEqual(expected.items);
          // The pauses did happen (a segment of its own text after each asked pause, chunk joins excepted).
          if (segments.length > 2 * every && size > 200) expect(pauses).toBeGreaterThan(0);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('pushing more text while the scanner is paused is refused (it would be read out of order)', () => {
    const scanner: Scanner = new Scanner(new DiagnosticSink(), { segment: () => scanner.pause() });
    scanner.push(readCorpus('835/sedi-pass__era-sample.edi'));
    expect(scanner.paused).toBe(true);
    expect(() => scanner.push('ST*835*0002~')).toThrow(/while paused/);
  });

  it('text before the first ISA: the same segments, lines and finding whatever the chunking', () => {
    const x12 = readCorpus('835/sedi-pass__era-sample.edi');
    const cover = `Subject: remittance\r\n\r\n${'this is not X12, just a cover note. '.repeat(40)}\nIS\nI S A\n`;
    const cases = [`  ${cover}${x12}`, `${cover}no interchange here at all\n`];
    for (const text of cases) {
      const run = (size: number): unknown => {
        const sink = new DiagnosticSink();
        const t = new Tokenizer(sink);
        const segs = [];
        for (let i = 0; i < text.length; i += size) segs.push(...t.push(text.slice(i, i + size)));
        segs.push(...t.end());
        return [segs.map((s) => [s.id, s.index, s.line, s.offset, s.elements]), sink.items];
      };
      const whole = run(text.length + 1);
      for (const size of [1, 2, 3, 5, 64, 1000]) expect(run(size)).toEqual(whole);
    }
    const sink = new DiagnosticSink();
    const segs = tokenize(cases[0] ?? '', sink);
    expect(sink.items.map((d) => [d.code, d.line, d.offset])).toEqual([['text-before-isa', 1, 2]]);
    expect(segs[0]?.line).toBe(6);
    const none = new DiagnosticSink();
    tokenize(cases[1] ?? '', none);
    expect(none.items.map((d) => [d.code, d.line, d.offset])).toEqual([['no-isa', 1, 0]]);
  });

  it('the interner returns equal strings, shared for short codes', () => {
    const i = new Interner(2);
    const text = 'CO*45*CO*PR*ABCDEFG*ABCDEFG';
    const codes = codesOf(text);
    const a = i.text(text, codes, 0, 2);
    expect(a).toBe('CO');
    expect(i.text(text, codes, 6, 8)).toBe('CO');
    expect(i.text(text, codes, 3, 5)).toBe('45');
    expect(i.text(text, codes, 9, 11)).toBe('PR'); // past the limit: still right, not kept
    expect(i.text(text, codes, 12, 19)).toBe('ABCDEFG');
    expect(i.text(text, codes, 0, 0)).toBe('');
  });
});

describe('checkView reports exactly what checkSegment reports', () => {
  const layouts: SegmentSpec[] = Object.values(L835).filter(
    (x): x is SegmentSpec => typeof x === 'object' && x !== null && 'elements' in x && 'id' in x,
  );

  it('on random element values for every 835 layout', () => {
    expect(layouts.length).toBeGreaterThan(20);
    const compiled = layouts.map((l) => compileLayout(l));
    const values = fc.oneof(
      elementText,
      fc.constantFrom(
        '',
        'CO',
        '45',
        '20261120',
        '20261131',
        '1',
        '12',
        'HC:99213',
        'HC:99213:25:26:27:28:X:Y',
        '472',
      ),
    );
    fc.assert(
      fc.property(fc.nat(layouts.length - 1), fc.array(values, { maxLength: 20 }), (k, els) => {
        const layout = layouts[k]!;
        const seg = segmentOf(layout.id, els);
        const a = new DiagnosticSink();
        const b = new DiagnosticSink();
        checkSegment(seg, layout, '2100', a);
        checkView(viewOf(seg), compiled[k]!, '2100', b);
        expect(b.items).toEqual(a.items);
      }),
      { numRuns: 20000 },
    );
  });

  it('on conforming corpus segments with one element or component changed', () => {
    // Conforming segments of the 835 corpus, each with the layout it conforms to.
    const bases: { seg: Segment; k: number }[] = [];
    for (const e of corpusManifest().filter((x) => x.file.startsWith('835/'))) {
      for (const seg of tokenize(readCorpus(e.file))) {
        layouts.forEach((layout, k) => {
          if (layout.id !== seg.id) return;
          const sink = new DiagnosticSink();
          checkSegment(seg, layout, '', sink);
          if (sink.items.length === 0) bases.push({ seg, k });
        });
      }
    }
    expect(new Set(bases.map((b) => b.k)).size).toBeGreaterThan(20);
    const compiled = layouts.map((l) => compileLayout(l));
    // Conforming segments pass the fast path silently.
    for (const { seg, k } of bases) {
      const sink = new DiagnosticSink();
      checkView(viewOf(seg), compiled[k]!, '', sink);
      expect(sink.items).toEqual([]);
    }
    fc.assert(
      fc.property(
        fc.nat(bases.length - 1),
        fc.nat(20),
        fc.oneof(
          elementText,
          fc.constantFrom('', '20261131', 'XX', '1.005', '-', '.', 'HC:', 'HC:1:2:3:4:5:6:7'),
        ),
        fc.boolean(),
        (b, at, value, asComponent) => {
          const { seg, k } = bases[b]!;
          const elements = [...seg.elements];
          const n = 1 + (at % Math.max(1, elements.length));
          const old = elements[n] ?? '';
          elements[n] = asComponent && old.includes(':') ? old.replace(/:[^:]*/, `:${value}`) : value;
          const changed: Segment = { ...seg, elements };
          const x = new DiagnosticSink();
          const y = new DiagnosticSink();
          checkSegment(changed, layouts[k]!, '2110', x);
          checkView(viewOf(changed), compiled[k]!, '2110', y);
          expect(y.items).toEqual(x.items);
        },
      ),
      { numRuns: 30000 },
    );
  });
});
