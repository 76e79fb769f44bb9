import type { ExternalCodeLists } from '../core/codelists.ts';
import {
  compact,
  compositeOf,
  locationOf,
  opt,
  readAddressPart,
  readAmt,
  readDmg,
  readDtp,
  readNm1,
  readPer,
  readPrv,
  readProcedure,
  type ReadResult,
  readRaw,
  readRef,
  readTrn,
  withPositions,
  missingSegment,
  SegmentOrder,
  type Address,
  type Contact,
  type DatePeriod,
  type Demographics,
  type EntityName,
  type ProviderInformation,
  type RawSegment,
  type Reference,
  type Trace,
} from '../core/common-segments.ts';
import { DiagnosticSink, type Diagnostic } from '../core/diagnostics.ts';
import type { TransactionSet } from '../core/envelope.ts';
import { readHierarchy, type HlLevelSpec, type HlNode } from '../core/hl.ts';
import { parseX12, streamTransactions, transactionsOf } from '../core/parse.ts';
import type { ChunkSource } from '../core/tokenizer.ts';
import { component, element, position, repetitions, type Segment } from '../core/segment.ts';
import { checkDateByQualifier, checkSegment, type SegmentSpec } from '../core/spec.ts';
import { d8ToIso, parseAmount, parseQuantityMilli } from '../core/values.ts';

const DECIMAL_TEXT = /^-?(\d+\.?\d*|\.\d+)$/;
import {
  AAA_ACTIONS_BY_LOOP,
  AAA_FOLLOW_UP_ACTIONS,
  AAA_REASONS_BY_LOOP,
  AAA_REJECT_REASONS,
} from './codes.ts';
import * as L from './layouts.ts';
import type {
  BenefitInformation,
  BenefitRelatedEntity,
  DiagnosisCode,
  EligibilityHeader,
  EligibilityInquiry,
  EligibilityMember,
  EligibilityTransaction,
  InformationReceiver,
  InformationSource,
  MemberRelationship,
  RequestValidation,
} from './types.ts';

/** Options for the 270/271 readers. */
export interface EligibilityReadOptions {
  /** External lists checked when given (service types for EQ01 / EB03). */
  readonly codeLists?: ExternalCodeLists;
}

// Segment order inside the loops, as the 270/271 TR3 lists them (the writer emits this order).
const RECEIVER_ORDER = { NM1: 0, REF: 1, N3: 2, N4: 3, AAA: 4, PRV: 5 };
const MEMBER_ORDER = {
  TRN: 0,
  NM1: 1,
  REF: 2,
  N3: 3,
  N4: 4,
  AAA: 5,
  PRV: 6,
  DMG: 7,
  INS: 8,
  HI: 9,
  DTP: 10,
  MPI: 11,
};
const INQUIRY_ORDER = { EQ: 0, AMT: 1, III: 2, REF: 3, DTP: 4 };
const BENEFIT_ORDER = { EB: 0, HSD: 1, REF: 2, DTP: 3, AAA: 4, MSG: 5, III: 6, LS: 7 };

/** The HL levels of the 270/271 (005010X279A1). */
export const ELIGIBILITY_LEVELS: Readonly<Record<string, HlLevelSpec>> = {
  '20': { loop: '2000A', parents: [] },
  '21': { loop: '2000B', parents: ['20'] },
  '22': { loop: '2000C', parents: ['21'] },
  '23': { loop: '2000D', parents: ['22'] },
};

/** Parses X12 text and reads every 270 and 271 transaction set in it. */
export function parseEligibility(
  text: string,
  options: EligibilityReadOptions = {},
): ReadResult<EligibilityTransaction[]> {
  const parsed = parseX12(text);
  const diagnostics: Diagnostic[] = [...parsed.diagnostics];
  const value: EligibilityTransaction[] = [];
  for (const tx of transactionsOf(parsed)) {
    if (tx.transactionType !== '270' && tx.transactionType !== '271') continue;
    const r = readEligibility(tx, options);
    value.push(r.value);
    diagnostics.push(...r.diagnostics);
  }
  return { value, diagnostics };
}

