/**
 * From a received 837P claim (the typed model of '@openrcm/x12/837p') to what the simulated payer reads:
 * the clearinghouse's front-end edits (277CA STC codes) and the mapping into the payer core's `SimClaim`.
 * Reads only what arrived in the X12 (issue 4, independence): no OpenRCM claim or scrubber code.
 */
import type { Claim837P, Party, ServiceLine } from '@openrcm/x12/837p';
import type { StatusCode } from '@openrcm/x12/276-277';
import { isValidMemberId, isValidNpi } from '../ids.ts';
import type { PayerWorld, SimClaim, SimClaimLine, SimCobLine } from '../payers/adjudicate.ts';

/** Everything the clearinghouse keeps about one received claim besides the payer's `SimClaim`. */
export interface ReceivedClaim {
  readonly sim: SimClaim;
  /** CLM05-3: 1 original, 7 replacement, 8 void. */
  readonly frequency: string;
  /** 2300 REF*F8: the payer claim number a replacement or void refers to. */
  readonly originalPayerClaimNumber: string | null;
  /** 2000B SBR09 claim filing indicator as sent. */
  readonly filingIndicator: string;
  /** SBR01 payer responsibility sequence (P, S, T, ...). */
  readonly responsibility: string;
  readonly patient: PersonName;
  /** The subscriber when the patient is not the subscriber (835 NM1*IL), else null. */
  readonly insured: PersonName | null;
  readonly billing: {
    readonly name: string;
    readonly npi: string;
    readonly taxId: string | null;
    readonly address: { line1: string; city: string; state: string; postalCode: string } | null;
  };
  /** Per line: whether the 837 carried REF*6R (only then is it echoed in the 835). */
  readonly lineControlSent: readonly boolean[];
  readonly serviceDate: string;
  readonly serviceDateEnd: string;
  /** 2320/2330B other payers named on the claim: payer id and the member id there (2330A NM109). */
  readonly otherPayers: readonly { payerId: string; memberId: string }[];
}

export interface PersonName {
  readonly last: string;
  readonly first: string | null;
  readonly memberId: string;
}

/** A front-end rejection: the 277CA STC01 composite (category, status, entity) and a readable reason. */
export interface FrontEndRejection {
  readonly status: StatusCode;
  /** Names the field, never its value (STC12 free text, no patient data). */
  readonly message: string;
}

/**
 * Text received in the 837 that the clearinghouse echoes (names, ids, CLM01): the sender's delimiters may
 * differ from ours, so characters that are delimiters in what we write (* : ~ ^) are dropped.
 */
export function x12Text(v: string): string {
  return v.replace(/[*:~^]/g, '').trim();
}

const reject = (
  category: string,
  status: string,
  entity: string | null,
  message: string,
): FrontEndRejection => ({
  status: entity === null ? { category, status } : { category, status, entity },
  message,
});

function firstLineDate(lines: readonly ServiceLine[]): string | undefined {
  let d: string | undefined;
  for (const l of lines)
    if (l.serviceDate !== undefined && (d === undefined || l.serviceDate < d)) d = l.serviceDate;
  return d;
}

/**
 * The clearinghouse's front-end edits for one claim of an accepted transaction set, in the order a
 * clearinghouse applies them: payer routing, required data, NPI check digits, the payer's member id
 * format and roster. Returns null when the claim may be routed to its payer. Duplicate detection needs
 * history and is done by the caller.
 */
