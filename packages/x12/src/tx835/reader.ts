import type { ExternalCodeLists } from '../core/codelists.ts';
import {
  DiagnosticSink,
  type Diagnostic,
  type Ik304Code,
  type Ik403Code,
  type SegmentLocation,
} from '../core/diagnostics.ts';
import { EnvelopeReader, type EnvelopeEvent, type TransactionSet } from '../core/envelope.ts';
import { Tokenizer, type ChunkSource } from '../core/tokenizer.ts';
import type { Segment } from '../core/segment.ts';
import { checkSegment, type SegmentSpec } from '../core/spec.ts';
import { d8ToIso, parseAmount } from '../core/values.ts';
import * as L from './layouts.ts';
import type {
  Address,
  Adjustment,
  AdjustmentItem,
  AmountReference,
  ClaimPayment,
  Contact,
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
 * Shared empty list: typed objects start with it and get their own array on the first item. Most lists of a
 * claim or service line stay empty, and a 50 MB remittance has hundreds of thousands of them.
 */
const NONE = Object.freeze([]) as unknown as never[];
function add<T>(list: T[], item: T): T[] {
  if (list === NONE) return [item];
  list.push(item);
  return list;
}

const loc = (seg: Segment): SourceLocation => ({ segmentIndex: seg.index, line: seg.line });
const raw = (seg: Segment): RawSegment => ({ elements: seg.elements });
const el = (seg: Segment, n: number): string => seg.elements[n] ?? '';

/** Quantity text to a number; undefined when absent or not a decimal. */
function quantity(text: string): number | undefined {
  if (text === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) && /^-?(\d+\.?\d*|\.\d+)$/.test(text) ? n : undefined;
}

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
  const reader = new Reader835(tx.st, options);
  for (const seg of tx.segments) reader.push(seg);
  return reader.result(tx);
}

/** Text is fed to the tokenizer in pieces of this size so the segments of one piece die young (cheap GC). */
const PIECE = 64 * 1024;

/**
 * Tokenizer → envelope → typed reader, segment by segment: a transaction set's segments are read as they arrive
 * and never collected, so memory holds typed objects only.
 */
class Driver835 {
  private readonly tokenizer: Tokenizer;
  private readonly envelope: EnvelopeReader;
  private reader: Reader835 | undefined;
  private readerSt: Segment | undefined;
  /** Typed 835s completed so far; the caller drains it. */
  results: ReadResult<Remittance835>[] = [];

  constructor(
    private readonly options: Read835Options,
    private readonly sink: DiagnosticSink,
  ) {
    this.tokenizer = new Tokenizer(sink);
    this.envelope = new EnvelopeReader(sink, {
      retainSegments: false,
      onSegment: (seg, st) => {
        if (st !== this.readerSt) {
          this.readerSt = st;
          this.reader = st.elements[1] === '835' ? new Reader835(st, this.options) : undefined;
        }
        this.reader?.push(seg);
      },
    });
  }

  push(text: string): void {
    if (text.length <= PIECE) {
      this.feed(this.tokenizer.push(text));
      return;
    }
    for (let i = 0; i < text.length; i += PIECE) this.feed(this.tokenizer.push(text.slice(i, i + PIECE)));
  }

  end(): void {
    this.feed(this.tokenizer.end());
    this.handle(this.envelope.finish());
  }

  private feed(segs: readonly Segment[]): void {
    for (const seg of segs) this.handle(this.envelope.accept(seg));
  }

