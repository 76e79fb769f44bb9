import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CalendarDate, Instant } from '@openrcm/core';
import { practiceScope, type PracticeScope } from '@openrcm/db';
import { createTestDb, type TestDb } from '@openrcm/db/test-harness';
import { generateToDirectory, payerPolicyManual } from '@openrcm/sim';
import { buildClaims } from '../claims/build.ts';
import { importPath } from '../intake/import.ts';
import {
  createRule,
  deleteRule,
  disableRule,
  importPayerPolicies,
  listRules,
  PAYER_POLICY_FORMAT,
} from './rules-db.ts';
import { scrubClaims } from './run.ts';
import type { CodeSets } from './types.ts';

// Code sets that accept every code: these tests are about configured rules, not code-set edits.
const PERMISSIVE: CodeSets = {
  icd10Status: () => 'billable',
  isHcpcsLevel2: () => true,
  isCptWellFormed: () => true,
  isValidModifier: () => true,
  isValidPos: () => true,
  isSidedProcedure: () => false,
  mue: () => undefined,
  ptpEdit: () => undefined,
  addOn: () => undefined,
  diagnosisEdits: () => undefined,
};

let db: TestDb;
let dir: string;
let scope: PracticeScope;
let practiceId: number;
const at = '2026-02-05T06:00:00.000Z' as Instant;
const asOf = '2026-02-05' as CalendarDate;
const by = { at, actor: 'user:test' };

type ClaimPick = { id: number; payer_id: number; payer_code: string; procedure_code: string };
/** Claims without a prior authorization number, one line each, of one electronic payer. */
let picks: ClaimPick[];

const scrub = (claimIds: number[]) => scrubClaims(db, scope, { asOf, at, codeSets: PERMISSIVE, claimIds });

async function openIssues(claimId: number) {
  const res = await db.query<{ rule_key: string; scrubber_rule_id: number | null; severity: string }>(
    `SELECT rule_key, scrubber_rule_id, severity FROM claim_issues WHERE claim_id = $1 AND status = 'open' ORDER BY id`,
    [claimId],
  );
  return res.rows;
}

beforeAll(async () => {
  db = await createTestDb();
  dir = mkdtempSync(join(tmpdir(), 'openrcm-rules-db-'));
  generateToDirectory({ practices: 1, months: 1, seed: 5, startDate: '2026-01-01', volume: 0.3 }, dir);
  const r = await importPath(db, dir);
  expect(r.ok).toBe(true);
  const p = await db.query<{ id: number }>('SELECT id FROM practices');
  practiceId = p.rows[0]?.id ?? 0;
  scope = practiceScope(practiceId);
  await buildClaims(db, scope, { at });
  const res = await db.query<ClaimPick>(
    `SELECT c.id, c.payer_id, py.payer_code, min(l.procedure_code) AS procedure_code
       FROM claims c JOIN payers py ON py.id = c.payer_id
       JOIN claim_versions v ON v.claim_id = c.id JOIN claim_lines l ON l.claim_version_id = v.id
      WHERE v.prior_authorization IS NULL AND py.payer_type = 'commercial'
      GROUP BY c.id, c.payer_id, py.payer_code HAVING count(*) = 1
      ORDER BY c.id LIMIT 6`,
  );
  picks = res.rows;
  expect(picks.length).toBe(6);
}, 120_000);

afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const pick = (i: number): ClaimPick => {
  const p = picks[i];
  if (p === undefined) throw new Error(`no claim pick ${i}`);
  return p;
};

