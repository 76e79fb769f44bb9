import { ISA_WIDTHS, type Delimiters } from './delimiters.ts';
import { DiagnosticSink, type Diagnostic } from './diagnostics.ts';
import { element, position, type Segment } from './segment.ts';
import { isValidD6, isValidD8, isValidTime } from './values.ts';

/** What the ISA says about an interchange. */
export interface InterchangeHeader {
  readonly isa: Segment;
  readonly delimiters: Delimiters;
  readonly senderQualifier: string;
  readonly senderId: string;
  readonly receiverQualifier: string;
  readonly receiverId: string;
  /** ISA09 YYMMDD and ISA10 HHMM as written. */
  readonly date: string;
  readonly time: string;
  readonly version: string;
  /** ISA13, 9 digits. */
  readonly controlNumber: string;
  readonly ackRequested: string;
  /** ISA15: P production, T test. */
  readonly usage: string;
}

/** What the GS says about a functional group. */
export interface GroupHeader {
  readonly gs: Segment;
  /** GS01 functional identifier code: HC 837, HP 835, HS 270, HB 271, HR 276, HN 277, FA 999. */
  readonly functionalId: string;
  readonly senderCode: string;
  readonly receiverCode: string;
  readonly date: string;
  readonly time: string;
  readonly controlNumber: string;
  readonly agency: string;
  /** GS08 version / release / industry identifier code, e.g. 005010X222A1. */
  readonly version: string;
}

/** One ST..SE transaction set with the envelope it travelled in. */
export interface TransactionSet {
  readonly interchange: InterchangeHeader;
  readonly group: GroupHeader;
  readonly st: Segment;
  /** The segments between ST and SE (both excluded). */
  readonly segments: readonly Segment[];
  /** Undefined when the SE is missing (a diagnostic says so). */
  readonly se: Segment | undefined;
  /** ST01, e.g. '835'. */
  readonly transactionType: string;
  /** ST02. */
  readonly controlNumber: string;
  /** ST03 implementation convention reference (5010: the guide id, e.g. 005010X221A1), or GS08 if absent. */
  readonly implementation: string;
  /** Envelope diagnostics that concern this transaction set (SE count, control number, ...). */
  readonly diagnostics: readonly Diagnostic[];
}

export interface FunctionalGroup {
  readonly header: GroupHeader;
  readonly transactions: TransactionSet[];
  readonly ge: Segment | undefined;
}

export interface Interchange {
  readonly header: InterchangeHeader;
  readonly groups: FunctionalGroup[];
  readonly iea: Segment | undefined;
  /** Interchange-level findings (ISA/IEA); a TA1 reports these. */
  readonly diagnostics: Diagnostic[];
}

/** Events the envelope reader emits as segments arrive. */
export type EnvelopeEvent =
  | { readonly kind: 'interchange-start'; readonly header: InterchangeHeader }
  | { readonly kind: 'group-start'; readonly header: GroupHeader }
  | { readonly kind: 'transaction'; readonly transaction: TransactionSet }
  | {
      readonly kind: 'group-end';
      readonly header: GroupHeader;
      readonly ge: Segment | undefined;
      readonly transactionCount: number;
    }
  | {
      readonly kind: 'interchange-end';
      readonly header: InterchangeHeader;
      readonly iea: Segment | undefined;
      readonly groupCount: number;
      readonly diagnostics: readonly Diagnostic[];
    };

