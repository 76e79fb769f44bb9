import { C, N, R, S, type ElementSpec, type SegmentSpec } from '../core/spec.ts';
import {
  ADJUSTMENT_GROUP_CODES,
  CLAIM_AMOUNT_QUALIFIERS,
  CLAIM_DATE_QUALIFIERS,
  CLAIM_FILING_INDICATOR_CODES,
  CLAIM_NAME_ENTITIES,
  CLAIM_QUANTITY_QUALIFIERS,
  CLAIM_REF_QUALIFIERS,
  CLAIM_STATUS_CODES,
  COMMUNICATION_QUALIFIERS,
  CREDIT_DEBIT_CODES,
  DFI_QUALIFIERS,
  HEADER_REF_QUALIFIERS,
  PAYEE_ID_QUALIFIERS,
  PAYEE_REF_QUALIFIERS,
  PAYER_CONTACT_FUNCTIONS,
  PAYER_REF_QUALIFIERS,
  PAYMENT_FORMAT_CODES,
  PAYMENT_METHOD_CODES,
  PRODUCT_QUALIFIERS,
  PROVIDER_ADJUSTMENT_REASON_CODES,
  RECEIVER_ACCOUNT_QUALIFIERS,
  REMARK_QUALIFIERS,
  SENDER_ACCOUNT_QUALIFIERS,
  SERVICE_AMOUNT_QUALIFIERS,
  SERVICE_DATE_QUALIFIERS,
  SERVICE_QUANTITY_QUALIFIERS,
  SERVICE_REF_QUALIFIERS,
  TRACE_TYPE_CODES,
  TRANSACTION_HANDLING_CODES,
} from './codes.ts';

/*
 * Element layouts of the 835 segments this library reads and writes (005010X221A1): usage, type, min/max
 * length and the internal code list of each position. Checked with `checkSegment`.
 */

const layout = (id: string, ...elements: ElementSpec[]): SegmentSpec => ({ id, elements });

/** BPR financial information (header). */
export const BPR = layout(
  'BPR',
  R('ID', 1, 2, TRANSACTION_HANDLING_CODES, 'transaction handling code'),
  R('R', 1, 18),
  R('ID', 1, 1, CREDIT_DEBIT_CODES, 'credit/debit flag code'),
  R('ID', 3, 3, PAYMENT_METHOD_CODES, 'payment method code'),
  S('ID', 1, 10, PAYMENT_FORMAT_CODES, 'payment format code'),
  S('ID', 2, 2, DFI_QUALIFIERS, 'DFI identification number qualifier'),
  S('AN', 3, 12),
  S('ID', 1, 3, SENDER_ACCOUNT_QUALIFIERS, 'account number qualifier'),
  S('AN', 1, 35),
  S('AN', 10, 10),
  S('AN', 9, 9),
  S('ID', 2, 2, DFI_QUALIFIERS, 'DFI identification number qualifier'),
  S('AN', 3, 12),
  S('ID', 1, 3, RECEIVER_ACCOUNT_QUALIFIERS, 'account number qualifier'),
  S('AN', 1, 35),
  R('DT', 8, 8, undefined, 'check issue or EFT effective date'),
);

/** TRN reassociation trace number (header). */
export const TRN = layout(
  'TRN',
  R('ID', 1, 2, TRACE_TYPE_CODES, 'trace type code'),
  R('AN', 1, 50, undefined, 'check or EFT trace number'),
  R('AN', 10, 10, undefined, 'payer identifier'),
  S('AN', 1, 50),
);

export const CUR = layout(
  'CUR',
  R('ID', 2, 3, ['PR'], 'entity identifier code'),
  R('ID', 3, 3),
  S('R', 1, 10),
);

