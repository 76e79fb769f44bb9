import type { Claim837P, Party, Reference } from './model.ts';

/** NM109 when NM108 is `qualifier` (XX NPI, MI member id, PI payer id, 46 ETIN), else undefined. */
export function partyId(party: Party | undefined, qualifier: string): string | undefined {
  return party?.name.idQualifier === qualifier ? party.name.id : undefined;
}

/** The first REF02 with REF01 = `qualifier` (EI tax id, SY SSN, G2 payer provider id, ...). */
export function referenceValue(
  refs: Party | readonly Reference[] | undefined,
  qualifier: string,
): string | undefined {
  const list = refs === undefined ? [] : 'references' in refs ? refs.references : refs;
  return list.find((r) => r.qualifier === qualifier)?.value;
}

/** The billing provider's NPI (2010AA NM109 with NM108 = XX). */
export function billingNpi(claim: Claim837P): string | undefined {
  return partyId(claim.billingProvider.provider, 'XX');
}

/** The NPI that rendered the claim: 2310B, else the billing provider (837P TR3: 2310B only when different). */
export function renderingNpi(claim: Claim837P): string | undefined {
  return partyId(claim.providers.rendering, 'XX') ?? billingNpi(claim);
}

/** The subscriber's member id (2010BA NM109 with NM108 = MI). */
export function memberId(claim: Claim837P): string | undefined {
  return partyId(claim.subscriber.person, 'MI');
}

/** The destination payer's id (2010BB NM109 with NM108 = PI, or XV for the CMS plan id). */
export function payerId(claim: Claim837P): string | undefined {
  return partyId(claim.payer, 'PI') ?? partyId(claim.payer, 'XV');
}

/** First and last date of service over the claim's lines (DTP*472), or undefined when no line has one. */
export function serviceDateRange(
  claim: Claim837P,
): { readonly from: string; readonly to: string } | undefined {
  let from: string | undefined;
  let to: string | undefined;
  for (const l of claim.lines) {
    if (l.serviceDate === undefined) continue;
    const end = l.serviceDateThrough ?? l.serviceDate;
    if (from === undefined || l.serviceDate < from) from = l.serviceDate;
    if (to === undefined || end > to) to = end;
  }
  return from === undefined || to === undefined ? undefined : { from, to };
}
