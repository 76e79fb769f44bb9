/**
 * Reading and writing one HL level of the claim status family (276, 277, 277CA): DMG, NM1, PER, then 2200
 * tracking loops (TRN, STC, REF, QTY, AMT, DTP) with their 2210/2220 service lines (SVC, STC, REF, DTP).
 * Which segment is allowed in which loop, and its element layout, come from the guide.
 */
import type { ExternalCodeLists } from '../core/codelists.ts';
import {
  compact,
  compositeOf,
  locationOf,
  opt,
  procedureComposite,
  readAmt,
  readDmg,
  readDtp,
  readNm1,
  readPer,
  readProcedure,
  readQty,
  readRaw,
  readRef,
  readTrn,
  missingSegment,
  SegmentOrder,
  writeAmt,
  writeDmg,
  writeDtp,
  writeNm1,
  writePer,
  writeQty,
  writeRaw,
  writeRef,
  writeTrn,
  type Contact,
  type Demographics,
  type EntityName,
  type RawSegment,
} from '../core/common-segments.ts';
import type { DiagnosticSink } from '../core/diagnostics.ts';
import type { HlNode } from '../core/hl.ts';
import { element, position, type Segment } from '../core/segment.ts';
import { checkDateByQualifier, checkSegment, type SegmentSpec } from '../core/spec.ts';
import {
  d8ToIso,
  formatAmount,
  formatQuantityMilli,
  isoToD8,
  parseAmount,
  parseQuantityMilli,
} from '../core/values.ts';
import type { SegmentWriter } from '../core/writer.ts';
import type {
  ClaimStatusTracking,
  ServiceLineStatus,
  StatusCode,
  StatusInformation,
  StatusLevelBase,
} from './types.ts';

/** A guide's rules: the layout of each segment allowed in a loop (undefined = not allowed there). */
export interface StatusGuide {
  layout(loop: string, segmentId: string): SegmentSpec | undefined;
  /** Line loop prefix: 2210 in the 276, 2220 in the 277 and 277CA. */
  readonly lineLoop: '2210' | '2220';
  /** Segments (besides the TRN / SVC that opens it) a 2200 / 2210 / 2220 loop must contain, by loop id. */
  readonly required?: Readonly<Record<string, readonly ('STC' | 'DTP' | 'REF' | 'AMT' | 'QTY')[]>>;
  /** Level loops (2000x) that must contain at least one 2200 tracking loop. */
  readonly trackingRequired?: readonly string[];
}

export interface StatusReadContext {
  readonly sink: DiagnosticSink;
  readonly codeLists: ExternalCodeLists;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer E)[] ? E[] : T[K] };

/** Loop ids derived from a level loop id: 2000D → 2100D, 2200D, 2210D/2220D. */
export function loopsOf(
  levelLoop: string,
  guide: StatusGuide,
): { name: string; tracking: string; line: string } {
  const letter = levelLoop.slice(4);
  return { name: `2100${letter}`, tracking: `2200${letter}`, line: `${guide.lineLoop}${letter}` };
}

function unexpected(seg: Segment, loop: string, other: RawSegment[], ctx: StatusReadContext): void {
  ctx.sink.at(seg, 'warning', 'unexpected-segment', `${seg.id} is not expected here in loop ${loop}`, {
    loop,
    ik304: '2',
  });
  other.push(readRaw(seg));
}

function checkExternal(
  seg: Segment,
  n: number,
  c: number,
  value: string | undefined,
  list: ReadonlySet<string> | undefined,
  what: string,
  loop: string,
  ctx: StatusReadContext,
): void {
  if (value === undefined || list === undefined || list.has(value)) return;
  const where = position(seg.id, n, c);
  ctx.sink.at(seg, 'error', 'invalid-code', `${where} is not a known ${what}`, {
    loop,
    element: where,
    ik304: '8',
    ik403: '7',
  });
}

// Segment order inside the loops (the writer emits this order).
const LEVEL_ORDER = { DMG: 0, NM1: 1, PER: 2 };
const TRACKING_ORDER = { TRN: 0, STC: 1, REF: 2, QTY: 3, AMT: 4, DTP: 5 };
const LINE_ORDER = { SVC: 0, STC: 1, REF: 2, DTP: 3 };

