/**
 * Calendar dates and instants are different types (STYLE §5). A `CalendarDate` is a day on the
 * calendar with no time zone ('YYYY-MM-DD': dates of service, birth, check dates, deadlines); an
 * `Instant` is a point in time (events: received, posted, submitted), kept as a canonical UTC ISO
 * string so it sorts lexically and serialises as-is. Arithmetic on dates uses whole UTC days, so it
 * never depends on the machine's time zone.
 */
import { coreError } from './errors.ts';

declare const dateBrand: unique symbol;
declare const instantBrand: unique symbol;

/** 'YYYY-MM-DD', validated against the calendar. */
export type CalendarDate = string & { readonly [dateBrand]: 'CalendarDate' };
/** 'YYYY-MM-DDTHH:mm:ss.sssZ' (always UTC, always milliseconds). */
export type Instant = string & { readonly [instantBrand]: 'Instant' };

const DAY_MS = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Validates 'YYYY-MM-DD' (years 0001–9999). `field` names the input in the error. */
export function parseDate(text: string, field = 'date'): CalendarDate {
  const m = DATE_RE.exec(text);
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    const d = Number(m[3]);
    if (y >= 1 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo)) return text as CalendarDate;
  }
  throw coreError('core.invalid_date', `${field}: not a valid calendar date (YYYY-MM-DD)`);
}

export function isCalendarDate(text: string): text is CalendarDate {
  try {
    parseDate(text);
    return true;
  } catch {
    return false;
  }
}

/** Days since 1970-01-01 (negative before). */
export function toEpochDay(d: CalendarDate): number {
  const y = Number(d.slice(0, 4));
  const mo = Number(d.slice(5, 7));
  const day = Number(d.slice(8, 10));
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, day); // setUTCFullYear keeps years < 100 literal
  return Math.round(date.getTime() / DAY_MS);
}

export function fromEpochDay(n: number): CalendarDate {
  if (!Number.isSafeInteger(n)) throw coreError('core.invalid_date', 'epoch day: not an integer');
  const date = new Date(n * DAY_MS);
  const y = date.getUTCFullYear();
  if (y < 1 || y > 9999) throw coreError('core.invalid_date', 'date out of range (0001–9999)');
  return `${String(y).padStart(4, '0')}-${String(date.getUTCMonth() + 1).padStart(2, '0')}-${String(
    date.getUTCDate(),
  ).padStart(2, '0')}` as CalendarDate;
}

export function addDays(d: CalendarDate, days: number): CalendarDate {
  return fromEpochDay(toEpochDay(d) + days);
}

/** b − a in whole days (positive when b is later). */
export function diffDays(a: CalendarDate, b: CalendarDate): number {
  return toEpochDay(b) - toEpochDay(a);
}

/** Lexical order of 'YYYY-MM-DD' is calendar order. */
export function compareDates(a: CalendarDate, b: CalendarDate): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function minDate(a: CalendarDate, b: CalendarDate): CalendarDate {
  return a <= b ? a : b;
}

export function maxDate(a: CalendarDate, b: CalendarDate): CalendarDate {
  return a >= b ? a : b;
}

/** Inclusive range check; `to` undefined means open-ended (e.g. an enrollment with no end date). */
export function isWithin(d: CalendarDate, from: CalendarDate, to?: CalendarDate | null): boolean {
  return d >= from && (to === undefined || to === null || d <= to);
}

export function startOfMonth(d: CalendarDate): CalendarDate {
  return `${d.slice(0, 7)}-01` as CalendarDate;
}

export function endOfMonth(d: CalendarDate): CalendarDate {
  const y = Number(d.slice(0, 4));
  const mo = Number(d.slice(5, 7));
  return `${d.slice(0, 7)}-${String(daysInMonth(y, mo)).padStart(2, '0')}` as CalendarDate;
}

/** Adds calendar months, clamping the day to the target month (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(d: CalendarDate, months: number): CalendarDate {
  const y = Number(d.slice(0, 4));
  const mo = Number(d.slice(5, 7)) - 1 + months;
  const ty = y + Math.floor(mo / 12);
  const tm = (((mo % 12) + 12) % 12) + 1;
  const day = Math.min(Number(d.slice(8, 10)), daysInMonth(ty, tm));
  return parseDate(
    `${String(ty).padStart(4, '0')}-${String(tm).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
  );
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(d: CalendarDate): number {
  // 1970-01-01 was a Thursday (4).
  return (((toEpochDay(d) + 4) % 7) + 7) % 7;
}

export function isWeekend(d: CalendarDate): boolean {
  const w = dayOfWeek(d);
  return w === 0 || w === 6;
}

/** A business day is a weekday not in `holidays` (the caller supplies its holiday calendar). */
export function isBusinessDay(d: CalendarDate, holidays: ReadonlySet<string> = new Set()): boolean {
  return !isWeekend(d) && !holidays.has(d);
}

