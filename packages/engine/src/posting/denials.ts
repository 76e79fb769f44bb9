/**
 * Denial detection and root-cause categorization from an 835 claim payment (pure). A denial is a line (or a
 * claim without lines) the payer paid nothing on, with a CO/PI/OA reason other than a plain contractual
 * reduction; its category comes from the CARC (DOMAIN stage 5) and decides who must act. Workflow on the
 * denial itself comes in a later issue; posting records the rows and opens the work item.
 */
import type { Cents } from '@openrcm/core';
import type { Adjustment, ClaimPayment } from '@openrcm/x12/835';

/** The `denials.category` values (0004 CHECK). */
export const DENIAL_CATEGORIES = [
  'eligibility',
  'registration',
  'authorization',
  'non_covered',
  'coding',
  'medical_necessity',
  'timely_filing',
  'credentialing',
  'duplicate',
  'coordination_of_benefits',
  'other',
] as const;
export type DenialCategory = (typeof DENIAL_CATEGORIES)[number];

/** The `denials.route` values: who works the denial. */
export const DENIAL_ROUTES = ['billing', 'physician', 'credentialing', 'practice'] as const;
export type DenialRoute = (typeof DENIAL_ROUTES)[number];

/**
 * CARCs that are an expected contractual reduction, not a denial, even when the line pays zero (e.g. the
 * allowed amount went entirely to the deductible): 45 charge exceeds fee schedule, 42 exceeds maximum
 * allowable, 94 processed in excess of charges, 131 negotiated discount, 253 sequestration, 104 managed care
 * withholding, 237 legislated penalty, 59 multiple-procedure rule, 223 mandated by law, 23 impact of prior
 * payer adjudication (COB).
 */
export const PLAIN_CONTRACTUAL_CARCS: ReadonlySet<string> = new Set([
  '45',
  '42',
  '94',
  '131',
  '253',
  '104',
  '237',
  '59',
  '223',
  '23',
]);

const CATEGORY_BY_CARC: Readonly<Record<string, DenialCategory>> = {
  // Authorization / precertification absent or exceeded.
  '15': 'authorization',
  '197': 'authorization',
  '198': 'authorization',
  '62': 'authorization',
  '288': 'authorization',
  // Coverage not in effect / patient not identified as insured.
  '26': 'eligibility',
  '27': 'eligibility',
  '31': 'eligibility',
  '33': 'eligibility',
  '177': 'eligibility',
  '109': 'eligibility',
  '200': 'eligibility',
  // Claim lacks information or has submission/billing errors the front desk caused.
  '16': 'registration',
  '140': 'registration',
  '29': 'timely_filing',
  B7: 'credentialing',
  '242': 'credentialing',
  '18': 'duplicate',
  '50': 'medical_necessity',
  '11': 'medical_necessity',
  '56': 'medical_necessity',
  '57': 'medical_necessity',
  '96': 'non_covered',
  '204': 'non_covered',
  '49': 'non_covered',
  '119': 'non_covered',
  '35': 'non_covered',
  // Procedure/modifier inconsistent, bundled, invalid code.
  '4': 'coding',
  '5': 'coding',
  '6': 'coding',
  '7': 'coding',
  '8': 'coding',
  '9': 'coding',
  '97': 'coding',
  '151': 'coding',
  '182': 'coding',
  '236': 'coding',
  B15: 'coding',
  '22': 'coordination_of_benefits',
  '24': 'coordination_of_benefits',
};

/** Root-cause category of a denial by its CARC (unknown reasons are 'other'). */
export function denialCategory(carc: string): DenialCategory {
  return CATEGORY_BY_CARC[carc] ?? 'other';
}

/** Who works a denial of this category (DOMAIN stage 5 routing). */
export function denialRoute(category: DenialCategory): DenialRoute {
  switch (category) {
    case 'medical_necessity':
      return 'physician';
    case 'credentialing':
      return 'credentialing';
    case 'non_covered':
      return 'practice';
    case 'eligibility':
    case 'registration':
    case 'authorization':
    case 'coding':
    case 'timely_filing':
    case 'duplicate':
    case 'coordination_of_benefits':
    case 'other':
      return 'billing';
  }
}

/** One denied adjustment found in a claim payment. */
export interface FoundDenial {
  /** Index into `payment.services`, or undefined for a claim-level denial. */
  readonly serviceIndex?: number;
  readonly group: string;
  readonly reason: string;
  readonly amountCents: Cents;
  readonly remarks: readonly string[];
  readonly category: DenialCategory;
  readonly route: DenialRoute;
}

/**
 * A CAS item that denies money (not a contractual reduction): CO/PI/OA with a CARC other than a plain
 * contractual one, for a positive amount. Only counts on a denied line or claim ({@link lineDenied},
 * {@link claimDenied}).
 */
export function isDenialAdjustment(group: string, reason: string, amount: number): boolean {
  return (
    (group === 'CO' || group === 'PI' || group === 'OA') && amount > 0 && !PLAIN_CONTRACTUAL_CARCS.has(reason)
  );
}

/** A service line the payer paid nothing on although it was charged. */
export function lineDenied(svc: { readonly paid: number; readonly charge: number }): boolean {
  return svc.paid === 0 && svc.charge > 0;
}

/** A claim paid zero as denied (CLP02 = 4) or without lines: its claim-level CAS can be denials. */
export function claimDenied(payment: ClaimPayment): boolean {
  return (
    payment.status !== '22' && payment.paid === 0 && (payment.status === '4' || payment.services.length === 0)
  );
}

function deniedItems(
  adjustments: readonly Adjustment[],
): { group: string; reason: string; amount: number }[] {
  const out: { group: string; reason: string; amount: number }[] = [];
  for (const cas of adjustments) {
    for (const it of cas.items) {
      if (isDenialAdjustment(cas.group, it.reason, it.amount)) {
        out.push({ group: cas.group, reason: it.reason, amount: it.amount });
      }
    }
  }
  return out;
}

/**
 * Denials in a claim payment: each zero-paid line's non-contractual CO/PI/OA adjustments, and the claim-level
 * ones when the claim paid zero (CLP02 = 4 denied, or no lines). Reversals (CLP02 = 22) carry none.
 */
export function findDenials(payment: ClaimPayment): FoundDenial[] {
  if (payment.status === '22') return [];
  const claimRemarks = payment.outpatient?.remarks ?? [];
  const out: FoundDenial[] = [];
  const push = (
    items: { group: string; reason: string; amount: number }[],
    remarks: readonly string[],
    serviceIndex?: number,
  ): void => {
    for (const it of items) {
      const category = denialCategory(it.reason);
      out.push({
        ...(serviceIndex === undefined ? {} : { serviceIndex }),
        group: it.group,
        reason: it.reason,
        amountCents: it.amount as Cents,
        remarks,
        category,
        route: denialRoute(category),
      });
    }
  };
  payment.services.forEach((svc, i) => {
    if (!lineDenied(svc)) return;
    push(
      deniedItems(svc.adjustments),
      svc.remarks.filter((r) => r.qualifier === 'HE').map((r) => r.code),
      i,
    );
  });
  if (claimDenied(payment)) {
    push(deniedItems(payment.adjustments), claimRemarks);
  }
  return out;
}
