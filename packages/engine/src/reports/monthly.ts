/**
 * The monthly performance report of one practice (issue 8 §3, DOMAIN "Reporting"), and the billing company's
 * roll-up. Facts come from `factsAsOf` as of the report's as-of day (the due date by default); every figure is computed by the pure metric
 * functions of metrics.ts, compared with the practice's benchmark (benchmarks.ts) and carries the claim ids it
 * is computed from, so `drill` can list them.
 */
import {
  addBusinessDays,
  addMonths,
  compareDates,
  diffDays,
  endOfMonth,
  formatCents,
  type CalendarDate,
  type Cents,
  type ClaimId,
} from '@openrcm/core';
import type { PracticeScope, Queryable } from '@openrcm/db';
import { practiceScope } from '@openrcm/db';
import { compareWithBenchmark, type BenchmarkResult } from './benchmarks.ts';
import {
  endOfDayExclusive,
  factsAsOf,
  ledgerOpenAr,
  loadFactSource,
  type FactSource,
  type Facts,
} from './facts-db.ts';
import {
  AGING_BUCKETS,
  agingBucket,
  arAging,
  chargeLag,
  cleanClaimRate,
  collectionRates,
  daysInAr,
  denialRates,
  denialResolution,
  firstAdjudication,
  firstPassAcceptanceRate,
  firstSubmittedIn,
  enteredAt,
  heldDuring,
  maturedServiceMonth,
  openBalances,
  postingMetrics,
  type AgingBucket,
  type AgingRow,
  type CleanStage,
  type Period,
} from './metrics.ts';

export type FigureUnit = 'percent' | 'days' | 'hours' | 'cents' | 'count' | 'points';

/** One figure of the report: its value, how it compares with the benchmark, and the claims behind it. */
export interface Figure {
  /** Stable key (CSV, drill, benchmarks): `clean_claim_rate`. */
  readonly key: string;
  readonly label: string;
  readonly section: string;
  readonly unit: FigureUnit;
  /** Ratio for percents (0.953), a plain number otherwise; null = no data (zero denominator). */
  readonly value: number | null;
  readonly numerator?: number;
  readonly denominator?: number;
  /** Set when numerator and denominator are cents (collection rates, denied dollars, AR). */
  readonly basisUnit?: 'cents';
  readonly benchmark?: BenchmarkResult;
  readonly claimIds: readonly ClaimId[];
  readonly note?: string;
}

export interface ReasonCount {
  readonly reason: string;
  readonly claims: number;
  readonly claimIds: readonly ClaimId[];
}

export interface PayerDenials {
  readonly payerName: string;
  readonly denied: number;
  readonly adjudicated: number;
  readonly rate: number | null;
  readonly claimIds: readonly ClaimId[];
}

export interface ActionItem {
  readonly category: 'documentation' | 'registration' | 'credentialing';
  readonly title: string;
  readonly count: number;
  readonly claimIds: readonly ClaimId[];
}

export interface CredentialingHold {
  readonly claimId: ClaimId;
  readonly payerName: string;
  readonly days: number;
  readonly stillHeld: boolean;
}

export interface MonthlyReport {
  readonly kind: 'practice';
  readonly practice: { readonly id: number; readonly code: string; readonly name: string };
  /** `YYYY-MM`. */
  readonly month: string;
  readonly period: Period;
  /**
   * What the report knows: events up to the end of this day count. By default the day the package is due, the
   * 5th business day after month end (DOMAIN "Reporting"), so the month's claims have had their acknowledgements
   * and early adjudications; never later than the day the report is made.
   */
  readonly asOf: CalendarDate;
  /** Balances (open AR, aging, days in AR, appeals pending) are at the end of this day: the month's last day. */
  readonly balancesAsOf: CalendarDate;
  /** The day the package is due: 5 business days after month end. */
  readonly dueBy: CalendarDate;
  /** Whether the practice has contracted benchmarks; when not, the defaults of DOMAIN.md are used. */
  readonly benchmarkSource: 'contract' | 'defaults' | 'contract+defaults';
  readonly figures: readonly Figure[];
  readonly denialsByReason: readonly ReasonCount[];
  /** Claims held before their first submission (first submitted this month, or still unsubmitted), per hold
   * kind and scrubber rule: what the practice's data keeps getting wrong. */
  readonly holdsByReason: readonly ReasonCount[];
  readonly denialsByPayer: readonly PayerDenials[];
  readonly denialTrend: {
    readonly current: number | null;
    readonly prior: number | null;
    readonly byReason: readonly {
      readonly reason: string;
      readonly current: number;
      readonly prior: number;
    }[];
  };
  readonly arAging: readonly AgingRow[];
  readonly arAgingTotals: Readonly<Record<AgingBucket, number>>;
  /** Claims with an open balance in each age bucket (for drill-down). */
  readonly arAgingClaims: Readonly<Record<AgingBucket, readonly ClaimId[]>>;
  readonly appealsByStatus: readonly { readonly status: string; readonly claimIds: readonly ClaimId[] }[];
  readonly eligibilityFlags: readonly { readonly classification: string; readonly checks: number }[];
  readonly credentialingHolds: readonly CredentialingHold[];
  readonly actionItems: readonly ActionItem[];
  /** Open AR as the ledger says it (Σ ar_insurance + ar_patient), which the aging total must equal. */
  readonly ledgerOpenArCents: number;
}

