import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCorpus } from '../../test/corpus.ts';
import { REQUESTS, ENVELOPE_270, INQUIRY_HEADER } from '../../test/golden/270/scenarios.ts';
import { statusCodeLists } from '../../test/status-code-lists.ts';
import { X12WriteError } from '../core/writer.ts';
import { formatBasisPoints, parseBasisPoints, parseEligibility } from './read.ts';
import { buildEligibilityInquiry, inquiryItems, write270Batch } from './inquiry.ts';
import {
  benefit,
  eligibilityResponse,
  officeVisitAnswer,
  rejection,
  type NetworkBenefits,
} from './response.ts';
import { ENVELOPE_271 } from '../../test/golden/271/scenarios.ts';
import { coveredOn, eligibilityRejects, summarizeEligibility } from './summary.ts';
import { writeEligibilityInterchange } from './write.ts';
import { rejectReasonText } from './codes.ts';

const golden = (name: string): string =>
  readFileSync(join(import.meta.dirname, '..', '..', 'test', 'golden', name), 'utf8');

function only271(text: string) {
  const r = parseEligibility(text);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.value;
}

describe('271 front-desk summary', () => {
  it('active PPO: copay, coinsurance, deductible and out-of-pocket on both sides of the network, PCP', () => {
    const [tx] = only271(golden('271/active-benefits.edi'));
    const [s] = summarizeEligibility(tx!);
    expect(s).toMatchObject({
      loop: '2000C',
      traceNumber: 'CHK-0001',
      payerName: 'SUMMIT HEALTH PLAN',
      payerId: '60054',
      status: 'active',
      planBegin: '2026-01-01',
      planDescription: 'SUMMIT PPO GOLD',
      insuranceType: 'PR',
      groupNumber: 'GRP5501',
      groupName: 'MAPLE STREET BAKERY',
      memberId: 'SHP100200300',
      lastName: 'RIVERA',
      firstName: 'ANA',
      demographics: { format: 'D8', birthDate: '1984-07-12', gender: 'F' },
      payerCorrectedDemographics: false,
      primaryCareProvider: { name: 'LILY CHEN', idQualifier: 'XX', id: '1679576722', phone: '2175550142' },
      inNetwork: {
        officeVisitCopayCents: 2500,
        coinsuranceBasisPoints: 2000,
        deductible: {
          individual: { totalCents: 150000, remainingCents: 82050 },
          family: { totalCents: 300000, remainingCents: 210000 },
        },
        outOfPocket: { individual: { totalCents: 600000, remainingCents: 425075 } },
      },
      outOfNetwork: { officeVisitCopayCents: 6000, coinsuranceBasisPoints: 4000 },
      rejects: [],
    });
    expect(coveredOn(s!, '2026-03-02')).toBe(true);
    expect(coveredOn(s!, '2025-12-31')).toBe(false);
  });

  it('plan coverage decides the status: an active vision benefit does not make an inactive plan active', () => {
    const text = golden('271/inactive.edi').replace('EB*6*IND*30*C1~', 'EB*1*IND*AL*C1~\nEB*6*IND*30*C1~');
    const [tx] = parseEligibility(text).value;
    expect(summarizeEligibility(tx!)[0]?.status).toBe('inactive');
  });

  it('terminated coverage reads as inactive with the plan end date, not covered on the visit date', () => {
    const [tx] = only271(golden('271/inactive.edi'));
    const [s] = summarizeEligibility(tx!);
    expect(s).toMatchObject({ status: 'inactive', planBegin: '2024-01-01', planEnd: '2026-01-31' });
    expect(coveredOn(s!, '2026-03-02')).toBe(false);
  });

  it('AAA rejects come back with readable reasons; a payer-level 42 leaves no member to summarise', () => {
    const [invalidId, notFound, unable] = only271(golden('271/rejects.edi'));
    expect(summarizeEligibility(invalidId!)[0]).toMatchObject({
      status: 'rejected',
      rejects: [
        {
          loop: '2100C',
          valid: false,
          reasonCode: '72',
          reason: 'Member id invalid or missing',
          followUpActionCode: 'C',
          followUpAction: 'Correct and resubmit',
        },
      ],
    });
    const [subscriber, dependent] = summarizeEligibility(notFound!);
    expect(subscriber?.rejects.map((r) => r.reason)).toEqual(['Subscriber not found']);
    // The dependent inherits the subscriber-level reject: her coverage cannot be confirmed either.
    expect(dependent).toMatchObject({ loop: '2000D', status: 'rejected', memberId: 'SHP400500600' });
    expect(summarizeEligibility(unable!)).toEqual([]);
    expect(eligibilityRejects(unable!)).toEqual([
      {
        loop: '2100A',
        valid: true,
        reasonCode: '42',
        reason: 'Payer unable to respond at this time',
        followUpActionCode: 'R',
        followUpAction: 'Resubmission allowed',
      },
    ]);
  });

  it('a provider the payer does not know (2100B AAA 51) gets no member levels; HL04 stays 1 as in the TR3', () => {
    const request = buildEligibilityInquiry(REQUESTS[0]!, INQUIRY_HEADER);
    const tx = eligibilityResponse(request, { date: '2026-03-01', time: '1900' }, () => undefined, {
      receiver: () => [rejection('51', 'N', false)],
    });
    const text = writeEligibilityInterchange([tx], ENVELOPE_271);
    expect(text).toContain('HL*2*1*21*1~');
    const r = parseEligibility(text);
    expect(r.diagnostics).toEqual([]);
    expect(summarizeEligibility(r.value[0]!)).toEqual([]);
    expect(eligibilityRejects(r.value[0]!).map((x) => [x.loop, x.reasonCode, x.reason])).toEqual([
      ['2100B', '51', 'Provider not on file with the payer'],
    ]);
  });

  it('reads the TR3 example 271: $10 in-network and $30 out-of-network visit copay, PCP Marcus Jones', () => {
    const [tx] = only271(readCorpus('271/lfh__dependent-health-benefit-check.271'));
    const [subscriber, dependent] = summarizeEligibility(tx!);
    expect(subscriber?.status).toBe('unknown');
    expect(dependent).toMatchObject({
      loop: '2000D',
      status: 'active',
      planBegin: '2006-01-01',
      planDescription: 'GOLD 123 PLAN',
      memberId: '123456789',
      firstName: 'MARY',
      primaryCareProvider: { name: 'MARCUS JONES', idQualifier: 'SV', id: '0202034' },
      inNetwork: { officeVisitCopayCents: 1000 },
      outOfNetwork: { officeVisitCopayCents: 3000 },
    });
    expect(dependent?.otherPayers).toEqual([]);
  });

  it('reads other coverage (EB*R with its 2120 entity and plan number) from the eMedNY sample 271', () => {
    const [tx] = only271(readCorpus('271/emedny__271SampleEligible.txt'));
    const [member] = summarizeEligibility(tx!);
    expect(member?.otherPayers).toEqual([
      { role: 'unknown', name: 'MEDICARE ABD', planNumber: '012345679C1' },
    ]);
  });
});

