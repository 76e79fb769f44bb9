import type { CalendarDate } from '@openrcm/core';
import type { Queryable } from '@openrcm/db';

/**
 * Eligibility figures over the visits of a period (issue 7 "Done when": the share of visits verified and the
 * share flagged by reason, out of the 271s received), for the demo's summary and the benchmarks.
 *
 * - appointments: the period's appointments that were not cancelled; `withCoverage` of them the patient had a
 *   coverage on file for (self-pay visits have nothing to verify);
 * - verified: appointments with an answer confirming active coverage (unchanged or changed) received before the
 *   visit started;
 * - flagged, per appointment and reason, from the latest check of each of its coverages: `changed` (plan, group,
 *   member id, copay, … differ), `secondaryFound` (the payer reports other coverage not on file), `lapsed`,
 *   `notFound`, `unconfirmed` (asked, no usable answer after the retries); `notAsked` are the checks of payers
 *   that take no electronic inquiries (never sent: the front desk calls), not a 271's answer. An appointment
 *   counts once per reason; `flagged` counts it once whatever its reasons.
 */
/** Why a visit was flagged (one appointment may have several). */
export const FLAG_REASONS = [
  'changed',
  'secondaryFound',
  'lapsed',
  'notFound',
  'unconfirmed',
  'notAsked',
] as const;
export type FlagReason = (typeof FLAG_REASONS)[number];

export interface EligibilityFigures {
  readonly appointments: number;
  readonly withCoverage: number;
  readonly checked: number;
  readonly verified: number;
  readonly flagged: number;
  readonly byReason: Readonly<Record<FlagReason, number>>;
  /** Shares of `appointments` (verifiedOfInsured: of `withCoverage`), in percent with one decimal. */
  readonly sharePercent: Readonly<Record<FlagReason | 'verified' | 'verifiedOfInsured' | 'flagged', number>>;
}

type FigureRow = {
  appointments: number;
  with_coverage: number;
  checked: number;
  verified: number;
  flagged: number;
  changed: number;
  secondary_found: number;
  lapsed: number;
  not_found: number;
  unconfirmed: number;
  not_asked: number;
};

/** The eligibility figures of the visits from `from` to `to` (dates of service), all practices of the database. */
export async function eligibilityFigures(
  q: Queryable,
  period: { readonly from: CalendarDate; readonly to: CalendarDate },
): Promise<EligibilityFigures> {
  const res = await q.query<FigureRow>(
    `WITH appts AS (
       SELECT a.practice_id, a.id, a.patient_id, a.service_date, a.starts_at FROM appointments a
        WHERE a.status <> 'cancelled' AND a.service_date BETWEEN $1 AND $2),
     latest AS (
       SELECT DISTINCT ON (e.practice_id, e.appointment_id, e.coverage_id)
              e.practice_id, e.appointment_id, e.classification, e.batch_id,
              COALESCE(e.response_summary->'changedFields', '[]'::jsonb) AS fields
         FROM eligibility_checks e JOIN appts a ON a.practice_id = e.practice_id AND a.id = e.appointment_id
        WHERE e.classification IS NOT NULL
        ORDER BY e.practice_id, e.appointment_id, e.coverage_id, e.id DESC),
     reasons AS (
       SELECT practice_id, appointment_id,
              CASE WHEN classification = 'changed' AND fields ? 'other_coverage' THEN 'secondary_found'
                   WHEN classification = 'unconfirmed' AND batch_id IS NULL THEN 'not_asked'
                   ELSE classification END AS reason
         FROM latest WHERE classification <> 'unchanged'
       UNION
       -- A change besides the other coverage is a change too.
       SELECT practice_id, appointment_id, 'changed' FROM latest
        WHERE classification = 'changed' AND fields ? 'other_coverage' AND jsonb_array_length(fields) > 1)
     SELECT (SELECT count(*) FROM appts)::int AS appointments,
            (SELECT count(*) FROM appts a WHERE EXISTS (
               SELECT 1 FROM coverages c WHERE c.practice_id = a.practice_id AND c.patient_id = a.patient_id
                  AND c.status = 'active' AND c.effective_from <= a.service_date
                  AND (c.effective_to IS NULL OR c.effective_to >= a.service_date)))::int AS with_coverage,
            (SELECT count(DISTINCT (practice_id, appointment_id)) FROM latest)::int AS checked,
            (SELECT count(*) FROM appts a WHERE EXISTS (
               SELECT 1 FROM eligibility_checks e WHERE e.practice_id = a.practice_id AND e.appointment_id = a.id
                  AND e.status = 'responded' AND e.classification IN ('unchanged', 'changed')
                  AND e.responded_at < a.starts_at))::int AS verified,
            (SELECT count(DISTINCT (practice_id, appointment_id)) FROM reasons)::int AS flagged,
            (SELECT count(*) FROM reasons WHERE reason = 'changed')::int AS changed,
            (SELECT count(*) FROM reasons WHERE reason = 'secondary_found')::int AS secondary_found,
            (SELECT count(*) FROM reasons WHERE reason = 'lapsed')::int AS lapsed,
            (SELECT count(*) FROM reasons WHERE reason = 'not_found')::int AS not_found,
            (SELECT count(*) FROM reasons WHERE reason = 'unconfirmed')::int AS unconfirmed,
            (SELECT count(*) FROM reasons WHERE reason = 'not_asked')::int AS not_asked`,
    [period.from, period.to],
  );
  const r = res.rows[0];
  if (r === undefined) throw new Error('eligibility figures: no row');
  const n = (v: number | string): number => Number(v);
  const share = (v: number, of: number): number => (of === 0 ? 0 : Math.round((1000 * v) / of) / 10);
  const appointments = n(r.appointments);
  const byReason: Record<FlagReason, number> = {
    changed: n(r.changed),
    secondaryFound: n(r.secondary_found),
    lapsed: n(r.lapsed),
    notFound: n(r.not_found),
    unconfirmed: n(r.unconfirmed),
    notAsked: n(r.not_asked),
  };
  return {
    appointments,
    withCoverage: n(r.with_coverage),
    checked: n(r.checked),
    verified: n(r.verified),
    flagged: n(r.flagged),
    byReason,
    sharePercent: {
      verified: share(n(r.verified), appointments),
      verifiedOfInsured: share(n(r.verified), n(r.with_coverage)),
      flagged: share(n(r.flagged), appointments),
      ...(Object.fromEntries(FLAG_REASONS.map((k) => [k, share(byReason[k], appointments)])) as Record<
        FlagReason,
        number
      >),
    },
  };
}
