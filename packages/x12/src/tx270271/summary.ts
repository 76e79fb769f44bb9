/**
 * What the front desk needs from a 271, per subscriber or dependent: coverage status and dates, plan and
 * group, the member id and demographics as the payer returned them, the primary care provider, the in- and
 * out-of-network office visit cost sharing, and the AAA rejects with their reasons. A pure function over
 * the typed 271.
 */
import { refValue, type Address, type Demographics } from '../core/common-segments.ts';
import { ACTIVE_EB01, INACTIVE_EB01, followUpActionText, rejectReasonText } from './codes.ts';
import type {
  BenefitInformation,
  EligibilityMember,
  EligibilityTransaction,
  InformationReceiver,
  InformationSource,
  RequestValidation,
} from './types.ts';

/** Coverage status read from the EB01 codes (or the AAA rejects when the payer returned no benefits). */
export const COVERAGE_STATUSES = ['active', 'inactive', 'rejected', 'unknown'] as const;
export type CoverageStatus = (typeof COVERAGE_STATUSES)[number];

/** One AAA reject with readable text. */
export interface EligibilityReject {
  /** Loop the AAA was in: 2000A, 2100A, 2100B, 2100C, 2100D, 2110C, 2110D. */
  readonly loop: string;
  readonly valid: boolean;
  readonly reasonCode: string;
  readonly reason: string;
  readonly followUpActionCode: string;
  readonly followUpAction: string;
}

/** A deductible or out-of-pocket maximum: the plan amount and what is left of it. */
export interface Accumulator {
  /** Amount for the period (EB06 calendar year 23, service year 22, contract 25, ... or no period). */
  readonly totalCents?: number;
  /** Remaining amount (EB06 29). */
  readonly remainingCents?: number;
}

/** Office-visit cost sharing on one side of the network. */
export interface CostSharing {
  /** EB*B co-payment for an office visit (service type 98, else 30 / 1). */
  readonly officeVisitCopayCents?: number;
  /** EB*A co-insurance as basis points (2000 = 20 %). */
  readonly coinsuranceBasisPoints?: number;
  readonly deductible: { readonly individual?: Accumulator; readonly family?: Accumulator };
  readonly outOfPocket: { readonly individual?: Accumulator; readonly family?: Accumulator };
}

/** The primary care provider (EB*L or any benefit with a 2120 NM1*P3). */
export interface PrimaryCareProvider {
  readonly name: string;
  readonly idQualifier?: string;
  readonly id?: string;
  readonly phone?: string;
}

/** Front-desk summary of one 271 subscriber or dependent. */
export interface EligibilitySummary {
  readonly loop: '2000C' | '2000D';
  /** TRN02 of the TRN*2 on the member: the inquirer's trace (our check id) echoed from the 270. */
  readonly traceNumber?: string;
  /** 2100A payer name and id (NM103 / NM109). */
  readonly payerName?: string;
  readonly payerId?: string;
  readonly status: CoverageStatus;
  /** Plan and eligibility dates (DTP 346/347 plan, 356/357 eligibility, 307/291 ranges). */
  readonly planBegin?: string;
  readonly planEnd?: string;
  readonly eligibilityBegin?: string;
  readonly eligibilityEnd?: string;
  /** EB05 of the active coverage. */
  readonly planDescription?: string;
  /** EB04 insurance type of the active coverage. */
  readonly insuranceType?: string;
  /** REF*6P group number (and REF03 group name), REF*18 plan number, REF*IG policy number. */
  readonly groupNumber?: string;
  readonly groupName?: string;
  readonly planNumber?: string;
  readonly policyNumber?: string;
  /** Member id as the payer returned it (subscriber NM109). */
  readonly memberId?: string;
  /** REF*Q4 prior identifier: the id the inquiry used, when the payer corrected it. */
  readonly priorMemberId?: string;
  readonly lastName?: string;
  readonly firstName?: string;
  readonly middleName?: string;
  readonly demographics?: Demographics;
  readonly address?: Address;
  /** INS03 = 001: the payer changed identifying data (name, id, birth date) against the inquiry. */
  readonly payerCorrectedDemographics: boolean;
  readonly primaryCareProvider?: PrimaryCareProvider;
  /** Other coverage the payer knows of (EB*R with its 2120 loop), in file order; empty when none. */
  readonly otherPayers: readonly OtherPayer[];
  readonly inNetwork: CostSharing;
  readonly outOfNetwork: CostSharing;
  readonly rejects: readonly EligibilityReject[];
}

function reject(loop: string, v: RequestValidation): EligibilityReject {
  return {
    loop,
    valid: v.valid,
    reasonCode: v.rejectReason,
    reason: rejectReasonText(v.rejectReason),
    followUpActionCode: v.followUpAction,
    followUpAction: followUpActionText(v.followUpAction),
  };
}

