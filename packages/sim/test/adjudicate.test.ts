import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PROCEDURES } from '../src/data/procedures.ts';
import {
  ZERO_ACCUMULATOR,
  adjudicate,
  adjudicationDate,
  lineKey,
  paymentDate,
} from '../src/payers/adjudicate.ts';
import type {
  Accumulator,
  ClaimAdjudication,
  ClaimOutcome,
  LineAdjudication,
  PayerWorld,
  SimClaim,
  SimClaimLine,
} from '../src/payers/adjudicate.ts';
import { payerProfile } from '../src/payers/profiles.ts';
import { seasonedAccumulator } from '../src/payers/accumulators.ts';
import { Rng } from '../src/prng.ts';

// A small hand-built payer world: one member, one enrolled cardiologist, a fee schedule at the PFS
// national amount x the payer's factor, one authorization.
const BILLING = '2000000008';
const RENDERING = '1234567893';
const UNENROLLED = '1000000004';
const DOS = '2026-02-10';
const PFS = new Map(PROCEDURES.map((p) => [p.code, p]));

function world(payerId: string, over: Partial<PayerWorld> = {}): PayerWorld {
  const profile = payerProfile(payerId);
  const memberId = memberFor(payerId);
  return {
    profile,
    roster: new Map([[memberId, { memberId, effectiveFrom: '2020-01-01', effectiveTo: null }]]),
    enrollments: [{ npi: RENDERING, effectiveFrom: '2019-01-01', effectiveTo: null }],
    authorizations: new Map([
      [
        'AU1',
        { authNumber: 'AU1', memberId, codes: ['73721'], validFrom: '2026-02-01', validTo: '2026-04-30' },
      ],
    ]),
    fee: (_npi, code, modifier, setting) => {
      const p = PFS.get(code);
      if (!p) return undefined;
      const base =
        modifier === '26'
          ? p.professionalCents
          : setting === 'facility'
            ? p.facilityCents
            : p.nonFacilityCents;
      return Math.round((base * profile.feeFactorBp) / 10_000);
    },
    ...over,
  };
}

function memberFor(payerId: string): string {
  switch (payerId) {
    case 'SIM01':
      return '1EG4TE5MK73';
    case 'SIM03':
      return 'SHP123456789';
    case 'SIM04':
      return 'W123456789';
    case 'SIM07':
      return '123456789A';
    default:
      return 'XX12345678';
  }
}

let lineNo = 0;
function line(code: string, chargeCents: number, extra: Partial<SimClaimLine> = {}): SimClaimLine {
  lineNo++;
  return {
    lineId: `L${lineNo}`,
    dateOfService: DOS,
    code,
    modifiers: [],
    units: 1,
    chargeCents,
    diagnosisPointers: [1],
    ...extra,
  };
}

function claim(payerId: string, lines: SimClaimLine[], extra: Partial<SimClaim> = {}): SimClaim {
  return {
    claimId: 'C1',
    payerId,
    memberId: memberFor(payerId),
    billingNpi: BILLING,
    renderingNpi: RENDERING,
    renderingTaxonomy: '207RC0000X',
    serviceFacilityNpi: null,
    posCode: '11',
    diagnoses: ['I25.10', 'M17.11'],
    priorAuthNumber: null,
    receivedDate: '2026-02-12',
    lines,
    cob: null,
    ...extra,
  };
}

function run(
  c: SimClaim,
  w: PayerWorld = world(c.payerId),
  accumulator: Accumulator = ZERO_ACCUMULATOR,
  prior: ReadonlySet<string> = new Set(),
) {
  return adjudicate({ claim: c, world: w, accumulator, priorLineKeys: prior });
}

function adjudicated(o: ClaimOutcome): ClaimAdjudication {
  if (o.kind !== 'adjudicated') throw new Error(`expected an adjudication, got ${o.reason}`);
  return o;
}

function cas(l: LineAdjudication | undefined): string[] {
  return (l?.adjustments ?? []).map((c) => `${c.group}-${c.reason}:${c.amountCents}`);
}

function balanced(o: ClaimAdjudication): boolean {
  return o.lines.every(
    (l) =>
      l.chargeCents - l.adjustments.reduce((s, c) => s + c.amountCents, 0) === l.paidCents &&
      l.paidCents >= 0 &&
      l.adjustments.every((c) => c.amountCents > 0),
  );
}

