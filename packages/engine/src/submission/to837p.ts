import type { Batch837P, Claim837P, Header837P, Party, ServiceLine } from '@openrcm/x12/837p';
import type { Claim, ClaimCoverage, ClaimProvider, Person, PostalAddress } from '../claims/model.ts';

/**
 * The engine's `Claim` as an 837P 005010X222A1 claim (the typed model of @openrcm/x12). Pure: reveals
 * patient data only to put it on the wire. Loop by loop:
 * - 2000A/2010AA billing provider: the practice (NM1*85 type 2, NPI, PRV*BI taxonomy, REF*EI TIN, N3/N4);
 * - 2000B/2010BA subscriber (SBR01 P/S/T, SBR02 18 when the patient is the subscriber, SBR03 group,
 *   SBR09 filing indicator; NM1*IL with the member id, DMG); 2010BB payer (NM1*PR with the payer id);
 * - 2000C/2010CA patient when the patient is not the subscriber (PAT01 relationship);
 * - 2300 CLM (CLM01 = our claim id, CLM05 = POS:B:frequency), REF*F8 on corrections and voids, REF*G1 prior
 *   authorization, HI diagnoses (ABK principal then ABF, no dots);
 * - 2310B rendering provider (NM1*82 + PRV*PE), 2310A referring, 2310C service facility when the service
 *   was not at the billing provider's address;
 * - 2400 lines: SV1 HC:code:modifiers, charge, UN units, pointers; DTP*472; always REF*6R = our line id; 2420A
 *   rendering provider when the line's is not the claim's.
 */

const SEQUENCE: Readonly<Record<ClaimCoverage['rank'], string>> = {
  primary: 'P',
  secondary: 'S',
  tertiary: 'T',
};

function address(a: PostalAddress): NonNullable<Party['address']> {
  return {
    line1: a.line1,
    ...(a.line2 === undefined ? {} : { line2: a.line2 }),
    city: a.city,
    state: a.state,
    postalCode: a.postalCode,
  };
}

function party(name: Party['name'], extra: Partial<Party> = {}): Party {
  return { name, references: [], contacts: [], other: [], ...extra };
}

function personParty(entity: 'IL' | 'QC', p: Person, id?: string): Party {
  return party(
    {
      entity,
      entityType: '1',
      lastOrOrganization: p.lastName.reveal(),
      first: p.firstName.reveal(),
      ...(id === undefined ? {} : { idQualifier: 'MI', id }),
    },
    {
      address: address(p.address.reveal()),
      demographics: { birthDate: p.birthDate.reveal(), gender: p.sex },
    },
  );
}

function providerParty(entity: '82' | 'DN' | 'DQ', p: ClaimProvider): Party {
  return party(
    {
      entity,
      entityType: p.entityType === 'person' ? '1' : '2',
      lastOrOrganization: p.lastOrOrganizationName,
      ...(p.firstName === undefined ? {} : { first: p.firstName }),
      idQualifier: 'XX',
      id: p.npi,
    },
    entity === '82' && p.taxonomy !== undefined
      ? { specialty: { providerCode: 'PE', qualifier: 'PXC', taxonomy: p.taxonomy } }
      : {},
  );
}

function sameAddress(a: PostalAddress, b: PostalAddress): boolean {
  return (
    a.line1 === b.line1 &&
    a.city === b.city &&
    a.state === b.state &&
    a.postalCode.slice(0, 5) === b.postalCode.slice(0, 5)
  );
}