/**
 * Moves `n` business days forward (n > 0) or backward (n < 0); n = 0 returns `d` unchanged.
 * E.g. the monthly report is due `addBusinessDays(endOfMonth(d), 5)`.
 */
export function addBusinessDays(
  d: CalendarDate,
  n: number,
  holidays: ReadonlySet<string> = new Set(),
): CalendarDate {
  if (!Number.isSafeInteger(n)) throw coreError('core.invalid_argument', 'business days: not an integer');
  const step = n < 0 ? -1 : 1;
  let left = Math.abs(n);
  let cur = d;
  while (left > 0) {
    cur = addDays(cur, step);
    if (isBusinessDay(cur, holidays)) left -= 1;
  }
  return cur;
}

/** Business days in (a, b]: how many business days after `a` up to and including `b`. */
export function businessDaysBetween(
  a: CalendarDate,
  b: CalendarDate,
  holidays: ReadonlySet<string> = new Set(),
): number {
  if (b < a) return -businessDaysBetween(b, a, holidays);
  let count = 0;
  for (let cur = addDays(a, 1); cur <= b; cur = addDays(cur, 1)) if (isBusinessDay(cur, holidays)) count += 1;
  return count;
}

// ---------------------------------------------------------------------------------------------
// Instants

const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses an ISO-8601 time with an explicit offset (or Z) into the canonical UTC form. */
export function parseInstant(text: string, field = 'instant'): Instant {
  const ms = INSTANT_RE.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms)) throw coreError('core.invalid_instant', `${field}: not an ISO-8601 time with offset`);
  return new Date(ms).toISOString() as Instant;
}

export function instantFromDate(d: Date): Instant {
  if (Number.isNaN(d.getTime())) throw coreError('core.invalid_instant', 'instant: invalid Date');
  return d.toISOString() as Instant;
}

export function instantFromMillis(ms: number): Instant {
  return instantFromDate(new Date(ms));
}

export function toMillis(i: Instant): number {
  return Date.parse(i);
}

export function toDate(i: Instant): Date {
  return new Date(Date.parse(i));
}

/** Decodes a timestamptz column: pg and PGlite return Date objects; strings are accepted too. */
export function instantFromDb(value: unknown, field = 'timestamp'): Instant {
  if (value instanceof Date) return instantFromDate(value);
  if (typeof value === 'string') return instantFromDate(new Date(value));
  throw coreError('core.invalid_instant', `${field}: database value is not a timestamp`);
}

export function addMillis(i: Instant, ms: number): Instant {
  return instantFromMillis(toMillis(i) + ms);
}

export function addHours(i: Instant, hours: number): Instant {
  return addMillis(i, hours * 3_600_000);
}

/** b − a in milliseconds. */
export function diffMillis(a: Instant, b: Instant): number {
  return toMillis(b) - toMillis(a);
}

/** Canonical instants sort lexically. */
export function compareInstants(a: Instant, b: Instant): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The calendar date of an instant in a time zone (IANA name, e.g. a practice's 'America/Chicago').
 * Defaults to UTC so the result never depends on the machine.
 */
export function dateInZone(i: Instant, timeZone = 'UTC'): CalendarDate {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(toDate(i));
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? '';
  return parseDate(`${get('year')}-${get('month')}-${get('day')}`);
}

/** Decodes a `date` column: pg returns 'YYYY-MM-DD' strings (we disable its Date parsing); PGlite too. */
export function dateFromDb(value: unknown, field = 'date'): CalendarDate {
  if (typeof value === 'string') return parseDate(value.slice(0, 10), field);
  if (value instanceof Date) {
    // A driver that parsed the date as local midnight: read it back in local time.
    const y = value.getFullYear();
    return parseDate(
      `${String(y).padStart(4, '0')}-${String(value.getMonth() + 1).padStart(2, '0')}-${String(value.getDate()).padStart(2, '0')}`,
      field,
    );
  }
  throw coreError('core.invalid_date', `${field}: database value is not a date`);
}
