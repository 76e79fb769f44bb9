import { DEFAULT_DELIMITERS, type Delimiters } from '../core/delimiters.ts';
import { formatAmount, formatQuantityMilli, isValidD8, isoToD8 } from '../core/values.ts';
import { DiagnosticSink } from '../core/diagnostics.ts';
import type { Segment } from '../core/segment.ts';
import { checkSegment } from '../core/spec.ts';
import {
  SegmentWriter,
  X12WriteError,
  writeInterchange,
  type ElementValue,
  type InterchangeOptions,
} from '../core/writer.ts';
import { cobProblems, describeCobProblem } from './cob.ts';
import { layoutFor } from './layouts.ts';
import { ICD10_FROM } from './read.ts';
import { ADJUDICATION_RANK, CLAIM_RANK, LINE_RANK, OTHER_PAYER_RANK, PARTY_RANK } from './order.ts';
import type {
  Adjustment,
  Batch837P,
  BillingProvider,
  Claim837P,
  Header837P,
  LineAdjudication,
  OtherPayer,
  Party,
  Patient,
  PatientInformation,
  Procedure,
  QualifiedDate,
  RawSegment,
  Reference,
  ServiceLine,
  Subscriber,
} from './model.ts';

/** The guide this writer produces (GS08 / ST03). */
export const IMPLEMENTATION_837P = '005010X222A1';

/** Envelope of a written 837P: the interchange options plus group and transaction control numbers. */
export interface Envelope837P extends InterchangeOptions {
  /** GS02 application sender's code. */
  readonly applicationSenderCode: string;
  /** GS03 application receiver's code. */
  readonly applicationReceiverCode: string;
  /** GS06 / GE02 (from a database sequence). */
  readonly groupControlNumber: number;
  /** ST02 / SE02 (from a database sequence). */
  readonly transactionControlNumber: number;
}

/** Collects segments with a TR3 order rank; a stable sort keeps equal ranks in insertion order. */
class Ordered {
  private readonly items: { rank: number; seq: number; segs: readonly string[] }[] = [];
  add(rank: number, ...segs: string[]): void {
    this.items.push({ rank, seq: this.items.length, segs });
  }
  addAll(rank: number, segs: readonly string[]): void {
    this.items.push({ rank, seq: this.items.length, segs });
  }
  lines(): string[] {
    let sorted = true;
    for (let i = 1; i < this.items.length && sorted; i++) {
      if ((this.items[i]?.rank ?? 0) < (this.items[i - 1]?.rank ?? 0)) sorted = false;
    }
    if (!sorted) this.items.sort((a, b) => a.rank - b.rank || a.seq - b.seq);
    const out: string[] = [];
    for (const i of this.items) for (const s of i.segs) out.push(s);
    return out;
  }
}

/**
 * Writes the segments of one loop and checks each against its TR3 layout (the same element checks the reader
 * makes), so a value the reader would flag — a code outside the loop's list, a length, a type — is refused here
 * with X12WriteError instead of being sent.
 */
class LoopWriter {
  constructor(
    readonly base: SegmentWriter,
    readonly loop: string,
  ) {}

  in(loop: string): LoopWriter {
    return new LoopWriter(this.base, loop);
  }

  segment(id: string, ...elements: ElementValue[]): string {
    const text = this.base.segment(id, ...elements);
    const layout = layoutFor(id, this.loop);
    if (layout !== undefined) {
      const d = this.base.delimiters;
      const seg: Segment = {
        id,
        elements: text.split(d.element),
        index: 0,
        line: 0,
        offset: 0,
        delimiters: d,
      };
      const sink = new DiagnosticSink();
      checkSegment(seg, layout, this.loop, sink);
      const first = sink.items[0];
      if (first !== undefined) fail(`${this.loop} ${first.element ?? id}: ${first.message}`);
    }
    return text;
  }
}

// 2300 REF order in the TR3.
const CLAIM_REF_ORDER = ['4N', 'F5', 'EW', '9F', 'G1', 'F8', 'X4', '9A', '9C', 'LX', 'D9', 'EA', 'P4', '1J'];
// 2400 REF order in the TR3.
const LINE_REF_ORDER = ['9B', '9D', 'G1', '6R', 'EW', 'X4', 'F4', 'BT', '9F'];

