import { describe, expect, it } from 'vitest';
import { benefit, type EligibilityReject, type EligibilitySummary } from '@openrcm/x12/270-271';
import { classifyCheck, factsOf } from './classify.ts';

function summary(over: Partial<EligibilitySummary> = {}): EligibilitySummary {
  return {
    loop: '2000C',
    status: 'active',
    memberId: 'W123456789',
    groupNumber: 'G100',
    planDescription: 'GOLD PPO',
    eligibilityBegin: '2025-01-01',
    payerCorrectedDemographics: false,
    otherPayers: [],
    inNetwork: {
      officeVisitCopayCents: 2500,
      coinsuranceBasisPoints: 2000,
      deductible: { individual: { totalCents: 100000, remainingCents: 40000 } },
      outOfPocket: {},
    },
    outOfNetwork: { deductible: {}, outOfPocket: {} },
    rejects: [],
    ...over,
  };
}

const onFile = { memberId: 'W123456789', groupNumber: 'G100', planName: 'GOLD PPO', copayCents: 2500 };
const aaa = (code: string, reason: string): EligibilityReject => ({
  loop: '2100C',
  valid: false,
  reasonCode: code,
  reason,
  followUpActionCode: 'C',
  followUpAction: 'Please correct and resubmit',
});

describe('eligibility change detection', () => {
  it('active and as on file: unchanged, no action', () => {
    const r = classifyCheck({ onFile, serviceDate: '2026-03-02', summary: summary(), rejects: [] });
    expect(r).toMatchObject({ classification: 'unchanged', changedFields: [], action: 'None' });
  });

  it('the payer returns a corrected member id (REF*Q4 prior id): changed member_id', () => {
    const r = classifyCheck({
      onFile,
      serviceDate: '2026-03-02',
      summary: summary({ memberId: 'W123456788', priorMemberId: 'W123456789' }),
      rejects: [],
    });
    expect(r.classification).toBe('changed');
    expect(r.changedFields).toEqual(['member_id']);
    expect(r.action).toMatch(/insurance card/);
  });

  it('plan change since the previous check, and a new copay against the file', () => {
    const previous = factsOf(summary({ planDescription: 'SILVER HMO' }));
    const r = classifyCheck({
      onFile,
      serviceDate: '2026-03-02',
      summary: summary({ inNetwork: { officeVisitCopayCents: 4000, deductible: {}, outOfPocket: {} } }),
      rejects: [],
      previous,
    });
    expect(r.classification).toBe('changed');
    expect(r.changedFields).toEqual(['plan', 'copay']);
  });

  it('copay tiers: the copay of the appointment provider’s tier is compared, the other tier is not a change', () => {
    const tiers = [
      benefit({ code: '1', serviceTypes: ['30'] }),
      benefit({
        code: 'B',
        serviceTypes: ['98'],
        amountCents: 2500,
        messages: ['PRIMARY CARE OFFICE VISIT'],
      }),
      benefit({ code: 'B', serviceTypes: ['98'], amountCents: 5000, messages: ['SPECIALIST OFFICE VISIT'] }),
    ];
    const specialistOnFile = { ...onFile, copayCents: 5000 };
    const base = { serviceDate: '2026-03-02', summary: summary(), rejects: [], benefits: tiers };
    expect(classifyCheck({ ...base, onFile: specialistOnFile, tier: 'specialist' })).toMatchObject({
      classification: 'unchanged',
      facts: { copayCents: 5000, copayTier: 'specialist' },
    });
    // Without the tier, the summary's first copay (primary care) would have flagged a change that is not one.
    expect(classifyCheck({ ...base, onFile: specialistOnFile, benefits: [] }).changedFields).toEqual([]);
    expect(
      classifyCheck({ onFile: specialistOnFile, serviceDate: '2026-03-02', summary: summary(), rejects: [] })
        .changedFields,
    ).toEqual(['copay']);
    const changed = classifyCheck({ ...base, onFile, tier: 'specialist' });
    expect(changed).toMatchObject({ classification: 'changed', changedFields: ['copay'] });
    expect(changed.reason).toBe('payer data differs from the file: copay (specialist office visit)');
  });

  it('the payer moved the member to another plan and group: changed plan and group, verify the card', () => {
    const r = classifyCheck({
      onFile,
      serviceDate: '2026-03-02',
      summary: summary({ groupNumber: 'G20417', planDescription: 'GOLD PPO SELECT' }),
      rejects: [],
    });
    expect(r).toMatchObject({ classification: 'changed', changedFields: ['group', 'plan'] });
    expect(r.action).toMatch(/insurance card/);
    expect(r.facts).toMatchObject({ groupNumber: 'G20417', plan: 'GOLD PPO SELECT' });
    // The same plan written differently on the card and in the 271 is no change.
    const same = classifyCheck({
      onFile: { ...onFile, planName: 'Gold  PPO.' },
      serviceDate: '2026-03-02',
      summary: summary(),
      rejects: [],
    });
    expect(same.classification).toBe('unchanged');
  });

  it('secondary coverage found: EB*R names a payer not on file → changed other_coverage, collect the card', () => {
    const other = {
      role: 'secondary',
      name: 'BLUESTONE HMO',
      id: 'SIM04',
      memberId: 'BHM123456789',
    } as const;
    const r = classifyCheck({
      onFile,
      serviceDate: '2026-03-02',
      summary: summary({ otherPayers: [{ ...other, insuranceType: 'C1' }] }),
      rejects: [],
      otherCoverageOnFile: [{ payerId: 'SIM07', payerName: 'Liberty Medigap' }],
    });
    expect(r).toMatchObject({ classification: 'changed', changedFields: ['other_coverage'] });
    expect(r.reason).toBe('payer data differs from the file: other coverage not on file (BLUESTONE HMO)');
    expect(r.action).toBe(
      'Ask for the other insurance card (BLUESTONE HMO) and add it on file as secondary coverage',
    );
    expect(r.facts?.otherPayers).toEqual([{ ...other, insuranceType: 'C1' }]);
    // Already on file (same payer id): nothing to do.
    expect(
      classifyCheck({
        onFile,
        serviceDate: '2026-03-02',
        summary: summary({ otherPayers: [other] }),
        rejects: [],
        otherCoverageOnFile: [{ payerId: 'sim04' }],
      }).classification,
    ).toBe('unchanged');
    // Named primary: the order of benefits is in question.
    const primary = classifyCheck({
      onFile,
      serviceDate: '2026-03-02',
      summary: summary({ otherPayers: [{ role: 'primary', name: 'MEDICARE' }] }),
      rejects: [],
    });
    expect(primary.action).toMatch(/order of benefits/);
  });

  it('terminated mid-month: coverage ends before the appointment → lapsed', () => {
    const r = classifyCheck({
      onFile,
      serviceDate: '2026-03-20',
      summary: summary({ eligibilityEnd: '2026-03-15' }),
      rejects: [],
    });
    expect(r.classification).toBe('lapsed');
    expect(r.action).toMatch(/new insurance/);
  });

  it('inactive coverage → lapsed', () => {
    expect(
      classifyCheck({
        onFile,
        serviceDate: '2026-03-02',
        summary: summary({ status: 'inactive' }),
        rejects: [],
      }).classification,
    ).toBe('lapsed');
  });

  it('AAA 72 invalid member id → not_found, fix the member id', () => {
    const r = classifyCheck({
      onFile,
      serviceDate: '2026-03-02',
      summary: summary({ status: 'rejected' }),
      rejects: [aaa('72', 'Member id invalid or missing')],
    });
    expect(r.classification).toBe('not_found');
    expect(r.reason).toMatch(/AAA 72/);
    expect(r.action).toMatch(/member id/);
  });

  it('AAA 75 subscriber not found → not_found', () => {
    expect(
      classifyCheck({ onFile, serviceDate: '2026-03-02', rejects: [aaa('75', 'Subscriber not found')] })
        .classification,
    ).toBe('not_found');
  });

  it('AAA 42 payer unable to respond, or no answer after retries → unconfirmed', () => {
    expect(
      classifyCheck({
        onFile,
        serviceDate: '2026-03-02',
        rejects: [aaa('42', 'Payer unable to respond at this time')],
      }),
    ).toMatchObject({
      classification: 'unconfirmed',
      reason: 'Payer unable to respond at this time (AAA 42)',
    });
    expect(
      classifyCheck({ onFile, serviceDate: '2026-03-02', rejects: [], noResponse: true }).reason,
    ).toMatch(/no answer/);
  });
});
