/**
 * Typed forms of the segments every HIPAA 5010 guide reuses (NM1, N3/N4, PER, REF, DTP, DMG, TRN, PRV, AMT, QTY)
 * with a reader and a writer for each. Readers keep the segment location so later checks can point at it; they
 * never throw. Writers take the typed value and return segment text for a {@link SegmentWriter}.
 */
import type { Diagnostic, DiagnosticSink, SegmentLocation } from './diagnostics.ts';
import { component, components, element, position, type Segment } from './segment.ts';
import {
  d8ToIso,
  formatAmount,
  formatQuantityMilli,
  isoToD8,
  parseAmount,
  parseQuantityMilli,
  rd8ToIso,
} from './values.ts';
import type { SegmentWriter } from './writer.ts';

/** Where a typed value came from in the input. */
export interface Location {
  /** 0-based segment index in the input. */
  readonly segmentIndex: number;
  /** 1-based line. */
  readonly line: number;
}

/** The location of a segment. */
export function locationOf(seg: Segment): Location {
  return { segmentIndex: seg.index, line: seg.line };
}

/** A segment kept as read because the reader does not interpret it: id plus elements split into components. */
export interface RawSegment {
  readonly id: string;
  /** elements[0] is element 01; each element is its list of components (one for a simple element). */
  readonly elements: readonly (readonly string[])[];
}

/**
 * Drops keys whose value is undefined, so optional properties are absent rather than `undefined`
 * (exactOptionalPropertyTypes). Readers build typed objects with it.
 */
export function compact<T extends object>(o: { [K in keyof T]: T[K] | undefined }): T {
  // for...in over a fresh literal: no intermediate entry arrays (readers call this per segment).
  const src = o as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const keys = Object.keys(src);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    const v = src[k];
    if (v !== undefined) out[k] = v;
  }
  return out as T;
}

/** Element text, or undefined when empty. */
export function opt(seg: Segment, n: number): string | undefined {
  const v = element(seg, n);
  return v === '' ? undefined : v;
}

/** Component text, or undefined when empty. */
export function optComponent(seg: Segment, n: number, c: number): string | undefined {
  const v = component(seg, n, c);
  return v === '' ? undefined : v;
}

/** Reads any segment as a {@link RawSegment}. */
export function readRaw(seg: Segment): RawSegment {
  return {
    id: seg.id,
    elements: seg.elements.slice(1).map((e) => e.split(seg.delimiters.component)),
  };
}

/** Writes a {@link RawSegment} back with the writer's delimiters. */
export function writeRaw(w: SegmentWriter, raw: RawSegment): string {
  return w.segment(raw.id, ...raw.elements.map((c) => (c.length === 1 ? c[0] : c)));
}

// ---------------------------------------------------------------------------------------------------------
// NM1 individual or organizational name

/** NM1: an entity's name and identifier (payer, provider, subscriber, patient, ...). */
export interface EntityName {
  /** NM101 entity identifier code (PR payer, 1P provider, IL insured, QC patient, 03 dependent, ...). */
  readonly entityIdentifier: string;
  /** NM102 entity type qualifier: 1 person, 2 non-person entity. */
  readonly entityType: string;
  /** NM103 last name or organization name. */
  readonly lastOrOrganizationName?: string;
  readonly firstName?: string;
  readonly middleName?: string;
  readonly namePrefix?: string;
  readonly nameSuffix?: string;
  /** NM108 identification code qualifier (PI payer id, XX NPI, MI member id, 46 ETIN, ...). */
  readonly idQualifier?: string;
  /** NM109 identification code. */
  readonly id?: string;
  /** NM110 entity relationship code. */
  readonly relationship?: string;
  /** NM111 entity identifier code (secondary). */
  readonly secondaryEntityIdentifier?: string;
  /** NM112 name last or organization name (secondary). */
  readonly secondaryName?: string;
  readonly at?: Location;
}

export function readNm1(seg: Segment): EntityName {
  return compact<EntityName>({
    entityIdentifier: element(seg, 1),
    entityType: element(seg, 2),
    lastOrOrganizationName: opt(seg, 3),
    firstName: opt(seg, 4),
    middleName: opt(seg, 5),
    namePrefix: opt(seg, 6),
    nameSuffix: opt(seg, 7),
    idQualifier: opt(seg, 8),
    id: opt(seg, 9),
    relationship: opt(seg, 10),
    secondaryEntityIdentifier: opt(seg, 11),
    secondaryName: opt(seg, 12),
    at: locationOf(seg),
  });
}

