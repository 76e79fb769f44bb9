/**
 * Money is an integer number of cents in a branded type (STYLE §4). Decimals exist only at the wire
 * (X12 `R` elements, API JSON, the UI); parsing and formatting work on digit strings, never floats.
 * Multiplication by a rate goes through `bigint` with a named rounding mode.
 */
import { coreError } from './errors.ts';

declare const centsBrand: unique symbol;
/** An amount of money in integer cents (USD). Always a safe integer. */
export type Cents = number & { readonly [centsBrand]: 'Cents' };

export const ZERO = 0 as Cents;

const MAX = BigInt(Number.MAX_SAFE_INTEGER);

function checkSafe(n: number, field: string): Cents {
  if (!Number.isSafeInteger(n)) {
    throw coreError('core.money_overflow', `${field}: amount is not a safe integer number of cents`);
  }
  // Normalise -0 so that equality and formatting never see it.
  return (n === 0 ? 0 : n) as Cents;
}

/** Wraps an integer number of cents; throws if it is not a safe integer. */
export function cents(n: number, field = 'amount'): Cents {
  return checkSafe(n, field);
}

const DECIMAL = /^(-)?(\d*)(?:\.(\d{1,2}))?$/;

/**
 * Parses a decimal string ("12.34", "-0.5", "100", ".5") into cents exactly.
 * Rejects more than two decimals, exponents, thousands separators, whitespace and empty input.
 * `field` names the input in the error message (never its value: it may be PHI-adjacent).
 */
export function parseCents(text: string, field = 'amount'): Cents {
  const m = DECIMAL.exec(text);
  const whole = m?.[2] ?? '';
  const frac = m?.[3] ?? '';
  if (!m || (whole === '' && frac === '')) {
    throw coreError('core.invalid_money', `${field}: not a decimal amount with at most two decimals`);
  }
  const magnitude = BigInt(whole === '' ? '0' : whole) * 100n + BigInt(frac.padEnd(2, '0'));
  if (magnitude > MAX) {
    throw coreError('core.money_overflow', `${field}: amount is too large`);
  }
  const value = Number(magnitude);
  return checkSafe(m[1] === '-' ? -value : value, field);
}

/** Parses, returning undefined instead of throwing (for validators that collect issues). */
export function tryParseCents(text: string): Cents | undefined {
  try {
    return parseCents(text);
  } catch {
    return undefined;
  }
}

/** Formats with exactly two decimals: 1234 → "12.34", -50 → "-0.50", 10000 → "100.00". */
export function formatCents(c: Cents): string {
  const negative = c < 0;
  const abs = Math.abs(c);
  const whole = Math.trunc(abs / 100);
  const frac = abs - whole * 100;
  return `${negative ? '-' : ''}${whole}.${String(frac).padStart(2, '0')}`;
}

/**
 * Formats with trailing zero decimals dropped, the usual X12 `R` form:
 * 10000 → "100", 1230 → "12.3", -50 → "-0.5".
 */
export function formatCentsCompact(c: Cents): string {
  const fixed = formatCents(c);
  return fixed.replace(/\.?0+$/, '');
}

export function add(a: Cents, b: Cents): Cents {
  return checkSafe(a + b, 'sum');
}

export function sub(a: Cents, b: Cents): Cents {
  return checkSafe(a - b, 'difference');
}

export function negate(a: Cents): Cents {
  return checkSafe(-(a as number), 'amount');
}

/** Sum of any number of amounts (0 for none). */
export function sum(values: Iterable<Cents>): Cents {
  let total = 0;
  for (const v of values) total = checkSafe(total + v, 'sum');
  return total as Cents;
}

export function isZero(a: Cents): boolean {
  return a === 0;
}

export function compareCents(a: Cents, b: Cents): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function minCents(a: Cents, b: Cents): Cents {
  return a <= b ? a : b;
}

export function maxCents(a: Cents, b: Cents): Cents {
  return a >= b ? a : b;
}

/** Multiplies by a whole count (units × unit price). */
export function times(a: Cents, count: number): Cents {
  if (!Number.isSafeInteger(count)) {
    throw coreError('core.invalid_argument', 'count: must be an integer');
  }
  return checkSafe(Number(BigInt(a) * BigInt(count)), 'product');
}

