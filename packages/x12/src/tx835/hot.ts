import {
  absentOk,
  centsOk,
  d8Ok,
  decimalOk,
  lengthOk,
  listedCode,
  presentOk,
  type CompiledElement,
  type CompiledLayout,
} from '../core/check.ts';
import { Interner, isoOfD8, type SegmentView } from '../core/view.ts';
import type { AdjustmentItem, Procedure } from './types.ts';

/**
 * Shared empty list: typed objects start with it and get their own array on the first item. Most lists of a
 * claim or service line stay empty, and a 50 MB remittance has hundreds of thousands of them.
 */
export const NONE = Object.freeze([]) as unknown as never[];

/** `list` with `item` appended (a new list when `list` is {@link NONE} or short). */
export function add<T>(list: T[], item: T): T[] {
  // Short lists are rebuilt as literals of their exact size (a list grown by push keeps room for 17 items).
  if (list === NONE) return [item];
  if (list.length === 1) return [list[0]!, item];
  if (list.length === 2) return [list[0]!, list[1]!, item];
  list.push(item);
  return list;
}

/** Distinct dates a {@link SharedTables} keeps (past them a date is formatted each time). */
const DATE_LIMIT = 4096;
/** 32 − log2 of the date table's size (2 × {@link DATE_LIMIT} slots). */
const DATE_SHIFT = 32 - 13;

/** Strings a reader converts once and shares: dates (CCYYMMDD number → ISO) and short codes. */
export class SharedTables {
  readonly codes = new Interner();
  // The dates met, in an open-addressing table keyed by the CCYYMMDD number (never 0): a `Map` lookup cost
  // 5 % of the claim stream.
  private readonly dateKeys = new Int32Array(DATE_LIMIT * 2);
  private readonly dateTexts = new Array<string>(DATE_LIMIT * 2).fill('');
  private dateCount = 0;

  /** The ISO text of a CCYYMMDD number from `d8At` (a remittance repeats a few hundred dates thousands of times). */
  iso(d8: number): string {
    const keys = this.dateKeys;
    const mask = keys.length - 1;
    // The high bits of a multiplicative hash (the low bits of the product follow the low digits only).
    let h = Math.imul(d8, 0x9e3779b1) >>> DATE_SHIFT;
    for (;;) {
      const k = keys[h]!;
      if (k === d8) return this.dateTexts[h]!;
      if (k === 0) break;
      h = (h + 1) & mask;
    }
    const iso = isoOfD8(d8);
    if (this.dateCount < DATE_LIMIT) {
      keys[h] = d8;
      this.dateTexts[h] = iso;
      this.dateCount++;
    }
    return iso;
  }
}

/**
 * Fused reads of the segments an 835 is made of (SVC, CAS, DTM, REF, AMT, CLP, NM1 in 2100/2110): the layout
 * check and the conversions in one pass over each element, where the generic path checks the segment with
 * `checkView` and then reads every element a second time to convert it.
 *
 * Each read handles the usual shape of its segment and answers false for anything else: a segment that does not
 * conform to its layout (so `checkView` would report it), or one of an unusual shape, or a value the generic
 * conversion would report (an amount with three decimal places). The reader then takes its generic path, which
 * gives the findings. When a read answers true its fields hold exactly the values the generic conversions give
 * (differential property test in hot.test.ts), and `checkView` would have reported nothing.
 */
export class HotReads {
  /** DTM02 as ISO text, REF02, or the code of AMT01 / DTM01 / REF01. */
  text = '';
  code = '';
  /** AMT02, SVC02 or CLP03 in cents. */
  amount = 0;
  /** SVC03 or CLP04 in cents. */
  paid = 0;
  /** SVC05. */
  units: number | undefined = undefined;
  procedure: Procedure = { qualifier: '', code: '', modifiers: NONE };
  /** CAS: number of items written to the caller's list. */
  count = 0;
  /** CLP02, CLP06, CLP05 in cents (undefined when absent). */
  status = '';
  filingIndicator = '';
  patientResponsibility: number | undefined = undefined;
  /** NM101, NM102. */
  entity = '';
  entityType = '';

  constructor(private readonly shared: SharedTables) {}

  /** DTM with a qualifier and a D8 date: {@link code} and {@link text} (ISO). */
  dateRef(v: SegmentView, layout: CompiledLayout): boolean {
    if (!fits(v, layout, 2)) return false;
    const code = codeAt(v, 1, layout);
    const d8 = dateAt(v, 2, layout);
    if (code === undefined || d8 < 0) return false;
    this.code = code;
    this.text = this.shared.iso(d8);
    return true;
  }

