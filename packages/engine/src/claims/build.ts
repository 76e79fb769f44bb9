import type { Instant } from '@openrcm/core';
import type { Db, PracticeScope, Queryable, Tx } from '@openrcm/db';
import { postVersionCharges } from '../posting/ledger.ts';
import { splitEncounter } from './split.ts';

/**
 * Claim construction (stage 3): every coded encounter with a registered primary coverage and active
 * charges becomes claims to that coverage's payer — version 1 (original, frequency 1), one line per charge in
 * charge order. Usually one claim; the split rules (`split.ts`) make more: at most 50 lines per claim (the
 * 837P 2400 loop limit), and one claim per rendering provider for a payer that requires it
 * (`payers.claim_per_rendering_provider`); otherwise a charge rendered by another provider than the claim's
 * keeps its own in 2420A. The claim id is the patient control number (CLM01) and each line's id its line item
 * control number (REF*6R), so 835 CLP01 and REF*6R post back deterministically. Idempotent: an encounter that
 * already has a primary claim is skipped (all of an encounter's claims are built in one transaction), so the
 * daily job can run any number of times.
 */

export interface BuildResult {
  readonly encountersConsidered: number;
  readonly claimsBuilt: number;
  readonly linesBuilt: number;
  /** Coded encounters that cannot be billed yet, by reason (no primary coverage registered, no charges). */
  readonly skipped: Readonly<Record<string, number>>;
  readonly claimIds: readonly number[];
}

type EncounterRow = {
  readonly encounter_id: number;
  readonly patient_id: number;
  readonly coverage_id: number | null;
  readonly payer_id: number | null;
  readonly rendering_provider_id: number;
  readonly location_id: number;
  readonly date_of_service: string;
  readonly place_of_service: string;
  readonly per_rendering_provider: boolean | null;
};

/** One claim to build: its encounter and the part of the encounter's charges it bills. */
interface PlannedClaim {
  readonly encounter: EncounterRow;
  readonly renderingProviderId: number;
  readonly charges: readonly { readonly chargeId: number; readonly lineRenderingProviderId?: number }[];
}

/** Ids for new rows of the three tables, from their identity sequences, in one round trip. */
async function allocateIds(
  q: Queryable,
  claims: number,
  lines: number,
): Promise<{ claims: number[]; versions: number[]; lines: number[] }> {
  const res = await q.query<{
    claims: (number | string)[];
    versions: (number | string)[];
    lines: (number | string)[];
  }>(
    // The identity sequences by name (schema/catalog.txt pins them): pg_get_serial_sequence in the row's expression
    // looked the sequence up in the catalog for every id (25,000 ids in ~100 ms instead of 15-20 ms on PGlite).
    `SELECT ARRAY(SELECT nextval('claims_id_seq'::regclass) FROM generate_series(1, $1::int)) AS claims,
            ARRAY(SELECT nextval('claim_versions_id_seq'::regclass) FROM generate_series(1, $1::int)) AS versions,
            ARRAY(SELECT nextval('claim_lines_id_seq'::regclass) FROM generate_series(1, $2::int)) AS lines`,
    [claims, lines],
  );
  const r = res.rows[0];
  return {
    claims: (r?.claims ?? []).map(Number),
    versions: (r?.versions ?? []).map(Number),
    lines: (r?.lines ?? []).map(Number),
  };
}

/** Encounters per page: each page is built in its own transaction with a fixed number of statements. */
export const BUILD_PAGE_SIZE = 5000;

/**
 * Builds claims for the practice's coded encounters that have none, a window of encounters at a time (each page
 * one transaction of ten statements, so memory stays flat however many encounters wait). `at` is when the
 * job runs (the history's timestamp); `documentedBefore` limits it to encounters whose documentation was
 * complete by then (the demo's simulated clock). A run that stops between pages leaves whole pages built; the
 * next run continues with the rest.
 */
