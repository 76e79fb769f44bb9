/**
 * Configured scrubber rules and payer policies in the database (issue 5 §3): the `scrubber_rules` table
 * (migrations 0003 + 0008) and the payer columns `member_id_pattern` / `scrubber_policy` (0008).
 *
 * A stored rule is one row: `rule_key`, `description` (the rule's title), `severity`, `condition` (the
 * condition tree of conditions.ts), `message`, `suggested_fix`, `documentation`, `field`, `version`,
 * `enabled`, `effective_from` / `effective_to` (dates of service), and its scope: `practice_id` / `payer_id`,
 * NULL meaning "all". Every change is validated like user input (located errors) and leaves an audit_log row
 * carrying ids and rule keys only (no claim or patient data).
 */
import type { CalendarDate, Instant } from '@openrcm/core';
import type { Db, Queryable } from '@openrcm/db';
import type { Claim } from '../claims/model.ts';
import { CATALOG_IDS } from './catalog.ts';
import {
  compileDataRule,
  compilePattern,
  validateDataRule,
  type DataRuleDefinition,
  type DefinitionError,
} from './conditions.ts';
import { payerPolicyRules, payerSettingsOf, type PayerPolicy } from './policy.ts';
import type { PayerSettings, Rule } from './types.ts';

type RuleRow = {
  id: number;
  practice_id: number | null;
  payer_id: number | null;
  payer_code: string | null;
  practice_code: string | null;
  rule_key: string;
  description: string;
  severity: string;
  condition: unknown;
  enabled: boolean;
  effective_from: string | null;
  effective_to: string | null;
  version: number;
  message: string | null;
  suggested_fix: string | null;
  documentation: string | null;
  field: string | null;
  source: string;
};

const RULE_COLUMNS = `r.id, r.practice_id, r.payer_id, py.payer_code, pr.code AS practice_code, r.rule_key, r.description,
  r.severity, r.condition, r.enabled, r.effective_from::text AS effective_from, r.effective_to::text AS effective_to,
  r.version, r.message, r.suggested_fix, r.documentation, r.field, r.source`;
const RULE_FROM = `scrubber_rules r LEFT JOIN payers py ON py.id = r.payer_id LEFT JOIN practices pr ON pr.id = r.practice_id`;

