/**
 * Closed code lists of the 270/271 guide (005010X279A1) that OpenRCM reads, with short descriptions of our
 * own. Service type codes (EQ01, EB03) are checked against the list the caller passes (the external code set
 * the readers take), not a copy here.
 *
 * Checked on 2026-11-28 against the pyx12 map of the 271 (azoner/pyx12, pyx12/map/271.5010.X279.A1.xml,
 * BSD-3-Clause), element by element and loop by loop: EB01, EB02, EB04, EB06, EB09, EB11, EB12, EB13-1 and the
 * AAA03 / AAA04 lists of every loop. Fixed then: AAA03 lacked the 2110C/2110D codes 98, AA, AE, AF, AG, AO, CI,
 * E8, IA, MA; 2000A wrongly allowed 80 and T4 (2100A only); 2100C and 2100D wrongly allowed 69 and 70 (2110C /
 * 2110D only); AAA04 was not checked per loop; the text of AAA04 Y was wrong.
 */

/** AAA03 reject reason codes (271 loops 2000A-2110D), with what each means for the inquirer. */
export const AAA_REJECT_REASONS = {
  '04': 'Authorized quantity exceeded',
  '15': 'Required application data missing',
  '33': 'Input errors',
  '35': 'Out of network',
  '41': 'Authorization or access restrictions',
  '42': 'Payer unable to respond at this time',
  '43': 'Provider identifier invalid or missing',
  '44': 'Provider name invalid or missing',
  '45': 'Provider specialty invalid or missing',
  '46': 'Provider phone number invalid or missing',
  '47': 'Provider state invalid or missing',
  '48': 'Referring provider identifier invalid or missing',
  '49': 'Provider is not the primary care physician',
  '50': 'Provider not eligible to send inquiries',
  '51': 'Provider not on file with the payer',
  '52': 'Service dates outside the provider plan enrollment',
  '53': 'Inquired benefit inconsistent with provider type',
  '54': 'Inappropriate product or service qualifier',
  '55': 'Inappropriate product or service code',
  '56': 'Inappropriate date',
  '57': 'Date of service invalid or missing',
  '58': 'Date of birth invalid or missing',
  '60': 'Date of birth is after the date of service',
  '61': 'Date of death is before the date of service',
  '62': 'Date of service outside the allowed inquiry period',
  '63': 'Date of service is in the future',
  '64': 'Patient id invalid or missing',
  '65': 'Patient name invalid or missing',
  '66': 'Patient gender invalid or missing',
  '67': 'Patient not found',
  '68': 'Duplicate patient id',
  '69': "Inconsistent with the patient's age",
  '70': "Inconsistent with the patient's gender",
  '71': "Birth date does not match the payer's record",
  '72': 'Member id invalid or missing',
  '73': 'Subscriber name invalid or missing',
  '74': 'Subscriber gender invalid or missing',
  '75': 'Subscriber not found',
  '76': 'Duplicate subscriber id',
  '77': 'Subscriber found, patient not found',
  '78': 'Subscriber not in the group or plan identified',
  '79': 'Invalid participant identification',
  '80': 'No response received; transaction terminated',
  '97': 'Provider address invalid or missing',
  '98': 'Experimental service or procedure',
  AA: 'Authorization number not found',
  AE: 'Primary care physician authorization required',
  AF: 'Diagnosis code invalid or missing',
  AG: 'Procedure code invalid or missing',
  AO: 'More patient condition information required',
  CI: 'Certification information does not match the patient',
  E8: 'Medical review required',
  IA: 'Authorization number format invalid',
  MA: 'Authorization number missing',
  T4: 'Payer name or identifier missing',
} as const;
export type AaaRejectReason = keyof typeof AAA_REJECT_REASONS;

