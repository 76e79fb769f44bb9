/**
 * Building 271 answers from 270 inquiries (for the clearinghouse simulator and tests): the response keeps the
 * request's hierarchy and trace numbers, and each subscriber / dependent gets the benefits or the AAA rejects
 * the caller decides.
 */
import type {
  Address,
  DatePeriod,
  Demographics,
  EntityName,
  Reference,
  Trace,
} from '../core/common-segments.ts';
import type {
  BenefitInformation,
  EligibilityMember,
  EligibilityTransaction,
  InformationReceiver,
  InformationSource,
  MemberRelationship,
  RequestValidation,
} from './types.ts';

/** A benefit with empty lists filled in, for writers and tests: `benefit({ code: 'B', amountCents: 2500 })`. */
export function benefit(
  b: Pick<BenefitInformation, 'code'> & Partial<Omit<BenefitInformation, 'code'>>,
): BenefitInformation {
  return {
    serviceTypes: [],
    serviceDeliveries: [],
    references: [],
    dates: [],
    validations: [],
    messages: [],
    additionalInformation: [],
    relatedEntities: [],
    other: [],
    ...b,
  };
}

/** An AAA reject: the request was valid (Y) but the payer could not answer it, or invalid (N). */
export function rejection(rejectReason: string, followUpAction: string, valid = true): RequestValidation {
  return { valid, rejectReason, followUpAction };
}

/** What the payer says about one subscriber or dependent. */
export interface EligibilityAnswer {
  /** AAA rejects at the name level (2100C/2100D), e.g. 72 invalid member id, 75 subscriber not found. */
  readonly rejects?: readonly RequestValidation[];
  readonly benefits?: readonly BenefitInformation[];
  /** The name and id as the payer has them (defaults to the inquiry's). */
  readonly name?: EntityName;
  readonly references?: readonly Reference[];
  readonly address?: Address;
  readonly demographics?: Demographics;
  readonly relationship?: MemberRelationship;
  /** DTP (346/347 plan, 356/357 eligibility, 291 ...); defaults to the inquiry's dates. */
  readonly dates?: readonly DatePeriod[];
  /** A payer trace (TRN*1 with the payer's own originator id) added after the echoed one. */
  readonly payerTrace?: Trace;
}

/** Where a member sits in the request. */
export interface MemberPath {
  readonly source: InformationSource;
  readonly receiver: InformationReceiver;
  /** The subscriber, when the member is a dependent. */
  readonly subscriber?: EligibilityMember;
}

/** Header of the 271 being built. */
export interface ResponseHeader {
  /** YYYY-MM-DD and HHMM. */
  readonly date: string;
  readonly time: string;
}

function answerMember(
  m: EligibilityMember,
  path: MemberPath,
  answer: (member: EligibilityMember, path: MemberPath) => EligibilityAnswer | undefined,
): EligibilityMember {
  const a = answer(m, path) ?? {};
  // The 271 returns the 270's trace as TRN*2 (referenced transaction trace).
  const traces: Trace[] = m.traces.map((t) => ({ ...t, typeCode: '2' }));
  if (a.payerTrace !== undefined) traces.push(a.payerTrace);
  const dependents = m.dependents.map((d) => answerMember(d, { ...path, subscriber: m }, answer));
  const out: { -readonly [K in keyof EligibilityMember]: EligibilityMember[K] } = {
    loop: m.loop,
    traces,
    name: a.name ?? m.name,
    references: a.references ?? m.references,
    validations: a.rejects ?? [],
    diagnoses: [],
    dates: a.dates ?? m.dates,
    inquiries: [],
    benefits: a.rejects !== undefined && a.rejects.length > 0 ? [] : (a.benefits ?? []),
    dependents,
    other: [],
  };
  const address = a.address ?? m.address;
  const demographics = a.demographics ?? m.demographics;
  const relationship = a.relationship ?? m.relationship;
  if (address !== undefined) out.address = address;
  if (demographics !== undefined) out.demographics = demographics;
  if (relationship !== undefined) out.relationship = relationship;
  return out;
}

/**
 * Builds the 271 for a 270: same payer / provider / member hierarchy, BHT02 = 11 with the 270's BHT03
 * echoed, each TRN returned as TRN*2, and per member what `answer` returns (benefits or AAA rejects).
 */
export function eligibilityResponse(
  request: EligibilityTransaction,
  header: ResponseHeader,
  answer: (member: EligibilityMember, path: MemberPath) => EligibilityAnswer | undefined,
): EligibilityTransaction {
  return {
    type: '271',
    header: {
      structureCode: '0022',
      purpose: '11',
      ...(request.header.referenceId === undefined ? {} : { referenceId: request.header.referenceId }),
      date: header.date,
      time: header.time,
    },
    sources: request.sources.map((source) => ({
      levelValidations: [],
      name: source.name,
      contacts: [],
      validations: [],
      other: [],
      receivers: source.receivers.map((receiver) => ({
        name: receiver.name,
        references: receiver.references,
        validations: [],
        ...(receiver.provider === undefined ? {} : { provider: receiver.provider }),
        other: [],
        subscribers: receiver.subscribers.map((s) => answerMember(s, { source, receiver }, answer)),
      })),
    })),
    other: [],
  };
}
