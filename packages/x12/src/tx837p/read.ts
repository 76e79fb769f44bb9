import type { ExternalCodeLists } from '../core/codelists.ts';
import { DiagnosticSink, type Diagnostic } from '../core/diagnostics.ts';
import type { TransactionSet } from '../core/envelope.ts';
import { parseX12, streamTransactions, transactionsOf } from '../core/parse.ts';
import type { ChunkSource } from '../core/tokenizer.ts';
import { component, components, element, position, present, type Segment } from '../core/segment.ts';
import { withPositions } from '../core/common-segments.ts';
import { checkDateByQualifier, checkSegment } from '../core/spec.ts';
import { d8ToIso, parseAmount, parseQuantityMilli, rd8ToIso } from '../core/values.ts';
import { layoutFor } from './layouts.ts';
import { cobProblems, describeCobProblem } from './cob.ts';
import { buildLoopTree, type LoopNode } from './loops.ts';
import type {
  Address,
  Adjustment,
  Attachment,
  BillingProvider,
  Claim837P,
  ClaimInformation,
  ClaimProviders,
  Contact,
  Demographics,
  DrugIdentification,
  EntityName,
  Header837P,
  LineAdjudication,
  LineProviders,
  Note,
  OtherPayer,
  Party,
  Patient,
  PatientInformation,
  Procedure,
  ProviderSpecialty,
  QualifiedDate,
  RawElement,
  RawSegment,
  Reference,
  ServiceLine,
  SourceLocation,
  Subscriber,
  Transaction837P,
} from './model.ts';

/** Options for the 837P reader. */
export interface Read837POptions {
  /** External code lists to check against (CLM05-1 / SV105 place of service). */
  readonly codeLists?: ExternalCodeLists;
}

/** What the reader returns: whatever could be read, plus every located finding. */
export interface Read837PResult {
  readonly value: { readonly transactions: readonly Transaction837P[] };
  /** Tokenizer, envelope (ISA/GS/ST/SE/GE/IEA) and 837P findings, in input order. */
  readonly diagnostics: readonly Diagnostic[];
}

interface Ctx {
  readonly sink: DiagnosticSink;
  readonly codeLists: ExternalCodeLists;
  readonly component: string;
}

// HI qualifiers that are not diagnoses (anesthesia related procedure BP/BO, condition information BG).
const NON_DIAGNOSIS_HI = new Set(['BP', 'BO', 'BG']);

const CLAIM_REFS: Readonly<Record<string, keyof ClaimInformation>> = {
  G1: 'priorAuthorization',
  '9F': 'referralNumber',
  F8: 'payerClaimControlNumber',
  D9: 'clearinghouseTraceNumber',
  EA: 'medicalRecordNumber',
  X4: 'cliaNumber',
};

function loc(seg: Segment): SourceLocation {
  return { segmentIndex: seg.index, line: seg.line };
}

/** A segment as raw elements (composites split on the component separator). */
function raw(seg: Segment, ctx: Ctx): RawSegment {
  // Trailing empty elements / components carry nothing (X12 forbids trailing delimiters): drop them.
  const elements: RawElement[] = seg.elements.slice(1).map((e) => {
    if (!e.includes(ctx.component)) return e;
    const parts = e.split(ctx.component);
    while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
    return parts.length === 1 ? (parts[0] ?? '') : parts;
  });
  while (elements.length > 0 && elements[elements.length - 1] === '') elements.pop();
  return { id: seg.id, elements };
}

/** Optional text: undefined when the element is empty. */
function opt(seg: Segment, n: number): string | undefined {
  const v = element(seg, n);
  return v === '' ? undefined : v;
}

function optC(seg: Segment, n: number, c: number): string | undefined {
  const v = component(seg, n, c);
  return v === '' ? undefined : v;
}

/** `T` with properties that may be undefined turned into optional ones. */
type Defined<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

/** Copies the defined entries only (exactOptionalPropertyTypes: absent, never `undefined`). */
function defined<T extends object>(o: T): Defined<T> {
  const out: Record<string, unknown> = {};
  const src = o as Record<string, unknown>;
  for (const k in src) if (src[k] !== undefined) out[k] = src[k];
  return out as Defined<T>;
}

function check(seg: Segment, loop: string, ctx: Ctx): void {
  const layout = layoutFor(seg.id, loop);
  if (layout !== undefined) checkSegment(seg, layout, loop, ctx.sink);
  const { component: comp, repetition } = seg.delimiters;
  for (let n = 1; n < seg.elements.length; n++) {
    const v = seg.elements[n] ?? '';
    // No 837P element repeats, and only composites hold components: either separator inside a simple element
    // means the sender put a delimiter in data (X12.6), which no writer can reproduce.
    if (v.includes(repetition)) {
      ctx.sink.at(seg, 'error', 'too-many-repetitions', `${position(seg.id, n)} does not repeat`, {
        loop,
        element: position(seg.id, n),
        ik304: '8',
        ik403: '12',
      });
    } else if (layout !== undefined && v.includes(comp) && layout.elements[n - 1]?.components === undefined) {
      ctx.sink.at(seg, 'error', 'too-many-components', `${position(seg.id, n)} is not a composite`, {
        loop,
        element: position(seg.id, n),
        ik304: '8',
        ik403: '13',
      });
    }
  }
}

function amount(seg: Segment, n: number, loop: string, ctx: Ctx): number | undefined {
  const text = element(seg, n);
  if (text === '') return undefined;
  const cents = parseAmount(text);
  if (cents === undefined) {
    ctx.sink.at(
      seg,
      'error',
      'invalid-amount',
      `${position(seg.id, n)} is not an amount in dollars and cents`,
      {
        loop,
        element: position(seg.id, n),
        ik304: '8',
        ik403: '6',
      },
    );
  }
  return cents;
}

function quantity(text: string, seg: Segment, where: string, loop: string, ctx: Ctx): number | undefined {
  if (text === '') return undefined;
  const milli = parseQuantityMilli(text);
  if (milli === undefined) {
    ctx.sink.at(seg, 'error', 'invalid-quantity', `${where} is not a decimal quantity`, {
      loop,
      element: where,
      ik304: '8',
      ik403: '6',
    });
  }
  return milli;
}

function missing(
  at: Segment | undefined,
  loop: string,
  what: string,
  ctx: Ctx,
  severity: 'error' | 'warning' = 'error',
): void {
  ctx.sink.at(at, severity, 'missing-segment', `${what} is required in loop ${loop}`, { loop, ik304: '3' });
}

/** DTP → typed date, or undefined (with a diagnostic) when the date cannot be read. */
function readDate(seg: Segment, loop: string, ctx: Ctx): QualifiedDate | undefined {
  const qualifier = element(seg, 1);
  const format = element(seg, 2);
  const value = element(seg, 3);
  checkDateByQualifier(seg, 2, 3, loop, ctx.sink);
  if (format === 'D8') {
    const date = d8ToIso(value);
    return date === undefined ? undefined : { qualifier, date };
  }
  if (format === 'RD8') {
    const range = rd8ToIso(value);
    return range === undefined ? undefined : { qualifier, date: range[0], through: range[1] };
  }
  if (format === 'DT') {
    // CCYYMMDDHHMM
    const date = d8ToIso(value.slice(0, 8));
    const time = value.slice(8);
    if (date === undefined || !/^\d{4}$/.test(time)) {
      ctx.sink.at(seg, 'error', 'invalid-date', `${position(seg.id, 3)} is not a valid DT date and time`, {
        loop,
        element: position(seg.id, 3),
        ik304: '8',
        ik403: '8',
      });
      return undefined;
    }
    return { qualifier, date, time };
  }
  return undefined;
}

