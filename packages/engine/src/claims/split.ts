/**
 * Claim split rules (pure): which claims one encounter's charges become. A claim holds at most
 * `MAX_LINES_PER_CLAIM` service lines (the 837P 2400 loop repeats at most 50 times), so more charges make more
 * claims; a payer that takes one rendering provider per claim (`claim_per_rendering_provider`) gets one claim per
 * provider who rendered the charges. Charges keep their order (line number) within each claim; the claims come
 * per provider in the order of each provider's first charge, then 50 lines at a time.
 */

/** The 837P 2400 loop limit: service lines per claim. */
export const MAX_LINES_PER_CLAIM = 50;

export interface SplitCharge {
  readonly chargeId: number;
  /** The charge's own rendering provider, or undefined for the encounter's. */
  readonly renderingProviderId?: number;
}

export interface ClaimPart {
  /** The claim's rendering provider (2310B). */
  readonly renderingProviderId: number;
  /** The claim's charges, in line order; at most MAX_LINES_PER_CLAIM. */
  readonly charges: readonly {
    readonly chargeId: number;
    /** The line's rendering provider where it is not the claim's (2420A), else undefined. */
    readonly lineRenderingProviderId?: number;
  }[];
}

/**
 * The claims of one encounter: `charges` in line order, `encounterRenderingProviderId` the encounter's
 * provider, `perRenderingProvider` the payer's rule. An encounter without charges makes no claim.
 */
export function splitEncounter(
  charges: readonly SplitCharge[],
  encounterRenderingProviderId: number,
  perRenderingProvider: boolean,
  maxLines: number = MAX_LINES_PER_CLAIM,
): ClaimPart[] {
  const groups = new Map<number, SplitCharge[]>();
  for (const c of charges) {
    const key = perRenderingProvider
      ? (c.renderingProviderId ?? encounterRenderingProviderId)
      : encounterRenderingProviderId;
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [c]);
    else list.push(c);
  }
  const parts: ClaimPart[] = [];
  for (const [rendering, list] of groups) {
    for (let from = 0; from < list.length; from += maxLines) {
      parts.push({
        renderingProviderId: rendering,
        charges: list.slice(from, from + maxLines).map((c) => {
          const own = c.renderingProviderId ?? encounterRenderingProviderId;
          return own === rendering
            ? { chargeId: c.chargeId }
            : { chargeId: c.chargeId, lineRenderingProviderId: own };
        }),
      });
    }
  }
  return parts;
}
