import type { CalendarDate, Instant, Npi, PayerId } from '@openrcm/core';
import type { Db, PracticeScope, Tx } from '@openrcm/db';
import { loadClaims } from '../claims/load.ts';
import { CORRECTABLE } from '../claims/versions.ts';
import { enrollmentLookup, type EnrollmentSpan } from '../credentialing/hold.ts';
import { CATALOG } from './catalog.ts';
import { duplicateKeyOf, duplicateKeys } from './rules/payer.ts';
import {
  loadPayerSettings,
  loadPracticeRules,
  type InvalidPayerSettings,
  type InvalidStoredRule,
} from './rules-db.ts';
import { scrubAll } from './scrub.ts';
import type { CodeSets, EligibilityResult, Hold, ScrubContext } from './types.ts';

/**
 * The scrubber's database edge (issue 5 §4): runs the pure rules over the practice's draft and held claims,
 * stores every issue (rule, location, message, fix) on the claim, and moves each claim to `ready` or `held`
 * (with the first hold reason: scrubber, credentialing or eligibility), recording the transition in the
 * claim's history. A held claim is re-scrubbed on every run, so fixing the data — or an enrollment becoming
 * effective — releases it. Claims are taken in pages (`SCRUB_PAGE_SIZE`, ordered by patient), each page one
 * transaction with a fixed number of statements, so memory stays flat in the number of claims.
 *
 * Besides the built-in CATALOG it runs the practice's configured rules (scrubber_rules: global, practice and
 * payer rows; an issue of a configured rule points at its row in claim_issues.scrubber_rule_id) with the
 * payers' settings (member id format, prior-authorization list, filing limit). A stored rule that no longer
 * validates is not run and is returned in `invalidRules`.
 */

export interface ScrubRunResult {
  readonly scrubbed: number;
  readonly ready: number;
  readonly held: number;
  /** Held claims per hold reason. */
  readonly heldBy: Readonly<Record<string, number>>;
  /** Error issues per rule id (what held the claims). */
  readonly issuesByRule: Readonly<Record<string, number>>;
  /** Configured rules that were not run because their stored definition no longer validates. */
  readonly invalidRules: readonly InvalidStoredRule[];
  /** Payers whose stored member id pattern was refused (the format check is skipped for them). */
  readonly invalidPayerSettings: readonly InvalidPayerSettings[];
}

/** Claims that went out: on their way, or with the payer (the duplicate check compares against these). */
const SUBMITTED_STATUSES = ['submitted', ...CORRECTABLE];

/** Claims per page: each page is loaded, scrubbed and stored in one transaction with a fixed number of statements. */
export const SCRUB_PAGE_SIZE = 2000;