function readName(seg: Segment): EntityName {
  return defined({
    entity: element(seg, 1),
    entityType: element(seg, 2),
    lastOrOrganization: opt(seg, 3),
    first: opt(seg, 4),
    middle: opt(seg, 5),
    suffix: opt(seg, 7),
    idQualifier: opt(seg, 8),
    id: opt(seg, 9),
  });
}

function readReference(seg: Segment): Reference {
  return defined({ qualifier: element(seg, 1), value: element(seg, 2), description: opt(seg, 3) });
}

function readSpecialty(seg: Segment): ProviderSpecialty {
  return { providerCode: element(seg, 1), qualifier: element(seg, 2), taxonomy: element(seg, 3) };
}

function readContact(seg: Segment): Contact {
  const numbers: { qualifier: string; number: string }[] = [];
  for (let n = 3; n <= 7; n += 2) {
    if (present(seg, n) || present(seg, n + 1))
      numbers.push({ qualifier: element(seg, n), number: element(seg, n + 1) });
  }
  return defined({ functionCode: element(seg, 1), name: opt(seg, 2), numbers });
}

function readNotes(seg: Segment): Note {
  return { reference: element(seg, 1), text: element(seg, 2) };
}

/** An NM1-headed loop. */
function readParty(node: LoopNode, ctx: Ctx): Party {
  let name: EntityName | undefined;
  let specialty: ProviderSpecialty | undefined;
  let n3: Segment | undefined;
  let n4: Segment | undefined;
  let demographics: Demographics | undefined;
  let adjudicationDate: string | undefined;
  const references: Reference[] = [];
  const contacts: Contact[] = [];
  const other: RawSegment[] = [];
  for (const seg of node.segments) {
    check(seg, node.loop, ctx);
    switch (seg.id) {
      case 'NM1':
        // NM1 syntax rule P0809: NM108 and NM109 are both present or both absent.
        if (present(seg, 8) !== present(seg, 9)) {
          const n = present(seg, 8) ? 9 : 8;
          ctx.sink.at(
            seg,
            'error',
            'paired-elements',
            `NM108 and NM109 must both be present or both absent`,
            {
              loop: node.loop,
              element: position('NM1', n),
              ik304: '8',
              ik403: '2',
            },
          );
        }
        // NM108 = XX: the NPI carries a check digit (Luhn over 80840 + the first nine digits).
        if (element(seg, 8) === 'XX' && present(seg, 9) && !validNpi(element(seg, 9))) {
          ctx.sink.at(seg, 'warning', 'invalid-npi', 'NM109 is not a valid NPI (check digit)', {
            loop: node.loop,
            element: 'NM109',
          });
        }
        if (name === undefined) name = readName(seg);
        else other.push(raw(seg, ctx));
        break;
      case 'PRV':
        if (specialty === undefined) specialty = readSpecialty(seg);
        else other.push(raw(seg, ctx));
        break;
      case 'N3':
        if (n3 === undefined) n3 = seg;
        else other.push(raw(seg, ctx));
        break;
      case 'N4':
        if (n4 === undefined) n4 = seg;
        else other.push(raw(seg, ctx));
        break;
      case 'DMG': {
        // DMG02 date of birth, D8 (837P TR3 2010BA/2010CA).
        checkDateByQualifier(seg, 1, 2, node.loop, ctx.sink);
        const birthDate = element(seg, 1) === 'D8' ? d8ToIso(element(seg, 2)) : undefined;
        if (demographics === undefined && birthDate !== undefined && !present(seg, 4)) {
          demographics = { birthDate, gender: element(seg, 3) };
        } else other.push(raw(seg, ctx));
        break;
      }
      case 'DTP': {
        const d = readDate(seg, node.loop, ctx);
        if (
          adjudicationDate === undefined &&
          d?.qualifier === '573' &&
          d.through === undefined &&
          d.time === undefined
        ) {
          adjudicationDate = d.date;
        } else other.push(raw(seg, ctx));
        break;
      }
      case 'REF':
        references.push(readReference(seg));
        break;
      case 'PER':
        contacts.push(readContact(seg));
        break;
      default:
        other.push(raw(seg, ctx));
    }
  }
  let address: Address | undefined;
  if (n3 !== undefined || n4 !== undefined) {
    address = defined({
      line1: n3 === undefined ? undefined : opt(n3, 1),
      line2: n3 === undefined ? undefined : opt(n3, 2),
      city: n4 === undefined ? undefined : opt(n4, 1),
      state: n4 === undefined ? undefined : opt(n4, 2),
      postalCode: n4 === undefined ? undefined : opt(n4, 3),
      country: n4 === undefined ? undefined : opt(n4, 4),
      countrySubdivision: n4 === undefined ? undefined : opt(n4, 7),
    });
    // An N3 with no N301 or an N4 with no N401 would not survive the writer: keep those raw instead.
    if (
      (n3 !== undefined && address.line1 === undefined) ||
      (n4 !== undefined && address.city === undefined)
    ) {
      if (n3 !== undefined) other.push(raw(n3, ctx));
      if (n4 !== undefined) other.push(raw(n4, ctx));
      address = undefined;
    }
  }
  return defined({
    name: name ?? { entity: '', entityType: '' },
    specialty,
    address,
    demographics,
    adjudicationDate,
    references,
    contacts,
    other,
  });
}

function emptyParty(entity: string): Party {
  return { name: { entity, entityType: '2' }, references: [], contacts: [], other: [] };
}

function childParty(node: LoopNode, loop: string, ctx: Ctx): Party | undefined {
  const child = node.children.find((c) => c.loop === loop);
  return child === undefined ? undefined : readParty(child, ctx);
}

/** NPI check digit: Luhn over the prefix 80840 and the first nine digits (CMS NPI standard). */
function validNpi(id: string): boolean {
  if (!/^\d{10}$/.test(id)) return false;
  const digits = `80840${id.slice(0, 9)}`;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10 === Number(id[9]);
}

interface PartyRules {
  /** NM108 codes allowed (NM108/NM109 then required). */
  readonly id?: readonly string[];
  readonly address?: boolean;
  readonly demographics?: boolean;
  /** One REF with one of these qualifiers is required. */
  readonly reference?: readonly string[];
  /** US addresses carry the nine-digit ZIP code (2010AA, 2310C, 2420C in 005010X222A1). */
  readonly zipPlusFour?: boolean;
}

