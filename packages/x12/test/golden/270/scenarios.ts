/**
 * 270 writer scenarios behind the golden files in this folder (synthetic people; NPIs carry valid check
 * digits). `scripts/regen-golden-eligibility.ts` writes `<name>.edi`; golden.test.ts checks the writer still
 * produces them byte for byte and that each reads back conforming and re-serializes identically.
 */
import type { InterchangeOptions } from '../../../src/core/writer.ts';
import {
  buildEligibilityInquiry,
  type EligibilityRequest,
  type InquiryHeader,
} from '../../../src/tx270271/inquiry.ts';
import type { EligibilityTransaction } from '../../../src/tx270271/types.ts';
import { writeEligibilityInterchange, type EligibilityEnvelope } from '../../../src/tx270271/write.ts';

export interface GoldenScenario {
  readonly name: string;
  readonly description: string;
  readonly write: () => string;
}

export const INTERCHANGE: InterchangeOptions = {
  senderQualifier: 'ZZ',
  senderId: 'OPENRCM',
  receiverQualifier: 'ZZ',
  receiverId: 'SIMCLEARING',
  date: '2026-03-01',
  time: '1830',
  controlNumber: 101,
  usage: 'T',
  newlines: true,
};

export const ENVELOPE_270: EligibilityEnvelope = {
  interchange: INTERCHANGE,
  senderCode: 'OPENRCM',
  receiverCode: 'SIMCLEARING',
  groupControlNumber: 101,
  firstTransactionControlNumber: 1,
};

export const INQUIRY_HEADER: InquiryHeader = {
  referenceId: 'ELIG20260302',
  date: '2026-03-01',
  time: '1830',
};

const payerA = { name: 'SUMMIT HEALTH PLAN', id: '60054' };
const payerB = { name: 'RIVERSIDE MUTUAL', id: '87726' };
const clinic = { npi: '1245319599', organizationName: 'MAPLE FAMILY MEDICINE', taxonomy: '207Q00000X' };

/** Three checks for the clinic's 2026-03-02 schedule: a subscriber, a child on a parent's plan, a secondary. */
export const REQUESTS: readonly EligibilityRequest[] = [
  {
    traceNumber: 'CHK-0001',
    traceOriginator: '1876543210',
    payer: payerA,
    provider: clinic,
    subscriber: {
      memberId: 'SHP100200300',
      lastName: 'RIVERA',
      firstName: 'ANA',
      birthDate: '1984-07-12',
      gender: 'F',
      groupNumber: 'GRP5501',
    },
    serviceDate: '2026-03-02',
    serviceTypes: ['30'],
  },
  {
    traceNumber: 'CHK-0002',
    traceOriginator: '1876543210',
    payer: payerA,
    provider: clinic,
    subscriber: {
      memberId: 'SHP400500600',
      lastName: 'OKAFOR',
      firstName: 'DANIEL',
      birthDate: '1979-02-03',
      gender: 'M',
    },
    dependent: {
      lastName: 'OKAFOR',
      firstName: 'AMARA',
      birthDate: '2015-09-21',
      gender: 'F',
      relationship: '19',
    },
    serviceDate: '2026-03-02',
    serviceTypes: ['30', '98'],
  },
  {
    traceNumber: 'CHK-0003',
    traceOriginator: '1876543210',
    payer: payerB,
    provider: clinic,
    subscriber: {
      memberId: 'RM77881',
      lastName: 'RIVERA',
      firstName: 'ANA',
      birthDate: '1984-07-12',
      gender: 'F',
    },
    serviceDate: '2026-03-02',
  },
];

/** The 270s of {@link REQUESTS}, as typed transactions (the 271 scenarios answer them). */
export function inquiries(): EligibilityTransaction[] {
  return REQUESTS.map((r) => buildEligibilityInquiry(r, INQUIRY_HEADER));
}

export const SCENARIOS: readonly GoldenScenario[] = [
  {
    name: 'batch',
    description: 'a nightly batch: subscriber, dependent child (2000D) and a secondary coverage, one ST each',
    write: () => writeEligibilityInterchange(inquiries(), ENVELOPE_270),
  },
];
