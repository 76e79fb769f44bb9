import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClaimId, ClaimLineId, sum, type Cents } from '@openrcm/core';
import type { Adjustment, ClaimPayment, ServicePayment } from '@openrcm/x12/835';
import { denialCategory, findDenials } from './denials.ts';
import {
  accountTotal,
  casTotal,
  CROSSOVER_STATUSES,
  planClaimPayment,
  planProviderAdjustment,
  planUnapplied,
  type PlanLine,
  type PlannedTransaction,
} from './plan.ts';

/** A balanced 2110 loop: paid = charge − Σ CAS. */
function svc(
  code: string,
  charge: number,
  cas: Adjustment[],
  extra: Partial<ServicePayment> = {},
): ServicePayment {
  return {
    procedure: { qualifier: 'HC', code, modifiers: [] },
    charge,
    paid: charge - casTotal(cas),
    dates: [],
    adjustments: cas,
    references: [],
    amounts: [],
    quantities: [],
    remarks: [],
    other: [],
    ...extra,
  };
}

/** A balanced 2100 loop: CLP03 = Σ SVC02, CLP04 = Σ SVC03 − Σ claim CAS (or CLP03 − Σ CAS without lines). */
function clp(
  status: string,
  services: ServicePayment[],
  claimCas: Adjustment[] = [],
  charge?: number,
): ClaimPayment {
  const clp03 = charge ?? services.reduce((s, l) => s + l.charge, 0);
  const base = services.length === 0 ? clp03 : services.reduce((s, l) => s + l.paid, 0);
  return {
    patientControlNumber: '1001',
    status,
    charge: clp03,
    paid: base - casTotal(claimCas),
    filingIndicator: 'CI',
    adjustments: claimCas,
    references: [],
    dates: [],
    contacts: [],
    amounts: [],
    quantities: [],
    services,
    other: [],
  };
}

const cas = (group: string, ...items: [string, number][]): Adjustment => ({
  group,
  items: items.map(([reason, amount]) => ({ reason, amount })),
});

function expectBalanced(plan: readonly PlannedTransaction[]): void {
  for (const t of plan) {
    expect(t.entries.length).toBeGreaterThanOrEqual(2);
    expect(t.entries.every((e) => e.amountCents !== 0)).toBe(true);
    expect(sum(t.entries.map((e) => e.amountCents))).toBe(0);
  }
  expect(new Set(plan.map((t) => t.key)).size).toBe(plan.length);
}

const claimId = ClaimId(1001);
const L1 = ClaimLineId(11);
const L2 = ClaimLineId(12);
const lines: PlanLine[] = [
  { lineId: L1, chargeCents: 20000 as Cents },
  { lineId: L2, chargeCents: 10000 as Cents },
];

function lineBalance(plan: readonly PlannedTransaction[], lineId: ClaimLineId, account: string): number {
  return plan
    .flatMap((t) => t.entries)
    .filter((e) => e.claimLineId === lineId && e.account === account)
    .reduce((s, e) => s + e.amountCents, 0);
}