function byOrder(refs: readonly Reference[], order: readonly string[]): Reference[] {
  const rank = (q: string): number => {
    const i = order.indexOf(q);
    return i < 0 ? order.length : i;
  };
  return refs
    .map((r, i) => ({ r, i }))
    .sort((a, b) => rank(a.r.qualifier) - rank(b.r.qualifier) || a.i - b.i)
    .map((x) => x.r);
}

function fail(message: string): never {
  throw new X12WriteError(message);
}

function required(value: string | undefined, what: string): string {
  if (value === undefined || value === '') fail(`${what} is required`);
  return value;
}

function amt(cents: number, what: string): string {
  if (!Number.isSafeInteger(cents)) fail(`${what} must be a whole number of cents`);
  return formatAmount(cents);
}

function qty(milli: number, what: string): string {
  if (!Number.isSafeInteger(milli)) fail(`${what} must be a whole number of thousandths`);
  return formatQuantityMilli(milli);
}

function d8(iso: string, what: string): string {
  const text = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? isoToD8(iso) : '';
  if (!isValidD8(text)) fail(`${what} must be a valid YYYY-MM-DD date`);
  return text;
}

function dateSegment(w: LoopWriter, d: QualifiedDate, what: string): string {
  required(d.qualifier, `${what} DTP01`);
  if (d.through !== undefined) {
    if (d.time !== undefined) fail(`${what} cannot have both a range and a time`);
    const from = d8(d.date, what);
    const to = d8(d.through, what);
    if (to < from) fail(`${what} range ends before it starts`);
    return w.segment('DTP', d.qualifier, 'RD8', `${from}-${to}`);
  }
  if (d.time !== undefined) {
    if (!/^\d{4}$/.test(d.time)) fail(`${what} time must be HHMM`);
    return w.segment('DTP', d.qualifier, 'DT', d8(d.date, what) + d.time);
  }
  return w.segment('DTP', d.qualifier, 'D8', d8(d.date, what));
}

function rawSegments(
  w: LoopWriter,
  out: Ordered,
  raws: readonly RawSegment[],
  ranks: Record<string, number>,
  fallback: number,
): void {
  for (const r of raws) out.add(ranks[r.id] ?? fallback, w.segment(r.id, ...r.elements));
}

function referenceSegment(w: LoopWriter, r: Reference, loop: string): string {
  return w.segment(
    'REF',
    required(r.qualifier, `${loop} REF01`),
    required(r.value, `${loop} REF02`),
    r.description,
  );
}

/** An NM1-headed loop in TR3 order NM1, PRV, N3, N4, DMG, DTP, REF, PER. */
function partySegments(w: LoopWriter, p: Party, loop: string): string[] {
  const s = w.in(loop);
  const n = p.name;
  required(n.entity, `${loop} NM101`);
  if (n.entityType !== '1' && n.entityType !== '2') fail(`${loop} NM102 must be 1 or 2`);
  if ((n.id === undefined) !== (n.idQualifier === undefined)) fail(`${loop} NM108 and NM109 go together`);
  const out = new Ordered();
  out.add(
    0,
    s.segment(
      'NM1',
      n.entity,
      n.entityType,
      n.lastOrOrganization,
      n.first,
      n.middle,
      undefined,
      n.suffix,
      n.idQualifier,
      n.id,
    ),
  );
  if (p.specialty !== undefined) {
    const prv = p.specialty;
    out.add(
      1,
      s.segment(
        'PRV',
        required(prv.providerCode, `${loop} PRV01`),
        required(prv.qualifier, `${loop} PRV02`),
        required(prv.taxonomy, `${loop} PRV03`),
      ),
    );
  }
  const a = p.address;
  if (a !== undefined) {
    if (a.line1 !== undefined) out.add(2, s.segment('N3', a.line1, a.line2));
    else if (a.line2 !== undefined) fail(`${loop} N302 needs N301`);
    if (a.city !== undefined)
      out.add(
        3,
        s.segment('N4', a.city, a.state, a.postalCode, a.country, undefined, undefined, a.countrySubdivision),
      );
  }
  if (p.demographics !== undefined) {
    out.add(
      4,
      s.segment(
        'DMG',
        'D8',
        d8(p.demographics.birthDate, `${loop} DMG02`),
        required(p.demographics.gender, `${loop} DMG03`),
      ),
    );
  }
  if (p.adjudicationDate !== undefined)
    out.add(5, s.segment('DTP', '573', 'D8', d8(p.adjudicationDate, `${loop} DTP03`)));
  for (const r of p.references) out.add(6, referenceSegment(s, r, loop));
  for (const c of p.contacts) {
    if (c.numbers.length > 3) fail(`${loop} PER holds at most three communication numbers`);
    out.add(
      7,
      s.segment(
        'PER',
        required(c.functionCode, `${loop} PER01`),
        c.name,
        ...c.numbers.flatMap((x) => [x.qualifier, x.number]),
      ),
    );
  }
  rawSegments(s, out, p.other, PARTY_RANK, 8);
  return out.lines();
}

