/**
 * Builds the typed 835 (005010X221A1) of one payment (one check/EFT, one payee) from the payer core's
 * adjudications. Every amount balances by construction (835 TR3 1.10.2.1): a line's SVC03 = SVC02 − Σ its
 * CAS; a claim's CLP04 = CLP03 − Σ claim CAS − Σ line CAS (claim-level CAS only for the copay of payers
 * that report it there); BPR02 = Σ CLP04 − Σ PLB (L6 interest, WO overpayment recovery, FB forward balance).
 * The caller still re-reads the written text with OpenRCM's reader and refuses it on any error.
 */
import type {
  Adjustment,
  ClaimPayment,
  Name,
  Party,
  ProviderAdjustmentItem,
  Remittance835,
  ServicePayment,
} from '@openrcm/x12/835';
import { CLAIM_FILING_INDICATOR_CODES } from '@openrcm/x12/835';
import type { Cas, ClaimAdjudication, LineAdjudication } from '../payers/adjudicate.ts';
import type { PayerKind } from '../payers/profiles.ts';
import type { PersonName, ReceivedClaim } from './intake.ts';

/** One claim payment line of an ERA: an adjudication, or the reversal of an earlier one (CLP02 22). */
export interface EraClaim {
  readonly received: ReceivedClaim;
  /** CLP07. */
  readonly payerClaimNumber: string;
  readonly outcome: ClaimAdjudication;
  /** 22 reverses `outcome` (every amount negated); 19 primary forwarded to a crossover carrier. */
  readonly clp02: '1' | '2' | '4' | '19' | '22';
  /** NM1*TT crossover carrier (CLP02 19). */
  readonly crossover: { readonly name: string; readonly payerId: string } | null;
  /** Prompt-pay interest on this claim (AMT*I, paid through PLB L6), cents. */
  readonly interestCents: number;
}

/** The paying payer as the 835 names it (1000A). */
export interface EraPayer {
  readonly payerId: string;
  readonly name: string;
  readonly kind: PayerKind;
  readonly address: { line1: string; city: string; state: string; postalCode: string };
  /** Nine digits; TRN03 / BPR10 are '1' + this (835 TR3: 1 followed by the payer's EIN). */
  readonly ein: string;
  /** The copay (PR-3) goes in the claim-level CAS (2100) instead of the line's (the profile's `claimLevelCopay`). */
  readonly claimLevelCopay: boolean;
}

export interface EraInput {
  readonly payer: EraPayer;
  /** ST02 (4+ digits). */
  readonly controlNumber: string;
  /** BPR16 check issue / EFT effective date. */
  readonly paymentDate: string;
  /** TRN02, unique per payer. */
  readonly traceNumber: string;
  /** REF*EV: the submitter the remittance is routed to. */
  readonly receiverId: string;
  readonly claims: readonly EraClaim[];
  /** Provider-level adjustments besides interest (forward balances), positive reduces the payment. */
  readonly extraPlb: readonly ProviderAdjustmentItem[];
}

/** CLP06 from SBR09 when the 835 code list has it, else by payer kind. */
function filingIndicator(sent: string, kind: PayerKind): string {
  if ((CLAIM_FILING_INDICATOR_CODES as readonly string[]).includes(sent)) return sent;
  switch (kind) {
    case 'medicare':
      return 'MB';
    case 'medicaid':
      return 'MC';
    case 'paper':
      return '15';
    case 'commercial':
    case 'supplement':
      return '12';
  }
}

/** Adjustments of the same group and reason added together (claim-level CAS collected from the lines). */
function mergeCas(list: readonly Cas[]): Cas[] {
  const out: Cas[] = [];
  for (const c of list) {
    const same = out.find((x) => x.group === c.group && x.reason === c.reason);
    if (same) same.amountCents += c.amountCents;
    else out.push({ ...c });
  }
  return out;
}

/** CAS segments: one per group code in order of first use, at most six triplets each (split beyond). */
function casSegments(list: readonly Cas[], sign: number): Adjustment[] {
  const out: Adjustment[] = [];
  const byGroup = new Map<string, { reason: string; amount: number }[]>();
  for (const c of list) {
    const items = byGroup.get(c.group) ?? [];
    items.push({ reason: c.reason, amount: sign * c.amountCents });
    byGroup.set(c.group, items);
  }
  for (const [group, items] of byGroup)
    for (let i = 0; i < items.length; i += 6) out.push({ group, items: items.slice(i, i + 6) });
  return out;
}

