import type { Rng } from './prng.ts';

/**
 * NPI check digit: Luhn (ISO/IEC 7812) over the constant prefix 80840 followed by the first nine NPI digits
 * (CMS, "Requirements for NPI and NPI Enumeration"). The prefix contributes a fixed 24 to the Luhn sum.
 */
export function npiCheckDigit(first9: string): number {
  if (!/^\d{9}$/.test(first9)) throw new RangeError('npi: need 9 digits');
  let sum = 24;
  for (let i = 0; i < 9; i++) {
    let d = first9.charCodeAt(i) - 48;
    // Counting from the right of the 9 digits, positions 1, 3, 5, ... (i = 8, 6, 4, ...) are doubled.
    if ((8 - i) % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** True for a 10-digit NPI whose last digit is the Luhn/80840 check digit. */
export function isValidNpi(npi: string): boolean {
  return /^\d{10}$/.test(npi) && npiCheckDigit(npi.slice(0, 9)) === Number(npi.charAt(9));
}

/** A random valid NPI; individuals start with 1, organizations with 2 (both are assigned that way by NPPES). */
export function makeNpi(rng: Rng, entity: 'individual' | 'organization'): string {
  const first9 = (entity === 'individual' ? '1' : '2') + rng.digits(8);
  return first9 + String(npiCheckDigit(first9));
}

// EIN prefixes the IRS assigns (a subset of the valid campus prefixes), so synthetic TINs have a real shape.
const EIN_PREFIXES = [
  '20',
  '26',
  '27',
  '45',
  '46',
  '47',
  '81',
  '82',
  '83',
  '84',
  '85',
  '86',
  '87',
  '88',
] as const;

/** A synthetic employer identification number: 9 digits, no dash (the form X12 REF*EI carries). */
export function makeTin(rng: Rng): string {
  return rng.pick(EIN_PREFIXES) + rng.digits(7);
}

/** Member id formats payers use; each has a generator and a validating pattern. */
export const MEMBER_ID_FORMATS = ['mbi', 'medicaid', 'alpha3num9', 'w9', 'num11', 'h8', 'num9alpha'] as const;
export type MemberIdFormat = (typeof MEMBER_ID_FORMATS)[number];

// CMS Medicare Beneficiary Identifier: 11 characters, letters exclude S, L, O, I, B, Z.
const MBI_ALPHA = 'ACDEFGHJKMNPQRTUVWXY';
const MBI_ALNUM = MBI_ALPHA + '0123456789';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

export const MEMBER_ID_PATTERNS: Readonly<Record<MemberIdFormat, RegExp>> = {
  // MBI positions: 1 numeric 1-9, 2 alpha, 3 alnum, 4 numeric, 5 alpha, 6 alnum, 7 numeric, 8-9 alpha, 10-11 numeric.
  mbi: /^[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9][0-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9][0-9][AC-HJKMNP-RT-Y]{2}[0-9]{2}$/,
  medicaid: /^[A-Z]{2}[0-9]{8}$/,
  alpha3num9: /^[A-Z]{3}[0-9]{9}$/,
  w9: /^W[0-9]{9}$/,
  num11: /^[0-9]{11}$/,
  h8: /^H[0-9]{8}$/,
  num9alpha: /^[0-9]{9}[A-Z]$/,
};

/** A member id in the payer's format. `prefix` is the fixed alpha prefix some plans use (3 letters). */
export function makeMemberId(rng: Rng, format: MemberIdFormat, prefix = 'SMX'): string {
  switch (format) {
    case 'mbi':
      return (
        String(rng.int(1, 9)) +
        rng.chars(1, MBI_ALPHA) +
        rng.chars(1, MBI_ALNUM) +
        rng.digits(1) +
        rng.chars(1, MBI_ALPHA) +
        rng.chars(1, MBI_ALNUM) +
        rng.digits(1) +
        rng.chars(2, MBI_ALPHA) +
        rng.digits(2)
      );
    case 'medicaid':
      return rng.chars(2, UPPER) + rng.digits(8);
    case 'alpha3num9':
      return prefix.slice(0, 3) + rng.digits(9);
    case 'w9':
      return 'W' + rng.digits(9);
    case 'num11':
      return rng.digits(11);
    case 'h8':
      return 'H' + rng.digits(8);
    case 'num9alpha':
      return rng.digits(9) + rng.chars(1, UPPER);
  }
}

/** True when `id` matches the payer's member id format. */
export function isValidMemberId(id: string, format: MemberIdFormat): boolean {
  return MEMBER_ID_PATTERNS[format].test(id);
}

/**
 * A registration typo of a member id: either a same-class character substitution (the id still looks
 * valid, so only the payer's roster lookup catches it) or a transposition/drop/extra character (usually
 * breaks the format, so a clearinghouse edit catches it). Always differs from the original.
 */
export function typoMemberId(
  rng: Rng,
  id: string,
): { value: string; kind: 'substitution' | 'transposition' | 'dropped' | 'extra' } {
  const kind = rng.weighted([
    ['substitution', 0.55],
    ['transposition', 0.2],
    ['dropped', 0.15],
    ['extra', 0.1],
  ] as const);
  const i = rng.int(0, id.length - 1);
  const ch = id.charAt(i);
  switch (kind) {
    case 'substitution': {
      const pool = /\d/.test(ch) ? '0123456789' : UPPER;
      let repl = ch;
      while (repl === ch) repl = rng.chars(1, pool);
      return { value: id.slice(0, i) + repl + id.slice(i + 1), kind };
    }
    case 'transposition': {
      // Swap with a neighbour that differs; fall back to substitution-like change when all equal.
      for (let j = 0; j < id.length - 1; j++) {
        const k = (i + j) % (id.length - 1);
        if (id.charAt(k) !== id.charAt(k + 1)) {
          return { value: id.slice(0, k) + id.charAt(k + 1) + id.charAt(k) + id.slice(k + 2), kind };
        }
      }
      return { value: id.slice(0, -1), kind: 'dropped' };
    }
    case 'dropped':
      return { value: id.slice(0, i) + id.slice(i + 1), kind };
    case 'extra':
      return { value: id.slice(0, i) + rng.digits(1) + id.slice(i), kind };
  }
}
