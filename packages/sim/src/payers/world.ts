/**
 * Builds each simulated payer's view of the world from a generated data set: its member roster (the
 * payer's truth, i.e. with the ground truth's real member ids and termination dates, not the practice's
 * file), provider enrollments, authorizations and contracted fee schedules. And, for the realism check
 * of issue 4, claims written straight from the generated charges with no scrubbing.
 */
import type { Dataset, GroundTruth } from '../types.ts';
import { payerProfile } from './profiles.ts';
import type { EnrollmentSpan, PayerAuthorization, PayerWorld, RosterEntry, SimClaim } from './adjudicate.ts';

type WorldInput = Pick<
  Dataset,
  | 'practices'
  | 'providers'
  | 'coverages'
  | 'enrollments'
  | 'feeSchedules'
  | 'authorizations'
  | 'payers'
  | 'groundTruth'
>;

/** One PayerWorld per payer id. */
export function buildPayerWorlds(ds: WorldInput): Map<string, PayerWorld> {
  const truth = new Map<string, GroundTruth[]>();
  for (const g of ds.groundTruth) {
    if (g.scope !== 'coverage' || g.coverageId === null) continue;
    truth.set(g.coverageId, [...(truth.get(g.coverageId) ?? []), g]);
  }
  const providerNpi = new Map(ds.providers.map((p) => [p.providerId, p.npi]));
  const practiceNpi = new Map(ds.practices.map((p) => [p.practiceId, p.groupNpi]));
  const trueMemberId = new Map<string, string>();

  const rosters = new Map<string, Map<string, RosterEntry>>();
  for (const c of ds.coverages) {
    let memberId = c.memberId;
    let effectiveTo = c.effectiveTo;
    for (const g of truth.get(c.coverageId) ?? []) {
      if (g.errorKind === 'member_id_typo' && g.payerMemberId !== null) memberId = g.payerMemberId;
      if (g.errorKind === 'outdated_coverage' && g.payerTerminationDate !== null) {
        effectiveTo =
          effectiveTo === null || g.payerTerminationDate < effectiveTo ? g.payerTerminationDate : effectiveTo;
      }
    }
    trueMemberId.set(c.coverageId, memberId);
    const roster = rosters.get(c.payerId) ?? new Map<string, RosterEntry>();
    roster.set(memberId, { memberId, effectiveFrom: c.effectiveFrom, effectiveTo });
    rosters.set(c.payerId, roster);
  }

  const enrollments = new Map<string, EnrollmentSpan[]>();
  for (const e of ds.enrollments) {
    const npi = providerNpi.get(e.providerId);
    if (npi === undefined) continue;
    enrollments.set(e.payerId, [
      ...(enrollments.get(e.payerId) ?? []),
      { npi, effectiveFrom: e.effectiveFrom, effectiveTo: e.effectiveTo },
    ]);
  }

  const auths = new Map<string, Map<string, PayerAuthorization>>();
  for (const a of ds.authorizations) {
    const m = auths.get(a.payerId) ?? new Map<string, PayerAuthorization>();
    m.set(a.authNumber, {
      authNumber: a.authNumber,
      memberId: trueMemberId.get(a.coverageId) ?? '',
      codes: a.codes,
      validFrom: a.validFrom,
      validTo: a.validTo,
    });
    auths.set(a.payerId, m);
  }

  // Fee schedules keyed by billing NPI (the contract is with the practice) and code/modifier/setting.
  const fees = new Map<string, Map<string, number>>();
  for (const f of ds.feeSchedules) {
    const m = fees.get(f.payerId) ?? new Map<string, number>();
    m.set(
      `${practiceNpi.get(f.practiceId) ?? ''}|${f.code}|${f.modifier ?? ''}|${f.setting}`,
      f.allowedCents,
    );
    fees.set(f.payerId, m);
  }

  const worlds = new Map<string, PayerWorld>();
  for (const p of ds.payers) {
    const feeMap = fees.get(p.payerId) ?? new Map<string, number>();
    worlds.set(p.payerId, {
      profile: payerProfile(p.payerId),
      roster: rosters.get(p.payerId) ?? new Map(),
      enrollments: enrollments.get(p.payerId) ?? [],
      authorizations: auths.get(p.payerId) ?? new Map(),
      fee: (billingNpi, code, modifier, setting) =>
        feeMap.get(`${billingNpi}|${code}|${modifier ?? ''}|${setting}`),
    });
  }
  return worlds;
}

type ClaimInput = Pick<
  Dataset,
  'practices' | 'providers' | 'locations' | 'coverages' | 'encounters' | 'charges' | 'authorizations'
>;

/**
 * Primary claims written straight from the generated encounters and charges (no scrubbing, no holds):
 * what a careless biller would send. Received two days after documentation. Self-pay encounters get none.
 * For the realism check and benchmarks only; OpenRCM builds its own claims.
 */
export function naiveClaims(ds: ClaimInput): SimClaim[] {
  const practice = new Map(ds.practices.map((p) => [p.practiceId, p]));
  const provider = new Map(ds.providers.map((p) => [p.providerId, p]));
  const location = new Map(ds.locations.map((l) => [l.locationId, l]));
  const coverage = new Map(ds.coverages.map((c) => [c.coverageId, c]));
  const auth = new Map(ds.authorizations.map((a) => [a.authorizationId, a.authNumber]));
  const lines = new Map<string, Dataset['charges']>();
  for (const c of ds.charges) {
    const l = lines.get(c.encounterId);
    if (l) l.push(c);
    else lines.set(c.encounterId, [c]);
  }
  const claims: SimClaim[] = [];
  for (const e of ds.encounters) {
    const cov = e.primaryCoverageId === null ? undefined : coverage.get(e.primaryCoverageId);
    const prac = practice.get(e.practiceId);
    const prov = provider.get(e.renderingProviderId);
    const loc = location.get(e.locationId);
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
      priorAuthNumber: authId === null ? null : (auth.get(authId) ?? null),
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
