import { describe, expect, it } from 'vitest';
import {
  isKnownTaxonomy,
  isTaxonomyWellFormed,
  knownTaxonomyCodes,
  medicareSpecialtiesFor,
  nuccTaxonomy,
  taxonomySource,
} from '@openrcm/codesets';

describe('provider taxonomy (CMS Medicare crosswalk subset)', () => {
  it('internal medicine 207R00000X is known and maps to Medicare specialty 11', () => {
    expect(isTaxonomyWellFormed('207R00000X')).toBe(true);
    expect(isKnownTaxonomy('207R00000X')).toBe(true);
    expect(medicareSpecialtiesFor('207R00000X').map((s) => s.code)).toContain('11');
  });

  it('shape: 3 digits, 6 alphanumerics, X', () => {
    expect(isTaxonomyWellFormed('207R00000')).toBe(false);
    expect(isTaxonomyWellFormed('207r00000X')).toBe(false);
    expect(isTaxonomyWellFormed('207R00000Y')).toBe(false);
  });

  it('codes in the crosswalk are all well formed; a well-formed code outside it is unknown', () => {
    const codes = knownTaxonomyCodes();
    expect(codes.length).toBeGreaterThan(400);
    expect(codes.every(isTaxonomyWellFormed)).toBe(true);
    expect(isKnownTaxonomy('999999999X')).toBe(false);
    expect(medicareSpecialtiesFor('999999999X')).toEqual([]);
  });

  it('the committed data has no NUCC list (licence): the CMS subset is used', () => {
    expect(taxonomySource()).toBe('cms-crosswalk');
    expect(nuccTaxonomy('207R00000X')).toBeUndefined();
  });
});
