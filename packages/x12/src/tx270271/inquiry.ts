/**
 * Builds 270 inquiries from plain requests: one transaction set per patient × coverage, so each 271 answer
 * maps back to exactly one check (TRN02 carries our check id and the 271 echoes it).
 */
import { address, compact, datePeriod, type Address, type EntityName } from '../core/common-segments.ts';
import { X12WriteError } from '../core/writer.ts';
import type { EligibilityMember, EligibilityTransaction } from './types.ts';
import { writeEligibilityInterchange, type EligibilityEnvelope } from './write.ts';

/** A person as the practice has them on file. */
export interface InquiryPerson {
  readonly lastName: string;
  readonly firstName?: string;
  readonly middleName?: string;
  readonly suffix?: string;
  /** YYYY-MM-DD */
  readonly birthDate?: string;
  /** F, M or U. */
  readonly gender?: 'F' | 'M' | 'U';
  readonly address?: Omit<Address, 'hasN3' | 'hasN4'>;
}

/** One eligibility check to ask a payer. */
export interface EligibilityRequest {
  /** TRN02: our id for this check (the 271 returns it in its TRN*2). */
  readonly traceNumber: string;
  /** TRN03: '1' + our EIN (10 characters). */
  readonly traceOriginator: string;
  readonly payer: { readonly name: string; readonly id: string; readonly idQualifier?: 'PI' | 'XV' };
  /** The asking provider: an organization (NM102 = 2) when `organizationName` is given, else a person. */
  readonly provider: {
    readonly npi: string;
    readonly organizationName?: string;
    readonly lastName?: string;
    readonly firstName?: string;
    /** NUCC taxonomy for PRV*PE (performing). */
    readonly taxonomy?: string;
    /** 2100B N3/N4, for payers that match the provider by address. */
    readonly address?: Omit<Address, 'hasN3' | 'hasN4'>;
  };
  readonly subscriber: InquiryPerson & { readonly memberId: string; readonly groupNumber?: string };
  /** Set when the patient is a dependent without their own member id. */
  readonly dependent?: InquiryPerson & {
    /** INS02: 01 spouse, 19 child, 34 other adult. */
    readonly relationship?: string;
  };
  /** Date of service (YYYY-MM-DD) or a range. */
  readonly serviceDate: string;
  readonly serviceDateEnd?: string;
  /** EQ01 service types; defaults to 30 (health benefit plan coverage). */
  readonly serviceTypes?: readonly string[];
}

/** BHT values for a batch. */
export interface InquiryHeader {
  /** BHT03: our batch or request id. */
  readonly referenceId: string;
  /** YYYY-MM-DD and HHMM. */
  readonly date: string;
  readonly time: string;
}

const ISO = /^\d{4}-\d{2}-\d{2}$/;

function person(entityIdentifier: string, p: InquiryPerson, id?: string): EntityName {
  return compact<EntityName>({
    entityIdentifier,
    entityType: '1',
    lastOrOrganizationName: p.lastName,
    firstName: p.firstName,
    middleName: p.middleName,
    nameSuffix: p.suffix,
    idQualifier: id === undefined ? undefined : 'MI',
    id,
  });
}

function memberLoop(
  loop: '2000C' | '2000D',
  name: EntityName,
  p: InquiryPerson,
  req: EligibilityRequest,
  extra: Partial<EligibilityMember>,
  withInquiry: boolean,
): EligibilityMember {
  return compact<EligibilityMember>({
    loop,
    traces: withInquiry
      ? [{ typeCode: '1', referenceId: req.traceNumber, originatorId: req.traceOriginator }]
      : [],
    name,
    references: [],
    address: p.address === undefined ? undefined : address(p.address),
    validations: [],
    demographics:
      p.birthDate === undefined && p.gender === undefined
        ? undefined
        : compact({ format: 'D8', birthDate: p.birthDate, gender: p.gender }),
    diagnoses: [],
    dates: withInquiry ? [datePeriod('291', req.serviceDate, req.serviceDateEnd)] : [],
    inquiries: withInquiry
      ? [
          {
            serviceTypes: req.serviceTypes ?? ['30'],
            amounts: [],
            additionalInformation: [],
            references: [],
            dates: [],
            other: [],
          },
        ]
      : [],
    benefits: [],
    dependents: [],
    other: [],
    ...extra,
  });
}

/** Checks what a 270 cannot do without; throws X12WriteError naming the field (never its value). */
function checkRequest(req: EligibilityRequest): void {
  const problems: string[] = [];
  if (req.traceNumber === '') problems.push('traceNumber is empty');
  if (!/^[0-9A-Za-z]{10}$/.test(req.traceOriginator)) problems.push('traceOriginator must be 10 characters');
  if (req.payer.id === '' || req.payer.name === '') problems.push('payer name and id are required');
  if (!/^\d{10}$/.test(req.provider.npi)) problems.push('provider.npi must be 10 digits');
  if (req.provider.organizationName === undefined && req.provider.lastName === undefined) {
    problems.push('provider needs an organizationName or a lastName');
  }
  if (req.subscriber.memberId === '') problems.push('subscriber.memberId is empty');
  if (req.subscriber.lastName === '') problems.push('subscriber.lastName is empty');
  if (!ISO.test(req.serviceDate)) problems.push('serviceDate must be YYYY-MM-DD');
  if (req.serviceDateEnd !== undefined && !ISO.test(req.serviceDateEnd))
    problems.push('serviceDateEnd must be YYYY-MM-DD');
  for (const [what, p] of [
    ['subscriber', req.subscriber],
    ['dependent', req.dependent],
  ] as const) {
    if (p?.birthDate !== undefined && !ISO.test(p.birthDate))
      problems.push(`${what}.birthDate must be YYYY-MM-DD`);
  }
  if (req.dependent !== undefined && req.dependent.birthDate === undefined) {
    // 2100D DMG is required by payers to match a dependent without a member id (270 TR3 search options).
    problems.push('dependent.birthDate is required');
  }
  if (problems.length > 0) throw new X12WriteError(`invalid eligibility request: ${problems.join('; ')}`);
}

