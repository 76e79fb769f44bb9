/**
 * Calendar-date helpers over 'YYYY-MM-DD' strings. Internally a date is a day number (days since
 * 1970-01-01, proleptic Gregorian, no time zone), so arithmetic never touches wall-clock time.
 */

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** 'YYYY-MM-DD' to day number; throws on a malformed or impossible date. */
export function toDay(date: string): number {
  const m = DATE_RE.exec(date);
  if (!m) throw new RangeError('date must be YYYY-MM-DD');
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw new RangeError('date is not a calendar date');
  }
  return Math.round(ms / 86_400_000);
}

/** Day number to 'YYYY-MM-DD'. */
export function fromDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return fromDay(toDay(date) + days);
}

/** Whole days from a to b (b - a). */
export function daysBetween(a: string, b: string): number {
  return toDay(b) - toDay(a);
}

/** 0 = Sunday ... 6 = Saturday. */
export function weekdayOfDay(day: number): number {
  return (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

/** First day of the month `n` months after the month containing `date`. */
export function monthStart(date: string, n = 0): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7)) - 1 + n;
  return fromDay(Math.round(Date.UTC(y + Math.floor(m / 12), ((m % 12) + 12) % 12, 1) / 86_400_000));
}

/** Same calendar day `years` later, clamped to month end (Feb 29 -> Feb 28). */
export function addYears(date: string, years: number): string {
  const y = Number(date.slice(0, 4)) + years;
  const mo = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  const last = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return `${String(y).padStart(4, '0')}-${date.slice(5, 7)}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** Age in whole years on `onDate`. */
export function ageOn(dateOfBirth: string, onDate: string): number {
  const by = Number(dateOfBirth.slice(0, 4));
  const oy = Number(onDate.slice(0, 4));
  const before = onDate.slice(5) < dateOfBirth.slice(5);
  return oy - by - (before ? 1 : 0);
}

/**
 * Holidays the simulated clinics close on: New Year's Day, Independence Day and Christmas on their calendar
 * day (no observed shifting), Memorial Day, Labor Day and Thanksgiving. Good enough for a realistic schedule.
 */
export function isClinicHoliday(day: number): boolean {
  const date = fromDay(day);
  const md = date.slice(5);
  if (md === '01-01' || md === '07-04' || md === '12-25') return true;
  const month = Number(date.slice(5, 7));
  const dom = Number(date.slice(8, 10));
  const wd = weekdayOfDay(day);
  if (month === 5 && wd === 1 && dom > 24) return true; // last Monday of May
  if (month === 9 && wd === 1 && dom <= 7) return true; // first Monday of September
  if (month === 11 && wd === 4 && dom >= 22 && dom <= 28) return true; // fourth Thursday of November
  return false;
}

/** Monday-Friday and not a clinic holiday. */
export function isBusinessDay(day: number): boolean {
  const wd = weekdayOfDay(day);
  return wd !== 0 && wd !== 6 && !isClinicHoliday(day);
}

/**
 * An instant as an ISO-8601 UTC string for a local wall time on `day`. Simulated clinics keep US Eastern
 * standard time (UTC-5) all year: no DST, so the mapping is deterministic and reversible.
 */
export function localInstant(day: number, minutesAfterMidnight: number): string {
  const ms = day * 86_400_000 + (minutesAfterMidnight + 5 * 60) * 60_000;
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** Adds (possibly fractional) hours to an ISO instant, truncated to whole seconds. */
export function addHours(instant: string, hours: number): string {
  const ms = Date.parse(instant) + Math.round(hours * 3600) * 1000;
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