const DECIMAL_TEXT = /^-?(\d+\.?\d*|\.\d+)$/;

/**
 * Reads a decimal element exactly (cents / thousandths). The segment layout reports malformed decimals; a
 * well-formed one that still cannot be held exactly (fractions of a cent) is reported here, once.
 */
function exactDecimal(
  seg: Segment,
  n: number,
  read: (text: string) => number | undefined,
  loop: string,
  ctx: StatusReadContext,
): number | undefined {
  const text = element(seg, n);
  if (text === '') return undefined;
  const v = read(text);
  if (v === undefined && DECIMAL_TEXT.test(text)) {
    const where = position(seg.id, n);
    ctx.sink.at(seg, 'error', 'invalid-amount', `${where} cannot be read exactly`, {
      loop,
      element: where,
      ik304: '8',
      ik403: '6',
    });
  }
  return v;
}

/** Reads an STC segment. */
export function readStc(seg: Segment, loop: string, ctx: StatusReadContext): StatusInformation {
  const statuses: StatusCode[] = [];
  for (const n of [1, 10, 11]) {
    const c = compositeOf(seg, n);
    if (c.length === 0) continue;
    const s = compact<StatusCode>({
      category: c[0] ?? '',
      status: c[1] ?? '',
      entity: c[2] === '' ? undefined : c[2],
      codeListQualifier: c[3] === '' ? undefined : c[3],
    });
    checkExternal(
      seg,
      n,
      1,
      s.category,
      ctx.codeLists.claimStatusCategory,
      'claim status category code',
      loop,
      ctx,
    );
    // C043-2 holds an NCPDP code instead of a claim status code when C043-4 is RX.
    if (s.codeListQualifier === undefined) {
      checkExternal(seg, n, 2, s.status, ctx.codeLists.claimStatus, 'claim status code', loop, ctx);
    }
    checkExternal(seg, n, 3, s.entity, ctx.codeLists.entityIdentifier, 'entity identifier code', loop, ctx);
    statuses.push(s);
  }
  return compact<StatusInformation>({
    statuses,
    // Type and date errors in these elements are reported by the STC layout check; read quietly here.
    effectiveDate: d8ToIso(element(seg, 2)),
    actionCode: opt(seg, 3),
    chargeCents: exactDecimal(seg, 4, parseAmount, loop, ctx),
    paidCents: exactDecimal(seg, 5, parseAmount, loop, ctx),
    adjudicationDate: d8ToIso(element(seg, 6)),
    paymentMethod: opt(seg, 7),
    checkDate: d8ToIso(element(seg, 8)),
    checkNumber: opt(seg, 9),
    message: opt(seg, 12),
    at: locationOf(seg),
  });
}

function statusComposite(s: StatusCode | undefined): (string | undefined)[] | undefined {
  return s === undefined ? undefined : [s.category, s.status, s.entity, s.codeListQualifier];
}

export function writeStc(w: SegmentWriter, s: StatusInformation): string {
  const d8 = (iso: string | undefined): string | undefined => (iso === undefined ? undefined : isoToD8(iso));
  return w.segment(
    'STC',
    statusComposite(s.statuses[0]),
    d8(s.effectiveDate),
    s.actionCode,
    s.chargeCents === undefined ? undefined : formatAmount(s.chargeCents),
    s.paidCents === undefined ? undefined : formatAmount(s.paidCents),
    d8(s.adjudicationDate),
    s.paymentMethod,
    d8(s.checkDate),
    s.checkNumber,
    statusComposite(s.statuses[1]),
    statusComposite(s.statuses[2]),
    s.message,
  );
}

/**
 * Reads one HL level's segments into its name, demographics, contacts and 2200 tracking loops. Reports
 * segments the guide does not allow where they stand, and a missing NM1.
 */
