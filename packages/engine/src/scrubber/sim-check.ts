/**
 * Issue 5's Done-when, measured: on a generated data set, does the share of claims the scrubber held plus the
 * share the clearinghouse rejected reproduce what the simulator's error injection put in, and are claims that
 * passed the scrubber rejected by the clearinghouse at under 1 %?
 *
 * `simulatorCheck` generates the data set, imports it into the given (empty, migrated) database, configures the
 * simulated payers' published policies as scrubber data (as onboarding would, and each new edition of a payer's
 * manual when the payer changes a rule during the period), then walks the days with the production schedule
 * (`packages/worker/src/jobs/registry.ts`), calling the engine functions the worker's jobs call, against the
 * simulated clearinghouse in process (real 837P, 270, 271, 999 and 277CA):
 * - 02:30 and 06:30 every day, eligibility.retry: unanswered checks asked again or closed unconfirmed
 *   (`expireChecks`, `sendChecks`), the answers picked up;
 * - 07:00 on business days, claims.daily: build the claims of the encounters documented by then, scrub them (as
 *   of that day; a claim whose visit's 271 came back lapsed or not found is held for eligibility), submit the
 *   ready ones, and pick up the 999 / 277CA;
 * - 22:00 on business days, eligibility.nightly: the next business day's schedule checked with 270s (`planChecks`,
 *   `sendChecks`), the 271s picked up (`ingestEligibilityResponses`) — starting the evening before the first day.
 * The outcome per claim is then compared with the ground truth (`ground_truth.jsonl`). Figures are claim counts
 * and shares; no patient data.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addBusinessDays, addDays, isBusinessDay, type CalendarDate, type Instant } from '@openrcm/core';
import { practiceScope, type Db } from '@openrcm/db';
import {
  generateToDirectory,
  payerPolicyManual,
  type PayerPolicyManual,
  type PublishedPayerPolicy,
} from '@openrcm/sim';
import { inProcessClearinghouse, loadPayerKnowledge } from '@openrcm/sim/clearinghouse';
import { ingestAcknowledgement } from '../acks/ingest.ts';
import { buildClaims } from '../claims/build.ts';
import { expireChecks, ingestEligibilityResponses, planChecks, sendChecks } from '../eligibility/run.ts';
import { importPath } from '../intake/import.ts';
import { submitReadyClaims } from '../submission/submit.ts';
import { inProcessTransport, type ClearinghouseTransport } from '../submission/transport.ts';
import { codesetsAdapter } from './codesets-adapter.ts';
import { importPayerPolicies } from './rules-db.ts';
import { scrubClaims } from './run.ts';

export interface SimCheckOptions {
  readonly practices: number;
  readonly months: number;
  readonly seed: number;
  /** Visit volume multiplier of the generator (1 = full clinic days). */
  readonly volume?: number;
  readonly startDate?: string;
}

/** What happened to the claims that carry one kind of injected error (a claim counts once per kind). */
export interface KindOutcome {
  readonly injected: number;
  /** Held by a scrubber rule (a data edit or a credentialing hold). */
  readonly heldByRule: number;
  /** Held because the visit's 271 came back lapsed or not found. */
  readonly heldByEligibility: number;
  /** Submitted and rejected by the clearinghouse (999, 277CA or TA1). */
  readonly rejected: number;
  /** Neither held nor rejected: what reaches the payer. */
  readonly missed: number;
}

/**
 * Why an injected error reached the payer: the payer keeps that policy out of its manual (the scrubber cannot
 * know it until denials teach it), the visit had no 270/271 (a paper-only payer takes none), or neither — a
 * gap in the front end.
 */
export const MISS_REASONS = ['unpublished_policy', 'no_eligibility_check', 'front_end_gap'] as const;
export type MissReason = (typeof MISS_REASONS)[number];

