/**
 * 271 answers to 270 inquiries (005010X279A1) from the simulated payers: each question goes to the payer
 * named in 2100A, which answers from its own roster and benefit design (`checkEligibility`): EB*1 with the
 * office-visit cost sharing and what is left of the deductible and out-of-pocket maximum, EB*6 when the
 * coverage has ended, AAA 72 (member id invalid) or 75 (subscriber not found), AAA T4 at 2100A for a payer
 * the clearinghouse does not route to, AAA 42 at 2100A (follow-up R, resubmission allowed, no lower levels)
 * on the days the payer's eligibility system is down (`eligibilityOutage`).
 *
 * The plan and group the payer has the member under come back on every answer that found the member: EB05
 * plan coverage description on the coverage EB and REF*6P (2100C/2100D) — the new ones when the payer moved
 * the member to another plan. Other coverage the payer knows of (coordination of benefits) is an EB*R for
 * service type 30 with the other plan's insurance type (EB04 C1 commercial), REF*IG the member's policy
 * number there, and a 2120C/2120D loop naming the other payer: NM1*SEP (secondary payer) with NM108 PI.
 *
 * The office-visit copay (EB*B, service type 98, EB06 27 per visit): a plan whose primary care and
 * specialist copays differ answers the tier of the provider in 2100B (PRV*PE taxonomy), naming the tier in
 * the 2110 MSG — X12's answer to RFI 1779 (PCP vs specialist copays): there is no code for it, MSG01 text
 * on the copay's EB loop — and both tiers, each with its MSG, when the inquiry names no taxonomy.
 */
import {
  benefit,
  eligibilityResponse,
  officeVisitAnswer,
  rejection,
  type BenefitInformation,
  type EligibilityAnswer as Answer271,
  type EligibilityMember,
  type EligibilityTransaction,
  type MemberPath,
} from '@openrcm/x12/270-271';
import type { Accumulator, PayerWorld } from '../payers/adjudicate.ts';
import { ZERO_ACCUMULATOR } from '../payers/adjudicate.ts';
import {
  checkEligibility,
  copayTier,
  eligibilityOutage,
  hasCopayTiers,
  type CopayTier,
  type EligibilityAnswer,
} from '../payers/eligibility.ts';

/** MSG01 naming the copay tier of an EB*B. */
export const TIER_MESSAGES: Readonly<Record<CopayTier, string>> = {
  primary_care: 'PRIMARY CARE OFFICE VISIT',
  specialist: 'SPECIALIST OFFICE VISIT',
};

/** The EB*B office-visit copays for the provider asked about (`tier`), or both tiers when unknown. */
function copayBenefits(
  b: NonNullable<EligibilityAnswer['benefits']>,
  tiered: boolean,
  tier: CopayTier | undefined,
): BenefitInformation[] {
  const eb = (cents: number, message?: string): BenefitInformation =>
    benefit({
      code: 'B',
      coverageLevel: 'IND',
      serviceTypes: ['98'],
      timePeriod: '27',
      amountCents: cents,
      inPlanNetwork: 'Y',
      ...(message === undefined ? {} : { messages: [message] }),
    });
  const cents = (t: CopayTier): number =>
    t === 'primary_care' ? b.primaryCareCopayCents : b.specialistCopayCents;
  if (!tiered) return b.primaryCareCopayCents > 0 ? [eb(b.primaryCareCopayCents)] : [];
  const tiers: CopayTier[] = tier === undefined ? ['primary_care', 'specialist'] : [tier];
  return tiers.filter((t) => cents(t) > 0).map((t) => eb(cents(t), TIER_MESSAGES[t]));
}

/** EB*R: the other coverage the payer knows of, secondary to it (005010X279A1 2110C/2120C). */
function otherPayerBenefit(o: NonNullable<EligibilityAnswer['otherCoverage']>): BenefitInformation {
  return benefit({
    code: 'R',
    coverageLevel: 'IND',
    serviceTypes: ['30'],
    insuranceType: 'C1',
    references: [{ qualifier: 'IG', value: o.memberId }],
    relatedEntities: [
      {
        name: {
          entityIdentifier: 'SEP',
          entityType: '2',
          lastOrOrganizationName: o.payerName.toUpperCase().slice(0, 60),
          idQualifier: 'PI',
          id: o.payerId,
        },
        contacts: [],
        other: [],
      },
    ],
  });
}

function serviceDate(member: EligibilityMember, fallback: string): string {
  return member.dates.find((d) => d.qualifier === '291')?.start ?? fallback;
}

/** Plan dates, plan description (EB05) and group (REF*6P) of a member the payer found. */
function plan(a: EligibilityAnswer): {
  planBegin?: string;
  planEnd?: string;
  planDescription?: string;
  groupNumber?: string;
} {
  return {
    ...(a.effectiveFrom === null ? {} : { planBegin: a.effectiveFrom }),
    ...(a.effectiveTo === null ? {} : { planEnd: a.effectiveTo }),
    ...(a.planName === null ? {} : { planDescription: a.planName.toUpperCase().slice(0, 50) }),
    ...(a.groupNumber === null ? {} : { groupNumber: a.groupNumber }),
  };
}

