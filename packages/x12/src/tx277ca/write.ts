import { writeRaw } from '../core/common-segments.ts';
import { HlCounter } from '../core/hl.ts';
import { SegmentWriter, X12WriteError, writeInterchange } from '../core/writer.ts';
import { writeStatusLevel } from '../tx276277/level.ts';
import { refuseErrors, writeStatusHeader, type ClaimStatusEnvelope } from '../tx276277/write.ts';
import { parseClaimAcknowledgement } from './read.ts';
import type { ClaimAcknowledgementTransaction } from './types.ts';

/** The 277CA implementation guide id (ST03 / GS08). */
export const X214 = '005010X214';

/**
 * Writes the segments between ST and SE of a 277CA: HL ids numbered depth-first, HL04 as read or derived
 * from the children (not used on the 2000D patient level).
 */
export function writeClaimAcknowledgementSegments(
  tx: ClaimAcknowledgementTransaction,
  w: SegmentWriter = new SegmentWriter(),
): string[] {
  const out: string[] = [writeStatusHeader(w, tx.header)];
  for (const r of tx.other) out.push(writeRaw(w, r));
  const hl = new HlCounter();
  for (const a of tx.sources) {
    const aid = hl.open(w, out, undefined, '20', a.hlChildCode ?? a.receivers.length > 0);
    writeStatusLevel(w, a, out);
    for (const b of a.receivers) {
      const bid = hl.open(w, out, aid, '21', b.hlChildCode ?? b.providers.length > 0);
      writeStatusLevel(w, b, out);
      for (const c of b.providers) {
        const cid = hl.open(w, out, bid, '19', c.hlChildCode ?? c.patients.length > 0);
        writeStatusLevel(w, c, out);
        for (const d of c.patients) {
          hl.open(w, out, cid, 'PT', d.hlChildCode);
          writeStatusLevel(w, d, out);
        }
      }
    }
  }
  return out;
}

/** Writes 277CAs as one interchange, one group (GS01 HN, GS08 005010X214), validated before return. */
export function writeClaimAcknowledgementInterchange(
  transactions: readonly ClaimAcknowledgementTransaction[],
  env: ClaimStatusEnvelope,
): string {
  if (transactions.length === 0)
    throw new X12WriteError('a 277CA interchange needs at least one transaction');
  const w = new SegmentWriter(env.interchange.delimiters);
  const start = env.firstTransactionControlNumber ?? 1;
  const text = writeInterchange(env.interchange, [
    {
      functionalId: 'HN',
      senderCode: env.senderCode,
      receiverCode: env.receiverCode,
      controlNumber: env.groupControlNumber,
      version: X214,
      transactions: transactions.map((t, i) => ({
        type: '277',
        controlNumber: start + i,
        segments: writeClaimAcknowledgementSegments(t, w),
      })),
    },
  ]);
  if (env.validate !== false) refuseErrors('277CA', parseClaimAcknowledgement(text).diagnostics);
  return text;
}
