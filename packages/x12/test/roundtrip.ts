import type { Delimiters } from '../src/core/delimiters.ts';
import type { Segment } from '../src/core/segment.ts';
import { parseAmount, parseQuantityMilli } from '../src/core/values.ts';

/**
 * Round-trip comparison helpers: a segment as nested arrays (element → repetition → component) so files
 * with different delimiters compare equal, and R-type (decimal) positions compared numerically, since the
 * writers emit the X12 canonical form ("10.00" is written "10").
 */
export type Normalized = [string, ...string[][][]];

/** Decimal (R type) element positions of the segments the 270/271/276/277/277CA writers emit. */
const DECIMAL_POSITIONS: Readonly<Record<string, readonly number[]>> = {
  EB: [7, 8, 10],
  AMT: [2],
  STC: [4, 5],
  SVC: [2, 3, 5, 7],
  QTY: [2],
};

function normalizeElements(id: string, elements: readonly string[], d: Delimiters): Normalized {
  const decimals = DECIMAL_POSITIONS[id] ?? [];
  const out: Normalized = [id];
  for (let i = 1; i < elements.length; i++) {
    const text = elements[i] ?? '';
    if (decimals.includes(i) && text !== '') {
      const v = parseAmount(text) ?? parseQuantityMilli(text);
      out.push([[`#${v ?? text}`]]);
      continue;
    }
    out.push(text.split(d.repetition).map((r) => r.split(d.component)));
  }
  while (out.length > 1 && (out[out.length - 1] as string[][]).every((r) => r.every((c) => c === '')))
    out.pop();
  return out;
}

export function normalizeSegment(seg: Segment): Normalized {
  return normalizeElements(seg.id, seg.elements, seg.delimiters);
}

/** Normalizes segment text written with the given delimiters (no terminator). */
export function normalizeText(text: string, d: Delimiters): Normalized {
  const elements = text.split(d.element);
  return normalizeElements(elements[0] ?? '', elements, d);
}
