import { isAscii } from 'node:buffer';
import type { ExternalCodeLists } from '../core/codelists.ts';
import {
  DiagnosticSink,
  type Diagnostic,
  type Ik304Code,
  type Ik403Code,
  type SegmentLocation,
} from '../core/diagnostics.ts';
import { EnvelopeReader, type EnvelopeEvent, type TransactionSet } from '../core/envelope.ts';
import { checkView, compileLayout, type CompiledLayout } from '../core/check.ts';
import { Scanner, type SegmentHandler } from '../core/scan.ts';
import type { Segment } from '../core/segment.ts';
import type { ChunkSource } from '../core/tokenizer.ts';
import { idOf, SegmentView, type Interner } from '../core/view.ts';
import { add, HotReads, NONE, procedureAt, SharedTables } from './hot.ts';
import * as L from './layouts.ts';
import type {
  Address,
  Adjustment,
  AdjustmentItem,
  AmountReference,
  ClaimPayment,
  Contact,
  DateReference,
  FinancialInformation,
  HeaderNumber,
  Name,
  OutpatientAdjudication,
  Party,
  Procedure,
  ProviderAdjustment,
  ProviderAdjustmentItem,
  QuantityReference,
  RawSegment,
  Reference,
  Remark,
  Remittance835,
  Remittance835Header,
  ServicePayment,
  SourceLocation,
  Trace,
} from './types.ts';

/** Options for {@link read835}. */
export interface Read835Options {
  /** External code lists (CARC, RARC) to check codes against; unchecked when absent. */
  readonly codeLists?: ExternalCodeLists;
  /**
   * Check element layouts, code lists and money balancing (default true). With false only structure is read
   * (required segments, amounts, dates), which is faster for bulk re-reads of files already validated.
   */
  readonly validate?: boolean;
}

/** What a reader returns: whatever could be read, plus located diagnostics. Readers never throw on input. */
export interface ReadResult<T> {
  readonly value: T;
  readonly diagnostics: Diagnostic[];
}

/** One claim payment handed over by {@link stream835Claims} as soon as its loop is complete. */
export interface Claim835Item {
  readonly kind: 'claim';
  /** Loop 2100 with its 2110 service lines, read and checked exactly as {@link stream835} reads it. */
  readonly claim: ClaimPayment;
  /** Its 2000 header number loop (LX, TS3, TS2); `claims` stays empty in a claim stream. */
  readonly header: HeaderNumber;
  /** The transaction set's header table, payer and payee (one object for every claim of the set). */
  readonly remittance: Remittance835Header;
  /**
   * Findings located in the claim's segments (layout, codes, amounts, `balance-line`, `balance-claim`), in
   * input order; the same objects are listed again, with the rest of the set's, at the end of the set.
   */
  readonly diagnostics: readonly Diagnostic[];
}

/** The end of a transaction set in {@link stream835Claims}, after its last claim item. */
export interface Set835Item {
  readonly kind: 'set';
  /** The whole set except its claims (`headers[].claims` are empty: the claim items carried them). */
  readonly value: Remittance835;
  /** How many claim items the set had. */
  readonly claims: number;
  /** Every finding of the set, its claims' included, in input order: what {@link stream835} reports for it. */
  readonly diagnostics: Diagnostic[];
}

export type Item835 = Claim835Item | Set835Item;

type Loop = 'HEADER' | '1000A' | '1000B' | '2000' | '2100' | '2110' | 'SUMMARY';

/** Mutable view of a typed object while it is being read (arrays become plain arrays). */
type Building<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K] };

/** 2100 NM101 entity → the ClaimPayment field that holds that name. */
const NAME_SLOTS = {
  QC: 'patient',
  IL: 'insured',
  '74': 'correctedPatient',
  '82': 'renderingProvider',
  TT: 'crossoverCarrier',
  PR: 'correctedPriorityPayer',
  GB: 'otherSubscriber',
} as const;

/**
 * An empty list made to hold objects from the start. A new `[]` holds small integers until its first push, and
 * the reader's optimized push of a claim into the list of a new input deoptimized the reader (once per input).
 */
function objectList<T extends object>(): T[] {
  const list: object[] = [{}];
  list.length = 0;
  return list as T[];
}

/** Fills the reused CAS item list between segments so it keeps no claim's item alive. */
const NO_ITEM: AdjustmentItem = Object.freeze({ reason: '', amount: 0 });

const loc = (seg: SegmentView): SourceLocation => ({ segmentIndex: seg.index, line: seg.line });
const raw = (seg: SegmentView): RawSegment => ({ elements: seg.elements() });
/** A copy of where a view is, for findings raised after the reader has moved on. */
const at = (seg: SegmentView): SegmentLocation => ({
  id: seg.id,
  index: seg.index,
  line: seg.line,
  offset: seg.offset,
});

/** Segment ids as {@link idOf} packs them, for the dispatch `switch`. */
const SVC = idOf('SVC');
const DTM = idOf('DTM');
const CAS = idOf('CAS');
const REF = idOf('REF');
const AMT = idOf('AMT');
const CLP = idOf('CLP');
const NM1 = idOf('NM1');
const LQ = idOf('LQ');
const QTY = idOf('QTY');
const MOA = idOf('MOA');
const MIA = idOf('MIA');
const PER = idOf('PER');
const LX = idOf('LX');
const TS3 = idOf('TS3');
const TS2 = idOf('TS2');
const PLB = idOf('PLB');
const N1 = idOf('N1');
const N3 = idOf('N3');
const N4 = idOf('N4');
const BPR = idOf('BPR');
const TRN = idOf('TRN');
const CUR = idOf('CUR');
const RDM = idOf('RDM');
/** MIA05, MIA20..MIA23: claim payment remark codes (RARC). */
const MIA_REMARKS = [5, 20, 21, 22, 23] as const;
const ISA = idOf('ISA');
const IEA = idOf('IEA');
const GS = idOf('GS');
const GE = idOf('GE');
const ST = idOf('ST');
const SE = idOf('SE');

/** Every layout the reader checks, compiled once for `checkView`. */
const CHECK = {
  BPR: compileLayout(L.BPR),
  TRN: compileLayout(L.TRN),
  CUR: compileLayout(L.CUR),
  HEADER_REF: compileLayout(L.HEADER_REF),
  PAYER_REF: compileLayout(L.PAYER_REF),
  PAYEE_REF: compileLayout(L.PAYEE_REF),
  CLAIM_REF: compileLayout(L.CLAIM_REF),
  SERVICE_REF: compileLayout(L.SERVICE_REF),
  PRODUCTION_DTM: compileLayout(L.PRODUCTION_DTM),
  CLAIM_DTM: compileLayout(L.CLAIM_DTM),
  SERVICE_DTM: compileLayout(L.SERVICE_DTM),
  PAYER_N1: compileLayout(L.PAYER_N1),
  PAYEE_N1: compileLayout(L.PAYEE_N1),
  N3: compileLayout(L.N3),
  N4: compileLayout(L.N4),
  PAYER_PER: compileLayout(L.PAYER_PER),
  CLAIM_PER: compileLayout(L.CLAIM_PER),
  LX: compileLayout(L.LX),
  CLP: compileLayout(L.CLP),
  CAS: compileLayout(L.CAS),
  CLAIM_NM1: compileLayout(L.CLAIM_NM1),
  MOA: compileLayout(L.MOA),
  SERVICE_AMT: compileLayout(L.SERVICE_AMT),
  CLAIM_AMT: compileLayout(L.CLAIM_AMT),
  SERVICE_QTY: compileLayout(L.SERVICE_QTY),
  CLAIM_QTY: compileLayout(L.CLAIM_QTY),
  SVC: compileLayout(L.SVC),
  LQ: compileLayout(L.LQ),
  PLB: compileLayout(L.PLB),
} as const;

