// ICD-10-CM diagnosis codes with their status in each fiscal year we ship (FY2024-FY2027, CMS/CDC files;
// see data/SOURCES.md). Only a billable code (a leaf, "valid for HIPAA-covered transactions") may go on a
// claim, and the code must be in the release in force on the date of service: a new release takes effect
// on October 1 (the federal fiscal year), so FY2025 covers dates of service 2024-10-01 .. 2025-09-30.

import { assertIsoDate } from './codec.ts';
import { columnIndex, lazy, readDataBytes, readDataTsv } from './data.ts';

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

// The decompressed file (about 4.6 MB of ASCII) is kept as is and indexed by line: a Map from code to the
// offset of its line. Status characters and descriptions are read from the bytes on demand, which keeps the
// table near 11 MB instead of ~25 MB for per-row strings.
interface Table {
  readonly firstYear: number;
  readonly years: number;
  readonly bytes: Buffer;
  /** Code → offset of its line in `bytes`; insertion order is the file's (tabular) order. */
  readonly lines: Map<string, number>;
}

const TAB = 0x09;
const NL = 0x0a;

const table = lazy((): Table => {
  const bytes = readDataBytes('icd10cm.tsv.gz');
  const headEnd = bytes.indexOf(NL);
  const header = bytes.toString('latin1', 0, headEnd).split('\t');
  const m = /^status_fy(\d{4})_fy(\d{4})$/.exec(header[1] ?? '');
  if (header[0] !== 'code' || header[2] !== 'short_description' || !m) {
    throw new Error('icd10cm data: unexpected header');
  }
  const firstYear = Number(m[1]);
  const years = Number(m[2]) - firstYear + 1;
  const lines = new Map<string, number>();
  let off = headEnd + 1;
  while (off < bytes.length) {
    const tab = bytes.indexOf(TAB, off);
    const end = bytes.indexOf(NL, off);
    if (tab < 0 || end < 0 || tab > end) throw new Error('icd10cm data: malformed line');
    lines.set(bytes.toString('latin1', off, tab), off);
    off = end + 1;
  }
  return { firstYear, years, bytes, lines };
});

/** Status character ('1', '0' or '-') of the line at `off` for year index k. */
function statusChar(t: Table, code: string, off: number, k: number): number {
  return t.bytes[off + code.length + 1 + k] ?? 0;
}

function description(t: Table, code: string, off: number): string {
  const from = off + code.length + 1 + t.years + 1;
  return t.bytes.toString('latin1', from, t.bytes.indexOf(NL, from));
}

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

const ONE = 0x31;
const ZERO = 0x30;
const yearStatus = (ch: number): Icd10cmYearStatus =>
  ch === ONE ? 'billable' : ch === ZERO ? 'header' : 'absent';

/** The entry for a code (with or without the dot), or undefined if no shipped release has it. */
export function lookup(code: string): Icd10cmEntry | undefined {
  const c = normalize(code);
  if (c === undefined) return undefined;
  const t = table();
  const off = t.lines.get(c);
  if (off === undefined) return undefined;
  const byFiscalYear: Record<number, Icd10cmYearStatus> = {};
  for (let k = 0; k < t.years; k++) byFiscalYear[t.firstYear + k] = yearStatus(statusChar(t, c, off, k));
  return { code: c, dotted: dotted(c), shortDescription: description(t, c, off), byFiscalYear };
}

/** True when any shipped release has the code (billable or header). */
export function exists(code: string): boolean {
  const c = normalize(code);
  return c !== undefined && table().lines.has(c);
}

/** Status of a code on a date of service (see {@link Icd10cmStatus}). */
export function status(code: string, dateOfService: string): Icd10cmStatus {
  const fy = fiscalYearOf(dateOfService);
  const t = table();
  const c = normalize(code);
  const off = c === undefined ? undefined : t.lines.get(c);
  if (fy < t.firstYear || fy >= t.firstYear + t.years) {
    return off === undefined ? 'unknown-code' : 'year-not-loaded';
  }
  if (c === undefined || off === undefined) return 'unknown-code';
  const ys = yearStatus(statusChar(t, c, off, fy - t.firstYear));
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
  const out: string[] = [];
  for (const [code, off] of t.lines) if (statusChar(t, code, off, k) === ONE) out.push(code);
  return out;
}

