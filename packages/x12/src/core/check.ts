import type { DiagnosticSink } from './diagnostics.ts';
import { checkSegment, type ElementSpec, type SegmentSpec } from './spec.ts';
import { isValidTime } from './values.ts';
import { codesOf, textOf, type Codes } from './codes.ts';
import { centsAt, d8At, decimalAt, type SegmentView } from './view.ts';

const USAGE_R = 0;
const USAGE_S = 1;
const USAGE_N = 2;
const T_AN = 0;
const T_ID = 1;
const T_N = 2;
const T_R = 3;
const T_DT = 4;
const T_TM = 5;

/** Codes of up to this many ASCII characters are packed into a small integer for allocation-free lookups. */
const PACK_MAX = 4;

/** `codes[a, e)` packed into a small integer (leading 1 so lengths differ); -1 when too long or not ASCII. */
function pack(codes: Codes, a: number, e: number): number {
  if (e - a > PACK_MAX) return -1;
  let v = 1;
  for (let i = a; i < e; i++) {
    const c = codes[i]!;
    if (c > 127) return -1;
    v = v * 128 + c;
  }
  return v;
}

/**
 * The packed codes of a closed code list in an open-addressing table of int32 (packed codes of up to
 * {@link PACK_MAX} characters are below 2^29): a lookup is a multiply and a probe or two, where a `Set` of
 * numbers hashes through the runtime.
 */
class CodeTable {
  private readonly keys: Int32Array;
  /** The code of each slot of {@link keys}, so a fused read returns one shared string per code. */
  private readonly codes: string[];
  private readonly shift: number;

  constructor(codes: readonly string[]) {
    let bits = 4;
    while (1 << bits < codes.length * 4) bits++;
    this.keys = new Int32Array(1 << bits);
    this.codes = new Array<string>(1 << bits).fill('');
    this.shift = 32 - bits;
    for (const code of codes) {
      const c = pack(codesOf(code), 0, code.length);
      let h = Math.imul(c, 0x9e3779b1) >>> this.shift;
      while (this.keys[h] !== 0 && this.keys[h] !== c) h = (h + 1) & (this.keys.length - 1);
      this.keys[h] = c;
      this.codes[h] = code;
    }
  }

  has(key: number): boolean {
    return this.slot(key) >= 0;
  }

  /** The code packed as `key`, or undefined when it is not in the list. */
  code(key: number): string | undefined {
    const h = this.slot(key);
    return h < 0 ? undefined : this.codes[h];
  }

  private slot(key: number): number {
    const keys = this.keys;
    const mask = keys.length - 1;
    let h = Math.imul(key, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const k = keys[h]!;
      if (k === key) return h;
      if (k === 0) return -1;
      h = (h + 1) & mask;
    }
  }
}

/** One element (or component) spec in the form the view checker reads: one object shape, numbers for kinds. */
export class CompiledElement {
  constructor(
    readonly usage: number,
    readonly type: number,
    readonly min: number,
    readonly max: number,
    /** Packed codes of the closed code list (null when the list is open). */
    readonly codes: CodeTable | null,
    /** Codes that do not pack (longer than {@link PACK_MAX} or not ASCII). */
    readonly longCodes: readonly string[],
    readonly components: readonly CompiledElement[] | null,
  ) {
    this.requiredComponents =
      components === null ? 0 : components.reduce((last, cs, i) => (cs.usage === USAGE_R ? i + 1 : last), 0);
  }

  /** How many components a composite needs at least: the position of its last required one (0: none). */
  readonly requiredComponents: number;
}

function compileElement(es: ElementSpec): CompiledElement {
  const usage = es.usage === 'R' ? USAGE_R : es.usage === 'S' ? USAGE_S : USAGE_N;
  const type =
    es.type === 'ID'
      ? T_ID
      : es.type === 'N0' || es.type === 'N2'
        ? T_N
        : es.type === 'R'
          ? T_R
          : es.type === 'DT'
            ? T_DT
            : es.type === 'TM'
              ? T_TM
              : T_AN;
  let codes: CodeTable | null = null;
  const longCodes: string[] = [];
  if (es.type === 'ID' && es.codes !== undefined) {
    const packable: string[] = [];
    for (const code of es.codes) {
      if (pack(codesOf(code), 0, code.length) < 0) longCodes.push(code);
      else packable.push(code);
    }
    codes = new CodeTable(packable);
  }
  return new CompiledElement(
    usage,
    type,
    es.min,
    es.max,
    codes,
    longCodes,
    es.components === undefined ? null : es.components.map(compileElement),
  );
}