describe('officeVisitAnswer → 271 → summary', () => {
  const cents = fc.option(fc.integer({ min: 0, max: 5_000_000 }), { nil: undefined });
  const acc = fc.option(fc.record({ totalCents: cents, remainingCents: cents }, { requiredKeys: [] }), {
    nil: undefined,
  });
  // fast-check's optional keys allow explicit undefined, which exactOptionalPropertyTypes rejects; the
  // writer treats both the same.
  const side = fc.record(
    {
      officeVisitCopayCents: cents,
      coinsuranceBasisPoints: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: undefined }),
      deductible: fc.record({ individual: acc, family: acc }, { requiredKeys: [] }),
      outOfPocket: fc.record({ individual: acc, family: acc }, { requiredKeys: [] }),
    },
    { requiredKeys: [] },
  ) as unknown as fc.Arbitrary<NetworkBenefits>;
  /** What the summary reports for a side: the same values, with undefined and empty parts dropped. */
  const expected = (n: NetworkBenefits) => {
    const clean = (
      a: { totalCents?: number | undefined; remainingCents?: number | undefined } | undefined,
    ) => {
      if (a === undefined) return undefined;
      const o = JSON.parse(JSON.stringify(a)) as object;
      return Object.keys(o).length === 0 ? undefined : o;
    };
    return JSON.parse(
      JSON.stringify({
        officeVisitCopayCents: n.officeVisitCopayCents,
        coinsuranceBasisPoints: n.coinsuranceBasisPoints,
        deductible: { individual: clean(n.deductible?.individual), family: clean(n.deductible?.family) },
        outOfPocket: { individual: clean(n.outOfPocket?.individual), family: clean(n.outOfPocket?.family) },
      }),
    ) as unknown;
  };

  it('a simulated payer answer written as a 271 reads back to the same front-desk figures', () => {
    fc.assert(
      fc.property(side, side, (inNetwork, outOfNetwork) => {
        const request = buildEligibilityInquiry(REQUESTS[0]!, INQUIRY_HEADER);
        const answer = officeVisitAnswer({
          status: 'active',
          planBegin: '2026-01-01',
          planDescription: 'PPO',
          groupNumber: 'G1',
          inNetwork,
          outOfNetwork,
          primaryCareProvider: { lastName: 'CHEN', firstName: 'LILY', npi: '1679576722' },
        });
        const tx = eligibilityResponse(request, { date: '2026-03-01', time: '1900' }, () => answer);
        const [read] = parseEligibility(writeEligibilityInterchange([tx], ENVELOPE_271)).value;
        const [s] = summarizeEligibility(read!);
        expect(s?.status).toBe('active');
        expect(s?.groupNumber).toBe('G1');
        expect(s?.primaryCareProvider).toEqual({ name: 'LILY CHEN', idQualifier: 'XX', id: '1679576722' });
        expect(s?.inNetwork).toEqual(expected(inNetwork));
        expect(s?.outOfNetwork).toEqual(expected(outOfNetwork));
      }),
      { numRuns: 60 },
    );
  });
});

