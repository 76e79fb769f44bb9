/**
 * The simulated payer's adjudication core: a claim in, line and claim adjudication out, with CAS group
 * codes, CARC/RARC and benefit accumulators. Pure functions over the simulator's OWN claim type (issue 4:
 * the payer reads only what arrives in the 837; it must never import OpenRCM's scrubber, claim or posting
 * code, so the two cannot share a mistake). The 837 reader will map a parsed claim into `SimClaim`.
 *
 * Balancing (835 TR3, DOMAIN.md): for every line, charge − Σ CAS = paid; for the claim, Σ line charge −
 * Σ line CAS = Σ line paid. Amounts are integer cents throughout.
 *
 * Rule order (first hit decides a line's denial; a denied line carries one CAS for its whole charge):
 * claim-level front end (member id format / member not found → rejection, no adjudication), timely filing
 * CO-29, then per line: coverage terminated CO-27, provider not enrolled CO-B7, duplicate CO-18,
 * non-covered CO-96/CO-204, prior authorization CO-197, place of service CO-5, missing diagnosis CO-11,
 * medical necessity CO-50, laterality modifier CO-4, bundling CO-97, units CO-151; then pricing
 * (CO-45 contractual) and cost sharing (PR-1 deductible, PR-2 coinsurance, PR-3 copay).
 */
import { daysBetween, addDays, toDay, weekdayOfDay } from '../dates.ts';
import { isValidMemberId } from '../ids.ts';
import type { Rng } from '../prng.ts';
import { nonCoveredEntry, requiresAuth } from './profiles.ts';
import type { PayerProfile } from './profiles.ts';
import type { PtpPair } from '../data/ncci.ts';
import { rulesOn, type DatedRuleChange } from './policy.ts';

/** One service line as the payer receives it (837P loop 2400). */
export interface SimClaimLine {
  /** Line item control number (2400 REF*6R), echoed in the 835. */
  lineId: string;
  dateOfService: string;
  code: string;
  modifiers: readonly string[];
  units: number;
  chargeCents: number;
  /** 1-based pointers into the claim's diagnoses (SV107). */
  diagnosisPointers: readonly number[];
}

/** COB data a secondary payer receives (837P loops 2320/2430) for the primary's adjudication. */
export interface SimCobLine {
  lineId: string;
  primaryPaidCents: number;
  /** Patient responsibility the primary assigned, by group PR reason code ('1', '2', '3'). */
  patientResponsibility: Readonly<Record<string, number>>;
}

/** A professional claim as the payer sees it. */
export interface SimClaim {
  /** CLM01, our patient control number. */
  claimId: string;
  payerId: string;
  memberId: string;
  billingNpi: string;
  renderingNpi: string;
  /** 2310B PRV03 rendering provider taxonomy (decides the copay tier), null when absent. */
  renderingTaxonomy: string | null;
  /** 2310C service facility NPI, null when the service was at the billing provider's address. */
  serviceFacilityNpi: string | null;
  /** CLM05-1. */
  posCode: string;
  /** ICD-10-CM codes, with or without the dot. */
  diagnoses: readonly string[];
  /** 2300 REF*G1. */
  priorAuthNumber: string | null;
  /** Date the payer received the claim (timely filing counts to it). */
  receivedDate: string;
  lines: readonly SimClaimLine[];
  /** Present when this payer is secondary. */
  cob: readonly SimCobLine[] | null;
}

/** A member on the payer's roster (the payer's truth, not the practice's file). */
export interface RosterEntry {
  memberId: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  /** The plan and group the payer has the member under (what its 271 returns; not checked on claims). */
  planName?: string;
  groupNumber?: string;
  /** Other coverage the payer knows of (coordination of benefits), reported in its 271 as EB*R. */
  otherCoverage?: { readonly payerId: string; readonly memberId: string };
}

export interface EnrollmentSpan {
  npi: string;
  effectiveFrom: string;
  effectiveTo: string | null;
}

