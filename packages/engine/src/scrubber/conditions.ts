/**
 * Payer and practice rules as data (issue 5 §3): a small condition language over an allow-list of claim
 * properties, stored as jsonb and edited by billers. A definition is user input, so `validateDataRule`
 * returns every problem with its location instead of throwing, and `compileDataRule` turns a valid
 * definition into an ordinary `Rule` whose condition is pre-compiled into closures (no parsing per claim).
 *
 * Example — Medicare therapy lines need the GP modifier:
 *   { "all": [ { "path": "coverage.payer.type", "op": "eq", "value": "medicare" },
 *              { "path": "lines[*].procedureCode", "op": "in", "value": ["97110", "97140"] },
 *              { "path": "lines[*].modifiers", "op": "lacks", "value": "GP" } ] }
 * A condition that mentions a `lines[*]` path is evaluated once per line and each matching line gets its own
 * issue. The rule *fires* (reports an issue) when its condition is true.
 *
 * Only the paths in `CONDITION_PATHS` can be read. None of them exposes a PHI value: patient age is derived
 * and capped at 90 (HIPAA Safe Harbor treats ages over 89 as identifying, 45 CFR 164.514(b)(2)(i)(C)), and
 * rule messages are fixed text, so no claim value can reach a message.
 */
import { isCalendarDate } from '@openrcm/core';
import type { Claim, ClaimLine } from '../claims/model.ts';
import { ageOn, isDate, linePos, renderingProviderOf } from './rules/util.ts';
import type { Finding, Rule } from './types.ts';
import { SEVERITIES } from './types.ts';

export const CONDITION_OPS = [
  'eq',
  'ne',
  'in',
  'not_in',
  'exists',
  'missing',
  'includes',
  'lacks',
  'gt',
  'gte',
  'lt',
  'lte',
  'matches',
] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];

export type Condition =
  | { readonly all: readonly Condition[] }
  | { readonly any: readonly Condition[] }
  | { readonly not: Condition }
  | { readonly path: string; readonly op: ConditionOp; readonly value?: unknown };

export const DATA_RULE_SCOPES = ['payer', 'practice'] as const;
export type DataRuleScope = (typeof DATA_RULE_SCOPES)[number];

/** A configured rule as stored (jsonb). */
export interface DataRuleDefinition {
  readonly id: string;
  readonly version: number;
  readonly severity: (typeof SEVERITIES)[number];
  readonly scope: DataRuleScope;
  /** Required for payer scope: the payer whose claims the rule applies to. */
  readonly payerId?: number;
  /** Required for practice scope. */
  readonly practiceId?: number;
  readonly title: string;
  /** Fixed text shown on the issue (no placeholders: claim values never reach messages). */
  readonly message: string;
  readonly suggestedFix: string;
  /** Why the rule exists and where it comes from (payer bulletin, contract clause). */
  readonly documentation?: string;
  /** Path the issue points at; defaults to the last `lines[*]` path of the condition, else its last path. */
  readonly field?: string;
  readonly when: Condition;
}

// ---------------------------------------------------------------------------------------------
// The allow-list of readable paths

type Kind = 'string' | 'number' | 'date' | 'boolean' | 'strings';
type Value = string | number | boolean | readonly string[] | undefined;

interface PathSpec {
  readonly kind: Kind;
  /** True for `lines[*].…` paths: evaluated per line. */
  readonly line: boolean;
  readonly x12: string;
  readonly get: (claim: Claim, line: ClaimLine | undefined) => Value;
}

const claimPath = (kind: Kind, x12: string, get: (claim: Claim) => Value): PathSpec => ({
  kind,
  line: false,
  x12,
  get: (c) => get(c),
});
const linePathSpec = (kind: Kind, x12: string, get: (claim: Claim, line: ClaimLine) => Value): PathSpec => ({
  kind,
  line: true,
  x12,
  get: (c, l) => (l === undefined ? undefined : get(c, l)),
});

/** Age in whole years on the first date of service, capped at 90 (Safe Harbor); undefined without a valid birth date. */
function ageYears(claim: Claim): number | undefined {
  const birth = claim.patient.birthDate.reveal();
  if (!isDate(birth) || !isDate(claim.firstServiceDate)) return undefined;
  return Math.min(Math.max(ageOn(birth, claim.firstServiceDate), 0), 90);
}