function procedureComposite(p: Procedure, what: string): (string | undefined)[] {
  required(p.qualifier, `${what}-1`);
  required(p.code, `${what}-2`);
  if (p.modifiers.length > 4) fail(`${what} holds at most four modifiers`);
  return [p.qualifier, p.code, p.modifiers[0], p.modifiers[1], p.modifiers[2], p.modifiers[3], p.description];
}

function adjustmentSegment(w: LoopWriter, a: Adjustment, loop: string): string {
  if (a.items.length < 1 || a.items.length > 6) fail(`${loop} CAS holds one to six adjustments`);
  const parts: (string | undefined)[] = [];
  for (const it of a.items) {
    parts.push(
      required(it.reason, `${loop} CAS reason code`),
      amt(it.amountCents, `${loop} CAS amount`),
      it.quantityMilli === undefined ? undefined : qty(it.quantityMilli, `${loop} CAS quantity`),
    );
  }
  return w.segment('CAS', required(a.group, `${loop} CAS01`), ...parts);
}

function patSegment(w: LoopWriter, p: PatientInformation, loop: string): string {
  return w.segment(
    'PAT',
    p.relationship,
    undefined,
    undefined,
    undefined,
    p.deathDate === undefined ? undefined : 'D8',
    p.deathDate === undefined ? undefined : d8(p.deathDate, `${loop} PAT06`),
    p.weightPounds === undefined ? undefined : '01',
    p.weightPounds,
    p.pregnant === true ? 'Y' : undefined,
  );
}

