/**
 * The 837P writer scenarios behind the golden files in this folder. Synthetic data only (no real patients);
 * NPIs carry valid check digits. `scripts/regen-golden-837p.ts` writes `<name>.edi` from these; the golden test
 * checks the writer still produces them byte for byte and that each reads back with no diagnostic.
 */
import type {
  Batch837P,
  BillingProvider,
  Claim837P,
  Header837P,
  Party,
  Patient,
  ServiceLine,
  Subscriber,
} from '../../../src/tx837p/model.ts';
import type { Envelope837P } from '../../../src/tx837p/write.ts';

export interface GoldenScenario {
  /** File name without `.edi`. */
  readonly name: string;
  /** What the scenario shows, for the test name. */
  readonly description: string;
  readonly batch: Batch837P;
  readonly envelope: Envelope837P;
}

const party = (p: Omit<Party, 'references' | 'contacts' | 'other'> & Partial<Party>): Party => ({
  references: [],
  contacts: [],
  other: [],
  ...p,
});

const header: Header837P = {
  purpose: '00',
  referenceId: 'B000123',
  createdDate: '2026-03-02',
  createdTime: '0930',
  claimOrEncounter: 'CH',
  submitter: party({
    name: { entity: '41', entityType: '2', lastOrOrganization: 'OPENRCM BILLING', idQualifier: '46', id: 'OPENRCM01' },
    contacts: [{ functionCode: 'IC', name: 'BILLING DESK', numbers: [{ qualifier: 'TE', number: '5555550100' }] }],
  }),
  receiver: party({
    name: { entity: '40', entityType: '2', lastOrOrganization: 'SIM CLEARINGHOUSE', idQualifier: '46', id: 'SIMCH' },
  }),
  other: [],
};

function envelope(control: number): Envelope837P {
  return {
    senderQualifier: 'ZZ',
    senderId: 'OPENRCM',
    receiverQualifier: 'ZZ',
    receiverId: 'SIMCH',
    date: '2026-03-02',
    time: '0930',
    controlNumber: control,
    usage: 'T',
    newlines: true,
    applicationSenderCode: 'OPENRCM',
    applicationReceiverCode: 'SIMCH',
    groupControlNumber: control,
    transactionControlNumber: control,
  };
}

const familyPractice: BillingProvider = {
  specialty: { providerCode: 'BI', qualifier: 'PXC', taxonomy: '207Q00000X' },
  provider: party({
    name: { entity: '85', entityType: '2', lastOrOrganization: 'MAPLE FAMILY PRACTICE', idQualifier: 'XX', id: '1234567893' },
    address: { line1: '100 MAIN ST', city: 'SPRINGFIELD', state: 'IL', postalCode: '627010001' },
    references: [{ qualifier: 'EI', value: '371234567' }],
  }),
  other: [],
};

const orthopedics: BillingProvider = {
  specialty: { providerCode: 'BI', qualifier: 'PXC', taxonomy: '207X00000X' },
  provider: party({
    name: { entity: '85', entityType: '2', lastOrOrganization: 'RIVERSIDE ORTHOPEDICS', idQualifier: 'XX', id: '1548923014' },
    address: { line1: '2 RIVER RD', line2: 'SUITE 300', city: 'SPRINGFIELD', state: 'IL', postalCode: '627040002' },
    references: [{ qualifier: 'EI', value: '371112222' }],
    contacts: [{ functionCode: 'IC', name: 'OFFICE MANAGER', numbers: [{ qualifier: 'TE', number: '5555550111' }] }],
  }),
  payToAddress: party({
    name: { entity: '87', entityType: '2' },
    address: { line1: 'PO BOX 500', city: 'SPRINGFIELD', state: 'IL', postalCode: '627050500' },
  }),
  other: [],
};

const acmeHealth: Party = party({
  name: { entity: 'PR', entityType: '2', lastOrOrganization: 'ACME HEALTH PLAN', idQualifier: 'PI', id: '60054' },
});
const medicareB: Party = party({
  name: { entity: 'PR', entityType: '2', lastOrOrganization: 'MEDICARE PART B', idQualifier: 'PI', id: '00952' },
});

function subscriberSelf(
  last: string,
  first: string,
  memberId: string,
  filing: string,
  birthDate: string,
  gender: string,
  payerResponsibility = 'P',
): Subscriber {
  return {
    payerResponsibility,
    relationship: '18',
    ...(payerResponsibility === 'P' ? { groupNumber: 'GRP1001' } : {}),
    claimFilingIndicator: filing,
    person: party({
      name: { entity: 'IL', entityType: '1', lastOrOrganization: last, first, idQualifier: 'MI', id: memberId },
      address: { line1: '12 ELM ST', city: 'SPRINGFIELD', state: 'IL', postalCode: '62702' },
      demographics: { birthDate, gender },
    }),
    other: [],
  };
}

