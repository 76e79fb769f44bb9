/**
 * Drill-down: the claims behind one figure of a monthly report, with what a biller needs to find each one
 * (patient control number, payer, status, date of service, charge, open balance). No patient data.
 */
import type { ClaimId } from '@openrcm/core';
import type { PracticeScope, Queryable } from '@openrcm/db';
import { AGING_BUCKETS } from './metrics.ts';
import type { MonthlyReport } from './monthly.ts';

export interface DrillRow {
  readonly claimId: number;
  readonly patientControlNumber: string;
  readonly payer: string;
  readonly status: string;
  readonly serviceDate: string | null;
  readonly chargeCents: number;
  readonly openArCents: number;
}

/** Every metric name `drill` understands for a report: figure keys, `denial_reason:CO-197`, `denial_payer:NAME`. */
export function drillMetrics(r: MonthlyReport): string[] {
  return [
    ...r.figures.map((f) => f.key),
    ...r.denialsByReason.map((d) => `denial_reason:${d.reason}`),
    ...r.holdsByReason.map((d) => `hold_reason:${d.reason}`),
    ...r.denialsByPayer.map((d) => `denial_payer:${d.payerName}`),
    ...r.actionItems.map((a) => `action_items:${a.category}`),
    ...AGING_BUCKETS.map((b) => `ar_aging:${b}`),
  ];
}

/** The claim ids behind a metric of the report; undefined when the report has no such metric. */
export function drillClaimIds(r: MonthlyReport, metric: string): readonly ClaimId[] | undefined {
  const fig = r.figures.find((f) => f.key === metric);
  if (fig !== undefined) return fig.claimIds;
  const [kind, arg] = [metric.slice(0, metric.indexOf(':')), metric.slice(metric.indexOf(':') + 1)];
  switch (kind) {
    case 'denial_reason':
      return r.denialsByReason.find((d) => d.reason === arg)?.claimIds;
    case 'hold_reason':
      return r.holdsByReason.find((d) => d.reason === arg)?.claimIds;
    case 'denial_payer':
      return r.denialsByPayer.find((d) => d.payerName === arg)?.claimIds;
    case 'ar_aging':
      return (AGING_BUCKETS as readonly string[]).includes(arg)
        ? r.arAgingClaims[arg as (typeof AGING_BUCKETS)[number]]
        : undefined;
    case 'action_items':
      return r.actionItems.find((a) => a.category === arg)?.claimIds;
    default:
      return undefined;
  }
}

type Row = {
  id: number;
  patient_control_number: string;
  payer: string;
  status: string;
  service_date: string | null;
  charge_cents: unknown;
  open_ar_cents: unknown;
};

/** The rows behind a list of claim ids (practice-scoped), open AR as of the report's day. */
export async function drillRows(
  db: Queryable,
  scope: PracticeScope,
  claimIds: readonly number[],
  asOf: string,
): Promise<DrillRow[]> {
  if (claimIds.length === 0) return [];
  const res = await db.query<Row>(
    `SELECT c.id, c.patient_control_number, py.name AS payer, c.status,
            (SELECT min(v.service_date_from) FROM claim_versions v WHERE v.practice_id = c.practice_id AND v.claim_id = c.id)::text
              AS service_date,
            (SELECT v.total_charge_cents FROM claim_versions v WHERE v.practice_id = c.practice_id AND v.claim_id = c.id
              ORDER BY v.version_no DESC LIMIT 1) AS charge_cents,
            (SELECT COALESCE(sum(e.amount_cents), 0)::bigint FROM ledger_entries e
               JOIN ledger_transactions t ON t.practice_id = e.practice_id AND t.id = e.transaction_id
              WHERE e.practice_id = c.practice_id AND e.claim_id = c.id AND e.account IN ('ar_insurance', 'ar_patient')
                AND t.effective_date <= $3::date) AS open_ar_cents
       FROM claims c JOIN payers py ON py.id = c.payer_id
      WHERE c.practice_id = $1 AND c.id = ANY($2::bigint[])
      ORDER BY c.id`,
    [scope.practiceId, [...claimIds], asOf],
  );
  return res.rows.map((r) => ({
    claimId: r.id,
    patientControlNumber: r.patient_control_number,
    payer: r.payer,
    status: r.status,
    serviceDate: r.service_date,
    chargeCents: Number(r.charge_cents ?? 0),
    openArCents: Number(r.open_ar_cents ?? 0),
  }));
}