/** Names the definition keys as a biller knows them (the CLI's options and the table's columns). */
function located(errors: readonly DefinitionError[]): DefinitionError[] {
  const rename: Record<string, string> = {
    id: 'key',
    title: 'description',
    when: 'condition',
    suggestedFix: 'fix',
    payerId: 'payer',
    practiceId: 'practice',
  };
  return errors.map((e) => {
    const [head = '', ...rest] = e.at.split(/(?=[.[])/);
    return { at: (rename[head] ?? head) + rest.join(''), message: e.message };
  });
}

/**
 * The definition a row stands for. A rule with no payer is compiled as a practice rule of the practice being
 * scrubbed (global rows apply to every practice); a rule with a payer as a payer rule (a practice row with a
 * payer only reaches this practice's claims because only this practice's rows are loaded).
 */
function definitionOf(row: RuleRow, practiceId: number): Record<string, unknown> {
  return {
    id: row.rule_key,
    version: row.version,
    severity: row.severity,
    ...(row.payer_id !== null
      ? { scope: 'payer', payerId: row.payer_id }
      : { scope: 'practice', practiceId: row.practice_id ?? practiceId }),
    title: row.description,
    ...(row.message === null ? {} : { message: row.message }),
    ...(row.suggested_fix === null ? {} : { suggestedFix: row.suggested_fix }),
    ...(row.documentation === null ? {} : { documentation: row.documentation }),
    ...(row.field === null ? {} : { field: row.field }),
    when: row.condition,
  };
}

/** A stored rule that no longer validates: reported by every run instead of being skipped silently. */
export interface InvalidStoredRule {
  readonly scrubberRuleId: number;
  readonly ruleKey: string;
  readonly errors: readonly DefinitionError[];
}

/** The configured rules of one practice, compiled, and how an issue maps back to its row. */
export interface PracticeRules {
  readonly rules: readonly Rule[];
  readonly invalid: readonly InvalidStoredRule[];
  /** The `scrubber_rules.id` behind an issue of rule `ruleKey` on a claim to payer `payerId`, if configured. */
  readonly rowFor: (ruleKey: string, payerId: number) => number | undefined;
}

const inForce = (row: RuleRow, claim: Claim): boolean =>
  (row.effective_from === null || claim.firstServiceDate >= row.effective_from) &&
  (row.effective_to === null || claim.firstServiceDate <= row.effective_to);

/**
 * Loads the enabled rules that apply to a practice: global rows, the practice's rows, and payer-specific rows
 * of either. Rows sharing a key override each other by specificity: for the same payer (or none) a practice
 * row replaces a global one; a payer row replaces a payer-less row for that payer's claims. Effective dates
 * are compared with the claim's first date of service.
 */
export async function loadPracticeRules(db: Queryable, practiceId: number): Promise<PracticeRules> {
  const res = await db.query<RuleRow>(
    `SELECT ${RULE_COLUMNS} FROM ${RULE_FROM}
      WHERE r.enabled AND (r.practice_id IS NULL OR r.practice_id = $1)
      ORDER BY r.rule_key, r.payer_id NULLS FIRST, r.practice_id NULLS FIRST, r.id`,
    [practiceId],
  );
  // key → payer (0 = all payers) → the most specific row (practice rows sort after global ones).
  const chosen = new Map<string, Map<number, RuleRow>>();
  for (const row of res.rows) {
    const byPayer = chosen.get(row.rule_key) ?? new Map<number, RuleRow>();
    byPayer.set(row.payer_id ?? 0, row);
    chosen.set(row.rule_key, byPayer);
  }
  const rules: Rule[] = [];
  const invalid: InvalidStoredRule[] = [];
  for (const [key, byPayer] of chosen) {
    const ownPayers = new Set([...byPayer.keys()].filter((p) => p !== 0));
    for (const [payer, row] of byPayer) {
      const checked = validateDataRule(definitionOf(row, practiceId), CATALOG_IDS);
      if (!checked.ok) {
        invalid.push({ scrubberRuleId: row.id, ruleKey: key, errors: located(checked.errors) });
        continue;
      }
      const rule = compileDataRule(checked.definition);
      const scoped = rule.appliesTo ?? (() => true);
      rules.push({
        ...rule,
        appliesTo: (claim) =>
          scoped(claim) &&
          inForce(row, claim) &&
          (payer !== 0 || !ownPayers.has(claim.coverage.payer.payerId)),
      });
    }
  }
  return {
    rules,
    invalid,
    rowFor: (ruleKey, payerId) => {
      const byPayer = chosen.get(ruleKey);
      return (byPayer?.get(payerId) ?? byPayer?.get(0))?.id;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Payer settings (member id format, prior-authorization list, filing limit)

type PayerSettingsRow = {
  id: number;
  member_id_pattern: string | null;
  scrubber_policy: unknown;
  timely_filing_days_override: number | null;
};

/** A payer whose stored settings the scrubber refused (a member id pattern it cannot compile safely). */
export interface InvalidPayerSettings {
  readonly payerId: number;
  readonly message: string;
}

const stringList = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

/**
 * The settings the built-in rules read, per payer, for one practice: the payer's member id format and
 * published policy (payers.member_id_pattern, payers.scrubber_policy) with the practice's contract override
 * of the filing limit (practice_payer_settings.timely_filing_days_override) on top.
 */
export async function loadPayerSettings(
  db: Queryable,
  practiceId: number,
): Promise<{ settings: ReadonlyMap<number, PayerSettings>; invalid: readonly InvalidPayerSettings[] }> {
  const res = await db.query<PayerSettingsRow>(
    `SELECT py.id, py.member_id_pattern, py.scrubber_policy, s.timely_filing_days_override
       FROM payers py LEFT JOIN practice_payer_settings s ON s.payer_id = py.id AND s.practice_id = $1
      WHERE py.member_id_pattern IS NOT NULL OR py.scrubber_policy <> '{}'::jsonb
         OR s.timely_filing_days_override IS NOT NULL`,
    [practiceId],
  );
  const settings = new Map<number, PayerSettings>();
  const invalid: InvalidPayerSettings[] = [];
  for (const r of res.rows) {
    const policy = (
      typeof r.scrubber_policy === 'object' && r.scrubber_policy !== null ? r.scrubber_policy : {}
    ) as Record<string, unknown>;
    const filing =
      r.timely_filing_days_override ??
      (typeof policy.timelyFilingDays === 'number' ? policy.timelyFilingDays : undefined);
    const base: PayerPolicy = {
      payerId: r.id,
      priorAuthorizationCodes: stringList(policy.priorAuthorizationCodes),
      ...(filing === undefined ? {} : { timelyFilingDays: filing }),
    };
    try {
      settings.set(
        r.id,
        payerSettingsOf(
          r.member_id_pattern === null ? base : { ...base, memberIdPattern: r.member_id_pattern },
        ),
      );
    } catch {
      invalid.push({ payerId: r.id, message: 'member id pattern is refused by the scrubber' });
      settings.set(r.id, payerSettingsOf(base));
    }
  }
  return { settings, invalid };
}

// ---------------------------------------------------------------------------------------------
// Editing rules (user input: validated, located errors, audited)

export type RuleEditResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly errors: readonly DefinitionError[] };

export interface NewRule {
  readonly practiceId: number | null;
  readonly payerId: number | null;
  readonly key: string;
  readonly description: string;
  readonly severity: string;
  /** The condition tree, as parsed from the user's JSON (validated here). */
  readonly condition: unknown;
  /** Text shown on the issue; defaults to the description. */
  readonly message?: string;
  readonly suggestedFix?: string;
  readonly documentation?: string;
  readonly field?: string;
  readonly effectiveFrom?: CalendarDate;
  readonly effectiveTo?: CalendarDate;
}

const DEFAULT_FIX = 'Correct the claim as the rule describes, then re-run the scrubber.';

async function audit(
  db: Queryable,
  practiceId: number | null,
  at: Instant,
  actor: string,
  action: string,
  entityId: number,
  details: Record<string, unknown>,
  entityType = 'scrubber_rule',
): Promise<void> {
  await db.query(
    `INSERT INTO audit_log (practice_id, at, actor, action, entity_type, entity_id, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)`,
    [practiceId, at, actor, action, entityType, String(entityId), JSON.stringify(details)],
  );
}

/** Validates and stores a configured rule; a duplicate key in the same scope is an error located at `key`. */
export async function createRule(
  db: Db,
  input: NewRule,
  options: { readonly at: Instant; readonly actor: string },
): Promise<RuleEditResult<{ id: number }>> {
  const row: RuleRow = {
    id: 0,
    practice_id: input.practiceId,
    payer_id: input.payerId,
    payer_code: null,
    practice_code: null,
    rule_key: input.key,
    description: input.description,
    severity: input.severity,
    condition: input.condition,
    enabled: true,
    effective_from: input.effectiveFrom ?? null,
    effective_to: input.effectiveTo ?? null,
    version: 1,
    message: input.message ?? input.description,
    suggested_fix: input.suggestedFix ?? DEFAULT_FIX,
    documentation: input.documentation ?? null,
    field: input.field ?? null,
    source: 'user',
  };
  // A global rule is validated as a practice rule of a placeholder practice: only the scope differs.
  const checked = validateDataRule(definitionOf(row, input.practiceId ?? 1), CATALOG_IDS);
  const errors = checked.ok ? [] : located(checked.errors);
  if (
    input.effectiveFrom !== undefined &&
    input.effectiveTo !== undefined &&
    input.effectiveTo < input.effectiveFrom
  )
    errors.push({ at: 'effectiveTo', message: 'is before effectiveFrom' });
  if (errors.length > 0) return { ok: false, errors };
  return db.transaction(async (tx) => {
    const ins = await tx.query<{ id: number }>(
      `INSERT INTO scrubber_rules (practice_id, payer_id, rule_key, description, severity, condition, enabled,
                                   effective_from, effective_to, version, message, suggested_fix, documentation, field,
                                   source, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, true, $7, $8, 1, $9, $10, $11, $12, 'user', $13, $13)
       ON CONFLICT DO NOTHING RETURNING id`,
      [
        row.practice_id,
        row.payer_id,
        row.rule_key,
        row.description,
        row.severity,
        JSON.stringify(row.condition),
        row.effective_from,
        row.effective_to,
        row.message,
        row.suggested_fix,
        row.documentation,
        row.field,
        options.at,
      ],
    );
    const id = ins.rows[0]?.id;
    if (id === undefined)
      return {
        ok: false as const,
        errors: [{ at: 'key', message: 'a rule with this key already exists for this practice and payer' }],
      };
    await audit(tx, input.practiceId, options.at, options.actor, 'scrubber_rule.create', id, {
      ruleKey: input.key,
      practiceId: input.practiceId,
      payerId: input.payerId,
      severity: input.severity,
    });
    return { ok: true as const, value: { id } };
  });
}

/** One stored rule as listed, with whether it still validates. */
export interface StoredRule {
  readonly id: number;
  readonly key: string;
  readonly practiceCode: string | null;
  readonly payerCode: string | null;
  readonly severity: string;
  readonly description: string;
  readonly enabled: boolean;
  readonly source: string;
  readonly effectiveFrom: string | null;
  readonly effectiveTo: string | null;
  /** Empty when the stored definition validates. */
  readonly errors: readonly DefinitionError[];
}

/**
 * Stored rules: all of them, or (with `practiceId`) the global ones and that practice's; optionally only
 * those of one payer (with `payerId`).
 */
export async function listRules(
  db: Queryable,
  filter: { readonly practiceId?: number; readonly payerId?: number } = {},
): Promise<StoredRule[]> {
  const res = await db.query<RuleRow>(
    `SELECT ${RULE_COLUMNS} FROM ${RULE_FROM}
      WHERE ($1::bigint IS NULL OR r.practice_id IS NULL OR r.practice_id = $1)
        AND ($2::bigint IS NULL OR r.payer_id = $2)
      ORDER BY r.rule_key, r.practice_id NULLS FIRST, r.payer_id NULLS FIRST`,
    [filter.practiceId ?? null, filter.payerId ?? null],
  );
  return res.rows.map((r) => {
    const checked = validateDataRule(definitionOf(r, r.practice_id ?? filter.practiceId ?? 1), CATALOG_IDS);
    return {
      id: r.id,
      key: r.rule_key,
      practiceCode: r.practice_code,
      payerCode: r.payer_code,
      severity: r.severity,
      description: r.description,
      enabled: r.enabled,
      source: r.source,
      effectiveFrom: r.effective_from,
      effectiveTo: r.effective_to,
      errors: checked.ok ? [] : located(checked.errors),
    };
  });
}

/** Which rows a key names: exactly the given practice (NULL = global rows) and, if given, payer. */
interface RuleTarget {
  readonly key: string;
  readonly practiceId: number | null;
  readonly payerId?: number;
}

async function targetRows(db: Queryable, t: RuleTarget): Promise<{ id: number; payer_id: number | null }[]> {
  const res = await db.query<{ id: number; payer_id: number | null }>(
    `SELECT id, payer_id FROM scrubber_rules
      WHERE rule_key = $1 AND practice_id IS NOT DISTINCT FROM $2 AND ($3::bigint IS NULL OR payer_id = $3)
      ORDER BY id FOR UPDATE`,
    [t.key, t.practiceId, t.payerId ?? null],
  );
  return res.rows;
}

/** Disables the rules a key names (kept for the issues that point at them). Returns how many. */
export async function disableRule(
  db: Db,
  target: RuleTarget,
  options: { readonly at: Instant; readonly actor: string },
): Promise<RuleEditResult<{ disabled: number }>> {
  return db.transaction(async (tx) => {
    const rows = await targetRows(tx, target);
    if (rows.length === 0) return { ok: false as const, errors: [{ at: 'key', message: 'no such rule' }] };
    await tx.query(
      `UPDATE scrubber_rules SET enabled = false, updated_at = $2 WHERE id = ANY($1::bigint[])`,
      [rows.map((r) => r.id), options.at],
    );
    for (const r of rows)
      await audit(tx, target.practiceId, options.at, options.actor, 'scrubber_rule.disable', r.id, {
        ruleKey: target.key,
        practiceId: target.practiceId,
        payerId: r.payer_id,
      });
    return { ok: true as const, value: { disabled: rows.length } };
  });
}

/**
 * Deletes the rules a key names. A rule that issues on claims point at is refused (disable it instead), so a
 * claim's history keeps saying which configured rule held it.
 */
export async function deleteRule(
  db: Db,
  target: RuleTarget,
  options: { readonly at: Instant; readonly actor: string },
): Promise<RuleEditResult<{ deleted: number }>> {
  return db.transaction(async (tx) => {
    const rows = await targetRows(tx, target);
    if (rows.length === 0) return { ok: false as const, errors: [{ at: 'key', message: 'no such rule' }] };
    const used = await tx.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM claim_issues WHERE scrubber_rule_id = ANY($1::bigint[])',
      [rows.map((r) => r.id)],
    );
    if ((used.rows[0]?.n ?? 0) > 0)
      return {
        ok: false as const,
        errors: [{ at: 'key', message: 'issues on claims point at this rule: disable it instead' }],
      };
    await tx.query('DELETE FROM scrubber_rules WHERE id = ANY($1::bigint[])', [rows.map((r) => r.id)]);
    for (const r of rows)
      await audit(tx, target.practiceId, options.at, options.actor, 'scrubber_rule.delete', r.id, {
        ruleKey: target.key,
        practiceId: target.practiceId,
        payerId: r.payer_id,
      });
    return { ok: true as const, value: { deleted: rows.length } };
  });
}

// ---------------------------------------------------------------------------------------------
// Payer policy import

/**
 * The payer policy file (`openrcm scrubber policies import FILE.json`), documented in the scrubber README:
 *
 *   { "format": "openrcm-payer-policies/1",
 *     "payers": { "<payer code>": { "priorAuthorizationCodes": ["73721"], "memberIdPattern": "^W[0-9]{9}$",
 *                                   "timelyFilingDays": 90, "nonCoveredCodes": ["17380"],
 *                                   "medicalNecessity": { "93880": ["I65.21"] },
 *                                   "bundlingPairs": [["29881", "29877", 1]], "unitLimits": { "97110": 4 },
 *                                   "lateralityCodes": ["73721"] } } }
 *
 * Every policy field is optional; the payer code is the clearinghouse payer id (payers.payer_code).
 */
export const PAYER_POLICY_FORMAT = 'openrcm-payer-policies/1';

type PolicyBody = Omit<PayerPolicy, 'payerId'>;

const POLICY_KEYS = new Set([
  'priorAuthorizationCodes',
  'memberIdPattern',
  'timelyFilingDays',
  'nonCoveredCodes',
  'medicalNecessity',
  'bundlingPairs',
  'unitLimits',
  'lateralityCodes',
]);
const CODE_RE = /^[A-Z0-9]{4,7}$/i;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function codes(v: unknown, at: string, errors: DefinitionError[]): void {
  if (!Array.isArray(v)) {
    errors.push({ at, message: 'must be a list of procedure codes' });
    return;
  }
  v.forEach((c, i) => {
    if (typeof c !== 'string' || !CODE_RE.test(c))
      errors.push({ at: `${at}[${i}]`, message: 'must be a procedure code' });
  });
}

function validatePolicy(p: unknown, at: string, errors: DefinitionError[]): void {
  if (!isObject(p)) {
    errors.push({ at, message: 'must be an object' });
    return;
  }
  for (const k of Object.keys(p))
    if (!POLICY_KEYS.has(k)) errors.push({ at: `${at}.${k}`, message: 'unknown key' });
  if (p.priorAuthorizationCodes !== undefined)
    codes(p.priorAuthorizationCodes, `${at}.priorAuthorizationCodes`, errors);
  if (p.nonCoveredCodes !== undefined) codes(p.nonCoveredCodes, `${at}.nonCoveredCodes`, errors);
  if (p.lateralityCodes !== undefined) codes(p.lateralityCodes, `${at}.lateralityCodes`, errors);
  if (p.memberIdPattern !== undefined) {
    const re =
      typeof p.memberIdPattern === 'string'
        ? compilePattern(p.memberIdPattern.replace(/^\^/, '').replace(/\$$/, ''), 200)
        : 'must be a regular expression';
    if (typeof re === 'string') errors.push({ at: `${at}.memberIdPattern`, message: re });
  }
  const t = p.timelyFilingDays;
  if (t !== undefined && !(typeof t === 'number' && Number.isInteger(t) && t >= 1 && t <= 3650))
    errors.push({ at: `${at}.timelyFilingDays`, message: 'must be a whole number of days, 1–3650' });
  if (p.medicalNecessity !== undefined) {
    if (!isObject(p.medicalNecessity))
      errors.push({ at: `${at}.medicalNecessity`, message: 'must map procedure codes to diagnosis lists' });
    else
      for (const [code, dx] of Object.entries(p.medicalNecessity)) {
        const here = `${at}.medicalNecessity.${code}`;
        if (!CODE_RE.test(code)) errors.push({ at: here, message: 'key must be a procedure code' });
        if (!Array.isArray(dx) || dx.some((d) => typeof d !== 'string' || !/^[A-Z][0-9A-Z.]{2,7}$/i.test(d)))
          errors.push({ at: here, message: 'must be a list of ICD-10-CM codes' });
      }
  }
  if (p.unitLimits !== undefined) {
    if (!isObject(p.unitLimits))
      errors.push({ at: `${at}.unitLimits`, message: 'must map procedure codes to unit limits' });
    else
      for (const [code, n] of Object.entries(p.unitLimits)) {
        if (!CODE_RE.test(code) || !(typeof n === 'number' && Number.isInteger(n) && n >= 1))
          errors.push({
            at: `${at}.unitLimits.${code}`,
            message: 'must be a positive whole number of units',
          });
      }
  }
  if (p.bundlingPairs !== undefined) {
    if (!Array.isArray(p.bundlingPairs))
      errors.push({ at: `${at}.bundlingPairs`, message: 'must be a list of [column1, column2, indicator]' });
    else
      p.bundlingPairs.forEach((pair: unknown, i) => {
        const ok =
          Array.isArray(pair) &&
          pair.length === 3 &&
          typeof pair[0] === 'string' &&
          CODE_RE.test(pair[0]) &&
          typeof pair[1] === 'string' &&
          CODE_RE.test(pair[1]) &&
          (pair[2] === 0 || pair[2] === 1 || pair[2] === 9);
        if (!ok)
          errors.push({
            at: `${at}.bundlingPairs[${i}]`,
            message: 'must be [column1 code, column2 code, modifier indicator 0|1|9]',
          });
      });
  }
}

export interface PolicyImportResult {
  readonly payers: number;
  /** Rule rows inserted or updated. */
  readonly rules: number;
  /** Imported rule rows of these payers that the new policies no longer produce: disabled. */
  readonly disabled: number;
}

/**
 * Stores payer policies: the member id pattern and the settings the built-in rules read on the payer row,
 * and every other policy as global payer-scoped `scrubber_rules` rows (source `policy-import`, keys from
 * `payerPolicyRules`). Idempotent: re-importing the same file changes nothing; a rule a user disabled stays
 * disabled. All or nothing: one bad entry (located) stores none.
 */
export async function importPayerPolicies(
  db: Db,
  input: unknown,
  options: { readonly at: Instant; readonly actor: string },
): Promise<RuleEditResult<PolicyImportResult>> {
  const errors: DefinitionError[] = [];
  if (!isObject(input)) return { ok: false, errors: [{ at: '', message: 'must be a JSON object' }] };
  if (input.format !== PAYER_POLICY_FORMAT)
    errors.push({ at: 'format', message: `must be "${PAYER_POLICY_FORMAT}"` });
  for (const k of Object.keys(input))
    if (k !== 'format' && k !== 'payers') errors.push({ at: k, message: 'unknown key' });
  const payers = input.payers;
  if (!isObject(payers)) {
    errors.push({ at: 'payers', message: 'must map payer codes to policies' });
    return { ok: false, errors };
  }
  for (const [code, p] of Object.entries(payers)) validatePolicy(p, `payers.${code}`, errors);
  if (errors.length > 0) return { ok: false, errors };

  return db.transaction(async (tx) => {
    const known = await tx.query<{ id: number; payer_code: string }>(
      'SELECT id, payer_code FROM payers WHERE payer_code = ANY($1::text[])',
      [Object.keys(payers)],
    );
    const idOf = new Map(known.rows.map((r) => [r.payer_code, r.id]));
    const missing = Object.keys(payers).filter((c) => !idOf.has(c));
    if (missing.length > 0)
      return {
        ok: false as const,
        errors: missing.map((c) => ({ at: `payers.${c}`, message: 'names no imported payer' })),
      };
    let ruleCount = 0;
    let disabled = 0;
    for (const [code, body] of Object.entries(payers) as [string, PolicyBody][]) {
      const payerId = idOf.get(code) ?? 0;
      const policy: PayerPolicy = { ...body, payerId };
      const settings = {
        priorAuthorizationCodes: [...(body.priorAuthorizationCodes ?? [])].sort(),
        ...(body.timelyFilingDays === undefined ? {} : { timelyFilingDays: body.timelyFilingDays }),
      };
      const changed = await tx.query<{ id: number }>(
        `UPDATE payers SET scrubber_policy = $2::jsonb, member_id_pattern = COALESCE($3, member_id_pattern)
          WHERE id = $1 AND (scrubber_policy, member_id_pattern)
                IS DISTINCT FROM ($2::jsonb, COALESCE($3, member_id_pattern))
          RETURNING id`,
        [payerId, JSON.stringify(settings), body.memberIdPattern ?? null],
      );
      if (changed.rows.length > 0)
        await audit(
          tx,
          null,
          options.at,
          options.actor,
          'payer.scrubber_policy.import',
          payerId,
          { payerCode: code, priorAuthorizationCodes: settings.priorAuthorizationCodes.length },
          'payer',
        );
      const defs: DataRuleDefinition[] = payerPolicyRules(policy);
      for (const def of defs) {
        const checked = validateDataRule(def, CATALOG_IDS);
        if (!checked.ok)
          throw new Error(`payer policy rule ${def.id} does not validate: ${checked.errors[0]?.at ?? ''}`);
        const up = await tx.query<{ id: number; changed: boolean }>(
          `INSERT INTO scrubber_rules AS r (practice_id, payer_id, rule_key, description, severity, condition, version,
                                            message, suggested_fix, documentation, field, source, created_at, updated_at)
           VALUES (NULL, $1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, NULL, 'policy-import', $10, $10)
           ON CONFLICT (practice_id, payer_id, rule_key) DO UPDATE
              SET description = EXCLUDED.description, severity = EXCLUDED.severity, condition = EXCLUDED.condition,
                  version = EXCLUDED.version, message = EXCLUDED.message, suggested_fix = EXCLUDED.suggested_fix,
                  documentation = EXCLUDED.documentation, source = 'policy-import', updated_at = EXCLUDED.updated_at
            WHERE (r.description, r.severity, r.condition, r.message, r.suggested_fix, r.documentation)
                  IS DISTINCT FROM (EXCLUDED.description, EXCLUDED.severity, EXCLUDED.condition, EXCLUDED.message,
                                    EXCLUDED.suggested_fix, EXCLUDED.documentation)
           RETURNING id`,
          [
            payerId,
            def.id,
            def.title,
            def.severity,
            JSON.stringify(def.when),
            def.version,
            def.message,
            def.suggestedFix,
            def.documentation ?? null,
            options.at,
          ],
        );
        const id = up.rows[0]?.id;
        if (id !== undefined) {
          ruleCount += 1;
          await audit(tx, null, options.at, options.actor, 'scrubber_rule.import', id, {
            ruleKey: def.id,
            payerId,
          });
        }
      }
      const stale = await tx.query<{ id: number; rule_key: string }>(
        `UPDATE scrubber_rules SET enabled = false, updated_at = $3
          WHERE practice_id IS NULL AND payer_id = $1 AND source = 'policy-import' AND enabled
            AND NOT (rule_key = ANY($2::text[]))
          RETURNING id, rule_key`,
        [payerId, defs.map((d) => d.id), options.at],
      );
      for (const s of stale.rows) {
        disabled += 1;
        await audit(tx, null, options.at, options.actor, 'scrubber_rule.disable', s.id, {
          ruleKey: s.rule_key,
          payerId,
          reason: 'no longer in the payer policy',
        });
      }
    }
    return { ok: true as const, value: { payers: Object.keys(payers).length, rules: ruleCount, disabled } };
  });
}