export const ROUNDING_MODES = ['half-even', 'half-up', 'floor', 'ceil', 'down'] as const;
export type RoundingMode = (typeof ROUNDING_MODES)[number];

function divRound(n: bigint, d: bigint, mode: RoundingMode): bigint {
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const q = n / d; // truncates toward zero
  const r = n % d;
  if (r === 0n) return q;
  const negative = n < 0n;
  const twice = (r < 0n ? -r : r) * 2n;
  switch (mode) {
    case 'down':
      return q;
    case 'floor':
      return negative ? q - 1n : q;
    case 'ceil':
      return negative ? q : q + 1n;
    case 'half-up':
      // Half away from zero.
      return twice >= d ? (negative ? q - 1n : q + 1n) : q;
    case 'half-even': {
      if (twice > d || (twice === d && q % 2n !== 0n)) return negative ? q - 1n : q + 1n;
      return q;
    }
  }
}

/**
 * amount × numerator / denominator with a named rounding mode, in exact integer arithmetic.
 * E.g. 80 % coinsurance: `scale(allowed, 80, 100, 'half-up')`.
 */
export function scale(a: Cents, numerator: number, denominator: number, mode: RoundingMode): Cents {
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator) || denominator === 0) {
    throw coreError(
      'core.invalid_argument',
      'scale: numerator and denominator must be integers, denominator ≠ 0',
    );
  }
  const q = divRound(BigInt(a) * BigInt(numerator), BigInt(denominator), mode);
  if (q > MAX || q < -MAX) throw coreError('core.money_overflow', 'scale: result is too large');
  return checkSafe(Number(q), 'scaled amount');
}

/**
 * Splits `total` into parts proportional to non-negative integer `weights` by the largest-remainder
 * method, so the parts always sum exactly to the total. Ties go to the earlier index. A negative
 * total is split like its absolute value and negated.
 */
export function allocate(total: Cents, weights: readonly number[]): Cents[] {
  if (weights.length === 0) throw coreError('core.invalid_allocation', 'allocate: no weights');
  let weightSum = 0n;
  for (const w of weights) {
    if (!Number.isSafeInteger(w) || w < 0) {
      throw coreError('core.invalid_allocation', 'allocate: weights must be non-negative integers');
    }
    weightSum += BigInt(w);
  }
  if (weightSum === 0n) throw coreError('core.invalid_allocation', 'allocate: weights sum to zero');
  const sign = total < 0 ? -1n : 1n;
  const abs = BigInt(total) * sign;
  const parts: bigint[] = [];
  const remainders: { index: number; rem: bigint }[] = [];
  let allocated = 0n;
  weights.forEach((w, index) => {
    const product = abs * BigInt(w);
    const share = product / weightSum;
    parts.push(share);
    allocated += share;
    remainders.push({ index, rem: product % weightSum });
  });
  let left = abs - allocated; // < weights.length
  remainders.sort((x, y) => (x.rem === y.rem ? x.index - y.index : x.rem > y.rem ? -1 : 1));
  for (const { index } of remainders) {
    if (left === 0n) break;
    parts[index] = (parts[index] ?? 0n) + 1n;
    left -= 1n;
  }
  return parts.map((p) => checkSafe(Number(p * sign), 'allocated part'));
}

/**
 * Decodes a bigint column: pg returns int8 as a string, PGlite as a number, some drivers as bigint.
 * Throws if the value is not an integer within the safe range.
 */
export function centsFromDb(value: unknown, field = 'amount'): Cents {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return checkSafe(value, field);
  } else if (typeof value === 'bigint') {
    if (value <= MAX && value >= -MAX) return checkSafe(Number(value), field);
  } else if (typeof value === 'string' && /^-?\d+$/.test(value)) {
    const b = BigInt(value);
    if (b <= MAX && b >= -MAX) return checkSafe(Number(b), field);
  }
  throw coreError('core.money_overflow', `${field}: database value is not a safe integer`);
}

/** Alias kept short for query code: `fromDb(row.amount_cents)`. */
export const fromDb = centsFromDb;