export interface RollupReport {
  readonly kind: 'rollup';
  readonly month: string;
  readonly period: Period;
  readonly asOf: CalendarDate;
  readonly balancesAsOf: CalendarDate;
  readonly dueBy: CalendarDate;
  readonly practices: readonly {
    readonly code: string;
    readonly name: string;
    readonly figures: readonly Figure[];
  }[];
  /** Figures over every practice's claims pooled (rates recomputed, not averaged). */
  readonly figures: readonly Figure[];
}

export function monthPeriod(month: string): Period {
  if (!/^[0-9]{4}-(0[1-9]|1[0-2])$/.test(month)) throw new Error(`month must be YYYY-MM, got ${month}`);
  const from = `${month}-01` as CalendarDate;
  return { from, to: endOfMonth(from) };
}

/** The day the monthly package is due: the 5th business day after the month's last day (DOMAIN "Reporting"). */
export function reportDueDate(period: Period): CalendarDate {
  return addBusinessDays(period.to, 5);
}

export interface ReportOptions {
  /** What the report knows (default: the due date, capped at `today`). */
  readonly asOf?: CalendarDate;
  /** The day the report is made (the CLI passes its clock): the default as-of is never later. */
  readonly today?: CalendarDate;
  /** Rows already read for this practice (set-based, for a whole package); read when absent. */
  readonly source?: FactSource;
}

/** The day balances are taken: the month's last day, or the as-of day while the month is still running. */
export function balanceDay(period: Period, knownOn: CalendarDate): CalendarDate {
  return compareDates(knownOn, period.to) < 0 ? knownOn : period.to;
}

/** The as-of day of a month's report: `options.asOf`, else the due date, never after `today`. */
export function reportAsOf(
  period: Period,
  options: Pick<ReportOptions, 'asOf' | 'today'> = {},
): CalendarDate {
  if (options.asOf !== undefined) {
    if (compareDates(options.asOf, period.to) < 0)
      throw new Error(`the report of ${period.from.slice(0, 7)} needs an as-of day after its last day`);
    return options.asOf;
  }
  const due = reportDueDate(period);
  return options.today !== undefined && compareDates(options.today, due) < 0 ? options.today : due;
}

function ids(list: readonly ClaimId[]): ClaimId[] {
  return [...new Set(list)].sort((a, b) => a - b);
}

/** Scrubber rules (and hold kinds) whose fix is registration data the practice's front desk owns. */
export const REGISTRATION_RULES: readonly string[] = [
  'eligibility',
  'member-id-format',
  'eligibility-hold',
  'service-date-in-coverage',
  'prior-auth-required',
  'tr3-required',
];

type FigureInput = Omit<Figure, 'benchmark' | 'claimIds'> & { readonly claimIds: readonly ClaimId[] };

type ExtraRow = { claim_id: number };
type ClassRow = { classification: string; checks: number; claim_ids: number[] | null };
type DocRow = { claim_id: number };

