import type { Icd10Code } from '@openrcm/core';
import { describe, expect, it } from 'vitest';
import { CATALOG, CATALOG_IDS } from './catalog.ts';
import { compileDataRule, validateDataRule } from './conditions.ts';
import { FIXTURE_PAYER_ID, fixtureClaim, fixtureContext, fixtureLine } from './fixtures.ts';
import type { PayerPolicy } from './policy.ts';
import { payerPolicyRules, payerSettingsOf } from './policy.ts';
import { scrub } from './scrub.ts';

// A payer's bulletin, as a billing team would transcribe it at onboarding.
const policy: PayerPolicy = {
  payerId: FIXTURE_PAYER_ID,
  priorAuthorizationCodes: ['73721'],
  memberIdPattern: '^W[0-9]{9}$',
  timelyFilingDays: 90,
  nonCoveredCodes: ['11200', '17380'],
  medicalNecessity: { '93000': ['I10', 'R00.2'] },
  bundlingPairs: [
    ['99213', '36415', 0],
    ['20610', '99213', 1],
    ['93000', '93005', 9],
  ],
  unitLimits: { '97110': 4 },
  lateralityCodes: ['20610', '73560'],
};

const rules = payerPolicyRules(policy).map((d) => {
  const v = validateDataRule(d, CATALOG_IDS);
  if (!v.ok) throw new Error(`${d.id}: ${JSON.stringify(v.errors)}`);
  return compileDataRule(v.definition);
});
const run = (lines: ReturnType<typeof fixtureLine>[], diagnoses = ['E119', 'I10']): string[] =>
  scrub(fixtureClaim({ lines, diagnoses: diagnoses as Icd10Code[] }), fixtureContext(), rules).issues.map(
    (i) => `${i.ruleId} ${i.field}`,
  );

describe('payer policies as configuration', () => {
  it('produces valid definitions with stable ids, skipping indicator-9 pairs', () => {
    expect(rules.map((r) => r.id)).toEqual([
      'payer-7-non-covered',
      'payer-7-necessity-93000',
      'payer-7-bundle-99213-36415',
      'payer-7-bundle-20610-99213',
      'payer-7-units-97110',
      'payer-7-laterality',
    ]);
    expect(payerPolicyRules(policy)).toEqual(payerPolicyRules(policy));
  });

  it('fires on each policy and stays quiet on a claim that follows them', () => {
    expect(run([fixtureLine(1, '99213', 9000, [1, 2]), fixtureLine(2, '93000', 4000, [2])])).toEqual([]);
    expect(run([fixtureLine(1, '11200', 9000, [1])])).toEqual(['payer-7-non-covered lines[0].procedureCode']);
    expect(run([fixtureLine(1, '93000', 4000, [1])])).toEqual(['payer-7-necessity-93000 lines[0].diagnoses']);
    expect(run([fixtureLine(1, '93000', 4000, [1])], ['R002'])).toEqual([]); // dotted list entry matches
    expect(
      run([fixtureLine(1, '99213', 9000, [1]), fixtureLine(2, '36415', 1000, [1], { modifiers: ['59'] })]),
    ).toEqual(['payer-7-bundle-99213-36415 lines[1].procedureCode']);
    expect(
      run([
        fixtureLine(1, '20610', 9000, [1], { modifiers: ['RT'] }),
        fixtureLine(2, '99213', 9000, [1], { modifiers: ['59'] }),
      ]),
    ).toEqual(['payer-7-bundle-20610-99213 lines[1].modifiers']);
    expect(
      run([
        fixtureLine(1, '20610', 9000, [1], { modifiers: ['RT'] }),
        fixtureLine(2, '99213', 9000, [1], { modifiers: ['25'] }),
      ]),
    ).toEqual([]);
    expect(run([fixtureLine(1, '97110', 9000, [1], { units: 5 })])).toEqual([
      'payer-7-units-97110 lines[0].units',
    ]);
    expect(run([fixtureLine(1, '73560', 9000, [1])])).toEqual(['payer-7-laterality lines[0].modifiers']);
  });

  it('gives the built-in rules their settings', () => {
    const settings = payerSettingsOf(policy);
    expect(settings.timelyFilingDays).toBe(90);
    expect([...settings.priorAuthorizationCodes]).toEqual(['73721']);
    const ctx = fixtureContext({ payerSettings: () => settings });
    const mistyped = fixtureClaim({
      coverage: {
        ...fixtureClaim().coverage,
        memberId: fixtureClaim().coverage.memberId.map(() => 'W12345' as never),
      },
    });
    expect(scrub(mistyped, ctx, CATALOG).issues.map((i) => i.ruleId)).toEqual(['member-id-format']);
    expect(() => payerSettingsOf({ payerId: 1, memberIdPattern: '(a+)+' })).toThrow(/nested quantifier/);
  });
});
