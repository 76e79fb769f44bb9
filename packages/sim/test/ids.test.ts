import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  MEMBER_ID_FORMATS,
  isValidMemberId,
  isValidNpi,
  makeMemberId,
  makeNpi,
  makeTin,
  npiCheckDigit,
  typoMemberId,
} from '../src/ids.ts';
import { Rng } from '../src/prng.ts';

describe('NPI check digit (Luhn over 80840 + 9 digits)', () => {
  it('matches the CMS worked example 123456789 -> 3', () => {
    expect(npiCheckDigit('123456789')).toBe(3);
    expect(isValidNpi('1234567893')).toBe(true);
    expect(isValidNpi('1234567890')).toBe(false);
  });

  it('rejects malformed NPIs', () => {
    expect(isValidNpi('123456789')).toBe(false);
    expect(isValidNpi('12345678931')).toBe(false);
    expect(isValidNpi('12345678a3')).toBe(false);
  });

  it('detects every single-digit error (Luhn property)', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        (seed, pos, delta) => {
          const npi = makeNpi(new Rng(seed), 'individual');
          expect(isValidNpi(npi)).toBe(true);
          const d = (Number(npi.charAt(pos)) + delta) % 10;
          const bad = npi.slice(0, pos) + String(d) + npi.slice(pos + 1);
          expect(isValidNpi(bad)).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('makes individual NPIs starting with 1 and organization NPIs with 2', () => {
    const r = new Rng(3);
    expect(makeNpi(r, 'individual').charAt(0)).toBe('1');
    expect(makeNpi(r, 'organization').charAt(0)).toBe('2');
  });
});

describe('member ids and TINs', () => {
  it('generates ids matching each payer format, and typos that always differ', () => {
    const r = new Rng('member');
    for (const format of MEMBER_ID_FORMATS) {
      for (let i = 0; i < 200; i++) {
        const id = makeMemberId(r, format, 'SHP');
        expect(isValidMemberId(id, format)).toBe(true);
        expect(typoMemberId(r, id).value).not.toBe(id);
      }
    }
  });

  it('makes 9-digit TINs', () => {
    const r = new Rng(1);
    for (let i = 0; i < 50; i++) expect(makeTin(r)).toMatch(/^\d{9}$/);
  });
});
