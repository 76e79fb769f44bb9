// Claim adjustment reason codes (CARC), remittance advice remark codes (RARC) and claim adjustment group
// codes, as used in 835 CAS/LQ/MIA/MOA. Code values and dates only: the descriptions are X12-published
// text under X12 licence terms and are deliberately not shipped (see data/SOURCES.md).

import { assertIsoDate } from './codec.ts';
import { columnIndex, lazy, readDataTsv } from './data.ts';

/**
 * Claim adjustment group codes (X12 code source 139, element 1033). CR is valid in 837 COB CAS (2320/2430)
 * but not in the 835 (005010X221A1 CAS01 allows CO, OA, PI, PR only; checked against the pyx12 maps).
 */
export const GROUP_CODES = {
  CO: { meaning: 'Contractual obligation', validIn835: true },
  OA: { meaning: 'Other adjustment', validIn835: true },
  PI: { meaning: 'Payer-initiated reduction', validIn835: true },
  PR: { meaning: 'Patient responsibility', validIn835: true },
  CR: { meaning: 'Correction and reversal', validIn835: false },
} as const;
export type GroupCode = keyof typeof GROUP_CODES;

/** The group codes in X12 order of use, as a plain list. */
export const groupCodes: readonly GroupCode[] = ['CO', 'OA', 'PI', 'PR', 'CR'];

/** True when `code` is a claim adjustment group code (optionally: one the 835 allows). */
export function isGroupCode(code: string, transaction: '835' | '837' = '837'): code is GroupCode {
  if (!Object.hasOwn(GROUP_CODES, code)) return false;
  return transaction === '837' || GROUP_CODES[code as GroupCode].validIn835;
}

export interface AdjustmentCode {
  readonly kind: 'CARC' | 'RARC';
  readonly code: string;
  /** First date the code may be used. */
  readonly start: string;
  /** Date from which the code may no longer be used (WPC "stop date"); absent while active. */
  readonly stop?: string;
}

interface Tables {
  readonly CARC: ReadonlyMap<string, AdjustmentCode>;
  readonly RARC: ReadonlyMap<string, AdjustmentCode>;
}

const tables = lazy((): Tables => {
  const tsv = readDataTsv('carc_rarc.tsv');
  const [ti, ci, si, pi] = ['type', 'code', 'start', 'stop'].map((c) => columnIndex(tsv, c)) as [
    number,
    number,
    number,
    number,
  ];
  const CARC = new Map<string, AdjustmentCode>();
  const RARC = new Map<string, AdjustmentCode>();
  for (const r of tsv.rows) {
    const kind = r[ti] === 'RARC' ? 'RARC' : 'CARC';
    const code = r[ci] ?? '';
    const stop = r[pi] ?? '';
    (kind === 'CARC' ? CARC : RARC).set(code, { kind, code, start: r[si] ?? '', ...(stop ? { stop } : {}) });
  }
  return { CARC, RARC };
});

const inUse = (c: AdjustmentCode | undefined, date: string): boolean =>
  c !== undefined && c.start <= date && (c.stop === undefined || date < c.stop);

/** The CARC entry (start/stop dates), if the code was ever defined. */
export function carc(code: string): AdjustmentCode | undefined {
  return tables().CARC.get(code.trim().toUpperCase());
}

/** The RARC entry (start date), if the code was ever defined. */
export function rarc(code: string): AdjustmentCode | undefined {
  return tables().RARC.get(code.trim().toUpperCase());
}

/** True when `code` is a CARC in use on `date` (started, and not past its stop date). */
export function isValidCarc(code: string, date: string): boolean {
  assertIsoDate(date, 'date');
  return inUse(carc(code), date);
}

/**
 * True when `code` is a RARC in use on `date`. The source has RARC start dates but no stop dates, so a
 * deactivated RARC is still accepted (see data/SOURCES.md).
 */
export function isValidRarc(code: string, date: string): boolean {
  assertIsoDate(date, 'date');
  return inUse(rarc(code), date);
}

/** CARC values in use on `asOf`, or every CARC ever defined when `asOf` is omitted. */
export function carcCodes(asOf?: string): ReadonlySet<string> {
  return codesOf(tables().CARC, asOf);
}

/** RARC values in use on `asOf`, or every RARC ever defined when `asOf` is omitted. */
export function rarcCodes(asOf?: string): ReadonlySet<string> {
  return codesOf(tables().RARC, asOf);
}

function codesOf(map: ReadonlyMap<string, AdjustmentCode>, asOf: string | undefined): ReadonlySet<string> {
  if (asOf === undefined) return new Set(map.keys());
  assertIsoDate(asOf, 'asOf');
  return new Set([...map.values()].filter((c) => inUse(c, asOf)).map((c) => c.code));
}
