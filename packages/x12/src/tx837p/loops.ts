import type { DiagnosticSink } from '../core/diagnostics.ts';
import type { Segment } from '../core/segment.ts';
import { ranksOf } from './order.ts';

/**
 * The 837P (005010X222A1) loop structure: which segment (and qualifier) opens each loop, which segments a
 * loop may hold, and which loops nest inside it. Used to turn the flat segment list of a transaction set
 * into a loop tree before the typed model is read from it.
 */
interface LoopDef {
  readonly id: string;
  /** Segment id that opens the loop. */
  readonly opener: string;
  /** Allowed values of element 01 of the opener (NM101, HL03 is handled separately); undefined = any. */
  readonly qualifiers?: readonly string[];
  /** Segments the loop holds after its opener. */
  readonly segments: ReadonlySet<string>;
  readonly children: readonly LoopDef[];
}

function loop(
  id: string,
  opener: string,
  qualifiers: readonly string[] | undefined,
  segments: readonly string[],
  children: readonly LoopDef[] = [],
): LoopDef {
  return {
    id,
    opener,
    ...(qualifiers === undefined ? {} : { qualifiers }),
    segments: new Set(segments),
    children,
  };
}

const nm1 = (id: string, entities: readonly string[], segs: readonly string[]): LoopDef =>
  loop(id, 'NM1', entities, segs);

// 2300 claim information and its nested loops (837P TR3 section 2.4, loops 2300-2440).
const LOOP_2400 = loop(
  '2400',
  'LX',
  undefined,
  [
    'SV1',
    'SV5',
    'PWK',
    'CR1',
    'CR3',
    'CRC',
    'DTP',
    'QTY',
    'MEA',
    'CN1',
    'REF',
    'AMT',
    'K3',
    'NTE',
    'PS1',
    'HCP',
  ],
  [
    loop('2410', 'LIN', undefined, ['CTP', 'REF']),
    nm1('2420A', ['82'], ['PRV', 'REF']),
    nm1('2420B', ['QB'], ['REF']),
    nm1('2420C', ['77'], ['N3', 'N4', 'REF']),
    nm1('2420D', ['DQ'], ['REF']),
    nm1('2420E', ['DK'], ['N3', 'N4', 'REF', 'PER']),
    nm1('2420F', ['DN', 'P3'], ['N3', 'N4', 'REF']),
    nm1('2420G', ['PW'], ['N3', 'N4']),
    nm1('2420H', ['45'], ['N3', 'N4']),
    loop('2430', 'SVD', undefined, ['CAS', 'DTP', 'AMT']),
    loop('2440', 'LQ', undefined, ['FRM']),
  ],
);

const LOOP_2320 = loop(
  '2320',
  'SBR',
  undefined,
  ['CAS', 'AMT', 'OI', 'MOA'],
  [
    nm1('2330A', ['IL'], ['N3', 'N4', 'REF']),
    nm1('2330B', ['PR'], ['N3', 'N4', 'DTP', 'REF']),
    nm1('2330C', ['DN', 'P3'], ['REF']),
    nm1('2330D', ['82'], ['REF']),
    nm1('2330E', ['77'], ['REF']),
    nm1('2330F', ['DQ'], ['REF']),
    nm1('2330G', ['85'], ['REF']),
  ],
);

const LOOP_2300 = loop(
  '2300',
  'CLM',
  undefined,
  ['DTP', 'PWK', 'CN1', 'AMT', 'REF', 'K3', 'NTE', 'CR1', 'CR2', 'CRC', 'HI', 'HCP'],
  [
    nm1('2310A', ['DN', 'P3'], ['REF']),
    nm1('2310B', ['82'], ['PRV', 'REF']),
    nm1('2310C', ['77'], ['N3', 'N4', 'REF', 'PER']),
    nm1('2310D', ['DQ'], ['REF']),
    nm1('2310E', ['PW'], ['N3', 'N4']),
    nm1('2310F', ['45'], ['N3', 'N4']),
    LOOP_2320,
    LOOP_2400,
  ],
);