/** Every path a configured rule may read, with its type and 837P location. */
export const CONDITION_PATHS: Readonly<Record<string, PathSpec>> = {
  practiceId: claimPath('number', '2300', (c) => c.practiceId),
  frequencyCode: claimPath('string', '2300.CLM05-3', (c) => c.frequencyCode),
  placeOfService: claimPath('string', '2300.CLM05-1', (c) => c.placeOfService),
  locationPlaceOfService: claimPath('string', '2300.CLM05-1', (c) => c.locationPlaceOfService),
  totalChargeCents: claimPath('number', '2300.CLM02', (c) => c.totalChargeCents),
  firstServiceDate: claimPath('date', '2400.DTP03', (c) => c.firstServiceDate),
  lineCount: claimPath('number', '2400.LX01', (c) => c.lines.length),
  priorAuthorization: claimPath('string', '2300.REF02', (c) => c.priorAuthorization),
  referralNumber: claimPath('string', '2300.REF02', (c) => c.referralNumber),
  diagnoses: claimPath('strings', '2300.HI01-2', (c) => c.diagnoses),
  // Every line's code: lets a payer bundling rule say "when the claim also has code X".
  procedureCodes: claimPath('strings', '2400.SV101-2', (c) => c.lines.map((l) => l.procedureCode)),
  principalDiagnosis: claimPath('string', '2300.HI01-2', (c) => c.diagnoses[0]),
  'coverage.rank': claimPath('string', '2000B.SBR01', (c) => c.coverage.rank),
  'coverage.relationship': claimPath('string', '2000B.SBR02', (c) => c.coverage.relationship),
  'coverage.groupNumber': claimPath('string', '2000B.SBR03', (c) => c.coverage.groupNumber),
  'coverage.planName': claimPath('string', '2000B.SBR04', (c) => c.coverage.planName),
  'coverage.payer.type': claimPath('string', '2000B.SBR09', (c) => c.coverage.payer.type),
  'coverage.payer.payerId': claimPath('number', '2010BB.NM109', (c) => c.coverage.payer.payerId),
  'coverage.payer.payerCode': claimPath('string', '2010BB.NM109', (c) => c.coverage.payer.payerCode),
  'coverage.payer.claimFilingIndicator': claimPath(
    'string',
    '2000B.SBR09',
    (c) => c.coverage.payer.claimFilingIndicator,
  ),
  otherCoverageCount: claimPath('number', '2320', (c) => c.otherCoverages.length),
  'billingProvider.npi': claimPath('string', '2010AA.NM109', (c) => c.billingProvider.npi),
  'billingProvider.entityType': claimPath('string', '2010AA.NM102', (c) => c.billingProvider.entityType),
  'billingProvider.taxonomy': claimPath('string', '2000A.PRV03', (c) => c.billingProvider.taxonomy),
  'renderingProvider.npi': claimPath('string', '2310B.NM109', (c) => c.renderingProvider?.npi),
  'renderingProvider.taxonomy': claimPath('string', '2310B.PRV03', (c) => c.renderingProvider?.taxonomy),
  'referringProvider.npi': claimPath('string', '2310A.NM109', (c) => c.referringProvider?.npi),
  'supervisingProvider.npi': claimPath('string', '2310D.NM109', (c) => c.supervisingProvider?.npi),
  'serviceFacility.npi': claimPath('string', '2310C.NM109', (c) => c.serviceFacility?.npi),
  'patient.sex': claimPath('string', '2010CA.DMG03', (c) => c.patient.sex),
  'patient.ageYears': claimPath('number', '2010CA.DMG02', ageYears),
  'lines[*].lineNumber': linePathSpec('number', '2400.LX01', (_c, l) => l.lineNumber),
  'lines[*].procedureCode': linePathSpec('string', '2400.SV101-2', (_c, l) => l.procedureCode),
  'lines[*].modifiers': linePathSpec('strings', '2400.SV101-3', (_c, l) => l.modifiers),
  'lines[*].units': linePathSpec('number', '2400.SV104', (_c, l) => l.units),
  'lines[*].chargeCents': linePathSpec('number', '2400.SV102', (_c, l) => l.chargeCents),
  'lines[*].serviceDate': linePathSpec('date', '2400.DTP03', (_c, l) => l.serviceDate),
  'lines[*].placeOfService': linePathSpec('string', '2400.SV105', (c, l) => linePos(c, l)),
  'lines[*].diagnoses': linePathSpec('strings', '2400.SV107-1', (c, l) =>
    l.diagnosisPointers
      .map((p) => c.diagnoses[p - 1])
      .filter((x): x is NonNullable<typeof x> => x !== undefined),
  ),
  'lines[*].priorAuthorization': linePathSpec(
    'string',
    '2400.REF02',
    (c, l) => l.priorAuthorization ?? c.priorAuthorization,
  ),
  'lines[*].renderingProvider.npi': linePathSpec(
    'string',
    '2420A.NM109',
    (c, l) => renderingProviderOf(c, l)?.npi,
  ),
};

