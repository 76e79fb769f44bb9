export { Rng, WeightedTable } from './prng.ts';
export {
  npiCheckDigit,
  isValidNpi,
  makeNpi,
  makeTin,
  makeMemberId,
  isValidMemberId,
  typoMemberId,
  MEMBER_ID_FORMATS,
  MEMBER_ID_PATTERNS,
} from './ids.ts';
export type { MemberIdFormat } from './ids.ts';
export { generate, generateSetup, generateMonths, apportion, DEFAULT_ERROR_RATES } from './generate.ts';
export type {
  GenerateConfig,
  ErrorRates,
  InjectionStats,
  GeneratorState,
  DatasetOrigin,
} from './generate.ts';
export {
  writeDataset,
  generateToDirectory,
  DatasetWriter,
  OutcomeTally,
  OUTPUT_FORMATS,
  IMPORT_FORMAT_VERSION,
} from './write.ts';
export type {
  OutputFormat,
  WriteOptions,
  EntityCounts,
  GenerateToDirectoryResult,
  ExpectedOutcomes,
} from './write.ts';
export { ENTITIES, FIELD_TYPES, naturalKey } from './schema.ts';
export type { EntitySpec, FieldType } from './schema.ts';
export {
  PAYER_PROFILES,
  PAYER_KINDS,
  SUBMISSION_CHANNELS,
  payerProfile,
  requiresAuth,
  nonCoveredEntry,
} from './payers/profiles.ts';
export type {
  PayerProfile,
  PayerKind,
  BenefitDesign,
  LagDistribution,
  NonCovered,
  SubmissionChannel,
} from './payers/profiles.ts';
export { PROCEDURES } from './data/procedures.ts';
export { PTP_PAIRS } from './data/ncci.ts';
export * from './types.ts';
export {
  adjudicate,
  adjudicationDate,
  paymentDate,
  lineKey,
  ZERO_ACCUMULATOR,
  CAS_GROUPS,
  REJECTION_REASONS,
} from './payers/adjudicate.ts';
export type {
  SimClaim,
  SimClaimLine,
  SimCobLine,
  PayerWorld,
  RosterEntry,
  EnrollmentSpan,
  PayerAuthorization,
  Accumulator,
  Cas,
  CasGroup,
  LineAdjudication,
  ClaimAdjudication,
  ClaimRejection,
  ClaimOutcome,
  ClaimStatus,
  RejectionReason,
  AdjudicationInput,
  AdjudicationResult,
} from './payers/adjudicate.ts';
export { buildPayerWorlds, naiveClaims, SimulatedPayers } from './payers/world.ts';
export { firstPassRun, streamFirstPass } from './payers/run.ts';
export type { FirstPassReport } from './payers/run.ts';
export { checkEligibility, ELIGIBILITY_STATUSES } from './payers/eligibility.ts';
export type { EligibilityAnswer, EligibilityStatus } from './payers/eligibility.ts';
export { seasonedAccumulator } from './payers/accumulators.ts';
export { payerPolicyManual, PAYER_POLICY_FORMAT } from './payers/policy-export.ts';
export type { PayerPolicyManual, PublishedPayerPolicy, ManualEdition } from './payers/policy-export.ts';
export { ruleTimeline, rulesOn, POLICY_PARTS } from './payers/policy.ts';
export type { RuleChange, DatedRuleChange, PolicyPart } from './payers/policy.ts';
export { PayerMemory, LineHistory, hash52 } from './payers/memory.ts';