/** Reads one 270 or 271 transaction set into the typed model. */
export function readEligibility(
  tx: TransactionSet,
  options: EligibilityReadOptions = {},
): ReadResult<EligibilityTransaction> {
  const type = tx.transactionType === '271' ? '271' : '270';
  const r = new Reader(type, new DiagnosticSink(), options.codeLists ?? {});
  const value = r.transaction(tx.segments, tx.controlNumber, tx.st);
  return { value, diagnostics: withPositions(r.sink.items, tx) };
}

class Reader {
  constructor(
    readonly type: '270' | '271',
    readonly sink: DiagnosticSink,
    readonly codeLists: ExternalCodeLists,
  ) {}

  check(seg: Segment, layout: SegmentSpec, loop: string): void {
    checkSegment(seg, layout, loop, this.sink);
  }

  unexpected(seg: Segment, loop: string, other: RawSegment[]): void {
    this.sink.at(seg, 'warning', 'unexpected-segment', `${seg.id} is not expected here in loop ${loop}`, {
      loop,
      ik304: '2',
    });
    other.push(readRaw(seg));
  }

  missing(at: Segment, loop: string, what: string, segmentId: string): void {
    this.sink.at(
      missingSegment(at, segmentId),
      'error',
      'required-segment',
      `loop ${loop} requires ${what}`,
      {
        loop,
        ik304: '3',
      },
    );
  }

  transaction(segments: readonly Segment[], controlNumber: string, st: Segment): EligibilityTransaction {
    // 271 TR3: a level answered with an AAA reject carries no subordinate levels but keeps the 270's HL04.
    const tree = readHierarchy(segments, ELIGIBILITY_LEVELS, this.sink, {
      childCodeExempt: (n) =>
        this.type === '271' && n.childCode === '1' && n.segments.some((x) => x.id === 'AAA'),
    });
    const other: RawSegment[] = [];
    let header: EligibilityHeader | undefined;
    for (const seg of tree.header) {
      if (seg.id === 'BHT' && header === undefined) {
        this.check(seg, this.type === '270' ? L.BHT_270 : L.BHT_271, 'BHT');
        header = compact<EligibilityHeader>({
          structureCode: element(seg, 1),
          purpose: element(seg, 2),
          referenceId: opt(seg, 3),
          date: d8ToIso(element(seg, 4)) ?? element(seg, 4),
          time: element(seg, 5),
          transactionType: opt(seg, 6),
        });
      } else {
        this.unexpected(seg, 'HEADER', other);
      }
    }
    if (header === undefined) {
      this.missing(st, 'HEADER', 'a BHT segment', 'BHT');
      header = { structureCode: '', purpose: '', date: '', time: '' };
    }
    if (tree.roots.length === 0) this.missing(st, '2000A', 'at least one information source (HL*20)', 'HL');
    const sources = tree.roots.map((n) => this.source(n));
    return { type: this.type, controlNumber, header, sources, other };
  }

  validation(seg: Segment, loop: string): RequestValidation {
    if (this.type === '270') {
      // AAA is the payer's answer: a 270 has none. Kept (and written back) so nothing is lost.
      this.sink.at(seg, 'warning', 'unexpected-segment', `AAA is not expected in a 270 (loop ${loop})`, {
        loop,
        ik304: '2',
      });
    }
    this.check(seg, L.AAA, loop);
    const reason = element(seg, 3);
    const allowed = AAA_REASONS_BY_LOOP[loop];
    if (allowed !== undefined && reason in AAA_REJECT_REASONS && !allowed.includes(reason)) {
      // A code of the guide, but not one the guide lists for this loop: worth a look, not a rejection.
      this.sink.at(
        seg,
        'warning',
        'aaa-reason-loop',
        `AAA03 reject reason is not one the guide lists for loop ${loop}`,
        {
          loop,
          element: 'AAA03',
          ik304: '8',
          ik403: 'I6',
        },
      );
    }
    const action = element(seg, 4);
    const actions = AAA_ACTIONS_BY_LOOP[loop];
    if (actions !== undefined && action in AAA_FOLLOW_UP_ACTIONS && !actions.includes(action)) {
      this.sink.at(
        seg,
        'warning',
        'aaa-action-loop',
        `AAA04 follow-up action is not one the guide lists for loop ${loop}`,
        { loop, element: 'AAA04', ik304: '8', ik403: 'I6' },
      );
    }
    return {
      valid: element(seg, 1) === 'Y',
      rejectReason: element(seg, 3),
      followUpAction: element(seg, 4),
      at: locationOf(seg),
    };
  }