describe('configured scrubber rules stored in the database', () => {
  it('a biller adds a practice rule for a procedure code: the claim is held with an issue pointing at the row', async () => {
    const c = pick(0);
    const created = await createRule(
      db,
      {
        practiceId,
        payerId: null,
        key: 'practice-review-code',
        description: 'Procedure needs a coding review before billing',
        severity: 'error',
        condition: { path: 'lines[*].procedureCode', op: 'eq', value: c.procedure_code },
      },
      by,
    );
    expect(created.ok).toBe(true);
    const id = created.ok ? created.value.id : 0;
    const run = await scrub([c.id]);
    expect(run.scrubbed).toBe(1);
    expect(run.held).toBe(1);
    expect(run.issuesByRule['practice-review-code']).toBe(1);
    expect(await openIssues(c.id)).toContainEqual({
      rule_key: 'practice-review-code',
      scrubber_rule_id: id,
      severity: 'error',
    });
    const status = await db.query<{ status: string }>('SELECT status FROM claims WHERE id = $1', [c.id]);
    expect(status.rows[0]?.status).toBe('held');
  });

  it('the rule is disabled: re-scrubbing the claim no longer reports it, and the row cannot be deleted', async () => {
    const c = pick(0);
    const off = await disableRule(db, { key: 'practice-review-code', practiceId }, by);
    expect(off).toEqual({ ok: true, value: { disabled: 1 } });
    await scrub([c.id]);
    expect((await openIssues(c.id)).map((i) => i.rule_key)).not.toContain('practice-review-code');
    // Issues point at it: delete is refused (the claim's history keeps its rule).
    const del = await deleteRule(db, { key: 'practice-review-code', practiceId }, by);
    expect(del.ok).toBe(false);
    const audit = await db.query<{ action: string; details: { ruleKey: string } }>(
      `SELECT action, details FROM audit_log WHERE entity_type = 'scrubber_rule' ORDER BY id`,
    );
    expect(audit.rows.map((a) => [a.action, a.details.ruleKey])).toEqual([
      ['scrubber_rule.create', 'practice-review-code'],
      ['scrubber_rule.disable', 'practice-review-code'],
    ]);
  });

  it('a bad definition typed by a biller is refused with located errors; an unused rule can be deleted', async () => {
    const bad = await createRule(
      db,
      {
        practiceId,
        payerId: null,
        key: 'Bad Key',
        description: 'x',
        severity: 'fatal',
        condition: { all: [{ path: 'lines[*].procedureCode', op: 'equals', value: '99213' }] },
      },
      by,
    );
    expect(bad.ok).toBe(false);
    const at = bad.ok ? [] : bad.errors.map((e) => e.at);
    expect(at).toEqual(expect.arrayContaining(['key', 'severity', 'condition.all[0].op']));
    const ok = await createRule(
      db,
      {
        practiceId,
        payerId: null,
        key: 'temporary-rule',
        description: 'Temporary',
        severity: 'warning',
        condition: { path: 'placeOfService', op: 'eq', value: '99' },
      },
      by,
    );
    expect(ok.ok).toBe(true);
    expect(await deleteRule(db, { key: 'temporary-rule', practiceId }, by)).toEqual({
      ok: true,
      value: { deleted: 1 },
    });
  });

  it('a stored definition that no longer validates is reported by the run and by the listing, not run', async () => {
    const c = pick(1);
    await db.query(
      `INSERT INTO scrubber_rules (practice_id, payer_id, rule_key, description, severity, condition, message, suggested_fix)
       VALUES ($1, NULL, 'stale-path-rule', 'Reads a path that was renamed', 'error',
               '{"path": "lines[*].cptCode", "op": "eq", "value": "99213"}'::jsonb, 'm', 'f')`,
      [practiceId],
    );
    const run = await scrub([c.id]);
    expect(run.invalidRules).toEqual([
      expect.objectContaining({
        ruleKey: 'stale-path-rule',
        errors: [expect.objectContaining({ at: 'condition.path' })],
      }),
    ]);
    expect((await openIssues(c.id)).map((i) => i.rule_key)).not.toContain('stale-path-rule');
    const listed = await listRules(db, { practiceId });
    expect(listed.find((r) => r.key === 'stale-path-rule')?.errors).toHaveLength(1);
    expect(listed.find((r) => r.key === 'practice-review-code')?.enabled).toBe(false);
    await db.query(`UPDATE scrubber_rules SET enabled = false WHERE rule_key = 'stale-path-rule'`);
  });
});

describe('rule precedence', () => {
  it('a practice rule replaces the global rule with the same key; a payer rule replaces it for that payer only', async () => {
    const c = pick(5);
    const cond = { path: 'lines[*].procedureCode', op: 'eq', value: c.procedure_code };
    const base = { key: 'review-code', description: 'Review', severity: 'warning', condition: cond };
    const global = await createRule(db, { ...base, practiceId: null, payerId: null }, by);
    const mine = await createRule(db, { ...base, practiceId, payerId: null }, by);
    expect(global.ok && mine.ok).toBe(true);
    await scrub([c.id]);
    const hit = (await openIssues(c.id)).filter((i) => i.rule_key === 'review-code');
    expect(hit).toEqual([
      { rule_key: 'review-code', scrubber_rule_id: mine.ok ? mine.value.id : 0, severity: 'warning' },
    ]);
    const payerRule = await createRule(db, { ...base, practiceId: null, payerId: c.payer_id }, by);
    await scrub([c.id]);
    expect((await openIssues(c.id)).filter((i) => i.rule_key === 'review-code')).toEqual([
      {
        rule_key: 'review-code',
        scrubber_rule_id: payerRule.ok ? payerRule.value.id : 0,
        severity: 'warning',
      },
    ]);
    await disableRule(db, { key: 'review-code', practiceId: null }, by);
    await disableRule(db, { key: 'review-code', practiceId }, by);
  });
});