export function frontEndEdits(
  c: Claim837P,
  worlds: ReadonlyMap<string, PayerWorld>,
): FrontEndRejection | null {
  const payerId = c.payer.name.id ?? '';
  const world = worlds.get(payerId);
  // 116: claim submitted to the incorrect payer (the payer id is not one this clearinghouse routes to).
  if (!world) return reject('A3', '116', null, '2010BB NM109 payer id is not routed by this clearinghouse');

  // Required data the TR3 syntax alone does not force.
  if (c.lines.length === 0) return reject('A7', '21', null, '2400 no service lines');
  if (c.claim.diagnoses.length === 0) return reject('A7', '254', null, '2300 HI principal diagnosis missing');
  const memberId = c.subscriber.person.name.id ?? '';
  if (memberId === '') return reject('A7', '164', 'IL', '2010BA NM109 member id missing');
  for (const [i, l] of c.lines.entries()) {
    if (l.serviceDate === undefined) return reject('A7', '187', null, `2400 line ${i + 1} DTP*472 missing`);
    if (l.chargeCents <= 0) return reject('A7', '21', null, `2400 line ${i + 1} SV102 charge not positive`);
    if (l.pointers.length === 0 || l.pointers.some((p) => p < 1 || p > c.claim.diagnoses.length))
      return reject('A7', '255', null, `2400 line ${i + 1} SV107 diagnosis pointer invalid`);
  }

  // NPI check digit (Luhn over 80840 + first nine digits): billing, rendering, service facility.
  if (!isValidNpi(c.billingProvider.provider.name.id ?? ''))
    return reject('A7', '562', '85', '2010AA NM109 billing provider NPI invalid');
  const rendering = c.providers.rendering?.name.id;
  if (rendering !== undefined && !isValidNpi(rendering))
    return reject('A7', '562', '82', '2310B NM109 rendering provider NPI invalid');
  const facility = c.providers.serviceFacility?.name.id;
  if (facility !== undefined && !isValidNpi(facility))
    return reject('A7', '562', '77', '2310C NM109 service facility NPI invalid');
  for (const [i, l] of c.lines.entries()) {
    const lr = l.providers.rendering?.name.id;
    if (lr !== undefined && !isValidNpi(lr))
      return reject('A7', '562', '82', `2420A line ${i + 1} rendering provider NPI invalid`);
  }

  // The payer's member id format, then its roster (the payer's front end, reported on the same 277CA).
  if (!isValidMemberId(memberId, world.profile.memberIdFormat))
    return reject('A7', '164', 'IL', '2010BA NM109 member id does not match the payer format');
  if (!world.roster.has(memberId)) return reject('A3', '33', 'IL', '2010BA subscriber not found');
  return null;
}

function name(p: Party | undefined): PersonName | null {
  if (!p) return null;
  return {
    last: x12Text(p.name.lastOrOrganization ?? ''),
    first: p.name.first === undefined ? null : x12Text(p.name.first),
    memberId: x12Text(p.name.id ?? ''),
  };
}

/** Claim-level COB data from the 2430 loops of a secondary claim (paid and PR amounts per line). */
function cobLines(c: Claim837P, lineIds: readonly string[]): SimCobLine[] {
  const out: SimCobLine[] = [];
  c.lines.forEach((l, i) => {
    const adj = l.adjudications[0];
    const lineId = lineIds[i];
    if (!adj || lineId === undefined) return;
    const pr: Record<string, number> = {};
    for (const a of adj.adjustments) {
      if (a.group !== 'PR') continue;
      for (const it of a.items) pr[it.reason] = (pr[it.reason] ?? 0) + it.amountCents;
    }
    out.push({ lineId, primaryPaidCents: adj.paidCents, patientResponsibility: pr });
  });
  return out;
}

/**
 * Maps an accepted 837P claim into the payer core's `SimClaim` (every field the adjudicator reads) plus
 * what the 835 and the 277CA need. Lines without REF*6R get a synthetic id (CLM01-n) that is not echoed.
 */
