/**
 * Issue 5's Done-when, measured: on a generated data set, does the share of claims the scrubber held plus the
 * share the clearinghouse rejected reproduce what the simulator's error injection put in, and are claims that
 * passed the scrubber rejected by the clearinghouse at under 1 %?
 *
 * `simulatorCheck` generates the data set, imports it into the given (empty, migrated) database, configures the
 * simulated payers' published policies as scrubber data (as onboarding would, and each new edition of a payer's
 * manual when the payer changes a rule during the period), then runs each business morning
 * as the worker does — build the claims documented by then, scrub them (asOf that day), submit the ready ones to
 * the simulated clearinghouse (in process, real 837P) and ingest its 999 / 277CA — and compares the outcome per
 * claim with the ground truth (`ground_truth.jsonl`). No eligibility run: an error only a 271 reveals reaches the
 * clearinghouse's roster check (277CA A3) or the payer. Figures are claim counts and shares; no patient data.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays, isBusinessDay, type CalendarDate, type Instant } from '@openrcm/core';
import { practiceScope, type Db } from '@openrcm/db';
import { generateToDirectory, payerPolicyManual } from '@openrcm/sim';
import { inProcessClearinghouse, loadPayerKnowledge } from '@openrcm/sim/clearinghouse';
import { ingestAcknowledgement } from '../acks/ingest.ts';
import { buildClaims } from '../claims/build.ts';
import { importPath } from '../intake/import.ts';
import { submitReadyClaims } from '../submission/submit.ts';
import { inProcessTransport } from '../submission/transport.ts';
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

export interface SimCheckReport {
  readonly claims: number;
  /** Claims whose encounter or billed coverage carries an injected error a front end can catch. */
  readonly injected: number;
  /** Claims the scrubber held at least once. */
  readonly held: number;
  /** Claims submitted to the clearinghouse. */
  readonly submitted: number;
  /** Submitted claims the clearinghouse rejected (999 or 277CA). */
  readonly rejected: number;
  /** Claims caught (held or rejected) that carry an injected error. */
  readonly caughtInjected: number;
  /** Claims with an injected error that were neither held nor rejected. */
  readonly missed: number;
  /** Claims held or rejected without an injected error behind them. */
  readonly caughtWithoutError: number;
  /** Rejected claims whose only injected errors are ones a 271 reveals (no eligibility run here). */
  readonly rejectedEligibilityOnly: number;
  /** Rejected claims that had passed the scrubber, ÷ submitted. */
  readonly cleanRejectionRate: number;
  /** The same without the rejections only an eligibility check could have prevented: the scrubber's own rate. */
  readonly scrubberRejectionRate: number;
  /** Held or rejected, by the error kinds injected into them (a claim counts once per kind). */
  readonly byKind: Readonly<Record<string, { readonly injected: number; readonly caught: number }>>;
}

type Truth = {
  errorKind: string;
  detectableBy: string;
  expectedOutcome: string;
  encounterId: string | null;
  coverageId: string | null;
};

