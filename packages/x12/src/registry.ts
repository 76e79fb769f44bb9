/**
 * Which typed reader handles which transaction set. The CLI and other generic callers dispatch through here:
 * `readX12(text)` reads every interchange, group and transaction set of an input and hands each set to the
 * reader registered for its ST01 and implementation guide (ST03, or GS08 when ST03 is absent).
 *
 * Each transaction module registers itself below with one `registerReader` call.
 */
import type { ExternalCodeLists } from './core/codelists.ts';
import { DiagnosticSink, type Diagnostic } from './core/diagnostics.ts';
import { EnvelopeReader, type Interchange, type TransactionSet } from './core/envelope.ts';
import type { Segment } from './core/segment.ts';
import { Tokenizer } from './core/tokenizer.ts';
import { readTa1Segment, type Ta1 } from './ta1/ta1.ts';
import { read835 } from './tx835/reader.ts';
import { read999 } from './tx999/reader.ts';
import { read837PTransaction } from './tx837p/read.ts';
import { ELIGIBILITY_READERS } from './tx270271/readers.ts';
import { CLAIM_STATUS_READERS } from './tx276277/readers.ts';
import { CLAIM_ACK_READERS } from './tx277ca/readers.ts';

/** Options every registered reader accepts. */
export interface ReaderOptions {
  readonly codeLists?: ExternalCodeLists;
}

/** A typed reader for one transaction set type (and optionally only some implementation guides). */
export interface TransactionReader {
  /** Short name for messages and JSON, e.g. '835' or '837P'. */
  readonly name: string;
  /** ST01 it reads, e.g. '835'. */
  readonly transactionType: string;
  /**
   * Implementation guide ids (ST03 / GS08) it reads, matched as prefixes ('005010X221' matches
   * '005010X221A1'); undefined reads any implementation of the type.
   */
  readonly implementations?: readonly string[];
  read(
    tx: TransactionSet,
    options: ReaderOptions,
  ): { readonly value: unknown; readonly diagnostics: Diagnostic[] };
}

const readers: TransactionReader[] = [];

/** Registers a reader; later registrations win over earlier ones for the same match. */
export function registerReader(reader: TransactionReader): void {
  readers.unshift(reader);
}

/** The registered readers, most recently registered first. */
export function registeredReaders(): readonly TransactionReader[] {
  return readers;
}

/** The reader for a transaction set: same ST01, and an implementation match when the reader names some. */
export function readerFor(tx: TransactionSet): TransactionReader | undefined {
  let fallback: TransactionReader | undefined;
  for (const r of readers) {
    if (r.transactionType !== tx.transactionType) continue;
    if (r.implementations === undefined) {
      fallback ??= r;
      continue;
    }
    if (r.implementations.some((i) => tx.implementation.startsWith(i))) return r;
  }
  return fallback;
}

/** One transaction set as read: its envelope identity, the typed value (when a reader exists) and findings. */
export interface ReadTransaction {
  readonly transactionType: string;
  readonly implementation: string;
  readonly controlNumber: string;
  /** Name of the reader used, or undefined when no reader is registered for the set. */
  readonly reader?: string;
  readonly value?: unknown;
  readonly diagnostics: Diagnostic[];
}

/** Everything in an X12 input. */
export interface ReadX12Result {
  readonly transactions: ReadTransaction[];
  /** TA1 interchange acknowledgments found in the input. */
  readonly ta1: Ta1[];
  readonly interchanges: Interchange['header'][];
  /** Every finding (tokenizer, envelope, and each transaction's), in input order. */
  readonly diagnostics: Diagnostic[];
  readonly segmentCount: number;
}

/** Tokenizer findings after which nothing in the input could be read as X12. */
export const FATAL_CODES: ReadonlySet<string> = new Set(['no-isa', 'isa-delimiters', 'isa-truncated']);

/**
 * Reads a whole X12 text: envelope checks, TA1 segments, and every transaction set through its registered
 * reader. Sets without a reader are reported with an `info` diagnostic `no-reader` and no value.
 */
export function readX12(text: string, options: ReaderOptions = {}): ReadX12Result {
  const sink = new DiagnosticSink();
  const tokenizer = new Tokenizer(sink);
  const envelope = new EnvelopeReader(sink);
  const transactions: ReadTransaction[] = [];
  const ta1: Ta1[] = [];
  const interchanges: Interchange['header'][] = [];
  const diagnostics: Diagnostic[] = [];
  let segmentCount = 0;
  const feed = (segs: readonly Segment[]): void => {
    for (const seg of segs) {
      segmentCount++;
      // TA1 sits directly inside the interchange (no GS/ST): read it here rather than call it misplaced.
      if (seg.id === 'TA1') {
        ta1.push(readTa1Segment(seg, sink));
        continue;
      }
      handle(envelope.accept(seg));
    }
  };
  const handle = (events: ReturnType<EnvelopeReader['accept']>): void => {
    for (const e of events) {
      if (e.kind === 'interchange-start') interchanges.push(e.header);
      else if (e.kind === 'interchange-end') diagnostics.push(...e.diagnostics);
      else if (e.kind === 'transaction') {
        const tx = e.transaction;
        const reader = readerFor(tx);
        const base = {
          transactionType: tx.transactionType,
          implementation: tx.implementation,
          controlNumber: tx.controlNumber,
        };
        if (reader === undefined) {
          const note: Diagnostic = {
            severity: 'info',
            code: 'no-reader',
            message: `no typed reader is registered for transaction set ${tx.transactionType} (${tx.implementation || 'no implementation id'})`,
            segmentIndex: tx.st.index,
            line: tx.st.line,
            offset: tx.st.offset,
            segmentId: 'ST',
            loop: 'ST',
          };
          const txDiagnostics = [...tx.diagnostics, note];
          transactions.push({ ...base, diagnostics: txDiagnostics });
          diagnostics.push(...txDiagnostics);
          continue;
        }
        const r = reader.read(tx, options);
        transactions.push({ ...base, reader: reader.name, value: r.value, diagnostics: r.diagnostics });
        diagnostics.push(...r.diagnostics);
      }
    }
  };
  feed(tokenizer.push(text));
  feed(tokenizer.end());
  handle(envelope.finish());
  diagnostics.push(...sink.items);
  diagnostics.sort((a, b) => (a.segmentIndex ?? -1) - (b.segmentIndex ?? -1));
  return { transactions, ta1, interchanges, diagnostics, segmentCount };
}

// ---- registrations ---------------------------------------------------------------------------------------

registerReader({
  name: '835',
  transactionType: '835',
  read: (tx, options) => read835(tx, options.codeLists === undefined ? {} : { codeLists: options.codeLists }),
});

registerReader({ name: '999', transactionType: '999', read: (tx) => read999(tx) });

registerReader({
  name: '837P',
  transactionType: '837',
  implementations: ['005010X222'],
  read: (tx, options) => {
    const r = read837PTransaction(
      tx,
      options.codeLists === undefined ? {} : { codeLists: options.codeLists },
    );
    return { value: r.value, diagnostics: [...r.diagnostics] };
  },
});

for (const r of [...ELIGIBILITY_READERS, ...CLAIM_STATUS_READERS, ...CLAIM_ACK_READERS]) registerReader(r);
