import { asciiScratch, type Codes } from './codes.ts';

/**
 * Conversions between X12 element text and plain values. X12 amounts are decimal text (data element type R);
 * inside OpenRCM money is integer cents, so conversion is exact string arithmetic, never floating point.
 */

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function validYmd(y: number, m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

/** CCYYMMDD (date format qualifier D8). */
export function isValidD8(text: string): boolean {
  // Character loop rather than a regex and slices: dates are checked on every DTM of large remittances.
  if (text.length !== 8) return false;
  let y = 0;
  let m = 0;
  let d = 0;
  for (let i = 0; i < 8; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return false;
    if (i < 4) y = y * 10 + c;
    else if (i < 6) m = m * 10 + c;
    else d = d * 10 + c;
  }
  return validYmd(y, m, d);
}

/** YYMMDD (ISA09). */
export function isValidD6(text: string): boolean {
  if (!/^\d{6}$/.test(text)) return false;
  return validYmd(2000 + Number(text.slice(0, 2)), Number(text.slice(2, 4)), Number(text.slice(4, 6)));
}

/** HHMM, HHMMSS, HHMMSSD or HHMMSSDD (X12 TM type). */
export function isValidTime(text: string): boolean {
  if (!/^\d{4}(\d{2}(\d{1,2})?)?$/.test(text)) return false;
  const h = Number(text.slice(0, 2));
  const m = Number(text.slice(2, 4));
  const s = text.length >= 6 ? Number(text.slice(4, 6)) : 0;
  return h <= 23 && m <= 59 && s <= 59;
}

/** CCYYMMDD-CCYYMMDD (qualifier RD8) with start <= end. */
export function isValidRd8(text: string): boolean {
  const m = /^(\d{8})-(\d{8})$/.exec(text);
  if (m === null) return false;
  const [, a = '', b = ''] = m;
  return isValidD8(a) && isValidD8(b) && a <= b;
}

/** CCYYMMDD → YYYY-MM-DD (undefined when not a valid D8). */
export function d8ToIso(text: string): string | undefined {
  if (!isValidD8(text)) return undefined;
  return `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
}

/** YYYY-MM-DD → CCYYMMDD. */
export function isoToD8(iso: string): string {
  return iso.replaceAll('-', '');
}

/** RD8 → [start, end] in YYYY-MM-DD, or undefined. */
export function rd8ToIso(text: string): readonly [string, string] | undefined {
  if (!isValidRd8(text)) return undefined;
  return [d8ToIso(text.slice(0, 8)) ?? '', d8ToIso(text.slice(9, 17)) ?? ''];
}

const DECIMAL = /^(-)?(\d*)(?:\.(\d*))?$/;

/**
 * Parses X12 decimal text (type R) into integer cents. Returns undefined for text that is not a decimal or has
 * more than two significant decimal places (an amount like 10.005 cannot be money). Trailing zeros beyond two
 * places are accepted ("10.500" = 1050).
 */
export function parseAmount(text: string): number | undefined {
  // Text outside ASCII is no amount.
  const codes = asciiScratch(text);
  if (codes === undefined) return undefined;
  const cents = centsAt(codes, 0, text.length);
  return Number.isNaN(cents) ? undefined : cents;
}

/**
 * `parseAmount` over the character codes `codes[a, e)` (codes.ts) without a substring: cents, or NaN when
 * invalid. A character loop with the grammar of /^(-)?(\d*)(?:\.(\d*))?$/ — amounts are on most 835/837
 * segments, so no regex, substrings or padding per amount; beyond 13 integer digits is refused (no X12 R 18
 * amount is safe integer cents there).
 */
export function centsAt(codes: Codes, a: number, e: number): number {
  let i = a;
  let neg = false;
  if (i < e && codes[i]! === 45) {
    neg = true;
    i++;
  }
  let whole = 0;
  const intStart = i;
  while (i < e) {
    const c = codes[i]! - 48;
    if (c < 0 || c > 9) break;
    whole = whole * 10 + c;
    i++;
  }
  const intDigits = i - intStart;
  let frac = 0;
  let fracLen = 0;
  if (i < e && codes[i]! === 46) {
    i++;
    const start = i;
    // One pass: the first two decimal places make the cents; any further place must be a zero ("10.500").
    while (i < e) {
      const c = codes[i]! - 48;
      if (c < 0 || c > 9) break;
      if (i - start < 2) frac = frac * 10 + c;
      else if (c !== 0) return NaN;
      i++;
    }
    fracLen = i - start;
    if (fracLen === 1) frac *= 10;
  }
  if (i !== e) return NaN;
  if (intDigits === 0 && fracLen === 0) return NaN;
  if (intDigits > 13) return NaN;
  const cents = whole * 100 + frac;
  return neg ? (cents === 0 ? 0 : -cents) : cents;
}

/**
 * Formats integer cents as X12 decimal text: no leading zeros, trailing fractional zeros suppressed as the
 * X12 R type recommends ("100", "100.5", "100.55", "-3.2").
 */
export function formatAmount(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError('amount must be a safe integer number of cents');
  const neg = cents < 0;
  const abs = Math.abs(cents);
  const whole = Math.floor(abs / 100);
  const frac = abs % 100;
  let text = String(whole);
  if (frac !== 0) text += `.${String(frac).padStart(2, '0').replace(/0$/, '')}`;
  return neg ? `-${text}` : text;
}

/** Parses a decimal quantity (e.g. SV104 units "1", "2.5") exactly into thousandths. */
export function parseQuantityMilli(text: string): number | undefined {
  const m = DECIMAL.exec(text);
  if (m === null) return undefined;
  const [, sign, intPart = '', fracRaw = ''] = m;
  if (intPart === '' && fracRaw === '') return undefined;
  const frac = fracRaw.replace(/0+$/, '');
  if (frac.length > 3) return undefined;
  const v = Number(intPart === '' ? '0' : intPart) * 1000 + Number(frac.padEnd(3, '0'));
  return sign === '-' ? -v : v;
}

/** Formats thousandths back to X12 decimal text ("1", "2.5"). */
export function formatQuantityMilli(milli: number): string {
  const neg = milli < 0;
  const abs = Math.abs(milli);
  const whole = Math.floor(abs / 1000);
  const frac = abs % 1000;
  let text = String(whole);
  if (frac !== 0) text += `.${String(frac).padStart(3, '0').replace(/0+$/, '')}`;
  return neg ? `-${text}` : text;
}