/** A segment layout prepared once for {@link checkView}. */
export class CompiledLayout {
  readonly elements: readonly CompiledElement[];
  /** Layouts with repeating elements are always checked by `checkSegment` (none of them is hot). */
  readonly slow: boolean;
  /** Position (1-based) of the last required element: a segment with fewer elements lacks it. */
  readonly lastRequired: number;

  constructor(readonly spec: SegmentSpec) {
    this.elements = spec.elements.map(compileElement);
    this.slow = spec.elements.some((e) => e.repeat !== undefined);
    this.lastRequired = spec.elements.reduce((last, e, i) => (e.usage === 'R' ? i + 1 : last), 0);
  }
}

/** Prepares a layout for {@link checkView}; do it once per layout (module level), not per segment. */
export function compileLayout(spec: SegmentSpec): CompiledLayout {
  return new CompiledLayout(spec);
}

/**
 * Checks a segment view against its layout with the same findings as `checkSegment`: a conforming segment is
 * checked over the characters in place (no strings, no closures); a segment with any finding is handed to
 * `checkSegment`, which reports it, so both paths say exactly the same thing.
 */
export function checkView(v: SegmentView, layout: CompiledLayout, loop: string, sink: DiagnosticSink): void {
  if (!conforms(v, layout)) checkSegment(v.toSegment(), layout.spec, loop, sink);
}

function conforms(v: SegmentView, layout: CompiledLayout): boolean {
  if (layout.slow) return false;
  const specs = layout.elements;
  const count = v.count;
  // Absent trailing elements are fine unless one is required (no loop over the rest of a long layout).
  if (count > specs.length || count < layout.lastRequired) return false;
  const b = v.bounds;
  const codes = v.codes;
  for (let i = 0; i < count; i++) {
    const es = specs[i]!;
    const k = i + 1;
    const a = b[k]!;
    const e = b[k + 1]! - 1;
    if (a === e) {
      if (es.usage === USAGE_R) return false;
      continue;
    }
    if (es.usage === USAGE_N) return false;
    const comps = es.components;
    if (comps === null) {
      if (!valueOk(codes, a, e, es)) return false;
      continue;
    }
    // Components: walk the separators inside the element.
    const cc = v.componentCode;
    let c = 0;
    let s = a;
    for (let p = a; p <= e; p++) {
      if (p < e && codes[p]! !== cc) continue;
      const cs = comps[c];
      if (cs === undefined) return false; // more components than the guide defines
      if (s === p) {
        if (cs.usage === USAGE_R) return false;
      } else if (cs.usage === USAGE_N || !valueOk(codes, s, p, cs)) {
        return false;
      }
      c++;
      s = p + 1;
    }
    for (; c < comps.length; c++) if (comps[c]!.usage === USAGE_R) return false;
  }
  return true;
}

/** The same rules as `valueOk` in spec.ts, over `codes[a, e)`. */
function valueOk(codes: Codes, a: number, e: number, es: CompiledElement): boolean {
  const type = es.type;
  if (type === T_R || type === T_N) {
    // One pass: the syntax (`-?\d+` for N, `-?(\d+\.?\d*|\.\d+)` for R) and the length without sign and point.
    let i = a;
    if (codes[i]! === 45) i++;
    const intStart = i;
    while (i < e) {
      const c = codes[i]!;
      if (c < 48 || c > 57) break;
      i++;
    }
    const digits = i - intStart;
    if (i === e) {
      if (digits === 0) return false;
      return digits >= es.min && digits <= es.max;
    }
    if (type === T_N || codes[i]! !== 46) return false;
    i++;
    const fracStart = i;
    while (i < e) {
      const c = codes[i]!;
      if (c < 48 || c > 57) return false;
      i++;
    }
    const len = digits + (i - fracStart);
    return len > 0 && len >= es.min && len <= es.max;
  }
  const len = e - a;
  if (len < es.min || len > es.max) return false;
  switch (type) {
    case T_ID: {
      const table = es.codes;
      if (table === null) return true;
      const p = pack(codes, a, e);
      return p >= 0 ? table.has(p) : es.longCodes.includes(textOf(codes, a, e));
    }
    case T_DT:
      if (len === 8) return d8At(codes, a, e) >= 0;
      if (len !== 6) return false;
      for (let i = a; i < e; i++) {
        const c = codes[i]!;
        if (c < 48 || c > 57) return false;
      }
      return true;
    case T_TM:
      return isValidTime(textOf(codes, a, e));
    default:
      return true;
  }
}

