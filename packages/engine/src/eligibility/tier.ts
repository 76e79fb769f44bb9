import type { BenefitInformation } from '@openrcm/x12/270-271';

/**
 * Office-visit copay tiers. Plans that charge a different copay for a primary care and a specialist visit
 * answer a 271 with one EB*B (co-payment) per tier for service type 98 (professional office visit), the tier
 * named in the 2110 MSG of each: 005010X279A1 has no code for "specialist", and X12's answer to RFI 1779
 * (PCP vs specialist copays) is MSG01 text on the EB loop that carries the copay. A payer told who the
 * patient is seeing (2100B NM1*1P with the NPI and PRV*PE with the taxonomy) may answer only that tier.
 * The coverage on file holds one copay: the one of the practice's providers, so the comparison takes the
 * copay of the tier of the provider the appointment is with.
 */
export type CopayTier = 'primary_care' | 'specialist';

/**
 * NUCC taxonomies counted as primary care for the copay tier: family medicine, internal medicine, general
 * practice, pediatrics, and the family, primary care, adult health, pediatric and gerontology nurse
 * practitioners. Every other individual taxonomy is a specialist.
 */
const PRIMARY_CARE = new Set([
  '207Q00000X',
  '207QA0505X',
  '207QG0300X',
  '207R00000X',
  '207RG0300X',
  '208D00000X',
  '208000000X',
  '363LF0000X',
  '363LP2300X',
  '363LA2200X',
  '363LP0200X',
  '363LG0600X',
]);

/** The tier of a provider by taxonomy; undefined when the taxonomy is unknown. */
export function copayTierOf(taxonomy: string | null | undefined): CopayTier | undefined {
  if (taxonomy === null || taxonomy === undefined || taxonomy === '') return undefined;
  return PRIMARY_CARE.has(taxonomy) ? 'primary_care' : 'specialist';
}

/** The tier a payer names in an EB's MSG text, if any. */
export function tierOfMessages(messages: readonly string[]): CopayTier | undefined {
  for (const m of messages) {
    const t = m.toUpperCase();
    if (/\bSPECIALIST\b|\bSPECIALTY\b/.test(t)) return 'specialist';
    if (/\bPRIMARY CARE\b|\bPCP\b/.test(t)) return 'primary_care';
  }
  return undefined;
}

const inNetwork = (b: BenefitInformation): boolean =>
  b.inPlanNetwork === undefined || b.inPlanNetwork === 'Y' || b.inPlanNetwork === 'W';

/**
 * The in-network office-visit copay for a tier, read from the 271 EB segments of one member, among the EB*B
 * of service type 98 (else 30, else 1, else none given): a single copay is the payer's answer for the
 * provider asked about, whatever tier its MSG names; of several, the one whose MSG names the tier, else one
 * that names none. Undefined when the payer gave no copay, or several for other tiers only.
 */
export function officeVisitCopay(
  benefits: readonly BenefitInformation[],
  tier: CopayTier | undefined,
): { cents: number; tier?: CopayTier } | undefined {
  const copays = benefits.filter((b) => b.code === 'B' && b.amountCents !== undefined && inNetwork(b));
  let candidates: BenefitInformation[] = [];
  for (const st of ['98', '30', '1']) {
    candidates = copays.filter((b) => b.serviceTypes.includes(st));
    if (candidates.length > 0) break;
  }
  if (candidates.length === 0) candidates = copays.filter((b) => b.serviceTypes.length === 0);
  const read = (b: BenefitInformation): { cents: number; tier?: CopayTier } => {
    const t = tierOfMessages(b.messages);
    return t === undefined ? { cents: b.amountCents ?? 0 } : { cents: b.amountCents ?? 0, tier: t };
  };
  const [first, ...rest] = candidates;
  if (first === undefined) return undefined;
  if (rest.length === 0) return read(first);
  const all = candidates.map(read);
  return (
    (tier === undefined ? undefined : all.find((x) => x.tier === tier)) ??
    all.find((x) => x.tier === undefined)
  );
}
