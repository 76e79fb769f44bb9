import { DEFAULT_DELIMITERS, type Delimiters } from './delimiters.ts';
import type { Segment } from './segment.ts';
import { codesOf, NO_CODES, textOf, type Codes } from './codes.ts';
import { centsAt } from './values.ts';

export { centsAt };

/**
 * A segment seen in place: offsets into the text it was scanned from, with no element array and no element
 * strings. The {@link Scanner} fills one view and reuses it for every segment, so a reader must copy what it
 * keeps (strings from {@link str}, numbers, or a {@link Segment} from {@link toSegment}) and never keep the view.
 *
 * Element `k` (0 = the segment id, 1 = XX01, ...) spans `text[bounds[k], bounds[k + 1] - 1)`; elements after
 * {@link count} are absent (empty).
 */
export class SegmentView {
  text = '';
  /** The character codes of {@link text} (codes.ts), read by the value conversions in place of the text. */
  codes: Codes = NO_CODES;
  bounds: Int32Array = new Int32Array(64);
  /** Number of elements after the id (`elements.length - 1` of the equivalent {@link Segment}). */
  count = 0;
  /** The id packed by {@link idCode} (-1 when it is longer than 3 characters or not Latin-1). */
  idCode = 0;
  /** 0-based index over every segment of the input. */
  index = 0;
  /** 1-based line where the segment starts. */
  line = 1;
  /** Byte offset where the segment starts, in the input as UTF-8 (the character offset for ASCII input). */
  offset = 0;
  delimiters: Delimiters = DEFAULT_DELIMITERS;
  /** Character code of the component separator (ISA16). */
  componentCode = 58;

  /** The segment id (allocates; readers dispatch on {@link idCode}). */
  get id(): string {
    return this.str(0);
  }

  /** Element `k` as a string ('' when absent). */
  str(k: number): string {
    if (k > this.count) return '';
    const b = this.bounds;
    return this.text.slice(b[k], b[k + 1]! - 1);
  }

  /** Length of element `k` (0 when absent). */
  len(k: number): number {
    if (k > this.count) return 0;
    const b = this.bounds;
    return b[k + 1]! - 1 - b[k]!;
  }

  /** Whether element `k` is present and non-empty. */
  has(k: number): boolean {
    return this.len(k) > 0;
  }

  /** Element `k` as integer cents: undefined when absent, NaN when it is not an amount (see `parseAmount`). */
  cents(k: number): number | undefined {
    if (k > this.count) return undefined;
    const b = this.bounds;
    const a = b[k]!;
    const e = b[k + 1]! - 1;
    return a === e ? undefined : centsAt(this.codes, a, e);
  }

  /** Element `k` as a CCYYMMDD number (e.g. 20261120), -1 when absent or not a valid D8 date. */
  d8(k: number): number {
    if (k > this.count) return -1;
    const b = this.bounds;
    return d8At(this.codes, b[k]!, b[k + 1]! - 1);
  }

  /** Element `k` as a number when it is an X12 decimal (`-?(\d+\.?\d*|\.\d+)`); undefined otherwise. */
  decimal(k: number): number | undefined {
    if (k > this.count) return undefined;
    const b = this.bounds;
    const a = b[k]!;
    const e = b[k + 1]! - 1;
    if (a === e) return undefined;
    const n = decimalAt(this.codes, a, e);
    return Number.isNaN(n) ? undefined : n;
  }

  /** Component `c` (1-based) of element `k` ('' when absent). */
  component(k: number, c: number): string {
    if (k > this.count) return '';
    const b = this.bounds;
    const codes = this.codes;
    const cc = this.componentCode;
    const e = b[k + 1]! - 1;
    let s = b[k]!;
    for (let n = 1; n < c; n++) {
      while (s < e && codes[s]! !== cc) s++;
      if (s >= e) return '';
      s++;
    }
    let p = s;
    while (p < e && codes[p]! !== cc) p++;
    return this.text.slice(s, p);
  }

  /** The elements as strings, id first (what `Segment.elements` holds). */
  elements(): string[] {
    const out: string[] = [];
    for (let k = 0; k <= this.count; k++) out.push(this.str(k));
    return out;
  }

  /** A {@link Segment} with the same elements and position, independent of this view. */
  toSegment(): Segment {
    const elements = this.elements();
    return {
      id: elements[0] ?? '',
      elements,
      index: this.index,
      line: this.line,
      offset: this.offset,
      delimiters: this.delimiters,
    };
  }

  /** Points this view at a {@link Segment} (for readers that take views but were handed segments). */
  setSegment(seg: Segment): void {
    const els = seg.elements;
    let b = this.bounds;
    if (b.length < els.length + 2) b = this.bounds = new Int32Array(els.length * 2 + 2);
    let at = 0;
    for (let k = 0; k < els.length; k++) {
      b[k] = at;
      at += (els[k] ?? '').length + 1;
    }
    const text = els.join(seg.delimiters.element);
    if (els.length === 0) b[0] = 0;
    this.count = Math.max(0, els.length - 1);
    b[this.count + 1] = at === 0 ? 1 : at;
    this.text = text;
    this.codes = codesOf(text);
    this.idCode = idCode(text, 0, b[1]! - 1);
    this.index = seg.index;
    this.line = seg.line;
    this.offset = seg.offset;
    this.delimiters = seg.delimiters;
    this.componentCode = seg.delimiters.component.charCodeAt(0);
  }

