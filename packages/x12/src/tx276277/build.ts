/**
 * Building 276 claim status requests from the claims AR follow-up asks about, and 277 answers from 276s (for
 * the clearinghouse simulator and tests).
 */
import {
  compact,
  datePeriod,
  type EntityName,
  type ProcedureCode,
  type Reference,
} from '../core/common-segments.ts';
import { X12WriteError } from '../core/writer.ts';
import type {
  ClaimStatusHeader,
  ClaimStatusTracking,
  ClaimStatusTransaction,
  ServiceLineStatus,
  StatusDependent,
  StatusInformation,
  StatusInformationSource,
  StatusLevelBase,
  StatusServiceProvider,
  StatusSubscriber,
} from './types.ts';

/** One claim to ask about. */
export interface ClaimStatusQuery {
  /** TRN02: our trace for this question (the 277 returns it in TRN*2). */
  readonly traceNumber: string;
  readonly payer: { readonly name: string; readonly id: string };
  /** The information receiver (us, the billing service): name and ETIN (NM108 = 46). */
  readonly receiver: { readonly name: string; readonly etin: string };
  readonly provider: {
    readonly npi: string;
    readonly organizationName?: string;
    readonly lastName?: string;
    readonly firstName?: string;
  };
  readonly subscriber: {
    readonly lastName: string;
    readonly firstName?: string;
    readonly memberId: string;
    /** YYYY-MM-DD; DMG in 2000D when the subscriber is the patient. */
    readonly birthDate?: string;
    readonly gender?: 'F' | 'M' | 'U';
  };
  /** Set when the patient is a dependent (2000E). */
  readonly patient?: {
    readonly lastName: string;
    readonly firstName?: string;
    readonly birthDate: string;
    readonly gender?: 'F' | 'M' | 'U';
  };
  /** REF*EJ: our patient control number (CLM01). */
  readonly patientControlNumber: string;
  /** REF*1K: the payer's claim control number, when known. */
  readonly payerClaimControlNumber?: string;
  /** AMT*T3 total claim charge in cents. */
  readonly chargeCents: number;
  /** DTP*472 service date or range (YYYY-MM-DD). */
  readonly serviceDate: string;
  readonly serviceDateEnd?: string;
  /** Lines to ask about (2210): matched by the payer on REF*FJ, our line item control number (837P REF*6R). */
  readonly lines?: readonly ClaimStatusLineQuery[];
}

/** One service line of a claim status query (276 loop 2210D / 2210E). */
export interface ClaimStatusLineQuery {
  readonly procedure: ProcedureCode;
  /** SV102 line charge in cents. */
  readonly chargeCents: number;
  /** SV104 units in thousandths (SVC07). */
  readonly unitsMilli?: number;
  /** REF*FJ line item control number. */
  readonly lineItemControlNumber?: string;
  /** DTP*472 line service date (YYYY-MM-DD). */
  readonly serviceDate: string;
  readonly serviceDateEnd?: string;
}

const ISO = /^\d{4}-\d{2}-\d{2}$/;

function level(name: EntityName, tracking: ClaimStatusTracking[] = []): StatusLevelBase {
  return { name, contacts: [], tracking, other: [] };
}

function check(q: ClaimStatusQuery): void {
  const problems: string[] = [];
  if (q.traceNumber === '') problems.push('traceNumber is empty');
  if (q.patientControlNumber === '') problems.push('patientControlNumber is empty');
  if (!/^\d{10}$/.test(q.provider.npi)) problems.push('provider.npi must be 10 digits');
  if (q.provider.organizationName === undefined && q.provider.lastName === undefined) {
    problems.push('provider needs an organizationName or a lastName');
  }
  if (q.subscriber.memberId === '') problems.push('subscriber.memberId is empty');
  if (!ISO.test(q.serviceDate) || (q.serviceDateEnd !== undefined && !ISO.test(q.serviceDateEnd))) {
    problems.push('service dates must be YYYY-MM-DD');
  }
  for (const l of q.lines ?? []) {
    if (!Number.isSafeInteger(l.chargeCents) || l.chargeCents < 0)
      problems.push('line chargeCents must be whole cents >= 0');
    if (!ISO.test(l.serviceDate) || (l.serviceDateEnd !== undefined && !ISO.test(l.serviceDateEnd))) {
      problems.push('line service dates must be YYYY-MM-DD');
    }
    if (l.procedure.code === '') problems.push('line procedure code is empty');
  }
  if (!Number.isSafeInteger(q.chargeCents) || q.chargeCents < 0)
    problems.push('chargeCents must be whole cents >= 0');
  if (problems.length > 0) throw new X12WriteError(`invalid claim status query: ${problems.join('; ')}`);
}

function claimTracking(q: ClaimStatusQuery, loop: '2200D' | '2200E'): ClaimStatusTracking {
  const references: Reference[] = [];
  if (q.payerClaimControlNumber !== undefined)
    references.push({ qualifier: '1K', value: q.payerClaimControlNumber });
  references.push({ qualifier: 'EJ', value: q.patientControlNumber });
  return {
    loop,
    trace: { typeCode: '1', referenceId: q.traceNumber },
    statuses: [],
    references,
    quantities: [],
    amounts: [{ qualifier: 'T3', cents: q.chargeCents }],
    dates: [datePeriod('472', q.serviceDate, q.serviceDateEnd)],
    lines: (q.lines ?? []).map((l) => ({
      service: {
        procedure: l.procedure,
        chargeCents: l.chargeCents,
        ...(l.unitsMilli === undefined ? {} : { unitsMilli: l.unitsMilli }),
      },
      statuses: [],
      references:
        l.lineItemControlNumber === undefined ? [] : [{ qualifier: 'FJ', value: l.lineItemControlNumber }],
      dates: [datePeriod('472', l.serviceDate, l.serviceDateEnd)],
      other: [],
    })),
    other: [],
  };
}