/** Figures computed from facts alone (shared by the practice report and the roll-up). */
export function factFigures(
  facts: Facts,
  period: Period,
  contract: Readonly<Record<string, unknown>>,
): Figure[] {
  const { claims, money, remittances } = facts;
  // Balances are at the month's last day (or today, in a month still running); outcomes (acknowledgements,
  // adjudications) as far as the facts know.
  const knownOn = facts.asOf;
  const asOf = balanceDay(period, knownOn);
  const out: Figure[] = [];
  const add = (f: FigureInput): void => {
    const b = compareWithBenchmark(f.key, f.value, contract);
    out.push({ ...f, claimIds: ids(f.claimIds), ...(b === undefined ? {} : { benchmark: b }) });
  };
  const fpa = firstPassAcceptanceRate(claims, period);
  const clean = cleanClaimRate(claims, period);
  const stage = (k: CleanStage['stage']): string => {
    const st = clean.stages.find((x) => x.stage === k);
    return st === undefined ? '' : `${st.passed}/${st.reached}`;
  };
  add({
    key: 'clean_claim_rate',
    label: 'Clean claim rate',
    section: 'Submission',
    unit: 'percent',
    value: clean.value,
    claimIds: [...clean.denominatorClaims, ...clean.pendingClaims],
    note:
      `claims that entered the pipeline this month (first scrubber verdict): not held ${stage('scrubber')} × ` +
      `accepted on first submission ${stage('acknowledgement')} × first adjudication without denial or ` +
      `resubmission ${stage('adjudication')}; decided so far ${clean.numerator} clean of ${clean.denominator}, ` +
      `${clean.pendingClaims.length} still on their first pass on ${knownOn}`,
  });
  const awaitingAck = firstSubmittedIn(claims, period).filter(
    (c) => c.submissions[0]?.acknowledgement === undefined,
  ).length;
  add({
    key: 'first_pass_acceptance_rate',
    label: 'First-pass acceptance rate',
    section: 'Submission',
    unit: 'percent',
    value: fpa.value,
    numerator: fpa.numerator,
    denominator: fpa.denominator,
    claimIds: fpa.denominatorClaims,
    note: `claims first submitted this month, accepted by the 999 and the 277CA of that submission${awaitingAck === 0 ? '' : `; ${awaitingAck} without an acknowledgement by ${knownOn} count as not accepted`}`,
  });
  add({
    key: 'claims_first_submitted',
    label: 'Claims first submitted',
    section: 'Submission',
    unit: 'count',
    value: fpa.denominator,
    claimIds: fpa.denominatorClaims,
  });
  const den = denialRates(claims, period);
  add({
    key: 'denial_rate',
    label: 'Denial rate (claims)',
    section: 'Denials',
    unit: 'percent',
    value: den.claims.value,
    numerator: den.claims.numerator,
    denominator: den.claims.denominator,
    claimIds: den.claims.numeratorClaims,
  });
  add({
    key: 'denial_rate_lines',
    label: 'Denial rate (lines)',
    section: 'Denials',
    unit: 'percent',
    value: den.lines.value,
    numerator: den.lines.denied,
    denominator: den.lines.total,
    claimIds: den.claims.numeratorClaims,
  });
  add({
    key: 'denial_rate_dollars',
    basisUnit: 'cents',
    label: 'Denial rate (dollars)',
    section: 'Denials',
    unit: 'percent',
    value: den.dollars.value,
    numerator: den.dollars.numeratorCents,
    denominator: den.dollars.denominatorCents,
    claimIds: den.dollars.claims,
  });
  const prior = monthBefore(period);
  const denPrior = denialRates(claims, prior);
  add({
    key: 'denial_rate_change',
    label: 'Denial rate change vs prior month',
    section: 'Denials',
    unit: 'points',
    value:
      den.claims.value === null || denPrior.claims.value === null
        ? null
        : (den.claims.value - denPrior.claims.value) * 100,
    claimIds: [...den.claims.numeratorClaims, ...denPrior.claims.numeratorClaims],
    note: `prior month ${prior.from.slice(0, 7)}`,
  });
  const ar = daysInAr(claims, money, asOf);
  // The 90-day charge window reaches before the first date of service on file: the average daily charge is
  // diluted by days without history, so days in AR reads high (said in the note, not corrected).
  const firstService = claims.reduce<CalendarDate | undefined>(
    (m, c) => (m === undefined || compareDates(c.serviceDate, m) < 0 ? c.serviceDate : m),
    undefined,
  );
  const shortHistory = firstService !== undefined && diffDays(firstService, asOf) < 89;
  add({
    key: 'days_in_ar',
    basisUnit: 'cents',
    label: 'Days in AR',
    section: 'Accounts receivable',
    unit: 'days',
    value: ar.value,
    numerator: ar.openArCents,
    denominator: Math.round(ar.averageDailyChargesCents),
    claimIds: ar.claims,
    ...(shortHistory
      ? { note: `charge history starts ${firstService}, less than the 90-day window: reads high` }
      : {}),
  });
  add({
    key: 'open_ar_cents',
    label: 'Open AR',
    section: 'Accounts receivable',
    unit: 'cents',
    value: ar.openArCents,
    claimIds: ar.claims,
  });
  const open = openBalances(claims, money, asOf).filter((b) => b.insuranceCents + b.patientCents !== 0);
  const over90 = open.filter((b) => {
    const k = agingBucket(b.serviceDate, asOf);
    return k === '91-120' || k === '120+';
  });
  const over90Cents = over90.reduce((s, b) => s + b.insuranceCents + b.patientCents, 0);
  add({
    key: 'ar_over_90_share',
    basisUnit: 'cents',
    label: 'AR over 90 days',
    section: 'Accounts receivable',
    unit: 'percent',
    value: ar.openArCents === 0 ? null : over90Cents / ar.openArCents,
    numerator: over90Cents,
    denominator: ar.openArCents,
    claimIds: over90.map((b) => b.claimId),
  });
  // Collections are measured on the latest month of dates of service that has matured (60 days past its end by
  // the as-of day): the month's own dates of service are mostly still with the payers, so their rate would say
  // how far along they are, not how well the practice collects.
  const cohortMonth = maturedServiceMonth(knownOn);
  const coll = collectionRates(claims, money, cohortMonth, knownOn);
  const cohortIds = new Set(coll.net.claims);
  const unadjudicated = claims.filter(
    (c) => cohortIds.has(c.claimId) && firstAdjudication(c) === undefined,
  ).length;
  const cohortLabel = cohortMonth.from.slice(0, 7);
  // What is still uncollected, and with whom: the reader sees whether the payers or the patients owe it.
  let withPayers = 0;
  let withPatients = 0;
  for (const b of openBalances(claims, money, knownOn)) {
    if (!cohortIds.has(b.claimId)) continue;
    withPayers += b.insuranceCents;
    withPatients += b.patientCents;
  }
  const dollars = (c: number): string => `$${formatCents(c as Cents)}`;
  const collNote =
    cohortIds.size === 0
      ? `n/a: no date of service in ${cohortLabel}, the latest month matured 60 days by ${knownOn}`
      : `dates of service in ${cohortLabel} (matured 60 days by ${knownOn}), money posted by ${knownOn}; ` +
        `${unadjudicated} of ${cohortIds.size} claims not adjudicated yet; still open ${dollars(withPayers)} ` +
        `with payers, ${dollars(withPatients)} with patients`;
  add({
    key: 'net_collection_rate',
    basisUnit: 'cents',
    label: 'Net collection rate',
    section: 'Collections',
    unit: 'percent',
    value: cohortIds.size === 0 ? null : coll.net.value,
    numerator: coll.net.numeratorCents,
    denominator: coll.net.denominatorCents,
    claimIds: coll.net.claims,
    note: collNote,
  });
  add({
    key: 'gross_collection_rate',
    basisUnit: 'cents',
    label: 'Gross collection rate',
    section: 'Collections',
    unit: 'percent',
    value: cohortIds.size === 0 ? null : coll.gross.value,
    numerator: coll.gross.numeratorCents,
    denominator: coll.gross.denominatorCents,
    claimIds: coll.gross.claims,
    note: `the same dates of service (${cohortLabel}): payments ÷ charges`,
  });
  const lag = chargeLag(claims, period);
  const lagFig = (key: string, label: string, v: number | null, n: number): void =>
    add({ key, label, section: 'Charge lag', unit: 'days', value: v, denominator: n, claimIds: lag.claims });
  lagFig('charge_lag_median_days', 'Charge lag, median', lag.total.median, lag.total.count);
  lagFig('charge_lag_p90_days', 'Charge lag, p90', lag.total.p90, lag.total.count);
  lagFig(
    'documentation_lag_median_days',
    'Documentation lag, median',
    lag.documentation.median,
    lag.documentation.count,
  );
  lagFig(
    'documentation_lag_p90_days',
    'Documentation lag, p90',
    lag.documentation.p90,
    lag.documentation.count,
  );
  lagFig('coding_lag_median_days', 'Coding lag, median', lag.coding.median, lag.coding.count);
  lagFig('coding_lag_p90_days', 'Coding lag, p90', lag.coding.p90, lag.coding.count);
  const post = postingMetrics(remittances, period);
  const remitClaims = remittances
    .filter((r) => compareDates(r.receivedAt.slice(0, 10) as CalendarDate, period.from) >= 0)
    .filter((r) => compareDates(r.receivedAt.slice(0, 10) as CalendarDate, period.to) <= 0)
    .flatMap((r) => facts.remittanceClaims.get(r.remittanceId) ?? []);
  // Receipt is when the ERA reached us (remittances.received_at, stamped when the file is taken from the
  // clearinghouse mailbox); posting is posted_at. Every ERA posted at its receipt instant means the two are one
  // step (pickup and auto-posting together), which the note says rather than letting 0 h pass silently.
  const instant = post.lagHours.count > 0 && post.lagHours.p90 === 0;
  add({
    key: 'posting_lag_median_hours',
    label: 'Posting lag, median',
    section: 'Posting',
    unit: 'hours',
    value: post.lagHours.median,
    denominator: post.lagHours.count,
    claimIds: remitClaims,
    note:
      'hours from ERA receipt (taken from the clearinghouse mailbox) to posting, ERAs received this month' +
      (instant
        ? '; every ERA was posted the moment it was received (pickup and auto-posting in one step)'
        : ''),
  });
  add({
    key: 'posting_lag_p90_hours',
    label: 'Posting lag, p90',
    section: 'Posting',
    unit: 'hours',
    value: post.lagHours.p90,
    denominator: post.lagHours.count,
    claimIds: remitClaims,
  });
  add({
    key: 'posted_within_48h',
    label: 'ERAs posted within 48 h',
    section: 'Posting',
    unit: 'percent',
    value: post.within48h,
    claimIds: remitClaims,
  });
  add({
    key: 'auto_posting_rate',
    label: 'Auto-posting rate',
    section: 'Posting',
    unit: 'percent',
    value: post.autoPosting.value,
    numerator: post.autoPosting.posted,
    denominator: post.autoPosting.total,
    claimIds: remitClaims,
  });
  const res = denialResolution(claims, period);
  // With no denial resolved at all yet (no denial workflow has closed one, no denied claim was corrected or
  // reprocessed and paid), the rate would read 0 % and a miss for a process that has not run: n/a, and why.
  const noResolution =
    res.resolvedEver === 0 && res.rate.denominator > 0
      ? `n/a: none of the practice's ${res.cases} denied claims has been resolved by ${knownOn} (no denial work closed, no corrected or reprocessed claim paid)`
      : undefined;
  add({
    key: 'denial_resolution_rate',
    label: 'Denial resolution rate',
    section: 'Denial work',
    unit: 'percent',
    value: noResolution === undefined ? res.rate.value : null,
    numerator: res.rate.numerator,
    denominator: res.rate.denominator,
    claimIds: res.rate.denominatorClaims,
    note:
      noResolution ??
      `claims first denied this month that were paid on a corrected or reprocessed claim, or closed, by ${knownOn}`,
  });
  add({
    key: 'denial_resolution_hours_mean',
    label: 'Average resolution time',
    section: 'Denial work',
    unit: 'hours',
    value: res.hours.mean,
    denominator: res.hours.count,
    claimIds: res.rate.numeratorClaims,
    note: 'from the ERA that carried the denial to the resolution',
  });
  add({
    key: 'denial_resolved_within_72h',
    label: 'Denials resolved within 72 h',
    section: 'Denial work',
    unit: 'percent',
    value: noResolution === undefined ? res.within72h : null,
    claimIds: res.rate.denominatorClaims,
    ...(noResolution === undefined ? {} : { note: noResolution }),
  });
  // Claims on credentialing hold at some time this month (not every hold the practice ever had).
  const holds = claims.filter((c) => c.credentialingHoldDays !== undefined && heldDuring(c, period));
  add({
    key: 'credentialing_holds',
    label: 'Claims on credentialing hold',
    section: 'Credentialing',
    unit: 'count',
    value: holds.length,
    claimIds: holds.map((c) => c.claimId),
    note: `held for provider enrollment at some time this month; days to release or to ${knownOn}`,
  });
  add({
    key: 'credentialing_hold_days_mean',
    label: 'Credentialing hold, average days',
    section: 'Credentialing',
    unit: 'days',
    value:
      holds.length === 0
        ? null
        : holds.reduce((s, c) => s + (c.credentialingHoldDays ?? 0), 0) / holds.length,
    claimIds: holds.map((c) => c.claimId),
  });
  return out;
}

