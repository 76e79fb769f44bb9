/**
 * The scrubber (issue 5 §3): pure rules over a `Claim` and an injected `ScrubContext`. Built-in rules live
 * in `CATALOG`; payer and practice rules are data (`validateDataRule` → `compileDataRule`). `scrub()` runs
 * them and says whether the claim is clean and which holds apply.
 */
export * from './types.ts';
export { CATALOG, CATALOG_IDS } from './catalog.ts';
export { scrub, scrubAll, runRule, holdsOf } from './scrub.ts';
export {
  CONDITION_OPS,
  CONDITION_PATHS,
  DATA_RULE_SCOPES,
  validateDataRule,
  compileDataRule,
  conditionPaths,
  describeCondition,
  compilePattern,
} from './conditions.ts';
export type {
  Condition,
  ConditionOp,
  DataRuleDefinition,
  DataRuleScope,
  DefinitionError,
  ValidationResult,
} from './conditions.ts';
export { codesetsAdapter } from './codesets-adapter.ts';
export { payerPolicyRules, payerSettingsOf } from './policy.ts';
export type { PayerPolicy } from './policy.ts';
export { duplicateKey, duplicateKeys, duplicateKeyOf } from './rules/payer.ts';
export type { DuplicateKeyParts } from './rules/payer.ts';
export { TIMELY_FILING_WARNING_DAYS } from './rules/dates.ts';
export { renderRulesDoc, RULES_DOC_PATH } from './docs.ts';
export { simulatorCheck, formatSimCheck } from './sim-check.ts';
export type { SimCheckOptions, SimCheckReport } from './sim-check.ts';