export async function scrubClaims(
  db: Db,
  scope: PracticeScope,
  options: {
    readonly asOf: CalendarDate;
    readonly at: Instant;
    readonly codeSets: CodeSets;
    readonly actor?: string;
    /** Only these claims, and `ready` ones among them too (re-checking a claim that has not left yet). */
    readonly claimIds?: readonly number[];
    readonly pageSize?: number;
  },
): Promise<ScrubRunResult> {
  const actor = options.actor ?? 'system:scrubber';
  const pageSize = options.pageSize ?? SCRUB_PAGE_SIZE;
  // The configuration is read once per run: configured rules, payer settings, enrollment spans.
  const configured = await loadPracticeRules(db, scope.practiceId);
  const payers = await loadPayerSettings(db, scope.practiceId);
  const config = { invalidRules: configured.invalid, invalidPayerSettings: payers.invalid };
  const spans = await db.query<{
    npi: string;
    payer_id: number;
    effective_from: string;
    effective_to: string | null;
  }>(
    `SELECT p.npi, e.payer_id, e.effective_from::text AS effective_from, e.effective_to::text AS effective_to
       FROM provider_enrollments e JOIN providers p ON p.practice_id = e.practice_id AND p.id = e.provider_id
      WHERE e.practice_id = $1 AND e.status IN ('enrolled', 'submitted', 'in_review') AND e.effective_from IS NOT NULL`,
    [scope.practiceId],
  );
  const enrollmentSpans: EnrollmentSpan[] = spans.rows.map((s) => ({
    npi: s.npi as Npi,
    payerId: s.payer_id as PayerId,
    effectiveFrom: s.effective_from as CalendarDate,
    ...(s.effective_to === null ? {} : { effectiveTo: s.effective_to as CalendarDate }),
  }));
  const enrollment = enrollmentLookup(enrollmentSpans, options.asOf);
  const rules = [...CATALOG, ...configured.rules];

  const totals = { scrubbed: 0, held: 0 };
  const heldBy: Record<string, number> = {};
  const issuesByRule: Record<string, number> = {};
  // Pages follow (patient, claim id): duplicates are per patient, so the clean claims of this run that later
  // claims must not repeat are those of the same page — plus, at a page boundary, the patient the page ended on.
  // The run's claims, in (patient, id) order: a few ids per claim, read once; the claims themselves page by page.
  const all = await db.query<{ id: number; status: string; patient_id: number }>(
    `SELECT id, status, patient_id FROM claims
      WHERE practice_id = $1 AND status IN ('draft', 'held', $2) AND ($3::bigint[] IS NULL OR id = ANY($3::bigint[]))
      ORDER BY patient_id, id`,
    [scope.practiceId, options.claimIds === undefined ? 'draft' : 'ready', options.claimIds ?? null],
  );
  let carried = new Map<string, Claim['claimId']>();
  for (let from = 0; from < all.rows.length; from += pageSize) {
    const todo = { rows: all.rows.slice(from, from + pageSize) };
    const page = await db.transaction(async (tx) => {
      const lastRow = todo.rows[todo.rows.length - 1];
      if (lastRow === undefined) return { scrubbed: 0, held: 0, carried };
      const ids = todo.rows.map((r) => r.id);
      const claims = await loadClaims(tx, scope, ids);

      // Lines already sent to a payer (duplicate detection): only the page's patients can have a duplicate, and
      // only their submitted claims' current lines are read — as keys, not whole claims.
      const sent = await tx.query<{
        patient_id: number;
        payer_id: number;
        service_date: string;
        procedure_code: string;
        modifiers: string[];
        claim_id: number;
      }>(
        `SELECT c.patient_id, c.payer_id, l.service_date_from::text AS service_date, l.procedure_code, l.modifiers,
                c.id AS claim_id
           FROM (SELECT DISTINCT unnest($3::bigint[]) AS patient_id) p
           JOIN claims c ON c.practice_id = $1 AND c.patient_id = p.patient_id AND c.status = ANY($2::text[])
           JOIN LATERAL (SELECT cv.id FROM claim_versions cv WHERE cv.claim_id = c.id ORDER BY cv.version_no DESC LIMIT 1) v ON true
           JOIN claim_lines l ON l.claim_version_id = v.id
          ORDER BY c.id, l.line_number`,
        [scope.practiceId, SUBMITTED_STATUSES, todo.rows.map((r) => r.patient_id)],
      );
      const submitted = new Map<string, Claim['claimId']>(carried);
      for (const r of sent.rows) {
        const key = duplicateKeyOf({
          patientId: r.patient_id,
          payerId: r.payer_id,
          serviceDate: r.service_date,
          procedureCode: r.procedure_code,
          modifiers: r.modifiers,
        });
        if (!submitted.has(key)) submitted.set(key, r.claim_id as Claim['claimId']);
      }

      // Issue 7 §5: the latest eligibility answer for each claim's visit and billed coverage (lapsed / not found
      // hold the claim until the coverage is resolved).
      const checks = await tx.query<{ claim_id: number; classification: string }>(
        `SELECT DISTINCT ON (c.id) c.id AS claim_id, e.classification
           FROM unnest($2::bigint[]) AS ids(id)
           CROSS JOIN LATERAL (SELECT * FROM claims x WHERE x.id = ids.id AND x.practice_id = $1 OFFSET 0) c
           CROSS JOIN LATERAL (SELECT x.appointment_id FROM encounters x
                                WHERE x.id = c.encounter_id AND x.practice_id = c.practice_id) en
           JOIN eligibility_checks e ON e.practice_id = c.practice_id AND e.appointment_id = en.appointment_id
                AND e.coverage_id = c.coverage_id AND e.classification IS NOT NULL
          ORDER BY c.id, e.id DESC`,
        [scope.practiceId, ids],
      );
      const eligibilityByClaim = new Map(
        checks.rows.map((r) => [r.claim_id, r.classification as EligibilityResult]),
      );
      const ctx: ScrubContext = {
        asOf: options.asOf,
        codeSets: options.codeSets,
        enrollment,
        submitted,
        payerSettings: (payerId) => payers.settings.get(payerId),
        eligibilityFor: (claim) => eligibilityByClaim.get(claim.claimId),
      };

      const previous = new Map(todo.rows.map((r) => [r.id, r.status]));
      const issueRows: unknown[][] = [];
      const transitions: {
        claimId: number;
        version: number;
        from: string;
        to: string;
        hold: Hold | undefined;
      }[] = [];
      const nextCarried = new Map<string, Claim['claimId']>();
      // scrubAll: a clean claim's lines join the duplicate index for the claims after it, so the same visit
      // keyed in twice (two encounters, two claims built the same night) is held as a duplicate.
      for (const { claim, result } of scrubAll(claims, ctx, rules)) {
        for (const i of result.issues) {
          issueRows.push([
            claim.claimId,
            claim.version,
            configured.rowFor(i.ruleId, claim.coverage.payer.payerId) ?? null,
            i.ruleId,
            i.severity,
            `${i.message} Fix: ${i.suggestedFix}`,
            i.x12 || i.field,
          ]);
          if (i.severity === 'error') issuesByRule[i.ruleId] = (issuesByRule[i.ruleId] ?? 0) + 1;
        }
        const hold = result.holds[0];
        if (hold !== undefined) heldBy[hold.reason] = (heldBy[hold.reason] ?? 0) + 1;
        transitions.push({
          claimId: claim.claimId,
          version: claim.version,
          from: previous.get(claim.claimId) ?? 'draft',
          to: result.clean ? 'ready' : 'held',
          hold,
        });
        // A clean claim of the patient the page ends on joins the next page's duplicate index.
        if (result.clean && claim.frequencyCode === '1' && claim.patientId === lastRow.patient_id) {
          for (const key of duplicateKeys(claim)) nextCarried.set(key, claim.claimId);
        }
      }
      await storeResults(tx, scope, options.at, actor, ids, issueRows, transitions);
      return {
        scrubbed: claims.length,
        held: transitions.filter((t) => t.to === 'held').length,
        carried: new Map([
          ...[...carried].filter(([k]) => k.startsWith(`p${lastRow.patient_id}|`)),
          ...nextCarried,
        ]),
      };
    });
    totals.scrubbed += page.scrubbed;
    totals.held += page.held;
    carried = page.carried;
  }
  return {
    scrubbed: totals.scrubbed,
    ready: totals.scrubbed - totals.held,
    held: totals.held,
    heldBy,
    issuesByRule,
    ...config,
  };
}