function toAnswer(
  a: EligibilityAnswer,
  loop: '2000C' | '2000D',
  copay: { tiered: boolean; tier: CopayTier | undefined },
): Answer271 | undefined {
  switch (a.status) {
    case 'invalid_member_id':
      // 2100C AAA 72 invalid member id; a dependent's question is about the subscriber's id (64 patient id).
      return { rejects: [rejection(loop === '2000C' ? '72' : '64', 'C')] };
    case 'not_found':
      return { rejects: [rejection(loop === '2000C' ? '75' : '67', 'C')] };
    case 'inactive':
      return officeVisitAnswer({ status: 'inactive', ...plan(a) });
    case 'active': {
      const b = a.benefits;
      const answer = officeVisitAnswer({
        status: 'active',
        ...plan(a),
        ...(b === null
          ? {}
          : {
              inNetwork: {
                ...(b.coinsuranceBp > 0 ? { coinsuranceBasisPoints: b.coinsuranceBp } : {}),
                ...(b.deductibleCents > 0
                  ? {
                      deductible: {
                        individual: {
                          totalCents: b.deductibleCents,
                          remainingCents: b.deductibleRemainingCents,
                        },
                      },
                    }
                  : {}),
                ...(b.outOfPocketMaxCents > 0
                  ? {
                      outOfPocket: {
                        individual: {
                          totalCents: b.outOfPocketMaxCents,
                          remainingCents: b.outOfPocketRemainingCents,
                        },
                      },
                    }
                  : {}),
              },
            }),
      });
      if (b === null) return answer;
      // The copays go right after the coverage EB*1, before coinsurance and the accumulators; the other
      // payer, if any, last.
      const [coverage, ...rest] = answer.benefits ?? [];
      return {
        ...answer,
        benefits: [
          ...(coverage === undefined ? [] : [coverage]),
          ...copayBenefits(b, copay.tiered, copay.tier),
          ...rest,
          ...(a.otherCoverage === null ? [] : [otherPayerBenefit(a.otherCoverage)]),
        ],
      };
    }
  }
}

/**
 * Answers one 270. `accumulator(key)` gives the member's year-to-date spend, keyed
 * 'payerId|memberId|YYYY' like the clearinghouse's adjudication accumulators.
 */
export function answer270(
  request: EligibilityTransaction,
  worlds: ReadonlyMap<string, PayerWorld>,
  accumulator: (key: string) => Accumulator | undefined,
  today: string,
): { response: EligibilityTransaction; questions: number } {
  let questions = 0;
  const check = (payerId: string, world: PayerWorld, memberId: string, date: string): EligibilityAnswer =>
    checkEligibility(
      world,
      memberId,
      date,
      accumulator(`${payerId}|${memberId}|${date.slice(0, 4)}`) ?? ZERO_ACCUMULATOR,
    );
  const answer = (member: EligibilityMember, path: MemberPath): Answer271 | undefined => {
    const payerId = path.source.name.id ?? '';
    const world = worlds.get(payerId);
    if (!world) return undefined;
    const subscriber = path.subscriber ?? member;
    const memberId = subscriber.name.id ?? '';
    const date = serviceDate(member, serviceDate(subscriber, today));
    const a = check(payerId, world, memberId, date);
    if (path.subscriber === undefined && member.dependents.length > 0) {
      // The question is about the dependents; the subscriber level only carries a rejection of its id.
      return a.status === 'invalid_member_id' || a.status === 'not_found'
        ? toAnswer(a, '2000C', { tiered: false, tier: undefined })
        : undefined;
    }
    if (path.subscriber !== undefined) {
      const s = check(payerId, world, memberId, date);
      if (s.status === 'invalid_member_id' || s.status === 'not_found') return undefined;
    }
    questions++;
    // PRV*PE (or any PRV role) in 2100B: the taxonomy of the provider the patient is seeing.
    const taxonomy = path.receiver.provider?.id;
    return toAnswer(a, member.loop, {
      tiered: hasCopayTiers(world.profile),
      tier: taxonomy === undefined ? undefined : copayTier(taxonomy),
    });
  };
  const response = eligibilityResponse(request, { date: today, time: '1200' }, answer, {
    // The payer's eligibility system is down today: AAA 42 at 2100A, resubmission allowed.
    source: (s) =>
      worlds.has(s.name.id ?? '') && eligibilityOutage(s.name.id ?? '', today)
        ? [rejection('42', 'R')]
        : undefined,
  });
  // A payer this clearinghouse does not route to: AAA T4 at 2100A (payer name or identifier).
  const sources = response.sources.map((s) =>
    worlds.has(s.name.id ?? '') ? s : { ...s, validations: [rejection('T4', 'C')] },
  );
  return { response: { ...response, sources }, questions };
}
