import { delimiterProblem, ISA_LENGTH, type Delimiters } from './delimiters.ts';
import type { DiagnosticSink } from './diagnostics.ts';
import { codesOf, NO_CODES, type Codes } from './codes.ts';
import { idCode, SegmentView } from './view.ts';

const CR = 13;
const LF = 10;
const SPACE = 32;
const TAB = 9;
const BOM = 0xfeff;
const DIGIT_0 = 48;
const CAPITAL_Z = 90;

function isAlnumCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isAlnum(ch: string | undefined): boolean {
  return ch !== undefined && ch.length === 1 && isAlnumCode(ch.charCodeAt(0));
}

/** Receives each segment the {@link Scanner} finds, as a view that is only valid during the call. */
export interface SegmentHandler {
  segment(view: SegmentView): void;
}

/**
 * Incremental X12 scanner: the one place that finds segments and elements. Text goes in with {@link push}
 * (a whole file or chunks of any size, down to one character) and {@link end}; each complete segment is handed
 * to the handler as a {@link SegmentView} (offsets into the text, no element strings), with the same positions
 * whatever the chunking. One pass over the characters finds the terminator, the element separators and the
 * line breaks of a segment.
 *
 * Delimiters come from each ISA (X12.5): the element separator is the character after "ISA", ISA11 is the
 * repetition separator, ISA16 the component separator and the character after ISA16 the segment terminator.
 * Tolerated: a UTF-8 BOM, whitespace before a segment (CR/LF after terminators, indentation), and files that
 * use a newline (or CR) as the terminator. Problems become diagnostics, never exceptions.
 */
export class Scanner {
  private buf = '';
  /**
   * The character codes of {@link buf} (codes.ts): the separators are found in them, and the views hand them to the
   * value conversions.
   */
  private codes: Codes = NO_CODES;
  /** Where in buf scanning resumes (buf may be a whole chunk whose first segment was already read). */
  private start = 0;
  /** Offset of buf[0] in the whole input, in characters (UTF-16 code units). */
  private base = 0;
  /**
   * UTF-8 bytes beyond one per character in the input before buf[0]: offsets are reported in bytes, base + this +
   * those of buf before the position (see {@link offsetAt}). Zero while the input is ASCII.
   */
  private baseExtra = 0;
  /** The extra bytes of buf[0, extraAt) are extraCount: where {@link offsetAt} counts on from. */
  private extraAt = 0;
  private extraCount = 0;
  private line = 1;
  private index = 0;
  private delims: Delimiters | undefined;
  private elementCode = -1;
  private segmentCode = -1;
  private componentCode = -1;
  /**
   * The range `[plainLow, plainLow + plainSpan]` of character codes that are neither a separator, the terminator,
   * LF nor CR, around the digits and capitals (empty when a delimiter falls among them); see {@link plainRange}.
   */
  private plainLow = 0;
  /**
   * Length of the last ISA read, terminator included. Not returned with its delimiters in a new object: drain
   * then depended on that object's field types, and lost its optimized code when they changed (seen when a
   * later input was read).
   */
  private isaLength = 0;
  private plainSpan = -1;
  private ended = false;
  private fatal = false;
  /** Offset and line where text before the first ISA began, while it is being skipped (-1: none). */
  private skipOffset = -1;
  private skipLine = 0;
  private readonly view = new SegmentView();
  /** Asked by the handler ({@link pause}) during a segment; honoured after it. */
  private pauseAsked = false;
  /** Stopped by a pause with text left to read (see {@link resume}). */
  private holding = false;
  /** Pauses are not honoured while a segment continued from the previous chunk is joined (see push). */
  private joining = false;

  constructor(
    readonly diagnostics: DiagnosticSink,
    private readonly handler: SegmentHandler,
  ) {}

  /** Delimiters of the current interchange (undefined before the first ISA). */
  get delimiters(): Delimiters | undefined {
    return this.delims;
  }

  /**
   * Asked by the handler while it handles a segment: stop after this segment and keep the rest of the text, so the
   * caller can hand over what the handler produced so far before {@link resume}. Scanning then goes on exactly as
   * if it had not stopped (same segments, positions and findings).
   */
  pause(): void {
    this.pauseAsked = true;
  }

  /** Whether scanning stopped at a {@link pause} with text left to read. */
  get paused(): boolean {
    return this.holding;
  }

  /** Goes on after a {@link pause} (until the text is read or the handler pauses again). */
  resume(): void {
    if (this.holding) this.drain();
  }

