// X12 external code lists as plain sets: place of service (code source 237), claim status category (507)
// and claim status (508) from the pyx12 code lists, plus CARC/RARC from adjustments.ts. The X12 library
// takes these sets as an argument and never imports this package.

import { carcCodes, rarcCodes } from './adjustments.ts';
import { columnIndex, lazy, readDataTsv } from './data.ts';

/** Names of the lists in data/x12_external_lists.tsv (pyx12 `codes.xml` ids). */
export const X12_LIST_IDS = [
  'pos',
  'claim_status_cat',
  'claim_status',
  'remark_code',
  'service_type',
  'entity_id',
  'states',
  'country',
  'currency',
] as const;
export type X12ListId = (typeof X12_LIST_IDS)[number];

const lists = lazy((): ReadonlyMap<string, ReadonlySet<string>> => {
  const tsv = readDataTsv('x12_external_lists.tsv');
  const [li, ci] = [columnIndex(tsv, 'list'), columnIndex(tsv, 'code')];
  const map = new Map<string, Set<string>>();
  for (const r of tsv.rows) {
    const id = r[li] ?? '';
    let s = map.get(id);
    if (!s) map.set(id, (s = new Set()));
    s.add(r[ci] ?? '');
  }
  return map;
});

/**
 * One pyx12 external code list as a set (empty if the data lacks it). For remark codes prefer
 * `rarcCodes()`: the June 2024 inventory it reads is newer than pyx12's `remark_code` list (1,171 vs 998).
 */
export function x12List(id: X12ListId): ReadonlySet<string> {
  return lists().get(id) ?? new Set();
}

// Place of service names from the CMS Place of Service Code Set (public domain), for reports and the UI.
const POS_NAMES: Readonly<Record<string, string>> = {
  '01': 'Pharmacy',
  '02': 'Telehealth provided other than in patient’s home',
  '03': 'School',
  '04': 'Homeless shelter',
  '05': 'Indian Health Service free-standing facility',
  '06': 'Indian Health Service provider-based facility',
  '07': 'Tribal 638 free-standing facility',
  '08': 'Tribal 638 provider-based facility',
  '09': 'Prison/correctional facility',
  '10': 'Telehealth provided in patient’s home',
  '11': 'Office',
  '12': 'Home',
  '13': 'Assisted living facility',
  '14': 'Group home',
  '15': 'Mobile unit',
  '16': 'Temporary lodging',
  '17': 'Walk-in retail health clinic',
  '18': 'Place of employment/worksite',
  '19': 'Off campus-outpatient hospital',
  '20': 'Urgent care facility',
  '21': 'Inpatient hospital',
  '22': 'On campus-outpatient hospital',
  '23': 'Emergency room - hospital',
  '24': 'Ambulatory surgical center',
  '25': 'Birthing center',
  '26': 'Military treatment facility',
  '27': 'Outreach site/street',
  '31': 'Skilled nursing facility',
  '32': 'Nursing facility',
  '33': 'Custodial care facility',
  '34': 'Hospice',
  '41': 'Ambulance - land',
  '42': 'Ambulance - air or water',
  '49': 'Independent clinic',
  '50': 'Federally qualified health center',
  '51': 'Inpatient psychiatric facility',
  '52': 'Psychiatric facility-partial hospitalization',
  '53': 'Community mental health center',
  '54': 'Intermediate care facility/individuals with intellectual disabilities',
  '55': 'Residential substance abuse treatment facility',
  '56': 'Psychiatric residential treatment center',
  '57': 'Non-residential substance abuse treatment facility',
  '58': 'Non-residential opioid treatment facility',
  '60': 'Mass immunization center',
  '61': 'Comprehensive inpatient rehabilitation facility',
  '62': 'Comprehensive outpatient rehabilitation facility',
  '65': 'End-stage renal disease treatment facility',
  '66': 'Programs of All-Inclusive Care for the Elderly (PACE) center',
  '71': 'Public health clinic',
  '72': 'Rural health clinic',
  '81': 'Independent laboratory',
  '99': 'Other place of service',
};

