import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  addBusinessDays,
  addDays,
  addMonths,
  businessDaysBetween,
  compareDates,
  dateFromDb,
  dateInZone,
  dayOfWeek,
  diffDays,
  endOfMonth,
  fromEpochDay,
  instantFromDb,
  isBusinessDay,
  isWithin,
  parseDate,
  parseInstant,
  startOfMonth,
  toEpochDay,
  diffMillis,
  addHours,
} from './time.ts';
import { fixedClock, manualClock, systemClock } from './clock.ts';

describe('CalendarDate', () => {
  it('validates against the calendar', () => {
    expect(parseDate('2024-02-29')).toBe('2024-02-29');
    expect(() => parseDate('2023-02-29')).toThrow(/valid calendar date/);
    expect(() => parseDate('2024-13-01')).toThrow();
    expect(() => parseDate('2024-1-01')).toThrow();
    expect(() => parseDate('20240101')).toThrow();
    expect(() => parseDate('2024-01-01T00:00:00Z')).toThrow();
    expect(() => parseDate('0000-01-01')).toThrow();
  });

  it('does day arithmetic across months, years and leap days', () => {
    const d = parseDate('2024-02-28');
    expect(addDays(d, 1)).toBe('2024-02-29');
    expect(addDays(d, 2)).toBe('2024-03-01');
    expect(addDays(parseDate('2024-12-31'), 1)).toBe('2025-01-01');
    expect(addDays(parseDate('2024-03-01'), -1)).toBe('2024-02-29');
    expect(diffDays(parseDate('2024-01-01'), parseDate('2025-01-01'))).toBe(366);
    expect(compareDates(parseDate('2024-01-02'), parseDate('2024-01-10'))).toBe(-1);
    expect(toEpochDay(parseDate('1970-01-01'))).toBe(0);
    expect(fromEpochDay(-1)).toBe('1969-12-31');
  });

  it('addDays and diffDays agree (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -100_000, max: 100_000 }),
        fc.integer({ min: -5000, max: 5000 }),
        (e, n) => {
          const d = fromEpochDay(e);
          expect(parseDate(d)).toBe(d);
          expect(diffDays(d, addDays(d, n))).toBe(n);
        },
      ),
    );
  });

  it('month helpers', () => {
    expect(startOfMonth(parseDate('2024-02-17'))).toBe('2024-02-01');
    expect(endOfMonth(parseDate('2024-02-17'))).toBe('2024-02-29');
    expect(endOfMonth(parseDate('2023-02-17'))).toBe('2023-02-28');
    expect(endOfMonth(parseDate('2023-12-05'))).toBe('2023-12-31');
    expect(addMonths(parseDate('2024-01-31'), 1)).toBe('2024-02-29');
    expect(addMonths(parseDate('2024-01-31'), -2)).toBe('2023-11-30');
    expect(addMonths(parseDate('2024-03-15'), 12)).toBe('2025-03-15');
  });

  it('business days skip weekends and holidays', () => {
    expect(dayOfWeek(parseDate('2024-06-01'))).toBe(6); // a Saturday
    expect(isBusinessDay(parseDate('2024-06-01'))).toBe(false);
    // Month end Friday 2024-05-31 + 5 business days = Friday 2024-06-07.
    expect(addBusinessDays(parseDate('2024-05-31'), 5)).toBe('2024-06-07');
    // With a holiday on Monday 2024-06-03 it slips to Monday 2024-06-10.
    expect(addBusinessDays(parseDate('2024-05-31'), 5, new Set(['2024-06-03']))).toBe('2024-06-10');
    expect(addBusinessDays(parseDate('2024-06-10'), -1)).toBe('2024-06-07');
    expect(businessDaysBetween(parseDate('2024-05-31'), parseDate('2024-06-07'))).toBe(5);
    expect(businessDaysBetween(parseDate('2024-06-07'), parseDate('2024-05-31'))).toBe(-5);
  });

  it('isWithin treats a missing end as open', () => {
    const d = parseDate('2024-05-01');
    expect(isWithin(d, parseDate('2024-01-01'))).toBe(true);
    expect(isWithin(d, parseDate('2024-01-01'), null)).toBe(true);
    expect(isWithin(d, parseDate('2024-01-01'), parseDate('2024-04-30'))).toBe(false);
  });

  it('decodes database values', () => {
    expect(dateFromDb('2024-05-01')).toBe('2024-05-01');
    expect(() => dateFromDb(42)).toThrow();
  });
});

describe('Instant', () => {
  it('normalises to UTC milliseconds', () => {
    expect(parseInstant('2024-05-01T10:00:00-05:00')).toBe('2024-05-01T15:00:00.000Z');
    expect(() => parseInstant('2024-05-01T10:00:00')).toThrow(); // no offset: ambiguous
    expect(() => parseInstant('2024-05-01')).toThrow();
    expect(instantFromDb(new Date(Date.UTC(2024, 0, 1)))).toBe('2024-01-01T00:00:00.000Z');
    const a = parseInstant('2024-05-01T00:00:00Z');
    expect(diffMillis(a, addHours(a, 48))).toBe(48 * 3_600_000);
  });

  it('gives the calendar date in a practice time zone', () => {
    const i = parseInstant('2024-05-01T03:00:00Z');
    expect(dateInZone(i)).toBe('2024-05-01');
    expect(dateInZone(i, 'America/Chicago')).toBe('2024-04-30');
  });
});

describe('Clock', () => {
  it('fixed and manual clocks are deterministic', () => {
    const at = parseInstant('2024-05-01T12:00:00Z');
    expect(fixedClock(at).now()).toBe(at);
    expect(fixedClock(at).today()).toBe('2024-05-01');
    const m = manualClock(at);
    m.advance(24 * 3_600_000);
    expect(m.today()).toBe('2024-05-02');
    m.set(at);
    expect(m.now()).toBe(at);
    expect(systemClock.now()).toMatch(/Z$/);
  });
});