export function toReceivedClaim(c: Claim837P, receivedDate: string): ReceivedClaim {
  const clm = c.claim;
  const claimId = x12Text(clm.patientControlNumber);
  const lineIds = c.lines.map((l, i) => x12Text(l.lineControlNumber ?? `${claimId}-${i + 1}`));
  const lines: SimClaimLine[] = c.lines.map((l, i) => ({
    lineId: lineIds[i] ?? '',
    dateOfService: l.serviceDate ?? '',
    code: l.procedure.code,
    modifiers: l.procedure.modifiers,
    units: l.unitsMilli / 1000,
    chargeCents: l.chargeCents,
    diagnosisPointers: l.pointers,
  }));
  const billingNpi = c.billingProvider.provider.name.id ?? '';
  // 2310B rendering provider; absent when the billing provider rendered the service. A 2420A on the first
  // line stands in when the claim level has none.
  const renderingParty = c.providers.rendering ?? c.lines[0]?.providers.rendering;
  const renderingNpi = renderingParty?.name.id ?? billingNpi;
  const secondary = c.subscriber.payerResponsibility !== 'P';
  const priorAuth =
    clm.priorAuthorization ?? c.lines.find((l) => l.priorAuthorization)?.priorAuthorization ?? null;
  const sim: SimClaim = {
    claimId,
    payerId: c.payer.name.id ?? '',
    memberId: x12Text(c.subscriber.person.name.id ?? ''),
    billingNpi,
    renderingNpi,
    renderingTaxonomy: renderingParty?.specialty?.taxonomy ?? null,
    serviceFacilityNpi: c.providers.serviceFacility?.name.id ?? null,
    posCode: clm.placeOfService,
    diagnoses: clm.diagnoses,
    priorAuthNumber: priorAuth,
    receivedDate,
    lines,
    cob: secondary && c.otherPayers.length > 0 ? cobLines(c, lineIds) : null,
  };
  const subscriber = name(c.subscriber.person) ?? { last: '', first: null, memberId: '' };
  const patientParty = c.patient?.person;
  const dates = lines.map((l) => l.dateOfService).filter((d) => d !== '');
  const start = firstLineDate(c.lines) ?? receivedDate;
  const end = dates.reduce((m, d) => (d > m ? d : m), start);
  const bp = c.billingProvider.provider;
  const addr = bp.address;
  return {
    sim,
    frequency: clm.frequencyCode,
    originalPayerClaimNumber:
      clm.payerClaimControlNumber === undefined ? null : x12Text(clm.payerClaimControlNumber),
    filingIndicator: c.subscriber.claimFilingIndicator ?? '',
    responsibility: c.subscriber.payerResponsibility,
    patient: patientParty
      ? { ...(name(patientParty) ?? subscriber), memberId: subscriber.memberId }
      : subscriber,
    insured: patientParty ? subscriber : null,
    billing: {
      name: x12Text(bp.name.lastOrOrganization ?? ''),
      npi: billingNpi,
      taxId: (() => {
        const v = bp.references.find((r) => r.qualifier === 'EI' || r.qualifier === 'SY')?.value;
        return v === undefined ? null : x12Text(v);
      })(),
      // Echoed as the 835's payee address (1000B N3/N4) only when complete: a broken 2010AA N4 (no state or ZIP,
      // which the 837 may still carry) would otherwise make the simulated payer write a non-conforming 835.
      address:
        addr?.line1 !== undefined &&
        addr.city !== undefined &&
        addr.state !== undefined &&
        /^[A-Z]{2}$/.test(addr.state) &&
        addr.postalCode !== undefined &&
        addr.postalCode.length >= 3
          ? {
              line1: x12Text(addr.line1),
              city: x12Text(addr.city),
              state: x12Text(addr.state),
              postalCode: x12Text(addr.postalCode),
            }
          : null,
    },
    lineControlSent: c.lines.map((l) => l.lineControlNumber !== undefined),
    serviceDate: start,
    serviceDateEnd: end,
    otherPayers: c.otherPayers.map((o) => ({
      payerId: o.payer.name.id ?? '',
      memberId: x12Text(o.subscriber.name.id ?? ''),
    })),
  };
}

/**
 * Key of a claim version for duplicate detection: the same CLM01, frequency and REF*F8 with the same
 * member and lines is the same submission sent again.
 */
export function versionKey(c: ReceivedClaim): string {
  const s = c.sim;
  return [
    s.payerId,
    s.claimId,
    c.frequency,
    c.originalPayerClaimNumber ?? '',
    s.memberId,
    s.lines
      .map((l) => `${l.dateOfService}:${l.code}:${l.modifiers.join('.')}:${l.units}:${l.chargeCents}`)
      .join(','),
  ].join('|');
}
