/**
 * 277 answers to 276 claim status inquiries (005010X212) from what the simulated payers did with each
 * claim: not found (A4 35), in process (P1 20), adjudicated and awaiting the payment cycle (F0 3), paid
 * (F1 65, with the amount, check date and EFT trace) or denied (F2 107). The claim is found by the payer
 * claim number (REF*1K) when the inquiry has one, else by the patient control number (REF*EJ = CLM01).
 */
import {
  claimStatusResponse,
  type ClaimStatusAnswer,
  type ClaimStatusTracking,
  type ClaimStatusTransaction,
  type StatusInformation,
} from '@openrcm/x12/276-277';

/** What the clearinghouse knows about one claim at one payer. */
export interface ClaimRecord {
  readonly payerClaimNumber: string;
  readonly state: 'queued' | 'adjudicated' | 'paid';
  readonly chargeCents: number;
  readonly paidCents: number;
  readonly allDenied: boolean;
  readonly adjudicationDate: string | null;
  /** Payment (BPR16) date and TRN02 trace, once an ERA carried the claim (or the paper check date). */
  readonly paymentDate: string | null;
  readonly trace: string | null;
}

const ref = (t: ClaimStatusTracking, q: string): string | undefined =>
  t.references.find((r) => r.qualifier === q)?.value;

function statusOf(r: ClaimRecord, today: string): StatusInformation {
  const base = { effectiveDate: today, chargeCents: r.chargeCents };
  switch (r.state) {
    case 'queued':
      return { ...base, statuses: [{ category: 'P1', status: '20' }] };
    case 'adjudicated':
      return {
        ...base,
        statuses: [{ category: 'F0', status: '3' }],
        paidCents: r.paidCents,
        ...(r.adjudicationDate === null ? {} : { adjudicationDate: r.adjudicationDate }),
      };
    case 'paid':
      return {
        ...base,
        statuses: [r.allDenied ? { category: 'F2', status: '107' } : { category: 'F1', status: '65' }],
        paidCents: r.paidCents,
        ...(r.adjudicationDate === null ? {} : { adjudicationDate: r.adjudicationDate }),
        ...(r.paymentDate === null || r.trace === null
          ? {}
          : {
              paymentMethod: r.paidCents > 0 ? 'ACH' : 'NON',
              checkDate: r.paymentDate,
              checkNumber: r.trace,
            }),
      };
  }
}

/**
 * Answers one 276. `find(payerId, payerClaimNumber, clm01)` returns the payer's record of the claim.
 * Returns the 277 and how many claims were asked about.
 */
export function answer276(
  request: ClaimStatusTransaction,
  find: (
    payerId: string,
    payerClaimNumber: string | undefined,
    clm01: string | undefined,
  ) => ClaimRecord | undefined,
  today: string,
): { response: ClaimStatusTransaction; questions: number } {
  // The answer callback sees one claim at a time: remember which payer (2100A) each claim was asked of.
  const payerOf = new Map<ClaimStatusTracking, string>();
  for (const a of request.sources) {
    const payerId = a.name.id ?? '';
    for (const b of a.receivers)
      for (const c of b.providers)
        for (const d of c.subscribers) {
          for (const t of d.tracking) payerOf.set(t, payerId);
          for (const e of d.dependents) for (const t of e.tracking) payerOf.set(t, payerId);
        }
  }
  let questions = 0;
  const answer = (t: ClaimStatusTracking): ClaimStatusAnswer => {
    questions++;
    const r = find(payerOf.get(t) ?? '', ref(t, '1K'), ref(t, 'EJ'));
    if (!r) return { statuses: [{ statuses: [{ category: 'A4', status: '35' }], effectiveDate: today }] };
    const others = t.references.filter((x) => x.qualifier !== '1K');
    return {
      statuses: [statusOf(r, today)],
      references: [{ qualifier: '1K', value: r.payerClaimNumber }, ...others],
    };
  };
  return { response: claimStatusResponse(request, { date: today, time: '1200' }, answer), questions };
}