export function writeNm1(w: SegmentWriter, n: EntityName): string {
  return w.segment(
    'NM1',
    n.entityIdentifier,
    n.entityType,
    n.lastOrOrganizationName,
    n.firstName,
    n.middleName,
    n.namePrefix,
    n.nameSuffix,
    n.idQualifier,
    n.id,
    n.relationship,
    n.secondaryEntityIdentifier,
    n.secondaryName,
  );
}

// ---------------------------------------------------------------------------------------------------------
// N3 / N4 address

/** N3 + N4: a postal address. */
export interface Address {
  /** N301 */
  readonly line1?: string;
  /** N302 */
  readonly line2?: string;
  /** N401 */
  readonly city?: string;
  /** N402 state or province code. */
  readonly state?: string;
  /** N403 */
  readonly postalCode?: string;
  /** N404 country code (non-US only). */
  readonly country?: string;
  /** N405 location qualifier, N406 location identifier (e.g. DoD health service region). */
  readonly locationQualifier?: string;
  readonly locationId?: string;
  /** N407 country subdivision code. */
  readonly countrySubdivision?: string;
  /** Whether the address came with an N3 (street) segment and an N4 (city/state/zip) segment. */
  readonly hasN3: boolean;
  readonly hasN4: boolean;
}

/** Merges an N3 or N4 segment into an address being read. */
export function readAddressPart(seg: Segment, prev: Address | undefined): Address {
  const a: { -readonly [K in keyof Address]: Address[K] } =
    prev === undefined ? { hasN3: false, hasN4: false } : { ...prev };
  const set = (k: Exclude<keyof Address, 'hasN3' | 'hasN4'>, n: number): void => {
    const v = element(seg, n);
    if (v !== '') a[k] = v;
  };
  if (seg.id === 'N3') {
    a.hasN3 = true;
    set('line1', 1);
    set('line2', 2);
    return a;
  }
  a.hasN4 = true;
  set('city', 1);
  set('state', 2);
  set('postalCode', 3);
  set('country', 4);
  set('locationQualifier', 5);
  set('locationId', 6);
  set('countrySubdivision', 7);
  return a;
}

export function writeAddress(w: SegmentWriter, a: Address, out: string[]): void {
  if (a.hasN3) out.push(w.segment('N3', a.line1, a.line2));
  if (a.hasN4) {
    out.push(
      w.segment(
        'N4',
        a.city,
        a.state,
        a.postalCode,
        a.country,
        a.locationQualifier,
        a.locationId,
        a.countrySubdivision,
      ),
    );
  }
}

/** Builds an address value (N3 when a street line is given, N4 always). */
export function address(a: Omit<Address, 'hasN3' | 'hasN4'>): Address {
  return { ...a, hasN3: a.line1 !== undefined || a.line2 !== undefined, hasN4: true };
}

// ---------------------------------------------------------------------------------------------------------
// PER contact

export interface ContactNumber {
  /** PER03/05/07 communication number qualifier: TE phone, EM email, FX fax, UR URL, EX extension. */
  readonly qualifier: string;
  readonly number: string;
}

/** PER: a contact (PER01 function code, e.g. IC information contact). */
export interface Contact {
  readonly functionCode: string;
  readonly name?: string;
  readonly numbers: readonly ContactNumber[];
}

export function readPer(seg: Segment): Contact {
  const numbers: ContactNumber[] = [];
  for (const n of [3, 5, 7]) {
    if (element(seg, n) !== '' || element(seg, n + 1) !== '') {
      numbers.push({ qualifier: element(seg, n), number: element(seg, n + 1) });
    }
  }
  return compact<Contact>({ functionCode: element(seg, 1), name: opt(seg, 2), numbers });
}

export function writePer(w: SegmentWriter, c: Contact): string {
  const els: (string | undefined)[] = [c.functionCode, c.name];
  for (const n of c.numbers.slice(0, 3)) els.push(n.qualifier, n.number);
  return w.segment('PER', ...els);
}

