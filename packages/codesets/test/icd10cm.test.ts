import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { icd10cm } from '@openrcm/codesets';

// Known answers from /work/shared/external/codesets/SOURCES.md spot checks.
describe('ICD-10-CM billable look-up by date of service', () => {
  it('E11.9 and I10 are billable in every shipped fiscal year, with or without the dot', () => {
    for (const dos of ['2023-10-01', '2024-09-30', '2024-10-01', '2025-10-01', '2026-10-01', '2027-09-30']) {
      expect(icd10cm.isBillable('E11.9', dos)).toBe(true);
      expect(icd10cm.isBillable('E119', dos)).toBe(true);
      expect(icd10cm.isBillable('I10', dos)).toBe(true);
    }
  });

  it('E11 is a header: it exists but cannot be billed', () => {
    expect(icd10cm.exists('E11')).toBe(true);
    expect(icd10cm.isBillable('E11', '2024-05-01')).toBe(false);
    expect(icd10cm.status('E11', '2024-05-01')).toBe('header');
  });

  it('G35 is billable through FY2025 and a header from 2025-10-01 (G35.A.. added in FY2026)', () => {
    expect(icd10cm.isBillable('G35', '2025-09-30')).toBe(true);
    expect(icd10cm.isBillable('G35', '2025-10-01')).toBe(false);
    expect(icd10cm.status('G35', '2025-10-01')).toBe('header');
    expect(icd10cm.lookup('G35')?.byFiscalYear).toEqual({
      2024: 'billable',
      2025: 'billable',
      2026: 'header',
      2027: 'header',
    });
  });

  it('a code added in FY2025 is not in the release for a date in FY2024', () => {
    // C81.0A was added on 2024-10-01 (FY2025 change list).
    expect(icd10cm.status('C81.0A', '2024-09-30')).toBe('not-in-release');
    expect(icd10cm.isBillable('C81.0A', '2024-10-01')).toBe(true);
  });

  it('a code deleted in FY2025 is billable until 2024-09-30 and not in the release after', () => {
    // T81.32XA was deleted on 2024-10-01 (FY2025 change list).
    expect(icd10cm.isBillable('T81.32XA', '2024-09-30')).toBe(true);
    expect(icd10cm.status('T81.32XA', '2024-10-01')).toBe('not-in-release');
    expect(icd10cm.exists('T81.32XA')).toBe(true);
  });

  it('suggests the billable codes under a header, per date of service', () => {
    expect(icd10cm.billableUnder('E11.6', '2024-05-01', 3)).toEqual(['E11610', 'E11618', 'E11620']);
    expect(icd10cm.billableUnder('G35', '2025-09-30')).toEqual([]);
    expect(icd10cm.billableUnder('G35', '2025-10-01').length).toBeGreaterThan(0);
    expect(icd10cm.billableUnder('E11.9', '2024-05-01')).toEqual([]);
  });

  it('dates outside the shipped fiscal years and unknown codes are told apart', () => {
    expect(icd10cm.fiscalYears()).toEqual([2024, 2025, 2026, 2027]);
    expect(icd10cm.status('E11.9', '2023-09-30')).toBe('year-not-loaded');
    expect(icd10cm.status('E11.9', '2027-10-01')).toBe('year-not-loaded');
    expect(icd10cm.status('Z99.999', '2024-05-01')).toBe('unknown-code');
    expect(icd10cm.isBillable('E11.9', '2023-09-30')).toBe(false);
  });

  it('normalizes case and the dot, and rejects misplaced dots', () => {
    expect(icd10cm.normalize(' e11.9 ')).toBe('E119');
    expect(icd10cm.normalize('E1.19')).toBeUndefined();
    expect(icd10cm.normalize('E11.')).toBeUndefined();
    expect(icd10cm.lookup('e11.65')?.dotted).toBe('E11.65');
  });

  it('rejects a date that is not YYYY-MM-DD', () => {
    expect(() => icd10cm.isBillable('E11.9', '2024-02-30')).toThrow(RangeError);
    expect(() => icd10cm.isBillable('E11.9', '05/01/2024')).toThrow(RangeError);
  });

  it('the fiscal year turns on October 1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2000, max: 2100 }), fc.integer({ min: 1, max: 12 }), (year, month) => {
        const date = `${year}-${String(month).padStart(2, '0')}-15`;
        expect(icd10cm.fiscalYearOf(date)).toBe(month >= 10 ? year + 1 : year);
      }),
    );
  });

  it('every billable code survives dotted → normalize', () => {
    const codes = icd10cm.billableCodes(2025);
    expect(codes.length).toBe(74_260); // FY2025 billable total (SOURCES.md)
    fc.assert(
      fc.property(fc.constantFrom(...codes), (code) => {
        expect(icd10cm.normalize(icd10cm.dotted(code))).toBe(code);
      }),
    );
  });

  it('billable totals per fiscal year equal the published counts', () => {
    expect(icd10cm.billableCodes(2024).length).toBe(74_044);
    expect(icd10cm.billableCodes(2026).length).toBe(74_719);
    expect(icd10cm.billableCodes(2027).length).toBe(74_879);
  });
});

describe('Medicare Code Editor age / sex edits (MS-DRG v41.1)', () => {
  it('O09.00 (supervision of pregnancy) is maternity and female only', () => {
    expect(icd10cm.mceEdits('O09.00')).toEqual({ age: 'maternity', sex: 'F', manifestation: false });
    expect(icd10cm.patientConflicts('O09.00', { ageYears: 30, sex: 'F' })).toEqual([]);
    expect(icd10cm.patientConflicts('O09.00', { ageYears: 70, sex: 'M' })).toEqual(['age', 'sex']);
  });

  it('C61 (prostate cancer) is male only; unknown sex never conflicts', () => {
    expect(icd10cm.patientConflicts('C61', { ageYears: 70, sex: 'F' })).toEqual(['sex']);
    expect(icd10cm.patientConflicts('C61', { ageYears: 70, sex: 'U' })).toEqual([]);
  });

  it('A33 (tetanus neonatorum) is newborn only; F02.80 is a manifestation code', () => {
    expect(icd10cm.patientConflicts('A33', { ageYears: 0, sex: 'M' })).toEqual([]);
    expect(icd10cm.patientConflicts('A33', { ageYears: 1, sex: 'M' })).toEqual(['age']);
    expect(icd10cm.mceEdits('F02.80')?.manifestation).toBe(true);
    expect(icd10cm.mceEdits('E11.9')).toBeUndefined();
  });
});
