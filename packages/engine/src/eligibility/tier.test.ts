import { describe, expect, it } from 'vitest';
import { benefit } from '@openrcm/x12/270-271';
import { copayTierOf, officeVisitCopay, tierOfMessages } from './tier.ts';

const copay = (cents: number, msg?: string, network = 'Y') =>
  benefit({
    code: 'B',
    serviceTypes: ['98'],
    amountCents: cents,
    inPlanNetwork: network,
    ...(msg === undefined ? {} : { messages: [msg] }),
  });

describe('office-visit copay tiers', () => {
  it('tells primary care from specialists by NUCC taxonomy', () => {
    expect(copayTierOf('207Q00000X')).toBe('primary_care');
    expect(copayTierOf('363LF0000X')).toBe('primary_care');
    expect(copayTierOf('207RC0000X')).toBe('specialist');
    expect(copayTierOf('363A00000X')).toBe('specialist');
    expect(copayTierOf(null)).toBeUndefined();
    expect(tierOfMessages(['SPECIALIST OFFICE VISIT'])).toBe('specialist');
    expect(tierOfMessages(['Primary care physician visit'])).toBe('primary_care');
    expect(tierOfMessages(['PCP'])).toBe('primary_care');
    expect(tierOfMessages(['RECERT MONTH=12'])).toBeUndefined();
  });

  it('takes the copay of the tier asked for when the payer gives both (MSG names the tier)', () => {
    const both = [
      benefit({ code: '1', serviceTypes: ['30'] }),
      copay(2500, 'PRIMARY CARE OFFICE VISIT'),
      copay(5000, 'SPECIALIST OFFICE VISIT'),
      copay(9000, 'SPECIALIST OFFICE VISIT', 'N'),
    ];
    expect(officeVisitCopay(both, 'specialist')).toEqual({ cents: 5000, tier: 'specialist' });
    expect(officeVisitCopay(both, 'primary_care')).toEqual({ cents: 2500, tier: 'primary_care' });
    // Tier unknown and no untiered copay: no copay to compare.
    expect(officeVisitCopay(both, undefined)).toBeUndefined();
    // An untiered copay beside tiered ones is the fallback.
    expect(officeVisitCopay([copay(2500, 'PRIMARY CARE OFFICE VISIT'), copay(3000)], 'specialist')).toEqual({
      cents: 3000,
    });
  });

  it('a single copay is the payer’s answer for the provider asked about', () => {
    expect(officeVisitCopay([copay(5000, 'SPECIALIST OFFICE VISIT')], 'primary_care')).toEqual({
      cents: 5000,
      tier: 'specialist',
    });
    expect(officeVisitCopay([copay(300)], 'specialist')).toEqual({ cents: 300 });
    // Service type 30 only when there is no office-visit (98) copay; out-of-network never.
    expect(
      officeVisitCopay([benefit({ code: 'B', serviceTypes: ['30'], amountCents: 1000 })], 'specialist'),
    ).toEqual({ cents: 1000 });
    expect(officeVisitCopay([copay(9000, undefined, 'N')], 'specialist')).toBeUndefined();
    expect(officeVisitCopay([], 'specialist')).toBeUndefined();
  });
});