export function readStatusLevel(node: HlNode, guide: StatusGuide, ctx: StatusReadContext): StatusLevelBase {
  const loops = loopsOf(node.loop, guide);
  const other: RawSegment[] = [];
  const contacts: Contact[] = [];
  const tracking: ClaimStatusTracking[] = [];
  let name: EntityName | undefined;
  let demographics: Demographics | undefined;
  let current: Mutable<ClaimStatusTracking> | undefined;
  let line: Mutable<ServiceLineStatus> | undefined;
  const check = (seg: Segment, loop: string): SegmentSpec | undefined => {
    const layout = guide.layout(loop, seg.id);
    if (layout !== undefined) checkSegment(seg, layout, loop, ctx.sink);
    return layout;
  };
  const requireIn = (
    loop: string,
    at: Segment | undefined,
    has: Readonly<Record<'STC' | 'DTP' | 'REF' | 'AMT' | 'QTY', number>>,
  ): void => {
    for (const id of guide.required?.[loop] ?? []) {
      if (has[id] > 0) continue;
      ctx.sink.at(
        missingSegment(at, id),
        'error',
        'required-segment',
        `loop ${loop} requires a ${id} segment`,
        {
          loop,
          ik304: '3',
        },
      );
    }
  };
  let lineStart: Segment | undefined;
  let trackingStart: Segment | undefined;
  const closeLine = (): void => {
    if (line !== undefined && current !== undefined) {
      current.lines.push(line);
      requireIn(loops.line, lineStart, {
        STC: line.statuses.length,
        DTP: line.dates.length,
        REF: line.references.length,
        AMT: 0,
        QTY: 0,
      });
    }
    line = undefined;
  };
  const closeTracking = (): void => {
    closeLine();
    if (current !== undefined) {
      tracking.push(current);
      requireIn(loops.tracking, trackingStart, {
        STC: current.statuses.length,
        DTP: current.dates.length,
        REF: current.references.length,
        AMT: current.amounts.length,
        QTY: current.quantities.length,
      });
    }
    current = undefined;
  };
  const hlLayout = guide.layout(node.loop, 'HL');
  if (hlLayout !== undefined) checkSegment(node.hl, hlLayout, node.loop, ctx.sink);
  const levelOrder = new SegmentOrder(LEVEL_ORDER, node.loop, ctx.sink);
  let trackingOrder: SegmentOrder | undefined;
  let lineOrder: SegmentOrder | undefined;
  for (const seg of node.segments) {
    if (line !== undefined) lineOrder?.see(seg);
    else if (current !== undefined && seg.id !== 'SVC' && seg.id !== 'TRN') trackingOrder?.see(seg);
    else if (current === undefined && seg.id !== 'TRN') levelOrder.see(seg);
    if (seg.id === 'TRN' && name !== undefined && check(seg, loops.tracking) !== undefined) {
      trackingOrder = new SegmentOrder(TRACKING_ORDER, loops.tracking, ctx.sink);
      closeTracking();
      trackingStart = seg;
      current = {
        loop: loops.tracking,
        trace: readTrn(seg),
        statuses: [],
        references: [],
        quantities: [],
        amounts: [],
        dates: [],
        lines: [],
        other: [],
        at: locationOf(seg),
      };
      continue;
    }
    if (current !== undefined && seg.id === 'SVC' && check(seg, loops.line) !== undefined) {
      closeLine();
      lineStart = seg;
      lineOrder = new SegmentOrder(LINE_ORDER, loops.line, ctx.sink);
      const procedure = readProcedure(seg, 1) ?? { qualifier: '', code: '', modifiers: [] };
      line = {
        service: compact({
          procedure,
          // SVC02 is required: the SVC layout reports it when missing or malformed.
          chargeCents: exactDecimal(seg, 2, parseAmount, loops.line, ctx) ?? 0,
          paidCents: exactDecimal(seg, 3, parseAmount, loops.line, ctx),
          revenueCode: opt(seg, 4),
          unitsMilli: exactDecimal(seg, 7, parseQuantityMilli, loops.line, ctx),
        }),
        statuses: [],
        references: [],
        dates: [],
        other: [],
        at: locationOf(seg),
      };
      continue;
    }
    if (line !== undefined) {
      if (check(seg, loops.line) === undefined) {
        unexpected(seg, loops.line, line.other, ctx);
        continue;
      }
      switch (seg.id) {
        case 'STC':
          line.statuses.push(readStc(seg, loops.line, ctx));
          break;
        case 'REF':
          line.references.push(readRef(seg));
          break;
        case 'DTP':
          checkDateByQualifier(seg, 2, 3, loops.line, ctx.sink);
          line.dates.push(readDtp(seg));
          break;
        default:
          unexpected(seg, loops.line, line.other, ctx);
      }
      continue;
    }
    if (current !== undefined) {
      if (check(seg, loops.tracking) === undefined) {
        unexpected(seg, loops.tracking, current.other, ctx);
        continue;
      }
      switch (seg.id) {
        case 'STC':
          current.statuses.push(readStc(seg, loops.tracking, ctx));
          break;
        case 'REF':
          current.references.push(readRef(seg));
          break;
        case 'QTY': {
          const q = readQty(seg, loops.tracking, ctx.sink);
          if (q !== undefined) current.quantities.push(q);
          break;
        }
        case 'AMT': {
          const a = readAmt(seg, loops.tracking, ctx.sink);
          if (a !== undefined) current.amounts.push(a);
          break;
        }
        case 'DTP':
          checkDateByQualifier(seg, 2, 3, loops.tracking, ctx.sink);
          current.dates.push(readDtp(seg));
          break;
        default:
          unexpected(seg, loops.tracking, current.other, ctx);
      }
      continue;
    }
    if (seg.id === 'DMG' && name === undefined && demographics === undefined && check(seg, node.loop)) {
      demographics = readDmg(seg);
      continue;
    }
    if (seg.id === 'NM1' && name === undefined) {
      check(seg, loops.name);
      name = readNm1(seg);
      continue;
    }
    if (seg.id === 'PER' && name !== undefined && check(seg, loops.name) !== undefined) {
      contacts.push(readPer(seg));
      continue;
    }
    unexpected(seg, name === undefined ? node.loop : loops.name, other, ctx);
  }
  closeTracking();
  if (tracking.length === 0 && guide.trackingRequired?.includes(node.loop) === true) {
    ctx.sink.at(
      missingSegment(node.hl, 'TRN'),
      'error',
      'required-segment',
      `loop ${node.loop} requires a ${loops.tracking} TRN loop`,
      {
        loop: loops.tracking,
        ik304: '3',
      },
    );
  }
  if (name === undefined) {
    ctx.sink.at(
      missingSegment(node.hl, 'NM1'),
      'error',
      'required-segment',
      `loop ${loops.name} requires an NM1 name segment`,
      {
        loop: loops.name,
        ik304: '3',
      },
    );
  }
  return compact<StatusLevelBase>({
    at: locationOf(node.hl),
    hlChildCode: node.childCode === '' ? undefined : node.childCode,
    demographics,
    name: name ?? { entityIdentifier: '', entityType: '' },
    contacts,
    tracking,
    other,
  });
}

