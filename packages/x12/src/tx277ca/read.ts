import type { ExternalCodeLists } from '../core/codelists.ts';
import { missingSegment, withPositions, type RawSegment, type ReadResult } from '../core/common-segments.ts';
import { DiagnosticSink, type Diagnostic } from '../core/diagnostics.ts';
import type { TransactionSet } from '../core/envelope.ts';
import { readHierarchy, type HlLevelSpec, type HlNode } from '../core/hl.ts';
import { parseX12, streamTransactions, transactionsOf } from '../core/parse.ts';
import type { ChunkSource } from '../core/tokenizer.ts';
import { readStatusLevel, type StatusReadContext } from '../tx276277/level.ts';
import { readStatusHeader } from '../tx276277/read.ts';
import { BHT_277CA, GUIDE_277CA } from './layouts.ts';
import type {
  AckBillingProvider,
  AckInformationReceiver,
  AckInformationSource,
  ClaimAcknowledgementTransaction,
} from './types.ts';

/** Options for the 277CA reader. */
export interface ClaimAckReadOptions {
  /** External lists checked when given: claim status category / status codes, entity identifiers. */
  readonly codeLists?: ExternalCodeLists;
}

/** The HL levels of the 277CA (005010X214): 2000D is the patient (HL03 PT) under the billing provider. */
export const CLAIM_ACK_LEVELS: Readonly<Record<string, HlLevelSpec>> = {
  '20': { loop: '2000A', parents: [] },
  '21': { loop: '2000B', parents: ['20'] },
  '19': { loop: '2000C', parents: ['21'] },
  PT: { loop: '2000D', parents: ['19'] },
};

/** Whether a transaction set is a 277CA (ST01 277 with ST03 or GS08 005010X214). */
export function isClaimAcknowledgement(tx: TransactionSet): boolean {
  return tx.transactionType === '277' && tx.implementation.includes('X214');
}

/** Parses X12 text and reads every 277CA transaction set in it. */
export function parseClaimAcknowledgement(
  text: string,
  options: ClaimAckReadOptions = {},
): ReadResult<ClaimAcknowledgementTransaction[]> {
  const parsed = parseX12(text);
  const diagnostics: Diagnostic[] = [...parsed.diagnostics];
  const value: ClaimAcknowledgementTransaction[] = [];
  for (const tx of transactionsOf(parsed)) {
    if (!isClaimAcknowledgement(tx)) continue;
    const r = readClaimAcknowledgement(tx, options);
    value.push(r.value);
    diagnostics.push(...r.diagnostics);
  }
  return { value, diagnostics };
}

/** Reads one 277CA transaction set into the typed model. */
export function readClaimAcknowledgement(
  tx: TransactionSet,
  options: ClaimAckReadOptions = {},
): ReadResult<ClaimAcknowledgementTransaction> {
  const sink = new DiagnosticSink();
  const ctx: StatusReadContext = { sink, codeLists: options.codeLists ?? {} };
  const tree = readHierarchy(tx.segments, CLAIM_ACK_LEVELS, sink);
  const other: RawSegment[] = [];
  const header = readStatusHeader(tree.header, BHT_277CA, tx.st, sink, other);
  if (tree.roots.length === 0) {
    sink.at(
      missingSegment(tx.st, 'HL'),
      'error',
      'required-segment',
      'loop 2000A (information source, HL*20) is required',
      {
        loop: '2000A',
        ik304: '3',
      },
    );
  }
  const level = (n: HlNode) => readStatusLevel(n, GUIDE_277CA, ctx);
  const sources = tree.roots.map((a): AckInformationSource => ({
    ...level(a),
    receivers: a.children.map((b): AckInformationReceiver => ({
      ...level(b),
      providers: b.children.map((c): AckBillingProvider => ({
        ...level(c),
        patients: c.children.map(level),
      })),
    })),
  }));
  return {
    value: { controlNumber: tx.controlNumber, header, sources, other },
    diagnostics: withPositions(sink.items, tx),
  };
}

/**
 * Reads the 277CAs of a chunked source one transaction set at a time (see `streamEligibility`).
 */
export async function* streamClaimAcknowledgement(
  source: ChunkSource,
  options: ClaimAckReadOptions = {},
  envelopeDiagnostics: DiagnosticSink = new DiagnosticSink(),
): AsyncGenerator<ReadResult<ClaimAcknowledgementTransaction>> {
  for await (const tx of streamTransactions(source, envelopeDiagnostics)) {
    if (!isClaimAcknowledgement(tx)) continue;
    const r = readClaimAcknowledgement(tx, options);
    yield { value: r.value, diagnostics: [...tx.diagnostics, ...r.diagnostics] };
  }
}
