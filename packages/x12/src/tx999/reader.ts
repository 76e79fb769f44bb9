import { DiagnosticSink, type Diagnostic } from '../core/diagnostics.ts';
import type { TransactionSet } from '../core/envelope.ts';
import { parseX12, transactionsOf } from '../core/parse.ts';
import type { Segment } from '../core/segment.ts';
import { C, R, S, checkSegment, type SegmentSpec } from '../core/spec.ts';
import type { ReadResult } from '../tx835/reader.ts';
import { IK304_CODES, IK403_CODES } from '../core/diagnostics.ts';
import type {
  Ack999,
  Context,
  ElementError,
  ElementPosition,
  SegmentError,
  TransactionSetResponse,
} from './types.ts';

/*
 * Code lists from the pyx12 table `pyx12_valid_codes_999_X231A1.csv` (azoner/pyx12 map of 005010X231A1).
 */
/** AK101 functional identifier codes a 999 may acknowledge. */
export const ACKNOWLEDGED_FUNCTIONAL_IDS = ['BE', 'HB', 'HC', 'HI', 'HN', 'HP', 'HR', 'HS', 'RA'] as const;
/** AK201 transaction set identifier codes. */
export const ACKNOWLEDGED_TRANSACTION_TYPES = [
  '270',
  '271',
  '276',
  '277',
  '278',
  '820',
  '834',
  '835',
  '837',
] as const;
/** IK501 transaction set acknowledgment codes. */
export const IK501_CODES = ['A', 'E', 'M', 'R', 'W', 'X'] as const;
/** IK502..IK506 implementation transaction set syntax error codes. */
export const IK502_CODES = [
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
  '11',
  '12',
  '13',
  '15',
  '16',
  '17',
  '18',
  '19',
  '23',
  '24',
  '25',
  '26',
  '27',
  'I5',
  'I6',
] as const;
/** AK901 functional group acknowledge codes. */
export const AK901_CODES = ['A', 'E', 'M', 'P', 'R', 'W', 'X'] as const;
/** AK905..AK909 functional group syntax error codes. */
export const AK905_CODES = [
  '1',
  '2',
  '3',
  '4',
  '5',
  '6',
  '10',
  '11',
  '12',
  '13',
  '14',
  '15',
  '16',
  '17',
  '18',
  '19',
  '23',
  '24',
  '25',
  '26',
] as const;

const position = (usage: 'R' | 'S'): ReturnType<typeof C> =>
  C(usage, [R('N0', 1, 2), S('N0', 1, 2), S('N0', 1, 4)]);
const ik5Codes = S('ID', 1, 3, IK502_CODES, 'transaction set syntax error code');
const ak9Codes = S('ID', 1, 3, AK905_CODES, 'functional group syntax error code');
const LAYOUTS: Record<string, SegmentSpec> = {
  AK1: {
    id: 'AK1',
    elements: [
      R('ID', 2, 2, ACKNOWLEDGED_FUNCTIONAL_IDS, 'functional identifier code'),
      R('N0', 1, 9),
      S('AN', 1, 12),
    ],
  },
  AK2: {
    id: 'AK2',
    elements: [
      R('ID', 3, 3, ACKNOWLEDGED_TRANSACTION_TYPES, 'transaction set identifier code'),
      R('AN', 4, 9),
      S('AN', 1, 35),
    ],
  },
  IK3: {
    id: 'IK3',
    elements: [
      R('ID', 2, 3),
      R('N0', 1, 10),
      S('AN', 1, 4),
      S('ID', 1, 3, IK304_CODES, 'segment syntax error code'),
    ],
  },
  CTX: {
    id: 'CTX',
    elements: [
      C('R', [R('AN', 1, 35), S('AN', 1, 35)]),
      S('ID', 2, 3),
      S('N0', 1, 10),
      S('AN', 1, 4),
      position('S'),
      C('S', [R('N0', 1, 4), S('N0', 1, 4)]),
    ],
  },
  IK4: {
    id: 'IK4',
    elements: [
      position('R'),
      S('N0', 1, 4),
      R('ID', 1, 3, IK403_CODES, 'data element syntax error code'),
      S('AN', 1, 99),
    ],
  },
  IK5: {
    id: 'IK5',
    elements: [
      R('ID', 1, 1, IK501_CODES, 'transaction set acknowledgment code'),
      ik5Codes,
      ik5Codes,
      ik5Codes,
      ik5Codes,
      ik5Codes,
    ],
  },
  AK9: {
    id: 'AK9',
    elements: [
      R('ID', 1, 1, AK901_CODES, 'functional group acknowledge code'),
      R('N0', 1, 6),
      R('N0', 1, 6),
      R('N0', 1, 6),
      ak9Codes,
      ak9Codes,
      ak9Codes,
      ak9Codes,
      ak9Codes,
    ],
  },
};

