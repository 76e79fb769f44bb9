import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Rng, WeightedTable } from '../src/prng.ts';

describe('Rng (sfc32, seeded by label path)', () => {
  it('gives the same sequence for the same seed, and a different one for another seed', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const sa = Array.from({ length: 100 }, () => a.nextU32());
    expect(Array.from({ length: 100 }, () => b.nextU32())).toEqual(sa);
    expect(Array.from({ length: 100 }, () => c.nextU32())).not.toEqual(sa);
  });

  it('pins the first outputs of seed 1 so an accidental algorithm change is noticed', () => {
    const r = new Rng(1);
    const first = [r.nextU32(), r.nextU32(), r.nextU32()];
    // Regenerate only on purpose: every generated data set changes with these numbers.
    expect(first).toMatchInlineSnapshot(`
      [
        2550758441,
        2774667923,
        1992090498,
      ]
    `);
  });

  it('derives a fork from the path only, whatever was drawn before', () => {
    const a = new Rng('s');
    const b = new Rng('s');
    for (let i = 0; i < 1000; i++) b.nextU32();
    expect(a.fork('month/3').nextU32()).toBe(b.fork('month/3').nextU32());
    expect(a.fork('month/3').nextU32()).not.toBe(a.fork('month/4').nextU32());
  });

  it('keeps int() within bounds and float() in [0, 1)', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: -1000, max: 1000 }),
        fc.integer({ min: 0, max: 1000 }),
        (seed, min, span) => {
          const r = new Rng(seed);
          for (let i = 0; i < 20; i++) {
            const v = r.int(min, min + span);
            expect(v).toBeGreaterThanOrEqual(min);
            expect(v).toBeLessThanOrEqual(min + span);
            const f = r.float();
            expect(f >= 0 && f < 1).toBe(true);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('draws Poisson, lognormal and weighted values with the right centre', () => {
    const r = new Rng('stats');
    const n = 10_000;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += r.poisson(4);
    expect(sum / n).toBeCloseTo(4, 1);
    let big = 0;
    for (let i = 0; i < n; i++) big += r.poisson(50);
    expect(big / n).toBeGreaterThan(49.5);
    expect(big / n).toBeLessThan(50.5);
    const ln = Array.from({ length: n }, () => r.lognormal(24, 1)).sort((x, y) => x - y);
    expect(ln[n / 2]).toBeGreaterThan(22.5);
    expect(ln[n / 2]).toBeLessThan(25.5);
    const table = new WeightedTable([
      ['a', 1],
      ['b', 3],
      ['z', 0],
    ] as const);
    let b = 0;
    for (let i = 0; i < n; i++) {
      const v = table.draw(r);
      expect(v).not.toBe('z');
      if (v === 'b') b++;
    }
    expect(b / n).toBeCloseTo(0.75, 1);
    let w = 0;
    for (let i = 0; i < n; i++)
      if (
        r.weighted([
          ['x', 1],
          ['y', 1],
        ] as const) === 'x'
      )
        w++;
    expect(w / n).toBeCloseTo(0.5, 1);
  });

  it('shuffles into a permutation', () => {
    const r = new Rng(7);
    const xs = Array.from({ length: 50 }, (_, i) => i);
    const ys = r.shuffle([...xs]);
    expect([...ys].sort((a, b) => a - b)).toEqual(xs);
    expect(ys).not.toEqual(xs);
  });
});