/**
 * Builds one 276 asking about several claims: claims are grouped under their payer (2000A), one receiver
 * (2000B), their provider (2000C) and a subscriber level each (2000D, with 2000E when the patient is a
 * dependent).
 */
export function buildClaimStatusRequest(
  queries: readonly ClaimStatusQuery[],
  header: { readonly referenceId: string; readonly date: string; readonly time: string },
): ClaimStatusTransaction {
  if (queries.length === 0) throw new X12WriteError('a 276 needs at least one claim');
  const sources: (StatusInformationSource & { receivers: { providers: StatusServiceProvider[] }[] })[] = [];
  for (const q of queries) {
    check(q);
    let source = sources.find((s) => s.name.id === q.payer.id);
    if (source === undefined) {
      source = {
        ...level({
          entityIdentifier: 'PR',
          entityType: '2',
          lastOrOrganizationName: q.payer.name,
          idQualifier: 'PI',
          id: q.payer.id,
        }),
        receivers: [
          {
            ...level({
              entityIdentifier: '41',
              entityType: '2',
              lastOrOrganizationName: q.receiver.name,
              idQualifier: '46',
              id: q.receiver.etin,
            }),
            providers: [],
          },
        ],
      };
      sources.push(source);
    }
    const receiver = source.receivers[0];
    if (receiver === undefined) continue;
    let provider = receiver.providers.find((p) => p.name.id === q.provider.npi);
    if (provider === undefined) {
      const p = q.provider;
      provider = {
        ...level(
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
              }),
        ),
        subscribers: [],
      };
      receiver.providers.push(provider);
    }
    const s = q.subscriber;
    const subscriberName = compact<EntityName>({
      entityIdentifier: 'IL',
      entityType: '1',
      lastOrOrganizationName: s.lastName,
      firstName: s.firstName,
      idQualifier: 'MI',
      id: s.memberId,
    });
    const patient = q.patient;
    let subscriber: StatusSubscriber;
    if (patient === undefined) {
      subscriber = {
        ...level(subscriberName, [claimTracking(q, '2200D')]),
        ...(s.birthDate === undefined
          ? {}
          : { demographics: compact({ format: 'D8', birthDate: s.birthDate, gender: s.gender }) }),
        dependents: [],
      };
    } else {
      const dependent: StatusDependent = {
        ...level(
          compact<EntityName>({
            entityIdentifier: 'QC',
            entityType: '1',
            lastOrOrganizationName: patient.lastName,
            firstName: patient.firstName,
          }),
          [claimTracking(q, '2200E')],
        ),
        demographics: compact({ format: 'D8', birthDate: patient.birthDate, gender: patient.gender }),
      };
      subscriber = { ...level(subscriberName), dependents: [dependent] };
    }
    (provider.subscribers as StatusSubscriber[]).push(subscriber);
  }
  return {
    type: '276',
    header: {
      structureCode: '0010',
      purpose: '13',
      referenceId: header.referenceId,
      date: header.date,
      time: header.time,
    },
    sources,
    other: [],
  };
}

/** What the payer says about one claim of a 276. */
export interface ClaimStatusAnswer {
  readonly statuses: readonly StatusInformation[];
  /** REF*1K payer claim control number and other references (defaults to the 276's). */
  readonly references?: readonly Reference[];
  readonly lines?: readonly ServiceLineStatus[];
}

/**
 * Builds the 277 for a 276: the same hierarchy, BHT02 = 08 / BHT06 = DG echoing BHT03, each claim's TRN
 * returned as TRN*2, and the statuses `answer` gives (an E0/E1 "response not possible" status when it returns
 * undefined). DMG segments and AMT*T3 are not part of a 277.
 */
export function claimStatusResponse(
  request: ClaimStatusTransaction,
  header: { readonly date: string; readonly time: string },
  answer: (claim: ClaimStatusTracking) => ClaimStatusAnswer | undefined,
): ClaimStatusTransaction {
  const answerTracking = (t: ClaimStatusTracking): ClaimStatusTracking => {
    const a = answer(t);
    return {
      loop: t.loop,
      trace: { ...t.trace, typeCode: '2' },
      statuses: a?.statuses ?? [{ statuses: [{ category: 'E1', status: '0' }], effectiveDate: header.date }],
      references: a?.references ?? t.references,
      quantities: [],
      amounts: [],
      dates: t.dates,
      lines: a?.lines ?? [],
      other: [],
    };
  };
  const strip = (l: StatusLevelBase): StatusLevelBase => ({
    name: l.name,
    contacts: [],
    tracking: l.tracking.map(answerTracking),
    other: [],
  });
  const h: ClaimStatusHeader = {
    structureCode: '0010',
    purpose: '08',
    ...(request.header.referenceId === undefined ? {} : { referenceId: request.header.referenceId }),
    date: header.date,
    time: header.time,
    transactionType: 'DG',
  };
  return {
    type: '277',
    header: h,
    sources: request.sources.map((a) => ({
      ...strip(a),
      receivers: a.receivers.map((b) => ({
        ...strip(b),
        providers: b.providers.map((c) => ({
          ...strip(c),
          subscribers: c.subscribers.map((d) => ({ ...strip(d), dependents: d.dependents.map(strip) })),
        })),
      })),
    })),
    other: [],
  };
}
