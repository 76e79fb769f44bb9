import { describe, expect, it } from 'vitest';
import {
  hcpcsLevel2,
  isCptWellFormed,
  isHcpcsLevel2,
  isProcedureCode,
  isValidModifier,
  modifier,
  modifiers,
} from '@openrcm/codesets';

describe('procedure codes', () => {
  it('CPT well-formedness: 5 digits, or 4 digits + F / T / U / M', () => {
    for (const ok of ['99213', '00100', '3074F', '0075T', '0001U', '0002M'])
      expect(isCptWellFormed(ok)).toBe(true);
    for (const bad of ['9921', '992133', 'G0008', '9921A', '3074f', ' 99213'])
      expect(isCptWellFormed(bad)).toBe(false);
  });

  it('HCPCS Level II codes from the CMS file, with dates', () => {
    expect(isHcpcsLevel2('G0008', '2024-01-01')).toBe(true);
    expect(hcpcsLevel2('G0008')).toMatchObject({
      kind: 'procedure',
      added: '1994-01-01',
      source: 'hcpcs2019',
    });
    expect(isHcpcsLevel2('G0008', '1993-12-31')).toBe(false); // before it was added
    expect(isHcpcsLevel2('99213', '2024-01-01')).toBe(false); // CPT, not Level II
    expect(isHcpcsLevel2('XE', '2024-01-01')).toBe(false); // a modifier, not a procedure
  });

  it('Level II codes created after 2019 are known from the 2024 CMS tables', () => {
    expect(isHcpcsLevel2('G2211', '2024-01-01')).toBe(true);
    expect(hcpcsLevel2('G2211')?.source).toBe('cms-tables');
  });

  it('a terminated code is valid through its termination date only', () => {
    const terminated = modifiers().find((m) => m.code === 'CP');
    expect(terminated?.terminated).toBe('2017-12-31');
    expect(isValidModifier('CP', '2017-12-31')).toBe(true);
    expect(isValidModifier('CP', '2018-01-01')).toBe(false);
  });

  it('isProcedureCode accepts CPT shapes and Level II codes', () => {
    expect(isProcedureCode('99213', '2024-01-01')).toBe(true);
    expect(isProcedureCode('G2211', '2024-01-01')).toBe(true);
    expect(isProcedureCode('Q9999', '2024-01-01')).toBe(false);
  });
});

describe('modifiers', () => {
  it('the common CPT and Level II modifiers are valid in 2024', () => {
    const common = ['25', '59', '26', 'TC', '50', '51', '76', '77', '79', '91', 'XE', 'XS', 'XP', 'XU'];
    const level2 = ['LT', 'RT', 'GA', 'GY', 'GZ', 'KX', 'JW', 'JZ', 'FS', 'FT', 'QW', 'GT', '95'];
    for (const m of [...common, ...level2]) expect(isValidModifier(m, '2024-03-01'), m).toBe(true);
  });

  it('levels and provenance', () => {
    expect(modifier('25')).toMatchObject({ level: 'cpt' });
    expect(modifier('XE')).toMatchObject({ level: 'hcpcs', effective: '2015-01-01', source: 'hcpcs2019' });
    expect(modifier('JZ')).toMatchObject({ level: 'hcpcs', effective: '2023-01-01' });
  });

  it('modifiers introduced later are not valid before their start', () => {
    expect(isValidModifier('XE', '2014-12-31')).toBe(false);
    expect(isValidModifier('JZ', '2022-12-31')).toBe(false);
    expect(isValidModifier('93', '2021-12-31')).toBe(false);
  });

  it('unknown modifiers are invalid', () => {
    expect(isValidModifier('ZZ9', '2024-01-01')).toBe(false);
    expect(isValidModifier('00', '2024-01-01')).toBe(false);
  });
});