// ---------------------------------------------------------------------------------------------------------
// REF reference identification

/** REF: an identifier with its qualifier (REF01), e.g. 1K payer claim control number, EJ patient account. */
export interface Reference {
  readonly qualifier: string;
  readonly value: string;
  /** REF03 description. */
  readonly description?: string;
}

export function readRef(seg: Segment): Reference {
  return compact<Reference>({ qualifier: element(seg, 1), value: element(seg, 2), description: opt(seg, 3) });
}

export function writeRef(w: SegmentWriter, r: Reference): string {
  return w.segment('REF', r.qualifier, r.value, r.description);
}

/** The first reference with a qualifier, if any. */
export function refValue(refs: readonly Reference[], qualifier: string): string | undefined {
  return refs.find((r) => r.qualifier === qualifier)?.value;
}

// ---------------------------------------------------------------------------------------------------------
// DTP date or time period

/** DTP: a dated event. D8 → `start`; RD8 → `start` and `end` (YYYY-MM-DD); other formats keep `text`. */
export interface DatePeriod {
  /** DTP01 date/time qualifier, e.g. 472 service, 291 plan, 346 plan begin. */
  readonly qualifier: string;
  /** DTP02 format qualifier: D8 or RD8. */
  readonly format: string;
  readonly start?: string;
  readonly end?: string;
  /** DTP03 as written, when it is not a valid D8/RD8 value. */
  readonly text?: string;
}

/** Reads a date period from qualifier/format/value elements (DTP01-03; also used for other dated elements). */
export function readDatePeriod(qualifier: string, format: string, value: string): DatePeriod {
  if (format === 'D8') {
    const iso = d8ToIso(value);
    if (iso !== undefined) return { qualifier, format, start: iso };
  } else if (format === 'RD8') {
    const r = rd8ToIso(value);
    if (r !== undefined) return { qualifier, format, start: r[0], end: r[1] };
  }
  return { qualifier, format, text: value };
}

export function readDtp(seg: Segment): DatePeriod {
  return readDatePeriod(element(seg, 1), element(seg, 2), element(seg, 3));
}

/** DTP03 text for a date period. */
export function datePeriodText(d: DatePeriod): string {
  if (d.start !== undefined) {
    if (d.format === 'RD8') return `${isoToD8(d.start)}-${isoToD8(d.end ?? d.start)}`;
    return isoToD8(d.start);
  }
  return d.text ?? '';
}

export function writeDtp(w: SegmentWriter, d: DatePeriod): string {
  return w.segment('DTP', d.qualifier, d.format, datePeriodText(d));
}

/** A single date (D8) or a range (RD8) as a DTP value. */
export function datePeriod(qualifier: string, start: string, end?: string): DatePeriod {
  return end === undefined || end === start
    ? { qualifier, format: 'D8', start }
    : { qualifier, format: 'RD8', start, end };
}

// ---------------------------------------------------------------------------------------------------------
// DMG demographics

/** DMG: birth date and gender. */
export interface Demographics {
  /** DMG01 format qualifier (D8). */
  readonly format: string;
  /** DMG02 as YYYY-MM-DD, when valid. */
  readonly birthDate?: string;
  /** DMG02 as written when it is not a valid D8 date. */
  readonly birthDateText?: string;
  /** DMG03 gender code: F, M, U. */
  readonly gender?: string;
}

export function readDmg(seg: Segment): Demographics {
  const text = element(seg, 2);
  const iso = element(seg, 1) === 'D8' ? d8ToIso(text) : undefined;
  return compact<Demographics>({
    format: element(seg, 1),
    birthDate: iso,
    birthDateText: iso === undefined && text !== '' ? text : undefined,
    gender: opt(seg, 3),
  });
}

export function writeDmg(w: SegmentWriter, d: Demographics): string {
  const date = d.birthDate !== undefined ? isoToD8(d.birthDate) : d.birthDateText;
  return w.segment('DMG', d.format, date, d.gender);
}

// ---------------------------------------------------------------------------------------------------------
// TRN trace

