/** Providers of a practice and their payer enrollment spans (credentialing). */
import {
  coreError,
  EnrollmentId,
  PayerId,
  PracticeId,
  ProviderId,
  type CalendarDate,
  type Instant,
  type Npi,
  type TaxonomyCode,
  type Tin,
} from '@openrcm/core';
import type { Queryable, Row } from '../db.ts';
import type { PracticeScope } from '../scope.ts';
import { bool, instant, num, optDate, optStr, rethrowConflict, str } from './rows.ts';

export const PROVIDER_ENTITY_TYPES = ['person', 'organization'] as const;
export type ProviderEntityType = (typeof PROVIDER_ENTITY_TYPES)[number];

export interface Provider {
  readonly id: ProviderId;
  readonly practiceId: PracticeId;
  readonly entityType: ProviderEntityType;
  readonly npi: Npi;
  readonly firstName: string | null;
  readonly lastName: string;
  readonly credential: string | null;
  readonly taxonomyCode: string | null;
  readonly tin: string | null;
  readonly active: boolean;
  readonly createdAt: Instant;
  /** The last change (migration 0012): `claims resubmit --all-rejected` compares it with a rejection's time. */
  readonly updatedAt: Instant;
}

const COLUMNS = `id, practice_id, entity_type, npi, first_name, last_name, credential, taxonomy_code, tin, active, created_at, updated_at`;

function toProvider(row: Row): Provider {
  return {
    id: ProviderId(num(row, 'id')),
    practiceId: PracticeId(num(row, 'practice_id')),
    entityType: str(row, 'entity_type') as ProviderEntityType,
    npi: str(row, 'npi') as Npi,
    firstName: optStr(row, 'first_name'),
    lastName: str(row, 'last_name'),
    credential: optStr(row, 'credential'),
    taxonomyCode: optStr(row, 'taxonomy_code'),
    tin: optStr(row, 'tin'),
    active: bool(row, 'active'),
    createdAt: instant(row, 'created_at'),
    updatedAt: instant(row, 'updated_at'),
  };
}

export interface NewProvider {
  /** Validated with `Npi()` from @openrcm/core (check digit). */
  readonly npi: Npi;
  readonly lastName: string;
  readonly firstName?: string;
  readonly entityType?: ProviderEntityType;
  readonly credential?: string;
  readonly taxonomyCode?: TaxonomyCode;
  readonly tin?: Tin;
}

