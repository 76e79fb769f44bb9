import type { Diagnostic } from '../core/diagnostics.ts';
import type { FunctionalGroup, Interchange, TransactionSet } from '../core/envelope.ts';
import type { Ta1, Ta1NoteCode } from '../ta1/ta1.ts';
import type {
  Ack999,
  Context,
  ElementError,
  ElementPosition,
  SegmentError,
  TransactionSetResponse,
} from '../tx999/types.ts';

/** Options for {@link build999}. */
export interface Build999Options {
  /** ST02 of the 999 to build (default '0001'). */
  readonly controlNumber?: string;
  /** Group-level findings (GE count, GE02 mismatch, missing GE): usually the interchange's diagnostics. */
  readonly groupDiagnostics?: readonly Diagnostic[];
}

/** 'CLP02' → { element: 2 }, 'CLM05-3' → { element: 5, component: 3 }. */
function positionOf(element: string | undefined): ElementPosition | undefined {
  if (element === undefined) return undefined;
  const m = /^[A-Z][A-Z0-9]{1,2}(\d{2})(?:-(\d+))?$/.exec(element);
  if (m === null) return undefined;
  const e = Number(m[1]);
  return m[2] === undefined ? { element: e } : { element: e, component: Number(m[2]) };
}

/** IK502 code for an envelope finding on a transaction set (005010X231A1 IK5). */
function ik5CodeOf(d: Diagnostic): string | undefined {
  switch (d.code) {
    case 'se-missing':
      return '2'; // transaction set trailer missing
    case 'se-control-number':
      return '3'; // ST02 and SE02 do not match
    case 'se-count':
      return '4'; // number of included segments does not match actual count
    case 'st-control-number':
      return '7'; // missing or invalid transaction set control number
    default:
      return undefined;
  }
}

/**
 * IK303 loop identifier code (005010X231A1: AN 1/4, "the loop ID number given on the transaction set diagram";
 * situational: sent when the segment in error is within a loop, not sent otherwise). The 5010 TR3 loop ids are
 * a 4-digit number with up to two letters for the repeats of a loop (1000A, 2010AA, 2300): the number is what
 * fits, so '2010AA' is sent as '2010'. Header and summary tables (`HEADER`, `SUMMARY`, '') and the envelope
 * (`ISA`, `GS`, `ST`) are not loops: no IK303.
 */
export function ik303LoopId(loop: string | undefined): string | undefined {
  if (loop === undefined) return undefined;
  return /^\d{4}[A-Z]{0,2}$/.test(loop) ? loop.slice(0, 4) : undefined;
}

/** Envelope findings that are not about a segment inside the set (they become IK5 codes, not IK3). */
const ENVELOPE_CODES = new Set(['se-missing', 'se-control-number', 'se-count', 'st-control-number']);

/**
 * 999 TR3 2100 CTX business unit identifier: when a segment in error lies inside an 837 claim (the 2300 loop
 * or below), name the claim by its CLM01 so the sender can find it. The claim is the nearest CLM before the
 * segment with no HL in between (an HL starts a new billing provider / subscriber / patient level).
 */
function claimContext(tx: TransactionSet, segmentIndex: number): Context[] {
  if (tx.transactionType !== '837') return [];
  let claimId: string | undefined;
  for (const seg of tx.segments) {
    if (seg.index > segmentIndex) break;
    if (seg.id === 'HL') claimId = undefined;
    else if (seg.id === 'CLM') claimId = seg.elements[1];
  }
  return claimId === undefined || claimId === '' ? [] : [{ name: 'CLM01', reference: claimId }];
}