/** One claim in the 837P model. */
export function toClaim837P(c: Claim): Claim837P {
  const self = c.coverage.relationship === '18';
  const lines: ServiceLine[] = c.lines.map((l) => ({
    procedure: { qualifier: 'HC', code: l.procedureCode, modifiers: [...l.modifiers] },
    chargeCents: l.chargeCents,
    unitBasis: 'UN',
    unitsMilli: Math.round(l.units * 1000),
    ...(l.placeOfService !== undefined && l.placeOfService !== c.placeOfService
      ? { placeOfService: l.placeOfService }
      : {}),
    pointers: [...l.diagnosisPointers],
    serviceDate: l.serviceDate,
    ...(l.serviceDateEnd === undefined ? {} : { serviceDateThrough: l.serviceDateEnd }),
    dates: [],
    lineControlNumber: l.lineControlNumber,
    references: [],
    notes: [],
    // 2420A: the line's own rendering provider where it is not the claim's (a payer that takes several on one claim).
    providers:
      l.renderingProvider === undefined ? {} : { rendering: providerParty('82', l.renderingProvider) },
    adjudications: [],
    other: [],
  }));
  const facility = c.serviceFacility;
  const showFacility = facility !== undefined && !sameAddress(facility.address, c.billingProvider.address);
  return {
    billingProvider: {
      ...(c.billingProvider.taxonomy === undefined
        ? {}
        : { specialty: { providerCode: 'BI', qualifier: 'PXC', taxonomy: c.billingProvider.taxonomy } }),
      provider: party(
        {
          entity: '85',
          entityType: c.billingProvider.entityType === 'person' ? '1' : '2',
          lastOrOrganization: c.billingProvider.lastOrOrganizationName,
          ...(c.billingProvider.firstName === undefined ? {} : { first: c.billingProvider.firstName }),
          idQualifier: 'XX',
          id: c.billingProvider.npi,
        },
        {
          address: address(c.billingProvider.address),
          references: [{ qualifier: 'EI', value: c.billingProvider.tin }],
        },
      ),
      other: [],
    },
    subscriber: {
      payerResponsibility: SEQUENCE[c.coverage.rank],
      ...(self ? { relationship: '18' } : {}),
      ...(c.coverage.groupNumber === undefined ? {} : { groupNumber: c.coverage.groupNumber }),
      claimFilingIndicator: c.coverage.payer.claimFilingIndicator,
      person: personParty('IL', c.coverage.subscriber, c.coverage.memberId.reveal()),
      other: [],
    },
    payer: party({
      entity: 'PR',
      entityType: '2',
      lastOrOrganization: c.coverage.payer.name,
      idQualifier: 'PI',
      id: c.coverage.payer.payerCode,
    }),
    ...(self
      ? {}
      : {
          patient: {
            information: { relationship: c.coverage.relationship },
            person: personParty('QC', c.patient),
            other: [],
          },
        }),
    claim: {
      patientControlNumber: c.patientControlNumber,
      totalChargeCents: c.totalChargeCents,
      placeOfService: c.placeOfService,
      facilityCodeQualifier: 'B',
      frequencyCode: c.frequencyCode,
      providerSignature: c.signatureOnFile ? 'Y' : 'N',
      assignmentParticipation: c.acceptsAssignment ? 'A' : 'C',
      benefitsAssignment: c.benefitsAssigned ? 'Y' : 'N',
      releaseOfInformation: c.releaseOfInformation,
      dates: [],
      attachments: [],
      ...(c.priorAuthorization === undefined ? {} : { priorAuthorization: c.priorAuthorization }),
      ...(c.referralNumber === undefined ? {} : { referralNumber: c.referralNumber }),
      ...(c.payerClaimControlNumber === undefined
        ? {}
        : { payerClaimControlNumber: c.payerClaimControlNumber }),
      references: [],
      notes: [],
      diagnoses: c.diagnoses.map((d) => d.replace('.', '')),
      other: [],
    },
    providers: {
      ...(c.referringProvider === undefined ? {} : { referring: [providerParty('DN', c.referringProvider)] }),
      ...(c.renderingProvider === undefined ? {} : { rendering: providerParty('82', c.renderingProvider) }),
      ...(showFacility
        ? {
            serviceFacility: party(
              {
                entity: '77',
                entityType: '2',
                lastOrOrganization: facility.name,
                ...(facility.npi === undefined ? {} : { idQualifier: 'XX', id: facility.npi }),
              },
              { address: address(facility.address) },
            ),
          }
        : {}),
      ...(c.supervisingProvider === undefined
        ? {}
        : { supervising: providerParty('DQ', c.supervisingProvider) }),
    },
    otherPayers: [],
    lines,
  };
}

/** Who sends the batch (1000A) and who receives it (1000B). */
export interface BatchParties {
  readonly submitterName: string;
  /** 1000A NM109 (NM108 = 46, electronic transmitter id). */
  readonly submitterId: string;
  readonly contactName: string;
  readonly contactPhone: string;
  readonly receiverName: string;
  readonly receiverId: string;
}

/** A batch of claims as one 837P transaction set. `referenceId` is BHT03 (our batch id). */
export function toBatch837P(
  claims: readonly Claim[],
  parties: BatchParties,
  referenceId: string,
  created: { readonly date: string; readonly time: string },
): Batch837P {
  const header: Header837P = {
    purpose: '00',
    referenceId,
    createdDate: created.date,
    createdTime: created.time,
    claimOrEncounter: 'CH',
    submitter: party(
      {
        entity: '41',
        entityType: '2',
        lastOrOrganization: parties.submitterName,
        idQualifier: '46',
        id: parties.submitterId,
      },
      {
        contacts: [
          {
            functionCode: 'IC',
            name: parties.contactName,
            numbers: [{ qualifier: 'TE', number: parties.contactPhone }],
          },
        ],
      },
    ),
    receiver: party({
      entity: '40',
      entityType: '2',
      lastOrOrganization: parties.receiverName,
      idQualifier: '46',
      id: parties.receiverId,
    }),
    other: [],
  };
  // A batch names few billing providers and payers: claims with equal ones share one object, so the writer, which
  // groups loops by value (a canonical form of each object it has not seen), compares each distinct one once.
  const billing = new Map<string, Claim837P['billingProvider']>();
  const payers = new Map<string, Claim837P['payer']>();
  const shared = <T>(seen: Map<string, T>, value: T): T => {
    // Built by the same code, equal values have the same key order, so equal JSON means equal values.
    const k = JSON.stringify(value);
    const first = seen.get(k);
    if (first !== undefined) return first;
    seen.set(k, value);
    return value;
  };
  return {
    header,
    claims: claims.map((c) => {
      const x = toClaim837P(c);
      return { ...x, billingProvider: shared(billing, x.billingProvider), payer: shared(payers, x.payer) };
    }),
  };
}
