import { DiagnosticSink, type Diagnostic } from './diagnostics.ts';
import {
  EnvelopeReader,
  type EnvelopeEvent,
  type FunctionalGroup,
  type Interchange,
  type TransactionSet,
} from './envelope.ts';
import type { Segment } from './segment.ts';
import { Tokenizer, type ChunkSource } from './tokenizer.ts';

/** A whole X12 input read into its envelope structure. */
export interface ParsedX12 {
  readonly interchanges: Interchange[];
  /** Every finding: tokenizer, envelope (interchange, group and transaction level). */
  readonly diagnostics: Diagnostic[];
  readonly segmentCount: number;
}

function assemble(
  events: readonly EnvelopeEvent[],
  interchanges: Interchange[],
  state: { group?: FunctionalGroup | undefined },
): void {
  for (const e of events) {
    switch (e.kind) {
      case 'interchange-start':
        interchanges.push({ header: e.header, groups: [], iea: undefined, diagnostics: [] });
        break;
      case 'group-start': {
        const group: FunctionalGroup = { header: e.header, transactions: [], ge: undefined };
        interchanges[interchanges.length - 1]?.groups.push(group);
        state.group = group;
        break;
      }
      case 'transaction':
        if (state.group !== undefined) state.group.transactions.push(e.transaction);
        break;
      case 'group-end': {
        const ic = interchanges[interchanges.length - 1];
        const g = ic?.groups[ic.groups.length - 1];
        if (g !== undefined) (g as { ge: unknown }).ge = e.ge;
        state.group = undefined;
        break;
      }
      case 'interchange-end': {
        const ic = interchanges[interchanges.length - 1];
        if (ic !== undefined) {
          (ic as { iea: unknown }).iea = e.iea;
          ic.diagnostics.push(...e.diagnostics);
        }
        break;
      }
    }
  }
}

/** Reads a whole X12 text (any number of interchanges, groups and transaction sets). */
export function parseX12(text: string): ParsedX12 {
  const sink = new DiagnosticSink();
  const tokenizer = new Tokenizer(sink);
  const envelope = new EnvelopeReader(sink);
  const interchanges: Interchange[] = [];
  const state: { group?: FunctionalGroup | undefined } = {};
  let count = 0;
  const feed = (segs: ReturnType<Tokenizer['push']>): void => {
    for (const s of segs) {
      count++;
      assemble(envelope.accept(s), interchanges, state);
    }
  };
  feed(tokenizer.push(text));
  feed(tokenizer.end());
  assemble(envelope.finish(), interchanges, state);
  return { interchanges, diagnostics: collect(sink.items, interchanges), segmentCount: count };
}

function collect(top: readonly Diagnostic[], interchanges: readonly Interchange[]): Diagnostic[] {
  const all: Diagnostic[] = [...top];
  for (const ic of interchanges) {
    all.push(...ic.diagnostics);
    for (const g of ic.groups) for (const t of g.transactions) all.push(...t.diagnostics);
  }
  return all.sort((a, b) => (a.segmentIndex ?? -1) - (b.segmentIndex ?? -1));
}

/** Every transaction set of a parsed input, in order. */
export function transactionsOf(parsed: ParsedX12): TransactionSet[] {
  const out: TransactionSet[] = [];
  for (const ic of parsed.interchanges) for (const g of ic.groups) out.push(...g.transactions);
  return out;
}

/**
 * Streams transaction sets out of a chunked source without holding the file in memory. Tokenizer and
 * interchange/group findings go to `diagnostics`; each transaction carries its own envelope findings.
 */
export async function* streamTransactions(
  source: ChunkSource,
  diagnostics: DiagnosticSink = new DiagnosticSink(),
): AsyncGenerator<TransactionSet> {
  // Segments are handled synchronously chunk by chunk: an await per segment (an async generator of segments)
  // would cost more than tokenizing. Only completed transaction sets cross the async boundary.
  const tokenizer = new Tokenizer(diagnostics);
  const envelope = new EnvelopeReader(diagnostics);
  const decoder = new TextDecoder('utf-8');
  let ready: TransactionSet[] = [];
  const handle = (events: readonly EnvelopeEvent[]): void => {
    for (const e of events) {
      if (e.kind === 'transaction') ready.push(e.transaction);
      else if (e.kind === 'interchange-end') for (const d of e.diagnostics) diagnostics.add(d);
    }
  };
  const feed = (segs: readonly Segment[]): void => {
    for (const seg of segs) handle(envelope.accept(seg));
  };
  const flush = function* (): Generator<TransactionSet> {
    const out = ready;
    ready = [];
    yield* out;
  };
  for await (const chunk of source) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (text.length > 0) feed(tokenizer.push(text));
    if (ready.length > 0) yield* flush();
  }
  const rest = decoder.decode();
  if (rest.length > 0) feed(tokenizer.push(rest));
  feed(tokenizer.end());
  handle(envelope.finish());
  yield* flush();
}
