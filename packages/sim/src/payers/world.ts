/**
 * Builds each simulated payer's view of the world from a generated data set: its member roster (the
 * payer's truth, i.e. with the ground truth's real member ids and termination dates, not the practice's
 * file), provider enrollments, authorizations and contracted fee schedules. And, for the realism check
 * of issue 4, claims written straight from the generated charges with no scrubbing.
 */
import type { Dataset, GroundTruth, MonthData, SetupData } from '../types.ts';
import { payerProfile } from './profiles.ts';
import { changesByPayer, ruleTimeline } from './policy.ts';
import type { EnrollmentSpan, PayerAuthorization, PayerWorld, RosterEntry, SimClaim } from './adjudicate.ts';

type SetupInput = Pick<
  SetupData,
  | 'practices'
  | 'providers'
  | 'locations'
  | 'coverages'
  | 'enrollments'
  | 'feeSchedules'
  | 'payers'
  | 'groundTruth'
>;
type Activity = Pick<MonthData, 'encounters' | 'charges' | 'authorizations'>;

/**
 * The payers of one simulated organization: worlds built once from the setup, authorizations added as
 * months arrive, and naive claims built from each chunk of activity (lookup maps built once).
 */
export class SimulatedPayers {
  readonly worlds = new Map<string, PayerWorld>();
  private readonly auths = new Map<string, Map<string, PayerAuthorization>>();
  private readonly trueMemberId = new Map<string, string>();
  private readonly practice: Map<string, SetupData['practices'][number]>;
  private readonly provider: Map<string, SetupData['providers'][number]>;
  private readonly location: Map<string, SetupData['locations'][number]>;
  private readonly coverage: Map<string, SetupData['coverages'][number]>;

  /**
   * `dataset`: the data set's first date of service and generator seed; with it the payers apply their rule
   * changes during the period (./policy.ts). Without it they keep the rules of their profiles.
   */
  constructor(setup: SetupInput, dataset?: { readonly startDate: string; readonly seed: number | string }) {
    const truth = new Map<string, GroundTruth[]>();
    for (const g of setup.groundTruth) {
      if (g.scope !== 'coverage' || g.coverageId === null) continue;
      truth.set(g.coverageId, [...(truth.get(g.coverageId) ?? []), g]);
    }
    this.practice = new Map(setup.practices.map((p) => [p.practiceId, p]));
    this.provider = new Map(setup.providers.map((p) => [p.providerId, p]));
    this.location = new Map(setup.locations.map((l) => [l.locationId, l]));
    this.coverage = new Map(setup.coverages.map((c) => [c.coverageId, c]));

    const rosters = new Map<string, Map<string, RosterEntry>>();
    const enrol = (payerId: string, entry: RosterEntry): void => {
      const roster = rosters.get(payerId) ?? new Map<string, RosterEntry>();
      roster.set(entry.memberId, entry);
      rosters.set(payerId, roster);
    };
    for (const c of setup.coverages) {
      const entry: RosterEntry = {
        memberId: c.memberId,
        effectiveFrom: c.effectiveFrom,
        effectiveTo: c.effectiveTo,
        planName: c.planName,
        ...(c.groupNumber === null ? {} : { groupNumber: c.groupNumber }),
      };
      for (const g of truth.get(c.coverageId) ?? []) {
        if (g.errorKind === 'member_id_typo' && g.payerMemberId !== null) entry.memberId = g.payerMemberId;
        if (g.errorKind === 'outdated_coverage' && g.payerTerminationDate !== null) {
          entry.effectiveTo =
            entry.effectiveTo === null || g.payerTerminationDate < entry.effectiveTo
              ? g.payerTerminationDate
              : entry.effectiveTo;
        }
        // The payer's own plan and group for the member (its 271 returns them; claims are not checked on them).
        if (g.errorKind === 'plan_change') {
          if (g.payerPlanName !== null) entry.planName = g.payerPlanName;
          if (g.payerGroupNumber !== null) entry.groupNumber = g.payerGroupNumber;
        }
        // Coordination of benefits the practice does not know of: the payer reports the other coverage, and
        // the other payer has the member on its roster (secondary claims to it would be paid).
        if (g.errorKind === 'unknown_other_coverage' && g.otherPayerId !== null && g.otherMemberId !== null) {
          entry.otherCoverage = { payerId: g.otherPayerId, memberId: g.otherMemberId };
          enrol(g.otherPayerId, {
            memberId: g.otherMemberId,
            effectiveFrom: c.effectiveFrom,
            effectiveTo: entry.effectiveTo,
          });
        }
      }
      this.trueMemberId.set(c.coverageId, entry.memberId);
      enrol(c.payerId, entry);
    }

    const enrollments = new Map<string, EnrollmentSpan[]>();
    for (const e of setup.enrollments) {
      const npi = this.provider.get(e.providerId)?.npi;
      if (npi === undefined) continue;
      const list = enrollments.get(e.payerId) ?? [];
      list.push({ npi, effectiveFrom: e.effectiveFrom, effectiveTo: e.effectiveTo });
      enrollments.set(e.payerId, list);
    }

    // Fee schedules keyed by billing NPI (the contract is with the practice) and code/modifier/setting.
    const fees = new Map<string, Map<string, number>>();
    for (const f of setup.feeSchedules) {
      const m = fees.get(f.payerId) ?? new Map<string, number>();
      m.set(
        `${this.practice.get(f.practiceId)?.groupNpi ?? ''}|${f.code}|${f.modifier ?? ''}|${f.setting}`,
        f.allowedCents,
      );
      fees.set(f.payerId, m);
    }

    const changes = dataset ? changesByPayer(ruleTimeline(dataset.seed, dataset.startDate)) : null;
    for (const p of setup.payers) {
      const feeMap = fees.get(p.payerId) ?? new Map<string, number>();
      const auth = new Map<string, PayerAuthorization>();
      this.auths.set(p.payerId, auth);
      this.worlds.set(p.payerId, {
        profile: payerProfile(p.payerId),
        roster: rosters.get(p.payerId) ?? new Map(),
        enrollments: enrollments.get(p.payerId) ?? [],
        authorizations: auth,
        ...(changes === null ? {} : { changes: changes.get(p.payerId) ?? [] }),
        fee: (billingNpi, code, modifier, setting) =>
          feeMap.get(`${billingNpi}|${code}|${modifier ?? ''}|${setting}`),
      });
    }
  }