describe('pricing and cost sharing', () => {
  it('pays a PPO specialist visit at the contract, CO-45 for the rest and PR-3 for the copay', () => {
    // 99213: PFS 90.87 x 1.35 = 122.67 allowed; specialist copay $50.
    const o = adjudicated(run(claim('SIM03', [line('99213', 25_000)])).outcome);
    const l = o.lines[0];
    expect(l?.allowedCents).toBe(12_267);
    expect(cas(l)).toEqual(['CO-45:12733', 'PR-3:5000']);
    expect(l?.paidCents).toBe(7_267);
    expect(o.clp02).toBe('1');
    expect(o.patientResponsibilityCents).toBe(5_000);
    expect(balanced(o)).toBe(true);
  });

  it('applies the Medicare Part B deductible (PR-1) then 20 % coinsurance (PR-2), and carries the accumulator', () => {
    // 93306 echo, non-facility 196.06: $240 deductible takes all of it on the first claim.
    const first = run(claim('SIM01', [line('93306', 50_000)]));
    expect(cas(adjudicated(first.outcome).lines[0])).toEqual(['CO-45:30394', 'PR-1:19606']);
    expect(first.accumulator.deductibleCents).toBe(19_606);
    // The second claim meets the remaining $43.94, then 20 % of the rest.
    const second = run(claim('SIM01', [line('93306', 50_000)]), undefined, first.accumulator);
    const l = adjudicated(second.outcome).lines[0];
    expect(cas(l)).toEqual(['CO-45:30394', 'PR-1:4394', 'PR-2:3042']);
    expect(l?.paidCents).toBe(12_170);
    expect(second.accumulator.deductibleCents).toBe(24_000);
  });

  it('pays preventive services without cost sharing', () => {
    const o = adjudicated(run(claim('SIM03', [line('99396', 30_000)], { diagnoses: ['Z00.00'] })).outcome);
    expect(o.patientResponsibilityCents).toBe(0);
    expect(o.lines[0]?.paidCents).toBe(o.lines[0]?.allowedCents);
  });

  it('caps patient responsibility at the out-of-pocket maximum', () => {
    const nearlyMet: Accumulator = { deductibleCents: 150_000, outOfPocketCents: 599_000 };
    const r = run(claim('SIM03', [line('93306', 100_000)]), undefined, nearlyMet);
    const l = adjudicated(r.outcome).lines[0];
    expect(cas(l).filter((c) => c.startsWith('PR'))).toEqual(['PR-2:1000']);
    expect(r.accumulator.outOfPocketCents).toBe(600_000);
  });

  it('as a Medigap secondary pays the primary coinsurance, reports OA-23 and leaves the deductible to the patient', () => {
    const l1 = line('99214', 30_000);
    const c = claim('SIM07', [l1], {
      cob: [
        { lineId: l1.lineId, primaryPaidCents: 6_000, patientResponsibility: { '1': 4_000, '2': 2_000 } },
      ],
    });
    const o = adjudicated(run(c).outcome);
    expect(o.clp02).toBe('2');
    expect(cas(o.lines[0])).toEqual(['OA-23:24000', 'PR-1:4000']);
    expect(o.lines[0]?.paidCents).toBe(2_000);
    expect(balanced(o)).toBe(true);
  });
});

describe('front-end rejections (no adjudication, 277CA)', () => {
  it('rejects a member id that breaks the payer format', () => {
    expect(run(claim('SIM01', [line('99213', 20_000)], { memberId: '1EG4TE5MK7' })).outcome).toEqual({
      kind: 'rejected',
      claimId: 'C1',
      reason: 'member_id_format',
    });
  });

  it('rejects a well-formed member id the roster does not have', () => {
    expect(run(claim('SIM03', [line('99213', 20_000)], { memberId: 'SHP123456780' })).outcome).toMatchObject({
      kind: 'rejected',
      reason: 'member_not_found',
    });
  });
});