  hl(node: HlNode): void {
    this.check(node.hl, L.hlLayout(node.levelCode, node.levelCode === '20'), node.loop);
  }

  source(node: HlNode): InformationSource {
    this.hl(node);
    const levelValidations: RequestValidation[] = [];
    const validations: RequestValidation[] = [];
    const contacts: Contact[] = [];
    const other: RawSegment[] = [];
    let name: EntityName | undefined;
    for (const seg of node.segments) {
      switch (seg.id) {
        case 'AAA':
          if (name === undefined) levelValidations.push(this.validation(seg, '2000A'));
          else validations.push(this.validation(seg, '2100A'));
          break;
        case 'NM1':
          if (name === undefined) {
            this.check(seg, L.NM1_2100A, '2100A');
            name = readNm1(seg);
          } else this.unexpected(seg, '2100A', other);
          break;
        case 'PER':
          if (name !== undefined && this.type === '271') {
            this.check(seg, L.PER, '2100A');
            contacts.push(readPer(seg));
          } else this.unexpected(seg, '2100A', other);
          break;
        default:
          this.unexpected(seg, '2000A', other);
      }
    }
    if (name === undefined) this.missing(node.hl, '2100A', 'the information source name (NM1)', 'NM1');
    const receivers = node.children.map((c) => this.receiver(c));
    return compact<InformationSource>({
      at: locationOf(node.hl),
      hlChildCode: node.childCode === '' ? undefined : node.childCode,
      levelValidations,
      name: name ?? { entityIdentifier: '', entityType: '' },
      contacts,
      validations,
      receivers,
      other,
    });
  }

  receiver(node: HlNode): InformationReceiver {
    this.hl(node);
    const references: Reference[] = [];
    const validations: RequestValidation[] = [];
    const other: RawSegment[] = [];
    let name: EntityName | undefined;
    let address: Address | undefined;
    let provider: ProviderInformation | undefined;
    const order = new SegmentOrder(RECEIVER_ORDER, '2100B', this.sink);
    for (const seg of node.segments) {
      order.see(seg);
      if (name === undefined && seg.id !== 'NM1') {
        this.unexpected(seg, '2000B', other);
        continue;
      }
      switch (seg.id) {
        case 'NM1':
          if (name === undefined) {
            this.check(seg, L.NM1_2100B, '2100B');
            name = readNm1(seg);
          } else this.unexpected(seg, '2100B', other);
          break;
        case 'REF':
          this.check(seg, L.REF, '2100B');
          references.push(readRef(seg));
          break;
        case 'N3':
        case 'N4':
          this.check(seg, seg.id === 'N3' ? L.N3 : L.N4, '2100B');
          address = readAddressPart(seg, address);
          break;
        case 'AAA':
          validations.push(this.validation(seg, '2100B'));
          break;
        case 'PRV':
          this.check(seg, L.PRV, '2100B');
          provider = readPrv(seg);
          break;
        default:
          this.unexpected(seg, '2100B', other);
      }
    }
    if (name === undefined) this.missing(node.hl, '2100B', 'the information receiver name (NM1)', 'NM1');
    const subscribers = node.children.map((c) => this.member(c, '2000C'));
    return compact<InformationReceiver>({
      at: locationOf(node.hl),
      hlChildCode: node.childCode === '' ? undefined : node.childCode,
      name: name ?? { entityIdentifier: '', entityType: '' },
      references,
      address,
      validations,
      provider,
      subscribers,
      other,
    });
  }