/** Situational requirements of an NM1 loop that the element layouts alone cannot express (837P TR3). */
function requireParty(
  parent: LoopNode,
  loop: string,
  party: Party | undefined,
  rules: PartyRules,
  ctx: Ctx,
): void {
  const node = parent.children.find((c) => c.loop === loop);
  const nm1 = node?.segments[0];
  if (party === undefined || node === undefined || nm1 === undefined) return;
  const { sink } = ctx;
  if (
    rules.id !== undefined &&
    (party.name.idQualifier === undefined || !rules.id.includes(party.name.idQualifier))
  ) {
    sink.at(
      nm1,
      'error',
      'required-element',
      `NM108/NM109 (${rules.id.join(' or ')} identifier) is required in loop ${loop}`,
      {
        loop,
        element: party.name.idQualifier === undefined ? 'NM108' : 'NM108',
        ik304: '8',
        ik403: party.name.idQualifier === undefined ? '1' : '7',
      },
    );
  }
  if (rules.address === true) {
    if (party.address?.line1 === undefined) missing(nm1, loop, 'N3 (address)', ctx);
    if (party.address?.city === undefined) missing(nm1, loop, 'N4 (city, state, ZIP code)', ctx);
  }
  if (
    rules.demographics === true &&
    party.demographics === undefined &&
    !node.segments.some((x) => x.id === 'DMG')
  ) {
    missing(nm1, loop, 'DMG (demographic information)', ctx);
  }
  const n4 = node.segments.find((x) => x.id === 'N4');
  if (rules.zipPlusFour === true && n4 !== undefined && !present(n4, 4) && !/^\d{9}$/.test(element(n4, 3))) {
    sink.at(n4, 'warning', 'zip-plus-four', `N403 must be the nine-digit ZIP code in loop ${loop}`, {
      loop,
      element: 'N403',
    });
  }
  const wanted = rules.reference;
  if (wanted !== undefined && !party.references.some((r) => wanted.includes(r.qualifier))) {
    missing(nm1, loop, `REF*${wanted.join(' or REF*')}`, ctx);
  }
}

function readHeader(root: LoopNode, st: Segment, ctx: Ctx): Header837P {
  const other: RawSegment[] = [];
  let bht: Segment | undefined;
  for (const seg of root.segments) {
    check(seg, 'HEADER', ctx);
    if (seg.id === 'BHT' && bht === undefined) bht = seg;
    else other.push(raw(seg, ctx));
  }
  if (bht === undefined) missing(st, 'HEADER', 'BHT (beginning of hierarchical transaction)', ctx);
  const submitter = childParty(root, '1000A', ctx);
  const receiver = childParty(root, '1000B', ctx);
  if (submitter === undefined) missing(st, '1000A', 'NM1*41 (submitter name)', ctx);
  if (receiver === undefined) missing(st, '1000B', 'NM1*40 (receiver name)', ctx);
  return {
    purpose: bht === undefined ? '' : element(bht, 2),
    referenceId: bht === undefined ? '' : element(bht, 3),
    createdDate: (bht === undefined ? undefined : d8ToIso(element(bht, 4))) ?? '',
    createdTime: bht === undefined ? '' : element(bht, 5),
    claimOrEncounter: bht === undefined ? '' : element(bht, 6),
    submitter: submitter ?? emptyParty('41'),
    receiver: receiver ?? emptyParty('40'),
    other,
  };
}

function readBillingProvider(node: LoopNode, ctx: Ctx): BillingProvider {
  let specialty: ProviderSpecialty | undefined;
  let currency: string | undefined;
  const other: RawSegment[] = [];
  for (const seg of node.segments.slice(1)) {
    check(seg, node.loop, ctx);
    if (seg.id === 'PRV' && specialty === undefined) specialty = readSpecialty(seg);
    else if (seg.id === 'CUR' && currency === undefined && element(seg, 1) === '85' && !present(seg, 3))
      currency = element(seg, 2);
    else other.push(raw(seg, ctx));
  }
  const provider = childParty(node, '2010AA', ctx);
  if (provider === undefined) {
    // Locate at the first segment that would have belonged to 2010AA (its N3 when only the NM1 is missing).
    const orphan = node.segments.find(
      (x) => x.id === 'N3' || x.id === 'N4' || x.id === 'REF' || x.id === 'PER',
    );
    missing(orphan ?? node.segments[0], '2010AA', 'NM1*85 (billing provider name)', ctx);
  }
  // 2010AA: NPI (XX), address and the tax id (REF*EI, or REF*SY for an individual) are required.
  requireParty(
    node,
    '2010AA',
    provider,
    { id: ['XX'], address: true, reference: ['EI', 'SY'], zipPlusFour: true },
    ctx,
  );
  return defined({
    specialty,
    currency,
    provider: provider ?? emptyParty('85'),
    payToAddress: childParty(node, '2010AB', ctx),
    payToPlan: childParty(node, '2010AC', ctx),
    other,
  });
}

function readPat(seg: Segment): PatientInformation {
  return defined({
    relationship: opt(seg, 1),
    deathDate: element(seg, 5) === 'D8' ? d8ToIso(element(seg, 6)) : undefined,
    weightPounds: opt(seg, 8),
    pregnant: element(seg, 9) === 'Y' ? true : undefined,
  });
}

function readSubscriber(node: LoopNode, ctx: Ctx): { subscriber: Subscriber; payer: Party } {
  let sbr: Segment | undefined;
  let pat: PatientInformation | undefined;
  const other: RawSegment[] = [];
  for (const seg of node.segments.slice(1)) {
    check(seg, node.loop, ctx);
    if (seg.id === 'SBR' && sbr === undefined) sbr = seg;
    else if (seg.id === 'PAT' && pat === undefined) pat = readPat(seg);
    else other.push(raw(seg, ctx));
  }
  if (sbr === undefined) missing(node.segments[0], node.loop, 'SBR (subscriber information)', ctx);
  const person = childParty(node, '2010BA', ctx);
  const payer = childParty(node, '2010BB', ctx);
  if (person === undefined) missing(node.segments[0], '2010BA', 'NM1*IL (subscriber name)', ctx);
  if (payer === undefined) missing(node.segments[0], '2010BB', 'NM1*PR (payer name)', ctx);
  // 2010BA member id (MI) is required; address and DMG too when the subscriber is the patient (SBR02 = 18).
  const isPatient = sbr !== undefined && element(sbr, 2) === '18';
  requireParty(
    node,
    '2010BA',
    person,
    { id: ['MI', 'II'], address: isPatient, demographics: isPatient },
    ctx,
  );
  requireParty(node, '2010BB', payer, { id: ['PI', 'XV'] }, ctx);
  const subscriber: Subscriber = defined({
    payerResponsibility: sbr === undefined ? '' : element(sbr, 1),
    relationship: sbr === undefined ? undefined : opt(sbr, 2),
    groupNumber: sbr === undefined ? undefined : opt(sbr, 3),
    groupName: sbr === undefined ? undefined : opt(sbr, 4),
    insuranceType: sbr === undefined ? undefined : opt(sbr, 5),
    claimFilingIndicator: sbr === undefined ? undefined : opt(sbr, 9),
    patientInformation: pat,
    person: person ?? emptyParty('IL'),
    other,
  });
  return { subscriber, payer: payer ?? emptyParty('PR') };
}