/** TRN: a trace number (TRN01 1 current transaction / 2 referenced transaction). */
export interface Trace {
  readonly typeCode: string;
  readonly referenceId: string;
  /** TRN03 originating company identifier ('1' + EIN, or a DUNS). */
  readonly originatorId?: string;
  /** TRN04 reference identification (originating company's division or a second trace). */
  readonly secondaryId?: string;
}

export function readTrn(seg: Segment): Trace {
  return compact<Trace>({
    typeCode: element(seg, 1),
    referenceId: element(seg, 2),
    originatorId: opt(seg, 3),
    secondaryId: opt(seg, 4),
  });
}

export function writeTrn(w: SegmentWriter, t: Trace): string {
  return w.segment('TRN', t.typeCode, t.referenceId, t.originatorId, t.secondaryId);
}

// ---------------------------------------------------------------------------------------------------------
// PRV provider information

/** PRV: provider role (PRV01) and taxonomy (PRV02 PXC, PRV03 code). */
export interface ProviderInformation {
  readonly providerCode: string;
  readonly qualifier?: string;
  readonly id?: string;
}

export function readPrv(seg: Segment): ProviderInformation {
  return compact<ProviderInformation>({
    providerCode: element(seg, 1),
    qualifier: opt(seg, 2),
    id: opt(seg, 3),
  });
}

export function writePrv(w: SegmentWriter, p: ProviderInformation): string {
  return w.segment('PRV', p.providerCode, p.qualifier, p.id);
}

// ---------------------------------------------------------------------------------------------------------
// AMT / QTY

/** AMT: an amount in integer cents with its qualifier (T3 total charge, YU accepted, YY rejected, ...). */
export interface MonetaryAmount {
  readonly qualifier: string;
  readonly cents: number;
}

/** Reads an AMT; reports and returns undefined when AMT02 is not an amount. */
export function readAmt(seg: Segment, loop: string, sink: DiagnosticSink): MonetaryAmount | undefined {
  const cents = parseAmount(element(seg, 2));
  if (cents === undefined) {
    sink.at(seg, 'error', 'invalid-amount', 'AMT02 is not a valid monetary amount', {
      loop,
      element: 'AMT02',
      ik304: '8',
      ik403: element(seg, 2) === '' ? '1' : '6',
    });
    return undefined;
  }
  return { qualifier: element(seg, 1), cents };
}

export function writeAmt(w: SegmentWriter, a: MonetaryAmount): string {
  return w.segment('AMT', a.qualifier, formatAmount(a.cents));
}

/** QTY: a quantity in thousandths with its qualifier (90 accepted, AA rejected, QA/QC claim counts). */
export interface Quantity {
  readonly qualifier: string;
  readonly milli: number;
}

export function readQty(seg: Segment, loop: string, sink: DiagnosticSink): Quantity | undefined {
  const milli = parseQuantityMilli(element(seg, 2));
  if (milli === undefined) {
    sink.at(seg, 'error', 'invalid-quantity', 'QTY02 is not a valid quantity', {
      loop,
      element: 'QTY02',
      ik304: '8',
      ik403: element(seg, 2) === '' ? '1' : '6',
    });
    return undefined;
  }
  return { qualifier: element(seg, 1), milli };
}

export function writeQty(w: SegmentWriter, q: Quantity): string {
  return w.segment('QTY', q.qualifier, formatQuantityMilli(q.milli));
}

/** Parses an optional amount element; reports a located error when present but not an amount. */
export function optAmount(seg: Segment, n: number, loop: string, sink: DiagnosticSink): number | undefined {
  const text = element(seg, n);
  if (text === '') return undefined;
  const cents = parseAmount(text);
  if (cents === undefined) {
    sink.at(seg, 'error', 'invalid-amount', `${position(seg.id, n)} is not a valid monetary amount`, {
      loop,
      element: position(seg.id, n),
      ik304: '8',
      ik403: '6',
    });
  }
  return cents;
}

/** Parses an optional quantity element into thousandths; reports when present but not a number. */
export function optQuantity(seg: Segment, n: number, loop: string, sink: DiagnosticSink): number | undefined {
  const text = element(seg, n);
  if (text === '') return undefined;
  const v = parseQuantityMilli(text);
  if (v === undefined) {
    sink.at(seg, 'error', 'invalid-quantity', `${position(seg.id, n)} is not a valid quantity`, {
      loop,
      element: position(seg.id, n),
      ik304: '8',
      ik403: '6',
    });
  }
  return v;
}

