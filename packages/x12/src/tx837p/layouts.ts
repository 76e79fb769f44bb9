import { C, N, R, S, type ElementSpec, type SegmentSpec } from '../core/spec.ts';
import { CODES_837P } from './codes.ts';

/**
 * Element layouts (usage, type, length) of the 837P segments OpenRCM reads and writes, per 005010X222A1.
 * Usage here is the strictest rule common to every loop the segment appears in; loop-specific code lists come
 * from {@link CODES_837P}. Code lists are attached by `layoutFor(segment, loop)`.
 */
const proc = (usage: 'R' | 'S'): ElementSpec =>
  C(usage, [
    R('ID', 2, 2, undefined, 'product/service id qualifier'),
    R('AN', 1, 48, undefined, 'procedure code'),
    S('AN', 2, 2),
    S('AN', 2, 2),
    S('AN', 2, 2),
    S('AN', 2, 2),
    S('AN', 1, 80),
    N,
  ]);

const hiComposite = (usage: 'R' | 'S'): ElementSpec =>
  C(usage, [
    R('ID', 1, 3, undefined, 'code list qualifier'),
    R('AN', 1, 30, undefined, 'industry code'),
    S('ID', 2, 3),
    S('AN', 1, 35),
    S('R', 1, 18),
    S('R', 1, 15),
    N,
    N,
    N,
  ]);

const casTriplets: ElementSpec[] = [];
for (let i = 0; i < 5; i++) casTriplets.push(S('ID', 1, 5), S('R', 1, 18), S('R', 1, 15));

