/**
 * TEST FIXTURES for the scrubber: a clean fixture claim, a fixture context and `FIXTURE_CODE_SETS`, a tiny
 * in-memory `CodeSets` holding a handful of real facts (checked against the CMS/CDC files shipped in
 * @openrcm/codesets: ICD-10-CM FY2024–FY2027 statuses, NCCI PTP/MUE/add-on rows of the 2024 tables). Not for
 * production: use `codesetsAdapter()`.
 */
import type {
  CalendarDate,
  Cents,
  ClaimId,
  ClaimLineId,
  Icd10Code,
  MemberId,
  Modifier,
  Npi,
  PayerCode,
  PayerId,
  PatientId,
  PlaceOfService,
  PracticeId,
  ProcedureCode,
  ProviderId,
  Tin,
} from '@openrcm/core';
import { npiCheckDigit, phi } from '@openrcm/core';
import type { Claim, ClaimCoverage, ClaimLine, ClaimProvider, Person } from '../claims/model.ts';
import type {
  AddOnInfo,
  CodeSets,
  DiagnosisEdits,
  EnrollmentStatus,
  Icd10Status,
  MueInfo,
  PayerSettings,
  PtpEditInfo,
  ScrubContext,
} from './types.ts';

/** A valid NPI built from nine digits plus the check digit (fixtures only). */
export function fixtureNpi(first9: string): Npi {
  return `${first9}${npiCheckDigit(first9)}` as Npi;
}

const d = (s: string): CalendarDate => s as CalendarDate;

// ICD-10-CM status per fiscal year 2024..2027 ('1' billable, '0' header, '-' absent), as in the CMS files.
const ICD10: Readonly<Record<string, string>> = {
  E119: '1111',
  E11: '0000', // category header
  E11A: '--11', // added October 1, 2025 (FY2026)
  B880: '1100', // deleted October 1, 2025
  I10: '1111',
  J069: '1111',
  M545: '0000', // header since FY2022 (M54.50–M54.59 added)
  M5450: '1111',
  Z0000: '1111',
  N400: '1111', // MCE: adult, male
  C61: '1111', // MCE: male
  N951: '1111', // MCE: female
  Z00121: '1111', // MCE: pediatric
  G63: '1111', // MCE: manifestation
};
// Medicare Code Editor edits (MS-DRG v41.1) for the codes above.
const MCE: Readonly<Record<string, DiagnosisEdits>> = {
  N400: { minAge: 15, maxAge: 124, sex: 'M', manifestation: false },
  C61: { sex: 'M', manifestation: false },
  N951: { sex: 'F', manifestation: false },
  Z00121: { minAge: 0, maxAge: 17, manifestation: false },
  G63: { manifestation: true },
};
const ICD_FIRST_FY = 2024;
const ICD_YEARS = 4;

const HCPCS_LEVEL2 = new Set(['J1100', 'G0439', 'G0463', 'A4550']);
const MODIFIERS = new Set([
  '25',
  '26',
  '50',
  '51',
  '57',
  '59',
  '76',
  '91',
  'XE',
  'XS',
  'XP',
  'XU',
  'LT',
  'RT',
  'TC',
  'GP',
  'GO',
  'GN',
  'E1',
  'F1',
  'JZ',
]);
// PFS bilateral surgery indicator 1 or 3 (CY2024): procedures done on one side.
const SIDED = new Set(['20610', '20611', '29881', '73560', '73721']);
const POS = new Set(['02', '10', '11', '12', '19', '21', '22', '23', '31', '32', '51', '61', '81']);
// Practitioner MUEs (limit, MAI), 2024 tables.
const MUE: Readonly<Record<string, MueInfo>> = {
  '97110': { limit: 6, mai: 3 },
  '99213': { limit: 2, mai: 3 },
  '20610': { limit: 2, mai: 3 },
  '36415': { limit: 2, mai: 3 },
  '11042': { limit: 1, mai: 2 },
  '93000': { limit: 3, mai: 3 },
  '99486': { limit: 4, mai: 1 },
  '99396': { limit: 0, mai: 3 }, // preventive visit: Medicare does not pay it (CMS policy)
};
// NCCI PTP edits in force in 2026 (column 1, column 2, modifier indicator).
const PTP: readonly PtpEditInfo[] = [
  { column1: '20610', column2: '99213', modifierIndicator: 1 },
  { column1: '99214', column2: '99213', modifierIndicator: 1 },
  { column1: '93000', column2: '93010', modifierIndicator: 1 },
  { column1: '96372', column2: '99211', modifierIndicator: 0 },
  { column1: '99203', column2: '99202', modifierIndicator: 0 },
  { column1: '20611', column2: '20610', modifierIndicator: 1 },
];
const ADD_ON: Readonly<Record<string, AddOnInfo>> = {
  '11045': { type: 1, primaries: new Set(['11042']) },
  '99417': { type: 1, primaries: new Set(['99205', '99215']) },
};

