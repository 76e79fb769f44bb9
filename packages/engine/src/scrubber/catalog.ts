/**
 * The built-in rule catalog, in the order the scrubber runs them and the documentation lists them: data
 * completeness first, then identifiers, codes, dates, NCCI, and the payer relationship. Order is part of
 * the output (issues come out in catalog order), so append new rules rather than reshuffling.
 */
import type { Rule } from './types.ts';
import { memberIdFormat, npiCheckDigit, tinFormat, tr3Required } from './rules/identity.ts';
import {
  diagnosisPatientConsistency,
  diagnosisPointers,
  icd10Valid,
  lateralityModifier,
  modifier25EvaluationAndManagement,
  modifier50Units,
  modifier59X,
  modifierLtRt,
  modifierValid,
  posCodeConsistency,
  posLocation,
  posValid,
  procedureCodeValid,
} from './rules/codes.ts';
import { serviceDateInCoverage, serviceDateNotFuture, timelyFiling } from './rules/dates.ts';
import { addOnPrimary, mueUnits, ncciPtp } from './rules/ncci.ts';
import {
  chargePositive,
  duplicateClaim,
  eligibilityHold,
  frequencyNeedsPayerClaimNumber,
  priorAuthorizationRequired,
  renderingEnrolled,
  secondaryNeedsPrimary,
  totalEqualsLines,
} from './rules/payer.ts';

export const CATALOG: readonly Rule[] = [
  tr3Required,
  npiCheckDigit,
  tinFormat,
  memberIdFormat,
  chargePositive,
  totalEqualsLines,
  frequencyNeedsPayerClaimNumber,
  icd10Valid,
  diagnosisPatientConsistency,
  diagnosisPointers,
  procedureCodeValid,
  modifierValid,
  modifier25EvaluationAndManagement,
  modifier59X,
  modifierLtRt,
  modifier50Units,
  posValid,
  posCodeConsistency,
  posLocation,
  serviceDateNotFuture,
  serviceDateInCoverage,
  timelyFiling,
  mueUnits,
  ncciPtp,
  addOnPrimary,
  duplicateClaim,
  priorAuthorizationRequired,
  secondaryNeedsPrimary,
  eligibilityHold,
  renderingEnrolled,
  lateralityModifier,
];

/** Ids of the built-in rules; configured rules may not reuse them. */
export const CATALOG_IDS: ReadonlySet<string> = new Set(CATALOG.map((r) => r.id));