function readPatient(node: LoopNode, ctx: Ctx): Patient {
  let information: PatientInformation | undefined;
  const other: RawSegment[] = [];
  for (const seg of node.segments.slice(1)) {
    check(seg, node.loop, ctx);
    if (seg.id === 'PAT' && information === undefined) information = readPat(seg);
    else other.push(raw(seg, ctx));
  }
  if (information === undefined) missing(node.segments[0], node.loop, 'PAT (patient information)', ctx);
  const person = childParty(node, '2010CA', ctx);
  if (person === undefined) missing(node.segments[0], '2010CA', 'NM1*QC (patient name)', ctx);
  requireParty(node, '2010CA', person, { address: true, demographics: true }, ctx);
  return { information: information ?? {}, person: person ?? emptyParty('QC'), other };
}

function readProcedure(seg: Segment, n: number): Procedure {
  const parts = components(seg, n);
  const modifiers: string[] = [];
  for (let i = 2; i < 6; i++) {
    const m = parts[i];
    if (m !== undefined && m !== '') modifiers.push(m);
  }
  return defined({
    qualifier: parts[0] ?? '',
    code: parts[1] ?? '',
    modifiers,
    description: parts[6] === undefined || parts[6] === '' ? undefined : parts[6],
  });
}

function readAdjustment(seg: Segment, loop: string, ctx: Ctx): Adjustment {
  const items: { reason: string; amountCents: number; quantityMilli?: number }[] = [];
  for (let n = 2; n <= 17; n += 3) {
    if (!present(seg, n)) continue;
    const cents = amount(seg, n + 1, loop, ctx) ?? 0;
    const q = quantity(element(seg, n + 2), seg, position(seg.id, n + 2), loop, ctx);
    items.push(defined({ reason: element(seg, n), amountCents: cents, quantityMilli: q }));
  }
  return { group: element(seg, 1), items };
}

/** CAS with gaps between triplets cannot be rewritten as read: keep those raw. */
function casTypable(seg: Segment): boolean {
  let gap = false;
  for (let n = 2; n <= 17; n += 3) {
    if (!present(seg, n)) {
      if (present(seg, n + 1) || present(seg, n + 2)) return false;
      gap = true;
    } else if (gap) return false;
  }
  return seg.elements.length <= 20;
}

function readOtherPayer(node: LoopNode, ctx: Ctx): OtherPayer {
  const sbr = node.segments[0];
  let oi: Segment | undefined;
  let paidCents: number | undefined;
  let nonCoveredCents: number | undefined;
  let remainingPatientLiabilityCents: number | undefined;
  const adjustments: Adjustment[] = [];
  const other: RawSegment[] = [];
  if (sbr !== undefined) check(sbr, node.loop, ctx);
  for (const seg of node.segments.slice(1)) {
    check(seg, node.loop, ctx);
    if (seg.id === 'CAS' && casTypable(seg)) adjustments.push(readAdjustment(seg, node.loop, ctx));
    else if (seg.id === 'AMT' && !present(seg, 3)) {
      const q = element(seg, 1);
      const v = amount(seg, 2, node.loop, ctx);
      if (q === 'D' && paidCents === undefined && v !== undefined) paidCents = v;
      else if (q === 'A8' && nonCoveredCents === undefined && v !== undefined) nonCoveredCents = v;
      else if (q === 'EAF' && remainingPatientLiabilityCents === undefined && v !== undefined)
        remainingPatientLiabilityCents = v;
      else other.push(raw(seg, ctx));
    } else if (seg.id === 'OI' && oi === undefined) oi = seg;
    else other.push(raw(seg, ctx));
  }
  if (oi === undefined) missing(sbr, node.loop, 'OI (other insurance coverage information)', ctx);
  const subscriber = childParty(node, '2330A', ctx);
  const payer = childParty(node, '2330B', ctx);
  if (subscriber === undefined) missing(sbr, '2330A', 'NM1*IL (other subscriber name)', ctx);
  if (payer === undefined) missing(sbr, '2330B', 'NM1*PR (other payer name)', ctx);
  const providers = node.children
    .filter((c) => c.loop !== '2330A' && c.loop !== '2330B')
    .map((c) => readParty(c, ctx));
  return defined({
    payerResponsibility: sbr === undefined ? '' : element(sbr, 1),
    relationship: sbr === undefined ? '' : element(sbr, 2),
    groupNumber: sbr === undefined ? undefined : opt(sbr, 3),
    groupName: sbr === undefined ? undefined : opt(sbr, 4),
    insuranceType: sbr === undefined ? undefined : opt(sbr, 5),
    claimFilingIndicator: sbr === undefined ? undefined : opt(sbr, 9),
    adjustments,
    paidCents,
    nonCoveredCents,
    remainingPatientLiabilityCents,
    otherInsurance: defined({
      benefitsAssignment: oi === undefined ? '' : element(oi, 3),
      patientSignatureSource: oi === undefined ? undefined : opt(oi, 4),
      releaseOfInformation: oi === undefined ? '' : element(oi, 6),
    }),
    subscriber: subscriber ?? emptyParty('IL'),
    payer: payer ?? emptyParty('PR'),
    providers,
    other,
  });
}

function readLineAdjudication(node: LoopNode, ctx: Ctx): LineAdjudication {
  const svd = node.segments[0];
  if (svd !== undefined) check(svd, node.loop, ctx);
  const adjustments: Adjustment[] = [];
  const other: RawSegment[] = [];
  let adjudicationDate: string | undefined;
  let remaining: number | undefined;
  for (const seg of node.segments.slice(1)) {
    check(seg, node.loop, ctx);
    if (seg.id === 'CAS' && casTypable(seg)) adjustments.push(readAdjustment(seg, node.loop, ctx));
    else if (seg.id === 'DTP') {
      const d = readDate(seg, node.loop, ctx);
      if (
        adjudicationDate === undefined &&
        d?.qualifier === '573' &&
        d.through === undefined &&
        d.time === undefined
      )
        adjudicationDate = d.date;
      else other.push(raw(seg, ctx));
    } else if (seg.id === 'AMT' && element(seg, 1) === 'EAF' && remaining === undefined && !present(seg, 3)) {
      remaining = amount(seg, 2, node.loop, ctx);
      if (remaining === undefined) other.push(raw(seg, ctx));
    } else other.push(raw(seg, ctx));
  }
  return defined({
    payerId: svd === undefined ? '' : element(svd, 1),
    paidCents: (svd === undefined ? undefined : amount(svd, 2, node.loop, ctx)) ?? 0,
    procedure: svd === undefined ? { qualifier: '', code: '', modifiers: [] } : readProcedure(svd, 3),
    paidUnitsMilli:
      (svd === undefined ? undefined : quantity(element(svd, 5), svd, 'SVD05', node.loop, ctx)) ?? 0,
    bundledLineNumber: svd === undefined ? undefined : opt(svd, 6),
    adjustments,
    adjudicationDate,
    remainingPatientLiabilityCents: remaining,
    other,
  });
}

function readDrug(node: LoopNode, ctx: Ctx): DrugIdentification {
  const lin = node.segments[0];
  if (lin !== undefined) check(lin, node.loop, ctx);
  let ctp: Segment | undefined;
  const references: Reference[] = [];
  const other: RawSegment[] = [];
  for (const seg of node.segments.slice(1)) {
    check(seg, node.loop, ctx);
    if (seg.id === 'CTP' && ctp === undefined) ctp = seg;
    else if (seg.id === 'REF') references.push(readReference(seg));
    else other.push(raw(seg, ctx));
  }
  if (ctp === undefined) missing(lin, node.loop, 'CTP (drug quantity)', ctx);
  return {
    qualifier: lin === undefined ? '' : element(lin, 2),
    code: lin === undefined ? '' : element(lin, 3),
    quantityMilli:
      (ctp === undefined ? undefined : quantity(element(ctp, 4), ctp, 'CTP04', node.loop, ctx)) ?? 0,
    unit: ctp === undefined ? '' : component(ctp, 5, 1),
    references,
    other,
  };
}