function interchangeHeader(isa: Segment, sink: DiagnosticSink): InterchangeHeader {
  const count = isa.elements.length - 1;
  if (count !== 16) {
    sink.at(isa, 'error', 'isa-elements', `ISA has ${count} elements; it must have 16`, { loop: 'ISA' });
  }
  for (let i = 0; i < ISA_WIDTHS.length && i < count; i++) {
    const width = ISA_WIDTHS[i] ?? 0;
    if (element(isa, i + 1).length !== width) {
      sink.at(isa, 'error', 'isa-width', `${position('ISA', i + 1)} must be exactly ${width} characters`, {
        loop: 'ISA',
        element: position('ISA', i + 1),
      });
    }
  }
  const h: InterchangeHeader = {
    isa,
    delimiters: isa.delimiters,
    senderQualifier: element(isa, 5).trim(),
    senderId: element(isa, 6).trim(),
    receiverQualifier: element(isa, 7).trim(),
    receiverId: element(isa, 8).trim(),
    date: element(isa, 9),
    time: element(isa, 10),
    version: element(isa, 12),
    controlNumber: element(isa, 13),
    ackRequested: element(isa, 14),
    usage: element(isa, 15),
  };
  if (!isValidD6(h.date))
    sink.at(isa, 'error', 'isa-date', 'ISA09 is not a valid YYMMDD date', { loop: 'ISA', element: 'ISA09' });
  if (!isValidTime(h.time) || h.time.length !== 4) {
    sink.at(isa, 'error', 'isa-time', 'ISA10 is not a valid HHMM time', { loop: 'ISA', element: 'ISA10' });
  }
  if (!/^\d{9}$/.test(h.controlNumber)) {
    sink.at(isa, 'error', 'isa-control-number', 'ISA13 must be 9 digits', { loop: 'ISA', element: 'ISA13' });
  }
  if (h.version !== '00501') {
    sink.at(isa, 'warning', 'isa-version', 'ISA12 is not 00501 (5010)', { loop: 'ISA', element: 'ISA12' });
  }
  if (h.ackRequested !== '0' && h.ackRequested !== '1') {
    sink.at(isa, 'error', 'isa-ack-requested', 'ISA14 must be 0 or 1', { loop: 'ISA', element: 'ISA14' });
  }
  if (h.usage !== 'P' && h.usage !== 'T') {
    sink.at(isa, 'error', 'isa-usage', 'ISA15 must be P or T', { loop: 'ISA', element: 'ISA15' });
  }
  return h;
}

function groupHeader(gs: Segment, sink: DiagnosticSink): GroupHeader {
  const h: GroupHeader = {
    gs,
    functionalId: element(gs, 1),
    senderCode: element(gs, 2),
    receiverCode: element(gs, 3),
    date: element(gs, 4),
    time: element(gs, 5),
    controlNumber: element(gs, 6),
    agency: element(gs, 7),
    version: element(gs, 8),
  };
  const required: readonly [number, string][] = [
    [1, 'GS01 functional identifier code'],
    [2, 'GS02 application sender code'],
    [3, 'GS03 application receiver code'],
    [4, 'GS04 date'],
    [5, 'GS05 time'],
    [6, 'GS06 group control number'],
    [7, 'GS07 responsible agency code'],
    [8, 'GS08 version identifier'],
  ];
  for (const [n, what] of required) {
    if (element(gs, n) === '') {
      sink.at(gs, 'error', 'gs-required', `${what} is missing`, { loop: 'GS', element: position('GS', n) });
    }
  }
  if (h.date !== '' && !isValidD8(h.date)) {
    sink.at(gs, 'error', 'gs-date', 'GS04 is not a valid CCYYMMDD date', { loop: 'GS', element: 'GS04' });
  }
  if (h.time !== '' && !isValidTime(h.time)) {
    sink.at(gs, 'error', 'gs-time', 'GS05 is not a valid time', { loop: 'GS', element: 'GS05' });
  }
  if (h.controlNumber !== '' && !/^\d{1,9}$/.test(h.controlNumber)) {
    sink.at(gs, 'error', 'gs-control-number', 'GS06 must be 1-9 digits', { loop: 'GS', element: 'GS06' });
  }
  return h;
}

function sameControlNumber(a: string, b: string): boolean {
  // Control numbers are numeric; leading zeros may differ between header and trailer only in sloppy senders,
  // but X12 compares them as values (N0).
  return a === b || (/^\d+$/.test(a) && /^\d+$/.test(b) && BigInt(a) === BigInt(b));
}

/** Options for {@link EnvelopeReader}. */
export interface EnvelopeReaderOptions {
  /**
   * Called with each segment between ST and SE as it arrives (and the ST it belongs to), so a typed reader can
   * consume a transaction set without it being held in memory.
   */
  readonly onSegment?: (seg: Segment, st: Segment) => void;
  /**
   * Keep the segments of each transaction set in `TransactionSet.segments` (default true). Streaming consumers
   * that read segments through `onSegment` pass false: the set is then emitted with `segments: []`, and its
   * envelope checks (SE01 count, control numbers) are unchanged.
   */
  readonly retainSegments?: boolean;
}

/**
 * Incremental envelope reader: feed it segments in order; it emits complete transaction sets (with their ISA/GS
 * context) and checks the envelope: ISA shape, IEA/GE/SE counts and control numbers, missing trailers, segments
 * outside a transaction set. Holds only the current transaction set in memory, so it streams.
 */
