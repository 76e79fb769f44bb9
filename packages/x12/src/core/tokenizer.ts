import type { Delimiters } from './delimiters.ts';
import { DiagnosticSink } from './diagnostics.ts';
import { Scanner, type SegmentHandler } from './scan.ts';
import type { Segment } from './segment.ts';
import type { SegmentView } from './view.ts';

/**
 * Incremental X12 tokenizer. Feed it text with {@link push} as it arrives (a whole file at once or chunks of
 * any size, down to one character) and call {@link end} at the end; it returns the same segments, with the
 * same positions, whatever the chunking.
 *
 * Delimiters come from each ISA (X12.5): the element separator is the character after "ISA", ISA11 is the
 * repetition separator, ISA16 the component separator and the character after ISA16 the segment terminator.
 * Tolerated: a UTF-8 BOM, whitespace before a segment (CR/LF after terminators, indentation), and files that
 * use a newline (or CR) as the terminator. Problems become diagnostics, never exceptions.
 *
 * The segments come from the {@link Scanner}; readers that need speed more than `Segment` objects take its
 * views directly (the 835 reader does).
 */
export class Tokenizer implements SegmentHandler {
  private readonly scanner: Scanner;
  private out: Segment[] = [];
  readonly diagnostics: DiagnosticSink;

  constructor(diagnostics: DiagnosticSink = new DiagnosticSink()) {
    this.diagnostics = diagnostics;
    this.scanner = new Scanner(diagnostics, this);
  }

  /** Delimiters of the current interchange (undefined before the first ISA). */
  get delimiters(): Delimiters | undefined {
    return this.scanner.delimiters;
  }

  /** @internal Receives the scanner's segments. */
  segment(view: SegmentView): void {
    this.out.push(view.toSegment());
  }

  /** Adds text; returns the segments completed by it. */
  push(chunk: string): Segment[] {
    this.scanner.push(chunk);
    return this.take();
  }

  /** Marks the end of input; returns the remaining segments. */
  end(): Segment[] {
    this.scanner.end();
    return this.take();
  }

  private take(): Segment[] {
    const out = this.out;
    this.out = [];
    return out;
  }
}

/** Tokenizes a whole string. */
export function tokenize(text: string, diagnostics: DiagnosticSink = new DiagnosticSink()): Segment[] {
  const t = new Tokenizer(diagnostics);
  const out = t.push(text);
  for (const s of t.end()) out.push(s);
  return out;
}

/** A source of text chunks: strings, Buffers / Uint8Arrays (decoded as UTF-8), or a Node readable. */
export type ChunkSource = AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;

/** Tokenizes a stream; memory stays bounded by the longest segment, not the file. */
export async function* tokenizeStream(
  source: ChunkSource,
  diagnostics: DiagnosticSink = new DiagnosticSink(),
): AsyncGenerator<Segment> {
  const t = new Tokenizer(diagnostics);
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of source) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (text.length > 0) yield* t.push(text);
  }
  const rest = decoder.decode();
  if (rest.length > 0) yield* t.push(rest);
  yield* t.end();
}