const LINE_PROVIDER_LOOPS: Readonly<Record<string, Exclude<keyof LineProviders, 'referring'>>> = {
  '2420A': 'rendering',
  '2420B': 'purchasedService',
  '2420C': 'serviceFacility',
  '2420D': 'supervising',
  '2420E': 'ordering',
  '2420G': 'ambulancePickUp',
  '2420H': 'ambulanceDropOff',
};
const CLAIM_PROVIDER_LOOPS: Readonly<Record<string, Exclude<keyof ClaimProviders, 'referring'>>> = {
  '2310B': 'rendering',
  '2310C': 'serviceFacility',
  '2310D': 'supervising',
  '2310E': 'ambulancePickUp',
  '2310F': 'ambulanceDropOff',
};

function readLine(node: LoopNode, ctx: Ctx, lineNumbers: { seg: Segment; value: string }[]): ServiceLine {
  const lx = node.segments[0];
  if (lx !== undefined) {
    check(lx, node.loop, ctx);
    lineNumbers.push({ seg: lx, value: element(lx, 1) });
  }
  let sv1: Segment | undefined;
  let serviceDate: QualifiedDate | undefined;
  let lineControlNumber: string | undefined;
  let priorAuthorization: string | undefined;
  const dates: QualifiedDate[] = [];
  const references: Reference[] = [];
  const notes: Note[] = [];
  const other: RawSegment[] = [];
  for (const seg of node.segments.slice(1)) {
    check(seg, node.loop, ctx);
    switch (seg.id) {
      case 'SV1':
        if (sv1 === undefined) sv1 = seg;
        else other.push(raw(seg, ctx));
        break;
      case 'DTP': {
        const d = readDate(seg, node.loop, ctx);
        if (d === undefined || d.time !== undefined) other.push(raw(seg, ctx));
        else if (d.qualifier === '472' && serviceDate === undefined) serviceDate = d;
        else dates.push(d);
        break;
      }
      case 'REF': {
        const r = readReference(seg);
        if (r.qualifier === '6R' && lineControlNumber === undefined && r.description === undefined)
          lineControlNumber = r.value;
        else if (r.qualifier === 'G1' && priorAuthorization === undefined && r.description === undefined)
          priorAuthorization = r.value;
        else references.push(r);
        break;
      }
      case 'NTE':
        notes.push(readNotes(seg));
        break;
      default:
        other.push(raw(seg, ctx));
    }
  }
  if (sv1 === undefined) missing(lx, node.loop, 'SV1 (professional service)', ctx);
  const providers: { -readonly [K in keyof LineProviders]?: LineProviders[K] } = {};
  const lineReferring: Party[] = [];
  const adjudications: LineAdjudication[] = [];
  let drug: DrugIdentification | undefined;
  for (const child of node.children) {
    const key = LINE_PROVIDER_LOOPS[child.loop];
    if (key !== undefined) {
      if (providers[key] === undefined) providers[key] = readParty(child, ctx);
      else {
        ctx.sink.at(child.segments[0], 'error', 'loop-repeat', `loop ${child.loop} occurs more than once`, {
          loop: child.loop,
          ik304: '4',
        });
        readParty(child, ctx);
      }
    } else if (child.loop === '2420F') {
      lineReferring.push(readParty(child, ctx));
    } else if (child.loop === '2430') adjudications.push(readLineAdjudication(child, ctx));
    else if (child.loop === '2410' && drug === undefined) drug = readDrug(child, ctx);
    else for (const seg of child.segments) other.push(raw(seg, ctx));
  }
  // 2420C service facility: address required, with the nine-digit ZIP code.
  requireParty(node, '2420C', providers.serviceFacility, { address: true, zipPlusFour: true }, ctx);
  const pointers: number[] = [];
  if (sv1 !== undefined) {
    for (const p of components(sv1, 7)) if (p !== '') pointers.push(Number(p));
  }
  return defined({
    procedure: sv1 === undefined ? { qualifier: '', code: '', modifiers: [] } : readProcedure(sv1, 1),
    chargeCents: (sv1 === undefined ? undefined : amount(sv1, 2, node.loop, ctx)) ?? 0,
    unitBasis: sv1 === undefined ? '' : element(sv1, 3),
    unitsMilli:
      (sv1 === undefined ? undefined : quantity(element(sv1, 4), sv1, 'SV104', node.loop, ctx)) ?? 0,
    placeOfService: sv1 === undefined ? undefined : opt(sv1, 5),
    pointers,
    emergency: sv1 === undefined ? undefined : flag(sv1, 9),
    epsdt: sv1 === undefined ? undefined : flag(sv1, 11),
    familyPlanning: sv1 === undefined ? undefined : flag(sv1, 12),
    copayStatus: sv1 === undefined ? undefined : opt(sv1, 15),
    serviceDate: serviceDate?.date,
    serviceDateThrough: serviceDate?.through,
    dates,
    lineControlNumber,
    priorAuthorization,
    references,
    notes,
    drug,
    providers: lineReferring.length > 0 ? { ...providers, referring: lineReferring } : providers,
    adjudications,
    other,
    location: lx === undefined ? undefined : loc(lx),
  });
}

function flag(seg: Segment, n: number): boolean | undefined {
  const v = element(seg, n);
  return v === 'Y' ? true : v === 'N' ? false : undefined;
}

interface HlContext {
  readonly billingProvider: BillingProvider;
  readonly subscriber: Subscriber;
  readonly payer: Party;
  readonly patient?: Patient;
}