describe('270 batch builder', () => {
  it('refuses a request it cannot send, naming the field and never the value', () => {
    const bad = { ...REQUESTS[0]!, subscriber: { ...REQUESTS[0]!.subscriber, memberId: '' } };
    expect(() => buildEligibilityInquiry(bad, INQUIRY_HEADER)).toThrow(X12WriteError);
    expect(() => buildEligibilityInquiry(bad, INQUIRY_HEADER)).toThrow(/subscriber\.memberId/);
    const badNpi = { ...REQUESTS[0]!, provider: { ...REQUESTS[0]!.provider, npi: '12345' } };
    expect(() => buildEligibilityInquiry(badNpi, INQUIRY_HEADER)).toThrow(/provider\.npi/);
    try {
      buildEligibilityInquiry(bad, INQUIRY_HEADER);
    } catch (e) {
      expect(String(e)).not.toContain('RIVERA');
    }
  });

  it('a payer reads the batch back as flat questions: trace, member, patient, date, service types', () => {
    const items = parseEligibility(golden('270/batch.edi')).value.flatMap(inquiryItems);
    expect(
      items.map((i) => [
        i.traceNumber,
        i.payerId,
        i.memberId,
        i.dependent?.firstName,
        i.birthDate,
        i.serviceDate,
        i.serviceTypes,
      ]),
    ).toEqual([
      ['CHK-0001', '60054', 'SHP100200300', undefined, '1984-07-12', '2026-03-02', ['30']],
      ['CHK-0002', '60054', 'SHP400500600', 'AMARA', '2015-09-21', '2026-03-02', ['30', '98']],
      ['CHK-0003', '87726', 'RM77881', undefined, '1984-07-12', '2026-03-02', ['30']],
    ]);
  });

  it('every generated 270 reads back conforming, for any batch size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), (n) => {
        const requests = Array.from({ length: n }, (_, i) => ({
          ...REQUESTS[i % REQUESTS.length]!,
          traceNumber: `CHK-${i}`,
        }));
        const text = write270Batch(requests, INQUIRY_HEADER, ENVELOPE_270);
        const r = parseEligibility(text, { codeLists: statusCodeLists() });
        expect(r.diagnostics).toEqual([]);
        expect(r.value.map((t) => t.sources[0]?.receivers[0]?.subscribers.length)).toEqual(
          Array.from({ length: n }, () => 1),
        );
      }),
      { numRuns: 20 },
    );
  });

  it('the writer refuses a 271 it knows to be invalid (EB01 not a benefit code)', () => {
    const request = buildEligibilityInquiry(REQUESTS[0]!, INQUIRY_HEADER);
    const bad = eligibilityResponse(request, { date: '2026-03-01', time: '1900' }, () => ({
      benefits: [benefit({ code: 'ZZ', serviceTypes: ['30'] })],
    }));
    expect(() =>
      writeEligibilityInterchange([bad], { ...ENVELOPE_270, interchange: ENVELOPE_270.interchange }),
    ).toThrow(/invalid-code 2110C\.EB01/);
  });
});

