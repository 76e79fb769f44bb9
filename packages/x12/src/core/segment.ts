import type { Delimiters } from './delimiters.ts';

/**
 * One X12 segment with its position in the input. `elements[0]` is the segment id, so `elements[n]` is the
 * element the TR3 calls `XXnn` (CLP02 is `elements[2]` of a CLP segment). Composites and repetitions stay
 * joined in the element text; split them with {@link component} / {@link repetitions}.
 */
export interface Segment {
  readonly id: string;
  readonly elements: readonly string[];
  /** 0-based index over every segment of the input. */
  readonly index: number;
  /** 1-based line where the segment starts. */
  readonly line: number;
  /** Byte offset where the segment starts, in the input as UTF-8 (the character offset for ASCII input). */
  readonly offset: number;
  readonly delimiters: Delimiters;
}

/** Element `n` (1-based, as the TR3 numbers them); '' when absent. */
export function element(seg: Segment, n: number): string {
  return seg.elements[n] ?? '';
}

/** Whether element `n` is present and non-empty. */
export function present(seg: Segment, n: number): boolean {
  const v = seg.elements[n];
  return v !== undefined && v !== '';
}

/** The components of composite element `n` ('' components kept so positions hold). */
export function components(seg: Segment, n: number): string[] {
  const v = seg.elements[n];
  if (v === undefined || v === '') return [];
  return v.split(seg.delimiters.component);
}

/** Component `c` (1-based) of composite element `n`, e.g. CLM05-3 is `component(seg, 5, 3)`; '' when absent. */
export function component(seg: Segment, n: number, c: number): string {
  const v = seg.elements[n];
  if (v === undefined || v === '') return '';
  if (c === 1) {
    const i = v.indexOf(seg.delimiters.component);
    return i < 0 ? v : v.slice(0, i);
  }
  return v.split(seg.delimiters.component)[c - 1] ?? '';
}

/** The repetitions of element `n` (split on the ISA11 repetition separator). */
export function repetitions(seg: Segment, n: number): string[] {
  const v = seg.elements[n];
  if (v === undefined || v === '') return [];
  return v.split(seg.delimiters.repetition);
}

/** Number of elements after the id, ignoring nothing (trailing empties count if the sender wrote them). */
export function elementCount(seg: Segment): number {
  return seg.elements.length - 1;
}

/** Position name like `CLP02` or `CLM05-3`. */
export function position(id: string, n: number, c?: number): string {
  const base = `${id}${String(n).padStart(2, '0')}`;
  return c === undefined ? base : `${base}-${c}`;
}
