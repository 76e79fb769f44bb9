/**
 * 271 answers to 270 inquiries (005010X279A1) from the simulated payers: each question goes to the payer
 * named in 2100A, which answers from its own roster and benefit design (`checkEligibility`): EB*1 with the
 * office-visit cost sharing and what is left of the deductible and out-of-pocket maximum, EB*6 when the
 * coverage has ended, AAA 72 (member id invalid) or 75 (subscriber not found), AAA T4 at 2100A for a payer
 * the clearinghouse does not route to.
 */
import {
  eligibilityResponse,
  officeVisitAnswer,
  rejection,
  type EligibilityAnswer as Answer271,
  type EligibilityMember,
  type EligibilityTransaction,
  type MemberPath,
} from '@openrcm/x12/270-271';
import type { Accumulator, PayerWorld } from '../payers/adjudicate.ts';
import { ZERO_ACCUMULATOR } from '../payers/adjudicate.ts';
import { checkEligibility, type EligibilityAnswer } from '../payers/eligibility.ts';

function serviceDate(member: EligibilityMember, fallback: string): string {
  return member.dates.find((d) => d.qualifier === '291')?.start ?? fallback;
}

function toAnswer(a: EligibilityAnswer, loop: '2000C' | '2000D'): Answer271 | undefined {
  switch (a.status) {
    case 'invalid_member_id':
      // 2100C AAA 72 invalid member id; a dependent's question is about the subscriber's id (64 patient id).
      return { rejects: [rejection(loop === '2000C' ? '72' : '64', 'C')] };
    case 'not_found':
      return { rejects: [rejection(loop === '2000C' ? '75' : '67', 'C')] };
    case 'inactive':
      return officeVisitAnswer({
        status: 'inactive',
        ...(a.effectiveFrom === null ? {} : { planBegin: a.effectiveFrom }),
        ...(a.effectiveTo === null ? {} : { planEnd: a.effectiveTo }),
      });
    case 'active': {
      const b = a.benefits;
      return officeVisitAnswer({
        status: 'active',
        ...(a.effectiveFrom === null ? {} : { planBegin: a.effectiveFrom }),
        ...(a.effectiveTo === null ? {} : { planEnd: a.effectiveTo }),
        ...(b === null
          ? {}
          : {
              inNetwork: {
                ...(b.primaryCareCopayCents > 0 ? { officeVisitCopayCents: b.primaryCareCopayCents } : {}),
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
      return a.status === 'invalid_member_id' || a.status === 'not_found' ? toAnswer(a, '2000C') : undefined;
    }
    if (path.subscriber !== undefined) {
      const s = check(payerId, world, memberId, date);
      if (s.status === 'invalid_member_id' || s.status === 'not_found') return undefined;
    }
    questions++;
    return toAnswer(a, member.loop);
  };
  const response = eligibilityResponse(request, { date: today, time: '1200' }, answer);
  // A payer this clearinghouse does not route to: AAA T4 at 2100A (payer name or identifier).
  const sources = response.sources.map((s) =>
    worlds.has(s.name.id ?? '') ? s : { ...s, validations: [rejection('T4', 'C')] },
  );
  return { response: { ...response, sources }, questions };
}
