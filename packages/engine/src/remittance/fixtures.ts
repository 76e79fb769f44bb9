/**
 * Test fixtures for ERA posting (tests only, not exported by the package): a minimal practice world (payer,
 * provider, location, patient, coverage), claims built from an 835's CLP/SVC loops so matching succeeds, and a
 * small 835 builder over the x12 writer for scenario files. Synthetic values only.
 */
import { practiceScope, type Db, type PracticeScope } from '@openrcm/db';
import {
  write835,
  type Adjustment,
  type ClaimPayment,
  type ProviderAdjustment,
  type Remittance835,
  type ServicePayment,
} from '@openrcm/x12/835';
import { postChargesForClaims } from '../posting/ledger.ts';
import { lineControlNumberOf, serviceDateOf } from './match.ts';

export interface World {
  readonly practiceId: number;
  readonly scope: PracticeScope;
  readonly payerId: number;
  readonly payerCode: string;
  readonly providerId: number;
  readonly locationId: number;
  readonly patientId: number;
  readonly coverageId: number;
  readonly npi: string;
}

type IdRow = { id: number };

async function one(db: Db, sql: string, params: readonly unknown[]): Promise<number> {
  const r = await db.query<IdRow>(sql, params);
  const id = r.rows[0]?.id;
  if (id === undefined) throw new Error('fixture insert returned no id');
  return id;
}

let worlds = 0;

/** A practice with one payer (own payer code), provider, location, patient and primary coverage. */
export async function createWorld(db: Db, tag = 'w'): Promise<World> {
  worlds += 1;
  const code = `era-${tag}-${process.pid}-${worlds}`
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '')
    .slice(0, 40);
  const org = await one(
    db,
    `INSERT INTO billing_organizations (name) VALUES ('Billing Co') RETURNING id`,
    [],
  );
  const npi = '1234567893';
  const practiceId = await one(
    db,
    `INSERT INTO practices (billing_organization_id, code, name, npi, tin) VALUES ($1, $2, 'Practice', $3, '123456789') RETURNING id`,
    [org, code, npi],
  );
  const payerCode = `P${code}`.slice(0, 80);
  const payerId = await one(
    db,
    `INSERT INTO payers (payer_code, name, payer_type, timely_filing_days) VALUES ($1, 'Payer', 'commercial', 180) RETURNING id`,
    [payerCode],
  );
  const providerId = await one(
    db,
    `INSERT INTO providers (practice_id, npi, last_name, first_name) VALUES ($1, $2, 'Provider', 'Test') RETURNING id`,
    [practiceId, npi],
  );
  const locationId = await one(
    db,
    `INSERT INTO locations (practice_id, name, place_of_service, address_line1, city, state, postal_code)
     VALUES ($1, 'Main', '11', '1 Main St', 'Springfield', 'IL', '62701') RETURNING id`,
    [practiceId],
  );
  const patientId = await one(
    db,
    `INSERT INTO patients (practice_id, mrn, first_name, last_name, date_of_birth, sex)
     VALUES ($1, 'MRN1', 'Test', 'Patient', '1970-01-01', 'U') RETURNING id`,
    [practiceId],
  );
  const coverageId = await one(
    db,
    `INSERT INTO coverages (practice_id, patient_id, payer_id, priority, member_id, effective_from)
     VALUES ($1, $2, $3, 'primary', 'M1', '2000-01-01') RETURNING id`,
    [practiceId, patientId, payerId],
  );
  return {
    practiceId,
    scope: practiceScope(practiceId),
    payerId,
    payerCode,
    providerId,
    locationId,
    patientId,
    coverageId,
    npi,
  };
}

/** One line of a claim to create. */
export interface FixtureLine {
  readonly procedureCode: string;
  readonly modifiers?: readonly string[];
  readonly chargeCents: number;
  readonly serviceDate: string;
  readonly lineControlNumber?: string;
  readonly units?: number;
  readonly ndcCode?: string;
}

