// Code-set rules: diagnoses, procedure codes, modifiers, diagnosis pointers, place of service.
import type { CalendarDate } from '@openrcm/core';
import type { Claim } from '../../claims/model.ts';
import type { Finding, Rule, ScrubContext } from '../types.ts';
import {
  ANATOMIC_MODIFIERS,
  ageOn,
  finding,
  hiElement,
  isDate,
  isEvaluationAndManagement,
  linePath,
  linePos,
  modifierElement,
} from './util.ts';

export const icd10Valid: Rule = {
  id: 'icd10-valid',
  version: 1,
  severity: 'error',
  scope: 'global',
  title: 'ICD-10-CM codes exist, are billable and valid on the date of service',
  suggestedFix:
    'Code to the highest specificity documented, using the release in force on the date of service.',
  documentation: {
    checks:
      'Each diagnosis is an ICD-10-CM code in the release in force on the date of service of every line that points ' +
      'to it (a new release takes effect each October 1), and is a billable leaf, not a category or subcategory ' +
      'header. A date outside the shipped releases gives a warning.',
    why: 'Non-billable (truncated) or deleted codes are rejected by the clearinghouse or denied (CARC 16/146).',
    source:
      'ICD-10-CM Official Guidelines for Coding and Reporting §I.B.2 (code to the highest number of characters); ' +
      'HIPAA code-set rule 45 CFR 162.1002 (the code set valid on the date of service); CMS/CDC ICD-10-CM files.',
    fix: 'Replace the code with a billable code valid on the date of service.',
  },
  check(claim: Claim, ctx: ScrubContext): Finding[] {
    const out: Finding[] = [];
    claim.diagnoses.forEach((code, d) => {
      // Dates of service of the lines pointing at this diagnosis; the first DOS when none does.
      const dates: CalendarDate[] = [];
      for (const line of claim.lines) {
        if (
          line.diagnosisPointers.includes(d + 1) &&
          isDate(line.serviceDate) &&
          !dates.includes(line.serviceDate)
        )
          dates.push(line.serviceDate);
      }
      if (dates.length === 0 && isDate(claim.firstServiceDate)) dates.push(claim.firstServiceDate);
      if (dates.length > 1) dates.sort();
      for (const dos of dates) {
        const status = ctx.codeSets.icd10Status(code, dos);
        const at = (message: string, extra: Partial<Finding> = {}): void => {
          out.push(finding(`diagnoses[${d}]`, hiElement(d), message, extra));
        };
        switch (status) {
          case 'billable':
            break;
          case 'header':
            at(`Diagnosis ${d + 1} is a category header, not a billable code`, {
              suggestedFix: 'Add the characters the documentation supports to reach a billable leaf code.',
            });
            break;
          case 'not-in-release':
            at(`Diagnosis ${d + 1} is not in the ICD-10-CM release in force on the date of service`, {
              suggestedFix:
                'The code was added or deleted at an October 1 update: use the code valid on the date of service.',
            });
            break;
          case 'unknown-code':
            at(`Diagnosis ${d + 1} is not an ICD-10-CM code`);
            break;
          case 'year-not-loaded':
            at(
              `Diagnosis ${d + 1} could not be checked: no ICD-10-CM release is loaded for the date of service`,
              {
                severity: 'warning',
                suggestedFix: 'Load the ICD-10-CM release for that fiscal year into the code sets.',
              },
            );
            break;
        }
        if (status !== 'billable') break; // one finding per diagnosis is enough
      }
    });
    return out;
  },
};