const LOOP_2000A = loop(
  '2000A',
  'HL',
  ['20'],
  ['PRV', 'CUR'],
  [
    nm1('2010AA', ['85'], ['N3', 'N4', 'REF', 'PER']),
    nm1('2010AB', ['87'], ['N3', 'N4']),
    nm1('2010AC', ['PE'], ['N3', 'N4', 'REF']),
  ],
);
const LOOP_2000B = loop(
  '2000B',
  'HL',
  ['22'],
  ['SBR', 'PAT'],
  [
    nm1('2010BA', ['IL'], ['N3', 'N4', 'DMG', 'REF', 'PER']),
    nm1('2010BB', ['PR'], ['N3', 'N4', 'REF']),
    LOOP_2300,
  ],
);
const LOOP_2000C = loop(
  '2000C',
  'HL',
  ['23'],
  ['PAT'],
  [nm1('2010CA', ['QC'], ['N3', 'N4', 'DMG', 'REF', 'PER']), LOOP_2300],
);

/** Root: the header (BHT, 1000A, 1000B) and the HL levels, which are flat siblings (HL02 gives the parent). */
const ROOT = loop(
  'HEADER',
  'ST',
  undefined,
  ['BHT'],
  [nm1('1000A', ['41'], ['PER']), nm1('1000B', ['40'], []), LOOP_2000A, LOOP_2000B, LOOP_2000C],
);

/** A loop occurrence: its opener first in `segments`, then the segments it holds; nested loops in `children`. */
export interface LoopNode {
  readonly loop: string;
  readonly segments: Segment[];
  readonly children: LoopNode[];
}

function opens(def: LoopDef, seg: Segment): boolean {
  if (def.opener !== seg.id) return false;
  if (def.qualifiers === undefined) return true;
  const q = def.opener === 'HL' ? (seg.elements[3] ?? '') : (seg.elements[1] ?? '');
  return def.qualifiers.includes(q);
}

interface Open {
  readonly def: LoopDef;
  readonly node: LoopNode;
}

/**
 * Builds the loop tree of one 837P transaction set (segments between ST and SE). A segment goes to the innermost
 * open loop that holds it or has a nested loop it opens, closing inner loops as needed (the usual X12 loop
 * resolution). An HL with an unknown HL03 opens a loop named `2000`. Segments that fit nowhere stay in the
 * innermost loop and are reported as `unexpected-segment`.
 */
export function buildLoopTree(segments: readonly Segment[], sink: DiagnosticSink): LoopNode {
  const root: LoopNode = { loop: 'HEADER', segments: [], children: [] };
  const stack: Open[] = [{ def: ROOT, node: root }];
  for (const seg of segments) {
    let placed = false;
    for (let d = stack.length - 1; d >= 0 && !placed; d--) {
      const open = stack[d];
      if (open === undefined) break;
      if (open.def.segments.has(seg.id) && seg.id !== 'HL') {
        if (d < stack.length - 1) {
          // A segment of an outer loop after a nested loop started: TR3 order is broken, but keep it.
          sink.at(
            seg,
            'warning',
            'segment-order',
            `${seg.id} appears after a nested loop of ${open.node.loop}`,
            {
              loop: open.node.loop,
              ik304: '7',
            },
          );
        }
        checkOrder(open.node, seg, sink);
        open.node.segments.push(seg);
        stack.length = d + 1;
        placed = true;
        break;
      }
      let child = open.def.children.find((c) => opens(c, seg));
      if (child === undefined && seg.id === 'HL' && open.def === ROOT) child = unknownHl;
      if (child !== undefined) {
        const node: LoopNode = { loop: child.id, segments: [seg], children: [] };
        open.node.children.push(node);
        stack.length = d + 1;
        stack.push({ def: child, node });
        placed = true;
      }
    }
    if (!placed) {
      const top = stack[stack.length - 1] ?? { def: ROOT, node: root };
      sink.at(seg, 'error', 'unexpected-segment', `${seg.id} is not expected in loop ${top.node.loop}`, {
        loop: top.node.loop,
        ik304: '2',
      });
      top.node.segments.push(seg);
    }
  }
  return root;
}

// An HL whose HL03 is not 20/22/23: keep its segments together so nothing is lost.
const unknownHl = loop('2000', 'HL', undefined, ['PRV', 'CUR', 'SBR', 'PAT'], []);

/** Warns when a segment comes before one it should follow in its loop (TR3 segment order). */
function checkOrder(node: LoopNode, seg: Segment, sink: DiagnosticSink): void {
  const ranks = ranksOf(node.loop);
  const last = node.segments[node.segments.length - 1];
  if (ranks === undefined || last === undefined) return;
  const a = ranks[last.id];
  const b = ranks[seg.id];
  if (a !== undefined && b !== undefined && b < a) {
    sink.at(seg, 'warning', 'segment-order', `${seg.id} must come before ${last.id} in loop ${node.loop}`, {
      loop: node.loop,
      ik304: '7',
    });
  }
}
