import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Claim837P, OtherPayer, Party, ServiceLine } from './model.ts';
import { read837P } from './read.ts';
import { write837P, type Envelope837P } from './write.ts';
import { SCENARIOS } from '../../test/golden/837p/scenarios.ts';

// Model-based round trip: any claim the engine can build within the TR3 rules is written and read back unchanged.

const header = SCENARIOS[0]?.batch.header;
const envelope = SCENARIOS[0]?.envelope as Envelope837P;

/** Upper-case text without delimiters, `min`..`max` characters, no leading/trailing space. */
const text = (max: number, min = 1): fc.Arbitrary<string> =>
  min <= 1
    ? fc.stringMatching(new RegExp(`^[A-Z0-9](?:[A-Z0-9 ]{0,${max - 2}}[A-Z0-9])?$`))
    : fc.stringMatching(new RegExp(`^[A-Z0-9][A-Z0-9 ]{${min - 2},${max - 2}}[A-Z0-9]$`));
const digits = (n: number): fc.Arbitrary<string> => fc.stringMatching(new RegExp(`^\\d{${n}}$`));
const serviceDate = fc
  .date({ min: new Date('2015-10-01T00:00:00Z'), max: new Date('2026-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const isoDate = fc
  .date({ min: new Date('1930-01-01T00:00:00Z'), max: new Date('2026-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const cents = fc.integer({ min: 0, max: 5_000_000 });

const address = fc.record(
  {
    line1: text(40),
    line2: text(30),
    city: text(25, 2),
    state: fc.constantFrom('IL', 'NY', 'CA', 'TX'),
    postalCode: digits(9),
  },
  { requiredKeys: ['line1', 'city', 'state', 'postalCode'] },
);

function party(entity: string, entityType: '1' | '2', idQualifier?: string): fc.Arbitrary<Party> {
  return fc
    .record({
      last: text(30),
      first: text(20),
      id: fc.stringMatching(/^[A-Z0-9]{2,15}$/),
      address: fc.option(address, { nil: undefined }),
    })
    .map(({ last, first, id, address: a }) => ({
      name: {
        entity,
        entityType,
        lastOrOrganization: last,
        ...(entityType === '1' ? { first } : {}),
        ...(idQualifier === undefined ? {} : { idQualifier, id }),
      },
      ...(a === undefined ? {} : { address: a }),
      references: [],
      contacts: [],
      other: [],
    }));
}

const person = (entity: string, idQualifier?: string): fc.Arbitrary<Party> =>
  fc
    .tuple(party(entity, '1', idQualifier), address, isoDate, fc.constantFrom('F', 'M', 'U'))
    .map(([p, a, birthDate, gender]) => ({ ...p, address: a, demographics: { birthDate, gender } }));

const hcpcs = fc.stringMatching(/^(?:\d{5}|[A-V]\d{4})$/);
const modifier = fc.stringMatching(/^[A-Z0-9]{2}$/);
const icd10 = fc.stringMatching(/^[A-Z]\d{2}[A-Z0-9]{0,4}$/);

function line(nDiagnoses: number): fc.Arbitrary<ServiceLine> {
  return fc
    .record({
      code: hcpcs,
      modifiers: fc.array(modifier, { maxLength: 4 }),
      chargeCents: cents,
      unitsMilli: fc.integer({ min: 1, max: 99 }).map((u) => u * 1000),
      pointers: fc.uniqueArray(fc.integer({ min: 1, max: nDiagnoses }), {
        minLength: 1,
        maxLength: Math.min(4, nDiagnoses),
      }),
      serviceDate,
      days: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
      control: fc.stringMatching(/^[A-Z0-9]{1,30}$/),
      emergency: fc.option(fc.constant(true), { nil: undefined }),
    })
    .map((l) => ({
      procedure: { qualifier: 'HC', code: l.code, modifiers: l.modifiers },
      chargeCents: l.chargeCents,
      unitBasis: 'UN',
      unitsMilli: l.unitsMilli,
      pointers: l.pointers,
      ...(l.emergency === undefined ? {} : { emergency: l.emergency }),
      serviceDate: l.serviceDate,
      ...(l.days === undefined
        ? {}
        : {
            serviceDateThrough: new Date(Date.parse(l.serviceDate) + l.days * 86_400_000)
              .toISOString()
              .slice(0, 10),
          }),
      dates: [],
      lineControlNumber: l.control,
      references: [],
      notes: [],
      providers: {},
      adjudications: [],
      other: [],
    }));
}

/** A prior payer whose adjudication balances against the lines (claim-level CAS takes the rest). */
function primaryPayer(
  lines: readonly ServiceLine[],
  paidShare: number,
): fc.Arbitrary<{ payer: OtherPayer; lines: ServiceLine[] }> {
  return party('PR', '2', 'PI').map((payerParty) => {
    const payerId = payerParty.name.id ?? 'P';
    const adjudicated = lines.map((l) => {
      const paid = Math.floor((l.chargeCents * paidShare) / 100);
      const adjustment = l.chargeCents - paid;
      return {
        ...l,
        adjudications: [
          {
            payerId,
            paidCents: paid,
            procedure: l.procedure,
            paidUnitsMilli: l.unitsMilli,
            adjustments:
              adjustment === 0 ? [] : [{ group: 'CO', items: [{ reason: '45', amountCents: adjustment }] }],
            adjudicationDate: '2026-03-01',
            other: [],
          },
        ],
      };
    });
    const paidCents = adjudicated.reduce((s, l) => s + (l.adjudications[0]?.paidCents ?? 0), 0);
    return {
      lines: adjudicated,
      payer: {
        payerResponsibility: 'P',
        relationship: '18',
        claimFilingIndicator: 'CI',
        adjustments: [],
        paidCents,
        otherInsurance: { benefitsAssignment: 'Y', releaseOfInformation: 'Y' },
        subscriber: {
          name: {
            entity: 'IL',
            entityType: '1',
            lastOrOrganization: 'DOE',
            first: 'PAT',
            idQualifier: 'MI',
            id: 'M1',
          },
          references: [],
          contacts: [],
          other: [],
        },
        payer: payerParty,
        providers: [],
        other: [],
      },
    };
  });
}

const claim: fc.Arbitrary<Claim837P> = fc
  .record({
    diagnoses: fc.uniqueArray(icd10, { minLength: 1, maxLength: 12 }),
    pcn: fc.stringMatching(/^[A-Z0-9]{1,38}$/),
    pos: fc.constantFrom('11', '02', '10', '22', '23', '81'),
    frequency: fc.constantFrom('1', '7', '8'),
    billing: party('85', '2', 'XX'),
    subscriber: person('IL', 'MI'),
    payer: party('PR', '2', 'PI'),
    patient: fc.option(person('QC'), { nil: undefined }),
    relationship: fc.constantFrom('01', '19', '20', 'G8'),
    priorAuthorization: fc.option(fc.stringMatching(/^[A-Z0-9]{1,30}$/), { nil: undefined }),
    secondary: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
  })
  .chain((c) =>
    fc
      .array(line(c.diagnoses.length), { minLength: 1, maxLength: 6 })
      .chain((lines) =>
        (c.secondary === undefined
          ? fc.constant({ lines, payer: undefined as OtherPayer | undefined })
          : primaryPayer(lines, c.secondary)
        ).map((cob) => ({ c, lines: cob.lines, otherPayer: cob.payer })),
      ),
  )
  .map(({ c, lines, otherPayer }) => ({
    billingProvider: {
      provider: {
        ...c.billing,
        address: { line1: '1 MAIN ST', city: 'SPRINGFIELD', state: 'IL', postalCode: '627010001' },
        references: [{ qualifier: 'EI', value: '123456789' }],
      },
      other: [],
    },
    subscriber: {
      payerResponsibility: otherPayer === undefined ? 'P' : 'S',
      ...(c.patient === undefined ? { relationship: '18' } : {}),
      claimFilingIndicator: 'CI',
      person: c.subscriber,
      other: [],
    },
    payer: c.payer,
    ...(c.patient === undefined
      ? {}
      : { patient: { information: { relationship: c.relationship }, person: c.patient, other: [] } }),
    claim: {
      patientControlNumber: c.pcn,
      totalChargeCents: lines.reduce((s, l) => s + l.chargeCents, 0),
      placeOfService: c.pos,
      facilityCodeQualifier: 'B',
      frequencyCode: c.frequency,
      providerSignature: 'Y',
      assignmentParticipation: 'A',
      benefitsAssignment: 'Y',
      releaseOfInformation: 'Y',
      dates: [],
      attachments: [],
      ...(c.priorAuthorization === undefined ? {} : { priorAuthorization: c.priorAuthorization }),
      ...(c.frequency === '1' ? {} : { payerClaimControlNumber: 'PCCN1' }),
      references: [],
      notes: [],
      diagnoses: c.diagnoses,
      other: [],
    },
    providers: {},
    otherPayers: otherPayer === undefined ? [] : [otherPayer],
    lines,
  }));

const strip = (v: unknown): unknown =>
  JSON.parse(JSON.stringify(v, (k, x: unknown) => (k === 'location' ? undefined : x))) as unknown;

describe('837P model round trip', () => {
  it('any claim within the TR3 rules is written, read back with no diagnostic, and equal to what was built', () => {
    if (header === undefined) throw new Error('no golden header');
    fc.assert(
      fc.property(fc.array(claim, { minLength: 1, maxLength: 4 }), (claims) => {
        // Patient control numbers identify claims in the comparison: make them unique.
        const batch = claims.map((c, i) => ({
          ...c,
          claim: { ...c.claim, patientControlNumber: `${i}${c.claim.patientControlNumber}`.slice(0, 38) },
        }));
        const result = read837P(write837P({ header, claims: batch }, envelope));
        expect(result.diagnostics.filter((d) => d.code !== 'invalid-npi')).toEqual([]);
        const byPcn = (list: readonly Claim837P[]): Claim837P[] =>
          [...list].sort((a, b) => a.claim.patientControlNumber.localeCompare(b.claim.patientControlNumber));
        expect(strip(byPcn(result.value.transactions[0]?.claims ?? []))).toEqual(strip(byPcn(batch)));
      }),
      { numRuns: 40, seed: 222 },
    );
  });
});