function line(
  control: string,
  code: string,
  chargeCents: number,
  serviceDate: string,
  pointers: number[],
  more: Partial<ServiceLine> = {},
): ServiceLine {
  return {
    procedure: { qualifier: 'HC', code, modifiers: [] },
    chargeCents,
    unitBasis: 'UN',
    unitsMilli: 1000,
    pointers,
    serviceDate,
    dates: [],
    lineControlNumber: control,
    references: [],
    notes: [],
    providers: {},
    adjudications: [],
    other: [],
    ...more,
  };
}

function claim(
  billingProvider: BillingProvider,
  subscriber: Subscriber,
  payer: Party,
  pcn: string,
  lines: ServiceLine[],
  diagnoses: string[],
  more: Partial<Claim837P['claim']> = {},
  rest: Partial<Claim837P> = {},
): Claim837P {
  return {
    billingProvider,
    subscriber,
    payer,
    claim: {
      patientControlNumber: pcn,
      totalChargeCents: lines.reduce((s, l) => s + l.chargeCents, 0),
      placeOfService: '11',
      facilityCodeQualifier: 'B',
      frequencyCode: '1',
      providerSignature: 'Y',
      assignmentParticipation: 'A',
      benefitsAssignment: 'Y',
      releaseOfInformation: 'Y',
      dates: [],
      attachments: [],
      references: [],
      notes: [],
      diagnoses,
      other: [],
      ...more,
    },
    providers: {},
    otherPayers: [],
    lines,
    ...rest,
  };
}

const jones = subscriberSelf('JONES', 'ALICE', 'ACM123456789', 'CI', '1980-04-12', 'F');

const primarySingle = claim(familyPractice, jones, acmeHealth, 'CLM0001', [line('SL0001', '99213', 12500, '2026-02-20', [1, 2])], ['J069', 'R509']);

const multiLine = claim(
  orthopedics,
  subscriberSelf('BROWN', 'ROBERT', 'ACM987654321', 'CI', '1972-09-30', 'M'),
  acmeHealth,
  'CLM0002',
  [
    line('SL0002', '99214', 18000, '2026-02-18', [1, 2], { procedure: { qualifier: 'HC', code: '99214', modifiers: ['25'] } }),
    line('SL0003', '20610', 22000, '2026-02-18', [1], { procedure: { qualifier: 'HC', code: '20610', modifiers: ['RT'] } }),
    line('SL0004', 'J1030', 3000, '2026-02-18', [1], { unitsMilli: 2000 }),
    line('SL0005', '73562', 9500, '2026-02-18', [1, 3, 4], {
      procedure: { qualifier: 'HC', code: '73562', modifiers: ['26', 'RT', '59', 'XS'] },
    }),
    line('SL0006', '97110', 16000, '2026-02-16', [2, 3], { unitsMilli: 4000, serviceDateThrough: '2026-02-19' }),
  ],
  ['M1711', 'M25561', 'S83241A', 'Z9889'],
  { priorAuthorization: 'AUTH55501', dates: [{ qualifier: '431', date: '2026-01-05' }] },
  {
    providers: {
      referring: [
        party({ name: { entity: 'DN', entityType: '1', lastOrOrganization: 'GARCIA', first: 'MARIA', idQualifier: 'XX', id: '1677722013' } }),
      ],
      rendering: party({
        name: { entity: '82', entityType: '1', lastOrOrganization: 'NGUYEN', first: 'DAVID', middle: 'K', idQualifier: 'XX', id: '1987654328' },
        specialty: { providerCode: 'PE', qualifier: 'PXC', taxonomy: '207X00000X' },
      }),
      serviceFacility: party({
        name: { entity: '77', entityType: '2', lastOrOrganization: 'RIVERSIDE ASC', idQualifier: 'XX', id: '1456789126' },
        address: { line1: '4 RIVER RD', city: 'SPRINGFIELD', state: 'IL', postalCode: '627040004' },
      }),
    },
  },
);

const emma: Patient = {
  information: { relationship: '19' },
  person: party({
    name: { entity: 'QC', entityType: '1', lastOrOrganization: 'SMITH', first: 'EMMA' },
    address: { line1: '77 OAK AVE', city: 'SPRINGFIELD', state: 'IL', postalCode: '62704' },
    demographics: { birthDate: '2023-06-01', gender: 'F' },
  }),
  other: [],
};

const dependentPatient = claim(
  familyPractice,
  {
    payerResponsibility: 'P',
    groupNumber: 'GRP2002',
    claimFilingIndicator: 'BL',
    person: party({
      name: { entity: 'IL', entityType: '1', lastOrOrganization: 'SMITH', first: 'JOHN', idQualifier: 'MI', id: 'XBC445566778' },
      address: { line1: '77 OAK AVE', city: 'SPRINGFIELD', state: 'IL', postalCode: '62704' },
      demographics: { birthDate: '1985-01-15', gender: 'M' },
    }),
    other: [],
  },
  party({ name: { entity: 'PR', entityType: '2', lastOrOrganization: 'BLUE PLAN OF ILLINOIS', idQualifier: 'PI', id: '00621' } }),
  'CLM0003',
  [line('SL0007', '99392', 15000, '2026-02-21', [1]), line('SL0008', '90460', 2500, '2026-02-21', [1, 2])],
  ['Z00129', 'Z23'],
  {},
  {
    patient: emma,
  },
);