export const diagnosisPatientConsistency: Rule = {
  id: 'diagnosis-patient-consistency',
  version: 1,
  severity: 'error',
  scope: 'global',
  title: 'Diagnoses fit the patient and the sequencing conventions',
  suggestedFix: 'Check the diagnosis against the documentation and the registration (sex, birth date).',
  documentation: {
    checks:
      'The first-listed diagnosis is not a manifestation code (error). A diagnosis restricted to one sex or an age ' +
      'range (newborn 0, pediatric 0–17, maternity 9–64, adult 15–124) conflicts with the patient’s sex or age on ' +
      'the first date of service (warning: registration data may be wrong, or the case is legitimate).',
    why:
      'Manifestation codes must follow the underlying condition ("code first"); payers deny them first-listed. ' +
      'Age/sex conflicts are denied by many payers and often reveal a registration or coding error.',
    source:
      'ICD-10-CM Official Guidelines §I.A.13 (etiology/manifestation convention); CMS Medicare Code Editor ' +
      '(MS-DRG v41.1 definitions): age, sex and manifestation-as-principal edits.',
    fix: 'Sequence the underlying condition first; correct the code or the patient’s sex/birth date.',
  },
  check(claim: Claim, ctx: ScrubContext): Finding[] {
    const out: Finding[] = [];
    const birth = claim.patient.birthDate.reveal();
    const age =
      isDate(birth) && isDate(claim.firstServiceDate) ? ageOn(birth, claim.firstServiceDate) : undefined;
    claim.diagnoses.forEach((code, d) => {
      const e = ctx.codeSets.diagnosisEdits(code);
      if (e === undefined) return;
      const at = (message: string, extra: Partial<Finding> = {}): void => {
        out.push(finding(`diagnoses[${d}]`, hiElement(d), message, extra));
      };
      if (d === 0 && e.manifestation) {
        at('The first-listed diagnosis is a manifestation code', {
          suggestedFix: 'List the underlying condition first and the manifestation after it.',
        });
      }
      if (e.sex !== undefined && claim.patient.sex !== 'U' && claim.patient.sex !== e.sex) {
        at(`Diagnosis ${d + 1} is specific to the other sex than the patient’s recorded sex`, {
          severity: 'warning',
        });
      }
      if (
        age !== undefined &&
        ((e.minAge !== undefined && age < e.minAge) || (e.maxAge !== undefined && age > e.maxAge))
      ) {
        at(`Diagnosis ${d + 1} is outside the age range for the patient’s age on the date of service`, {
          severity: 'warning',
        });
      }
    });
    return out;
  },
};

export const procedureCodeValid: Rule = {
  id: 'procedure-code-valid',
  version: 1,
  severity: 'error',
  scope: 'global',
  title: 'Procedure codes are well-formed CPT or existing HCPCS Level II codes',
  suggestedFix: 'Correct the procedure code on the charge.',
  documentation: {
    checks:
      'A code starting with a letter must be a HCPCS Level II procedure code in force on the date of service; any ' +
      'other code must have the CPT shape (5 digits, or 4 digits and F/T/U/M). CPT existence is not checked: the CPT ' +
      'list is AMA-licensed and not shipped.',
    why: 'Invalid or discontinued procedure codes are rejected by the clearinghouse or denied (CARC 181).',
    source: 'HIPAA code sets 45 CFR 162.1002 (HCPCS, CPT); CMS HCPCS Level II quarterly file.',
    fix: 'Use a current CPT/HCPCS code for the documented service.',
  },
  check(claim: Claim, ctx: ScrubContext): Finding[] {
    const out: Finding[] = [];
    claim.lines.forEach((line, i) => {
      const code = line.procedureCode;
      // Blank codes and invalid dates are reported by tr3-required; code sets need a real date.
      if (code === '' || !isDate(line.serviceDate)) return;
      const ok = /^[A-Z]/.test(code)
        ? ctx.codeSets.isHcpcsLevel2(code, line.serviceDate)
        : ctx.codeSets.isCptWellFormed(code);
      if (!ok) {
        out.push(
          finding(
            linePath(i, 'procedureCode'),
            '2400.SV101-2',
            `Line ${i + 1} procedure code is not a valid CPT/HCPCS code on the date of service`,
          ),
        );
      }
    });
    return out;
  },
};