function monthBefore(p: Period): Period {
  const from = addMonths(p.from, -1);
  return { from, to: endOfMonth(from) };
}

/**
 * The monthly report of one practice for `YYYY-MM`: the month's events as known on the as-of day (by default the
 * due date, 5 business days after month end), balances at the month's last day.
 */
export async function monthlyReport(
  db: Queryable,
  scope: PracticeScope,
  month: string,
  options: ReportOptions = {},
): Promise<MonthlyReport> {
  return (await reportWithFacts(db, scope, month, options)).report;
}

async function reportWithFacts(
  db: Queryable,
  scope: PracticeScope,
  month: string,
  options: ReportOptions,
): Promise<{ report: MonthlyReport; facts: Facts }> {
  const period = monthPeriod(month);
  const knownOn = reportAsOf(period, options);
  // Balances at the month's last day; what the report knows up to the end of the as-of day.
  const asOf = balanceDay(period, knownOn);
  const end = endOfDayExclusive(knownOn);
  const monthEnd = endOfDayExclusive(asOf);
  const start = `${period.from}T00:00:00.000Z`;
  const pr = await db.query<{
    id: number;
    code: string;
    name: string;
    benchmarks: Record<string, unknown> | null;
  }>('SELECT id, code, name, benchmarks FROM practices WHERE id = $1', [scope.practiceId]);
  const practice = pr.rows[0];
  if (practice === undefined) throw new Error(`practice ${String(scope.practiceId)} not found`);
  const contract = practice.benchmarks ?? {};
  const source =
    options.source !== undefined && compareDates(options.source.until, knownOn) >= 0
      ? options.source
      : await loadFactSource(db, [scope.practiceId], knownOn);
  const facts = factsAsOf(source, scope.practiceId, knownOn);
  const figures = factFigures(facts, period, contract);
  const add = (f: Omit<Figure, 'benchmark'>): void => {
    const b = compareWithBenchmark(f.key, f.value, contract);
    figures.push({ ...f, claimIds: ids(f.claimIds), ...(b === undefined ? {} : { benchmark: b }) });
  };

  // Underpayments found this month (posting's work items).
  const under = await db.query<ExtraRow>(
    `SELECT (w.links->>'claimId')::bigint AS claim_id FROM work_items w
      WHERE w.practice_id = $1 AND w.type = 'underpayment' AND w.created_at >= $2 AND w.created_at < $3
        AND w.links->>'claimId' ~ '^[0-9]+$'
      ORDER BY w.id`,
    [scope.practiceId, start, monthEnd],
  );
  add({
    key: 'underpayments_found',
    label: 'Underpayments found',
    section: 'Posting',
    unit: 'count',
    value: under.rows.length,
    claimIds: under.rows.map((r) => r.claim_id as ClaimId),
  });

  // Eligibility checks of the month's visits (the date of service the check asked about, not the day the 270
  // went out) by classification, with the claims of the checked appointments. Only checks a payer was asked
  // (in a 270 batch the transport took — sent_at — whatever its 999 said since; a paper-only payer's are never
  // sent), the latest per appointment, coverage and date of service (a real-time re-check replaces the nightly
  // one), as known on the as-of day: an answer that came later is still pending.
  const elig = await db.query<ClassRow>(
    `SELECT CASE WHEN e.responded_at >= $4 OR e.classification IS NULL THEN 'pending' ELSE e.classification END
              AS classification,
            count(DISTINCT e.id)::int AS checks,
            array_agg(DISTINCT c.id) FILTER (WHERE c.id IS NOT NULL) AS claim_ids
       FROM eligibility_checks e
       JOIN submission_batches b ON b.practice_id = e.practice_id AND b.id = e.batch_id AND b.sent_at < $4
       LEFT JOIN encounters en ON en.practice_id = e.practice_id AND en.appointment_id = e.appointment_id
       LEFT JOIN claims c ON c.practice_id = en.practice_id AND c.encounter_id = en.id
      WHERE e.practice_id = $1 AND e.batch_id IS NOT NULL AND e.service_date BETWEEN $2 AND $3
        AND NOT EXISTS (SELECT 1 FROM eligibility_checks l
                          JOIN submission_batches lb ON lb.practice_id = l.practice_id AND lb.id = l.batch_id
                               AND lb.sent_at < $4
                         WHERE l.practice_id = e.practice_id AND l.appointment_id = e.appointment_id
                           AND l.coverage_id = e.coverage_id AND l.service_date = e.service_date AND l.id > e.id)
      GROUP BY 1 ORDER BY 1`,
    [scope.practiceId, period.from, period.to, end],
  );
  const flagged = elig.rows.filter((r) => r.classification !== 'unchanged' && r.classification !== 'pending');
  add({
    key: 'eligibility_flags',
    label: 'Eligibility flags',
    section: 'Eligibility',
    unit: 'count',
    value: flagged.reduce((s, r) => s + r.checks, 0),
    claimIds: flagged.flatMap((r) => (r.claim_ids ?? []).map((x) => x as ClaimId)),
    note: flagged.map((r) => `${r.classification} ${r.checks}`).join(', '),
  });

  // Practice-side action items: what only the practice can fix.
  const docs = await db.query<DocRow>(
    `SELECT DISTINCT c.id AS claim_id
       FROM documentation_queries q
       JOIN claims c ON c.practice_id = q.practice_id AND c.encounter_id = q.encounter_id
      WHERE q.practice_id = $1 AND q.sent_at < $2
        AND (q.status IN ('open', 'expired') OR (q.answered_at IS NOT NULL AND q.answered_at >= $2))
     UNION
     SELECT c.id FROM claims c WHERE c.practice_id = $1 AND c.hold_reason = 'documentation'`,
    [scope.practiceId, end],
  );
  const denialsRouted = await db.query<{ claim_id: number; category: string }>(
    `SELECT DISTINCT d.claim_id, d.category FROM denials d
      WHERE d.practice_id = $1 AND d.detected_at >= $2 AND d.detected_at < $3
        AND d.category IN ('eligibility', 'registration', 'credentialing', 'medical_necessity')
      ORDER BY d.claim_id, d.category`,
    [scope.practiceId, start, monthEnd],
  );
  const byCat = (cats: readonly string[]): ClaimId[] =>
    denialsRouted.rows.filter((r) => cats.includes(r.category)).map((r) => r.claim_id as ClaimId);
  const registrationEligibility = elig.rows
    .filter(
      (r) =>
        r.classification === 'changed' || r.classification === 'lapsed' || r.classification === 'not_found',
    )
    .flatMap((r) => (r.claim_ids ?? []).map((x) => x as ClaimId));
  // Scrubber rules whose fix is the front desk's (insurance, coverage dates, authorization, patient address).
  // Holds that were open at some time this month (the ones released before it are last month's items).
  const heldFor = (rules: readonly string[]): ClaimId[] =>
    facts.claims
      .filter((c) => c.heldReasons.some((h) => rules.includes(h)) && heldDuring(c, period))
      .map((c) => c.claimId);
  const credHeld = facts.claims
    .filter((c) => c.credentialingHoldDays !== undefined && heldDuring(c, period))
    .map((c) => c.claimId);
  const actionItems: ActionItem[] = [
    {
      category: 'documentation',
      title: 'Answer open documentation queries; medical-necessity denials need the physician',
      count: 0,
      claimIds: ids([
        ...docs.rows.map((r) => r.claim_id as ClaimId),
        ...byCat(['medical_necessity']),
        ...heldFor(['documentation']),
      ]),
    },
    {
      category: 'registration',
      title:
        'Update insurance at the front desk (eligibility changed, lapsed or not found; registration denials)',
      count: 0,
      claimIds: ids([
        ...registrationEligibility,
        ...byCat(['eligibility', 'registration']),
        ...heldFor(REGISTRATION_RULES),
      ]),
    },
    {
      category: 'credentialing',
      title: 'Complete provider enrollment (claims held or denied for credentialing)',
      count: 0,
      claimIds: ids([...credHeld, ...byCat(['credentialing'])]),
    },
  ].map((a) => ({ ...a, count: a.claimIds.length }) as ActionItem);
  for (const a of actionItems) {
    add({
      key: `action_items_${a.category}`,
      label: `Practice action items: ${a.category}`,
      section: 'Practice action items',
      unit: 'count',
      value: a.count,
      claimIds: a.claimIds,
    });
  }

  // Appeals pending at month end, by status (DOMAIN "Reporting": pending appeals by status).
  const appeals = await db.query<{ status: string; claim_id: number }>(
    `SELECT a.status, a.claim_id FROM appeals a
      WHERE a.practice_id = $1 AND a.created_at < $2 AND (a.decided_on IS NULL OR a.decided_on > $3::date)
        AND a.status IN ('draft', 'submitted', 'pending')
      ORDER BY a.status, a.claim_id`,
    [scope.practiceId, monthEnd, asOf],
  );
  const appealStatuses = new Map<string, ClaimId[]>();
  for (const a of appeals.rows) {
    const list = appealStatuses.get(a.status) ?? [];
    list.push(a.claim_id as ClaimId);
    appealStatuses.set(a.status, list);
  }
  add({
    key: 'appeals_pending',
    label: 'Appeals pending',
    section: 'Denial work',
    unit: 'count',
    value: appeals.rows.length,
    claimIds: appeals.rows.map((a) => a.claim_id as ClaimId),
    note: [...appealStatuses].map(([st, list]) => `${st} ${list.length}`).join(', '),
  });

  // The clean-claim cohort's held claims: entered the pipeline this month and held before their first submission.
  const heldClaims = facts.claims.filter((c) => {
    if (c.heldReasons.length === 0) return false;
    const at = enteredAt(c);
    return at !== undefined && at >= start && at < monthEnd;
  });
  const holdReasons = new Map<string, ClaimId[]>();
  for (const c of heldClaims) {
    for (const reason of c.heldReasons) {
      const list = holdReasons.get(reason) ?? [];
      list.push(c.claimId);
      holdReasons.set(reason, list);
    }
  }
  add({
    key: 'claims_held_before_submission',
    label: 'Claims held before submission',
    section: 'Submission',
    unit: 'count',
    value: heldClaims.length,
    claimIds: heldClaims.map((c) => c.claimId),
    note: 'entered the pipeline this month and held by the scrubber before their first submission',
  });

  const den = denialRates(facts.claims, period);
  const denPrior = denialRates(facts.claims, monthBefore(period));
  const priorByReason = new Map(denPrior.byReason.map((r) => [r.reason, r.claims.length]));
  const reasons = new Set([...den.byReason.map((r) => r.reason), ...denPrior.byReason.map((r) => r.reason)]);
  const aging = arAging(facts.claims, facts.money, asOf);
  const totals = Object.fromEntries(AGING_BUCKETS.map((k) => [k, 0])) as Record<AgingBucket, number>;
  for (const row of aging) for (const k of AGING_BUCKETS) totals[k] += row.buckets[k];
  const agingClaims = Object.fromEntries(AGING_BUCKETS.map((k) => [k, [] as ClaimId[]])) as Record<
    AgingBucket,
    ClaimId[]
  >;
  for (const b of openBalances(facts.claims, facts.money, asOf)) {
    if (b.insuranceCents + b.patientCents !== 0)
      agingClaims[agingBucket(b.serviceDate, asOf)].push(b.claimId);
  }

  const payerOf = new Map(facts.claims.map((c) => [c.claimId, c.payerName]));
  const holds: CredentialingHold[] = facts.claims
    .filter((c) => c.credentialingHoldDays !== undefined && heldDuring(c, period))
    .map((c) => ({
      claimId: c.claimId,
      payerName: payerOf.get(c.claimId) ?? '',
      days: c.credentialingHoldDays ?? 0,
      stillHeld: c.submissions.length === 0,
    }));
  const hasContract = Object.keys(contract).length > 0;
  const usesDefaults = figures.some((f) => f.benchmark?.source === 'default');
  const report: MonthlyReport = {
    kind: 'practice',
    practice: { id: practice.id, code: practice.code, name: practice.name },
    month,
    period,
    asOf: knownOn,
    balancesAsOf: asOf,
    dueBy: reportDueDate(period),
    benchmarkSource: !hasContract ? 'defaults' : usesDefaults ? 'contract+defaults' : 'contract',
    figures,
    denialsByReason: den.byReason.map((r) => ({
      reason: r.reason,
      claims: r.claims.length,
      claimIds: ids(r.claims),
    })),
    holdsByReason: [...holdReasons]
      .map(([reason, list]) => ({ reason, claims: list.length, claimIds: ids(list) }))
      .sort((a, b) => b.claims - a.claims || a.reason.localeCompare(b.reason)),
    denialsByPayer: den.byPayer.map((p) => ({
      payerName: p.payerName,
      denied: p.rate.numerator,
      adjudicated: p.rate.denominator,
      rate: p.rate.value,
      claimIds: ids(p.rate.numeratorClaims),
    })),
    denialTrend: {
      current: den.claims.value,
      prior: denPrior.claims.value,
      byReason: [...reasons]
        .map((reason) => ({
          reason,
          current: den.byReason.find((r) => r.reason === reason)?.claims.length ?? 0,
          prior: priorByReason.get(reason) ?? 0,
        }))
        .sort((a, b) => b.current - a.current || b.prior - a.prior || a.reason.localeCompare(b.reason)),
    },
    arAging: aging,
    arAgingTotals: totals,
    arAgingClaims: agingClaims,
    appealsByStatus: [...appealStatuses].map(([status, list]) => ({ status, claimIds: ids(list) })),
    eligibilityFlags: elig.rows.map((r) => ({ classification: r.classification, checks: r.checks })),
    credentialingHolds: holds,
    actionItems,
    ledgerOpenArCents: await ledgerOpenAr(db, scope, asOf),
  };
  return { report, facts };
}

