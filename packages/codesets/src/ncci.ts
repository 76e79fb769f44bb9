// CMS National Correct Coding Initiative (NCCI) tables for practitioner claims: procedure-to-procedure
// (PTP) edits, medically unlikely edits (MUE) and add-on code edits. Vintage: the 2024-07-01 quarter
// (see data/SOURCES.md); codes appear as bare numbers (no CPT descriptors).

import { ByteReader, encodeCode5, pairKey, assertIsoDate } from './codec.ts';
import { columnIndex, fileMeta, lazy, readDataBytes, readDataTsv } from './data.ts';

/** PTP modifier indicator: 0 = never allowed together, 1 = allowed with an NCCI-associated modifier, 9 = edit not applicable. */
export const PTP_MODIFIER_INDICATORS = [0, 1, 9] as const;
export type PtpModifierIndicator = (typeof PTP_MODIFIER_INDICATORS)[number];

export interface PtpEdit {
  /** Column 1 code (the one that is paid). */
  readonly column1: string;
  /** Column 2 code (denied unless a modifier is allowed and present). */
  readonly column2: string;
  readonly modifierIndicator: PtpModifierIndicator;
  /** Last date the edit applies, when CMS has deleted it. */
  readonly deletedOn?: string;
}

interface PtpTable {
  readonly keys: Float64Array;
  readonly mods: Uint8Array;
  readonly dateIdx: Uint8Array | Uint16Array;
  readonly dates: readonly string[];
}

const ptpTable = lazy((): PtpTable => {
  const r = new ByteReader(readDataBytes('ptp_practitioner.bin.gz'));
  const header = JSON.parse(r.line()) as { format: string; version: number; count: number; dates: string[] };
  if (header.format !== 'openrcm-ptp' || header.version !== 1) throw new Error('ptp data: unknown format');
  const n = header.count;
  const keys = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    k += r.varint();
    keys[i] = k;
  }
  const mods = Uint8Array.from(r.take(n));
  const dateIdx = header.dates.length < 256 ? new Uint8Array(n) : new Uint16Array(n);
  for (let i = 0; i < n; i++) dateIdx[i] = r.varint();
  if (r.offset !== r.bytes.length) throw new Error('ptp data: trailing bytes');
  return { keys, mods, dateIdx, dates: header.dates };
});