export async function buildClaims(
  db: Db,
  scope: PracticeScope,
  options: {
    readonly at: Instant;
    readonly actor?: string;
    readonly documentedBefore?: Instant;
    readonly pageSize?: number;
  },
): Promise<BuildResult> {
  const actor = options.actor ?? 'system:claims.build';
  const pageSize = options.pageSize ?? BUILD_PAGE_SIZE;
  const skipped: Record<string, number> = {};
  const claimIds: number[] = [];
  let considered = 0;
  let linesBuilt = 0;
  let after = 0;
  let pages = 0;
  const practice = await db.query<{ billing_provider_id: number | null }>(
    // The billing provider is the practice (group NPI, 2010AA); claims reference a provider row for it
    // when one with the practice's NPI exists, otherwise the rendering provider bills.
    `SELECT (SELECT p.id FROM providers p WHERE p.practice_id = pr.id AND p.npi = pr.npi LIMIT 1) AS billing_provider_id
       FROM practices pr WHERE pr.id = $1`,
    [scope.practiceId],
  );
  const groupProvider = practice.rows[0]?.billing_provider_id ?? null;
  for (;;) {
    const page = await db.transaction(async (tx) => {
      // No JIT: the unnest arrays' row estimates put the version and line inserts over the server's
      // jit_above_cost, and compiling them (75-125 ms each, EXPLAIN at 20k) cost more than running them.
      await tx.query('SET LOCAL jit = off');
      // The page is a window of the practice's next `pageSize` encounters by id (an index range), filtered
      // after: a filter over every remaining encounter first (the claim probe below ran for each of them, for
      // every page) made a run of N encounters cost O(N²). The window's end is where the next page starts.
      const win = await tx.query<{ last: number | null }>(
        `SELECT max(w.id) AS last
           FROM (SELECT x.id FROM encounters x WHERE x.practice_id = $1 AND x.id > $2 ORDER BY x.id LIMIT $3) w`,
        [scope.practiceId, after, pageSize],
      );
      const windowEnd = win.rows[0]?.last ?? null;
      if (windowEnd === null) return { rows: 0, last: undefined, claimIds: [], lines: 0 };
      const res = await tx.query<EncounterRow>(
        // Its coverages are joined after the filter, so a page never costs a look-up per waiting encounter; its
        // charges are read once, by planClaims.
        `SELECT e.id AS encounter_id, e.patient_id, e.primary_coverage_id AS coverage_id, c.payer_id,
                e.rendering_provider_id, e.location_id, e.date_of_service::text AS date_of_service,
                e.place_of_service, py.claim_per_rendering_provider AS per_rendering_provider
           FROM (SELECT x.* FROM encounters x
                  WHERE x.practice_id = $1
                    AND x.id > $3 AND x.id <= $4
                    AND x.coding_status = 'coded'
                    AND ($2::timestamptz IS NULL OR x.documentation_complete_at <= $2::timestamptz)
                    -- a scalar sub-select (not NOT EXISTS): probed through claims_encounter_idx per encounter
                    -- instead of a join over every claim of the practice
                    AND (SELECT cl.id FROM claims cl WHERE cl.practice_id = x.practice_id AND cl.encounter_id = x.id
                           AND cl.responsibility = 'primary' LIMIT 1) IS NULL) e
           LEFT JOIN coverages c ON c.practice_id = e.practice_id AND c.id = e.primary_coverage_id
           LEFT JOIN payers py ON py.id = c.payer_id
          ORDER BY e.id`,
        [scope.practiceId, options.documentedBefore ?? null, after, windowEnd],
      );
      const covered = res.rows.filter((r) => r.coverage_id !== null);
      const uncovered = res.rows.length - covered.length;
      if (uncovered > 0) skipped['no_primary_coverage'] = (skipped['no_primary_coverage'] ?? 0) + uncovered;
      const last = windowEnd;
      if (covered.length === 0) return { rows: res.rows.length, last, claimIds: [], lines: 0 };
      const { planned, withoutCharges } = await planClaims(tx, scope, covered);
      if (withoutCharges > 0) skipped['no_charges'] = (skipped['no_charges'] ?? 0) + withoutCharges;
      if (planned.length === 0) return { rows: res.rows.length, last, claimIds: [], lines: 0 };
      const lineCount = planned.reduce((n, c) => n + c.charges.length, 0);
      const ids = await allocateIds(tx, planned.length, lineCount);
      await insertClaims(tx, scope, options.at, actor, groupProvider, planned, ids);
      return { rows: res.rows.length, last, claimIds: ids.claims, lines: lineCount };
    });
    pages++;
    // The planner's statistics of the claim tables are those of before the run (autovacuum runs later on a
    // server, never on PGlite). Read while the tables grow from nothing, they made the ledger's per-statement
    // reference check probe every claim of the practice for each line (claims_payer_idx by practice, id as a
    // filter: 2.5 s for the first page of 5,000 claims on PostgreSQL). Re-read after pages 1, 4 and 16 of a
    // bulk run only: a daily run of a few dozen claims does not move the statistics, and an ANALYZE after each
    // of them (every practice, every business day) tripled the demo's build time.
    if (page.claimIds.length >= ANALYZE_PAGE_MIN && (pages === 1 || pages === 4 || pages === 16))
      await db.query('ANALYZE claims, claim_versions, claim_lines');
    considered += page.rows;
    linesBuilt += page.lines;
    claimIds.push(...page.claimIds);
    if (page.last === undefined) break;
    after = page.last;
  }
  // After a bulk build the planner needs to know the tables grew: embedded PGlite never analyses by itself and a
  // server's autovacuum runs later, and the scrubber and submission that follow join these tables page by page.
  if (claimIds.length >= ANALYZE_AFTER)
    await db.query('ANALYZE claims, claim_versions, claim_lines, charges, encounters');
  return { encountersConsidered: considered, claimsBuilt: claimIds.length, linesBuilt, skipped, claimIds };
}

