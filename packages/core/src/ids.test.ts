import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  ClaimId,
  Ein,
  Icd10Code,
  isValidNpi,
  LineControlNumber,
  Modifier,
  Npi,
  npiCheckDigit,
  PatientControlNumber,
  PlaceOfService,
  PracticeId,
  ProcedureCode,
  TaxonomyCode,
  Tin,
  formatEin,
} from './ids.ts';
import { OpenRcmError } from './errors.ts';

const vectors = readFileSync(new URL('../test/fixtures/npi_test_vectors.csv', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [npi = '', valid = '', ...origin] = line.split(',');
    return { npi, valid: valid === 'true', origin: origin.join(',') };
  });

describe('Npi', () => {
  it('has the CMS worked example', () => {
    expect(npiCheckDigit('123456789')).toBe(3);
    expect(isValidNpi('1234567893')).toBe(true);
    expect(isValidNpi('1234567890')).toBe(false);
  });

  it('agrees with every published test vector', () => {
    expect(vectors.length).toBeGreaterThan(50);
    for (const v of vectors) {
      expect({ npi: v.npi, valid: isValidNpi(v.npi) }).toEqual({ npi: v.npi, valid: v.valid });
      if (v.valid) expect(Npi(v.npi)).toBe(v.npi);
      else expect(() => Npi(v.npi)).toThrow(OpenRcmError);
    }
  });
});

describe('our ids', () => {
  it('accept positive safe integers from numbers, strings and bigints', () => {
    expect(PracticeId(1)).toBe(1);
    expect(PracticeId('42')).toBe(42);
    expect(ClaimId(7n)).toBe(7);
    for (const bad of [0, -1, 1.5, '01', 'x', '', null, undefined, 2 ** 53, '99999999999999999']) {
      expect(() => PracticeId(bad)).toThrow(/practice id/);
    }
  });
});

describe('external ids', () => {
  it('TIN and EIN', () => {
    expect(Tin('12-3456789')).toBe('123456789');
    expect(Tin('123-45-6789')).toBe('123456789');
    expect(() => Tin('12345678')).toThrow();
    expect(() => Tin('000000000')).toThrow();
    expect(Ein('12-3456789')).toBe('123456789');
    expect(() => Ein('07-3456789')).toThrow();
    expect(() => Ein('123-45-6789')).toThrow();
    expect(formatEin(Ein('123456789'))).toBe('12-3456789');
  });

  it('code formats', () => {
    expect(TaxonomyCode('207Q00000X')).toBe('207Q00000X');
    expect(() => TaxonomyCode('207Q00000')).toThrow();
    expect(PlaceOfService('11')).toBe('11');
    expect(() => PlaceOfService('1')).toThrow();
    expect(ProcedureCode('99213')).toBe('99213');
    expect(ProcedureCode('G0439')).toBe('G0439');
    expect(ProcedureCode('0001U')).toBe('0001U');
    expect(() => ProcedureCode('9921')).toThrow();
    expect(Modifier('25')).toBe('25');
    expect(() => Modifier('2')).toThrow();
    expect(Icd10Code('E11.9')).toBe('E119');
    expect(Icd10Code('S72001A')).toBe('S72001A');
    expect(() => Icd10Code('11.9')).toThrow();
  });

  it('X12 identifiers reject delimiters and bad lengths', () => {
    expect(PatientControlNumber('C123-1')).toBe('C123-1');
    expect(() => PatientControlNumber('A'.repeat(21))).toThrow();
    expect(() => LineControlNumber('L1*2')).toThrow();
    expect(() => LineControlNumber(' L1')).toThrow();
    expect(() => LineControlNumber('')).toThrow();
  });
});