/**
 * Billable codes under a header on a date of service, in tabular order (E11.6 → E11.610, E11.618, ...), at
 * most `limit` of them: the "did you mean" list for a claim held on a header code. Scans the table (a few ms).
 */
export function billableUnder(code: string, dateOfService: string, limit = 20): readonly string[] {
  const fy = fiscalYearOf(dateOfService);
  const c = normalize(code);
  const t = table();
  const k = fy - t.firstYear;
  if (c === undefined || k < 0 || k >= t.years) return [];
  const out: string[] = [];
  for (const [other, off] of t.lines) {
    if (out.length >= limit) break;
    if (other.length > c.length && other.startsWith(c) && statusChar(t, other, off, k) === ONE)
      out.push(other);
  }
  return out;
}

// Medicare Code Editor (MCE) diagnosis edits, MS-DRG v41.1 (FY2024): age and sex conflicts and
// manifestation codes that may not be the principal diagnosis. Age ranges are the MCE's own, in years.
export const MCE_AGE_CATEGORIES = {
  newborn: { minAge: 0, maxAge: 0 },
  pediatric: { minAge: 0, maxAge: 17 },
  maternity: { minAge: 9, maxAge: 64 },
  adult: { minAge: 15, maxAge: 124 },
} as const;
export type MceAgeCategory = keyof typeof MCE_AGE_CATEGORIES;

export interface MceEdits {
  readonly age?: MceAgeCategory;
  readonly sex?: 'F' | 'M';
  /** A manifestation code: it may not be the principal (first-listed) diagnosis. */
  readonly manifestation: boolean;
}

const mceTable = lazy((): ReadonlyMap<string, MceEdits> => {
  const tsv = readDataTsv('icd10cm_mce_edits.tsv.gz');
  const [ci, ai, si, mi] = ['code', 'age', 'sex', 'manifestation'].map((c) => columnIndex(tsv, c)) as [
    number,
    number,
    number,
    number,
  ];
  const map = new Map<string, MceEdits>();
  for (const r of tsv.rows) {
    const age = r[ai] ?? '';
    const sex = r[si] ?? '';
    map.set(r[ci] ?? '', {
      ...(Object.hasOwn(MCE_AGE_CATEGORIES, age) ? { age: age as MceAgeCategory } : {}),
      ...(sex === 'F' || sex === 'M' ? { sex } : {}),
      manifestation: r[mi] === '1',
    });
  }
  return map;
});

/** The MCE edits for a diagnosis code, or undefined when it has none (codes added after FY2024 have none). */
export function mceEdits(code: string): MceEdits | undefined {
  const c = normalize(code);
  return c === undefined ? undefined : mceTable().get(c);
}

/** Why a diagnosis conflicts with the patient, per the MCE. */
export type PatientConflict = 'age' | 'sex';

/**
 * Conflicts between a diagnosis and the patient's age in years on the date of service and sex
 * ('U' unknown never conflicts), per the MCE age and sex edits. Empty when consistent.
 */
export function patientConflicts(
  code: string,
  patient: { readonly ageYears: number; readonly sex: 'F' | 'M' | 'U' },
): readonly PatientConflict[] {
  const e = mceEdits(code);
  if (!e) return [];
  const out: PatientConflict[] = [];
  if (e.age !== undefined) {
    const { minAge, maxAge } = MCE_AGE_CATEGORIES[e.age];
    if (patient.ageYears < minAge || patient.ageYears > maxAge) out.push('age');
  }
  if (e.sex !== undefined && patient.sex !== 'U' && patient.sex !== e.sex) out.push('sex');
  return out;
}