/** PR-3 copay, when the payer reports it at claim level. */
function isClaimLevel(c: Cas, claimLevelCopay: boolean): boolean {
  return claimLevelCopay && c.group === 'PR' && c.reason === '3';
}

/**
 * One 2110 loop. With the copay at claim level, the line keeps SVC02 − Σ line CAS = SVC03: its payment
 * includes the copay, which the claim-level CAS then takes off CLP04 (835 TR3 1.10.2.1 balancing).
 */
function serviceLine(
  l: LineAdjudication,
  dos: string,
  echo6R: boolean,
  sign: number,
  claimLevelCopay: boolean,
): ServicePayment {
  const atClaim = l.adjustments.filter((c) => isClaimLevel(c, claimLevelCopay));
  const moved = atClaim.reduce((t, c) => t + c.amountCents, 0);
  return {
    procedure: { qualifier: 'HC', code: l.code, modifiers: l.modifiers },
    charge: sign * l.chargeCents,
    paid: sign * (l.paidCents + moved),
    units: l.units,
    dates: [{ qualifier: '472', date: dos }],
    adjustments: casSegments(
      l.adjustments.filter((c) => !isClaimLevel(c, claimLevelCopay)),
      sign,
    ),
    // 2110 REF*6R echoes the 837's line item control number so the line posts deterministically.
    references: echo6R ? [{ qualifier: '6R', value: l.lineId }] : [],
    amounts: l.denied ? [] : [{ qualifier: 'B6', amount: sign * l.allowedCents }],
    quantities: [],
    remarks: l.remarks.map((code) => ({ qualifier: 'HE', code })),
    other: [],
  };
}

function person(entity: 'QC' | 'IL', p: PersonName): Name {
  return {
    entity,
    entityType: '1',
    last: p.last === '' ? 'UNKNOWN' : p.last,
    ...(p.first === null || p.first === '' ? {} : { first: p.first }),
    ...(p.memberId === '' ? {} : { idQualifier: 'MI', id: p.memberId }),
  };
}

/**
 * MOA claim remarks of a Medicare-like payer on a professional claim: MA01 (appeal rights) on every
 * adjudication, MA18 when the claim was crossed over to the supplemental insurer. MIA is inpatient (Part A)
 * only and never appears on the professional claims this simulator adjudicates.
 */
function medicareRemarks(e: EraClaim): ClaimPayment['outpatient'] {
  if (e.clp02 === '22') return undefined;
  return { remarks: e.crossover === null ? ['MA01'] : ['MA01', 'MA18'] };
}

function claimPayment(e: EraClaim, payer: EraPayer): ClaimPayment {
  const kind = payer.kind;
  const r = e.received;
  const o = e.outcome;
  const sign = e.clp02 === '22' ? -1 : 1;
  const claimCas = o.lines.flatMap((l) =>
    l.adjustments.filter((c) => isClaimLevel(c, payer.claimLevelCopay)),
  );
  const outpatient = kind === 'medicare' ? medicareRemarks(e) : undefined;
  const dosByLine = new Map(r.sim.lines.map((l) => [l.lineId, l.dateOfService]));
  const echoByLine = new Map(r.sim.lines.map((l, i) => [l.lineId, r.lineControlSent[i] === true]));
  return {
    patientControlNumber: o.claimId,
    status: e.clp02,
    charge: sign * o.chargeCents,
    paid: sign * o.paidCents,
    ...(o.patientResponsibilityCents === 0
      ? {}
      : { patientResponsibility: sign * o.patientResponsibilityCents }),
    filingIndicator: filingIndicator(r.filingIndicator, kind),
    payerClaimControlNumber: e.payerClaimNumber,
    facilityType: r.sim.posCode,
    frequency: r.frequency === '' ? '1' : r.frequency,
    adjustments: casSegments(mergeCas(claimCas), sign),
    patient: person('QC', r.patient),
    ...(r.insured === null ? {} : { insured: person('IL', r.insured) }),
    ...(e.crossover === null
      ? {}
      : {
          crossoverCarrier: {
            entity: 'TT',
            entityType: '2',
            last: e.crossover.name,
            idQualifier: 'PI',
            id: e.crossover.payerId,
          },
        }),
    ...(outpatient === undefined ? {} : { outpatient }),
    references: [],
    dates: [{ qualifier: '050', date: r.sim.receivedDate }],
    contacts: [],
    amounts: e.interestCents > 0 && sign > 0 ? [{ qualifier: 'I', amount: e.interestCents }] : [],
    quantities: [],
    services: o.lines.map((l) =>
      serviceLine(
        l,
        dosByLine.get(l.lineId) ?? r.serviceDate,
        echoByLine.get(l.lineId) === true,
        sign,
        payer.claimLevelCopay,
      ),
    ),
    other: [],
  };
}

