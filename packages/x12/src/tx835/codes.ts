/**
 * Internal code lists of the 835 TR3 (005010X221A1) for the positions this library reads and writes.
 *
 * Provenance: the code values were taken from the pyx12 map-derived table
 * `codesets/x12-ig-internal-codes/pyx12_valid_codes_835_X221A1.csv` (azoner/pyx12, which transcribes the TR3's
 * internal code lists). Code values are facts of the standard; no TR3 text is copied. External lists (CARC,
 * RARC) are not here: callers pass them as `ExternalCodeLists`.
 */

/** BPR01 transaction handling code: C payment accompanies remittance, D make payment only, H notification only, I remittance information only, P prenotification, U split payment and remittance, X handling party's option. */
export const TRANSACTION_HANDLING_CODES = ['C', 'D', 'H', 'I', 'P', 'U', 'X'] as const;
export type TransactionHandlingCode = (typeof TRANSACTION_HANDLING_CODES)[number];

/** BPR03 credit/debit flag. */
export const CREDIT_DEBIT_CODES = ['C', 'D'] as const;
export type CreditDebitCode = (typeof CREDIT_DEBIT_CODES)[number];

/** BPR04 payment method: ACH, BOP financial institution option, CHK check, FWT wire transfer, NON non-payment data. */
export const PAYMENT_METHOD_CODES = ['ACH', 'BOP', 'CHK', 'FWT', 'NON'] as const;
export type PaymentMethodCode = (typeof PAYMENT_METHOD_CODES)[number];

/** BPR05 payment format: CCP (cash concentration/disbursement plus addenda), CTX (corporate trade exchange). */
export const PAYMENT_FORMAT_CODES = ['CCP', 'CTX'] as const;

/** BPR06 / BPR12 DFI identification number qualifier: 01 ABA transit routing number, 04 Canadian bank branch. */
export const DFI_QUALIFIERS = ['01', '04'] as const;
/** BPR08 account number qualifier (sender side). */
export const SENDER_ACCOUNT_QUALIFIERS = ['DA'] as const;
/** BPR14 account number qualifier (receiver side): DA demand deposit, SG savings. */
export const RECEIVER_ACCOUNT_QUALIFIERS = ['DA', 'SG'] as const;

/** TRN01 trace type code: 1 current transaction trace numbers. */
export const TRACE_TYPE_CODES = ['1'] as const;

/** Header REF01: EV receiver identification, F2 version code local. */
export const HEADER_REF_QUALIFIERS = ['EV', 'F2'] as const;

/** 1000A REF01 additional payer identification. */
export const PAYER_REF_QUALIFIERS = ['2U', 'EO', 'HI', 'NF'] as const;
/** 1000A PER01: CX claims contact, BL technical contact, IC web site. */
export const PAYER_CONTACT_FUNCTIONS = ['CX', 'BL', 'IC'] as const;
/** PER03/05/07 communication number qualifiers used in the 835 (union over the three PER kinds). */
export const COMMUNICATION_QUALIFIERS = ['EM', 'EX', 'FX', 'TE', 'UR'] as const;

/** 1000B N103 payee identification code qualifier: FI federal tax id, XV CMS plan id, XX NPI. */
export const PAYEE_ID_QUALIFIERS = ['FI', 'XV', 'XX'] as const;
/** 1000B REF01 payee additional identification. */
export const PAYEE_REF_QUALIFIERS = ['0B', 'D3', 'PQ', 'TJ'] as const;

/**
 * 2100 CLP02 claim status code (835 TR3): 1 processed as primary, 2 as secondary, 3 as tertiary, 4 denied,
 * 19 primary forwarded to additional payer(s), 20 secondary forwarded, 21 tertiary forwarded, 22 reversal of
 * previous payment, 23 not our claim forwarded, 25 predetermination pricing only - no payment.
 */
export const CLAIM_STATUS_CODES = ['1', '2', '3', '4', '19', '20', '21', '22', '23', '25'] as const;
export type ClaimStatusCode = (typeof CLAIM_STATUS_CODES)[number];

/** 2100 CLP06 claim filing indicator code. */
export const CLAIM_FILING_INDICATOR_CODES = [
  '12',
  '13',
  '14',
  '15',
  '16',
  '17',
  'AM',
  'CH',
  'DS',
  'HM',
  'LM',
  'MA',
  'MB',
  'MC',
  'OF',
  'TV',
  'VA',
  'WC',
  'ZZ',
] as const;

/** CAS01 claim adjustment group code in the 835 (CR is not allowed in 5010 835): contractual obligation, other, payer initiated, patient responsibility. */
export const ADJUSTMENT_GROUP_CODES = ['CO', 'OA', 'PI', 'PR'] as const;
export type AdjustmentGroupCode = (typeof ADJUSTMENT_GROUP_CODES)[number];