export const modifierValid: Rule = {
  id: 'modifier-valid',
  version: 1,
  severity: 'error',
  scope: 'global',
  title: 'Modifiers are valid, at most four, not repeated',
  suggestedFix: 'Remove or correct the modifier.',
  documentation: {
    checks:
      'Each line has at most 4 modifiers, none repeated, each a CPT or HCPCS Level II modifier in use on the date of service.',
    why: 'SV101 has four modifier positions; an unknown or discontinued modifier is rejected or denied (CARC 4).',
    source: '837P TR3 2400 SV101-3..6; CPT Appendix A; CMS HCPCS Level II modifiers.',
    fix: 'Use only current modifiers, each once, at most four per line.',
  },
  check(claim: Claim, ctx: ScrubContext): Finding[] {
    const out: Finding[] = [];
    claim.lines.forEach((line, i) => {
      if (line.modifiers.length > 4) {
        out.push(
          finding(linePath(i, 'modifiers'), '2400.SV101-6', `Line ${i + 1} has more than 4 modifiers`),
        );
      }
      const seen = new Set<string>();
      line.modifiers.forEach((m, j) => {
        const field = linePath(i, `modifiers[${j}]`);
        if (seen.has(m)) out.push(finding(field, modifierElement(j), `Line ${i + 1} repeats modifier ${m}`));
        seen.add(m);
        if (isDate(line.serviceDate) && !ctx.codeSets.isValidModifier(m, line.serviceDate)) {
          out.push(
            finding(
              field,
              modifierElement(j),
              `Line ${i + 1} modifier ${m} is not valid on the date of service`,
            ),
          );
        }
      });
    });
    return out;
  },
};

export const modifier25EvaluationAndManagement: Rule = {
  id: 'modifier-25-em',
  version: 1,
  severity: 'error',
  scope: 'global',
  title: 'Modifier 25 only on E/M codes',
  suggestedFix: 'Move modifier 25 to the E/M line, or remove it.',
  documentation: {
    checks: 'Modifier 25 appears only on evaluation and management codes 99202–99499.',
    why: 'Modifier 25 marks a significant, separately identifiable E/M service; on a procedure it is meaningless and denied (CARC 4).',
    source:
      'CPT Appendix A (modifier 25); CMS NCCI Policy Manual ch. XI §D; Medicare Claims Processing Manual ch. 12 §30.6.6.',
    fix: 'Put 25 on the E/M line billed the same day as the procedure.',
  },
  check(claim: Claim): Finding[] {
    const out: Finding[] = [];
    claim.lines.forEach((line, i) => {
      const j = line.modifiers.indexOf('25' as (typeof line.modifiers)[number]);
      if (j >= 0 && !isEvaluationAndManagement(line.procedureCode)) {
        out.push(
          finding(
            linePath(i, `modifiers[${j}]`),
            modifierElement(j),
            `Line ${i + 1} has modifier 25 on a code that is not an E/M service`,
          ),
        );
      }
    });
    return out;
  },
};

const X_MODIFIERS = new Set(['XE', 'XS', 'XP', 'XU']);

export const modifier59X: Rule = {
  id: 'modifier-59-x',
  version: 1,
  severity: 'error',
  scope: 'global',
  title: 'Modifier 59 and X{EPSU} are not combined',
  suggestedFix:
    'Keep the single most specific distinct-service modifier (XE, XS, XP or XU) and remove the others.',
  documentation: {
    checks: 'A line does not carry 59 together with XE/XS/XP/XU, nor two of the X{EPSU} modifiers.',
    why: 'CMS: the X{EPSU} modifiers are more specific subsets of 59; 59 must not be reported with them on the same line.',
    source: 'CMS MLN Matters MM8863 (X{EPSU} modifiers, 2015); NCCI Policy Manual ch. I §E.1.',
    fix: 'Report one distinct-service modifier per line.',
  },
  check(claim: Claim): Finding[] {
    const out: Finding[] = [];
    claim.lines.forEach((line, i) => {
      const xs = line.modifiers.filter((m) => X_MODIFIERS.has(m));
      const has59 = line.modifiers.some((m) => m === '59');
      if ((has59 && xs.length > 0) || xs.length > 1) {
        out.push(
          finding(
            linePath(i, 'modifiers'),
            '2400.SV101-3',
            `Line ${i + 1} combines distinct-service modifiers (59/XE/XS/XP/XU)`,
          ),
        );
      }
    });
    return out;
  },
};