/** Loop 2300 (`clm` is its opening CLM) with its 2310x, 2320 and 2400 loops. */
function readClaim(node: LoopNode, clm: Segment, hl: HlContext, ctx: Ctx): Claim837P {
  check(clm, node.loop, ctx);
  const other: RawSegment[] = [];
  const dates: QualifiedDate[] = [];
  const attachments: Attachment[] = [];
  const references: Reference[] = [];
  const notes: Note[] = [];
  const named: Record<string, string> = {};
  let patientPaidCents: number | undefined;
  let diagnosesSeg: Segment | undefined;
  for (const seg of node.segments.slice(1)) {
    check(seg, node.loop, ctx);
    switch (seg.id) {
      case 'DTP': {
        const d = readDate(seg, node.loop, ctx);
        if (d === undefined) other.push(raw(seg, ctx));
        else dates.push(d);
        break;
      }
      case 'PWK':
        if ([3, 4, 7, 8, 9].some((n) => present(seg, n)) || (present(seg, 5) && element(seg, 5) !== 'AC'))
          other.push(raw(seg, ctx));
        else
          attachments.push(
            defined({
              reportType: element(seg, 1),
              transmission: element(seg, 2),
              controlNumber: opt(seg, 6),
            }),
          );
        break;
      case 'AMT':
        if (element(seg, 1) === 'F5' && patientPaidCents === undefined && !present(seg, 3)) {
          patientPaidCents = amount(seg, 2, node.loop, ctx);
          if (patientPaidCents === undefined) other.push(raw(seg, ctx));
        } else other.push(raw(seg, ctx));
        break;
      case 'REF': {
        const r = readReference(seg);
        const key = CLAIM_REFS[r.qualifier];
        if (key !== undefined && named[key] === undefined && r.description === undefined)
          named[key] = r.value;
        else references.push(r);
        break;
      }
      case 'NTE':
        notes.push(readNotes(seg));
        break;
      case 'HI':
        if (diagnosesSeg === undefined && !NON_DIAGNOSIS_HI.has(component(seg, 1, 1))) diagnosesSeg = seg;
        else other.push(raw(seg, ctx));
        break;
      default:
        other.push(raw(seg, ctx));
    }
  }
  const diagnoses: string[] = [];
  let icd9 = false;
  if (diagnosesSeg === undefined) missing(clm, node.loop, 'HI (health care diagnosis code)', ctx);
  else {
    const first = component(diagnosesSeg, 1, 1);
    icd9 = first === 'BK';
    const expected = icd9 ? 'BF' : 'ABF';
    for (let n = 1; n <= 12; n++) {
      if (!present(diagnosesSeg, n)) continue;
      const q = component(diagnosesSeg, n, 1);
      // HI01-1 ABK (ICD-10-CM principal) with ABF others; BK/BF only for legacy ICD-9-CM (837P TR3 2300 HI).
      if (
        n > 1 &&
        (first === 'ABK' || first === 'BK') &&
        (q === 'ABK' || q === 'ABF' || q === 'BK' || q === 'BF') &&
        q !== expected
      ) {
        ctx.sink.at(
          diagnosesSeg,
          'error',
          'hi-qualifier',
          `${position('HI', n, 1)} must be ${expected}, the code set of the principal diagnosis in HI01-1`,
          {
            loop: node.loop,
            element: position('HI', n, 1),
            ik304: '8',
            ik403: '7',
          },
        );
      }
      const code = component(diagnosesSeg, n, 2);
      // ICD-10-CM / ICD-9-CM codes are sent without the decimal point: 3-7 letters and digits.
      if (code !== '' && !/^[A-Z0-9]{3,7}$/.test(code)) {
        ctx.sink.at(
          diagnosesSeg,
          'error',
          'diagnosis-code-format',
          `${position('HI', n, 2)} is not a diagnosis code`,
          {
            loop: node.loop,
            element: position('HI', n, 2),
            ik304: '8',
            ik403: '6',
          },
        );
      }
      diagnoses.push(code);
    }
  }
  // Children: 2310A-F providers, 2320 other payers, 2400 lines.
  const providers: { -readonly [K in keyof ClaimProviders]?: ClaimProviders[K] } = {};
  const claimReferring: Party[] = [];
  const otherPayers: OtherPayer[] = [];
  const lines: ServiceLine[] = [];
  const lineNumbers: { seg: Segment; value: string }[] = [];
  for (const child of node.children) {
    const key = CLAIM_PROVIDER_LOOPS[child.loop];
    if (key !== undefined) {
      if (providers[key] === undefined) providers[key] = readParty(child, ctx);
      else {
        ctx.sink.at(child.segments[0], 'error', 'loop-repeat', `loop ${child.loop} occurs more than once`, {
          loop: child.loop,
          ik304: '4',
        });
        readParty(child, ctx);
      }
    } else if (child.loop === '2310A') {
      claimReferring.push(readParty(child, ctx));
    } else if (child.loop === '2320') otherPayers.push(readOtherPayer(child, ctx));
    else if (child.loop === '2400') lines.push(readLine(child, ctx, lineNumbers));
  }
  // 2310C service facility: address required, with the nine-digit ZIP code.
  requireParty(node, '2310C', providers.serviceFacility, { address: true, zipPlusFour: true }, ctx);
  const claim: ClaimInformation = defined({
    patientControlNumber: element(clm, 1),
    totalChargeCents: amount(clm, 2, node.loop, ctx) ?? 0,
    placeOfService: component(clm, 5, 1),
    facilityCodeQualifier: component(clm, 5, 2),
    frequencyCode: component(clm, 5, 3),
    providerSignature: element(clm, 6),
    assignmentParticipation: element(clm, 7),
    benefitsAssignment: element(clm, 8),
    releaseOfInformation: element(clm, 9),
    patientSignatureSource: opt(clm, 10),
    relatedCauses: present(clm, 11)
      ? defined({
          codes: [1, 2, 3].map((c) => component(clm, 11, c)).filter((c) => c !== ''),
          state: optC(clm, 11, 4),
          country: optC(clm, 11, 5),
        })
      : undefined,
    specialProgram: opt(clm, 12),
    delayReason: opt(clm, 20),
    dates,
    attachments,
    patientPaidCents,
    ...named,
    references,
    notes,
    diagnoses,
    diagnosisCodeSet: icd9 ? ('icd9' as const) : undefined,
    other,
  });
  validateClaim(clm, claim, lines, lineNumbers, dates, node, ctx);
  const result = defined({
    billingProvider: hl.billingProvider,
    subscriber: hl.subscriber,
    payer: hl.payer,
    patient: hl.patient,
    claim,
    providers: claimReferring.length > 0 ? { ...providers, referring: claimReferring } : providers,
    otherPayers,
    lines,
    location: loc(clm),
  });
  validateCob(result, node, ctx);
  return result;
}

