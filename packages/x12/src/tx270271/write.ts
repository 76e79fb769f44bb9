import {
  procedureComposite,
  writeAddress,
  writeAmt,
  writeDmg,
  writeDtp,
  writeNm1,
  writePer,
  writePrv,
  writeRaw,
  writeRef,
  writeTrn,
} from '../core/common-segments.ts';
import { HlCounter } from '../core/hl.ts';
import { hasErrors, formatDiagnostic } from '../core/diagnostics.ts';
import { isoToD8, formatAmount, formatQuantityMilli } from '../core/values.ts';
import { SegmentWriter, X12WriteError, writeInterchange, type InterchangeOptions } from '../core/writer.ts';
import { formatBasisPoints, parseEligibility } from './read.ts';
import type {
  BenefitInformation,
  EligibilityInquiry,
  EligibilityMember,
  EligibilityTransaction,
  RequestValidation,
} from './types.ts';

/** The 270/271 implementation guide id (ST03 / GS08). */
export const X279A1 = '005010X279A1';

function aaa(w: SegmentWriter, v: RequestValidation): string {
  return w.segment('AAA', v.valid ? 'Y' : 'N', undefined, v.rejectReason, v.followUpAction);
}

function eq(w: SegmentWriter, q: EligibilityInquiry, out: string[]): void {
  out.push(
    w.segment(
      'EQ',
      { repeat: q.serviceTypes },
      q.procedure === undefined ? undefined : procedureComposite(q.procedure),
      q.coverageLevel,
      undefined,
      q.diagnosisPointers,
    ),
  );
  for (const a of q.amounts) out.push(writeAmt(w, a));
  for (const r of q.additionalInformation) out.push(writeRaw(w, r));
  for (const r of q.references) out.push(writeRef(w, r));
  for (const d of q.dates) out.push(writeDtp(w, d));
  for (const r of q.other) out.push(writeRaw(w, r));
}

function eb(w: SegmentWriter, b: BenefitInformation, out: string[]): void {
  out.push(
    w.segment(
      'EB',
      b.code,
      b.coverageLevel,
      { repeat: b.serviceTypes },
      b.insuranceType,
      b.planDescription,
      b.timePeriod,
      b.amountCents === undefined ? undefined : formatAmount(b.amountCents),
      b.percentBasisPoints === undefined ? undefined : formatBasisPoints(b.percentBasisPoints),
      b.quantityQualifier,
      b.quantityMilli === undefined ? undefined : formatQuantityMilli(b.quantityMilli),
      b.authorizationRequired,
      b.inPlanNetwork,
      b.procedure === undefined ? undefined : procedureComposite(b.procedure),
      b.diagnosisPointers,
    ),
  );
  for (const r of b.serviceDeliveries) out.push(writeRaw(w, r));
  for (const r of b.references) out.push(writeRef(w, r));
  for (const d of b.dates) out.push(writeDtp(w, d));
  for (const v of b.validations) out.push(aaa(w, v));
  for (const m of b.messages) out.push(w.segment('MSG', m));
  for (const r of b.additionalInformation) out.push(writeRaw(w, r));
  for (const r of b.other) out.push(writeRaw(w, r));
  if (b.relatedEntities.length > 0) {
    out.push(w.segment('LS', '2120'));
    for (const e of b.relatedEntities) {
      out.push(writeNm1(w, e.name));
      if (e.address !== undefined) writeAddress(w, e.address, out);
      for (const c of e.contacts) out.push(writePer(w, c));
      if (e.provider !== undefined) out.push(writePrv(w, e.provider));
      for (const r of e.other) out.push(writeRaw(w, r));
    }
    out.push(w.segment('LE', '2120'));
  }
}

function member(
  w: SegmentWriter,
  m: EligibilityMember,
  parentId: string,
  hl: HlCounter,
  out: string[],
): void {
  const id = hl.open(
    w,
    out,
    parentId,
    m.loop === '2000C' ? '22' : '23',
    m.hlChildCode ?? m.dependents.length > 0,
  );
  for (const t of m.traces) out.push(writeTrn(w, t));
  out.push(writeNm1(w, m.name));
  for (const r of m.references) out.push(writeRef(w, r));
  if (m.address !== undefined) writeAddress(w, m.address, out);
  for (const v of m.validations) out.push(aaa(w, v));
  if (m.provider !== undefined) out.push(writePrv(w, m.provider));
  if (m.demographics !== undefined) out.push(writeDmg(w, m.demographics));
  if (m.relationship !== undefined) {
    const r = m.relationship;
    const els: (string | undefined)[] = [r.insured, r.relationship, r.maintenanceType, r.maintenanceReason];
    if (r.birthSequence !== undefined) {
      while (els.length < 16) els.push(undefined);
      els.push(r.birthSequence);
    }
    out.push(w.segment('INS', ...els));
  }
  if (m.diagnoses.length > 0) out.push(w.segment('HI', ...m.diagnoses.map((d) => [d.qualifier, d.code])));
  for (const d of m.dates) out.push(writeDtp(w, d));
  if (m.militaryPersonnel !== undefined) out.push(writeRaw(w, m.militaryPersonnel));
  for (const r of m.other) out.push(writeRaw(w, r));
  for (const q of m.inquiries) eq(w, q, out);
  for (const b of m.benefits) eb(w, b, out);
  for (const d of m.dependents) member(w, d, id, hl, out);
}

