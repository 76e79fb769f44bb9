import type { CalendarDate, ClaimId, Icd10Code } from '@openrcm/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CATALOG } from './catalog.ts';
import { codesetsAdapter } from './codesets-adapter.ts';
import { fixtureClaim, fixtureContext, fixtureLine } from './fixtures.ts';
import { duplicateKeyOf, duplicateKeys } from './rules/payer.ts';
import { scrub, scrubAll } from './scrub.ts';

describe('scrub', () => {
  it('is clean for the fixture claim with the real code sets', () => {
    expect(scrub(fixtureClaim(), fixtureContext({ codeSets: codesetsAdapter() }))).toEqual({
      issues: [],
      holds: [],
      clean: true,
    });
  });

  it('reports malformed data instead of throwing, even with the real code sets', () => {
    // Scenario: a charge imported with a garbled date and a blank code. The code-set look-ups need valid
    // dates; rules skip what tr3-required already reports rather than crash the batch.
    const claim = fixtureClaim({
      firstServiceDate: 'garbage' as CalendarDate,
      diagnoses: ['E119'] as Icd10Code[],
      lines: [
        fixtureLine(1, '', 100, [1], { serviceDate: '2026-13-45' as CalendarDate, modifiers: ['25'] }),
        fixtureLine(2, '99213', 100, [1], { serviceDate: '2026-13-45' as CalendarDate }),
      ],
    });
    const result = scrub(claim, fixtureContext({ codeSets: codesetsAdapter() }));
    expect(result.clean).toBe(false);
    expect(result.issues.filter((i) => i.ruleId === 'tr3-required').map((i) => i.field)).toEqual([
      'lines[0].procedureCode',
      'lines[0].serviceDate',
      'lines[1].serviceDate',
    ]);
  });

  it('is deterministic: same input, same output, in catalog order', () => {
    const claim = fixtureClaim({
      totalChargeCents: 5 as never,
      lines: [
        fixtureLine(1, '20610', 9000, [1, 3], { modifiers: ['25', 'LT', 'RT'] }),
        fixtureLine(2, '99213', 9000, [1]),
      ],
    });
    const ctx = fixtureContext({ eligibility: 'unconfirmed' });
    const a = scrub(claim, ctx);
    expect(scrub(claim, ctx)).toEqual(a);
    const order = new Map(CATALOG.map((r, i) => [r.id, i]));
    const positions = a.issues.map((i) => order.get(i.ruleId) ?? -1);
    expect(positions).toEqual([...positions].sort((x, y) => x - y));
    expect(a.issues.map((i) => `${i.ruleId} ${i.severity} ${i.field}`)).toEqual([
      'total-equals-lines error totalChargeCents',
      'diagnosis-pointers error lines[0].diagnosisPointers[1]',
      'modifier-25-em error lines[0].modifiers[0]',
      'modifier-lt-rt error lines[0].modifiers',
      'ncci-ptp error lines[1].procedureCode',
      'eligibility-hold warning coverage',
    ]);
  });

  it('keeps warnings from holding the claim', () => {
    const result = scrub(fixtureClaim(), fixtureContext({ eligibility: 'unconfirmed' }));
    expect(result.issues.map((i) => i.ruleId)).toEqual(['eligibility-hold']);
    expect(result).toMatchObject({ clean: true, holds: [] });
    expect(result.issues[0]?.hold).toBeUndefined();
  });
});

describe('scrub on arbitrary claims (property)', () => {
  const codeSets = codesetsAdapter();
  const code = fc.oneof(
    fc.constantFrom(
      '99213',
      '99214',
      '20610',
      '93000',
      '11045',
      '97110',
      'J1100',
      'Z9999',
      '',
      '9921',
      '99222',
      '96372',
      '99211',
    ),
    fc.stringMatching(/^[0-9A-Z]{0,6}$/),
  );
  const mod = fc.oneof(
    fc.constantFrom('25', '59', 'XU', 'XS', 'LT', 'RT', '50', 'GP', 'ZZ'),
    fc.stringMatching(/^[0-9A-Z]{0,3}$/),
  );
  const date = fc.oneof(
    fc
      .integer({ min: 0, max: 1500 })
      .map((n) => new Date(Date.UTC(2023, 0, 1) + n * 86_400_000).toISOString().slice(0, 10)),
    fc.constantFrom('', '2026-02-30', 'garbage', '0000-00-00'),
  );
  const line = fc.record({
    code,
    mods: fc.array(mod, { maxLength: 5 }),
    units: fc.oneof(fc.integer({ min: -1, max: 10 }), fc.constant(Number.NaN), fc.constant(1.5)),
    charge: fc.integer({ min: -100, max: 100_000 }),
    pointers: fc.array(fc.integer({ min: -1, max: 14 }), { maxLength: 5 }),
    date,
  });
  const dx = fc.array(
    fc.oneof(
      fc.constantFrom('E119', 'E11', 'G63', 'C61', 'B880', 'I10'),
      fc.stringMatching(/^[A-Z0-9]{0,7}$/),
    ),
    {
      maxLength: 13,
    },
  );

  it('never throws, and is clean exactly when no error is reported', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 0, maxLength: 6 }), dx, date, (lines, diagnoses, asOf) => {
        const claim = fixtureClaim({
          diagnoses: diagnoses as Icd10Code[],
          lines: lines.map((l, i) =>
            fixtureLine(i + 1, l.code, l.charge, l.pointers, {
              modifiers: l.mods,
              units: l.units,
              serviceDate: l.date as CalendarDate,
            }),
          ),
        });
        const result = scrub(
          claim,
          fixtureContext({ codeSets, asOf: (asOf === '' ? '2026-11-02' : asOf) as CalendarDate }),
        );
        expect(result.clean).toBe(!result.issues.some((i) => i.severity === 'error'));
        expect(result.holds.length > 0).toBe(!result.clean);
      }),
      { numRuns: 400 },
    );
  });
});

describe('duplicate keys', () => {
  it('from database rows equal the keys of the claim lines', () => {
    const claim = fixtureClaim({ lines: [fixtureLine(1, '20610', 9000, [1], { modifiers: ['RT', '59'] })] });
    expect(duplicateKeys(claim)).toEqual([
      duplicateKeyOf({
        patientId: 9001,
        payerId: 7,
        serviceDate: '2026-10-20',
        procedureCode: '20610',
        modifiers: ['59', 'RT'],
      }),
    ]);
  });
});

describe('scrubAll', () => {
  it('catches the same visit keyed in twice within one run', () => {
    // Scenario: the front desk entered the visit twice; both claims are built the same night.
    const first = fixtureClaim();
    const second = fixtureClaim({ claimId: 502 as ClaimId, patientControlNumber: '502' });
    const ctx = fixtureContext();
    const results = [...scrubAll([first, second], ctx)].map((r) => r.result);
    expect(results[0]?.clean).toBe(true);
    expect(results[1]?.issues.map((i) => `${i.ruleId} ${i.field}`)).toEqual([
      'duplicate-claim lines[0].procedureCode',
      'duplicate-claim lines[1].procedureCode',
    ]);
    expect(ctx.submitted.size).toBe(0);
  });
});
