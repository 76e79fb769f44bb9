import {
  centsFromDb,
  phi,
  type CalendarDate,
  type ClaimId,
  type ClaimLineId,
  type Icd10Code,
  type MemberId,
  type Modifier,
  type Npi,
  type PatientId,
  type PayerCode,
  type PayerId,
  type PlaceOfService,
  type PracticeId,
  type ProcedureCode,
  type ProviderId,
  type TaxonomyCode,
  type Tin,
} from '@openrcm/core';
import type { PracticeScope, Queryable } from '@openrcm/db';
import type {
  BillingProvider,
  Claim,
  ClaimCoverage,
  ClaimLine,
  ClaimProvider,
  CoverageRank,
  FrequencyCode,
  PayerType,
  Person,
  RelationshipCode,
} from './model.ts';

/**
 * (The per-id look-ups are written as LATERAL joins with OFFSET 0 on purpose: each claim and line is then found
 * through its index whatever the planner believes about table sizes. Without the OFFSET the planner flattens a
 * simple LATERAL sub-select into an ordinary join and, with fresh statistics, hashes every claim (or merges every
 * line) of the practice for each page: a run of N claims then cost O(N²).)
 *
 * Reads claims (their latest version) from the database into the engine's `Claim` model: what the scrubber
 * checks and the 837P writer serializes. Values are taken as stored — identifiers are not re-validated here,
 * because catching a bad NPI or member id is the scrubber's job and must produce an issue, not an exception.
 * Patient-identifying values are wrapped in `Phi`.
 */

type ClaimRow = {
  claim_id: number;
  practice_id: number;
  version_id: number;
  version_no: number;
  frequency_code: string;
  original_payer_claim_number: string | null;
  patient_control_number: string;
  total_charge_cents: number;
  diagnosis_codes: string[];
  service_date_from: string;
  place_of_service: string;
  prior_authorization: string | null;
  // billing provider (the practice, 2010AA)
  practice_name: string;
  practice_npi: string | null;
  practice_tin: string | null;
  practice_taxonomy: string | null;
  practice_address1: string | null;
  practice_city: string | null;
  practice_state: string | null;
  practice_zip: string | null;
  // rendering provider (2310B)
  rendering_id: number;
  rendering_npi: string;
  rendering_first: string | null;
  rendering_last: string;
  rendering_taxonomy: string | null;
  // service facility (2310C)
  location_name: string;
  location_npi: string | null;
  location_pos: string;
  location_address1: string;
  location_city: string;
  location_state: string;
  location_zip: string;
  patient_id: number;
  coverage_id: number;
  referring_npi: string | null;
};

type CoverageRow = {
  coverage_id: number;
  patient_id: number;
  priority: string;
  payer_id: number;
  payer_code: string;
  payer_name: string;
  payer_type: string;
  timely_filing_days: number;
  claim_filing_indicator: string;
  member_id: string;
  group_number: string | null;
  plan_name: string | null;
  relationship: string;
  subscriber_first_name: string | null;
  subscriber_last_name: string | null;
  subscriber_date_of_birth: string | null;
  subscriber_sex: string | null;
  effective_from: string;
  effective_to: string | null;
  p_first: string;
  p_last: string;
  p_dob: string;
  p_sex: string;
  p_address1: string | null;
  p_city: string | null;
  p_state: string | null;
  p_zip: string | null;
};

type LineRow = {
  claim_id: number;
  line_id: number;
  line_number: number;
  line_control_number: string;
  procedure_code: string;
  modifiers: string[];
  units: number;
  charge_cents: number;
  diagnosis_pointers: number[];
  service_date_from: string;
  service_date_to: string;
  place_of_service: string | null;
  auth_number: string | null;
  /** The line's own rendering provider (2420A), where it is not the claim's (migration 0018). */
  rp_id: number | null;
  rp_npi: string | null;
  rp_first: string | null;
  rp_last: string | null;
  rp_taxonomy: string | null;
};

function sexOf(v: string | null): 'F' | 'M' | 'U' {
  return v === 'F' || v === 'M' ? v : 'U';
}

