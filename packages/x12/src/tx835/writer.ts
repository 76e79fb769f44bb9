import { DEFAULT_DELIMITERS, type Delimiters } from '../core/delimiters.ts';
import { formatAmount, isoToD8 } from '../core/values.ts';
import { SegmentWriter, X12WriteError, writeInterchange, type InterchangeOptions } from '../core/writer.ts';
import {
  ADJUSTMENT_GROUP_CODES,
  CLAIM_STATUS_CODES,
  PROVIDER_ADJUSTMENT_REASON_CODES,
  TRANSACTION_HANDLING_CODES,
} from './codes.ts';
import type {
  Adjustment,
  AmountReference,
  BankAccount,
  ClaimPayment,
  Contact,
  DateReference,
  Name,
  Party,
  Procedure,
  QuantityReference,
  RawSegment,
  Reference,
  Remittance835,
  ServicePayment,
} from './types.ts';

const amt = (cents: number | undefined): string | undefined =>
  cents === undefined ? undefined : formatAmount(cents);
const qty = (q: number | undefined): string | undefined => (q === undefined ? undefined : String(q));
const d8 = (iso: string | undefined): string | undefined =>
  iso === undefined || iso === '' ? undefined : isoToD8(iso);

function requireCode(value: string, codes: readonly string[], where: string): void {
  if (!codes.includes(value)) throw new X12WriteError(`${where} is not a valid code`);
}

/**
 * Writes the segments of one 835 transaction set between ST and SE (without terminators), in TR3 order.
 * Throws X12WriteError for values it knows are invalid (unknown CLP02 / CAS01 / PLB reason codes, more than six
 * adjustments in one CAS or PLB, a value containing a delimiter).
 */
