import type { CalendarDate } from '@openrcm/core';
import { describe, expect, it } from 'vitest';
import { codesetsAdapter } from './codesets-adapter.ts';
import { FIXTURE_CODE_SETS } from './fixtures.ts';

// The fixture code sets claim to hold real facts: check each of them against the shipped tables, so the
// fixture cannot drift from the data the scrubber runs on in production.
describe('codesetsAdapter agrees with the fixture code sets', () => {
  const real = codesetsAdapter();
  const dates = ['2024-05-01', '2025-03-01', '2025-11-01', '2026-10-20', '2023-05-02'] as CalendarDate[];

  it('ICD-10-CM statuses', () => {
    for (const code of [
      'E119',
      'E11',
      'E11A',
      'B880',
      'I10',
      'J069',
      'M545',
      'M5450',
      'Z0000',
      'N400',
      'C61',
      'N951',
      'Z00121',
      'G63',
      'Q9999',
    ]) {
      for (const dos of dates)
        expect(real.icd10Status(code, dos), `${code} ${dos}`).toBe(FIXTURE_CODE_SETS.icd10Status(code, dos));
    }
  });

  it('NCCI MUE, PTP and add-on rows', () => {
    const dos = '2026-10-20' as CalendarDate;
    for (const code of ['97110', '99213', '20610', '36415', '11042', '93000', '99486', '99396'])
      expect(real.mue(code), code).toMatchObject(FIXTURE_CODE_SETS.mue(code) ?? {});
    for (const [a, b] of [
      ['20610', '99213'],
      ['99214', '99213'],
      ['93000', '93010'],
      ['96372', '99211'],
      ['99203', '99202'],
      ['20611', '20610'],
      ['99213', '93000'],
    ] as const) {
      expect(real.ptpEdit(a, b, dos), `${a}/${b}`).toEqual(FIXTURE_CODE_SETS.ptpEdit(a, b, dos));
    }
    for (const code of ['11045', '99417'])
      expect(real.addOn(code)).toMatchObject(FIXTURE_CODE_SETS.addOn(code) ?? {});
  });

  it('Medicare Code Editor edits', () => {
    for (const code of ['N400', 'C61', 'N951', 'Z00121', 'G63', 'E119']) {
      expect(real.diagnosisEdits(code), code).toEqual(FIXTURE_CODE_SETS.diagnosisEdits(code));
    }
  });

  it('procedure codes, modifiers and POS', () => {
    const dos = '2026-10-20' as CalendarDate;
    for (const code of ['J1100', 'G0439', 'Z9999'])
      expect(real.isHcpcsLevel2(code, dos), code).toBe(FIXTURE_CODE_SETS.isHcpcsLevel2(code, dos));
    for (const m of ['25', '59', 'XU', 'GP', 'LT', 'ZZ'])
      expect(real.isValidModifier(m, dos), m).toBe(FIXTURE_CODE_SETS.isValidModifier(m, dos));
    for (const p of ['11', '21', '22', '02', '10', '98'])
      expect(real.isValidPos(p), p).toBe(FIXTURE_CODE_SETS.isValidPos(p));
    expect(real.isCptWellFormed('0001U')).toBe(true);
  });
});
