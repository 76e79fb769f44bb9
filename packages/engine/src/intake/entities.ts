import type { Queryable } from '@openrcm/db';
import { compilePattern } from '../scrubber/conditions.ts';
import { bulkInsert, externalIds } from './load.ts';
import { ICD10, MODIFIER, POS, PROCEDURE_CODE, STATE, TAXONOMY, TIN, ZIP, type RowReader } from './fields.ts';

/**
 * The entities of the practice import format (docs/import-format.md), in dependency order. Each one
 * reads and validates a row (`parse`), resolves its references to database ids (`resolve`, which may
 * reject the row with a located error) and loads the accepted rows (`load`), idempotently on its
 * natural key.
 */

/** Reference look-ups shared by the entities of one import (loaded from the database on demand). */
export class Resolver {
  private practices: Map<string, number> | undefined;
  private payers: Map<string, number> | undefined;
  private readonly perTable = new Map<string, Map<string, number>>();

  constructor(private readonly tx: Queryable) {}

  async practice(externalId: string): Promise<number | undefined> {
    if (this.practices === undefined) {
      const res = await this.tx.query<{ id: number; external_id: string }>(
        'SELECT id, external_id FROM practices WHERE external_id IS NOT NULL',
      );
      this.practices = new Map(res.rows.map((r) => [r.external_id, r.id]));
    }
    return this.practices.get(externalId);
  }

  async organization(externalId: string): Promise<number | undefined> {
    const res = await this.tx.query<{ id: number }>(
      'SELECT id FROM billing_organizations WHERE external_id = $1',
      [externalId],
    );
    return res.rows[0]?.id;
  }

  async payer(code: string): Promise<number | undefined> {
    if (this.payers === undefined) {
      const res = await this.tx.query<{ id: number; payer_code: string }>(
        'SELECT id, payer_code FROM payers',
      );
      this.payers = new Map(res.rows.map((r) => [r.payer_code, r.id]));
    }
    return this.payers.get(code);
  }

  /** `external_id → id` of a practice-owned table (all practices known so far). */
  async owned(table: string, practiceId: number, externalId: string): Promise<number | undefined> {
    let map = this.perTable.get(table);
    if (map === undefined) {
      const practices = await this.tx.query<{ id: number }>('SELECT id FROM practices');
      map = await externalIds(
        this.tx,
        table,
        practices.rows.map((r) => r.id),
      );
      this.perTable.set(table, map);
    }
    return map.get(`${practiceId}|${externalId}`);
  }

  /** Forget cached look-ups of a table after rows were inserted into it. */
  invalidate(table: string): void {
    this.perTable.delete(table);
    if (table === 'practices') this.practices = undefined;
    if (table === 'payers') this.payers = undefined;
  }
}

/** Records a reference failure on the row being resolved. */
export type Reject = (field: string, message: string) => void;

export interface EntityDef<T> {
  /** File base name: `<file>.jsonl` or `<file>.csv`. */
  readonly file: string;
  /** Table(s) written, for cache invalidation. */
  readonly tables: readonly string[];
  parse(r: RowReader): T;
  /** Resolves references; returns the values to load, or undefined after calling `reject`. */
  resolve(row: T, resolver: Resolver, reject: Reject): Promise<unknown[] | undefined>;
  /** Loads the resolved rows; returns the number inserted. */
  load(tx: Queryable, rows: readonly unknown[][], resolver: Resolver): Promise<number>;
}

function def<T>(d: EntityDef<T>): EntityDef<unknown> {
  return d;
}

async function needPractice(r: Resolver, ext: string, reject: Reject): Promise<number | undefined> {
  const id = await r.practice(ext);
  if (id === undefined) reject('practiceId', 'names no imported practice');
  return id;
}

async function needOwned(
  r: Resolver,
  table: string,
  practiceId: number,
  ext: string | null,
  field: string,
  what: string,
  reject: Reject,
): Promise<number | null | undefined> {
  if (ext === null) return null;
  const id = await r.owned(table, practiceId, ext);
  if (id === undefined) reject(field, `names no ${what} of this practice`);
  return id;
}

/**
 * The payer's member id format (`memberIdPattern`, optional): a regular expression the scrubber's
 * `member-id-format` rule checks 2010BA NM109 against. Refused here, with the field named, when the scrubber
 * would refuse it (too long, nested quantifiers, back-references), so a bad pattern never reaches a run.
 */
function memberIdPattern(r: RowReader): string | null {
  const source = r.optText('memberIdPattern', 200);
  if (source === null) return null;
  const problem = compilePattern(source.replace(/^\^/, '').replace(/\$$/, ''), 200);
  if (typeof problem === 'string') r.fail('memberIdPattern', problem);
  return source;
}

