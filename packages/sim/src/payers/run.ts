/**
 * A first-pass run: every naive claim adjudicated once by its payer, in receipt order (within each
 * practice-month when streaming), with accumulators and duplicate history carried per payer. Reports the
 * realism figures of issue 4 and how the outcomes line up with the generator's ground truth.
 */
import { generateMonths, generateSetup } from '../generate.ts';
import type { GenerateConfig } from '../generate.ts';
import type { Dataset, GroundTruth, MonthData, SetupData } from '../types.ts';
import { adjudicate } from './adjudicate.ts';
import type { ClaimOutcome, SimClaim } from './adjudicate.ts';
import { PayerMemory } from './memory.ts';
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
  private readonly memory: PayerMemory;
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
    season: { startDate: string; seed: number | string } | null,
  ) {
    this.memory = new PayerMemory(season);
  }

  /**
   * Every claim still to come has its dates of service on or after `date` (a month-by-month stream):
   * forget the duplicate history, authorizations and benefit years no such claim can match.
   */
  forgetBefore(date: string): void {
    for (const payerId of this.payers.worlds.keys()) this.memory.history(payerId).pruneBefore(date);
    this.payers.pruneAuthorizations(date);
    this.memory.pruneYearsBefore(Number(date.slice(0, 4)));
  }

  /** What the payers remember (lines, member-years, authorizations), for the benchmark. */
  memorySize(): { lines: number; memberYears: number; authorizations: number } {
    return { ...this.memory.size, authorizations: this.payers.authorizationCount() };
  }

  run(claims: SimClaim[], groundTruth: readonly GroundTruth[]): void {
    const r = this.report;
    const outcomes = new Map<string, ClaimOutcome>();
    for (const claim of claims.sort(byReceipt)) {
      const world = this.payers.worlds.get(claim.payerId);
      if (!world) continue;
      r.claims++;
      const firstDos = claim.lines[0]?.dateOfService ?? claim.receivedDate;
      const accKey = PayerMemory.key(claim.payerId, claim.memberId, firstDos);
      const seen = this.memory.history(claim.payerId);
      const res = adjudicate({
        claim,
        world,
        accumulator: this.memory.accumulator(world.profile, claim.memberId, firstDos),
        priorLineKeys: seen,
      });
      if (res.outcome.kind === 'adjudicated') this.memory.set(accKey, res.accumulator);
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

/**
 * First pass over a whole in-memory data set (keeps every outcome). With `season` (the data set's first date
 * and seed; default: the origin `generate` records), the payers apply their rule changes during the period
 * and member-years that began before it start with a seasoned accumulator, as the clearinghouse's do.
 */
export function firstPassRun(
  ds: Dataset & { origin?: { startDate: string; seed: number | string } },
  season: { startDate: string; seed: number | string } | null = ds.origin ?? null,
): FirstPassReport {
  const payers = new SimulatedPayers(ds, season ?? undefined);
  payers.addAuthorizations(ds.authorizations);
  const fp = new FirstPass(payers, true, season);
  fp.run(payers.naiveClaims(ds), ds.groundTruth);
  return fp.report;
}

/** What the payers hold in memory after a chunk (benchmark). */
export interface PayerMemorySize {
  lines: number;
  memberYears: number;
  authorizations: number;
}

/**
 * Generates and adjudicates one practice-month at a time (for large runs): memory holds the setup and
 * the payers' bounded state (rosters, current benefit years, this month's duplicate history and live
 * authorizations), not the claims. `onChunk` sees each chunk after it is adjudicated (a writer can
 * write it then).
 */
export function streamFirstPass(
  config: GenerateConfig,
  onChunk?: (
    month: string,
    report: FirstPassReport,
    chunk: MonthData,
    memory: PayerMemorySize,
  ) => void | 'stop',
  onSetup?: (setup: SetupData) => void,
): FirstPassReport {
  const state = generateSetup(config);
  onSetup?.(state.setup);
  const origin = { startDate: state.config.startDate, seed: state.config.seed };
  const payers = new SimulatedPayers(state.setup, origin);
  const fp = new FirstPass(payers, false, origin);
  let month: string | null = null;
  for (const chunk of generateMonths(state)) {
    if (chunk.month !== month) {
      // Every chunk from here on has dates of service in this month or later.
      month = chunk.month;
      fp.forgetBefore(`${month}-01`);
    }
    payers.addAuthorizations(chunk.authorizations);
    fp.run(payers.naiveClaims(chunk), chunk.groundTruth);
    if (onChunk?.(chunk.month, fp.report, chunk, fp.memorySize()) === 'stop') break;
  }
  return fp.report;
}