/** Writes the segments between ST and SE of a 270 or 271 (HL ids numbered depth-first, HL04 computed). */
export function writeEligibilitySegments(
  tx: EligibilityTransaction,
  w: SegmentWriter = new SegmentWriter(),
): string[] {
  const out: string[] = [];
  const h = tx.header;
  out.push(
    w.segment(
      'BHT',
      h.structureCode,
      h.purpose,
      h.referenceId,
      /^\d{4}-\d{2}-\d{2}$/.test(h.date) ? isoToD8(h.date) : h.date,
      h.time,
      h.transactionType,
    ),
  );
  for (const r of tx.other) out.push(writeRaw(w, r));
  const hl = new HlCounter();
  for (const s of tx.sources) {
    const sid = hl.open(w, out, undefined, '20', s.hlChildCode ?? s.receivers.length > 0);
    for (const v of s.levelValidations) out.push(aaa(w, v));
    out.push(writeNm1(w, s.name));
    for (const c of s.contacts) out.push(writePer(w, c));
    for (const v of s.validations) out.push(aaa(w, v));
    for (const r of s.other) out.push(writeRaw(w, r));
    for (const r of s.receivers) {
      const rid = hl.open(w, out, sid, '21', r.hlChildCode ?? r.subscribers.length > 0);
      out.push(writeNm1(w, r.name));
      for (const ref of r.references) out.push(writeRef(w, ref));
      if (r.address !== undefined) writeAddress(w, r.address, out);
      for (const v of r.validations) out.push(aaa(w, v));
      if (r.provider !== undefined) out.push(writePrv(w, r.provider));
      for (const o of r.other) out.push(writeRaw(w, o));
      for (const m of r.subscribers) member(w, m, rid, hl, out);
    }
  }
  return out;
}

/** Envelope for a batch of 270s or 271s. */
export interface EligibilityEnvelope {
  readonly interchange: InterchangeOptions;
  /** GS02 / GS03 application sender and receiver codes. */
  readonly senderCode: string;
  readonly receiverCode: string;
  readonly groupControlNumber: number;
  /** ST02 of the first transaction; the following ones count up. */
  readonly firstTransactionControlNumber?: number;
  /**
   * Re-read the written text and refuse (X12WriteError) when it has an error diagnostic. On by default: a
   * writer never hands over a file it knows to be non-conforming.
   */
  readonly validate?: boolean;
}

/**
 * Writes 270s or 271s (all of one type) as one interchange with one functional group (GS01 HS for 270, HB for
 * 271), one transaction set each.
 */
export function writeEligibilityInterchange(
  transactions: readonly EligibilityTransaction[],
  env: EligibilityEnvelope,
): string {
  const first = transactions[0];
  if (first === undefined)
    throw new X12WriteError('an eligibility interchange needs at least one transaction');
  if (transactions.some((t) => t.type !== first.type)) {
    throw new X12WriteError('270s and 271s travel in separate functional groups');
  }
  const w = new SegmentWriter(env.interchange.delimiters);
  const start = env.firstTransactionControlNumber ?? 1;
  const text = writeInterchange(env.interchange, [
    {
      functionalId: first.type === '270' ? 'HS' : 'HB',
      senderCode: env.senderCode,
      receiverCode: env.receiverCode,
      controlNumber: env.groupControlNumber,
      version: X279A1,
      transactions: transactions.map((t, i) => ({
        type: t.type,
        controlNumber: start + i,
        segments: writeEligibilitySegments(t, w),
      })),
    },
  ]);
  if (env.validate !== false) {
    const check = parseEligibility(text);
    if (hasErrors(check.diagnostics)) {
      const first = check.diagnostics.find((d) => d.severity === 'error');
      throw new X12WriteError(
        `refusing to write a non-conforming ${first === undefined ? '' : formatDiagnostic(first, first.segmentId ?? '')}`,
      );
    }
  }
  return text;
}