const BASE: Readonly<Record<string, readonly ElementSpec[]>> = {
  BHT: [
    R('ID', 4, 4),
    R('ID', 2, 2),
    R('AN', 1, 50),
    R('DT', 8, 8),
    R('TM', 4, 8),
    R('ID', 2, 2, undefined, 'claim or encounter identifier'),
  ],
  // NM103 is not used in 2010AB and NM108/09 are situational in several loops: keep them S.
  NM1: [
    R('ID', 2, 3, undefined, 'entity identifier code'),
    R('ID', 1, 1, undefined, 'entity type qualifier'),
    S('AN', 1, 60),
    S('AN', 1, 35),
    S('AN', 1, 25),
    N,
    S('AN', 1, 10),
    S('ID', 1, 2, undefined, 'identification code qualifier'),
    S('AN', 2, 80),
    N,
    N,
    N,
  ],
  N3: [R('AN', 1, 55), S('AN', 1, 55)],
  N4: [R('AN', 2, 30), S('ID', 2, 2), S('ID', 3, 15), S('ID', 2, 3), N, N, S('AN', 1, 3)],
  REF: [
    R('ID', 2, 3, undefined, 'reference identification qualifier'),
    R('AN', 1, 50),
    S('AN', 1, 80),
    C('S', [R('ID', 2, 3), R('AN', 1, 50)]),
  ],
  PER: [
    R('ID', 2, 2),
    S('AN', 1, 60),
    S('ID', 2, 2),
    S('AN', 1, 256),
    S('ID', 2, 2),
    S('AN', 1, 256),
    S('ID', 2, 2),
    S('AN', 1, 256),
    N,
  ],
  PRV: [R('ID', 1, 3), R('ID', 2, 3), R('AN', 1, 50), N, N, N],
  CUR: [R('ID', 2, 3), R('ID', 3, 3)],
  HL: [R('AN', 1, 12), S('AN', 1, 12), R('ID', 1, 2, undefined, 'hierarchical level code'), R('ID', 1, 1)],
  SBR: [
    R('ID', 1, 1, undefined, 'payer responsibility sequence number code'),
    S('ID', 2, 2),
    S('AN', 1, 50),
    S('AN', 1, 60),
    S('ID', 1, 3),
    N,
    N,
    N,
    S('ID', 1, 2, undefined, 'claim filing indicator code'),
  ],
  PAT: [S('ID', 2, 2), N, N, N, S('ID', 2, 3), S('AN', 1, 35), S('ID', 2, 2), S('R', 1, 10), S('ID', 1, 1)],
  DMG: [R('ID', 2, 3), R('AN', 1, 35), R('ID', 1, 1, undefined, 'gender code'), N, N, N, N, N, N, N, N],
  CLM: [
    R('AN', 1, 38, undefined, 'patient control number'),
    R('R', 1, 18, undefined, 'total claim charge amount'),
    N,
    N,
    C('R', [
      R('AN', 1, 2, undefined, 'place of service code'),
      R('ID', 1, 2, undefined, 'facility code qualifier'),
      R('ID', 1, 1, undefined, 'claim frequency type code'),
    ]),
    R('ID', 1, 1),
    R('ID', 1, 1),
    R('ID', 1, 1),
    R('ID', 1, 1),
    S('ID', 1, 1),
    C('S', [R('ID', 2, 3), S('ID', 2, 3), S('ID', 2, 3), S('ID', 2, 2), S('ID', 2, 3)]),
    S('ID', 2, 3),
    N,
    N,
    N,
    N,
    N,
    N,
    N,
    S('ID', 1, 2),
  ],
  DTP: [R('ID', 3, 3, undefined, 'date time qualifier'), R('ID', 2, 3), R('AN', 1, 35)],
  HI: [hiComposite('R'), ...Array.from({ length: 11 }, () => hiComposite('S'))],
  AMT: [R('ID', 1, 3, undefined, 'amount qualifier code'), R('R', 1, 18), N],
  NTE: [R('ID', 3, 3), R('AN', 1, 80)],
  PWK: [R('ID', 2, 2), R('ID', 1, 2), N, N, S('ID', 1, 2), S('AN', 2, 80), N, N, N],
  LX: [R('N0', 1, 6, undefined, 'assigned number')],
  SV1: [
    proc('R'),
    R('R', 1, 18, undefined, 'line item charge amount'),
    R('ID', 2, 2, undefined, 'unit or basis for measurement code'),
    R('R', 1, 15, undefined, 'service unit count'),
    S('AN', 1, 2),
    N,
    C('R', [R('N0', 1, 2), S('N0', 1, 2), S('N0', 1, 2), S('N0', 1, 2)]),
    N,
    S('ID', 1, 1),
    N,
    S('ID', 1, 1),
    S('ID', 1, 1),
    N,
    N,
    S('ID', 1, 1),
    N,
    N,
    N,
    N,
    N,
    N,
  ],
  SVD: [R('AN', 2, 80), R('R', 1, 18), proc('R'), N, R('R', 1, 15), S('N0', 1, 6)],
  CAS: [
    R('ID', 1, 2, undefined, 'claim adjustment group code'),
    R('ID', 1, 5),
    R('R', 1, 18),
    S('R', 1, 15),
    ...casTriplets,
  ],
  OI: [N, N, R('ID', 1, 1), S('ID', 1, 1), N, R('ID', 1, 1)],
  LIN: [N, R('ID', 2, 2), R('AN', 1, 48)],
  CTP: [N, N, N, R('R', 1, 15), C('R', [R('ID', 2, 2), N, N, N, N, N, N, N, N, N, N, N, N, N, N])],
};

function withCodes(id: string, loop: string, specs: readonly ElementSpec[]): SegmentSpec {
  const elements = specs.map((es, i) => {
    const pos = `${id}${String(i + 1).padStart(2, '0')}`;
    if (es.components !== undefined) {
      const components = es.components.map((cs, c) => {
        const codes = CODES_837P[`${loop} ${pos}-${c + 1}`];
        return codes === undefined || cs.type !== 'ID' ? cs : { ...cs, codes };
      });
      return { ...es, components };
    }
    const codes = CODES_837P[`${loop} ${pos}`];
    return codes === undefined || es.type !== 'ID' ? es : { ...es, codes };
  });
  return { id, elements };
}

const cache = new Map<string, Map<string, SegmentSpec | undefined>>();

/** The layout of segment `id` in `loop` (with that loop's code lists), or undefined when not checked. */
export function layoutFor(id: string, loop: string): SegmentSpec | undefined {
  let byId = cache.get(loop);
  if (byId === undefined) {
    byId = new Map();
    cache.set(loop, byId);
  }
  if (byId.has(id)) return byId.get(id);
  const base = BASE[id];
  const spec = base === undefined ? undefined : withCodes(id, loop, base);
  byId.set(id, spec);
  return spec;
}