function emptyParty(entity: string): Building<Party> {
  return { entity, name: '', references: NONE, contacts: NONE };
}

/**
 * Reads one 835 transaction set into the typed model. Structure follows the TR3 loops: header (BPR, TRN, CUR,
 * REF, DTM*405), 1000A payer, 1000B payee, 2000 LX/TS3/TS2, 2100 CLP and its segments, 2110 SVC and its
 * segments, summary PLB. Checks (as diagnostics): required segments, element layouts and internal code lists,
 * CARC/RARC when given, and the three balancing rules (`balance-line`, `balance-claim`, `balance-payment`).
 */
export function read835(tx: TransactionSet, options: Read835Options = {}): ReadResult<Remittance835> {
  return readSet(tx, options, true);
}

/**
 * @internal {@link read835} with or without the fused reads of the hot segments (`fused` false: the generic
 * checks and conversions for every segment), for the differential tests in hot.test.ts.
 */
export function readSet(
  tx: TransactionSet,
  options: Read835Options,
  fused: boolean,
): ReadResult<Remittance835> {
  const reader = new Reader835(tx.st, options, new SharedTables(), undefined, fused);
  const view = new SegmentView();
  for (const seg of tx.segments) {
    view.setSegment(seg);
    reader.push(view);
  }
  return reader.result(tx);
}

/**
 * Scanner → envelope → typed reader, segment by segment: the reader takes each segment as a view into the
 * text (no element arrays or element strings), envelope segments become `Segment`s for the envelope reader,
 * and a transaction set's segments are never collected, so memory holds typed objects only.
 */
class Driver835 implements SegmentHandler {
  private readonly scanner: Scanner;
  private readonly envelope: EnvelopeReader;
  private reader: Reader835 | undefined;
  private readerSt: Segment | undefined;
  /** Typed 835s completed so far (whole sets); the caller drains it. */
  results: ReadResult<Remittance835>[] = [];
  /** Claims and set ends completed so far, in claim mode; the caller drains it. */
  items: Item835[] = objectList<Item835>();
  /** Date and code strings shared by the transaction sets of one input. */
  private readonly shared = new SharedTables();
  /** This driver in claim mode (where the readers hand each claim over), else undefined. */
  private readonly claimTaker: Driver835 | undefined;
  private ending = false;
  private finished = false;

  constructor(
    private readonly options: Read835Options,
    private readonly sink: DiagnosticSink,
    claimMode = false,
  ) {
    this.scanner = new Scanner(sink, this);
    this.envelope = new EnvelopeReader(sink, { retainSegments: false });
    this.claimTaker = claimMode ? this : undefined;
  }

  /**
   * @internal Takes a complete claim from the reader (claim mode). A method rather than a closure per driver:
   * the same call target for every input, so optimized readers stay valid from one input to the next.
   */
  takeClaim(item: Claim835Item): void {
    // Hand a few claims over at a time rather than all those of a decoded piece (hundreds), so that a claim's
    // objects are dropped before the next scavenge instead of being copied and promoted.
    if (this.items.push(item) >= CLAIMS_PER_BATCH) this.scanner.pause();
  }

  /** Whether the scanner stopped to let the caller take the items so far; {@link resume} goes on. */
  get paused(): boolean {
    return this.scanner.paused;
  }

  resume(): void {
    this.scanner.resume();
    this.finishIfEnded();
  }

  private newReader(st: Segment): Reader835 {
    const reader = new Reader835(st, this.options, this.shared, this.claimTaker);
    reader.implementation = this.envelope.implementationOf(st);
    return reader;
  }

  /** Adds text; `ascii` as for {@link Scanner.push}. */
  push(text: string, ascii?: Uint8Array): void {
    this.scanner.push(text, ascii);
  }

  end(): void {
    this.ending = true;
    this.scanner.end();
    this.finishIfEnded();
  }

  private finishIfEnded(): void {
    if (!this.ending || this.finished || this.scanner.paused) return;
    this.finished = true;
    this.handle(this.envelope.finish());
  }

  /** @internal Receives the scanner's segments. */
  segment(v: SegmentView): void {
    switch (v.idCode) {
      case ISA:
      case IEA:
      case GS:
      case GE:
      case ST:
      case SE:
        this.handle(this.envelope.accept(v.toSegment()));
        return;
    }
    const st = this.envelope.acceptBody();
    if (st === undefined) {
      // Outside a transaction set: the envelope reader reports it.
      this.handle(this.envelope.accept(v.toSegment()));
      return;
    }
    if (st !== this.readerSt) {
      this.readerSt = st;
      this.reader = st.elements[1] === '835' ? this.newReader(st) : undefined;
    }
    this.reader?.push(v);
  }

  private handle(events: readonly EnvelopeEvent[]): void {
    for (const e of events) {
      if (e.kind === 'transaction') {
        const tx = e.transaction;
        if (tx.transactionType === '835') {
          const reader =
            this.reader !== undefined && this.readerSt === tx.st ? this.reader : this.newReader(tx.st);
          const r = reader.result(tx);
          if (this.claimTaker === undefined) this.results.push(r);
          else
            this.items.push({
              kind: 'set',
              value: r.value,
              claims: reader.claimCount,
              diagnostics: r.diagnostics,
            });
        }
        this.reader = undefined;
        this.readerSt = undefined;
      } else if (e.kind === 'interchange-end') {
        for (const d of e.diagnostics) this.sink.add(d);
      }
    }
  }
}

/**
 * Parses X12 text and reads every 835 transaction set in it, each segment as it is tokenized (no token array
 * is kept). Tokenizer and envelope findings are included, in input order.
 */
export function parse835(text: string, options: Read835Options = {}): ReadResult<Remittance835[]> {
  const sink = new DiagnosticSink();
  const driver = new Driver835(options, sink);
  driver.push(text);
  driver.end();
  const value: Remittance835[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const r of driver.results) {
    value.push(r.value);
    for (const d of r.diagnostics) diagnostics.push(d);
  }
  for (const d of sink.items) diagnostics.push(d);
  diagnostics.sort((a, b) => (a.segmentIndex ?? -1) - (b.segmentIndex ?? -1));
  return { value, diagnostics };
}

/**
 * Streams 835s out of a chunked source (a Node readable, an async iterable of strings or bytes): memory is
 * bounded by the largest transaction set's typed object, not the file. Each item carries its own diagnostics;
 * tokenizer and interchange findings go to `sink`.
 */
export async function* stream835(
  source: ChunkSource,
  options: Read835Options = {},
  sink: DiagnosticSink = new DiagnosticSink(),
): AsyncGenerator<ReadResult<Remittance835>> {
  const driver = new Driver835(options, sink);
  for await (const _ of feed(driver, source, BATCH)) {
    // One set at a time, and none left in this generator's frame while the next set is read: a set is megabytes
    // (`const out = driver.results; yield* out` kept the last batch alive through the next read: +15 MB peak RSS
    // on a 200 MB file).
    let r = driver.results.shift();
    while (r !== undefined) {
      yield r;
      r = driver.results.shift();
    }
  }
}

