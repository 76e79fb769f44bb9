import { DEFAULT_DELIMITERS, ISA_WIDTHS, delimiterProblem, type Delimiters } from './delimiters.ts';

/**
 * An element to write: text, a composite (array of components), a repeating element (`{ repeat: [...] }`,
 * joined with the ISA11 separator, e.g. 271 EB03), or nothing.
 */
export type ElementValue =
  string | undefined | readonly (string | undefined)[] | { readonly repeat: readonly string[] };

/** Thrown when a writer is asked to emit something it knows is invalid (a programming error, not input data). */
export class X12WriteError extends Error {
  override readonly name = 'X12WriteError';
}

/**
 * Builds segment text with a given delimiter set. Trailing empty elements and components are dropped (X12
 * forbids trailing delimiters); text containing a delimiter is refused rather than written.
 */
export class SegmentWriter {
  readonly delimiters: Delimiters;
  private readonly forbidden: RegExp;

  constructor(delimiters: Delimiters = DEFAULT_DELIMITERS) {
    const problem = delimiterProblem(delimiters);
    if (problem !== undefined) throw new X12WriteError(problem);
    this.delimiters = delimiters;
    const chars = [delimiters.element, delimiters.component, delimiters.segment, delimiters.repetition]
      .map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
      .join('');
    this.forbidden = new RegExp(`[${chars}]`);
  }

  private text(id: string, pos: number, value: string): string {
    if (this.forbidden.test(value)) {
      throw new X12WriteError(`${id}${String(pos).padStart(2, '0')} contains a delimiter character`);
    }
    return value;
  }

  /** One segment without its terminator. */
  segment(id: string, ...elements: ElementValue[]): string {
    const parts: string[] = [id];
    for (let i = 0; i < elements.length; i++) {
      const v = elements[i];
      if (v === undefined) {
        parts.push('');
      } else if (typeof v === 'string') {
        parts.push(this.text(id, i + 1, v));
      } else if ('repeat' in v) {
        parts.push(v.repeat.map((r) => this.text(id, i + 1, r)).join(this.delimiters.repetition));
      } else {
        const comps = v.map((c) => (c === undefined ? '' : this.text(id, i + 1, c)));
        while (comps.length > 0 && comps[comps.length - 1] === '') comps.pop();
        parts.push(comps.join(this.delimiters.component));
      }
    }
    while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
    return parts.join(this.delimiters.element);
  }

  /** Repetitions of an element joined by the ISA11 separator. */
  repeat(values: readonly string[]): string {
    return values.join(this.delimiters.repetition);
  }
}

export interface InterchangeOptions {
  readonly senderQualifier: string;
  readonly senderId: string;
  readonly receiverQualifier: string;
  readonly receiverId: string;
  /** YYYY-MM-DD */
  readonly date: string;
  /** HHMM */
  readonly time: string;
  /** 1..999999999 */
  readonly controlNumber: number;
  readonly ackRequested?: boolean;
  readonly usage?: 'P' | 'T';
  readonly delimiters?: Delimiters;
  /** Put a newline after each terminator (readable files); the default writes one line. */
  readonly newlines?: boolean;
}

export interface GroupOptions {
  /** GS01, e.g. HC, HP, HS, HB, HR, HN, FA. */
  readonly functionalId: string;
  readonly senderCode: string;
  readonly receiverCode: string;
  readonly controlNumber: number;
  /** GS08, e.g. 005010X222A1. */
  readonly version: string;
  readonly transactions: readonly TransactionBody[];
  /** YYYY-MM-DD; defaults to the interchange date. */
  readonly date?: string;
  /** HHMM; defaults to the interchange time. */
  readonly time?: string;
}

export interface TransactionBody {
  /** ST01, e.g. 837. */
  readonly type: string;
  readonly controlNumber: number;
  /** ST03; defaults to the group's GS08. */
  readonly implementation?: string;
  /** The segments between ST and SE, without terminators (built with a {@link SegmentWriter}). */
  readonly segments: readonly string[];
}

function pad(value: string, width: number, what: string): string {
  if (value.length > width) throw new X12WriteError(`${what} is longer than ${width} characters`);
  return value.padEnd(width, ' ');
}

/**
 * Writes a whole interchange: pads the ISA to its fixed widths (106 characters), computes SE01, GE01 and IEA01,
 * and repeats the control numbers in the trailers.
 */
export function writeInterchange(opts: InterchangeOptions, groups: readonly GroupOptions[]): string {
  const d = opts.delimiters ?? DEFAULT_DELIMITERS;
  const w = new SegmentWriter(d);
  if (!Number.isInteger(opts.controlNumber) || opts.controlNumber < 1 || opts.controlNumber > 999_999_999) {
    throw new X12WriteError('ISA13 control number must be 1..999999999');
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.date) || !/^\d{4}$/.test(opts.time)) {
    throw new X12WriteError('interchange date must be YYYY-MM-DD and time HHMM');
  }
  const isaValues = [
    '00',
    '',
    '00',
    '',
    opts.senderQualifier,
    opts.senderId,
    opts.receiverQualifier,
    opts.receiverId,
    opts.date.replaceAll('-', '').slice(2),
    opts.time,
    d.repetition,
    '00501',
    String(opts.controlNumber).padStart(9, '0'),
    opts.ackRequested === true ? '1' : '0',
    opts.usage ?? 'P',
    d.component,
  ];
  const isa = [
    'ISA',
    ...isaValues.map((v, i) => pad(v, ISA_WIDTHS[i] ?? 0, `ISA${String(i + 1).padStart(2, '0')}`)),
  ].join(d.element);
  const out: string[] = [isa];
  for (const g of groups) {
    const date = (g.date ?? opts.date).replaceAll('-', '');
    out.push(
      w.segment(
        'GS',
        g.functionalId,
        g.senderCode,
        g.receiverCode,
        date,
        g.time ?? opts.time,
        String(g.controlNumber),
        'X',
        g.version,
      ),
    );
    for (const t of g.transactions) {
      const control = String(t.controlNumber).padStart(4, '0');
      out.push(w.segment('ST', t.type, control, t.implementation ?? g.version));
      for (const s of t.segments) out.push(s);
      out.push(w.segment('SE', String(t.segments.length + 2), control));
    }
    out.push(w.segment('GE', String(g.transactions.length), String(g.controlNumber)));
  }
  out.push(w.segment('IEA', String(groups.length), String(opts.controlNumber).padStart(9, '0')));
  const sep = opts.newlines === true ? `${d.segment}\n` : d.segment;
  return out.join(sep) + sep;
}
