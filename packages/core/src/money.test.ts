import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  add,
  allocate,
  cents,
  centsFromDb,
  formatCents,
  formatCentsCompact,
  negate,
  parseCents,
  scale,
  sub,
  sum,
  times,
  tryParseCents,
  type Cents,
} from './money.ts';
import { OpenRcmError } from './errors.ts';

const anyCents = fc
  .integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER })
  .map((n) => cents(n));

describe('parseCents', () => {
  it.each([
    ['12.34', 1234],
    ['-0.5', -50],
    ['100', 10000],
    ['0', 0],
    ['-0', 0],
    ['.5', 50],
    ['0.01', 1],
    ['1.10', 110],
    ['90071992547409.91', 9007199254740991],
  ])('parses %s exactly', (text, expected) => {
    expect(parseCents(text)).toBe(expected);
  });

  it.each([
    '',
    '-',
    '.',
    '1.234',
    '1e3',
    '1,000.00',
    ' 1.00',
    '1.00 ',
    '+1',
    'abc',
    '1.2.3',
    '0x10',
    'NaN',
    '5.',
  ])('rejects %j', (text) => {
    expect(() => parseCents(text)).toThrow(OpenRcmError);
    expect(tryParseCents(text)).toBeUndefined();
  });

  it('rejects amounts beyond the safe integer range', () => {
    expect(() => parseCents('90071992547409.92')).toThrow(/too large/);
  });

  it('names the field, not the value, in its error', () => {
    try {
      parseCents('12.345', 'CLP04');
      expect.unreachable();
    } catch (e) {
      expect((e as OpenRcmError).code).toBe('core.invalid_money');
      expect((e as Error).message).toContain('CLP04');
      expect((e as Error).message).not.toContain('12.345');
    }
  });
});

describe('formatCents', () => {
  it('formats with two decimals and compact X12 form', () => {
    expect(formatCents(cents(1234))).toBe('12.34');
    expect(formatCents(cents(-50))).toBe('-0.50');
    expect(formatCents(cents(10000))).toBe('100.00');
    expect(formatCents(cents(5))).toBe('0.05');
    expect(formatCentsCompact(cents(10000))).toBe('100');
    expect(formatCentsCompact(cents(1230))).toBe('12.3');
    expect(formatCentsCompact(cents(-50))).toBe('-0.5');
    expect(formatCentsCompact(cents(0))).toBe('0');
    expect(formatCentsCompact(cents(1))).toBe('0.01');
  });

  it('round-trips parse(format(c)) for every safe amount (property)', () => {
    fc.assert(
      fc.property(anyCents, (c) => {
        expect(parseCents(formatCents(c))).toBe(c);
        expect(parseCents(formatCentsCompact(c))).toBe(c);
      }),
    );
  });

  it('round-trips format(parse(s)) for canonical decimal strings (property)', () => {
    const decimal = fc
      .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.integer({ min: 0, max: 99 }))
      .map(
        ([neg, whole, frac]) =>
          `${neg && (whole > 0n || frac > 0) ? '-' : ''}${whole}.${String(frac).padStart(2, '0')}`,
      );
    fc.assert(
      fc.property(decimal, (s) => {
        expect(formatCents(parseCents(s))).toBe(s);
      }),
    );
  });

  it('never goes through a float: 0.1 + 0.2 is 0.30 exactly', () => {
    expect(formatCents(add(parseCents('0.1'), parseCents('0.2')))).toBe('0.30');
    // 1.005 as a float is 1.00499…; a float path would round it down. We reject it instead.
    expect(() => parseCents('1.005')).toThrow();
    expect(parseCents('4.35')).toBe(435); // 4.35 * 100 = 434.99999999999994 in floats
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 99 }), (w, f) => {
        expect(parseCents(`${w}.${String(f).padStart(2, '0')}`)).toBe(w * 100 + f);
      }),
    );
  });
});