export function write835Segments(r: Remittance835, delimiters: Delimiters = DEFAULT_DELIMITERS): string[] {
  const w = new SegmentWriter(delimiters);
  const out: string[] = [];
  const rawSeg = (s: RawSegment): void => {
    const [id = '', ...rest] = s.elements;
    out.push(w.segment(id, ...rest));
  };
  const refs = (list: readonly Reference[]): void => {
    for (const x of list) out.push(w.segment('REF', x.qualifier, x.value, x.description));
  };
  const dtms = (list: readonly DateReference[]): void => {
    for (const x of list) out.push(w.segment('DTM', x.qualifier, d8(x.date)));
  };
  const amts = (list: readonly AmountReference[]): void => {
    for (const x of list) out.push(w.segment('AMT', x.qualifier, formatAmount(x.amount)));
  };
  const qtys = (list: readonly QuantityReference[]): void => {
    for (const x of list) out.push(w.segment('QTY', x.qualifier, String(x.quantity)));
  };
  const pers = (list: readonly Contact[]): void => {
    for (const c of list) {
      const nums: (string | undefined)[] = [];
      for (const n of c.numbers) nums.push(n.qualifier, n.number);
      out.push(w.segment('PER', c.function, c.name, ...nums));
    }
  };
  const cas = (list: readonly Adjustment[], where: string): void => {
    for (const a of list) {
      requireCode(a.group, ADJUSTMENT_GROUP_CODES, `${where} CAS01`);
      if (a.items.length === 0 || a.items.length > 6) {
        throw new X12WriteError(`${where} CAS must carry 1 to 6 adjustments`);
      }
      const els: (string | undefined)[] = [a.group];
      for (const it of a.items) els.push(it.reason, formatAmount(it.amount), qty(it.quantity));
      out.push(w.segment('CAS', ...els));
    }
  };
  const account = (b: BankAccount | undefined): (string | undefined)[] => [
    b?.dfiQualifier,
    b?.dfiId,
    b?.accountQualifier,
    b?.accountNumber,
  ];
  const party = (p: Party): void => {
    out.push(w.segment('N1', p.entity, p.name, p.idQualifier, p.id));
    const a = p.address;
    if (a !== undefined) {
      if (a.line1 !== '') out.push(w.segment('N3', a.line1, a.line2));
      out.push(
        w.segment(
          'N4',
          a.city,
          a.state,
          a.postalCode,
          a.country,
          a.locationQualifier,
          a.locationId,
          a.countrySubdivision,
        ),
      );
    }
    refs(p.references);
    pers(p.contacts);
    if (p.deliveryMethod !== undefined) rawSeg(p.deliveryMethod);
  };
  const name = (n: Name | undefined): void => {
    if (n === undefined) return;
    out.push(
      w.segment(
        'NM1',
        n.entity,
        n.entityType,
        n.last,
        n.first,
        n.middle,
        n.prefix,
        n.suffix,
        n.idQualifier,
        n.id,
      ),
    );
  };
  const procedure = (p: Procedure | undefined): (string | undefined)[] | undefined =>
    p === undefined
      ? undefined
      : [p.qualifier, p.code, p.modifiers[0], p.modifiers[1], p.modifiers[2], p.modifiers[3], p.description];

  // Header: BPR, TRN, CUR, REF, DTM*405 (835 TR3 table 1).
  const p = r.payment;
  requireCode(p.handlingCode, TRANSACTION_HANDLING_CODES, 'BPR01');
  out.push(
    w.segment(
      'BPR',
      p.handlingCode,
      formatAmount(p.amount),
      p.creditDebit,
      p.method,
      p.format,
      ...account(p.sender),
      p.originatingCompanyId,
      p.originatingCompanySupplementalCode,
      ...account(p.receiver),
      d8(p.date),
    ),
  );
  if (r.trace !== undefined) {
    const t = r.trace;
    out.push(w.segment('TRN', t.typeCode, t.traceNumber, t.originatorId, t.originatorSupplementalCode));
  }
  if (r.currency !== undefined)
    out.push(w.segment('CUR', r.currency.entity, r.currency.code, r.currency.exchangeRate));
  refs(r.references);
  if (r.productionDate !== undefined && r.productionDate !== '')
    out.push(w.segment('DTM', '405', d8(r.productionDate)));
  party(r.payer);
  party(r.payee);

  const service = (s: ServicePayment): void => {
    out.push(
      w.segment(
        'SVC',
        procedure(s.procedure),
        formatAmount(s.charge),
        formatAmount(s.paid),
        s.revenueCode,
        qty(s.units),
        procedure(s.originalProcedure),
        qty(s.originalUnits),
      ),
    );
    dtms(s.dates);
    cas(s.adjustments, '2110');
    refs(s.references);
    amts(s.amounts);
    qtys(s.quantities);
    for (const lq of s.remarks) out.push(w.segment('LQ', lq.qualifier, lq.code));
    for (const o of s.other) rawSeg(o);
  };
  const claim = (c: ClaimPayment): void => {
    requireCode(c.status, CLAIM_STATUS_CODES, 'CLP02');
    out.push(
      w.segment(
        'CLP',
        c.patientControlNumber,
        c.status,
        formatAmount(c.charge),
        formatAmount(c.paid),
        amt(c.patientResponsibility),
        c.filingIndicator,
        c.payerClaimControlNumber,
        c.facilityType,
        c.frequency,
        undefined,
        c.drg,
        c.drgWeight,
        c.dischargeFraction,
      ),
    );
    cas(c.adjustments, '2100');
    name(c.patient);
    name(c.insured);
    name(c.correctedPatient);
    name(c.renderingProvider);
    name(c.crossoverCarrier);
    name(c.correctedPriorityPayer);
    name(c.otherSubscriber);
    if (c.inpatient !== undefined) rawSeg(c.inpatient);
    const m = c.outpatient;
    if (m !== undefined) {
      out.push(
        w.segment(
          'MOA',
          m.reimbursementRate,
          amt(m.hcpcsPayable),
          m.remarks[0],
          m.remarks[1],
          m.remarks[2],
          m.remarks[3],
          m.remarks[4],
          amt(m.esrdPayment),
          amt(m.nonPayableProfessional),
        ),
      );
    }
    refs(c.references);
    dtms(c.dates);
    pers(c.contacts);
    amts(c.amounts);
    qtys(c.quantities);
    for (const o of c.other) rawSeg(o);
    for (const s of c.services) service(s);
  };

  for (const h of r.headers) {
    if (h.number !== undefined) out.push(w.segment('LX', h.number));
    if (h.providerSummary !== undefined) rawSeg(h.providerSummary);
    if (h.providerSupplementalSummary !== undefined) rawSeg(h.providerSupplementalSummary);
    for (const c of h.claims) claim(c);
  }
  for (const o of r.other) rawSeg(o);

  // Summary: PLB, six reason/amount pairs at most per segment.
  for (const plb of r.providerAdjustments) {
    if (plb.items.length === 0 || plb.items.length > 6)
      throw new X12WriteError('PLB must carry 1 to 6 adjustments');
    const els: (string | (string | undefined)[] | undefined)[] = [plb.providerId, d8(plb.fiscalPeriodDate)];
    for (const it of plb.items) {
      requireCode(it.reason, PROVIDER_ADJUSTMENT_REASON_CODES, 'PLB03-1');
      els.push([it.reason, it.reference], formatAmount(it.amount));
    }
    out.push(w.segment('PLB', ...els));
  }
  return out;
}

/** Envelope for {@link write835}: interchange options plus the GS codes and control numbers. */
export interface Envelope835 {
  readonly interchange: InterchangeOptions;
  readonly senderCode: string;
  readonly receiverCode: string;
  readonly groupControlNumber: number;
  /** ST02 of the first transaction set; the next ones count up from it. */
  readonly firstTransactionControlNumber?: number;
}

/**
 * Writes one interchange with one HP functional group holding the given 835s (ISA padded to 106 characters,
 * SE/GE/IEA counts computed).
 */
export function write835(remittances: readonly Remittance835[], envelope: Envelope835): string {
  const d = envelope.interchange.delimiters ?? DEFAULT_DELIMITERS;
  const first = envelope.firstTransactionControlNumber ?? 1;
  return writeInterchange(envelope.interchange, [
    {
      functionalId: 'HP',
      senderCode: envelope.senderCode,
      receiverCode: envelope.receiverCode,
      controlNumber: envelope.groupControlNumber,
      version: '005010X221A1',
      transactions: remittances.map((r, i) => ({
        type: '835',
        controlNumber: first + i,
        implementation: '005010X221A1',
        segments: write835Segments(r, d),
      })),
    },
  ]);
}
