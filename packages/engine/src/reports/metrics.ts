import {
  diffDays,
  addDays,
  endOfMonth,
  addMonths,
  compareDates,
  dateInZone,
  diffMillis,
  type CalendarDate,
  type Cents,
  type ClaimId,
  type Instant,
} from '@openrcm/core';
import type { AdjudicationFact, ClaimFact, MoneyFact, RemittanceFact, SubmissionFact } from './facts.ts';

/**
 * The metric definitions of the monthly performance report (docs/metrics.md; DOMAIN.md "Metric definitions").
 * Every rate carries the claim ids of its numerator and denominator so any figure can be drilled to its claims.
 * Rates are ratios of counts or of cents; `value` is the ratio for display, null when the denominator is zero
 * (a rate over nothing is "no data", never 0 % or 100 %).
 */

export interface Period {
  /** First day, inclusive. */
  readonly from: CalendarDate;
  /** Last day, inclusive. */
  readonly to: CalendarDate;
}

export interface Rate {
  readonly numerator: number;
  readonly denominator: number;
  readonly value: number | null;
  readonly numeratorClaims: readonly ClaimId[];
  readonly denominatorClaims: readonly ClaimId[];
}

export interface MoneyRate {
  readonly numeratorCents: Cents;
  readonly denominatorCents: Cents;
  readonly value: number | null;
  readonly claims: readonly ClaimId[];
}

export interface Distribution {
  readonly count: number;
  readonly median: number | null;
  readonly p90: number | null;
  readonly mean: number | null;
}

function inPeriod(d: CalendarDate, p: Period): boolean {
  return compareDates(d, p.from) >= 0 && compareDates(d, p.to) <= 0;
}

/**
 * The UTC calendar day of an instant. Canonical instants (`…Z`, as the database decoders give them) carry it in
 * their first ten characters; `dateInZone` builds an Intl formatter per call, which dominated the report's time.
 */
export function utcDay(i: Instant): CalendarDate {
  return (i.endsWith('Z') && i[10] === 'T' ? i.slice(0, 10) : dateInZone(i, 'UTC')) as CalendarDate;
}

const dayOf = utcDay;

function rate(numeratorClaims: ClaimId[], denominatorClaims: ClaimId[]): Rate {
  return {
    numerator: numeratorClaims.length,
    denominator: denominatorClaims.length,
    value: denominatorClaims.length === 0 ? null : numeratorClaims.length / denominatorClaims.length,
    numeratorClaims,
    denominatorClaims,
  };
}

/** Median (mean of the two middle values for an even count) and p90 (nearest rank) of a sample. */
export function distribution(values: readonly number[]): Distribution {
  if (values.length === 0) return { count: 0, median: null, p90: null, mean: null };
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  const mid = Math.floor(n / 2);
  const median = n % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
  const p90 = s[Math.max(0, Math.ceil(0.9 * n) - 1)] ?? 0;
  const mean = s.reduce((a, b) => a + b, 0) / n;
  return { count: n, median, p90, mean };
}

function firstSubmission(c: ClaimFact): SubmissionFact | undefined {
  return c.submissions[0];
}

/** Claims whose first submission happened in the period: the denominator of the first-pass rates. */
export function firstSubmittedIn(claims: readonly ClaimFact[], p: Period): ClaimFact[] {
  return claims.filter((c) => {
    const s = firstSubmission(c);
    return s !== undefined && inPeriod(dayOf(s.submittedAt), p);
  });
}

/**
 * First-pass acceptance rate: claims accepted on their first 999/277CA ÷ claims first submitted in the period.
 * A first submission still waiting for its acknowledgement counts in the denominator, not the numerator.
 */
export function firstPassAcceptanceRate(claims: readonly ClaimFact[], p: Period): Rate {
  const den = firstSubmittedIn(claims, p);
  const num = den.filter((c) => firstSubmission(c)?.acknowledgement === 'accepted');
  return rate(
    num.map((c) => c.claimId),
    den.map((c) => c.claimId),
  );
}

/** The instant a claim entered the submission pipeline: its first scrubber verdict, else its first submission. */
export function enteredAt(c: ClaimFact): Instant | undefined {
  return c.enteredAt ?? firstSubmission(c)?.submittedAt;
}

