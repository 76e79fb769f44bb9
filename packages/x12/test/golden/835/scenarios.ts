import type { InterchangeOptions } from '../../../src/core/writer.ts';
import type { ClaimPayment, Name, Party, Remittance835, ServicePayment } from '../../../src/tx835/types.ts';
import { write835 } from '../../../src/tx835/writer.ts';

/*
 * Golden 835 scenarios (typed objects). `npx tsx packages/x12/scripts/regen-golden-835-999-ta1.ts` writes them
 * to test/golden/835/<name>.edi; golden.test.ts checks the writer still produces those bytes and that each
 * file reads back clean to the same object. Names and ids are synthetic.
 */

export const INTERCHANGE: InterchangeOptions = {
  senderQualifier: 'ZZ',
  senderId: 'SYNTHPAYER',
  receiverQualifier: 'ZZ',
  receiverId: 'OPENRCM',
  date: '2026-11-20',
  time: '0800',
  controlNumber: 835001,
  usage: 'T',
  newlines: true,
};

const payer: Party = {
  entity: 'PR',
  name: 'SYNTHETIC HEALTH PLAN',
  idQualifier: 'XV',
  id: '12345',
  address: { line1: '1 PAYER WAY', city: 'ANYTOWN', state: 'PA', postalCode: '17111' },
  references: [{ qualifier: '2U', value: 'SHP01' }],
  contacts: [
    { function: 'CX', name: 'PROVIDER SERVICES', numbers: [{ qualifier: 'TE', number: '8005550100' }] },
    { function: 'BL', name: 'EDI SUPPORT', numbers: [{ qualifier: 'TE', number: '8005550101' }, { qualifier: 'EM', number: 'edi@example.org' }] },
  ],
};

const payee: Party = {
  entity: 'PE',
  name: 'SYNTHETIC FAMILY PRACTICE',
  idQualifier: 'XX',
  id: '1234567893',
  address: { line1: '20 CLINIC ROAD', city: 'ANYTOWN', state: 'PA', postalCode: '17112' },
  references: [{ qualifier: 'TJ', value: '123456789' }],
  contacts: [],
};

const patient = (last: string, first: string, member: string): Name => ({
  entity: 'QC',
  entityType: '1',
  last,
  first,
  idQualifier: 'MI',
  id: member,
});

function line(
  code: string,
  charge: number,
  paid: number,
  adjustments: ServicePayment['adjustments'],
  lineId: string,
  extra: Partial<ServicePayment> = {},
): ServicePayment {
  return {
    procedure: { qualifier: 'HC', code, modifiers: [] },
    charge,
    paid,
    units: 1,
    dates: [{ qualifier: '472', date: '2026-11-02' }],
    adjustments,
    references: [{ qualifier: '6R', value: lineId }],
    amounts: paid > 0 ? [{ qualifier: 'B6', amount: charge - (adjustments.find((a) => a.group === 'CO')?.items[0]?.amount ?? 0) }] : [],
    quantities: [],
    remarks: [],
    other: [],
    ...extra,
  };
}

function claim(c: Partial<ClaimPayment> & Pick<ClaimPayment, 'patientControlNumber' | 'status' | 'charge' | 'paid' | 'services'>): ClaimPayment {
  return {
    filingIndicator: '12',
    payerClaimControlNumber: `PCN${c.patientControlNumber}`,
    facilityType: '11',
    frequency: '1',
    adjustments: [],
    patient: patient('DOE', 'JANE', 'M100200300'),
    references: [],
    dates: [{ qualifier: '050', date: '2026-11-05' }],
    contacts: [],
    amounts: [],
    quantities: [],
    other: [],
    ...c,
  };
}

function remittance(name: string, claims: ClaimPayment[][], providerAdjustments: Remittance835['providerAdjustments'] = []): Remittance835 {
  let paid = 0;
  for (const group of claims) for (const c of group) paid += c.paid;
  let plb = 0;
  for (const p of providerAdjustments) for (const it of p.items) plb += it.amount;
  const amount = paid - plb;
  return {
    controlNumber: '0001',
    implementation: '005010X221A1',
    payment: {
      handlingCode: amount > 0 ? 'I' : 'H',
      amount,
      creditDebit: 'C',
      method: amount > 0 ? 'ACH' : 'NON',
      ...(amount > 0
        ? {
            format: 'CCP',
            sender: { dfiQualifier: '01', dfiId: '999999992', accountQualifier: 'DA', accountNumber: '1234567' },
            originatingCompanyId: '1512345678',
            receiver: { dfiQualifier: '01', dfiId: '999988880', accountQualifier: 'DA', accountNumber: '7654321' },
          }
        : {}),
      date: '2026-11-20',
    },
    trace: { typeCode: '1', traceNumber: `TRACE-${name.toUpperCase()}`, originatorId: '1512345678' },
    references: [{ qualifier: 'EV', value: 'OPENRCM' }],
    productionDate: '2026-11-19',
    payer,
    payee,
    headers: claims.map((c, i) => ({ number: String(i + 1), claims: c })),
    providerAdjustments,
    other: [],
  };
}

