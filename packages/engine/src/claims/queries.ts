import type { PracticeScope, Queryable } from '@openrcm/db';
import { MAX_LINES_PER_CLAIM } from './split.ts';
import { CORRECTABLE, UNSENT } from './versions.ts';

/** Read-side queries for billers: lists and the detail of one claim. Ids and codes only, no patient names. */

export type ClaimListRow = {
  id: number;
  status: string;
  hold_reason: string | null;
  payer: string;
  service_date: string;
  total_charge_cents: number;
  version_no: number;
  open_issues: number;
};

export async function listClaims(
  q: Queryable,
  scope: PracticeScope,
  options: { readonly status?: string; readonly limit?: number } = {},
): Promise<ClaimListRow[]> {
  const res = await q.query<ClaimListRow>(
    `SELECT c.id, c.status, c.hold_reason, py.name AS payer, v.service_date_from::text AS service_date,
            v.total_charge_cents, v.version_no,
            (SELECT count(*)::int FROM claim_issues i WHERE i.practice_id = c.practice_id AND i.claim_id = c.id AND i.status = 'open') AS open_issues
       FROM claims c
       JOIN payers py ON py.id = c.payer_id
       JOIN LATERAL (SELECT * FROM claim_versions cv WHERE cv.practice_id = c.practice_id AND cv.claim_id = c.id
                      ORDER BY cv.version_no DESC LIMIT 1) v ON true
      WHERE c.practice_id = $1 AND ($2::text IS NULL OR c.status = $2)
      ORDER BY c.id
      LIMIT $3`,
    [scope.practiceId, options.status ?? null, options.limit ?? 1000],
  );
  return res.rows.map((r) => ({ ...r, total_charge_cents: Number(r.total_charge_cents) }));
}

export interface ClaimDetail {
  readonly claim: ClaimListRow & { patient_control_number: string; payer_claim_number: string | null };
  readonly lines: readonly {
    line_number: number;
    line_control_number: string;
    procedure_code: string;
    modifiers: string[];
    units: number;
    charge_cents: number;
    diagnosis_pointers: number[];
    service_date: string;
  }[];
  readonly issues: readonly {
    rule_key: string;
    severity: string;
    message: string;
    location: string | null;
    status: string;
  }[];
  readonly history: readonly {
    at: string;
    from_status: string | null;
    to_status: string;
    actor: string;
    reason: string | null;
  }[];
  readonly batches: readonly {
    batch_id: number;
    isa_control_number: number;
    file_name: string | null;
    status: string;
  }[];
}

export async function claimDetail(
  q: Queryable,
  scope: PracticeScope,
  claimId: number,
): Promise<ClaimDetail | undefined> {
  const head = await q.query<ClaimDetail['claim']>(
    `SELECT c.id, c.status, c.hold_reason, py.name AS payer, v.service_date_from::text AS service_date, v.total_charge_cents,
            v.version_no, c.patient_control_number, c.payer_claim_number,
            (SELECT count(*)::int FROM claim_issues i WHERE i.practice_id = c.practice_id AND i.claim_id = c.id AND i.status = 'open') AS open_issues
       FROM claims c JOIN payers py ON py.id = c.payer_id
       JOIN LATERAL (SELECT * FROM claim_versions cv WHERE cv.practice_id = c.practice_id AND cv.claim_id = c.id
                      ORDER BY cv.version_no DESC LIMIT 1) v ON true
      WHERE c.practice_id = $1 AND c.id = $2`,
    [scope.practiceId, claimId],
  );
  const claim = head.rows[0];
  if (claim === undefined) return undefined;
  const lines = await q.query<ClaimDetail['lines'][number]>(
    `SELECT l.line_number, l.line_control_number, l.procedure_code, l.modifiers, l.units, l.charge_cents, l.diagnosis_pointers,
            l.service_date_from::text AS service_date
       FROM claim_lines l
      WHERE l.practice_id = $1 AND l.claim_id = $2
        AND l.claim_version_id = (SELECT max(v.id) FROM claim_versions v WHERE v.practice_id = $1 AND v.claim_id = $2)
      ORDER BY l.line_number`,
    [scope.practiceId, claimId],
  );
  const issues = await q.query<ClaimDetail['issues'][number]>(
    `SELECT rule_key, severity, message, location, status FROM claim_issues WHERE practice_id = $1 AND claim_id = $2
      ORDER BY status = 'open' DESC, id`,
    [scope.practiceId, claimId],
  );
  const history = await q.query<ClaimDetail['history'][number]>(
    `SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS at, from_status, to_status, actor, reason
       FROM claim_status_history WHERE practice_id = $1 AND claim_id = $2 ORDER BY at, id`,
    [scope.practiceId, claimId],
  );
  const batches = await q.query<ClaimDetail['batches'][number]>(
    `SELECT b.id AS batch_id, b.isa_control_number, b.file_name, b.status
       FROM batch_claims bc JOIN submission_batches b ON b.id = bc.batch_id
       JOIN claim_versions v ON v.practice_id = bc.practice_id AND v.id = bc.claim_version_id
      WHERE bc.practice_id = $1 AND v.claim_id = $2 ORDER BY b.id`,
    [scope.practiceId, claimId],
  );
  return {
    claim: { ...claim, total_charge_cents: Number(claim.total_charge_cents) },
    lines: lines.rows.map((l) => ({
      ...l,
      charge_cents: Number(l.charge_cents),
      diagnosis_pointers: l.diagnosis_pointers.map(Number),
    })),
    issues: issues.rows,
    history: history.rows,
    batches: batches.rows,
  };
}

