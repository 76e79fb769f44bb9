/**
 * 276 writer scenarios (AR follow-up asking a payer about open claims). Synthetic data only; NPIs carry valid
 * check digits. Regenerate with `scripts/regen-golden-claim-status.ts`.
 */
import type { InterchangeOptions } from '../../../src/core/writer.ts';
import { buildClaimStatusRequest, type ClaimStatusQuery } from '../../../src/tx276277/build.ts';
import type { ClaimStatusTransaction } from '../../../src/tx276277/types.ts';
import { writeClaimStatusInterchange, type ClaimStatusEnvelope } from '../../../src/tx276277/write.ts';

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
  date: '2026-04-15',
  time: '0800',
  controlNumber: 202,
  usage: 'T',
  newlines: true,
};

export const ENVELOPE_276: ClaimStatusEnvelope = {
  interchange: INTERCHANGE,
  senderCode: 'OPENRCM',
  receiverCode: 'SIMCLEARING',
  groupControlNumber: 202,
};

const payer = { name: 'SUMMIT HEALTH PLAN', id: '60054' };
const receiver = { name: 'OPENRCM BILLING', etin: 'ORCM01' };
const clinic = { npi: '1245319599', organizationName: 'MAPLE FAMILY MEDICINE' };

/** Three claims aging past 45 days: two for subscribers, one for a dependent child. */
export const QUERIES: readonly ClaimStatusQuery[] = [
  {
    traceNumber: 'CSR-00001',
    payer,
    receiver,
    provider: clinic,
    subscriber: {
      lastName: 'RIVERA',
      firstName: 'ANA',
      memberId: 'SHP100200300',
      birthDate: '1984-07-12',
      gender: 'F',
    },
    patientControlNumber: 'PCN2026000101',
    payerClaimControlNumber: '2026061000123',
    chargeCents: 24500,
    serviceDate: '2026-02-26',
  },
  {
    traceNumber: 'CSR-00002',
    payer,
    receiver,
    provider: clinic,
    subscriber: {
      lastName: 'NGUYEN',
      firstName: 'BAO',
      memberId: 'SHP700800900',
      birthDate: '1990-11-30',
      gender: 'M',
    },
    patientControlNumber: 'PCN2026000102',
    chargeCents: 18000,
    serviceDate: '2026-02-27',
    serviceDateEnd: '2026-02-28',
  },
  {
    traceNumber: 'CSR-00003',
    payer,
    receiver,
    provider: clinic,
    subscriber: { lastName: 'OKAFOR', firstName: 'DANIEL', memberId: 'SHP400500600' },
    patient: { lastName: 'OKAFOR', firstName: 'AMARA', birthDate: '2015-09-21', gender: 'F' },
    patientControlNumber: 'PCN2026000103',
    chargeCents: 13550,
    serviceDate: '2026-03-02',
  },
];

export function request(): ClaimStatusTransaction {
  return buildClaimStatusRequest(QUERIES, { referenceId: 'AR20260415', date: '2026-04-15', time: '0800' });
}

export const SCENARIOS: readonly GoldenScenario[] = [
  {
    name: 'claim-level',
    description: 'claim-level status request for three claims (subscriber and dependent patients)',
    write: () => writeClaimStatusInterchange([request()], ENVELOPE_276),
  },
];