/** 837P SBR09 claim filing indicator by payer kind (MB Medicare Part B, MC Medicaid, CI commercial). */
const FILING_INDICATOR: Readonly<Record<string, string>> = {
  medicare: 'MB',
  medicaid: 'MC',
  commercial: 'CI',
  supplement: 'CI',
  paper: 'CI',
};
const PAYER_TYPE: Readonly<Record<string, string>> = {
  medicare: 'medicare',
  medicaid: 'medicaid',
  commercial: 'commercial',
  supplement: 'other',
  paper: 'other',
};

/** Practice codes are the short handle used on the command line: the external id, lower-cased. */
export function practiceCode(externalId: string): string {
  return externalId
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 40);
}

export const ENTITY_DEFS: readonly EntityDef<unknown>[] = [
  def({
    file: 'organizations',
    tables: ['billing_organizations'],
    parse: (r) => ({ id: r.text('organizationId', 80), name: r.text('name') }),
    resolve: async (row) => Promise.resolve([row.id, row.name]),
    load: (tx, rows) =>
      bulkInsert(
        tx,
        'billing_organizations',
        [
          { name: 'external_id', type: 'text' },
          { name: 'name', type: 'text' },
        ],
        rows,
        '(external_id)',
      ),
  }),
  def({
    file: 'practices',
    tables: ['practices'],
    parse: (r) => ({
      id: r.text('practiceId', 40),
      org: r.text('organizationId', 80),
      name: r.text('name'),
      npi: r.npi('groupNpi'),
      tin: r.pattern('tin', TIN, '9 digits'),
      taxonomy: r.pattern('taxonomy', TAXONOMY, 'a NUCC taxonomy code (9 characters + X)'),
      address1: r.text('address1'),
      city: r.text('city'),
      state: r.pattern('state', STATE, 'a 2-letter state code'),
      zip: r.pattern('zip', ZIP, 'a 5- or 9-digit ZIP code'),
      writeOff: r.cents('writeOffThresholdCents'),
    }),
    resolve: async (row, resolver, reject) => {
      const org = await resolver.organization(row.org);
      if (org === undefined) {
        reject('organizationId', 'names no imported billing organization');
        return undefined;
      }
      return [
        org,
        practiceCode(row.id),
        row.id,
        row.name,
        row.npi,
        row.tin,
        row.taxonomy,
        row.address1,
        row.city,
        row.state,
        row.zip,
        row.writeOff,
      ];
    },
    load: (tx, rows) =>
      bulkInsert(
        tx,
        'practices',
        [
          { name: 'billing_organization_id', type: 'bigint' },
          { name: 'code', type: 'text' },
          { name: 'external_id', type: 'text' },
          { name: 'name', type: 'text' },
          { name: 'npi', type: 'text' },
          { name: 'tin', type: 'text' },
          { name: 'taxonomy_code', type: 'text' },
          { name: 'address_line1', type: 'text' },
          { name: 'city', type: 'text' },
          { name: 'state', type: 'text' },
          { name: 'postal_code', type: 'text' },
          { name: 'write_off_threshold_cents', type: 'bigint' },
        ],
        rows,
        '(external_id)',
      ),
  }),
  def({
    file: 'payers',
    tables: ['payers'],
    parse: (r) => ({
      code: r.text('payerId', 80),
      name: r.text('name'),
      kind: r.oneOf('kind', ['medicare', 'medicaid', 'commercial', 'supplement', 'paper']),
      channel: r.oneOf('submission', ['electronic', 'paper']),
      timelyFiling: r.int('timelyFilingDays', 1, 3650),
      address1: r.optText('address1'),
      city: r.optText('city'),
      state: r.optPattern('state', STATE, 'a 2-letter state code'),
      zip: r.optPattern('zip', ZIP, 'a 5- or 9-digit ZIP code'),
      memberIdPattern: memberIdPattern(r),
      perRendering: r.optBool('claimPerRenderingProvider', false),
    }),
    resolve: async (row) =>
      Promise.resolve([
        row.code,
        row.name,
        PAYER_TYPE[row.kind] ?? 'other',
        FILING_INDICATOR[row.kind] ?? 'CI',
        row.timelyFiling,
        row.channel,
        row.address1,
        row.city,
        row.state,
        row.zip,
        row.memberIdPattern,
        row.perRendering,
      ]),
    load: (tx, rows) =>
      bulkInsert(
        tx,
        'payers',
        [
          { name: 'payer_code', type: 'text' },
          { name: 'name', type: 'text' },
          { name: 'payer_type', type: 'text' },
          { name: 'claim_filing_indicator', type: 'text' },
          { name: 'timely_filing_days', type: 'integer' },
          { name: 'submission_channel', type: 'text' },
          { name: 'address_line1', type: 'text' },
          { name: 'city', type: 'text' },
          { name: 'state', type: 'text' },
          { name: 'postal_code', type: 'text' },
          { name: 'member_id_pattern', type: 'text' },
          { name: 'claim_per_rendering_provider', type: 'boolean' },
        ],
        rows,
        '(payer_code)',
      ),
  }),
  def({
    file: 'practice_payers',
    tables: ['practice_payer_settings'],
    parse: (r) => ({
      practice: r.text('practiceId', 40),
      payer: r.text('payerId', 80),
      mixBp: r.int('mixBp', 0, 10000),
      inNetwork: r.bool('inNetwork'),
      contractFrom: r.date('contractEffectiveFrom'),
    }),
    resolve: async (row, resolver, reject) => {
      const practice = await needPractice(resolver, row.practice, reject);
      const payer = await resolver.payer(row.payer);
      if (payer === undefined) reject('payerId', 'names no imported payer');
      if (practice === undefined || payer === undefined) return undefined;
      return [
        practice,
        payer,
        JSON.stringify({
          mixBp: row.mixBp,
          inNetwork: row.inNetwork,
          contractEffectiveFrom: row.contractFrom,
        }),
      ];
    },
    load: (tx, rows) =>
      bulkInsert(
        tx,
        'practice_payer_settings',
        [
          { name: 'practice_id', type: 'bigint' },
          { name: 'payer_id', type: 'bigint' },
          { name: 'contract_benchmarks', type: 'jsonb' },
        ],
        rows,
        '(practice_id, payer_id)',
      ),
  }),
  def({
    file: 'providers',
    tables: ['providers'],
    parse: (r) => ({
      id: r.text('providerId', 80),
      practice: r.text('practiceId', 40),
      npi: r.npi('npi'),
      first: r.text('firstName', 100),
      last: r.text('lastName', 100),
      credential: r.optText('credential', 20),
      taxonomy: r.pattern('taxonomy', TAXONOMY, 'a NUCC taxonomy code (9 characters + X)'),
    }),
    resolve: async (row, resolver, reject) => {
      const practice = await needPractice(resolver, row.practice, reject);
      if (practice === undefined) return undefined;
      return [practice, row.id, row.npi, row.first, row.last, row.credential, row.taxonomy];
    },
    load: (tx, rows) =>
      bulkInsert(
        tx,
        'providers',
        [
          { name: 'practice_id', type: 'bigint' },
          { name: 'external_id', type: 'text' },
          { name: 'npi', type: 'text' },
          { name: 'first_name', type: 'text' },
          { name: 'last_name', type: 'text' },
          { name: 'credential', type: 'text' },
          { name: 'taxonomy_code', type: 'text' },
        ],
        rows,
        '(practice_id, external_id)',
      ),
  }),
  def({
    file: 'locations',
    tables: ['locations'],
    parse: (r) => ({
      id: r.text('locationId', 80),
      practice: r.text('practiceId', 40),
      name: r.text('name'),
      pos: r.pattern('posCode', POS, 'a 2-digit place of service code'),
      npi: r.npi('npi'),
      address1: r.text('address1'),
      city: r.text('city'),
      state: r.pattern('state', STATE, 'a 2-letter state code'),
      zip: r.pattern('zip', ZIP, 'a 5- or 9-digit ZIP code'),
    }),
    resolve: async (row, resolver, reject) => {
      const practice = await needPractice(resolver, row.practice, reject);
      if (practice === undefined) return undefined;
      return [practice, row.id, row.name, row.pos, row.npi, row.address1, row.city, row.state, row.zip];
    },
    load: (tx, rows) =>
      bulkInsert(
        tx,
        'locations',
        [
          { name: 'practice_id', type: 'bigint' },
          { name: 'external_id', type: 'text' },
          { name: 'name', type: 'text' },
          { name: 'place_of_service', type: 'text' },
          { name: 'npi', type: 'text' },
          { name: 'address_line1', type: 'text' },
          { name: 'city', type: 'text' },
          { name: 'state', type: 'text' },
          { name: 'postal_code', type: 'text' },
        ],
        rows,
        '(practice_id, external_id)',
      ),
  }),
  def({
    file: 'enrollments',
    tables: ['provider_enrollments'],
    parse: (r) => ({
      provider: r.text('providerId', 80),
      practice: r.text('practiceId', 40),
      payer: r.text('payerId', 80),
      status: r.oneOf('status', ['enrolled', 'pending']),
      appliedOn: r.optDate('appliedOn'),
      from: r.date('effectiveFrom'),
      to: r.optDate('effectiveTo'),
    }),
    resolve: async (row, resolver, reject) => {
      const practice = await needPractice(resolver, row.practice, reject);
      if (practice === undefined) return undefined;
      const provider = await needOwned(
        resolver,
        'providers',
        practice,
        row.provider,
        'providerId',
        'provider',
        reject,
      );
      const payer = await resolver.payer(row.payer);
      if (payer === undefined) reject('payerId', 'names no imported payer');
      if (provider == null || payer === undefined) return undefined;
      // A pending application carries the date the payer will make it effective; until then claims hold.
      const status = row.status === 'enrolled' ? 'enrolled' : 'in_review';
      return [
        practice,
        provider,
        payer,
        `${row.provider}|${row.payer}|${row.from}`,
        status,
        row.from,
        row.to,
        row.appliedOn,
      ];
    },
    load: (tx, rows) =>
      bulkInsert(
        tx,
        'provider_enrollments',
        [
          { name: 'practice_id', type: 'bigint' },
          { name: 'provider_id', type: 'bigint' },
          { name: 'payer_id', type: 'bigint' },
          { name: 'external_id', type: 'text' },
          { name: 'status', type: 'text' },
          { name: 'effective_from', type: 'date' },
          { name: 'effective_to', type: 'date' },
          { name: 'submitted_on', type: 'date' },
        ],
        rows,
        '(practice_id, external_id)',
      ),
  }),
  def({
    file: 'fee_schedules',
    tables: ['fee_schedules', 'fee_schedule_entries'],
    parse: (r) => ({
      practice: r.text('practiceId', 40),
      payer: r.text('payerId', 80),
      code: r.pattern('code', PROCEDURE_CODE, 'a CPT or HCPCS code'),
      modifier: r.optPattern('modifier', MODIFIER, 'a 2-character modifier'),
      setting: r.oneOf('setting', ['nonfacility', 'facility']),
      amount: r.cents('allowedCents'),
      from: r.date('effectiveFrom'),
      to: r.optDate('effectiveTo'),
    }),
    resolve: async (row, resolver, reject) => {
      const practice = await needPractice(resolver, row.practice, reject);
      const payer = await resolver.payer(row.payer);
      if (payer === undefined) reject('payerId', 'names no imported payer');
      if (practice === undefined || payer === undefined) return undefined;
      const name = `${row.payer} ${row.setting} from ${row.from}`;
      return [practice, payer, name, row.setting, row.from, row.to, row.code, row.modifier ?? '', row.amount];
    },
    load: async (tx, rows) => {
      const schedules = new Map<string, unknown[]>();
      for (const r of rows)
        schedules.set(`${String(r[0])}|${String(r[2])}`, [r[0], r[1], 'contracted', r[2], r[3], r[4], r[5]]);
      await bulkInsert(
        tx,
        'fee_schedules',
        [
          { name: 'practice_id', type: 'bigint' },
          { name: 'payer_id', type: 'bigint' },
          { name: 'kind', type: 'text' },
          { name: 'name', type: 'text' },
          { name: 'setting', type: 'text' },
          { name: 'effective_from', type: 'date' },
          { name: 'effective_to', type: 'date' },
        ],
        [...schedules.values()],
        '(practice_id, name)',
      );
      return loadEntries(tx, rows, 2, 6);
    },
  }),
  def({
    file: 'charge_master',
    tables: ['fee_schedules', 'fee_schedule_entries'],
    parse: (r) => ({
      practice: r.text('practiceId', 40),
      code: r.pattern('code', PROCEDURE_CODE, 'a CPT or HCPCS code'),
      modifier: r.optPattern('modifier', MODIFIER, 'a 2-character modifier'),
      amount: r.cents('chargeCents'),
    }),
    resolve: async (row, resolver, reject) => {
      const practice = await needPractice(resolver, row.practice, reject);
      if (practice === undefined) return undefined;
      return [
        practice,
        null,
        CHARGE_MASTER,
        'any',
        CHARGE_MASTER_FROM,
        null,
        row.code,
        row.modifier ?? '',
        row.amount,
      ];
    },
    load: async (tx, rows) => {
      const practices = [...new Set(rows.map((r) => r[0]))];
      await bulkInsert(
        tx,
        'fee_schedules',
        [
          { name: 'practice_id', type: 'bigint' },
          { name: 'kind', type: 'text' },
          { name: 'name', type: 'text' },
          { name: 'effective_from', type: 'date' },
        ],
        practices.map((p) => [p, 'charge_master', CHARGE_MASTER, CHARGE_MASTER_FROM]),
        '(practice_id, name)',
      );
      return loadEntries(tx, rows, 2, 6);
    },
  }),
  def({
    file: 'patients',
    tables: ['patients'],
    parse: (r) => ({
      id: r.text('patientId', 80),
      practice: r.text('practiceId', 40),
      mrn: r.text('mrn', 50),
      first: r.text('firstName', 100),
      last: r.text('lastName', 100),
      dob: r.date('dateOfBirth'),
      sex: r.oneOf('sex', ['F', 'M', 'U']),
      address1: r.optText('address1'),
      city: r.optText('city'),
      state: r.optPattern('state', STATE, 'a 2-letter state code'),
      zip: r.optPattern('zip', ZIP, 'a 5- or 9-digit ZIP code'),
      phone: r.optText('phone', 30),
    }),
    resolve: async (row, resolver, reject) => {
      const practice = await needPractice(resolver, row.practice, reject);
      if (practice === undefined) return undefined;
      return [
        practice,
        row.id,
        row.mrn,
        row.first,
        row.last,
        row.dob,
        row.sex,
        row.address1,
        row.city,
        row.state,
        row.zip,
        row.phone,
      ];
    },
    load: (tx, rows) =>
      bulkInsert(
        tx,
        'patients',
        [
          { name: 'practice_id', type: 'bigint' },
          { name: 'external_id', type: 'text' },
          { name: 'mrn', type: 'text' },
          { name: 'first_name', type: 'text' },
          { name: 'last_name', type: 'text' },
          { name: 'date_of_birth', type: 'date' },
          { name: 'sex', type: 'text' },
          { name: 'address_line1', type: 'text' },
          { name: 'city', type: 'text' },
          { name: 'state', type: 'text' },
          { name: 'postal_code', type: 'text' },
          { name: 'phone', type: 'text' },
        ],
        rows,
        '(practice_id, external_id)',
      ),
  }),
  def({
    file: 'coverages',
    tables: ['coverages'],
    parse: (r) => ({
      id: r.text('coverageId', 80),
      patient: r.text('patientId', 80),
      practice: r.text('practiceId', 40),
      payer: r.text('payerId', 80),
      rank: r.int('rank', 1, 3),
      memberId: r.text('memberId', 80),
      group: r.optText('groupNumber', 50),
      plan: r.optText('planName', 100),
      relationship: r.oneOf('relationship', ['18', '01', '19', 'G8']),
      subFirst: r.optText('subscriberFirstName', 100),
      subLast: r.optText('subscriberLastName', 100),
      subDob: r.optDate('subscriberDateOfBirth'),
      subSex: r.optText('subscriberSex', 1),
      from: r.date('effectiveFrom'),
      to: r.optDate('effectiveTo'),
      copay: r.cents('copayCents'),
    }),
    resolve: async (row, resolver, reject) => {
      const practice = await needPractice(resolver, row.practice, reject);
      if (practice === undefined) return undefined;
      const patient = await needOwned(
        resolver,
        'patients',
        practice,
        row.patient,
        'patientId',
        'patient',
        reject,
      );
      const payer = await resolver.payer(row.payer);
      if (payer === undefined) reject('payerId', 'names no imported payer');
      if (row.relationship !== '18' && row.subLast === null)
        reject('subscriberLastName', 'is required when the patient is not the subscriber');
      if (row.to !== null && row.to < row.from) reject('effectiveTo', 'is before effectiveFrom');
      if (patient == null || payer === undefined) return undefined;
      const priority = row.rank === 1 ? 'primary' : row.rank === 2 ? 'secondary' : 'tertiary';
      return [
        practice,
        patient,
        payer,
        row.id,
        priority,
        row.memberId,
        row.group,
        row.plan,
        row.relationship,
        row.subFirst,
        row.subLast,
        row.subDob,
        row.subSex,
        row.from,
        row.to,
        row.copay,
      ];
    },
    load: (tx, rows) =>
      bulkInsert(
        tx,
        'coverages',
        [
          { name: 'practice_id', type: 'bigint' },
          { name: 'patient_id', type: 'bigint' },
          { name: 'payer_id', type: 'bigint' },
          { name: 'external_id', type: 'text' },
          { name: 'priority', type: 'text' },
          { name: 'member_id', type: 'text' },
          { name: 'group_number', type: 'text' },
          { name: 'plan_name', type: 'text' },
          { name: 'relationship', type: 'text' },
          { name: 'subscriber_first_name', type: 'text' },
          { name: 'subscriber_last_name', type: 'text' },
          { name: 'subscriber_date_of_birth', type: 'date' },
          { name: 'subscriber_sex', type: 'text' },
          { name: 'effective_from', type: 'date' },
          { name: 'effective_to', type: 'date' },
          { name: 'copay_cents', type: 'bigint' },
        ],
        rows,
        '(practice_id, external_id)',
      ),
  }),
  def({
    file: 'appointments',
    tables: ['appointments'],
    parse: (r) => ({
      id: r.text('appointmentId', 80),
      practice: r.text('practiceId', 40),
      patient: r.text('patientId', 80),
      provider: r.text('providerId', 80),
      location: r.text('locationId', 80),
      date: r.date('date'),
      startAt: r.instant('startAt'),
      status: r.oneOf('status', ['completed', 'no_show', 'cancelled', 'scheduled']),
    }),
    resolve: async (row, resolver, reject) => {
      const practice = await needPractice(resolver, row.practice, reject);
      if (practice === undefined) return undefined;
      const patient = await needOwned(
        resolver,
        'patients',
        practice,
        row.patient,
        'patientId',
        'patient',
        reject,
      );
      const provider = await needOwned(
        resolver,
        'providers',
        practice,
        row.provider,
        'providerId',
        'provider',
        reject,
      );
      const location = await needOwned(
        resolver,
        'locations',
        practice,
        row.location,
        'locationId',
        'location',
        reject,
      );
      if (patient == null || provider == null || location == null) return undefined;
      return [practice, patient, provider, location, row.id, row.startAt, row.date, row.status];
    },
    load: (tx, rows) =>
      bulkInsert(
        tx,
        'appointments',
        [
          { name: 'practice_id', type: 'bigint' },
          { name: 'patient_id', type: 'bigint' },
          { name: 'provider_id', type: 'bigint' },
          { name: 'location_id', type: 'bigint' },
          { name: 'external_id', type: 'text' },
          { name: 'starts_at', type: 'timestamptz' },
          { name: 'service_date', type: 'date' },
          { name: 'status', type: 'text' },
        ],
        rows,
        '(practice_id, external_id)',
      ),
  }),
  def({
    file: 'authorizations',
    tables: ['authorizations'],
    parse: (r) => ({
      id: r.text('authorizationId', 80),
      practice: r.text('practiceId', 40),
      patient: r.text('patientId', 80),
      payer: r.text('payerId', 80),
      coverage: r.text('coverageId', 80),
      number: r.text('authNumber', 50),
      codes: r.list('codes'),
      units: r.int('units', 1, 9999),
      from: r.date('validFrom'),
      to: r.date('validTo'),
    }),
    resolve: async (row, resolver, reject) => {
      const practice = await needPractice(resolver, row.practice, reject);
      if (practice === undefined) return undefined;
      const patient = await needOwned(
        resolver,
        'patients',
        practice,
        row.patient,
        'patientId',
        'patient',
        reject,
      );
      const coverage = await needOwned(
        resolver,
        'coverages',
        practice,
        row.coverage,
        'coverageId',
        'coverage',
        reject,
      );
      const payer = await resolver.payer(row.payer);
      if (payer === undefined) reject('payerId', 'names no imported payer');
      if (row.codes.some((c) => !PROCEDURE_CODE.test(c))) reject('codes', 'must hold CPT or HCPCS codes');
      if (row.to < row.from) reject('validTo', 'is before validFrom');
      if (patient == null || coverage == null || payer === undefined) return undefined;
      return [practice, patient, coverage, payer, row.id, row.number, row.codes, row.units, row.from, row.to];
    },
    load: (tx, rows) =>
      bulkInsert(
        tx,
        'authorizations',
        [
          { name: 'practice_id', type: 'bigint' },
          { name: 'patient_id', type: 'bigint' },
          { name: 'coverage_id', type: 'bigint' },
          { name: 'payer_id', type: 'bigint' },
          { name: 'external_id', type: 'text' },
          { name: 'auth_number', type: 'text' },
          { name: 'procedure_codes', type: 'text', list: 'text[]' },
          { name: 'units', type: 'integer' },
          { name: 'valid_from', type: 'date' },
          { name: 'valid_to', type: 'date' },
        ],
        rows,
        '(practice_id, external_id)',
      ),
  }),
  def({
    file: 'encounters',
    tables: ['encounters', 'encounter_diagnoses'],
    parse: (r) => {
      const row = {
        id: r.text('encounterId', 80),
        appointment: r.optText('appointmentId', 80),
        practice: r.text('practiceId', 40),
        patient: r.text('patientId', 80),
        provider: r.text('renderingProviderId', 80),
        location: r.text('locationId', 80),
        dos: r.date('dateOfService'),
        pos: r.pattern('posCode', POS, 'a 2-digit place of service code'),
        documentedAt: r.instant('documentedAt'),
        primary: r.optText('primaryCoverageId', 80),
        secondary: r.optText('secondaryCoverageId', 80),
        diagnoses: r.list('diagnoses'),
      };
      if (row.diagnoses.length === 0 || row.diagnoses.length > 12)
        r.fail('diagnoses', 'must list 1 to 12 ICD-10-CM codes');
      else if (row.diagnoses.some((d) => !ICD10.test(d))) r.fail('diagnoses', 'must hold ICD-10-CM codes');
      else if (new Set(row.diagnoses.map((d) => d.replace('.', ''))).size !== row.diagnoses.length) {
        r.fail('diagnoses', 'lists a code twice');
      }
      return row;
    },
    resolve: async (row, resolver, reject) => {
      const practice = await needPractice(resolver, row.practice, reject);
      if (practice === undefined) return undefined;
      const patient = await needOwned(
        resolver,
        'patients',
        practice,
        row.patient,
        'patientId',
        'patient',
        reject,
      );
      const appointment = await needOwned(
        resolver,
        'appointments',
        practice,
        row.appointment,
        'appointmentId',
        'appointment',
        reject,
      );
      const provider = await needOwned(
        resolver,
        'providers',
        practice,
        row.provider,
        'renderingProviderId',
        'provider',
        reject,
      );
      const location = await needOwned(
        resolver,
        'locations',
        practice,
        row.location,
        'locationId',
        'location',
        reject,
      );
      const primary = await needOwned(
        resolver,
        'coverages',
        practice,
        row.primary,
        'primaryCoverageId',
        'coverage',
        reject,
      );
      const secondary = await needOwned(
        resolver,
        'coverages',
        practice,
        row.secondary,
        'secondaryCoverageId',
        'coverage',
        reject,
      );
      if (
        patient == null ||
        provider == null ||
        location == null ||
        appointment === undefined ||
        primary === undefined ||
        secondary === undefined
      ) {
        return undefined;
      }
      return [
        practice,
        patient,
        appointment,
        provider,
        location,
        row.id,
        row.dos,
        row.pos,
        row.documentedAt,
        primary,
        secondary,
        row.diagnoses.map((d) => d.replace('.', '')),
      ];
    },
    load: async (tx, rows, resolver) => {
      // Documented, coded charges arrive together in a practice file: the encounter is complete and coded
      // when its documentation was signed.
      const inserted = await bulkInsert(
        tx,
        'encounters',
        [
          { name: 'practice_id', type: 'bigint' },
          { name: 'patient_id', type: 'bigint' },
          { name: 'appointment_id', type: 'bigint' },
          { name: 'rendering_provider_id', type: 'bigint' },
          { name: 'location_id', type: 'bigint' },
          { name: 'external_id', type: 'text' },
          { name: 'date_of_service', type: 'date' },
          { name: 'place_of_service', type: 'text' },
          { name: 'documentation_complete_at', type: 'timestamptz' },
          { name: 'primary_coverage_id', type: 'bigint' },
          { name: 'secondary_coverage_id', type: 'bigint' },
          { name: 'source', type: 'text' },
          { name: 'documentation_status', type: 'text' },
          { name: 'coding_status', type: 'text' },
          { name: 'coded_at', type: 'timestamptz' },
        ],
        rows.map((r) => [...r.slice(0, 11), 'file', 'complete', 'coded', r[8]]),
        '(practice_id, external_id)',
      );
      resolver.invalidate('encounters');
      const diagnoses: unknown[][] = [];
      for (const r of rows) {
        const encounter = await resolver.owned('encounters', r[0] as number, r[5] as string);
        (r[11] as string[]).forEach((code, i) => diagnoses.push([r[0], encounter, i + 1, code]));
      }
      await bulkInsert(
        tx,
        'encounter_diagnoses',
        [
          { name: 'practice_id', type: 'bigint' },
          { name: 'encounter_id', type: 'bigint' },
          { name: 'sequence', type: 'smallint' },
          { name: 'icd10_code', type: 'text' },
        ],
        diagnoses,
        '(encounter_id, sequence)',
      );
      return inserted;
    },
  }),
  def({
    file: 'charges',
    tables: ['charges'],
    parse: (r) => {
      const row = {
        encounter: r.text('encounterId', 80),
        practice: r.text('practiceId', 40),
        line: r.int('lineNumber', 1, 999),
        dos: r.date('dateOfService'),
        code: r.pattern('code', PROCEDURE_CODE, 'a CPT or HCPCS code'),
        modifiers: r.list('modifiers'),
        units: r.int('units', 1, 9999),
        pointers: r.intList('diagnosisPointers', 1, 12),
        charge: r.cents('chargeCents'),
        pos: r.optPattern('posCode', POS, 'a 2-digit place of service code'),
        authorization: r.optText('authorizationId', 80),
        rendering: r.optText('renderingProviderId', 80),
      };
      if (row.modifiers.length > 4 || row.modifiers.some((m) => !MODIFIER.test(m)))
        r.fail('modifiers', 'must be up to 4 two-character modifiers');
      if (row.pointers.length === 0 || row.pointers.length > 4)
        r.fail('diagnosisPointers', 'must hold 1 to 4 pointers');
      return row;
    },
    resolve: async (row, resolver, reject) => {
      const practice = await needPractice(resolver, row.practice, reject);
      if (practice === undefined) return undefined;
      const encounter = await needOwned(
        resolver,
        'encounters',
        practice,
        row.encounter,
        'encounterId',
        'encounter',
        reject,
      );
      const authorization = await needOwned(
        resolver,
        'authorizations',
        practice,
        row.authorization,
        'authorizationId',
        'authorization',
        reject,
      );
      const rendering = await needOwned(
        resolver,
        'providers',
        practice,
        row.rendering,
        'renderingProviderId',
        'provider',
        reject,
      );
      if (encounter == null || authorization === undefined || rendering === undefined) return undefined;
      return [
        practice,
        encounter,
        row.line,
        row.code,
        row.modifiers,
        row.units,
        row.pointers,
        row.charge,
        row.dos,
        row.pos,
        authorization,
        rendering,
      ];
    },
    load: (tx, rows) =>
      bulkInsert(
        tx,
        'charges',
        [
          { name: 'practice_id', type: 'bigint' },
          { name: 'encounter_id', type: 'bigint' },
          { name: 'line_number', type: 'smallint' },
          { name: 'procedure_code', type: 'text' },
          { name: 'modifiers', type: 'text', list: 'text[]' },
          { name: 'units', type: 'integer' },
          { name: 'diagnosis_pointers', type: 'text', list: 'smallint[]' },
          { name: 'charge_cents', type: 'bigint' },
          { name: 'service_date', type: 'date' },
          { name: 'place_of_service', type: 'text' },
          { name: 'authorization_id', type: 'bigint' },
          { name: 'rendering_provider_id', type: 'bigint' },
        ],
        rows,
        '(encounter_id, line_number)',
      ),
  }),
];

