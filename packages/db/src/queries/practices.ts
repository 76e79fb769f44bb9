/** Billing organizations and practices (the tenants). */
import {
  BillingOrgId,
  coreError,
  PracticeId,
  type CalendarDate,
  type Cents,
  type Instant,
  type Npi,
  type TaxonomyCode,
  type Tin,
  type Ein,
  centsFromDb,
} from '@openrcm/core';
import type { Queryable, Row } from '../db.ts';
import type { PracticeScope } from '../scope.ts';
import { instant, json, num, optDate, optStr, rethrowConflict, str } from './rows.ts';

export const PRACTICE_STATUSES = ['onboarding', 'parallel', 'live', 'offboarded'] as const;
export type PracticeStatus = (typeof PRACTICE_STATUSES)[number];

export interface BillingOrganization {
  readonly id: BillingOrgId;
  readonly name: string;
}

export interface Practice {
  readonly id: PracticeId;
  readonly practiceId: PracticeId;
  readonly billingOrganizationId: BillingOrgId;
  readonly code: string;
  readonly name: string;
  readonly status: PracticeStatus;
  readonly npi: string | null;
  readonly tin: string | null;
  readonly taxonomyCode: string | null;
  readonly timeZone: string;
  readonly writeOffThresholdCents: Cents;
  readonly statementCycleDays: number;
  readonly benchmarks: Record<string, unknown>;
  readonly goLiveOn: CalendarDate | null;
  readonly createdAt: Instant;
  /** The last change (migration 0017): `claims resubmit --all-rejected` compares it with a rejection's time. */
  readonly updatedAt: Instant;
  /** The billing address of 2010AA (N3/N4). */
  readonly addressLine1: string | null;
  readonly addressLine2: string | null;
  readonly city: string | null;
  readonly state: string | null;
  readonly postalCode: string | null;
}

const COLUMNS = `id, billing_organization_id, code, name, status, npi, tin, taxonomy_code, time_zone,
  write_off_threshold_cents, statement_cycle_days, benchmarks, go_live_on, created_at, updated_at, address_line1,
  address_line2, city, state, postal_code`;

function toPractice(row: Row): Practice {
  const id = PracticeId(num(row, 'id'));
  return {
    id,
    practiceId: id,
    billingOrganizationId: BillingOrgId(num(row, 'billing_organization_id')),
    code: str(row, 'code'),
    name: str(row, 'name'),
    status: str(row, 'status') as PracticeStatus,
    npi: optStr(row, 'npi'),
    tin: optStr(row, 'tin'),
    taxonomyCode: optStr(row, 'taxonomy_code'),
    timeZone: str(row, 'time_zone'),
    writeOffThresholdCents: centsFromDb(row['write_off_threshold_cents'], 'write_off_threshold_cents'),
    statementCycleDays: num(row, 'statement_cycle_days'),
    benchmarks: json(row, 'benchmarks'),
    goLiveOn: optDate(row, 'go_live_on'),
    createdAt: instant(row, 'created_at'),
    updatedAt: instant(row, 'updated_at'),
    addressLine1: optStr(row, 'address_line1'),
    addressLine2: optStr(row, 'address_line2'),
    city: optStr(row, 'city'),
    state: optStr(row, 'state'),
    postalCode: optStr(row, 'postal_code'),
  };
}

/** The organization running OpenRCM; created on first use with `name`. */
export async function ensureBillingOrganization(
  q: Queryable,
  name = 'Billing organization',
): Promise<BillingOrganization> {
  const found = await q.query('SELECT id, name FROM billing_organizations ORDER BY id LIMIT 1');
  const row =
    found.rows[0] ??
    (await q.query('INSERT INTO billing_organizations (name) VALUES ($1) RETURNING id, name', [name]))
      .rows[0];
  if (!row) throw coreError('core.internal', 'billing organization insert returned no row');
  return { id: BillingOrgId(num(row, 'id')), name: str(row, 'name') };
}

export interface NewPractice {
  readonly code: string;
  readonly name: string;
  readonly billingOrganizationId?: BillingOrgId;
  readonly status?: PracticeStatus;
  readonly npi?: Npi;
  readonly tin?: Tin | Ein;
  readonly taxonomyCode?: TaxonomyCode;
  readonly timeZone?: string;
  readonly writeOffThresholdCents?: Cents;
  readonly statementCycleDays?: number;
  readonly benchmarks?: Record<string, unknown>;
}