function lineSegments(
  w: LoopWriter,
  line: ServiceLine,
  n: number,
  claim: Claim837P,
  claimHasServiceDate: boolean,
): string[] {
  const s = w.in('2400');
  const where = `2400 (line ${n})`;
  const out = new Ordered();
  out.add(0, s.segment('LX', String(n)));
  if (line.pointers.length < 1 || line.pointers.length > 4)
    fail(`${where} SV107 needs one to four diagnosis pointers`);
  for (const p of line.pointers) {
    if (!Number.isInteger(p) || p < 1 || p > claim.claim.diagnoses.length)
      fail(`${where} SV107 pointer does not point to a diagnosis in HI`);
  }
  // SV109 / SV111 / SV112 take only Y (837P TR3): false is written as absent.
  const yn = (b: boolean | undefined): string | undefined => (b === true ? 'Y' : undefined);
  out.add(
    1,
    s.segment(
      'SV1',
      procedureComposite(line.procedure, `${where} SV101`),
      amt(line.chargeCents, `${where} SV102`),
      required(line.unitBasis, `${where} SV103`),
      qty(line.unitsMilli, `${where} SV104`),
      line.placeOfService,
      undefined,
      line.pointers.map(String),
      undefined,
      yn(line.emergency),
      undefined,
      yn(line.epsdt),
      yn(line.familyPlanning),
      undefined,
      undefined,
      line.copayStatus,
    ),
  );
  // 2400 DTP*472 service date is required (837P TR3), D8 or RD8.
  if (line.serviceDate !== undefined) {
    out.add(
      7,
      dateSegment(
        w,
        line.serviceDateThrough === undefined
          ? { qualifier: '472', date: line.serviceDate }
          : { qualifier: '472', date: line.serviceDate, through: line.serviceDateThrough },
        `${where} DTP*472`,
      ),
    );
  } else if (!claimHasServiceDate) fail(`${where} DTP*472 service date is required`);
  for (const d of line.dates) out.add(7, dateSegment(s, d, `${where} DTP`));
  const refs: Reference[] = [...line.references];
  if (line.lineControlNumber !== undefined) refs.push({ qualifier: '6R', value: line.lineControlNumber });
  if (line.priorAuthorization !== undefined) refs.push({ qualifier: 'G1', value: line.priorAuthorization });
  for (const r of byOrder(refs, LINE_REF_ORDER)) out.add(11, referenceSegment(s, r, where));
  for (const note of line.notes) out.add(14, s.segment('NTE', note.reference, note.text));
  rawSegments(s, out, line.other, LINE_RANK, 17);
  if (line.drug !== undefined) {
    const d = line.drug;
    const s2410 = w.in('2410');
    out.add(
      20,
      s2410.segment('LIN', undefined, required(d.qualifier, '2410 LIN02'), required(d.code, '2410 LIN03')),
    );
    out.add(
      20,
      s2410.segment('CTP', undefined, undefined, undefined, qty(d.quantityMilli, '2410 CTP04'), [
        required(d.unit, '2410 CTP05-1'),
      ]),
    );
    for (const r of d.references) out.add(20, referenceSegment(s2410, r, '2410'));
    for (const r of d.other) out.add(20, s2410.segment(r.id, ...r.elements));
  }
  const p = line.providers;
  const prov = (rank: number, party: Party | undefined, loop: string): void => {
    if (party !== undefined) out.addAll(rank, partySegments(w, party, loop));
  };
  prov(21, p.rendering, '2420A');
  prov(22, p.purchasedService, '2420B');
  prov(23, p.serviceFacility, '2420C');
  prov(24, p.supervising, '2420D');
  prov(25, p.ordering, '2420E');
  if ((p.referring?.length ?? 0) > 2) fail(`${where} 2420F occurs at most twice`);
  for (const r of p.referring ?? []) prov(26, r, '2420F');
  prov(27, p.ambulancePickUp, '2420G');
  prov(28, p.ambulanceDropOff, '2420H');
  for (const a of line.adjudications) out.addAll(30, adjudicationSegments(w, a));
  return out.lines();
}

function adjudicationSegments(w: LoopWriter, a: LineAdjudication): string[] {
  const s = w.in('2430');
  const out = new Ordered();
  out.add(
    0,
    s.segment(
      'SVD',
      required(a.payerId, '2430 SVD01'),
      amt(a.paidCents, '2430 SVD02'),
      procedureComposite(a.procedure, '2430 SVD03'),
      undefined,
      qty(a.paidUnitsMilli, '2430 SVD05'),
      a.bundledLineNumber,
    ),
  );
  for (const adj of a.adjustments) out.add(1, adjustmentSegment(s, adj, '2430'));
  if (a.adjudicationDate !== undefined)
    out.add(2, s.segment('DTP', '573', 'D8', d8(a.adjudicationDate, '2430 DTP03')));
  if (a.remainingPatientLiabilityCents !== undefined)
    out.add(3, s.segment('AMT', 'EAF', amt(a.remainingPatientLiabilityCents, '2430 AMT02')));
  rawSegments(s, out, a.other, ADJUDICATION_RANK, 4);
  return out.lines();
}

// 2330C-G other payer provider loops by NM101.
const OTHER_PAYER_PROVIDER_LOOPS: Readonly<Record<string, string>> = {
  DN: '2330C',
  P3: '2330C',
  '82': '2330D',
  '77': '2330E',
  DQ: '2330F',
  '85': '2330G',
};

