/**
 * The plain data a generated data set is made of: one interface per imported entity (file). Money is
 * integer cents, calendar dates 'YYYY-MM-DD', instants ISO-8601 UTC ('2026-01-05T14:30:00Z'); an absent
 * value is `null` (never an omitted key), so every row of a file has the same columns.
 * The field-by-field documentation is docs/import-format.md; ./schema.ts is its machine-readable form.
 */
import type { PayerKind, SubmissionChannel } from './payers/profiles.ts';

export const SPECIALTIES = ['family_medicine', 'cardiology', 'orthopedics', 'dermatology'] as const;
export type Specialty = (typeof SPECIALTIES)[number];

export const PLACES_OF_SERVICE = ['11', '22', '24'] as const; // office, on-campus outpatient hospital, ASC
export type PlaceOfService = (typeof PLACES_OF_SERVICE)[number];

export interface Organization {
  organizationId: string;
  name: string;
  tin: string;
  npi: string;
  address1: string;
  city: string;
  state: string;
  zip: string;
  phone: string;
}

export interface Practice {
  practiceId: string;
  organizationId: string;
  name: string;
  specialty: Specialty;
  groupNpi: string;
  tin: string;
  taxonomy: string;
  address1: string;
  city: string;
  state: string;
  zip: string;
  phone: string;
  /** Patient balances above this need the practice's approval to write off (DOMAIN.md, stage 6). */
  writeOffThresholdCents: number;
}

export const PROVIDER_CREDENTIALS = ['MD', 'DO', 'NP', 'PA'] as const;
export type ProviderCredential = (typeof PROVIDER_CREDENTIALS)[number];

export interface Provider {
  providerId: string;
  practiceId: string;
  npi: string;
  firstName: string;
  lastName: string;
  credential: ProviderCredential;
  taxonomy: string;
}

export interface Location {
  locationId: string;
  practiceId: string;
  name: string;
  posCode: PlaceOfService;
  /** Service facility NPI (type 2); the practice's group NPI for its own offices. */
  npi: string;
  address1: string;
  city: string;
  state: string;
  zip: string;
}

export interface Payer {
  payerId: string;
  name: string;
  kind: PayerKind;
  profileId: string;
  submission: SubmissionChannel;
  timelyFilingDays: number;
  /** Name of the member id format (ids.ts MEMBER_ID_FORMATS), for front-end format edits. */
  memberIdFormat: string;
  memberIdPattern: string;
  address1: string;
  city: string;
  state: string;
  zip: string;
}

export interface PracticePayer {
  practiceId: string;
  payerId: string;
  /** Share of the practice's insured patients with this payer as primary, in basis points (sums to 10000 over a practice's primaries). */
  mixBp: number;
  inNetwork: boolean;
  contractEffectiveFrom: string;
}

export const ENROLLMENT_STATUSES = ['enrolled', 'pending'] as const;
export type EnrollmentStatus = (typeof ENROLLMENT_STATUSES)[number];

export interface Enrollment {
  providerId: string;
  practiceId: string;
  payerId: string;
  /** Status as of the data set's start date; 'pending' enrollments become effective on effectiveFrom. */
  status: EnrollmentStatus;
  appliedOn: string;
  effectiveFrom: string;
  effectiveTo: string | null;
}

export const FEE_SETTINGS = ['nonfacility', 'facility'] as const;
export type FeeSetting = (typeof FEE_SETTINGS)[number];

export interface FeeScheduleRow {
  practiceId: string;
  payerId: string;
  code: string;
  /** null for the global service, '26' for the professional component. */
  modifier: string | null;
  setting: FeeSetting;
  allowedCents: number;
  effectiveFrom: string;
  effectiveTo: string | null;
}

export interface ChargeMasterRow {
  practiceId: string;
  code: string;
  modifier: string | null;
  chargeCents: number;
}

export const SEXES = ['F', 'M'] as const;
export type Sex = (typeof SEXES)[number];

export interface Patient {
  patientId: string;
  practiceId: string;
  mrn: string;
  firstName: string;
  lastName: string;
  dateOfBirth: string;
  sex: Sex;
  address1: string;
  city: string;
  state: string;
  zip: string;
  phone: string;
}

/** X12 individual relationship codes (2000B SBR02 / 2000C PAT01): 18 self, 01 spouse, 19 child. */
export const RELATIONSHIPS = ['18', '01', '19'] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];

export interface Coverage {
  coverageId: string;
  patientId: string;
  practiceId: string;
  payerId: string;
  /** 1 primary, 2 secondary (coordination of benefits order as the practice has it on file). */
  rank: number;
  memberId: string;
  groupNumber: string | null;
  planName: string;
  relationship: Relationship;
  subscriberFirstName: string;
  subscriberLastName: string;
  subscriberDateOfBirth: string;
  subscriberSex: Sex;
  effectiveFrom: string;
  effectiveTo: string | null;
  copayCents: number;
}

export const VISIT_TYPES = ['new', 'established', 'preventive', 'procedure', 'diagnostic'] as const;
export type VisitType = (typeof VISIT_TYPES)[number];