export const HEADER_REF = layout(
  'REF',
  R('ID', 2, 3, HEADER_REF_QUALIFIERS, 'reference qualifier'),
  R('AN', 1, 50),
);
export const PAYER_REF = layout(
  'REF',
  R('ID', 2, 3, PAYER_REF_QUALIFIERS, 'reference qualifier'),
  R('AN', 1, 50),
);
export const PAYEE_REF = layout(
  'REF',
  R('ID', 2, 3, PAYEE_REF_QUALIFIERS, 'reference qualifier'),
  R('AN', 1, 50),
);
export const CLAIM_REF = layout(
  'REF',
  R('ID', 2, 3, CLAIM_REF_QUALIFIERS, 'reference qualifier'),
  R('AN', 1, 50),
);
export const SERVICE_REF = layout(
  'REF',
  R('ID', 2, 3, SERVICE_REF_QUALIFIERS, 'reference qualifier'),
  R('AN', 1, 50),
);

export const PRODUCTION_DTM = layout('DTM', R('ID', 3, 3, ['405'], 'date time qualifier'), R('DT', 8, 8));
export const CLAIM_DTM = layout(
  'DTM',
  R('ID', 3, 3, CLAIM_DATE_QUALIFIERS, 'date time qualifier'),
  R('DT', 8, 8),
);
export const SERVICE_DTM = layout(
  'DTM',
  R('ID', 3, 3, SERVICE_DATE_QUALIFIERS, 'date time qualifier'),
  R('DT', 8, 8),
);

export const PAYER_N1 = layout(
  'N1',
  R('ID', 2, 3, ['PR']),
  R('AN', 1, 60, undefined, 'payer name'),
  S('ID', 1, 2, ['XV']),
  S('AN', 2, 80),
);
export const PAYEE_N1 = layout(
  'N1',
  R('ID', 2, 3, ['PE']),
  R('AN', 1, 60, undefined, 'payee name'),
  R('ID', 1, 2, PAYEE_ID_QUALIFIERS, 'identification code qualifier'),
  R('AN', 2, 80, undefined, 'payee identification code'),
);
export const N3 = layout('N3', R('AN', 1, 55), S('AN', 1, 55));
export const N4 = layout(
  'N4',
  R('AN', 2, 30),
  S('ID', 2, 2),
  S('ID', 3, 15),
  S('ID', 2, 3),
  N,
  N,
  S('ID', 1, 3),
);

const per = (functions: readonly string[]): SegmentSpec =>
  layout(
    'PER',
    R('ID', 2, 2, functions, 'contact function code'),
    S('AN', 1, 60),
    S('ID', 2, 2, COMMUNICATION_QUALIFIERS, 'communication number qualifier'),
    S('AN', 1, 256),
    S('ID', 2, 2, COMMUNICATION_QUALIFIERS, 'communication number qualifier'),
    S('AN', 1, 256),
    S('ID', 2, 2, COMMUNICATION_QUALIFIERS, 'communication number qualifier'),
    S('AN', 1, 256),
  );
export const PAYER_PER = per(PAYER_CONTACT_FUNCTIONS);
export const CLAIM_PER = per(['CX']);

export const LX = layout('LX', R('N0', 1, 6, undefined, 'assigned number'));

/** CLP claim payment information (2100). */
export const CLP = layout(
  'CLP',
  R('AN', 1, 38, undefined, 'patient control number'),
  R('ID', 1, 2, CLAIM_STATUS_CODES, 'claim status code'),
  R('R', 1, 18, undefined, 'total claim charge amount'),
  R('R', 1, 18, undefined, 'claim payment amount'),
  S('R', 1, 18),
  R('ID', 1, 2, CLAIM_FILING_INDICATOR_CODES, 'claim filing indicator code'),
  S('AN', 1, 50),
  S('AN', 1, 2),
  S('ID', 1, 1),
  N,
  S('AN', 1, 4),
  S('R', 1, 15),
  S('R', 1, 10),
);