type Building<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K] };
const el = (seg: Segment, n: number): string => seg.elements[n] ?? '';
const int = (text: string): number | undefined => (/^\d+$/.test(text) ? Number(text) : undefined);

function elementPosition(seg: Segment, n: number): ElementPosition | undefined {
  const text = el(seg, n);
  if (text === '') return undefined;
  const [e = '', c = '', r = ''] = text.split(seg.delimiters.component);
  const p: Building<ElementPosition> = { element: int(e) ?? 0 };
  const ci = int(c);
  if (ci !== undefined) p.component = ci;
  const ri = int(r);
  if (ri !== undefined) p.repetition = ri;
  return p;
}

function context(seg: Segment): Context {
  const [name = '', reference = ''] = el(seg, 1).split(seg.delimiters.component);
  const c: Building<Context> = { name };
  if (reference !== '') c.reference = reference;
  if (el(seg, 2) !== '') c.segmentId = el(seg, 2);
  const pos = int(el(seg, 3));
  if (pos !== undefined) c.segmentPosition = pos;
  if (el(seg, 4) !== '') c.loop = el(seg, 4);
  const ep = elementPosition(seg, 5);
  if (ep !== undefined) c.elementPosition = ep;
  if (el(seg, 6) !== '') c.elementReference = el(seg, 6).split(seg.delimiters.component);
  return c;
}

const codes = (seg: Segment, from: number, to: number): string[] => {
  const out: string[] = [];
  for (let n = from; n <= to; n++) if (el(seg, n) !== '') out.push(el(seg, n));
  return out;
};

