// Procedure codes and modifiers. HCPCS Level II codes and modifiers come from the CMS HCPCS file (2019,
// with dates) plus the Level II codes seen in the newer CMS tables we ship (PFS 2024, MUE and add-on edits
// 2024), so codes created after 2019 are known to exist. CPT (Level I) is AMA-copyrighted: we ship no CPT
// list and only check the shape of a CPT code. CPT modifiers are a curated list below.

import { assertIsoDate } from './codec.ts';
import { columnIndex, fileMeta, lazy, readDataTsv } from './data.ts';

export interface HcpcsLevel2Entry {
  readonly code: string;
  readonly kind: 'procedure' | 'modifier';
  /** CMS short description; empty for codes known only from the newer CMS tables. */
  readonly shortDescription: string;
  /** Date the code was added to HCPCS, when the HCPCS file says. */
  readonly added?: string;
  /** Last date the code may be used, when the HCPCS file gives a termination date. */
  readonly terminated?: string;
  /** `hcpcs2019` (CMS HCPCS file, with dates) or `cms-tables` (seen in the 2024 PFS/MUE/add-on tables). */
  readonly source: string;
}

const table = lazy((): ReadonlyMap<string, HcpcsLevel2Entry> => {
  const tsv = readDataTsv('hcpcs_level2.tsv.gz');
  const [ci, ki, di, ai, ti, si] = ['code', 'kind', 'short_description', 'added', 'terminated', 'source'].map(
    (c) => columnIndex(tsv, c),
  ) as [number, number, number, number, number, number];
  const map = new Map<string, HcpcsLevel2Entry>();
  for (const r of tsv.rows) {
    const code = r[ci] ?? '';
    const added = r[ai] ?? '';
    const terminated = r[ti] ?? '';
    map.set(code, {
      code,
      kind: r[ki] === 'M' ? 'modifier' : 'procedure',
      shortDescription: r[di] ?? '',
      ...(added ? { added } : {}),
      ...(terminated ? { terminated } : {}),
      source: r[si] ?? '',
    });
  }
  return map;
});

/** Year of the CMS HCPCS file the dated entries come from. */
export function hcpcsFileYear(): number {
  return Number(fileMeta('hcpcs_level2.tsv.gz').hcpcsFileYear);
}

const inForce = (e: { added?: string; terminated?: string }, date: string): boolean =>
  (e.added === undefined || e.added <= date) && (e.terminated === undefined || date <= e.terminated);

/** The HCPCS Level II procedure or modifier entry, if known. */
export function hcpcsLevel2(code: string): HcpcsLevel2Entry | undefined {
  return table().get(code.trim().toUpperCase());
}

/**
 * True when `code` is a HCPCS Level II procedure code usable on `date`: known, added on or before the
 * date (when the file says) and not terminated before it. Codes known only from the 2024 CMS tables carry
 * no dates and are accepted for any date.
 */
export function isHcpcsLevel2(code: string, date: string): boolean {
  assertIsoDate(date, 'date');
  const e = hcpcsLevel2(code);
  return e !== undefined && e.kind === 'procedure' && inForce(e, date);
}

/**
 * True when `code` has the shape of a CPT code: five digits (Category I), or four digits followed by
 * F (Category II), T (Category III), U (Proprietary Laboratory Analyses) or M (Multianalyte Assays with
 * Algorithmic Analyses; CPT Appendix O). Existence is not checked: the CPT list is AMA-licensed.
 */
export function isCptWellFormed(code: string): boolean {
  return /^(?:\d{5}|\d{4}[FTUM])$/.test(code);
}

/** True when a procedure code is a well-formed CPT code or a HCPCS Level II code in force on `date`. */
export function isProcedureCode(code: string, date: string): boolean {
  return isCptWellFormed(code) || isHcpcsLevel2(code, date);
}

/** Billing modifier, CPT (Level I) or HCPCS Level II. */
export interface ModifierInfo {
  readonly code: string;
  readonly level: 'cpt' | 'hcpcs';
  readonly label: string;
  /** First date of use, when known. */
  readonly effective?: string;
  /** Last date of use, when the modifier was discontinued. */
  readonly terminated?: string;
  readonly source: string;
}