// ---------------------------------------------------------------------------------------------
// Validation

export interface DefinitionError {
  /** Where in the definition, e.g. `when.all[2].value`. */
  readonly at: string;
  readonly message: string;
}

export type ValidationResult =
  | { readonly ok: true; readonly definition: DataRuleDefinition }
  | { readonly ok: false; readonly errors: readonly DefinitionError[] };

const MAX_DEPTH = 8;
const MAX_NODES = 200;
const MAX_LIST = 1000;
const MAX_PATTERN = 100;
const MAX_TEXT = 500;
const ID_RE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
// A quantified group that is itself quantified, e.g. (a+)+ or (a|aa)*: the classic catastrophic-backtracking
// shapes. Rejected outright; together with the length limit and the short values matched, this keeps regex cost bounded.
const NESTED_QUANTIFIER = /\([^)]*[+*}?][^)]*\)\s*[+*{?]/;
const TOP_KEYS = new Set([
  'id',
  'version',
  'severity',
  'scope',
  'payerId',
  'practiceId',
  'title',
  'message',
  'suggestedFix',
  'documentation',
  'field',
  'when',
]);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isPositiveInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

/** Anchored, length-limited pattern → RegExp, or an error message. */
/**
 * Compiles a user-supplied pattern anchored at both ends (`^(?:…)$`), or says why it is refused: too long, a
 * nested quantifier, a back-reference or look-around (the shapes that make regex matching blow up).
 */
export function compilePattern(pattern: string, maxLength = MAX_PATTERN): RegExp | string {
  if (pattern.length === 0 || pattern.length > maxLength)
    return `pattern must have 1–${maxLength} characters`;
  if (NESTED_QUANTIFIER.test(pattern)) return 'pattern has a nested quantifier such as (a+)+';
  if (/\\[1-9]|\(\?[=!<]/.test(pattern)) return 'pattern may not use back-references or look-around';
  try {
    return new RegExp(`^(?:${pattern})$`, 'u');
  } catch {
    return 'pattern is not a valid regular expression';
  }
}

function scalarOk(kind: Kind, v: unknown): boolean {
  switch (kind) {
    case 'string':
    case 'strings':
      return typeof v === 'string' && v.length <= 200;
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'date':
      return typeof v === 'string' && isCalendarDate(v);
    case 'boolean':
      return typeof v === 'boolean';
  }
}

const KIND_WORD: Readonly<Record<Kind, string>> = {
  string: 'a string',
  strings: 'a string',
  number: 'a number',
  date: "a date 'YYYY-MM-DD'",
  boolean: 'true or false',
};

function validateCondition(
  node: unknown,
  at: string,
  depth: number,
  count: { n: number },
  errors: DefinitionError[],
): void {
  count.n += 1;
  if (count.n > MAX_NODES) {
    if (count.n === MAX_NODES + 1) errors.push({ at, message: `condition has more than ${MAX_NODES} nodes` });
    return;
  }
  if (depth > MAX_DEPTH) {
    errors.push({ at, message: `condition is nested deeper than ${MAX_DEPTH} levels` });
    return;
  }
  if (!isObject(node)) {
    errors.push({ at, message: 'condition must be an object with all, any, not or path/op' });
    return;
  }
  const keys = Object.keys(node);
  for (const group of ['all', 'any'] as const) {
    if (group in node) {
      if (keys.length !== 1) errors.push({ at, message: `"${group}" must be the only key of its object` });
      const list = node[group];
      if (!Array.isArray(list) || list.length === 0) {
        errors.push({ at: `${at}.${group}`, message: 'must be a non-empty array of conditions' });
        return;
      }
      list.forEach((child, i) => validateCondition(child, `${at}.${group}[${i}]`, depth + 1, count, errors));
      return;
    }
  }
  if ('not' in node) {
    if (keys.length !== 1) errors.push({ at, message: '"not" must be the only key of its object' });
    validateCondition(node.not, `${at}.not`, depth + 1, count, errors);
    return;
  }
  for (const k of keys) {
    if (k !== 'path' && k !== 'op' && k !== 'value')
      errors.push({ at: `${at}.${k}`, message: 'unknown key' });
  }
  const { path, op, value } = node;
  if (typeof path !== 'string' || !(path in CONDITION_PATHS)) {
    errors.push({
      at: `${at}.path`,
      message: typeof path === 'string' ? 'unknown path (see the allowed claim paths)' : 'path is required',
    });
    return;
  }
  const spec = CONDITION_PATHS[path] as PathSpec;
  if (typeof op !== 'string' || !(CONDITION_OPS as readonly string[]).includes(op)) {
    errors.push({ at: `${at}.op`, message: `op must be one of ${CONDITION_OPS.join(', ')}` });
    return;
  }
  const bad = (message: string): void => {
    errors.push({ at: `${at}.value`, message });
  };
  switch (op as ConditionOp) {
    case 'exists':
    case 'missing':
      if ('value' in node) bad(`${op} takes no value`);
      break;
    case 'eq':
    case 'ne':
      if (spec.kind === 'strings') bad(`${path} is a list: use includes or lacks`);
      else if (!scalarOk(spec.kind, value)) bad(`must be ${KIND_WORD[spec.kind]}`);
      break;
    case 'in':
    case 'not_in':
      if (!Array.isArray(value) || value.length === 0 || value.length > MAX_LIST)
        bad(`must be a non-empty array of at most ${MAX_LIST} values`);
      else
        value.forEach((v, i) => {
          if (!scalarOk(spec.kind, v))
            errors.push({ at: `${at}.value[${i}]`, message: `must be ${KIND_WORD[spec.kind]}` });
        });
      break;
    case 'includes':
    case 'lacks':
      if (spec.kind !== 'strings') bad(`${op} applies to list paths only (${listPaths().join(', ')})`);
      else if (!scalarOk('string', value)) bad('must be a string');
      break;
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      if (spec.kind !== 'number' && spec.kind !== 'date') bad(`${op} applies to number and date paths only`);
      else if (!scalarOk(spec.kind, value)) bad(`must be ${KIND_WORD[spec.kind]}`);
      break;
    case 'matches':
      if (spec.kind !== 'string' && spec.kind !== 'strings') bad('matches applies to text paths only');
      else if (typeof value !== 'string') bad('must be a regular expression string');
      else {
        const re = compilePattern(value);
        if (typeof re === 'string') bad(re);
      }
      break;
  }
}

function listPaths(): string[] {
  return Object.entries(CONDITION_PATHS)
    .filter(([, s]) => s.kind === 'strings')
    .map(([p]) => p);
}

function text(def: Record<string, unknown>, key: string, errors: DefinitionError[], required: boolean): void {
  const v = def[key];
  if (v === undefined && !required) return;
  if (typeof v !== 'string' || v.trim() === '' || v.length > MAX_TEXT) {
    errors.push({ at: key, message: `must be a non-empty string of at most ${MAX_TEXT} characters` });
  }
}

/**
 * Checks a configured rule definition (user input). `reservedIds` are ids it may not take (the built-in
 * catalog). Returns every problem, each located (`when.all[1].op`), or the definition typed.
 */
export function validateDataRule(
  input: unknown,
  reservedIds: ReadonlySet<string> = new Set(),
): ValidationResult {
  const errors: DefinitionError[] = [];
  if (!isObject(input))
    return { ok: false, errors: [{ at: '', message: 'rule definition must be an object' }] };
  for (const k of Object.keys(input)) if (!TOP_KEYS.has(k)) errors.push({ at: k, message: 'unknown key' });
  const { id, version, severity, scope, payerId, practiceId, field } = input;
  if (typeof id !== 'string' || id.length > 64 || !ID_RE.test(id))
    errors.push({ at: 'id', message: 'must be kebab-case (a-z, 0-9, -), at most 64 characters' });
  else if (reservedIds.has(id)) errors.push({ at: 'id', message: 'is the id of a built-in rule' });
  if (!isPositiveInt(version)) errors.push({ at: 'version', message: 'must be a positive integer' });
  if (typeof severity !== 'string' || !(SEVERITIES as readonly string[]).includes(severity))
    errors.push({ at: 'severity', message: `must be one of ${SEVERITIES.join(', ')}` });
  if (typeof scope !== 'string' || !(DATA_RULE_SCOPES as readonly string[]).includes(scope)) {
    errors.push({ at: 'scope', message: `must be one of ${DATA_RULE_SCOPES.join(', ')}` });
  } else if (scope === 'payer') {
    if (!isPositiveInt(payerId)) errors.push({ at: 'payerId', message: 'a payer rule needs the payer id' });
    if (practiceId !== undefined)
      errors.push({ at: 'practiceId', message: 'a payer rule has no practice id' });
  } else {
    if (!isPositiveInt(practiceId))
      errors.push({ at: 'practiceId', message: 'a practice rule needs the practice id' });
    if (payerId !== undefined)
      errors.push({
        at: 'payerId',
        message: 'a practice rule has no payer id (use a condition on coverage.payer.payerId)',
      });
  }
  text(input, 'title', errors, true);
  text(input, 'message', errors, true);
  text(input, 'suggestedFix', errors, true);
  text(input, 'documentation', errors, false);
  if (field !== undefined && (typeof field !== 'string' || !(field in CONDITION_PATHS)))
    errors.push({ at: 'field', message: 'unknown path' });
  if (!('when' in input)) errors.push({ at: 'when', message: 'condition is required' });
  else {
    const before = errors.length;
    validateCondition(input.when, 'when', 1, { n: 0 }, errors);
    // A per-line field needs a per-line condition: otherwise there is no line to point at.
    if (errors.length === before && typeof field === 'string' && CONDITION_PATHS[field]?.line === true) {
      const perLine = conditionPaths(input.when as Condition).some((p) => CONDITION_PATHS[p]?.line === true);
      if (!perLine)
        errors.push({
          at: 'field',
          message: 'a lines[*] field needs a condition that reads a lines[*] path',
        });
    }
  }
  return errors.length > 0
    ? { ok: false, errors }
    : { ok: true, definition: input as unknown as DataRuleDefinition };
}

// ---------------------------------------------------------------------------------------------
// Compilation and evaluation

type Predicate = (claim: Claim, line: ClaimLine | undefined) => boolean;

const present = (v: Value): boolean => v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0);

function compileLeaf(path: string, op: ConditionOp, value: unknown): Predicate {
  const spec = CONDITION_PATHS[path] as PathSpec;
  const get = spec.get;
  const many = spec.kind === 'strings';
  // Comparisons against a missing value are false; their negations (ne, not_in, lacks) are true.
  switch (op) {
    case 'exists':
      return (c, l) => present(get(c, l));
    case 'missing':
      return (c, l) => !present(get(c, l));
    case 'eq':
      return (c, l) => get(c, l) === value;
    case 'ne':
      return (c, l) => get(c, l) !== value;
    case 'in':
    case 'not_in': {
      const set = new Set(value as readonly unknown[]);
      const hit = (v: Value): boolean =>
        many
          ? (v as readonly string[] | undefined)?.some((x) => set.has(x)) === true
          : v !== undefined && set.has(v);
      return op === 'in' ? (c, l) => hit(get(c, l)) : (c, l) => !hit(get(c, l));
    }
    case 'includes':
      return (c, l) => (get(c, l) as readonly string[] | undefined)?.includes(value as string) === true;
    case 'lacks':
      return (c, l) => (get(c, l) as readonly string[] | undefined)?.includes(value as string) !== true;
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const bound = value as number | string;
      const cmp = {
        gt: (a: number | string) => a > bound,
        gte: (a: number | string) => a >= bound,
        lt: (a: number | string) => a < bound,
        lte: (a: number | string) => a <= bound,
      }[op];
      return (c, l) => {
        const v = get(c, l);
        return (typeof v === 'number' || typeof v === 'string') && v !== '' && cmp(v);
      };
    }
    case 'matches': {
      const re = compilePattern(value as string) as RegExp;
      return (c, l) => {
        const v = get(c, l);
        if (typeof v === 'string') return v.length <= 200 && re.test(v);
        return Array.isArray(v) && (v as readonly string[]).some((x) => x.length <= 200 && re.test(x));
      };
    }
  }
}