describe('posting plan for one claim payment', () => {
  it('partial pay: payment, CO-45 and PR-1/PR-2/PR-3 each in its own balanced transaction', () => {
    const payment = clp('1', [
      svc('99214', 20000, [cas('CO', ['45', 5000]), cas('PR', ['1', 3000], ['2', 2000])]),
      svc('36415', 10000, [cas('CO', ['45', 2000]), cas('PR', ['3', 2500])]),
    ]);
    const plan = planClaimPayment({
      keyPrefix: 'era:1:cp:1',
      claimId,
      payment,
      serviceLines: [L1, L2],
      claimLines: lines,
    });
    expectBalanced(plan);
    expect(plan.map((t) => [t.kind, t.memo])).toEqual([
      ['insurance_payment', 'payment'],
      ['contractual_adjustment', 'CO-45'],
      ['patient_responsibility', 'PR-1'],
      ['patient_responsibility', 'PR-2'],
      ['patient_responsibility', 'PR-3'],
    ]);
    expect(accountTotal(plan, 'cash')).toBe(payment.paid);
    // charge = paid + adjustments + patient responsibility (+ open balance 0): ar_insurance fully relieved.
    expect(lineBalance(plan, L1, 'ar_insurance')).toBe(-20000);
    expect(lineBalance(plan, L1, 'ar_patient')).toBe(5000);
    expect(lineBalance(plan, L2, 'ar_patient')).toBe(2500);
    expect(lineBalance(plan, L2, 'cash')).toBe(5500);
  });

  it('claim-level CAS is allocated to the lines by charge, largest remainder, summing exactly', () => {
    const payment = clp('1', [svc('99214', 20000, []), svc('36415', 10000, [])], [cas('CO', ['45', 1001])]);
    const plan = planClaimPayment({
      keyPrefix: 'k',
      claimId,
      payment,
      serviceLines: [L1, L2],
      claimLines: lines,
    });
    expectBalanced(plan);
    expect(lineBalance(plan, L1, 'contractual_adjustments')).toBe(667);
    expect(lineBalance(plan, L2, 'contractual_adjustments')).toBe(334);
    expect(accountTotal(plan, 'cash')).toBe(30000 - 1001);
    expect(lineBalance(plan, L1, 'ar_insurance')).toBe(-20000);
  });

  it('a claim paid without SVC lines spreads CLP04 over our lines; no lines on file posts at claim level', () => {
    const payment = clp('1', [], [cas('CO', ['45', 3000])], 30000);
    const plan = planClaimPayment({ keyPrefix: 'k', claimId, payment, serviceLines: [], claimLines: lines });
    expectBalanced(plan);
    expect(lineBalance(plan, L1, 'cash') + lineBalance(plan, L2, 'cash')).toBe(27000);
    expect(lineBalance(plan, L1, 'ar_insurance')).toBe(-20000);
    const bare = planClaimPayment({ keyPrefix: 'k', claimId, payment, serviceLines: [], claimLines: [] });
    expectBalanced(bare);
    expect(bare.flatMap((t) => t.entries).every((e) => e.claimLineId === undefined)).toBe(true);
  });

  it('negative amounts (a reversal) post as negative entries; a zero-pay denied line posts no payment', () => {
    const reversal = clp('22', [svc('99214', -20000, [cas('CO', ['45', -5000])])]);
    const plan = planClaimPayment({
      keyPrefix: 'r',
      claimId,
      payment: reversal,
      serviceLines: [L1],
      claimLines: lines,
    });
    expectBalanced(plan);
    expect(accountTotal(plan, 'cash')).toBe(-15000);
    expect(lineBalance(plan, L1, 'ar_insurance')).toBe(20000);

    const denied = clp('4', [svc('99214', 20000, [cas('CO', ['197', 20000])])]);
    const d = planClaimPayment({
      keyPrefix: 'd',
      claimId,
      payment: denied,
      serviceLines: [L1],
      claimLines: lines,
    });
    // The denied amount is not written down: it stays collectable in ar_insurance (see the next test).
    expect(d).toEqual([]);
    expect(findDenials(denied)).toMatchObject([
      { serviceIndex: 0, group: 'CO', reason: '197', category: 'authorization' },
    ]);
  });

  it('a denial (CO/PI/OA other than contractual, line or claim paid zero) stays in AR; CO-45 beside it is written down', () => {
    const payment = clp('4', [
      svc('99214', 20000, [cas('CO', ['45', 5000], ['16', 15000])]),
      svc('36415', 3000, [cas('PI', ['204', 3000])]),
    ]);
    const plan = planClaimPayment({
      keyPrefix: 'd',
      claimId,
      payment,
      serviceLines: [L1, L2],
      claimLines: lines,
    });
    expectBalanced(plan);
    expect(plan.map((t) => t.memo)).toEqual(['CO-45']);
    expect(accountTotal(plan, 'contractual_adjustments')).toBe(5000);
    expect(accountTotal(plan, 'other_adjustments')).toBe(0);
    // Only the contractual part leaves AR: 15000 (CO-16) + 3000 (PI-204) remain owed by the payer.
    expect(lineBalance(plan, L1, 'ar_insurance')).toBe(-5000);
    expect(lineBalance(plan, L2, 'ar_insurance')).toBe(0);
    expect(findDenials(payment).map((x) => `${x.group}-${x.reason}`)).toEqual(['CO-16', 'PI-204']);

    // Claim-level denial without lines (CLP02 = 4, CO-27 coverage terminated): nothing is posted.
    const claimDenied = clp('4', [], [cas('CO', ['27', 23000])], 23000);
    expect(
      planClaimPayment({
        keyPrefix: 'c',
        claimId,
        payment: claimDenied,
        serviceLines: [],
        claimLines: lines,
      }),
    ).toEqual([]);

    // A line the payer paid part of is not a full denial: its CO-97 posts as an adjustment.
    const partial = clp('1', [svc('99214', 20000, [cas('CO', ['97', 4000])])]);
    const p = planClaimPayment({
      keyPrefix: 'p',
      claimId,
      payment: partial,
      serviceLines: [L1],
      claimLines: lines,
    });
    expect(accountTotal(p, 'contractual_adjustments')).toBe(4000);
  });

  it('crossover (CLP02 = 19) leaves PR open in ar_insurance for the payer it was forwarded to', () => {
    const payment = clp('19', [svc('99214', 20000, [cas('CO', ['45', 5000]), cas('PR', ['2', 3000])])]);
    const plan = planClaimPayment({
      keyPrefix: 'x',
      claimId,
      payment,
      serviceLines: [L1],
      claimLines: lines,
    });
    expectBalanced(plan);
    expect(lineBalance(plan, L1, 'ar_patient')).toBe(0);
    expect(lineBalance(plan, L1, 'ar_insurance')).toBe(-17000);
  });

  it('PLB interest and recoupment post against cash; unmatched money goes to unapplied cash', () => {
    const interest = planProviderAdjustment({ key: 'p1', reason: 'L6', amountCents: -250 as Cents });
    const recoup = planProviderAdjustment({ key: 'p2', reason: 'WO', amountCents: 4000 as Cents, claimId });
    expectBalanced([...interest, ...recoup]);
    expect(interest[0]?.kind).toBe('interest');
    expect(accountTotal(interest, 'cash')).toBe(250);
    // Interest is income of its own account, not a provider-level adjustment or a claim payment.
    expect(accountTotal(interest, 'interest_income')).toBe(-250);
    expect(accountTotal(interest, 'provider_level_adjustments')).toBe(0);
    expect(recoup[0]?.kind).toBe('recoupment');
    expect(accountTotal(recoup, 'provider_level_adjustments')).toBe(4000);
    expect(recoup[0]?.entries.every((e) => e.claimId === claimId)).toBe(true);
    const un = planUnapplied('u', 1234 as Cents);
    expect(accountTotal(un, 'unapplied_cash')).toBe(-1234);
    expect(planUnapplied('u', 0 as Cents)).toEqual([]);
  });

  it('categorizes denials by CARC', () => {
    expect(denialCategory('29')).toBe('timely_filing');
    expect(denialCategory('B7')).toBe('credentialing');
    expect(denialCategory('50')).toBe('medical_necessity');
    expect(denialCategory('96')).toBe('non_covered');
    expect(denialCategory('4')).toBe('coding');
    expect(denialCategory('999')).toBe('other');
  });
});