function personFrom(c: CoverageRow, asSubscriber: boolean): Person {
  const self = !asSubscriber || c.relationship === '18';
  const address = {
    line1: c.p_address1 ?? '',
    city: c.p_city ?? '',
    state: c.p_state ?? '',
    postalCode: c.p_zip ?? '',
  };
  return {
    lastName: phi(self ? c.p_last : (c.subscriber_last_name ?? '')),
    firstName: phi(self ? c.p_first : (c.subscriber_first_name ?? '')),
    birthDate: phi((self ? c.p_dob : (c.subscriber_date_of_birth ?? c.p_dob)) as CalendarDate),
    sex: sexOf(self ? c.p_sex : c.subscriber_sex),
    // The subscriber's own address is not on file separately: the patient's household address is sent.
    address: phi(address),
  };
}

function coverageFrom(c: CoverageRow): ClaimCoverage {
  return {
    rank: c.priority as CoverageRank,
    payer: {
      payerId: c.payer_id as PayerId,
      payerCode: c.payer_code as PayerCode,
      name: c.payer_name,
      type: c.payer_type as PayerType,
      timelyFilingDays: c.timely_filing_days,
      claimFilingIndicator: c.claim_filing_indicator,
    },
    memberId: phi(c.member_id as MemberId),
    ...(c.group_number === null ? {} : { groupNumber: c.group_number }),
    ...(c.plan_name === null ? {} : { planName: c.plan_name }),
    relationship: c.relationship as RelationshipCode,
    subscriber: personFrom(c, true),
    effectiveFrom: c.effective_from as CalendarDate,
    ...(c.effective_to === null ? {} : { effectiveTo: c.effective_to as CalendarDate }),
  };
}

/**
 * Runs `sql` and returns its rows as one JSON array (`json_agg`, in `order`): one value to transfer and one
 * JSON.parse instead of a parsed field per column and row, which made the row transfer most of the cost of loading
 * a page (about 2.5× the CPU on PGlite, where the transfer is in-process). Values arrive as JSON: numbers,
 * strings, arrays; money columns are decoded with `centsFromDb` (a safe-integer check) by the caller.
 */
async function jsonRows<T>(
  q: Queryable,
  sql: string,
  params: readonly unknown[],
  order: string,
): Promise<T[]> {
  const res = await q.query<{ rows: T[] | null }>(
    `SELECT json_agg(x ORDER BY ${order}) AS rows FROM (${sql}) x`,
    params,
  );
  return res.rows[0]?.rows ?? [];
}

