/**
 * Claim split rules (issue 5 §2): at most 50 lines per claim, one rendering provider per claim for a payer that
 * requires it, 2420A for another provider's line otherwise — the pure planner, and claim construction on a
 * generated practice whose data is changed to need each rule.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CalendarDate, Instant } from '@openrcm/core';
import { practiceScope, type PracticeScope } from '@openrcm/db';
import { createTestDb, type TestDb } from '@openrcm/db/test-harness';
import { generateToDirectory } from '@openrcm/sim';
import { read837P } from '@openrcm/x12/837p';
import { importPath } from '../intake/import.ts';
import { codesetsAdapter } from '../scrubber/codesets-adapter.ts';
import { scrubClaims } from '../scrubber/run.ts';
import { testInterchange } from '../submission/fixtures.ts';
import { buildClaims, type BuildResult } from './build.ts';
import { loadClaims } from './load.ts';
import { unbilledCharges } from './queries.ts';
import { newClaimVersion } from './versions.ts';
import { rebuildClaimsWithLateCharges } from './late.ts';
import { rebuildUnsent, resubmitRejected } from './resubmit.ts';
import { splitEncounter } from './split.ts';

describe('splitEncounter (pure)', () => {
  const charges = (n: number, rendering?: (i: number) => number | undefined) =>
    Array.from({ length: n }, (_, i) => {
      const r = rendering?.(i);
      return { chargeId: 100 + i, ...(r === undefined ? {} : { renderingProviderId: r }) };
    });

  it('keeps up to 50 charges on one claim and splits more, 50 lines at a time, in line order', () => {
    expect(splitEncounter(charges(50), 7, false)).toHaveLength(1);
    const parts = splitEncounter(charges(120), 7, false);
    expect(parts.map((p) => p.charges.length)).toEqual([50, 50, 20]);
    expect(parts.flatMap((p) => p.charges.map((c) => c.chargeId))).toEqual(
      charges(120).map((c) => c.chargeId),
    );
    expect(parts.every((p) => p.renderingProviderId === 7)).toBe(true);
    expect(splitEncounter([], 7, false)).toEqual([]);
  });

  it('one claim per rendering provider when the payer requires it, else 2420A for the other provider', () => {
    const mixed = charges(4, (i) => (i % 2 === 1 ? 9 : undefined));
    expect(splitEncounter(mixed, 7, true)).toEqual([
      { renderingProviderId: 7, charges: [{ chargeId: 100 }, { chargeId: 102 }] },
      { renderingProviderId: 9, charges: [{ chargeId: 101 }, { chargeId: 103 }] },
    ]);
    expect(splitEncounter(mixed, 7, false)).toEqual([
      {
        renderingProviderId: 7,
        charges: [
          { chargeId: 100 },
          { chargeId: 101, lineRenderingProviderId: 9 },
          { chargeId: 102 },
          { chargeId: 103, lineRenderingProviderId: 9 },
        ],
      },
    ]);
    // A charge naming the encounter's own provider is no other provider.
    expect(
      splitEncounter(
        charges(2, () => 7),
        7,
        true,
      ),
    ).toEqual([{ renderingProviderId: 7, charges: [{ chargeId: 100 }, { chargeId: 101 }] }]);
  });
});

describe('claim construction with the split rules', () => {
  let db: TestDb;
  let dir: string;
  let scope: PracticeScope;
  const at = '2026-02-05T06:00:00.000Z' as Instant;
  type Enc = { id: number; payer_id: number; rendering_provider_id: number };
  let long: Enc;
  let perProvider: Enc;
  let lineLevel: Enc;
  let other: { perProvider: number; lineLevel: number; npi: string };
  let voided: Enc;
  let built: BuildResult;

  beforeAll(async () => {
    db = await createTestDb();
    dir = mkdtempSync(join(tmpdir(), 'openrcm-split-'));
    generateToDirectory({ practices: 1, months: 1, seed: 11, startDate: '2026-01-01', volume: 0.3 }, dir);
    expect((await importPath(db, dir)).ok).toBe(true);
    const p = await db.query<{ id: number }>('SELECT id FROM practices');
    scope = practiceScope(p.rows[0]?.id ?? 0);
    // Three coded encounters with a primary coverage, two of them to different payers.
    const enc = await db.query<Enc>(
      `SELECT e.id, c.payer_id, e.rendering_provider_id
         FROM encounters e JOIN coverages c ON c.id = e.primary_coverage_id
         JOIN payers y ON y.id = c.payer_id AND y.submission_channel = 'electronic'
        WHERE e.coding_status = 'coded' AND (SELECT count(*) FROM charges ch WHERE ch.encounter_id = e.id) >= 2
        ORDER BY e.id`,
    );
    const [a, ...rest] = enc.rows;
    const b = rest.find((x) => x.payer_id !== a?.payer_id);
    const c = rest.find((x) => x.payer_id !== a?.payer_id && x.payer_id !== b?.payer_id && x.id !== b?.id);
    if (a === undefined || b === undefined || c === undefined) throw new Error('not enough encounters');
    [long, perProvider, lineLevel] = [a, b, c];
    // A fourth encounter has all its charges voided: it makes no claim.
    const d = rest.find((x) => ![b.id, c.id].includes(x.id));
    if (d === undefined) throw new Error('not enough encounters');
    voided = d;
    await db.query(`UPDATE charges SET status = 'voided' WHERE encounter_id = $1`, [voided.id]);
    // The first encounter gets 120 charges (copies of its first one).
    await db.query(
      `INSERT INTO charges (practice_id, encounter_id, line_number, procedure_code, modifiers, units, charge_cents,
                            diagnosis_pointers, service_date, status)
       SELECT ch.practice_id, ch.encounter_id, g, ch.procedure_code, ch.modifiers, ch.units, ch.charge_cents,
              ch.diagnosis_pointers, ch.service_date, 'active'
         FROM charges ch CROSS JOIN generate_series(
                (SELECT max(line_number) + 1 FROM charges WHERE encounter_id = $1), 120) g
        WHERE ch.encounter_id = $1 AND ch.line_number = 1`,
      [long.id],
    );
    // The second's payer takes one rendering provider per claim; its second charge was rendered by another
    // provider of the practice. The third's payer takes several; its second charge too.
    const pick = async (not: number): Promise<{ id: number; npi: string }> => {
      const r = await db.query<{ id: number; npi: string }>(
        'SELECT id, npi FROM providers WHERE practice_id = $1 AND id <> $2 ORDER BY id LIMIT 1',
        [scope.practiceId, not],
      );
      const row = r.rows[0];
      if (row === undefined) throw new Error('no second provider');
      return row;
    };
    const p2 = await pick(perProvider.rendering_provider_id);
    const p3 = await pick(lineLevel.rendering_provider_id);
    other = { perProvider: p2.id, lineLevel: p3.id, npi: p3.npi };
    await db.query('UPDATE payers SET claim_per_rendering_provider = true WHERE id = $1', [
      perProvider.payer_id,
    ]);
    for (const [e, provider] of [
      [perProvider, p2.id],
      [lineLevel, p3.id],
    ] as const) {
      await db.query(
        `UPDATE charges SET rendering_provider_id = $2
          WHERE id = (SELECT id FROM charges WHERE encounter_id = $1 ORDER BY line_number OFFSET 1 LIMIT 1)`,
        [e.id, provider],
      );
    }
    built = await buildClaims(db, scope, { at });
  }, 120_000);

  afterAll(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const claimsOf = async (encounterId: number) =>
    (
      await db.query<{ id: number; rendering: number; lines: number; total: string; sum: string }>(
        `SELECT c.id, c.rendering_provider_id AS rendering, count(l.id)::int AS lines,
                v.total_charge_cents::text AS total, sum(l.charge_cents)::text AS sum
           FROM claims c JOIN claim_versions v ON v.claim_id = c.id JOIN claim_lines l ON l.claim_version_id = v.id
          WHERE c.encounter_id = $1 GROUP BY c.id, v.total_charge_cents ORDER BY c.id`,
        [encounterId],
      )
    ).rows;

  /** A late charge: a copy of the encounter's line 1, keyed in after the build. */
  const late = async (encounterId: number, renderingProviderId: number | null = null): Promise<number> =>
    (
      await db.query<{ id: number }>(
        `INSERT INTO charges (practice_id, encounter_id, line_number, procedure_code, modifiers, units, charge_cents,
                              diagnosis_pointers, service_date, status, rendering_provider_id)
         SELECT ch.practice_id, ch.encounter_id, (SELECT max(line_number) + 1 FROM charges WHERE encounter_id = $1),
                ch.procedure_code, ch.modifiers, ch.units, ch.charge_cents, ch.diagnosis_pointers, ch.service_date,
                'active', $2
           FROM charges ch WHERE ch.encounter_id = $1 AND ch.line_number = 1
         RETURNING id`,
        [encounterId, renderingProviderId],
      )
    ).rows[0]?.id ?? 0;

  it('an encounter of 120 charges becomes three claims of 50, 50 and 20 lines, each with its own CHARGE', async () => {
    const claims = await claimsOf(long.id);
    expect(claims.map((c) => c.lines)).toEqual([50, 50, 20]);
    for (const c of claims) expect(c.total).toBe(c.sum);
    const lineNumbers = await db.query<{ min: number; max: number; charges: number }>(
      `SELECT min(l.line_number)::int AS min, max(l.line_number)::int AS max, count(DISTINCT l.charge_id)::int AS charges
         FROM claim_lines l WHERE l.claim_id = ANY($1::bigint[]) GROUP BY l.claim_id ORDER BY l.claim_id`,
      [claims.map((c) => c.id)],
    );
    expect(lineNumbers.rows).toEqual([
      { min: 1, max: 50, charges: 50 },
      { min: 1, max: 50, charges: 50 },
      { min: 1, max: 20, charges: 20 },
    ]);
    const ledger = await db.query<{ claim_id: number; transactions: number; ar: string }>(
      `SELECT e.claim_id, count(DISTINCT e.transaction_id)::int AS transactions,
              sum(e.amount_cents) FILTER (WHERE e.account = 'ar_insurance')::text AS ar
         FROM ledger_entries e WHERE e.claim_id = ANY($1::bigint[]) GROUP BY e.claim_id ORDER BY e.claim_id`,
      [claims.map((c) => c.id)],
    );
    expect(ledger.rows.map((r) => [r.transactions, r.ar])).toEqual(claims.map((c) => [1, c.sum]));
    // Rebuilding one of them (a resubmission, a correction) takes its own part of the encounter.
    const own = await db.query<{ n: number }>(
      `SELECT (SELECT count(*)::int FROM claim_charges($1, $2)) AS n`,
      [scope.practiceId, claims[2]?.id],
    );
    expect(own.rows[0]?.n).toBe(20);
  });

  it('one claim per rendering provider for the payer that requires it', async () => {
    const claims = await claimsOf(perProvider.id);
    expect(claims.map((c) => c.rendering)).toEqual([perProvider.rendering_provider_id, other.perProvider]);
    expect(claims[1]?.lines).toBe(1);
    const lineLevelRows = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM claim_lines WHERE claim_id = ANY($1::bigint[]) AND rendering_provider_id IS NOT NULL',
      [claims.map((c) => c.id)],
    );
    expect(lineLevelRows.rows[0]?.n).toBe(0);
  });

  it('one claim with the other provider in 2420A for a payer that takes several, and every 837P is clean', async () => {
    const claims = await claimsOf(lineLevel.id);
    expect(claims).toHaveLength(1);
    const claimId = claims[0]?.id ?? 0;
    const lines = await db.query<{ line_number: number; rendering: number | null }>(
      'SELECT line_number, rendering_provider_id AS rendering FROM claim_lines WHERE claim_id = $1 ORDER BY line_number',
      [claimId],
    );
    expect(lines.rows.filter((l) => l.rendering !== null)).toEqual([
      { line_number: 2, rendering: other.lineLevel },
    ]);
    const all = [...(await claimsOf(long.id)), ...(await claimsOf(perProvider.id)), ...claims].map(
      (c) => c.id,
    );
    const loaded = await loadClaims(db, scope, all);
    expect(loaded).toHaveLength(all.length);
    const text = testInterchange(loaded);
    const read = read837P(text);
    expect(read.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(read.value.transactions[0]?.claims).toHaveLength(all.length);
    // 2420A: NM1*82 with the other provider's NPI right after that line's SV1 / DTP / REF.
    expect(text).toContain(`NM1*82*1*`);
    expect(text.split(`*XX*${other.npi}`).length - 1).toBeGreaterThanOrEqual(1);
    const withLineProvider = read.value.transactions[0]?.claims.find(
      (c) => c.claim.patientControlNumber === String(claimId),
    );
    expect(withLineProvider?.lines[1]?.providers.rendering?.name.id).toBe(other.npi);
    expect(withLineProvider?.lines[0]?.providers.rendering).toBeUndefined();
  });
  it("the scrubber checks the 2420A provider's enrollment: not enrolled with the payer, the claim is held at 2420A", async () => {
    const claimId = (await claimsOf(lineLevel.id))[0]?.id ?? 0;
    await db.query('DELETE FROM provider_enrollments WHERE provider_id = $1 AND payer_id = $2', [
      other.lineLevel,
      lineLevel.payer_id,
    ]);
    await scrubClaims(db, scope, {
      asOf: '2026-02-05' as CalendarDate,
      at,
      codeSets: codesetsAdapter(),
    });
    const issues = await db.query<{ rule_key: string; location: string }>(
      `SELECT rule_key, location FROM claim_issues WHERE claim_id = $1 AND rule_key = 'rendering-enrolled'`,
      [claimId],
    );
    expect(issues.rows).toEqual([{ rule_key: 'rendering-enrolled', location: '2420A.NM109' }]);
    const claim = await db.query<{ status: string; hold_reason: string }>(
      'SELECT status, hold_reason FROM claims WHERE id = $1',
      [claimId],
    );
    expect(claim.rows[0]?.status).toBe('held');
  });
  it('skips, and counts, the encounters it cannot bill: no primary coverage, no active charge', async () => {
    const uncovered = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM encounters WHERE practice_id = $1 AND coding_status = 'coded'
          AND primary_coverage_id IS NULL`,
      [scope.practiceId],
    );
    expect(built.skipped).toEqual({
      no_charges: 1,
      ...(uncovered.rows[0]?.n ? { no_primary_coverage: uncovered.rows[0].n } : {}),
    });
    expect(await claimsOf(voided.id)).toEqual([]);
  });

  it('a rebuilt version gives each split claim the lines the build gave it (the 2420A rule in JS and in SQL agree)', async () => {
    // The build plans lines with splitEncounter; a resubmission or a correction writes them with
    // insertLinesFromCharges. Rebuilt from unchanged charges, every claim of the three encounters must get the same
    // lines: charge, line number, amount, place of service and the line's own rendering provider.
    type Line = {
      line_number: number;
      charge_id: number;
      charge: string;
      place_of_service: string | null;
      rendering: number | null;
    };
    const ids = (await Promise.all([long, perProvider, lineLevel].map((e) => claimsOf(e.id))))
      .flat()
      .map((c) => c.id);
    const linesOf = async (versionNo: number): Promise<Line[][]> =>
      Promise.all(
        ids.map(
          async (id) =>
            (
              await db.query<Line>(
                `SELECT l.line_number, l.charge_id, l.charge_cents::text AS charge, l.place_of_service,
                        l.rendering_provider_id AS rendering
                   FROM claim_lines l JOIN claim_versions v ON v.id = l.claim_version_id
                  WHERE l.claim_id = $1 AND v.version_no = $2 ORDER BY l.line_number`,
                [id, versionNo],
              )
            ).rows,
        ),
      );
    const fromBuild = await linesOf(1);
    expect(fromBuild.map((l) => l.length)).toEqual([50, 50, 20, expect.any(Number), 1, expect.any(Number)]);
    expect(fromBuild.flat().filter((l) => l.rendering !== null)).toEqual([
      expect.objectContaining({ line_number: 2, rendering: other.lineLevel }),
    ]);
    await db.query(`UPDATE claims SET status = 'rejected', hold_reason = NULL WHERE id = ANY($1::bigint[])`, [
      ids,
    ]);
    for (const id of ids) {
      const r = await resubmitRejected(db, scope, id, {
        at,
        actor: 'user:test',
        codeSets: codesetsAdapter(),
      });
      expect(r.versionNo).toBe(2);
    }
    expect(await linesOf(2)).toEqual(fromBuild);
  });

  it('a charge keyed in after the build: listed with the claim that takes it, then billed by its next version', async () => {
    // Late charges (copies of line 1) on the split encounters and on two encounters billed on one claim each.
    const [one, two] = (
      await db.query<{ encounter_id: number; id: number }>(
        `SELECT c.encounter_id, c.id FROM claims c
          WHERE c.practice_id = $1 AND c.responsibility = 'primary' AND c.encounter_id <> ALL($2::bigint[])
            AND NOT EXISTS (SELECT 1 FROM claims o WHERE o.encounter_id = c.encounter_id AND o.id <> c.id)
          ORDER BY c.id LIMIT 2`,
        [scope.practiceId, [long.id, perProvider.id, lineLevel.id, voided.id]],
      )
    ).rows;
    if (one === undefined || two === undefined) throw new Error('not enough claims');
    const third = (
      await db.query<{ id: number }>(
        'SELECT id FROM providers WHERE practice_id = $1 AND id <> ALL($2::bigint[]) ORDER BY id LIMIT 1',
        [scope.practiceId, [perProvider.rendering_provider_id, other.perProvider]],
      )
    ).rows[0]?.id;
    if (third === undefined) throw new Error('no third provider');
    const setStatus = (id: number, status: string) =>
      db.query(`UPDATE claims SET status = $2, hold_reason = NULL WHERE id = $1`, [id, status]);
    const listed = async () =>
      (await unbilledCharges(db, scope)).map((r) => [r.encounter_id, r.charge_id, r.claim_id, r.remedy]);
    expect(await listed()).toEqual([]);

    const longClaims = (await claimsOf(long.id)).map((c) => c.id);
    const perProviderClaims = (await claimsOf(perProvider.id)).map((c) => c.id);
    const lateLong = await late(long.id);
    // This payer takes several rendering providers on a claim: another provider's late charge goes to a claim too.
    const lateLongOther = await late(long.id, third);
    // The payer takes one rendering provider per claim: a late charge of the second provider goes to that
    // provider's claim; one of a third provider, who has no claim, to none.
    const lateSecond = await late(perProvider.id, other.perProvider);
    const lateThird = await late(perProvider.id, third);
    const lateOne = await late(one.encounter_id);
    const lateTwo = await late(two.encounter_id);
    for (const [id, status] of [
      [longClaims[2], 'ready'],
      [perProviderClaims[1], 'paid'],
      [one.id, 'submitted'],
      [two.id, 'paid'],
    ] as const)
      await setStatus(id ?? 0, status);
    expect(await listed()).toEqual(
      [
        // The split encounter of 120 charges: its claim with the fewest lines (20).
        [long.id, lateLong, longClaims[2], 'rebuild'],
        [long.id, lateLongOther, longClaims[2], 'rebuild'],
        [perProvider.id, lateSecond, perProviderClaims[1], 'correct'],
        [perProvider.id, lateThird, null, 'none: no claim of its rendering provider'],
        [one.encounter_id, lateOne, one.id, 'after acknowledgement'],
        [two.encounter_id, lateTwo, two.id, 'correct'],
      ].sort((x, y) => Number(x[0]) - Number(y[0])),
    );

    // The corrected claim of the second provider bills its late charge besides its own line.
    await db.query(`UPDATE claims SET payer_claim_number = 'PCN-1' WHERE id = $1`, [perProviderClaims[1]]);
    const versionsBefore = await db.query<{ n: number }>(
      'SELECT max(version_no)::int AS n FROM claim_versions WHERE claim_id = $1',
      [perProviderClaims[1]],
    );
    const corrected = await newClaimVersion(db, scope, perProviderClaims[1] ?? 0, {
      kind: 'corrected',
      at,
      actor: 'user:test',
    });
    expect(corrected).toMatchObject({ versionNo: (versionsBefore.rows[0]?.n ?? 0) + 1, lines: 2 });
    // Rejected, the only claim of an encounter is rebuilt from the charges as they are now, the late one included.
    await setStatus(one.id, 'rejected');
    expect((await listed()).find((r) => r[1] === lateOne)?.[3]).toBe('resubmit');
    await resubmitRejected(db, scope, one.id, { at, actor: 'user:test', codeSets: codesetsAdapter() });
    // Not sent yet, the split claim that takes the two late charges is rebuilt with them: a new original version of
    // 22 lines. Not while a batch is sending its current version, and not a claim the payer has.
    const options = { at, actor: 'user:test', codeSets: codesetsAdapter() };
    const clearinghouse = (
      await db.query<{ id: number }>(
        `INSERT INTO clearinghouses (code, name, sender_id, receiver_id) VALUES ('test-ch', 'Test', 'OPENRCM', 'TESTCH')
         RETURNING id`,
      )
    ).rows[0]?.id;
    const batch = (
      await db.query<{ id: number }>(
        `INSERT INTO submission_batches (practice_id, clearinghouse_id, transaction_type, status)
         VALUES ($1, $2, '837P', 'sending') RETURNING id`,
        [scope.practiceId, clearinghouse],
      )
    ).rows[0]?.id;
    await db.query(
      `INSERT INTO batch_claims (practice_id, batch_id, claim_version_id, st_control_number)
       SELECT $1, $2, v.id, '0001' FROM claim_versions v WHERE v.claim_id = $3 ORDER BY v.version_no DESC LIMIT 1`,
      [scope.practiceId, batch, longClaims[2]],
    );
    await expect(rebuildUnsent(db, scope, longClaims[2] ?? 0, options)).rejects.toMatchObject({
      code: 'claims.sending',
    });
    await db.query(`UPDATE submission_batches SET status = 'queued' WHERE id = $1`, [batch]);
    expect(await rebuildUnsent(db, scope, longClaims[2] ?? 0, options)).toMatchObject({ lines: 22 });
    expect((await listed()).filter((r) => r[0] === long.id)).toEqual([]);
    await expect(rebuildUnsent(db, scope, two.id, options)).rejects.toMatchObject({
      code: 'claims.not_unsent',
      message: expect.stringContaining('send a corrected claim') as unknown,
    });
    // A voided claim bills nothing: every active charge of its encounter is unbilled. A voided charge is not.
    await setStatus(two.id, 'voided');
    await db.query(`UPDATE charges SET status = 'voided' WHERE id = ANY($1::bigint[])`, [
      [lateLong, lateLongOther],
    ]);
    const active = await db.query<{ id: number }>(
      `SELECT id FROM charges WHERE encounter_id = $1 AND status = 'active' ORDER BY line_number`,
      [two.encounter_id],
    );
    expect(active.rows.map((r) => r.id)).toContain(lateTwo);
    expect(await listed()).toEqual(
      [
        [perProvider.id, lateThird, null, 'none: no claim of its rendering provider'],
        ...active.rows.map((r) => [two.encounter_id, r.id, null, 'none: claim voided']),
      ].sort((x, y) => Number(x[0]) - Number(y[0])),
    );
    // A voided claim of a split encounter takes no late charge: the next with the fewest lines does, here a claim of
    // 50 lines already, so it cannot (a new claim would be needed). The voided claim's own charges are unbilled.
    await setStatus(longClaims[2] ?? 0, 'voided');
    const lateAfterVoid = await late(long.id);
    const rows = (await unbilledCharges(db, scope)).filter((r) => r.encounter_id === long.id);
    expect(rows).toHaveLength(21);
    expect(rows.find((r) => r.charge_id === lateAfterVoid)).toMatchObject({
      claim_ids: [longClaims[0], longClaims[1]],
      claim_id: longClaims[0],
      remedy: 'none: claim full',
    });
    await expect(rebuildUnsent(db, scope, longClaims[0] ?? 0, options)).rejects.toMatchObject({
      code: 'claims.too_many_lines',
      message: `claim ${longClaims[0]} would carry 51 lines; an 837P claim carries at most 50 (its charges need another claim)`,
    });
    // Nothing was written: the claim still has the versions it had.
    const versions = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM claim_versions WHERE claim_id = $1',
      [longClaims[0]],
    );
    expect(versions.rows[0]?.n).toBe(2); // the build's and the resubmission's
    expect(rows.filter((r) => r.remedy === 'none: claim voided')).toHaveLength(20);
  });

  it('the daily job rebuilds the claims not yet sent that take late charges, and only those', async () => {
    const singles = (
      await db.query<{ encounter_id: number; id: number }>(
        `SELECT c.encounter_id, c.id FROM claims c
          WHERE c.practice_id = $1 AND c.responsibility = 'primary' AND c.status IN ('ready', 'held')
            AND NOT EXISTS (SELECT 1 FROM claims o WHERE o.encounter_id = c.encounter_id AND o.id <> c.id)
          ORDER BY c.id DESC LIMIT 2`,
        [scope.practiceId],
      )
    ).rows;
    const [unsent, adjudicated] = singles;
    if (unsent === undefined || adjudicated === undefined) throw new Error('not enough claims');
    await db.query(`UPDATE claims SET status = 'paid', hold_reason = NULL WHERE id = $1`, [adjudicated.id]);
    const lateUnsent = await late(unsent.encounter_id);
    const lateAdjudicated = await late(adjudicated.encounter_id);
    const options = { at, actor: 'system:test' };
    expect(await rebuildClaimsWithLateCharges(db, scope, options)).toEqual({
      claimIds: [unsent.id],
      sending: [],
    });
    // Rebuilt, and left in draft for the job's scrubber step.
    const rebuilt = await db.query<{ status: string; lines: number }>(
      `SELECT c.status, (SELECT count(*)::int FROM claim_lines l JOIN claim_versions v ON v.id = l.claim_version_id
                          WHERE v.claim_id = c.id
                            AND v.version_no = (SELECT max(version_no) FROM claim_versions WHERE claim_id = c.id)) AS lines
         FROM claims c WHERE c.id = $1`,
      [unsent.id],
    );
    expect(rebuilt.rows[0]?.status).toBe('draft');
    expect(rebuilt.rows[0]?.lines).toBe(
      (
        await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM charges WHERE encounter_id = $1 AND status = 'active'`,
          [unsent.encounter_id],
        )
      ).rows[0]?.n,
    );
    const left = (await unbilledCharges(db, scope)).filter((r) =>
      [lateUnsent, lateAdjudicated].includes(r.charge_id),
    );
    expect(left.map((r) => [r.charge_id, r.remedy])).toEqual([[lateAdjudicated, 'correct']]);
    expect(await rebuildClaimsWithLateCharges(db, scope, options)).toEqual({ claimIds: [], sending: [] });
  });
});