describe('denials: each rule, with its group code, CARC and RARC', () => {
  const denied = (o: ClaimOutcome, idx = 0) => {
    const a = adjudicated(o);
    expect(balanced(a)).toBe(true);
    const l = a.lines[idx];
    expect(l?.denied).toBe(true);
    expect(l?.paidCents).toBe(0);
    return `${l?.adjustments[0]?.group ?? ''}-${l?.adjustments[0]?.reason ?? ''} ${(l?.remarks ?? []).join(',')}`.trim();
  };

  it('CO-29: filed after the payer limit (HMO, 90 days)', () => {
    expect(denied(run(claim('SIM04', [line('99213', 20_000)], { receivedDate: '2026-05-20' })).outcome)).toBe(
      'CO-29',
    );
  });

  it('CO-27: the payer terminated the coverage before the date of service', () => {
    const w = world('SIM03', {
      roster: new Map([
        [
          'SHP123456789',
          { memberId: 'SHP123456789', effectiveFrom: '2020-01-01', effectiveTo: '2026-01-31' },
        ],
      ]),
    });
    expect(denied(run(claim('SIM03', [line('99213', 20_000)]), w).outcome)).toBe('CO-27');
  });

  it('CO-B7: rendering provider not enrolled on the date of service', () => {
    expect(denied(run(claim('SIM03', [line('99213', 20_000)], { renderingNpi: UNENROLLED })).outcome)).toBe(
      'CO-B7',
    );
  });

  it('CO-18: the same service was adjudicated before', () => {
    const c = claim('SIM03', [line('99213', 20_000)]);
    const prior = new Set([lineKey(c, c.lines[0] as SimClaimLine)]);
    expect(denied(run(c, undefined, ZERO_ACCUMULATOR, prior).outcome)).toBe('CO-18 N522');
  });

  it('CO-96 for a cosmetic service, CO-204 with N130 for Medicare-excluded preventive visits', () => {
    expect(denied(run(claim('SIM03', [line('17380', 9_000)])).outcome)).toBe('CO-96');
    expect(denied(run(claim('SIM01', [line('99397', 30_000)], { diagnoses: ['Z00.00'] })).outcome)).toBe(
      'CO-204 N130',
    );
  });

  it('CO-197 with M62: prior authorization required but absent; paid when the authorization matches', () => {
    const mri = () => line('73721', 90_000, { modifiers: ['RT'], diagnosisPointers: [2] });
    expect(denied(run(claim('SIM03', [mri()])).outcome)).toBe('CO-197 M62');
    const ok = adjudicated(run(claim('SIM03', [mri()], { priorAuthNumber: 'AU1' })).outcome);
    expect(ok.status).toBe('paid');
  });

  it('CO-5 with M77: hospital place of service without a service facility, or a facility-only procedure in the office', () => {
    expect(denied(run(claim('SIM03', [line('99213', 20_000)], { posCode: '22' })).outcome)).toBe('CO-5 M77');
    expect(
      denied(run(claim('SIM01', [line('93458', 200_000, { modifiers: ['26'] })], { posCode: '11' })).outcome),
    ).toBe('CO-5 M77');
  });

  it('CO-11 when a line points to no diagnosis, CO-50 with N115 when the diagnosis is not on the medical-necessity list', () => {
    expect(denied(run(claim('SIM03', [line('99213', 20_000, { diagnosisPointers: [] })])).outcome)).toBe(
      'CO-11 M81',
    );
    expect(denied(run(claim('SIM01', [line('93880', 40_000)], { diagnoses: ['R53.83'] })).outcome)).toBe(
      'CO-50 N115',
    );
    expect(
      adjudicated(run(claim('SIM01', [line('93880', 40_000)], { diagnoses: ['I65.23'] })).outcome).status,
    ).toBe('paid');
  });

  it('CO-4 with M20: a per-side procedure without RT/LT', () => {
    expect(denied(run(claim('SIM03', [line('20610', 15_000, { diagnosisPointers: [2] })])).outcome)).toBe(
      'CO-4 M20',
    );
  });

  it('CO-97 with M15: an E/M billed with a minor procedure without modifier 25; paid with 25', () => {
    const withoutMod = claim('SIM03', [
      line('99213', 20_000, { diagnosisPointers: [2] }),
      line('20610', 15_000, { modifiers: ['RT'], diagnosisPointers: [2] }),
    ]);
    const o = adjudicated(run(withoutMod).outcome);
    expect(o.status).toBe('partial');
    expect(denied(o, 0)).toBe('CO-97 M15');
    expect(o.lines[1]?.denied).toBe(false);
    const withMod = claim('SIM03', [
      line('99213', 20_000, { modifiers: ['25'], diagnosisPointers: [2] }),
      line('20610', 15_000, { modifiers: ['RT'], diagnosisPointers: [2] }),
    ]);
    expect(adjudicated(run(withMod).outcome).status).toBe('paid');
  });

  it('CO-97: a payer-specific bundle (the HMO bundles venipuncture into the visit)', () => {
    const c = claim('SIM04', [line('99213', 20_000), line('36415', 1_000)]);
    expect(denied(run(c).outcome, 1)).toBe('CO-97 M15');
    const ppo = claim('SIM03', [line('99213', 20_000), line('36415', 1_000)]);
    expect(adjudicated(run(ppo).outcome).status).toBe('paid');
  });

  it('CO-151 with N362: units above the limit (20610 MUE 2)', () => {
    expect(
      denied(
        run(claim('SIM03', [line('20610', 45_000, { units: 3, modifiers: ['RT'], diagnosisPointers: [2] })]))
          .outcome,
      ),
    ).toBe('CO-151 N362');
  });

  it('CLP02 4 when every line is denied', () => {
    expect(adjudicated(run(claim('SIM03', [line('17380', 9_000)])).outcome).clp02).toBe('4');
  });
});

