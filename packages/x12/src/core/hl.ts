/**
 * The HL hierarchy shared by the 270/271, 276/277, 277CA and 837 guides: segments between ST and SE are a
 * header (BHT ...) followed by hierarchical levels, each opened by an HL whose HL02 names its parent.
 */
import type { DiagnosticSink } from './diagnostics.ts';
import { element, type Segment } from './segment.ts';
import type { SegmentWriter } from './writer.ts';

/** One hierarchical level as read: its HL and the segments up to the next HL. */
export interface HlNode {
  readonly hl: Segment;
  /** HL01 hierarchical id number. */
  readonly id: string;
  /** HL02 parent id ('' for a root). */
  readonly parentId: string;
  /** HL03 hierarchical level code (20 source, 21 receiver, 19 provider, 22 subscriber, 23 dependent, PT). */
  readonly levelCode: string;
  /** HL04 hierarchical child code ('' when absent). */
  readonly childCode: string;
  /** TR3 loop id given by the guide for this level code (2000A, ...). */
  readonly loop: string;
  readonly segments: Segment[];
  readonly children: HlNode[];
}

/** What a guide says about a level code: its loop id, which level codes may be its parent (none = root). */
export interface HlLevelSpec {
  readonly loop: string;
  readonly parents: readonly string[];
}

export interface Hierarchy {
  /** Segments before the first HL (BHT, ...). */
  readonly header: Segment[];
  /** Root levels in order, with their children attached. */
  readonly roots: HlNode[];
}

/**
 * Splits a transaction's segments into a header and an HL tree, checking HL01 numbering, HL02 parents, HL03
 * level codes and HL04 child codes against the guide's levels. A level that cannot be placed is reported and
 * left out (with its descendants), never guessed.
 */
export function readHierarchy(
  segments: readonly Segment[],
  levels: Readonly<Record<string, HlLevelSpec>>,
  sink: DiagnosticSink,
  options: {
    /** Levels whose HL04 may say 1 without children (a 271 level rejected with AAA keeps the 270's HL04). */
    readonly childCodeExempt?: (node: HlNode) => boolean;
  } = {},
): Hierarchy {
  const header: Segment[] = [];
  const roots: HlNode[] = [];
  const byId = new Map<string, HlNode>();
  let current: HlNode | undefined;
  let skipping = false;
  let expected = 1;
  const all: HlNode[] = [];
  for (const seg of segments) {
    if (seg.id !== 'HL') {
      if (current !== undefined) current.segments.push(seg);
      else if (!skipping) header.push(seg);
      continue;
    }
    const id = element(seg, 1);
    const parentId = element(seg, 2);
    const levelCode = element(seg, 3);
    if (id !== String(expected)) {
      sink.at(seg, 'error', 'hl-sequence', `HL01 must be ${expected} (HL ids count up from 1)`, {
        element: 'HL01',
        ik304: '8',
        ik403: '7',
      });
    }
    expected++;
    const spec = levels[levelCode];
    if (spec === undefined) {
      sink.at(seg, 'error', 'hl-level', 'HL03 is not a hierarchical level code of this guide', {
        element: 'HL03',
        ik304: '8',
        ik403: '7',
      });
      current = undefined;
      skipping = true;
      continue;
    }
    const parent = parentId === '' ? undefined : byId.get(parentId);
    const parentOk =
      spec.parents.length === 0
        ? parentId === ''
        : parent !== undefined && spec.parents.includes(parent.levelCode);
    if (!parentOk) {
      sink.at(
        seg,
        'error',
        'hl-parent',
        spec.parents.length === 0
          ? `HL02 must be empty for loop ${spec.loop}`
          : `HL02 must name an earlier ${spec.parents.join('/')} level for loop ${spec.loop}`,
        { loop: spec.loop, element: 'HL02', ik304: '8', ik403: '7' },
      );
      current = undefined;
      skipping = true;
      continue;
    }
    const node: HlNode = {
      hl: seg,
      id,
      parentId,
      levelCode,
      childCode: element(seg, 4),
      loop: spec.loop,
      segments: [],
      children: [],
    };
    if (byId.has(id)) {
      sink.at(seg, 'error', 'hl-duplicate', 'HL01 repeats an earlier HL id', {
        loop: spec.loop,
        element: 'HL01',
        ik304: '8',
        ik403: '7',
      });
    } else {
      byId.set(id, node);
    }
    if (parent === undefined) roots.push(node);
    else parent.children.push(node);
    all.push(node);
    current = node;
    skipping = false;
  }
  // HL04: 1 when subordinate levels follow, 0 when none (checked only where the sender wrote it). A warning:
  // the 271 TR3's own example of a receiver-level AAA rejection keeps the request's HL04 = 1 with no child.
  for (const n of all) {
    if (n.childCode === '' || options.childCodeExempt?.(n) === true) continue;
    const want = n.children.length > 0 ? '1' : '0';
    if (n.childCode !== want) {
      sink.at(
        n.hl,
        'warning',
        'hl-child-code',
        `HL04 must be ${want}: the level has ${n.children.length === 0 ? 'no ' : ''}subordinate levels`,
        {
          loop: n.loop,
          element: 'HL04',
          ik304: '8',
          ik403: '7',
        },
      );
    }
  }
  return { header, roots };
}

/** Numbers HL segments while a writer walks its tree depth-first. */
export class HlCounter {
  private next = 1;

  /**
   * Writes an HL and returns its id for the children. `childCode` undefined omits HL04 (levels where the
   * guide does not use it); a string writes it as given (a level read with an explicit HL04).
   */
  open(
    w: SegmentWriter,
    out: string[],
    parentId: string | undefined,
    levelCode: string,
    childCode: boolean | string | undefined,
  ): string {
    const id = String(this.next++);
    const hl04 =
      typeof childCode === 'string' ? childCode : childCode === undefined ? undefined : childCode ? '1' : '0';
    out.push(w.segment('HL', id, parentId, levelCode, hl04));
    return id;
  }
}