export interface FixtureClaim {
  readonly claimId: number;
  readonly lineIds: readonly number[];
  readonly lineControlNumbers: readonly string[];
}

let lineSeq = 0;

/** Creates a submitted primary claim (version 1) with its lines, and posts their CHARGE transactions. */
export async function createClaim(
  db: Db,
  w: World,
  patientControlNumber: string,
  lines: readonly FixtureLine[],
): Promise<FixtureClaim> {
  const first = lines.map((l) => l.serviceDate).sort()[0] ?? '2026-01-01';
  const last =
    lines
      .map((l) => l.serviceDate)
      .sort()
      .at(-1) ?? first;
  return db.transaction(async (tx) => {
    const encounterId = (
      await tx.query<IdRow>(
        `INSERT INTO encounters (practice_id, patient_id, rendering_provider_id, location_id, date_of_service, place_of_service, coding_status)
         VALUES ($1, $2, $3, $4, $5, '11', 'coded') RETURNING id`,
        [w.practiceId, w.patientId, w.providerId, w.locationId, first],
      )
    ).rows[0]?.id;
    const claimId = (
      await tx.query<IdRow>(
        `INSERT INTO claims (practice_id, encounter_id, patient_id, coverage_id, payer_id, responsibility, patient_control_number,
                             billing_provider_id, rendering_provider_id, location_id, status)
         VALUES ($1, $2, $3, $4, $5, 'primary', $6, $7, $7, $8, 'submitted') RETURNING id`,
        [
          w.practiceId,
          encounterId,
          w.patientId,
          w.coverageId,
          w.payerId,
          patientControlNumber,
          w.providerId,
          w.locationId,
        ],
      )
    ).rows[0]?.id;
    if (claimId === undefined) throw new Error('claim not created');
    const versionId = (
      await tx.query<IdRow>(
        `INSERT INTO claim_versions (practice_id, claim_id, version_no, kind, frequency_code, total_charge_cents, diagnosis_codes,
                                     service_date_from, service_date_to, place_of_service)
         VALUES ($1, $2, 1, 'original', '1', $3, '{Z0000}', $4, $5, '11') RETURNING id`,
        [w.practiceId, claimId, lines.reduce((s, l) => s + l.chargeCents, 0), first, last],
      )
    ).rows[0]?.id;
    const lineIds: number[] = [];
    const controls: string[] = [];
    for (const [i, l] of lines.entries()) {
      lineSeq += 1;
      const control = l.lineControlNumber ?? `T${process.pid}-${lineSeq}`;
      const id = (
        await tx.query<IdRow>(
          `INSERT INTO claim_lines (practice_id, claim_version_id, claim_id, line_number, line_control_number, procedure_code,
                                    modifiers, units, charge_cents, diagnosis_pointers, service_date_from, service_date_to, ndc_code)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, '{1}', $10, $10, $11) RETURNING id`,
          [
            w.practiceId,
            versionId,
            claimId,
            i + 1,
            control,
            l.procedureCode,
            l.modifiers ?? [],
            l.units ?? 1,
            l.chargeCents,
            l.serviceDate,
            l.ndcCode ?? null,
          ],
        )
      ).rows[0]?.id;
      if (id === undefined) throw new Error('line not created');
      lineIds.push(id);
      controls.push(control);
    }
    await postChargesForClaims(tx, w.scope, [claimId]);
    return { claimId, lineIds, lineControlNumbers: controls };
  });
}

const PCN_RE = /^[!-~]{1,20}$/;
const PROC_RE = /^([0-9]{4}[0-9FTU]|[A-V][0-9]{4})$/;