describe('271 validation', () => {
  const base = golden('271/active-benefits.edi');
  const codes = (text: string, opts = {}) =>
    parseEligibility(text, opts).diagnostics.map(
      (d) => `${d.severity} ${d.code} ${d.loop}.${d.element ?? d.segmentId} ${d.ik403 ?? d.ik304 ?? ''}`,
    );

  it('reports an unknown EB01, a bad coverage level and an invalid EB06 at their element positions', () => {
    expect(codes(base.replace('EB*B*IND*98*PR**27*25', 'EB*Q9*XXX*98*PR**99*25'))).toEqual([
      'error invalid-code 2110C.EB01 7',
      'error invalid-code 2110C.EB02 7',
      'error invalid-code 2110C.EB06 7',
    ]);
  });

  it('reports AAA codes that are not on the guide lists', () => {
    const text = golden('271/rejects.edi').replace('AAA*N**72*C', 'AAA*Q**99*Z');
    expect(codes(text)).toEqual([
      'error invalid-code 2100C.AAA01 7',
      'error invalid-code 2100C.AAA03 7',
      'error invalid-code 2100C.AAA04 7',
    ]);
    // Located for a 999: the AAA is the 12th segment of its transaction set, counting ST as 1 (IK302).
    const d = parseEligibility(text).diagnostics[0];
    expect([d?.segmentId, d?.positionInTransaction, d?.ik304]).toEqual(['AAA', 12, '8']);
  });

  it('warns when a reject reason belongs to another loop (a provider problem reported on the member)', () => {
    const text = golden('271/rejects.edi').replace('AAA*N**72*C', 'AAA*N**50*C');
    expect(codes(text)).toEqual(['warning aaa-reason-loop 2100C.AAA03 I6']);
  });

  it('AAA lists per loop follow the TR3 (pyx12 271 X279A1 map): member codes 69/70 only at 2110C/D, follow-up actions per loop', () => {
    const rejects = golden('271/rejects.edi');
    // 69 / 70 (age / gender) are benefit-level reasons, not subscriber-level ones.
    expect(codes(rejects.replace('AAA*N**72*C', 'AAA*N**69*C'))).toEqual([
      'warning aaa-reason-loop 2100C.AAA03 I6',
    ]);
    // P (resubmit the original transaction) is for the information source loops only.
    expect(codes(rejects.replace('AAA*N**72*C', 'AAA*N**72*P'))).toEqual([
      'warning aaa-action-loop 2100C.AAA04 I6',
    ]);
    expect(codes(rejects.replace('AAA*N**72*C', 'AAA*N**72*W'))).toEqual([]);
  });

  it('reads the authorization reject reasons of 2110C (AA, MA, E8, ...) as guide codes with their text', () => {
    // One AAA after the first benefit of the subscriber (2110C), with SE01 counting it.
    const withAaa = (code: string): string =>
      base
        .replace('EB*1*IND*30*PR*SUMMIT PPO GOLD~', `EB*1*IND*30*PR*SUMMIT PPO GOLD~AAA*N**${code}*C~`)
        .replace(/SE\*(\d+)\*/, (_m, n: string) => `SE*${Number(n) + 1}*`);
    expect(codes(base)).toEqual([]);
    for (const code of ['98', 'AA', 'AE', 'AF', 'AG', 'AO', 'CI', 'E8', 'IA', 'MA']) {
      expect(codes(withAaa(code))).toEqual([]);
      expect(rejectReasonText(code)).not.toMatch(/^Reject reason/);
    }
    expect(codes(withAaa('43'))).toEqual(['warning aaa-reason-loop 2110C.AAA03 I6']);
  });

  it('checks EB03 repetitions against the external service type list only when it is given', () => {
    const text = base.replace('EB*1*IND*30*PR', 'EB*1*IND*30^Q7*PR');
    expect(codes(text)).toEqual([]);
    expect(codes(text, { codeLists: statusCodeLists() })).toEqual(['error invalid-code 2110C.EB03 7']);
  });

  it('reports invalid dates, amounts and percentages without throwing', () => {
    const text = base
      .replace('DTP*346*D8*20260101', 'DTP*346*D8*20260231')
      .replace('EB*C*IND*30*PR**23*1500', 'EB*C*IND*30*PR**23*15X0')
      .replace('****0.2****Y', '****0.2.1****Y');
    expect(codes(text)).toEqual([
      'error invalid-date 2100C.DTP03 8',
      'error element-type 2110C.EB08 6',
      'error element-type 2110C.EB07 6',
    ]);
    // A well-formed decimal that is not money (three decimals) is its own finding.
    expect(codes(base.replace('EB*C*IND*30*PR**23*1500', 'EB*C*IND*30*PR**23*1500.125'))).toEqual([
      'error invalid-amount 2110C.EB07 6',
    ]);
  });

  it('reports a broken HL hierarchy and a missing member name with loop ids', () => {
    // The subscriber level is left out (its parent is unknown), so the provider's HL04 = 1 no longer holds.
    expect(codes(base.replace('HL*3*2*22*0', 'HL*3*7*22*0'))).toEqual([
      'error hl-parent 2000C.HL02 7',
      'warning hl-child-code 2000B.HL04 7',
    ]);
    expect(codes(base.replace('NM1*IL*1*RIVERA*ANA****MI*SHP100200300~', ''))).toContain(
      'error required-segment 2100C.NM1 3',
    );
  });
});