  /** Makes room for at least `n` bounds, keeping the first `keep`. */
  grow(n: number): Int32Array {
    const next = new Int32Array(Math.max(n, this.bounds.length * 2));
    next.set(this.bounds);
    this.bounds = next;
    return next;
  }
}

/**
 * Shares the strings of short codes (qualifiers, reason codes, procedure codes): a large remittance repeats a
 * few hundred distinct codes millions of times, and one string per distinct code keeps the typed objects small
 * and the garbage collector idle. Bounded: past `limit` distinct codes new ones are sliced as usual.
 */
export class Interner {
  // An open-addressing table over the packed codes (a Map keyed by numbers past 2^31 boxes every lookup key).
  private readonly keys: Float64Array;
  private readonly values: string[];
  private readonly mask: number;
  private size = 0;

  constructor(private readonly limit = 4096) {
    let capacity = 16;
    while (capacity < limit * 2) capacity *= 2;
    this.keys = new Float64Array(capacity);
    this.values = new Array<string>(capacity).fill('');
    this.mask = capacity - 1;
  }

  /** Element `k` of `v` as a string, shared when it is a code of up to 6 ASCII characters. */
  element(v: SegmentView, k: number): string {
    if (k > v.count) return '';
    const b = v.bounds;
    return this.text(v.text, v.codes, b[k]!, b[k + 1]! - 1);
  }

  /** `text[a, e)`, shared when up to 6 ASCII characters; `codes` are the text's (codes.ts). */
  text(text: string, codes: Codes, a: number, e: number): string {
    if (a === e) return '';
    if (e - a > 6) return text.slice(a, e);
    // key: the characters in base 128 after a leading 1 (exact in a double: at most 2^49), never 0.
    let key = 1;
    let hash = 0;
    for (let i = a; i < e; i++) {
      const c = codes[i]!;
      if (c > 127) return text.slice(a, e);
      key = key * 128 + c;
      hash = (Math.imul(hash, 31) + c) | 0;
    }
    const keys = this.keys;
    const mask = this.mask;
    let h = Math.imul(hash ^ (e - a), 0x9e3779b1) & mask;
    for (;;) {
      const at = keys[h]!;
      if (at === key) return this.values[h]!;
      if (at === 0) break;
      h = (h + 1) & mask;
    }
    const s = text.slice(a, e);
    if (this.size < this.limit) {
      keys[h] = key;
      this.values[h] = s;
      this.size++;
    }
    return s;
  }
}

/** X12 decimal (type R) syntax. */
const DECIMAL = /^-?(\d+\.?\d*|\.\d+)$/;

/** `codes[a, e)` as a number when it is an X12 decimal (`-?(\d+\.?\d*|\.\d+)`); NaN otherwise. */
export function decimalAt(codes: Codes, a: number, e: number): number {
  // Most decimals are amounts or units: read as cents, which is the number exactly (an integer over 100 is
  // rounded once, as Number rounds the text), without a substring.
  const cents = centsAt(codes, a, e);
  if (!Number.isNaN(cents)) return cents === 0 && codes[a]! === 45 ? -0 : cents / 100;
  const t = textOf(codes, a, e);
  if (!DECIMAL.test(t)) return NaN;
  const n = Number(t);
  return Number.isFinite(n) ? n : NaN;
}

/** Packs a segment id of up to 3 Latin-1 characters into a number (length included); -1 otherwise. */
export function idCode(text: string, a: number, e: number): number {
  const n = e - a;
  if (n > 3) return -1;
  let v = n;
  for (let i = 0; i < 3; i++) {
    const c = i < n ? text.charCodeAt(a + i) : 0;
    if (c > 255) return -1;
    v = v * 256 + c;
  }
  return v;
}

/** {@link idCode} of a literal id, for `switch` cases. */
export function idOf(id: string): number {
  return idCode(id, 0, id.length);
}

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** `codes[a, e)` as a CCYYMMDD number when it is a valid D8 date (same rule as `isValidD8`); -1 otherwise. */
export function d8At(codes: Codes, a: number, e: number): number {
  if (e - a !== 8) return -1;
  // Year, month and day as they are read (integer arithmetic only).
  let y = 0;
  for (let i = a; i < a + 4; i++) {
    const c = codes[i]! - 48;
    if (c < 0 || c > 9) return -1;
    y = y * 10 + c;
  }
  const m1 = codes[a + 4]! - 48;
  const m2 = codes[a + 5]! - 48;
  const d1 = codes[a + 6]! - 48;
  const d2 = codes[a + 7]! - 48;
  if (m1 < 0 || m1 > 9 || m2 < 0 || m2 > 9 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return -1;
  const m = m1 * 10 + m2;
  const d = d1 * 10 + d2;
  return m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m) ? y * 10000 + m * 100 + d : -1;
}

/** A CCYYMMDD number from {@link d8At} as `YYYY-MM-DD`. */
export function isoOfD8(v: number): string {
  const y = Math.floor(v / 10000);
  const m = Math.floor(v / 100) % 100;
  const d = v % 100;
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}