/** Claims built in one run from which the tables' planner statistics are refreshed. */
const ANALYZE_AFTER = 2000;
/** Claims built in one page from which the statistics are re-read during the run. */
const ANALYZE_PAGE_MIN = 1000;

/**
 * The claims of the page's encounters with a primary coverage (split rules in `split.ts`): their active charges
 * in line order, read in one statement as three parallel arrays (encounter, charge, the charge's own rendering
 * provider). An encounter without active charges makes no claim; `withoutCharges` counts them.
 */
async function planClaims(
  tx: Tx,
  scope: PracticeScope,
  billable: readonly EncounterRow[],
): Promise<{ planned: PlannedClaim[]; withoutCharges: number }> {
  const res = await tx.query<{
    encounters: (number | string)[];
    charges: (number | string)[];
    renderings: (number | string | null)[];
  }>(
    `SELECT array_agg(ch.encounter_id ORDER BY t.k, ch.line_number) AS encounters,
            array_agg(ch.id ORDER BY t.k, ch.line_number) AS charges,
            array_agg(ch.rendering_provider_id ORDER BY t.k, ch.line_number) AS renderings
       FROM unnest($2::bigint[]) WITH ORDINALITY AS t(encounter_id, k)
       CROSS JOIN LATERAL (SELECT x.id, x.encounter_id, x.line_number, x.rendering_provider_id FROM charges x
                            WHERE x.encounter_id = t.encounter_id AND x.practice_id = $1 AND x.status = 'active'
                            OFFSET 0) ch`,
    [scope.practiceId, billable.map((r) => r.encounter_id)],
  );
  const row = res.rows[0];
  const byEncounter = new Map<number, { chargeId: number; renderingProviderId?: number }[]>();
  (row?.encounters ?? []).forEach((e, i) => {
    const rendering = row?.renderings[i];
    const charge = {
      chargeId: Number(row?.charges[i]),
      ...(rendering == null ? {} : { renderingProviderId: Number(rendering) }),
    };
    const list = byEncounter.get(Number(e));
    if (list === undefined) byEncounter.set(Number(e), [charge]);
    else list.push(charge);
  });
  const planned = billable.flatMap((encounter) =>
    splitEncounter(
      byEncounter.get(encounter.encounter_id) ?? [],
      encounter.rendering_provider_id,
      encounter.per_rendering_provider === true,
    ).map((part) => ({ encounter, renderingProviderId: part.renderingProviderId, charges: part.charges })),
  );
  return { planned, withoutCharges: billable.length - byEncounter.size };
}