  private handle(events: readonly EnvelopeEvent[]): void {
    for (const e of events) {
      if (e.kind === 'transaction') {
        const tx = e.transaction;
        if (tx.transactionType === '835') {
          const reader =
            this.reader !== undefined && this.readerSt === tx.st
              ? this.reader
              : new Reader835(tx.st, this.options);
          this.results.push(reader.result(tx));
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
  const decoder = new TextDecoder('utf-8');
  const drain = function* (): Generator<ReadResult<Remittance835>> {
    const out = driver.results;
    driver.results = [];
    yield* out;
  };
  for await (const chunk of source) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (text.length > 0) driver.push(text);
    if (driver.results.length > 0) yield* drain();
  }
  const rest = decoder.decode();
  if (rest.length > 0) driver.push(rest);
  driver.end();
  yield* drain();
}

class Reader835 {
  private readonly sink = new DiagnosticSink();
  private readonly validate: boolean;
  private readonly carc: ReadonlySet<string> | undefined;
  private readonly rarc: ReadonlySet<string> | undefined;

  private loop: Loop = 'HEADER';
  private payment: Building<FinancialInformation> | undefined;
  private bprSeg: Segment | undefined;
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
  private claimSeg: Segment | undefined;
  private claimMoneyOk = true;
  private line: Building<ServicePayment> | undefined;
  private lineSeg: Segment | undefined;
  private lineMoneyOk = true;
  private readonly plbs: ProviderAdjustment[] = [];
  private readonly other: RawSegment[] = [];
  private paidTotal = 0;
  private moneyOk = true;

  private first: Segment | undefined;
  private last: Segment | undefined;
  private readonly dates = new Map<string, string>();
  /** Set after BPR: the next segment must be the TRN (835 TR3 header). */
  private expectTrn = false;

  constructor(
    private readonly st: Segment,
    options: Read835Options,
  ) {
    this.validate = options.validate ?? true;
    this.carc = options.codeLists?.carc;
    this.rarc = options.codeLists?.rarc;
  }

  /** Reads the next segment of the transaction set (in order, ST and SE excluded). */
  push(seg: Segment): void {
    if (this.first === undefined) this.first = seg;
    if (this.expectTrn) {
      this.expectTrn = false;
      // Reported where the TRN should have been.
      if (seg.id !== 'TRN') this.missing('TRN', seg, undefined, 'reassociation trace number');
    }
    this.segment(seg);
    this.last = seg;
  }

  /** Closes the open loops, runs the transaction-level checks and returns the typed 835. */
  result(tx: TransactionSet): ReadResult<Remittance835> {
    if (this.expectTrn) {
      this.expectTrn = false;
      this.missing('TRN', tx.se ?? this.bprSeg, undefined, 'reassociation trace number');
    }
    this.closeClaim();
    this.finish();
    const stIndex = this.st.index;
    const diagnostics: Diagnostic[] = [...tx.diagnostics];
    for (const d of this.sink.items) {
      diagnostics.push(
        d.segmentIndex === undefined || d.positionInTransaction !== undefined
          ? d
          : { ...d, positionInTransaction: d.segmentIndex - stIndex + 1 },
      );
    }
    const value: Remittance835 = {
      controlNumber: tx.controlNumber,
      implementation: tx.implementation,
      payment: this.payment ?? { handlingCode: '', amount: 0, creditDebit: '', method: '', date: '' },
      ...(this.trace === undefined ? {} : { trace: this.trace }),
      ...(this.currency === undefined ? {} : { currency: this.currency }),
      references: this.references,
      ...(this.productionDate === undefined ? {} : { productionDate: this.productionDate }),
      payer: this.payer ?? emptyParty('PR'),
      payee: this.payee ?? emptyParty('PE'),
      headers: this.headers,
      providerAdjustments: this.plbs,
      other: this.other,
    };
    // Balancing findings are raised when a loop closes; report everything in input order.
    diagnostics.sort((a, b) => (a.segmentIndex ?? -1) - (b.segmentIndex ?? -1));
    return { value, diagnostics };
  }

  // ---- diagnostics helpers -------------------------------------------------------------------------------

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

  private check(seg: Segment, layout: SegmentSpec): void {
    if (this.validate) checkSegment(seg, layout, this.loopId(), this.sink);
  }

  /** The TR3 loop id for diagnostics ('' for the header and summary tables, which are not loops). */
  private loopId(): string {
    return this.loop === 'HEADER' || this.loop === 'SUMMARY' ? '' : this.loop;
  }

  private amount(seg: Segment, n: number, required: boolean): number | undefined {
    const text = seg.elements[n] ?? '';
    if (text === '') return undefined;
    const v = parseAmount(text);
    if (v === undefined) {
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
    return v;
  }

  private date(seg: Segment, n: number): string {
    const text = seg.elements[n] ?? '';
    // A remittance repeats a handful of dates thousands of times: convert each once per transaction set.
    const cached = this.dates.get(text);
    if (cached !== undefined) return cached;
    const iso = d8ToIso(text);
    if (iso !== undefined && this.dates.size < 4096) this.dates.set(text, iso);
    if (iso === undefined) {
      if (!this.validate && text !== '') {
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
    return iso;
  }

  private unexpected(seg: Segment): void {
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

  private missing(id: string, at: Segment | undefined, loop: string | undefined, what: string): void {
    const where: SegmentLocation | undefined =
      at === undefined ? undefined : { id, index: at.index, line: at.line, offset: at.offset };
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

  private segment(seg: Segment): void {
    // Cases ordered by how often the segments occur in a remittance (service lines dominate).
    switch (seg.id) {
      case 'SVC':
        return this.svc(seg);
      case 'DTM':
        return this.dtm(seg);
      case 'CAS':
        return this.cas(seg);
      case 'REF':
        return this.ref(seg);
      case 'AMT':
        return this.amt(seg);
      case 'CLP':
        return this.clp(seg);
      case 'NM1':
        return this.nm1(seg);
      case 'LQ':
        return this.lq(seg);
      case 'QTY':
        return this.qty(seg);
      case 'MOA':
        return this.moa(seg);
      case 'MIA':
        if (this.loop !== '2100' || this.claim === undefined) return this.unexpected(seg);
        this.claim.inpatient = raw(seg);
        if (this.rarc !== undefined) for (const n of [5, 20, 21, 22, 23]) this.checkRarc(seg, n);
        return;
      case 'PER':
        return this.per(seg);
      case 'LX':
        return this.lx(seg);
      case 'TS3':
      case 'TS2':
        if (this.loop !== '2000' || this.header === undefined) return this.unexpected(seg);
        if (seg.id === 'TS3') this.header.providerSummary = raw(seg);
        else this.header.providerSupplementalSummary = raw(seg);
        return;
      case 'PLB':
        return this.plb(seg);
      case 'N1':
        return this.n1(seg);
      case 'N3':
      case 'N4':
        return this.address(seg);
      case 'BPR':
        if (this.loop !== 'HEADER' || this.payment !== undefined) return this.unexpected(seg);
        return this.bpr(seg);
      case 'TRN':
        if (this.loop !== 'HEADER' || this.trace !== undefined) return this.unexpected(seg);
        this.check(seg, L.TRN);
        this.trace = {
          typeCode: el(seg, 1),
          traceNumber: el(seg, 2),
          originatorId: el(seg, 3),
          ...(el(seg, 4) === '' ? {} : { originatorSupplementalCode: el(seg, 4) }),
          at: loc(seg),
        };
        return;
      case 'CUR':
        if (this.loop !== 'HEADER') return this.unexpected(seg);
        this.check(seg, L.CUR);
        this.currency = {
          entity: el(seg, 1),
          code: el(seg, 2),
          ...(el(seg, 3) === '' ? {} : { exchangeRate: el(seg, 3) }),
        };
        return;
      case 'RDM':
        if (this.loop !== '1000B' || this.party === undefined) return this.unexpected(seg);
        this.party.deliveryMethod = raw(seg);
        return;
      default:
        return this.unexpected(seg);
    }
  }

  private bpr(seg: Segment): void {
    this.check(seg, L.BPR);
    this.bprSeg = seg;
    const account = (q: number): FinancialInformation['sender'] => {
      const a: Building<NonNullable<FinancialInformation['sender']>> = {};
      if (el(seg, q) !== '') a.dfiQualifier = el(seg, q);
      if (el(seg, q + 1) !== '') a.dfiId = el(seg, q + 1);
      if (el(seg, q + 2) !== '') a.accountQualifier = el(seg, q + 2);
      if (el(seg, q + 3) !== '') a.accountNumber = el(seg, q + 3);
      return Object.keys(a).length === 0 ? undefined : a;
    };
    const p: Building<FinancialInformation> = {
      handlingCode: el(seg, 1),
      amount: this.amount(seg, 2, true) ?? 0,
      creditDebit: el(seg, 3),
      method: el(seg, 4),
      date: this.date(seg, 16),
      at: loc(seg),
    };
    if (el(seg, 5) !== '') p.format = el(seg, 5);
    const sender = account(6);
    if (sender !== undefined) p.sender = sender;
    if (el(seg, 10) !== '') p.originatingCompanyId = el(seg, 10);
    if (el(seg, 11) !== '') p.originatingCompanySupplementalCode = el(seg, 11);
    const receiver = account(12);
    if (receiver !== undefined) p.receiver = receiver;
    this.payment = p;
    // TRN is required right after BPR (835 TR3 header): report it where it should have been.
    this.expectTrn = true;
  }

  private ref(seg: Segment): void {
    const r: Reference =
      el(seg, 3) === ''
        ? { qualifier: el(seg, 1), value: el(seg, 2) }
        : { qualifier: el(seg, 1), value: el(seg, 2), description: el(seg, 3) };
    switch (this.loop) {
      case 'HEADER':
        this.check(seg, L.HEADER_REF);
        this.references.push(r);
        return;
      case '1000A':
      case '1000B':
        this.check(seg, this.loop === '1000A' ? L.PAYER_REF : L.PAYEE_REF);
        if (this.party !== undefined) this.party.references = add(this.party.references, r);
        return;
      case '2100':
        this.check(seg, L.CLAIM_REF);
        if (this.claim !== undefined) this.claim.references = add(this.claim.references, r);
        return;
      case '2110':
        this.check(seg, L.SERVICE_REF);
        if (this.line !== undefined) this.line.references = add(this.line.references, r);
        return;
      case '2000':
      case 'SUMMARY':
        return this.unexpected(seg);
    }
  }

  private dtm(seg: Segment): void {
    switch (this.loop) {
      case 'HEADER':
        if (this.productionDate !== undefined) return this.unexpected(seg);
        this.check(seg, L.PRODUCTION_DTM);
        this.productionDate = this.date(seg, 2);
        return;
      case '2100':
        this.check(seg, L.CLAIM_DTM);
        if (this.claim !== undefined)
          this.claim.dates = add(this.claim.dates, { qualifier: el(seg, 1), date: this.date(seg, 2) });
        return;
      case '2110':
        this.check(seg, L.SERVICE_DTM);
        if (this.line !== undefined)
          this.line.dates = add(this.line.dates, { qualifier: el(seg, 1), date: this.date(seg, 2) });
        return;
      case '1000A':
      case '1000B':
      case '2000':
      case 'SUMMARY':
        return this.unexpected(seg);
    }
  }

  private n1(seg: Segment): void {
    const entity = el(seg, 1);
    if (this.loop !== 'HEADER' && this.loop !== '1000A' && this.loop !== '1000B') return this.unexpected(seg);
    if (entity === 'PR' && this.payer === undefined) {
      this.loop = '1000A';
      this.check(seg, L.PAYER_N1);
      this.payer = this.party = emptyParty(entity);
    } else if (entity === 'PE' && this.payee === undefined) {
      if (this.payer === undefined) this.missing('N1', seg, '1000A', 'payer identification');
      this.loop = '1000B';
      this.check(seg, L.PAYEE_N1);
      this.payee = this.party = emptyParty(entity);
    } else {
      return this.unexpected(seg);
    }
    const p = this.party;
    p.name = el(seg, 2);
    if (el(seg, 3) !== '') p.idQualifier = el(seg, 3);
    if (el(seg, 4) !== '') p.id = el(seg, 4);
    p.at = loc(seg);
  }

  private address(seg: Segment): void {
    const p = this.party;
    if ((this.loop !== '1000A' && this.loop !== '1000B') || p === undefined) return this.unexpected(seg);
    const a: Building<Address> = p.address === undefined ? { line1: '', city: '' } : { ...p.address };
    if (seg.id === 'N3') {
      this.check(seg, L.N3);
      a.line1 = el(seg, 1);
      if (el(seg, 2) !== '') a.line2 = el(seg, 2);
    } else {
      this.check(seg, L.N4);
      a.city = el(seg, 1);
      const opt = [
        ['state', 2],
        ['postalCode', 3],
        ['country', 4],
        ['locationQualifier', 5],
        ['locationId', 6],
        ['countrySubdivision', 7],
      ] as const;
      for (const [k, n] of opt) if (el(seg, n) !== '') a[k] = el(seg, n);
    }
    p.address = a;
  }

  private contact(seg: Segment): Contact {
    const numbers: { qualifier: string; number: string }[] = [];
    for (let n = 3; n <= 7; n += 2) {
      if (el(seg, n) !== '' || el(seg, n + 1) !== '')
        numbers.push({ qualifier: el(seg, n), number: el(seg, n + 1) });
    }
    return el(seg, 2) === ''
      ? { function: el(seg, 1), numbers }
      : { function: el(seg, 1), name: el(seg, 2), numbers };
  }

  private per(seg: Segment): void {
    if (this.loop === '1000A' && this.party !== undefined) {
      this.check(seg, L.PAYER_PER);
      this.party.contacts = add(this.party.contacts, this.contact(seg));
    } else if (this.loop === '2100' && this.claim !== undefined) {
      this.check(seg, L.CLAIM_PER);
      this.claim.contacts = add(this.claim.contacts, this.contact(seg));
    } else {
      this.unexpected(seg);
    }
  }

  private closeHeaderTable(at: Segment): void {
    if (this.loop === 'HEADER' || this.loop === '1000A' || this.loop === '1000B') {
      if (this.payer === undefined) this.missing('N1', at, '1000A', 'payer identification (N1*PR)');
      if (this.payee === undefined) this.missing('N1', at, '1000B', 'payee identification (N1*PE)');
    }
  }

  private lx(seg: Segment): void {
    if (this.loop === 'SUMMARY') return this.unexpected(seg);
    this.closeHeaderTable(seg);
    this.closeClaim();
    this.loop = '2000';
    this.check(seg, L.LX);
    this.header = { number: el(seg, 1), claims: [], at: loc(seg) };
    this.headers.push(this.header);
  }

  private clp(seg: Segment): void {
    if (this.loop === 'SUMMARY') return this.unexpected(seg);
    this.closeHeaderTable(seg);
    this.closeClaim();
    if (this.header === undefined) {
      // 5010 835: claims sit in a 2000 header number loop; keep them in an LX-less header rather than drop them.
      this.header = { claims: [], at: loc(seg) };
      this.headers.push(this.header);
    }
    this.loop = '2100';
    this.check(seg, L.CLP);
    this.claimSeg = seg;
    this.claimMoneyOk = true;
    const c: Building<ClaimPayment> = {
      patientControlNumber: el(seg, 1),
      status: el(seg, 2),
      charge: this.amount(seg, 3, true) ?? 0,
      paid: this.amount(seg, 4, true) ?? 0,
      filingIndicator: el(seg, 6),
      adjustments: NONE,
      references: NONE,
      dates: NONE,
      contacts: NONE,
      amounts: NONE,
      quantities: NONE,
      services: [],
      other: NONE,
      at: loc(seg),
    };
    const pr = this.amount(seg, 5, false);
    if (pr !== undefined) c.patientResponsibility = pr;
    if (el(seg, 7) !== '') c.payerClaimControlNumber = el(seg, 7);
    if (el(seg, 8) !== '') c.facilityType = el(seg, 8);
    if (el(seg, 9) !== '') c.frequency = el(seg, 9);
    if (el(seg, 11) !== '') c.drg = el(seg, 11);
    if (el(seg, 12) !== '') c.drgWeight = el(seg, 12);
    if (el(seg, 13) !== '') c.dischargeFraction = el(seg, 13);
    this.claim = c;
    this.header.claims = add(this.header.claims, c);
  }

  private cas(seg: Segment): void {
    const target = this.loop === '2110' ? this.line : this.loop === '2100' ? this.claim : undefined;
    if (target === undefined) return this.unexpected(seg);
    this.check(seg, L.CAS);
    const items: AdjustmentItem[] = [];
    for (let n = 2; n <= 17; n += 3) {
      const reason = el(seg, n);
      const amountText = el(seg, n + 1);
      if (reason === '' && amountText === '' && el(seg, n + 2) === '') continue;
      const where = `CAS${String(n).padStart(2, '0')}`;
      if (reason === '' || amountText === '') {
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
      const item: Building<AdjustmentItem> = { reason, amount: this.amount(seg, n + 1, true) ?? 0 };
      const q = el(seg, n + 2);
      if (q !== '') {
        const qv = quantity(q);
        if (qv !== undefined) item.quantity = qv;
      }
      items.push(item);
    }
    const adj: Adjustment = { group: el(seg, 1), items, at: loc(seg) };
    target.adjustments = add(target.adjustments, adj);
  }

  private nm1(seg: Segment): void {
    const c = this.claim;
    if (this.loop !== '2100' || c === undefined) return this.unexpected(seg);
    this.check(seg, L.CLAIM_NM1);
    const n: Building<Name> = { entity: el(seg, 1), entityType: el(seg, 2) };
    if (el(seg, 3) !== '') n.last = el(seg, 3);
    if (el(seg, 4) !== '') n.first = el(seg, 4);
    if (el(seg, 5) !== '') n.middle = el(seg, 5);
    if (el(seg, 6) !== '') n.prefix = el(seg, 6);
    if (el(seg, 7) !== '') n.suffix = el(seg, 7);
    if (el(seg, 8) !== '') n.idQualifier = el(seg, 8);
    if (el(seg, 9) !== '') n.id = el(seg, 9);
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

  private moa(seg: Segment): void {
    const c = this.claim;
    if (this.loop !== '2100' || c === undefined) return this.unexpected(seg);
    this.check(seg, L.MOA);
    const remarks: string[] = [];
    for (let n = 3; n <= 7; n++) {
      if (el(seg, n) !== '') {
        remarks.push(el(seg, n));
        this.checkRarc(seg, n);
      }
    }
    const m: Building<OutpatientAdjudication> = { remarks };
    if (el(seg, 1) !== '') m.reimbursementRate = el(seg, 1);
    const hcpcs = this.amount(seg, 2, false);
    if (hcpcs !== undefined) m.hcpcsPayable = hcpcs;
    const esrd = this.amount(seg, 8, false);
    if (esrd !== undefined) m.esrdPayment = esrd;
    const np = this.amount(seg, 9, false);
    if (np !== undefined) m.nonPayableProfessional = np;
    c.outpatient = m;
  }

  private checkRarc(seg: Segment, n: number): void {
    const code = el(seg, n);
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

  private amt(seg: Segment): void {
    const target = this.loop === '2110' ? this.line : this.loop === '2100' ? this.claim : undefined;
    if (target === undefined) return this.unexpected(seg);
    this.check(seg, this.loop === '2110' ? L.SERVICE_AMT : L.CLAIM_AMT);
    const a: AmountReference = { qualifier: el(seg, 1), amount: this.amount(seg, 2, true) ?? 0 };
    target.amounts = add(target.amounts, a);
  }

  private qty(seg: Segment): void {
    const target = this.loop === '2110' ? this.line : this.loop === '2100' ? this.claim : undefined;
    if (target === undefined) return this.unexpected(seg);
    this.check(seg, this.loop === '2110' ? L.SERVICE_QTY : L.CLAIM_QTY);
    const q: QuantityReference = { qualifier: el(seg, 1), quantity: quantity(el(seg, 2)) ?? 0 };
    target.quantities = add(target.quantities, q);
  }

  private procedure(seg: Segment, n: number): Procedure | undefined {
    const text = seg.elements[n] ?? '';
    if (text === '') return undefined;
    const parts = text.split(seg.delimiters.component);
    let modifiers: string[] = NONE;
    for (let c = 2; c <= 5; c++) {
      const m = parts[c];
      if (m !== undefined && m !== '') modifiers = add(modifiers, m);
    }
    const p: Building<Procedure> = { qualifier: parts[0] ?? '', code: parts[1] ?? '', modifiers };
    const d = parts[6];
    if (d !== undefined && d !== '') p.description = d;
    return p;
  }

  private svc(seg: Segment): void {
    const c = this.claim;
    if ((this.loop !== '2100' && this.loop !== '2110') || c === undefined) return this.unexpected(seg);
    this.closeLine();
    this.loop = '2110';
    this.check(seg, L.SVC);
    this.lineSeg = seg;
    this.lineMoneyOk = true;
    const s: Building<ServicePayment> = {
      procedure: this.procedure(seg, 1) ?? { qualifier: '', code: '', modifiers: [] },
      charge: this.amount(seg, 2, true) ?? 0,
      paid: this.amount(seg, 3, true) ?? 0,
      dates: NONE,
      adjustments: NONE,
      references: NONE,
      amounts: NONE,
      quantities: NONE,
      remarks: NONE,
      other: NONE,
      at: loc(seg),
    };
    if (el(seg, 4) !== '') s.revenueCode = el(seg, 4);
    const units = quantity(el(seg, 5));
    if (units !== undefined) s.units = units;
    const original = this.procedure(seg, 6);
    if (original !== undefined) s.originalProcedure = original;
    const ou = quantity(el(seg, 7));
    if (ou !== undefined) s.originalUnits = ou;
    this.line = s;
    c.services = add(c.services, s);
  }

  private lq(seg: Segment): void {
    if (this.loop !== '2110' || this.line === undefined) return this.unexpected(seg);
    this.check(seg, L.LQ);
    const r: Remark = { qualifier: el(seg, 1), code: el(seg, 2) };
    if (r.qualifier === 'HE') this.checkRarc(seg, 2);
    this.line.remarks = add(this.line.remarks, r);
  }

  private plb(seg: Segment): void {
    this.closeHeaderTable(seg);
    this.closeClaim();
    this.loop = 'SUMMARY';
    this.check(seg, L.PLB);
    const items: ProviderAdjustmentItem[] = [];
    for (let n = 3; n <= 13; n += 2) {
      const comp = el(seg, n);
      if (comp === '' && el(seg, n + 1) === '') continue;
      const i = comp.indexOf(seg.delimiters.component);
      const reason = i < 0 ? comp : comp.slice(0, i);
      const reference = i < 0 ? '' : comp.slice(i + 1);
      const item: Building<ProviderAdjustmentItem> = { reason, amount: this.amount(seg, n + 1, true) ?? 0 };
      if (reference !== '') item.reference = reference;
      items.push(item);
    }
    this.plbs.push({ providerId: el(seg, 1), fiscalPeriodDate: this.date(seg, 2), items, at: loc(seg) });
  }

  // ---- loop closing and balancing --------------------------------------------------------------------------

  private closeLine(): void {
    const s = this.line;
    const seg = this.lineSeg;
    if (s === undefined || seg === undefined) return;
    this.line = undefined;
    this.loop = '2100';
    if (!this.validate || !this.lineMoneyOk) return;
    // 2110 balancing (835 TR3 1.10.2.1.2): SVC02 line charge − Σ line CAS amounts = SVC03 line payment.
    let adjusted = 0;
    for (const a of s.adjustments) for (const it of a.items) adjusted += it.amount;
    const diff = s.charge - adjusted - s.paid;
    if (diff !== 0) {
      this.error(
        seg,
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
    const seg = this.claimSeg;
    if (c === undefined || seg === undefined) return;
    this.claim = undefined;
    this.paidTotal += c.paid;
    this.loop = '2000';
    if (!this.validate || !this.claimMoneyOk || c.services.length === 0) return;
    // 2100 balancing (835 TR3 1.10.2.1.1): CLP03 − Σ claim and service CAS = CLP04, checked when service lines
    // are present (without them the claim may be adjudicated at claim level only).
    let adjusted = 0;
    for (const a of c.adjustments) for (const it of a.items) adjusted += it.amount;
    for (const s of c.services)
      for (const a of s.adjustments) for (const it of a.items) adjusted += it.amount;
    const diff = c.charge - adjusted - c.paid;
    if (diff !== 0) {
      this.error(
        seg,
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
      const last = this.last ?? st;
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
