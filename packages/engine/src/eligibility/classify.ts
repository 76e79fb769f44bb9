import {
  coveredOn,
  type BenefitInformation,
  type EligibilityReject,
  type EligibilitySummary,
  type OtherPayer,
} from '@openrcm/x12/270-271';
import { officeVisitCopay, type CopayTier } from './tier.ts';

/**
 * Change detection (issue 7 §3): what one 271 answer means for the front desk, compared with the coverage on
 * file and with the previous check of the same coverage. Pure: the caller gives the facts, this says
 * unchanged / changed (which fields) / lapsed / not_found / unconfirmed and the suggested action.
 */

export const CLASSIFICATIONS = ['unchanged', 'changed', 'lapsed', 'not_found', 'unconfirmed'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

export const CHANGED_FIELDS = [
  'member_id',
  'group',
  'plan',
  'pcp',
  'copay',
  'deductible',
  'coinsurance',
  'demographics',
  // The payer reports other coverage (EB*R) the practice does not have on file: "secondary coverage found".
  'other_coverage',
] as const;
export type ChangedField = (typeof CHANGED_FIELDS)[number];

/** What the practice has on file for the coverage checked. */
export interface CoverageOnFile {
  readonly memberId: string;
  readonly groupNumber?: string;
  readonly planName?: string;
  readonly copayCents?: number;
}

/** Another coverage of the same patient on file (active on the date of service), to compare EB*R with. */
export interface OtherCoverageOnFile {
  /** The payer's id as the clearinghouse knows it (2120 NM109 with NM108 PI). */
  readonly payerId: string;
  readonly payerName?: string;
}

/** Another payer as a 271 reported it (kept in the facts: the front desk needs it to add the coverage). */
export interface OtherPayerFact {
  readonly role: OtherPayer['role'];
  readonly name?: string;
  readonly id?: string;
  readonly memberId?: string;
  readonly insuranceType?: string;
}

/** The benefit facts kept from a check, to compare the next one with (no names, no birth dates). */
export interface CheckFacts {
  readonly status: EligibilitySummary['status'];
  readonly memberId?: string;
  readonly groupNumber?: string;
  readonly plan?: string;
  readonly pcp?: string;
  readonly copayCents?: number;
  /** The tier the payer named on that copay (MSG), when it named one. */
  readonly copayTier?: CopayTier;
  readonly coinsuranceBasisPoints?: number;
  readonly deductibleCents?: number;
  readonly deductibleRemainingCents?: number;
  readonly outOfPocketRemainingCents?: number;
  readonly eligibilityEnd?: string;
  readonly planEnd?: string;
  /** Other coverage the payer reported (EB*R); absent when none. */
  readonly otherPayers?: readonly OtherPayerFact[];
}

export interface ClassifyInput {
  readonly onFile: CoverageOnFile;
  readonly serviceDate: string;
  /** The 271 member summary for this check; undefined when no usable answer came back. */
  readonly summary?: EligibilitySummary;
  /** AAA rejects anywhere in the answer (payer, provider or member level). */
  readonly rejects: readonly EligibilityReject[];
  /** True when retries are exhausted without an answer. */
  readonly noResponse?: boolean;
  /** The previous check's facts for the same coverage, if any. */
  readonly previous?: CheckFacts;
  /**
   * The member's 271 EB segments and the copay tier of the provider the appointment is with: the copay
   * compared is that tier's (tier.ts). Without them, the summary's first office-visit copay.
   */
  readonly benefits?: readonly BenefitInformation[];
  readonly tier?: CopayTier;
  /**
   * The patient's other coverages on file (active on the date of service, the one checked excepted): other
   * coverage the 271 reports that is not among them is flagged `changed` with `other_coverage`.
   */
  readonly otherCoverageOnFile?: readonly OtherCoverageOnFile[];
}

export interface ClassifyResult {
  readonly classification: Classification;
  readonly changedFields: readonly ChangedField[];
  /** Readable reason for the front desk (never patient values). */
  readonly reason: string;
  /** What the front desk should do before the visit. */
  readonly action: string;
  readonly facts?: CheckFacts;
}

/** AAA reasons that mean the payer cannot find this person: registration data must be fixed. */
const NOT_FOUND_REASONS = new Set(['58', '64', '65', '67', '71', '72', '73', '75', '76', '77', '78']);
/** AAA reasons that mean "ask again later" (the payer or the connection failed). */
const RETRY_REASONS = new Set(['42', '79', '80', 'T4']);

export function factsOf(
  s: EligibilitySummary,
  copay?: { benefits: readonly BenefitInformation[]; tier: CopayTier | undefined },
): CheckFacts {
  const n = s.inNetwork;
  const f: { -readonly [K in keyof CheckFacts]: CheckFacts[K] } = { status: s.status };
  if (s.memberId !== undefined) f.memberId = s.memberId;
  if (s.groupNumber !== undefined) f.groupNumber = s.groupNumber;
  const plan = s.planDescription ?? s.groupName;
  if (plan !== undefined) f.plan = plan;
  if (s.primaryCareProvider !== undefined) f.pcp = s.primaryCareProvider.id ?? s.primaryCareProvider.name;
  if (copay === undefined) {
    if (n.officeVisitCopayCents !== undefined) f.copayCents = n.officeVisitCopayCents;
  } else {
    const c = officeVisitCopay(copay.benefits, copay.tier);
    if (c !== undefined) f.copayCents = c.cents;
    if (c?.tier !== undefined) f.copayTier = c.tier;
  }
  if (n.coinsuranceBasisPoints !== undefined) f.coinsuranceBasisPoints = n.coinsuranceBasisPoints;
  const ded = n.deductible.individual;
  if (ded?.totalCents !== undefined) f.deductibleCents = ded.totalCents;
  if (ded?.remainingCents !== undefined) f.deductibleRemainingCents = ded.remainingCents;
  const oop = n.outOfPocket.individual?.remainingCents;
  if (oop !== undefined) f.outOfPocketRemainingCents = oop;
  if (s.eligibilityEnd !== undefined) f.eligibilityEnd = s.eligibilityEnd;
  if (s.planEnd !== undefined) f.planEnd = s.planEnd;
  if (s.otherPayers.length > 0) {
    f.otherPayers = s.otherPayers.map((o) => ({
      role: o.role,
      ...(o.name === undefined ? {} : { name: o.name }),
      ...(o.id === undefined ? {} : { id: o.id }),
      ...(o.memberId === undefined ? {} : { memberId: o.memberId }),
      ...(o.insuranceType === undefined ? {} : { insuranceType: o.insuranceType }),
    }));
  }
  return f;
}

const norm = (v: string | undefined): string => (v ?? '').trim().toUpperCase();
/** Plan names compared by their words: case, punctuation and spacing differ between a card and a 271. */
const planKey = (v: string): string =>
  v
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, ' ')
    .trim();