/**
 * An active charge of an encounter that already has primary claims, on the lines of none of their latest versions:
 * a charge keyed in after the claims were built (a late charge). Claim construction skips encounters that have
 * claims, so such a charge reaches the payer only on a new version of a claim, and this list is where billers see
 * it. `claim_id` is the claim whose next version takes it (`claim_charges`, migrations 0018 and 0019: the
 * encounter's only claim, or, for a split encounter, the one with the fewest lines among those of the charge's
 * rendering provider when the payer requires one provider per claim, else among all), and `remedy` what the system
 * offers for that claim:
 * - `correct` — the payer has the claim (accepted, pending or adjudicated): `claims correct <claim>`;
 * - `resubmit` — the clearinghouse rejected it: `claims resubmit <claim>` rebuilds it with the charge;
 * - `rebuild` — the claim has not been sent (draft, held, ready): `claims rebuild <claim>` (a new original version);
 * - `after acknowledgement` — the claim is on its way (submitted): resubmit it if the clearinghouse rejects it,
 *   correct it once the payer has it;
 * - `none: no claim of its rendering provider` — a split encounter whose payer requires one rendering provider per
 *   claim, and no claim is the charge's provider's (a new claim would be needed);
 * - `none: claim full` — the claim that takes it already carries the 837P's 50 lines (a new claim would be needed);
 * - `none: claim voided` — the claim that billed it, or every claim of the encounter, was voided.
 */
export type UnbilledChargeRow = {
  encounter_id: number;
  charge_id: number;
  line_number: number;
  service_date: string;
  procedure_code: string;
  charge_cents: number;
  /** The encounter's primary claims that are not voided. */
  claim_ids: number[];
  /** The one whose next version takes the charge, if any. */
  claim_id: number | null;
  remedy:
    | 'correct'
    | 'resubmit'
    | 'rebuild'
    | 'after acknowledgement'
    | 'none: no claim of its rendering provider'
    | 'none: claim full'
    | 'none: claim voided';
};