  serviceTypes(seg: Segment, n: number, loop: string): string[] {
    const types = repetitions(seg, n);
    const list = this.codeLists.serviceType;
    if (list !== undefined) {
      for (const t of types) {
        if (!list.has(t)) {
          this.sink.at(
            seg,
            'error',
            'invalid-code',
            `${position(seg.id, n)} is not a known service type code`,
            {
              loop,
              element: position(seg.id, n),
              ik304: '8',
              ik403: '7',
            },
          );
        }
      }
    }
    return types;
  }

  member(node: HlNode, loop: '2000C' | '2000D'): EligibilityMember {
    this.hl(node);
    const nameLoop = loop === '2000C' ? '2100C' : '2100D';
    const benefitLoop = loop === '2000C' ? '2110C' : '2110D';
    const entityLoop = loop === '2000C' ? '2120C' : '2120D';
    const traces: Trace[] = [];
    const references: Reference[] = [];
    const validations: RequestValidation[] = [];
    const diagnoses: DiagnosisCode[] = [];
    const dates: DatePeriod[] = [];
    const inquiries: EligibilityInquiry[] = [];
    const benefits: BenefitInformation[] = [];
    const other: RawSegment[] = [];
    let name: EntityName | undefined;
    let address: Address | undefined;
    let provider: ProviderInformation | undefined;
    let demographics: Demographics | undefined;
    let relationship: MemberRelationship | undefined;
    let militaryPersonnel: RawSegment | undefined;
    let inquiry: InquiryBuilder | undefined;
    let benefit: BenefitBuilder | undefined;
    let entity: EntityBuilder | undefined;
    let inLs = false;
    let benefitHasLs = false;
    const closeEntity = (): void => {
      if (entity !== undefined && benefit !== undefined) benefit.relatedEntities.push(buildEntity(entity));
      entity = undefined;
    };
    const order = new SegmentOrder(MEMBER_ORDER, nameLoop, this.sink);
    let benefitOrder: SegmentOrder | undefined;
    for (const seg of node.segments) {
      if (inquiry === undefined && benefit === undefined) order.see(seg);
      else if (!inLs && seg.id !== 'EB' && seg.id !== 'EQ') benefitOrder?.see(seg);
      // 2110 loops: once an EQ / EB has opened one, what follows belongs to it.
      if (seg.id === 'EQ' && this.type === '270') {
        if (inquiry !== undefined) inquiries.push(buildInquiry(inquiry));
        inquiry = this.eq(seg, benefitLoop);
        benefitOrder = new SegmentOrder(INQUIRY_ORDER, benefitLoop, this.sink);
        continue;
      }
      if (seg.id === 'EB' && this.type === '271' && !inLs) {
        if (benefit !== undefined) benefits.push(buildBenefit(benefit));
        benefit = this.eb(seg, benefitLoop);
        benefitHasLs = false;
        benefitOrder = new SegmentOrder(BENEFIT_ORDER, benefitLoop, this.sink);
        continue;
      }
      if (inquiry !== undefined) {
        switch (seg.id) {
          case 'AMT': {
            this.check(seg, L.AMT, benefitLoop);
            const a = readAmt(seg, benefitLoop, this.sink);
            if (a !== undefined) inquiry.amounts.push(a);
            break;
          }
          case 'III':
            inquiry.additionalInformation.push(readRaw(seg));
            break;
          case 'REF':
            this.check(seg, L.REF, benefitLoop);
            inquiry.references.push(readRef(seg));
            break;
          case 'DTP':
            inquiry.dates.push(this.dtp(seg, benefitLoop));
            break;
          default:
            this.unexpected(seg, benefitLoop, inquiry.other);
        }
        continue;
      }
      if (benefit !== undefined) {
        if (inLs) {
          switch (seg.id) {
            case 'LE':
              this.check(seg, L.LE, benefitLoop);
              closeEntity();
              inLs = false;
              break;
            case 'NM1':
              closeEntity();
              this.check(seg, L.NM1_2120, entityLoop);
              entity = { name: readNm1(seg), contacts: [], other: [] };
              break;
            case 'N3':
            case 'N4':
            case 'PER':
            case 'PRV':
              if (entity === undefined) {
                this.unexpected(seg, entityLoop, benefit.other);
              } else if (seg.id === 'PER') {
                this.check(seg, L.PER, entityLoop);
                entity.contacts.push(readPer(seg));
              } else if (seg.id === 'PRV') {
                this.check(seg, L.PRV, entityLoop);
                entity.provider = readPrv(seg);
              } else {
                this.check(seg, seg.id === 'N3' ? L.N3 : L.N4, entityLoop);
                entity.address = readAddressPart(seg, entity.address);
              }
              break;
            default:
              this.unexpected(seg, entityLoop, entity?.other ?? benefit.other);
          }
          continue;
        }
        switch (seg.id) {
          case 'HSD':
            benefit.serviceDeliveries.push(readRaw(seg));
            break;
          case 'REF':
            this.check(seg, L.REF, benefitLoop);
            benefit.references.push(readRef(seg));
            break;
          case 'DTP':
            benefit.dates.push(this.dtp(seg, benefitLoop));
            break;
          case 'AAA':
            benefit.validations.push(this.validation(seg, benefitLoop));
            break;
          case 'MSG':
            this.check(seg, L.MSG, benefitLoop);
            benefit.messages.push(element(seg, 1));
            break;
          case 'III':
            benefit.additionalInformation.push(readRaw(seg));
            break;
          case 'LS':
            this.check(seg, L.LS, benefitLoop);
            if (benefitHasLs) this.unexpected(seg, benefitLoop, benefit.other);
            else {
              benefitHasLs = true;
              inLs = true;
            }
            break;
          default:
            this.unexpected(seg, benefitLoop, benefit.other);
        }
        continue;
      }
      if (name === undefined && seg.id !== 'NM1' && seg.id !== 'TRN') {
        this.unexpected(seg, loop, other);
        continue;
      }
      switch (seg.id) {
        case 'TRN':
          if (name !== undefined) this.unexpected(seg, nameLoop, other);
          else {
            this.check(seg, L.TRN, loop);
            traces.push(readTrn(seg));
          }
          break;
        case 'NM1':
          if (name === undefined) {
            this.check(seg, loop === '2000C' ? L.NM1_2100C : L.NM1_2100D, nameLoop);
            name = readNm1(seg);
          } else this.unexpected(seg, nameLoop, other);
          break;
        case 'REF':
          this.check(seg, L.REF, nameLoop);
          references.push(readRef(seg));
          break;
        case 'N3':
        case 'N4':
          this.check(seg, seg.id === 'N3' ? L.N3 : L.N4, nameLoop);
          address = readAddressPart(seg, address);
          break;
        case 'AAA':
          validations.push(this.validation(seg, nameLoop));
          break;
        case 'PRV':
          this.check(seg, L.PRV, nameLoop);
          provider = readPrv(seg);
          break;
        case 'DMG':
          this.check(seg, L.DMG, nameLoop);
          demographics = readDmg(seg);
          break;
        case 'INS':
          this.check(seg, L.INS, nameLoop);
          relationship = compact<MemberRelationship>({
            insured: element(seg, 1),
            relationship: element(seg, 2),
            maintenanceType: opt(seg, 3),
            maintenanceReason: opt(seg, 4),
            birthSequence: opt(seg, 17),
          });
          break;
        case 'HI':
          for (let i = 1; i < seg.elements.length; i++) {
            if (element(seg, i) === '') continue;
            diagnoses.push({ qualifier: component(seg, i, 1), code: component(seg, i, 2) });
          }
          break;
        case 'DTP':
          dates.push(this.dtp(seg, nameLoop));
          break;
        case 'MPI':
          militaryPersonnel = readRaw(seg);
          break;
        default:
          this.unexpected(seg, nameLoop, other);
      }
    }
    if (inLs && benefit !== undefined) {
      closeEntity();
      this.sink.at(
        node.segments[node.segments.length - 1],
        'error',
        'required-segment',
        'LS*2120 has no matching LE',
        {
          loop: benefitLoop,
          ik304: '3',
        },
      );
    }
    if (inquiry !== undefined) inquiries.push(buildInquiry(inquiry));
    if (benefit !== undefined) benefits.push(buildBenefit(benefit));
    if (name === undefined) this.missing(node.hl, nameLoop, 'the member name (NM1)', 'NM1');
    const dependents = loop === '2000C' ? node.children.map((c) => this.member(c, '2000D')) : [];
    if (this.type === '270' && dependents.length === 0) {
      // The patient's level (the subscriber without dependents, or the dependent) carries the inquiry:
      // TRN (2000C/2000D) and at least one 2110 EQ are required there (270 TR3).
      if (traces.length === 0) this.missing(node.hl, loop, 'a TRN trace number on the patient level', 'TRN');
      if (inquiries.length === 0)
        this.missing(node.hl, benefitLoop, 'at least one EQ inquiry on the patient level', 'EQ');
    }
    return compact<EligibilityMember>({
      loop,
      at: locationOf(node.hl),
      hlChildCode: node.childCode === '' ? undefined : node.childCode,
      traces,
      name: name ?? { entityIdentifier: '', entityType: '' },
      references,
      address,
      validations,
      provider,
      demographics,
      relationship,
      diagnoses,
      dates,
      militaryPersonnel,
      inquiries,
      benefits,
      dependents,
      other,
    });
  }

