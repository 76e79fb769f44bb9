/**
 * How well the scrubber finds the simulator's injected errors:
 *   npx tsx packages/engine/src/scrubber/eval-sim.ts [practices=1] [months=1] [seed=7]
 * Generates a data set, imports it into an embedded database, builds the claims, scrubs each one the morning
 * after its encounter was coded (as the nightly run would) with the catalog
 * plus each payer's policies configured as data (what onboarding would enter from the payers' bulletins), and
 * compares the holds with the ground truth: per injected error kind, how many the scrubber caught, and how
 * many claims it held with no injected error behind them (false holds).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CalendarDate, ClaimId, Instant, Npi, PayerId } from '@openrcm/core';
import { addDays } from '@openrcm/core';
import { migrate, openPglite, practiceScope } from '@openrcm/db';
import { PAYER_PROFILES, generateToDirectory } from '@openrcm/sim';
import type { Claim } from '../claims/model.ts';
import { buildClaims } from '../claims/build.ts';
import { loadClaims } from '../claims/load.ts';
import { enrollmentLookup } from '../credentialing/hold.ts';
import type { EnrollmentSpan } from '../credentialing/hold.ts';
import { importPath } from '../intake/import.ts';
import { CATALOG } from './catalog.ts';
import { codesetsAdapter } from './codesets-adapter.ts';
import { compileDataRule, validateDataRule } from './conditions.ts';
import type { PayerPolicy } from './policy.ts';
import { payerPolicyRules, payerSettingsOf } from './policy.ts';
import { duplicateKeys } from './rules/payer.ts';
import { scrub } from './scrub.ts';
import type { PayerSettings, Rule } from './types.ts';

const [practices = 1, months = 1, seed = 7] = process.argv.slice(2).map(Number);
const startDate = '2026-01-05';
// Codes the simulated payers bill per side (their bulletin: RT, LT or 50 required), as in sim/payers/adjudicate.ts.
const LATERAL = ['20610', '20611', '20550', '73030', '73560', '73610', '73721', '29881', '29125', '69210'];

/** `payer-12-necessity-93880` → `payer-*-necessity-*`: one line per kind of configured rule. */
const family = (id: string): string =>
  id.replace(/^payer-\d+-/, 'payer-*-').replace(/-(necessity|units|bundle)-.*$/, '-$1-*');

