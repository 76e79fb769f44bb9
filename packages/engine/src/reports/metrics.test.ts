import { describe, expect, it } from 'vitest';
import type { CalendarDate, Cents, ClaimId, Instant, PayerId } from '@openrcm/core';
import type { AdjudicationFact, ClaimFact, MoneyFact, RemittanceFact, SubmissionFact } from './facts.ts';
import {
  arAging,
  chargeLag,
  cleanClaimRate,
  cleanVerdict,
  denialCases,
  heldDuring,
  maturedServiceMonth,
  openBalances,
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
          receivedAt: t('2026-03-20T07:00:00.000Z'),
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
          receivedAt: t('2026-03-25T07:00:00.000Z'),
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
          receivedAt: t('2026-03-28T07:00:00.000Z'),
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
          receivedAt: t('2026-03-10T07:00:00.000Z'),
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

// Every claim's charge, posted on its date of service (the ledger's `charge` transactions).
const charges: MoneyFact[] = claims.map((x) => ({
  claimId: x.claimId,
  payerId: x.payerId,
  serviceDate: x.serviceDate,
  postedOn: x.serviceDate,
  kind: 'charge',
  amountCents: x.chargeCents,
}));

const money: MoneyFact[] = [
  ...charges,
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

  it('clean claim rate: only A of the decided A, B (denied), C (rejected, resubmitted); E still pending = 1/3', () => {
    const r = cleanClaimRate(claims, march);
    expect([r.numerator, r.denominator]).toEqual([1, 3]);
    expect(r.numeratorClaims).toEqual([id(1)]);
    expect(r.denominatorClaims).toEqual([id(1), id(2), id(3)]);
    expect(r.pendingClaims).toEqual([id(5)]);
    // Step by step: not held 4/4 × accepted 2/3 (E unacknowledged) × no denial 1/2 (A of A, B) = 1/3.
    expect(r.stages).toEqual([
      { stage: 'scrubber', reached: 4, passed: 4 },
      { stage: 'acknowledgement', reached: 3, passed: 2 },
      { stage: 'adjudication', reached: 2, passed: 1 },
    ]);
    expect(r.value).toBeCloseTo(1 / 3, 12);
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

  it('zero denominators give null, never 0 % or 100 %', () => {
    const empty: Period = { from: d('2025-01-01'), to: d('2025-01-31') };
    expect(firstPassAcceptanceRate(claims, empty).value).toBeNull();
    expect(denialResolution(claims, empty).rate.value).toBeNull();
    expect(denialResolution(claims, empty).within72h).toBeNull();
    expect(chargeLag(claims, empty).total.median).toBeNull();
    expect(postingMetrics([], empty).lagHours.median).toBeNull();
    expect(postingMetrics([], empty).within48h).toBeNull();
    expect(cleanClaimRate(claims, empty).value).toBeNull();
    // A cohort whose claims are all still waiting for their first adjudication has no estimate yet.
    expect(cleanClaimRate(claims.slice(4), march).value).toBeNull();
    expect(denialRates(claims, empty).claims.value).toBeNull();
    expect(denialRates(claims, empty).lines.value).toBeNull();
    expect(collectionRates(claims, money, empty, d('2025-01-31')).net.value).toBeNull();
    expect(daysInAr(claims, money, d('2025-01-31')).value).toBeNull();
    expect(postingMetrics([], empty).autoPosting.value).toBeNull();
    expect(distribution([])).toEqual({ count: 0, median: null, p90: null, mean: null });
  });
});

/*
 * A second hand-computed month for the decisions the first one does not reach: scrubber holds, a claim that
 * entered the pipeline in February and was submitted in March, a denial the payer reversed and reprocessed, a
 * denial closed by write-off, charges posted after the month end, and the matured collection cohort.
 *   G  held (ncci-ptp) 03-02, released, sent 03-04, accepted, paid 03-20          → not clean (held)
 *   H  held (eligibility) 03-29, still held                                       → not clean (held), not submitted
 *   I  ready 02-27, sent 03-02, accepted, paid 03-18                              → February's cohort, clean there
 *   J  sent 03-03, accepted, denied CO-16 on the ERA of 03-10; reversed and paid on the ERA of 03-12
 *   K  sent 03-05, accepted, 1 of 2 lines denied CO-97 on 03-20; denial written off 03-26 07:00
 *   L  sent 03-06, accepted, denied CO-197 on 03-30, open
 *   M  sent 03-09, accepted, not adjudicated                                      → pending
 *   N  sent 03-10, accepted, paid 03-24                                           → clean
 */
const adj = (on: string, over: Partial<AdjudicationFact> = {}): AdjudicationFact => ({
  adjudicatedOn: d(on),
  receivedAt: t(`${on}T07:00:00.000Z`),
  outcome: 'paid',
  lineCount: 1,
  deniedLineCount: 0,
  deniedCents: c(0),
  denialReasons: [],
  ...over,
});
const claim = (n: number, over: Partial<ClaimFact> & Pick<ClaimFact, 'submissions'>): ClaimFact => ({
  claimId: id(n),
  payerId: ACME,
  payerName: 'Acme',
  serviceDate: d('2026-03-01'),
  chargeCents: c(1000),
  heldReasons: [],
  ...over,
});
const second: ClaimFact[] = [
  claim(11, {
    enteredAt: t('2026-03-02T07:00:00.000Z'),
    heldReasons: ['scrubber', 'ncci-ptp'],
    submissions: [
      sub({
        submittedAt: t('2026-03-04T07:00:00.000Z'),
        acknowledgement: 'accepted',
        adjudication: adj('2026-03-20'),
      }),
    ],
  }),
  claim(12, { enteredAt: t('2026-03-29T07:00:00.000Z'), heldReasons: ['eligibility'], submissions: [] }),
  claim(13, {
    serviceDate: d('2026-02-25'),
    enteredAt: t('2026-02-27T07:00:00.000Z'),
    submissions: [
      sub({
        submittedAt: t('2026-03-02T07:00:00.000Z'),
        acknowledgement: 'accepted',
        adjudication: adj('2026-03-18'),
      }),
    ],
  }),
  claim(14, {
    enteredAt: t('2026-03-03T07:00:00.000Z'),
    submissions: [
      sub({
        submittedAt: t('2026-03-03T07:00:00.000Z'),
        acknowledgement: 'accepted',
        adjudication: adj('2026-03-10', {
          outcome: 'denied',
          deniedLineCount: 1,
          deniedCents: c(1000),
          denialReasons: ['CO-16'],
        }),
        laterAdjudications: [adj('2026-03-12')],
      }),
    ],
  }),
  claim(15, {
    enteredAt: t('2026-03-05T07:00:00.000Z'),
    denialClosedAt: t('2026-03-26T07:00:00.000Z'),
    submissions: [
      sub({
        submittedAt: t('2026-03-05T07:00:00.000Z'),
        acknowledgement: 'accepted',
        adjudication: adj('2026-03-20', {
          outcome: 'partial',
          lineCount: 2,
          deniedLineCount: 1,
          deniedCents: c(400),
          denialReasons: ['CO-97'],
        }),
      }),
    ],
  }),
  claim(16, {
    enteredAt: t('2026-03-06T07:00:00.000Z'),
    submissions: [
      sub({
        submittedAt: t('2026-03-06T07:00:00.000Z'),
        acknowledgement: 'accepted',
        adjudication: adj('2026-03-30', {
          outcome: 'denied',
          deniedLineCount: 1,
          deniedCents: c(1000),
          denialReasons: ['CO-197'],
        }),
      }),
    ],
  }),
  claim(17, {
    enteredAt: t('2026-03-09T07:00:00.000Z'),
    submissions: [sub({ submittedAt: t('2026-03-09T07:00:00.000Z'), acknowledgement: 'accepted' })],
  }),
  claim(18, {
    enteredAt: t('2026-03-10T07:00:00.000Z'),
    submissions: [
      sub({
        submittedAt: t('2026-03-10T07:00:00.000Z'),
        acknowledgement: 'accepted',
        adjudication: adj('2026-03-24'),
      }),
    ],
  }),
];
const february: Period = { from: d('2026-02-01'), to: d('2026-02-28') };

describe('holds, months, reversals and resolution on a second hand-computed month', () => {
  it('clean claims are counted by the month they entered the pipeline; a held claim is never clean', () => {
    const r = cleanClaimRate(second, march);
    // Cohort G H J K L M N (I entered in February); decided G H J K L N, clean only N; M pending.
    expect(r.denominatorClaims).toEqual([id(11), id(12), id(14), id(15), id(16), id(18)]);
    expect(r.numeratorClaims).toEqual([id(18)]);
    expect(r.pendingClaims).toEqual([id(17)]);
    // Decided so far 1 clean of 6, but the estimate weighs each step on its own: not held 5/7 (G, H held) ×
    // accepted 5/5 × no denial or resubmission 1/4 (N of J K L N; M not adjudicated yet) = 5/28.
    expect(r.stages.map((x) => [x.passed, x.reached])).toEqual([
      [5, 7],
      [5, 5],
      [1, 4],
    ]);
    expect(r.value).toBeCloseTo(5 / 28, 12);
    expect(cleanVerdict(second[0] as ClaimFact)).toBe('not-clean');
    expect(cleanVerdict(second[1] as ClaimFact)).toBe('not-clean');
    // I entered on 02-27 and was sent on 03-02: February's cohort, clean there, and in March's first submissions.
    expect(cleanClaimRate(second, february)).toMatchObject({ numerator: 1, denominator: 1 });
    expect(firstPassAcceptanceRate(second, march)).toMatchObject({ numerator: 7, denominator: 7 });
    expect(firstPassAcceptanceRate(second, february).value).toBeNull();
  });

  it('a hold counts in every month it was open: G in March only, H from March on, I never', () => {
    const april: Period = { from: d('2026-04-01'), to: d('2026-04-30') };
    const [g, h, i] = second as [ClaimFact, ClaimFact, ClaimFact];
    expect([heldDuring(g, february), heldDuring(g, march), heldDuring(g, april)]).toEqual([
      false,
      true,
      false,
    ]);
    expect([heldDuring(h, february), heldDuring(h, march), heldDuring(h, april)]).toEqual([
      false,
      true,
      true,
    ]);
    expect(heldDuring(i, march)).toBe(false);
  });

  it('a denial the payer reversed and repaid is still a denial on first adjudication', () => {
    const r = denialRates(second, march);
    // First adjudications in March: G I J K L N; denied J (CO-16), K (CO-97, 1 of 2 lines), L (CO-197).
    expect([r.claims.numerator, r.claims.denominator]).toEqual([3, 6]);
    expect(r.lines).toEqual({ denied: 3, total: 7, value: 3 / 7 });
    expect(r.byReason.map((x) => x.reason)).toEqual(['CO-16', 'CO-197', 'CO-97']);
  });

  it('denial resolution: J paid on reprocessing after 48 h, K closed after 144 h, L open → 2/3, mean 96 h', () => {
    const r = denialResolution(second, march);
    expect([r.rate.numerator, r.rate.denominator]).toEqual([2, 3]);
    expect(r.rate.numeratorClaims).toEqual([id(14), id(15)]);
    expect(r.hours).toMatchObject({ count: 2, mean: 96, median: 96 });
    expect(r.within72h).toBeCloseTo(1 / 3, 12);
    expect([r.resolvedEver, r.cases]).toEqual([2, 3]);
    expect(denialCases(second).map((x) => x.resolution)).toEqual(['paid', 'closed', undefined]);
    // Nothing resolved anywhere: the report shows n/a instead of 0 %.
    const unresolved = second.map((x) => {
      const { denialClosedAt: _closed, ...rest } = x;
      return {
        ...rest,
        submissions: x.submissions.map(({ laterAdjudications: _later, ...s }) => s),
      };
    });
    expect(denialResolution(unresolved, march)).toMatchObject({ resolvedEver: 0, cases: 3 });
    // A closing before the denial was received does not resolve it.
    const early = { ...(second[4] as ClaimFact), denialClosedAt: t('2026-03-01T00:00:00.000Z') };
    expect(denialCases([early])[0]?.resolvedAt).toBeUndefined();
  });

  it('collections are measured on the latest month of dates of service 60 days old', () => {
    expect(maturedServiceMonth(d('2026-03-06'))).toEqual({ from: d('2025-12-01'), to: d('2025-12-31') });
    expect(maturedServiceMonth(d('2026-04-07'))).toEqual({ from: d('2026-01-01'), to: d('2026-01-31') });
    // 2026-01-31 is exactly 60 days before 2026-04-01: January has matured that day, not the day before.
    expect(maturedServiceMonth(d('2026-04-01')).from).toBe('2026-01-01');
    expect(maturedServiceMonth(d('2026-03-31')).from).toBe('2025-12-01');
  });

  it('a charge posted after the month end is not in that month end AR', () => {
    const p = claim(19, { serviceDate: d('2026-03-30'), chargeCents: c(2500), submissions: [] });
    const late: MoneyFact[] = [
      {
        claimId: id(19),
        payerId: ACME,
        serviceDate: d('2026-03-30'),
        postedOn: d('2026-04-02'),
        kind: 'charge',
        amountCents: c(2500),
      },
    ];
    expect(openBalances([p], late, d('2026-03-31'))).toEqual([
      expect.objectContaining({ insuranceCents: 0, patientCents: 0 }),
    ]);
    expect(daysInAr([p], late, d('2026-03-31')).value).toBeNull();
    expect(daysInAr([p], late, d('2026-04-07')).openArCents).toBe(2500);
  });
});
