/**
 * Reads the report facts (facts.ts) from the database, as of a day: nothing that happened after the end of
 * `asOf` (UTC) is used, so a report for a past month reproduces. Practice-scoped queries only.
 *
 * Two steps, so a month's package costs one read however many practices and as-of days it needs:
 * `loadFactSource(db, practiceIds, until)` reads every row the facts need for those practices up to the end of
 * `until` in a fixed number of set-based statements, and `factsAsOf(source, practiceId, asOf)` builds the facts of
 * one practice as of any day up to `until` in memory (the rows carry their instants, so "as of" is a filter).
 * `loadFacts(db, scope, asOf)` does both for one practice.
 *
 * Decisions (docs/metrics.md, "From the database"):
 * - A submission is one claim version carried by one sent 837P batch (batch_claims → submission_batches.sent_at).
 * - Its acknowledgement is the verdict of the 999/277CA events recorded for that version before the next
 *   submission: a rejection anywhere (TA1, 999 or 277CA) makes it rejected; a 277CA acceptance, or an
 *   adjudication by the payer without any rejection, makes it accepted; otherwise it is still pending.
 * - Its adjudications are the claim payments (835 CLP, CLP02 22 reversals excluded) received after it and before
 *   the next submission, grouped by the day they were received (a claim split over two ERAs of one day is one
 *   adjudication). The first is the first adjudication even when the payer later reversed it: a denial that was
 *   reprocessed is still a denial on first adjudication. Denied lines and reasons come from the `denials` rows
 *   posting wrote (a denial without a line denies every line of that claim payment).
 * - Money comes from the ledger only: per transaction and claim, the change of ar_insurance and ar_patient is
 *   mapped to a MoneyFact kind, charges included (kind `charge`). So the open AR that metrics.ts derives equals
 *   Σ ar_insurance + ar_patient entries with a claim, as of any day.
 */
import {
  centsFromDb,
  ClaimId,
  compareDates,
  instantFromDb,
  PayerId,
  addDays,
  type CalendarDate,
  type Cents,
  type Instant,
} from '@openrcm/core';
import type { Queryable } from '@openrcm/db';
import type { PracticeScope } from '@openrcm/db';
import type { AdjudicationFact, ClaimFact, MoneyFact, RemittanceFact, SubmissionFact } from './facts.ts';
import { utcDay } from './metrics.ts';

export interface Facts {
  readonly asOf: CalendarDate;
  readonly claims: readonly ClaimFact[];
  readonly money: readonly MoneyFact[];
  readonly remittances: readonly RemittanceFact[];
  /** Claims paid or adjusted by each remittance (the drill-down of the posting figures). */
  readonly remittanceClaims: ReadonlyMap<number, readonly ClaimId[]>;
}

/** First instant after the day: events strictly before it belong to the day or earlier. */
export function endOfDayExclusive(asOf: CalendarDate): Instant {
  return `${addDays(asOf, 1)}T00:00:00.000Z` as Instant;
}

const day = utcDay;

function optInstant(v: unknown, field: string): Instant | undefined {
  return v === null || v === undefined ? undefined : instantFromDb(v, field);
}

type ClaimRow = {
  id: number;
  practice_id: number;
  payer_id: number;
  payer_name: string;
  service_date: string | null;
  documented_at: unknown;
  coded_at: unknown;
  entered_at: unknown;
};
type SubmissionRow = {
  practice_id: number;
  claim_id: number;
  version_id: number;
  version_no: number;
  frequency_code: string;
  sent_at: unknown;
};
type AckRow = { practice_id: number; claim_version_id: number; result: string; at: unknown };
type PaymentRow = {
  id: number;
  practice_id: number;
  claim_id: number;
  received_at: unknown;
  payment_date: string;
  charge_cents: unknown;
  line_count: number;
  reversed_at: unknown;
};
type DenialRow = {
  practice_id: number;
  claim_id: number;
  claim_payment_id: number;
  line_payment_id: number | null;
  group_code: string;
  reason_code: string;
  line_charge_cents: unknown;
  detected_at: unknown;
  resolved_at: unknown;
};
type VersionLinesRow = { practice_id: number; claim_id: number; version_no: number; line_count: number };
type HoldRow = {
  practice_id: number;
  claim_id: number;
  to_status: string;
  at: unknown;
  reason: string | null;
};
type IssueRow = { practice_id: number; claim_id: number; rule_key: string };
type MoneyRow = {
  practice_id: number;
  kind: string;
  base_kind: string;
  effective_date: string;
  claim_id: number;
  ins: unknown;
  pat: unknown;
};
type RemitClaimRow = { practice_id: number; remittance_id: number; claim_id: number; received_at: unknown };
type RemitRow = {
  id: number;
  practice_id: number;
  received_at: unknown;
  posted_at: unknown;
  lines_total: number;
  lines_auto_posted: number;
};
type WorkRow = { practice_id: number; claim_id: string | null; created_at: unknown; resolved_at: unknown };