  /** REF with a qualifier and a value (no REF03): {@link code} and {@link text}. */
  reference(v: SegmentView, layout: CompiledLayout): boolean {
    if (!fits(v, layout, 2)) return false;
    const code = codeAt(v, 1, layout);
    if (code === undefined || !sized(v, 2, layout)) return false;
    this.code = code;
    this.text = v.str(2);
    return true;
  }

  /** AMT with a qualifier and an amount: {@link code} and {@link amount}. */
  amountRef(v: SegmentView, layout: CompiledLayout): boolean {
    if (!fits(v, layout, 2)) return false;
    const code = codeAt(v, 1, layout);
    const cents = centsAtK(v, 2, layout);
    if (code === undefined || Number.isNaN(cents)) return false;
    this.code = code;
    this.amount = cents;
    return true;
  }

  /**
   * CAS whose every (reason, amount, quantity) triple is empty or has its reason and amount: the group in
   * {@link code}, the items in `items[0, count)`. Without CARC checking only (the caller's generic path checks it).
   */
  adjustment(v: SegmentView, layout: CompiledLayout, items: AdjustmentItem[]): boolean {
    const count = v.count;
    if (!fits(v, layout, count)) return false;
    const group = codeAt(v, 1, layout);
    if (group === undefined) return false;
    let n = 0;
    // Elements k (reason), k + 1 (amount), k + 2 (quantity); those past `count` are absent.
    for (let k = 2; k <= count; k += 3) {
      const hasReason = v.has(k);
      const hasAmount = v.has(k + 1);
      const hasQuantity = v.has(k + 2);
      if (!hasReason && !hasAmount && !hasQuantity) {
        // An empty triple is skipped, as long as none of its elements is required.
        if (!absent(v, k, layout) || !absent(v, k + 1, layout) || !absent(v, k + 2, layout)) return false;
        continue;
      }
      if (!hasReason || !sized(v, k, layout)) return false;
      const amount = centsAtK(v, k + 1, layout);
      const quantity = hasQuantity ? decimalAtK(v, k + 2, layout) : 0;
      if (Number.isNaN(amount) || Number.isNaN(quantity) || (!hasQuantity && !absent(v, k + 2, layout))) {
        return false;
      }
      const reason = this.shared.codes.element(v, k);
      const item: AdjustmentItem = hasQuantity ? { reason, amount, quantity } : { reason, amount };
      if (n < items.length) items[n] = item;
      else items.push(item);
      n++;
    }
    this.code = group;
    this.count = n;
    return true;
  }

  /**
   * The usual professional SVC: procedure, charge, payment, no revenue code, units, nothing after SVC05
   * ({@link procedure}, {@link amount}, {@link paid}, {@link units}).
   */
  service(v: SegmentView, layout: CompiledLayout): boolean {
    if (!fits(v, layout, 5) || !absent(v, 4, layout)) return false;
    const charge = centsAtK(v, 2, layout);
    const paid = centsAtK(v, 3, layout);
    const units = decimalAtK(v, 5, layout);
    if (Number.isNaN(charge) || Number.isNaN(paid) || Number.isNaN(units) || !v.has(1)) return false;
    const procedure = procedureAt(v, 1, this.shared.codes, layout.elements[0]);
    if (procedure === undefined) return false;
    this.procedure = procedure;
    this.amount = charge;
    this.paid = paid;
    this.units = units;
    return true;
  }

  /**
   * The usual professional CLP: CLP01-04 and CLP06-09 present, CLP05 present or not, nothing after CLP09
   * ({@link status}, {@link amount} = CLP03, {@link paid}, {@link patientResponsibility}, {@link filingIndicator}).
   */
  claim(v: SegmentView, layout: CompiledLayout): boolean {
    if (!fits(v, layout, 9)) return false;
    const status = codeAt(v, 2, layout);
    const charge = centsAtK(v, 3, layout);
    const paid = centsAtK(v, 4, layout);
    const hasPr = v.has(5);
    const pr = hasPr ? centsAtK(v, 5, layout) : 0;
    const filing = codeAt(v, 6, layout);
    if (
      status === undefined ||
      filing === undefined ||
      Number.isNaN(charge) ||
      Number.isNaN(paid) ||
      Number.isNaN(pr) ||
      (!hasPr && !absent(v, 5, layout)) ||
      !sized(v, 1, layout) ||
      !sized(v, 7, layout) ||
      !sized(v, 8, layout) ||
      !sized(v, 9, layout)
    ) {
      return false;
    }
    this.status = status;
    this.amount = charge;
    this.paid = paid;
    this.patientResponsibility = hasPr ? pr : undefined;
    this.filingIndicator = filing;
    return true;
  }