/** TEST FIXTURE: in-memory code sets with a few real facts; see the module comment. */
export const FIXTURE_CODE_SETS: CodeSets = {
  icd10Status(code, dos): Icd10Status {
    const year = Number(dos.slice(0, 4));
    const fy = dos.slice(5) >= '10-01' ? year + 1 : year; // federal fiscal year: October 1 starts the next
    const s = ICD10[code];
    if (fy < ICD_FIRST_FY || fy >= ICD_FIRST_FY + ICD_YEARS)
      return s === undefined ? 'unknown-code' : 'year-not-loaded';
    if (s === undefined) return 'unknown-code';
    const ch = s[fy - ICD_FIRST_FY];
    return ch === '1' ? 'billable' : ch === '0' ? 'header' : 'not-in-release';
  },
  isHcpcsLevel2: (code) => HCPCS_LEVEL2.has(code),
  isCptWellFormed: (code) => /^(?:\d{5}|\d{4}[FTUM])$/.test(code),
  isValidModifier: (m) => MODIFIERS.has(m),
  isValidPos: (pos) => POS.has(pos),
  mue: (code) => MUE[code],
  isSidedProcedure: (code) => SIDED.has(code),
  ptpEdit: (a, b) =>
    PTP.find((e) => (e.column1 === a && e.column2 === b) || (e.column1 === b && e.column2 === a)),
  addOn: (code) => ADD_ON[code],
  diagnosisEdits: (code) => MCE[code],
};

export const FIXTURE_AS_OF = d('2026-11-02');
export const FIXTURE_DOS = d('2026-10-20');
export const FIXTURE_PAYER_ID = 7 as PayerId;
export const FIXTURE_RENDERING = fixtureNpi('111111111');

const person = (last: string, first: string, birth: string, sex: 'F' | 'M'): Person => ({
  lastName: phi(last),
  firstName: phi(first),
  birthDate: phi(d(birth)),
  sex,
  address: phi({ line1: '12 Elm St', city: 'Springfield', state: 'IL', postalCode: '62701' }),
});

const patient = person('Doe', 'Jane', '1960-04-12', 'F');

export const FIXTURE_COVERAGE: ClaimCoverage = {
  rank: 'primary',
  payer: {
    payerId: FIXTURE_PAYER_ID,
    payerCode: '60054' as PayerCode,
    name: 'Fixture Health',
    type: 'commercial',
    timelyFilingDays: 180,
    claimFilingIndicator: 'CI',
  },
  memberId: phi('W123456789' as MemberId),
  relationship: '18',
  subscriber: patient,
  effectiveFrom: d('2026-01-01'),
};

const rendering: ClaimProvider = {
  providerId: 3 as ProviderId,
  npi: FIXTURE_RENDERING,
  entityType: 'person',
  lastOrOrganizationName: 'Smith',
  firstName: 'Ann',
};

function line(
  n: number,
  code: string,
  chargeCents: number,
  pointers: number[],
  extra: Partial<ClaimLine> = {},
): ClaimLine {
  return {
    lineId: (100 + n) as ClaimLineId,
    lineNumber: n,
    lineControlNumber: `L${100 + n}`,
    procedureCode: code as ProcedureCode,
    modifiers: [],
    units: 1,
    chargeCents: chargeCents as Cents,
    diagnosisPointers: pointers,
    serviceDate: FIXTURE_DOS,
    ...extra,
  };
}

/** A fixture line on the fixture claim's date; `modifiers` as plain strings. */
export function fixtureLine(
  n: number,
  code: string,
  chargeCents: number,
  pointers: number[],
  extra: Partial<Omit<ClaimLine, 'modifiers'>> & { modifiers?: string[] } = {},
): ClaimLine {
  const { modifiers, ...rest } = extra;
  return line(n, code, chargeCents, pointers, { ...rest, modifiers: (modifiers ?? []) as Modifier[] });
}

/**
 * TEST FIXTURE: a clean claim — office visit 99213 and an ECG 93000 on 2026-10-20 for a commercial primary,
 * billed by an organization with a valid NPI/TIN. `overrides` replaces top-level fields; the total is
 * recomputed from the lines unless `totalChargeCents` is overridden.
 */
export function fixtureClaim(overrides: Partial<Claim> = {}): Claim {
  const lines = overrides.lines ?? [line(1, '99213', 15000, [1, 2]), line(2, '93000', 5000, [2])];
  let total = 0;
  for (const l of lines) total += l.chargeCents;
  return {
    claimId: 501 as ClaimId,
    practiceId: 2 as PracticeId,
    version: 1,
    patientControlNumber: '501',
    frequencyCode: '1',
    billingProvider: {
      npi: fixtureNpi('123456789'),
      entityType: 'organization',
      lastOrOrganizationName: 'Springfield Family Medicine',
      tin: '371234567' as Tin,
      address: { line1: '100 Main St', city: 'Springfield', state: 'IL', postalCode: '627011234' },
    },
    renderingProvider: rendering,
    coverage: FIXTURE_COVERAGE,
    otherCoverages: [],
    priorAdjudications: [],
    patient,
    patientId: 9001 as PatientId,
    placeOfService: '11' as PlaceOfService,
    locationPlaceOfService: '11' as PlaceOfService,
    diagnoses: ['E119', 'I10'] as Icd10Code[],
    totalChargeCents: total as Cents,
    signatureOnFile: true,
    acceptsAssignment: true,
    benefitsAssigned: true,
    releaseOfInformation: 'Y',
    firstServiceDate: FIXTURE_DOS,
    ...overrides,
    lines,
  };
}

/** TEST FIXTURE: the context the fixture claim is clean in (everyone enrolled, eligibility unchanged). */
export function fixtureContext(overrides: Partial<ScrubContext> = {}): ScrubContext {
  const settings: PayerSettings = { priorAuthorizationCodes: new Set(['70553']) };
  return {
    asOf: FIXTURE_AS_OF,
    codeSets: FIXTURE_CODE_SETS,
    enrollment: (): EnrollmentStatus => ({ status: 'enrolled' }),
    submitted: new Map(),
    eligibility: 'unchanged',
    payerSettings: (payerId) => (payerId === FIXTURE_PAYER_ID ? settings : undefined),
    ...overrides,
  };
}