/** Where a claim stands on the clean-claim question as of the facts' date. */
export type CleanVerdict = 'clean' | 'not-clean' | 'pending';

/**
 * A claim is clean when it went through on its first pass with no correction at all: never held by the scrubber
 * (any hold: a rule that failed, eligibility, credentialing, documentation), its first submission accepted by the
 * clearinghouse and the payer (999 / 277CA), never resubmitted, corrected or voided, and its first adjudication
 * denied nothing. It is not clean as soon as one of these fails; it is pending while it is still on its first
 * pass (not yet submitted, acknowledged or adjudicated), when nothing has failed yet.
 */
export function cleanVerdict(c: ClaimFact): CleanVerdict {
  if (c.heldReasons.length > 0) return 'not-clean';
  const s = firstSubmission(c);
  if (s === undefined) return 'pending';
  if (s.acknowledgement === 'rejected' || c.submissions.length > 1) return 'not-clean';
  if (s.adjudication !== undefined) return s.adjudication.deniedLineCount === 0 ? 'clean' : 'not-clean';
  return 'pending';
}

/**
 * Whether a claim was on hold before its first submission at some time in the period: held from its entry into
 * the pipeline until its first submission (or still), and that span meets the period.
 */
export function heldDuring(c: ClaimFact, p: Period): boolean {
  if (c.heldReasons.length === 0) return false;
  const from = enteredAt(c);
  if (from === undefined || compareDates(dayOf(from), p.to) > 0) return false;
  const sent = firstSubmission(c)?.submittedAt;
  return sent === undefined || compareDates(dayOf(sent), p.from) >= 0;
}

/** One step of the first pass: of the cohort's claims that reached it and were decided there, how many passed. */
export interface CleanStage {
  readonly stage: 'scrubber' | 'acknowledgement' | 'adjudication';
  readonly reached: number;
  readonly passed: number;
}

/**
 * Clean claim rate of a cohort: `value` estimates the share of its claims that go through clean, as the product of
 * the three steps' pass rates (scrubber: not held; acknowledgement: first submission accepted; adjudication: first
 * adjudication denied nothing and no resubmission). `numerator`/`denominator` are the claims decided so far (clean
 * ÷ clean + not clean) and `pendingClaims` those still on their first pass.
 */
export interface CleanRate extends Rate {
  readonly stages: readonly CleanStage[];
  readonly pendingClaims: readonly ClaimId[];
}

/**
 * Clean claim rate (DOMAIN: accepted by the clearinghouse and the payer and paid or adjudicated on first submission
 * without any correction). The cohort is the claims that entered the pipeline in the period (first scrubber
 * verdict, so a claim held before submission is counted, and counted once).
 *
 * At the report's as-of day many of the cohort's claims are still on their first pass: holds and rejections are
 * decided within a day, adjudications take weeks. A ratio over the claims decided so far would over-weight the
 * early failures (holds) against the late ones (denials), and counting the undecided as clean (or not) would
 * guess. So the rate is estimated step by step, each step over the claims that reached it and were decided
 * there: P(not held) × P(accepted | submitted and acknowledged) × P(no denial, no resubmission | adjudicated or
 * resubmitted). Once every claim of the cohort is decided the product equals clean ÷ cohort exactly; before, it
 * is the unbiased estimate of it (each step's outcome does not depend on how long the others take). Null when a
 * step has no decided claim yet.
 */
export function cleanClaimRate(claims: readonly ClaimFact[], p: Period): CleanRate {
  const cohort = claims.filter((c) => {
    const at = enteredAt(c);
    return at !== undefined && inPeriod(dayOf(at), p);
  });
  const verdicts = cohort.map((c) => ({ c, v: cleanVerdict(c) }));
  const decided = verdicts.filter((x) => x.v !== 'pending');
  const notHeld = cohort.filter((c) => c.heldReasons.length === 0);
  const acknowledged = notHeld.filter((c) => firstSubmission(c)?.acknowledgement !== undefined);
  const accepted = acknowledged.filter((c) => firstSubmission(c)?.acknowledgement === 'accepted');
  const adjudicated = accepted.filter(
    (c) => firstSubmission(c)?.adjudication !== undefined || c.submissions.length > 1,
  );
  const stages: CleanStage[] = [
    { stage: 'scrubber', reached: cohort.length, passed: notHeld.length },
    { stage: 'acknowledgement', reached: acknowledged.length, passed: accepted.length },
    {
      stage: 'adjudication',
      reached: adjudicated.length,
      passed: adjudicated.filter((c) => cleanVerdict(c) === 'clean').length,
    },
  ];
  const r = rate(
    decided.filter((x) => x.v === 'clean').map((x) => x.c.claimId),
    decided.map((x) => x.c.claimId),
  );
  return {
    ...r,
    value: stages.some((s) => s.reached === 0)
      ? null
      : stages.reduce((v, s) => v * (s.passed / s.reached), 1),
    stages,
    pendingClaims: verdicts.filter((x) => x.v === 'pending').map((x) => x.c.claimId),
  };
}