/** Which AAA03 reasons the 271 TR3 allows in which loop (a payer may not reject a provider id at 2110C). */
export const AAA_REASONS_BY_LOOP: Readonly<Record<string, readonly string[]>> = {
  '2000A': ['04', '41', '42', '79'],
  '2100A': ['04', '41', '42', '79', '80', 'T4'],
  '2100B': ['15', '41', '43', '44', '45', '46', '47', '48', '50', '51', '79', '97', 'T4'],
  '2100C': [
    '15',
    '35',
    '42',
    '43',
    '45',
    '47',
    '48',
    '49',
    '51',
    '52',
    '56',
    '57',
    '58',
    '60',
    '61',
    '62',
    '63',
    '71',
    '72',
    '73',
    '74',
    '75',
    '76',
    '78',
  ],
  '2110C': [
    '15',
    '33',
    '52',
    '53',
    '54',
    '55',
    '56',
    '57',
    '60',
    '61',
    '62',
    '63',
    '69',
    '70',
    '98',
    'AA',
    'AE',
    'AF',
    'AG',
    'AO',
    'CI',
    'E8',
    'IA',
    'MA',
  ],
  '2100D': [
    '15',
    '35',
    '42',
    '43',
    '45',
    '47',
    '48',
    '49',
    '51',
    '52',
    '56',
    '57',
    '58',
    '60',
    '61',
    '62',
    '63',
    '64',
    '65',
    '66',
    '67',
    '68',
    '71',
    '77',
  ],
  '2110D': [
    '15',
    '33',
    '52',
    '53',
    '54',
    '55',
    '56',
    '57',
    '60',
    '61',
    '62',
    '63',
    '69',
    '70',
    '98',
    'AA',
    'AE',
    'AF',
    'AG',
    'AO',
    'CI',
    'E8',
    'IA',
    'MA',
  ],
};

/** AAA04 follow-up action codes. */
export const AAA_FOLLOW_UP_ACTIONS = {
  C: 'Correct and resubmit',
  N: 'Resubmission not allowed',
  P: 'Resubmit the original transaction',
  R: 'Resubmission allowed',
  S: 'Do not resubmit; the payer asked a third party',
  W: 'Wait 30 days and resubmit',
  X: 'Wait 10 days and resubmit',
  Y: 'Do not resubmit; the payer holds the request and will answer again shortly',
} as const;
export type AaaFollowUpAction = keyof typeof AAA_FOLLOW_UP_ACTIONS;

/** Which AAA04 follow-up actions the 271 TR3 allows in which loop. */
export const AAA_ACTIONS_BY_LOOP: Readonly<Record<string, readonly string[]>> = {
  '2000A': ['C', 'N', 'P', 'R', 'S', 'Y'],
  '2100A': ['C', 'N', 'P', 'R', 'S', 'W', 'X', 'Y'],
  '2100B': ['C', 'N', 'R', 'S', 'W', 'X', 'Y'],
  '2100C': ['C', 'N', 'R', 'S', 'W', 'X', 'Y'],
  '2110C': ['C', 'N', 'R', 'W', 'X', 'Y'],
  '2100D': ['C', 'N', 'R', 'S', 'W', 'X', 'Y'],
  '2110D': ['C', 'N', 'R', 'W', 'X', 'Y'],
};

/** EB01 eligibility or benefit information codes. */
export const EB01_CODES = {
  '1': 'Active coverage',
  '2': 'Active - full risk capitation',
  '3': 'Active - services capitated',
  '4': 'Active - services capitated to primary care physician',
  '5': 'Active - pending investigation',
  '6': 'Inactive',
  '7': 'Inactive - pending eligibility update',
  '8': 'Inactive - pending investigation',
  A: 'Co-insurance',
  B: 'Co-payment',
  C: 'Deductible',
  CB: 'Coverage basis',
  D: 'Benefit description',
  E: 'Exclusions',
  F: 'Limitations',
  G: 'Out of pocket (stop loss)',
  H: 'Unlimited',
  I: 'Non-covered',
  J: 'Cost containment',
  K: 'Reserve',
  L: 'Primary care provider',
  M: 'Pre-existing condition',
  MC: 'Managed care coordinator',
  N: 'Services restricted to the following provider',
  O: 'Not deemed a medical necessity',
  P: 'Benefit disclaimer',
  Q: 'Second surgical opinion required',
  R: 'Other or additional payer',
  S: 'Prior year history',
  T: 'Cards reported lost or stolen',
  U: 'Contact the following entity for eligibility or benefit information',
  V: 'Cannot process',
  W: 'Other source of data',
  X: 'Health care facility',
  Y: 'Spend down',
} as const;
export type EligibilityCode = keyof typeof EB01_CODES;

