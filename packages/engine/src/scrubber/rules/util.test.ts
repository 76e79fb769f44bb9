import { isCalendarDate, isValidNpi, toEpochDay } from '@openrcm/core';
import type { CalendarDate } from '@openrcm/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { epochDay, isDate, isValidNpiCached } from './util.ts';

describe('fast helpers agree with core', () => {
  it('isDate === isCalendarDate on date-shaped and arbitrary strings (property)', () => {
    const shaped = fc
      .tuple(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
      )
      .map(
        ([y, m, d]) =>
          `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
      );
    fc.assert(
      fc.property(fc.oneof(shaped, fc.string()), (s) => isDate(s) === isCalendarDate(s)),
      { numRuns: 5000 },
    );
    expect(isDate('2024-02-29')).toBe(true);
    expect(isDate('2100-02-29')).toBe(false);
  });

  it('isValidNpiCached === isValidNpi (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{10}$/), (s) => isValidNpiCached(s) === isValidNpi(s)),
      { numRuns: 2000 },
    );
  });

  it('epochDay === toEpochDay (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -700_000, max: 2_900_000 }), (n) => {
        const date = new Date(n * 86_400_000).toISOString().slice(0, 10) as CalendarDate;
        return epochDay(date) === toEpochDay(date);
      }),
      { numRuns: 5000 },
    );
  });
});