/**
 * Streams the claims of 835s out of a chunked source, each claim handed over as soon as its loop (2100 with its
 * 2110 lines) is complete, with its set's header data; a `set` item follows the last claim of each transaction
 * set with the rest of the set (PLB, ...) and all its diagnostics. The claims are read and checked exactly as
 * {@link stream835} reads them (the same typed objects, the same findings), but no transaction set's claims are
 * kept together, so memory holds one claim at a time and the typed objects die young. Items come in batches:
 * those completed by each piece of input, in order.
 */
export async function* stream835Claims(
  source: ChunkSource,
  options: Read835Options = {},
  sink: DiagnosticSink = new DiagnosticSink(),
): AsyncGenerator<readonly Item835[]> {
  const driver = new Driver835(options, sink, true);
  for await (const _ of feed(driver, source, CLAIM_BATCH)) {
    if (driver.items.length === 0) continue;
    // A copy, and the driver's list emptied in place: a new `[]` each time starts as a list of small integers,
    // and the optimized push of a claim into it deoptimized the reader (once per input).
    const out = driver.items.slice();
    driver.items.length = 0;
    yield out;
  }
}

/**
 * Pushes a chunked source through a driver, yielding after each piece of text and once after the end. Bytes are
 * decoded in pieces of `batch` bytes (a larger chunk is cut, smaller ones are gathered; the last piece may be
 * shorter). {@link stream835} keeps whole transaction sets and decodes {@link BATCH}; {@link stream835Claims}, whose
 * claims die young, decodes {@link CLAIM_BATCH}.
 */
async function* feed(driver: Driver835, source: ChunkSource, batch: number): AsyncGenerator<void> {
  const decoder = new Utf8Pieces();
  const pending = objectList<Uint8Array>();
  let pendingBytes = 0;
  const decodePending = (): string => {
    const bytes = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
    pending.length = 0;
    pendingBytes = 0;
    return decoder.decode(bytes);
  };
  for await (const chunk of source) {
    if (typeof chunk === 'string') {
      if (pendingBytes > 0) {
        driver.push(decodePending(), decoder.ascii);
        for (; driver.paused; driver.resume()) yield;
      }
      if (chunk.length > 0) driver.push(chunk);
      for (; driver.paused; driver.resume()) yield;
    } else {
      for (let at = 0; at < chunk.length;) {
        const take = Math.min(chunk.length - at, batch - pendingBytes);
        pending.push(take === chunk.length ? chunk : chunk.subarray(at, at + take));
        pendingBytes += take;
        at += take;
        if (pendingBytes < batch) break;
        driver.push(decodePending(), decoder.ascii);
        for (; driver.paused; driver.resume()) yield;
      }
    }
    yield;
  }
  if (pendingBytes > 0) driver.push(decodePending(), decoder.ascii);
  for (; driver.paused; driver.resume()) yield;
  const rest = decoder.end();
  if (rest.length > 0) driver.push(rest);
  for (; driver.paused; driver.resume()) yield;
  driver.end();
  for (; driver.paused; driver.resume()) yield;
  yield;
}

/**
 * UTF-8 bytes to text piece by piece, as `TextDecoder` in stream mode decodes them (a character split between
 * pieces is completed by the next, invalid bytes become U+FFFD, a BOM at the start is dropped; property-tested
 * equal), through `Buffer#toString`, which decodes about twice as fast here.
 */
export class Utf8Pieces {
  private carry: Buffer | undefined;
  private started = false;
  /**
   * The bytes of the last piece {@link decode} returned when they were all ASCII (one byte per character of its
   * text, for {@link Scanner.push}), else undefined.
   */
  ascii: Uint8Array | undefined;

  /** The text of `bytes` (after the bytes carried from the previous piece), less an incomplete last character. */
  decode(bytes: Uint8Array): string {
    const all =
      this.carry === undefined || this.carry.length === 0
        ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
        : Buffer.concat([this.carry, bytes]);
    const cut = incompleteTail(all);
    // A copy, so the carried bytes do not keep the whole piece alive.
    this.carry = cut === all.length ? undefined : Buffer.from(all.subarray(cut));
    // All ASCII: no carry, no BOM, and the text has one character per byte.
    this.ascii = isAscii(all) ? all : undefined;
    return this.startText(all.toString('utf8', 0, cut));
  }

  /** What is left at the end of input (an incomplete character becomes U+FFFD). */
  end(): string {
    const rest = this.carry === undefined ? '' : this.carry.toString('utf8');
    this.carry = undefined;
    this.ascii = undefined;
    return this.startText(rest);
  }

  private startText(text: string): string {
    if (this.started || text.length === 0) return text;
    this.started = true;
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }
}

/** Where an incomplete UTF-8 sequence at the end of `b` begins (`b.length` when there is none). */
function incompleteTail(b: Uint8Array): number {
  const n = b.length;
  for (let i = n - 1; i >= 0 && i >= n - 3; i--) {
    const c = b[i]!;
    if ((c & 0xc0) === 0x80) continue; // a continuation byte: look for its lead
    if (c < 0xc0) return n; // ASCII: complete
    const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
    return n - i < need ? i : n;
  }
  return n;
}

/**
 * Claims handed over at once by {@link stream835Claims} (see Driver835). 48 rather than 16 (session 5): a third of
 * the pauses and async hand-overs, the same peak RSS on 1 GB (118 and 119 MB), and less CPU in three alternating
 * comparisons of 24–40 runs each on a noisy machine: median 1,339 → 1,330, 1,274 → 1,200 and 1,325 → 1,284 ms; first
 * quartile 1,286 → 1,154, 1,217 → 1,165 and 1,222 → 1,166 ms.
 */
const CLAIMS_PER_BATCH = 48;

/**
 * Bytes decoded at once by {@link stream835}: a string that large is allocated outside V8's young generation, so
 * the text the typed objects of a whole transaction set point into is never copied by the scavenger (64 KiB file
 * chunks decoded one by one were, while their set was being read).
 */
const BATCH = 256 * 1024;

/**
 * Bytes decoded at once by {@link stream835Claims}, whose claims die young, so nothing gains from a large piece.
 * Measured in session 6 (AMD EPYC family 26, Node 20), not explained: decoding a 51 MB file's chunks with
 * `Buffer#toString` took 6–16 ms in pieces of 64 KiB, against 29–45 ms in pieces of 100,000 bytes to 256 KiB; and
 * in four alternating pairs of children over the bench file the claim stream's median CPU per run fell 521 → 438,
 * 480 → 441, 504 → 411 and 489 → 416 ms with this size instead of {@link BATCH}.
 */
const CLAIM_BATCH = 64 * 1024;

class Reader835 {
  private readonly sink = new DiagnosticSink();
  private readonly validate: boolean;
  private readonly carc: ReadonlySet<string> | undefined;
  private readonly rarc: ReadonlySet<string> | undefined;

  private loop: Loop = 'HEADER';
  private payment: Building<FinancialInformation> | undefined;
  private bprSeg: SegmentLocation | undefined;
  private trace: Trace | undefined;
  private currency: Remittance835['currency'];
  private readonly references: Reference[] = [];
  private productionDate: string | undefined;
  private payer: Building<Party> | undefined;
  private payee: Building<Party> | undefined;
  private party: Building<Party> | undefined;
  private readonly headers: Building<HeaderNumber>[] = [];
  private header: Building<HeaderNumber> | undefined;
  private claim: Building<ClaimPayment> | undefined;
  /** Index, line and offset of the open claim's CLP (index -1: none), for its balancing finding. */
  private claimIndex = -1;
  private claimLine = 0;
  private claimOffset = 0;
  private claimMoneyOk = true;
  /** Σ of the CAS amounts of the open claim and its lines (its balancing sum, kept as the CAS are read). */
  private claimAdjusted = 0;
  private line: Building<ServicePayment> | undefined;
  /** Index, line and offset of the open service line's SVC (index -1: none). */
  private lineIndex = -1;
  private lineLine = 0;
  private lineOffset = 0;
  private lineMoneyOk = true;
  /** Σ of the CAS amounts of the open service line. */
  private lineAdjusted = 0;
  private readonly plbs: ProviderAdjustment[] = [];
  private readonly other: RawSegment[] = [];
  private paidTotal = 0;
  private moneyOk = true;