function validateClaim(
  clm: Segment,
  claim: ClaimInformation,
  lines: readonly ServiceLine[],
  lineNumbers: readonly { seg: Segment; value: string }[],
  dates: readonly QualifiedDate[],
  node: LoopNode,
  ctx: Ctx,
): void {
  const { sink } = ctx;
  if (lines.length === 0) missing(clm, '2400', 'at least one LX service line', ctx);
  // LX01 numbers service lines 1..n in order (837P TR3 2400 LX01).
  lineNumbers.forEach((ln, i) => {
    if (ln.value !== String(i + 1)) {
      sink.at(ln.seg, 'error', 'lx-sequence', `LX01 must be ${i + 1} (service lines are numbered 1..n)`, {
        loop: '2400',
        element: 'LX01',
        ik304: '8',
        ik403: 'I12',
      });
    }
  });
  // CLM02 total claim charge = sum of SV102 line charges (837P TR3 2300 CLM02 note).
  const sum = lines.reduce((s, l) => s + l.chargeCents, 0);
  if (lines.length > 0 && sum !== claim.totalChargeCents) {
    sink.at(
      clm,
      'error',
      'balance-claim-charge',
      'CLM02 total claim charge does not equal the sum of the SV102 line charges',
      {
        loop: node.loop,
        element: 'CLM02',
      },
    );
  }
  // CLM11 related causes: AA (auto accident) needs the state in CLM11-4; AA or OA needs DTP*439 accident date.
  const causes = claim.relatedCauses?.codes ?? [];
  if (
    causes.includes('AA') &&
    claim.relatedCauses?.state === undefined &&
    claim.relatedCauses?.country === undefined
  ) {
    sink.at(clm, 'error', 'required-element', 'CLM11-4 (auto accident state) is required when CLM11 is AA', {
      loop: node.loop,
      element: 'CLM11-4',
      ik304: '8',
      ik403: '2',
    });
  }
  if ((causes.includes('AA') || causes.includes('OA')) && !dates.some((d) => d.qualifier === '439')) {
    missing(clm, node.loop, 'DTP*439 (accident date) when CLM11 is AA or OA', ctx);
  }
  // ICD-10-CM (ABK/ABF) for dates of service from 2015-10-01, ICD-9-CM (BK/BF) before (HIPAA compliance date).
  const hi = node.segments.find((x) => x.id === 'HI');
  if (hi !== undefined && claim.diagnoses.length > 0) {
    const icd9 = claim.diagnosisCodeSet === 'icd9';
    const wrong = lines.some((l) =>
      l.serviceDate === undefined ? false : icd9 ? l.serviceDate >= ICD10_FROM : l.serviceDate < ICD10_FROM,
    );
    if (wrong) {
      sink.at(
        hi,
        'error',
        'diagnosis-code-set',
        icd9
          ? 'HI01-1 BK (ICD-9-CM) cannot be used for dates of service from 2015-10-01'
          : 'HI01-1 ABK (ICD-10-CM) cannot be used for dates of service before 2015-10-01',
        { loop: node.loop, element: 'HI01-1', ik304: '8', ik403: '7' },
      );
    }
  }
  const pos = ctx.codeLists.placeOfService;
  if (pos !== undefined && claim.placeOfService !== '' && !pos.has(claim.placeOfService)) {
    sink.at(clm, 'error', 'invalid-code', 'CLM05-1 is not a place of service code', {
      loop: node.loop,
      element: 'CLM05-1',
      ik304: '8',
      ik403: '7',
    });
  }
  // REF*F8 payer claim control number is required for replacement (7) and void (8) claims.
  if (
    (claim.frequencyCode === '7' || claim.frequencyCode === '8') &&
    claim.payerClaimControlNumber === undefined
  ) {
    missing(clm, node.loop, 'REF*F8 (payer claim control number) for a replacement or void claim', ctx);
  }
  const claimServiceDate = dates.some((d) => d.qualifier === '472');
  const lineNodes = node.children.filter((c) => c.loop === '2400');
  lines.forEach((line, i) => {
    const lx = lineNodes[i]?.segments[0];
    const sv1 = lineNodes[i]?.segments.find((s) => s.id === 'SV1');
    if (line.serviceDate === undefined && !claimServiceDate) {
      missing(lx, '2400', 'DTP*472 (service date)', ctx);
    }
    line.pointers.forEach((p, j) => {
      if (!Number.isInteger(p) || p < 1 || p > claim.diagnoses.length) {
        sink.at(sv1, 'error', 'diagnosis-pointer', `SV107-${j + 1} does not point to a diagnosis in HI`, {
          loop: '2400',
          element: `SV107-${j + 1}`,
          ik304: '8',
          ik403: '7',
        });
      }
    });
    if (
      sv1 !== undefined &&
      pos !== undefined &&
      line.placeOfService !== undefined &&
      !pos.has(line.placeOfService)
    ) {
      sink.at(sv1, 'error', 'invalid-code', 'SV105 is not a place of service code', {
        loop: '2400',
        element: 'SV105',
        ik304: '8',
        ik403: '7',
      });
    }
  });
}

/** First date of service coded in ICD-10-CM (HHS final rule, 45 CFR 162.1002). */
export const ICD10_FROM = '2015-10-01';

interface HlEntry {
  readonly seg: Segment;
  readonly level: string;
  readonly billingProvider?: BillingProvider;
  readonly subscriber?: { subscriber: Subscriber; payer: Party };
  hasChildren: boolean;
}

/** Reads one 837P transaction set into the typed model; only the 837P findings are returned (not `tx.diagnostics`). */
function readTransactionOnly(
  tx: TransactionSet,
  options: Read837POptions,
  sink: DiagnosticSink,
): Transaction837P {
  const ctx: Ctx = {
    sink,
    codeLists: options.codeLists ?? {},
    component: tx.interchange.delimiters.component,
  };
  if (tx.implementation !== '005010X222A1') {
    sink.at(tx.st, 'warning', 'implementation-guide', 'ST03 is not 005010X222A1; read as an 837P anyway', {
      loop: 'ST',
      element: 'ST03',
    });
  }
  const root = buildLoopTree(tx.segments, sink);
  const header = readHeader(root, tx.st, ctx);
  const claims: Claim837P[] = [];
  const hls = new Map<string, HlEntry>();
  let expected = 1;
  let lastBilling: BillingProvider | undefined;
  let lastSubscriber: { subscriber: Subscriber; payer: Party } | undefined;
  for (const node of root.children) {
    if (node.loop === '1000A' || node.loop === '1000B') continue;
    const hl = node.segments[0];
    if (hl === undefined) continue;
    check(hl, node.loop, ctx);
    const id = element(hl, 1);
    const parentId = element(hl, 2);
    const level = element(hl, 3);
    // HL01 starts at 1 and increments by 1 (837P TR3 2000A-C HL01).
    if (id !== String(expected)) {
      sink.at(hl, 'error', 'hl-sequence', `HL01 must be ${expected}`, {
        loop: node.loop,
        element: 'HL01',
        ik304: '8',
        ik403: 'I12',
      });
    }
    expected++;
    const parentLevel = level === '22' ? '20' : level === '23' ? '22' : undefined;
    const parent = parentId === '' ? undefined : hls.get(parentId);
    if (parentLevel === undefined) {
      if (level !== '20') {
        sink.at(hl, 'error', 'hl-level', 'HL03 must be 20, 22 or 23 in an 837P', {
          loop: node.loop,
          element: 'HL03',
          ik304: '8',
          ik403: '7',
        });
      } else if (parentId !== '') {
        sink.at(hl, 'error', 'hl-parent', 'HL02 must be empty for the billing provider level', {
          loop: node.loop,
          element: 'HL02',
          ik304: '8',
          ik403: 'I10',
        });
      }
    } else if (parent?.level !== parentLevel) {
      sink.at(hl, 'error', 'hl-parent', `HL02 must name an earlier HL with HL03 = ${parentLevel}`, {
        loop: node.loop,
        element: 'HL02',
        ik304: '8',
        ik403: 'I12',
      });
    }
    if (parent !== undefined) parent.hasChildren = true;
    const entry: HlEntry = { seg: hl, level, hasChildren: false };
    hls.set(id, entry);
    if (node.loop === '2000A') {
      lastBilling = readBillingProvider(node, ctx);
      hls.set(id, { ...entry, billingProvider: lastBilling });
      continue;
    }
    const billing = hls.get(parentId)?.billingProvider ?? lastBilling;
    if (node.loop === '2000B') {
      lastSubscriber = readSubscriber(node, ctx);
      const b = billing ?? { provider: emptyParty('85'), other: [] };
      if (billing === undefined)
        missing(hl, '2000A', 'a billing provider HL (HL03 = 20) before the subscriber', ctx);
      hls.set(id, { ...entry, billingProvider: b, subscriber: lastSubscriber });
      // SBR02 = 18 when the subscriber is the patient, i.e. when claims sit directly under 2000B (837P TR3).
      const sbr = node.segments.find((x) => x.id === 'SBR');
      if (
        sbr !== undefined &&
        node.children.some((c) => c.loop === '2300') &&
        lastSubscriber.subscriber.relationship !== '18'
      ) {
        sink.at(
          sbr,
          'error',
          'subscriber-relationship',
          'SBR02 must be 18 when the subscriber is the patient',
          {
            loop: '2000B',
            element: 'SBR02',
            ik304: '8',
            ik403: '1',
          },
        );
      }
      for (const c of node.children) {
        const clm = c.segments[0];
        if (c.loop === '2300' && clm !== undefined)
          claims.push(readClaim(c, clm, { billingProvider: b, ...lastSubscriber }, ctx));
      }
      continue;
    }
    if (node.loop === '2000C') {
      const p = hls.get(parentId);
      const sub = p?.subscriber ?? lastSubscriber;
      const b = p?.billingProvider ?? lastBilling ?? { provider: emptyParty('85'), other: [] };
      const patient = readPatient(node, ctx);
      if (sub === undefined) missing(hl, '2000B', 'a subscriber HL (HL03 = 22) before the patient', ctx);
      const s = sub ?? {
        subscriber: { payerResponsibility: '', person: emptyParty('IL'), other: [] },
        payer: emptyParty('PR'),
      };
      for (const c of node.children) {
        const clm = c.segments[0];
        if (c.loop === '2300' && clm !== undefined)
          claims.push(readClaim(c, clm, { billingProvider: b, ...s, patient }, ctx));
      }
      continue;
    }
    // Unknown HL level: its segments were reported as they were placed; nothing typed to read.
  }
  // HL04: 1 when the level has subordinate HLs, 0 when it has none (837P TR3 HL04).
  for (const [, e] of hls) {
    const hl04 = element(e.seg, 4);
    const want = e.hasChildren ? '1' : '0';
    if (hl04 !== '' && hl04 !== want) {
      sink.at(e.seg, 'error', 'hl-child-code', `HL04 must be ${want}`, {
        loop: e.level === '20' ? '2000A' : e.level === '22' ? '2000B' : '2000C',
        element: 'HL04',
        ik304: '8',
        ik403: 'I12',
      });
    }
  }
  if (claims.length === 0) missing(tx.st, '2300', 'at least one CLM claim', ctx);
  const isa = tx.interchange;
  return {
    controlNumber: tx.controlNumber,
    implementation: tx.implementation,
    envelope: {
      senderQualifier: isa.senderQualifier,
      senderId: isa.senderId,
      receiverQualifier: isa.receiverQualifier,
      receiverId: isa.receiverId,
      interchangeControlNumber: isa.controlNumber,
      usage: isa.usage,
      applicationSenderCode: tx.group.senderCode,
      applicationReceiverCode: tx.group.receiverCode,
      groupControlNumber: tx.group.controlNumber,
    },
    header,
    claims,
  };
}

