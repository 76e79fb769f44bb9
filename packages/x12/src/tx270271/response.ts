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
  levels: LevelRejects = {},
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
    sources: request.sources.map((source) => {
      const sourceRejects = levels.source?.(source) ?? [];
      return {
        levelValidations: [],
        name: source.name,
        contacts: [],
        validations: sourceRejects,
        other: [],
        // A payer that cannot answer at all (2100A AAA, e.g. 42) returns no lower levels.
        receivers:
          sourceRejects.length > 0
            ? []
            : source.receivers.map((receiver) => {
                const receiverRejects = levels.receiver?.(receiver, source) ?? [];
                return {
                  // The TR3 keeps the 270's HL04 on a level rejected with AAA, without its subordinates.
                  ...(receiverRejects.length > 0 ? { hlChildCode: '1' } : {}),
                  name: receiver.name,
                  references: receiver.references,
                  validations: receiverRejects,
                  ...(receiver.provider === undefined ? {} : { provider: receiver.provider }),
                  other: [],
                  subscribers:
                    receiverRejects.length > 0
                      ? []
                      : receiver.subscribers.map((s) => answerMember(s, { source, receiver }, answer)),
                };
              }),
      };
    }),
    other: [],
  };
}

/** Rejects above the member levels: the payer (2100A) or the provider (2100B) cannot be served. */
export interface LevelRejects {
  /** 2100A AAA, e.g. 42 unable to respond now, 79 invalid participant id; no lower levels are returned. */
  readonly source?: (source: InformationSource) => readonly RequestValidation[] | undefined;
  /** 2100B AAA, e.g. 50 provider ineligible for inquiries, 51 provider not on file. */
  readonly receiver?: (
    receiver: InformationReceiver,
    source: InformationSource,
  ) => readonly RequestValidation[] | undefined;
}

/** Office-visit cost sharing to return on one side of the network (what `summarizeMember` reads back). */
export interface NetworkBenefits {
  readonly officeVisitCopayCents?: number;
  readonly coinsuranceBasisPoints?: number;
  readonly deductible?: { readonly individual?: AccumulatorAmounts; readonly family?: AccumulatorAmounts };
  readonly outOfPocket?: { readonly individual?: AccumulatorAmounts; readonly family?: AccumulatorAmounts };
}

/** A plan-period amount and what is left of it. */
export interface AccumulatorAmounts {
  readonly totalCents?: number;
  readonly remainingCents?: number;
}

/** The benefits a simulated payer returns for an office-visit inquiry. */
export interface OfficeVisitCoverage {
  readonly status: 'active' | 'inactive';
  /** DTP*346 / DTP*347 plan begin and end (YYYY-MM-DD). */
  readonly planBegin?: string;
  readonly planEnd?: string;
  /** EB05 and EB04 on the coverage EB. */
  readonly planDescription?: string;
  readonly insuranceType?: string;
  /** REF*6P group number with REF03 group name. */
  readonly groupNumber?: string;
  readonly groupName?: string;
  readonly inNetwork?: NetworkBenefits;
  readonly outOfNetwork?: NetworkBenefits;
  /** EB*L with a 2120 NM1*P3 (person) identified by NPI. */
  readonly primaryCareProvider?: {
    readonly lastName: string;
    readonly firstName?: string;
    readonly npi: string;
  };
}

function networkEbs(
  n: NetworkBenefits | undefined,
  flag: 'Y' | 'N',
  insuranceType: string | undefined,
): BenefitInformation[] {
  if (n === undefined) return [];
  const common = {
    serviceTypes: ['30'],
    inPlanNetwork: flag,
    ...(insuranceType === undefined ? {} : { insuranceType }),
  };
  const out: BenefitInformation[] = [];
  if (n.officeVisitCopayCents !== undefined) {
    out.push(
      benefit({
        ...common,
        code: 'B',
        coverageLevel: 'IND',
        serviceTypes: ['98'],
        timePeriod: '27',
        amountCents: n.officeVisitCopayCents,
      }),
    );
  }
  if (n.coinsuranceBasisPoints !== undefined) {
    out.push(
      benefit({ ...common, code: 'A', coverageLevel: 'IND', percentBasisPoints: n.coinsuranceBasisPoints }),
    );
  }
  for (const [code, acc] of [
    ['C', n.deductible],
    ['G', n.outOfPocket],
  ] as const) {
    for (const [level, a] of [
      ['IND', acc?.individual],
      ['FAM', acc?.family],
    ] as const) {
      // EB06 23 calendar year for the plan amount, 29 remaining (271 TR3 time period qualifiers).
      if (a?.totalCents !== undefined)
        out.push(
          benefit({ ...common, code, coverageLevel: level, timePeriod: '23', amountCents: a.totalCents }),
        );
      if (a?.remainingCents !== undefined)
        out.push(
          benefit({ ...common, code, coverageLevel: level, timePeriod: '29', amountCents: a.remainingCents }),
        );
    }
  }
  return out;
}

/**
 * The 271 answer (EB segments, plan dates, group) for an office-visit coverage: EB*1 / EB*6 for service
 * type 30, EB*B copay for 98, EB*A coinsurance, EB*C deductible and EB*G out-of-pocket (calendar year and
 * remaining) per network side, EB*L with the PCP. `summarizeMember` reads the same values back.
 */
export function officeVisitAnswer(c: OfficeVisitCoverage): EligibilityAnswer {
  const coverage = benefit({
    code: c.status === 'active' ? '1' : '6',
    coverageLevel: 'IND',
    serviceTypes: ['30'],
    ...(c.insuranceType === undefined ? {} : { insuranceType: c.insuranceType }),
    ...(c.planDescription === undefined ? {} : { planDescription: c.planDescription }),
  });
  const benefits: BenefitInformation[] = [coverage];
  if (c.status === 'active') {
    benefits.push(
      ...networkEbs(c.inNetwork, 'Y', c.insuranceType),
      ...networkEbs(c.outOfNetwork, 'N', c.insuranceType),
    );
    const pcp = c.primaryCareProvider;
    if (pcp !== undefined) {
      benefits.push(
        benefit({
          code: 'L',
          relatedEntities: [
            {
              name: {
                entityIdentifier: 'P3',
                entityType: '1',
                lastOrOrganizationName: pcp.lastName,
                ...(pcp.firstName === undefined ? {} : { firstName: pcp.firstName }),
                idQualifier: 'XX',
                id: pcp.npi,
              },
              contacts: [],
              other: [],
            },
          ],
        }),
      );
    }
  }
  const dates: DatePeriod[] = [];
  if (c.planBegin !== undefined) dates.push({ qualifier: '346', format: 'D8', start: c.planBegin });
  if (c.planEnd !== undefined) dates.push({ qualifier: '347', format: 'D8', start: c.planEnd });
  const references: Reference[] =
    c.groupNumber === undefined
      ? []
      : [
          {
            qualifier: '6P',
            value: c.groupNumber,
            ...(c.groupName === undefined ? {} : { description: c.groupName }),
          },
        ];
  return { benefits, dates, references };
}