  private first: SegmentLocation | undefined;
  /** Where the last segment read was (index, line, offset), for findings raised at the end. */
  private lastIndex = -1;
  private lastLine = 0;
  private lastOffset = 0;
  /** ISO dates and short codes shared by the sets of one input. */
  private readonly shared: SharedTables;
  /** Shared strings of the short codes. */
  private readonly codes: Interner;
  /**
   * Checks and conversions in one pass for the usual shapes of the hot segments (see {@link HotReads}), when
   * {@link fused}; its fields also carry the generic reads of SVC and CLP.
   */
  private readonly hot: HotReads;
  private readonly fused: boolean;
  /** Reused list for the items of one CAS. */
  private readonly scratch: AdjustmentItem[] = [];
  /** Set after BPR: the next segment must be the TRN (835 TR3 header). */
  private expectTrn = false;
  /** Claims read so far. */
  claimCount = 0;
  /** ST03 or GS08, for the header data of claim mode (the set's `implementation` when it ends). */
  implementation = '';
  /** Where the open claim's findings begin in the sink (claim mode). */
  private claimFindings = 0;
  /** The header data handed over with each claim (claim mode), made at the first claim. */
  private head: Remittance835Header | undefined;

  constructor(
    private readonly st: Segment,
    options: Read835Options,
    shared: SharedTables = new SharedTables(),
    /** When given, each claim goes here as soon as it is complete instead of into its header's `claims`. */
    private readonly claimTaker?: Driver835,
    /** False only in tests: the generic checks and conversions for every segment (hot.test.ts compares). */
    fused = true,
  ) {
    this.shared = shared;
    this.codes = shared.codes;
    this.hot = new HotReads(shared);
    this.fused = fused;
    this.validate = options.validate ?? true;
    this.carc = options.codeLists?.carc;
    this.rarc = options.codeLists?.rarc;
  }

  /** Reads the next segment of the transaction set (in order, ST and SE excluded). */
  push(seg: SegmentView): void {
    if (this.first === undefined) this.first = at(seg);
    if (this.expectTrn) {
      this.expectTrn = false;
      // Reported where the TRN should have been.
      if (seg.id !== 'TRN') this.missing('TRN', seg, undefined, 'reassociation trace number');
    }
    this.segment(seg);
    this.lastIndex = seg.index;
    this.lastLine = seg.line;
    this.lastOffset = seg.offset;
  }

  /** Closes the open loops, runs the transaction-level checks and returns the typed 835. */
  result(tx: TransactionSet): ReadResult<Remittance835> {
    if (this.expectTrn) {
      this.expectTrn = false;
      this.missing('TRN', tx.se ?? this.bprSeg, undefined, 'reassociation trace number');
    }
    this.closeClaim();
    this.finish();
    const diagnostics: Diagnostic[] = [...tx.diagnostics];
    for (const d of this.sink.items) diagnostics.push(this.positioned(d));
    const value: Remittance835 = {
      ...this.headerData(tx.controlNumber, tx.implementation),
      headers: this.headers,
      providerAdjustments: this.plbs,
      other: this.other,
    };
    // Balancing findings are raised when a loop closes; report everything in input order.
    diagnostics.sort((a, b) => (a.segmentIndex ?? -1) - (b.segmentIndex ?? -1));
    return { value, diagnostics };
  }

  // ---- diagnostics helpers -------------------------------------------------------------------------------

  /** `d` with its position in the transaction set (ST = 1), as the 999 reports it. */
  private positioned(d: Diagnostic): Diagnostic {
    return d.segmentIndex === undefined || d.positionInTransaction !== undefined
      ? d
      : { ...d, positionInTransaction: d.segmentIndex - this.st.index + 1 };
  }

  private error(
    seg: SegmentLocation | undefined,
    code: string,
    message: string,
    loop: string | undefined,
    element?: string,
    ik304?: Ik304Code,
    ik403?: Ik403Code,
  ): void {
    this.sink.at(seg, 'error', code, message, {
      ...(loop === undefined ? {} : { loop }),
      ...(element === undefined ? {} : { element }),
      ...(ik304 === undefined ? {} : { ik304 }),
      ...(ik403 === undefined ? {} : { ik403 }),
    });
  }

  private check(seg: SegmentView, layout: CompiledLayout): void {
    if (this.validate) checkView(seg, layout, this.loopId(), this.sink);
  }

  /** The TR3 loop id for diagnostics ('' for the header and summary tables, which are not loops). */
  private loopId(): string {
    return this.loop === 'HEADER' || this.loop === 'SUMMARY' ? '' : this.loop;
  }

  private amount(seg: SegmentView, n: number, required: boolean): number | undefined {
    const v = seg.cents(n);
    if (v === undefined || !Number.isNaN(v)) return v;
    {
      const text = seg.str(n);
      this.moneyOk = false;
      this.claimMoneyOk = false;
      this.lineMoneyOk = false;
      // Only report here when the layout check would not (it reports non-decimals, not 3+ decimal places).
      if (!this.validate || /^-?(\d+\.?\d*|\.\d+)$/.test(text)) {
        this.error(
          seg,
          'invalid-amount',
          `${seg.id}${String(n).padStart(2, '0')} is not an amount in cents`,
          this.loopId(),
          `${seg.id}${String(n).padStart(2, '0')}`,
          '8',
          '6',
        );
      }
    }
    void required;
    return undefined;
  }

  private date(seg: SegmentView, n: number): string {
    const v = seg.d8(n);
    if (v >= 0) return this.shared.iso(v);
    {
      if (!this.validate && seg.has(n)) {
        this.error(
          seg,
          'invalid-date',
          `${seg.id}${String(n).padStart(2, '0')} is not a valid date`,
          this.loopId(),
          `${seg.id}${String(n).padStart(2, '0')}`,
          '8',
          '8',
        );
      }
      return '';
    }
  }

  private unexpected(seg: SegmentView): void {
    this.error(
      seg,
      'unexpected-segment',
      `${seg.id} is not expected here in the 835`,
      this.loopId() || undefined,
      undefined,
      '2',
    );
    if (this.line !== undefined) this.line.other = add(this.line.other, raw(seg));
    else if (this.claim !== undefined) this.claim.other = add(this.claim.other, raw(seg));
    else this.other.push(raw(seg));
  }

  private missing(
    id: string,
    seg: SegmentLocation | undefined,
    loop: string | undefined,
    what: string,
  ): void {
    const where: SegmentLocation | undefined =
      seg === undefined ? undefined : { id, index: seg.index, line: seg.line, offset: seg.offset };
    this.error(
      where ?? { id, index: this.st.index, line: this.st.line, offset: this.st.offset },
      'missing-segment',
      `required ${what} (${id}) is missing`,
      loop,
      undefined,
      '3',
    );
  }

  // ---- segments --------------------------------------------------------------------------------------------