export const modifierLtRt: Rule = {
  id: 'modifier-lt-rt',
  version: 1,
  severity: 'error',
  scope: 'global',
  title: 'LT and RT not on the same line',
  suggestedFix: 'Bill the bilateral procedure with modifier 50 on one line, or the two sides on two lines.',
  documentation: {
    checks: 'A line does not carry both LT and RT, nor 50 together with LT or RT.',
    why: 'Both sides on one line is contradictory; payers deny it (CARC 4) and Medicare expects 50 for bilateral services.',
    source:
      'Medicare Claims Processing Manual ch. 12 §40.7 (bilateral surgery); HCPCS Level II LT/RT modifiers.',
    fix: 'Use modifier 50 for a bilateral procedure, or one line per side.',
  },
  check(claim: Claim): Finding[] {
    const out: Finding[] = [];
    claim.lines.forEach((line, i) => {
      let lt = false;
      let rt = false;
      let bilateral = false;
      for (const m of line.modifiers) {
        if (m === 'LT') lt = true;
        else if (m === 'RT') rt = true;
        else if (m === '50') bilateral = true;
      }
      if (lt && rt) {
        out.push(finding(linePath(i, 'modifiers'), '2400.SV101-3', `Line ${i + 1} has both LT and RT`));
      } else if (bilateral && (lt || rt)) {
        out.push(
          finding(
            linePath(i, 'modifiers'),
            '2400.SV101-3',
            `Line ${i + 1} has 50 with a side modifier (LT/RT)`,
          ),
        );
      }
    });
    return out;
  },
};

export const modifier50Units: Rule = {
  id: 'modifier-50-units',
  version: 1,
  severity: 'error',
  scope: 'global',
  title: 'Bilateral modifier 50 with one unit',
  suggestedFix: 'Set the units of the bilateral line to 1.',
  documentation: {
    checks: 'A line with modifier 50 has exactly 1 unit.',
    why: 'Medicare pays a bilateral procedure at 150 % on one line with 1 unit; 2 units are denied or overpaid then recouped.',
    source: 'Medicare Claims Processing Manual ch. 12 §40.7.B; CMS PFS bilateral surgery indicator 1.',
    fix: 'Bill 1 unit with modifier 50 and the charge for both sides.',
  },
  check(claim: Claim): Finding[] {
    const out: Finding[] = [];
    claim.lines.forEach((line, i) => {
      if (line.modifiers.some((m) => m === '50') && line.units !== 1) {
        out.push(
          finding(
            linePath(i, 'units'),
            '2400.SV104',
            `Line ${i + 1} has modifier 50 with units other than 1`,
          ),
        );
      }
    });
    return out;
  },
};

export const lateralityModifier: Rule = {
  id: 'laterality-modifier',
  version: 1,
  severity: 'error',
  scope: 'global',
  title: 'A procedure done on one side names the side',
  suggestedFix: 'Add RT or LT (or the anatomic modifier, or 50 when both sides were done) as documented.',
  documentation: {
    checks:
      'A line whose procedure is done on one side of the body — Medicare PFS bilateral surgery indicator 1 (paid at ' +
      '150 % with 50) or 3 (each side priced on its own, e.g. extremity imaging) — carries RT, LT, 50 or an anatomic ' +
      'modifier (E1–E4, FA, F1–F9, TA, T1–T9, LC, LD, LM, RC, RI).',
    why:
      'Without the side the payer cannot tell a second side from a duplicate, nor match the diagnosis laterality; ' +
      'commercial payers deny the line (CARC 4) and Medicare edits pair the sides by these modifiers.',
    source:
      'CMS National PFS Relative Value File, bilateral surgery indicator (RVU24C); NCCI Policy Manual ch. I §E.1 ' +
      '(anatomic modifiers); HCPCS Level II modifiers LT/RT.',
    fix: 'Add the side from the documentation; bill both sides with 50 (indicator 1) or one line per side (indicator 3).',
  },
  check(claim: Claim, ctx: ScrubContext): Finding[] {
    const out: Finding[] = [];
    claim.lines.forEach((line, i) => {
      if (!ctx.codeSets.isSidedProcedure(line.procedureCode)) return;
      if (line.modifiers.some((m) => m === '50' || ANATOMIC_MODIFIERS.has(m))) return;
      out.push(
        finding(
          linePath(i, 'modifiers'),
          '2400.SV101-3',
          `Line ${i + 1}: ${line.procedureCode} is done on one side but names no side (RT/LT/50)`,
        ),
      );
    });
    return out;
  },
};