export interface SimCheckReport {
  readonly claims: number;
  /**
   * Claims whose encounter carries an injected error (every kind the generator injects is catchable before the
   * payer: by the scrubber, or by the eligibility check — `detectableBy` in the ground truth).
   */
  readonly injected: number;
  /** Claims the scrubber held at least once, by the reason of the first hold (scrubber, credentialing, eligibility). */
  readonly held: number;
  readonly heldBy: Readonly<Record<string, number>>;
  /** Claims submitted to the clearinghouse (they passed the scrubber). */
  readonly submitted: number;
  /** Submitted claims the clearinghouse rejected, by the acknowledgement of the first rejection (999, 277CA, TA1). */
  readonly rejected: number;
  readonly rejectedBy: Readonly<Record<string, number>>;
  /** Claims held or rejected (a claim held, released and then rejected counts once). */
  readonly caught: number;
  /** Claims caught (held or rejected) that carry an injected error. */
  readonly caughtInjected: number;
  /** Claims with an injected error that were neither held nor rejected. */
  readonly missed: number;
  /** The missed claims by why they got through (a claim with a front-end gap among its errors counts there). */
  readonly missedBy: Readonly<Record<MissReason, number>>;
  /** Claims held or rejected without an injected error behind them. */
  readonly caughtWithoutError: number;
  /** Rejected claims without an injected error behind them. */
  readonly rejectedWithoutError: number;
  /** Rejected claims scrubbed without an eligibility answer for their visit and coverage (none asked — a paper-only payer takes no 270 —, or closed unconfirmed). */
  readonly rejectedWithoutEligibilityAnswer: number;
  /** Rejected claims ÷ submitted claims: the rejection rate of claims that passed the scrubber (target < 1 %). */
  readonly cleanRejectionRate: number;
  /** The eligibility run: checks by classification of their last answer (`pending` = never answered). */
  readonly eligibilityChecks: Readonly<Record<string, number>>;
  readonly byKind: Readonly<Record<string, KindOutcome>>;
}

type Truth = { errorKind: string; encounterId: string | null; detectableBy: string };

/** The part of a payer's manual the scrubber needs to catch an error kind before the payer does. */
const MANUAL_PART: Readonly<Record<string, keyof PublishedPayerPolicy>> = {
  missing_authorization: 'priorAuthorizationCodes',
  diagnosis_mismatch: 'medicalNecessity',
  non_covered_service: 'nonCoveredCodes',
  payer_bundling: 'bundlingPairs',
};

type ClaimOutcomeRow = {
  enc: string | null;
  first_hold: string | null;
  submitted: boolean;
  first_rejection: string | null;
  answered: boolean;
  payer: string;
};

const PARTIES = {
  submitterName: 'OPENRCM',
  submitterId: 'OPENRCM',
  contactName: 'BILLING DESK',
  contactPhone: '8005550100',
  receiverName: 'SIMULATED CLEARINGHOUSE',
  receiverId: 'SIMCH',
} as const;

/**
 * clearinghouse.pickup against one transport: 271s to the eligibility ingest, 999 / 277CA / TA1 to the
 * acknowledgement ingest, each file acknowledged once ingested. 835s are taken off the clearinghouse unread:
 * payments are not what is measured here.
 */
async function pickUp(
  db: Db,
  transport: ClearinghouseTransport,
  clearinghouseId: number,
  at: Instant,
): Promise<void> {
  for (const name of await transport.list()) {
    const content = await transport.fetch(name);
    const st = /(?:^|~|\n)\s*ST\*(\d{3})\*/.exec(content)?.[1];
    if (st === '271') await ingestEligibilityResponses(db, content, { at });
    else if (st !== '835') await ingestAcknowledgement(db, { name, content, clearinghouseId }, { at });
    await transport.acknowledge(name);
  }
}

