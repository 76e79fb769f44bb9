/**
 * `CodeSets` over @openrcm/codesets, the compact CMS/CDC tables OpenRCM ships. Its tables load lazily on
 * first use and are indexed once per process, so each look-up here is a map get or a binary search.
 */
import * as cs from '@openrcm/codesets';
import type { AddOnInfo, CodeSets, DiagnosisEdits, Icd10Status, MueInfo, PtpEditInfo } from './types.ts';

/** A bounded memo: claims repeat the same codes, pairs and dates, so most look-ups hit. */
function memo<V>(max: number): (key: string, compute: () => V) => V {
  const map = new Map<string, V>();
  return (key, compute) => {
    if (map.has(key)) return map.get(key) as V;
    const v = compute();
    if (map.size >= max) map.clear();
    map.set(key, v);
    return v;
  };
}

/** Federal fiscal year of a 'YYYY-MM-DD' date: ICD-10-CM releases change on October 1. */
const fiscalYear = (dos: string): number => Number(dos.slice(0, 4)) + (dos.slice(5) >= '10-01' ? 1 : 0);

/** The production code sets. Each adapter keeps its own small memo caches (at most a few MB). */
export function codesetsAdapter(): CodeSets {
  // code → fiscal year → status: the status depends only on the code and the date's fiscal year.
  const icd = new Map<string, Map<number, Icd10Status>>();
  const ptp = memo<PtpEditInfo | undefined>(200_000);
  const mce = memo<DiagnosisEdits | undefined>(100_000);
  return {
    icd10Status(code, dos): Icd10Status {
      const fy = fiscalYear(dos);
      let byYear = icd.get(code);
      if (byYear === undefined) {
        if (icd.size >= 100_000) icd.clear();
        byYear = new Map();
        icd.set(code, byYear);
      }
      let status = byYear.get(fy);
      if (status === undefined) {
        status = cs.icd10cm.status(code, dos);
        byYear.set(fy, status);
      }
      return status;
    },
    isHcpcsLevel2: (code, dos) => cs.isHcpcsLevel2(code, dos),
    isCptWellFormed: (code) => cs.isCptWellFormed(code),
    isValidModifier: (modifier, dos) => cs.isValidModifier(modifier, dos),
    isValidPos: (pos) => cs.isValidPos(pos),
    // The codesets records are structurally wider than ours: return them as they are (no allocation).
    mue: (code): MueInfo | undefined => cs.mueFor(code),
    isSidedProcedure: (code) => cs.isSidedProcedure(code) === true,
    ptpEdit(a, b, dos): PtpEditInfo | undefined {
      // Pairs recur across claims of the same day; the edit is symmetric in the pair.
      return ptp(a < b ? `${a}|${b}|${dos}` : `${b}|${a}|${dos}`, () => cs.ptpEdit(a, b, dos));
    },
    addOn: (code): AddOnInfo | undefined => cs.addOnEdit(code),
    diagnosisEdits: (code): DiagnosisEdits | undefined =>
      mce(code, () => {
        const e = cs.icd10cm.mceEdits(code);
        if (e === undefined) return undefined;
        const age = e.age === undefined ? undefined : cs.icd10cm.MCE_AGE_CATEGORIES[e.age];
        return {
          ...(age ? { minAge: age.minAge, maxAge: age.maxAge } : {}),
          ...(e.sex ? { sex: e.sex } : {}),
          manifestation: e.manifestation,
        };
      }),
  };
}
