import type { CalendarDate, ClaimId, Npi, PayerId, ProviderId } from '@openrcm/core';
import type { Claim } from '../claims/model.ts';

/** An `error` holds the claim; a `warning` is shown to the biller but the claim may leave. */
export const SEVERITIES = ['error', 'warning'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * Who a rule speaks for. Configured rules: `payer` rules apply to claims to one payer, `practice` rules to one
 * practice's claims (`Rule.appliesTo`). Built-in rules run on every claim; `payer` marks those whose limits come
 * from the payer's settings (filing limit, authorization list, member id format).
 */
export const RULE_SCOPES = ['global', 'payer', 'practice'] as const;
export type RuleScope = (typeof RULE_SCOPES)[number];

/**
 * Why a claim waits. `scrubber`: the data must be corrected by a biller. `credentialing`: the rendering
 * provider is not (yet) enrolled with the payer; released automatically when the enrollment becomes
 * effective. `eligibility`: the 270/271 check came back lapsed or not found (issue 7 §5).
 */
export const HOLD_REASONS = ['scrubber', 'credentialing', 'eligibility'] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

/** One located finding of one rule. Messages name fields, never patient values (STYLE §13). */
export interface Issue {
  readonly ruleId: string;
  readonly ruleVersion: number;
  readonly severity: Severity;
  /** Set on errors: the queue the held claim goes to. */
  readonly hold?: HoldReason;
  /** For a credentialing hold: the date the enrollment becomes effective and the claim can be released. */
  readonly releaseOn?: CalendarDate;
  readonly message: string;
  /** Claim path, e.g. `lines[2].modifiers[0]`; empty string for the whole claim. */
  readonly field: string;
  /** 837P loop and element, e.g. `2300.CLM05-3` or `2400.SV101-2`. */
  readonly x12: string;
  readonly suggestedFix: string;
}

/** What a rule's documentation must say; rendered into docs/scrubber-rules.md. */
export interface RuleDocumentation {
  /** What the rule checks. */
  readonly checks: string;
  /** Why it matters (the denial or rejection it prevents). */
  readonly why: string;
  /** Where the requirement comes from (TR3 section, CMS manual, NCCI, payer policy). */
  readonly source: string;
  /** How a biller fixes a failing claim. */
  readonly fix: string;
}

/** What a rule returns before the engine stamps rule id, version and severity on it. */
export interface Finding {
  readonly message: string;
  readonly field: string;
  readonly x12: string;
  /** Overrides the rule's default fix text when the finding needs a more specific one. */
  readonly suggestedFix?: string;
  /** Downgrades (never upgrades) the rule's severity for this finding, e.g. "within 15 days of the limit". */
  readonly severity?: Severity;
  readonly releaseOn?: CalendarDate;
}

/** A scrubber rule: a pure function of the claim and the injected context. */
export interface Rule {
  /** Stable kebab-case id, e.g. `npi-check-digit`; never reused for another meaning. */
  readonly id: string;
  /** Bumped whenever the rule's logic changes, so stored issues say which logic produced them. */
  readonly version: number;
  readonly severity: Severity;
  readonly scope: RuleScope;
  /** Hold reason for error findings; `scrubber` when absent. */
  readonly holdReason?: HoldReason;
  readonly title: string;
  readonly documentation: RuleDocumentation;
  /** Default fix text for findings that carry none. */
  readonly suggestedFix: string;
  /** Payer or practice rules: whether this claim is in the rule's scope. Global rules omit it. */
  readonly appliesTo?: (claim: Claim) => boolean;
  readonly check: (claim: Claim, ctx: ScrubContext) => readonly Finding[];
}

// ---------------------------------------------------------------------------------------------
// The context: everything outside the claim, injected so rules do no I/O and never read the wall clock.

/** Status of an ICD-10-CM code on a date of service (fiscal years start October 1). */
export const ICD10_STATUSES = [
  'billable',
  'header',
  'not-in-release',
  'unknown-code',
  'year-not-loaded',
] as const;
export type Icd10Status = (typeof ICD10_STATUSES)[number];

/** NCCI PTP modifier indicator: 0 never bypassed, 1 bypassed by an NCCI-associated modifier, 9 not applicable. */
export type PtpModifierIndicator = 0 | 1 | 9;

export interface PtpEditInfo {
  /** The code that is paid. */
  readonly column1: string;
  /** The code that is denied unless the indicator allows a bypass modifier. */
  readonly column2: string;
  readonly modifierIndicator: PtpModifierIndicator;
}

/** MUE adjudication indicator: 1 per line, 2 per day (policy), 3 per day (clinical). */
export interface MueInfo {
  readonly limit: number;
  readonly mai: 1 | 2 | 3;
}

/** NCCI add-on edit: type 1 only the listed primaries; 2 no list; 3 listed primaries plus others the contractor allows. */
export interface AddOnInfo {
  readonly type: 1 | 2 | 3;
  readonly primaries: ReadonlySet<string>;
}

/** Medicare Code Editor diagnosis edits: age range in years, sex, and manifestation (never first-listed). */
export interface DiagnosisEdits {
  readonly minAge?: number;
  readonly maxAge?: number;
  readonly sex?: 'F' | 'M';
  readonly manifestation: boolean;
}

/**
 * The code-set look-ups the rules need. Implemented over @openrcm/codesets by `codesetsAdapter()`; tests
 * use a small in-memory fixture. Implementations must be cheap per call (index once, look up in O(1)/O(log n)).
 */
export interface CodeSets {
  icd10Status(code: string, dateOfService: CalendarDate): Icd10Status;
  /** A HCPCS Level II procedure code in force on the date. */
  isHcpcsLevel2(code: string, dateOfService: CalendarDate): boolean;
  /** The shape of a CPT code (the CPT list itself is AMA-licensed and not shipped). */
  isCptWellFormed(code: string): boolean;
  isValidModifier(modifier: string, dateOfService: CalendarDate): boolean;
  isValidPos(pos: string): boolean;
  mue(code: string): MueInfo | undefined;
  /** A procedure done on one side of the body (PFS bilateral surgery indicator 1 or 3). */
  isSidedProcedure(code: string): boolean;
  /** The PTP edit between two codes on a date, in either order, or undefined. */
  ptpEdit(codeA: string, codeB: string, dateOfService: CalendarDate): PtpEditInfo | undefined;
  addOn(code: string): AddOnInfo | undefined;
  /** MCE age/sex/manifestation edits of a diagnosis, or undefined when it has none. */
  diagnosisEdits(code: string): DiagnosisEdits | undefined;
}

/** A provider's enrollment with a payer on a date of service (see credentialing/hold.ts). */
export type EnrollmentStatus =
  | { readonly status: 'enrolled' }
  | { readonly status: 'pending'; readonly effectiveFrom: CalendarDate }
  | { readonly status: 'not_enrolled' };

export interface EnrollmentQuery {
  readonly npi: Npi;
  readonly providerId?: ProviderId;
  readonly payerId: PayerId;
  readonly serviceDate: CalendarDate;
}

/** Outcome of the latest eligibility check for the claim's encounter (issue 7 §3). */
export const ELIGIBILITY_RESULTS = ['unchanged', 'changed', 'lapsed', 'not_found', 'unconfirmed'] as const;
export type EligibilityResult = (typeof ELIGIBILITY_RESULTS)[number];

export interface PayerSettings {
  /** Procedure codes this payer requires a prior authorization number for (REF*G1). */
  readonly priorAuthorizationCodes: ReadonlySet<string>;
  /** Overrides `Claim.coverage.payer.timelyFilingDays` when set. */
  readonly timelyFilingDays?: number;
  /** The payer's member id format (anchored), compiled once by the caller from the payer record. */
  readonly memberIdPattern?: RegExp;
}

/**
 * Already-submitted claim lines for duplicate detection: `duplicateKey(...)` → the claim that carried it.
 * A compact map of short strings; the caller builds it once per run (e.g. the last 18 months of submissions).
 */
export type SubmittedLineIndex = ReadonlyMap<string, ClaimId>;

export interface ScrubContext {
  /** The scrub date (injected clock): "today" for future-date and timely-filing checks. */
  readonly asOf: CalendarDate;
  readonly codeSets: CodeSets;
  readonly enrollment: (query: EnrollmentQuery) => EnrollmentStatus;
  readonly submitted: SubmittedLineIndex;
  /** Latest eligibility result for the encounter; undefined when no check was run. */
  readonly eligibility?: EligibilityResult;
  /**
   * For batch runs: the latest eligibility result of each claim's encounter and billed coverage. When set,
   * `scrubAll` uses it per claim instead of `eligibility`.
   */
  readonly eligibilityFor?: (claim: Claim) => EligibilityResult | undefined;
  readonly payerSettings: (payerId: PayerId) => PayerSettings | undefined;
}

export interface Hold {
  readonly reason: HoldReason;
  /** Rules whose errors put the claim on this hold. */
  readonly ruleIds: readonly string[];
  /** Credentialing holds: the latest enrollment effective date among the issues; absent when unknown. */
  readonly releaseOn?: CalendarDate;
}

export interface ScrubResult {
  readonly issues: readonly Issue[];
  /** Distinct hold reasons in `HOLD_REASONS` order. */
  readonly holds: readonly Hold[];
  /** No error issues (warnings allowed). */
  readonly clean: boolean;
}