function otherPayerSegments(w: LoopWriter, o: OtherPayer): string[] {
  const s = w.in('2320');
  const out = new Ordered();
  out.add(
    0,
    s.segment(
      'SBR',
      required(o.payerResponsibility, '2320 SBR01'),
      required(o.relationship, '2320 SBR02'),
      o.groupNumber,
      o.groupName,
      o.insuranceType,
      undefined,
      undefined,
      undefined,
      o.claimFilingIndicator,
    ),
  );
  for (const a of o.adjustments) out.add(1, adjustmentSegment(s, a, '2320'));
  if (o.paidCents !== undefined) out.add(2, s.segment('AMT', 'D', amt(o.paidCents, '2320 AMT*D')));
  if (o.nonCoveredCents !== undefined)
    out.add(2, s.segment('AMT', 'A8', amt(o.nonCoveredCents, '2320 AMT*A8')));
  if (o.remainingPatientLiabilityCents !== undefined)
    out.add(2, s.segment('AMT', 'EAF', amt(o.remainingPatientLiabilityCents, '2320 AMT*EAF')));
  const oi = o.otherInsurance;
  out.add(
    3,
    s.segment(
      'OI',
      undefined,
      undefined,
      required(oi.benefitsAssignment, '2320 OI03'),
      oi.patientSignatureSource,
      undefined,
      required(oi.releaseOfInformation, '2320 OI06'),
    ),
  );
  rawSegments(s, out, o.other, OTHER_PAYER_RANK, 5);
  out.addAll(10, partySegments(w, o.subscriber, '2330A'));
  out.addAll(11, partySegments(w, o.payer, '2330B'));
  for (const p of o.providers)
    out.addAll(12, partySegments(w, p, OTHER_PAYER_PROVIDER_LOOPS[p.name.entity] ?? '2330C'));
  return out.lines();
}

