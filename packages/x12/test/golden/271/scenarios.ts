/**
 * 271 writer scenarios (answers to the 270 batch of ../270/scenarios.ts, built with `eligibilityResponse`).
 * Synthetic data only. Regenerate with `scripts/regen-golden-eligibility.ts`.
 */
import { datePeriod } from '../../../src/core/common-segments.ts';
import { benefit, eligibilityResponse, rejection } from '../../../src/tx270271/response.ts';
import type { EligibilityTransaction } from '../../../src/tx270271/types.ts';
import { writeEligibilityInterchange, type EligibilityEnvelope } from '../../../src/tx270271/write.ts';
import { INTERCHANGE, inquiries, type GoldenScenario } from '../270/scenarios.ts';

export const ENVELOPE_271: EligibilityEnvelope = {
  interchange: {
    ...INTERCHANGE,
    senderId: 'SIMCLEARING',
    receiverId: 'OPENRCM',
    time: '1905',
    controlNumber: 9001,
  },
  senderCode: 'SIMCLEARING',
  receiverCode: 'OPENRCM',
  groupControlNumber: 9001,
  firstTransactionControlNumber: 1,
};

const HEADER = { date: '2026-03-01', time: '1905' };
const OFFICE = ['98'];

function request(i: number): EligibilityTransaction {
  const tx = inquiries()[i];
  if (tx === undefined) throw new Error(`no inquiry ${i}`);
  return tx;
}

/** Active coverage with office-visit cost sharing, deductibles, out-of-pocket and a PCP. */
export function activeWithBenefits(): EligibilityTransaction {
  return eligibilityResponse(request(0), HEADER, () => ({
    references: [{ qualifier: '6P', value: 'GRP5501', description: 'MAPLE STREET BAKERY' }],
    dates: [datePeriod('346', '2026-01-01'), datePeriod('291', '2026-03-02')],
    benefits: [
      benefit({
        code: '1',
        coverageLevel: 'IND',
        serviceTypes: ['30'],
        insuranceType: 'PR',
        planDescription: 'SUMMIT PPO GOLD',
      }),
      benefit({
        code: 'B',
        coverageLevel: 'IND',
        serviceTypes: OFFICE,
        insuranceType: 'PR',
        timePeriod: '27',
        amountCents: 2500,
        inPlanNetwork: 'Y',
      }),
      benefit({
        code: 'B',
        coverageLevel: 'IND',
        serviceTypes: OFFICE,
        insuranceType: 'PR',
        timePeriod: '27',
        amountCents: 6000,
        inPlanNetwork: 'N',
      }),
      benefit({
        code: 'A',
        coverageLevel: 'IND',
        serviceTypes: ['30'],
        insuranceType: 'PR',
        percentBasisPoints: 2000,
        inPlanNetwork: 'Y',
      }),
      benefit({
        code: 'A',
        coverageLevel: 'IND',
        serviceTypes: ['30'],
        insuranceType: 'PR',
        percentBasisPoints: 4000,
        inPlanNetwork: 'N',
      }),
      benefit({
        code: 'C',
        coverageLevel: 'IND',
        serviceTypes: ['30'],
        insuranceType: 'PR',
        timePeriod: '23',
        amountCents: 150000,
        inPlanNetwork: 'Y',
      }),
      benefit({
        code: 'C',
        coverageLevel: 'IND',
        serviceTypes: ['30'],
        insuranceType: 'PR',
        timePeriod: '29',
        amountCents: 82050,
        inPlanNetwork: 'Y',
      }),
      benefit({
        code: 'C',
        coverageLevel: 'FAM',
        serviceTypes: ['30'],
        insuranceType: 'PR',
        timePeriod: '23',
        amountCents: 300000,
        inPlanNetwork: 'Y',
      }),
      benefit({
        code: 'C',
        coverageLevel: 'FAM',
        serviceTypes: ['30'],
        insuranceType: 'PR',
        timePeriod: '29',
        amountCents: 210000,
        inPlanNetwork: 'Y',
      }),
      benefit({
        code: 'G',
        coverageLevel: 'IND',
        serviceTypes: ['30'],
        insuranceType: 'PR',
        timePeriod: '23',
        amountCents: 600000,
        inPlanNetwork: 'Y',
      }),
      benefit({
        code: 'G',
        coverageLevel: 'IND',
        serviceTypes: ['30'],
        insuranceType: 'PR',
        timePeriod: '29',
        amountCents: 425075,
        inPlanNetwork: 'Y',
      }),
      benefit({
        code: 'L',
        relatedEntities: [
          {
            name: {
              entityIdentifier: 'P3',
              entityType: '1',
              lastOrOrganizationName: 'CHEN',
              firstName: 'LILY',
              idQualifier: 'XX',
              id: '1679576722',
            },
            address: {
              hasN3: true,
              hasN4: true,
              line1: '400 MAPLE AVE',
              city: 'SPRINGFIELD',
              state: 'IL',
              postalCode: '62701',
            },
            contacts: [{ functionCode: 'IC', numbers: [{ qualifier: 'TE', number: '2175550142' }] }],
            provider: { providerCode: 'PE', qualifier: 'PXC', id: '207Q00000X' },
            other: [],
          },
        ],
      }),
    ],
  }));
}

/** Coverage that ended before the appointment: EB*6 with the plan end date. */
export function inactive(): EligibilityTransaction {
  return eligibilityResponse(request(2), HEADER, () => ({
    dates: [datePeriod('346', '2024-01-01'), datePeriod('347', '2026-01-31')],
    benefits: [benefit({ code: '6', coverageLevel: 'IND', serviceTypes: ['30'], insuranceType: 'C1' })],
  }));
}

/** AAA 72 (member id invalid) on the subscriber. */
export function invalidMemberId(): EligibilityTransaction {
  return eligibilityResponse(request(0), HEADER, () => ({ rejects: [rejection('72', 'C', false)] }));
}

/** AAA 75 (subscriber not found) on the dependent's subscriber. */
export function subscriberNotFound(): EligibilityTransaction {
  return eligibilityResponse(request(1), HEADER, (m) =>
    m.loop === '2000C' ? { rejects: [rejection('75', 'C', false)] } : undefined,
  );
}

/** AAA 42 (payer unable to respond now) at the payer level: no receiver or member levels follow. */
export function unableToRespond(): EligibilityTransaction {
  return eligibilityResponse(request(2), HEADER, () => undefined, { source: () => [rejection('42', 'R')] });
}

export const SCENARIOS: readonly GoldenScenario[] = [
  {
    name: 'active-benefits',
    description: 'active coverage with copay, coinsurance, deductible, remaining, out-of-pocket and PCP',
    write: () => writeEligibilityInterchange([activeWithBenefits()], ENVELOPE_271),
  },
  {
    name: 'inactive',
    description: 'coverage terminated before the date of service (EB*6, DTP*347)',
    write: () => writeEligibilityInterchange([inactive()], ENVELOPE_271),
  },
  {
    name: 'rejects',
    description: 'AAA 72 invalid member id, AAA 75 subscriber not found, AAA 42 payer unable to respond',
    write: () =>
      writeEligibilityInterchange([invalidMemberId(), subscriberNotFound(), unableToRespond()], ENVELOPE_271),
  },
];
