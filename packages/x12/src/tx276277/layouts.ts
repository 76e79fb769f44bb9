/**
 * Element layouts of the 276/277 (005010X212) segments OpenRCM reads and writes, and which segment each
 * loop allows. Claim status category and status codes are external lists, checked when the caller gives them.
 */
import { C, N, R, S, type ElementSpec, type SegmentSpec } from '../core/spec.ts';
import type { StatusGuide } from './level.ts';

/** STC07 payment method codes. */
export const PAYMENT_METHODS = ['ACH', 'BOP', 'CHK', 'FWT', 'NON'] as const;
/** SVC01-1 product or service id qualifiers of the claim status guides. */
export const SERVICE_QUALIFIERS = ['AD', 'ER', 'HC', 'HP', 'IV', 'N4', 'NU', 'WK'] as const;

export function bhtLayout(structure: string, purposes: readonly string[], type: ElementSpec): SegmentSpec {
  return {
    id: 'BHT',
    elements: [
      R('ID', 4, 4, [structure], 'hierarchical structure code'),
      R('ID', 2, 2, purposes, 'transaction set purpose code'),
      R('AN', 1, 50),
      R('DT', 8, 8),
      R('TM', 4, 8),
      type,
    ],
  };
}

/** HL with its level code; HL04 required (0/1), or not used (`childCode` false). */
export function hl(levelCode: string, root: boolean, childCode: boolean): SegmentSpec {
  return {
    id: 'HL',
    elements: [
      R('AN', 1, 12),
      root ? N : R('AN', 1, 12),
      R('ID', 1, 2, [levelCode], 'hierarchical level code'),
      childCode ? R('ID', 1, 1, ['0', '1'], 'hierarchical child code') : N,
    ],
  };
}

export function nm1(
  entityCodes: readonly string[],
  entityTypes: readonly string[],
  idQualifiers: readonly string[],
  idRequired: boolean,
): SegmentSpec {
  return {
    id: 'NM1',
    elements: [
      R('ID', 2, 3, entityCodes, 'entity identifier code'),
      R('ID', 1, 1, entityTypes, 'entity type qualifier'),
      S('AN', 1, 60),
      S('AN', 1, 35),
      S('AN', 1, 25),
      N,
      S('AN', 1, 10),
      idRequired ? R('ID', 1, 2, idQualifiers, 'identification code qualifier') : S('ID', 1, 2, idQualifiers),
      idRequired ? R('AN', 2, 80) : S('AN', 2, 80),
      N,
      N,
      N,
    ],
  };
}

export const PER: SegmentSpec = {
  id: 'PER',
  elements: [
    R('ID', 2, 2, ['IC'], 'contact function code'),
    S('AN', 1, 60),
    S('ID', 2, 2, ['ED', 'EM', 'EX', 'FX', 'TE', 'UR']),
    S('AN', 1, 256),
    S('ID', 2, 2, ['ED', 'EM', 'EX', 'FX', 'TE', 'UR']),
    S('AN', 1, 256),
    S('ID', 2, 2, ['ED', 'EM', 'EX', 'FX', 'TE', 'UR']),
    S('AN', 1, 256),
    N,
  ],
};

export function trn(types: readonly string[]): SegmentSpec {
  return {
    id: 'TRN',
    elements: [R('ID', 1, 2, types, 'trace type code'), R('AN', 1, 50), S('AN', 1, 10), S('AN', 1, 50)],
  };
}

export function ref(qualifiers?: readonly string[]): SegmentSpec {
  return {
    id: 'REF',
    elements: [R('ID', 2, 3, qualifiers, 'reference identification qualifier'), R('AN', 1, 50), N, N],
  };
}

export function amt(qualifiers: readonly string[]): SegmentSpec {
  return { id: 'AMT', elements: [R('ID', 1, 3, qualifiers, 'amount qualifier code'), R('R', 1, 18), N] };
}

export function qty(qualifiers: readonly string[]): SegmentSpec {
  return { id: 'QTY', elements: [R('ID', 2, 2, qualifiers, 'quantity qualifier'), R('R', 1, 15), N, N] };
}

export function dtp(qualifiers: readonly string[], formats: readonly string[]): SegmentSpec {
  return {
    id: 'DTP',
    elements: [
      R('ID', 3, 3, qualifiers, 'date time qualifier'),
      R('ID', 2, 3, formats, 'date format qualifier'),
      R('AN', 1, 35),
    ],
  };
}

export const DMG: SegmentSpec = {
  id: 'DMG',
  elements: [
    R('ID', 2, 3, ['D8'], 'date format qualifier'),
    R('DT', 8, 8),
    S('ID', 1, 1, ['F', 'M', 'U'], 'gender code'),
  ],
};

/** C043 health care claim status composite. */
export function statusComposite(usage: 'R' | 'S', entities?: readonly string[]): ElementSpec {
  return C(usage, [
    R('ID', 1, 2, undefined, 'claim status category code'),
    R('ID', 1, 30, undefined, 'claim status code'),
    S('ID', 2, 3, entities, 'entity identifier code'),
    S('ID', 1, 3, ['RX'], 'code list qualifier code'),
  ]);
}