export async function simulatorCheck(
  db: Db,
  options: SimCheckOptions,
  log: (line: string) => void = () => undefined,
): Promise<SimCheckReport> {
  const startDate = (options.startDate ?? '2026-01-05') as CalendarDate;
  const dir = mkdtempSync(join(tmpdir(), 'openrcm-sim-check-'));
  try {
    generateToDirectory(
      {
        practices: options.practices,
        months: options.months,
        seed: options.seed,
        startDate,
        volume: options.volume ?? 1,
      },
      dir,
    );
    const imp = await importPath(db, dir);
    if (!imp.ok) throw new Error('the generated data set was refused by the import');
    let manualInForce = '';
    const knowledge = loadPayerKnowledge(dir);
    // The evening before the first day of service: its schedule is checked then.
    const firstEvening = addBusinessDays(startDate, -1);
    let today: string = firstEvening;
    const house = inProcessClearinghouse(
      { setup: knowledge.data, authorizations: knowledge.data.authorizations, seed: options.seed },
      () => today,
    );
    const h = await db.query<{ id: number }>(
      `INSERT INTO clearinghouses (code, name, sender_id, receiver_id, usage_indicator, transport, settings)
       VALUES ('sim-check', 'SIMULATED CLEARINGHOUSE', 'OPENRCM', 'SIMCH', 'T', 'api', '{}'::jsonb)
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
    );
    const houseId = h.rows[0]?.id ?? 0;
    await db.query(`UPDATE payers SET clearinghouse_id = $1 WHERE submission_channel = 'electronic'`, [
      houseId,
    ]);
    const practices = (await db.query<{ id: number }>('SELECT id FROM practices ORDER BY id')).rows;
    const codeSets = codesetsAdapter();
    const transport = inProcessTransport(house);
    const transports = new Map([[houseId, transport]]);
    const end = addDays(startDate, Math.round(options.months * 30.5) + 10);
    let logged = '';
    for (let day = firstEvening; day <= end; day = addDays(day, 1)) {
      today = day;
      house.advanceTo(day);
      const at = (time: string): Instant => `${day}T${time}:00.000Z` as Instant;
      // eligibility.retry (02:30 and 06:30, every day): checks a payer has not answered asked again after 4 h,
      // or closed unconfirmed when out of attempts.
      for (const time of ['02:30', '06:30']) {
        for (const p of practices) {
          const scope = practiceScope(p.id);
          await expireChecks(db, scope, { at: at(time) });
          await sendChecks(db, scope, { at: at(time), transports });
        }
        await pickUp(db, transport, houseId, at(time));
      }
      if (!isBusinessDay(day)) continue;
      if (day >= startDate) {
        const morning = at('07:00');
        // The payers' bulletins: when a payer changes a rule (a new bundling pair, an authorization program), the
        // billing company imports the new edition of its manual before the morning's scrub.
        const edition = payerPolicyManual({ asOf: day, seed: options.seed, startDate });
        const editionText = JSON.stringify(edition);
        if (editionText !== manualInForce) {
          const r = await importPayerPolicies(db, edition, {
            at: morning,
            actor: 'system:scrubber.sim-check',
          });
          if (!r.ok) throw new Error(`the payers' policy edition of ${day} was refused`);
          manualInForce = editionText;
        }
        // claims.daily (07:00): build, scrub (eligibility holds included), submit; then the acknowledgements.
        for (const p of practices) {
          const scope = practiceScope(p.id);
          await buildClaims(db, scope, { at: morning, documentedBefore: morning });
          await scrubClaims(db, scope, { asOf: day, at: morning, codeSets });
          await submitReadyClaims(db, scope, { at: morning, transports, parties: PARTIES });
        }
        await pickUp(db, transport, houseId, morning);
      }
      // eligibility.nightly (22:00): the next business day's schedule, 270s out, 271s in.
      const evening = at('22:00');
      for (const p of practices) {
        const scope = practiceScope(p.id);
        await expireChecks(db, scope, { at: evening });
        await planChecks(db, scope, { date: day, at: evening });
        await sendChecks(db, scope, { at: evening, transports });
      }
      await pickUp(db, transport, houseId, evening);
      if (day.slice(0, 7) !== logged) {
        logged = day.slice(0, 7);
        log(`  ${day}`);
      }
    }
    return await outcome(db, join(dir, 'ground_truth.jsonl'), JSON.parse(manualInForce) as PayerPolicyManual);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Each claim's outcome (first hold and its reason, submitted, first rejection and its acknowledgement) against the ground truth. */
