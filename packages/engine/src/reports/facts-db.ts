/**
 * Reads the report facts (facts.ts) of one practice from the database, as of a day: nothing that happened after
 * the end of `asOf` (UTC) is read, so a report for a past month reproduces. Practice-scoped queries only.
 *
 * Decisions (docs/metrics.md, "From the database"):
 * - A submission is one claim version carried by one sent 837P batch (batch_claims → submission_batches.sent_at).
 * - Its acknowledgement is the verdict of the 999/277CA events recorded for that version before the next
 *   submission: a rejection anywhere (TA1, 999 or 277CA) makes it rejected; a 277CA acceptance, or an
 *   adjudication by the payer without any rejection, makes it accepted; otherwise it is still pending.
 * - Its adjudication is the claim payments (835 CLP, reversals excluded) received after it and before the next
 *   submission: a claim split over two ERAs counts its lines once each; a payment the payer later reversed is
 *   kept only when nothing else adjudicated the submission. Denied lines and reasons come from the `denials`
 *   rows posting wrote (a denial without a line denies every line of that claim payment).
 * - Money comes from the ledger only: per transaction and claim, the change of ar_insurance and ar_patient is
 *   mapped to a MoneyFact kind; charges (kind `charge`) become the claim's `chargeCents`. So the open AR that
 *   metrics.ts derives equals Σ ar_insurance + ar_patient entries with a claim, as of the day.
 */
import {
  centsFromDb,
  ClaimId,
  compareDates,
  dateInZone,
  instantFromDb,
  PayerId,
  addDays,
  type CalendarDate,
  type Cents,
  type Instant,
} from '@openrcm/core';
import type { Queryable } from '@openrcm/db';
import type { PracticeScope } from '@openrcm/db';
import type {
  AdjudicationFact,
  ClaimFact,
  DenialWorkFact,
  MoneyFact,
  RemittanceFact,
  SubmissionFact,
} from './facts.ts';

export interface Facts {
  readonly asOf: CalendarDate;
  readonly claims: readonly ClaimFact[];
  readonly money: readonly MoneyFact[];
  readonly remittances: readonly RemittanceFact[];
  readonly denialWork: readonly DenialWorkFact[];
  /** Claims paid or adjusted by each remittance (the drill-down of the posting figures). */
  readonly remittanceClaims: ReadonlyMap<number, readonly ClaimId[]>;
}

/** First instant after the day: events strictly before it belong to the day or earlier. */
export function endOfDayExclusive(asOf: CalendarDate): Instant {
  return `${addDays(asOf, 1)}T00:00:00.000Z` as Instant;
}

function day(i: Instant): CalendarDate {
  return dateInZone(i, 'UTC');
}

function optInstant(v: unknown, field: string): Instant | undefined {
  return v === null || v === undefined ? undefined : instantFromDb(v, field);
}

type ClaimRow = {
  id: number;
  payer_id: number;
  payer_name: string;
  service_date: string | null;
  documented_at: unknown;
  coded_at: unknown;
};
type SubmissionRow = {
  claim_id: number;
  version_id: number;
  version_no: number;
  frequency_code: string;
  sent_at: unknown;
};
type AckRow = { claim_version_id: number; result: string; at: unknown };
type PaymentRow = {
  id: number;
  claim_id: number;
  received_at: unknown;
  payment_date: string;
  charge_cents: unknown;
  line_count: number;
  reversed: boolean;
};
type DenialRow = {
  claim_payment_id: number;
  line_payment_id: number | null;
  group_code: string;
  reason_code: string;
  line_charge_cents: unknown;
};
type VersionLinesRow = { claim_id: number; version_no: number; line_count: number };
type HoldRow = { claim_id: number; to_status: string; at: unknown; reason: string | null };
type IssueRow = { claim_id: number; rule_key: string };
type MoneyRow = {
  kind: string;
  base_kind: string;
  effective_date: string;
  claim_id: number;
  payer_id: number | null;
  ins: unknown;
  pat: unknown;
};
type RemitClaimRow = { remittance_id: number; claim_id: number };
type RemitRow = {
  id: number;
  received_at: unknown;
  posted_at: unknown;
  lines_total: number;
  lines_auto_posted: number;
};
type WorkRow = { claim_id: string | null; created_at: unknown; resolved_at: unknown; outcome: string | null };