/** A reader's result: whatever could be read, plus located findings. Readers never throw on bad input. */
export interface ReadResult<T> {
  readonly value: T;
  readonly diagnostics: Diagnostic[];
}

/**
 * The location to report a missing segment at: the segment it should have followed (or its loop's first
 * segment), under the id of the segment that is missing, as a 999 IK301 names it.
 */
export function missingSegment(anchor: Segment | undefined, id: string): SegmentLocation | undefined {
  return anchor === undefined
    ? undefined
    : { id, index: anchor.index, line: anchor.line, offset: anchor.offset };
}

/**
 * Reports segments that come out of the guide's order inside one loop (999 IK304 7) as warnings: readers accept
 * them, and writers emit the guide's order, so a rewrite that reorders is never silent.
 */
export class SegmentOrder {
  private last = -1;

  constructor(
    private readonly ranks: Readonly<Record<string, number>>,
    private readonly loop: string,
    private readonly sink: DiagnosticSink,
  ) {}

  see(seg: Segment): void {
    const r = this.ranks[seg.id];
    if (r === undefined) return;
    if (r < this.last) {
      this.sink.at(
        seg,
        'warning',
        'segment-order',
        `${seg.id} is out of the guide's order in loop ${this.loop}`,
        {
          loop: this.loop,
          ik304: '7',
        },
      );
    } else {
      this.last = r;
    }
  }
}

/**
 * Sets each located diagnostic's position inside its transaction set (ST = 1), as a 999 IK302 reports it.
 */
export function withPositions(
  diagnostics: readonly Diagnostic[],
  tx: { readonly st: { readonly index: number } },
): Diagnostic[] {
  return diagnostics.map((d) =>
    d.segmentIndex === undefined || d.positionInTransaction !== undefined
      ? d
      : { ...d, positionInTransaction: d.segmentIndex - tx.st.index + 1 },
  );
}

/** A C003 composite medical procedure identifier (270 EQ02, 271 EB13, 276/277 SVC01). */
export interface ProcedureCode {
  /** C003-1 product or service id qualifier: HC CPT/HCPCS, N4 NDC, NU revenue code, ... */
  readonly qualifier: string;
  readonly code: string;
  /** C003-3..6: up to four modifiers; empty strings keep positions when a sender skips one. */
  readonly modifiers: readonly string[];
  /** C003-7 description. */
  readonly description?: string;
}

/** Reads the C003 composite in element `n`, or undefined when absent. */
export function readProcedure(seg: Segment, n: number): ProcedureCode | undefined {
  const c = compositeOf(seg, n);
  if (c.length === 0) return undefined;
  const modifiers = c.slice(2, 6);
  while (modifiers.length > 0 && modifiers[modifiers.length - 1] === '') modifiers.pop();
  return compact<ProcedureCode>({
    qualifier: c[0] ?? '',
    code: c[1] ?? '',
    modifiers,
    description: c[6] === undefined || c[6] === '' ? undefined : c[6],
  });
}

/** The C003 composite as writer components. */
export function procedureComposite(p: ProcedureCode): (string | undefined)[] {
  const mods: (string | undefined)[] = [...p.modifiers];
  while (mods.length < 4) mods.push(undefined);
  return [p.qualifier, p.code, ...mods.slice(0, 4), p.description];
}

/** The components of composite element `n`, with trailing empty components removed. */
export function compositeOf(seg: Segment, n: number): string[] {
  const c = components(seg, n);
  while (c.length > 0 && c[c.length - 1] === '') c.pop();
  return c;
}

/** Optional D8 date element as YYYY-MM-DD; reports a located error when present but invalid. */
export function optD8(seg: Segment, n: number, loop: string, sink: DiagnosticSink): string | undefined {
  const text = element(seg, n);
  if (text === '') return undefined;
  const iso = d8ToIso(text);
  if (iso === undefined) {
    sink.at(seg, 'error', 'invalid-date', `${position(seg.id, n)} is not a valid CCYYMMDD date`, {
      loop,
      element: position(seg.id, n),
      ik304: '8',
      ik403: '8',
    });
  }
  return iso;
}