  /**
   * Adds text; the segments it completes go to the handler before this returns (or before a pause). `ascii`, when
   * given, must be the same text as bytes, one per character (`ascii[i] === chunk.charCodeAt(i)`, as for ASCII
   * bytes and the string decoded from them), and saves copying the text to its character codes. The segments,
   * positions and findings are the same either way.
   */
  push(chunk: string, ascii?: Uint8Array): void {
    if (this.ended) throw new Error('Tokenizer.push after end()');
    if (this.holding) throw new Error('Scanner.push while paused: resume() until paused is false');
    if (ascii !== undefined && ascii.length !== chunk.length)
      throw new Error('Scanner.push: bytes and text differ');
    // After a fatal finding nothing more is read: do not keep the rest of a stream in memory.
    if (this.fatal) return;
    if (this.buf.length === 0) {
      this.buf = chunk;
      this.codes = ascii ?? codesOf(chunk);
      this.extraAt = this.extraCount = 0;
      this.drain();
      return;
    }
    // A segment continues from the previous chunk. Joining the whole chunk to it would copy the chunk; join
    // only up to the chunk's first terminator, then scan the chunk in place from there. Splitting the input
    // anywhere gives the same segments (the scanner waits at incomplete ones), so this is only cheaper.
    const d = this.delims;
    const t = d === undefined || chunk.length < 1024 ? -1 : chunk.indexOf(d.segment);
    if (t < 0) {
      this.buf += chunk;
      this.codes = codesOf(this.buf);
      this.drain();
      return;
    }
    this.buf += chunk.slice(0, t + 1);
    this.codes = codesOf(this.buf);
    // No pause in the joined text: the rest of the chunk would be appended to it and scanned as one joined string.
    this.joining = true;
    this.drain();
    this.joining = false;
    if (this.buf.length === 0) {
      this.base -= t + 1;
      this.buf = chunk;
      this.codes = ascii ?? codesOf(chunk);
      // The joined text, now read, ended with chunk[0, t]; buf restarts at the chunk's beginning.
      this.baseExtra -= utf8Extra(this.codes, 0, t + 1);
      this.extraAt = this.extraCount = 0;
      this.start = t + 1;
    } else {
      this.buf += chunk.slice(t + 1);
      this.codes = codesOf(this.buf);
    }
    this.drain();
  }

  /** Marks the end of input; the remaining segments go to the handler. */
  end(): void {
    this.ended = true;
    this.drain();
  }

