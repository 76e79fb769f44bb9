import { delimiterProblem, ISA_LENGTH, type Delimiters } from './delimiters.ts';
import { DiagnosticSink } from './diagnostics.ts';
import type { Segment } from './segment.ts';

const CR = 13;
const LF = 10;
const SPACE = 32;
const TAB = 9;
const BOM = 0xfeff;

function isSkippable(code: number): boolean {
  return code === LF || code === CR || code === SPACE || code === TAB || code === BOM;
}

function isAlnum(ch: string | undefined): boolean {
  return ch !== undefined && /[A-Za-z0-9]/.test(ch);
}

/**
 * Incremental X12 tokenizer. Feed it text with {@link push} as it arrives (a whole file at once or chunks of
 * any size, down to one character) and call {@link end} at the end; it returns the same segments, with the
 * same positions, whatever the chunking.
 *
 * Delimiters come from each ISA (X12.5): the element separator is the character after "ISA", ISA11 is the
 * repetition separator, ISA16 the component separator and the character after ISA16 the segment terminator.
 * Tolerated: a UTF-8 BOM, whitespace before a segment (CR/LF after terminators, indentation), and files that
 * use a newline (or CR) as the terminator. Problems become diagnostics, never exceptions.
 */
export class Tokenizer {
  private buf = '';
  /** Offset of buf[0] in the whole input. */
  private base = 0;
  private line = 1;
  private index = 0;
  private delims: Delimiters | undefined;
  private ended = false;
  private fatal = false;
  readonly diagnostics: DiagnosticSink;

  constructor(diagnostics: DiagnosticSink = new DiagnosticSink()) {
    this.diagnostics = diagnostics;
  }

  /** Delimiters of the current interchange (undefined before the first ISA). */
  get delimiters(): Delimiters | undefined {
    return this.delims;
  }

  /** Adds text; returns the segments completed by it. */
  push(chunk: string): Segment[] {
    if (this.ended) throw new Error('Tokenizer.push after end()');
    this.buf = this.buf.length === 0 ? chunk : this.buf + chunk;
    return this.drain();
  }

  /** Marks the end of input; returns the remaining segments. */
  end(): Segment[] {
    this.ended = true;
    return this.drain();
  }

