/**
 * 277CA writer scenario: the clearinghouse acknowledges an 837P batch of four claims from two billing
 * providers, three accepted and one rejected. Built with `buildClaimAcknowledgement`. Synthetic data.
 * Regenerate with `scripts/regen-golden-claim-status.ts`.
 */
import { buildClaimAcknowledgement } from '../../../src/tx277ca/build.ts';
import type { ClaimAcknowledgementTransaction } from '../../../src/tx277ca/types.ts';
import { writeClaimAcknowledgementInterchange } from '../../../src/tx277ca/write.ts';
import type { ClaimStatusEnvelope } from '../../../src/tx276277/write.ts';
import { INTERCHANGE, type GoldenScenario } from '../276/scenarios.ts';

export const ENVELOPE_277CA: ClaimStatusEnvelope = {
  interchange: {
    ...INTERCHANGE,
    senderId: 'SIMCLEARING',
    receiverId: 'OPENRCM',
    date: '2026-03-03',
    time: '2210',
    controlNumber: 9303,
  },
  senderCode: 'SIMCLEARING',
  receiverCode: 'OPENRCM',
  groupControlNumber: 9303,
};

export function acceptedAndRejected(): ClaimAcknowledgementTransaction {
  return buildClaimAcknowledgement({
    referenceId: 'ACK20260303001',
    date: '2026-03-03',
    time: '2210',
    source: { entity: 'AY', name: 'SIM CLEARINGHOUSE', idQualifier: '46', id: 'SIMCLEARING' },
    sourceTrace: 'SIM-BATCH-7781',
    receivedDate: '2026-03-03',
    processedDate: '2026-03-03',
    receiver: { name: 'OPENRCM BILLING', etin: 'ORCM01' },
    batchReference: 'B20260303A',
    providers: [
      {
        npi: '1245319599',
        organizationName: 'MAPLE FAMILY MEDICINE',
        claims: [
          {
            patientControlNumber: 'PCN2026000101',
            patient: { lastName: 'RIVERA', firstName: 'ANA', memberId: 'SHP100200300' },
            statuses: [{ category: 'A2', status: '20' }],
            chargeCents: 24500,
            payerClaimControlNumber: '2026061000123',
            clearinghouseTrace: 'SIM000000101',
            serviceDate: '2026-02-26',
          },
          {
            patientControlNumber: 'PCN2026000104',
            patient: { lastName: 'PATEL', firstName: 'RAVI', memberId: 'SHP900100200' },
            statuses: [{ category: 'A7', status: '562', entity: '85' }],
            chargeCents: 9900,
            clearinghouseTrace: 'SIM000000104',
            serviceDate: '2026-03-01',
            message: 'BILLING PROVIDER NPI NOT ON FILE WITH PAYER',
          },
        ],
      },
      {
        npi: '1679576722',
        lastName: 'CHEN',
        firstName: 'LILY',
        trace: 'PRV-CHEN',
        claims: [
          {
            patientControlNumber: 'PCN2026000105',
            patient: { lastName: 'NGUYEN', firstName: 'BAO', memberId: 'SHP700800900' },
            statuses: [{ category: 'A2', status: '20' }],
            chargeCents: 18000,
            payerClaimControlNumber: '2026071000456',
            clearinghouseTrace: 'SIM000000105',
            serviceDate: '2026-02-27',
            serviceDateEnd: '2026-02-28',
          },
          {
            patientControlNumber: 'PCN2026000106',
            patient: { lastName: 'OKAFOR', firstName: 'AMARA', memberId: 'SHP400500600' },
            statuses: [{ category: 'A1', status: '19' }],
            chargeCents: 13550,
            clearinghouseTrace: 'SIM000000106',
            serviceDate: '2026-03-02',
          },
        ],
      },
    ],
  });
}

export const SCENARIOS: readonly GoldenScenario[] = [
  {
    name: 'accepted-and-rejected',
    description: 'one batch, two providers: three claims accepted (A1/A2), one rejected (A7:562:85)',
    write: () => writeClaimAcknowledgementInterchange([acceptedAndRejected()], ENVELOPE_277CA),
  },
];