function claimSegments(w: LoopWriter, c: Claim837P): string[] {
  const s = w.in('2300');
  const k = c.claim;
  const pcn = required(k.patientControlNumber, '2300 CLM01');
  if (pcn.length > 38) fail('2300 CLM01 patient control number is longer than 38 characters');
  if (c.lines.length < 1 || c.lines.length > 50) fail('2300 a claim carries 1 to 50 service lines');
  // CLM02 must equal the sum of SV102 (837P TR3 2300 CLM02).
  const sum = c.lines.reduce((s, l) => s + l.chargeCents, 0);
  if (sum !== k.totalChargeCents)
    fail('2300 CLM02 total charge does not equal the sum of the SV102 line charges');
  if (k.diagnoses.length < 1 || k.diagnoses.length > 12) fail('2300 HI needs one to twelve diagnosis codes');
  for (const d of k.diagnoses)
    if (!/^[A-Z0-9]{3,7}$/.test(d)) fail('2300 HI diagnosis codes are 3-7 letters/digits without a dot');
  // 2300 REF*F8 is required for replacement (7) and void (8) claims.
  if ((k.frequencyCode === '7' || k.frequencyCode === '8') && k.payerClaimControlNumber === undefined)
    fail('2300 REF*F8 payer claim control number is required when CLM05-3 is 7 or 8');
  // ICD-10-CM from 2015-10-01, ICD-9-CM before (HIPAA compliance date).
  const icd9 = k.diagnosisCodeSet === 'icd9';
  for (const l of c.lines) {
    if (l.serviceDate !== undefined && (icd9 ? l.serviceDate >= ICD10_FROM : l.serviceDate < ICD10_FROM)) {
      fail(`2300 HI ${icd9 ? 'ICD-9-CM' : 'ICD-10-CM'} codes do not apply to a line's date of service`);
    }
  }
  const cob = cobProblems(c)[0];
  if (cob !== undefined) fail(describeCobProblem(cob));
  const rc = k.relatedCauses;
  if (rc !== undefined && (rc.codes.length < 1 || rc.codes.length > 3))
    fail('2300 CLM11 holds one to three related causes');
  const out = new Ordered();
  out.add(
    0,
    s.segment(
      'CLM',
      pcn,
      amt(k.totalChargeCents, '2300 CLM02'),
      undefined,
      undefined,
      [
        required(k.placeOfService, '2300 CLM05-1'),
        required(k.facilityCodeQualifier, '2300 CLM05-2'),
        required(k.frequencyCode, '2300 CLM05-3'),
      ],
      required(k.providerSignature, '2300 CLM06'),
      required(k.assignmentParticipation, '2300 CLM07'),
      required(k.benefitsAssignment, '2300 CLM08'),
      required(k.releaseOfInformation, '2300 CLM09'),
      k.patientSignatureSource,
      rc === undefined ? undefined : [rc.codes[0], rc.codes[1], rc.codes[2], rc.state, rc.country],
      k.specialProgram,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      k.delayReason,
    ),
  );
  for (const d of k.dates) out.add(1, dateSegment(s, d, '2300 DTP'));
  for (const a of k.attachments) {
    out.add(
      2,
      s.segment(
        'PWK',
        required(a.reportType, '2300 PWK01'),
        required(a.transmission, '2300 PWK02'),
        undefined,
        undefined,
        a.controlNumber === undefined ? undefined : 'AC',
        a.controlNumber,
      ),
    );
  }
  if (k.patientPaidCents !== undefined)
    out.add(4, s.segment('AMT', 'F5', amt(k.patientPaidCents, '2300 AMT*F5')));
  const refs: Reference[] = [...k.references];
  const named: [string, string | undefined][] = [
    ['G1', k.priorAuthorization],
    ['9F', k.referralNumber],
    ['F8', k.payerClaimControlNumber],
    ['D9', k.clearinghouseTraceNumber],
    ['EA', k.medicalRecordNumber],
    ['X4', k.cliaNumber],
  ];
  for (const [qualifier, value] of named) if (value !== undefined) refs.push({ qualifier, value });
  for (const r of byOrder(refs, CLAIM_REF_ORDER)) out.add(5, referenceSegment(s, r, '2300'));
  for (const note of k.notes) out.add(7, s.segment('NTE', note.reference, note.text));
  // HI: ABK principal + ABF others (ICD-10-CM); BK/BF for legacy ICD-9-CM.
  const [principal, others] = k.diagnosisCodeSet === 'icd9' ? ['BK', 'BF'] : ['ABK', 'ABF'];
  out.add(11, s.segment('HI', ...k.diagnoses.map((d, i) => [i === 0 ? principal : others, d])));
  rawSegments(s, out, k.other, CLAIM_RANK, 13);
  const p = c.providers;
  if ((p.referring?.length ?? 0) > 2) fail('2310A occurs at most twice');
  for (const r of p.referring ?? []) out.addAll(20, partySegments(w, r, '2310A'));
  const prov = (rank: number, party: Party | undefined, loop: string): void => {
    if (party !== undefined) out.addAll(rank, partySegments(w, party, loop));
  };
  prov(21, p.rendering, '2310B');
  prov(22, p.serviceFacility, '2310C');
  prov(23, p.supervising, '2310D');
  prov(24, p.ambulancePickUp, '2310E');
  prov(25, p.ambulanceDropOff, '2310F');
  if (c.otherPayers.length > 10) fail('2320 occurs at most ten times');
  for (const o of c.otherPayers) out.addAll(30, otherPayerSegments(w, o));
  const claimHasServiceDate = k.dates.some((d) => d.qualifier === '472');
  c.lines.forEach((line, i) => out.addAll(40, lineSegments(w, line, i + 1, c, claimHasServiceDate)));
  return out.lines();
}

function headerSegments(w: LoopWriter, h: Header837P): string[] {
  const s = w.in('HEADER');
  const out = new Ordered();
  out.add(
    0,
    s.segment(
      'BHT',
      '0019',
      required(h.purpose, 'BHT02'),
      required(h.referenceId, 'BHT03'),
      d8(h.createdDate, 'BHT04'),
      required(h.createdTime, 'BHT05'),
      required(h.claimOrEncounter, 'BHT06'),
    ),
  );
  rawSegments(s, out, h.other, {}, 1);
  out.addAll(10, partySegments(w, h.submitter, '1000A'));
  out.addAll(11, partySegments(w, h.receiver, '1000B'));
  return out.lines();
}

