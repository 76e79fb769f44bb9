import { describe, expect, it } from 'vitest';
import {
  GROUP_CODES,
  carc,
  claimStatusCategoryClass,
  externalCodeLists,
  groupCodes,
  isGroupCode,
  isValidCarc,
  isValidPos,
  isValidRarc,
  placesOfService,
} from '@openrcm/codesets';

describe('CARC / RARC with dates', () => {
  it('CARC 45 (charges exceed the fee schedule) is valid', () => {
    expect(isValidCarc('45', '2024-06-01')).toBe(true);
  });

  it('CARC 25 was stopped on 2008-04-01: valid before, invalid from that date', () => {
    expect(carc('25')).toEqual({ kind: 'CARC', code: '25', start: '1995-01-01', stop: '2008-04-01' });
    expect(isValidCarc('25', '2008-03-31')).toBe(true);
    expect(isValidCarc('25', '2008-04-01')).toBe(false);
    expect(isValidCarc('25', '2024-01-01')).toBe(false);
  });

  it('a CARC is not valid before its start date; P32 started 2022-08-01', () => {
    expect(isValidCarc('P32', '2022-07-31')).toBe(false);
    expect(isValidCarc('P32', '2022-08-01')).toBe(true);
  });

  it('an unknown CARC (the corpus mutation ZZZ9) is invalid', () => {
    expect(isValidCarc('ZZZ9', '2024-01-01')).toBe(false);
    expect(externalCodeLists().carc.has('ZZZ9')).toBe(false);
  });

  it('RARC M1 exists from 1997 (RARC stop dates are not in the source)', () => {
    expect(isValidRarc('M1', '2024-01-01')).toBe(true);
    expect(isValidRarc('M1', '1996-12-31')).toBe(false);
    expect(isValidRarc('N9999', '2024-01-01')).toBe(false);
  });
});

describe('group codes', () => {
  it('CO, OA, PI, PR are valid in the 835; CR only in 837 COB loops', () => {
    expect(groupCodes).toEqual(Object.keys(GROUP_CODES));
    for (const g of ['CO', 'OA', 'PI', 'PR']) expect(isGroupCode(g, '835')).toBe(true);
    expect(isGroupCode('CR', '835')).toBe(false);
    expect(isGroupCode('CR', '837')).toBe(true);
    expect(isGroupCode('XX')).toBe(false);
    expect(isGroupCode('toString')).toBe(false);
  });
});

describe('X12 external code lists', () => {
  it('place of service: 11 office valid, 1 invalid, every code has a name', () => {
    expect(isValidPos('11')).toBe(true);
    expect(isValidPos('1')).toBe(false);
    const pos = placesOfService();
    expect(pos.length).toBe(52);
    expect(pos.every((p) => p.name !== '')).toBe(true);
    expect(pos.find((p) => p.code === '10')?.name).toMatch(/home/);
  });

  it('plain sets for the X12 validator', () => {
    const lists = externalCodeLists();
    expect(lists.carc.size).toBe(405);
    expect(lists.rarc.size).toBe(1171);
    expect(lists.placeOfService.has('11')).toBe(true);
    expect(lists.placeOfService.has('1')).toBe(false);
    expect(lists.claimStatusCategory.size).toBe(48);
    expect(lists.claimStatus.size).toBe(759);
    expect(lists.claimStatusCategory.has('A7')).toBe(true);
    expect(lists.entityIdentifier.has('85')).toBe(true);
    expect(lists.serviceType.has('30')).toBe(true);
    expect(lists.serviceType.has('ZZZ')).toBe(false);
    // CARC in use on a date (295 were active at the June 2024 snapshot).
    expect(externalCodeLists('2024-06-01').carc.size).toBe(295);
    expect(externalCodeLists('2024-06-01').carc.has('25')).toBe(false);
  });

  it('claim status categories are classed by their letter', () => {
    expect(claimStatusCategoryClass('A7')).toBe('acknowledgement');
    expect(claimStatusCategoryClass('F1')).toBe('finalized');
    expect(claimStatusCategoryClass('Q1')).toBeUndefined();
  });
});