export const diagnosisPointers: Rule = {
  id: 'diagnosis-pointers',
  version: 1,
  severity: 'error',
  scope: 'global',
  title: 'Diagnosis pointers are valid',
  suggestedFix: 'Point the line at 1 to 4 distinct diagnoses on the claim.',
  documentation: {
    checks:
      'Each line has at most 4 pointers, each an integer from 1 to the number of diagnoses on the claim, none repeated.',
    why: 'A pointer to no diagnosis is a front-end rejection; the pointed diagnosis supports medical necessity of the line.',
    source: '837P TR3 2400 SV107-1..4 (diagnosis code pointers into 2300 HI).',
    fix: 'Re-link the line to the diagnoses that support it.',
  },
  check(claim: Claim): Finding[] {
    const out: Finding[] = [];
    const n = claim.diagnoses.length;
    claim.lines.forEach((line, i) => {
      if (line.diagnosisPointers.length > 4) {
        out.push(
          finding(
            linePath(i, 'diagnosisPointers'),
            '2400.SV107-4',
            `Line ${i + 1} has more than 4 diagnosis pointers`,
          ),
        );
      }
      const seen = new Set<number>();
      line.diagnosisPointers.forEach((p, k) => {
        const field = linePath(i, `diagnosisPointers[${k}]`);
        const x12 = `2400.SV107-${Math.min(k + 1, 4)}`;
        if (!Number.isInteger(p) || p < 1 || p > n) {
          out.push(
            finding(field, x12, `Line ${i + 1} pointer ${k + 1} does not point to a diagnosis on the claim`),
          );
        } else if (seen.has(p)) {
          out.push(finding(field, x12, `Line ${i + 1} pointer ${k + 1} repeats a diagnosis`));
        }
        seen.add(p);
      });
    });
    return out;
  },
};

export const posValid: Rule = {
  id: 'pos-valid',
  version: 1,
  severity: 'error',
  scope: 'global',
  title: 'Place of service codes exist',
  suggestedFix: 'Correct the place of service on the location or the line.',
  documentation: {
    checks:
      'The claim POS (CLM05-1) and every line POS (SV105) are codes in the CMS Place of Service code set.',
    why: 'An unknown POS is rejected at the front end; POS also drives facility vs non-facility pricing.',
    source: 'CMS Place of Service Code Set; 837P TR3 2300 CLM05-1, 2400 SV105.',
    fix: 'Use the POS code of where the service was rendered.',
  },
  check(claim: Claim, ctx: ScrubContext): Finding[] {
    const out: Finding[] = [];
    if (!ctx.codeSets.isValidPos(claim.placeOfService)) {
      out.push(finding('placeOfService', '2300.CLM05-1', 'Claim place of service is not a valid POS code'));
    }
    claim.lines.forEach((line, i) => {
      if (line.placeOfService !== undefined && !ctx.codeSets.isValidPos(line.placeOfService)) {
        out.push(
          finding(
            linePath(i, 'placeOfService'),
            '2400.SV105',
            `Line ${i + 1} place of service is not a valid POS code`,
          ),
        );
      }
    });
    return out;
  },
};

// Office/outpatient E/M (99202–99215) is for non-inpatient settings: inpatient, emergency department and nursing
// facility stays have their own E/M families (99221–99239, 99281–99285, 99304–99316).
const NOT_OFFICE_EM_POS = new Set(['21', '23', '31', '32', '51', '61']);
// Hospital inpatient or observation care (99221–99239). CPT 2023 merged observation into this family, so the
// outpatient hospital POS (19, 22) is valid for observation stays besides inpatient POS 21, 51, 61.
const HOSPITAL_CARE_POS = new Set(['19', '21', '22', '51', '61']);

