/**
 * 277CA (005010X214) element layouts. The internal code lists below are the ones of the pyx12 X214 map as
 * exported in codesets/x12-ig-internal-codes/pyx12_valid_codes_277CA_X214.csv (azoner/pyx12 @ 8893c59,
 * BSD-3-Clause); claim status category / status codes and STC10/11-3 entities are external lists.
 */
import { N, S, type SegmentSpec } from '../core/spec.ts';
import { bhtLayout, dtp, hl, nm1, qty, ref, amt, stc, trn, SVC } from '../tx276277/layouts.ts';
import type { StatusGuide } from '../tx276277/level.ts';

/** 2200D / 2220D STC01-3 entity identifier codes. */
export const CLAIM_STC_ENTITIES = [
  '03',
  '1P',
  '1Z',
  '40',
  '41',
  '71',
  '72',
  '73',
  '77',
  '82',
  '85',
  '87',
  'DK',
  'DN',
  'DQ',
  'FA',
  'GB',
  'HK',
  'IL',
  'LI',
  'MSC',
  'PR',
  'PRP',
  'QB',
  'QC',
  'QD',
  'SEP',
  'TL',
  'TTP',
  'TU',
] as const;

export const BHT_277CA: SegmentSpec = bhtLayout(
  '0085',
  ['08'],
  S('ID', 2, 2, ['TH'], 'transaction type code'),
);

const TABLE: Readonly<Record<string, Readonly<Record<string, SegmentSpec>>>> = {
  '2000A': { HL: hl('20', true, true) },
  '2100A': { NM1: nm1(['AY', 'PR'], ['2'], ['46', 'FI', 'PI', 'XV'], true) },
  '2200A': { TRN: trn(['1']), DTP: dtp(['009', '050'], ['D8']) },
  '2000B': { HL: hl('21', false, true) },
  '2100B': { NM1: nm1(['41'], ['1', '2'], ['46'], true) },
  '2200B': {
    TRN: trn(['2']),
    STC: stc({
      entities: ['36', '40', '41', 'AY', 'PR'],
      dateRequired: true,
      actions: ['U', 'WQ'],
      actionRequired: true,
      payment: false,
    }),
    QTY: qty(['90', 'AA']),
    AMT: amt(['YU', 'YY']),
  },
  '2000C': { HL: hl('19', false, true) },
  '2100C': { NM1: nm1(['85'], ['1', '2'], ['FI', 'SV', 'XX'], true) },
  '2200C': {
    TRN: trn(['1']),
    STC: stc({
      entities: ['36', '40', '41', '77', '82', '85', '87', 'AY', 'PR'],
      dateRequired: true,
      actions: ['U', 'WQ'],
      actionRequired: true,
      payment: false,
    }),
    REF: ref(['0B', '1G', 'G2', 'LU', 'SY', 'TJ']),
    QTY: qty(['QA', 'QC']),
    AMT: amt(['YU', 'YY']),
  },
  '2000D': { HL: { id: 'HL', elements: [...hl('PT', false, false).elements.slice(0, 3), N] } },
  '2100D': { NM1: nm1(['QC'], ['1'], ['II', 'MI'], true) },
  '2200D': {
    TRN: trn(['2']),
    STC: stc({
      entities: CLAIM_STC_ENTITIES,
      dateRequired: true,
      actions: ['U', 'WQ'],
      actionRequired: true,
      payment: false,
    }),
    REF: ref(['1K', 'BLT', 'D9']),
    DTP: dtp(['472'], ['D8', 'RD8']),
  },
  '2220D': {
    SVC,
    STC: stc({
      entities: CLAIM_STC_ENTITIES,
      dateRequired: true,
      actions: ['U'],
      actionRequired: true,
      payment: false,
    }),
    REF: ref(['FJ', 'XZ']),
    DTP: dtp(['472'], ['D8', 'RD8']),
  },
};

/** The 277CA guide rules. */
export const GUIDE_277CA: StatusGuide = {
  lineLoop: '2220',
  layout: (loop, id) => TABLE[loop]?.[id],
  required: { '2200A': ['DTP'], '2200B': ['STC'], '2200C': ['STC'], '2200D': ['STC'], '2220D': ['STC'] },
  trackingRequired: ['2000A', '2000B', '2000D'],
};