interface Payment {
  readonly id: number;
  readonly receivedAt: Instant;
  readonly paymentDate: CalendarDate;
  readonly chargeCents: number;
  readonly lineCount: number;
  readonly reversedAt: Instant | undefined;
}

interface Denial {
  readonly claimPaymentId: number;
  readonly linePaymentId: number | null;
  readonly reason: string;
  readonly lineChargeCents: number;
  readonly detectedAt: Instant;
  readonly resolvedAt: Instant | undefined;
}

interface Sub {
  readonly versionId: number;
  readonly versionNo: number;
  readonly frequencyCode: string;
  readonly sentAt: Instant;
}

interface Money {
  readonly claimId: number;
  readonly baseKind: string;
  readonly effectiveDate: CalendarDate;
  readonly ins: number;
  readonly pat: number;
}

interface Remit {
  readonly id: number;
  readonly receivedAt: Instant;
  readonly postedAt: Instant | undefined;
  readonly lineCount: number;
  readonly autoPostedLineCount: number;
}

/** The rows of one practice, decoded, with their instants: facts as of any day up to `until` are built from them. */
interface PracticeRows {
  readonly claims: {
    readonly id: number;
    readonly payerId: number;
    readonly payerName: string;
    readonly serviceDate: CalendarDate | undefined;
    readonly documentedAt: Instant | undefined;
    readonly codedAt: Instant | undefined;
    readonly enteredAt: Instant | undefined;
  }[];
  readonly subs: Map<number, Sub[]>;
  readonly acks: Map<number, { result: string; at: Instant }[]>;
  readonly pays: Map<number, Payment[]>;
  readonly denialsByPayment: Map<number, Denial[]>;
  readonly denialsByClaim: Map<number, Denial[]>;
  readonly versionLines: Map<string, number>;
  readonly holds: Map<number, { toStatus: string; at: Instant; reason: string | null }[]>;
  readonly issues: Map<number, string[]>;
  readonly money: Money[];
  readonly remits: Remit[];
  readonly remitClaims: { remittanceId: number; claimId: number; receivedAt: Instant }[];
  readonly work: Map<number, { createdAt: Instant; resolvedAt: Instant | undefined }[]>;
}