const CHARGE_MASTER = 'charge master';
/** Charge master rows carry no dates: the schedule applies from this date on. */
const CHARGE_MASTER_FROM = '2000-01-01';

/** Inserts fee schedule entries; `nameAt`/`codeAt` index the schedule name and code in a resolved row. */
async function loadEntries(
  tx: Queryable,
  rows: readonly unknown[][],
  nameAt: number,
  codeAt: number,
): Promise<number> {
  const practices = [...new Set(rows.map((r) => r[0] as number))];
  const res = await tx.query<{ id: number; practice_id: number; name: string }>(
    'SELECT id, practice_id, name FROM fee_schedules WHERE practice_id = ANY($1::bigint[])',
    [practices],
  );
  const ids = new Map(res.rows.map((r) => [`${r.practice_id}|${r.name}`, r.id]));
  return bulkInsert(
    tx,
    'fee_schedule_entries',
    [
      { name: 'practice_id', type: 'bigint' },
      { name: 'fee_schedule_id', type: 'bigint' },
      { name: 'procedure_code', type: 'text' },
      { name: 'modifier', type: 'text' },
      { name: 'amount_cents', type: 'bigint' },
    ],
    rows.map((r) => [
      r[0],
      ids.get(`${String(r[0])}|${String(r[nameAt])}`),
      r[codeAt],
      r[codeAt + 1],
      r[codeAt + 2],
    ]),
    '(fee_schedule_id, procedure_code, modifier)',
  );
}

/** Files of a generated data set that are not practice data and are never imported. */
export const NOT_IMPORTED: Readonly<Record<string, string>> = {
  ground_truth: "the simulator's answer key (which errors it injected), kept for tests",
  legacy_ar: 'open AR from a previous billing company: imported by onboarding (a later issue)',
};