export async function unbilledCharges(
  q: Queryable,
  scope: PracticeScope,
  options: {
    /** At most this many charges (1,000 unless told); null: all of them. */
    readonly limit?: number | null;
    /** Only charges of encounters with a claim not yet sent (the daily job's rebuild, see late.ts). */
    readonly unsentOnly?: boolean;
  } = {},
): Promise<UnbilledChargeRow[]> {
  // The daily job's question names the encounters first (few: the claims not sent yet), so only their charges are read.
  let encounters: number[] | null = null;
  if (options.unsentOnly === true) {
    const e = await q.query<{ encounter_id: number }>(
      `SELECT DISTINCT encounter_id FROM claims
        WHERE practice_id = $1 AND responsibility = 'primary' AND status = ANY($2::text[])`,
      [scope.practiceId, UNSENT],
    );
    encounters = e.rows.map((r) => r.encounter_id);
    if (encounters.length === 0) return [];
  }
  const res = await q.query<Omit<UnbilledChargeRow, 'charge_cents'> & { charge_cents: number | string }>(
    // Each charge probed through its encounter's claims and their latest lines (indexed), not against every line of
    // the practice: the daily job asks for the few encounters with a claim not yet sent.
    `WITH late AS (
       SELECT ch.*
         FROM charges ch
        WHERE ch.practice_id = $1 AND ch.status = 'active' AND ($5::bigint[] IS NULL OR ch.encounter_id = ANY($5::bigint[]))
          AND EXISTS (SELECT 1 FROM claims c WHERE c.practice_id = ch.practice_id AND c.encounter_id = ch.encounter_id
                         AND c.responsibility = 'primary')
          AND NOT EXISTS (
                SELECT 1
                  FROM claims c
                  JOIN LATERAL (SELECT v.id FROM claim_versions v WHERE v.practice_id = c.practice_id AND v.claim_id = c.id
                                 ORDER BY v.version_no DESC LIMIT 1) v ON true
                  JOIN claim_lines l ON l.claim_version_id = v.id
                 WHERE c.practice_id = ch.practice_id AND c.encounter_id = ch.encounter_id
                   AND c.responsibility = 'primary' AND c.status <> 'voided' AND l.charge_id = ch.id)
        ORDER BY ch.encounter_id, ch.line_number
        LIMIT $2)
     SELECT ch.encounter_id, ch.id AS charge_id, ch.line_number, ch.service_date::text AS service_date,
            ch.procedure_code, ch.charge_cents, live.ids AS claim_ids, taker.id AS claim_id,
            CASE WHEN taker.id IS NULL THEN
                   CASE WHEN cardinality(live.ids) = 0
                          OR EXISTS (SELECT 1 FROM claim_lines l
                                       JOIN claims c ON c.practice_id = l.practice_id AND c.id = l.claim_id
                                      WHERE l.practice_id = ch.practice_id AND l.charge_id = ch.id AND c.status = 'voided')
                        THEN 'none: claim voided'
                        ELSE 'none: no claim of its rendering provider' END
                 WHEN taker.lines > $6 THEN 'none: claim full'
                 WHEN taker.status = 'rejected' THEN 'resubmit'
                 WHEN taker.status = ANY($3::text[]) THEN 'correct'
                 WHEN taker.status = ANY($4::text[]) THEN 'rebuild'
                 ELSE 'after acknowledgement' END AS remedy
       FROM late ch
       CROSS JOIN LATERAL (
         SELECT coalesce(array_agg(c.id ORDER BY c.id), '{}') AS ids FROM claims c
          WHERE c.practice_id = ch.practice_id AND c.encounter_id = ch.encounter_id AND c.responsibility = 'primary'
            AND c.status <> 'voided') live
       LEFT JOIN LATERAL (
         -- The live claim whose charges (claim_charges, read once) include this one, and how many lines it would have.
         SELECT c.id, c.status, b.lines FROM claims c
          CROSS JOIN LATERAL (SELECT count(*) AS lines, bool_or(x.id = ch.id) AS takes
                                FROM claim_charges(c.practice_id, c.id) x) b
          WHERE c.practice_id = ch.practice_id AND c.id = ANY(live.ids) AND b.takes
          ORDER BY c.id LIMIT 1) taker ON true
      ORDER BY ch.encounter_id, ch.line_number`,
    [
      scope.practiceId,
      options.limit === undefined ? 1000 : options.limit,
      CORRECTABLE,
      UNSENT,
      encounters,
      MAX_LINES_PER_CLAIM,
    ],
  );
  return res.rows.map((r) => ({ ...r, charge_cents: Number(r.charge_cents) }));
}