/** The claim line an SVC loop describes (what we would have billed). */
function lineFromService(svc: ServicePayment, fallbackDate: string): FixtureLine {
  const billed = svc.originalProcedure ?? svc.procedure;
  const ndc =
    svc.procedure.qualifier === 'N4' && /^[0-9]{11}$/.test(svc.procedure.code)
      ? svc.procedure.code
      : undefined;
  const ref = lineControlNumberOf(svc);
  return {
    procedureCode: PROC_RE.test(billed.code) ? billed.code : '99199',
    modifiers: billed.modifiers.filter((m) => /^[0-9A-Z]{2}$/.test(m)).slice(0, 4),
    chargeCents: Math.abs(svc.charge),
    serviceDate: serviceDateOf(svc) ?? fallbackDate,
    ...(ref !== undefined && /^[!-~]{1,50}$/.test(ref) && !/[*~:^>|]/.test(ref)
      ? { lineControlNumber: ref }
      : {}),
    ...(ndc === undefined ? {} : { ndcCode: ndc }),
  };
}

function claimDate(cp: ClaimPayment, fallback: string): string {
  return (
    (cp.dates.find((d) => d.qualifier === '232') ?? cp.dates.find((d) => d.qualifier === '050'))?.date ??
    fallback
  );
}

/**
 * Creates the claims an 835 references (one per distinct CLP01 that fits our patient control number format),
 * each with the lines its SVC loops describe — the largest set across repeated CLP01s — or one line of CLP03
 * when the payer sent no SVC. Returns how many claims were created.
 */
export async function createClaimsFor835(
  db: Db,
  w: World,
  remittances: readonly Remittance835[],
): Promise<number> {
  const byPcn = new Map<string, FixtureLine[]>();
  for (const r of remittances) {
    for (const cp of r.headers.flatMap((h) => h.claims)) {
      const pcn = cp.patientControlNumber;
      if (!PCN_RE.test(pcn) || /[*~:^>|]/.test(pcn)) continue;
      const date = claimDate(cp, r.payment.date);
      const lines =
        cp.services.length === 0
          ? [{ procedureCode: '99213', chargeCents: Math.abs(cp.charge), serviceDate: date }]
          : cp.services.map((s) => lineFromService(s, date));
      const prior = byPcn.get(pcn);
      if (prior === undefined || lines.length > prior.length) byPcn.set(pcn, lines);
    }
  }
  for (const [pcn, lines] of byPcn) await createClaim(db, w, pcn, lines);
  return byPcn.size;
}

// ---- scenario 835s ---------------------------------------------------------------------------------------

export const cas = (group: string, ...items: [string, number][]): Adjustment => ({
  group,
  items: items.map(([reason, amount]) => ({ reason, amount })),
});

/** An SVC loop that balances (paid = charge − Σ CAS) with REF*6R unless `noRef`. */
export function service(
  code: string,
  chargeCents: number,
  adjustments: Adjustment[],
  opts: {
    readonly ref?: string;
    readonly modifiers?: string[];
    readonly date?: string;
    readonly allowedCents?: number;
    readonly original?: { code: string; modifiers?: string[] };
    readonly remarks?: string[];
  } = {},
): ServicePayment {
  const casSum = adjustments.flatMap((a) => a.items).reduce((s, i) => s + i.amount, 0);
  return {
    procedure: { qualifier: 'HC', code, modifiers: opts.modifiers ?? [] },
    charge: chargeCents,
    paid: chargeCents - casSum,
    ...(opts.original === undefined
      ? {}
      : {
          originalProcedure: {
            qualifier: 'HC',
            code: opts.original.code,
            modifiers: opts.original.modifiers ?? [],
          },
        }),
    dates: opts.date === undefined ? [] : [{ qualifier: '472', date: opts.date }],
    adjustments,
    references: opts.ref === undefined ? [] : [{ qualifier: '6R', value: opts.ref }],
    amounts: opts.allowedCents === undefined ? [] : [{ qualifier: 'B6', amount: opts.allowedCents }],
    quantities: [],
    remarks: (opts.remarks ?? []).map((code) => ({ qualifier: 'HE', code })),
    other: [],
  };
}