async function outcome(db: Db, groundTruthFile: string, manual: PayerPolicyManual): Promise<SimCheckReport> {
  // Encounter-scope rows only: a coverage-scope error (a member id typo, a coverage the payer terminated) is
  // repeated on every encounter it reaches (an outdated coverage only on the visits after the payer's
  // termination date), so the claims billed to it before then carry no error.
  const byEncounter = new Map<string, Truth[]>();
  for (const line of readFileSync(groundTruthFile, 'utf8').split('\n')) {
    if (line === '') continue;
    const t = JSON.parse(line) as Truth;
    if (t.encounterId !== null)
      byEncounter.set(t.encounterId, [...(byEncounter.get(t.encounterId) ?? []), t]);
  }
  const rows = await db.query<ClaimOutcomeRow>(
    `SELECT e.external_id AS enc,
            (SELECT h.reason FROM claim_status_history h WHERE h.practice_id = c.practice_id AND h.claim_id = c.id
                AND h.to_status = 'held' ORDER BY h.at, h.id LIMIT 1) AS first_hold,
            c.first_submitted_at IS NOT NULL AS submitted,
            (SELECT h.reason FROM claim_status_history h WHERE h.practice_id = c.practice_id AND h.claim_id = c.id
                AND h.to_status = 'rejected' ORDER BY h.at, h.id LIMIT 1) AS first_rejection,
            EXISTS (SELECT 1 FROM eligibility_checks x WHERE x.practice_id = c.practice_id
                       AND x.appointment_id = e.appointment_id AND x.coverage_id = c.coverage_id
                       AND x.classification IS NOT NULL AND x.classification <> 'unconfirmed') AS answered,
            py.payer_code AS payer
       FROM claims c
       JOIN encounters e ON e.practice_id = c.practice_id AND e.id = c.encounter_id
       JOIN coverages cv ON cv.practice_id = c.practice_id AND cv.id = c.coverage_id
       JOIN payers py ON py.id = cv.payer_id
      ORDER BY c.id`,
  );
  const checks = await db.query<{ k: string; n: number }>(
    `SELECT coalesce(classification, status) AS k, count(*)::int AS n FROM eligibility_checks GROUP BY 1 ORDER BY 1`,
  );
  const heldBy: Record<string, number> = {};
  const rejectedBy: Record<string, number> = {};
  const byKind: Record<string, { -readonly [K in keyof KindOutcome]: number }> = {};
  let injected = 0;
  let held = 0;
  let submitted = 0;
  let rejected = 0;
  let caught = 0;
  let caughtInjected = 0;
  let missed = 0;
  const missedBy: Record<MissReason, number> = {
    unpublished_policy: 0,
    no_eligibility_check: 0,
    front_end_gap: 0,
  };
  // Why one injected error got through: its policy part is not in the payer's manual, or its visit had no 271.
  const missReason = (t: Truth, r: ClaimOutcomeRow): MissReason => {
    const part = MANUAL_PART[t.errorKind];
    if (part !== undefined && manual.payers[r.payer]?.[part] === undefined) return 'unpublished_policy';
    if (t.detectableBy === 'eligibility' && !r.answered) return 'no_eligibility_check';
    return 'front_end_gap';
  };
  let caughtWithoutError = 0;
  let rejectedWithoutError = 0;
  let rejectedWithoutEligibilityAnswer = 0;
  for (const r of rows.rows) {
    const errors = r.enc === null ? [] : (byEncounter.get(r.enc) ?? []);
    // The scrubber's history reason reads 'held (<reason>): <rule ids>'; the ack ingest's '999 rejected…',
    // '277CA rejected: …', 'TA1 rejected …'.
    const holdReason =
      r.first_hold === null ? null : (/^held \((\w+)\)/.exec(r.first_hold)?.[1] ?? 'scrubber');
    const rejectedAt =
      r.first_rejection === null ? null : (/^(999|277CA|TA1)\b/.exec(r.first_rejection)?.[1] ?? 'other');
    if (holdReason !== null) {
      held++;
      heldBy[holdReason] = (heldBy[holdReason] ?? 0) + 1;
    }
    if (r.submitted) submitted++;
    if (rejectedAt !== null) {
      rejected++;
      rejectedBy[rejectedAt] = (rejectedBy[rejectedAt] ?? 0) + 1;
      if (errors.length === 0) rejectedWithoutError++;
      if (!r.answered) rejectedWithoutEligibilityAnswer++;
    }
    const isCaught = holdReason !== null || rejectedAt !== null;
    if (isCaught) caught++;
    if (errors.length > 0) {
      injected++;
      if (isCaught) caughtInjected++;
      else {
        missed++;
        // A claim with several errors is a front-end gap if any of them is; else the first error's reason.
        const reasons = errors.map((e) => missReason(e, r));
        missedBy[reasons.includes('front_end_gap') ? 'front_end_gap' : (reasons[0] ?? 'front_end_gap')]++;
      }
    } else if (isCaught) caughtWithoutError++;
    for (const kind of new Set(errors.map((e) => e.errorKind))) {
      const k = (byKind[kind] ??= {
        injected: 0,
        heldByRule: 0,
        heldByEligibility: 0,
        rejected: 0,
        missed: 0,
      });
      k.injected++;
      if (holdReason === 'eligibility') k.heldByEligibility++;
      else if (holdReason !== null) k.heldByRule++;
      else if (rejectedAt !== null) k.rejected++;
      else k.missed++;
    }
  }
  return {
    claims: rows.rows.length,
    injected,
    held,
    heldBy,
    submitted,
    rejected,
    rejectedBy,
    caught,
    caughtInjected,
    missed,
    missedBy,
    caughtWithoutError,
    rejectedWithoutError,
    rejectedWithoutEligibilityAnswer,
    cleanRejectionRate: submitted === 0 ? 0 : rejected / submitted,
    eligibilityChecks: Object.fromEntries(checks.rows.map((c) => [c.k, c.n])),
    byKind,
  };
}