  dtp(seg: Segment, loop: string): DatePeriod {
    this.check(seg, L.DTP, loop);
    checkDateByQualifier(seg, 2, 3, loop, this.sink);
    return readDtp(seg);
  }

  eq(seg: Segment, loop: string): InquiryBuilder {
    this.check(seg, L.EQ, loop);
    return compact<InquiryBuilder>({
      serviceTypes: this.serviceTypes(seg, 1, loop),
      procedure: readProcedure(seg, 2),
      coverageLevel: opt(seg, 3),
      diagnosisPointers: pointersOf(seg, 5),
      amounts: [],
      additionalInformation: [],
      references: [],
      dates: [],
      other: [],
      at: locationOf(seg),
    });
  }

  /**
   * An EB decimal element read with `read`; the EB layout reports malformed decimals (IK403 6), a well-formed
   * decimal that still cannot be read exactly (an amount with fractions of a cent, a percent finer than a basis
   * point) is reported here.
   */
  ebDecimal(
    seg: Segment,
    n: number,
    loop: string,
    read: (t: string) => number | undefined,
    code: string,
    what: string,
  ): number | undefined {
    const text = element(seg, n);
    if (text === '') return undefined;
    const v = read(text);
    if (v === undefined && DECIMAL_TEXT.test(text)) {
      this.sink.at(seg, 'error', code, `${position('EB', n)} is not a valid ${what}`, {
        loop,
        element: position('EB', n),
        ik304: '8',
        ik403: '6',
      });
    }
    return v;
  }

