/** Test support: claims written as one 837P interchange the way submission writes a batch (fixed test parties). */
import { write837P } from '@openrcm/x12/837p';
import type { Claim } from '../claims/model.ts';
import { toBatch837P } from './to837p.ts';

/** The claims as an 837P interchange dated `date` `time` (control numbers 1), sender OPENRCM, receiver SIMCH. */
export function testInterchange(claims: readonly Claim[], date = '2026-02-05', time = '0600'): string {
  const batch = toBatch837P(
    claims,
    {
      submitterName: 'OPENRCM BILLING',
      submitterId: 'OPENRCM',
      contactName: 'BILLING DESK',
      contactPhone: '8005550100',
      receiverName: 'SIM CLEARINGHOUSE',
      receiverId: 'SIMCH',
    },
    '1',
    { date, time },
  );
  return write837P(batch, {
    senderQualifier: 'ZZ',
    senderId: 'OPENRCM',
    receiverQualifier: 'ZZ',
    receiverId: 'SIMCH',
    date,
    time,
    controlNumber: 1,
    usage: 'T',
    applicationSenderCode: 'OPENRCM',
    applicationReceiverCode: 'SIMCH',
    groupControlNumber: 1,
    transactionControlNumber: 1,
  });
}