/** The first adjudication of a claim (over all its submissions), if any. */
export function firstAdjudication(c: ClaimFact): SubmissionFact['adjudication'] {
  for (const s of c.submissions) if (s.adjudication !== undefined) return s.adjudication;
  return undefined;
}

export interface DenialRates {
  /** Claims with a denial (any denied line) on their first adjudication ÷ claims first adjudicated in the period. */
  readonly claims: Rate;
  readonly lines: { readonly denied: number; readonly total: number; readonly value: number | null };
  readonly dollars: MoneyRate;
  /** Claims denied per reason (`CO-197`), most frequent first. */
  readonly byReason: readonly { readonly reason: string; readonly claims: readonly ClaimId[] }[];
  readonly byPayer: readonly { readonly payerName: string; readonly rate: Rate }[];
}

export function denialRates(claims: readonly ClaimFact[], p: Period): DenialRates {
  const adjudicated = claims.filter((c) => {
    const a = firstAdjudication(c);
    return a !== undefined && inPeriod(a.adjudicatedOn, p);
  });
  const denied = adjudicated.filter((c) => (firstAdjudication(c)?.deniedLineCount ?? 0) > 0);
  let lines = 0;
  let deniedLines = 0;
  let deniedCents = 0;
  let chargeCents = 0;
  const reasons = new Map<string, ClaimId[]>();
  for (const c of adjudicated) {
    const a = firstAdjudication(c);
    if (a === undefined) continue;
    lines += a.lineCount;
    deniedLines += a.deniedLineCount;
    deniedCents += a.deniedCents;
    chargeCents += c.chargeCents;
    for (const r of new Set(a.denialReasons)) {
      const list = reasons.get(r) ?? [];
      list.push(c.claimId);
      reasons.set(r, list);
    }
  }
  const payers = new Map<string, { all: ClaimId[]; denied: ClaimId[] }>();
  for (const c of adjudicated) {
    const entry = payers.get(c.payerName) ?? { all: [], denied: [] };
    entry.all.push(c.claimId);
    if ((firstAdjudication(c)?.deniedLineCount ?? 0) > 0) entry.denied.push(c.claimId);
    payers.set(c.payerName, entry);
  }
  return {
    claims: rate(
      denied.map((c) => c.claimId),
      adjudicated.map((c) => c.claimId),
    ),
    lines: { denied: deniedLines, total: lines, value: lines === 0 ? null : deniedLines / lines },
    dollars: {
      numeratorCents: deniedCents as Cents,
      denominatorCents: chargeCents as Cents,
      value: chargeCents === 0 ? null : deniedCents / chargeCents,
      claims: denied.map((c) => c.claimId),
    },
    byReason: [...reasons.entries()]
      .map(([reason, ids]) => ({ reason, claims: ids }))
      .sort((a, b) => b.claims.length - a.claims.length || a.reason.localeCompare(b.reason)),
    byPayer: [...payers.entries()]
      .map(([payerName, e]) => ({ payerName, rate: rate(e.denied, e.all) }))
      .sort((a, b) => a.payerName.localeCompare(b.payerName)),
  };
}

/** Effect of a money movement on the insurance and patient balances of a claim. */
function balanceEffect(m: MoneyFact): { insurance: number; patient: number } {
  const amount: number = m.amountCents;
  switch (m.kind) {
    case 'charge':
      return { insurance: amount, patient: 0 };
    case 'insurance-payment':
    case 'contractual':
    case 'other-adjustment':
      return { insurance: -amount, patient: 0 };
    case 'transfer-to-patient':
      return { insurance: -amount, patient: amount };
    case 'patient-payment':
    case 'write-off':
      return { insurance: 0, patient: -amount };
  }
}

