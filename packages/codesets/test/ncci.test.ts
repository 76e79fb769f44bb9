import { describe, expect, it } from 'vitest';
import { addOnEdit, hasEligiblePrimary, isAddOnCode, mueFor, ptpCoverage, ptpEdit } from '@openrcm/codesets';

// This file loads the PTP table (1.68 M records) once; the table is memoized per process.
describe('NCCI procedure-to-procedure edits (practitioner, 2024-07-01 quarter)', () => {
  it('11042 / 97597 is an active edit, allowed with a modifier, found in either order', () => {
    const expected = { column1: '11042', column2: '97597', modifierIndicator: 1 };
    expect(ptpEdit('11042', '97597', '2024-07-15')).toEqual(expected);
    expect(ptpEdit('97597', '11042', '2024-07-15')).toEqual(expected);
  });

  it('a pair deleted 2023-12-31 (kept: deleted after 2023-01-01) applies through that date and not after', () => {
    expect(ptpEdit('36591', '74710', '2023-12-31')).toEqual({
      column1: '74710',
      column2: '36591',
      modifierIndicator: 0,
      deletedOn: '2023-12-31',
    });
    expect(ptpEdit('36591', '74710', '2024-01-01')).toBeUndefined();
  });

  it('a pair whose indicator changed: 58573/58570 was 1 until 2024-03-31, 0 from 2024-04-01', () => {
    expect(ptpEdit('58573', '58570', '2024-03-31')).toEqual({
      column1: '58573',
      column2: '58570',
      modifierIndicator: 1,
      deletedOn: '2024-03-31',
    });
    expect(ptpEdit('58573', '58570', '2024-04-01')).toEqual({
      column1: '58573',
      column2: '58570',
      modifierIndicator: 0,
    });
  });

  it('a pair with an old record and a re-added one picks the record in force on the date', () => {
    // 0007U/0328U: indicator 0 until 2023-06-30, then re-added with indicator 1.
    expect(ptpEdit('0007U', '0328U', '2023-06-30')?.modifierIndicator).toBe(0);
    expect(ptpEdit('0007U', '0328U', '2023-07-01')).toEqual({
      column1: '0007U',
      column2: '0328U',
      modifierIndicator: 1,
    });
  });

  it('97530 / 97140 (deleted 2019-12-31) is outside the shipped history, which starts 2023-01-01', () => {
    // Decision (README): only active pairs and pairs deleted on or after 2023-01-01 are shipped, so the
    // 2019 deletion is not reported; ptpCoverage() tells callers where history starts.
    expect(ptpCoverage()).toEqual({ quarter: '2024-07-01', historyFrom: '2023-01-01', records: 1_676_764 });
    expect(ptpEdit('97530', '97140', '2019-06-01')).toBeUndefined();
    expect(ptpEdit('97530', '97140', '2024-06-01')).toBeUndefined();
  });

  it('unrelated or malformed codes have no edit', () => {
    expect(ptpEdit('99213', 'G0008', '2024-07-01')).toBeUndefined();
    expect(ptpEdit('9921', '99213', '2024-07-01')).toBeUndefined();
  });
});

describe('NCCI medically unlikely edits (practitioner)', () => {
  it('99213 = 2 units per date of service (MAI 3), 99215 = 1, G0008 = 1 (MAI 2)', () => {
    expect(mueFor('99213')).toMatchObject({ limit: 2, mai: 3 });
    expect(mueFor('99215')?.limit).toBe(1);
    expect(mueFor('G0008')).toMatchObject({ limit: 1, mai: 2 });
    expect(mueFor('ZZZZZ')).toBeUndefined();
  });
});

describe('NCCI add-on code edits', () => {
  it('99417 is a type 1 add-on of 99205 / 99215', () => {
    const e = addOnEdit('99417');
    expect(e?.type).toBe(1);
    expect([...(e?.primaries ?? [])].sort()).toEqual(['99205', '99215']);
    expect(hasEligiblePrimary('99417', ['99215'])).toBe(true);
    expect(hasEligiblePrimary('99417', ['99213'])).toBe(false);
  });

  it('a type 2 add-on has no primary list, so eligibility cannot be decided', () => {
    expect(addOnEdit('0055T')).toMatchObject({ type: 2 });
    expect(addOnEdit('0055T')?.primaries.size).toBe(0);
    expect(hasEligiblePrimary('0055T', ['99213'])).toBeUndefined();
  });

  it('a primary procedure is not an add-on code', () => {
    expect(isAddOnCode('99213')).toBe(false);
    expect(isAddOnCode('22552')).toBe(true);
  });
});