/** Stores one page's results: issues, statuses, history, hold work items — a fixed number of statements. */
async function storeResults(
  tx: Tx,
  scope: PracticeScope,
  at: Instant,
  actor: string,
  ids: readonly number[],
  issueRows: readonly unknown[][],
  transitions: readonly {
    claimId: number;
    version: number;
    from: string;
    to: string;
    hold: Hold | undefined;
  }[],
): Promise<void> {
  // The previous run's open issues are superseded by this run's.
  await tx.query(
    `UPDATE claim_issues SET status = 'resolved', resolved_at = $3 WHERE practice_id = $1 AND claim_id = ANY($2::bigint[]) AND status = 'open'`,
    [scope.practiceId, ids, at],
  );
  if (issueRows.length > 0) {
    await tx.query(
      `INSERT INTO claim_issues (practice_id, claim_id, claim_version_id, scrubber_rule_id, rule_key, severity, message, location, created_at)
       SELECT $1, t.claim_id, v.id, t.scrubber_rule_id, t.rule_key, t.severity, t.message, t.location, $2
         FROM unnest($3::bigint[], $4::int[], $5::bigint[], $6::text[], $7::text[], $8::text[], $9::text[])
              AS t(claim_id, version_no, scrubber_rule_id, rule_key, severity, message, location)
         CROSS JOIN LATERAL (SELECT x.id FROM claim_versions x WHERE x.claim_id = t.claim_id AND x.version_no = t.version_no) v`,
      [
        scope.practiceId,
        at,
        issueRows.map((r) => r[0]),
        issueRows.map((r) => r[1]),
        issueRows.map((r) => r[2]),
        issueRows.map((r) => r[3]),
        issueRows.map((r) => r[4]),
        issueRows.map((r) => r[5]),
        issueRows.map((r) => r[6]),
      ],
    );
  }
  await tx.query(
    `UPDATE claims c SET status = t.to_status, hold_reason = t.hold_reason, updated_at = $3
       FROM unnest($2::bigint[], $4::text[], $5::text[]) AS t(id, to_status, hold_reason)
      WHERE c.practice_id = $1 AND c.id = t.id`,
    [
      scope.practiceId,
      transitions.map((t) => t.claimId),
      at,
      transitions.map((t) => t.to),
      transitions.map((t) => (t.to === 'held' ? (t.hold?.reason ?? 'scrubber') : null)),
    ],
  );
  const changed = transitions.filter((t) => t.from !== t.to);
  if (changed.length > 0) {
    await tx.query(
      `INSERT INTO claim_status_history (practice_id, claim_id, from_status, to_status, at, actor, reason)
       SELECT $1, t.claim_id, t.from_status, t.to_status, $2, $3, t.reason
         FROM unnest($4::bigint[], $5::text[], $6::text[], $7::text[]) AS t(claim_id, from_status, to_status, reason)`,
      [
        scope.practiceId,
        at,
        actor,
        changed.map((t) => t.claimId),
        changed.map((t) => t.from),
        changed.map((t) => t.to),
        changed.map((t) =>
          t.to === 'ready'
            ? 'passed the scrubber'
            : `held (${t.hold?.reason ?? 'scrubber'}): ${t.hold?.ruleIds.join(', ') ?? ''}`,
        ),
      ],
    );
  }
  // Issue 5 §4: a held claim is work — one open item per claim in the queue of its hold (billing for data
  // fixes and eligibility, credentialing for enrollment), due in one business day; released claims close it.
  const nowHeld = transitions.filter((t) => t.to === 'held');
  if (nowHeld.length > 0) {
    await tx.query(
      `INSERT INTO work_items (practice_id, type, queue, priority, title, due_at, links, dedupe_key, created_at, updated_at)
       SELECT $1, CASE WHEN t.reason = 'credentialing' THEN 'credentialing_hold' WHEN t.reason = 'eligibility'
                       THEN 'eligibility_flag' ELSE 'scrubber_hold' END,
              CASE WHEN t.reason = 'credentialing' THEN 'credentialing' WHEN t.reason = 'eligibility' THEN 'eligibility'
                   ELSE 'billing' END,
              3, 'Claim ' || t.claim_id || ' held (' || t.reason || '): ' || t.rules, $2::timestamptz + interval '1 day',
              jsonb_build_object('claimId', t.claim_id), 'hold:' || t.claim_id, $2, $2
         FROM unnest($3::bigint[], $4::text[], $5::text[]) AS t(claim_id, reason, rules)
       ON CONFLICT DO NOTHING`,
      [
        scope.practiceId,
        at,
        nowHeld.map((t) => t.claimId),
        nowHeld.map((t) => t.hold?.reason ?? 'scrubber'),
        nowHeld.map((t) => (t.hold?.ruleIds ?? []).join(', ')),
      ],
    );
  }
  const released = transitions.filter((t) => t.from === 'held' && t.to === 'ready');
  if (released.length > 0) {
    await tx.query(
      `UPDATE work_items SET status = 'done', resolution = 'released by the scrubber', resolved_at = $2, updated_at = $2
        WHERE practice_id = $1 AND dedupe_key = ANY($3::text[]) AND status NOT IN ('done', 'cancelled')`,
      [scope.practiceId, at, released.map((t) => `hold:${t.claimId}`)],
    );
  }
}

type Claim = Awaited<ReturnType<typeof loadClaims>>[number];