describe('arithmetic', () => {
  it('adds, subtracts, negates and sums', () => {
    expect(add(cents(100), cents(-250))).toBe(-150);
    expect(sub(cents(100), cents(250))).toBe(-150);
    expect(negate(cents(0))).toBe(0);
    expect(Object.is(negate(cents(0)), -0)).toBe(false);
    expect(sum([cents(1), cents(2), cents(3)])).toBe(6);
    expect(sum([])).toBe(0);
    expect(times(cents(1250), 3)).toBe(3750);
  });

  it('throws on overflow instead of losing cents', () => {
    expect(() => add(cents(Number.MAX_SAFE_INTEGER), cents(1))).toThrow(OpenRcmError);
    expect(() => cents(0.5)).toThrow(OpenRcmError);
  });

  it('scales with named rounding modes', () => {
    expect(scale(cents(125), 1, 2, 'half-even')).toBe(62);
    expect(scale(cents(135), 1, 2, 'half-even')).toBe(68);
    expect(scale(cents(125), 1, 2, 'half-up')).toBe(63);
    expect(scale(cents(-125), 1, 2, 'half-up')).toBe(-63);
    expect(scale(cents(-125), 1, 2, 'floor')).toBe(-63);
    expect(scale(cents(-125), 1, 2, 'ceil')).toBe(-62);
    expect(scale(cents(-125), 1, 2, 'down')).toBe(-62);
    expect(scale(cents(10000), 80, 100, 'half-up')).toBe(8000);
  });
});

describe('allocate (largest remainder)', () => {
  it('splits 100 cents three ways as 34/33/33', () => {
    expect(allocate(cents(100), [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(cents(-100), [1, 1, 1])).toEqual([-34, -33, -33]);
    expect(allocate(cents(1000), [0, 5, 5])).toEqual([0, 500, 500]);
  });

  it('gives the remainder to the largest fractional parts', () => {
    // 10 × 2/7 = 2.857, 10 × 5/7 = 7.142 → 3 and 7
    expect(allocate(cents(10), [2, 5])).toEqual([3, 7]);
  });

  it('rejects bad weights', () => {
    expect(() => allocate(cents(1), [])).toThrow(OpenRcmError);
    expect(() => allocate(cents(1), [0, 0])).toThrow(OpenRcmError);
    expect(() => allocate(cents(1), [-1, 2])).toThrow(OpenRcmError);
    expect(() => allocate(cents(1), [0.5])).toThrow(OpenRcmError);
  });

  it('parts always sum to the total and stay within one cent of the exact share (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1_000_000_000_00, max: 1_000_000_000_00 }),
        fc
          .array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 20 })
          .filter((w) => w.some((x) => x > 0)),
        (total, weights) => {
          const parts = allocate(cents(total), weights);
          expect(parts).toHaveLength(weights.length);
          expect(sum(parts)).toBe(total);
          const W = weights.reduce((a, b) => a + b, 0);
          parts.forEach((p, i) => {
            const exact = (BigInt(total) * BigInt(weights[i] ?? 0)) / BigInt(W);
            const diff = BigInt(p) - exact;
            expect(diff >= -1n && diff <= 1n).toBe(true);
            if ((weights[i] ?? 0) === 0) expect(p).toBe(0);
          });
        },
      ),
    );
  });
});

describe('centsFromDb', () => {
  it('decodes pg strings, PGlite numbers and bigints', () => {
    expect(centsFromDb('1234')).toBe(1234);
    expect(centsFromDb('-5')).toBe(-5);
    expect(centsFromDb(1234)).toBe(1234);
    expect(centsFromDb(1234n)).toBe(1234);
    expect(centsFromDb('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
  });

  it.each([
    ['9007199254740992'],
    [9007199254740992],
    [2n ** 60n],
    ['12.5'],
    [12.5],
    [null],
    [undefined],
    [''],
  ])('rejects %s', (v) => {
    expect(() => centsFromDb(v)).toThrow(OpenRcmError);
  });

  it('keeps the brand', () => {
    const c: Cents = centsFromDb('1');
    expect(c).toBe(1);
  });
});
