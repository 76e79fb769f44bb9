import { DEFAULT_DELIMITERS } from '../core/delimiters.ts';
import { DiagnosticSink, type Diagnostic } from '../core/diagnostics.ts';
import { EnvelopeReader } from '../core/envelope.ts';
import type { Segment } from '../core/segment.ts';
import { R, checkSegment } from '../core/spec.ts';
import { Tokenizer } from '../core/tokenizer.ts';
import { isValidD6, isValidTime } from '../core/values.ts';
import { SegmentWriter, X12WriteError, writeInterchange, type InterchangeOptions } from '../core/writer.ts';
import type { ReadResult } from '../tx835/reader.ts';

/** TA104 interchange acknowledgement code: A accepted, E accepted with errors, R rejected. */
export const TA1_ACK_CODES = ['A', 'E', 'R'] as const;
export type Ta1AckCode = (typeof TA1_ACK_CODES)[number];

/**
 * TA105 interchange note codes (X12.56 / pyx12 TA1 table): 000 no error, 001 ISA13/IEA02 mismatch, 002 standard
 * not supported, 003 version not supported, 004 segment terminator invalid, 005-009 sender/receiver qualifier or id
 * invalid or unknown, 010-013 authorization/security qualifier or value invalid, 014 date, 015 time, 016 standards
 * identifier, 017 version id, 018 control number, 019 acknowledgment requested, 020 test indicator, 021 number of
 * included groups, 022 invalid control structure, 023 improper end of file, 024 invalid interchange content,
 * 025 duplicate control number, 026 data element separator, 027 component separator, 028-031 delivery fields.
 */
export const TA1_NOTE_CODES = [
  '000',
  '001',
  '002',
  '003',
  '004',
  '005',
  '006',
  '007',
  '008',
  '009',
  '010',
  '011',
  '012',
  '013',
  '014',
  '015',
  '016',
  '017',
  '018',
  '019',
  '020',
  '021',
  '022',
  '023',
  '024',
  '025',
  '026',
  '027',
  '028',
  '029',
  '030',
  '031',
] as const;
export type Ta1NoteCode = (typeof TA1_NOTE_CODES)[number];

/** A TA1 interchange acknowledgment. */
export interface Ta1 {
  /** TA101 ISA13 of the acknowledged interchange. */
  readonly controlNumber: string;
  /** TA102 ISA09 interchange date as 'YYYY-MM-DD' (century 20). */
  readonly date: string;
  /** TA103 ISA10 interchange time HHMM. */
  readonly time: string;
  /** TA104 A / E / R. */
  readonly status: string;
  /** TA105 note code. */
  readonly noteCode: string;
  readonly at?: { readonly segmentIndex: number; readonly line: number };
}

const TA1_LAYOUT = {
  id: 'TA1',
  elements: [
    R('N0', 9, 9, undefined, 'interchange control number'),
    R('DT', 6, 6, undefined, 'interchange date'),
    R('TM', 4, 4, undefined, 'interchange time'),
    R('ID', 1, 1, TA1_ACK_CODES, 'interchange acknowledgement code'),
    R('ID', 3, 3, TA1_NOTE_CODES, 'interchange note code'),
  ],
};

/** Reads one TA1 segment. */
export function readTa1Segment(seg: Segment, sink: DiagnosticSink): Ta1 {
  checkSegment(seg, TA1_LAYOUT, 'ISA', sink);
  const d6 = seg.elements[2] ?? '';
  return {
    controlNumber: seg.elements[1] ?? '',
    date: isValidD6(d6) ? `20${d6.slice(0, 2)}-${d6.slice(2, 4)}-${d6.slice(4, 6)}` : '',
    time: seg.elements[3] ?? '',
    status: seg.elements[4] ?? '',
    noteCode: seg.elements[5] ?? '',
    at: { segmentIndex: seg.index, line: seg.line },
  };
}

/**
 * Reads every TA1 in an X12 text. TA1 segments sit directly inside an ISA/IEA interchange (no GS/ST), so the
 * envelope is checked with the TA1s taken out.
 */
export function parseTa1(text: string): ReadResult<Ta1[]> {
  const sink = new DiagnosticSink();
  const tokenizer = new Tokenizer(sink);
  const envelope = new EnvelopeReader(sink);
  const value: Ta1[] = [];
  const envelopeDiagnostics: Diagnostic[] = [];
  const feed = (segs: Segment[]): void => {
    for (const s of segs) {
      if (s.id === 'TA1') value.push(readTa1Segment(s, sink));
      else
        for (const e of envelope.accept(s)) {
          if (e.kind === 'interchange-end') envelopeDiagnostics.push(...e.diagnostics);
          if (e.kind === 'transaction') envelopeDiagnostics.push(...e.transaction.diagnostics);
        }
    }
  };
  feed(tokenizer.push(text));
  feed(tokenizer.end());
  for (const e of envelope.finish())
    if (e.kind === 'interchange-end') envelopeDiagnostics.push(...e.diagnostics);
  const diagnostics = [...sink.items, ...envelopeDiagnostics].sort(
    (a, b) => (a.segmentIndex ?? -1) - (b.segmentIndex ?? -1),
  );
  return { value, diagnostics };
}

/** Writes one interchange carrying the given TA1 segments (ISA, TA1..., IEA with 0 functional groups). */
export function writeTa1(acks: readonly Ta1[], interchange: InterchangeOptions): string {
  const d = interchange.delimiters ?? DEFAULT_DELIMITERS;
  const w = new SegmentWriter(d);
  const segs = acks.map((a) => {
    if (!(TA1_ACK_CODES as readonly string[]).includes(a.status))
      throw new X12WriteError('TA104 is not a valid code');
    if (!(TA1_NOTE_CODES as readonly string[]).includes(a.noteCode))
      throw new X12WriteError('TA105 is not a valid code');
    if (!/^\d{9}$/.test(a.controlNumber)) throw new X12WriteError('TA101 must be 9 digits');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(a.date) || !isValidTime(a.time) || a.time.length !== 4) {
      throw new X12WriteError('TA102 must be a YYYY-MM-DD date and TA103 an HHMM time');
    }
    return w.segment(
      'TA1',
      a.controlNumber,
      a.date.replaceAll('-', '').slice(2),
      a.time,
      a.status,
      a.noteCode,
    );
  });
  // writeInterchange writes ISA ... IEA; with no groups that is the ISA (106 characters with its terminator,
  // then an optional newline) followed by IEA*0. The TA1s go in between (X12.5 interchange control structure).
  const base = writeInterchange(interchange, []);
  const sep = interchange.newlines === true ? `${d.segment}\n` : d.segment;
  const head = base.slice(0, 106) + (interchange.newlines === true ? '\n' : '');
  return head + segs.map((s) => s + sep).join('') + base.slice(head.length);
}