/** Every row the facts of some practices need, read once, up to the end of `until`. */
export interface FactSource {
  readonly until: CalendarDate;
  readonly practices: ReadonlyMap<number, PracticeRows>;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

function emptyRows(): PracticeRows {
  return {
    claims: [],
    subs: new Map(),
    acks: new Map(),
    pays: new Map(),
    denialsByPayment: new Map(),
    denialsByClaim: new Map(),
    versionLines: new Map(),
    holds: new Map(),
    issues: new Map(),
    money: [],
    remits: [],
    remitClaims: [],
    work: new Map(),
  };
}

/**
 * Reads, for the given practices, every row the report facts are built from, up to the end of `until`, in a fixed
 * number of statements (each filtered by the practices, none per claim).
 */
export async function loadFactSource(
  db: Queryable,
  practiceIds: readonly number[],
  until: CalendarDate,
): Promise<FactSource> {
  const ps = [...practiceIds];
  const end = endOfDayExclusive(until);
  const practices = new Map<number, PracticeRows>(ps.map((p) => [p, emptyRows()]));
  const rowsOf = (p: number): PracticeRows => {
    const r = practices.get(p);
    if (r === undefined) throw new Error(`facts: practice ${String(p)} was not asked for`);
    return r;
  };

  const claimRows = await db.query<ClaimRow>(
    `SELECT c.id, c.practice_id, c.payer_id, py.name AS payer_name, v.service_date::text AS service_date,
            e.documentation_complete_at AS documented_at, e.coded_at, h.entered_at
       FROM claims c
       JOIN payers py ON py.id = c.payer_id
       JOIN encounters e ON e.practice_id = c.practice_id AND e.id = c.encounter_id
       LEFT JOIN (SELECT practice_id, claim_id, min(service_date_from) AS service_date
                    FROM claim_versions WHERE practice_id = ANY($1::bigint[]) GROUP BY practice_id, claim_id) v
         ON v.practice_id = c.practice_id AND v.claim_id = c.id
       LEFT JOIN (SELECT practice_id, claim_id, min(at) AS entered_at
                    FROM claim_status_history
                   WHERE practice_id = ANY($1::bigint[]) AND from_status = 'draft' AND at < $2
                   GROUP BY practice_id, claim_id) h
         ON h.practice_id = c.practice_id AND h.claim_id = c.id
      WHERE c.practice_id = ANY($1::bigint[])
      ORDER BY c.id`,
    [ps, end],
  );

  const subRows = await db.query<SubmissionRow>(
    `SELECT v.practice_id, v.claim_id, v.id AS version_id, v.version_no, v.frequency_code, b.sent_at
       FROM claim_versions v
       JOIN batch_claims bc ON bc.practice_id = v.practice_id AND bc.claim_version_id = v.id
       JOIN submission_batches b ON b.practice_id = bc.practice_id AND b.id = bc.batch_id
      WHERE v.practice_id = ANY($1::bigint[]) AND b.sent_at IS NOT NULL AND b.sent_at < $2
      ORDER BY v.claim_id, b.sent_at, v.version_no, b.id`,
    [ps, end],
  );

  // 277CA per-claim results and every accepted/rejected transition the acknowledgements recorded (999 and TA1
  // rejections are only in the claim's history).
  const ackRows = await db.query<AckRow>(
    `SELECT r.practice_id, r.claim_version_id, r.result, a.received_at AS at
       FROM ack_claim_results r
       JOIN acknowledgements a ON a.practice_id = r.practice_id AND a.id = r.acknowledgement_id
      WHERE r.practice_id = ANY($1::bigint[]) AND r.claim_version_id IS NOT NULL AND a.received_at < $2
     UNION ALL
     SELECT h.practice_id, h.claim_version_id, h.to_status AS result, h.at
       FROM claim_status_history h
      WHERE h.practice_id = ANY($1::bigint[]) AND h.claim_version_id IS NOT NULL
        AND h.to_status IN ('accepted', 'rejected') AND h.at < $2
      ORDER BY 2, 4, 3`,
    [ps, end],
  );

  const payRows = await db.query<PaymentRow>(
    `SELECT cp.id, cp.practice_id, cp.claim_id, r.received_at, r.payment_date::text AS payment_date, cp.charge_cents,
            COALESCE(lp.line_count, 0)::int AS line_count, rv.reversed_at
       FROM claim_payments cp
       JOIN remittances r ON r.practice_id = cp.practice_id AND r.id = cp.remittance_id
       LEFT JOIN (SELECT practice_id, claim_payment_id, count(*) AS line_count FROM line_payments
                   WHERE practice_id = ANY($1::bigint[]) GROUP BY practice_id, claim_payment_id) lp
         ON lp.practice_id = cp.practice_id AND lp.claim_payment_id = cp.id
       LEFT JOIN (SELECT x.practice_id, x.reverses_claim_payment_id AS id, min(xr.received_at) AS reversed_at
                    FROM claim_payments x
                    JOIN remittances xr ON xr.practice_id = x.practice_id AND xr.id = x.remittance_id
                   WHERE x.practice_id = ANY($1::bigint[]) AND x.reverses_claim_payment_id IS NOT NULL
                   GROUP BY x.practice_id, x.reverses_claim_payment_id) rv
         ON rv.practice_id = cp.practice_id AND rv.id = cp.id
      WHERE cp.practice_id = ANY($1::bigint[]) AND cp.claim_id IS NOT NULL AND cp.claim_status_code <> '22'
        AND r.received_at < $2
      ORDER BY cp.claim_id, r.received_at, cp.id`,
    [ps, end],
  );

  const denialRows = await db.query<DenialRow>(
    `SELECT d.practice_id, d.claim_id, d.claim_payment_id, d.line_payment_id, d.group_code, d.reason_code,
            lp.charge_cents AS line_charge_cents, d.detected_at, d.resolved_at
       FROM denials d
       LEFT JOIN line_payments lp ON lp.practice_id = d.practice_id AND lp.id = d.line_payment_id
      WHERE d.practice_id = ANY($1::bigint[]) AND d.detected_at < $2
      ORDER BY d.id`,
    [ps, end],
  );

  const versionLines = await db.query<VersionLinesRow>(
    `SELECT v.practice_id, v.claim_id, v.version_no, count(l.id)::int AS line_count
       FROM claim_versions v
       LEFT JOIN claim_lines l ON l.practice_id = v.practice_id AND l.claim_version_id = v.id
      WHERE v.practice_id = ANY($1::bigint[])
      GROUP BY v.practice_id, v.claim_id, v.version_no
      ORDER BY v.claim_id, v.version_no`,
    [ps],
  );

  const holdRows = await db.query<HoldRow>(
    `SELECT h.practice_id, h.claim_id, h.to_status, h.at, h.reason
       FROM claim_status_history h
      WHERE h.practice_id = ANY($1::bigint[]) AND h.at < $2
        AND (h.to_status = 'held' OR h.from_status = 'held')
      ORDER BY h.claim_id, h.at, h.id`,
    [ps, end],
  );

  const issueRows = await db.query<IssueRow>(
    `SELECT DISTINCT i.practice_id, i.claim_id, i.rule_key
       FROM claim_issues i
      WHERE i.practice_id = ANY($1::bigint[]) AND i.severity = 'error'
      ORDER BY i.claim_id, i.rule_key`,
    [ps],
  );

  const moneyRows = await db.query<MoneyRow>(
    `SELECT t.practice_id, t.kind, COALESCE(rt.kind, t.kind) AS base_kind, t.effective_date::text AS effective_date,
            e.claim_id,
            COALESCE(sum(e.amount_cents) FILTER (WHERE e.account = 'ar_insurance'), 0)::bigint AS ins,
            COALESCE(sum(e.amount_cents) FILTER (WHERE e.account = 'ar_patient'), 0)::bigint AS pat
       FROM ledger_transactions t
       JOIN ledger_entries e ON e.practice_id = t.practice_id AND e.transaction_id = t.id
       LEFT JOIN ledger_transactions rt ON rt.practice_id = t.practice_id AND rt.id = t.reverses_transaction_id
      WHERE t.practice_id = ANY($1::bigint[]) AND t.effective_date <= $2::date
        AND e.account IN ('ar_insurance', 'ar_patient') AND e.claim_id IS NOT NULL
      GROUP BY t.practice_id, t.id, t.kind, rt.kind, t.effective_date, e.claim_id
      ORDER BY t.effective_date, t.id, e.claim_id`,
    [ps, until],
  );

  const remitRows = await db.query<RemitRow>(
    `SELECT r.id, r.practice_id, r.received_at, r.posted_at, r.lines_total, r.lines_auto_posted
       FROM remittances r
      WHERE r.practice_id = ANY($1::bigint[]) AND r.received_at < $2
      ORDER BY r.received_at, r.id`,
    [ps, end],
  );

  const remitClaimRows = await db.query<RemitClaimRow>(
    `SELECT DISTINCT cp.practice_id, cp.remittance_id, cp.claim_id, r.received_at
       FROM claim_payments cp
       JOIN remittances r ON r.practice_id = cp.practice_id AND r.id = cp.remittance_id
      WHERE cp.practice_id = ANY($1::bigint[]) AND cp.claim_id IS NOT NULL AND r.received_at < $2
      ORDER BY cp.remittance_id, cp.claim_id`,
    [ps, end],
  );

  const workRows = await db.query<WorkRow>(
    `SELECT w.practice_id, w.links->>'claimId' AS claim_id, w.created_at, w.resolved_at
       FROM work_items w
      WHERE w.practice_id = ANY($1::bigint[]) AND w.type = 'denial' AND w.created_at < $2
      ORDER BY w.created_at, w.id`,
    [ps, end],
  );

  for (const r of claimRows.rows) {
    rowsOf(r.practice_id).claims.push({
      id: r.id,
      payerId: r.payer_id,
      payerName: r.payer_name,
      serviceDate: (r.service_date ?? undefined) as CalendarDate | undefined,
      documentedAt: optInstant(r.documented_at, 'documentation_complete_at'),
      codedAt: optInstant(r.coded_at, 'coded_at'),
      enteredAt: optInstant(r.entered_at, 'entered_at'),
    });
  }
  for (const r of subRows.rows) {
    push(rowsOf(r.practice_id).subs, r.claim_id, {
      versionId: r.version_id,
      versionNo: r.version_no,
      frequencyCode: r.frequency_code,
      sentAt: instantFromDb(r.sent_at, 'sent_at'),
    });
  }
  for (const r of ackRows.rows)
    push(rowsOf(r.practice_id).acks, r.claim_version_id, { result: r.result, at: instantFromDb(r.at, 'at') });
  for (const r of payRows.rows) {
    push(rowsOf(r.practice_id).pays, r.claim_id, {
      id: r.id,
      receivedAt: instantFromDb(r.received_at, 'received_at'),
      paymentDate: r.payment_date as CalendarDate,
      chargeCents: centsFromDb(r.charge_cents, 'charge_cents'),
      lineCount: r.line_count,
      reversedAt: optInstant(r.reversed_at, 'reversed_at'),
    });
  }
  for (const r of denialRows.rows) {
    const d: Denial = {
      claimPaymentId: r.claim_payment_id,
      linePaymentId: r.line_payment_id,
      reason: `${r.group_code}-${r.reason_code}`,
      lineChargeCents: centsFromDb(r.line_charge_cents ?? 0, 'line_charge_cents'),
      detectedAt: instantFromDb(r.detected_at, 'detected_at'),
      resolvedAt: optInstant(r.resolved_at, 'resolved_at'),
    };
    push(rowsOf(r.practice_id).denialsByPayment, r.claim_payment_id, d);
    push(rowsOf(r.practice_id).denialsByClaim, r.claim_id, d);
  }
  for (const r of versionLines.rows)
    rowsOf(r.practice_id).versionLines.set(`${r.claim_id}:${r.version_no}`, r.line_count);
  for (const r of holdRows.rows)
    push(rowsOf(r.practice_id).holds, r.claim_id, {
      toStatus: r.to_status,
      at: instantFromDb(r.at, 'at'),
      reason: r.reason,
    });
  for (const r of issueRows.rows) push(rowsOf(r.practice_id).issues, r.claim_id, r.rule_key);
  for (const r of moneyRows.rows) {
    rowsOf(r.practice_id).money.push({
      claimId: r.claim_id,
      baseKind: r.base_kind,
      effectiveDate: r.effective_date as CalendarDate,
      ins: centsFromDb(r.ins, 'ins'),
      pat: centsFromDb(r.pat, 'pat'),
    });
  }
  for (const r of remitRows.rows) {
    rowsOf(r.practice_id).remits.push({
      id: r.id,
      receivedAt: instantFromDb(r.received_at, 'received_at'),
      postedAt: optInstant(r.posted_at, 'posted_at'),
      lineCount: r.lines_total,
      autoPostedLineCount: r.lines_auto_posted,
    });
  }
  for (const r of remitClaimRows.rows)
    rowsOf(r.practice_id).remitClaims.push({
      remittanceId: r.remittance_id,
      claimId: r.claim_id,
      receivedAt: instantFromDb(r.received_at, 'received_at'),
    });
  for (const r of workRows.rows) {
    if (r.claim_id === null || !/^[0-9]+$/.test(r.claim_id)) continue;
    push(rowsOf(r.practice_id).work, Number(r.claim_id), {
      createdAt: instantFromDb(r.created_at, 'created_at'),
      resolvedAt: optInstant(r.resolved_at, 'resolved_at'),
    });
  }
  return { until, practices };
}

/** The money rows of a claim as MoneyFacts: the AR change per ledger transaction, named by its kind. */
function moneyFacts(
  r: Money,
  base: Pick<MoneyFact, 'claimId' | 'payerId' | 'serviceDate' | 'postedOn'>,
  out: MoneyFact[],
): void {
  const add = (kind: MoneyFact['kind'], amount: number): void => {
    if (amount !== 0) out.push({ ...base, kind, amountCents: amount as Cents });
  };
  if (r.baseKind === 'charge') {
    add('charge', r.ins + r.pat);
    return;
  }
  let insurance = r.ins;
  let patient = r.pat;
  // Insurance → patient (CAS PR, or a transfer): the part that moved between the two balances.
  if (r.baseKind === 'patient_responsibility' || r.baseKind === 'transfer') {
    add('transfer-to-patient', patient);
    insurance += patient;
    patient = 0;
  }
  // What remains changed one balance on its own: named by the transaction kind.
  switch (r.baseKind) {
    case 'insurance_payment':
      add('insurance-payment', -insurance);
      break;
    case 'contractual_adjustment':
      add('contractual', -insurance);
      break;
    default:
      add('other-adjustment', -insurance);
  }
  add(
    r.baseKind === 'patient_payment' || r.baseKind === 'refund' ? 'patient-payment' : 'write-off',
    -patient,
  );
}

/** The facts of one practice as of the end of `asOf` (at most the source's `until`), built in memory. */
export function factsAsOf(source: FactSource, practiceId: number, asOf: CalendarDate): Facts {
  if (compareDates(asOf, source.until) > 0)
    throw new Error(`facts: as of ${asOf} is after the rows read (until ${source.until})`);
  const rows = source.practices.get(practiceId);
  if (rows === undefined) throw new Error(`facts: practice ${String(practiceId)} was not read`);
  const end = endOfDayExclusive(asOf);
  const before = (i: Instant | undefined): i is Instant => i !== undefined && i < end;

  const claimInfo = new Map<number, { payerId: PayerId; serviceDate: CalendarDate }>();
  for (const c of rows.claims)
    claimInfo.set(c.id, { payerId: PayerId(c.payerId), serviceDate: c.serviceDate ?? asOf });

  const money: MoneyFact[] = [];
  const chargeByClaim = new Map<number, number>();
  for (const r of rows.money) {
    if (compareDates(r.effectiveDate, asOf) > 0) continue;
    const c = claimInfo.get(r.claimId);
    if (c === undefined) continue;
    if (r.baseKind === 'charge')
      chargeByClaim.set(r.claimId, (chargeByClaim.get(r.claimId) ?? 0) + r.ins + r.pat);
    moneyFacts(
      r,
      {
        claimId: ClaimId(r.claimId),
        payerId: c.payerId,
        serviceDate: c.serviceDate,
        postedOn: r.effectiveDate,
      },
      money,
    );
  }

  /** One adjudication from the claim payments received on one day for one submission. */
  const adjudicate = (
    claimId: number,
    versionNo: number,
    used: readonly Payment[],
  ): AdjudicationFact | undefined => {
    const first = used[0];
    if (first === undefined) return undefined;
    let lineCount = 0;
    let deniedLines = 0;
    let deniedCents = 0;
    const reasons: string[] = [];
    for (const x of used) {
      const lines = x.lineCount > 0 ? x.lineCount : (rows.versionLines.get(`${claimId}:${versionNo}`) ?? 1);
      lineCount += lines;
      const ds = (rows.denialsByPayment.get(x.id) ?? []).filter((d) => d.detectedAt < end);
      if (ds.some((d) => d.linePaymentId === null)) {
        deniedLines += lines;
        deniedCents += x.chargeCents;
      } else {
        const seen = new Set<number>();
        for (const d of ds) {
          if (d.linePaymentId === null || seen.has(d.linePaymentId)) continue;
          seen.add(d.linePaymentId);
          deniedLines += 1;
          deniedCents += d.lineChargeCents;
        }
      }
      for (const d of ds) reasons.push(d.reason);
    }
    const paymentDay = used.reduce(
      (m, x) => (compareDates(x.paymentDate, m) < 0 ? x.paymentDate : m),
      first.paymentDate,
    );
    return {
      adjudicatedOn: paymentDay,
      receivedAt: first.receivedAt,
      outcome: deniedLines === 0 ? 'paid' : deniedLines >= lineCount ? 'denied' : 'partial',
      lineCount,
      deniedLineCount: Math.min(deniedLines, lineCount),
      deniedCents: deniedCents as Cents,
      denialReasons: [...new Set(reasons)],
    };
  };

  const claims: ClaimFact[] = [];
  for (const r of rows.claims) {
    const serviceDate = r.serviceDate;
    if (serviceDate === undefined || compareDates(serviceDate, asOf) > 0) continue;
    const subs = (rows.subs.get(r.id) ?? []).filter((s) => s.sentAt < end);
    const pays = (rows.pays.get(r.id) ?? []).filter((x) => x.receivedAt < end);
    const submissions: SubmissionFact[] = subs.map((s, i) => {
      const sentAt = s.sentAt;
      const until = subs[i + 1]?.sentAt;
      const within = (at: Instant): boolean => at >= sentAt && (until === undefined || at < until);
      // Payments before the first submission was recorded still belong to it.
      const mine = pays.filter(
        (x) => (i === 0 ? true : x.receivedAt >= sentAt) && (until === undefined || x.receivedAt < until),
      );
      const byDay: Payment[][] = [];
      for (const x of mine) {
        const last = byDay[byDay.length - 1];
        const lastFirst = last?.[0];
        if (last !== undefined && lastFirst !== undefined && day(lastFirst.receivedAt) === day(x.receivedAt))
          last.push(x);
        else byDay.push([x]);
      }
      const adjudications = byDay
        .map((group) => adjudicate(r.id, s.versionNo, group))
        .filter((a): a is AdjudicationFact => a !== undefined);
      const events = (rows.acks.get(s.versionId) ?? []).filter((e) => e.at < end && within(e.at));
      const rejection = events.find((e) => e.result === 'rejected');
      const acceptance = events.find((e) => e.result === 'accepted');
      const firstPay = mine[0];
      let ack: Pick<SubmissionFact, 'acknowledgement' | 'acknowledgedAt'> = {};
      if (rejection !== undefined) ack = { acknowledgement: 'rejected', acknowledgedAt: rejection.at };
      else if (acceptance !== undefined) ack = { acknowledgement: 'accepted', acknowledgedAt: acceptance.at };
      else if (firstPay !== undefined)
        ack = { acknowledgement: 'accepted', acknowledgedAt: firstPay.receivedAt };
      const [adjudication, ...later] = adjudications;
      return {
        version: s.versionNo,
        frequencyCode: s.frequencyCode as SubmissionFact['frequencyCode'],
        submittedAt: sentAt,
        ...ack,
        ...(adjudication === undefined ? {} : { adjudication }),
        ...(later.length === 0 ? {} : { laterAdjudications: later }),
      };
    });
    // Holds before the first submission: the rules that failed, and how long a credentialing hold lasted.
    const firstSent = submissions[0]?.submittedAt;
    const heldReasons = new Set<string>();
    let credStart: Instant | undefined;
    let credDays = 0;
    let credSeen = false;
    for (const h of rows.holds.get(r.id) ?? []) {
      if (h.at >= end) break;
      if (h.toStatus === 'held') {
        const m = /held \(([a-z_]+)\)/.exec(h.reason ?? '');
        const kind = m?.[1] ?? 'scrubber';
        if (firstSent === undefined || h.at < firstSent) heldReasons.add(kind);
        if (kind === 'credentialing' && credStart === undefined) {
          credStart = h.at;
          credSeen = true;
        }
      } else if (credStart !== undefined) {
        credDays += (Date.parse(h.at) - Date.parse(credStart)) / 86_400_000;
        credStart = undefined;
      }
    }
    if (credStart !== undefined) credDays += (Date.parse(end) - Date.parse(credStart)) / 86_400_000;
    if (heldReasons.size > 0) for (const k of rows.issues.get(r.id) ?? []) heldReasons.add(k);
    // The claim's denials are closed when every denial row was resolved, or every denial work item closed.
    const closedBy = (times: readonly (Instant | undefined)[]): Instant | undefined =>
      times.length > 0 && times.every(before)
        ? (times as Instant[]).reduce((a, b) => (b > a ? b : a))
        : undefined;
    const denialRows = (rows.denialsByClaim.get(r.id) ?? []).filter((d) => d.detectedAt < end);
    const workRows = (rows.work.get(r.id) ?? []).filter((w) => w.createdAt < end);
    const closedAts = [
      closedBy(denialRows.map((d) => d.resolvedAt)),
      closedBy(workRows.map((w) => w.resolvedAt)),
    ].filter((x): x is Instant => x !== undefined);
    const denialClosedAt = closedAts.length === 0 ? undefined : closedAts.reduce((a, b) => (b < a ? b : a));
    const enteredAt = before(r.enteredAt) ? r.enteredAt : undefined;
    claims.push({
      claimId: ClaimId(r.id),
      payerId: PayerId(r.payerId),
      payerName: r.payerName,
      serviceDate,
      chargeCents: (chargeByClaim.get(r.id) ?? 0) as Cents,
      ...(before(r.documentedAt) ? { documentedOn: day(r.documentedAt) } : {}),
      ...(before(r.codedAt) ? { codedOn: day(r.codedAt) } : {}),
      ...(enteredAt === undefined ? {} : { enteredAt }),
      submissions,
      heldReasons: [...heldReasons],
      ...(credSeen ? { credentialingHoldDays: Math.round(credDays * 10) / 10 } : {}),
      ...(denialClosedAt === undefined ? {} : { denialClosedAt }),
    });
  }

  const remittances: RemittanceFact[] = rows.remits
    .filter((r) => r.receivedAt < end)
    .map((r) => ({
      remittanceId: r.id,
      receivedAt: r.receivedAt,
      ...(before(r.postedAt) ? { postedAt: r.postedAt } : {}),
      lineCount: r.lineCount,
      autoPostedLineCount: r.autoPostedLineCount,
    }));

  const remittanceClaims = new Map<number, ClaimId[]>();
  for (const r of rows.remitClaims)
    if (r.receivedAt < end) push(remittanceClaims, r.remittanceId, ClaimId(r.claimId));

  return { asOf, claims, money, remittances, remittanceClaims };
}

/** Reads every fact of the practice as of the end of `asOf`. */
export async function loadFacts(db: Queryable, scope: PracticeScope, asOf: CalendarDate): Promise<Facts> {
  return factsAsOf(await loadFactSource(db, [scope.practiceId], asOf), scope.practiceId, asOf);
}

/** Σ ar_insurance + ar_patient ledger entries of the practice as of the day: the AR the ledger says. */
export async function ledgerOpenAr(
  db: Queryable,
  scope: PracticeScope,
  asOf: CalendarDate,
  options: { readonly withClaimOnly?: boolean } = {},
): Promise<number> {
  const res = await db.query<{ total: unknown }>(
    `SELECT COALESCE(sum(e.amount_cents), 0)::bigint AS total
       FROM ledger_entries e
       JOIN ledger_transactions t ON t.practice_id = e.practice_id AND t.id = e.transaction_id
      WHERE e.practice_id = $1 AND t.effective_date <= $2::date AND e.account IN ('ar_insurance', 'ar_patient')
        AND ($3::boolean = false OR e.claim_id IS NOT NULL)`,
    [scope.practiceId, asOf, options.withClaimOnly === true],
  );
  return centsFromDb(res.rows[0]?.total ?? 0, 'total');
}