/** Reads one 999 transaction set into the typed model, with layout and code-list diagnostics. */
export function read999(tx: TransactionSet): ReadResult<Ack999> {
  const sink = new DiagnosticSink();
  const ack: Building<Ack999> = {
    controlNumber: tx.controlNumber,
    implementation: tx.implementation,
    functionalId: '',
    groupControlNumber: '',
    transactions: [],
    status: '',
    included: 0,
    received: 0,
    accepted: 0,
    errorCodes: [],
  };
  let response: Building<TransactionSetResponse> | undefined;
  let segError: Building<SegmentError> | undefined;
  let elemError: Building<ElementError> | undefined;
  let sawAk1 = false;
  let sawAk9 = false;
  const unexpected = (seg: Segment, loop: string): void =>
    sink.at(seg, 'error', 'unexpected-segment', `${seg.id} is not expected here in the 999`, {
      loop,
      ik304: '2',
    });
  for (const seg of tx.segments) {
    const loop =
      elemError !== undefined
        ? '2110'
        : segError !== undefined
          ? '2100'
          : response !== undefined
            ? '2000'
            : '';
    const layout = LAYOUTS[seg.id];
    if (layout !== undefined) checkSegment(seg, layout, loop, sink);
    switch (seg.id) {
      case 'AK1':
        if (sawAk1) {
          unexpected(seg, loop);
          break;
        }
        sawAk1 = true;
        ack.functionalId = el(seg, 1);
        ack.groupControlNumber = el(seg, 2);
        if (el(seg, 3) !== '') ack.groupVersion = el(seg, 3);
        break;
      case 'AK2':
        if (response !== undefined) {
          sink.at(seg, 'error', 'missing-segment', 'the previous AK2 loop has no IK5', {
            loop: '2000',
            ik304: '3',
          });
        }
        response = {
          transactionType: el(seg, 1),
          controlNumber: el(seg, 2),
          segmentErrors: [],
          status: '',
          errorCodes: [],
        };
        if (el(seg, 3) !== '') response.implementation = el(seg, 3);
        ack.transactions.push(response);
        segError = undefined;
        elemError = undefined;
        break;
      case 'IK3':
        if (response === undefined) {
          unexpected(seg, loop);
          break;
        }
        segError = { segmentId: el(seg, 1), position: int(el(seg, 2)) ?? 0, contexts: [], elementErrors: [] };
        if (el(seg, 3) !== '') segError.loop = el(seg, 3);
        if (el(seg, 4) !== '') segError.code = el(seg, 4);
        response.segmentErrors.push(segError);
        elemError = undefined;
        break;
      case 'CTX':
        if (elemError !== undefined) elemError.contexts.push(context(seg));
        else if (segError !== undefined) segError.contexts.push(context(seg));
        else unexpected(seg, loop);
        break;
      case 'IK4': {
        if (segError === undefined) {
          unexpected(seg, loop);
          break;
        }
        elemError = { position: elementPosition(seg, 1) ?? { element: 0 }, code: el(seg, 3), contexts: [] };
        if (el(seg, 2) !== '') elemError.referenceNumber = el(seg, 2);
        if (el(seg, 4) !== '') elemError.badValue = el(seg, 4);
        segError.elementErrors.push(elemError);
        break;
      }
      case 'IK5':
        if (response === undefined) {
          unexpected(seg, loop);
          break;
        }
        response.status = el(seg, 1);
        response.errorCodes = codes(seg, 2, 6);
        response = undefined;
        segError = undefined;
        elemError = undefined;
        break;
      case 'AK9':
        if (response !== undefined) {
          sink.at(seg, 'error', 'missing-segment', 'the last AK2 loop has no IK5', {
            loop: '2000',
            ik304: '3',
          });
          response = undefined;
        }
        sawAk9 = true;
        ack.status = el(seg, 1);
        ack.included = int(el(seg, 2)) ?? 0;
        ack.received = int(el(seg, 3)) ?? 0;
        ack.accepted = int(el(seg, 4)) ?? 0;
        ack.errorCodes = codes(seg, 5, 9);
        break;
      default:
        unexpected(seg, loop);
    }
  }
  const where = { id: 'AK1', index: tx.st.index, line: tx.st.line, offset: tx.st.offset };
  if (!sawAk1)
    sink.at(where, 'error', 'missing-segment', 'required functional group response header (AK1) is missing', {
      ik304: '3',
    });
  if (!sawAk9)
    sink.at(
      { ...where, id: 'AK9' },
      'error',
      'missing-segment',
      'required functional group response trailer (AK9) is missing',
      { ik304: '3' },
    );
  const diagnostics: Diagnostic[] = [...tx.diagnostics];
  for (const d of sink.items) {
    diagnostics.push(
      d.segmentIndex === undefined ? d : { ...d, positionInTransaction: d.segmentIndex - tx.st.index + 1 },
    );
  }
  return { value: ack, diagnostics };
}

/** Parses X12 text and reads every 999 in it. */
export function parse999(text: string): ReadResult<Ack999[]> & { readonly transactions: TransactionSet[] } {
  const parsed = parseX12(text);
  const transactions = transactionsOf(parsed).filter((t) => t.transactionType === '999');
  const own = new Set(transactions.flatMap((t) => t.diagnostics));
  const diagnostics: Diagnostic[] = parsed.diagnostics.filter((d) => !own.has(d));
  const value: Ack999[] = [];
  for (const t of transactions) {
    const r = read999(t);
    value.push(r.value);
    diagnostics.push(...r.diagnostics);
  }
  return { value, diagnostics, transactions };
}
