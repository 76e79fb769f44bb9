/**
 * Element layouts of the 270/271 segments OpenRCM reads and writes (005010X279A1), for `checkSegment`.
 * Code lists are the guide's internal lists; service type codes are external (checked when given).
 */
import { C, N, R, Rep, S, type SegmentSpec } from '../core/spec.ts';
import {
  AAA_FOLLOW_UP_ACTIONS,
  AAA_REJECT_REASONS,
  BENEFIT_QUANTITY_QUALIFIERS,
  COVERAGE_LEVELS,
  EB01_CODES,
  IN_PLAN_NETWORK,
  INSURANCE_TYPES,
  PROCEDURE_QUALIFIERS,
  TIME_PERIODS,
  YES_NO_UNKNOWN,
} from './codes.ts';

export const BHT_270: SegmentSpec = {
  id: 'BHT',
  elements: [
    R('ID', 4, 4, ['0022'], 'hierarchical structure code'),
    R('ID', 2, 2, ['01', '13'], 'transaction set purpose code'),
    R('AN', 1, 50, undefined, 'submitter transaction identifier'),
    R('DT', 8, 8),
    R('TM', 4, 8),
    S('ID', 2, 2, ['RT'], 'transaction type code'),
  ],
};

export const BHT_271: SegmentSpec = {
  id: 'BHT',
  elements: [
    R('ID', 4, 4, ['0022'], 'hierarchical structure code'),
    R('ID', 2, 2, ['06', '11'], 'transaction set purpose code'),
    S('AN', 1, 50),
    R('DT', 8, 8),
    R('TM', 4, 8),
  ],
};

/** HL for a level: HL04 required with 0/1. */
export function hlLayout(levelCode: string, root: boolean): SegmentSpec {
  return {
    id: 'HL',
    elements: [
      R('AN', 1, 12),
      root ? N : R('AN', 1, 12),
      R('ID', 1, 2, [levelCode], 'hierarchical level code'),
      R('ID', 1, 1, ['0', '1'], 'hierarchical child code'),
    ],
  };
}

/** NM1 with the entity codes allowed in a loop. */
export function nm1Layout(
  entityCodes: readonly string[],
  idQualifiers: readonly string[],
  idRequired: boolean,
): SegmentSpec {
  return {
    id: 'NM1',
    elements: [
      R('ID', 2, 3, entityCodes, 'entity identifier code'),
      R('ID', 1, 1, ['1', '2'], 'entity type qualifier'),
      S('AN', 1, 60),
      S('AN', 1, 35),
      S('AN', 1, 25),
      S('AN', 1, 10),
      S('AN', 1, 10),
      idRequired ? R('ID', 1, 2, idQualifiers, 'identification code qualifier') : S('ID', 1, 2, idQualifiers),
      idRequired ? R('AN', 2, 80) : S('AN', 2, 80),
      N,
      N,
      N,
    ],
  };
}

export const NM1_2100A = nm1Layout(
  ['2B', '36', 'GP', 'P5', 'PR'],
  ['24', '46', 'FI', 'NI', 'PI', 'XV', 'XX'],
  true,
);
export const NM1_2100B = nm1Layout(
  ['1P', '2B', '36', '80', 'FA', 'GP', 'P5', 'PR'],
  ['24', '34', '46', 'FI', 'PI', 'PP', 'SV', 'XV', 'XX'],
  false,
);
export const NM1_2100C = nm1Layout(['IL'], ['II', 'MI'], false);
export const NM1_2100D = nm1Layout(['03'], [], false);
export const NM1_2120 = nm1Layout(
  [
    '13',
    '1I',
    '1P',
    '2B',
    '36',
    '73',
    'FA',
    'GP',
    'GW',
    'I3',
    'IL',
    'LR',
    'OD',
    'P3',
    'P4',
    'P5',
    'PR',
    'PRP',
    'SEP',
    'TTP',
    'VER',
    'VN',
    'VY',
    'X3',
    'Y2',
  ],
  ['24', '34', '46', 'FA', 'FI', 'II', 'MI', 'NI', 'PI', 'PP', 'SV', 'XV', 'XX'],
  false,
);

export const TRN: SegmentSpec = {
  id: 'TRN',
  elements: [R('ID', 1, 2, ['1', '2'], 'trace type code'), R('AN', 1, 50), S('AN', 10, 10), S('AN', 1, 50)],
};

export const REF: SegmentSpec = {
  id: 'REF',
  elements: [R('ID', 2, 3), R('AN', 1, 50), S('AN', 1, 80), N],
};

export const N3: SegmentSpec = { id: 'N3', elements: [R('AN', 1, 55), S('AN', 1, 55)] };
export const N4: SegmentSpec = {
  id: 'N4',
  elements: [
    R('AN', 2, 30),
    S('ID', 2, 2),
    S('ID', 3, 15),
    S('ID', 2, 3),
    S('ID', 1, 2),
    S('AN', 1, 30),
    S('ID', 1, 3),
  ],
};

