import type { Adjustment, Claim837P } from './model.ts';

/** One coordination-of-benefits rule a claim breaks; indexes point into `otherPayers` / `lines` / `adjudications`. */
export type CobProblem =
  | { readonly kind: 'payer-sequence'; readonly payer: number }
  | { readonly kind: 'missing-other-payer' }
  | { readonly kind: 'cob-payer-id'; readonly line: number; readonly adjudication: number }
  | { readonly kind: 'balance-cob-line'; readonly line: number; readonly adjudication: number }
  | { readonly kind: 'balance-cob-claim'; readonly payer: number };

/** Σ of the CAS amounts of some adjustment segments, in cents. */
export function sumAdjustments(adjustments: readonly Adjustment[]): number {
  let s = 0;
  for (const a of adjustments) for (const i of a.items) s += i.amountCents;
  return s;
}

/**
 * The 837P COB rules (005010X222A1 2320 / 2430 notes), as a pure check the reader reports and the writer
 * enforces:
 * - every payer of the claim has its own responsibility sequence (2000B SBR01 and each 2320 SBR01);
 * - a claim to a secondary (S) or tertiary (T) payer carries the earlier payers in 2320;
 * - each 2430 SVD01 names a prior payer (a 2330B NM109);
 * - each adjudicated line balances: SV102 = SVD02 + Σ 2430 CAS (bundled lines, SVD06, excepted);
 * - each prior payer balances: CLM02 − Σ 2320 CAS − Σ its 2430 CAS = 2320 AMT*D.
 */
export function cobProblems(
  claim: Pick<Claim837P, 'subscriber' | 'claim' | 'otherPayers' | 'lines'>,
): CobProblem[] {
  const out: CobProblem[] = [];
  const seen = new Set([claim.subscriber.payerResponsibility]);
  claim.otherPayers.forEach((o, payer) => {
    if (o.payerResponsibility !== '' && o.payerResponsibility !== 'U' && seen.has(o.payerResponsibility)) {
      out.push({ kind: 'payer-sequence', payer });
    }
    seen.add(o.payerResponsibility);
  });
  const seq = claim.subscriber.payerResponsibility;
  if ((seq === 'S' || seq === 'T') && claim.otherPayers.length === 0)
    out.push({ kind: 'missing-other-payer' });
  const payerIds = new Set<string>();
  for (const o of claim.otherPayers) if (o.payer.name.id !== undefined) payerIds.add(o.payer.name.id);
  claim.lines.forEach((l, line) => {
    l.adjudications.forEach((a, adjudication) => {
      if (!payerIds.has(a.payerId)) out.push({ kind: 'cob-payer-id', line, adjudication });
      if (
        a.bundledLineNumber === undefined &&
        l.chargeCents !== a.paidCents + sumAdjustments(a.adjustments)
      ) {
        out.push({ kind: 'balance-cob-line', line, adjudication });
      }
    });
  });
  claim.otherPayers.forEach((o, payer) => {
    if (o.paidCents === undefined) return;
    let lineAdjustments = 0;
    for (const l of claim.lines) {
      for (const a of l.adjudications)
        if (a.payerId === o.payer.name.id) lineAdjustments += sumAdjustments(a.adjustments);
    }
    if (claim.claim.totalChargeCents - sumAdjustments(o.adjustments) - lineAdjustments !== o.paidCents) {
      out.push({ kind: 'balance-cob-claim', payer });
    }
  });
  return out;
}

/** A one-line explanation of a COB problem (element names only, no values). */
export function describeCobProblem(p: CobProblem): string {
  switch (p.kind) {
    case 'payer-sequence':
      return '2320 SBR01 repeats the responsibility sequence of another payer of this claim';
    case 'missing-other-payer':
      return '2320 other subscriber information is required for the earlier payers of a secondary or tertiary claim';
    case 'cob-payer-id':
      return '2430 SVD01 does not match the NM109 of any 2330B other payer';
    case 'balance-cob-line':
      return '2430 SV102 does not equal SVD02 plus the 2430 CAS adjustments';
    case 'balance-cob-claim':
      return '2320 CLM02 minus the claim and line CAS adjustments of this payer does not equal its AMT*D paid amount';
  }
}