/**
 * Reads one 837P transaction set (e.g. from `streamTransactions`) into the typed model. The diagnostics include
 * the envelope findings already attached to the transaction set.
 */
export function read837PTransaction(
  tx: TransactionSet,
  options: Read837POptions = {},
): { readonly value: Transaction837P; readonly diagnostics: readonly Diagnostic[] } {
  const sink = new DiagnosticSink();
  const value = readTransactionOnly(tx, options, sink);
  return { value, diagnostics: sortByPosition(withPositions([...tx.diagnostics, ...sink.items], tx)) };
}

function sortByPosition(ds: Diagnostic[]): Diagnostic[] {
  return ds.sort((a, b) => (a.segmentIndex ?? -1) - (b.segmentIndex ?? -1));
}

/**
 * Reads X12 text holding 837P transaction sets into typed claims. Never throws on bad input: returns what it
 * could read and located diagnostics (envelope, structure, element, code list, balancing).
 */
export function read837P(text: string, options: Read837POptions = {}): Read837PResult {
  const parsed = parseX12(text);
  const sink = new DiagnosticSink();
  const transactions: Transaction837P[] = [];
  for (const tx of transactionsOf(parsed)) {
    if (tx.transactionType !== '837') {
      sink.at(tx.st, 'warning', 'wrong-transaction', 'ST01 is not 837; transaction set skipped', {
        loop: 'ST',
        element: 'ST01',
      });
      continue;
    }
    const own = new DiagnosticSink();
    transactions.push(readTransactionOnly(tx, options, own));
    // IK302 positions (ST = 1) so a 999 can point at the segment.
    for (const d of withPositions(own.items, tx)) sink.add(d);
  }
  return {
    value: { transactions },
    diagnostics: sortByPosition([...parsed.diagnostics, ...sink.items]),
  };
}

/** Reports the COB rules of {@link cobProblems} at the segments they concern. */
function validateCob(claim: Claim837P, node: LoopNode, ctx: Ctx): void {
  const payerNodes = node.children.filter((c) => c.loop === '2320');
  const lineNodes = node.children.filter((c) => c.loop === '2400');
  const svd = (line: number, adjudication: number): Segment | undefined =>
    lineNodes[line]?.children.filter((c) => c.loop === '2430')[adjudication]?.segments[0];
  for (const p of cobProblems(claim)) {
    const message = describeCobProblem(p).replace(/^\d{4} /, '');
    switch (p.kind) {
      case 'payer-sequence':
        ctx.sink.at(payerNodes[p.payer]?.segments[0], 'error', p.kind, message, {
          loop: '2320',
          element: 'SBR01',
          ik304: '8',
          ik403: '7',
        });
        break;
      case 'missing-other-payer':
        ctx.sink.at(node.segments[0], 'error', 'missing-segment', message, { loop: '2320', ik304: '3' });
        break;
      case 'cob-payer-id':
        ctx.sink.at(svd(p.line, p.adjudication), 'error', p.kind, message, {
          loop: '2430',
          element: 'SVD01',
        });
        break;
      case 'balance-cob-line':
        ctx.sink.at(svd(p.line, p.adjudication), 'error', p.kind, message, {
          loop: '2430',
          element: 'SVD02',
        });
        break;
      case 'balance-cob-claim':
        ctx.sink.at(payerNodes[p.payer]?.segments[0], 'error', p.kind, message, {
          loop: '2320',
          element: 'AMT02',
        });
        break;
    }
  }
}

/**
 * Reads the 837P transaction sets of a chunked source (a file stream) one at a time, so memory does not grow
 * with the file. Each result carries that transaction's envelope findings and its own; interchange and group
 * findings (ISA/IEA, GS/GE) go to `envelopeDiagnostics`. Transaction sets other than 837 are skipped.
 */
export async function* stream837P(
  source: ChunkSource,
  options: Read837POptions = {},
  envelopeDiagnostics: DiagnosticSink = new DiagnosticSink(),
): AsyncGenerator<{ readonly value: Transaction837P; readonly diagnostics: readonly Diagnostic[] }> {
  for await (const tx of streamTransactions(source, envelopeDiagnostics)) {
    if (tx.transactionType !== '837') continue;
    yield read837PTransaction(tx, options);
  }
}