export interface OpenBalance {
  readonly claimId: ClaimId;
  readonly payerName: string;
  readonly serviceDate: CalendarDate;
  readonly insuranceCents: number;
  readonly patientCents: number;
}

/** Charges posted up to a date, per claim (the `charge` money facts). */
export function chargesAsOf(money: readonly MoneyFact[], asOf: CalendarDate): Map<ClaimId, number> {
  const out = new Map<ClaimId, number>();
  for (const m of money)
    if (m.kind === 'charge' && compareDates(m.postedOn, asOf) <= 0)
      out.set(m.claimId, (out.get(m.claimId) ?? 0) + m.amountCents);
  return out;
}

/**
 * Open balance of every claim as of a date (money, charges included, posted after it is ignored), split by
 * responsible party.
 */
export function openBalances(
  claims: readonly ClaimFact[],
  money: readonly MoneyFact[],
  asOf: CalendarDate,
): OpenBalance[] {
  const byClaim = new Map<ClaimId, { insurance: number; patient: number }>();
  for (const m of money) {
    if (compareDates(m.postedOn, asOf) > 0) continue;
    const e = balanceEffect(m);
    const b = byClaim.get(m.claimId) ?? { insurance: 0, patient: 0 };
    b.insurance += e.insurance;
    b.patient += e.patient;
    byClaim.set(m.claimId, b);
  }
  const out: OpenBalance[] = [];
  for (const c of claims) {
    if (compareDates(c.serviceDate, asOf) > 0) continue;
    const b = byClaim.get(c.claimId) ?? { insurance: 0, patient: 0 };
    out.push({
      claimId: c.claimId,
      payerName: c.payerName,
      serviceDate: c.serviceDate,
      insuranceCents: b.insurance,
      patientCents: b.patient,
    });
  }
  return out;
}

/**
 * Days in AR: total open AR at the end of the period ÷ average daily gross charges over the 90 days ending that day
 * (charges by date of service). Null when there were no charges in those 90 days.
 */
export function daysInAr(
  claims: readonly ClaimFact[],
  money: readonly MoneyFact[],
  asOf: CalendarDate,
): { value: number | null; openArCents: number; averageDailyChargesCents: number; claims: ClaimId[] } {
  const open = openBalances(claims, money, asOf).filter((b) => b.insuranceCents + b.patientCents !== 0);
  const openAr = open.reduce((s, b) => s + b.insuranceCents + b.patientCents, 0);
  const windowStart = addDays(asOf, -89);
  const charged = chargesAsOf(money, asOf);
  const charges = claims
    .filter((c) => compareDates(c.serviceDate, windowStart) >= 0 && compareDates(c.serviceDate, asOf) <= 0)
    .reduce((s, c) => s + (charged.get(c.claimId) ?? 0), 0);
  const daily = charges / 90;
  return {
    value: charges === 0 ? null : openAr / daily,
    openArCents: openAr,
    averageDailyChargesCents: daily,
    claims: open.map((b) => b.claimId),
  };
}

export const AGING_BUCKETS = ['0-30', '31-60', '61-90', '91-120', '120+'] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];

/** Age bucket of a balance by days since the date of service. */
export function agingBucket(serviceDate: CalendarDate, asOf: CalendarDate): AgingBucket {
  const age = diffDays(serviceDate, asOf);
  if (age <= 30) return '0-30';
  if (age <= 60) return '31-60';
  if (age <= 90) return '61-90';
  if (age <= 120) return '91-120';
  return '120+';
}

export interface AgingRow {
  readonly payerName: string;
  readonly party: 'insurance' | 'patient';
  readonly buckets: Readonly<Record<AgingBucket, number>>;
  readonly totalCents: number;
}