export class EnvelopeReader {
  private interchange: InterchangeHeader | undefined;
  private interchangeSink = new DiagnosticSink();
  private groupCount = 0;
  private group: GroupHeader | undefined;
  private transactionCount = 0;
  private st: Segment | undefined;
  private body: Segment[] = [];
  private bodyCount = 0;
  private txSink = new DiagnosticSink();
  private readonly retain: boolean;
  private readonly onSegment: ((seg: Segment, st: Segment) => void) | undefined;
  /** Findings not tied to a transaction set or interchange (segments outside any envelope). */
  readonly diagnostics: DiagnosticSink;

  constructor(diagnostics: DiagnosticSink = new DiagnosticSink(), options: EnvelopeReaderOptions = {}) {
    this.diagnostics = diagnostics;
    this.retain = options.retainSegments ?? true;
    this.onSegment = options.onSegment;
  }

  accept(seg: Segment): EnvelopeEvent[] {
    const out: EnvelopeEvent[] = [];
    switch (seg.id) {
      case 'ISA':
        this.closeInterchange(undefined, out, seg);
        this.interchangeSink = new DiagnosticSink();
        this.interchange = interchangeHeader(seg, this.interchangeSink);
        this.groupCount = 0;
        out.push({ kind: 'interchange-start', header: this.interchange });
        return out;
      case 'IEA':
        if (this.interchange === undefined) {
          this.diagnostics.at(seg, 'error', 'iea-without-isa', 'IEA without a matching ISA', { loop: 'ISA' });
          return out;
        }
        this.closeInterchange(seg, out, undefined);
        return out;
      case 'GS':
        if (this.interchange === undefined) {
          this.diagnostics.at(seg, 'error', 'gs-outside-interchange', 'GS outside an ISA/IEA interchange', {
            loop: 'GS',
          });
          return out;
        }
        this.closeGroup(undefined, out, seg);
        this.group = groupHeader(seg, this.interchangeSink);
        this.groupCount++;
        this.transactionCount = 0;
        out.push({ kind: 'group-start', header: this.group });
        return out;
      case 'GE':
        if (this.group === undefined) {
          this.sinkFor().at(seg, 'error', 'ge-without-gs', 'GE without a matching GS', { loop: 'GS' });
          return out;
        }
        this.closeGroup(seg, out, undefined);
        return out;
      case 'ST':
        if (this.group === undefined) {
          this.sinkFor().at(seg, 'error', 'st-outside-group', 'ST outside a GS/GE functional group', {
            loop: 'ST',
          });
        }
        this.closeTransaction(undefined, out, seg);
        this.st = seg;
        this.body = [];
        this.bodyCount = 0;
        this.txSink = new DiagnosticSink();
        this.transactionCount++;
        return out;
      case 'SE':
        if (this.st === undefined) {
          this.sinkFor().at(seg, 'error', 'se-without-st', 'SE without a matching ST', { loop: 'ST' });
          return out;
        }
        this.closeTransaction(seg, out, undefined);
        return out;
      default:
        if (this.st === undefined) {
          this.sinkFor().at(
            seg,
            'error',
            'segment-outside-transaction',
            `${seg.id} segment outside an ST/SE transaction set`,
            {
              ik304: '2',
            },
          );
          return out;
        }
        if (this.retain) this.body.push(seg);
        this.bodyCount++;
        if (this.onSegment !== undefined) this.onSegment(seg, this.st);
        return out;
    }
  }

  /** The open set's implementation reference as its transaction will carry it: ST03, or GS08 when absent. */
  implementationOf(st: Segment): string {
    return element(st, 3) || (this.group?.version ?? '');
  }

  /**
   * For readers that consume the body segments of a transaction set themselves (as views, without `Segment`
   * objects): counts one body segment of the open set and returns the set's ST. Returns undefined, counting
   * nothing, when no set is open or segments are retained; then pass the segment to {@link accept}, which
   * reports or keeps it.
   */
  acceptBody(): Segment | undefined {
    if (this.st === undefined || this.retain) return undefined;
    this.bodyCount++;
    return this.st;
  }

  /** Call at end of input: reports missing trailers and flushes what is open. */
  finish(): EnvelopeEvent[] {
    const out: EnvelopeEvent[] = [];
    this.closeInterchange(undefined, out, undefined);
    return out;
  }

  private sinkFor(): DiagnosticSink {
    return this.interchange === undefined ? this.diagnostics : this.interchangeSink;
  }