const PERIOD_TOTAL = new Set(['21', '22', '23', '24', '25', '32']);
const PERIOD_REMAINING = new Set(['29', '33']);

function networkSide(b: BenefitInformation, side: 'in' | 'out'): boolean {
  // EB12 W: the same benefit in and out of network; absent: the payer did not distinguish.
  const n = b.inPlanNetwork;
  if (side === 'in') return n === 'Y' || n === 'W' || n === undefined;
  return n === 'N' || n === 'W';
}

/** Prefers an office-visit (98) benefit, then plan coverage (30), then medical care (1), then any. */
function pick(benefits: readonly BenefitInformation[]): BenefitInformation | undefined {
  for (const st of ['98', '30', '1']) {
    const b = benefits.find((x) => x.serviceTypes.includes(st));
    if (b !== undefined) return b;
  }
  return benefits.find((x) => x.serviceTypes.length === 0) ?? benefits[0];
}

function accumulator(
  benefits: readonly BenefitInformation[],
  level: 'individual' | 'family',
): Accumulator | undefined {
  const match = benefits.filter((b) =>
    level === 'family' ? b.coverageLevel === 'FAM' : b.coverageLevel !== 'FAM',
  );
  const total = pick(
    match.filter(
      (b) => b.amountCents !== undefined && (b.timePeriod === undefined || PERIOD_TOTAL.has(b.timePeriod)),
    ),
  );
  const remaining = pick(
    match.filter(
      (b) => b.amountCents !== undefined && b.timePeriod !== undefined && PERIOD_REMAINING.has(b.timePeriod),
    ),
  );
  if (total === undefined && remaining === undefined) return undefined;
  const out: { totalCents?: number; remainingCents?: number } = {};
  if (total?.amountCents !== undefined) out.totalCents = total.amountCents;
  if (remaining?.amountCents !== undefined) out.remainingCents = remaining.amountCents;
  return out;
}

function costSharing(benefits: readonly BenefitInformation[], side: 'in' | 'out'): CostSharing {
  const mine = benefits.filter((b) => networkSide(b, side));
  const copay = pick(mine.filter((b) => b.code === 'B' && b.amountCents !== undefined));
  const coins = pick(mine.filter((b) => b.code === 'A' && b.percentBasisPoints !== undefined));
  const ded = mine.filter((b) => b.code === 'C');
  const oop = mine.filter((b) => b.code === 'G');
  const deductible: { individual?: Accumulator; family?: Accumulator } = {};
  const outOfPocket: { individual?: Accumulator; family?: Accumulator } = {};
  const di = accumulator(ded, 'individual');
  const df = accumulator(ded, 'family');
  const oi = accumulator(oop, 'individual');
  const of = accumulator(oop, 'family');
  if (di !== undefined) deductible.individual = di;
  if (df !== undefined) deductible.family = df;
  if (oi !== undefined) outOfPocket.individual = oi;
  if (of !== undefined) outOfPocket.family = of;
  const out: { -readonly [K in keyof CostSharing]: CostSharing[K] } = { deductible, outOfPocket };
  if (copay?.amountCents !== undefined) out.officeVisitCopayCents = copay.amountCents;
  if (coins?.percentBasisPoints !== undefined) out.coinsuranceBasisPoints = coins.percentBasisPoints;
  return out;
}

function pcp(benefits: readonly BenefitInformation[]): PrimaryCareProvider | undefined {
  const ordered = [...benefits.filter((b) => b.code === 'L'), ...benefits.filter((b) => b.code !== 'L')];
  for (const b of ordered) {
    const e = b.relatedEntities.find((x) => x.name.entityIdentifier === 'P3');
    if (e === undefined) continue;
    const n = e.name;
    const name = [n.firstName, n.middleName, n.lastOrOrganizationName]
      .filter((x) => x !== undefined)
      .join(' ');
    const phone = e.contacts.flatMap((c) => c.numbers).find((x) => x.qualifier === 'TE')?.number;
    const out: { -readonly [K in keyof PrimaryCareProvider]: PrimaryCareProvider[K] } = { name };
    if (n.idQualifier !== undefined) out.idQualifier = n.idQualifier;
    if (n.id !== undefined) out.id = n.id;
    if (phone !== undefined) out.phone = phone;
    return out;
  }
  return undefined;
}

/**
 * Another payer the 271 reports for the member: an EB*R (other or additional payer) with its 2120 NM1 —
 * PRP primary, SEP secondary, TTP tertiary, PR payer or P4 prior carrier (role not stated) — the member's id
 * with that payer from the EB loop's REF (IG policy, 1W member id; 6P group, 18 plan), and DTP*290 (coordination of
 * benefits) when given.
 */