/** The other payers of a 271 that are not among the coverages on file (by payer id, else by name). */
export function unknownOtherPayers(
  reported: readonly OtherPayerFact[],
  onFile: readonly OtherCoverageOnFile[],
): OtherPayerFact[] {
  return reported.filter(
    (o) =>
      !onFile.some((f) =>
        o.id !== undefined
          ? norm(o.id) === norm(f.payerId)
          : o.name !== undefined && f.payerName !== undefined && planKey(o.name) === planKey(f.payerName),
      ),
  );
}

export function classifyCheck(input: ClassifyInput): ClassifyResult {
  const memberReject = input.rejects.find((r) => NOT_FOUND_REASONS.has(r.reasonCode));
  const retryReject = input.rejects.find((r) => RETRY_REASONS.has(r.reasonCode));
  if (
    input.summary === undefined ||
    input.summary.status === 'rejected' ||
    input.summary.status === 'unknown'
  ) {
    if (memberReject !== undefined) {
      return {
        classification: 'not_found',
        changedFields: [],
        reason: `payer could not find the member: ${memberReject.reason} (AAA ${memberReject.reasonCode})`,
        action:
          memberReject.reasonCode === '72' || memberReject.reasonCode === '76'
            ? 'Verify the insurance card and correct the member id'
            : 'Verify the patient and subscriber details on the card, or collect new insurance',
      };
    }
    const why =
      retryReject !== undefined
        ? `${retryReject.reason} (AAA ${retryReject.reasonCode})`
        : input.noResponse === true
          ? 'no answer from the payer after retries'
          : input.rejects[0] !== undefined
            ? `${input.rejects[0].reason} (AAA ${input.rejects[0].reasonCode})`
            : 'the answer did not say whether the coverage is active';
    return {
      classification: 'unconfirmed',
      changedFields: [],
      reason: why,
      action: 'Verify the insurance card at check-in; call the payer if the visit needs confirmed coverage',
    };
  }
  const s = input.summary;
  const facts = factsOf(
    s,
    input.benefits === undefined ? undefined : { benefits: input.benefits, tier: input.tier },
  );
  if (!coveredOn(s, input.serviceDate)) {
    return {
      classification: 'lapsed',
      changedFields: [],
      reason:
        s.status === 'inactive'
          ? 'payer reports the coverage inactive'
          : 'coverage is not in force on the date of service',
      action: 'Ask for new insurance; if none, offer self-pay terms and financial counselling',
      facts,
    };
  }
  const changed: ChangedField[] = [];
  const on = input.onFile;
  if ((s.memberId !== undefined && norm(s.memberId) !== norm(on.memberId)) || s.priorMemberId !== undefined)
    changed.push('member_id');
  if (
    s.groupNumber !== undefined &&
    on.groupNumber !== undefined &&
    norm(s.groupNumber) !== norm(on.groupNumber)
  )
    changed.push('group');
  const prev = input.previous;
  // The plan: against the file (the payer moved the member to another plan), or since the previous check.
  if (
    facts.plan !== undefined &&
    ((on.planName !== undefined && planKey(facts.plan) !== planKey(on.planName)) ||
      (prev?.plan !== undefined && planKey(facts.plan) !== planKey(prev.plan)))
  )
    changed.push('plan');
  if (prev !== undefined) {
    if (facts.pcp !== prev.pcp && (facts.pcp !== undefined || prev.pcp !== undefined)) changed.push('pcp');
    if (
      facts.deductibleCents !== undefined &&
      prev.deductibleCents !== undefined &&
      facts.deductibleCents !== prev.deductibleCents
    ) {
      changed.push('deductible');
    }
    if (
      facts.coinsuranceBasisPoints !== undefined &&
      prev.coinsuranceBasisPoints !== undefined &&
      facts.coinsuranceBasisPoints !== prev.coinsuranceBasisPoints
    ) {
      changed.push('coinsurance');
    }
  }
  if (facts.copayCents !== undefined && on.copayCents !== undefined && facts.copayCents !== on.copayCents)
    changed.push('copay');
  if (s.payerCorrectedDemographics) changed.push('demographics');
  const others = unknownOtherPayers(facts.otherPayers ?? [], input.otherCoverageOnFile ?? []);
  if (others.length > 0) changed.push('other_coverage');
  if (changed.length === 0) {
    return {
      classification: 'unchanged',
      changedFields: [],
      reason: 'coverage active as on file',
      action: 'None',
      facts,
    };
  }
  const otherNames = others.map((o) => o.name ?? o.id ?? 'another payer').join(', ');
  const actions: string[] = [];
  const rest = changed.filter((f) => f !== 'other_coverage');
  if (rest.length > 0) {
    actions.push(
      rest.includes('member_id') || rest.includes('group') || rest.includes('plan')
        ? 'Verify the insurance card; accept the payer data into the coverage on file'
        : rest.includes('copay')
          ? 'Collect the copay the payer reports; accept the change into the coverage on file'
          : 'Review and accept the change into the coverage on file',
    );
  }
  if (others.length > 0) {
    actions.push(
      others.some((o) => o.role === 'primary')
        ? `The payer names another primary payer (${otherNames}): confirm the order of benefits and collect that card before billing`
        : `Ask for the other insurance card (${otherNames}) and add it on file as secondary coverage`,
    );
  }
  return {
    classification: 'changed',
    changedFields: changed,
    reason: `payer data differs from the file: ${changed
      .map((f) =>
        f === 'copay' && facts.copayTier !== undefined
          ? `copay (${facts.copayTier === 'specialist' ? 'specialist' : 'primary care'} office visit)`
          : f === 'other_coverage'
            ? `other coverage not on file (${otherNames})`
            : f.replaceAll('_', ' '),
      )
      .join(', ')}`,
    action: actions.join('; '),
    facts,
  };
}