function compileCondition(node: Condition): Predicate {
  if ('all' in node) {
    const parts = node.all.map(compileCondition);
    return (c, l) => parts.every((p) => p(c, l));
  }
  if ('any' in node) {
    const parts = node.any.map(compileCondition);
    return (c, l) => parts.some((p) => p(c, l));
  }
  if ('not' in node) {
    const inner = compileCondition(node.not);
    return (c, l) => !inner(c, l);
  }
  return compileLeaf(node.path, node.op, node.value);
}

/** Paths of a condition's leaves, in order. */
export function conditionPaths(node: Condition): string[] {
  if ('all' in node) return node.all.flatMap(conditionPaths);
  if ('any' in node) return node.any.flatMap(conditionPaths);
  if ('not' in node) return conditionPaths(node.not);
  return [node.path];
}

/** Plain-language rendering of a condition, for documentation and the CLI. */
export function describeCondition(node: Condition): string {
  if ('all' in node)
    return node.all.length === 1
      ? describeCondition(node.all[0] as Condition)
      : `(${node.all.map(describeCondition).join(' and ')})`;
  if ('any' in node)
    return node.any.length === 1
      ? describeCondition(node.any[0] as Condition)
      : `(${node.any.map(describeCondition).join(' or ')})`;
  if ('not' in node) return `not ${describeCondition(node.not)}`;
  const v = node.value;
  return node.op === 'exists' || node.op === 'missing'
    ? `${node.path} ${node.op}`
    : `${node.path} ${node.op} ${JSON.stringify(v)}`;
}

