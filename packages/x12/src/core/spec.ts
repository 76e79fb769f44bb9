import type { DiagnosticSink, Ik403Code } from './diagnostics.ts';
import { position, type Segment } from './segment.ts';
import { isValidD8, isValidRd8, isValidTime } from './values.ts';

/** X12 data element types used by the 5010 TR3s. */
export const ELEMENT_TYPES = ['AN', 'ID', 'N0', 'N2', 'R', 'DT', 'TM'] as const;
export type ElementType = (typeof ELEMENT_TYPES)[number];

/** TR3 usage: Required, Situational (may be present), Not used (must be absent). */
export type Usage = 'R' | 'S' | 'N';

/** One simple element (or one component of a composite) as the TR3 defines it for a segment in a loop. */
export interface ElementSpec {
  readonly usage: Usage;
  readonly type: ElementType;
  readonly min: number;
  readonly max: number;
  /** Allowed codes (the TR3's internal code list for this position), when the list is closed. */
  readonly codes?: readonly string[];
  /** Components, when the element is a composite (e.g. CLM05, SVC01, HI01). */
  readonly components?: readonly ElementSpec[];
  /** Short name for messages, e.g. "claim status code". */
  readonly name?: string;
  /** Maximum repetitions (ISA11 separator) when the element repeats, e.g. 271 EB03 service types (99). */
  readonly repeat?: number;
}

/** A segment's element layout in one loop of one guide; index 0 of `elements` is element 01. */
export interface SegmentSpec {
  readonly id: string;
  readonly elements: readonly ElementSpec[];
}

/** Shorthand constructors so guide tables stay readable: `R('ID', 1, 2, ['CO', 'PR'])`. */
export function R(
  type: ElementType,
  min: number,
  max: number,
  codes?: readonly string[],
  name?: string,
): ElementSpec {
  return spec('R', type, min, max, codes, name);
}
export function S(
  type: ElementType,
  min: number,
  max: number,
  codes?: readonly string[],
  name?: string,
): ElementSpec {
  return spec('S', type, min, max, codes, name);
}
/** The same element spec, repeating up to `max` times (split on the ISA11 repetition separator). */
export function Rep(es: ElementSpec, max: number): ElementSpec {
  return shape(es.usage, es.type, es.min, es.max, es.codes, es.name, es.components, max);
}
export const N: ElementSpec = shape('N', 'AN', 0, 0, undefined, undefined, undefined, undefined);
/** A composite element. */
export function C(usage: Usage, components: readonly ElementSpec[], name?: string): ElementSpec {
  return shape(usage, 'AN', 0, 0, undefined, name, components, undefined);
}

function spec(
  usage: Usage,
  type: ElementType,
  min: number,
  max: number,
  codes?: readonly string[],
  name?: string,
): ElementSpec {
  return shape(usage, type, min, max, codes, name, undefined, undefined);
}

/**
 * Every spec object gets the same properties in the same order (absent ones hold undefined), so the checker's
 * property reads stay monomorphic: with objects of varying shapes V8's inline caches go megamorphic and
 * checking became the most expensive part of reading a large 835.
 */
function shape(
  usage: Usage,
  type: ElementType,
  min: number,
  max: number,
  codes: readonly string[] | undefined,
  name: string | undefined,
  components: readonly ElementSpec[] | undefined,
  repeat: number | undefined,
): ElementSpec {
  return { usage, type, min, max, codes, name, components, repeat } as ElementSpec;
}

function checkValue(
  value: string,
  es: ElementSpec,
  where: string,
  report: (code: Ik403Code, diag: string, message: string) => void,
): void {
  // Numeric types: the sign and the decimal point do not count toward the length (X12.6).
  const len = es.type === 'R' || es.type === 'N0' || es.type === 'N2' ? numericLength(value) : value.length;
  if (len < es.min) report('4', 'element-too-short', `${where} is shorter than ${es.min} characters`);
  if (len > es.max) report('5', 'element-too-long', `${where} is longer than ${es.max} characters`);
  switch (es.type) {
    case 'N0':
    case 'N2':
      if (!/^-?\d+$/.test(value)) report('6', 'element-type', `${where} must be a whole number`);
      break;
    case 'R':
      if (!/^-?(\d+\.?\d*|\.\d+)$/.test(value))
        report('6', 'element-type', `${where} must be a decimal number`);
      break;
    case 'DT':
      if (value.length === 8 ? !isValidD8(value) : !/^\d{6}$/.test(value))
        report('8', 'invalid-date', `${where} is not a valid date`);
      break;
    case 'TM':
      if (!isValidTime(value)) report('9', 'invalid-time', `${where} is not a valid time`);
      break;
    case 'ID':
      if (es.codes !== undefined && !es.codes.includes(value)) {
        report('7', 'invalid-code', `${where} is not a valid ${es.name ?? 'code'} for this position`);
      }
      break;
    case 'AN':
      break;
  }
}

/** Digits in a numeric value: the sign and the decimal point do not count toward the length (X12.6). */
function numericLength(value: string): number {
  let len = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c !== 45 /* - */ && c !== 46 /* . */) len++;
  }
  return len;
}

/**
 * Allocation-free test that a value passes {@link checkValue}. Checking runs on every element of every segment,
 * so the conforming path must not build messages or closures; {@link checkValue} runs only on failure to say why.
 */