/** EB01 codes that say coverage is active. */
export const ACTIVE_EB01 = ['1', '2', '3', '4', '5'] as const;
/** EB01 codes that say coverage is inactive. */
export const INACTIVE_EB01 = ['6', '7', '8'] as const;

/** EB02 / EQ03 coverage level codes. */
export const COVERAGE_LEVELS = ['CHD', 'DEP', 'ECH', 'EMP', 'ESP', 'FAM', 'IND', 'SPC', 'SPO'] as const;
export type CoverageLevel = (typeof COVERAGE_LEVELS)[number];

/** EB04 insurance type codes. */
export const INSURANCE_TYPES = [
  '12',
  '13',
  '14',
  '15',
  '16',
  '41',
  '42',
  '43',
  '47',
  'AP',
  'C1',
  'CO',
  'CP',
  'D',
  'DB',
  'EP',
  'FF',
  'GP',
  'HM',
  'HN',
  'HS',
  'IN',
  'IP',
  'LC',
  'LD',
  'LI',
  'LT',
  'MA',
  'MB',
  'MC',
  'MH',
  'MI',
  'MP',
  'OT',
  'PE',
  'PL',
  'PP',
  'PR',
  'PS',
  'QM',
  'RP',
  'SP',
  'TF',
  'WC',
  'WU',
] as const;

/** EB06 time period qualifiers. */
export const TIME_PERIODS = {
  '6': 'Hour',
  '7': 'Day',
  '13': '24 hours',
  '21': 'Years',
  '22': 'Service year',
  '23': 'Calendar year',
  '24': 'Year to date',
  '25': 'Contract',
  '26': 'Episode',
  '27': 'Visit',
  '28': 'Outlier',
  '29': 'Remaining',
  '30': 'Exceeded',
  '31': 'Not exceeded',
  '32': 'Lifetime',
  '33': 'Lifetime remaining',
  '34': 'Month',
  '35': 'Week',
  '36': 'Admission',
} as const;
export type TimePeriod = keyof typeof TIME_PERIODS;

/** EB09 quantity qualifiers. */
export const BENEFIT_QUANTITY_QUALIFIERS = [
  '8H',
  '99',
  'CA',
  'CE',
  'D3',
  'DB',
  'DY',
  'HS',
  'LA',
  'LE',
  'M2',
  'MN',
  'P6',
  'QA',
  'S7',
  'S8',
  'VS',
  'YY',
] as const;

/** EB11 authorization or certification indicator. */
export const YES_NO_UNKNOWN = ['N', 'U', 'Y'] as const;
/** EB12 in plan network indicator: W = not applicable (benefit is the same in and out of network). */
export const IN_PLAN_NETWORK = ['N', 'U', 'W', 'Y'] as const;
export type InPlanNetwork = (typeof IN_PLAN_NETWORK)[number];

/** EQ02 / EB13 product or service id qualifiers. */
export const PROCEDURE_QUALIFIERS = ['AD', 'CJ', 'HC', 'ID', 'IV', 'N4', 'ZZ'] as const;

/** Readable text for an AAA03 code (the code itself when it is not on the list). */
export function rejectReasonText(code: string): string {
  return code in AAA_REJECT_REASONS ? AAA_REJECT_REASONS[code as AaaRejectReason] : `Reject reason ${code}`;
}

/** Readable text for an AAA04 code. */
export function followUpActionText(code: string): string {
  return code in AAA_FOLLOW_UP_ACTIONS
    ? AAA_FOLLOW_UP_ACTIONS[code as AaaFollowUpAction]
    : `Follow-up action ${code}`;
}

/** Readable text for an EB01 code. */
export function eligibilityCodeText(code: string): string {
  return code in EB01_CODES ? EB01_CODES[code as EligibilityCode] : `Benefit code ${code}`;
}