/** A prior authorization on the payer's side. */
export interface PayerAuthorization {
  authNumber: string;
  memberId: string;
  codes: readonly string[];
  validFrom: string;
  validTo: string;
}

/** Everything the payer knows besides the claim. */
export interface PayerWorld {
  profile: PayerProfile;
  roster: ReadonlyMap<string, RosterEntry>;
  enrollments: readonly EnrollmentSpan[];
  authorizations: ReadonlyMap<string, PayerAuthorization>;
  /** Rules this payer adopts during the period, sorted by date (./policy.ts); absent: the profile's alone. */
  changes?: readonly DatedRuleChange[];
  /**
   * Contracted allowed amount per unit under the billing provider's contract, or undefined when the code
   * is not on that fee schedule.
   */
  fee(
    billingNpi: string,
    code: string,
    modifier: '26' | null,
    setting: 'nonfacility' | 'facility',
  ): number | undefined;
}

/** A member's benefit accumulators for one benefit year. */
export interface Accumulator {
  deductibleCents: number;
  outOfPocketCents: number;
}

export const ZERO_ACCUMULATOR: Readonly<Accumulator> = { deductibleCents: 0, outOfPocketCents: 0 };

export const CAS_GROUPS = ['CO', 'PR', 'OA', 'PI'] as const;
export type CasGroup = (typeof CAS_GROUPS)[number];

/** One claim adjustment (835 CAS triplet). */
export interface Cas {
  group: CasGroup;
  reason: string;
  amountCents: number;
}

export interface LineAdjudication {
  lineId: string;
  code: string;
  modifiers: readonly string[];
  units: number;
  chargeCents: number;
  allowedCents: number;
  paidCents: number;
  adjustments: Cas[];
  /** Remark codes (835 LQ*HE). */
  remarks: string[];
  denied: boolean;
}

export type ClaimStatus = 'paid' | 'partial' | 'denied';

export interface ClaimAdjudication {
  kind: 'adjudicated';
  claimId: string;
  /** CLP02: 1 processed as primary, 2 as secondary, 4 denied. */
  clp02: '1' | '2' | '4';
  status: ClaimStatus;
  chargeCents: number;
  paidCents: number;
  patientResponsibilityCents: number;
  lines: LineAdjudication[];
}

export const REJECTION_REASONS = ['member_id_format', 'member_not_found', 'no_lines'] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/** The payer's front end refused the claim (reported on a 277CA, no 835). */
export interface ClaimRejection {
  kind: 'rejected';
  claimId: string;
  reason: RejectionReason;
}

export type ClaimOutcome = ClaimAdjudication | ClaimRejection;

export interface AdjudicationInput {
  claim: SimClaim;
  world: PayerWorld;
  /** The member's accumulators for the benefit year of the claim's first date of service. */
  accumulator: Readonly<Accumulator>;
  /** Keys of lines this payer adjudicated before (see `lineKey`), for duplicate detection. */
  priorLineKeys: { has(key: string): boolean };
}

export interface AdjudicationResult {
  outcome: ClaimOutcome;
  accumulator: Accumulator;
  /** Keys of the lines adjudicated now (add them to the payer's history). */
  lineKeys: string[];
}

/** Duplicate-detection key: member, date of service, code, modifiers, rendering provider. */
export function lineKey(claim: SimClaim, line: SimClaimLine): string {
  return [
    claim.memberId,
    line.dateOfService,
    line.code,
    [...line.modifiers].sort().join(':'),
    claim.renderingNpi,
  ].join('|');
}