/** Writes a level's segments after its HL. */
export function writeStatusLevel(w: SegmentWriter, level: StatusLevelBase, out: string[]): void {
  if (level.demographics !== undefined) out.push(writeDmg(w, level.demographics));
  out.push(writeNm1(w, level.name));
  for (const c of level.contacts) out.push(writePer(w, c));
  for (const r of level.other) out.push(writeRaw(w, r));
  for (const t of level.tracking) {
    out.push(writeTrn(w, t.trace));
    for (const s of t.statuses) out.push(writeStc(w, s));
    for (const r of t.references) out.push(writeRef(w, r));
    for (const q of t.quantities) out.push(writeQty(w, q));
    for (const a of t.amounts) out.push(writeAmt(w, a));
    for (const d of t.dates) out.push(writeDtp(w, d));
    for (const r of t.other) out.push(writeRaw(w, r));
    for (const l of t.lines) {
      const s = l.service;
      out.push(
        w.segment(
          'SVC',
          procedureComposite(s.procedure),
          formatAmount(s.chargeCents),
          s.paidCents === undefined ? undefined : formatAmount(s.paidCents),
          s.revenueCode,
          undefined,
          undefined,
          s.unitsMilli === undefined ? undefined : formatQuantityMilli(s.unitsMilli),
        ),
      );
      for (const st of l.statuses) out.push(writeStc(w, st));
      for (const r of l.references) out.push(writeRef(w, r));
      for (const d of l.dates) out.push(writeDtp(w, d));
      for (const r of l.other) out.push(writeRaw(w, r));
    }
  }
}
