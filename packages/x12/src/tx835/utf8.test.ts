import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Utf8Pieces } from './reader.ts';

/** Bytes that make every UTF-8 case: ASCII, 2/3/4-byte leads and continuations, overlongs, surrogates, a BOM. */
const BYTES = [
  0x41, 0x2a, 0x7e, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80, 0x80, 0xbf, 0xc0, 0xc1, 0xf5, 0xff,
  0xed, 0xa0, 0xef, 0xbb, 0xbf, 0xe0, 0xf4, 0x90,
];

describe('Utf8Pieces (the byte decoding of stream835 / stream835Claims)', () => {
  it('decodes any bytes cut anywhere exactly as TextDecoder decodes them whole', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...BYTES), { maxLength: 24 }),
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 8 }),
        (bytes, cuts) => {
          const all = Uint8Array.from(bytes);
          const d = new Utf8Pieces();
          let text = '';
          for (let at = 0, k = 0; at < all.length; k++) {
            const size = cuts[k % cuts.length] ?? 1;
            text += d.decode(all.subarray(at, at + size));
            at += size;
          }
          text += d.end();
          expect(text).toBe(new TextDecoder().decode(all));
        },
      ),
      { numRuns: 20000 },
    );
  });

  it('drops a BOM only at the start, and keeps a character split over three pieces', () => {
    const d = new Utf8Pieces();
    const bytes = Buffer.from('\ufeffISA*É€😀\ufeff', 'utf8');
    const parts = [bytes.subarray(0, 2), bytes.subarray(2, 8), bytes.subarray(8, 9), bytes.subarray(9)];
    expect(parts.map((p) => d.decode(p)).join('') + d.end()).toBe('ISA*É€😀\ufeff');
  });
});