const keys = new WeakMap<object, string>();

/** Canonical JSON (sorted keys) so equal providers / subscribers group together whatever their key order. */
function key(value: object): string {
  let k = keys.get(value);
  if (k === undefined) {
    k = canonical(value);
    keys.set(value, k);
  }
  return k;
}

function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return v === undefined ? 'null' : JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const o = v as Record<string, unknown>;
  const parts: string[] = [];
  for (const k of Object.keys(o).sort())
    if (o[k] !== undefined) parts.push(`${JSON.stringify(k)}:${canonical(o[k])}`);
  return `{${parts.join(',')}}`;
}

interface PatientGroup {
  readonly patient: Patient;
  readonly claims: Claim837P[];
}
interface SubscriberGroup {
  readonly subscriber: Subscriber;
  readonly payer: Party;
  readonly direct: Claim837P[];
  readonly patients: Map<string, PatientGroup>;
}
interface BillingGroup {
  readonly billingProvider: BillingProvider;
  readonly subscribers: Map<string, SubscriberGroup>;
}

/**
 * The segments of one 837P transaction set between ST and SE. Claims are grouped under one 2000A per distinct
 * billing provider, one 2000B per distinct subscriber + payer under it, and one 2000C per distinct patient,
 * in first-seen order; HL ids are numbered 1..n. Throws X12WriteError for a claim it knows is invalid.
 */
export function build837PSegments(batch: Batch837P, delimiters: Delimiters = DEFAULT_DELIMITERS): string[] {
  const w = new LoopWriter(new SegmentWriter(delimiters), 'HEADER');
  const w2000A = w.in('2000A');
  const w2000B = w.in('2000B');
  const w2000C = w.in('2000C');
  if (batch.claims.length === 0) fail('an 837P needs at least one claim');
  const groups = new Map<string, BillingGroup>();
  for (const c of batch.claims) {
    const bk = key(c.billingProvider);
    let bg = groups.get(bk);
    if (bg === undefined) {
      bg = { billingProvider: c.billingProvider, subscribers: new Map() };
      groups.set(bk, bg);
    }
    const sk = `${key(c.subscriber)}|${key(c.payer)}`;
    let sg = bg.subscribers.get(sk);
    if (sg === undefined) {
      sg = { subscriber: c.subscriber, payer: c.payer, direct: [], patients: new Map() };
      bg.subscribers.set(sk, sg);
    }
    if (c.patient === undefined) {
      // 2000B SBR02 = 18 when the subscriber is the patient (no 2000C loop).
      if (c.subscriber.relationship !== '18')
        fail('2000B SBR02 must be 18 when the claim has no separate patient');
      sg.direct.push(c);
    } else {
      if (c.subscriber.relationship !== undefined)
        fail('2000B SBR02 must be empty when the patient is not the subscriber');
      const pk = key(c.patient);
      let pg = sg.patients.get(pk);
      if (pg === undefined) {
        pg = { patient: c.patient, claims: [] };
        sg.patients.set(pk, pg);
      }
      pg.claims.push(c);
    }
  }
  const out = headerSegments(w, batch.header);
  let hl = 0;
  for (const bg of groups.values()) {
    const bpId = String(++hl);
    const b = bg.billingProvider;
    out.push(w2000A.segment('HL', bpId, undefined, '20', '1'));
    const a = new Ordered();
    if (b.specialty !== undefined) {
      const s = b.specialty;
      a.add(
        1,
        w2000A.segment(
          'PRV',
          required(s.providerCode, '2000A PRV01'),
          required(s.qualifier, '2000A PRV02'),
          required(s.taxonomy, '2000A PRV03'),
        ),
      );
    }
    if (b.currency !== undefined) a.add(2, w2000A.segment('CUR', '85', b.currency));
    rawSegments(w2000A, a, b.other, { PRV: 1, CUR: 2 }, 3);
    a.addAll(10, partySegments(w, b.provider, '2010AA'));
    if (b.payToAddress !== undefined) a.addAll(11, partySegments(w, b.payToAddress, '2010AB'));
    if (b.payToPlan !== undefined) a.addAll(12, partySegments(w, b.payToPlan, '2010AC'));
    out.push(...a.lines());
    for (const sg of bg.subscribers.values()) {
      const subId = String(++hl);
      const s = sg.subscriber;
      out.push(w2000B.segment('HL', subId, bpId, '22', sg.patients.size > 0 ? '1' : '0'));
      const sb = new Ordered();
      sb.add(
        1,
        w2000B.segment(
          'SBR',
          required(s.payerResponsibility, '2000B SBR01'),
          s.relationship,
          s.groupNumber,
          s.groupName,
          s.insuranceType,
          undefined,
          undefined,
          undefined,
          s.claimFilingIndicator,
        ),
      );
      if (s.patientInformation !== undefined) sb.add(2, patSegment(w2000B, s.patientInformation, '2000B'));
      rawSegments(w2000B, sb, s.other, { SBR: 1, PAT: 2 }, 3);
      sb.addAll(10, partySegments(w, s.person, '2010BA'));
      sb.addAll(11, partySegments(w, sg.payer, '2010BB'));
      out.push(...sb.lines());
      for (const c of sg.direct) out.push(...claimSegments(w, c));
      for (const pg of sg.patients.values()) {
        out.push(w2000C.segment('HL', String(++hl), subId, '23', '0'));
        const pc = new Ordered();
        pc.add(
          1,
          patSegment(
            w2000C,
            {
              ...pg.patient.information,
              relationship: required(pg.patient.information.relationship, '2000C PAT01'),
            },
            '2000C',
          ),
        );
        rawSegments(w2000C, pc, pg.patient.other, { PAT: 1 }, 2);
        pc.addAll(10, partySegments(w, pg.patient.person, '2010CA'));
        out.push(...pc.lines());
        for (const c of pg.claims) out.push(...claimSegments(w, c));
      }
    }
  }
  return out;
}