/**
 * The billing company's roll-up: every practice's headline figures, and the figures over all practices' facts
 * pooled (so a rate is Σ numerators ÷ Σ denominators, not an average of rates).
 */
export async function rollupReport(
  db: Queryable,
  month: string,
  options: ReportOptions = {},
): Promise<{ rollup: RollupReport; reports: MonthlyReport[] }> {
  const period = monthPeriod(month);
  const knownOn = reportAsOf(period, options);
  const practices = await db.query<{ id: number }>('SELECT id FROM practices ORDER BY code');
  const ids = practices.rows.map((p) => p.id);
  // One set-based read for every practice, unless the caller read them already.
  const given = options.source;
  const source =
    given !== undefined && compareDates(given.until, knownOn) >= 0 && ids.every((p) => given.practices.has(p))
      ? given
      : await loadFactSource(db, ids, knownOn);
  const reports: MonthlyReport[] = [];
  const pooled: Facts[] = [];
  for (const p of ids) {
    // The same options give each practice the same as-of day as the roll-up (`reportAsOf`).
    const { report, facts } = await reportWithFacts(db, practiceScope(p), month, { ...options, source });
    reports.push(report);
    pooled.push(facts);
  }
  const all: Facts = {
    asOf: knownOn,
    // Claim ids are global identities, so pooling keeps them distinct.
    claims: pooled.flatMap((f) => f.claims),
    money: pooled.flatMap((f) => f.money),
    remittances: pooled.flatMap((f) => f.remittances),
    remittanceClaims: new Map(pooled.flatMap((f) => [...f.remittanceClaims])),
  };
  return {
    reports,
    rollup: {
      kind: 'rollup',
      month,
      period,
      asOf: knownOn,
      balancesAsOf: balanceDay(period, knownOn),
      dueBy: reportDueDate(period),
      practices: reports.map((r) => ({ code: r.practice.code, name: r.practice.name, figures: r.figures })),
      figures: factFigures(all, period, {}),
    },
  };
}

/** A figure's value as people read it (the same text in HTML, PDF and CSV). */
export function formatFigure(f: Pick<Figure, 'unit' | 'value'>): string {
  if (f.value === null) return 'no data';
  switch (f.unit) {
    case 'percent':
      return `${(f.value * 100).toFixed(1)} %`;
    case 'days':
      return `${f.value.toFixed(1)} d`;
    case 'hours':
      return `${f.value.toFixed(1)} h`;
    case 'cents':
      return `$${formatCents(Math.round(f.value) as Cents)}`;
    case 'count':
      return String(Math.round(f.value));
    case 'points':
      return `${f.value >= 0 ? '+' : ''}${f.value.toFixed(1)} pts`;
  }
}

/** The benchmark as people read it: `>= 95.0 % (contract)`. */
export function formatBenchmark(f: Figure): string {
  const b = f.benchmark;
  if (b === undefined) return '';
  return `${b.direction === 'min' ? '>=' : '<='} ${formatFigure({ unit: f.unit, value: b.target })} (${b.source})`;
}