export async function createProvider(
  q: Queryable,
  scope: PracticeScope,
  input: NewProvider,
): Promise<Provider> {
  try {
    const r = await q.query(
      `INSERT INTO providers (practice_id, entity_type, npi, first_name, last_name, credential, taxonomy_code, tin)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
      [
        scope.practiceId,
        input.entityType ?? 'person',
        input.npi,
        input.firstName ?? null,
        input.lastName,
        input.credential ?? null,
        input.taxonomyCode ?? null,
        input.tin ?? null,
      ],
    );
    if (!r.rows[0]) throw coreError('core.internal', 'provider insert returned no row');
    return toProvider(r.rows[0]);
  } catch (e) {
    rethrowConflict(e, 'provider with this NPI in the practice');
  }
}

/** The fields of a provider that can be corrected; a field left out keeps its value, null clears an optional one. */
export interface ProviderChanges {
  /** Validated with `Npi()` from @openrcm/core (check digit). */
  readonly npi?: Npi;
  readonly lastName?: string;
  readonly firstName?: string | null;
  readonly credential?: string | null;
  readonly taxonomyCode?: TaxonomyCode | null;
  readonly tin?: Tin | null;
  readonly active?: boolean;
}

/**
 * Corrects a provider (a mistyped NPI, a new taxonomy): the changed fields and `updated_at = at` (the caller's
 * clock), so the rejected claims of this provider are seen as possibly fixed (`rejectedClaimsWithChanges`).
 * Claims already built keep pointing at the provider row; a rebuilt or resubmitted claim carries the new values.
 */
export async function updateProvider(
  q: Queryable,
  scope: PracticeScope,
  id: ProviderId,
  changes: ProviderChanges,
  at: Instant,
): Promise<Provider> {
  const has = (k: keyof ProviderChanges): boolean => Object.hasOwn(changes, k);
  try {
    const r = await q.query(
      `UPDATE providers
          SET npi = CASE WHEN $3 THEN $4 ELSE npi END,
              last_name = CASE WHEN $5 THEN $6 ELSE last_name END,
              first_name = CASE WHEN $7 THEN $8 ELSE first_name END,
              credential = CASE WHEN $9 THEN $10 ELSE credential END,
              taxonomy_code = CASE WHEN $11 THEN $12 ELSE taxonomy_code END,
              tin = CASE WHEN $13 THEN $14 ELSE tin END,
              active = CASE WHEN $15 THEN $16::boolean ELSE active END,
              updated_at = $17
        WHERE practice_id = $1 AND id = $2
        RETURNING ${COLUMNS}`,
      [
        scope.practiceId,
        id,
        has('npi'),
        changes.npi ?? null,
        has('lastName'),
        changes.lastName ?? null,
        has('firstName'),
        changes.firstName ?? null,
        has('credential'),
        changes.credential ?? null,
        has('taxonomyCode'),
        changes.taxonomyCode ?? null,
        has('tin'),
        changes.tin ?? null,
        has('active'),
        changes.active ?? null,
        at,
      ],
    );
    if (!r.rows[0])
      throw coreError('core.not_found', `provider ${id} not found in practice ${scope.practiceId}`);
    return toProvider(r.rows[0]);
  } catch (e) {
    rethrowConflict(e, 'provider with this NPI in the practice');
  }
}

export async function listProviders(q: Queryable, scope: PracticeScope): Promise<Provider[]> {
  const r = await q.query(`SELECT ${COLUMNS} FROM providers WHERE practice_id = $1 ORDER BY last_name, id`, [
    scope.practiceId,
  ]);
  return r.rows.map(toProvider);
}

export async function getProvider(q: Queryable, scope: PracticeScope, id: ProviderId): Promise<Provider> {
  const r = await q.query(`SELECT ${COLUMNS} FROM providers WHERE practice_id = $1 AND id = $2`, [
    scope.practiceId,
    id,
  ]);
  if (!r.rows[0])
    throw coreError('core.not_found', `provider ${id} not found in practice ${scope.practiceId}`);
  return toProvider(r.rows[0]);
}

export async function findProviderByNpi(
  q: Queryable,
  scope: PracticeScope,
  npi: string,
): Promise<Provider | null> {
  const r = await q.query(`SELECT ${COLUMNS} FROM providers WHERE practice_id = $1 AND npi = $2`, [
    scope.practiceId,
    npi,
  ]);
  return r.rows[0] ? toProvider(r.rows[0]) : null;
}

// ---------------------------------------------------------------------------------------------
// Enrollment spans

export const ENROLLMENT_STATUSES = [
  'not_started',
  'submitted',
  'in_review',
  'enrolled',
  'denied',
  'terminated',
] as const;
export type EnrollmentStatus = (typeof ENROLLMENT_STATUSES)[number];

export interface Enrollment {
  readonly id: EnrollmentId;
  readonly practiceId: PracticeId;
  readonly providerId: ProviderId;
  readonly payerId: PayerId;
  readonly status: EnrollmentStatus;
  readonly effectiveFrom: CalendarDate | null;
  readonly effectiveTo: CalendarDate | null;
  readonly submittedOn: CalendarDate | null;
}

const ENROLLMENT_COLUMNS =
  'id, practice_id, provider_id, payer_id, status, effective_from, effective_to, submitted_on';

function toEnrollment(row: Row): Enrollment {
  return {
    id: EnrollmentId(num(row, 'id')),
    practiceId: PracticeId(num(row, 'practice_id')),
    providerId: ProviderId(num(row, 'provider_id')),
    payerId: PayerId(num(row, 'payer_id')),
    status: str(row, 'status') as EnrollmentStatus,
    effectiveFrom: optDate(row, 'effective_from'),
    effectiveTo: optDate(row, 'effective_to'),
    submittedOn: optDate(row, 'submitted_on'),
  };
}

export interface NewEnrollment {
  readonly providerId: ProviderId;
  readonly payerId: PayerId;
  readonly status: EnrollmentStatus;
  readonly effectiveFrom?: CalendarDate;
  readonly effectiveTo?: CalendarDate;
  readonly submittedOn?: CalendarDate;
}

export async function createEnrollment(
  q: Queryable,
  scope: PracticeScope,
  input: NewEnrollment,
): Promise<Enrollment> {
  // The composite FK (practice_id, provider_id) refuses a provider of another practice.
  const r = await q.query(
    `INSERT INTO provider_enrollments (practice_id, provider_id, payer_id, status, effective_from, effective_to, submitted_on)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${ENROLLMENT_COLUMNS}`,
    [
      scope.practiceId,
      input.providerId,
      input.payerId,
      input.status,
      input.effectiveFrom ?? null,
      input.effectiveTo ?? null,
      input.submittedOn ?? null,
    ],
  );
  if (!r.rows[0]) throw coreError('core.internal', 'enrollment insert returned no row');
  return toEnrollment(r.rows[0]);
}

export async function listEnrollments(
  q: Queryable,
  scope: PracticeScope,
  filter: { readonly providerId?: ProviderId } = {},
): Promise<Enrollment[]> {
  const r = await q.query(
    `SELECT ${ENROLLMENT_COLUMNS} FROM provider_enrollments
      WHERE practice_id = $1 AND ($2::bigint IS NULL OR provider_id = $2)
      ORDER BY provider_id, payer_id, effective_from NULLS FIRST, id`,
    [scope.practiceId, filter.providerId ?? null],
  );
  return r.rows.map(toEnrollment);
}

/**
 * The enrollment span in force for a provider at a payer on a date of service, or null (the claim
 * goes on credentialing hold).
 */
export async function activeEnrollment(
  q: Queryable,
  scope: PracticeScope,
  providerId: ProviderId,
  payerId: PayerId,
  dateOfService: CalendarDate,
): Promise<Enrollment | null> {
  const r = await q.query(
    `SELECT ${ENROLLMENT_COLUMNS} FROM provider_enrollments
      WHERE practice_id = $1 AND provider_id = $2 AND payer_id = $3 AND status = 'enrolled'
        AND effective_from <= $4::date AND (effective_to IS NULL OR effective_to >= $4::date)
      ORDER BY effective_from DESC LIMIT 1`,
    [scope.practiceId, providerId, payerId, dateOfService],
  );
  return r.rows[0] ? toEnrollment(r.rows[0]) : null;
}