const dir = mkdtempSync(join(tmpdir(), 'openrcm-scrub-eval-'));
try {
  generateToDirectory({ practices, months, seed, startDate }, join(dir, 'data'));
  const db = await openPglite({ dataDir: join(dir, 'db') });
  await migrate(db);
  const imp = await importPath(db, join(dir, 'data'));
  if (!imp.ok) throw new Error('import rejected');

  const end = new Date(`${startDate}T00:00:00Z`);
  end.setUTCMonth(end.getUTCMonth() + months);
  const asOf = addDays(end.toISOString().slice(0, 10) as CalendarDate, 5);
  const at = `${asOf}T06:00:00.000Z` as Instant;

  // Payers as onboarding would configure them: member id format and filing limit from the payer file,
  // the rest from each payer's policies.
  const payerFile = readFileSync(join(dir, 'data', 'payers.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as { payerId: string; memberIdPattern: string; timelyFilingDays: string });
  const payerIds = await db.query<{ id: number; payer_code: string }>('SELECT id, payer_code FROM payers');
  const codeSets = codesetsAdapter();
  const settings = new Map<number, PayerSettings>();
  const rules: Rule[] = [...CATALOG];
  for (const p of payerIds.rows) {
    const profile = PAYER_PROFILES.find((x) => x.payerId === p.payer_code);
    const file = payerFile.find((x) => x.payerId === p.payer_code);
    if (!profile || !file) continue;
    const policy: PayerPolicy = {
      payerId: p.id,
      priorAuthorizationCodes: profile.priorAuthCodes,
      memberIdPattern: file.memberIdPattern,
      timelyFilingDays: Number(file.timelyFilingDays),
      nonCoveredCodes: profile.nonCovered.map((n) => n.code),
      medicalNecessity: profile.medicalNecessity,
      // Only the payer's own pairs: NCCI pairs are the built-in rule's.
      bundlingPairs: profile.bundlingPairs.filter(([a, b]) => codeSets.ptpEdit(a, b, asOf) === undefined),
      lateralityCodes: LATERAL,
    };
    settings.set(p.id, payerSettingsOf(policy));
    for (const def of payerPolicyRules(policy)) {
      const v = validateDataRule(def);
      if (!v.ok) throw new Error(`${def.id}: ${JSON.stringify(v.errors)}`);
      rules.push(compileDataRule(v.definition));
    }
  }

  const truths = readFileSync(join(dir, 'data', 'ground_truth.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map(
      (l) =>
        JSON.parse(l) as {
          errorKind: string;
          detectableBy: string;
          encounterId: string | null;
          coverageId: string | null;
          scope: string;
        },
    );
  const heldEncounters = new Map<string, Set<string>>();
  const heldCoverages = new Set<string>();
  const byRule: Record<string, number> = {};
  let claimsTotal = 0;
  let held = 0;
  let ms = 0;
  const practiceRows = await db.query<{ id: number }>('SELECT id FROM practices ORDER BY id');
  for (const pr of practiceRows.rows) {
    const scope = practiceScope(pr.id);
    await buildClaims(db, scope, { at });
    // Each claim is scrubbed the morning after its encounter was coded, as the nightly run would.
    const rows = await db.query<{ id: number; enc: string; cov: string; ready: string }>(
      `SELECT c.id, e.external_id AS enc, v.external_id AS cov,
              (COALESCE(e.coded_at, e.documentation_complete_at, e.received_at) AT TIME ZONE 'UTC')::date::text AS ready
         FROM claims c
         JOIN encounters e ON e.id = c.encounter_id JOIN coverages v ON v.id = c.coverage_id
        WHERE c.practice_id = $1 ORDER BY c.id`,
      [pr.id],
    );
    const claims: Claim[] = await loadClaims(
      db,
      scope,
      rows.rows.map((r) => r.id),
    );
    const spans = await db.query<{
      npi: string;
      payer_id: number;
      effective_from: string;
      effective_to: string | null;
    }>(
      `SELECT p.npi, e.payer_id, e.effective_from::text AS effective_from, e.effective_to::text AS effective_to
         FROM provider_enrollments e JOIN providers p ON p.practice_id = e.practice_id AND p.id = e.provider_id
        WHERE e.practice_id = $1 AND e.status IN ('enrolled', 'submitted', 'in_review') AND e.effective_from IS NOT NULL`,
      [pr.id],
    );
    const enrollment: EnrollmentSpan[] = spans.rows.map((s) => ({
      npi: s.npi as Npi,
      payerId: s.payer_id as PayerId,
      effectiveFrom: s.effective_from as CalendarDate,
      ...(s.effective_to === null ? {} : { effectiveTo: s.effective_to as CalendarDate }),
    }));
    const byId = new Map(rows.rows.map((r) => [r.id, r]));
    const t = performance.now();
    // The run's duplicate index, grown the way scrubAll grows it, but with each claim's own scrub date.
    const submitted = new Map<string, ClaimId>();
    const lookups = new Map<CalendarDate, ReturnType<typeof enrollmentLookup>>();
    const dayOf = (c: Claim): CalendarDate =>
      addDays((byId.get(c.claimId)?.ready ?? asOf) as CalendarDate, 1);
    for (const claim of [...claims].sort((a, b) =>
      dayOf(a) < dayOf(b) ? -1 : dayOf(a) > dayOf(b) ? 1 : a.claimId - b.claimId,
    )) {
      const day = dayOf(claim);
      let lookup = lookups.get(day);
      if (!lookup) lookups.set(day, (lookup = enrollmentLookup(enrollment, day)));
      const result = scrub(
        claim,
        { asOf: day, codeSets, enrollment: lookup, submitted, payerSettings: (id) => settings.get(id) },
        rules,
      );
      if (result.clean && claim.frequencyCode === '1') {
        for (const k of duplicateKeys(claim)) if (!submitted.has(k)) submitted.set(k, claim.claimId);
      }
      claimsTotal += 1;
      if (result.clean) continue;
      held += 1;
      const row = byId.get(claim.claimId);
      const ids = new Set(result.issues.filter((i) => i.severity === 'error').map((i) => i.ruleId));
      for (const id of ids) byRule[family(id)] = (byRule[family(id)] ?? 0) + 1;
      if (row) {
        heldEncounters.set(row.enc, ids);
        heldCoverages.add(row.cov);
      }
    }
    ms += performance.now() - t;
  }
  await db.close();

  const kinds = new Map<string, { injected: number; caught: number }>();
  const encountersWithTruth = new Set<string>();
  for (const g of truths) {
    if (g.encounterId) encountersWithTruth.add(g.encounterId);
    if (g.detectableBy !== 'scrubber') continue;
    const k = kinds.get(g.errorKind) ?? { injected: 0, caught: 0 };
    k.injected += 1;
    const caught =
      g.encounterId !== null
        ? heldEncounters.has(g.encounterId)
        : g.coverageId !== null && heldCoverages.has(g.coverageId);
    if (caught) k.caught += 1;
    kinds.set(g.errorKind, k);
  }
  const coverageTruths = new Set(
    truths.filter((g) => g.scope === 'coverage' && g.coverageId).map((g) => g.coverageId),
  );
  let falseHolds = 0;
  const falseByRule: Record<string, number> = {};
  for (const [enc, ids] of heldEncounters) {
    if (encountersWithTruth.has(enc)) continue;
    falseHolds += 1;
    for (const id of ids) falseByRule[family(id)] = (falseByRule[family(id)] ?? 0) + 1;
  }
  console.log(
    `${claimsTotal} claims, ${held} held (${((100 * held) / claimsTotal).toFixed(1)} %), scrubbed in ${ms.toFixed(0)} ms`,
  );
  console.log('held claims by rule:', byRule);
  console.log('scrubber-detectable injected errors (ground-truth rows → caught):');
  for (const [kind, k] of [...kinds].sort())
    console.log(`  ${kind.padEnd(22)} ${String(k.caught).padStart(4)} / ${k.injected}`);
  console.log(
    `held encounters without an encounter-level injected error: ${falseHolds} (coverage-level truths: ${coverageTruths.size})`,
    falseByRule,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
