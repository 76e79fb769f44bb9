/**
 * Branded identifiers with validating constructors (STYLE §6). Mixing up CLP01 (our patient
 * control number) and CLP07 (the payer's claim control number) is the classic mis-post: distinct
 * brands make it a type error.
 *
 * Our own ids are `bigint` identity columns in PostgreSQL, decoded to safe-integer numbers.
 * Each constructor has the same name as its type: `PracticeId('12')` validates and brands.
 */
import { coreError } from './errors.ts';

declare const idBrand: unique symbol;
/** A positive safe-integer row id tagged with its table. */
export type Id<Tag extends string> = number & { readonly [idBrand]: Tag };

/** Builds a validating constructor for one id type; accepts numbers, decimal strings and bigints. */
export function idConstructor<Tag extends string>(label: string): (value: unknown) => Id<Tag> {
  return (value: unknown): Id<Tag> => {
    let n = Number.NaN;
    if (typeof value === 'number') n = value;
    else if (typeof value === 'bigint' && value <= BigInt(Number.MAX_SAFE_INTEGER)) n = Number(value);
    else if (typeof value === 'string' && /^[1-9]\d{0,15}$/.test(value)) n = Number(value);
    if (!Number.isSafeInteger(n) || n <= 0) {
      throw coreError('core.invalid_id', `${label}: must be a positive integer id`);
    }
    return n as Id<Tag>;
  };
}

export type BillingOrgId = Id<'BillingOrg'>;
export const BillingOrgId = idConstructor<'BillingOrg'>('billing organization id');
export type PracticeId = Id<'Practice'>;
export const PracticeId = idConstructor<'Practice'>('practice id');
export type UserId = Id<'User'>;
export const UserId = idConstructor<'User'>('user id');
export type ProviderId = Id<'Provider'>;
export const ProviderId = idConstructor<'Provider'>('provider id');
export type LocationId = Id<'Location'>;
export const LocationId = idConstructor<'Location'>('location id');
export type PayerId = Id<'Payer'>;
export const PayerId = idConstructor<'Payer'>('payer id');
export type EnrollmentId = Id<'Enrollment'>;
export const EnrollmentId = idConstructor<'Enrollment'>('enrollment id');
export type PatientId = Id<'Patient'>;
export const PatientId = idConstructor<'Patient'>('patient id');
export type CoverageId = Id<'Coverage'>;
export const CoverageId = idConstructor<'Coverage'>('coverage id');
export type AppointmentId = Id<'Appointment'>;
export const AppointmentId = idConstructor<'Appointment'>('appointment id');
export type EncounterId = Id<'Encounter'>;
export const EncounterId = idConstructor<'Encounter'>('encounter id');
export type ChargeId = Id<'Charge'>;
export const ChargeId = idConstructor<'Charge'>('charge id');
export type ClaimId = Id<'Claim'>;
export const ClaimId = idConstructor<'Claim'>('claim id');
export type ClaimVersionId = Id<'ClaimVersion'>;
export const ClaimVersionId = idConstructor<'ClaimVersion'>('claim version id');
export type ClaimLineId = Id<'ClaimLine'>;
export const ClaimLineId = idConstructor<'ClaimLine'>('claim line id');
export type BatchId = Id<'Batch'>;
export const BatchId = idConstructor<'Batch'>('submission batch id');
export type RemittanceId = Id<'Remittance'>;
export const RemittanceId = idConstructor<'Remittance'>('remittance id');
export type LedgerTransactionId = Id<'LedgerTransaction'>;
export const LedgerTransactionId = idConstructor<'LedgerTransaction'>('ledger transaction id');
export type WorkItemId = Id<'WorkItem'>;
export const WorkItemId = idConstructor<'WorkItem'>('work item id');

// ---------------------------------------------------------------------------------------------
// External identifiers

declare const extBrand: unique symbol;
/** A validated external identifier string tagged with its kind. */
export type ExternalId<Tag extends string> = string & { readonly [extBrand]: Tag };