  private segment(seg: SegmentView): void {
    // Cases ordered by how often the segments occur in a remittance (service lines dominate).
    switch (seg.idCode) {
      case SVC:
        return this.svc(seg);
      case DTM:
        return this.dtm(seg);
      case CAS:
        return this.cas(seg);
      case REF:
        return this.ref(seg);
      case AMT:
        return this.amt(seg);
      case CLP:
        return this.clp(seg);
      case NM1:
        return this.nm1(seg);
      case LQ:
        return this.lq(seg);
      case QTY:
        return this.qty(seg);
      case MOA:
        return this.moa(seg);
      case MIA:
        if (this.loop !== '2100' || this.claim === undefined) return this.unexpected(seg);
        this.claim.inpatient = raw(seg);
        if (this.rarc !== undefined) for (const n of MIA_REMARKS) this.checkRarc(seg, n);
        return;
      case PER:
        return this.per(seg);
      case LX:
        return this.lx(seg);
      case TS3:
      case TS2:
        if (this.loop !== '2000' || this.header === undefined) return this.unexpected(seg);
        if (seg.idCode === TS3) this.header.providerSummary = raw(seg);
        else this.header.providerSupplementalSummary = raw(seg);
        return;
      case PLB:
        return this.plb(seg);
      case N1:
        return this.n1(seg);
      case N3:
      case N4:
        return this.address(seg);
      case BPR:
        if (this.loop !== 'HEADER' || this.payment !== undefined) return this.unexpected(seg);
        return this.bpr(seg);
      case TRN:
        if (this.loop !== 'HEADER' || this.trace !== undefined) return this.unexpected(seg);
        this.check(seg, CHECK.TRN);
        this.trace = {
          typeCode: seg.str(1),
          traceNumber: seg.str(2),
          originatorId: seg.str(3),
          ...(!seg.has(4) ? {} : { originatorSupplementalCode: seg.str(4) }),
          at: loc(seg),
        };
        return;
      case CUR:
        if (this.loop !== 'HEADER') return this.unexpected(seg);
        this.check(seg, CHECK.CUR);
        this.currency = {
          entity: seg.str(1),
          code: seg.str(2),
          ...(!seg.has(3) ? {} : { exchangeRate: seg.str(3) }),
        };
        return;
      case RDM:
        if (this.loop !== '1000B' || this.party === undefined) return this.unexpected(seg);
        this.party.deliveryMethod = raw(seg);
        return;
      default:
        return this.unexpected(seg);
    }
  }

  private bpr(seg: SegmentView): void {
    this.check(seg, CHECK.BPR);
    this.bprSeg = at(seg);
    const account = (q: number): FinancialInformation['sender'] => {
      const a: Building<NonNullable<FinancialInformation['sender']>> = {};
      if (seg.has(q)) a.dfiQualifier = seg.str(q);
      if (seg.has(q + 1)) a.dfiId = seg.str(q + 1);
      if (seg.has(q + 2)) a.accountQualifier = seg.str(q + 2);
      if (seg.has(q + 3)) a.accountNumber = seg.str(q + 3);
      return Object.keys(a).length === 0 ? undefined : a;
    };
    const p: Building<FinancialInformation> = {
      handlingCode: seg.str(1),
      amount: this.amount(seg, 2, true) ?? 0,
      creditDebit: seg.str(3),
      method: seg.str(4),
      date: this.date(seg, 16),
      at: loc(seg),
    };
    if (seg.has(5)) p.format = seg.str(5);
    const sender = account(6);
    if (sender !== undefined) p.sender = sender;
    if (seg.has(10)) p.originatingCompanyId = seg.str(10);
    if (seg.has(11)) p.originatingCompanySupplementalCode = seg.str(11);
    const receiver = account(12);
    if (receiver !== undefined) p.receiver = receiver;
    this.payment = p;
    // TRN is required right after BPR (835 TR3 header): report it where it should have been.
    this.expectTrn = true;
  }

  private ref(seg: SegmentView): void {
    switch (this.loop) {
      case 'HEADER':
        this.references.push(this.reference(seg, CHECK.HEADER_REF));
        return;
      case '1000A':
      case '1000B': {
        const r = this.reference(seg, this.loop === '1000A' ? CHECK.PAYER_REF : CHECK.PAYEE_REF);
        if (this.party !== undefined) this.party.references = add(this.party.references, r);
        return;
      }
      case '2100': {
        const r = this.reference(seg, CHECK.CLAIM_REF);
        if (this.claim !== undefined) this.claim.references = add(this.claim.references, r);
        return;
      }
      case '2110': {
        const r = this.reference(seg, CHECK.SERVICE_REF);
        if (this.line !== undefined) this.line.references = add(this.line.references, r);
        return;
      }
      case '2000':
      case 'SUMMARY':
        return this.unexpected(seg);
    }
  }

  /** A REF checked against `layout` and read (in one pass when it has the usual shape). */
  private reference(seg: SegmentView, layout: CompiledLayout): Reference {
    const hot = this.hot;
    if (this.fused && hot.reference(seg, layout)) return { qualifier: hot.code, value: hot.text };
    this.check(seg, layout);
    return !seg.has(3)
      ? { qualifier: this.codes.element(seg, 1), value: seg.str(2) }
      : { qualifier: this.codes.element(seg, 1), value: seg.str(2), description: seg.str(3) };
  }

  private dtm(seg: SegmentView): void {
    switch (this.loop) {
      case 'HEADER':
        if (this.productionDate !== undefined) return this.unexpected(seg);
        this.check(seg, CHECK.PRODUCTION_DTM);
        this.productionDate = this.date(seg, 2);
        return;
      case '2100': {
        const d = this.dateRef(seg, CHECK.CLAIM_DTM);
        if (this.claim !== undefined) this.claim.dates = add(this.claim.dates, d);
        return;
      }
      case '2110': {
        const d = this.dateRef(seg, CHECK.SERVICE_DTM);
        if (this.line !== undefined) this.line.dates = add(this.line.dates, d);
        return;
      }
      case '1000A':
      case '1000B':
      case '2000':
      case 'SUMMARY':
        return this.unexpected(seg);
    }
  }

  /** A 2100/2110 DTM checked against `layout` and read (in one pass when it has the usual shape). */
  private dateRef(seg: SegmentView, layout: CompiledLayout): DateReference {
    const hot = this.hot;
    if (this.fused && hot.dateRef(seg, layout)) return { qualifier: hot.code, date: hot.text };
    this.check(seg, layout);
    return { qualifier: this.codes.element(seg, 1), date: this.date(seg, 2) };
  }

  private n1(seg: SegmentView): void {
    const entity = seg.str(1);
    if (this.loop !== 'HEADER' && this.loop !== '1000A' && this.loop !== '1000B') return this.unexpected(seg);
    if (entity === 'PR' && this.payer === undefined) {
      this.loop = '1000A';
      this.check(seg, CHECK.PAYER_N1);
      this.payer = this.party = emptyParty(entity);
    } else if (entity === 'PE' && this.payee === undefined) {
      if (this.payer === undefined) this.missing('N1', seg, '1000A', 'payer identification');
      this.loop = '1000B';
      this.check(seg, CHECK.PAYEE_N1);
      this.payee = this.party = emptyParty(entity);
    } else {
      return this.unexpected(seg);
    }
    const p = this.party;
    p.name = seg.str(2);
    if (seg.has(3)) p.idQualifier = seg.str(3);
    if (seg.has(4)) p.id = seg.str(4);
    p.at = loc(seg);
  }