/**
 * Builds one 270 transaction for one request: 2000A payer, 2000B provider, 2000C subscriber, and 2000D
 * dependent when the patient is not the subscriber; the TRN, DTP*291 and EQ go on the patient's level.
 */
export function buildEligibilityInquiry(
  req: EligibilityRequest,
  header: InquiryHeader,
): EligibilityTransaction {
  checkRequest(req);
  const dependent = req.dependent;
  const subscriberExtra: Partial<EligibilityMember> =
    req.subscriber.groupNumber === undefined
      ? {}
      : { references: [{ qualifier: '6P', value: req.subscriber.groupNumber }] };
  const dependents =
    dependent === undefined
      ? []
      : [
          memberLoop(
            '2000D',
            person('03', dependent),
            dependent,
            req,
            dependent.relationship === undefined
              ? {}
              : { relationship: { insured: 'N', relationship: dependent.relationship } },
            true,
          ),
        ];
  const subscriber = memberLoop(
    '2000C',
    person('IL', req.subscriber, req.subscriber.memberId),
    req.subscriber,
    req,
    { ...subscriberExtra, dependents },
    dependent === undefined,
  );
  const p = req.provider;
  const providerName: EntityName =
    p.organizationName !== undefined
      ? {
          entityIdentifier: '1P',
          entityType: '2',
          lastOrOrganizationName: p.organizationName,
          idQualifier: 'XX',
          id: p.npi,
        }
      : compact<EntityName>({
          entityIdentifier: '1P',
          entityType: '1',
          lastOrOrganizationName: p.lastName,
          firstName: p.firstName,
          idQualifier: 'XX',
          id: p.npi,
        });
  return {
    type: '270',
    header: {
      structureCode: '0022',
      purpose: '13',
      referenceId: header.referenceId,
      date: header.date,
      time: header.time,
    },
    sources: [
      {
        levelValidations: [],
        name: {
          entityIdentifier: 'PR',
          entityType: '2',
          lastOrOrganizationName: req.payer.name,
          idQualifier: req.payer.idQualifier ?? 'PI',
          id: req.payer.id,
        },
        contacts: [],
        validations: [],
        receivers: [
          compact({
            name: providerName,
            references: [],
            address: p.address === undefined ? undefined : address(p.address),
            validations: [],
            provider:
              p.taxonomy === undefined ? undefined : { providerCode: 'PE', qualifier: 'PXC', id: p.taxonomy },
            subscribers: [subscriber],
            other: [],
          }),
        ],
        other: [],
      },
    ],
    other: [],
  };
}

/**
 * Writes a batch of eligibility checks as one interchange: one 270 transaction set per request (ST02 counting
 * up from `firstTransactionControlNumber`), validated before it is returned.
 */
export function write270Batch(
  requests: readonly EligibilityRequest[],
  header: InquiryHeader,
  env: EligibilityEnvelope,
): string {
  return writeEligibilityInterchange(
    requests.map((r) => buildEligibilityInquiry(r, header)),
    env,
  );
}

/** One question of a 270 as a flat record (what a payer or simulator needs to answer it). */
export interface InquiryItem {
  /** TRN02 of the patient level. */
  readonly traceNumber?: string;
  readonly payerId?: string;
  readonly providerId?: string;
  /** NM109 of the subscriber (2100C). */
  readonly memberId?: string;
  readonly subscriber: EntityName;
  /** Set when the patient is a dependent (2100D). */
  readonly dependent?: EntityName;
  /** DMG02 of the patient level. */
  readonly birthDate?: string;
  /** DTP*291 of the patient level: [start, end] (end = start for a single date). */
  readonly serviceDate?: string;
  readonly serviceDateEnd?: string;
  /** EQ01 service types of every EQ on the patient level. */
  readonly serviceTypes: readonly string[];
  /** Where it sits: the patient's member loop (pass it to `eligibilityResponse`'s answer). */
  readonly member: EligibilityMember;
}

/** Flattens a 270 into its questions, one per patient level (subscriber without dependents, or dependent). */
export function inquiryItems(tx: EligibilityTransaction): InquiryItem[] {
  const out: InquiryItem[] = [];
  for (const source of tx.sources) {
    for (const receiver of source.receivers) {
      for (const subscriber of receiver.subscribers) {
        const patients = subscriber.dependents.length > 0 ? subscriber.dependents : [subscriber];
        for (const patient of patients) {
          const dtp = patient.dates.find((d) => d.qualifier === '291');
          const item: { -readonly [K in keyof InquiryItem]: InquiryItem[K] } = {
            subscriber: subscriber.name,
            serviceTypes: patient.inquiries.flatMap((q) => q.serviceTypes),
            member: patient,
          };
          const set = <K extends keyof InquiryItem>(k: K, v: InquiryItem[K] | undefined): void => {
            if (v !== undefined) item[k] = v;
          };
          set('traceNumber', patient.traces[0]?.referenceId);
          set('payerId', source.name.id);
          set('providerId', receiver.name.id);
          set('memberId', subscriber.name.id);
          set('dependent', patient === subscriber ? undefined : patient.name);
          set('birthDate', patient.demographics?.birthDate);
          set('serviceDate', dtp?.start);
          set('serviceDateEnd', dtp?.end ?? dtp?.start);
          out.push(item);
        }
      }
    }
  }
  return out;
}
