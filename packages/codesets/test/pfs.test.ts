import { describe, expect, it } from 'vitest';
import {
  gpcis,
  isSidedProcedure,
  localityAmountCents,
  nationalAmountCents,
  pfsEntry,
  pfsSettingForPos,
  pfsVintage,
} from '@openrcm/codesets';

describe('Medicare physician fee schedule (CY2024 July)', () => {
  it('99213 national amounts: $90.87 non-facility, $65.24 facility', () => {
    expect(pfsVintage()).toEqual({ year: 2024, conversionFactor: '33.2875' });
    expect(nationalAmountCents('99213', undefined, 'nonfacility')).toBe(9087);
    expect(nationalAmountCents('99213', '', 'facility')).toBe(6524);
    expect(pfsEntry('99213')).toMatchObject({ workRvu: 130, nonfacilityPeRvu: 133, mpRvu: 10, status: 'A' });
  });

  it('professional and technical components are separate rows; other modifiers use the global row', () => {
    expect(nationalAmountCents('71046', '26', 'nonfacility')).toBe(1032);
    expect(nationalAmountCents('71046', 'TC', 'nonfacility')).toBe(2330);
    expect(nationalAmountCents('71046', undefined, 'nonfacility')).toBe(3362);
    expect(nationalAmountCents('99213', '25', 'nonfacility')).toBe(9087);
    expect(nationalAmountCents('99213', '26', 'nonfacility')).toBeUndefined();
    expect(nationalAmountCents('ZZZZZ', undefined, 'nonfacility')).toBeUndefined();
  });

  it('bilateral surgery indicator: sided procedures are 1 (150 % for 50) and 3 (each side priced)', () => {
    expect(pfsEntry('20610')?.bilateral).toBe('1');
    expect(pfsEntry('73560')?.bilateral).toBe('3');
    expect(pfsEntry('73560', '26')?.bilateral).toBe('3');
    expect(pfsEntry('69210')?.bilateral).toBe('2');
    expect(pfsEntry('99213')?.bilateral).toBe('0');
    expect(isSidedProcedure('20610')).toBe(true);
    expect(isSidedProcedure('73721')).toBe(true);
    expect(isSidedProcedure('69210')).toBe(false);
    expect(isSidedProcedure('99213')).toBe(false);
    expect(isSidedProcedure('ZZZZZ')).toBeUndefined();
  });

  it('national amount = RVUs × CF: a locality with all GPCIs at 1.000 reproduces it', () => {
    // With GPCIs of 1.000 the locality formula is the national one; build a synthetic check from the
    // components instead of relying on a locality that happens to have all ones.
    const e = pfsEntry('99214');
    expect(e).toBeDefined();
    const totalHundredths = (e?.workRvu ?? 0) + (e?.nonfacilityPeRvu ?? 0) + (e?.mpRvu ?? 0);
    // 3.85 × 33.2875 = 128.156875 → 128.16
    expect(totalHundredths).toBe(385);
    expect(nationalAmountCents('99214', undefined, 'nonfacility')).toBe(12816);
  });

  it('locality amount for 99213 in Alabama (work 1.000, PE 0.869, MP 0.575)', () => {
    expect(gpcis().length).toBe(109);
    // (1.30 × 1 + 1.33 × 0.869 + 0.10 × 0.575) × 33.2875 = 2.51327 × 33.2875 = 83.6604... → 83.66
    expect(localityAmountCents('99213', undefined, 'nonfacility', { mac: '10112', locality: '00' })).toBe(
      8366,
    );
    expect(
      localityAmountCents('99213', undefined, 'nonfacility', { mac: '99999', locality: '00' }),
    ).toBeUndefined();
  });

  it('POS picks the facility or non-facility rate', () => {
    expect(pfsSettingForPos('11')).toBe('nonfacility');
    expect(pfsSettingForPos('22')).toBe('facility');
    expect(pfsSettingForPos('10')).toBe('nonfacility');
  });
});