export interface PlaceOfService {
  readonly code: string;
  readonly name: string;
}

/** Places of service (CLM05-1 / SV105), sorted by code. */
export function placesOfService(): readonly PlaceOfService[] {
  return [...x12List('pos')].sort().map((code) => ({ code, name: POS_NAMES[code] ?? '' }));
}

/** True when `code` is a place-of-service code. */
export function isValidPos(code: string): boolean {
  return x12List('pos').has(code);
}

/** Claim status category codes (277 STC01-1, 277CA). */
export function claimStatusCategoryCodes(): ReadonlySet<string> {
  return x12List('claim_status_cat');
}

/** Claim status codes (277 STC01-2, 277CA). */
export function claimStatusCodes(): ReadonlySet<string> {
  return x12List('claim_status');
}

// Class of a claim status category by its leading letter (X12 code source 507 groups its codes this way).
// Our own short wording.
export const CLAIM_STATUS_CATEGORY_CLASSES = {
  A: 'acknowledgement',
  D: 'data search unsuccessful',
  E: 'response not possible',
  F: 'finalized',
  P: 'pending',
  R: 'request for additional information',
  X: 'other',
} as const;
export type ClaimStatusCategoryClass =
  (typeof CLAIM_STATUS_CATEGORY_CLASSES)[keyof typeof CLAIM_STATUS_CATEGORY_CLASSES];

/** The class of a claim status category code (A3 → acknowledgement), or undefined for an unknown code. */
export function claimStatusCategoryClass(code: string): ClaimStatusCategoryClass | undefined {
  if (!claimStatusCategoryCodes().has(code)) return undefined;
  const letter = code[0] as keyof typeof CLAIM_STATUS_CATEGORY_CLASSES;
  return Object.hasOwn(CLAIM_STATUS_CATEGORY_CLASSES, letter)
    ? CLAIM_STATUS_CATEGORY_CLASSES[letter]
    : undefined;
}

/**
 * The external code lists the X12 validator checks, as plain sets, under the names the X12 readers take them by
 * (`ExternalCodeLists` of packages/x12, which this package does not import).
 */
export interface ExternalCodeLists {
  readonly carc: ReadonlySet<string>;
  readonly rarc: ReadonlySet<string>;
  /** Place of service (code source 237): 837P CLM05-1 and SV105, 835 CLP08. */
  readonly placeOfService: ReadonlySet<string>;
  readonly claimStatusCategory: ReadonlySet<string>;
  readonly claimStatus: ReadonlySet<string>;
  /** Entity identifier codes where a guide defers to the external list (277 STC01-3). */
  readonly entityIdentifier: ReadonlySet<string>;
  /** Service type codes (270 EQ01, 271 EB03). */
  readonly serviceType: ReadonlySet<string>;
}

/**
 * The external code lists for the X12 validator (`packages/x12` takes them as an argument). Without
 * `asOf`, CARC and RARC hold every code ever defined (an old ERA may legitimately carry a since-retired
 * code); with `asOf`, only codes in use on that date.
 */
export function externalCodeLists(asOf?: string): ExternalCodeLists {
  return asOf === undefined ? allExternalCodeLists() : externalCodeListsOn(asOf);
}

// The undated lists are built once and shared (they are read-only sets).
const allExternalCodeLists = lazy((): ExternalCodeLists => externalCodeListsOn(undefined));

function externalCodeListsOn(asOf: string | undefined): ExternalCodeLists {
  return {
    carc: carcCodes(asOf),
    rarc: rarcCodes(asOf),
    placeOfService: x12List('pos'),
    claimStatusCategory: claimStatusCategoryCodes(),
    claimStatus: claimStatusCodes(),
    entityIdentifier: x12List('entity_id'),
    serviceType: x12List('service_type'),
  };
}
