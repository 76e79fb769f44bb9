import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Claim } from '../claims/model.ts';
import { CATALOG, CATALOG_IDS } from './catalog.ts';
import type { DataRuleDefinition } from './conditions.ts';
import {
  CONDITION_OPS,
  CONDITION_PATHS,
  compileDataRule,
  describeCondition,
  validateDataRule,
} from './conditions.ts';
import { FIXTURE_PAYER_ID, fixtureClaim, fixtureContext, fixtureLine } from './fixtures.ts';
import { scrub } from './scrub.ts';

// Issue 5 §3 example: a payer requires GP on therapy codes (Medicare therapy modifiers, CMS Pub 100-04 ch. 5 §20.1).
const gpRule = {
  id: 'therapy-needs-gp',
  version: 1,
  severity: 'error',
  scope: 'payer',
  payerId: FIXTURE_PAYER_ID,
  title: 'Therapy codes carry GP',
  message: 'Therapy code without the GP modifier',
  suggestedFix: 'Add GP (services under a physical therapy plan of care).',
  when: {
    all: [
      { path: 'coverage.payer.type', op: 'in', value: ['commercial', 'medicare'] },
      {
        any: [
          { path: 'lines[*].procedureCode', op: 'in', value: ['97110', '97140'] },
          { path: 'lines[*].procedureCode', op: 'matches', value: '975[0-9]{2}' },
        ],
      },
      { path: 'lines[*].modifiers', op: 'lacks', value: 'GP' },
    ],
  },
} as const;

function compiled(def: unknown): ReturnType<typeof compileDataRule> {
  const v = validateDataRule(def, CATALOG_IDS);
  if (!v.ok) throw new Error(JSON.stringify(v.errors));
  return compileDataRule(v.definition);
}

const therapyClaim = (mods: string[][]): Claim =>
  fixtureClaim({
    lines: [
      fixtureLine(1, '99213', 9000, [1]),
      ...mods.map((m, i) => fixtureLine(i + 2, i % 2 === 0 ? '97110' : '97530', 4000, [1], { modifiers: m })),
    ],
  });

