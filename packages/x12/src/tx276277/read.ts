import type { ExternalCodeLists } from '../core/codelists.ts';
import {
  compact,
  opt,
  readRaw,
  type RawSegment,
  type ReadResult,
  withPositions,
  missingSegment,
} from '../core/common-segments.ts';
import { DiagnosticSink, type Diagnostic } from '../core/diagnostics.ts';
import type { TransactionSet } from '../core/envelope.ts';
import { readHierarchy, type HlLevelSpec, type HlNode } from '../core/hl.ts';
import { parseX12, streamTransactions, transactionsOf } from '../core/parse.ts';
import type { ChunkSource } from '../core/tokenizer.ts';
import { element, type Segment } from '../core/segment.ts';
import { checkSegment, N, S, type SegmentSpec } from '../core/spec.ts';
import { d8ToIso } from '../core/values.ts';
import { bhtLayout, GUIDE_276, GUIDE_277 } from './layouts.ts';
import { readStatusLevel, type StatusGuide, type StatusReadContext } from './level.ts';
import type {
  ClaimStatusHeader,
  ClaimStatusTransaction,
  StatusInformationReceiver,
  StatusInformationSource,
  StatusServiceProvider,
  StatusSubscriber,
} from './types.ts';

/** Options for the claim status readers. */
export interface ClaimStatusReadOptions {
  /** External lists checked when given: claim status category / status codes, entity identifiers. */
  readonly codeLists?: ExternalCodeLists;
}

/** The HL levels of the 276/277 (005010X212). */
export const CLAIM_STATUS_LEVELS: Readonly<Record<string, HlLevelSpec>> = {
  '20': { loop: '2000A', parents: [] },
  '21': { loop: '2000B', parents: ['20'] },
  '19': { loop: '2000C', parents: ['21'] },
  '22': { loop: '2000D', parents: ['19'] },
  '23': { loop: '2000E', parents: ['22'] },
};

const BHT_276 = bhtLayout('0010', ['13'], N);
const BHT_277 = bhtLayout('0010', ['08'], S('ID', 2, 2, ['DG'], 'transaction type code'));

/** Reads the BHT (and reports anything else before the first HL). */
export function readStatusHeader(
  segments: readonly Segment[],
  layout: SegmentSpec,
  st: Segment,
  sink: DiagnosticSink,
  other: RawSegment[],
): ClaimStatusHeader {
  let header: ClaimStatusHeader | undefined;
  for (const seg of segments) {
    if (seg.id === 'BHT' && header === undefined) {
      checkSegment(seg, layout, 'BHT', sink);
      header = compact<ClaimStatusHeader>({
        structureCode: element(seg, 1),
        purpose: element(seg, 2),
        referenceId: opt(seg, 3),
        date: d8ToIso(element(seg, 4)) ?? element(seg, 4),
        time: element(seg, 5),
        transactionType: opt(seg, 6),
      });
    } else {
      sink.at(seg, 'warning', 'unexpected-segment', `${seg.id} is not expected in the header`, {
        loop: 'HEADER',
        ik304: '2',
      });
      other.push(readRaw(seg));
    }
  }
  if (header === undefined) {
    sink.at(
      missingSegment(st, 'BHT'),
      'error',
      'required-segment',
      'the transaction requires a BHT segment',
      {
        loop: 'HEADER',
        ik304: '3',
      },
    );
    return { structureCode: '', purpose: '', date: '', time: '' };
  }
  return header;
}

/** Parses X12 text and reads every 276 and 277 (005010X212) transaction set in it. */
export function parseClaimStatus(
  text: string,
  options: ClaimStatusReadOptions = {},
): ReadResult<ClaimStatusTransaction[]> {
  const parsed = parseX12(text);
  const diagnostics: Diagnostic[] = [...parsed.diagnostics];
  const value: ClaimStatusTransaction[] = [];
  for (const tx of transactionsOf(parsed)) {
    if (!isClaimStatus(tx)) continue;
    const r = readClaimStatus(tx, options);
    value.push(r.value);
    diagnostics.push(...r.diagnostics);
  }
  return { value, diagnostics };
}

/** Whether a transaction set is a 276 or an X212 277 (a 277 with ST03/GS08 005010X214 is a 277CA). */
export function isClaimStatus(tx: TransactionSet): boolean {
  if (tx.transactionType === '276') return true;
  return tx.transactionType === '277' && !tx.implementation.includes('X214');
}

/** Reads one 276 or 277 transaction set into the typed model. */
export function readClaimStatus(
  tx: TransactionSet,
  options: ClaimStatusReadOptions = {},
): ReadResult<ClaimStatusTransaction> {
  const type = tx.transactionType === '277' ? '277' : '276';
  const sink = new DiagnosticSink();
  const ctx: StatusReadContext = { sink, codeLists: options.codeLists ?? {} };
  const guide: StatusGuide = type === '276' ? GUIDE_276 : GUIDE_277;
  const tree = readHierarchy(tx.segments, CLAIM_STATUS_LEVELS, sink);
  const other: RawSegment[] = [];
  const header = readStatusHeader(tree.header, type === '276' ? BHT_276 : BHT_277, tx.st, sink, other);
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
  const level = (n: HlNode) => readStatusLevel(n, guide, ctx);
  const sources = tree.roots.map((a): StatusInformationSource => ({
    ...level(a),
    receivers: a.children.map((b): StatusInformationReceiver => ({
      ...level(b),
      providers: b.children.map((c): StatusServiceProvider => ({
        ...level(c),
        subscribers: c.children.map((d): StatusSubscriber => ({
          ...level(d),
          dependents: d.children.map(level),
        })),
      })),
    })),
  }));
  return {
    value: { type, controlNumber: tx.controlNumber, header, sources, other },
    diagnostics: withPositions(sink.items, tx),
  };
}

/**
 * Reads the 276s and 277s of a chunked source one transaction set at a time (see `streamEligibility`).
 */
export async function* streamClaimStatus(
  source: ChunkSource,
  options: ClaimStatusReadOptions = {},
  envelopeDiagnostics: DiagnosticSink = new DiagnosticSink(),
): AsyncGenerator<ReadResult<ClaimStatusTransaction>> {
  for await (const tx of streamTransactions(source, envelopeDiagnostics)) {
    if (!isClaimStatus(tx)) continue;
    const r = readClaimStatus(tx, options);
    yield { value: r.value, diagnostics: [...tx.diagnostics, ...r.diagnostics] };
  }
}
