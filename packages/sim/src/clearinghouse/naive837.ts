/**
 * 837P files written straight from a generated data set's charges, with no scrubbing and no holds: what
 * a careless biller would send (issue 4's realism check, `openrcm sim adjudicate --data`, and the
 * clearinghouse tests). One interchange per submission date, received two days after documentation
 * like `SimulatedPayers.naiveClaims`. Uses only the '@openrcm/x12/837p' writer: OpenRCM builds its own
 * claims elsewhere, and the two must not share code (issue 4, independence).
 */
import {
  write837P,
  type Batch837P,
  type Claim837P,
  type OtherPayer,
  type Party,
  type ServiceLine,
} from '@openrcm/x12/837p';
import type { PayerKind } from '../payers/profiles.ts';
import type { Dataset } from '../types.ts';

/** One 837P file and the date the clearinghouse receives it. */
export interface Naive837File {
  readonly name: string;
  readonly content: string;
  readonly receivedDate: string;
  readonly claims: number;
}

type Input = Pick<
  Dataset,
  | 'practices'
  | 'providers'
  | 'locations'
  | 'payers'
  | 'patients'
  | 'coverages'
  | 'encounters'
  | 'charges'
  | 'authorizations'
>;

const party = (p: Omit<Party, 'references' | 'contacts' | 'other'> & Partial<Party>): Party => ({
  references: [],
  contacts: [],
  other: [],
  ...p,
});

/** SBR09 claim filing indicator by payer kind (837P TR3 code list). */
function filing(kind: PayerKind, payerId: string): string {
  switch (kind) {
    case 'medicare':
      return 'MB';
    case 'medicaid':
      return 'MC';
    case 'commercial':
      return payerId === 'SIM04' ? 'HM' : 'CI';
    case 'supplement':
    case 'paper':
      return 'CI';
  }
}