  private address(seg: SegmentView): void {
    const p = this.party;
    if ((this.loop !== '1000A' && this.loop !== '1000B') || p === undefined) return this.unexpected(seg);
    const a: Building<Address> = p.address === undefined ? { line1: '', city: '' } : { ...p.address };
    if (seg.id === 'N3') {
      this.check(seg, CHECK.N3);
      a.line1 = seg.str(1);
      if (seg.has(2)) a.line2 = seg.str(2);
    } else {
      this.check(seg, CHECK.N4);
      a.city = seg.str(1);
      const opt = [
        ['state', 2],
        ['postalCode', 3],
        ['country', 4],
        ['locationQualifier', 5],
        ['locationId', 6],
        ['countrySubdivision', 7],
      ] as const;
      for (const [k, n] of opt) if (seg.has(n)) a[k] = seg.str(n);
    }
    p.address = a;
  }

  private contact(seg: SegmentView): Contact {
    const numbers: { qualifier: string; number: string }[] = [];
    for (let n = 3; n <= 7; n += 2) {
      if (seg.has(n) || seg.has(n + 1)) numbers.push({ qualifier: seg.str(n), number: seg.str(n + 1) });
    }
    return !seg.has(2)
      ? { function: seg.str(1), numbers }
      : { function: seg.str(1), name: seg.str(2), numbers };
  }

  private per(seg: SegmentView): void {
    if (this.loop === '1000A' && this.party !== undefined) {
      this.check(seg, CHECK.PAYER_PER);
      this.party.contacts = add(this.party.contacts, this.contact(seg));
    } else if (this.loop === '2100' && this.claim !== undefined) {
      this.check(seg, CHECK.CLAIM_PER);
      this.claim.contacts = add(this.claim.contacts, this.contact(seg));
    } else {
      this.unexpected(seg);
    }
  }

  private closeHeaderTable(seg: SegmentLocation): void {
    if (this.loop === 'HEADER' || this.loop === '1000A' || this.loop === '1000B') {
      if (this.payer === undefined) this.missing('N1', seg, '1000A', 'payer identification (N1*PR)');
      if (this.payee === undefined) this.missing('N1', seg, '1000B', 'payee identification (N1*PE)');
    }
  }

  private lx(seg: SegmentView): void {
    if (this.loop === 'SUMMARY') return this.unexpected(seg);
    this.closeHeaderTable(seg);
    this.closeClaim();
    this.loop = '2000';
    this.check(seg, CHECK.LX);
    this.header = { number: seg.str(1), claims: [], at: loc(seg) };
    this.headers.push(this.header);
  }

  private clp(seg: SegmentView): void {
    if (this.loop === 'SUMMARY') return this.unexpected(seg);
    this.closeHeaderTable(seg);
    this.closeClaim();
    if (this.header === undefined) {
      // 5010 835: claims sit in a 2000 header number loop; keep them in an LX-less header rather than drop them.
      this.header = { claims: [], at: loc(seg) };
      this.headers.push(this.header);
    }
    this.loop = '2100';
    this.claimFindings = this.sink.items.length;
    this.claimIndex = seg.index;
    this.claimLine = seg.line;
    this.claimOffset = seg.offset;
    this.claimMoneyOk = true;
    this.claimAdjusted = 0;
    const patientControlNumber = seg.str(1);
    const h = this.hot;
    if (!this.fused || !h.claim(seg, CHECK.CLP)) {
      this.check(seg, CHECK.CLP);
      h.status = this.codes.element(seg, 2);
      h.amount = this.amount(seg, 3, true) ?? 0;
      h.paid = this.amount(seg, 4, true) ?? 0;
      h.filingIndicator = this.codes.element(seg, 6);
      h.patientResponsibility = this.amount(seg, 5, false);
    }
    const { status, amount: charge, paid, filingIndicator, patientResponsibility: pr } = h;
    let c: Building<ClaimPayment>;
    if (seg.count <= 9 && seg.has(7) && seg.has(8) && seg.has(9)) {
      // The usual professional claim (CLP07-09 given, no DRG) as one literal, optional fields in the same
      // order as below: no properties added one by one.
      const payerClaimControlNumber = seg.str(7);
      const facilityType = this.codes.element(seg, 8);
      const frequency = this.codes.element(seg, 9);
      c =
        pr === undefined
          ? {
              patientControlNumber,
              status,
              charge,
              paid,
              filingIndicator,
              adjustments: NONE,
              references: NONE,
              dates: NONE,
              contacts: NONE,
              amounts: NONE,
              quantities: NONE,
              services: NONE,
              other: NONE,
              at: loc(seg),
              payerClaimControlNumber,
              facilityType,
              frequency,
            }
          : {
              patientControlNumber,
              status,
              charge,
              paid,
              filingIndicator,
              adjustments: NONE,
              references: NONE,
              dates: NONE,
              contacts: NONE,
              amounts: NONE,
              quantities: NONE,
              services: NONE,
              other: NONE,
              at: loc(seg),
              patientResponsibility: pr,
              payerClaimControlNumber,
              facilityType,
              frequency,
            };
    } else {
      c = {
        patientControlNumber,
        status,
        charge,
        paid,
        filingIndicator,
        adjustments: NONE,
        references: NONE,
        dates: NONE,
        contacts: NONE,
        amounts: NONE,
        quantities: NONE,
        services: NONE,
        other: NONE,
        at: loc(seg),
      };
      if (pr !== undefined) c.patientResponsibility = pr;
      if (seg.has(7)) c.payerClaimControlNumber = seg.str(7);
      if (seg.has(8)) c.facilityType = this.codes.element(seg, 8);
      if (seg.has(9)) c.frequency = this.codes.element(seg, 9);
      if (seg.has(11)) c.drg = seg.str(11);
      if (seg.has(12)) c.drgWeight = seg.str(12);
      if (seg.has(13)) c.dischargeFraction = seg.str(13);
    }
    this.claim = c;
    this.claimCount++;
    if (this.claimTaker === undefined) this.header.claims = add(this.header.claims, c);
  }

  private cas(seg: SegmentView): void {
    const target = this.loop === '2110' ? this.line : this.loop === '2100' ? this.claim : undefined;
    if (target === undefined) return this.unexpected(seg);
    // Items are gathered in a reused list, then copied into a list of exactly their number.
    const items = this.scratch;
    const hot = this.hot;
    let group: string;
    let count: number;
    // The fused read does not check CARC: with a CARC list every CAS takes the generic path.
    if (this.fused && this.carc === undefined && hot.adjustment(seg, CHECK.CAS, items)) {
      group = hot.code;
      count = hot.count;
    } else {
      this.check(seg, CHECK.CAS);
      count = this.casItems(seg, items);
      group = this.codes.element(seg, 1);
    }
    const list: AdjustmentItem[] =
      count === 1 ? [items[0]!] : count === 2 ? [items[0]!, items[1]!] : items.slice(0, count);
    let sum = 0;
    for (let k = 0; k < count; k++) sum += items[k]!.amount;
    if (target === this.line) this.lineAdjusted += sum;
    this.claimAdjusted += sum;
    // (A loop, not Array.prototype.fill: fill is a runtime call, costly on ~400,000 CAS a 50 MB file has. All
    // of the list: a fused read that gave up may have filled more than the generic read then did.)
    for (let k = 0; k < items.length; k++) items[k] = NO_ITEM;
    const adj: Adjustment = { group, items: list, at: loc(seg) };
    target.adjustments = add(target.adjustments, adj);
  }