/**
 * Turns a validated definition into a `Rule`: scoped to its payer or practice, evaluated per line when the
 * condition reads a `lines[*]` path (one issue per matching line), once per claim otherwise.
 */
export function compileDataRule(def: DataRuleDefinition): Rule {
  const predicate = compileCondition(def.when);
  const paths = conditionPaths(def.when);
  const perLine = paths.some((p) => CONDITION_PATHS[p]?.line === true);
  // Rules read as "these claims … must have X", so the requirement is usually the last leaf: point there.
  const fieldPath =
    def.field ?? paths.findLast((p) => CONDITION_PATHS[p]?.line === true) ?? paths.at(-1) ?? '';
  const spec = CONDITION_PATHS[fieldPath];
  const x12 = spec?.x12 ?? '2300';
  const message = def.message;
  const appliesTo =
    def.scope === 'payer'
      ? (claim: Claim): boolean => claim.coverage.payer.payerId === def.payerId
      : (claim: Claim): boolean => claim.practiceId === def.practiceId;
  return {
    id: def.id,
    version: def.version,
    severity: def.severity,
    scope: def.scope,
    title: def.title,
    suggestedFix: def.suggestedFix,
    documentation: {
      checks: `Fires when ${describeCondition(def.when)}.`,
      why: def.documentation ?? def.title,
      source:
        def.scope === 'payer'
          ? `Configured payer rule (payer ${def.payerId})`
          : `Configured practice rule (practice ${def.practiceId})`,
      fix: def.suggestedFix,
    },
    appliesTo,
    check(claim: Claim): Finding[] {
      if (!perLine) return predicate(claim, undefined) ? [{ field: fieldPath, x12, message }] : [];
      const out: Finding[] = [];
      const lineField = spec?.line === true ? fieldPath.slice('lines[*].'.length) : undefined;
      claim.lines.forEach((line, i) => {
        if (!predicate(claim, line)) return;
        const field =
          lineField !== undefined
            ? `lines[${i}].${lineField}`
            : spec?.line === false
              ? fieldPath
              : `lines[${i}]`;
        out.push({ field, x12, message: `Line ${i + 1}: ${message}` });
      });
      return out;
    },
  };
}