function respond(tx: TransactionSet, extra: readonly Diagnostic[]): TransactionSetResponse {
  const all = new Set<Diagnostic>([...tx.diagnostics, ...extra]);
  const errorCodes: string[] = [];
  // One IK3 per segment, in segment order; element findings become its IK4s.
  const bySegment = new Map<number, { d: Diagnostic; items: Diagnostic[] }>();
  let rejected = false;
  let noted = false;
  for (const d of all) {
    if (d.severity === 'info') continue;
    const code = ik5CodeOf(d);
    if (code !== undefined) {
      if (!errorCodes.includes(code)) errorCodes.push(code);
      rejected ||= d.severity === 'error';
      continue;
    }
    if (ENVELOPE_CODES.has(d.code) || d.segmentIndex === undefined || d.segmentId === undefined) {
      if (d.severity === 'error') rejected = true;
      else noted = true;
      continue;
    }
    if (d.severity === 'error') rejected = true;
    else noted = true;
    const g = bySegment.get(d.segmentIndex) ?? { d, items: [] };
    g.items.push(d);
    bySegment.set(d.segmentIndex, g);
  }
  const segmentErrors: SegmentError[] = [];
  for (const index of [...bySegment.keys()].sort((a, b) => a - b)) {
    const g = bySegment.get(index);
    if (g === undefined) continue;
    const first = g.items.find((x) => x.ik304 !== undefined) ?? g.d;
    const elementErrors: ElementError[] = [];
    for (const x of g.items) {
      const p = positionOf(x.element);
      if (p === undefined) continue;
      // Findings without an IK403 code (money balancing, CARC/RARC membership) are implementation rules:
      // I12 "implementation pattern match failure" is the closest IK403 code (999 TR3).
      elementErrors.push({ position: p, code: x.ik403 ?? 'I12', contexts: [] });
    }
    const code = first.ik304 ?? (elementErrors.length > 0 ? '8' : undefined);
    const position = first.positionInTransaction ?? index - tx.st.index + 1;
    // The loop of the finding the IK3 reports, else of any other finding on the same segment (a tokenizer or
    // envelope finding knows no loop; the reader's finding on that segment does).
    let loop = ik303LoopId(first.loop);
    for (const x of g.items) loop ??= ik303LoopId(x.loop);
    segmentErrors.push({
      segmentId: first.segmentId ?? '',
      position,
      ...(loop === undefined ? {} : { loop }),
      ...(code === undefined ? {} : { code }),
      contexts: claimContext(tx, index),
      elementErrors,
    });
  }
  // IK502 5 "one or more segments in error" when segment notes explain a rejection.
  if (rejected && segmentErrors.length > 0 && !errorCodes.includes('5')) errorCodes.push('5');
  if (rejected && errorCodes.length === 0) errorCodes.push('5');
  return {
    transactionType: tx.transactionType,
    controlNumber: tx.controlNumber,
    ...(tx.st.elements[3] === undefined || tx.st.elements[3] === ''
      ? {}
      : { implementation: tx.st.elements[3] }),
    segmentErrors,
    status: rejected ? 'R' : noted ? 'E' : 'A',
    errorCodes: errorCodes.slice(0, 5),
  };
}

/**
 * Builds the 999 (005010X231A1) for a received functional group: one AK2..IK5 per transaction set with IK3 for
 * each segment in error (IK302 position with ST = 1, IK303 loop, IK304 code) and IK4 for each element finding
 * (IK401 position, IK403 code); IK5 A accepted, E accepted with errors noted (warnings only), R rejected (any
 * error); AK9 A / E / P (partially accepted) / R with the counts.
 *
 * `perTransactionDiagnostics[i]` are the reader's findings for `group.transactions[i]` (the transaction's own
 * envelope findings are always included).
 */