  private closeTransaction(
    se: Segment | undefined,
    out: EnvelopeEvent[],
    interruptedBy: Segment | undefined,
  ): void {
    const st = this.st;
    if (st === undefined) return;
    const sink = this.txSink;
    const control = element(st, 2);
    if (se === undefined) {
      sink.at(interruptedBy ?? st, 'error', 'se-missing', 'transaction set has no SE trailer', {
        loop: 'ST',
        ik304: '3',
      });
    } else {
      const declared = element(se, 1);
      const actual = this.bodyCount + 2;
      if (!/^\d+$/.test(declared) || Number(declared) !== actual) {
        sink.at(
          se,
          'error',
          'se-count',
          `SE01 says ${declared || '(empty)'} segments; the transaction set has ${actual}`,
          {
            loop: 'ST',
            element: 'SE01',
          },
        );
      }
      if (!sameControlNumber(element(se, 2), control)) {
        sink.at(se, 'error', 'se-control-number', 'SE02 does not match ST02', {
          loop: 'ST',
          element: 'SE02',
        });
      }
    }
    if (!/^[0-9]{4,9}$/.test(control)) {
      sink.at(st, 'error', 'st-control-number', 'ST02 must be 4-9 digits', { loop: 'ST', element: 'ST02' });
    }
    const group = this.group ?? placeholderGroup(st);
    const interchange = this.interchange ?? placeholderInterchange(st);
    const implementation = element(st, 3) || group.version;
    out.push({
      kind: 'transaction',
      transaction: {
        interchange,
        group,
        st,
        segments: this.body,
        se,
        transactionType: element(st, 1),
        controlNumber: control,
        implementation,
        diagnostics: sink.items,
      },
    });
    this.st = undefined;
    this.body = [];
    this.bodyCount = 0;
  }

  private closeGroup(
    ge: Segment | undefined,
    out: EnvelopeEvent[],
    interruptedBy: Segment | undefined,
  ): void {
    this.closeTransaction(undefined, out, interruptedBy ?? ge);
    const group = this.group;
    if (group === undefined) return;
    const sink = this.interchangeSink;
    if (ge === undefined) {
      sink.at(interruptedBy ?? group.gs, 'error', 'ge-missing', 'functional group has no GE trailer', {
        loop: 'GS',
      });
    } else {
      const declared = element(ge, 1);
      if (!/^\d+$/.test(declared) || Number(declared) !== this.transactionCount) {
        sink.at(
          ge,
          'error',
          'ge-count',
          `GE01 says ${declared || '(empty)'} transaction sets; the group has ${this.transactionCount}`,
          {
            loop: 'GS',
            element: 'GE01',
          },
        );
      }
      if (!sameControlNumber(element(ge, 2), group.controlNumber)) {
        sink.at(ge, 'error', 'ge-control-number', 'GE02 does not match GS06', {
          loop: 'GS',
          element: 'GE02',
        });
      }
    }
    out.push({ kind: 'group-end', header: group, ge, transactionCount: this.transactionCount });
    this.group = undefined;
  }

  private closeInterchange(
    iea: Segment | undefined,
    out: EnvelopeEvent[],
    interruptedBy: Segment | undefined,
  ): void {
    this.closeGroup(undefined, out, interruptedBy ?? iea);
    const h = this.interchange;
    if (h === undefined) return;
    const sink = this.interchangeSink;
    if (iea === undefined) {
      sink.at(interruptedBy ?? h.isa, 'error', 'iea-missing', 'interchange has no IEA trailer', {
        loop: 'ISA',
      });
    } else {
      const declared = element(iea, 1);
      if (!/^\d+$/.test(declared) || Number(declared) !== this.groupCount) {
        sink.at(
          iea,
          'error',
          'iea-count',
          `IEA01 says ${declared || '(empty)'} functional groups; the interchange has ${this.groupCount}`,
          {
            loop: 'ISA',
            element: 'IEA01',
          },
        );
      }
      if (element(iea, 2) !== h.controlNumber) {
        sink.at(iea, 'error', 'iea-control-number', 'IEA02 does not match ISA13', {
          loop: 'ISA',
          element: 'IEA02',
        });
      }
    }
    out.push({
      kind: 'interchange-end',
      header: h,
      iea,
      groupCount: this.groupCount,
      diagnostics: sink.items,
    });
    this.interchange = undefined;
  }
}

function placeholderInterchange(seg: Segment): InterchangeHeader {
  return {
    isa: seg,
    delimiters: seg.delimiters,
    senderQualifier: '',
    senderId: '',
    receiverQualifier: '',
    receiverId: '',
    date: '',
    time: '',
    version: '',
    controlNumber: '',
    ackRequested: '',
    usage: '',
  };
}

function placeholderGroup(seg: Segment): GroupHeader {
  return {
    gs: seg,
    functionalId: '',
    senderCode: '',
    receiverCode: '',
    date: '',
    time: '',
    controlNumber: '',
    agency: '',
    version: '',
  };
}