/*
 * Fused element reads, for the segments a reader meets millions of times: each checks one present element (or
 * component) `text[a, e)` against its compiled spec as checkView does and converts it in the same pass over its
 * characters. Each answers "does not conform" (undefined, NaN, -1, false) for anything checkView would not pass
 * silently, and also for a spec of another type than the read expects; the reader then takes its generic path
 * (checkView, then its usual conversions), so the findings are always exactly checkView's.
 */

/** Whether an absent element (or component) with spec `es` passes: it is not required. */
export function absentOk(es: CompiledElement): boolean {
  return es.usage !== USAGE_R;
}

/** Whether element (or component) spec `es` allows the element to be present (it is not "not used"). */
export function presentOk(es: CompiledElement): boolean {
  return es.usage !== USAGE_N;
}

/** A present ID element with a closed code list: the list's (shared) string for it, undefined when it does not conform. */
export function listedCode(codes: Codes, a: number, e: number, es: CompiledElement): string | undefined {
  const table = es.codes;
  const len = e - a;
  if (table === null || es.usage === USAGE_N || len === 0 || len < es.min || len > es.max) return undefined;
  const p = pack(codes, a, e);
  if (p >= 0) return table.code(p);
  const code = textOf(codes, a, e);
  return es.longCodes.includes(code) ? code : undefined;
}

/** Whether a present AN element, or an ID element without a closed list, conforms (its length). */
export function lengthOk(a: number, e: number, es: CompiledElement): boolean {
  const len = e - a;
  return (
    (es.type === T_AN || (es.type === T_ID && es.codes === null)) &&
    es.usage !== USAGE_N &&
    len > 0 &&
    len >= es.min &&
    len <= es.max
  );
}

/**
 * A present R element as integer cents (what `centsAt` gives), NaN when it does not conform or is not an amount
 * in cents (more than two decimal places, over 13 integer digits): the generic path reports that too.
 */
export function centsOk(codes: Codes, a: number, e: number, es: CompiledElement): number {
  if (es.type !== T_R || es.usage === USAGE_N) return NaN;
  // What centsAt accepts is R syntax (`-?(\d+\.?\d*|\.\d+)`); only the length is left to check.
  const cents = centsAt(codes, a, e);
  return Number.isNaN(cents) || !numericLengthOk(codes, a, e, es) ? NaN : cents;
}

/** A present R element as a number (what `SegmentView.decimal` gives), NaN when it does not conform. */
export function decimalOk(codes: Codes, a: number, e: number, es: CompiledElement): number {
  if (es.type !== T_R || es.usage === USAGE_N) return NaN;
  const n = decimalAt(codes, a, e);
  return Number.isNaN(n) || !numericLengthOk(codes, a, e, es) ? NaN : n;
}

/** The R length rule (digits, without sign and point, within min..max) for text already known to be a decimal. */
function numericLengthOk(codes: Codes, a: number, e: number, es: CompiledElement): boolean {
  // A decimal has at least one digit and at most e - a: count them only when that does not settle it.
  if (es.min <= 1 && e - a <= es.max) return true;
  let digits = 0;
  for (let i = a; i < e; i++) {
    const c = codes[i]!;
    if (c >= 48 && c <= 57) digits++;
  }
  return digits >= es.min && digits <= es.max;
}

/** A present DT element as a CCYYMMDD number (what `d8At` gives), -1 when it does not conform or is not a D8. */
export function d8Ok(codes: Codes, a: number, e: number, es: CompiledElement): number {
  const len = e - a;
  if (es.type !== T_DT || es.usage === USAGE_N || len < es.min || len > es.max) return -1;
  return d8At(codes, a, e);
}
