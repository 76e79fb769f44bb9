import { describe, expect, it } from 'vitest';
import type { CalendarDate, Cents, ClaimId, Instant, PayerId } from '@openrcm/core';
import type { ClaimFact, DenialWorkFact, MoneyFact, RemittanceFact, SubmissionFact } from './facts.ts';
import {
  arAging,
  chargeLag,
  cleanClaimRate,
  collectionRates,
  daysInAr,
  denialRates,
  denialResolution,
  distribution,
  firstPassAcceptanceRate,
  postingMetrics,
  type Period,
} from './metrics.ts';

// A hand-computed month. Every expected figure below is worked out in the comments, not by the code under test.
const d = (s: string): CalendarDate => s as CalendarDate;
const t = (s: string): Instant => s as Instant;
const c = (n: number): Cents => n as Cents;
const id = (n: number): ClaimId => n as ClaimId;
const ACME = 1 as PayerId;
const MEDICARE = 2 as PayerId;
const march: Period = { from: d('2026-03-01'), to: d('2026-03-31') };

function sub(over: Partial<SubmissionFact> & Pick<SubmissionFact, 'submittedAt'>): SubmissionFact {
  return { version: 1, frequencyCode: '1', ...over };
}

const claims: ClaimFact[] = [
  // A: clean — accepted first time, paid in full (2 lines).
  {
    claimId: id(1),
    payerId: ACME,
    payerName: 'Acme',
    serviceDate: d('2026-03-02'),
    chargeCents: c(10000),
    documentedOn: d('2026-03-03'),
    codedOn: d('2026-03-04'),
    heldReasons: [],
    submissions: [
      sub({
        submittedAt: t('2026-03-05T10:00:00.000Z'),
        acknowledgement: 'accepted',
        adjudication: {
          adjudicatedOn: d('2026-03-20'),
          outcome: 'paid',
          lineCount: 2,
          deniedLineCount: 0,
          deniedCents: c(0),
          denialReasons: [],
        },
      }),
    ],
  },
  // B: accepted, then denied CO-197 (missing authorization).
  {
    claimId: id(2),
    payerId: ACME,
    payerName: 'Acme',
    serviceDate: d('2026-03-03'),
    chargeCents: c(20000),
    heldReasons: [],
    submissions: [
      sub({
        submittedAt: t('2026-03-10T09:00:00.000Z'),
        acknowledgement: 'accepted',
        adjudication: {
          adjudicatedOn: d('2026-03-25'),
          outcome: 'denied',
          lineCount: 1,
          deniedLineCount: 1,
          deniedCents: c(20000),
          denialReasons: ['CO-197'],
        },
      }),
    ],
  },
  // C: rejected by the clearinghouse, corrected and resubmitted, then paid.
  {
    claimId: id(3),
    payerId: ACME,
    payerName: 'Acme',
    serviceDate: d('2026-03-04'),
    chargeCents: c(5000),
    heldReasons: [],
    submissions: [
      sub({ submittedAt: t('2026-03-06T09:00:00.000Z'), acknowledgement: 'rejected' }),
      sub({
        version: 2,
        submittedAt: t('2026-03-08T09:00:00.000Z'),
        acknowledgement: 'accepted',
        adjudication: {
          adjudicatedOn: d('2026-03-28'),
          outcome: 'paid',
          lineCount: 1,
          deniedLineCount: 0,
          deniedCents: c(0),
          denialReasons: [],
        },
      }),
    ],
  },
  // D: first submitted in February; adjudicated in March with one of two lines denied CO-97.
  {
    claimId: id(4),
    payerId: MEDICARE,
    payerName: 'Medicare',
    serviceDate: d('2026-02-20'),
    chargeCents: c(8000),
    heldReasons: [],
    submissions: [
      sub({
        submittedAt: t('2026-02-25T09:00:00.000Z'),
        acknowledgement: 'accepted',
        adjudication: {
          adjudicatedOn: d('2026-03-10'),
          outcome: 'partial',
          lineCount: 2,
          deniedLineCount: 1,
          deniedCents: c(3000),
          denialReasons: ['CO-97'],
        },
      }),
    ],
  },
  // E: submitted on the last day, no acknowledgement yet.
  {
    claimId: id(5),
    payerId: MEDICARE,
    payerName: 'Medicare',
    serviceDate: d('2026-03-30'),
    chargeCents: c(4000),
    heldReasons: [],
    submissions: [sub({ submittedAt: t('2026-03-31T18:00:00.000Z') })],
  },
];