// CPT modifiers (CPT Appendix A, two-digit numeric). The AMA's descriptors are copyrighted, so the labels
// here are our own short summaries. Effective dates are given only where the modifier was added recently
// enough for it to matter (CPT 2017: 95; CPT 2018: 96, 97; CPT 2022: 93).
const CPT_MODIFIERS: readonly (readonly [code: string, label: string, effective?: string])[] = [
  ['22', 'Increased procedural services'],
  ['23', 'Unusual anesthesia'],
  ['24', 'Unrelated E/M by the same provider during a postoperative period'],
  ['25', 'Significant, separately identifiable E/M on the day of a procedure'],
  ['26', 'Professional component'],
  ['27', 'Multiple outpatient hospital E/M encounters on one date'],
  ['32', 'Mandated service'],
  ['33', 'Preventive service'],
  ['47', 'Anesthesia by the surgeon'],
  ['50', 'Bilateral procedure'],
  ['51', 'Multiple procedures'],
  ['52', 'Reduced services'],
  ['53', 'Discontinued procedure'],
  ['54', 'Surgical care only'],
  ['55', 'Postoperative management only'],
  ['56', 'Preoperative management only'],
  ['57', 'Decision for surgery'],
  ['58', 'Staged or related procedure during the postoperative period'],
  ['59', 'Distinct procedural service'],
  ['62', 'Two surgeons'],
  ['63', 'Procedure on an infant under 4 kg'],
  ['66', 'Surgical team'],
  ['73', 'Outpatient facility: procedure discontinued before anesthesia'],
  ['74', 'Outpatient facility: procedure discontinued after anesthesia'],
  ['76', 'Repeat procedure by the same provider'],
  ['77', 'Repeat procedure by another provider'],
  ['78', 'Unplanned return to the operating room during the postoperative period'],
  ['79', 'Unrelated procedure during the postoperative period'],
  ['80', 'Assistant surgeon'],
  ['81', 'Minimum assistant surgeon'],
  ['82', 'Assistant surgeon when no qualified resident is available'],
  ['90', 'Reference (outside) laboratory'],
  ['91', 'Repeat clinical diagnostic laboratory test'],
  ['92', 'Alternative laboratory platform testing'],
  ['93', 'Synchronous telemedicine, audio only', '2022-01-01'],
  ['95', 'Synchronous telemedicine, real-time audio and video', '2017-01-01'],
  ['96', 'Habilitative services', '2018-01-01'],
  ['97', 'Rehabilitative services', '2018-01-01'],
  ['99', 'Multiple modifiers'],
];

// HCPCS Level II modifiers created after the 2019 HCPCS file, from the CMS CY2021-CY2023 PFS final rules
// and the JZ instructions (CMS, "Discarded Drugs and Biologicals – JW and JZ Modifier Policy", 2023).
const NEWER_LEVEL2_MODIFIERS: readonly (readonly [code: string, label: string, effective: string])[] = [
  ['FT', 'Unrelated E/M during a postoperative period or on the same day as another E/M', '2021-01-01'],
  ['FS', 'Split (or shared) E/M visit', '2022-01-01'],
  ['JZ', 'Zero drug amount discarded', '2023-01-01'],
];

const modifierTable = lazy((): ReadonlyMap<string, ModifierInfo> => {
  const map = new Map<string, ModifierInfo>();
  for (const [code, label, effective] of CPT_MODIFIERS) {
    map.set(code, {
      code,
      level: 'cpt',
      label,
      ...(effective ? { effective } : {}),
      source: 'curated (CPT Appendix A)',
    });
  }
  for (const e of table().values()) {
    if (e.kind !== 'modifier') continue;
    map.set(e.code, {
      code: e.code,
      level: 'hcpcs',
      label: e.shortDescription,
      ...(e.added ? { effective: e.added } : {}),
      ...(e.terminated ? { terminated: e.terminated } : {}),
      source: e.source,
    });
  }
  for (const [code, label, effective] of NEWER_LEVEL2_MODIFIERS) {
    if (!map.has(code)) map.set(code, { code, level: 'hcpcs', label, effective, source: 'curated (CMS)' });
  }
  return map;
});

/** Every known modifier (CPT and HCPCS Level II, including discontinued ones), sorted by code. */
export function modifiers(): readonly ModifierInfo[] {
  return [...modifierTable().values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/** The modifier's entry, if known. */
export function modifier(code: string): ModifierInfo | undefined {
  return modifierTable().get(code.trim().toUpperCase());
}

/** True when `code` is a known modifier in use on `date` (not yet discontinued, already introduced). */
export function isValidModifier(code: string, date: string): boolean {
  assertIsoDate(date, 'date');
  const m = modifier(code);
  if (m === undefined) return false;
  return (
    (m.effective === undefined || m.effective <= date) && (m.terminated === undefined || date <= m.terminated)
  );
}