/**
 * The 837P TR3 (1.4.1) recommends at most 5000 CLM segments per transaction set; receivers may reject larger
 * ones.
 */
export const MAX_CLAIMS_PER_TRANSACTION = 5000;

/** Splits a batch into batches of at most `max` claims (same header), e.g. one per transaction set. */
export function split837PBatch(batch: Batch837P, max: number = MAX_CLAIMS_PER_TRANSACTION): Batch837P[] {
  if (!Number.isInteger(max) || max < 1)
    fail('the claim limit per transaction set must be a positive integer');
  const out: Batch837P[] = [];
  for (let i = 0; i < batch.claims.length; i += max) {
    out.push({ header: batch.header, claims: batch.claims.slice(i, i + max) });
  }
  return out;
}

/**
 * Writes claims as one interchange holding one functional group (GS01 HC) of 837P transaction sets
 * (005010X222A1): one per batch given (ST02 = `transactionControlNumber` + its position), with computed
 * SE01/GE01/IEA01 and the ISA padded to 106 characters. Pass `split837PBatch(batch)` to respect the 5000-claim
 * recommendation.
 */
export function write837P(batch: Batch837P | readonly Batch837P[], envelope: Envelope837P): string {
  const batches: readonly Batch837P[] = 'claims' in batch ? [batch] : batch;
  if (batches.length === 0) fail('an 837P interchange needs at least one transaction set');
  const delimiters = envelope.delimiters ?? DEFAULT_DELIMITERS;
  return writeInterchange(envelope, [
    {
      functionalId: 'HC',
      senderCode: envelope.applicationSenderCode,
      receiverCode: envelope.applicationReceiverCode,
      controlNumber: envelope.groupControlNumber,
      version: IMPLEMENTATION_837P,
      transactions: batches.map((b, i) => ({
        type: '837',
        controlNumber: envelope.transactionControlNumber + i,
        segments: build837PSegments(b, delimiters),
      })),
    },
  ]);
}