/** Luhn check digit for the 9 leading NPI digits, computed over the prefix 80840 (CMS NPI rule). */
export function npiCheckDigit(first9: string): number {
  if (!/^\d{9}$/.test(first9)) throw coreError('core.invalid_id', 'npi: need 9 leading digits');
  const digits = `80840${first9}`;
  let total = 0;
  // From the rightmost digit, double every second one starting with the rightmost (ISO 7812).
  for (let i = digits.length - 1, double = true; i >= 0; i -= 1, double = !double) {
    let d = Number(digits[i]);
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    total += d;
  }
  return (10 - (total % 10)) % 10;
}

/** National Provider Identifier: 10 digits, last one a Luhn check digit over 80840 + the first 9. */
export type Npi = ExternalId<'Npi'>;
export function isValidNpi(text: string): boolean {
  return /^\d{10}$/.test(text) && npiCheckDigit(text.slice(0, 9)) === Number(text[9]);
}
export function Npi(text: string, field = 'npi'): Npi {
  if (!isValidNpi(text))
    throw coreError('core.invalid_id', `${field}: not a valid NPI (10 digits, check digit)`);
  return text as Npi;
}

/**
 * Taxpayer identification number as sent in REF*EI (EIN) or REF*SY (SSN): 9 digits, stored without
 * the dash. Accepts 'NN-NNNNNNN' (EIN) and 'NNN-NN-NNNN' (SSN) input forms.
 */
export type Tin = ExternalId<'Tin'>;
export const TIN_KINDS = ['ein', 'ssn'] as const;
export type TinKind = (typeof TIN_KINDS)[number];
export function Tin(text: string, field = 'tin'): Tin {
  const ok = /^\d{9}$/.test(text) || /^\d{2}-\d{7}$/.test(text) || /^\d{3}-\d{2}-\d{4}$/.test(text);
  const digits = text.replace(/-/g, '');
  // No valid EIN or SSN is all zeros; IRS EIN prefixes never start with 00.
  if (!ok || /^0+$/.test(digits)) throw coreError('core.invalid_id', `${field}: not a 9-digit TIN`);
  return digits as Tin;
}
/** EIN: a TIN whose first two digits are a valid campus prefix (not 00, 07–09, 17–19, 28, 29, 49, 69, 70, 78, 79, 89, 96, 97). */
export type Ein = ExternalId<'Ein'>;
const INVALID_EIN_PREFIXES = new Set([
  '00',
  '07',
  '08',
  '09',
  '17',
  '18',
  '19',
  '28',
  '29',
  '49',
  '69',
  '70',
  '78',
  '79',
  '89',
  '96',
  '97',
]);
/** Whether the first two digits of a 9-digit TIN are a prefix the IRS assigns to EINs. */
export function isAssignedEinPrefix(tin: string): boolean {
  return !INVALID_EIN_PREFIXES.has(tin.slice(0, 2));
}
export function Ein(text: string, field = 'ein'): Ein {
  const tin = Tin(text, field);
  if (/^\d{3}-\d{2}-\d{4}$/.test(text) || INVALID_EIN_PREFIXES.has(tin.slice(0, 2))) {
    throw coreError('core.invalid_id', `${field}: not a valid EIN (NN-NNNNNNN)`);
  }
  return tin as string as Ein;
}
/** Formats a stored 9-digit EIN as NN-NNNNNNN for display. */
export function formatEin(tin: Tin | Ein): string {
  return `${tin.slice(0, 2)}-${tin.slice(2)}`;
}

/** NUCC health care provider taxonomy code: 10 characters, 9 alphanumerics then 'X' (PRV03). */
export type TaxonomyCode = ExternalId<'Taxonomy'>;
export function TaxonomyCode(text: string, field = 'taxonomy'): TaxonomyCode {
  if (!/^[0-9A-Z]{9}X$/.test(text)) throw coreError('core.invalid_id', `${field}: not a NUCC taxonomy code`);
  return text as TaxonomyCode;
}