  /** Records authorizations on the payer side (keyed by the member id the payer really has). */
  addAuthorizations(authorizations: Activity['authorizations']): void {
    for (const a of authorizations) {
      this.auths.get(a.payerId)?.set(a.authNumber, {
        authNumber: a.authNumber,
        memberId: this.trueMemberId.get(a.coverageId) ?? '',
        codes: a.codes,
        validFrom: a.validFrom,
        validTo: a.validTo,
      });
    }
  }

  /**
   * Forgets authorizations that ended before `date`: no claim the payer can still pay has a date of
   * service they cover (the caller knows every future claim is on or after `date`, or that anything
   * earlier is past timely filing).
   */
  pruneAuthorizations(date: string, payerId?: string): void {
    for (const [id, auths] of this.auths) {
      if (payerId !== undefined && id !== payerId) continue;
      for (const [n, a] of auths) if (a.validTo < date) auths.delete(n);
    }
  }

  /** Authorizations held by all payers (benchmark). */
  authorizationCount(): number {
    let n = 0;
    for (const a of this.auths.values()) n += a.size;
    return n;
  }

  /**
   * Primary claims written straight from encounters and charges (no scrubbing, no holds): what a
   * careless biller would send, received two days after documentation. Self-pay encounters get none.
   * For the realism check and benchmarks only; OpenRCM builds its own claims.
   */
  naiveClaims(activity: Activity): SimClaim[] {
    const authNumber = new Map(activity.authorizations.map((a) => [a.authorizationId, a.authNumber]));
    const lines = new Map<string, Activity['charges']>();
    for (const c of activity.charges) {
      const l = lines.get(c.encounterId);
      if (l) l.push(c);
      else lines.set(c.encounterId, [c]);
    }
    const claims: SimClaim[] = [];
    for (const e of activity.encounters) {
      const cov = e.primaryCoverageId === null ? undefined : this.coverage.get(e.primaryCoverageId);
      const prac = this.practice.get(e.practiceId);
      const prov = this.provider.get(e.renderingProviderId);
      const loc = this.location.get(e.locationId);
      if (!cov || !prac || !prov || !loc) continue;
      const charges = lines.get(e.encounterId) ?? [];
      const authId = charges.find((c) => c.authorizationId !== null)?.authorizationId ?? null;
      const received = new Date(Date.parse(e.documentedAt) + 2 * 86_400_000).toISOString().slice(0, 10);
      claims.push({
        claimId: e.encounterId,
        payerId: cov.payerId,
        memberId: cov.memberId,
        billingNpi: prac.groupNpi,
        renderingNpi: prov.npi,
        renderingTaxonomy: prov.taxonomy,
        serviceFacilityNpi: loc.npi === prac.groupNpi ? null : loc.npi,
        posCode: e.posCode,
        diagnoses: e.diagnoses,
        priorAuthNumber: authId === null ? null : (authNumber.get(authId) ?? null),
        receivedDate: received,
        lines: charges.map((c) => ({
          lineId: c.chargeId,
          dateOfService: c.dateOfService,
          code: c.code,
          modifiers: c.modifiers,
          units: c.units,
          chargeCents: c.chargeCents,
          diagnosisPointers: c.diagnosisPointers,
        })),
        cob: null,
      });
    }
    return claims;
  }
}

/** One PayerWorld per payer id, for a whole in-memory data set. */
export function buildPayerWorlds(ds: SetupInput & Pick<Dataset, 'authorizations'>): Map<string, PayerWorld> {
  const payers = new SimulatedPayers(ds);
  payers.addAuthorizations(ds.authorizations);
  return payers.worlds;
}

/** Naive claims for a whole in-memory data set (see `SimulatedPayers.naiveClaims`). */
export function naiveClaims(ds: SetupInput & Activity): SimClaim[] {
  return new SimulatedPayers(ds).naiveClaims(ds);
}
