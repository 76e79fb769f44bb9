/**
 * 277 writer scenario: the payer's answer to ../276/claim-level (paid, pending, denied), built with
 * `claimStatusResponse`. Synthetic data. Regenerate with `scripts/regen-golden-claim-status.ts`.
 */
import { writeClaimStatusInterchange, type ClaimStatusEnvelope } from '../../../src/tx276277/write.ts';
import { claimStatusResponse } from '../../../src/tx276277/build.ts';
import type { ClaimStatusTransaction } from '../../../src/tx276277/types.ts';
import { INTERCHANGE, request, type GoldenScenario } from '../276/scenarios.ts';

export const ENVELOPE_277: ClaimStatusEnvelope = {
  interchange: {
    ...INTERCHANGE,
    senderId: 'SIMCLEARING',
    receiverId: 'OPENRCM',
    time: '0815',
    controlNumber: 9202,
  },
  senderCode: 'SIMCLEARING',
  receiverCode: 'OPENRCM',
  groupControlNumber: 9202,
};

/** CSR-00001 paid by check, CSR-00002 pending in process, CSR-00003 denied (not eligible on that date). */
export function paidPendingDenied(): ClaimStatusTransaction {
  return claimStatusResponse(request(), { date: '2026-04-15', time: '0815' }, (claim) => {
    switch (claim.trace.referenceId) {
      case 'CSR-00001':
        return {
          statuses: [
            {
              statuses: [{ category: 'F1', status: '65' }],
              effectiveDate: '2026-03-20',
              chargeCents: 24500,
              paidCents: 17150,
              adjudicationDate: '2026-03-18',
              paymentMethod: 'CHK',
              checkDate: '2026-03-20',
              checkNumber: '0004412',
            },
          ],
        };
      case 'CSR-00002':
        return {
          statuses: [
            { statuses: [{ category: 'P1', status: '20' }], effectiveDate: '2026-04-14', chargeCents: 18000 },
          ],
          references: [
            { qualifier: '1K', value: '2026071000456' },
            { qualifier: 'EJ', value: 'PCN2026000102' },
          ],
        };
      case 'CSR-00003':
        return {
          statuses: [
            {
              statuses: [{ category: 'F2', status: '88', entity: 'QC' }],
              effectiveDate: '2026-04-02',
              chargeCents: 13550,
              paidCents: 0,
              adjudicationDate: '2026-04-02',
            },
          ],
          references: [
            { qualifier: '1K', value: '2026092000789' },
            { qualifier: 'EJ', value: 'PCN2026000103' },
          ],
        };
      default:
        return undefined;
    }
  });
}

export const SCENARIOS: readonly GoldenScenario[] = [
  {
    name: 'paid-pending-denied',
    description: 'claim status response: one paid (F1 with check), one pending (P1), one denied (F2)',
    write: () => writeClaimStatusInterchange([paidPendingDenied()], ENVELOPE_277),
  },
];