const EM = /^99[2-4]\d\d$|^G043[89]$/;
const OFFICE_EM = /^992[01]\d$/;
const PREVENTIVE = new Set([
  '99385',
  '99386',
  '99387',
  '99395',
  '99396',
  '99397',
  'G0438',
  'G0439',
  '90471',
  '90686',
]);
// Codes billed per side of the body: without RT/LT (or 50) the line is incomplete (CO-4).
const LATERAL = new Set([
  '20610',
  '20611',
  '20550',
  '73030',
  '73560',
  '73610',
  '73721',
  '29881',
  '29125',
  '69210',
]);
// Procedures not performed in an office: POS 11 on them is inconsistent (CO-5).
const FACILITY_ONLY = new Set(['93458', '29881']);
// NCCI-associated modifiers that allow a modifier-indicator-1 pair (CMS NCCI policy manual, ch. I).
const PTP_BYPASS = new Set([
  '59',
  'XE',
  'XS',
  'XP',
  'XU',
  '91',
  'LT',
  'RT',
  'E1',
  'E2',
  'E3',
  'E4',
  'FA',
  'F1',
  'F2',
  'F3',
  'F4',
  'F5',
  'F6',
  'F7',
  'F8',
  'F9',
  'TA',
  'T1',
  'T2',
  'T3',
  'T4',
  'T5',
  'T6',
  'T7',
  'T8',
  'T9',
  'LC',
  'LD',
  'RC',
  'LM',
  'RI',
]);

const enrollmentCache = new WeakMap<readonly EnrollmentSpan[], Map<string, EnrollmentSpan[]>>();

/** Enrollment spans by NPI (cached per spans array; the arrays are treated as immutable). */
function enrollmentIndex(spans: readonly EnrollmentSpan[]): Map<string, EnrollmentSpan[]> {
  let m = enrollmentCache.get(spans);
  if (!m) {
    m = new Map();
    for (const e of spans) {
      const list = m.get(e.npi);
      if (list) list.push(e);
      else m.set(e.npi, [e]);
    }
    enrollmentCache.set(spans, m);
  }
  return m;
}

const pairCache = new WeakMap<readonly PtpPair[], Map<string, (readonly [string, 0 | 1 | 9])[]>>();

/** Bundling pairs indexed by their column-2 (component) code. */
function pairIndex(pairs: readonly PtpPair[]): Map<string, (readonly [string, 0 | 1 | 9])[]> {
  let m = pairCache.get(pairs);
  if (!m) {
    m = new Map();
    for (const [c1, c2, mi] of pairs) {
      const list = m.get(c2);
      if (list) list.push([c1, mi]);
      else m.set(c2, [[c1, mi]]);
    }
    pairCache.set(pairs, m);
  }
  return m;
}

function normDx(d: string): string {
  return d.replace('.', '').toUpperCase();
}

function spanCovers(from: string, to: string | null, date: string): boolean {
  return from <= date && (to === null || to >= date);
}

function denyLine(
  line: SimClaimLine,
  group: CasGroup,
  reason: string,
  remarks: string[] = [],
): LineAdjudication {
  return {
    lineId: line.lineId,
    code: line.code,
    modifiers: line.modifiers,
    units: line.units,
    chargeCents: line.chargeCents,
    allowedCents: 0,
    paidCents: 0,
    adjustments: [{ group, reason, amountCents: line.chargeCents }],
    remarks,
    denied: true,
  };
}