describe('payer settings and policies', () => {
  it('a payers file whose member id pattern the scrubber would refuse is rejected at import, the field named', async () => {
    const rows = readFileSync(join(dir, 'payers.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    const first = JSON.parse(rows[0] ?? '{}') as Record<string, unknown>;
    const badDir = mkdtempSync(join(dir, 'bad-'));
    writeFileSync(
      join(badDir, 'payers.jsonl'),
      `${JSON.stringify({ ...first, payerId: 'BADPT', memberIdPattern: '^(A+)+$' })}\n`,
    );
    const res = await importPath(db, join(badDir, 'payers.jsonl'));
    expect(res.ok).toBe(false);
    expect(res.files[0]?.errors).toEqual([expect.objectContaining({ line: 1, field: 'memberIdPattern' })]);
  });

  it('the member id pattern from payers.jsonl holds a claim whose member id has a typo', async () => {
    const c = pick(2);
    const pattern = await db.query<{ member_id_pattern: string | null }>(
      'SELECT member_id_pattern FROM payers WHERE id = $1',
      [c.payer_id],
    );
    expect(pattern.rows[0]?.member_id_pattern).toMatch(/^\^.+\$$/);
    expect((await openIssues(c.id)).map((i) => i.rule_key)).not.toContain('member-id-format');
    await scrub([c.id]);
    expect((await openIssues(c.id)).map((i) => i.rule_key)).not.toContain('member-id-format');
    // The registration clerk drops a character of the member id.
    await db.query(
      `UPDATE coverages SET member_id = left(member_id, length(member_id) - 1)
        WHERE id = (SELECT coverage_id FROM claims WHERE id = $1)`,
      [c.id],
    );
    const run = await scrub([c.id]);
    expect(run.held).toBe(1);
    expect(await openIssues(c.id)).toContainEqual({
      rule_key: 'member-id-format',
      scrubber_rule_id: null,
      severity: 'error',
    });
  });

  it('an imported payer policy catches a missing prior authorization and a non-covered code; re-import changes nothing', async () => {
    const c = pick(3);
    const other = pick(4);
    const file = {
      format: PAYER_POLICY_FORMAT,
      payers: {
        [c.payer_code]: {
          priorAuthorizationCodes: [c.procedure_code],
          ...(other.payer_code === c.payer_code ? { nonCoveredCodes: [other.procedure_code] } : {}),
        },
        ...(other.payer_code === c.payer_code
          ? {}
          : { [other.payer_code]: { nonCoveredCodes: [other.procedure_code] } }),
      },
    };
    const first = await importPayerPolicies(db, file, by);
    expect(first).toEqual({
      ok: true,
      value: { payers: expect.any(Number) as number, rules: 1, disabled: 0 },
    });
    const run = await scrub([c.id, other.id]);
    expect(run.held).toBe(2);
    expect((await openIssues(c.id)).map((i) => i.rule_key)).toContain('prior-auth-required');
    const nonCovered = `payer-${other.payer_id}-non-covered`;
    const rule = await db.query<{ id: number }>('SELECT id FROM scrubber_rules WHERE rule_key = $1', [
      nonCovered,
    ]);
    expect(await openIssues(other.id)).toContainEqual({
      rule_key: nonCovered,
      scrubber_rule_id: rule.rows[0]?.id ?? -1,
      severity: 'error',
    });
    const again = await importPayerPolicies(db, file, by);
    expect(again).toEqual({
      ok: true,
      value: { payers: expect.any(Number) as number, rules: 0, disabled: 0 },
    });
  });

  it('a policy file with a bad entry is refused whole, with the entry located', async () => {
    const res = await importPayerPolicies(
      db,
      {
        format: PAYER_POLICY_FORMAT,
        payers: {
          [pick(5).payer_code]: {
            priorAuthorizationCodes: ['73721', 'not a code'],
            unitLimits: { '97110': 0 },
          },
        },
      },
      by,
    );
    expect(res.ok).toBe(false);
    const at = res.ok ? [] : res.errors.map((e) => e.at);
    expect(at).toEqual([
      `payers.${pick(5).payer_code}.priorAuthorizationCodes[1]`,
      `payers.${pick(5).payer_code}.unitLimits.97110`,
    ]);
    const unknown = await importPayerPolicies(db, { format: PAYER_POLICY_FORMAT, payers: { NOPE9: {} } }, by);
    expect(unknown.ok ? [] : unknown.errors).toEqual([
      { at: 'payers.NOPE9', message: 'names no imported payer' },
    ]);
  });

  it('the simulator payers’ published policy manual imports whole: every generated rule validates and runs', async () => {
    const res = await importPayerPolicies(db, payerPolicyManual(), by);
    expect(res.ok).toBe(true);
    expect(res.ok ? res.value.payers : 0).toBe(7);
    const listed = await listRules(db, { practiceId });
    const imported = listed.filter((r) => r.source === 'policy-import');
    expect(imported.length).toBeGreaterThan(20);
    expect(imported.filter((r) => r.errors.length > 0)).toEqual([]);
    const run = await scrub(picks.map((p) => p.id));
    expect(run.invalidRules).toEqual([]);
    expect(run.scrubbed).toBe(picks.length);
    const settings = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM payers WHERE scrubber_policy ? 'priorAuthorizationCodes'`,
    );
    expect(settings.rows[0]?.n).toBe(7);
  });
});