/** First index whose key is >= key. */
function lowerBound(keys: Float64Array, key: number): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((keys[mid] ?? Infinity) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function findOrdered(column1: string, column2: string, date: string): PtpEdit | undefined {
  const a = encodeCode5(column1);
  const b = encodeCode5(column2);
  if (a < 0 || b < 0) return undefined;
  const t = ptpTable();
  const key = pairKey(a, b);
  // Records of one pair are stored by deletion date, active last: the first one not deleted before the
  // date of service is the one in force (the source has no effective dates; see data/SOURCES.md).
  for (let i = lowerBound(t.keys, key); i < t.keys.length && t.keys[i] === key; i++) {
    const di = t.dateIdx[i] ?? 0;
    const deletedOn = di === 0 ? undefined : t.dates[di - 1];
    if (deletedOn !== undefined && deletedOn < date) continue;
    const modifierIndicator = (t.mods[i] ?? 9) as PtpModifierIndicator;
    return { column1, column2, modifierIndicator, ...(deletedOn !== undefined ? { deletedOn } : {}) };
  }
  return undefined;
}

/**
 * The NCCI PTP edit between two codes billed by the same provider for the same patient on the same date of
 * service, looked up in both orders, or undefined when no edit is in force on that date. Pairs deleted
 * before {@link ptpCoverage}().historyFrom are not shipped, so for older dates an edit that has since been
 * deleted is not reported.
 */
export function ptpEdit(codeA: string, codeB: string, dateOfService: string): PtpEdit | undefined {
  assertIsoDate(dateOfService, 'dateOfService');
  const a = codeA.trim().toUpperCase();
  const b = codeB.trim().toUpperCase();
  return findOrdered(a, b, dateOfService) ?? findOrdered(b, a, dateOfService);
}

/** Quarter of the PTP file and the first deletion date kept (history before it is not shipped). */
export function ptpCoverage(): {
  readonly quarter: string;
  readonly historyFrom: string;
  readonly records: number;
} {
  const meta = fileMeta('ptp_practitioner.bin.gz');
  return {
    quarter: String(meta.quarter),
    historyFrom: String(meta.deletedSince),
    records: ptpTable().keys.length,
  };
}

/** MUE adjudication indicator: 1 = per claim line, 2 = per date of service (absolute policy), 3 = per date of service (clinical). */
export const MUE_ADJUDICATION_INDICATORS = {
  1: 'claim line',
  2: 'date of service, policy',
  3: 'date of service, clinical',
} as const;
export type MueAdjudicationIndicator = keyof typeof MUE_ADJUDICATION_INDICATORS;

export interface Mue {
  readonly code: string;
  /** Maximum units of service. */
  readonly limit: number;
  readonly mai: MueAdjudicationIndicator;
  readonly rationale: string;
}

const mueTable = lazy((): ReadonlyMap<string, Mue> => {
  const tsv = readDataTsv('mue_practitioner.tsv.gz');
  const [ci, li, mi, ri] = ['code', 'limit', 'mai', 'rationale'].map((c) => columnIndex(tsv, c)) as [
    number,
    number,
    number,
    number,
  ];
  const map = new Map<string, Mue>();
  for (const r of tsv.rows) {
    const code = r[ci] ?? '';
    map.set(code, {
      code,
      limit: Number(r[li]),
      mai: Number(r[mi]) as MueAdjudicationIndicator,
      rationale: r[ri] ?? '',
    });
  }
  return map;
});

/** The practitioner MUE for a code, or undefined when CMS publishes none. */
export function mueFor(code: string): Mue | undefined {
  return mueTable().get(code.trim().toUpperCase());
}

/**
 * Add-on code edit type (CMS NCCI add-on code edits): 1 = only the listed primary codes, 2 = no primary list
 * (contractor decides), 3 = the listed primaries and others the contractor allows.
 */
export const ADD_ON_EDIT_TYPES = [1, 2, 3] as const;
export type AddOnEditType = (typeof ADD_ON_EDIT_TYPES)[number];

export interface AddOnEdit {
  readonly addOnCode: string;
  readonly type: AddOnEditType;
  /** Listed primary codes (empty for type 2: CMS's placeholder `CCCCC` means "any"). */
  readonly primaries: ReadonlySet<string>;
}

const addOnTable = lazy((): ReadonlyMap<string, AddOnEdit> => {
  const tsv = readDataTsv('addon_codes.tsv.gz');
  const [ai, pi, ti] = ['add_on_code', 'primary_code', 'type'].map((c) => columnIndex(tsv, c)) as [
    number,
    number,
    number,
  ];
  const build = new Map<string, { type: AddOnEditType; primaries: Set<string> }>();
  for (const r of tsv.rows) {
    const code = r[ai] ?? '';
    let e = build.get(code);
    if (!e) {
      e = { type: Number(r[ti]) as AddOnEditType, primaries: new Set() };
      build.set(code, e);
    }
    const primary = r[pi] ?? '';
    if (primary !== 'CCCCC') e.primaries.add(primary);
  }
  return new Map([...build].map(([addOnCode, e]) => [addOnCode, { addOnCode, ...e }]));
});

/** The add-on edit for a code, or undefined when the code is not an add-on code. */
export function addOnEdit(code: string): AddOnEdit | undefined {
  return addOnTable().get(code.trim().toUpperCase());
}

/** True when CMS lists `code` as an add-on code (billed only with a primary procedure). */
export function isAddOnCode(code: string): boolean {
  return addOnEdit(code) !== undefined;
}

/**
 * Whether the codes billed with an add-on code include an eligible primary: true when a listed primary is
 * present, false for a type 1 add-on without one, undefined when it cannot be decided from the CMS lists
 * (types 2 and 3 leave other primaries to the contractor) or when `addOnCode` is not an add-on code.
 */
export function hasEligiblePrimary(addOnCode: string, otherCodes: Iterable<string>): boolean | undefined {
  const e = addOnEdit(addOnCode);
  if (!e) return undefined;
  for (const c of otherCodes) if (e.primaries.has(c.trim().toUpperCase())) return true;
  return e.type === 1 ? false : undefined;
}