  /** The generic read of a CAS's (reason, amount, quantity) items into `items`; returns how many. */
  private casItems(seg: SegmentView, items: AdjustmentItem[]): number {
    let count = 0;
    for (let n = 2; n <= 17; n += 3) {
      const hasReason = seg.has(n);
      const hasAmount = seg.has(n + 1);
      if (!hasReason && !hasAmount && !seg.has(n + 2)) continue;
      const reason = hasReason ? this.codes.element(seg, n) : '';
      if (!hasReason || !hasAmount) {
        // CAS02/03 pairs: a reason needs its amount and vice versa (X12 paired elements, P0203 ...).
        const missingAt = `CAS${String(reason === '' ? n : n + 1).padStart(2, '0')}`;
        const other = `CAS${String(reason === '' ? n + 1 : n).padStart(2, '0')}`;
        if (!(n === 2 && this.validate)) {
          this.error(
            seg,
            'required-element',
            `${missingAt} is required with ${other}`,
            this.loopId(),
            missingAt,
            '8',
            '2',
          );
        }
      }
      if (this.carc !== undefined && reason !== '' && !this.carc.has(reason)) {
        const where = `CAS${String(n).padStart(2, '0')}`;
        this.error(
          seg,
          'invalid-carc',
          `${where} is not a valid claim adjustment reason code`,
          this.loopId(),
          where,
          '8',
          '7',
        );
      }
      const amount = this.amount(seg, n + 1, true) ?? 0;
      const qv = seg.decimal(n + 2);
      const item: AdjustmentItem = qv === undefined ? { reason, amount } : { reason, amount, quantity: qv };
      if (count < items.length) items[count] = item;
      else items.push(item);
      count++;
    }
    return count;
  }

  private nm1(seg: SegmentView): void {
    const c = this.claim;
    if (this.loop !== '2100' || c === undefined) return this.unexpected(seg);
    let n: Building<Name>;
    const hot = this.hot;
    let entity: string;
    let entityType: string;
    if (this.fused && hot.name(seg, CHECK.CLAIM_NM1)) {
      entity = hot.entity;
      entityType = hot.entityType;
    } else {
      this.check(seg, CHECK.CLAIM_NM1);
      entity = this.codes.element(seg, 1);
      entityType = this.codes.element(seg, 2);
    }
    if (
      seg.count === 9 &&
      seg.has(3) &&
      seg.has(4) &&
      !seg.has(5) &&
      !seg.has(6) &&
      !seg.has(7) &&
      seg.has(8) &&
      seg.has(9)
    ) {
      // The usual person name (last, first, id) as one literal: no properties added one by one.
      n = {
        entity,
        entityType,
        last: seg.str(3),
        first: seg.str(4),
        idQualifier: this.codes.element(seg, 8),
        id: seg.str(9),
      };
    } else {
      n = { entity, entityType };
      if (seg.has(3)) n.last = seg.str(3);
      if (seg.has(4)) n.first = seg.str(4);
      if (seg.has(5)) n.middle = seg.str(5);
      if (seg.has(6)) n.prefix = seg.str(6);
      if (seg.has(7)) n.suffix = seg.str(7);
      if (seg.has(8)) n.idQualifier = this.codes.element(seg, 8);
      if (seg.has(9)) n.id = seg.str(9);
    }
    // The patient and the rendering provider (nearly every claim's two names) by name: a store under a computed
    // key adds the property through the runtime.
    if (n.entity === 'QC' && c.patient === undefined) {
      c.patient = n;
      return;
    }
    if (n.entity === '82' && c.renderingProvider === undefined) {
      c.renderingProvider = n;
      return;
    }
    const slot = NAME_SLOTS[n.entity as 'QC'];
    // An unknown entity or a second NM1 of the same kind is kept as written (reported by the layout check).
    if (slot === undefined || c[slot] !== undefined) {
      if (slot !== undefined)
        this.error(
          seg,
          'unexpected-segment',
          `a second NM1*${n.entity} in the claim`,
          '2100',
          undefined,
          '5',
        );
      c.other = add(c.other, raw(seg));
      return;
    }
    c[slot] = n;
  }

  private moa(seg: SegmentView): void {
    const c = this.claim;
    if (this.loop !== '2100' || c === undefined) return this.unexpected(seg);
    this.check(seg, CHECK.MOA);
    const remarks: string[] = [];
    for (let n = 3; n <= 7; n++) {
      if (seg.has(n)) {
        remarks.push(seg.str(n));
        this.checkRarc(seg, n);
      }
    }
    const m: Building<OutpatientAdjudication> = { remarks };
    if (seg.has(1)) m.reimbursementRate = seg.str(1);
    const hcpcs = this.amount(seg, 2, false);
    if (hcpcs !== undefined) m.hcpcsPayable = hcpcs;
    const esrd = this.amount(seg, 8, false);
    if (esrd !== undefined) m.esrdPayment = esrd;
    const np = this.amount(seg, 9, false);
    if (np !== undefined) m.nonPayableProfessional = np;
    c.outpatient = m;
  }

  private checkRarc(seg: SegmentView, n: number): void {
    const code = seg.str(n);
    if (this.rarc === undefined || code === '' || this.rarc.has(code)) return;
    const where = `${seg.id}${String(n).padStart(2, '0')}`;
    this.error(
      seg,
      'invalid-rarc',
      `${where} is not a valid remittance advice remark code`,
      this.loopId(),
      where,
      '8',
      '7',
    );
  }

  private amt(seg: SegmentView): void {
    const target = this.loop === '2110' ? this.line : this.loop === '2100' ? this.claim : undefined;
    if (target === undefined) return this.unexpected(seg);
    const layout = this.loop === '2110' ? CHECK.SERVICE_AMT : CHECK.CLAIM_AMT;
    const hot = this.hot;
    let a: AmountReference;
    if (this.fused && hot.amountRef(seg, layout)) {
      a = { qualifier: hot.code, amount: hot.amount };
    } else {
      this.check(seg, layout);
      a = { qualifier: this.codes.element(seg, 1), amount: this.amount(seg, 2, true) ?? 0 };
    }
    target.amounts = add(target.amounts, a);
  }

  private qty(seg: SegmentView): void {
    const target = this.loop === '2110' ? this.line : this.loop === '2100' ? this.claim : undefined;
    if (target === undefined) return this.unexpected(seg);
    this.check(seg, this.loop === '2110' ? CHECK.SERVICE_QTY : CHECK.CLAIM_QTY);
    const q: QuantityReference = { qualifier: this.codes.element(seg, 1), quantity: seg.decimal(2) ?? 0 };
    target.quantities = add(target.quantities, q);
  }

  private procedure(seg: SegmentView, n: number): Procedure | undefined {
    // Composite C003: qualifier, code, up to four modifiers, description; components read in place.
    return seg.has(n) ? procedureAt(seg, n, this.codes, undefined) : undefined;
  }

