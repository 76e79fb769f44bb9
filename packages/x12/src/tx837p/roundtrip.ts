import type { Segment } from '../core/segment.ts';
import { parseAmount } from '../core/values.ts';

/**
 * Positions whose data element type is R (decimal) in the 837P segments: they are compared numerically, because
 * the writer emits the X12 canonical form ("100" for "100.00").
 */
const DECIMAL_POSITIONS = new Set([
  'CLM02',
  'SV102',
  'SV104',
  'AMT02',
  'SVD02',
  'SVD05',
  'CAS03',
  'CAS04',
  'CAS06',
  'CAS07',
  'CAS09',
  'CAS10',
  'CAS12',
  'CAS13',
  'CAS15',
  'CAS16',
  'CAS18',
  'CAS19',
  'CTP04',
  'PAT08',
]);

function sameNumber(a: string, b: string): boolean {
  const x = parseAmount(a);
  const y = parseAmount(b);
  if (x !== undefined && y !== undefined) return x === y;
  return a !== '' && b !== '' && Number(a) === Number(b);
}

function parts(seg: Segment, n: number): string[] {
  const v = seg.elements[n] ?? '';
  const p = v.split(seg.delimiters.component);
  while (p.length > 0 && p[p.length - 1] === '') p.pop();
  return p;
}

/**
 * Compares two segment lists modulo delimiters and the canonical form of decimal elements. Returns a description
 * of the first difference, or undefined when they match. Used by the round-trip tests.
 */
export function segmentDifference(
  expected: readonly Segment[],
  actual: readonly Segment[],
): string | undefined {
  const n = Math.max(expected.length, actual.length);
  for (let i = 0; i < n; i++) {
    const e = expected[i];
    const a = actual[i];
    if (e === undefined || a === undefined) {
      return `segment ${i}: expected ${e?.elements.join('*') ?? '(none)'}, got ${a?.elements.join('*') ?? '(none)'}`;
    }
    const show = (): string => `segment ${i}: expected ${e.elements.join('*')}, got ${a.elements.join('*')}`;
    if (e.id !== a.id) return show();
    let count = Math.max(e.elements.length, a.elements.length);
    while (count > 1 && (e.elements[count - 1] ?? '') === '' && (a.elements[count - 1] ?? '') === '') count--;
    for (let k = 1; k < count; k++) {
      const pe = parts(e, k);
      const pa = parts(a, k);
      const pos = `${e.id}${String(k).padStart(2, '0')}`;
      if (pe.length !== pa.length) return show();
      for (let c = 0; c < pe.length; c++) {
        const x = pe[c] ?? '';
        const y = pa[c] ?? '';
        if (x === y) continue;
        if (pe.length === 1 && DECIMAL_POSITIONS.has(pos) && sameNumber(x, y)) continue;
        return `${show()} (at ${pos}${pe.length > 1 ? `-${c + 1}` : ''})`;
      }
    }
  }
  return undefined;
}