function valueOk(value: string, es: ElementSpec): boolean {
  const numeric = es.type === 'R' || es.type === 'N0' || es.type === 'N2';
  const len = numeric ? numericLength(value) : value.length;
  if (len < es.min || len > es.max) return false;
  switch (es.type) {
    case 'N0':
    case 'N2':
      return /^-?\d+$/.test(value);
    case 'R':
      return /^-?(\d+\.?\d*|\.\d+)$/.test(value);
    case 'DT':
      return value.length === 8 ? isValidD8(value) : /^\d{6}$/.test(value);
    case 'TM':
      return isValidTime(value);
    case 'ID':
      return es.codes === undefined || es.codes.includes(value);
    case 'AN':
      return true;
  }
}

function reporter(
  seg: Segment,
  loop: string,
  sink: DiagnosticSink,
  at: string,
): (ik403: Ik403Code, code: string, message: string) => void {
  return (ik403, code, message) =>
    sink.at(seg, 'error', code, message, { loop, element: at, ik304: '8', ik403 });
}

/**
 * Checks a segment against its guide layout: required elements present, "not used" elements absent, no extra
 * elements, lengths, types, dates, times and closed code lists. Findings carry the element position (`CLP02`,
 * `CLM05-3`), the loop, and the 999 IK4 error code.
 */
export function checkSegment(seg: Segment, layout: SegmentSpec, loop: string, sink: DiagnosticSink): void {
  const specs = layout.elements;
  const count = seg.elements.length - 1;
  if (count > specs.length) {
    sink.at(
      seg,
      'error',
      'too-many-elements',
      `${seg.id} has ${count} elements; the guide defines ${specs.length}`,
      {
        loop,
        element: position(seg.id, specs.length + 1),
        ik304: '8',
        ik403: '3',
      },
    );
  }
  for (let i = 0; i < specs.length; i++) {
    const es = specs[i];
    if (es === undefined) continue;
    const n = i + 1;
    const value = seg.elements[n] ?? '';
    if (value === '') {
      if (es.usage === 'R') {
        const where = position(seg.id, n);
        reporter(
          seg,
          loop,
          sink,
          where,
        )('1', 'required-element', `${where}${es.name ? ` (${es.name})` : ''} is required`);
      }
      continue;
    }
    if (es.usage === 'N') {
      const where = position(seg.id, n);
      reporter(seg, loop, sink, where)('I10', 'element-not-used', `${where} is not used in this guide`);
      continue;
    }
    if (es.repeat !== undefined && es.components === undefined) {
      const where = position(seg.id, n);
      const report = reporter(seg, loop, sink, where);
      const reps = value.split(seg.delimiters.repetition);
      if (reps.length > es.repeat) {
        report('12', 'too-many-repetitions', `${where} repeats more than ${es.repeat} times`);
      }
      for (const rep of reps) {
        if (rep === '') report('1', 'required-element', `${where} has an empty repetition`);
        else checkValue(rep, es, where, report);
      }
      continue;
    }
    if (es.components === undefined) {
      if (!valueOk(value, es)) {
        const where = position(seg.id, n);
        checkValue(value, es, where, reporter(seg, loop, sink, where));
      }
      continue;
    }
    const comps = value.split(seg.delimiters.component);
    if (comps.length > es.components.length) {
      const where = position(seg.id, n);
      reporter(
        seg,
        loop,
        sink,
        where,
      )('13', 'too-many-components', `${where} has more components than the guide defines`);
    }
    for (let c = 0; c < es.components.length; c++) {
      const cs = es.components[c];
      if (cs === undefined) continue;
      const cv = comps[c] ?? '';
      if (cv === '') {
        if (cs.usage === 'R') {
          const cwhere = position(seg.id, n, c + 1);
          reporter(
            seg,
            loop,
            sink,
            cwhere,
          )('1', 'required-element', `${cwhere}${cs.name ? ` (${cs.name})` : ''} is required`);
        }
        continue;
      }
      if (cs.usage === 'N') {
        const cwhere = position(seg.id, n, c + 1);
        reporter(seg, loop, sink, cwhere)('I10', 'element-not-used', `${cwhere} is not used in this guide`);
        continue;
      }
      if (!valueOk(cv, cs)) {
        const cwhere = position(seg.id, n, c + 1);
        checkValue(cv, cs, cwhere, reporter(seg, loop, sink, cwhere));
      }
    }
  }
}

/** Checks a date element by its qualifier: D8 → CCYYMMDD, RD8 → CCYYMMDD-CCYYMMDD. */
export function checkDateByQualifier(
  seg: Segment,
  qualifierElement: number,
  valueElement: number,
  loop: string,
  sink: DiagnosticSink,
): void {
  const q = seg.elements[qualifierElement] ?? '';
  const v = seg.elements[valueElement] ?? '';
  if (v === '') return;
  const ok = q === 'D8' ? isValidD8(v) : q === 'RD8' ? isValidRd8(v) : true;
  if (!ok) {
    sink.at(seg, 'error', 'invalid-date', `${position(seg.id, valueElement)} is not a valid ${q} date`, {
      loop,
      element: position(seg.id, valueElement),
      ik304: '8',
      ik403: '8',
    });
  }
}