export function build999(
  group: FunctionalGroup,
  perTransactionDiagnostics: readonly (readonly Diagnostic[] | undefined)[],
  options: Build999Options = {},
): Ack999 {
  const transactions = group.transactions.map((tx, i) => respond(tx, perTransactionDiagnostics[i] ?? []));
  const received = transactions.length;
  const accepted = transactions.filter((t) => t.status === 'A' || t.status === 'E').length;
  const errorCodes: string[] = [];
  const gs = group.header.gs;
  const ge = group.ge;
  for (const d of options.groupDiagnostics ?? []) {
    const ours =
      d.segmentIndex !== undefined &&
      (d.segmentIndex === gs.index || (ge !== undefined && d.segmentIndex === ge.index));
    if (!ours) continue;
    // AK905: 3 functional group trailer missing, 4 GS06/GE02 mismatch, 5 GE01 count wrong, 6 GS/GE invalid.
    const code =
      d.code === 'ge-missing'
        ? '3'
        : d.code === 'ge-control-number'
          ? '4'
          : d.code === 'ge-count'
            ? '5'
            : d.severity === 'error'
              ? '6'
              : undefined;
    if (code !== undefined && !errorCodes.includes(code)) errorCodes.push(code);
  }
  const declared = ge === undefined ? NaN : Number(ge.elements[1]);
  const included = Number.isInteger(declared) ? declared : received;
  // A group-level syntax error (AK905) rejects the whole group; otherwise the sets decide.
  let status: string;
  if (errorCodes.length > 0 || accepted === 0) status = 'R';
  else if (accepted < received) status = 'P';
  else status = transactions.some((t) => t.status === 'E') ? 'E' : 'A';
  return {
    controlNumber: options.controlNumber ?? '0001',
    implementation: '005010X231A1',
    functionalId: group.header.functionalId,
    groupControlNumber: group.header.controlNumber,
    ...(group.header.version === '' ? {} : { groupVersion: group.header.version }),
    transactions,
    status,
    included,
    received,
    accepted,
    errorCodes: errorCodes.slice(0, 5),
  };
}

/** Options for {@link buildTa1}. */
export interface BuildTa1Options {
  /** Tokenizer findings (ISA length, unusable delimiters) that are not in `interchange.diagnostics`. */
  readonly extraDiagnostics?: readonly Diagnostic[];
  /** ISA13 values already received from this sender (TA105 025 duplicate interchange control number). */
  readonly seenControlNumbers?: ReadonlySet<string>;
}

/** TA105 note code for an interchange-level finding; undefined when the finding is not a TA1 matter. */
function noteOf(d: Diagnostic): Ta1NoteCode | undefined {
  switch (d.code) {
    case 'iea-control-number':
      return '001';
    case 'isa-version':
      return '017';
    case 'isa-date':
      return '014';
    case 'isa-time':
      return '015';
    case 'isa-control-number':
      return '018';
    case 'isa-ack-requested':
      return '019';
    case 'isa-usage':
      return '020';
    case 'iea-count':
      return '021';
    case 'iea-missing':
    case 'isa-truncated':
      return '023';
    case 'isa-delimiters':
      return '026';
    case 'isa-width': {
      // Fixed-width ISA fields: name the field that is wrong when there is a specific note for it.
      const byElement: Record<string, Ta1NoteCode> = {
        ISA01: '010',
        ISA02: '011',
        ISA03: '012',
        ISA04: '013',
        ISA05: '005',
        ISA06: '006',
        ISA07: '007',
        ISA08: '008',
        ISA09: '014',
        ISA10: '015',
        ISA13: '018',
      };
      return byElement[d.element ?? ''] ?? '022';
    }
    case 'isa-length':
    case 'isa-elements':
      return '022';
    default:
      return undefined;
  }
}

/**
 * Builds the TA1 for a received interchange: TA104 R with the first interchange-level error's TA105 note,
 * E for warnings only (e.g. an ISA12 other than 00501), A with 000 otherwise. Group and transaction findings
 * are the 999's business, not the TA1's.
 */
export function buildTa1(interchange: Interchange, options: BuildTa1Options = {}): Ta1 {
  const h = interchange.header;
  let status: 'A' | 'E' | 'R' = 'A';
  let note: Ta1NoteCode = '000';
  if (options.seenControlNumbers?.has(h.controlNumber) === true) {
    status = 'R';
    note = '025';
  }
  for (const d of [...(options.extraDiagnostics ?? []), ...interchange.diagnostics]) {
    if (status === 'R') break;
    const n = noteOf(d);
    if (n === undefined || d.severity === 'info') continue;
    if (d.severity === 'error') {
      status = 'R';
      note = n;
    } else if (status === 'A') {
      status = 'E';
      note = n;
    }
  }
  const d6 = h.date;
  return {
    controlNumber: /^\d{9}$/.test(h.controlNumber)
      ? h.controlNumber
      : h.controlNumber.trim().padStart(9, '0').slice(-9),
    date: /^\d{6}$/.test(d6) ? `20${d6.slice(0, 2)}-${d6.slice(2, 4)}-${d6.slice(4, 6)}` : '',
    time: h.time,
    status,
    noteCode: note,
  };
}