  eb(seg: Segment, loop: string): BenefitBuilder {
    this.check(seg, L.EB, loop);
    // Per EB segment (the most frequent segment of a 271): the object is built with only the elements present,
    // in the order of the type, instead of a literal of every element copied by `compact`. Every required key is
    // set below, before it is returned.
    const b = { code: element(seg, 1) } as BenefitBuilder;
    const coverageLevel = opt(seg, 2);
    if (coverageLevel !== undefined) b.coverageLevel = coverageLevel;
    b.serviceTypes = this.serviceTypes(seg, 3, loop);
    const insuranceType = opt(seg, 4);
    if (insuranceType !== undefined) b.insuranceType = insuranceType;
    const planDescription = opt(seg, 5);
    if (planDescription !== undefined) b.planDescription = planDescription;
    const timePeriod = opt(seg, 6);
    if (timePeriod !== undefined) b.timePeriod = timePeriod;
    const amountCents = this.ebDecimal(seg, 7, loop, parseAmount, 'invalid-amount', 'monetary amount');
    if (amountCents !== undefined) b.amountCents = amountCents;
    const bp = this.ebDecimal(seg, 8, loop, parseBasisPoints, 'invalid-percent', 'percentage');
    if (bp !== undefined) b.percentBasisPoints = bp;
    const quantityQualifier = opt(seg, 9);
    if (quantityQualifier !== undefined) b.quantityQualifier = quantityQualifier;
    const quantityMilli = this.ebDecimal(seg, 10, loop, parseQuantityMilli, 'invalid-quantity', 'quantity');
    if (quantityMilli !== undefined) b.quantityMilli = quantityMilli;
    const authorizationRequired = opt(seg, 11);
    if (authorizationRequired !== undefined) b.authorizationRequired = authorizationRequired;
    const inPlanNetwork = opt(seg, 12);
    if (inPlanNetwork !== undefined) b.inPlanNetwork = inPlanNetwork;
    const procedure = readProcedure(seg, 13);
    if (procedure !== undefined) b.procedure = procedure;
    const diagnosisPointers = pointersOf(seg, 14);
    if (diagnosisPointers !== undefined) b.diagnosisPointers = diagnosisPointers;
    b.serviceDeliveries = [];
    b.references = [];
    b.dates = [];
    b.validations = [];
    b.messages = [];
    b.additionalInformation = [];
    b.relatedEntities = [];
    b.other = [];
    b.at = locationOf(seg);
    return b;
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer E)[] ? E[] : T[K] };
type InquiryBuilder = Mutable<EligibilityInquiry>;
type BenefitBuilder = Mutable<BenefitInformation>;
type EntityBuilder = Mutable<BenefitRelatedEntity>;

