/**
 * A first-pass run: every naive claim of a data set adjudicated once by its payer, in receipt order, with
 * accumulators and duplicate history carried per payer. Reports the realism figures of issue 4 and how the
 * outcomes line up with the generator's ground truth.
 */
import type { Dataset } from '../types.ts';
import { ZERO_ACCUMULATOR, adjudicate } from './adjudicate.ts';
import type { Accumulator, ClaimOutcome } from './adjudicate.ts';
import { buildPayerWorlds, naiveClaims } from './world.ts';

export interface FirstPassReport {
  claims: number;
  rejected: number;
  adjudicated: number;
  /** Claims with at least one denied line on their first adjudication. */
  deniedClaims: number;
  rejectionRate: number;
  denialRate: number;
  /** Denied lines by 'GROUP-CARC'. */
  byCarc: Record<string, number>;
  /** Encounter-scope ground-truth rows expecting a denial (deny:* and hold:*). */
  expectedDenials: number;
  /** Of those, how many claims carry exactly the expected CARC (or CO-B7 for a credentialing hold). */
  matched: number;
  /** Denied claims with no ground-truth row at all. */
  unexplained: string[];
  outcomes: Map<string, ClaimOutcome>;
}

export function firstPassRun(ds: Dataset): FirstPassReport {
  const worlds = buildPayerWorlds(ds);
  const claims = naiveClaims(ds).sort((a, b) =>
    a.receivedDate < b.receivedDate
      ? -1
      : a.receivedDate > b.receivedDate
        ? 1
        : a.claimId < b.claimId
          ? -1
          : 1,
  );
  const acc = new Map<string, Accumulator>();
  const history = new Map<string, Set<string>>();
  const outcomes = new Map<string, ClaimOutcome>();
  const byCarc: Record<string, number> = {};
  let rejected = 0;
  let deniedClaims = 0;
  for (const claim of claims) {
    const world = worlds.get(claim.payerId);
    if (!world) continue;
    const year = claim.lines[0]?.dateOfService.slice(0, 4) ?? '';
    const accKey = `${claim.payerId}|${claim.memberId}|${year}`;
    const seen = history.get(claim.payerId) ?? new Set<string>();
    history.set(claim.payerId, seen);
    const res = adjudicate({
      claim,
      world,
      accumulator: acc.get(accKey) ?? ZERO_ACCUMULATOR,
      priorLineKeys: seen,
    });
    acc.set(accKey, res.accumulator);
    for (const k of res.lineKeys) seen.add(k);
    outcomes.set(claim.claimId, res.outcome);
    if (res.outcome.kind === 'rejected') {
      rejected++;
      continue;
    }
    let denied = false;
    for (const l of res.outcome.lines) {
      if (!l.denied) continue;
      denied = true;
      const c = l.adjustments[0];
      if (c) byCarc[`${c.group}-${c.reason}`] = (byCarc[`${c.group}-${c.reason}`] ?? 0) + 1;
    }
    if (denied) deniedClaims++;
  }
  let expected = 0;
  let matched = 0;
  const explained = new Set<string>();
  for (const g of ds.groundTruth) {
    if (g.scope !== 'encounter' || g.encounterId === null) continue;
    explained.add(g.encounterId);
    const want = g.expectedOutcome.startsWith('deny:')
      ? g.expectedOutcome.slice(5)
      : g.expectedOutcome.startsWith('hold:')
        ? 'CO-B7'
        : null;
    if (want === null) continue;
    expected++;
    const o = outcomes.get(g.encounterId);
    if (
      o?.kind === 'adjudicated' &&
      o.lines.some((l) => l.adjustments.some((c) => `${c.group}-${c.reason}` === want))
    )
      matched++;
  }
  const unexplained: string[] = [];
  for (const [id, o] of outcomes)
    if (o.kind === 'adjudicated' && o.lines.some((l) => l.denied) && !explained.has(id)) unexplained.push(id);
  const adjudicated = claims.length - rejected;
  return {
    claims: claims.length,
    rejected,
    adjudicated,
    deniedClaims,
    rejectionRate: claims.length === 0 ? 0 : rejected / claims.length,
    denialRate: adjudicated === 0 ? 0 : deniedClaims / adjudicated,
    byCarc,
    expectedDenials: expected,
    matched,
    unexplained,
    outcomes,
  };
}