export interface OtherPayer {
  /** Whose turn the 271 says it is: PRP → 'primary', SEP → 'secondary', TTP → 'tertiary', else 'unknown'. */
  readonly role: 'primary' | 'secondary' | 'tertiary' | 'unknown';
  readonly name?: string;
  /** 2120 NM108 / NM109 (PI payer id, XV CMS plan id, ...). */
  readonly idQualifier?: string;
  readonly id?: string;
  /** EB04 insurance type of the other coverage (C1 commercial, MB Medicare Part B, MC Medicaid, ...). */
  readonly insuranceType?: string;
  readonly memberId?: string;
  /** REF*6P group number and REF*18 plan number of the other coverage. */
  readonly groupNumber?: string;
  readonly planNumber?: string;
  /** DTP*290 coordination of benefits date (the start of the other coverage). */
  readonly since?: string;
}

const OTHER_PAYER_ROLES: Readonly<Record<string, OtherPayer['role']>> = {
  PRP: 'primary',
  SEP: 'secondary',
  TTP: 'tertiary',
};

function otherPayers(benefits: readonly BenefitInformation[]): OtherPayer[] {
  const out: OtherPayer[] = [];
  for (const b of benefits) {
    if (b.code !== 'R') continue;
    const e =
      b.relatedEntities.find((x) => ['PRP', 'SEP', 'TTP', 'PR'].includes(x.name.entityIdentifier)) ??
      b.relatedEntities[0];
    const o: Mutable<OtherPayer> = {
      role: OTHER_PAYER_ROLES[e?.name.entityIdentifier ?? ''] ?? 'unknown',
    };
    const n = e?.name;
    if (n?.lastOrOrganizationName !== undefined) o.name = n.lastOrOrganizationName;
    if (n?.idQualifier !== undefined) o.idQualifier = n.idQualifier;
    if (n?.id !== undefined) o.id = n.id;
    if (b.insuranceType !== undefined) o.insuranceType = b.insuranceType;
    const member = refValue(b.references, 'IG') ?? refValue(b.references, '1W');
    if (member !== undefined) o.memberId = member;
    const group = refValue(b.references, '6P');
    if (group !== undefined) o.groupNumber = group;
    const plan = refValue(b.references, '18');
    if (plan !== undefined) o.planNumber = plan;
    const since = b.dates.find((d) => d.qualifier === '290')?.start;
    if (since !== undefined) o.since = since;
    out.push(o);
  }
  return out;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Summarises one subscriber or dependent of a 271. `context` gives the levels above it, whose AAA rejects and
 * references (a dependent's group number is on the subscriber) apply too.
 */
export function summarizeMember(
  member: EligibilityMember,
  context: {
    source?: InformationSource;
    receiver?: InformationReceiver;
    subscriber?: EligibilityMember;
  } = {},
): EligibilitySummary {
  const rejects: EligibilityReject[] = [];
  if (context.source !== undefined) {
    for (const v of context.source.levelValidations) rejects.push(reject('2000A', v));
    for (const v of context.source.validations) rejects.push(reject('2100A', v));
  }
  if (context.receiver !== undefined)
    for (const v of context.receiver.validations) rejects.push(reject('2100B', v));
  if (context.subscriber !== undefined)
    for (const v of context.subscriber.validations) rejects.push(reject('2100C', v));
  const nameLoop = member.loop === '2000C' ? '2100C' : '2100D';
  const benefitLoop = member.loop === '2000C' ? '2110C' : '2110D';
  for (const v of member.validations) rejects.push(reject(nameLoop, v));
  for (const b of member.benefits) for (const v of b.validations) rejects.push(reject(benefitLoop, v));

  // Coverage status comes from the EB*1-8 for health benefit plan coverage (service type 30, or none given);
  // an EB*1 for a single service (vision, pharmacy) does not make an inactive plan active.
  const isActive = (b: BenefitInformation): boolean => (ACTIVE_EB01 as readonly string[]).includes(b.code);
  const isInactive = (b: BenefitInformation): boolean =>
    (INACTIVE_EB01 as readonly string[]).includes(b.code);
  const statusEbs = member.benefits.filter((b) => isActive(b) || isInactive(b));
  const planEbs = statusEbs.filter((b) => b.serviceTypes.length === 0 || b.serviceTypes.includes('30'));
  const candidates = planEbs.length > 0 ? planEbs : statusEbs;
  const active = candidates.find(isActive);
  const inactive = candidates.find(isInactive);
  const status: CoverageStatus =
    active !== undefined
      ? 'active'
      : inactive !== undefined
        ? 'inactive'
        : rejects.length > 0
          ? 'rejected'
          : 'unknown';
  const coverage = active ?? inactive;

  // Dates: the member's DTPs, then those on the coverage EB (2110 DTP 346/347/356/357/307).
  const dates = [...member.dates, ...(coverage?.dates ?? [])];
  const dateOf = (q: string): string | undefined => dates.find((d) => d.qualifier === q)?.start;
  const rangeOf = (q: string): { start?: string; end?: string } => {
    const d = dates.find((x) => x.qualifier === q && x.format === 'RD8');
    const out: { start?: string; end?: string } = {};
    if (d?.start !== undefined) out.start = d.start;
    if (d?.end !== undefined) out.end = d.end;
    return out;
  };
  const plan = rangeOf('291');
  const elig = rangeOf('307');
  const refs = [...member.references, ...(context.subscriber?.references ?? [])];
  const subscriberName = member.loop === '2000D' ? context.subscriber?.name : member.name;
  const group = refs.find((r) => r.qualifier === '6P');

  const out: Mutable<EligibilitySummary> = {
    loop: member.loop,
    status,
    payerCorrectedDemographics: member.relationship?.maintenanceType === '001',
    otherPayers: otherPayers(member.benefits),
    inNetwork: costSharing(member.benefits, 'in'),
    outOfNetwork: costSharing(member.benefits, 'out'),
    rejects,
  };
  const set = <K extends keyof EligibilitySummary>(k: K, v: EligibilitySummary[K] | undefined): void => {
    if (v !== undefined) out[k] = v;
  };
  set('traceNumber', member.traces.find((t) => t.typeCode === '2')?.referenceId);
  set('payerName', context.source?.name.lastOrOrganizationName);
  set('payerId', context.source?.name.id);
  set('planBegin', dateOf('346') ?? plan.start);
  set('planEnd', dateOf('347') ?? plan.end);
  set('eligibilityBegin', dateOf('356') ?? elig.start);
  set('eligibilityEnd', dateOf('357') ?? elig.end);
  set(
    'planDescription',
    coverage?.planDescription ??
      member.benefits.find((b) => b.planDescription !== undefined)?.planDescription,
  );
  set(
    'insuranceType',
    coverage?.insuranceType ?? member.benefits.find((b) => b.insuranceType !== undefined)?.insuranceType,
  );
  set('groupNumber', group?.value);
  set('groupName', group?.description);
  set('planNumber', refValue(refs, '18'));
  set('policyNumber', refValue(refs, 'IG'));
  set('memberId', member.name.id ?? subscriberName?.id);
  set('priorMemberId', refValue(refs, 'Q4'));
  set('lastName', member.name.lastOrOrganizationName);
  set('firstName', member.name.firstName);
  set('middleName', member.name.middleName);
  set('demographics', member.demographics);
  set('address', member.address);
  set('primaryCareProvider', pcp(member.benefits));
  return out;
}

/** Summaries of every subscriber and dependent in a 271, in file order. */
export function summarizeEligibility(tx: EligibilityTransaction): EligibilitySummary[] {
  const out: EligibilitySummary[] = [];
  for (const source of tx.sources) {
    for (const receiver of source.receivers) {
      for (const subscriber of receiver.subscribers) {
        out.push(summarizeMember(subscriber, { source, receiver }));
        for (const d of subscriber.dependents) out.push(summarizeMember(d, { source, receiver, subscriber }));
      }
    }
  }
  return out;
}

/**
 * Whether coverage is in force on a date (YYYY-MM-DD): active status and the date inside the known plan /
 * eligibility begin and end dates.
 */
export function coveredOn(s: EligibilitySummary, date: string): boolean {
  if (s.status !== 'active') return false;
  for (const begin of [s.planBegin, s.eligibilityBegin])
    if (begin !== undefined && date < begin) return false;
  for (const end of [s.planEnd, s.eligibilityEnd]) if (end !== undefined && date > end) return false;
  return true;
}

/**
 * Every AAA reject of a 271 with readable reasons, including those above the member levels (2000A/2100A
 * payer cannot respond, 2100B provider not eligible), which leave no member to summarise.
 */
export function eligibilityRejects(tx: EligibilityTransaction): EligibilityReject[] {
  const out: EligibilityReject[] = [];
  const member = (m: EligibilityMember): void => {
    const nameLoop = m.loop === '2000C' ? '2100C' : '2100D';
    const benefitLoop = m.loop === '2000C' ? '2110C' : '2110D';
    for (const v of m.validations) out.push(reject(nameLoop, v));
    for (const b of m.benefits) for (const v of b.validations) out.push(reject(benefitLoop, v));
    for (const d of m.dependents) member(d);
  };
  for (const s of tx.sources) {
    for (const v of s.levelValidations) out.push(reject('2000A', v));
    for (const v of s.validations) out.push(reject('2100A', v));
    for (const r of s.receivers) {
      for (const v of r.validations) out.push(reject('2100B', v));
      for (const m of r.subscribers) member(m);
    }
  }
  return out;
}