/** Loads the latest version of each claim, in the order of `claimIds`. Unknown ids are left out. */
export async function loadClaims(
  q: Queryable,
  scope: PracticeScope,
  claimIds: readonly number[],
): Promise<Claim[]> {
  if (claimIds.length === 0) return [];
  const claims = await jsonRows<ClaimRow>(
    q,
    `SELECT cl.id AS claim_id, cl.practice_id, v.id AS version_id, v.version_no, v.frequency_code, v.original_payer_claim_number,
            cl.patient_control_number, v.total_charge_cents, v.diagnosis_codes, v.service_date_from::text AS service_date_from,
            v.place_of_service, v.prior_authorization,
            pr.name AS practice_name, pr.npi AS practice_npi, pr.tin AS practice_tin, pr.taxonomy_code AS practice_taxonomy,
            pr.address_line1 AS practice_address1, pr.city AS practice_city, pr.state AS practice_state, pr.postal_code AS practice_zip,
            rp.id AS rendering_id, rp.npi AS rendering_npi, rp.first_name AS rendering_first, rp.last_name AS rendering_last,
            rp.taxonomy_code AS rendering_taxonomy,
            lo.name AS location_name, lo.npi AS location_npi, lo.place_of_service AS location_pos, lo.address_line1 AS location_address1,
            lo.city AS location_city, lo.state AS location_state, lo.postal_code AS location_zip,
            cl.patient_id, cl.coverage_id, e.referring_provider_npi AS referring_npi
       FROM unnest($2::bigint[]) AS ids(id)
       CROSS JOIN LATERAL (SELECT * FROM claims c WHERE c.id = ids.id AND c.practice_id = $1 OFFSET 0) cl
       JOIN LATERAL (SELECT * FROM claim_versions cv WHERE cv.claim_id = cl.id
                      ORDER BY cv.version_no DESC LIMIT 1) v ON v.practice_id = cl.practice_id
       JOIN practices pr ON pr.id = cl.practice_id
       JOIN providers rp ON rp.practice_id = cl.practice_id AND rp.id = cl.rendering_provider_id
       JOIN locations lo ON lo.practice_id = cl.practice_id AND lo.id = cl.location_id
       CROSS JOIN LATERAL (SELECT x.referring_provider_npi FROM encounters x
                            WHERE x.id = cl.encounter_id AND x.practice_id = cl.practice_id OFFSET 0) e`,
    [scope.practiceId, claimIds],
    'x.claim_id',
  );
  const patientIds = [...new Set(claims.map((r) => r.patient_id))];
  const coverages = await jsonRows<CoverageRow>(
    q,
    `SELECT c.id AS coverage_id, c.patient_id, c.priority, c.payer_id, py.payer_code, py.name AS payer_name, py.payer_type,
            COALESCE(pps.timely_filing_days_override, py.timely_filing_days) AS timely_filing_days, py.claim_filing_indicator,
            c.member_id, c.group_number, c.plan_name, c.relationship, c.subscriber_first_name, c.subscriber_last_name,
            c.subscriber_date_of_birth::text AS subscriber_date_of_birth, c.subscriber_sex,
            c.effective_from::text AS effective_from, c.effective_to::text AS effective_to,
            p.first_name AS p_first, p.last_name AS p_last, p.date_of_birth::text AS p_dob, p.sex AS p_sex,
            p.address_line1 AS p_address1, p.city AS p_city, p.state AS p_state, p.postal_code AS p_zip
       FROM coverages c
       JOIN payers py ON py.id = c.payer_id
       JOIN patients p ON p.practice_id = c.practice_id AND p.id = c.patient_id
       LEFT JOIN practice_payer_settings pps ON pps.practice_id = c.practice_id AND pps.payer_id = c.payer_id
      WHERE c.practice_id = $1 AND c.patient_id = ANY($2::bigint[])`,
    [scope.practiceId, patientIds],
    'x.patient_id, x.priority, x.effective_from, x.coverage_id',
  );
  const byPatient = new Map<number, CoverageRow[]>();
  for (const c of coverages) {
    const list = byPatient.get(c.patient_id) ?? [];
    list.push(c);
    byPatient.set(c.patient_id, list);
  }
  const lines = await jsonRows<LineRow>(
    q,
    `SELECT l.claim_id, l.id AS line_id, l.line_number, l.line_control_number, l.procedure_code, l.modifiers, l.units,
            l.charge_cents, l.diagnosis_pointers, l.service_date_from::text AS service_date_from,
            l.service_date_to::text AS service_date_to, l.place_of_service, a.auth_number,
            rp.id AS rp_id, rp.npi AS rp_npi, rp.first_name AS rp_first, rp.last_name AS rp_last,
            rp.taxonomy_code AS rp_taxonomy
       FROM unnest($2::bigint[]) AS v(id)
       CROSS JOIN LATERAL (SELECT * FROM claim_lines x WHERE x.claim_version_id = v.id AND x.practice_id = $1 OFFSET 0) l
       LEFT JOIN providers rp ON rp.practice_id = l.practice_id AND rp.id = l.rendering_provider_id
       LEFT JOIN LATERAL (SELECT a.auth_number FROM charges ch
                            JOIN authorizations a ON a.practice_id = ch.practice_id AND a.id = ch.authorization_id
                           WHERE ch.id = l.charge_id AND ch.practice_id = l.practice_id OFFSET 0) a ON true`,
    [scope.practiceId, claims.map((r) => r.version_id)],
    'x.claim_id, x.line_number',
  );
  const linesByClaim = new Map<number, ClaimLine[]>();
  for (const l of lines) {
    const list = linesByClaim.get(l.claim_id) ?? [];
    list.push({
      lineId: l.line_id as ClaimLineId,
      lineNumber: l.line_number,
      lineControlNumber: l.line_control_number,
      procedureCode: l.procedure_code as ProcedureCode,
      modifiers: l.modifiers as Modifier[],
      units: l.units,
      chargeCents: centsFromDb(l.charge_cents, 'charge_cents'),
      diagnosisPointers: l.diagnosis_pointers.map(Number),
      serviceDate: l.service_date_from as CalendarDate,
      ...(l.service_date_to !== l.service_date_from
        ? { serviceDateEnd: l.service_date_to as CalendarDate }
        : {}),
      ...(l.place_of_service === null ? {} : { placeOfService: l.place_of_service as PlaceOfService }),
      ...(l.auth_number === null ? {} : { priorAuthorization: l.auth_number }),
      ...(l.rp_id === null
        ? {}
        : {
            renderingProvider: {
              providerId: l.rp_id as ProviderId,
              npi: l.rp_npi as Npi,
              entityType: 'person' as const,
              lastOrOrganizationName: l.rp_last ?? '',
              ...(l.rp_first === null ? {} : { firstName: l.rp_first }),
              ...(l.rp_taxonomy === null ? {} : { taxonomy: l.rp_taxonomy as TaxonomyCode }),
            },
          }),
    });
    linesByClaim.set(l.claim_id, list);
  }
  const byId = new Map<number, Claim>();
  for (const r of claims) {
    const patientCoverages = byPatient.get(r.patient_id) ?? [];
    const billed = patientCoverages.find((c) => c.coverage_id === r.coverage_id);
    if (billed === undefined) continue;
    const billingProvider: BillingProvider = {
      npi: (r.practice_npi ?? r.rendering_npi) as Npi,
      entityType: 'organization',
      lastOrOrganizationName: r.practice_name,
      ...(r.practice_taxonomy === null ? {} : { taxonomy: r.practice_taxonomy as TaxonomyCode }),
      tin: (r.practice_tin ?? '') as Tin,
      address: {
        line1: r.practice_address1 ?? '',
        city: r.practice_city ?? '',
        state: r.practice_state ?? '',
        postalCode: r.practice_zip ?? '',
      },
    };
    const rendering: ClaimProvider = {
      providerId: r.rendering_id as ProviderId,
      npi: r.rendering_npi as Npi,
      entityType: 'person',
      lastOrOrganizationName: r.rendering_last,
      ...(r.rendering_first === null ? {} : { firstName: r.rendering_first }),
      ...(r.rendering_taxonomy === null ? {} : { taxonomy: r.rendering_taxonomy as TaxonomyCode }),
    };
    const claimLines = linesByClaim.get(r.claim_id) ?? [];
    const claim: Claim = {
      claimId: r.claim_id as ClaimId,
      practiceId: r.practice_id as PracticeId,
      patientId: r.patient_id as PatientId,
      version: r.version_no,
      patientControlNumber: r.patient_control_number,
      frequencyCode: r.frequency_code as FrequencyCode,
      ...(r.original_payer_claim_number === null
        ? {}
        : { payerClaimControlNumber: r.original_payer_claim_number }),
      billingProvider,
      renderingProvider: rendering,
      ...(r.referring_npi === null
        ? {}
        : {
            referringProvider: {
              npi: r.referring_npi as Npi,
              entityType: 'person' as const,
              lastOrOrganizationName: 'REFERRING',
            },
          }),
      serviceFacility: {
        ...(r.location_npi === null ? {} : { npi: r.location_npi as Npi }),
        name: r.location_name,
        address: {
          line1: r.location_address1,
          city: r.location_city,
          state: r.location_state,
          postalCode: r.location_zip,
        },
        placeOfService: r.location_pos as PlaceOfService,
      },
      coverage: coverageFrom(billed),
      otherCoverages: patientCoverages.filter((c) => c.coverage_id !== r.coverage_id).map(coverageFrom),
      priorAdjudications: [],
      patient: personFrom(billed, false),
      placeOfService: r.place_of_service as PlaceOfService,
      locationPlaceOfService: r.location_pos as PlaceOfService,
      ...(r.prior_authorization === null ? {} : { priorAuthorization: r.prior_authorization }),
      diagnoses: r.diagnosis_codes as Icd10Code[],
      lines: claimLines,
      totalChargeCents: centsFromDb(r.total_charge_cents, 'total_charge_cents'),
      signatureOnFile: true,
      acceptsAssignment: true,
      benefitsAssigned: true,
      releaseOfInformation: 'Y',
      firstServiceDate: r.service_date_from as CalendarDate,
    };
    byId.set(r.claim_id, claim);
  }
  return claimIds.flatMap((id) => {
    const c = byId.get(id);
    return c === undefined ? [] : [c];
  });
}