export const APPOINTMENT_STATUSES = ['completed', 'no_show', 'cancelled'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

export interface Appointment {
  appointmentId: string;
  practiceId: string;
  patientId: string;
  providerId: string;
  locationId: string;
  date: string;
  startAt: string;
  durationMinutes: number;
  visitType: VisitType;
  status: AppointmentStatus;
}

export interface Encounter {
  encounterId: string;
  appointmentId: string;
  practiceId: string;
  patientId: string;
  renderingProviderId: string;
  locationId: string;
  dateOfService: string;
  posCode: string;
  /** When the provider signed the note: coding can start then (documentation lag = this - visit start). */
  documentedAt: string;
  primaryCoverageId: string | null;
  secondaryCoverageId: string | null;
  /** ICD-10-CM codes with the dot, in claim order (first = principal); charges point into this list 1-based. */
  diagnoses: string[];
}

export interface Charge {
  chargeId: string;
  encounterId: string;
  practiceId: string;
  lineNumber: number;
  dateOfService: string;
  code: string;
  modifiers: string[];
  units: number;
  /** 1-based pointers into the encounter's diagnoses (837P SV107), at most 4. */
  diagnosisPointers: number[];
  chargeCents: number;
  posCode: string;
  authorizationId: string | null;
}

export interface Authorization {
  authorizationId: string;
  practiceId: string;
  patientId: string;
  payerId: string;
  coverageId: string;
  /** The payer's authorization number (837P 2300 REF*G1). */
  authNumber: string;
  codes: string[];
  units: number;
  validFrom: string;
  validTo: string;
}

export const ERROR_KINDS = [
  'member_id_typo',
  'outdated_coverage',
  'missing_authorization',
  'missing_modifier',
  'wrong_pos',
  'unenrolled_provider',
  'non_covered_service',
  'diagnosis_mismatch',
  'duplicate_submission',
  'late_documentation',
  // Eligibility-only scenarios (no claim outcome of their own): the payer moved the member to another plan and
  // group; the payer knows of other coverage the practice does not have on file.
  'plan_change',
  'unknown_other_coverage',
  // Not injected: a payer-specific bundling policy beyond NCCI that the charges run into (a payer-specific
  // scrubber rule catches it); recorded so every expected denial has a ground-truth row.
  'payer_bundling',
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export const DETECTABLE_BY = ['scrubber', 'eligibility'] as const;
export type DetectableBy = (typeof DETECTABLE_BY)[number];

export const GROUND_TRUTH_SCOPES = ['coverage', 'encounter'] as const;
export type GroundTruthScope = (typeof GROUND_TRUTH_SCOPES)[number];

/**
 * One injected error. Coverage-scope rows carry what the payer really has on file (true member id,
 * termination date); encounter-scope rows list every encounter the error reaches, with the outcome a
 * payer following ./payers/profiles.ts should produce when the claim is sent unscrubbed.
 */
export interface GroundTruth {
  key: string;
  scope: GroundTruthScope;
  errorKind: ErrorKind;
  practiceId: string;
  coverageId: string | null;
  encounterId: string | null;
  chargeId: string | null;
  /** e.g. 'reject:277CA', 'deny:CO-197', 'hold:credentialing'. */
  expectedOutcome: string;
  /** The first OpenRCM step that can catch it: 'scrubber' (claim data and payer rules) or 'eligibility' (only a 270/271). */
  detectableBy: DetectableBy;
  /** What changed, naming fields (e.g. 'memberId substitution', 'modifier 25 removed from line 1'). */
  detail: string;
  /** Coverage scope: the payer's true member id (member_id_typo) or null. */
  payerMemberId: string | null;
  /** Coverage scope: the payer's real termination date the practice does not know (outdated_coverage). */
  payerTerminationDate: string | null;
  /** Coverage scope, plan_change: the group number and plan name the payer really has the member under. */
  payerGroupNumber: string | null;
  payerPlanName: string | null;
  /**
   * Coverage scope, unknown_other_coverage: the other payer (a payer id of the data set) and the member's id
   * there; the other payer's roster has the member, the practice's file does not.
   */
  otherPayerId: string | null;
  otherMemberId: string | null;
}

export const AGING_BUCKETS = ['0-30', '31-60', '61-90', '91-120', '120+'] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];

export const LEGACY_AR_STATUSES = ['submitted', 'denied', 'partially_paid', 'patient_balance'] as const;
export type LegacyArStatus = (typeof LEGACY_AR_STATUSES)[number];

export interface LegacyAr {
  legacyClaimId: string;
  practiceId: string;
  patientId: string;
  /** null when the balance is the patient's (self-pay or after insurance). */
  payerId: string | null;
  renderingProviderId: string;
  dateOfService: string;
  codes: string[];
  billedCents: number;
  paidCents: number;
  adjustedCents: number;
  balanceCents: number;
  responsibleParty: 'insurance' | 'patient';
  status: LegacyArStatus;
  /** Age in days from date of service to the hand-off date (the day before the data set starts). */
  ageDays: number;
  agingBucket: AgingBucket;
  lastActivityDate: string;
  asOf: string;
}

/** Everything fixed for the whole period: reference data, patients, coverages, the legacy AR. */
export interface SetupData {
  organizations: Organization[];
  practices: Practice[];
  providers: Provider[];
  locations: Location[];
  payers: Payer[];
  practicePayers: PracticePayer[];
  enrollments: Enrollment[];
  feeSchedules: FeeScheduleRow[];
  chargeMaster: ChargeMasterRow[];
  patients: Patient[];
  coverages: Coverage[];
  legacyAr: LegacyAr[];
  groundTruth: GroundTruth[];
}

/** One practice's activity in one month (a chunk of the month-by-month stream). */
export interface MonthData {
  /** 'YYYY-MM'. */
  month: string;
  practiceId: string;
  appointments: Appointment[];
  encounters: Encounter[];
  charges: Charge[];
  authorizations: Authorization[];
  groundTruth: GroundTruth[];
}

/** A whole data set in memory (setup + every month concatenated). */
export interface Dataset extends SetupData {
  appointments: Appointment[];
  encounters: Encounter[];
  charges: Charge[];
  authorizations: Authorization[];
}