async function insertClaims(
  tx: Tx,
  scope: PracticeScope,
  at: Instant,
  actor: string,
  groupProvider: number | null,
  planned: readonly PlannedClaim[],
  ids: {
    readonly claims: readonly number[];
    readonly versions: readonly number[];
    readonly lines: readonly number[];
  },
): Promise<void> {
  const claimIds = ids.claims;
  const versionIds = ids.versions;
  await tx.query(
    `INSERT INTO claims (id, practice_id, encounter_id, patient_id, coverage_id, payer_id, responsibility,
                         patient_control_number, billing_provider_id, rendering_provider_id, location_id, status, created_at, updated_at)
     SELECT id, $1, encounter_id, patient_id, coverage_id, payer_id, 'primary', id::text, billing_provider_id,
            rendering_provider_id, location_id, 'draft', $2, $2
       FROM unnest($3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[])
            AS t(id, encounter_id, patient_id, coverage_id, payer_id, billing_provider_id, rendering_provider_id, location_id)`,
    [
      scope.practiceId,
      at,
      claimIds,
      planned.map((c) => c.encounter.encounter_id),
      planned.map((c) => c.encounter.patient_id),
      planned.map((c) => c.encounter.coverage_id),
      planned.map((c) => c.encounter.payer_id),
      planned.map((c) => groupProvider ?? c.renderingProviderId),
      planned.map((c) => c.renderingProviderId),
      planned.map((c) => c.encounter.location_id),
    ],
  );
  // One entry per line: its claim and version, the charge, its line number on the claim, the encounter's POS and
  // the line's own rendering provider (2420A) where it is not the claim's.
  const lineClaim: number[] = [];
  const lineVersion: number[] = [];
  const lineCharge: number[] = [];
  const lineNumber: number[] = [];
  const linePos: string[] = [];
  const lineRendering: (number | null)[] = [];
  planned.forEach((c, i) => {
    c.charges.forEach((ch, n) => {
      lineClaim.push(claimIds[i] ?? 0);
      lineVersion.push(versionIds[i] ?? 0);
      lineCharge.push(ch.chargeId);
      lineNumber.push(n + 1);
      linePos.push(c.encounter.place_of_service);
      lineRendering.push(ch.lineRenderingProviderId ?? null);
    });
  });
  // Version 1: diagnoses in HI order, the service date span of the claim's charges, the encounter's POS, and the
  // prior authorization of the first of its charges performed under one (REF*G1). The charges are read by id
  // through their index (LATERAL), never by a join the planner could turn into a scan of every charge.
  await tx.query(
    `INSERT INTO claim_versions (id, practice_id, claim_id, version_no, kind, frequency_code, total_charge_cents,
                                 diagnosis_codes, service_date_from, service_date_to, place_of_service,
                                 prior_authorization, created_at, created_by)
     SELECT t.version_id, $1, t.claim_id, 1, 'original', '1', ch.total, dx.codes, ch.first_date, ch.last_date,
            t.pos, ch.auth, $2, $3
       FROM unnest($4::bigint[], $5::bigint[], $6::bigint[], $7::text[]) AS t(version_id, claim_id, encounter_id, pos)
       JOIN (SELECT a.version_id, sum(c.charge_cents) AS total, min(c.service_date) AS first_date,
                    max(c.service_date) AS last_date,
                    (array_agg(c.auth ORDER BY a.line_no) FILTER (WHERE c.auth IS NOT NULL))[1] AS auth
               FROM unnest($8::bigint[], $9::bigint[], $10::smallint[]) AS a(version_id, charge_id, line_no)
               CROSS JOIN LATERAL (
                 SELECT x.charge_cents, x.service_date,
                        (SELECT au.auth_number FROM authorizations au
                          WHERE au.practice_id = x.practice_id AND au.id = x.authorization_id) AS auth
                   FROM charges x WHERE x.id = a.charge_id AND x.practice_id = $1 OFFSET 0) c
              GROUP BY a.version_id) ch ON ch.version_id = t.version_id
       CROSS JOIN LATERAL (
         SELECT array_agg(d.icd10_code ORDER BY d.sequence) AS codes
           FROM encounter_diagnoses d WHERE d.encounter_id = t.encounter_id AND d.practice_id = $1) dx
      WHERE dx.codes IS NOT NULL`,
    [
      scope.practiceId,
      at,
      actor,
      versionIds,
      claimIds,
      planned.map((c) => c.encounter.encounter_id),
      planned.map((c) => c.encounter.place_of_service),
      lineVersion,
      lineCharge,
      lineNumber,
    ],
  );
  await tx.query(
    `INSERT INTO claim_lines (id, practice_id, claim_version_id, claim_id, charge_id, line_number, line_control_number,
                              procedure_code, modifiers, units, charge_cents, diagnosis_pointers, service_date_from,
                              service_date_to, place_of_service, rendering_provider_id)
     SELECT a.line_id, $1, a.version_id, a.claim_id, c.id, a.line_no, a.line_id::text, c.procedure_code, c.modifiers,
            c.units, c.charge_cents, c.diagnosis_pointers, c.service_date, c.service_date,
            NULLIF(c.place_of_service, a.pos), a.rendering
       FROM unnest($2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::smallint[], $7::text[], $8::bigint[])
            AS a(line_id, version_id, claim_id, charge_id, line_no, pos, rendering)
       CROSS JOIN LATERAL (SELECT * FROM charges x WHERE x.id = a.charge_id AND x.practice_id = $1 OFFSET 0) c`,
    [scope.practiceId, ids.lines, lineVersion, lineClaim, lineCharge, lineNumber, linePos, lineRendering],
  );
  // The CHARGE of each claim (one ledger transaction, key 'charge:version:<version id>', a debit of ar_insurance
  // and a credit of gross_charges per line) in the same transaction as the claim, so AR exists exactly when the
  // claim does.
  await postVersionCharges(tx, scope, versionIds, actor);
  await tx.query(
    `INSERT INTO claim_status_history (practice_id, claim_id, claim_version_id, from_status, to_status, at, actor, reason)
     SELECT $1, t.claim_id, t.version_id, NULL, 'draft', $2, $3, 'built from coded encounter'
       FROM unnest($4::bigint[], $5::bigint[]) AS t(claim_id, version_id)`,
    [scope.practiceId, at, actor, claimIds, versionIds],
  );
}