/** 2100 NM101 entity codes and the TR3 name of each NM1 in the claim loop. */
export const CLAIM_NAME_ENTITIES = {
  QC: 'patient',
  IL: 'insured',
  '74': 'correctedPatient',
  '82': 'renderingProvider',
  TT: 'crossoverCarrier',
  PR: 'correctedPriorityPayer',
  GB: 'otherSubscriber',
} as const;
export type ClaimNameEntity = keyof typeof CLAIM_NAME_ENTITIES;

/** 2100 REF01: other claim related identification and rendering provider identification (union). */
export const CLAIM_REF_QUALIFIERS = [
  '1L',
  '1W',
  '28',
  '6P',
  '9A',
  '9C',
  'BB',
  'CE',
  'EA',
  'F8',
  'G1',
  'G3',
  'IG',
  'SY',
  '0B',
  '1A',
  '1B',
  '1C',
  '1D',
  '1G',
  '1H',
  '1J',
  'D3',
  'G2',
  'LU',
] as const;

/** 2100 DTM01: 232 statement from, 233 statement to, 036 coverage expiration, 050 claim received. */
export const CLAIM_DATE_QUALIFIERS = ['232', '233', '036', '050'] as const;
/** 2100 AMT01 claim supplemental information amounts (AU coverage amount, D8 discount, DY per day limit, F5 patient paid, I interest, NL negative ledger, T/T2 tax, ZK-ZO federal mandates). */
export const CLAIM_AMOUNT_QUALIFIERS = [
  'AU',
  'D8',
  'DY',
  'F5',
  'I',
  'NL',
  'T',
  'T2',
  'ZK',
  'ZL',
  'ZM',
  'ZN',
  'ZO',
] as const;
/** 2100 QTY01 claim supplemental information quantities. */
export const CLAIM_QUANTITY_QUALIFIERS = [
  'CA',
  'CD',
  'LA',
  'LE',
  'NE',
  'NR',
  'OU',
  'PS',
  'VS',
  'ZK',
  'ZL',
  'ZM',
  'ZN',
  'ZO',
] as const;
/** 2100 PER01 claim contact: CX claims. */
export const CLAIM_CONTACT_FUNCTIONS = ['CX'] as const;

/** 2110 SVC01-1 / SVC06-1 product or service id qualifier. */
export const PRODUCT_QUALIFIERS = ['AD', 'ER', 'HC', 'HP', 'IV', 'N4', 'N6', 'NU', 'UI', 'WK'] as const;
/** 2110 DTM01: 472 service date, 150 service period start, 151 service period end. */
export const SERVICE_DATE_QUALIFIERS = ['150', '151', '472'] as const;
/** 2110 REF01: service identification, 6R line item control number, rendering provider, 0K healthcare policy. */
export const SERVICE_REF_QUALIFIERS = [
  '1S',
  'APC',
  'BB',
  'E9',
  'G1',
  'G3',
  'LU',
  'RB',
  '6R',
  '0B',
  '1A',
  '1B',
  '1C',
  '1D',
  '1G',
  '1H',
  '1J',
  'D3',
  'G2',
  'HPI',
  'SY',
  'TJ',
  '0K',
] as const;
/** 2110 AMT01: B6 allowed actual, KH deduction amount, T/T2 tax, ZK-ZO federal mandates. */
export const SERVICE_AMOUNT_QUALIFIERS = ['B6', 'KH', 'T', 'T2', 'ZK', 'ZL', 'ZM', 'ZN', 'ZO'] as const;
/** 2110 QTY01 service supplemental quantities. */
export const SERVICE_QUANTITY_QUALIFIERS = ['ZK', 'ZL', 'ZM', 'ZN', 'ZO'] as const;
/** 2110 LQ01: HE claim payment remark codes (RARC), RX NCPDP reject/payment codes. */
export const REMARK_QUALIFIERS = ['HE', 'RX'] as const;

/**
 * PLB03-1 (and PLB05-1, ...) provider adjustment reason code, e.g. L6 interest owed, WO overpayment recovery,
 * FB forward balance, 72 authorized return, CS adjustment, J1 non-reimbursable, 50 late charge.
 */
export const PROVIDER_ADJUSTMENT_REASON_CODES = [
  '50',
  '51',
  '72',
  '90',
  'AH',
  'AM',
  'AP',
  'B2',
  'B3',
  'BD',
  'BN',
  'C5',
  'CR',
  'CS',
  'CT',
  'CV',
  'CW',
  'DM',
  'E3',
  'FB',
  'FC',
  'GO',
  'HM',
  'IP',
  'IR',
  'IS',
  'J1',
  'L3',
  'L6',
  'LE',
  'LS',
  'OA',
  'OB',
  'PI',
  'PL',
  'RA',
  'RE',
  'SL',
  'TL',
  'WO',
  'WU',
] as const;
