/**
 * What a payer remembers between claims, kept small enough that a run of millions of claims does not grow
 * with the number of claims (issue 4, benchmark):
 *
 * - duplicate-line history: each line key (see `lineKey`) becomes a 52-bit hash (two independent 32-bit
 *   FNV-1a variants; with a million lines the chance of any false duplicate is about 1 in 10,000), kept in
 *   one set per month of date of service. A month is dropped once no claim can still match it: its last
 *   day is further than the payer's timely filing limit before the earliest receipt date any future claim
 *   can have (such a line is denied CO-29 before the duplicate check), or, when the caller knows that every
 *   future claim has a later date of service (a month-by-month stream), as soon as that month is past;
 * - benefit accumulators per member and benefit year, dropped when the year can no longer receive claims;
 *   a member-year the payer has not seen starts from `seasonedAccumulator` when the simulation starts after
 *   January 1 of that year (the member's earlier claims that year were never generated).
 */
import { daysBetween, monthStart, addDays } from '../dates.ts';
import { ZERO_ACCUMULATOR, type Accumulator } from './adjudicate.ts';
import { seasonedAccumulator } from './accumulators.ts';
import type { PayerProfile } from './profiles.ts';

/** 52-bit hash of a string (exact as a JS number). */
export function hash52(s: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return (a >>> 12) * 4_294_967_296 + (b >>> 0);
}

/** Month number (year × 12 + month − 1) of a 'YYYY-MM-DD' date. */
function monthOf(date: string): number {
  return Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
}

function lastDayOfMonth(month: number): string {
  const y = Math.floor(month / 12);
  const m = (month % 12) + 1;
  return addDays(monthStart(`${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-01`, 1), -1);
}

/** The duplicate-line history of one payer: hashed line keys by month of date of service. */
export class LineHistory {
  private readonly months = new Map<number, Set<number>>();

  /** Whether a line with this key (`lineKey`) was adjudicated before. */
  has(key: string): boolean {
    const s = this.months.get(monthOf(dosOfKey(key)));
    return s !== undefined && s.has(hash52(key));
  }

  add(key: string): void {
    const m = monthOf(dosOfKey(key));
    let s = this.months.get(m);
    if (!s) {
      s = new Set();
      this.months.set(m, s);
    }
    s.add(hash52(key));
  }

  delete(key: string): void {
    this.months.get(monthOf(dosOfKey(key)))?.delete(hash52(key));
  }

  /** Drops the months whose every line a claim received on or after `earliestReceipt` denies CO-29. */
  pruneTimelyFiling(earliestReceipt: string, timelyFilingDays: number): void {
    for (const m of [...this.months.keys()])
      if (daysBetween(lastDayOfMonth(m), earliestReceipt) > timelyFilingDays) this.months.delete(m);
  }

  /** Drops the months before the one of `date` (when no future claim has an earlier date of service). */
  pruneBefore(date: string): void {
    const keep = monthOf(date);
    for (const m of [...this.months.keys()]) if (m < keep) this.months.delete(m);
  }

  /** Lines remembered (for memory tests and benchmarks). */
  get size(): number {
    let n = 0;
    for (const s of this.months.values()) n += s.size;
    return n;
  }
}

/** The date of service inside a `lineKey` (member|date|code|modifiers|npi). */
function dosOfKey(key: string): string {
  const i = key.indexOf('|');
  return key.slice(i + 1, i + 11);
}

/** Every payer's memory: line histories and member accumulators. */
export class PayerMemory {
  private readonly histories = new Map<string, LineHistory>();
  private readonly accumulators = new Map<string, Accumulator>();

  /**
   * `season`: the data set's first date of service and generator seed; member-years that began before it
   * start seasoned (`seasonedAccumulator` as of that date). Without it every member-year starts at zero.
   */
  constructor(
    private readonly season: { readonly startDate: string; readonly seed: number | string } | null = null,
  ) {}

  history(payerId: string): LineHistory {
    let h = this.histories.get(payerId);
    if (!h) {
      h = new LineHistory();
      this.histories.set(payerId, h);
    }
    return h;
  }

  /** Accumulator key: 'payerId|memberId|YYYY' (the 271 answers read the same keys). */
  static key(payerId: string, memberId: string, date: string): string {
    return `${payerId}|${memberId}|${date.slice(0, 4)}`;
  }

  /** The member's accumulator for the benefit year of `date` (seasoned when first seen, see the constructor). */
  accumulator(profile: PayerProfile, memberId: string, date: string): Accumulator {
    const key = PayerMemory.key(profile.payerId, memberId, date);
    const known = this.accumulators.get(key);
    if (known) return known;
    const s = this.season;
    if (s === null || date.slice(0, 4) !== s.startDate.slice(0, 4)) return ZERO_ACCUMULATOR;
    return seasonedAccumulator(profile, memberId, s.startDate, s.seed);
  }

  /** The stored accumulator under a key (undefined when the payer has not adjudicated for that member-year). */
  stored(key: string): Accumulator | undefined {
    return this.accumulators.get(key);
  }

  set(key: string, acc: Accumulator): void {
    this.accumulators.set(key, acc);
  }

  /** Forgets accumulators of benefit years before `year` (no claim for them can still be adjudicated). */
  pruneYearsBefore(year: number): void {
    for (const k of [...this.accumulators.keys()])
      if (Number(k.slice(k.length - 4)) < year) this.accumulators.delete(k);
  }

  /** Remembered lines and member-years (for memory tests and benchmarks). */
  get size(): { lines: number; memberYears: number } {
    let lines = 0;
    for (const h of this.histories.values()) lines += h.size;
    return { lines, memberYears: this.accumulators.size };
  }
}