/** AR aging: open balance by age bucket (from date of service), by payer and responsible party. */
export function arAging(
  claims: readonly ClaimFact[],
  money: readonly MoneyFact[],
  asOf: CalendarDate,
): AgingRow[] {
  const rows = new Map<
    string,
    { payerName: string; party: 'insurance' | 'patient'; buckets: Record<AgingBucket, number> }
  >();
  const add = (
    payerName: string,
    party: 'insurance' | 'patient',
    bucket: AgingBucket,
    amount: number,
  ): void => {
    if (amount === 0) return;
    const key = `${party}\u0000${payerName}`;
    const row = rows.get(key) ?? {
      payerName,
      party,
      buckets: { '0-30': 0, '31-60': 0, '61-90': 0, '91-120': 0, '120+': 0 },
    };
    row.buckets[bucket] += amount;
    rows.set(key, row);
  };
  for (const b of openBalances(claims, money, asOf)) {
    const bucket = agingBucket(b.serviceDate, asOf);
    add(b.payerName, 'insurance', bucket, b.insuranceCents);
    add(b.payerName, 'patient', bucket, b.patientCents);
  }
  return [...rows.values()]
    .map((r) => ({ ...r, totalCents: AGING_BUCKETS.reduce((s, k) => s + r.buckets[k], 0) }))
    .sort((a, b) => a.party.localeCompare(b.party) || a.payerName.localeCompare(b.payerName));
}

/**
 * The dates of service whose collections have matured by `asOf`: the latest calendar month that ended at least
 * `maturityDays` before it (60 days: past the 14-21-day adjudication, the secondary and the first patient
 * statements). A younger month's money is mostly still with the payers, so its rate says how far along it is,
 * not how well it collects.
 */
export function maturedServiceMonth(asOf: CalendarDate, maturityDays = 60): Period {
  const latestEnd = addDays(asOf, -maturityDays);
  let from = `${latestEnd.slice(0, 7)}-01` as CalendarDate;
  if (compareDates(endOfMonth(from), latestEnd) > 0) from = addMonths(from, -1);
  return { from, to: endOfMonth(from) };
}

/**
 * Net collection rate: payments ÷ (charges − contractual adjustments) for claims with dates of service in
 * `serviceDates`, with money (charges included) posted up to `asOf`. Gross collection rate: payments ÷ charges
 * for the same claims.
 */
export function collectionRates(
  claims: readonly ClaimFact[],
  money: readonly MoneyFact[],
  serviceDates: Period,
  asOf: CalendarDate,
): { net: MoneyRate; gross: MoneyRate } {
  const cohort = claims.filter((c) => inPeriod(c.serviceDate, serviceDates));
  const ids = new Set(cohort.map((c) => c.claimId));
  let payments = 0;
  let contractual = 0;
  let charges = 0;
  for (const m of money) {
    if (!ids.has(m.claimId) || compareDates(m.postedOn, asOf) > 0) continue;
    if (m.kind === 'insurance-payment' || m.kind === 'patient-payment') payments += m.amountCents;
    else if (m.kind === 'contractual') contractual += m.amountCents;
    else if (m.kind === 'charge') charges += m.amountCents;
  }
  const claimIds = cohort.map((c) => c.claimId);
  const netDen = charges - contractual;
  return {
    net: {
      numeratorCents: payments as Cents,
      denominatorCents: netDen as Cents,
      value: netDen === 0 ? null : payments / netDen,
      claims: claimIds,
    },
    gross: {
      numeratorCents: payments as Cents,
      denominatorCents: charges as Cents,
      value: charges === 0 ? null : payments / charges,
      claims: claimIds,
    },
  };
}

/**
 * Charge lag: days from date of service to first claim submission, for claims first submitted in the period;
 * with its parts, documentation lag (service → documentation complete) and coding lag (documented → coded).
 */
export function chargeLag(
  claims: readonly ClaimFact[],
  p: Period,
): {
  total: Distribution;
  documentation: Distribution;
  coding: Distribution;
  claims: ClaimId[];
} {
  const cohort = firstSubmittedIn(claims, p);
  const total: number[] = [];
  const documentation: number[] = [];
  const coding: number[] = [];
  for (const c of cohort) {
    const s = firstSubmission(c);
    if (s === undefined) continue;
    total.push(diffDays(c.serviceDate, dayOf(s.submittedAt)));
    if (c.documentedOn !== undefined) documentation.push(diffDays(c.serviceDate, c.documentedOn));
    if (c.documentedOn !== undefined && c.codedOn !== undefined)
      coding.push(diffDays(c.documentedOn, c.codedOn));
  }
  return {
    total: distribution(total),
    documentation: distribution(documentation),
    coding: distribution(coding),
    claims: cohort.map((c) => c.claimId),
  };
}