describe('segment order', () => {
  it('accepts a segment out of the guide order with a warning, since the writer will put it back in order', () => {
    const text = golden('271/active-benefits.edi')
      .replace('REF*6P*GRP5501*MAPLE STREET BAKERY~\n', '')
      .replace('DMG*D8*19840712*F~', 'DMG*D8*19840712*F~\nREF*6P*GRP5501~');
    const r = parseEligibility(text);
    expect(r.diagnostics.map((d) => `${d.severity} ${d.code} ${d.loop}.${d.segmentId} ${d.ik304}`)).toEqual([
      'warning segment-order 2100C.REF 7',
    ]);
    expect(summarizeEligibility(r.value[0]!)[0]?.groupNumber).toBe('GRP5501');
  });
});

describe('270 validation', () => {
  it('requires the trace number and an EQ on the patient level', () => {
    const text = golden('270/batch.edi')
      .replace('TRN*1*CHK-0001*1876543210~', '')
      .replace('EQ*30~\nSE*15', 'SE*13');
    const found = parseEligibility(text).diagnostics.map((d) => `${d.code} ${d.loop}`);
    expect(found).toEqual(['required-segment 2000C', 'required-segment 2110C']);
  });
});

describe('EB08 percent as basis points', () => {
  it('round-trips exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), (bp) => {
        expect(parseBasisPoints(formatBasisPoints(bp))).toBe(bp);
      }),
    );
    expect(parseBasisPoints('.2')).toBe(2000);
    expect(parseBasisPoints('0.125')).toBe(1250);
    expect(parseBasisPoints('0.12345')).toBeUndefined();
  });
});