const casElements = (): ElementSpec[] => {
  const out: ElementSpec[] = [R('ID', 1, 2, ADJUSTMENT_GROUP_CODES, 'claim adjustment group code')];
  for (let k = 0; k < 6; k++) {
    const first = k === 0;
    out.push(first ? R('ID', 1, 5, undefined, 'adjustment reason code') : S('ID', 1, 5));
    out.push(first ? R('R', 1, 18, undefined, 'adjustment amount') : S('R', 1, 18));
    out.push(S('R', 1, 15));
  }
  return out;
};
/** CAS claim or service adjustment (2100 / 2110). */
export const CAS = layout('CAS', ...casElements());

export const CLAIM_NM1 = layout(
  'NM1',
  R('ID', 2, 3, Object.keys(CLAIM_NAME_ENTITIES), 'entity identifier code'),
  R('ID', 1, 1, ['1', '2'], 'entity type qualifier'),
  S('AN', 1, 60),
  S('AN', 1, 35),
  S('AN', 1, 25),
  N,
  S('AN', 1, 10),
  S('ID', 1, 2),
  S('AN', 2, 80),
);

export const MOA = layout(
  'MOA',
  S('R', 1, 10),
  S('R', 1, 18),
  S('AN', 1, 50),
  S('AN', 1, 50),
  S('AN', 1, 50),
  S('AN', 1, 50),
  S('AN', 1, 50),
  S('R', 1, 18),
  S('R', 1, 18),
);

export const CLAIM_AMT = layout(
  'AMT',
  R('ID', 1, 3, CLAIM_AMOUNT_QUALIFIERS, 'amount qualifier code'),
  R('R', 1, 18),
);
export const SERVICE_AMT = layout(
  'AMT',
  R('ID', 1, 3, SERVICE_AMOUNT_QUALIFIERS, 'amount qualifier code'),
  R('R', 1, 18),
);
export const CLAIM_QTY = layout(
  'QTY',
  R('ID', 2, 2, CLAIM_QUANTITY_QUALIFIERS, 'quantity qualifier'),
  R('R', 1, 15),
);
export const SERVICE_QTY = layout(
  'QTY',
  R('ID', 2, 2, SERVICE_QUANTITY_QUALIFIERS, 'quantity qualifier'),
  R('R', 1, 15),
);

const procedure = (usage: 'R' | 'S'): ElementSpec =>
  C(usage, [
    R('ID', 2, 2, PRODUCT_QUALIFIERS, 'product or service id qualifier'),
    R('AN', 1, 48, undefined, 'procedure code'),
    S('AN', 2, 2),
    S('AN', 2, 2),
    S('AN', 2, 2),
    S('AN', 2, 2),
    S('AN', 1, 80),
    N,
  ]);

/** SVC service payment information (2110). */
export const SVC = layout(
  'SVC',
  procedure('R'),
  R('R', 1, 18, undefined, 'line item charge amount'),
  R('R', 1, 18, undefined, 'line item provider payment amount'),
  S('AN', 1, 48),
  S('R', 1, 15),
  procedure('S'),
  S('R', 1, 15),
);

export const LQ = layout('LQ', R('ID', 1, 3, REMARK_QUALIFIERS, 'code list qualifier code'), R('AN', 1, 30));

const plbElements = (): ElementSpec[] => {
  const out: ElementSpec[] = [
    R('AN', 1, 50, undefined, 'provider identifier'),
    R('DT', 8, 8, undefined, 'fiscal period date'),
  ];
  for (let k = 0; k < 6; k++) {
    const usage = k === 0 ? 'R' : 'S';
    out.push(
      C(usage, [R('ID', 2, 2, PROVIDER_ADJUSTMENT_REASON_CODES, 'adjustment reason code'), S('AN', 1, 50)]),
    );
    out.push(k === 0 ? R('R', 1, 18, undefined, 'provider adjustment amount') : S('R', 1, 18));
  }
  return out;
};
/** PLB provider level adjustment (summary). */
export const PLB = layout('PLB', ...plbElements());
