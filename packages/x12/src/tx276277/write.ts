import { writeRaw } from '../core/common-segments.ts';
import { formatDiagnostic, hasErrors, type Diagnostic } from '../core/diagnostics.ts';
import { HlCounter } from '../core/hl.ts';
import { isoToD8 } from '../core/values.ts';
import { SegmentWriter, X12WriteError, writeInterchange, type InterchangeOptions } from '../core/writer.ts';
import { writeStatusLevel } from './level.ts';
import { parseClaimStatus } from './read.ts';
import type { ClaimStatusHeader, ClaimStatusTransaction } from './types.ts';

/** The 276/277 implementation guide id (ST03 / GS08). */
export const X212 = '005010X212';

/** BHT segment text for the claim status family. */
export function writeStatusHeader(w: SegmentWriter, h: ClaimStatusHeader): string {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(h.date) ? isoToD8(h.date) : h.date;
  return w.segment('BHT', h.structureCode, h.purpose, h.referenceId, date, h.time, h.transactionType);
}

/**
 * Writes the segments between ST and SE of a 276 or 277: HL ids numbered depth-first, HL04 as read or derived
 * from the children (omitted on 2000E, where the guide does not use it).
 */
export function writeClaimStatusSegments(
  tx: ClaimStatusTransaction,
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
        const cid = hl.open(w, out, bid, '19', c.hlChildCode ?? c.subscribers.length > 0);
        writeStatusLevel(w, c, out);
        for (const d of c.subscribers) {
          const did = hl.open(w, out, cid, '22', d.hlChildCode ?? d.dependents.length > 0);
          writeStatusLevel(w, d, out);
          for (const e of d.dependents) {
            hl.open(w, out, did, '23', e.hlChildCode);
            writeStatusLevel(w, e, out);
          }
        }
      }
    }
  }
  return out;
}

/** Envelope for a batch of 276s or 277s. */
export interface ClaimStatusEnvelope {
  readonly interchange: InterchangeOptions;
  readonly senderCode: string;
  readonly receiverCode: string;
  readonly groupControlNumber: number;
  readonly firstTransactionControlNumber?: number;
  /** Re-read the written text and refuse it when it has an error diagnostic (default true). */
  readonly validate?: boolean;
}

/** Throws X12WriteError naming the first error (location and element, never the value). */
export function refuseErrors(what: string, diagnostics: readonly Diagnostic[]): void {
  if (!hasErrors(diagnostics)) return;
  const first = diagnostics.find((d) => d.severity === 'error');
  throw new X12WriteError(
    `refusing to write a non-conforming ${what}: ${first === undefined ? '' : formatDiagnostic(first, 'output')}`,
  );
}

/** Writes 276s or 277s (all of one type) as one interchange, one group (GS01 HR / HN). */
export function writeClaimStatusInterchange(
  transactions: readonly ClaimStatusTransaction[],
  env: ClaimStatusEnvelope,
): string {
  const first = transactions[0];
  if (first === undefined)
    throw new X12WriteError('a claim status interchange needs at least one transaction');
  if (transactions.some((t) => t.type !== first.type)) {
    throw new X12WriteError('276s and 277s travel in separate functional groups');
  }
  const w = new SegmentWriter(env.interchange.delimiters);
  const start = env.firstTransactionControlNumber ?? 1;
  const text = writeInterchange(env.interchange, [
    {
      functionalId: first.type === '276' ? 'HR' : 'HN',
      senderCode: env.senderCode,
      receiverCode: env.receiverCode,
      controlNumber: env.groupControlNumber,
      version: X212,
      transactions: transactions.map((t, i) => ({
        type: t.type,
        controlNumber: start + i,
        segments: writeClaimStatusSegments(t, w),
      })),
    },
  ]);
  if (env.validate !== false) refuseErrors(first.type, parseClaimStatus(text).diagnostics);
  return text;
}
