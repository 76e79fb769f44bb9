/** Service locations of a practice. */
import {
  coreError,
  LocationId,
  PracticeId,
  type Instant,
  type Npi,
  type PlaceOfService,
} from '@openrcm/core';
import type { Queryable, Row } from '../db.ts';
import type { PracticeScope } from '../scope.ts';
import { bool, instant, num, optStr, rethrowConflict, str } from './rows.ts';

export interface Location {
  readonly id: LocationId;
  readonly practiceId: PracticeId;
  readonly name: string;
  readonly placeOfService: string;
  readonly npi: string | null;
  readonly addressLine1: string;
  readonly addressLine2: string | null;
  readonly city: string;
  readonly state: string;
  readonly postalCode: string;
  readonly active: boolean;
  readonly createdAt: Instant;
}

const COLUMNS = `id, practice_id, name, place_of_service, npi, address_line1, address_line2, city, state, postal_code,
  active, created_at`;

function toLocation(row: Row): Location {
  return {
    id: LocationId(num(row, 'id')),
    practiceId: PracticeId(num(row, 'practice_id')),
    name: str(row, 'name'),
    placeOfService: str(row, 'place_of_service'),
    npi: optStr(row, 'npi'),
    addressLine1: str(row, 'address_line1'),
    addressLine2: optStr(row, 'address_line2'),
    city: str(row, 'city'),
    state: str(row, 'state'),
    postalCode: str(row, 'postal_code'),
    active: bool(row, 'active'),
    createdAt: instant(row, 'created_at'),
  };
}

export interface NewLocation {
  readonly name: string;
  readonly placeOfService: PlaceOfService;
  readonly npi?: Npi;
  readonly addressLine1: string;
  readonly addressLine2?: string;
  readonly city: string;
  /** Two-letter USPS state code. */
  readonly state: string;
  /** ZIP or ZIP+4 without the dash. */
  readonly postalCode: string;
}

export async function createLocation(
  q: Queryable,
  scope: PracticeScope,
  input: NewLocation,
): Promise<Location> {
  try {
    const r = await q.query(
      `INSERT INTO locations (practice_id, name, place_of_service, npi, address_line1, address_line2, city, state, postal_code)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`,
      [
        scope.practiceId,
        input.name,
        input.placeOfService,
        input.npi ?? null,
        input.addressLine1,
        input.addressLine2 ?? null,
        input.city,
        input.state,
        input.postalCode,
      ],
    );
    if (!r.rows[0]) throw coreError('core.internal', 'location insert returned no row');
    return toLocation(r.rows[0]);
  } catch (e) {
    rethrowConflict(e, `location named ${input.name}`);
  }
}

export async function listLocations(q: Queryable, scope: PracticeScope): Promise<Location[]> {
  const r = await q.query(`SELECT ${COLUMNS} FROM locations WHERE practice_id = $1 ORDER BY name, id`, [
    scope.practiceId,
  ]);
  return r.rows.map(toLocation);
}

export async function getLocation(q: Queryable, scope: PracticeScope, id: LocationId): Promise<Location> {
  const r = await q.query(`SELECT ${COLUMNS} FROM locations WHERE practice_id = $1 AND id = $2`, [
    scope.practiceId,
    id,
  ]);
  if (!r.rows[0])
    throw coreError('core.not_found', `location ${id} not found in practice ${scope.practiceId}`);
  return toLocation(r.rows[0]);
}