// Random balanced claim payments: CAS amounts may be negative, lines may pay zero, claims may have no lines.
const groupArb = fc.constantFrom('CO', 'PR', 'OA', 'PI');
const reasonArb = fc.constantFrom('45', '1', '2', '3', '97', '197', '253', '23');
const casArb = fc.array(
  fc.record({
    group: groupArb,
    items: fc.array(fc.record({ reason: reasonArb, amount: fc.integer({ min: -5000, max: 20000 }) }), {
      minLength: 1,
      maxLength: 3,
    }),
  }),
  { maxLength: 3 },
);
const svcArb = fc
  .tuple(fc.integer({ min: 0, max: 50000 }), casArb)
  .map(([charge, adjustments]) => svc('99213', charge, adjustments));
const paymentArb = fc
  .tuple(
    fc.constantFrom('1', '2', '4', '19', '22'),
    fc.array(svcArb, { maxLength: 5 }),
    casArb,
    fc.integer({ min: 0, max: 90000 }),
  )
  .map(([status, services, claimCas, charge]) =>
    clp(status, services, claimCas, services.length === 0 ? charge : undefined),
  );
const ourLinesArb = fc.array(fc.integer({ min: 0, max: 40000 }), { minLength: 0, maxLength: 5 });

describe('posting plan properties', () => {
  it('every transaction balances, cash = CLP04, ar_insurance relieved by CLP04 + Σ CAS', () => {
    fc.assert(
      fc.property(paymentArb, ourLinesArb, (payment, charges) => {
        const claimLines = charges.map((c, i) => ({ lineId: ClaimLineId(100 + i), chargeCents: c as Cents }));
        // Each SVC line matched to a line of ours (by position, wrapping); without lines on file → fresh ids.
        const serviceLines = payment.services.map(
          (_, i) => claimLines[i % Math.max(1, claimLines.length)]?.lineId ?? ClaimLineId(900 + i),
        );
        const plan = planClaimPayment({ keyPrefix: 'p', claimId, payment, serviceLines, claimLines });
        expectBalanced(plan);
        expect(accountTotal(plan, 'cash')).toBe(payment.paid);
        const allCas = [...payment.adjustments, ...payment.services.flatMap((s) => s.adjustments)];
        const forwarded = CROSSOVER_STATUSES.has(payment.status)
          ? casTotal(allCas.filter((c) => c.group === 'PR'))
          : 0;
        // The 835 balances (CLP03 = CLP04 + Σ CAS), so ar_insurance is relieved by exactly CLP03 less forwarded PR.
        expect(accountTotal(plan, 'ar_insurance') + (payment.charge - forwarded)).toBe(0);
        // Planning twice gives the same keys: re-posting through the idempotent ledger posts nothing.
        const again = planClaimPayment({ keyPrefix: 'p', claimId, payment, serviceLines, claimLines });
        expect(again).toEqual(plan);
      }),
      { numRuns: 300 },
    );
  });
});