  /**
   * The usual person NM1: entity, type, last and first name, no NM105-07, id qualifier and id ({@link entity},
   * {@link entityType}).
   */
  name(v: SegmentView, layout: CompiledLayout): boolean {
    if (!fits(v, layout, 9)) return false;
    const entity = codeAt(v, 1, layout);
    const entityType = codeAt(v, 2, layout);
    if (
      entity === undefined ||
      entityType === undefined ||
      !sized(v, 3, layout) ||
      !sized(v, 4, layout) ||
      !absent(v, 5, layout) ||
      !absent(v, 6, layout) ||
      !absent(v, 7, layout) ||
      !sized(v, 8, layout) ||
      !sized(v, 9, layout)
    ) {
      return false;
    }
    this.entity = entity;
    this.entityType = entityType;
    return true;
  }
}

/*
 * Element k (1-based) of a view against its spec in `layout`, through the fused reads of check.ts: each answers
 * "does not conform" for an absent element, except {@link absent}.
 */

/** Whether `v` has exactly `count` elements and its layout allows that many (no more, all required ones). */
function fits(v: SegmentView, layout: CompiledLayout, count: number): boolean {
  return v.count === count && !layout.slow && count <= layout.elements.length && count >= layout.lastRequired;
}

function codeAt(v: SegmentView, k: number, layout: CompiledLayout): string | undefined {
  return listedCode(v.codes, v.bounds[k]!, v.bounds[k + 1]! - 1, layout.elements[k - 1]!);
}

function centsAtK(v: SegmentView, k: number, layout: CompiledLayout): number {
  return centsOk(v.codes, v.bounds[k]!, v.bounds[k + 1]! - 1, layout.elements[k - 1]!);
}

function decimalAtK(v: SegmentView, k: number, layout: CompiledLayout): number {
  return decimalOk(v.codes, v.bounds[k]!, v.bounds[k + 1]! - 1, layout.elements[k - 1]!);
}

function dateAt(v: SegmentView, k: number, layout: CompiledLayout): number {
  return d8Ok(v.codes, v.bounds[k]!, v.bounds[k + 1]! - 1, layout.elements[k - 1]!);
}

/** A present AN element (or ID without a closed list) of a conforming length. */
function sized(v: SegmentView, k: number, layout: CompiledLayout): boolean {
  return lengthOk(v.bounds[k]!, v.bounds[k + 1]! - 1, layout.elements[k - 1]!);
}

/** An absent element (empty, or past the end) that may be absent. */
function absent(v: SegmentView, k: number, layout: CompiledLayout): boolean {
  return !v.has(k) && absentOk(layout.elements[k - 1]!);
}

/**
 * Composite C003 (qualifier, code, up to four modifiers, description) of the present element `k` of `v`. With
 * `es`, each component is checked against it too, and the answer is undefined when the composite does not
 * conform; without, components past the description are ignored (the generic conversion).
 */
export function procedureAt(
  v: SegmentView,
  k: number,
  interner: Interner,
  es: CompiledElement | undefined,
): Procedure | undefined {
  const comps = es === undefined ? null : es.components;
  const a = v.bounds[k]!;
  const e = v.bounds[k + 1]! - 1;
  if (es !== undefined && (comps === null || a === e || !presentOk(es))) return undefined;
  const text = v.text;
  const codes = v.codes;
  const cc = v.componentCode;
  let qualifier = '';
  let code = '';
  let modifiers: string[] = NONE;
  let description = '';
  let c = 0;
  // Component c spans [s, p); a separator at the end leaves an empty last component.
  for (let s = a; ; c++) {
    let p = s;
    while (p < e && codes[p]! !== cc) p++;
    const cs = comps === null ? undefined : comps[c];
    // Checked: more components than the guide defines, a required one absent, a present one not conforming.
    if (comps !== null && (cs === undefined || (s === p && !absentOk(cs)))) return undefined;
    if (p > s) {
      let part: string | undefined;
      if (cs !== undefined && c === 0) part = listedCode(codes, s, p, cs);
      else if (cs === undefined || lengthOk(s, p, cs))
        part = c <= 5 ? interner.text(text, codes, s, p) : text.slice(s, p);
      if (part === undefined) return undefined;
      if (c === 0) qualifier = part;
      else if (c === 1) code = part;
      else if (c <= 5) modifiers = add(modifiers, part);
      else description = part;
    }
    if (p >= e || (comps === null && c >= 6)) {
      c++;
      break;
    }
    s = p + 1;
  }
  // The components after the last present one are absent: none of them may be required.
  if (es !== undefined && c < es.requiredComponents) return undefined;
  return description === '' ? { qualifier, code, modifiers } : { qualifier, code, modifiers, description };
}
