/**
 * The simulated payer's eligibility answer for one member on one date (what a 271 will carry): pure, from
 * the payer's own roster and benefit design, so the clearinghouse's 270/271 exchange can be built on it.
 */
import { isValidMemberId } from '../ids.ts';
import { Rng } from '../prng.ts';
import type { Accumulator, PayerWorld } from './adjudicate.ts';
import { payerProfile, type PayerProfile } from './profiles.ts';

export const ELIGIBILITY_STATUSES = ['active', 'inactive', 'not_found', 'invalid_member_id'] as const;
export type EligibilityStatus = (typeof ELIGIBILITY_STATUSES)[number];

export interface EligibilityAnswer {
  status: EligibilityStatus;
  /** Coverage span on the payer's roster (null unless the member was found). */
  effectiveFrom: string | null;
  effectiveTo: string | null;
  /** The plan and group the payer has the member under (null unless found, or when it has none). */
  planName: string | null;
  groupNumber: string | null;
  /** Other coverage the payer knows of (coordination of benefits), null when none or not found. */
  otherCoverage: { payerId: string; payerName: string; memberId: string } | null;
  /** Benefits for an office visit (271 EB segments), null unless active. */
  benefits: {
    deductibleCents: number;
    deductibleRemainingCents: number;
    coinsuranceBp: number;
    primaryCareCopayCents: number;
    specialistCopayCents: number;
    outOfPocketMaxCents: number;
    outOfPocketRemainingCents: number;
  } | null;
}

/** Answers an eligibility inquiry; `accumulator` is the member's year-to-date spend at this payer. */
export function checkEligibility(
  world: PayerWorld,
  memberId: string,
  date: string,
  accumulator: Readonly<Accumulator>,
): EligibilityAnswer {
  const none = {
    effectiveFrom: null,
    effectiveTo: null,
    planName: null,
    groupNumber: null,
    otherCoverage: null,
    benefits: null,
  };
  if (!isValidMemberId(memberId, world.profile.memberIdFormat))
    return { status: 'invalid_member_id', ...none };
  const m = world.roster.get(memberId);
  if (!m) return { status: 'not_found', ...none };
  const found = {
    effectiveFrom: m.effectiveFrom,
    effectiveTo: m.effectiveTo,
    planName: m.planName ?? null,
    groupNumber: m.groupNumber ?? null,
  };
  const active = m.effectiveFrom <= date && (m.effectiveTo === null || m.effectiveTo >= date);
  if (!active) return { status: 'inactive', ...found, otherCoverage: null, benefits: null };
  const b = world.profile.benefit;
  const other = m.otherCoverage;
  return {
    status: 'active',
    ...found,
    otherCoverage:
      other === undefined
        ? null
        : {
            payerId: other.payerId,
            // The name the payer goes by (the profile's, without the simulator's note).
            payerName: payerProfile(other.payerId).name.replace(/ \(simulated.*\)$/, ''),
            memberId: other.memberId,
          },
    benefits: {
      deductibleCents: b.deductibleCents,
      deductibleRemainingCents: Math.max(0, b.deductibleCents - accumulator.deductibleCents),
      coinsuranceBp: b.coinsuranceBp,
      primaryCareCopayCents: b.primaryCareCopayCents,
      specialistCopayCents: b.specialistCopayCents,
      outOfPocketMaxCents: b.outOfPocketMaxCents,
      outOfPocketRemainingCents:
        b.outOfPocketMaxCents === 0 ? 0 : Math.max(0, b.outOfPocketMaxCents - accumulator.outOfPocketCents),
    },
  };
}

/**
 * NUCC taxonomies the simulated plans count as primary care for the office-visit copay tier — the same
 * list the claim adjudication applies to the rendering provider's PRV03 (adjudicate.ts), so the copay a 271
 * announces is the copay the 835 takes.
 */
const PRIMARY_CARE_TAXONOMIES = new Set([
  '207Q00000X',
  '207R00000X',
  '208D00000X',
  '363LF0000X',
  '363LP2300X',
]);

export type CopayTier = 'primary_care' | 'specialist';

/** The copay tier of a provider by taxonomy (a provider without one is billed at the specialist tier). */
export function copayTier(taxonomy: string | null | undefined): CopayTier {
  return taxonomy !== null && taxonomy !== undefined && PRIMARY_CARE_TAXONOMIES.has(taxonomy)
    ? 'primary_care'
    : 'specialist';
}

/** Whether the plan charges a different office-visit copay for primary care and specialists. */
export function hasCopayTiers(profile: PayerProfile): boolean {
  return profile.benefit.primaryCareCopayCents !== profile.benefit.specialistCopayCents;
}

/** Share of business days on which a payer's eligibility system is down (maintenance, outages). */
export const ELIGIBILITY_OUTAGE_RATE = 0.01;

/**
 * Whether a payer's real-time eligibility system is down on a date: the clearinghouse then answers
 * AAA 42 "unable to respond at current time" (follow-up R, resubmission allowed) for every inquiry to it.
 * Deterministic per payer and date, about one day in a hundred.
 */
export function eligibilityOutage(payerId: string, date: string): boolean {
  return new Rng('eligibility-outage', `outage/${payerId}/${date}`).chance(ELIGIBILITY_OUTAGE_RATE);
}