describe('configured rules: evaluation', () => {
  it('fires per line and points at the offending line’s modifiers', () => {
    const rule = compiled(gpRule);
    const result = scrub(therapyClaim([['GP'], [], ['59']]), fixtureContext(), [...CATALOG, rule]);
    const mine = result.issues.filter((i) => i.ruleId === 'therapy-needs-gp');
    expect(mine.map((i) => [i.field, i.x12, i.severity])).toEqual([
      ['lines[2].modifiers', '2400.SV101-3', 'error'],
      ['lines[3].modifiers', '2400.SV101-3', 'error'],
    ]);
    expect(mine[0]?.message).toBe('Line 3: Therapy code without the GP modifier');
    expect(result.clean).toBe(false);
    expect(result.holds).toEqual([{ reason: 'scrubber', ruleIds: ['therapy-needs-gp'] }]);
  });

  it('applies only to its payer (payer scope) or practice (practice scope)', () => {
    const other = compiled({ ...gpRule, payerId: 99 });
    expect(scrub(therapyClaim([[]]), fixtureContext(), [other]).issues).toEqual([]);
    const practice = compiled({ ...gpRule, scope: 'practice', payerId: undefined, practiceId: 2 });
    expect(scrub(therapyClaim([[]]), fixtureContext(), [practice]).issues).toHaveLength(1);
  });

  it('evaluates claim-level rules once', () => {
    const rule = compiled({
      id: 'ref-needed',
      version: 2,
      severity: 'warning',
      scope: 'payer',
      payerId: FIXTURE_PAYER_ID,
      title: 'HMO referrals',
      message: 'Referral number missing for an HMO plan',
      suggestedFix: 'Record the referral number.',
      when: {
        all: [
          { path: 'coverage.payer.claimFilingIndicator', op: 'eq', value: 'CI' },
          { path: 'referralNumber', op: 'missing' },
        ],
      },
    });
    const issues = scrub(fixtureClaim(), fixtureContext(), [rule]).issues;
    expect(issues).toEqual([
      {
        ruleId: 'ref-needed',
        ruleVersion: 2,
        severity: 'warning',
        message: 'Referral number missing for an HMO plan',
        field: 'referralNumber',
        x12: '2300.REF02',
        suggestedFix: 'Record the referral number.',
      },
    ]);
    expect(scrub(fixtureClaim({ referralNumber: 'R1' }), fixtureContext(), [rule]).issues).toEqual([]);
  });

  it('supports every op', () => {
    const claim = fixtureClaim();
    const fires = (path: string, op: string, value?: unknown): boolean => {
      const rule = compiled({ ...gpRule, when: value === undefined ? { path, op } : { path, op, value } });
      return scrub(claim, fixtureContext(), [rule]).issues.length > 0;
    };
    expect(fires('placeOfService', 'eq', '11')).toBe(true);
    expect(fires('placeOfService', 'ne', '11')).toBe(false);
    expect(fires('diagnoses', 'includes', 'I10')).toBe(true);
    expect(fires('diagnoses', 'lacks', 'I10')).toBe(false);
    expect(fires('diagnoses', 'in', ['J069', 'E119'])).toBe(true);
    expect(fires('principalDiagnosis', 'not_in', ['E119'])).toBe(false);
    expect(fires('referringProvider.npi', 'exists')).toBe(false);
    expect(fires('referringProvider.npi', 'missing')).toBe(true);
    expect(fires('totalChargeCents', 'gt', 19999)).toBe(true);
    expect(fires('totalChargeCents', 'gte', 20001)).toBe(false);
    expect(fires('lines[*].chargeCents', 'lt', 5001)).toBe(true);
    expect(fires('lines[*].serviceDate', 'lte', '2026-10-19')).toBe(false);
    expect(fires('patient.ageYears', 'gte', 65)).toBe(true); // born 1960, seen 2026
    expect(fires('lines[*].diagnoses', 'matches', 'E11.*')).toBe(true);
    expect(fires('principalDiagnosis', 'matches', 'E11')).toBe(false); // anchored
    expect(fires('referringProvider.npi', 'ne', '1234567893')).toBe(true); // negations hold for a missing value
    expect(fires('referringProvider.npi', 'eq', '1234567893')).toBe(false);
    expect(fires('procedureCodes', 'includes', '93000')).toBe(true);
    expect(fires('procedureCodes', 'lacks', '93000')).toBe(false);
  });

  it('expresses a payer-specific bundling pair (beyond NCCI) per line', () => {
    // The payer bundles 93000 into 99213 on the same claim unless 59 is present on the 93000 line.
    const rule = compiled({
      ...gpRule,
      id: 'payer-bundles-93000',
      message: 'Bundled by the payer into the visit',
      when: {
        all: [
          { path: 'procedureCodes', op: 'includes', value: '99213' },
          { path: 'lines[*].procedureCode', op: 'eq', value: '93000' },
          { path: 'lines[*].modifiers', op: 'lacks', value: '59' },
        ],
      },
    });
    expect(scrub(fixtureClaim(), fixtureContext(), [rule]).issues.map((i) => i.field)).toEqual([
      'lines[1].modifiers',
    ]);
  });

  it('never fires for a path whose value is missing under a positive op (property)', () => {
    const rule = (op: string, value: unknown) =>
      compiled({ ...gpRule, when: { path: 'referringProvider.npi', op, value } });
    fc.assert(
      fc.property(fc.constantFrom('eq', 'in', 'matches'), fc.stringMatching(/^[0-9]{1,10}$/), (op, s) => {
        const value = op === 'in' ? [s] : s;
        return scrub(fixtureClaim(), fixtureContext(), [rule(op, value)]).issues.length === 0;
      }),
    );
  });

  it('describes a condition in plain words', () => {
    expect(describeCondition(gpRule.when)).toBe(
      '(coverage.payer.type in ["commercial","medicare"] and (lines[*].procedureCode in ["97110","97140"] or lines[*].procedureCode matches "975[0-9]{2}") and lines[*].modifiers lacks "GP")',
    );
  });
});

