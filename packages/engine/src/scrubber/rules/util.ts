import { isValidNpi } from '@openrcm/core';
import type { Claim, ClaimLine, ClaimProvider } from '../../claims/model.ts';
import type { Finding } from '../types.ts';

/** Claim path of a line field: `lines[2].modifiers[0]` (0-based, like the arrays). */
export function linePath(index: number, field: string): string {
  return `lines[${index}].${field}`;
}

/** 2300 HI composite holding diagnosis `index` (0-based): HI01-2 … HI12-2 (837P TR3 2300 HI). */
export function hiElement(index: number): string {
  return `2300.HI${String(index + 1).padStart(2, '0')}-2`;
}

/** SV101-3 … SV101-6 hold up to four modifiers (837P TR3 2400 SV1). */
export function modifierElement(index: number): string {
  return `2400.SV101-${Math.min(index, 3) + 3}`;
}

/**
 * The provider who rendered a line: the line's 2420A rendering provider, else the claim's 2310B, else the
 * billing provider when it is a person (the TR3 omits 2310B when it equals the billing provider).
 */
export function renderingProviderOf(claim: Claim, line: ClaimLine): ClaimProvider | undefined {
  return (
    line.renderingProvider ??
    claim.renderingProvider ??
    (claim.billingProvider.entityType === 'person' ? claim.billingProvider : undefined)
  );
}

/** 837P location of the provider `renderingProviderOf` returned. */
export function renderingLocation(
  claim: Claim,
  line: ClaimLine,
  index: number,
): { field: string; x12: string } {
  if (line.renderingProvider) return { field: linePath(index, 'renderingProvider.npi'), x12: '2420A.NM109' };
  if (claim.renderingProvider) return { field: 'renderingProvider.npi', x12: '2310B.NM109' };
  return { field: 'billingProvider.npi', x12: '2010AA.NM109' };
}

/** The POS a line is billed with: SV105 when present, else CLM05-1. */
export function linePos(claim: Claim, line: ClaimLine): string {
  return line.placeOfService ?? claim.placeOfService;
}

/**
 * Anatomic modifiers (NCCI Policy Manual ch. I §E.1): the side (LT, RT), eyelids (E1–E4), fingers (FA, F1–F9),
 * toes (TA, T1–T9) and coronary arteries (LC, LD, LM, RC, RI).
 */
export const ANATOMIC_MODIFIERS: ReadonlySet<string> = new Set([
  'E1', 'E2', 'E3', 'E4', 'FA', 'F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7', 'F8', 'F9',
  'TA', 'T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'T8', 'T9', 'LT', 'RT', 'LC', 'LD', 'RC', 'LM', 'RI',
]); // prettier-ignore

/** E/M codes 99202–99499 (CPT Evaluation and Management section). */
export function isEvaluationAndManagement(code: string): boolean {
  return /^\d{5}$/.test(code) && code >= '99202' && code <= '99499';
}

export function isBlank(value: string | undefined): boolean {
  return value === undefined || value.trim() === '';
}

/** Shorthand for a finding. */
export function finding(field: string, x12: string, message: string, extra: Partial<Finding> = {}): Finding {
  return { field, x12, message, ...extra };
}

/** Patient demographics live in 2010BA when the patient is the subscriber, else in 2010CA. */
export function patientLoop(claim: Claim): '2010BA' | '2010CA' {
  return claim.coverage.relationship === '18' ? '2010BA' : '2010CA';
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Same answer as core's `isCalendarDate` for 'YYYY-MM-DD' strings, without building a Date or throwing:
 * it runs several times per line on every claim, so it has to be cheap.
 */
export function isDate(text: string): boolean {
  if (text.length !== 10 || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const y = Number(text.slice(0, 4));
  const m = Number(text.slice(5, 7));
  const d = Number(text.slice(8, 10));
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  if (m === 2 && d === 29) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (DAYS_IN_MONTH[m - 1] ?? 0);
}

const npiMemo = new Map<string, boolean>();

/** `isValidNpi` memoized: the same few NPIs recur on every claim of a practice. Bounded so it cannot grow. */
export function isValidNpiCached(npi: string): boolean {
  let ok = npiMemo.get(npi);
  if (ok === undefined) {
    ok = isValidNpi(npi);
    if (npiMemo.size >= 50_000) npiMemo.clear();
    npiMemo.set(npi, ok);
  }
  return ok;
}

/** Whole years between a birth date and a date (both valid 'YYYY-MM-DD'); a Feb 29 birthday counts on Mar 1. */
export function ageOn(birthDate: string, date: string): number {
  let age = Number(date.slice(0, 4)) - Number(birthDate.slice(0, 4));
  if (date.slice(5) < birthDate.slice(5)) age -= 1;
  return age;
}

/**
 * Days since 1970-01-01 of a valid 'YYYY-MM-DD' date, by arithmetic (the civil-from-days algorithm) rather
 * than through a Date object: same result as core's `toEpochDay`, several times cheaper per line.
 */
export function epochDay(date: string): number {
  let y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  if (m <= 2) y -= 1;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
