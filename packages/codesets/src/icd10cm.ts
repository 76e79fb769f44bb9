// ICD-10-CM diagnosis codes with their status in each fiscal year we ship (FY2024-FY2027, CMS/CDC files;
// see data/SOURCES.md). Only a billable code (a leaf, "valid for HIPAA-covered transactions") may go on a
// claim, and the code must be in the release in force on the date of service: a new release takes effect
// on October 1 (the federal fiscal year), so FY2025 covers dates of service 2024-10-01 .. 2025-09-30.

import { assertIsoDate } from './codec.ts';
import { columnIndex, lazy, readDataTsv } from './data.ts';

/** Status of a code in one fiscal year's release. */
export type Icd10cmYearStatus = 'billable' | 'header' | 'absent';

/** What {@link status} says about a code on a date of service. */
export type Icd10cmStatus =
  /** In the release for that date and billable. */
  | 'billable'
  /** In the release but a category/subcategory header: needs more characters. */
  | 'header'
  /** A code we know from another year, but not in the release in force on that date. */
  | 'not-in-release'
  /** Not an ICD-10-CM code in any shipped release (or malformed). */
  | 'unknown-code'
  /** The date falls in a fiscal year for which no release is shipped. */
  | 'year-not-loaded';

export interface Icd10cmEntry {
  /** Code without the dot, as in X12 (HI01-2): `E119`. */
  readonly code: string;
  /** Code with the dot after the third character: `E11.9`. */
  readonly dotted: string;
  /** CMS short description (FY2024 wording for codes that existed then). */
  readonly shortDescription: string;
  /** Status per shipped fiscal year. */
  readonly byFiscalYear: Readonly<Record<number, Icd10cmYearStatus>>;
}

interface Table {
  readonly firstYear: number;
  readonly years: number;
  readonly index: Map<string, number>;
  readonly codes: string[];
  readonly status: string[];
  readonly descriptions: string[];
}

const table = lazy((): Table => {
  const tsv = readDataTsv('icd10cm.tsv.gz');
  const statusHeader = tsv.header[1] ?? '';
  const m = /^status_fy(\d{4})_fy(\d{4})$/.exec(statusHeader);
  if (!m) throw new Error('icd10cm data: unexpected status column');
  const firstYear = Number(m[1]);
  const years = Number(m[2]) - firstYear + 1;
  const [ci, si, di] = [columnIndex(tsv, 'code'), 1, columnIndex(tsv, 'short_description')];
  const index = new Map<string, number>();
  const codes: string[] = [];
  const status: string[] = [];
  const descriptions: string[] = [];
  for (const row of tsv.rows) {
    index.set(row[ci] ?? '', codes.length);
    codes.push(row[ci] ?? '');
    status.push(row[si] ?? '');
    descriptions.push(row[di] ?? '');
  }
  return { firstYear, years, index, codes, status, descriptions };
});

/**
 * Normalizes a code as written on a claim or in a chart: trims, upper-cases and removes the dot, which
 * must sit after the third character when present (`e11.9` → `E119`). Returns undefined for other shapes.
 */
export function normalize(code: string): string | undefined {
  const c = code.trim().toUpperCase();
  const dot = c.indexOf('.');
  if (dot >= 0 && (dot !== 3 || c.length === 4 || c.indexOf('.', dot + 1) >= 0)) return undefined;
  const bare = dot >= 0 ? c.slice(0, 3) + c.slice(4) : c;
  return /^[A-Z][0-9A-Z]{2,6}$/.test(bare) ? bare : undefined;
}

/** The dotted form of a code (`E119` → `E11.9`). */
export function dotted(code: string): string {
  return code.length > 3 ? `${code.slice(0, 3)}.${code.slice(3)}` : code;
}

/** Federal fiscal year of a date of service: October 1 starts the next year (2024-10-01 → 2025). */
export function fiscalYearOf(dateOfService: string): number {
  assertIsoDate(dateOfService, 'dateOfService');
  const year = Number(dateOfService.slice(0, 4));
  return dateOfService.slice(5) >= '10-01' ? year + 1 : year;
}

/** Fiscal years for which a release is shipped, e.g. [2024, 2025, 2026, 2027]. */
export function fiscalYears(): readonly number[] {
  const t = table();
  return Array.from({ length: t.years }, (_, i) => t.firstYear + i);
}

const yearStatus = (ch: string | undefined): Icd10cmYearStatus =>
  ch === '1' ? 'billable' : ch === '0' ? 'header' : 'absent';

/** The entry for a code (with or without the dot), or undefined if no shipped release has it. */
export function lookup(code: string): Icd10cmEntry | undefined {
  const c = normalize(code);
  if (c === undefined) return undefined;
  const t = table();
  const i = t.index.get(c);
  if (i === undefined) return undefined;
  const s = t.status[i] ?? '';
  const byFiscalYear: Record<number, Icd10cmYearStatus> = {};
  for (let k = 0; k < t.years; k++) byFiscalYear[t.firstYear + k] = yearStatus(s[k]);
  return { code: c, dotted: dotted(c), shortDescription: t.descriptions[i] ?? '', byFiscalYear };
}

/** True when any shipped release has the code (billable or header). */
export function exists(code: string): boolean {
  const c = normalize(code);
  return c !== undefined && table().index.has(c);
}

/** Status of a code on a date of service (see {@link Icd10cmStatus}). */
export function status(code: string, dateOfService: string): Icd10cmStatus {
  const fy = fiscalYearOf(dateOfService);
  const t = table();
  const c = normalize(code);
  const i = c === undefined ? undefined : t.index.get(c);
  if (fy < t.firstYear || fy >= t.firstYear + t.years) {
    return i === undefined ? 'unknown-code' : 'year-not-loaded';
  }
  if (i === undefined) return 'unknown-code';
  const ys = yearStatus(t.status[i]?.[fy - t.firstYear]);
  return ys === 'absent' ? 'not-in-release' : ys;
}

/**
 * True when the code may be billed for that date of service: it is in the release of the date's fiscal
 * year and is a billable leaf. False for headers, unknown codes and dates outside the shipped years (use
 * {@link status} to tell those apart).
 */
export function isBillable(code: string, dateOfService: string): boolean {
  return status(code, dateOfService) === 'billable';
}

/** Billable codes in one fiscal year's release (for the simulator's realistic diagnoses). */
export function billableCodes(fiscalYear: number): readonly string[] {
  const t = table();
  const k = fiscalYear - t.firstYear;
  if (k < 0 || k >= t.years) return [];
  return t.codes.filter((_, i) => t.status[i]?.[k] === '1');
}
