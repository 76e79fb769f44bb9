import { DEFAULT_DELIMITERS, type Delimiters } from '../core/delimiters.ts';
import { SegmentWriter, X12WriteError, writeInterchange, type InterchangeOptions } from '../core/writer.ts';
import { IK304_CODES, IK403_CODES } from '../core/diagnostics.ts';
import { AK901_CODES, IK501_CODES } from './reader.ts';
import type { Ack999, Context, ElementPosition } from './types.ts';

const pos = (p: ElementPosition | undefined): (string | undefined)[] | undefined =>
  p === undefined
    ? undefined
    : [
        String(p.element),
        p.component === undefined ? undefined : String(p.component),
        p.repetition === undefined ? undefined : String(p.repetition),
      ];

function check(value: string, codes: readonly string[], where: string): void {
  if (!codes.includes(value)) throw new X12WriteError(`${where} is not a valid code`);
}

/** Writes the segments of one 999 between ST and SE (without terminators). Throws X12WriteError on invalid codes. */
export function write999Segments(ack: Ack999, delimiters: Delimiters = DEFAULT_DELIMITERS): string[] {
  const w = new SegmentWriter(delimiters);
  const out: string[] = [];
  const ctx = (c: Context): void => {
    out.push(
      w.segment(
        'CTX',
        [c.name, c.reference],
        c.segmentId,
        c.segmentPosition === undefined ? undefined : String(c.segmentPosition),
        c.loop,
        pos(c.elementPosition),
        c.elementReference,
      ),
    );
  };
  out.push(w.segment('AK1', ack.functionalId, ack.groupControlNumber, ack.groupVersion));
  for (const t of ack.transactions) {
    out.push(w.segment('AK2', t.transactionType, t.controlNumber, t.implementation));
    for (const s of t.segmentErrors) {
      if (s.code !== undefined) check(s.code, IK304_CODES, 'IK304');
      out.push(w.segment('IK3', s.segmentId, String(s.position), s.loop, s.code));
      for (const c of s.contexts) ctx(c);
      for (const e of s.elementErrors) {
        check(e.code, IK403_CODES, 'IK403');
        out.push(w.segment('IK4', pos(e.position), e.referenceNumber, e.code, e.badValue));
        for (const c of e.contexts) ctx(c);
      }
    }
    check(t.status, IK501_CODES, 'IK501');
    if (t.errorCodes.length > 5) throw new X12WriteError('IK5 carries at most five error codes');
    out.push(w.segment('IK5', t.status, ...t.errorCodes));
  }
  check(ack.status, AK901_CODES, 'AK901');
  if (ack.errorCodes.length > 5) throw new X12WriteError('AK9 carries at most five error codes');
  out.push(
    w.segment(
      'AK9',
      ack.status,
      String(ack.included),
      String(ack.received),
      String(ack.accepted),
      ...ack.errorCodes,
    ),
  );
  return out;
}

/** Envelope for {@link write999}. */
export interface Envelope999 {
  readonly interchange: InterchangeOptions;
  readonly senderCode: string;
  readonly receiverCode: string;
  readonly groupControlNumber: number;
  readonly firstTransactionControlNumber?: number;
}

/** Writes one interchange with one FA functional group holding the given 999s. */
export function write999(acks: readonly Ack999[], envelope: Envelope999): string {
  const d = envelope.interchange.delimiters ?? DEFAULT_DELIMITERS;
  const first = envelope.firstTransactionControlNumber ?? 1;
  return writeInterchange(envelope.interchange, [
    {
      functionalId: 'FA',
      senderCode: envelope.senderCode,
      receiverCode: envelope.receiverCode,
      controlNumber: envelope.groupControlNumber,
      version: '005010X231A1',
      transactions: acks.map((a, i) => ({
        type: '999',
        controlNumber: first + i,
        implementation: '005010X231A1',
        segments: write999Segments(a, d),
      })),
    },
  ]);
}