describe('configured rules: validation', () => {
  const errorsOf = (def: unknown): string[] => {
    const v = validateDataRule(def, CATALOG_IDS);
    return v.ok ? [] : v.errors.map((e) => `${e.at}: ${e.message}`);
  };

  it('accepts the example definition', () => {
    expect(errorsOf(gpRule)).toEqual([]);
  });

  it('locates every error in a bad definition', () => {
    const bad = {
      ...gpRule,
      id: 'NPI Check',
      severity: 'fatal',
      extra: 1,
      when: {
        all: [
          { path: 'patient.lastName', op: 'eq', value: 'x' },
          { path: 'lines[*].units', op: 'gt', value: '3' },
          { path: 'lines[*].modifiers', op: 'eq', value: 'GP' },
          { path: 'placeOfService', op: 'matches', value: '(1+)+' },
          { path: 'placeOfService', op: 'like', value: '1' },
          { any: [] },
          { path: 'lines[*].serviceDate', op: 'gte', value: '2026-02-30' },
        ],
      },
    };
    expect(errorsOf(bad)).toEqual([
      'extra: unknown key',
      'id: must be kebab-case (a-z, 0-9, -), at most 64 characters',
      'severity: must be one of error, warning',
      'when.all[0].path: unknown path (see the allowed claim paths)',
      'when.all[1].value: must be a number',
      'when.all[2].value: lines[*].modifiers is a list: use includes or lacks',
      'when.all[3].value: pattern has a nested quantifier such as (a+)+',
      `when.all[4].op: op must be one of ${CONDITION_OPS.join(', ')}`,
      'when.all[5].any: must be a non-empty array of conditions',
      "when.all[6].value: must be a date 'YYYY-MM-DD'",
    ]);
  });

  it('rejects built-in ids, missing scope targets and unsafe patterns', () => {
    expect(errorsOf({ ...gpRule, id: 'npi-check-digit' })).toEqual(['id: is the id of a built-in rule']);
    expect(errorsOf({ ...gpRule, payerId: undefined })).toEqual(['payerId: a payer rule needs the payer id']);
    expect(errorsOf({ ...gpRule, when: { path: 'placeOfService', op: 'matches', value: '(?=1)1' } })).toEqual(
      ['when.value: pattern may not use back-references or look-around'],
    );
    expect(
      errorsOf({ ...gpRule, when: { path: 'placeOfService', op: 'matches', value: 'x'.repeat(101) } }),
    ).toEqual(['when.value: pattern must have 1–100 characters']);
    expect(errorsOf({ ...gpRule, when: { path: 'placeOfService', op: 'exists', value: 1 } })).toEqual([
      'when.value: exists takes no value',
    ]);
    expect(errorsOf('rule')).toEqual([': rule definition must be an object']);
    expect(
      errorsOf({
        ...gpRule,
        field: 'lines[*].units',
        when: { path: 'placeOfService', op: 'eq', value: '11' },
      }),
    ).toEqual(['field: a lines[*] field needs a condition that reads a lines[*] path']);
    expect(errorsOf({ ...gpRule, field: 'patient.lastName' })).toEqual(['field: unknown path']);
  });

  it('limits depth', () => {
    let when: unknown = { path: 'placeOfService', op: 'exists' };
    for (let i = 0; i < 10; i++) when = { not: when };
    expect(errorsOf({ ...gpRule, when })[0]).toMatch(/nested deeper than 8/);
  });

  it('never throws on arbitrary JSON (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (when) => {
        const v = validateDataRule({ ...gpRule, when });
        if (v.ok) compileDataRule(v.definition); // anything that validates compiles
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it('exposes no PHI path', () => {
    for (const p of Object.keys(CONDITION_PATHS)) {
      expect(p).not.toMatch(/lastName|firstName|birth|address|memberId|subscriber/i);
    }
  });
});

// Keeps the definition type honest: the example is assignable to DataRuleDefinition.
export const example: DataRuleDefinition = gpRule;