/** Builds one balanced 835 for one payment to one payee. */
export function buildRemittance(input: EraInput): Remittance835 {
  const first = input.claims[0];
  if (!first) throw new Error('an ERA needs at least one claim');
  const payee = first.received.billing;
  const claims = input.claims.map((c) => claimPayment(c, input.payer));
  const plbItems: ProviderAdjustmentItem[] = [];
  for (const c of input.claims)
    if (c.interestCents > 0 && c.clp02 !== '22')
      // PLB L6 interest: a negative provider adjustment raises the payment (835 TR3 PLB03-1).
      plbItems.push({ reason: 'L6', reference: c.payerClaimNumber, amount: -c.interestCents });
  plbItems.push(...input.extraPlb);
  const paid = claims.reduce((s, c) => s + c.paid, 0);
  const plb = plbItems.reduce((s, i) => s + i.amount, 0);
  const amount = paid - plb;
  if (amount < 0) throw new Error('an ERA cannot pay a negative amount (carry it as a forward balance)');
  const originator = `1${input.payer.ein}`;
  const providerAdjustments: Remittance835['providerAdjustments'][number][] = [];
  for (let i = 0; i < plbItems.length; i += 6)
    providerAdjustments.push({
      providerId: payee.npi,
      // PLB02 fiscal period date: the last day of the payer's fiscal year (calendar year here).
      fiscalPeriodDate: `${input.paymentDate.slice(0, 4)}-12-31`,
      items: plbItems.slice(i, i + 6),
    });
  const payerParty: Party = {
    entity: 'PR',
    name: input.payer.name.toUpperCase(),
    idQualifier: 'XV',
    id: input.payer.payerId,
    address: input.payer.address,
    references: [],
    contacts: [
      {
        function: 'BL',
        name: 'EDI SUPPORT',
        numbers: [{ qualifier: 'TE', number: '8005550199' }],
      },
    ],
  };
  const payeeParty: Party = {
    entity: 'PE',
    name: payee.name === '' ? 'UNKNOWN' : payee.name,
    idQualifier: 'XX',
    id: payee.npi,
    ...(payee.address === null ? {} : { address: payee.address }),
    references: payee.taxId === null ? [] : [{ qualifier: 'TJ', value: payee.taxId }],
    contacts: [],
  };
  return {
    controlNumber: input.controlNumber,
    implementation: '005010X221A1',
    payment:
      amount > 0
        ? {
            // I: remittance information only travels here; the money moves by ACH CCP (BPR05).
            handlingCode: 'I',
            amount,
            creditDebit: 'C',
            method: 'ACH',
            format: 'CCP',
            sender: {
              dfiQualifier: '01',
              dfiId: '011000015',
              accountQualifier: 'DA',
              accountNumber: '100200300',
            },
            originatingCompanyId: originator,
            receiver: {
              dfiQualifier: '01',
              dfiId: '021000021',
              accountQualifier: 'DA',
              accountNumber: '400500600',
            },
            date: input.paymentDate,
          }
        : { handlingCode: 'H', amount: 0, creditDebit: 'C', method: 'NON', date: input.paymentDate },
    trace: { typeCode: '1', traceNumber: input.traceNumber, originatorId: originator },
    references: [{ qualifier: 'EV', value: input.receiverId }],
    productionDate: input.paymentDate,
    payer: payerParty,
    payee: payeeParty,
    headers: [{ number: '1', claims }],
    providerAdjustments,
    other: [],
  };
}