/** Adjudicates one claim. Pure: the same input gives the same result, and nothing is mutated. */
export function adjudicate(input: AdjudicationInput): AdjudicationResult {
  const { claim, world } = input;
  const profile = world.profile;
  let acc: Accumulator = { ...input.accumulator };
  const unchanged = (outcome: ClaimOutcome): AdjudicationResult => ({
    outcome,
    accumulator: acc,
    lineKeys: [],
  });

  // Front end: the payer cannot find the member, so the claim never reaches adjudication (277CA).
  if (claim.lines.length === 0)
    return unchanged({ kind: 'rejected', claimId: claim.claimId, reason: 'no_lines' });
  if (!isValidMemberId(claim.memberId, profile.memberIdFormat)) {
    return unchanged({ kind: 'rejected', claimId: claim.claimId, reason: 'member_id_format' });
  }
  const member = world.roster.get(claim.memberId);
  if (!member) return unchanged({ kind: 'rejected', claimId: claim.claimId, reason: 'member_not_found' });

  const secondary = claim.cob !== null;
  const dxSet = claim.diagnoses.map(normDx);
  const lineCodes = claim.lines.map((l) => l.code);
  const lines: LineAdjudication[] = [];
  const lineKeys: string[] = [];
  let copayTaken = false;

  claim.lines.forEach((line, index) => {
    const key = lineKey(claim, line);
    lineKeys.push(key);
    const pointed = line.diagnosisPointers
      .map((p) => dxSet[p - 1])
      .filter((d): d is string => d !== undefined);

    // The payer's rules in force on the line's date of service (./policy.ts).
    const rules = world.changes ? rulesOn(profile, world.changes, line.dateOfService) : profile;
    // Claim-wide conditions evaluated per line (a claim's lines may span dates).
    if (daysBetween(line.dateOfService, claim.receivedDate) > profile.timelyFilingDays) {
      lines.push(denyLine(line, 'CO', '29'));
      return;
    }
    if (!spanCovers(member.effectiveFrom, member.effectiveTo, line.dateOfService)) {
      lines.push(denyLine(line, 'CO', '27'));
      return;
    }
    const enrolled = (enrollmentIndex(world.enrollments).get(claim.renderingNpi) ?? []).some((e) =>
      spanCovers(e.effectiveFrom, e.effectiveTo, line.dateOfService),
    );
    if (!enrolled && !secondary) {
      // B7: provider not certified/eligible to be paid on this date of service.
      lines.push(denyLine(line, 'CO', 'B7'));
      return;
    }
    if (input.priorLineKeys.has(key) || claim.lines.slice(0, index).some((l) => lineKey(claim, l) === key)) {
      lines.push(denyLine(line, 'CO', '18', ['N522']));
      return;
    }
    const nc = nonCoveredEntry(rules, line.code);
    if (nc) {
      lines.push(denyLine(line, 'CO', nc.carc, nc.carc === '204' ? ['N130'] : []));
      return;
    }
    if (requiresAuth(rules, line.code)) {
      const auth =
        claim.priorAuthNumber === null ? undefined : world.authorizations.get(claim.priorAuthNumber);
      const valid =
        auth !== undefined &&
        auth.memberId === claim.memberId &&
        auth.codes.includes(line.code) &&
        auth.validFrom <= line.dateOfService &&
        auth.validTo >= line.dateOfService;
      if (!valid) {
        lines.push(denyLine(line, 'CO', '197', ['M62']));
        return;
      }
    }
    const facilityPos = claim.posCode === '22' || claim.posCode === '24' || claim.posCode === '21';
    if (
      (facilityPos && (claim.serviceFacilityNpi === null || claim.serviceFacilityNpi === claim.billingNpi)) ||
      (claim.posCode === '11' && FACILITY_ONLY.has(line.code))
    ) {
      lines.push(denyLine(line, 'CO', '5', ['M77']));
      return;
    }
    if (pointed.length === 0) {
      lines.push(denyLine(line, 'CO', '11', ['M81']));
      return;
    }
    const necessity = rules.medicalNecessity[line.code];
    if (necessity && !pointed.some((d) => necessity.some((n) => normDx(n) === d))) {
      lines.push(denyLine(line, 'CO', '50', ['N115']));
      return;
    }
    if (LATERAL.has(line.code) && !line.modifiers.some((m) => m === 'RT' || m === 'LT' || m === '50')) {
      lines.push(denyLine(line, 'CO', '4', ['M20']));
      return;
    }
    // Bundling: this line is the component (column 2) of a comprehensive code billed the same day.
    const bundled = (pairIndex(rules.bundlingPairs).get(line.code) ?? []).some(([c1, mi]) => {
      if (c1 === line.code || !lineCodes.includes(c1)) return false;
      const other = claim.lines.find((l) => l.code === c1 && l.dateOfService === line.dateOfService);
      if (!other || mi === 9) return false;
      if (mi === 0) return true;
      // Modifier indicator 1: an E/M is separately payable only with 25; another component needs an
      // NCCI-associated modifier, where RT/LT count only when the two lines are on different sides.
      if (EM.test(line.code)) return !line.modifiers.includes('25');
      if (line.modifiers.some((m) => PTP_BYPASS.has(m) && m !== 'RT' && m !== 'LT')) return false;
      const side = (l: SimClaimLine) => l.modifiers.find((m) => m === 'RT' || m === 'LT') ?? '';
      return side(line) === '' || side(line) === side(other);
    });
    if (bundled) {
      lines.push(denyLine(line, 'CO', '97', ['M15']));
      return;
    }
    const limit = rules.unitLimits[line.code];
    if (limit !== undefined && line.units > limit) {
      lines.push(denyLine(line, 'CO', '151', ['N362']));
      return;
    }

    // Pricing: lesser of charge and contracted amount.
    const mod26 = line.modifiers.includes('26') ? '26' : null;
    const setting = facilityPos ? 'facility' : 'nonfacility';
    const perUnit = world.fee(claim.billingNpi, line.code, mod26, setting);
    if (secondary) {
      lines.push(secondaryLine(line, claim.cob ?? []));
      return;
    }
    if (perUnit === undefined) {
      // Not on the contract: the payer cannot price it (CO-16 with the missing-information remark).
      lines.push(denyLine(line, 'CO', '16', ['M51']));
      return;
    }
    const allowed = Math.min(line.chargeCents, perUnit * line.units);
    const adjustments: Cas[] = [];
    if (line.chargeCents > allowed)
      adjustments.push({ group: 'CO', reason: '45', amountCents: line.chargeCents - allowed });

    // Cost sharing, in the order benefit plans apply it: copay, deductible, coinsurance; capped by the out-of-pocket maximum.
    const b = profile.benefit;
    let remaining = allowed;
    const pr: Cas[] = [];
    const preventive = PREVENTIVE.has(line.code) && b.preventiveNoCostShare;
    if (!preventive) {
      const officeVisit = OFFICE_EM.test(line.code);
      const copay = officeVisit ? copayFor(profile, claim.renderingTaxonomy) : 0;
      if (copay > 0) {
        // Copay plans: the office visit costs the member the copay only, once per claim.
        if (!copayTaken) {
          const amount = Math.min(remaining, copay);
          pr.push({ group: 'PR', reason: '3', amountCents: amount });
          remaining -= amount;
          copayTaken = true;
        }
      } else {
        if (!officeVisit || b.officeVisitsToDeductible) {
          const ded = Math.min(remaining, Math.max(0, b.deductibleCents - acc.deductibleCents));
          if (ded > 0) {
            pr.push({ group: 'PR', reason: '1', amountCents: ded });
            remaining -= ded;
          }
        }
        const coins = Math.round((remaining * b.coinsuranceBp) / 10_000);
        if (coins > 0) pr.push({ group: 'PR', reason: '2', amountCents: coins });
      }
    }
    // Out-of-pocket maximum: trim patient responsibility (last applied first) to what is left of it.
    let patient = pr.reduce((s, c) => s + c.amountCents, 0);
    if (b.outOfPocketMaxCents > 0) {
      let over = acc.outOfPocketCents + patient - b.outOfPocketMaxCents;
      for (let i = pr.length - 1; i >= 0 && over > 0; i--) {
        const c = pr[i];
        if (!c) continue;
        const cut = Math.min(c.amountCents, over);
        c.amountCents -= cut;
        over -= cut;
      }
      patient = pr.reduce((s, c) => s + c.amountCents, 0);
    }
    const deductibleApplied = pr.filter((c) => c.reason === '1').reduce((t, c) => t + c.amountCents, 0);
    acc = {
      deductibleCents: acc.deductibleCents + deductibleApplied,
      outOfPocketCents: acc.outOfPocketCents + patient,
    };
    adjustments.push(...pr.filter((c) => c.amountCents > 0));
    lines.push({
      lineId: line.lineId,
      code: line.code,
      modifiers: line.modifiers,
      units: line.units,
      chargeCents: line.chargeCents,
      allowedCents: allowed,
      paidCents: allowed - patient,
      adjustments,
      remarks: [],
      denied: false,
    });
  });

  const chargeCents = lines.reduce((s, l) => s + l.chargeCents, 0);
  const paidCents = lines.reduce((s, l) => s + l.paidCents, 0);
  const patientResponsibilityCents = lines.reduce(
    (s, l) => s + l.adjustments.filter((c) => c.group === 'PR').reduce((t, c) => t + c.amountCents, 0),
    0,
  );
  const allDenied = lines.every((l) => l.denied);
  const status: ClaimStatus = allDenied ? 'denied' : lines.some((l) => l.denied) ? 'partial' : 'paid';
  return {
    outcome: {
      kind: 'adjudicated',
      claimId: claim.claimId,
      clp02: allDenied ? '4' : secondary ? '2' : '1',
      status,
      chargeCents,
      paidCents,
      patientResponsibilityCents,
      lines,
    },
    accumulator: acc,
    lineKeys,
  };
}