  private drain(): Segment[] {
    const out: Segment[] = [];
    const buf = this.buf;
    const n = buf.length;
    let pos = 0;
    while (!this.fatal) {
      // Skip BOM, line breaks and indentation between segments, counting lines.
      while (pos < n) {
        const c = buf.charCodeAt(pos);
        if (!isSkippable(c)) break;
        if (c === LF) this.line++;
        pos++;
      }
      if (pos >= n) break;

      // A new interchange: read its delimiters from the ISA.
      if (buf.startsWith('ISA', pos) || this.delims === undefined) {
        if (n - pos < 4 && !this.ended) break;
        if (!buf.startsWith('ISA', pos) || isAlnum(buf[pos + 3])) {
          if (this.delims === undefined) {
            const next = buf.indexOf('ISA', pos + 1);
            if (next < 0 && !this.ended) break; // keep waiting for an ISA
            this.diagnostics.add({
              // Text before the ISA (a cover note, a mail header) is skipped with a warning; no ISA at all is fatal.
              severity: next < 0 ? 'error' : 'warning',
              code: next < 0 ? 'no-isa' : 'text-before-isa',
              message:
                next < 0
                  ? 'input does not contain an ISA interchange header'
                  : 'text before the first ISA interchange header was skipped',
              offset: this.base + pos,
              line: this.line,
              loop: 'ISA',
            });
            if (next < 0) {
              this.fatal = true;
              pos = n;
              break;
            }
            for (let i = pos; i < next; i++) if (buf.charCodeAt(i) === LF) this.line++;
            pos = next;
            continue;
          }
        } else {
          const found = this.readIsaDelimiters(buf, pos);
          if (found === 'incomplete') {
            if (!this.ended) break;
            this.diagnostics.add({
              severity: 'error',
              code: 'isa-truncated',
              message: 'the input ends inside the ISA interchange header',
              offset: this.base + pos,
              line: this.line,
              loop: 'ISA',
              segmentId: 'ISA',
            });
            this.fatal = true;
            pos = n;
            break;
          }
          if ('problem' in found) {
            this.diagnostics.add({
              severity: 'error',
              code: 'isa-delimiters',
              message: `ISA delimiters are unusable: ${found.problem}`,
              offset: this.base + pos,
              line: this.line,
              loop: 'ISA',
              segmentId: 'ISA',
            });
            this.fatal = true;
            pos = n;
            break;
          }
          this.delims = found.delimiters;
          if (found.length !== ISA_LENGTH) {
            this.diagnostics.add({
              severity: 'error',
              code: 'isa-length',
              message: `ISA segment is ${found.length} characters long; it must be exactly ${ISA_LENGTH}`,
              offset: this.base + pos,
              line: this.line,
              segmentIndex: this.index,
              loop: 'ISA',
              segmentId: 'ISA',
            });
          }
        }
      }

      const d = this.delims;
      if (d === undefined) break;
      let end = buf.indexOf(d.segment, pos);
      let terminated = true;
      if (end < 0) {
        if (!this.ended) break;
        end = n;
        terminated = false;
      }
      let stop = end;
      // A segment may carry a CR before a newline terminator, or trailing line breaks when the terminator is
      // not a newline: they are not data.
      while (stop > pos && (buf.charCodeAt(stop - 1) === CR || buf.charCodeAt(stop - 1) === LF)) stop--;
      const raw = buf.slice(pos, stop);
      const elements = raw.split(d.element);
      const id = elements[0] ?? '';
      const seg: Segment = {
        id,
        elements,
        index: this.index,
        line: this.line,
        offset: this.base + pos,
        delimiters: d,
      };
      if (!/^[A-Z][A-Z0-9]{1,2}$/.test(id)) {
        this.diagnostics.add({
          severity: 'error',
          code: 'segment-id',
          message: 'segment identifier is not 2-3 uppercase letters or digits',
          segmentIndex: seg.index,
          line: seg.line,
          offset: seg.offset,
          ik304: '1',
        });
      }
      if (!terminated) {
        this.diagnostics.add({
          severity: 'error',
          code: 'missing-terminator',
          message: 'the input ends without a segment terminator',
          segmentIndex: seg.index,
          line: seg.line,
          offset: seg.offset,
          segmentId: id,
        });
      }
      out.push(seg);
      this.index++;
      // Count line breaks inside the segment (rare: a file wrapped at a fixed width, or a newline terminator).
      for (let i = raw.indexOf('\n'); i >= 0; i = raw.indexOf('\n', i + 1)) this.line++;
      for (let i = stop; i < end; i++) if (buf.charCodeAt(i) === LF) this.line++;
      if (terminated && d.segment === '\n') this.line++;
      pos = terminated ? end + 1 : end;
    }
    this.buf = pos >= n ? '' : buf.slice(pos);
    this.base += pos;
    return out;
  }

  /**
   * Reads the delimiters of the ISA starting at `pos`. Counts 16 element separators rather than trusting fixed
   * offsets, so a mis-padded ISA still tokenizes (and is reported by its length).
   */
  private readIsaDelimiters(
    buf: string,
    pos: number,
  ): { delimiters: Delimiters; length: number } | { problem: string } | 'incomplete' {
    const element = buf[pos + 3];
    if (element === undefined) return 'incomplete';
    // p walks the separators: the one before ISA01, then before ISA02, ... up to the one before ISA16.
    let p = pos + 3;
    for (let k = 1; k < 16; k++) {
      const next = buf.indexOf(element, p + 1);
      if (next < 0) return this.ended ? { problem: 'ISA has fewer than 16 elements' } : 'incomplete';
      // Guard against an ISA that runs into the next segments (no sensible ISA is this long).
      if (next - pos > 200) return { problem: 'ISA has fewer than 16 elements' };
      p = next;
    }
    // p is the separator before ISA16; ISA16 is one character, then the terminator.
    const component = buf[p + 1];
    const segment = buf[p + 2];
    if (component === undefined || segment === undefined) return 'incomplete';
    const isa11Start = this.nthSeparator(buf, pos, element, 11);
    const repetition = isa11Start < 0 ? undefined : buf[isa11Start + 1];
    if (repetition === undefined) return 'incomplete';
    const d: Delimiters = { element, repetition, component, segment };
    const problem = delimiterProblem(
      // ISA11 is 'U' (no repetition separator) in pre-5010 files; treat it as absent rather than fail.
      isAlnum(repetition) ? { ...d, repetition: '\u0000' } : d,
    );
    if (problem !== undefined) return { problem };
    return { delimiters: isAlnum(repetition) ? { ...d, repetition: '\u0000' } : d, length: p + 3 - pos };
  }

  private nthSeparator(buf: string, pos: number, sep: string, nth: number): number {
    let p = pos + 3;
    for (let k = 1; k < nth; k++) {
      p = buf.indexOf(sep, p + 1);
      if (p < 0) return -1;
    }
    return p;
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
