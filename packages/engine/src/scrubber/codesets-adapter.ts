/**
 * `CodeSets` over @openrcm/codesets, the compact CMS/CDC tables OpenRCM ships. Its tables load lazily on
 * first use and are indexed once per process, so each look-up here is a map get or a binary search.
 */
import * as cs from '@openrcm/codesets';
import type { AddOnInfo, CodeSets, MueInfo, PtpEditInfo } from './types.ts';

/** The production code sets. */
export function codesetsAdapter(): CodeSets {
  return {
    icd10Status: (code, dos) => cs.icd10cm.status(code, dos),
    isHcpcsLevel2: (code, dos) => cs.isHcpcsLevel2(code, dos),
    isCptWellFormed: (code) => cs.isCptWellFormed(code),
    isValidModifier: (modifier, dos) => cs.isValidModifier(modifier, dos),
    isValidPos: (pos) => cs.isValidPos(pos),
    mue(code): MueInfo | undefined {
      const m = cs.mueFor(code);
      return m === undefined ? undefined : { limit: m.limit, mai: m.mai };
    },
    ptpEdit(a, b, dos): PtpEditInfo | undefined {
      const e = cs.ptpEdit(a, b, dos);
      return e === undefined
        ? undefined
        : { column1: e.column1, column2: e.column2, modifierIndicator: e.modifierIndicator };
    },
    addOn(code): AddOnInfo | undefined {
      const e = cs.addOnEdit(code);
      return e === undefined ? undefined : { type: e.type, primaries: e.primaries };
    },
  };
}