export const posCodeConsistency: Rule = {
  id: 'pos-code-consistency',
  version: 1,
  severity: 'error',
  scope: 'global',
  title: 'Place of service fits the E/M code family',
  suggestedFix:
    'Use the E/M family for the setting (office, hospital, ED, nursing facility) or correct the POS.',
  documentation: {
    checks:
      'Office/outpatient E/M 99202–99215 is not billed with an inpatient, ED or nursing facility POS (21, 23, 31, 32, ' +
      '51, 61); hospital inpatient/observation E/M 99221–99239 is billed with POS 21, 51 or 61 (inpatient) or 19/22 ' +
      '(observation, since CPT 2023).',
    why: 'A code family that contradicts the setting is denied (CARC 5: procedure code inconsistent with place of service).',
    source:
      'CPT 2023 E/M guidelines; CMS Place of Service Code Set; Medicare Claims Processing Manual ch. 12 §30.6.',
    fix: 'Recode the visit with the family for the setting, or correct the POS.',
  },
  check(claim: Claim): Finding[] {
    const out: Finding[] = [];
    claim.lines.forEach((line, i) => {
      const code = line.procedureCode;
      if (!/^\d{5}$/.test(code)) return;
      const pos = linePos(claim, line);
      const field = line.placeOfService !== undefined ? linePath(i, 'placeOfService') : 'placeOfService';
      const x12 = line.placeOfService !== undefined ? '2400.SV105' : '2300.CLM05-1';
      if (code >= '99202' && code <= '99215' && NOT_OFFICE_EM_POS.has(pos)) {
        out.push(
          finding(
            field,
            x12,
            `Line ${i + 1} office/outpatient E/M is billed with an inpatient, ED or nursing facility POS`,
          ),
        );
      } else if (code >= '99221' && code <= '99239' && !HOSPITAL_CARE_POS.has(pos)) {
        out.push(
          finding(
            field,
            x12,
            `Line ${i + 1} hospital inpatient/observation E/M is billed with a non-hospital POS`,
          ),
        );
      }
    });
    return out;
  },
};

// Services legitimately billed away from the location on file: telehealth (02, 10) and visits at the patient's
// home or residence (12, 13, 14, 16, 33).
const AWAY_FROM_LOCATION_POS = new Set(['02', '10', '12', '13', '14', '16', '33']);

export const posLocation: Rule = {
  id: 'pos-location',
  version: 1,
  severity: 'error',
  scope: 'global',
  title: 'Place of service matches the location on file',
  suggestedFix: 'Confirm where the service was rendered; correct the claim POS or the location record.',
  documentation: {
    checks:
      'The claim and line POS equal the POS of the practice location on file, unless the service is telehealth (02, 10) ' +
      'or at the patient’s home or residence (12, 13, 14, 16, 33).',
    why: 'A POS that contradicts the location is denied (CARC 5) or paid at the wrong (non-)facility rate and later recouped.',
    source:
      'CMS Place of Service Code Set; Medicare Claims Processing Manual ch. 26 §10.5 (POS instructions).',
    fix: 'Bill the POS of the place the patient was seen.',
  },
  check(claim: Claim): Finding[] {
    const out: Finding[] = [];
    const loc = claim.locationPlaceOfService;
    if (claim.placeOfService !== loc && !AWAY_FROM_LOCATION_POS.has(claim.placeOfService)) {
      out.push(
        finding(
          'placeOfService',
          '2300.CLM05-1',
          'Claim place of service differs from the location’s POS on file',
        ),
      );
    }
    claim.lines.forEach((line, i) => {
      const pos = line.placeOfService;
      if (
        pos !== undefined &&
        pos !== loc &&
        pos !== claim.placeOfService &&
        !AWAY_FROM_LOCATION_POS.has(pos)
      ) {
        out.push(
          finding(
            linePath(i, 'placeOfService'),
            '2400.SV105',
            `Line ${i + 1} place of service differs from the location’s POS on file`,
          ),
        );
      }
    });
    return out;
  },
};
