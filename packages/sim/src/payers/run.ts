/**
 * A first-pass run: every naive claim adjudicated once by its payer, in receipt order (within each
 * practice-month when streaming), with accumulators and duplicate history carried per payer. Reports the
 * realism figures of issue 4 and how the outcomes line up with the generator's ground truth.
 */
import { generateMonths, generateSetup } from '../generate.ts';
import type { GenerateConfig } from '../generate.ts';
import type { Dataset, GroundTruth } from '../types.ts';
import { ZERO_ACCUMULATOR, adjudicate } from './adjudicate.ts';
import type { Accumulator, ClaimOutcome, SimClaim } from './adjudicate.ts';
import { SimulatedPayers } from './world.ts';

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
  /** Denied claims with no ground-truth row at all (at most 100 listed). */
  unexplained: string[];
  unexplainedCount: number;
  /** Every outcome by claim id (empty when streaming). */
  outcomes: Map<string, ClaimOutcome>;
  /** Total paid by the payers, cents. */
  paidCents: number;
}

function byReceipt(a: SimClaim, b: SimClaim): number {
  return a.receivedDate < b.receivedDate
    ? -1
    : a.receivedDate > b.receivedDate
      ? 1
      : a.claimId < b.claimId
        ? -1
        : a.claimId > b.claimId
          ? 1
          : 0;
}

/** Adjudicates batches of claims against one organization's payers and tallies the outcomes. */
class FirstPass {
  private readonly acc = new Map<string, Accumulator>();
  private readonly history = new Map<string, Set<string>>();
  readonly report: FirstPassReport = {
    claims: 0,
    rejected: 0,
    adjudicated: 0,
    deniedClaims: 0,
    rejectionRate: 0,
    denialRate: 0,
    byCarc: {},
    expectedDenials: 0,
    matched: 0,
    unexplained: [],
    unexplainedCount: 0,
    outcomes: new Map(),
    paidCents: 0,
  };

  constructor(
    private readonly payers: SimulatedPayers,
    private readonly keepOutcomes: boolean,
  ) {}

  run(claims: SimClaim[], groundTruth: readonly GroundTruth[]): void {
    const r = this.report;
    const outcomes = new Map<string, ClaimOutcome>();
    for (const claim of claims.sort(byReceipt)) {
      const world = this.payers.worlds.get(claim.payerId);
      if (!world) continue;
      r.claims++;
      const year = claim.lines[0]?.dateOfService.slice(0, 4) ?? '';
      const accKey = `${claim.payerId}|${claim.memberId}|${year}`;
      let seen = this.history.get(claim.payerId);
      if (!seen) {
        seen = new Set<string>();
        this.history.set(claim.payerId, seen);
      }
      const res = adjudicate({
        claim,
        world,
        accumulator: this.acc.get(accKey) ?? ZERO_ACCUMULATOR,
        priorLineKeys: seen,
      });
      this.acc.set(accKey, res.accumulator);
      for (const k of res.lineKeys) seen.add(k);
      outcomes.set(claim.claimId, res.outcome);
      if (res.outcome.kind === 'rejected') {
        r.rejected++;
        continue;
      }
      r.adjudicated++;
      r.paidCents += res.outcome.paidCents;
      let denied = false;
      for (const l of res.outcome.lines) {
        if (!l.denied) continue;
        denied = true;
        const c = l.adjustments[0];
        if (c) r.byCarc[`${c.group}-${c.reason}`] = (r.byCarc[`${c.group}-${c.reason}`] ?? 0) + 1;
      }
      if (denied) r.deniedClaims++;
    }
    const explained = new Set<string>();
    for (const g of groundTruth) {
      if (g.scope !== 'encounter' || g.encounterId === null) continue;
      explained.add(g.encounterId);
      const want = g.expectedOutcome.startsWith('deny:')
        ? g.expectedOutcome.slice(5)
        : g.expectedOutcome.startsWith('hold:')
          ? 'CO-B7'
          : null;
      if (want === null) continue;
      r.expectedDenials++;
      const o = outcomes.get(g.encounterId);
      if (
        o?.kind === 'adjudicated' &&
        o.lines.some((l) => l.adjustments.some((c) => `${c.group}-${c.reason}` === want))
      )
        r.matched++;
    }
    for (const [id, o] of outcomes) {
      if (o.kind === 'adjudicated' && o.lines.some((l) => l.denied) && !explained.has(id)) {
        r.unexplainedCount++;
        if (r.unexplained.length < 100) r.unexplained.push(id);
      }
      if (this.keepOutcomes) r.outcomes.set(id, o);
    }
    r.rejectionRate = r.claims === 0 ? 0 : r.rejected / r.claims;
    r.denialRate = r.adjudicated === 0 ? 0 : r.deniedClaims / r.adjudicated;
  }
}

/** First pass over a whole in-memory data set (keeps every outcome). */
export function firstPassRun(ds: Dataset): FirstPassReport {
  const payers = new SimulatedPayers(ds);
  payers.addAuthorizations(ds.authorizations);
  const fp = new FirstPass(payers, true);
  fp.run(payers.naiveClaims(ds), ds.groundTruth);
  return fp.report;
}

/**
 * Generates and adjudicates one practice-month at a time (for large runs): memory holds the setup and
 * the payers' state (rosters, accumulators, duplicate history), not the claims.
 */
export function streamFirstPass(
  config: GenerateConfig,
  onChunk?: (month: string, report: FirstPassReport) => void,
): FirstPassReport {
  const state = generateSetup(config);
  const payers = new SimulatedPayers(state.setup);
  const fp = new FirstPass(payers, false);
  for (const chunk of generateMonths(state)) {
    payers.addAuthorizations(chunk.authorizations);
    fp.run(payers.naiveClaims(chunk), chunk.groundTruth);
    onChunk?.(chunk.month, fp.report);
  }
  return fp.report;
}
