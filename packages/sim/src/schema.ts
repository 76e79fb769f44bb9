/**
 * Machine-readable form of docs/import-format.md: for every entity, its file name, its natural key and
 * the type of every column, in column order. The writer uses it for column order (JSON Lines key order
 * and CSV headers); an importer can use it to validate rows. `satisfies` makes the compiler check that
 * each entity lists exactly the fields of its interface in ./types.ts.
 */
import type {
  Appointment,
  Authorization,
  Charge,
  ChargeMasterRow,
  Coverage,
  Dataset,
  Encounter,
  Enrollment,
  FeeScheduleRow,
  GroundTruth,
  LegacyAr,
  Location,
  Organization,
  Patient,
  Payer,
  Practice,
  PracticePayer,
  Provider,
} from './types.ts';

export const FIELD_TYPES = [
  'string', // non-empty text
  'string?', // text or null
  'int', // safe integer
  'cents', // integer number of US cents (never a decimal)
  'date', // calendar date 'YYYY-MM-DD'
  'date?',
  'instant', // ISO-8601 UTC instant 'YYYY-MM-DDTHH:MM:SSZ'
  'bool',
  'string[]', // JSON array of strings; CSV: values joined with '|'
  'int[]',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export interface EntitySpec {
  /** File base name: `<file>.jsonl` or `<file>.csv`. */
  readonly file: string;
  /** Dataset property holding the rows. */
  readonly property: keyof Dataset;
  /** Natural key fields; their joined values are unique in the file and stable across re-generation. */
  readonly key: readonly string[];
  readonly fields: Readonly<Record<string, FieldType>>;
}

function entity<T>() {
  return <const F extends Record<keyof T, FieldType>>(spec: {
    file: string;
    property: keyof Dataset;
    key: readonly (keyof T & string)[];
    fields: F & Record<Exclude<keyof F, keyof T>, never>;
  }): EntitySpec => spec;
}

/** Every entity in import order (referenced entities before those that reference them). */
export const ENTITIES: readonly EntitySpec[] = [
  entity<Organization>()({
    file: 'organizations',
    property: 'organizations',
    key: ['organizationId'],
    fields: {
      organizationId: 'string',
      name: 'string',
      tin: 'string',
      npi: 'string',
      address1: 'string',
      city: 'string',
      state: 'string',
      zip: 'string',
      phone: 'string',
    },
  }),
  entity<Practice>()({
    file: 'practices',
    property: 'practices',
    key: ['practiceId'],
    fields: {
      practiceId: 'string',
      organizationId: 'string',
      name: 'string',
      specialty: 'string',
      groupNpi: 'string',
      tin: 'string',
      taxonomy: 'string',
      address1: 'string',
      city: 'string',
      state: 'string',
      zip: 'string',
      phone: 'string',
      writeOffThresholdCents: 'cents',
    },
  }),
  entity<Provider>()({
    file: 'providers',
    property: 'providers',
    key: ['providerId'],
    fields: {
      providerId: 'string',
      practiceId: 'string',
      npi: 'string',
      firstName: 'string',
      lastName: 'string',
      credential: 'string',
      taxonomy: 'string',
    },
  }),
  entity<Location>()({
    file: 'locations',
    property: 'locations',
    key: ['locationId'],
    fields: {
      locationId: 'string',
      practiceId: 'string',
      name: 'string',
      posCode: 'string',
      npi: 'string',
      address1: 'string',
      city: 'string',
      state: 'string',
      zip: 'string',
    },
  }),
  entity<Payer>()({
    file: 'payers',
    property: 'payers',
    key: ['payerId'],
    fields: {
      payerId: 'string',
      name: 'string',
      kind: 'string',
      profileId: 'string',
      submission: 'string',
      timelyFilingDays: 'int',
      memberIdFormat: 'string',
      memberIdPattern: 'string',
      address1: 'string',
      city: 'string',
      state: 'string',
      zip: 'string',
    },
  }),
  entity<PracticePayer>()({
    file: 'practice_payers',
    property: 'practicePayers',
    key: ['practiceId', 'payerId'],
    fields: {
      practiceId: 'string',
      payerId: 'string',
      mixBp: 'int',
      inNetwork: 'bool',
      contractEffectiveFrom: 'date',
    },
  }),
  entity<Enrollment>()({
    file: 'enrollments',
    property: 'enrollments',
    key: ['providerId', 'payerId', 'effectiveFrom'],
    fields: {
      providerId: 'string',
      practiceId: 'string',
      payerId: 'string',
      status: 'string',
      appliedOn: 'date',
      effectiveFrom: 'date',
      effectiveTo: 'date?',
    },
  }),
  entity<FeeScheduleRow>()({
    file: 'fee_schedules',
    property: 'feeSchedules',
    key: ['practiceId', 'payerId', 'code', 'modifier', 'setting', 'effectiveFrom'],
    fields: {
      practiceId: 'string',
      payerId: 'string',
      code: 'string',
      modifier: 'string?',
      setting: 'string',
      allowedCents: 'cents',
      effectiveFrom: 'date',
      effectiveTo: 'date?',
    },
  }),
  entity<ChargeMasterRow>()({
    file: 'charge_master',
    property: 'chargeMaster',
    key: ['practiceId', 'code', 'modifier'],
    fields: { practiceId: 'string', code: 'string', modifier: 'string?', chargeCents: 'cents' },
  }),
  entity<Patient>()({
    file: 'patients',
    property: 'patients',
    key: ['patientId'],
    fields: {
      patientId: 'string',
      practiceId: 'string',
      mrn: 'string',
      firstName: 'string',
      lastName: 'string',
      dateOfBirth: 'date',
      sex: 'string',
      address1: 'string',
      city: 'string',
      state: 'string',
      zip: 'string',
      phone: 'string',
    },
  }),
  entity<Coverage>()({
    file: 'coverages',
    property: 'coverages',
    key: ['coverageId'],
    fields: {
      coverageId: 'string',
      patientId: 'string',
      practiceId: 'string',
      payerId: 'string',
      rank: 'int',
      memberId: 'string',
      groupNumber: 'string?',
      planName: 'string',
      relationship: 'string',
      subscriberFirstName: 'string',
      subscriberLastName: 'string',
      subscriberDateOfBirth: 'date',
      subscriberSex: 'string',
      effectiveFrom: 'date',
      effectiveTo: 'date?',
      copayCents: 'cents',
    },
  }),
  entity<Appointment>()({
    file: 'appointments',
    property: 'appointments',
    key: ['appointmentId'],
    fields: {
      appointmentId: 'string',
      practiceId: 'string',
      patientId: 'string',
      providerId: 'string',
      locationId: 'string',
      date: 'date',
      startAt: 'instant',
      durationMinutes: 'int',
      visitType: 'string',
      status: 'string',
    },
  }),
  entity<Authorization>()({
    file: 'authorizations',
    property: 'authorizations',
    key: ['authorizationId'],
    fields: {
      authorizationId: 'string',
      practiceId: 'string',
      patientId: 'string',
      payerId: 'string',
      coverageId: 'string',
      authNumber: 'string',
      codes: 'string[]',
      units: 'int',
      validFrom: 'date',
      validTo: 'date',
    },
  }),
  entity<Encounter>()({
    file: 'encounters',
    property: 'encounters',
    key: ['encounterId'],
    fields: {
      encounterId: 'string',
      appointmentId: 'string',
      practiceId: 'string',
      patientId: 'string',
      renderingProviderId: 'string',
      locationId: 'string',
      dateOfService: 'date',
      posCode: 'string',
      documentedAt: 'instant',
      primaryCoverageId: 'string?',
      secondaryCoverageId: 'string?',
      diagnoses: 'string[]',
    },
  }),
  entity<Charge>()({
    file: 'charges',
    property: 'charges',
    key: ['chargeId'],
    fields: {
      chargeId: 'string',
      encounterId: 'string',
      practiceId: 'string',
      lineNumber: 'int',
      dateOfService: 'date',
      code: 'string',
      modifiers: 'string[]',
      units: 'int',
      diagnosisPointers: 'int[]',
      chargeCents: 'cents',
      posCode: 'string',
      authorizationId: 'string?',
    },
  }),
  entity<GroundTruth>()({
    file: 'ground_truth',
    property: 'groundTruth',
    key: ['key'],
    fields: {
      key: 'string',
      scope: 'string',
      errorKind: 'string',
      practiceId: 'string',
      coverageId: 'string?',
      encounterId: 'string?',
      chargeId: 'string?',
      expectedOutcome: 'string',
      detectableBy: 'string',
      detail: 'string',
      payerMemberId: 'string?',
      payerTerminationDate: 'date?',
      payerGroupNumber: 'string?',
      payerPlanName: 'string?',
      otherPayerId: 'string?',
      otherMemberId: 'string?',
    },
  }),
  entity<LegacyAr>()({
    file: 'legacy_ar',
    property: 'legacyAr',
    key: ['legacyClaimId'],
    fields: {
      legacyClaimId: 'string',
      practiceId: 'string',
      patientId: 'string',
      payerId: 'string?',
      renderingProviderId: 'string',
      dateOfService: 'date',
      codes: 'string[]',
      billedCents: 'cents',
      paidCents: 'cents',
      adjustedCents: 'cents',
      balanceCents: 'cents',
      responsibleParty: 'string',
      status: 'string',
      ageDays: 'int',
      agingBucket: 'string',
      lastActivityDate: 'date',
      asOf: 'date',
    },
  }),
];

/** The natural key of a row as one string (fields joined with '|'). */
export function naturalKey(spec: EntitySpec, row: object): string {
  const r = row as Record<string, unknown>;
  return spec.key
    .map((k) => {
      const v = r[k];
      if (v === null || v === undefined) return '';
      return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
        ? String(v)
        : JSON.stringify(v);
    })
    .join('|');
}