const money: MoneyFact[] = [
  {
    claimId: id(1),
    payerId: ACME,
    serviceDate: d('2026-03-02'),
    postedOn: d('2026-03-20'),
    kind: 'insurance-payment',
    amountCents: c(6000),
  },
  {
    claimId: id(1),
    payerId: ACME,
    serviceDate: d('2026-03-02'),
    postedOn: d('2026-03-20'),
    kind: 'contractual',
    amountCents: c(3000),
  },
  {
    claimId: id(1),
    payerId: ACME,
    serviceDate: d('2026-03-02'),
    postedOn: d('2026-03-20'),
    kind: 'transfer-to-patient',
    amountCents: c(1000),
  },
  // Posted after the period: must not count at 03-31.
  {
    claimId: id(1),
    payerId: ACME,
    serviceDate: d('2026-03-02'),
    postedOn: d('2026-04-02'),
    kind: 'patient-payment',
    amountCents: c(1000),
  },
  {
    claimId: id(4),
    payerId: MEDICARE,
    serviceDate: d('2026-02-20'),
    postedOn: d('2026-03-10'),
    kind: 'insurance-payment',
    amountCents: c(4000),
  },
  {
    claimId: id(4),
    payerId: MEDICARE,
    serviceDate: d('2026-02-20'),
    postedOn: d('2026-03-10'),
    kind: 'contractual',
    amountCents: c(1000),
  },
  {
    claimId: id(3),
    payerId: ACME,
    serviceDate: d('2026-03-04'),
    postedOn: d('2026-03-28'),
    kind: 'insurance-payment',
    amountCents: c(4000),
  },
  {
    claimId: id(3),
    payerId: ACME,
    serviceDate: d('2026-03-04'),
    postedOn: d('2026-03-28'),
    kind: 'contractual',
    amountCents: c(1000),
  },
];

