/**
 * Payer rules over time. A real payer's published manual is partial (some of its rules are in no companion
 * guide or bulletin a billing company reads) and stale (the payer adopts new rules during the year, effective
 * after the manual the billing company loaded). The simulation models both:
 *
 * - partial: each profile lists the policy parts it does not publish (`PayerProfile.unpublished`); the
 *   payer applies them all the same (./policy-export.ts leaves them out of the manual);
 * - stale: each profile lists rule changes (`PayerProfile.ruleChanges`) that take effect a number of days
 *   after the data set's first date of service, drawn per seed from the change's window. The manual is as of
 *   the first date of service, so none of them is in it; claims with a date of service on or after the
 *   effective date are adjudicated under the new rule, and the generator records the denials they cause in
 *   its ground truth (the practice did not know either).
 *
 * Deterministic: the effective dates come from `new Rng(seed).fork('payer-rules/<payer>/<change>')`.
 */
import { addDays } from '../dates.ts';
import { Rng } from '../prng.ts';
import type { PtpPair } from '../data/ncci.ts';
import { PAYER_PROFILES } from './profiles.ts';
import type { NonCovered, PayerProfile } from './profiles.ts';

/** The parts of a payer's policy a manual can publish (the `openrcm-payer-policies/1` lists). */
export const POLICY_PARTS = [
  'priorAuthorizationCodes',
  'nonCoveredCodes',
  'medicalNecessity',
  'bundlingPairs',
] as const;
export type PolicyPart = (typeof POLICY_PARTS)[number];

/** A rule a payer adopts during the simulated period. */
export interface RuleChange {
  /** Stable name (part of the random stream label and of the ground truth's detail). */
  readonly id: string;
  /** Effective this many days after the data set's first date of service, uniform in [min, max]. */
  readonly afterDays: readonly [number, number];
  readonly priorAuthCodes?: readonly string[];
  readonly nonCovered?: readonly NonCovered[];
  /** New or replaced medical-necessity lists (code -> supporting ICD-10-CM codes). */
  readonly medicalNecessity?: Readonly<Record<string, readonly string[]>>;
  readonly bundlingPairs?: readonly PtpPair[];
}

/** A rule change with its effective date for one seed and start date. */
export interface DatedRuleChange {
  readonly payerId: string;
  readonly change: RuleChange;
  readonly effectiveFrom: string;
}

/**
 * Every payer's rule changes for a data set (sorted by payer id, then effective date, then id): what the
 * payers apply from the effective dates, and what no manual as of `startDate` contains.
 */
export function ruleTimeline(
  seed: number | string,
  startDate: string,
  profiles: readonly PayerProfile[] = PAYER_PROFILES,
): DatedRuleChange[] {
  const root = new Rng(seed);
  const out: DatedRuleChange[] = [];
  for (const p of profiles)
    for (const change of p.ruleChanges) {
      const [min, max] = change.afterDays;
      const days = root.fork(`payer-rules/${p.payerId}/${change.id}`).int(min, max);
      out.push({ payerId: p.payerId, change, effectiveFrom: addDays(startDate, days) });
    }
  return out.sort((a, b) =>
    a.payerId !== b.payerId
      ? a.payerId < b.payerId
        ? -1
        : 1
      : a.effectiveFrom !== b.effectiveFrom
        ? a.effectiveFrom < b.effectiveFrom
          ? -1
          : 1
        : a.change.id < b.change.id
          ? -1
          : a.change.id > b.change.id
            ? 1
            : 0,
  );
}

const merged = new WeakMap<readonly DatedRuleChange[], Map<number, PayerProfile>>();

/**
 * The payer's rules in force on `date`: its profile with every change of `changes` (that payer's, sorted by
 * date) effective on or before it. Returns the same object for the same set of changes (cached).
 */
export function rulesOn(
  profile: PayerProfile,
  changes: readonly DatedRuleChange[],
  date: string,
): PayerProfile {
  let k = 0;
  while (k < changes.length && (changes[k]?.effectiveFrom ?? '') <= date) k++;
  if (k === 0) return profile;
  let cache = merged.get(changes);
  if (!cache) {
    cache = new Map();
    merged.set(changes, cache);
  }
  const hit = cache.get(k);
  if (hit) return hit;
  let p: PayerProfile = profile;
  for (const { change: c } of changes.slice(0, k)) {
    p = {
      ...p,
      priorAuthCodes: c.priorAuthCodes ? [...p.priorAuthCodes, ...c.priorAuthCodes] : p.priorAuthCodes,
      nonCovered: c.nonCovered ? [...p.nonCovered, ...c.nonCovered] : p.nonCovered,
      medicalNecessity: c.medicalNecessity
        ? { ...p.medicalNecessity, ...c.medicalNecessity }
        : p.medicalNecessity,
      bundlingPairs: c.bundlingPairs ? [...p.bundlingPairs, ...c.bundlingPairs] : p.bundlingPairs,
    };
  }
  cache.set(k, p);
  return p;
}

/** One payer's dated changes out of a timeline (kept as one array per payer, so `rulesOn` caches work). */
export function changesByPayer(
  timeline: readonly DatedRuleChange[],
): Map<string, readonly DatedRuleChange[]> {
  const m = new Map<string, DatedRuleChange[]>();
  for (const c of timeline) {
    const list = m.get(c.payerId);
    if (list) list.push(c);
    else m.set(c.payerId, [c]);
  }
  return m;
}