export const PER: SegmentSpec = {
  id: 'PER',
  elements: [
    R('ID', 2, 2, ['IC'], 'contact function code'),
    S('AN', 1, 60),
    S('ID', 2, 2, ['ED', 'EM', 'EX', 'FX', 'TE', 'UR'], 'communication number qualifier'),
    S('AN', 1, 256),
    S('ID', 2, 2, ['ED', 'EM', 'EX', 'FX', 'TE', 'UR'], 'communication number qualifier'),
    S('AN', 1, 256),
    S('ID', 2, 2, ['ED', 'EM', 'EX', 'FX', 'TE', 'UR'], 'communication number qualifier'),
    S('AN', 1, 256),
    N,
  ],
};

export const AAA: SegmentSpec = {
  id: 'AAA',
  elements: [
    R('ID', 1, 1, ['N', 'Y'], 'yes/no condition'),
    N,
    R('ID', 2, 2, Object.keys(AAA_REJECT_REASONS), 'reject reason code'),
    R('ID', 1, 1, Object.keys(AAA_FOLLOW_UP_ACTIONS), 'follow-up action code'),
  ],
};

export const PRV: SegmentSpec = {
  id: 'PRV',
  elements: [
    R('ID', 1, 3),
    R('ID', 2, 3, ['PXC'], 'reference identification qualifier'),
    R('AN', 1, 50),
    N,
    N,
    N,
  ],
};

export const DMG: SegmentSpec = {
  id: 'DMG',
  elements: [
    R('ID', 2, 3, ['D8'], 'date format qualifier'),
    R('DT', 8, 8),
    S('ID', 1, 1, ['F', 'M', 'U'], 'gender code'),
  ],
};

export const INS: SegmentSpec = {
  id: 'INS',
  elements: [
    R('ID', 1, 1, ['N', 'Y'], 'yes/no condition'),
    R('ID', 2, 2, undefined, 'individual relationship code'),
    S('ID', 3, 3, ['001'], 'maintenance type code'),
    S('ID', 2, 3, ['25'], 'maintenance reason code'),
    N,
    N,
    N,
    N,
    S('ID', 1, 1),
    S('ID', 1, 1),
    N,
    N,
    N,
    N,
    N,
    N,
    S('AN', 1, 9),
  ],
};

export const DTP: SegmentSpec = {
  id: 'DTP',
  elements: [R('ID', 3, 3), R('ID', 2, 3, ['D8', 'RD8'], 'date format qualifier'), R('AN', 1, 35)],
};

const PROCEDURE = C('S', [
  R('ID', 2, 2, PROCEDURE_QUALIFIERS, 'product or service id qualifier'),
  R('AN', 1, 48),
  S('AN', 2, 2),
  S('AN', 2, 2),
  S('AN', 2, 2),
  S('AN', 2, 2),
  S('AN', 1, 80),
  S('AN', 1, 48),
]);

const POINTERS = C('S', [R('N0', 1, 2), S('N0', 1, 2), S('N0', 1, 2), S('N0', 1, 2)]);

export const EQ: SegmentSpec = {
  id: 'EQ',
  elements: [
    Rep(S('ID', 1, 2, undefined, 'service type code'), 99),
    PROCEDURE,
    S('ID', 3, 3, COVERAGE_LEVELS, 'coverage level code'),
    N,
    POINTERS,
  ],
};

export const EB: SegmentSpec = {
  id: 'EB',
  elements: [
    R('ID', 1, 2, Object.keys(EB01_CODES), 'eligibility or benefit information code'),
    S('ID', 3, 3, COVERAGE_LEVELS, 'coverage level code'),
    Rep(S('ID', 1, 2, undefined, 'service type code'), 99),
    S('ID', 1, 3, INSURANCE_TYPES, 'insurance type code'),
    S('AN', 1, 50),
    S('ID', 1, 2, Object.keys(TIME_PERIODS), 'time period qualifier'),
    S('R', 1, 18),
    S('R', 1, 10),
    S('ID', 2, 2, BENEFIT_QUANTITY_QUALIFIERS, 'quantity qualifier'),
    S('R', 1, 15),
    S('ID', 1, 1, YES_NO_UNKNOWN, 'authorization required indicator'),
    S('ID', 1, 1, IN_PLAN_NETWORK, 'in plan network indicator'),
    PROCEDURE,
    POINTERS,
  ],
};

export const MSG: SegmentSpec = { id: 'MSG', elements: [R('AN', 1, 264), N, N] };
export const AMT: SegmentSpec = {
  id: 'AMT',
  elements: [R('ID', 1, 3, ['B6', 'DY', 'PB', 'R']), R('R', 1, 18), N],
};
export const LS: SegmentSpec = { id: 'LS', elements: [R('ID', 1, 4, ['2120'], 'loop identifier code')] };
export const LE: SegmentSpec = { id: 'LE', elements: [R('ID', 1, 4, ['2120'], 'loop identifier code')] };