describe('monthly metrics on a hand-computed month', () => {
  it('first-pass acceptance: A and B accepted of A, B, C, E first submitted in March = 2/4', () => {
    const r = firstPassAcceptanceRate(claims, march);
    expect([r.numerator, r.denominator, r.value]).toEqual([2, 4, 0.5]);
    expect(r.numeratorClaims).toEqual([id(1), id(2)]);
    expect(r.denominatorClaims).toEqual([id(1), id(2), id(3), id(5)]);
  });

  it('clean claim rate: only A (B denied, C resubmitted, E unacknowledged) = 1/4', () => {
    const r = cleanClaimRate(claims, march);
    expect([r.numerator, r.denominator, r.value]).toEqual([1, 4, 0.25]);
  });

  it('denial rate: B and D of A, B, C, D first adjudicated in March; lines 2/6; dollars 23000/43000', () => {
    const r = denialRates(claims, march);
    expect([r.claims.numerator, r.claims.denominator]).toEqual([2, 4]);
    expect(r.lines).toEqual({ denied: 2, total: 6, value: 2 / 6 });
    expect([r.dollars.numeratorCents, r.dollars.denominatorCents]).toEqual([23000, 43000]);
    expect(r.byReason).toEqual([
      { reason: 'CO-197', claims: [id(2)] },
      { reason: 'CO-97', claims: [id(4)] },
    ]);
    expect(r.byPayer.map((p) => [p.payerName, p.rate.numerator, p.rate.denominator])).toEqual([
      ['Acme', 1, 3],
      ['Medicare', 1, 1],
    ]);
  });

  it('days in AR: open 28000 (A 1000 patient, B 20000, D 3000, E 4000) over 47000/90 a day = 53.6', () => {
    const r = daysInAr(claims, money, d('2026-03-31'));
    expect(r.openArCents).toBe(28000);
    expect(r.value).toBeCloseTo((28000 * 90) / 47000, 10);
    expect([...r.claims].sort()).toEqual([id(1), id(2), id(4), id(5)]);
  });

  it('AR aging by payer and responsible party', () => {
    expect(arAging(claims, money, d('2026-03-31'))).toEqual([
      {
        payerName: 'Acme',
        party: 'insurance',
        buckets: { '0-30': 20000, '31-60': 0, '61-90': 0, '91-120': 0, '120+': 0 },
        totalCents: 20000,
      },
      {
        payerName: 'Medicare',
        party: 'insurance',
        buckets: { '0-30': 4000, '31-60': 3000, '61-90': 0, '91-120': 0, '120+': 0 },
        totalCents: 7000,
      },
      {
        payerName: 'Acme',
        party: 'patient',
        buckets: { '0-30': 1000, '31-60': 0, '61-90': 0, '91-120': 0, '120+': 0 },
        totalCents: 1000,
      },
    ]);
  });

  it('collection rates for March dates of service: net 10000/35000, gross 10000/39000', () => {
    const r = collectionRates(claims, money, march, d('2026-03-31'));
    expect([r.net.numeratorCents, r.net.denominatorCents]).toEqual([10000, 35000]);
    expect([r.gross.numeratorCents, r.gross.denominatorCents]).toEqual([10000, 39000]);
    // Counting the April patient payment once the report date moves past it.
    expect(collectionRates(claims, money, march, d('2026-04-30')).net.numeratorCents).toBe(11000);
  });

  it('charge lag: 3, 7, 2, 1 days → median 2.5, p90 7; documentation and coding lag from A', () => {
    const r = chargeLag(claims, march);
    expect(r.total).toMatchObject({ count: 4, median: 2.5, p90: 7 });
    expect(r.documentation).toMatchObject({ count: 1, median: 1 });
    expect(r.coding).toMatchObject({ count: 1, median: 1 });
  });

  it('posting lag and auto-posting rate', () => {
    const remits: RemittanceFact[] = [
      {
        remittanceId: 1,
        receivedAt: t('2026-03-20T08:00:00.000Z'),
        postedAt: t('2026-03-20T20:00:00.000Z'),
        lineCount: 3,
        autoPostedLineCount: 3,
      },
      {
        remittanceId: 2,
        receivedAt: t('2026-03-28T00:00:00.000Z'),
        postedAt: t('2026-03-31T00:00:00.000Z'),
        lineCount: 2,
        autoPostedLineCount: 1,
      },
      {
        remittanceId: 3,
        receivedAt: t('2026-02-28T00:00:00.000Z'),
        postedAt: t('2026-02-28T01:00:00.000Z'),
        lineCount: 9,
        autoPostedLineCount: 0,
      },
    ];
    const r = postingMetrics(remits, march);
    expect(r.lagHours).toMatchObject({ count: 2, median: 42, p90: 72 });
    expect(r.within48h).toBe(0.5);
    expect(r.autoPosting).toEqual({ posted: 4, total: 5, value: 0.8 });
  });

  it('denial resolution: one of two resolved, in 48 hours', () => {
    const work: DenialWorkFact[] = [
      {
        claimId: id(2),
        openedAt: t('2026-03-25T12:00:00.000Z'),
        resolvedAt: t('2026-03-27T12:00:00.000Z'),
        outcome: 'paid',
      },
      { claimId: id(4), openedAt: t('2026-03-10T00:00:00.000Z') },
    ];
    const r = denialResolution(work, march);
    expect([r.rate.numerator, r.rate.denominator]).toEqual([1, 2]);
    expect(r.hours.median).toBe(48);
    expect(r.within72h).toBe(0.5);
  });

  it('zero denominators give null, never 0 % or 100 %', () => {
    const empty: Period = { from: d('2025-01-01'), to: d('2025-01-31') };
    expect(firstPassAcceptanceRate(claims, empty).value).toBeNull();
    expect(cleanClaimRate(claims, empty).value).toBeNull();
    expect(denialRates(claims, empty).claims.value).toBeNull();
    expect(denialRates(claims, empty).lines.value).toBeNull();
    expect(collectionRates(claims, money, empty, d('2025-01-31')).net.value).toBeNull();
    expect(daysInAr(claims, money, d('2025-01-31')).value).toBeNull();
    expect(postingMetrics([], empty).autoPosting.value).toBeNull();
    expect(distribution([])).toEqual({ count: 0, median: null, p90: null, mean: null });
  });
});