/** CMS place of service code: two digits (CLM05-1 / SV105). */
export type PlaceOfService = ExternalId<'PlaceOfService'>;
export function PlaceOfService(text: string, field = 'place of service'): PlaceOfService {
  if (!/^\d{2}$/.test(text) || text === '00')
    throw coreError('core.invalid_id', `${field}: not a 2-digit POS code`);
  return text as PlaceOfService;
}

/** CPT or HCPCS Level II code: 5 characters (SV101-2). Format only; code-set membership is codesets' job. */
export type ProcedureCode = ExternalId<'ProcedureCode'>;
export function ProcedureCode(text: string, field = 'procedure code'): ProcedureCode {
  if (!/^(\d{4}[0-9FTU]|[A-V]\d{4})$/.test(text)) {
    throw coreError('core.invalid_id', `${field}: not a CPT/HCPCS code format`);
  }
  return text as ProcedureCode;
}

/** Procedure modifier: 2 alphanumerics (SV101-3..6). */
export type Modifier = ExternalId<'Modifier'>;
export function Modifier(text: string, field = 'modifier'): Modifier {
  if (!/^[0-9A-Z]{2}$/.test(text)) throw coreError('core.invalid_id', `${field}: not a 2-character modifier`);
  return text as Modifier;
}

/** ICD-10-CM code without the dot, as in HI01-2 (3–7 characters, letter first). */
export type Icd10Code = ExternalId<'Icd10'>;
export function Icd10Code(text: string, field = 'diagnosis code'): Icd10Code {
  const code = text.replace('.', '');
  if (!/^[A-Z]\d[0-9A-Z]{1,5}$/.test(code)) {
    throw coreError('core.invalid_id', `${field}: not an ICD-10-CM code format`);
  }
  return code as Icd10Code;
}

// X12 identifiers: printable, no leading/trailing blanks, no usual delimiter characters.
function x12Identifier<Tag extends string>(
  label: string,
  min: number,
  max: number,
): (text: string, field?: string) => ExternalId<Tag> {
  return (text, field = label) => {
    if (
      text.length < min ||
      text.length > max ||
      text.trim() !== text ||
      // eslint-disable-next-line no-control-regex
      /[\x00-\x1f\x7f*~:^>|]/.test(text)
    ) {
      throw coreError(
        'core.invalid_id',
        `${field}: must be ${min}–${max} printable characters without X12 delimiters`,
      );
    }
    return text as ExternalId<Tag>;
  };
}

/** The payer's id at the clearinghouse (NM109 of loop 2010BB, e.g. '00431'). */
export type PayerCode = ExternalId<'PayerCode'>;
export const PayerCode = x12Identifier<'PayerCode'>('payer code', 2, 80);
/** Subscriber member id (NM109 of loop 2010BA). PHI-adjacent: never log it. */
export type MemberId = ExternalId<'MemberId'>;
export const MemberId = x12Identifier<'MemberId'>('member id', 2, 80);
/** Our patient control number (CLM01, echoed in CLP01); keep ≤ 20 so every payer returns it whole. */
export type PatientControlNumber = ExternalId<'PatientControlNumber'>;
export const PatientControlNumber = x12Identifier<'PatientControlNumber'>('patient control number', 1, 20);
/** The payer's claim control number (CLP07; REF*F8 on corrected claims). */
export type PayerClaimControlNumber = ExternalId<'PayerClaimControlNumber'>;
export const PayerClaimControlNumber = x12Identifier<'PayerClaimControlNumber'>(
  'payer claim control number',
  1,
  50,
);
/** Our line item control number (REF*6R in 837P 2400, echoed in 835 SVC loop REF*6R). */
export type LineControlNumber = ExternalId<'LineControlNumber'>;
export const LineControlNumber = x12Identifier<'LineControlNumber'>('line control number', 1, 50);
/** Reassociation trace number (835 TRN02: check or EFT number). */
export type TraceNumber = ExternalId<'TraceNumber'>;
export const TraceNumber = x12Identifier<'TraceNumber'>('trace number', 1, 50);