// Secondary claim to Medicare after the commercial primary paid: COB 2320/2330 and 2430 line adjudication.
const secondary = claim(
  familyPractice,
  // SBR05 = 12: Medicare secondary, working aged beneficiary covered by an employer group health plan.
  { ...subscriberSelf('WILSON', 'GEORGE', '1EG4TE5MK73', 'MB', '1955-07-04', 'M', 'S'), insuranceType: '12' },
  medicareB,
  'CLM0004',
  [
    line('SL0009', '99214', 18000, '2026-02-10', [1], {
      adjudications: [
        {
          payerId: '60054',
          paidCents: 9000,
          procedure: { qualifier: 'HC', code: '99214', modifiers: [] },
          paidUnitsMilli: 1000,
          adjustments: [
            { group: 'CO', items: [{ reason: '45', amountCents: 5000 }] },
            { group: 'PR', items: [{ reason: '2', amountCents: 4000 }] },
          ],
          adjudicationDate: '2026-02-25',
          other: [],
        },
      ],
    }),
    line('SL0010', '36415', 2000, '2026-02-10', [1], {
      adjudications: [
        {
          payerId: '60054',
          paidCents: 0,
          procedure: { qualifier: 'HC', code: '36415', modifiers: [] },
          paidUnitsMilli: 1000,
          adjustments: [{ group: 'PR', items: [{ reason: '1', amountCents: 2000 }] }],
          adjudicationDate: '2026-02-25',
          other: [],
        },
      ],
    }),
  ],
  ['E119', 'I10'],
  {},
  {
    otherPayers: [
      {
        payerResponsibility: 'P',
        relationship: '18',
        groupNumber: 'GRP1001',
        claimFilingIndicator: 'CI',
        adjustments: [],
        paidCents: 9000,
        remainingPatientLiabilityCents: 6000,
        otherInsurance: { benefitsAssignment: 'Y', releaseOfInformation: 'Y' },
        subscriber: party({
          name: { entity: 'IL', entityType: '1', lastOrOrganization: 'WILSON', first: 'GEORGE', idQualifier: 'MI', id: 'ACM555000111' },
        }),
        payer: party({
          name: { entity: 'PR', entityType: '2', lastOrOrganization: 'ACME HEALTH PLAN', idQualifier: 'PI', id: '60054' },
        }),
        providers: [],
        other: [],
      },
    ],
  },
);

const corrected = claim(
  familyPractice,
  jones,
  acmeHealth,
  'CLM0001',
  [line('SL0001', '99214', 18000, '2026-02-20', [1, 2], { procedure: { qualifier: 'HC', code: '99214', modifiers: ['25'] } })],
  ['J069', 'R509'],
  { frequencyCode: '7', payerClaimControlNumber: '2026055000123' },
);

const voided = claim(familyPractice, jones, acmeHealth, 'CLM0001', [line('SL0001', '99213', 12500, '2026-02-20', [1, 2])], ['J069', 'R509'], {
  frequencyCode: '8',
  payerClaimControlNumber: '2026055000123',
});

const batchClaims: Claim837P[] = [
  primarySingle,
  claim(familyPractice, jones, acmeHealth, 'CLM0005', [line('SL0011', '99212', 9000, '2026-02-27', [1])], ['R051']),
  multiLine,
  dependentPatient,
  claim(
    familyPractice,
    dependentPatient.subscriber,
    dependentPatient.payer,
    'CLM0006',
    [line('SL0012', '99213', 12500, '2026-02-26', [1])],
    ['H6690'],
    {},
    { patient: emma },
  ),
  claim(orthopedics, jones, acmeHealth, 'CLM0007', [line('SL0013', '99203', 21000, '2026-02-24', [1])], ['M545']),
];

export const SCENARIOS: readonly GoldenScenario[] = [
  { name: 'primary-single-line', description: 'primary claim, one line, subscriber is the patient', batch: { header, claims: [primarySingle] }, envelope: envelope(1) },
  { name: 'multi-line-modifiers', description: 'five lines with modifiers, units, pointers, RD8 date, 2310A/B/C providers, prior authorization', batch: { header, claims: [multiLine] }, envelope: envelope(2) },
  { name: 'patient-not-subscriber', description: 'dependent child: 2000C patient under the subscriber', batch: { header, claims: [dependentPatient] }, envelope: envelope(3) },
  { name: 'secondary-cob', description: 'secondary to Medicare with 2320/2330A/2330B and 2430 line adjudication', batch: { header, claims: [secondary] }, envelope: envelope(4) },
  { name: 'corrected', description: 'replacement claim (CLM05-3 = 7) with REF*F8', batch: { header, claims: [corrected] }, envelope: envelope(5) },
  { name: 'void', description: 'void claim (CLM05-3 = 8) with REF*F8', batch: { header, claims: [voided] }, envelope: envelope(6) },
  { name: 'multi-claim-batch', description: 'six claims, two billing providers, three subscribers, a shared 2000C patient', batch: { header, claims: batchClaims }, envelope: envelope(7) },
];
