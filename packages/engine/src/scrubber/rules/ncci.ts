// CMS National Correct Coding Initiative edits: medically unlikely edits, procedure-to-procedure pairs,
// add-on codes. The tables come through ScrubContext.codeSets (indexed once by @openrcm/codesets).
import type { Claim, ClaimLine } from '../../claims/model.ts';
import type { Finding, Rule, ScrubContext } from '../types.ts';
import {
  ANATOMIC_MODIFIERS,
  finding,
  isDate,
  isEvaluationAndManagement,
  linePath,
  renderingProviderOf,
} from './util.ts';

export const mueUnits: Rule = {
  id: 'mue-units',
  version: 1,
  severity: 'error',
  scope: 'global',
  title: 'Units within the medically unlikely edit (MUE)',
  suggestedFix: 'Check the units against the documentation; bill only what was rendered.',
  documentation: {
    checks:
      'Units do not exceed the CMS practitioner MUE of the code: per line when the MUE adjudication indicator (MAI) is ' +
      '1; summed over all lines of the same code and date of service when the MAI is 2 (policy) or 3 (clinical). ' +
      'An MUE of 0 (Medicare does not pay the code on practitioner claims) applies to Medicare claims only.',
    why: 'Units above the MUE are denied (CARC 151) — for MAI 1 only the line, for MAI 2/3 the whole day’s units.',
    source:
      'CMS NCCI MUE tables (practitioner services) and the NCCI Policy Manual ch. I §V; MLN Matters MM8853 (MAI).',
    fix: 'Correct the units; for MAI 1, separately billable units go on separate lines with the right modifiers.',
  },
  check(claim: Claim, ctx: ScrubContext): Finding[] {
    const out: Finding[] = [];
    // Per-day totals for MAI 2/3, keyed by code and date; only built when such a code occurs.
    let perDay: Map<string, { units: number; lastIndex: number }> | undefined;
    const medicare = claim.coverage.payer.type === 'medicare';
    claim.lines.forEach((line, i) => {
      const mue = ctx.codeSets.mue(line.procedureCode);
      // An MUE of 0 is CMS policy that Medicare does not pay the code on a practitioner claim (e.g. preventive
      // visits 99381–99397, excluded by statute), not a unit limit: it does not bind other payers.
      if (mue === undefined || (mue.limit === 0 && !medicare)) return;
      if (mue.mai === 1) {
        if (line.units > mue.limit) {
          out.push(
            finding(
              linePath(i, 'units'),
              '2400.SV104',
              `Line ${i + 1} units exceed the MUE of ${mue.limit} per line`,
            ),
          );
        }
        return;
      }
      perDay ??= new Map();
      const key = `${line.procedureCode}|${line.serviceDate}`;
      const acc = perDay.get(key) ?? { units: 0, lastIndex: i };
      acc.units += line.units;
      acc.lastIndex = i;
      perDay.set(key, acc);
    });
    if (perDay) {
      for (const acc of perDay.values()) {
        const line = claim.lines[acc.lastIndex];
        if (!line) continue;
        const mue = ctx.codeSets.mue(line.procedureCode);
        if (mue && acc.units > mue.limit) {
          out.push(
            finding(
              linePath(acc.lastIndex, 'units'),
              '2400.SV104',
              `Line ${acc.lastIndex + 1} units for the day exceed the MUE of ${mue.limit} per date of service`,
            ),
          );
        }
      }
    }
    return out;
  },
};

// NCCI-associated modifiers (NCCI Policy Manual ch. I §E.1), in the three ways they may bypass a modifier
// indicator 1 edit on the column 2 line:
// - an E/M column 2 code is separately payable only with 25 (significant, separately identifiable) or 57
//   (decision for surgery), or 24 in a postoperative period; 59 and the X modifiers never apply to E/M;
// - anatomic modifiers show different sites only when the column 1 line carries a different one;
// - the others (58, 78, 79, 27, 59, 91, XE, XS, XP, XU) bypass on their own.
const EM_BYPASS = new Set(['24', '25', '57']);
const PROCEDURE_BYPASS = new Set(['58', '78', '79', '27', '59', '91', 'XE', 'XS', 'XP', 'XU']);

/** Whether the column 2 line's modifiers bypass a modifier-indicator-1 edit against the column 1 line. */
function bypassed(column2: ClaimLine, column1: ClaimLine): boolean {
  if (isEvaluationAndManagement(column2.procedureCode))
    return column2.modifiers.some((m) => EM_BYPASS.has(m));
  if (column2.modifiers.some((m) => PROCEDURE_BYPASS.has(m))) return true;
  const sites = column2.modifiers.filter((m) => ANATOMIC_MODIFIERS.has(m));
  const otherSites = column1.modifiers.filter((m) => ANATOMIC_MODIFIERS.has(m));
  return sites.length > 0 && otherSites.length > 0 && !sites.some((m) => otherSites.includes(m));
}

