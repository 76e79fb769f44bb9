import type { Adjustment, ClaimPayment, Remittance835, ServicePayment } from '../src/tx835/types.ts';
import { write835 } from '../src/tx835/writer.ts';

/**
 * Deterministic synthetic 835s for benchmarks: professional claims shaped like real remittances (1-6 lines,
 * contractual CO-45 write-downs, deductible / coinsurance / copay PR-1/2/3, ~10 % denials with CO-197 or
 * CO-16 and a RARC, REF*6R line control numbers, AMT*B6 allowed amounts). Every claim balances.
 */

/** Small seeded PRNG (mulberry32) so the files are the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CODES = [
  '99213',
  '99214',
  '99203',
  '36415',
  '80053',
  '85025',
  '93000',
  '71046',
  '97110',
  '20610',
] as const;
const LAST = ['SMITH', 'JOHNSON', 'WILLIAMS', 'BROWN', 'JONES', 'GARCIA', 'MILLER', 'DAVIS'] as const;
const FIRST = ['JAMES', 'MARY', 'ROBERT', 'PATRICIA', 'JOHN', 'JENNIFER', 'MICHAEL', 'LINDA'] as const;

const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)] as T;

/** One synthetic 835 with `claims` claims; `seed` varies the content. */
export function synthetic835(claims: number, seed: number): Remittance835 {
  const r = rng(seed);
  const out: ClaimPayment[] = [];
  let total = 0;
  for (let c = 0; c < claims; c++) {
    const denied = r() < 0.1;
    const lineCount = 1 + Math.floor(r() * 6);
    const services: ServicePayment[] = [];
    let charge = 0;
    let paid = 0;
    let patient = 0;
    for (let l = 0; l < lineCount; l++) {
      const lineCharge = 2000 + Math.floor(r() * 30000);
      const adjustments: Adjustment[] = [];
      let linePaid = 0;
      if (denied) {
        adjustments.push({ group: 'CO', items: [{ reason: r() < 0.5 ? '197' : '16', amount: lineCharge }] });
      } else {
        const allowed = Math.floor(lineCharge * (0.4 + r() * 0.4));
        const pr = r() < 0.5 ? Math.floor(allowed * 0.2) : 0;
        linePaid = allowed - pr;
        adjustments.push({ group: 'CO', items: [{ reason: '45', amount: lineCharge - allowed }] });
        if (pr > 0)
          adjustments.push({
            group: 'PR',
            items: [{ reason: pick(r, ['1', '2', '3'] as const), amount: pr }],
          });
        patient += pr;
      }
      charge += lineCharge;
      paid += linePaid;
      services.push({
        procedure: { qualifier: 'HC', code: pick(r, CODES), modifiers: r() < 0.2 ? ['25'] : [] },
        charge: lineCharge,
        paid: linePaid,
        units: 1,
        dates: [
          {
            qualifier: '472',
            date: `2026-${String(1 + Math.floor(r() * 10)).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`,
          },
        ],
        adjustments,
        references: [{ qualifier: '6R', value: `SL${seed}X${c}L${l}` }],
        amounts: denied
          ? []
          : [{ qualifier: 'B6', amount: linePaid + (adjustments[1]?.items[0]?.amount ?? 0) }],
        quantities: [],
        remarks: denied ? [{ qualifier: 'HE', code: 'N130' }] : [],
        other: [],
      });
    }
    total += paid;
    out.push({
      patientControlNumber: `CLM${seed}X${c}`,
      status: denied ? '4' : '1',
      charge,
      paid,
      ...(patient > 0 ? { patientResponsibility: patient } : {}),
      filingIndicator: '12',
      payerClaimControlNumber: `${2026000000000 + seed * 100000 + c}`,
      facilityType: '11',
      frequency: '1',
      adjustments: [],
      patient: {
        entity: 'QC',
        entityType: '1',
        last: pick(r, LAST),
        first: pick(r, FIRST),
        idQualifier: 'MI',
        id: `M${Math.floor(r() * 1e9)}`,
      },
      renderingProvider: {
        entity: '82',
        entityType: '1',
        last: 'WELBY',
        first: 'MARCUS',
        idQualifier: 'XX',
        id: '1234567893',
      },
      references: [],
      dates: [{ qualifier: '050', date: '2026-11-01' }],
      contacts: [],
      amounts: [],
      quantities: [],
      services,
      other: [],
    });
  }
  return {
    controlNumber: '0001',
    implementation: '005010X221A1',
    payment: {
      handlingCode: 'I',
      amount: total,
      creditDebit: 'C',
      method: 'ACH',
      format: 'CCP',
      sender: { dfiQualifier: '01', dfiId: '999999992', accountQualifier: 'DA', accountNumber: '123456' },
      originatingCompanyId: '1512345678',
      receiver: { dfiQualifier: '01', dfiId: '999988880', accountQualifier: 'DA', accountNumber: '98765' },
      date: '2026-11-20',
    },
    trace: { typeCode: '1', traceNumber: `EFT${seed}`, originatorId: '1512345678' },
    references: [],
    productionDate: '2026-11-19',
    payer: {
      entity: 'PR',
      name: 'SYNTHETIC HEALTH PLAN',
      address: { line1: '1 PAYER WAY', city: 'ANYTOWN', state: 'PA', postalCode: '17111' },
      references: [],
      contacts: [
        { function: 'BL', name: 'EDI SUPPORT', numbers: [{ qualifier: 'TE', number: '8005550100' }] },
      ],
    },
    payee: {
      entity: 'PE',
      name: 'SYNTHETIC FAMILY PRACTICE',
      idQualifier: 'XX',
      id: '1234567893',
      references: [],
      contacts: [],
    },
    headers: [{ number: '1', claims: out }],
    providerAdjustments: [],
    other: [],
  };
}

/** One interchange holding {@link synthetic835}`(claims, seed)` (sender PAYER, receiver OPENRCM), for tests. */
export function syntheticInterchange(claims: number, seed: number): string {
  return write835([synthetic835(claims, seed)], {
    interchange: {
      senderQualifier: 'ZZ',
      senderId: 'PAYER',
      receiverQualifier: 'ZZ',
      receiverId: 'OPENRCM',
      date: '2026-11-20',
      time: '1200',
      controlNumber: 1,
    },
    senderCode: 'PAYER',
    receiverCode: 'OPENRCM',
    groupControlNumber: 1,
  });
}