/** STC; `payment` false marks STC04-STC09 usage as in 277CA 2200D (STC06-08 not used). */
export function stc(opts: {
  readonly entities?: readonly string[];
  readonly dateRequired: boolean;
  readonly actions?: readonly string[];
  readonly actionRequired?: boolean;
  readonly payment: boolean;
}): SegmentSpec {
  const action =
    opts.actionRequired === true
      ? R('ID', 1, 2, opts.actions, 'action code')
      : S('ID', 1, 2, opts.actions, 'action code');
  return {
    id: 'STC',
    elements: [
      statusComposite('R', opts.entities),
      opts.dateRequired ? R('DT', 8, 8) : S('DT', 8, 8),
      action,
      S('R', 1, 18),
      S('R', 1, 18),
      opts.payment ? S('DT', 8, 8) : N,
      opts.payment ? S('ID', 3, 3, PAYMENT_METHODS, 'payment method code') : N,
      opts.payment ? S('DT', 8, 8) : N,
      opts.payment ? S('AN', 1, 16) : N,
      statusComposite('S', opts.entities),
      statusComposite('S', opts.entities),
      S('AN', 1, 264),
    ],
  };
}

export const SVC: SegmentSpec = {
  id: 'SVC',
  elements: [
    C('R', [
      R('ID', 2, 2, SERVICE_QUALIFIERS, 'product or service id qualifier'),
      R('AN', 1, 48),
      S('AN', 2, 2),
      S('AN', 2, 2),
      S('AN', 2, 2),
      S('AN', 2, 2),
      S('AN', 1, 80),
      N,
    ]),
    R('R', 1, 18),
    S('R', 1, 18),
    S('AN', 1, 48),
    N,
    N,
    S('R', 1, 15),
  ],
};

const TABLE_276: Readonly<Record<string, Readonly<Record<string, SegmentSpec>>>> = {
  '2000A': { HL: hl('20', true, true) },
  '2100A': { NM1: nm1(['PR'], ['2'], ['21', 'AD', 'FI', 'NI', 'PI', 'PP', 'XV'], true) },
  '2000B': { HL: hl('21', false, true) },
  '2100B': { NM1: nm1(['41'], ['1', '2'], ['46', 'FI', 'XX'], true) },
  '2000C': { HL: hl('19', false, true) },
  '2100C': { NM1: nm1(['1P'], ['1', '2'], ['FI', 'SV', 'XX'], true) },
  '2000D': { HL: hl('22', false, true), DMG },
  '2100D': { NM1: nm1(['IL'], ['1', '2'], ['24', 'II', 'MI'], true) },
  '2200D': {
    TRN: trn(['1']),
    REF: ref(['1K', '6P', 'BLT', 'D9', 'EA', 'EJ', 'LU', 'VV', 'XZ']),
    AMT: amt(['T3']),
    DTP: dtp(['472'], ['D8', 'RD8']),
  },
  '2210D': { SVC, REF: ref(['FJ']), DTP: dtp(['472'], ['D8', 'RD8']) },
  '2000E': { HL: hl('23', false, false), DMG },
  '2100E': { NM1: nm1(['QC'], ['1'], ['MI'], false) },
  '2200E': {
    TRN: trn(['1']),
    REF: ref(['1K', '6P', 'BLT', 'D9', 'EA', 'EJ', 'LU', 'VV', 'XZ']),
    AMT: amt(['T3']),
    DTP: dtp(['472'], ['D8', 'RD8']),
  },
  '2210E': { SVC, REF: ref(['FJ']), DTP: dtp(['472'], ['D8', 'RD8']) },
};

const STC_277 = stc({ dateRequired: true, payment: true });
const STC_277_LINE = stc({ dateRequired: true, payment: false });

const TABLE_277: Readonly<Record<string, Readonly<Record<string, SegmentSpec>>>> = {
  '2000A': { HL: hl('20', true, true) },
  '2100A': { NM1: nm1(['PR'], ['2'], ['21', 'AD', 'FI', 'NI', 'PI', 'PP', 'XV'], true), PER },
  '2000B': { HL: hl('21', false, true) },
  '2100B': { NM1: nm1(['41'], ['1', '2'], ['46', 'FI', 'XX'], true) },
  '2200B': { TRN: trn(['2']), STC: STC_277 },
  '2000C': { HL: hl('19', false, true) },
  '2100C': { NM1: nm1(['1P'], ['1', '2'], ['FI', 'SV', 'XX'], true) },
  '2200C': { TRN: trn(['1']), STC: STC_277 },
  '2000D': { HL: hl('22', false, true) },
  '2100D': { NM1: nm1(['IL'], ['1', '2'], ['24', 'II', 'MI'], true) },
  '2200D': {
    TRN: trn(['2']),
    STC: STC_277,
    REF: ref(['1K', 'BLT', 'D9', 'EA', 'EJ', 'LU', 'VV', 'XZ']),
    DTP: dtp(['472'], ['D8', 'RD8']),
  },
  '2220D': { SVC, STC: STC_277_LINE, REF: ref(['FJ']), DTP: dtp(['472'], ['D8', 'RD8']) },
  '2000E': { HL: hl('23', false, false) },
  '2100E': { NM1: nm1(['QC'], ['1'], ['MI'], false) },
  '2200E': {
    TRN: trn(['2']),
    STC: STC_277,
    REF: ref(['1K', 'BLT', 'D9', 'EA', 'EJ', 'LU', 'VV', 'XZ']),
    DTP: dtp(['472'], ['D8', 'RD8']),
  },
  '2220E': { SVC, STC: STC_277_LINE, REF: ref(['FJ']), DTP: dtp(['472'], ['D8', 'RD8']) },
};

/** The 276 guide rules. */
export const GUIDE_276: StatusGuide = {
  lineLoop: '2210',
  layout: (loop, id) => TABLE_276[loop]?.[id],
};

/** The 277 guide rules. */
export const GUIDE_277: StatusGuide = {
  lineLoop: '2220',
  layout: (loop, id) => TABLE_277[loop]?.[id],
  required: {
    '2200B': ['STC'],
    '2200C': ['STC'],
    '2200D': ['STC'],
    '2200E': ['STC'],
    '2220D': ['STC'],
    '2220E': ['STC'],
  },
};