function buildInquiry(b: InquiryBuilder): EligibilityInquiry {
  return b;
}

function buildBenefit(b: BenefitBuilder): BenefitInformation {
  return b;
}

function buildEntity(b: EntityBuilder): BenefitRelatedEntity {
  return b;
}

function pointersOf(seg: Segment, n: number): string[] | undefined {
  const c = compositeOf(seg, n);
  return c.length === 0 ? undefined : c;
}

/** Parses a decimal percentage (EB08, 0.2 = 20 %) exactly into basis points (2000). */
export function parseBasisPoints(text: string): number | undefined {
  const m = /^(\d*)(?:\.(\d*))?$/.exec(text);
  if (m === null) return undefined;
  const [, whole = '', fracRaw = ''] = m;
  if (whole === '' && fracRaw === '') return undefined;
  const frac = fracRaw.replace(/0+$/, '');
  if (frac.length > 4 || whole.length > 6) return undefined;
  return Number(whole === '' ? '0' : whole) * 10000 + Number(frac.padEnd(4, '0'));
}

/** Formats basis points as the X12 decimal percentage (2000 → "0.2"). */
export function formatBasisPoints(bp: number): string {
  const whole = Math.floor(bp / 10000);
  const frac = bp % 10000;
  return frac === 0 ? String(whole) : `${whole}.${String(frac).padStart(4, '0').replace(/0+$/, '')}`;
}

/**
 * Reads the 270s and 271s of a chunked source (a file stream) one transaction set at a time, so memory does
 * not grow with the file. Each result carries the transaction's envelope findings and its own; interchange
 * and group findings go to `envelopeDiagnostics`.
 */
export async function* streamEligibility(
  source: ChunkSource,
  options: EligibilityReadOptions = {},
  envelopeDiagnostics: DiagnosticSink = new DiagnosticSink(),
): AsyncGenerator<ReadResult<EligibilityTransaction>> {
  for await (const tx of streamTransactions(source, envelopeDiagnostics)) {
    if (tx.transactionType !== '270' && tx.transactionType !== '271') continue;
    const r = readEligibility(tx, options);
    yield { value: r.value, diagnostics: [...tx.diagnostics, ...r.diagnostics] };
  }
}
