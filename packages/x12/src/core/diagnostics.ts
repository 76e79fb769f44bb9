/** Severity of a located finding. `error` makes a transaction set non-conforming. */
export const SEVERITIES = ['error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * 999 IK304 segment syntax error codes (005010X231A1), used when a diagnostic should be reported in a 999.
 * '1' unrecognized segment id, '2' unexpected segment, '3' required segment missing, '4' loop occurs over maximum
 * times, '5' segment exceeds maximum use, '6' segment not in defined transaction set, '7' segment not in proper
 * sequence, '8' segment has data element errors.
 */
export const IK304_CODES = ['1', '2', '3', '4', '5', '6', '7', '8', 'I4', 'I6', 'I7', 'I8', 'I9'] as const;
export type Ik304Code = (typeof IK304_CODES)[number];

/**
 * 999 IK403 data element error codes: '1' required element missing, '2' conditional required element missing,
 * '3' too many data elements, '4' too short, '5' too long, '6' invalid character, '7' invalid code value,
 * '8' invalid date, '9' invalid time, '10' exclusion condition violated, '12' too many repetitions,
 * '13' too many components, 'I10' implementation "not used" element present, 'I12' implementation pattern match
 * failure, 'I13' implementation "not used" element present, 'I6' code value not used in implementation,
 * 'I9' implementation dependent element missing.
 */
export const IK403_CODES = [
  '1',
  '2',
  '3',
  '4',
  '5',
  '6',
  '7',
  '8',
  '9',
  '10',
  '12',
  '13',
  'I10',
  'I12',
  'I13',
  'I6',
  'I9',
] as const;
export type Ik403Code = (typeof IK403_CODES)[number];

/**
 * A located finding. Readers never throw on bad input: they return what they could read plus diagnostics.
 * `element` names the position like the TR3 does: `CLP02`, `CLM05-3` (component 3 of CLM05), `HI01-2`.
 */
export interface Diagnostic {
  readonly severity: Severity;
  /** Stable, documented code (see `DIAGNOSTIC_CODES`), e.g. `se-count`, `balance-claim`. */
  readonly code: string;
  /** Human-readable explanation. Never contains element values that could be patient data. */
  readonly message: string;
  /** 0-based index of the segment in the input (counting every segment of every interchange). */
  readonly segmentIndex?: number;
  /** 1-based line of the segment start in the input. */
  readonly line?: number;
  /** Byte offset of the segment start, in the input as UTF-8 (the character offset for ASCII input). */
  readonly offset?: number;
  readonly segmentId?: string;
  /** TR3 loop id such as `2300`, `2110`, `2000B`, or `ISA`/`GS`/`ST` for envelope findings. */
  readonly loop?: string;
  /** Element position such as `CLP02` or `CLM05-3`. */
  readonly element?: string;
  /** 0-based position of the segment inside its transaction set, counting ST as position 1 (as IK302 does). */
  readonly positionInTransaction?: number;
  /** What a 999 should say about this finding, when it is reportable there. */
  readonly ik304?: Ik304Code;
  readonly ik403?: Ik403Code;
}

/** Location fields a diagnostic takes from the segment it is about. */
export interface SegmentLocation {
  readonly id: string;
  readonly index: number;
  readonly line: number;
  readonly offset: number;
}

/** Collects diagnostics; readers pass one around. */
export class DiagnosticSink {
  readonly items: Diagnostic[] = [];

  add(d: Diagnostic): void {
    this.items.push(d);
  }

  /** Adds a diagnostic located at a segment. */
  at(
    seg: SegmentLocation | undefined,
    severity: Severity,
    code: string,
    message: string,
    extra: Omit<
      Diagnostic,
      'severity' | 'code' | 'message' | 'segmentIndex' | 'line' | 'offset' | 'segmentId'
    > = {},
  ): void {
    if (seg === undefined) {
      this.items.push({ severity, code, message, ...extra });
      return;
    }
    this.items.push({
      severity,
      code,
      message,
      segmentIndex: seg.index,
      line: seg.line,
      offset: seg.offset,
      segmentId: seg.id,
      ...extra,
    });
  }

  get errorCount(): number {
    let n = 0;
    for (const d of this.items) if (d.severity === 'error') n++;
    return n;
  }
}

/** True when any diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** `file:line: CODE loop.element message` — the one-line form the CLI prints. */
export function formatDiagnostic(d: Diagnostic, file = '-'): string {
  const where = [d.loop, d.element ?? d.segmentId].filter((x) => x !== undefined && x !== '').join('.');
  return `${file}:${d.line ?? 0}: ${d.severity} ${d.code}${where === '' ? '' : ` ${where}`} ${d.message}`;
}
