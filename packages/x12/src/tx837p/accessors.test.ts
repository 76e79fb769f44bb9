import { describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../test/golden/837p/scenarios.ts';
import type { Claim837P } from './model.ts';
import {
  billingNpi,
  memberId,
  payerId,
  referenceValue,
  renderingNpi,
  serviceDateRange,
} from './accessors.ts';

const claimOf = (name: string, i = 0): Claim837P => {
  const c = SCENARIOS.find((s) => s.name === name)?.batch.claims[i];
  if (c === undefined) throw new Error(name);
  return c;
};

describe('837P claim accessors', () => {
  it('reads the ids a payer adjudicates on', () => {
    const c = claimOf('multi-line-modifiers');
    expect(billingNpi(c)).toBe('1548923014');
    expect(renderingNpi(c)).toBe('1987654328');
    expect(memberId(c)).toBe('ACM987654321');
    expect(payerId(c)).toBe('60054');
    expect(referenceValue(c.billingProvider.provider, 'EI')).toBe('371112222');
  });

  it('falls back to the billing NPI when there is no 2310B rendering provider', () => {
    const c = claimOf('primary-single-line');
    expect(renderingNpi(c)).toBe('1234567893');
  });

  it('spans the line dates of service, RD8 ranges included', () => {
    expect(serviceDateRange(claimOf('multi-line-modifiers'))).toEqual({
      from: '2026-02-16',
      to: '2026-02-19',
    });
  });
});