/** Posting lag (hours from ERA receipt to posting) and the auto-posting rate, for remittances received in the period. */
export function postingMetrics(
  remittances: readonly RemittanceFact[],
  p: Period,
): {
  lagHours: Distribution;
  within48h: number | null;
  autoPosting: { posted: number; total: number; value: number | null };
} {
  const cohort = remittances.filter((r) => inPeriod(dayOf(r.receivedAt), p));
  const lags: number[] = [];
  let lines = 0;
  let auto = 0;
  for (const r of cohort) {
    lines += r.lineCount;
    auto += r.autoPostedLineCount;
    if (r.postedAt !== undefined) lags.push(diffMillis(r.receivedAt, r.postedAt) / 3_600_000);
  }
  return {
    lagHours: distribution(lags),
    within48h: cohort.length === 0 ? null : lags.filter((h) => h <= 48).length / cohort.length,
    autoPosting: { posted: auto, total: lines, value: lines === 0 ? null : auto / lines },
  };
}

/** Every adjudication of a claim, over all its submissions, in the order received. */
export function adjudications(c: ClaimFact): AdjudicationFact[] {
  return c.submissions
    .flatMap((s) => [
      ...(s.adjudication === undefined ? [] : [s.adjudication]),
      ...(s.laterAdjudications ?? []),
    ])
    .sort((a, b) => (a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : 0));
}

/** A claim's denial and how it ended: the first adjudication that denied a line, and its resolution if any. */
export interface DenialCase {
  readonly claimId: ClaimId;
  readonly deniedAt: Instant;
  readonly resolvedAt?: Instant;
  /** paid: a later adjudication (corrected claim or reprocessing) denied nothing; closed: its denials and denial
   * work were closed (written off, upheld, resolved). */
  readonly resolution?: 'paid' | 'closed';
}

/** The denial case of every claim that was ever denied (as far as the facts go). */
export function denialCases(claims: readonly ClaimFact[]): DenialCase[] {
  const out: DenialCase[] = [];
  for (const c of claims) {
    const all = adjudications(c);
    const denied = all.find((a) => a.deniedLineCount > 0);
    if (denied === undefined) continue;
    const paid = all.find((a) => a.receivedAt > denied.receivedAt && a.deniedLineCount === 0);
    const closed =
      c.denialClosedAt !== undefined && c.denialClosedAt >= denied.receivedAt ? c.denialClosedAt : undefined;
    const resolution: DenialCase['resolution'] =
      paid !== undefined && (closed === undefined || paid.receivedAt <= closed)
        ? 'paid'
        : closed !== undefined
          ? 'closed'
          : undefined;
    const resolvedAt =
      resolution === 'paid' ? paid?.receivedAt : resolution === 'closed' ? closed : undefined;
    out.push({
      claimId: c.claimId,
      deniedAt: denied.receivedAt,
      ...(resolvedAt === undefined || resolution === undefined ? {} : { resolvedAt, resolution }),
    });
  }
  return out;
}

/**
 * Denial resolution: of the claims whose first denial was received in the period, the share resolved by the facts'
 * date (paid on a corrected claim or reprocessing, or closed), the time from the denial's receipt to resolution,
 * and the share resolved within 72 hours (DOMAIN stage 5). `resolvedEver` counts resolutions of any period: when
 * it is zero no denial has been resolved at all yet, and the rate says nothing about the work (the report shows
 * n/a with why).
 */
export function denialResolution(
  claims: readonly ClaimFact[],
  p: Period,
): { rate: Rate; hours: Distribution; within72h: number | null; resolvedEver: number; cases: number } {
  const all = denialCases(claims);
  const opened = all.filter((x) => inPeriod(dayOf(x.deniedAt), p));
  const resolved = opened.filter((x) => x.resolvedAt !== undefined);
  const hours = resolved.map((x) => diffMillis(x.deniedAt, x.resolvedAt as Instant) / 3_600_000);
  return {
    rate: rate(
      resolved.map((x) => x.claimId),
      opened.map((x) => x.claimId),
    ),
    hours: distribution(hours),
    within72h: opened.length === 0 ? null : hours.filter((h) => h <= 72).length / opened.length,
    resolvedEver: all.filter((x) => x.resolvedAt !== undefined).length,
    cases: all.length,
  };
}