export const ncciPtp: Rule = {
  id: 'ncci-ptp',
  version: 2,
  severity: 'error',
  scope: 'global',
  title: 'NCCI procedure-to-procedure pairs have an allowed modifier',
  suggestedFix:
    'Remove the column 2 code, or append the NCCI-associated modifier the documentation supports.',
  documentation: {
    checks:
      'For two lines of the same rendering provider on the same date of service that form an NCCI PTP pair in force ' +
      'on that date: modifier indicator 0 always fails; 9 never fails; indicator 1 fails unless the column 2 line ' +
      'carries an allowed NCCI-associated modifier — for an E/M code 25, 57 or 24 (never 59/X{EPSU}); for other codes ' +
      '58, 78, 79, 27, 59, 91 or XE/XS/XP/XU, or an anatomic modifier (LT, RT, F1, …) different from the column 1 line’s.',
    why: 'The column 2 code is denied (CARC 97/B15: bundled into another service) unless a bypass modifier is present and supported.',
    source: 'CMS NCCI PTP edits (practitioner) and the NCCI Policy Manual ch. I §E; MLN Matters MM8863.',
    fix: 'Bill only the column 1 code, or add the modifier that the documentation supports to the column 2 line.',
  },
  check(claim: Claim, ctx: ScrubContext): Finding[] {
    const out: Finding[] = [];
    const lines = claim.lines;
    const rendering = lines.map((l) => renderingProviderOf(claim, l)?.npi ?? '');
    for (let i = 0; i < lines.length; i++) {
      const a = lines[i] as ClaimLine;
      for (let j = i + 1; j < lines.length; j++) {
        const b = lines[j] as ClaimLine;
        if (
          a.serviceDate !== b.serviceDate ||
          a.procedureCode === b.procedureCode ||
          rendering[i] !== rendering[j]
        )
          continue;
        if (!isDate(a.serviceDate)) continue; // reported by tr3-required
        const edit = ctx.codeSets.ptpEdit(a.procedureCode, b.procedureCode, a.serviceDate);
        if (edit === undefined || edit.modifierIndicator === 9) continue;
        const [c2Index, c2] = edit.column2 === b.procedureCode ? [j, b] : [i, a];
        const c1Index = c2Index === j ? i : j;
        if (edit.modifierIndicator === 1 && bypassed(c2, c2Index === j ? a : b)) continue;
        out.push(
          finding(
            linePath(c2Index, 'procedureCode'),
            '2400.SV101-2',
            edit.modifierIndicator === 0
              ? `Line ${c2Index + 1} is bundled into line ${c1Index + 1} (NCCI PTP, no modifier allowed)`
              : `Line ${c2Index + 1} is bundled into line ${c1Index + 1} (NCCI PTP) and has no NCCI-associated modifier`,
            edit.modifierIndicator === 0
              ? { suggestedFix: 'Remove the column 2 line: no modifier can bypass this pair.' }
              : {},
          ),
        );
      }
    }
    return out;
  },
};

export const addOnPrimary: Rule = {
  id: 'add-on-primary',
  version: 1,
  severity: 'error',
  scope: 'global',
  title: 'Add-on codes are billed with a primary procedure',
  suggestedFix: 'Bill the add-on code together with its primary procedure on the same date of service.',
  documentation: {
    checks:
      'An add-on code has another procedure on the same date of service; for an NCCI type 1 add-on that procedure ' +
      'must be one of its listed primaries; for type 3 a missing listed primary is a warning (the contractor may allow others).',
    why: 'An add-on code without its primary is denied (CARC 107: the related or qualifying claim/service was not identified).',
    source: 'CPT add-on code convention; CMS NCCI add-on code edits (types 1, 2, 3).',
    fix: 'Add the primary procedure, or remove the add-on code.',
  },
  check(claim: Claim, ctx: ScrubContext): Finding[] {
    const out: Finding[] = [];
    claim.lines.forEach((line, i) => {
      const info = ctx.codeSets.addOn(line.procedureCode);
      if (info === undefined) return;
      const others = claim.lines
        .filter((l, k) => k !== i && l.serviceDate === line.serviceDate)
        .map((l) => l.procedureCode);
      const at = linePath(i, 'procedureCode');
      if (others.length === 0) {
        out.push(
          finding(at, '2400.SV101-2', `Line ${i + 1} is an add-on code billed without any primary procedure`),
        );
        return;
      }
      if (info.type === 2 || others.some((c) => info.primaries.has(c))) return;
      out.push(
        finding(
          at,
          '2400.SV101-2',
          `Line ${i + 1} is an add-on code without one of its listed primary procedures`,
          info.type === 3 ? { severity: 'warning' } : {},
        ),
      );
    });
    return out;
  },
};