/** The golden 835 scenarios by file name. */
export const SCENARIOS_835: Readonly<Record<string, Remittance835>> = {
  // One office visit paid at the contracted rate: CO-45 writes off the difference.
  'single-claim-paid': remittance('single', [
    [
      claim({
        patientControlNumber: 'CLM1001',
        status: '1',
        charge: 15000,
        paid: 9000,
        services: [line('99213', 15000, 9000, [{ group: 'CO', items: [{ reason: '45', amount: 6000 }] }], 'SL1001-1')],
        amounts: [{ qualifier: 'AU', amount: 9000 }],
      }),
    ],
  ]),
  // Partial payment: deductible (PR-1), coinsurance (PR-2) and copay (PR-3) move balance to the patient.
  'partial-patient-responsibility': remittance('partial', [
    [
      claim({
        patientControlNumber: 'CLM1002',
        status: '1',
        charge: 42500,
        paid: 14000,
        patientResponsibility: 13500,
        services: [
          line('99214', 22500, 0, [{ group: 'CO', items: [{ reason: '45', amount: 7500 }] }, { group: 'PR', items: [{ reason: '1', amount: 10000 }, { reason: '3', amount: 5000 }] }], 'SL1002-1', { amounts: [{ qualifier: 'B6', amount: 15000 }] }),
          line('80053', 20000, 14000, [{ group: 'CO', items: [{ reason: '45', amount: 2500 }] }, { group: 'PR', items: [{ reason: '2', amount: 3500 }] }], 'SL1002-2', { amounts: [{ qualifier: 'B6', amount: 17500 }] }),
        ],
      }),
    ],
  ]),
  // Denial: CO-197 (no authorization) with RARC N54 on the line and MOA remark on the claim.
  denial: remittance('denial', [
    [
      claim({
        patientControlNumber: 'CLM1003',
        status: '4',
        charge: 120000,
        paid: 0,
        outpatient: { remarks: ['N54'] },
        services: [
          line('71046', 120000, 0, [{ group: 'CO', items: [{ reason: '197', amount: 120000 }] }], 'SL1003-1', {
            remarks: [{ qualifier: 'HE', code: 'N54' }],
          }),
        ],
      }),
    ],
  ]),
  // Reversal of an earlier payment (CLP02 22, negative amounts) and the corrected claim paid again.
  'reversal-correction': remittance('reversal', [
    [
      claim({
        patientControlNumber: 'CLM1004',
        status: '22',
        charge: -15000,
        paid: -9000,
        frequency: '7',
        adjustments: [{ group: 'CO', items: [{ reason: '45', amount: -6000 }] }],
        payerClaimControlNumber: 'PCNCLM1004A',
        services: [],
      }),
      claim({
        patientControlNumber: 'CLM1004',
        status: '1',
        charge: 15000,
        paid: 9500,
        frequency: '7',
        payerClaimControlNumber: 'PCNCLM1004B',
        services: [line('99213', 15000, 9500, [{ group: 'CO', items: [{ reason: '45', amount: 5500 }] }], 'SL1004-1')],
      }),
    ],
  ]),
  // Provider-level adjustments: L6 interest paid (negative PLB raises the payment) and WO recoupment of an
  // earlier overpayment (positive PLB lowers it), with the recouped claim's control number as reference.
  'plb-interest-recoupment': remittance(
    'plb',
    [
      [
        claim({
          patientControlNumber: 'CLM1005',
          status: '1',
          charge: 30000,
          paid: 18000,
          services: [line('99215', 30000, 18000, [{ group: 'CO', items: [{ reason: '45', amount: 12000 }] }], 'SL1005-1')],
          amounts: [{ qualifier: 'I', amount: 125 }],
        }),
      ],
    ],
    [{ providerId: '1234567893', fiscalPeriodDate: '2026-12-31', items: [{ reason: 'L6', amount: -125 }, { reason: 'WO', reference: 'PCNCLM0999', amount: 4000 }] }],
  ),
  // Several claims for several patients in two header-number loops.
  'multi-claim': remittance('multi', [
    [
      claim({
        patientControlNumber: 'CLM1006',
        status: '1',
        charge: 15000,
        paid: 9000,
        services: [line('99213', 15000, 9000, [{ group: 'CO', items: [{ reason: '45', amount: 6000 }] }], 'SL1006-1')],
      }),
      claim({
        patientControlNumber: 'CLM1007',
        status: '2',
        charge: 8000,
        paid: 1600,
        patient: patient('ROE', 'RICHARD', 'M400500600'),
        services: [line('36415', 8000, 1600, [{ group: 'OA', items: [{ reason: '23', amount: 6400 }] }], 'SL1007-1')],
      }),
    ],
    [
      claim({
        patientControlNumber: 'CLM1008',
        status: '1',
        charge: 25000,
        paid: 15000,
        patient: patient('POE', 'ANNA', 'M700800900'),
        renderingProvider: { entity: '82', entityType: '1', last: 'WELBY', first: 'MARCUS', idQualifier: 'XX', id: '1234567893' },
        services: [
          line('99214', 20000, 12000, [{ group: 'CO', items: [{ reason: '45', amount: 8000 }] }], 'SL1008-1'),
          line('93000', 5000, 3000, [{ group: 'CO', items: [{ reason: '45', amount: 2000 }] }], 'SL1008-2', { procedure: { qualifier: 'HC', code: '93000', modifiers: ['59'] } }),
        ],
      }),
    ],
  ]),
};

/** The golden text of a scenario: one interchange, one HP group, one 835. */
export function golden835(name: string): string {
  const r = SCENARIOS_835[name];
  if (r === undefined) throw new Error(`unknown 835 scenario ${name}`);
  return write835([r], { interchange: INTERCHANGE, senderCode: 'SYNTHPAYER', receiverCode: 'OPENRCM', groupControlNumber: 835 });
}