interface Payment {
  readonly id: number;
  readonly receivedAt: Instant;
  readonly paymentDate: CalendarDate;
  readonly chargeCents: number;
  readonly lineCount: number;
  readonly reversed: boolean;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** Reads every fact of the practice as of the end of `asOf`. */
export async function loadFacts(db: Queryable, scope: PracticeScope, asOf: CalendarDate): Promise<Facts> {
  const p = scope.practiceId;
  const end = endOfDayExclusive(asOf);

  const claimRows = await db.query<ClaimRow>(
    `SELECT c.id, c.payer_id, py.name AS payer_name,
            (SELECT min(v.service_date_from) FROM claim_versions v WHERE v.practice_id = c.practice_id AND v.claim_id = c.id)::text
              AS service_date,
            e.documentation_complete_at AS documented_at, e.coded_at
       FROM claims c
       JOIN payers py ON py.id = c.payer_id
       JOIN encounters e ON e.practice_id = c.practice_id AND e.id = c.encounter_id
      WHERE c.practice_id = $1
      ORDER BY c.id`,
    [p],
  );

  const subRows = await db.query<SubmissionRow>(
    `SELECT v.claim_id, v.id AS version_id, v.version_no, v.frequency_code, b.sent_at
       FROM claim_versions v
       JOIN batch_claims bc ON bc.practice_id = v.practice_id AND bc.claim_version_id = v.id
       JOIN submission_batches b ON b.practice_id = bc.practice_id AND b.id = bc.batch_id
      WHERE v.practice_id = $1 AND b.sent_at IS NOT NULL AND b.sent_at < $2
      ORDER BY v.claim_id, b.sent_at, v.version_no`,
    [p, end],
  );

  // 277CA per-claim results and every accepted/rejected transition the acknowledgements recorded (999 and TA1
  // rejections are only in the claim's history).
  const ackRows = await db.query<AckRow>(
    `SELECT r.claim_version_id, r.result, a.received_at AS at
       FROM ack_claim_results r
       JOIN acknowledgements a ON a.practice_id = r.practice_id AND a.id = r.acknowledgement_id
      WHERE r.practice_id = $1 AND r.claim_version_id IS NOT NULL AND a.received_at < $2
     UNION ALL
     SELECT h.claim_version_id, h.to_status AS result, h.at
       FROM claim_status_history h
      WHERE h.practice_id = $1 AND h.claim_version_id IS NOT NULL AND h.to_status IN ('accepted', 'rejected')
        AND h.at < $2`,
    [p, end],
  );

  const payRows = await db.query<PaymentRow>(
    `SELECT cp.id, cp.claim_id, r.received_at, r.payment_date::text AS payment_date, cp.charge_cents,
            (SELECT count(*) FROM line_payments lp WHERE lp.practice_id = cp.practice_id AND lp.claim_payment_id = cp.id)::int
              AS line_count,
            EXISTS (SELECT 1 FROM claim_payments x JOIN remittances xr ON xr.practice_id = x.practice_id AND xr.id = x.remittance_id
                     WHERE x.practice_id = cp.practice_id AND x.reverses_claim_payment_id = cp.id AND xr.received_at < $2) AS reversed
       FROM claim_payments cp
       JOIN remittances r ON r.practice_id = cp.practice_id AND r.id = cp.remittance_id
      WHERE cp.practice_id = $1 AND cp.claim_id IS NOT NULL AND cp.claim_status_code <> '22' AND r.received_at < $2
      ORDER BY cp.claim_id, r.received_at, cp.id`,
    [p, end],
  );

  const denialRows = await db.query<DenialRow>(
    `SELECT d.claim_payment_id, d.line_payment_id, d.group_code, d.reason_code, lp.charge_cents AS line_charge_cents
       FROM denials d
       LEFT JOIN line_payments lp ON lp.practice_id = d.practice_id AND lp.id = d.line_payment_id
      WHERE d.practice_id = $1 AND d.detected_at < $2
      ORDER BY d.id`,
    [p, end],
  );

  const versionLines = await db.query<VersionLinesRow>(
    `SELECT v.claim_id, v.version_no, count(l.id)::int AS line_count
       FROM claim_versions v
       LEFT JOIN claim_lines l ON l.practice_id = v.practice_id AND l.claim_version_id = v.id
      WHERE v.practice_id = $1
      GROUP BY v.claim_id, v.version_no`,
    [p],
  );

  const holdRows = await db.query<HoldRow>(
    `SELECT h.claim_id, h.to_status, h.at, h.reason
       FROM claim_status_history h
      WHERE h.practice_id = $1 AND h.at < $2
        AND (h.to_status = 'held' OR h.from_status = 'held')
      ORDER BY h.claim_id, h.at, h.id`,
    [p, end],
  );

  const issueRows = await db.query<IssueRow>(
    `SELECT DISTINCT i.claim_id, i.rule_key
       FROM claim_issues i
      WHERE i.practice_id = $1 AND i.severity = 'error'
      ORDER BY i.claim_id, i.rule_key`,
    [p],
  );

  const moneyRows = await db.query<MoneyRow>(
    `SELECT t.kind, COALESCE(rt.kind, t.kind) AS base_kind, t.effective_date::text AS effective_date, e.claim_id,
            max(e.payer_id) AS payer_id,
            COALESCE(sum(e.amount_cents) FILTER (WHERE e.account = 'ar_insurance'), 0)::bigint AS ins,
            COALESCE(sum(e.amount_cents) FILTER (WHERE e.account = 'ar_patient'), 0)::bigint AS pat
       FROM ledger_transactions t
       JOIN ledger_entries e ON e.practice_id = t.practice_id AND e.transaction_id = t.id
       LEFT JOIN ledger_transactions rt ON rt.practice_id = t.practice_id AND rt.id = t.reverses_transaction_id
      WHERE t.practice_id = $1 AND t.effective_date <= $2::date
        AND e.account IN ('ar_insurance', 'ar_patient') AND e.claim_id IS NOT NULL
      GROUP BY t.id, t.kind, rt.kind, t.effective_date, e.claim_id
      ORDER BY t.effective_date, t.id`,
    [p, asOf],
  );

  const remitRows = await db.query<RemitRow>(
    `SELECT r.id, r.received_at, r.posted_at, r.lines_total, r.lines_auto_posted
       FROM remittances r
      WHERE r.practice_id = $1 AND r.received_at < $2
      ORDER BY r.received_at, r.id`,
    [p, end],
  );

  const remitClaimRows = await db.query<RemitClaimRow>(
    `SELECT DISTINCT cp.remittance_id, cp.claim_id
       FROM claim_payments cp
       JOIN remittances r ON r.practice_id = cp.practice_id AND r.id = cp.remittance_id
      WHERE cp.practice_id = $1 AND cp.claim_id IS NOT NULL AND r.received_at < $2
      ORDER BY cp.remittance_id, cp.claim_id`,
    [p, end],
  );

  const workRows = await db.query<WorkRow>(
    `SELECT w.links->>'claimId' AS claim_id, w.created_at,
            CASE WHEN w.resolved_at < $2 THEN w.resolved_at END AS resolved_at,
            CASE WHEN w.resolved_at < $2 THEN d.outcome END AS outcome
       FROM work_items w
       LEFT JOIN denials d ON d.practice_id = w.practice_id AND d.id::text = w.links->>'denialId'
      WHERE w.practice_id = $1 AND w.type = 'denial' AND w.created_at < $2
      ORDER BY w.created_at, w.id`,
    [p, end],
  );

  // ---- money: per transaction and claim, the AR change mapped to MoneyFact kinds.
  const chargeByClaim = new Map<number, number>();
  const claimPayer = new Map<number, { payerId: PayerId; serviceDate: CalendarDate }>();
  const serviceDates = new Map<number, CalendarDate>();
  for (const r of claimRows.rows) {
    if (r.service_date !== null) serviceDates.set(r.id, r.service_date as CalendarDate);
    claimPayer.set(r.id, {
      payerId: PayerId(r.payer_id),
      serviceDate: (r.service_date ?? asOf) as CalendarDate,
    });
  }
  const money: MoneyFact[] = [];
  for (const r of moneyRows.rows) {
    const ins = centsFromDb(r.ins, 'ins') as number;
    const pat = centsFromDb(r.pat, 'pat') as number;
    const c = claimPayer.get(r.claim_id);
    if (c === undefined) continue;
    const base = {
      claimId: ClaimId(r.claim_id),
      payerId: c.payerId,
      serviceDate: c.serviceDate,
      postedOn: r.effective_date as CalendarDate,
    };
    const add = (kind: MoneyFact['kind'], amount: number): void => {
      if (amount !== 0) money.push({ ...base, kind, amountCents: amount as Cents });
    };
    if (r.base_kind === 'charge') {
      chargeByClaim.set(r.claim_id, (chargeByClaim.get(r.claim_id) ?? 0) + ins + pat);
      continue;
    }
    let insurance = ins;
    let patient = pat;
    // Insurance → patient (CAS PR, or a transfer): the part that moved between the two balances.
    if (r.base_kind === 'patient_responsibility' || r.base_kind === 'transfer') {
      add('transfer-to-patient', patient);
      insurance += patient;
      patient = 0;
    }
    // What remains changed one balance on its own: named by the transaction kind.
    switch (r.base_kind) {
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
      r.base_kind === 'patient_payment' || r.base_kind === 'refund' ? 'patient-payment' : 'write-off',
      -patient,
    );
  }

  // ---- submissions with their acknowledgement and adjudication.
  const acksByVersion = new Map<number, { result: string; at: Instant }[]>();
  for (const r of ackRows.rows)
    push(acksByVersion, r.claim_version_id, { result: r.result, at: instantFromDb(r.at, 'at') });
  const paysByClaim = new Map<number, Payment[]>();
  for (const r of payRows.rows) {
    push(paysByClaim, r.claim_id, {
      id: r.id,
      receivedAt: instantFromDb(r.received_at, 'received_at'),
      paymentDate: r.payment_date as CalendarDate,
      chargeCents: centsFromDb(r.charge_cents, 'charge_cents'),
      lineCount: r.line_count,
      reversed: r.reversed,
    });
  }
  const denialsByPayment = new Map<number, DenialRow[]>();
  for (const r of denialRows.rows) push(denialsByPayment, r.claim_payment_id, r);
  const linesOfVersion = new Map<string, number>();
  for (const r of versionLines.rows) linesOfVersion.set(`${r.claim_id}:${r.version_no}`, r.line_count);
  const subsByClaim = new Map<number, SubmissionRow[]>();
  for (const r of subRows.rows) push(subsByClaim, r.claim_id, r);

  const adjudicate = (
    claimId: number,
    versionNo: number,
    pays: readonly Payment[],
  ): AdjudicationFact | undefined => {
    const live = pays.filter((x) => !x.reversed);
    const used = live.length > 0 ? live : pays;
    if (used.length === 0) return undefined;
    let lineCount = 0;
    let deniedLines = 0;
    let deniedCents = 0;
    const reasons: string[] = [];
    for (const x of used) {
      const lines = x.lineCount > 0 ? x.lineCount : (linesOfVersion.get(`${claimId}:${versionNo}`) ?? 1);
      lineCount += lines;
      const ds = denialsByPayment.get(x.id) ?? [];
      if (ds.some((d) => d.line_payment_id === null)) {
        deniedLines += lines;
        deniedCents += x.chargeCents;
      } else {
        const seen = new Set<number>();
        for (const d of ds) {
          if (d.line_payment_id === null || seen.has(d.line_payment_id)) continue;
          seen.add(d.line_payment_id);
          deniedLines += 1;
          deniedCents += centsFromDb(d.line_charge_cents ?? 0, 'line_charge_cents');
        }
      }
      for (const d of ds) reasons.push(`${d.group_code}-${d.reason_code}`);
    }
    const first = used.reduce((a, b) => (compareDates(b.paymentDate, a.paymentDate) < 0 ? b : a));
    return {
      adjudicatedOn: first.paymentDate,
      outcome: deniedLines === 0 ? 'paid' : deniedLines >= lineCount ? 'denied' : 'partial',
      lineCount,
      deniedLineCount: Math.min(deniedLines, lineCount),
      deniedCents: deniedCents as Cents,
      denialReasons: [...new Set(reasons)],
    };
  };

  const holdsByClaim = new Map<number, HoldRow[]>();
  for (const r of holdRows.rows) push(holdsByClaim, r.claim_id, r);
  const issuesByClaim = new Map<number, string[]>();
  for (const r of issueRows.rows) push(issuesByClaim, r.claim_id, r.rule_key);

  const claims: ClaimFact[] = [];
  for (const r of claimRows.rows) {
    const serviceDate = serviceDates.get(r.id);
    if (serviceDate === undefined || compareDates(serviceDate, asOf) > 0) continue;
    const subs = subsByClaim.get(r.id) ?? [];
    const pays = paysByClaim.get(r.id) ?? [];
    const submissions: SubmissionFact[] = subs.map((s, i) => {
      const sentAt = instantFromDb(s.sent_at, 'sent_at');
      const next = subs[i + 1];
      const until = next === undefined ? undefined : instantFromDb(next.sent_at, 'sent_at');
      const within = (at: Instant): boolean => at >= sentAt && (until === undefined || at < until);
      // Payments before the first submission was recorded still belong to it.
      const mine = pays.filter(
        (x) => (i === 0 ? true : x.receivedAt >= sentAt) && (until === undefined || x.receivedAt < until),
      );
      const adjudication = adjudicate(r.id, s.version_no, mine);
      const events = (acksByVersion.get(s.version_id) ?? [])
        .filter((e) => within(e.at))
        .sort((a, b) => (a.at < b.at ? -1 : 1));
      const rejection = events.find((e) => e.result === 'rejected');
      const acceptance = events.find((e) => e.result === 'accepted');
      const firstPay = mine[0];
      let ack: Pick<SubmissionFact, 'acknowledgement' | 'acknowledgedAt'> = {};
      if (rejection !== undefined) ack = { acknowledgement: 'rejected', acknowledgedAt: rejection.at };
      else if (acceptance !== undefined) ack = { acknowledgement: 'accepted', acknowledgedAt: acceptance.at };
      else if (firstPay !== undefined)
        ack = { acknowledgement: 'accepted', acknowledgedAt: firstPay.receivedAt };
      return {
        version: s.version_no,
        frequencyCode: s.frequency_code as SubmissionFact['frequencyCode'],
        submittedAt: sentAt,
        ...ack,
        ...(adjudication === undefined ? {} : { adjudication }),
      };
    });
    // Holds before the first submission: the rules that failed, and how long a credentialing hold lasted.
    const firstSent = submissions[0]?.submittedAt;
    const holds = holdsByClaim.get(r.id) ?? [];
    const heldReasons = new Set<string>();
    let credStart: Instant | undefined;
    let credDays = 0;
    let credSeen = false;
    for (const h of holds) {
      const at = instantFromDb(h.at, 'at');
      if (h.to_status === 'held') {
        const m = /held \(([a-z_]+)\)/.exec(h.reason ?? '');
        const kind = m?.[1] ?? 'scrubber';
        if (firstSent === undefined || at < firstSent) heldReasons.add(kind);
        if (kind === 'credentialing' && credStart === undefined) {
          credStart = at;
          credSeen = true;
        }
      } else if (credStart !== undefined) {
        credDays += (Date.parse(at) - Date.parse(credStart)) / 86_400_000;
        credStart = undefined;
      }
    }
    if (credStart !== undefined) credDays += (Date.parse(end) - Date.parse(credStart)) / 86_400_000;
    if (heldReasons.size > 0) for (const k of issuesByClaim.get(r.id) ?? []) heldReasons.add(k);
    const documented = optInstant(r.documented_at, 'documentation_complete_at');
    const coded = optInstant(r.coded_at, 'coded_at');
    claims.push({
      claimId: ClaimId(r.id),
      payerId: PayerId(r.payer_id),
      payerName: r.payer_name,
      serviceDate,
      chargeCents: (chargeByClaim.get(r.id) ?? 0) as Cents,
      ...(documented === undefined || documented >= end ? {} : { documentedOn: day(documented) }),
      ...(coded === undefined || coded >= end ? {} : { codedOn: day(coded) }),
      submissions,
      heldReasons: [...heldReasons],
      ...(credSeen ? { credentialingHoldDays: Math.round(credDays * 10) / 10 } : {}),
    });
  }

  const remittances: RemittanceFact[] = remitRows.rows.map((r) => {
    const postedAt = optInstant(r.posted_at, 'posted_at');
    return {
      remittanceId: r.id,
      receivedAt: instantFromDb(r.received_at, 'received_at'),
      ...(postedAt === undefined || postedAt >= end ? {} : { postedAt }),
      lineCount: r.lines_total,
      autoPostedLineCount: r.lines_auto_posted,
    };
  });

  const denialWork: DenialWorkFact[] = [];
  for (const r of workRows.rows) {
    if (r.claim_id === null || !/^[0-9]+$/.test(r.claim_id)) continue;
    const resolvedAt = optInstant(r.resolved_at, 'resolved_at');
    const outcome =
      r.outcome === 'paid' || r.outcome === 'partially_paid'
        ? 'paid'
        : r.outcome === 'written_off'
          ? 'written-off'
          : r.outcome === 'upheld'
            ? 'upheld'
            : undefined;
    denialWork.push({
      claimId: ClaimId(Number(r.claim_id)),
      openedAt: instantFromDb(r.created_at, 'created_at'),
      ...(resolvedAt === undefined ? {} : { resolvedAt }),
      ...(outcome === undefined ? {} : { outcome }),
    });
  }

  const remittanceClaims = new Map<number, ClaimId[]>();
  for (const r of remitClaimRows.rows) push(remittanceClaims, r.remittance_id, ClaimId(r.claim_id));

  return { asOf, claims, money, remittances, denialWork, remittanceClaims };
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