describe('balancing (property)', () => {
  const codes = PROCEDURES.map((p) => p.code);
  const arbLine = fc.record({
    code: fc.constantFrom(...codes),
    modifiers: fc.subarray(['25', '59', 'RT', 'LT', '26'], { maxLength: 2 }),
    units: fc.integer({ min: 1, max: 20 }),
    chargeCents: fc.integer({ min: 0, max: 500_000 }),
    diagnosisPointers: fc.subarray([1, 2, 3], { maxLength: 3 }),
    dateOfService: fc.constantFrom('2026-01-02', '2026-02-10', '2025-01-15'),
  });

  it('every adjudicated line satisfies charge − Σ CAS = paid, with paid and CAS amounts non-negative', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('SIM01', 'SIM02', 'SIM03', 'SIM04', 'SIM05', 'SIM06'),
        fc.array(arbLine, { minLength: 1, maxLength: 6 }),
        fc.constantFrom('11', '22', '24'),
        fc.option(fc.constant('AU1')),
        fc.record({
          deductibleCents: fc.integer({ min: 0, max: 400_000 }),
          outOfPocketCents: fc.integer({ min: 0, max: 800_000 }),
        }),
        (payerId, ls, pos, auth, acc) => {
          const lines = ls.map((l, i) => ({ ...l, lineId: `P${i}` }));
          const c = claim(payerId, lines, {
            posCode: pos,
            priorAuthNumber: auth,
            diagnoses: ['I25.10', 'R53.83', 'M17.11'],
            serviceFacilityNpi: pos === '11' ? null : '2000000016',
          });
          const r = run(c, world(payerId), acc);
          if (r.outcome.kind !== 'adjudicated') return;
          for (const l of r.outcome.lines) {
            const sum = l.adjustments.reduce((s, x) => s + x.amountCents, 0);
            expect(l.chargeCents - sum).toBe(l.paidCents);
            expect(l.paidCents).toBeGreaterThanOrEqual(0);
            for (const x of l.adjustments) expect(x.amountCents).toBeGreaterThanOrEqual(0);
          }
          expect(
            r.outcome.chargeCents -
              r.outcome.lines.reduce((s, l) => s + l.adjustments.reduce((t, x) => t + x.amountCents, 0), 0),
          ).toBe(r.outcome.paidCents);
          expect(r.accumulator.deductibleCents).toBeGreaterThanOrEqual(acc.deductibleCents);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('timing', () => {
  it('never adjudicates a Medicare claim before day 14, and pays on a payment weekday', () => {
    const rng = new Rng('lag');
    const medicare = payerProfile('SIM01');
    const hmo = payerProfile('SIM04');
    for (let i = 0; i < 200; i++) {
      const d = adjudicationDate('2026-02-02', medicare, rng);
      expect(d >= '2026-02-16').toBe(true);
      const pay = paymentDate(adjudicationDate('2026-02-02', hmo, rng), hmo);
      expect(new Date(`${pay}T00:00:00Z`).getUTCDay()).toBe(4);
    }
  });
});

describe('seasoned accumulators (members with history before the data set)', () => {
  it('starts at zero on January 1, grows through the year, and stays within the plan limits', () => {
    const ppo = payerProfile('SIM03');
    expect(seasonedAccumulator(ppo, 'SHP123456789', '2026-01-01', 1)).toEqual({
      deductibleCents: 0,
      outOfPocketCents: 0,
    });
    let metByJuly = 0;
    let metByMarch = 0;
    for (let i = 0; i < 400; i++) {
      const id = `SHP${String(100000000 + i)}`;
      const march = seasonedAccumulator(ppo, id, '2026-03-01', 1);
      const july = seasonedAccumulator(ppo, id, '2026-07-01', 1);
      expect(july.deductibleCents).toBeGreaterThanOrEqual(march.deductibleCents);
      expect(july.deductibleCents).toBeLessThanOrEqual(ppo.benefit.deductibleCents);
      expect(july.outOfPocketCents).toBeLessThanOrEqual(ppo.benefit.outOfPocketMaxCents);
      if (march.deductibleCents === ppo.benefit.deductibleCents) metByMarch++;
      if (july.deductibleCents === ppo.benefit.deductibleCents) metByJuly++;
    }
    expect(metByJuly).toBeGreaterThan(metByMarch);
    // Same inputs, same answer.
    expect(seasonedAccumulator(ppo, 'SHP100000007', '2026-07-01', 1)).toEqual(
      seasonedAccumulator(ppo, 'SHP100000007', '2026-07-01', 1),
    );
  });
});