  private drain(): void {
    const buf = this.buf;
    const codes = this.codes;
    const n = buf.length;
    const view = this.view;
    let pos = this.start;
    this.start = 0;
    this.holding = false;
    // A pause asked outside a scan (e.g. by findings raised at the end of input) is not carried into this one.
    this.pauseAsked = false;
    while (!this.fatal) {
      // Skip BOM, line breaks and indentation between segments, counting lines; c0 is the segment's first character.
      let c0 = 0;
      while (pos < n) {
        c0 = codes[pos]!;
        if (c0 > SPACE ? c0 !== BOM : c0 !== LF && c0 !== CR && c0 !== SPACE && c0 !== TAB) break;
        if (c0 === LF) this.line++;
        pos++;
      }
      if (pos >= n) break;

      // A new interchange: read its delimiters from the ISA.
      const isIsa = c0 === 73 && codes[pos + 1] === 83 && codes[pos + 2] === 65;
      if (isIsa || this.delims === undefined) {
        if (n - pos < 4 && !this.ended) break;
        if (!isIsa || isAlnumCode(buf.charCodeAt(pos + 3))) {
          if (this.delims === undefined) {
            const next = buf.indexOf('ISA', pos + 1);
            if (next < 0 && !this.ended) {
              // Keep waiting for an ISA, but not by holding all the text before it: remember where that text
              // began (for the finding) and keep only the last two characters, which may start an "ISA".
              if (this.skipOffset < 0) {
                this.skipOffset = this.offsetAt(pos);
                this.skipLine = this.line;
              }
              const keep = Math.max(pos, n - 2);
              for (let i = pos; i < keep; i++) if (buf.charCodeAt(i) === LF) this.line++;
              pos = keep;
              break;
            }
            const skippedAt = this.skipOffset < 0 ? this.offsetAt(pos) : this.skipOffset;
            const skippedLine = this.skipOffset < 0 ? this.line : this.skipLine;
            this.skipOffset = -1;
            this.diagnostics.add({
              // Text before the ISA (a cover note, a mail header) is skipped with a warning; no ISA at all is fatal.
              severity: next < 0 ? 'error' : 'warning',
              code: next < 0 ? 'no-isa' : 'text-before-isa',
              message:
                next < 0
                  ? 'input does not contain an ISA interchange header'
                  : 'text before the first ISA interchange header was skipped',
              offset: skippedAt,
              line: skippedLine,
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
          if (this.skipOffset >= 0) {
            // The ISA begins right where the kept rest of skipped text began: report that text now.
            this.diagnostics.add({
              severity: 'warning',
              code: 'text-before-isa',
              message: 'text before the first ISA interchange header was skipped',
              offset: this.skipOffset,
              line: this.skipLine,
              loop: 'ISA',
            });
            this.skipOffset = -1;
          }
          const found = this.readIsaDelimiters(buf, pos);
          if (found === 'incomplete') {
            if (!this.ended) break;
            this.diagnostics.add({
              severity: 'error',
              code: 'isa-truncated',
              message: 'the input ends inside the ISA interchange header',
              offset: this.offsetAt(pos),
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
              offset: this.offsetAt(pos),
              line: this.line,
              loop: 'ISA',
              segmentId: 'ISA',
            });
            this.fatal = true;
            pos = n;
            break;
          }
          const d = found;
          this.delims = d;
          this.elementCode = d.element.charCodeAt(0);
          this.segmentCode = d.segment.charCodeAt(0);
          this.componentCode = d.component.charCodeAt(0);
          this.plainRange();
          if (this.isaLength !== ISA_LENGTH) {
            this.diagnostics.add({
              severity: 'error',
              code: 'isa-length',
              message: `ISA segment is ${this.isaLength} characters long; it must be exactly ${ISA_LENGTH}`,
              offset: this.offsetAt(pos),
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
      // One pass: element separators and line breaks up to the terminator.
      const elc = this.elementCode;
      const segc = this.segmentCode;
      let bounds = view.bounds;
      let k = 0;
      let nl = 0;
      let p = pos;
      bounds[0] = pos;
      const low = this.plainLow;
      const span = this.plainSpan;
      // Where the last CR or LF inside the segment is (CR and LF are never plain characters).
      let lastBreak = -1;
      for (;;) {
        // Plain characters (digits, letters, most punctuation) in one unsigned range test each.
        let c = 0;
        while (p < n && ((c = codes[p]!) - low) >>> 0 <= span) p++;
        if (p >= n || c === segc) break;
        if (c === elc) {
          if (++k + 1 >= bounds.length) bounds = view.grow(k + 2);
          bounds[k] = p + 1;
        }
        if (c === LF) {
          nl++;
          lastBreak = p;
        } else if (c === CR) {
          lastBreak = p;
        }
        p++;
      }
      const terminated = p < n;
      if (!terminated && !this.ended) break;
      const end = p;
      let stop = end;
      // A segment may carry a CR before a newline terminator, or trailing line breaks when the terminator is
      // not a newline: they are not data.
      if (lastBreak === end - 1) {
        while (stop > pos && (buf.charCodeAt(stop - 1) === CR || buf.charCodeAt(stop - 1) === LF)) stop--;
      }
      while (k > 0 && bounds[k]! > stop) k--;
      bounds[k + 1] = stop + 1;
      const idEnd = bounds[1]! - 1;
      view.text = buf;
      view.codes = codes;
      view.count = k;
      const id = validIdCode(codes, pos, idEnd, c0);
      view.idCode = id >= 0 ? id : idCode(buf, pos, idEnd);
      view.index = this.index;
      view.line = this.line;
      view.offset = this.offsetAt(pos);
      view.delimiters = d;
      view.componentCode = this.componentCode;
      if (id < 0) {
        this.diagnostics.add({
          severity: 'error',
          code: 'segment-id',
          message: 'segment identifier is not 2-3 uppercase letters or digits',
          segmentIndex: view.index,
          line: view.line,
          offset: view.offset,
          ik304: '1',
        });
      }
      if (!terminated) {
        this.diagnostics.add({
          severity: 'error',
          code: 'missing-terminator',
          message: 'the input ends without a segment terminator',
          segmentIndex: view.index,
          line: view.line,
          offset: view.offset,
          segmentId: view.id,
        });
      }
      this.index++;
      this.line += terminated && segc === LF ? nl + 1 : nl;
      pos = terminated ? end + 1 : end;
      this.handler.segment(view);
      if (this.pauseAsked) {
        this.pauseAsked = false;
        if (!this.joining && pos < n) {
          // Stop here; buf, base and the rest stay as they are, and resume() scans on from pos.
          this.start = pos;
          this.holding = true;
          return;
        }
      }
    }
    this.baseExtra = this.offsetAt(pos) - this.base - pos;
    this.extraAt = this.extraCount = 0;
    this.buf = pos >= n ? '' : buf.slice(pos);
    this.codes = pos >= n ? NO_CODES : codes.subarray(pos);
    this.base += pos;
  }

  /**
   * The byte offset in the input (as UTF-8) of buf[pos]: the character offset for ASCII text, plus the extra bytes
   * of the characters before it otherwise. Counted on from the last position asked (positions only grow while buf
   * stays the same), so a text is counted once.
   */
  private offsetAt(pos: number): number {
    const codes = this.codes;
    if (codes instanceof Uint8Array) return this.base + this.baseExtra + pos;
    if (pos < this.extraAt) this.extraAt = this.extraCount = 0;
    this.extraCount += utf8Extra(codes, this.extraAt, pos);
    this.extraAt = pos;
    return this.base + this.baseExtra + pos + this.extraCount;
  }

  /** Sets the plain character range for the current delimiters: below it, above it or empty. */
  private plainRange(): void {
    let low = 0;
    let high = 0xffff;
    for (const x of [this.elementCode, this.segmentCode, LF, CR]) {
      if (x < DIGIT_0 && x >= low) low = x + 1;
      else if (x > CAPITAL_Z && x <= high) high = x - 1;
      else if (x >= DIGIT_0 && x <= CAPITAL_Z) high = low - 1;
    }
    this.plainLow = low;
    this.plainSpan = high - low;
  }

  /**
   * Reads the delimiters of the ISA starting at `pos`. Counts 16 element separators rather than trusting fixed
   * offsets, so a mis-padded ISA still tokenizes (and is reported by its length).
   */
  private readIsaDelimiters(buf: string, pos: number): Delimiters | { problem: string } | 'incomplete' {
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
    const isa11Start = nthSeparator(buf, pos, element, 11);
    const repetition = isa11Start < 0 ? undefined : buf[isa11Start + 1];
    if (repetition === undefined) return 'incomplete';
    const d: Delimiters = { element, repetition, component, segment };
    const problem = delimiterProblem(
      // ISA11 is 'U' (no repetition separator) in pre-5010 files; treat it as absent rather than fail.
      isAlnum(repetition) ? { ...d, repetition: '\u0000' } : d,
    );
    if (problem !== undefined) return { problem };
    this.isaLength = p + 3 - pos;
    return isAlnum(repetition) ? { ...d, repetition: '\u0000' } : d;
  }
}

/**
 * UTF-8 bytes beyond one per character in `codes[a, e)`: 1 for U+0080–U+07FF, 2 for U+0800–U+FFFF, and 1 for each
 * half of a surrogate pair (4 bytes for the pair). ASCII codes (bytes) have none.
 */
function utf8Extra(codes: Codes, a: number, e: number): number {
  if (codes instanceof Uint8Array) return 0;
  let extra = 0;
  for (let i = a; i < e; i++) {
    const c = codes[i]!;
    if (c >= 0x80) extra += c < 0x800 || (c >= 0xd800 && c <= 0xdfff) ? 1 : 2;
  }
  return extra;
}

function nthSeparator(buf: string, pos: number, sep: string, nth: number): number {
  let p = pos + 3;
  for (let k = 1; k < nth; k++) {
    p = buf.indexOf(sep, p + 1);
    if (p < 0) return -1;
  }
  return p;
}

/**
 * {@link idCode} of `codes[a, e)` when it is a valid segment id (`/^[A-Z][A-Z0-9]{1,2}$/`), -1 otherwise: the id
 * read and checked in one pass. `c0` is its first character, already read.
 */
function validIdCode(codes: Codes, a: number, e: number, c0: number): number {
  const n = e - a;
  if (n < 2 || n > 3) return -1;
  const c1 = codes[a + 1]!;
  const c2 = n === 3 ? codes[a + 2]! : 0;
  if (c0 < 65 || c0 > 90 || !idTail(c1) || (n === 3 && !idTail(c2))) return -1;
  return ((n * 256 + c0) * 256 + c1) * 256 + c2;
}

/** A capital or a digit. */
function idTail(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
}