// NM103 is AN 1-60, N301 AN 1-55, N401 AN 2-30 (837P TR3): clip, and keep to the X12 basic character set.
const upper = (s: string, max = 60): string =>
  s
    .toUpperCase()
    .replace(/[^A-Z0-9 .,'&-]/g, ' ')
    .slice(0, max)
    .trim();
const zip = (z: string): string => (z.length === 5 ? `${z}0001` : z);

/** Builds the claims of a data set as 837P models, grouped by the date they are sent (YYYY-MM-DD). */
export function naiveClaims837(ds: Input): Map<string, Claim837P[]> {
  const practice = new Map(ds.practices.map((p) => [p.practiceId, p]));
  const provider = new Map(ds.providers.map((p) => [p.providerId, p]));
  const location = new Map(ds.locations.map((l) => [l.locationId, l]));
  const payer = new Map(ds.payers.map((p) => [p.payerId, p]));
  const patient = new Map(ds.patients.map((p) => [p.patientId, p]));
  const coverage = new Map(ds.coverages.map((c) => [c.coverageId, c]));
  const authNumber = new Map(ds.authorizations.map((a) => [a.authorizationId, a.authNumber]));
  const charges = new Map<string, Input['charges']>();
  for (const c of ds.charges) {
    const l = charges.get(c.encounterId);
    if (l) l.push(c);
    else charges.set(c.encounterId, [c]);
  }
  const byDate = new Map<string, Claim837P[]>();
  for (const e of ds.encounters) {
    const cov = e.primaryCoverageId === null ? undefined : coverage.get(e.primaryCoverageId);
    const prac = practice.get(e.practiceId);
    const prov = provider.get(e.renderingProviderId);
    const loc = location.get(e.locationId);
    const pat = patient.get(e.patientId);
    const pay = cov ? payer.get(cov.payerId) : undefined;
    const lines = charges.get(e.encounterId) ?? [];
    if (!cov || !prac || !prov || !loc || !pat || !pay || lines.length === 0) continue;
    const sent = new Date(Date.parse(e.documentedAt) + 2 * 86_400_000).toISOString().slice(0, 10);
    const authId = lines.find((c) => c.authorizationId !== null)?.authorizationId ?? null;
    const auth = authId === null ? undefined : authNumber.get(authId);
    const self = cov.relationship === '18';
    const subscriberName = party({
      name: {
        entity: 'IL',
        entityType: '1',
        lastOrOrganization: upper(cov.subscriberLastName),
        first: upper(cov.subscriberFirstName),
        idQualifier: 'MI',
        id: cov.memberId,
      },
      address: {
        line1: upper(pat.address1, 55),
        city: upper(pat.city, 30),
        state: pat.state,
        postalCode: pat.zip,
      },
      demographics: { birthDate: cov.subscriberDateOfBirth, gender: cov.subscriberSex },
    });
    const sec = e.secondaryCoverageId === null ? undefined : coverage.get(e.secondaryCoverageId);
    const secPayer = sec ? payer.get(sec.payerId) : undefined;
    const otherPayers: OtherPayer[] =
      sec && secPayer
        ? [
            {
              payerResponsibility: 'S',
              relationship: sec.relationship,
              ...(sec.groupNumber === null ? {} : { groupNumber: sec.groupNumber }),
              claimFilingIndicator: filing(secPayer.kind, secPayer.payerId),
              adjustments: [],
              otherInsurance: { benefitsAssignment: 'Y', releaseOfInformation: 'Y' },
              subscriber: party({
                name: {
                  entity: 'IL',
                  entityType: '1',
                  lastOrOrganization: upper(sec.subscriberLastName),
                  first: upper(sec.subscriberFirstName),
                  idQualifier: 'MI',
                  id: sec.memberId,
                },
              }),
              payer: party({
                name: {
                  entity: 'PR',
                  entityType: '2',
                  lastOrOrganization: upper(secPayer.name),
                  idQualifier: 'PI',
                  id: secPayer.payerId,
                },
              }),
              providers: [],
              other: [],
            },
          ]
        : [];
    const serviceLines: ServiceLine[] = lines.map((c) => ({
      procedure: { qualifier: 'HC', code: c.code, modifiers: c.modifiers },
      chargeCents: c.chargeCents,
      unitBasis: 'UN',
      unitsMilli: c.units * 1000,
      pointers: c.diagnosisPointers,
      serviceDate: c.dateOfService,
      dates: [],
      // REF*6R: the charge id, so the 835 line comes back to its charge (STYLE §16).
      lineControlNumber: c.chargeId,
      references: [],
      notes: [],
      providers: {},
      adjudications: [],
      other: [],
    }));
    const claim: Claim837P = {
      billingProvider: {
        specialty: { providerCode: 'BI', qualifier: 'PXC', taxonomy: prac.taxonomy },
        provider: party({
          name: {
            entity: '85',
            entityType: '2',
            lastOrOrganization: upper(prac.name),
            idQualifier: 'XX',
            id: prac.groupNpi,
          },
          address: {
            line1: upper(prac.address1, 55),
            city: upper(prac.city, 30),
            state: prac.state,
            postalCode: zip(prac.zip),
          },
          references: [{ qualifier: 'EI', value: prac.tin }],
        }),
        other: [],
      },
      subscriber: {
        payerResponsibility: 'P',
        ...(self ? { relationship: '18' } : {}),
        ...(cov.groupNumber === null ? {} : { groupNumber: cov.groupNumber }),
        claimFilingIndicator: filing(pay.kind, pay.payerId),
        person: subscriberName,
        other: [],
      },
      payer: party({
        name: {
          entity: 'PR',
          entityType: '2',
          lastOrOrganization: upper(pay.name),
          idQualifier: 'PI',
          id: pay.payerId,
        },
      }),
      ...(self
        ? {}
        : {
            patient: {
              information: { relationship: cov.relationship },
              person: party({
                name: {
                  entity: 'QC',
                  entityType: '1',
                  lastOrOrganization: upper(pat.lastName),
                  first: upper(pat.firstName),
                },
                address: {
                  line1: upper(pat.address1, 55),
                  city: upper(pat.city, 30),
                  state: pat.state,
                  postalCode: pat.zip,
                },
                demographics: { birthDate: pat.dateOfBirth, gender: pat.sex },
              }),
              other: [],
            },
          }),
      claim: {
        patientControlNumber: e.encounterId,
        totalChargeCents: lines.reduce((s, c) => s + c.chargeCents, 0),
        placeOfService: e.posCode,
        facilityCodeQualifier: 'B',
        frequencyCode: '1',
        providerSignature: 'Y',
        assignmentParticipation: 'A',
        benefitsAssignment: 'Y',
        releaseOfInformation: 'Y',
        dates: [],
        attachments: [],
        ...(auth === undefined ? {} : { priorAuthorization: auth }),
        references: [],
        notes: [],
        diagnoses: e.diagnoses.map((d) => d.replace('.', '')),
        other: [],
      },
      providers: {
        rendering: party({
          name: {
            entity: '82',
            entityType: '1',
            lastOrOrganization: upper(prov.lastName),
            first: upper(prov.firstName),
            idQualifier: 'XX',
            id: prov.npi,
          },
          specialty: { providerCode: 'PE', qualifier: 'PXC', taxonomy: prov.taxonomy },
        }),
        ...(loc.npi === prac.groupNpi
          ? {}
          : {
              serviceFacility: party({
                name: {
                  entity: '77',
                  entityType: '2',
                  lastOrOrganization: upper(loc.name),
                  idQualifier: 'XX',
                  id: loc.npi,
                },
                address: {
                  line1: upper(loc.address1, 55),
                  city: upper(loc.city, 30),
                  state: loc.state,
                  postalCode: zip(loc.zip),
                },
              }),
            }),
      },
      otherPayers,
      lines: serviceLines,
    };
    const list = byDate.get(sent) ?? [];
    list.push(claim);
    byDate.set(sent, list);
  }
  return byDate;
}

/** Writes one 837P interchange per submission date (sorted by date), control numbers counting from 1. */
export function naive837Files(ds: Input, submitterId = 'OPENRCM'): Naive837File[] {
  const byDate = naiveClaims837(ds);
  const out: Naive837File[] = [];
  let control = 0;
  for (const date of [...byDate.keys()].sort()) {
    const claims = byDate.get(date) ?? [];
    control++;
    const batch: Batch837P = {
      header: {
        purpose: '00',
        referenceId: `B${date.replaceAll('-', '')}`,
        createdDate: date,
        createdTime: '0700',
        claimOrEncounter: 'CH',
        submitter: party({
          name: {
            entity: '41',
            entityType: '2',
            lastOrOrganization: 'OPENRCM BILLING',
            idQualifier: '46',
            id: submitterId,
          },
          contacts: [
            {
              functionCode: 'IC',
              name: 'BILLING DESK',
              numbers: [{ qualifier: 'TE', number: '5555550100' }],
            },
          ],
        }),
        receiver: party({
          name: {
            entity: '40',
            entityType: '2',
            lastOrOrganization: 'SIM CLEARINGHOUSE',
            idQualifier: '46',
            id: 'SIMCH',
          },
        }),
        other: [],
      },
      claims,
    };
    const content = write837P(batch, {
      senderQualifier: 'ZZ',
      senderId: submitterId,
      receiverQualifier: 'ZZ',
      receiverId: 'SIMCH',
      date,
      time: '0700',
      controlNumber: control,
      usage: 'P',
      newlines: true,
      applicationSenderCode: submitterId,
      applicationReceiverCode: 'SIMCH',
      groupControlNumber: control,
      transactionControlNumber: control,
    });
    out.push({
      name: `${date.replaceAll('-', '')}-${String(control).padStart(6, '0')}.837`,
      content,
      receivedDate: date,
      claims: claims.length,
    });
  }
  return out;
}