  private svc(seg: SegmentView): void {
    const c = this.claim;
    if ((this.loop !== '2100' && this.loop !== '2110') || c === undefined) return this.unexpected(seg);
    this.closeLine();
    this.loop = '2110';
    this.lineIndex = seg.index;
    this.lineLine = seg.line;
    this.lineOffset = seg.offset;
    this.lineMoneyOk = true;
    this.lineAdjusted = 0;
    const h = this.hot;
    if (!this.fused || !h.service(seg, CHECK.SVC)) {
      this.check(seg, CHECK.SVC);
      h.procedure = this.procedure(seg, 1) ?? { qualifier: '', code: '', modifiers: [] };
      h.amount = this.amount(seg, 2, true) ?? 0;
      h.paid = this.amount(seg, 3, true) ?? 0;
      h.units = seg.decimal(5);
    }
    const { procedure, amount: charge, paid, units } = h;
    let s: Building<ServicePayment>;
    if (units !== undefined && seg.count <= 5 && !seg.has(4)) {
      // The usual professional line (procedure, charge, paid, units) as one literal.
      s = {
        procedure,
        charge,
        paid,
        dates: NONE,
        adjustments: NONE,
        references: NONE,
        amounts: NONE,
        quantities: NONE,
        remarks: NONE,
        other: NONE,
        at: loc(seg),
        units,
      };
    } else {
      s = {
        procedure,
        charge,
        paid,
        dates: NONE,
        adjustments: NONE,
        references: NONE,
        amounts: NONE,
        quantities: NONE,
        remarks: NONE,
        other: NONE,
        at: loc(seg),
      };
      if (seg.has(4)) s.revenueCode = seg.str(4);
      if (units !== undefined) s.units = units;
      const original = this.procedure(seg, 6);
      if (original !== undefined) s.originalProcedure = original;
      const ou = seg.decimal(7);
      if (ou !== undefined) s.originalUnits = ou;
    }
    this.line = s;
    c.services = add(c.services, s);
  }

  private lq(seg: SegmentView): void {
    if (this.loop !== '2110' || this.line === undefined) return this.unexpected(seg);
    this.check(seg, CHECK.LQ);
    const r: Remark = { qualifier: this.codes.element(seg, 1), code: this.codes.element(seg, 2) };
    if (r.qualifier === 'HE') this.checkRarc(seg, 2);
    this.line.remarks = add(this.line.remarks, r);
  }

  private plb(seg: SegmentView): void {
    this.closeHeaderTable(seg);
    this.closeClaim();
    this.loop = 'SUMMARY';
    this.check(seg, CHECK.PLB);
    const items: ProviderAdjustmentItem[] = [];
    for (let n = 3; n <= 13; n += 2) {
      const comp = seg.str(n);
      if (comp === '' && !seg.has(n + 1)) continue;
      const i = comp.indexOf(seg.delimiters.component);
      const reason = i < 0 ? comp : comp.slice(0, i);
      const reference = i < 0 ? '' : comp.slice(i + 1);
      const item: Building<ProviderAdjustmentItem> = { reason, amount: this.amount(seg, n + 1, true) ?? 0 };
      if (reference !== '') item.reference = reference;
      items.push(item);
    }
    this.plbs.push({ providerId: seg.str(1), fiscalPeriodDate: this.date(seg, 2), items, at: loc(seg) });
  }

  // ---- loop closing and balancing --------------------------------------------------------------------------

  private closeLine(): void {
    const s = this.line;
    if (s === undefined || this.lineIndex < 0) return;
    this.line = undefined;
    this.loop = '2100';
    if (!this.validate || !this.lineMoneyOk) return;
    // 2110 balancing (835 TR3 1.10.2.1.2): SVC02 line charge − Σ line CAS amounts = SVC03 line payment.
    const diff = s.charge - this.lineAdjusted - s.paid;
    if (diff !== 0) {
      this.error(
        { id: 'SVC', index: this.lineIndex, line: this.lineLine, offset: this.lineOffset },
        'balance-line',
        `SVC02 charge minus the line CAS adjustments does not equal SVC03 payment (off by ${diff} cents)`,
        '2110',
        'SVC03',
      );
    }
  }

  private closeClaim(): void {
    this.closeLine();
    const c = this.claim;
    if (c === undefined || this.claimIndex < 0) return;
    this.claim = undefined;
    this.paidTotal += c.paid;
    this.loop = '2000';
    if (this.validate && this.claimMoneyOk && c.services.length > 0) this.balanceClaim(c);
    if (this.claimTaker !== undefined) this.handOver(c);
  }

  /** Claim mode: the complete claim goes to the caller with its findings and its set's header data. */
  private handOver(claim: ClaimPayment): void {
    const items = this.sink.items;
    let diagnostics: Diagnostic[] = NONE;
    if (items.length > this.claimFindings) {
      diagnostics = [];
      for (let k = this.claimFindings; k < items.length; k++) {
        // Positioned once, so the set's list at its end holds the very same objects.
        const d = this.positioned(items[k]!);
        items[k] = d;
        diagnostics.push(d);
      }
      diagnostics.sort((a, b) => (a.segmentIndex ?? -1) - (b.segmentIndex ?? -1));
    }
    this.head ??= this.headerData(this.st.elements[2] ?? '', this.implementation);
    this.claimTaker?.takeClaim({
      kind: 'claim',
      claim,
      header: this.header!,
      remittance: this.head,
      diagnostics,
    });
  }

  /** The set's data outside its claims, in the key order of `Remittance835` (the ERA content hash reads it). */
  private headerData(controlNumber: string, implementation: string): Remittance835Header {
    return {
      controlNumber,
      implementation,
      payment: this.payment ?? { handlingCode: '', amount: 0, creditDebit: '', method: '', date: '' },
      ...(this.trace === undefined ? {} : { trace: this.trace }),
      ...(this.currency === undefined ? {} : { currency: this.currency }),
      references: this.references,
      ...(this.productionDate === undefined ? {} : { productionDate: this.productionDate }),
      payer: this.payer ?? emptyParty('PR'),
      payee: this.payee ?? emptyParty('PE'),
    };
  }

  private balanceClaim(c: Building<ClaimPayment>): void {
    // 2100 balancing (835 TR3 1.10.2.1.1): CLP03 − Σ claim and service CAS = CLP04, checked when service lines
    // are present (without them the claim may be adjudicated at claim level only).
    const diff = c.charge - this.claimAdjusted - c.paid;
    if (diff !== 0) {
      this.error(
        { id: 'CLP', index: this.claimIndex, line: this.claimLine, offset: this.claimOffset },
        'balance-claim',
        `CLP03 charge minus the claim and line CAS adjustments does not equal CLP04 payment (off by ${diff} cents)`,
        '2100',
        'CLP04',
      );
    }
  }

  private finish(): void {
    const st = this.st;
    const first = this.first;
    if (this.payment === undefined) this.missing('BPR', first, undefined, 'financial information');
    if (this.trace === undefined && this.payment === undefined)
      this.missing('TRN', first, undefined, 'reassociation trace number');
    if (this.loop === 'HEADER' || this.loop === '1000A' || this.loop === '1000B') {
      const last =
        this.lastIndex < 0
          ? st
          : { id: '', index: this.lastIndex, line: this.lastLine, offset: this.lastOffset };
      this.closeHeaderTable(last);
    }
    if (this.payer !== undefined && this.payer.address === undefined) {
      const at = this.payer.at;
      this.error(
        at === undefined ? undefined : { id: 'N3', index: at.segmentIndex, line: at.line, offset: 0 },
        'missing-segment',
        'required payer address (N3/N4) is missing',
        '1000A',
        undefined,
        '3',
      );
    }
    const bpr = this.bprSeg;
    if (!this.validate || !this.moneyOk || bpr === undefined || this.payment === undefined) return;
    // Transaction balancing (835 TR3 1.10.2.1): BPR02 = Σ CLP04 − Σ PLB adjustment amounts.
    let plb = 0;
    for (const p of this.plbs) for (const it of p.items) plb += it.amount;
    const expected = this.paidTotal - plb;
    const declared = this.payment.creditDebit === 'D' ? -this.payment.amount : this.payment.amount;
    if (declared !== expected) {
      this.error(
        bpr,
        'balance-payment',
        `BPR02 total payment does not equal the CLP04 payments minus the PLB adjustments (off by ${declared - expected} cents)`,
        undefined,
        'BPR02',
      );
    }
  }
}