const pct = (n: number, d: number): string => (d === 0 ? '–' : `${((100 * n) / d).toFixed(1)} %`);

const counts = (m: Readonly<Record<string, number>>): string =>
  Object.entries(m)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${k} ${n}`)
    .join(', ') || 'none';

/** The report as printed by `openrcm scrubber sim-check`. */
export function formatSimCheck(r: SimCheckReport): string[] {
  const col = (s: string): string => s.padEnd(40);
  return [
    `${col('claims built')}${r.claims}`,
    `${col('injected errors (ground truth)')}${r.injected} claims (${pct(r.injected, r.claims)})`,
    `${col('held by the scrubber')}${r.held} (${pct(r.held, r.claims)}): first hold ${counts(r.heldBy)}`,
    `${col('rejected by the clearinghouse')}${r.rejected} (${pct(r.rejected, r.claims)}): ${counts(r.rejectedBy)}`,
    `${col('held + rejected')}${r.caught} (${pct(r.caught, r.claims)}) vs injected ${r.injected} (${pct(r.injected, r.claims)})`,
    `  caught with an injected error ${r.caughtInjected}; injected but not caught ${r.missed}; caught without one ${r.caughtWithoutError}`,
    `  not caught because: the payer does not publish that policy ${r.missedBy.unpublished_policy}, ` +
      `no 270/271 for the visit ${r.missedBy.no_eligibility_check}, a gap in the front end ${r.missedBy.front_end_gap}`,
    `${col('eligibility checks (last answer)')}${counts(r.eligibilityChecks)}`,
    `claims that passed the scrubber, rejected by the clearinghouse: ${r.rejected} of ${r.submitted} = ` +
      `${pct(r.rejected, r.submitted)} (target < 1 %) ${r.cleanRejectionRate < 0.01 ? 'MET' : 'NOT MET'}` +
      `; of them ${r.rejectedWithoutError} without an injected error, ${r.rejectedWithoutEligibilityAnswer} without an eligibility answer`,
    'by injected error kind (claims): injected = held by a rule + held for eligibility + rejected + missed',
    ...Object.entries(r.byKind)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(
        ([k, v]) =>
          `  ${k.padEnd(22)} ${String(v.injected).padStart(5)} = ${String(v.heldByRule).padStart(5)} + ` +
          `${String(v.heldByEligibility).padStart(5)} + ${String(v.rejected).padStart(5)} + ${String(v.missed).padStart(5)}`,
      ),
  ];
}