/** A balanced CLP loop over its services (or a claim-level-only one with `charge`). */
export function claimPayment(
  pcn: string,
  status: string,
  services: ServicePayment[],
  opts: {
    readonly claimAdjustments?: Adjustment[];
    readonly payerClaimNumber?: string;
    readonly charge?: number;
    readonly crossoverTo?: string;
  } = {},
): ClaimPayment {
  const claimCas = opts.claimAdjustments ?? [];
  const claimCasSum = claimCas.flatMap((a) => a.items).reduce((s, i) => s + i.amount, 0);
  const charge = opts.charge ?? services.reduce((s, l) => s + l.charge, 0);
  const paid = (services.length === 0 ? charge : services.reduce((s, l) => s + l.paid, 0)) - claimCasSum;
  const pr = [...claimCas, ...services.flatMap((s) => s.adjustments)]
    .filter((a) => a.group === 'PR')
    .flatMap((a) => a.items)
    .reduce((s, i) => s + i.amount, 0);
  return {
    patientControlNumber: pcn,
    status,
    charge,
    paid,
    patientResponsibility: pr,
    // 835 CLP06 15 indemnity insurance (CI exists only in the 837).
    filingIndicator: '15',
    ...(opts.payerClaimNumber === undefined ? {} : { payerClaimControlNumber: opts.payerClaimNumber }),
    facilityType: '11',
    frequency: '1',
    adjustments: claimCas,
    patient: { entity: 'QC', entityType: '1', last: 'DOE', first: 'JANE', idQualifier: 'MI', id: 'M1' },
    ...(opts.crossoverTo === undefined
      ? {}
      : {
          crossoverCarrier: {
            entity: 'TT',
            entityType: '2',
            last: opts.crossoverTo,
            idQualifier: 'PI',
            id: 'MEDIGAP1',
          },
        }),
    references: [],
    dates: [],
    contacts: [],
    amounts: [],
    quantities: [],
    services,
    other: [],
  };
}

/** A whole 835 (one transaction set) whose BPR02 = Σ CLP04 − Σ PLB. */
export function remittance(
  w: World,
  trace: string,
  claims: ClaimPayment[],
  plb: ProviderAdjustment['items'] = [],
  date = '2026-03-02',
): Remittance835 {
  const total = claims.reduce((s, c) => s + c.paid, 0) - plb.reduce((s, i) => s + i.amount, 0);
  return {
    controlNumber: '0001',
    implementation: '005010X221A1',
    payment: {
      handlingCode: total === 0 ? 'H' : 'I',
      amount: total,
      creditDebit: 'C',
      method: total === 0 ? 'NON' : 'CHK',
      date,
    },
    trace: { typeCode: '1', traceNumber: trace, originatorId: '1999999999' },
    references: [],
    payer: {
      entity: 'PR',
      name: 'PAYER',
      idQualifier: 'XV',
      id: w.payerCode,
      address: { line1: '1 PAYER WAY', city: 'CHICAGO', state: 'IL', postalCode: '60601' },
      references: [],
      contacts: [],
    },
    payee: { entity: 'PE', name: 'PRACTICE', idQualifier: 'XX', id: w.npi, references: [], contacts: [] },
    headers: [{ number: '1', claims }],
    providerAdjustments:
      plb.length === 0 ? [] : [{ providerId: w.npi, fiscalPeriodDate: '2026-12-31', items: plb }],
    other: [],
  };
}

/** Serializes scenario 835s into one interchange (the x12 writer). */
export function write(remittances: readonly Remittance835[]): string {
  return write835(remittances, {
    interchange: {
      senderQualifier: 'ZZ',
      senderId: 'PAYER',
      receiverQualifier: 'ZZ',
      receiverId: 'OPENRCM',
      date: '2026-03-02',
      time: '0800',
      controlNumber: 1,
    },
    senderCode: 'PAYER',
    receiverCode: 'OPENRCM',
    groupControlNumber: 1,
  });
}