// NUCC taxonomies the simulated plans treat as primary care for the copay tier.
const PRIMARY_CARE_TAXONOMIES = new Set([
  '207Q00000X',
  '207R00000X',
  '208D00000X',
  '363LF0000X',
  '363LP2300X',
]);

/** Office-visit copay by the rendering provider's taxonomy (2310B PRV03): primary care or specialist tier. */
function copayFor(profile: PayerProfile, taxonomy: string | null): number {
  const primaryCare = taxonomy !== null && PRIMARY_CARE_TAXONOMIES.has(taxonomy);
  return primaryCare ? profile.benefit.primaryCareCopayCents : profile.benefit.specialistCopayCents;
}

/**
 * A supplement paying as secondary (Medigap Plan G style): pays the primary's coinsurance and copay,
 * leaves the deductible (PR-1) with the patient, and reports the primary's share as OA-23.
 */
function secondaryLine(line: SimClaimLine, cob: readonly SimCobLine[]): LineAdjudication {
  const c = cob.find((x) => x.lineId === line.lineId);
  if (!c) return denyLine(line, 'CO', '16', ['MA92']); // primary adjudication missing for this line
  const pr = c.patientResponsibility;
  const deductible = pr['1'] ?? 0;
  const covered = (pr['2'] ?? 0) + (pr['3'] ?? 0);
  const priorImpact = line.chargeCents - deductible - covered;
  const adjustments: Cas[] = [];
  if (priorImpact > 0) adjustments.push({ group: 'OA', reason: '23', amountCents: priorImpact });
  if (deductible > 0) adjustments.push({ group: 'PR', reason: '1', amountCents: deductible });
  return {
    lineId: line.lineId,
    code: line.code,
    modifiers: line.modifiers,
    units: line.units,
    chargeCents: line.chargeCents,
    allowedCents: deductible + covered,
    paidCents: covered,
    adjustments,
    remarks: [],
    denied: false,
  };
}

/** Adjudication date: receipt + a lag drawn from the payer's distribution (clamped to its min/max). */
export function adjudicationDate(receivedDate: string, profile: PayerProfile, rng: Rng): string {
  const lag = profile.adjudicationLag;
  const days = Math.round(rng.lognormal(lag.medianDays, lag.sigma));
  return addDays(receivedDate, Math.min(lag.maxDays, Math.max(lag.minDays, days)));
}

/** The payer's next payment run on or after `date` (its payment weekdays). */
export function paymentDate(date: string, profile: PayerProfile): string {
  const d = toDay(date);
  for (let i = 0; i < 7; i++)
    if (profile.paymentWeekdays.includes(weekdayOfDay(d + i))) return addDays(date, i);
  return date;
}
