/**
 * The simulated payers' published policy manual as JSON: what a real payer publishes in its companion guide,
 * prior-authorization list and coverage bulletins, and what a billing company types into its scrubber. It is
 * the input of `openrcm scrubber policies import FILE.json` (format `openrcm-payer-policies/1`, documented in
 * packages/engine/src/scrubber/README.md). Not adjudication code: the payers in ./adjudicate.ts apply these
 * policies; this only publishes them.
 *
 * The manual is partial and stale, like a real one (./policy.ts): the policy parts a payer does not publish
 * (`PayerProfile.unpublished`) are left out, and it is as of the data set's first date of service, so the
 * rules the payers adopt during the period are not in it (a later edition: `{ asOf, seed, startDate }`).
 *
 * What is left out, because OpenRCM already knows it from elsewhere:
 * - bundling pairs and unit limits that are the CMS NCCI PTP pairs / MUE values (the scrubber's built-in
 *   `ncci-ptp` and `mue-units` rules check those from the code sets; publishing them again would report
 *   every finding twice);
 * - the member id format, which the payer file (payers.jsonl `memberIdPattern`) already carries.
 */
import { PTP_PAIRS, type PtpPair } from '../data/ncci.ts';
import { PROCEDURES } from '../data/procedures.ts';
import { PAYER_PROFILES, type PayerProfile } from './profiles.ts';
import { changesByPayer, ruleTimeline, rulesOn } from './policy.ts';

export const PAYER_POLICY_FORMAT = 'openrcm-payer-policies/1';

/** One payer's published policies (every field optional in the format; empty lists are left out). */
export interface PublishedPayerPolicy {
  readonly priorAuthorizationCodes?: readonly string[];
  readonly timelyFilingDays: number;
  readonly nonCoveredCodes?: readonly string[];
  readonly medicalNecessity?: Readonly<Record<string, readonly string[]>>;
  readonly bundlingPairs?: readonly PtpPair[];
  readonly unitLimits?: Readonly<Record<string, number>>;
}

export interface PayerPolicyManual {
  readonly format: typeof PAYER_POLICY_FORMAT;
  /** Payer code (the X12 payer id of payers.jsonl `payerId`) → its policies. */
  readonly payers: Readonly<Record<string, PublishedPayerPolicy>>;
}

const NCCI_PAIRS = new Map(PTP_PAIRS.map(([a, b, mi]) => [`${a}|${b}`, mi]));
const MUE = new Map(PROCEDURES.filter((p) => p.mue > 0).map((p) => [p.code, p.mue]));

function publish(p: PayerProfile): PublishedPayerPolicy {
  const hidden = new Set(p.unpublished);
  // A pair NCCI has with the same modifier indicator is the scrubber's built-in edit already.
  const bundling = p.bundlingPairs.filter(([a, b, mi]) => NCCI_PAIRS.get(`${a}|${b}`) !== mi);
  const units = Object.entries(p.unitLimits).filter(([code, n]) => MUE.get(code) !== n);
  const necessity = Object.entries(p.medicalNecessity).filter(([, dx]) => dx.length > 0);
  return {
    timelyFilingDays: p.timelyFilingDays,
    ...(p.priorAuthCodes.length > 0 && !hidden.has('priorAuthorizationCodes')
      ? { priorAuthorizationCodes: [...new Set(p.priorAuthCodes)].sort() }
      : {}),
    ...(p.nonCovered.length > 0 && !hidden.has('nonCoveredCodes')
      ? { nonCoveredCodes: [...new Set(p.nonCovered.map((n) => n.code))].sort() }
      : {}),
    ...(necessity.length > 0 && !hidden.has('medicalNecessity')
      ? { medicalNecessity: Object.fromEntries(necessity) }
      : {}),
    ...(bundling.length > 0 && !hidden.has('bundlingPairs') ? { bundlingPairs: bundling } : {}),
    ...(units.length > 0 ? { unitLimits: Object.fromEntries(units) } : {}),
  };
}

/** A later edition of the manual: the rules in force on `asOf` for the data set of `seed` and `startDate`. */
export interface ManualEdition {
  readonly profiles?: readonly PayerProfile[];
  readonly asOf?: string;
  readonly seed?: number | string;
  readonly startDate?: string;
}

/**
 * The policy manual of every simulated payer (or of the given profiles), deterministic: what each payer
 * publishes of its rules as of the data set's start. With `asOf`, `seed` and `startDate`, the edition of
 * that date (rule changes effective by then included; unpublished parts still left out).
 */
export function payerPolicyManual(
  edition: readonly PayerProfile[] | ManualEdition = PAYER_PROFILES,
): PayerPolicyManual {
  const e: ManualEdition = Array.isArray(edition) ? { profiles: edition } : (edition as ManualEdition);
  const profiles = e.profiles ?? PAYER_PROFILES;
  const changes =
    e.asOf !== undefined && e.seed !== undefined && e.startDate !== undefined
      ? changesByPayer(ruleTimeline(e.seed, e.startDate, profiles))
      : null;
  const asOf = e.asOf ?? '';
  return {
    format: PAYER_POLICY_FORMAT,
    payers: Object.fromEntries(
      profiles.map((p) => [p.payerId, publish(changes ? rulesOn(p, changes.get(p.payerId) ?? [], asOf) : p)]),
    ),
  };
}
