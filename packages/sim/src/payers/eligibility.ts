/**
 * The simulated payer's eligibility answer for one member on one date (what a 271 will carry): pure, from
 * the payer's own roster and benefit design, so the clearinghouse's 270/271 exchange can be built on it.
 */
import { isValidMemberId } from '../ids.ts';
import type { Accumulator, PayerWorld } from './adjudicate.ts';

export const ELIGIBILITY_STATUSES = ['active', 'inactive', 'not_found', 'invalid_member_id'] as const;
export type EligibilityStatus = (typeof ELIGIBILITY_STATUSES)[number];

export interface EligibilityAnswer {
  status: EligibilityStatus;
  /** Coverage span on the payer's roster (null unless the member was found). */
  effectiveFrom: string | null;
  effectiveTo: string | null;
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
  const none = { effectiveFrom: null, effectiveTo: null, benefits: null };
  if (!isValidMemberId(memberId, world.profile.memberIdFormat))
    return { status: 'invalid_member_id', ...none };
  const m = world.roster.get(memberId);
  if (!m) return { status: 'not_found', ...none };
  const active = m.effectiveFrom <= date && (m.effectiveTo === null || m.effectiveTo >= date);
  if (!active)
    return { status: 'inactive', effectiveFrom: m.effectiveFrom, effectiveTo: m.effectiveTo, benefits: null };
  const b = world.profile.benefit;
  return {
    status: 'active',
    effectiveFrom: m.effectiveFrom,
    effectiveTo: m.effectiveTo,
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