/** An injected error the scrubber or the clearinghouse front end can catch (not a payer's adjudication). */
const frontEnd = (t: Truth): boolean =>
  t.detectableBy === 'scrubber' || t.expectedOutcome.startsWith('reject');

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
    let today: string = startDate;
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
    const parties = {
      submitterName: 'OPENRCM',
      submitterId: 'OPENRCM',
      contactName: 'BILLING DESK',
      contactPhone: '8005550100',
      receiverName: 'SIMULATED CLEARINGHOUSE',
      receiverId: 'SIMCH',
    };
    const end = addDays(startDate, Math.round(options.months * 30.5) + 10);
    for (let day = startDate; day <= end; day = addDays(day, 1)) {
      if (!isBusinessDay(day)) continue;
      today = day;
      house.advanceTo(day);
      const morning = `${day}T07:00:00.000Z` as Instant;
      // The payers' bulletins: when a payer changes a rule (a new bundling pair, an authorization program), the
      // billing company imports the new edition of its manual before the morning's scrub.
      const edition = payerPolicyManual({ asOf: day, seed: options.seed, startDate });
      const editionText = JSON.stringify(edition);
      if (editionText !== manualInForce) {
        const r = await importPayerPolicies(db, edition, { at: morning, actor: 'system:scrubber.sim-check' });
        if (!r.ok) throw new Error(`the payers' policy edition of ${day} was refused`);
        manualInForce = editionText;
      }
      for (const p of practices) {
        const scope = practiceScope(p.id);
        await buildClaims(db, scope, { at: morning, documentedBefore: morning });
        await scrubClaims(db, scope, { asOf: day, at: morning, codeSets });
        await submitReadyClaims(db, scope, { at: morning, transports, parties });
      }
      for (const name of [...house.outbox.keys()].sort()) {
        const content = house.outbox.get(name) ?? '';
        house.outbox.delete(name);
        // Acknowledgements only: no 835 is due this early, and payments are not what is measured here.
        if (/(^|~|\n)ST\*(999|277)\*/.test(content))
          await ingestAcknowledgement(db, { name, content, clearinghouseId: houseId }, { at: morning });
      }
      if (day.endsWith('-01') || day === end) log(`  ${day}`);
    }

    const truths = readFileSync(join(dir, 'ground_truth.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Truth)
      .filter(frontEnd);
    const rows = await db.query<{
      enc: string | null;
      cov: string | null;
      held: boolean;
      submitted: boolean;
      rejected: boolean;
    }>(
      `SELECT e.external_id AS enc, v.external_id AS cov,
              EXISTS (SELECT 1 FROM claim_status_history h WHERE h.claim_id = c.id AND h.to_status = 'held') AS held,
              EXISTS (SELECT 1 FROM claim_status_history h WHERE h.claim_id = c.id AND h.to_status = 'submitted') AS submitted,
              EXISTS (SELECT 1 FROM claim_status_history h WHERE h.claim_id = c.id AND h.to_status = 'rejected') AS rejected
         FROM claims c
         JOIN encounters e ON e.id = c.encounter_id
         JOIN coverages v ON v.id = c.coverage_id
        ORDER BY c.id`,
    );
    const byEncounter = new Map<string, Truth[]>();
    const byCoverage = new Map<string, Truth[]>();
    for (const t of truths) {
      if (t.encounterId !== null)
        byEncounter.set(t.encounterId, [...(byEncounter.get(t.encounterId) ?? []), t]);
      else if (t.coverageId !== null)
        byCoverage.set(t.coverageId, [...(byCoverage.get(t.coverageId) ?? []), t]);
    }
    let injected = 0;
    let held = 0;
    let submitted = 0;
    let rejected = 0;
    let caughtInjected = 0;
    let missed = 0;
    let caughtWithoutError = 0;
    let rejectedEligibilityOnly = 0;
    const byKind: Record<string, { injected: number; caught: number }> = {};
    for (const r of rows.rows) {
      const errors = [
        ...(r.enc === null ? [] : (byEncounter.get(r.enc) ?? [])),
        ...(r.cov === null ? [] : (byCoverage.get(r.cov) ?? [])),
      ];
      const caught = r.held || r.rejected;
      if (r.held) held++;
      if (r.submitted) submitted++;
      if (r.rejected) rejected++;
      if (r.rejected && errors.length > 0 && errors.every((e) => e.detectableBy === 'eligibility'))
        rejectedEligibilityOnly++;
      if (errors.length > 0) {
        injected++;
        if (caught) caughtInjected++;
        else missed++;
      } else if (caught) caughtWithoutError++;
      for (const kind of new Set(errors.map((e) => e.errorKind))) {
        const k = (byKind[kind] ??= { injected: 0, caught: 0 });
        k.injected++;
        if (caught) k.caught++;
      }
    }
    return {
      claims: rows.rows.length,
      injected,
      held,
      submitted,
      rejected,
      caughtInjected,
      missed,
      caughtWithoutError,
      rejectedEligibilityOnly,
      cleanRejectionRate: submitted === 0 ? 0 : rejected / submitted,
      scrubberRejectionRate: submitted === 0 ? 0 : (rejected - rejectedEligibilityOnly) / submitted,
      byKind,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const pct = (n: number, d: number): string => (d === 0 ? '–' : `${((100 * n) / d).toFixed(1)} %`);

/** The report as printed by `openrcm scrubber sim-check`. */
export function formatSimCheck(r: SimCheckReport): string[] {
  const caught = r.held + r.rejected;
  return [
    `claims built                          ${r.claims}`,
    `injected front-end errors (ground truth) ${r.injected} claims (${pct(r.injected, r.claims)})`,
    `held by the scrubber                  ${r.held} (${pct(r.held, r.claims)})`,
    `rejected by the clearinghouse         ${r.rejected} of ${r.submitted} submitted (${pct(r.rejected, r.claims)} of claims)`,
    `held + rejected                       ${caught} (${pct(caught, r.claims)}) vs injected ${pct(r.injected, r.claims)}`,
    `  with an injected error              ${r.caughtInjected}; injected but not caught ${r.missed}; caught without one ${r.caughtWithoutError}`,
    `claims that passed the scrubber, rejected by the clearinghouse: ${pct(r.rejected, r.submitted)} (target < 1 %) ${r.cleanRejectionRate < 0.01 ? 'MET' : 'NOT MET'}`,
    `  of which only an eligibility check (270/271, not run here) could have caught: ${r.rejectedEligibilityOnly}; ` +
      `the rest: ${pct(r.rejected - r.rejectedEligibilityOnly, r.submitted)} ${r.scrubberRejectionRate < 0.01 ? 'MET' : 'NOT MET'}`,
    'by injected error kind (claims caught / injected):',
    ...Object.entries(r.byKind)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `  ${k.padEnd(24)} ${String(v.caught).padStart(5)} / ${v.injected}`),
  ];
}