/** Creates a practice (under the billing organization, created if needed). */
export async function createPractice(q: Queryable, input: NewPractice): Promise<Practice> {
  const orgId = input.billingOrganizationId ?? (await ensureBillingOrganization(q)).id;
  try {
    const r = await q.query(
      `INSERT INTO practices (billing_organization_id, code, name, status, npi, tin, taxonomy_code, time_zone,
         write_off_threshold_cents, statement_cycle_days, benchmarks)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       RETURNING ${COLUMNS}`,
      [
        orgId,
        input.code,
        input.name,
        input.status ?? 'onboarding',
        input.npi ?? null,
        input.tin ?? null,
        input.taxonomyCode ?? null,
        input.timeZone ?? 'America/New_York',
        input.writeOffThresholdCents ?? 0,
        input.statementCycleDays ?? 30,
        JSON.stringify(input.benchmarks ?? {}),
      ],
    );
    const row = r.rows[0];
    if (!row) throw coreError('core.internal', 'practice insert returned no row');
    return toPractice(row);
  } catch (e) {
    rethrowConflict(e, `practice with code ${input.code}`);
  }
}

/** All practices of the organization (an organization-level list: not practice-scoped). */
export async function listPractices(q: Queryable): Promise<Practice[]> {
  const r = await q.query(`SELECT ${COLUMNS} FROM practices ORDER BY code`);
  return r.rows.map(toPractice);
}

export async function findPracticeByCode(q: Queryable, code: string): Promise<Practice | null> {
  const r = await q.query(`SELECT ${COLUMNS} FROM practices WHERE code = $1`, [code]);
  return r.rows[0] ? toPractice(r.rows[0]) : null;
}

/** The scope's own practice record. */
export async function getPractice(q: Queryable, scope: PracticeScope): Promise<Practice> {
  const r = await q.query(`SELECT ${COLUMNS} FROM practices WHERE id = $1`, [scope.practiceId]);
  if (!r.rows[0]) throw coreError('core.not_found', `practice ${scope.practiceId} not found`);
  return toPractice(r.rows[0]);
}

/** Resolves a practice given by code or numeric id (CLI `--practice`). */
export async function resolvePractice(q: Queryable, ref: string): Promise<Practice> {
  const r = /^[1-9]\d{0,15}$/.test(ref)
    ? await q.query(`SELECT ${COLUMNS} FROM practices WHERE id = $1 OR code = $2`, [Number(ref), ref])
    : await q.query(`SELECT ${COLUMNS} FROM practices WHERE code = $1`, [ref]);
  if (!r.rows[0]) throw coreError('core.not_found', `no practice with code or id ${ref}`);
  return toPractice(r.rows[0]);
}

export interface PracticeChanges {
  readonly name?: string;
  /** Validated with `Npi()` from @openrcm/core (check digit). */
  readonly npi?: Npi;
  readonly tin?: Tin | Ein;
  readonly taxonomyCode?: TaxonomyCode | null;
  readonly addressLine1?: string;
  readonly addressLine2?: string | null;
  readonly city?: string;
  /** Two capital letters (USPS). */
  readonly state?: string;
  /** Five or nine digits. */
  readonly postalCode?: string;
}

/**
 * Corrects the practice record that every claim's billing provider loop (2010AA) is built from — group NPI, TIN,
 * taxonomy, name, billing address — and stamps `updated_at = at` (the caller's clock), so the practice's rejected
 * claims are seen as possibly fixed (`rejectedClaimsWithChanges`). Claims already built carry the new values
 * when they are next loaded (the 837P is written from the practice row at submission).
 */
export async function updatePractice(
  q: Queryable,
  scope: PracticeScope,
  changes: PracticeChanges,
  at: Instant,
): Promise<Practice> {
  const fields: [keyof PracticeChanges, string][] = [
    ['name', 'name'],
    ['npi', 'npi'],
    ['tin', 'tin'],
    ['taxonomyCode', 'taxonomy_code'],
    ['addressLine1', 'address_line1'],
    ['addressLine2', 'address_line2'],
    ['city', 'city'],
    ['state', 'state'],
    ['postalCode', 'postal_code'],
  ];
  const given = fields.filter(([k]) => Object.hasOwn(changes, k));
  const sets = given.map(([, column], i) => `${column} = $${String(i + 3)}`);
  // None of these columns is unique (the practice's code is not changed here), so there is no conflict to report.
  const r = await q.query(
    `UPDATE practices SET ${[...sets, 'updated_at = $2'].join(', ')} WHERE id = $1 RETURNING ${COLUMNS}`,
    [scope.practiceId, at, ...given.map(([k]) => changes[k] ?? null)],
  );
  const row = r.rows[0];
  if (!row) throw coreError('core.not_found', `practice ${String(scope.practiceId)} not found`);
  return toPractice(row);
}
