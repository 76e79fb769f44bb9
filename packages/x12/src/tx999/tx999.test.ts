import { describe, expect, it } from 'vitest';
import { corpusManifest, isClean, readCorpus } from '../../test/corpus.ts';
import { build999, buildTa1, ik303LoopId } from '../ack/build.ts';
import { parseX12, transactionsOf } from '../core/parse.ts';
import type { Segment } from '../core/segment.ts';
import { X12WriteError } from '../core/writer.ts';
import { parseTa1, writeTa1 } from '../ta1/ta1.ts';
import { parse835 } from '../tx835/reader.ts';
import { parse999 } from './reader.ts';
import { write835 } from '../tx835/writer.ts';
import { write999, write999Segments } from './writer.ts';

const manifest = corpusManifest().filter((e) => e.file.startsWith('999/'));
const interchange = {
  senderQualifier: 'ZZ',
  senderId: 'CLEARINGHOUSE',
  receiverQualifier: 'ZZ',
  receiverId: 'OPENRCM',
  date: '2026-11-28',
  time: '0930',
  controlNumber: 42,
} as const;

function normalize(seg: Segment): string {
  const d = seg.delimiters;
  const els = seg.elements.map((e) => e.split(d.component).join(':').replace(/:+$/, ''));
  while (els.length > 1 && els[els.length - 1] === '') els.pop();
  return els.join('*');
}

describe('999 reader on the conformance corpus', () => {
  it.each(manifest.filter(isClean).map((e) => e.file))('%s reads clean and round-trips', (file) => {
    const r = parse999(readCorpus(file));
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    r.transactions.forEach((tx, i) => {
      const ack = r.value[i];
      if (ack === undefined) throw new Error('missing 999');
      expect(write999Segments(ack)).toEqual(tx.segments.map(normalize));
    });
  });

  it.each(manifest.map((e) => e.file))('%s parses without throwing', (file) => {
    expect(() => parse999(readCorpus(file))).not.toThrow();
  });

  it('reads IK3 / CTX / IK4 of the three-837 response', () => {
    const r = parse999(readCorpus('999/sedi-pass__response-to-functional-group-containing-3-837s.edi'));
    const ack = r.value[0];
    expect(ack).toMatchObject({ functionalId: 'HC', status: 'P', included: 3, received: 3, accepted: 1 });
    const second = ack?.transactions[1];
    expect(second).toMatchObject({ controlNumber: '0002', status: 'R', errorCodes: ['5'] });
    expect(second?.segmentErrors[0]).toMatchObject({ segmentId: 'CLM', position: 22, code: '8' });
    expect(second?.segmentErrors[0]?.contexts[0]).toEqual({ name: 'CLM01', reference: '123456789' });
    expect(second?.segmentErrors[0]?.elementErrors[0]).toMatchObject({
      position: { element: 2 },
      referenceNumber: '782',
      code: '1',
    });
    const third = ack?.transactions[2]?.segmentErrors[0]?.contexts[0];
    expect(third).toMatchObject({
      name: 'SITUATIONAL TRIGGER',
      segmentId: 'CLM',
      segmentPosition: 43,
      elementPosition: { element: 5, component: 3 },
    });
  });
});

describe('999 generation (build999)', () => {
  function ackFor(file: string): ReturnType<typeof build999> {
    const parsed = parseX12(readCorpus(file));
    const group = parsed.interchanges[0]?.groups[0];
    if (group === undefined) throw new Error('no group');
    const r = parse835(readCorpus(file));
    const per = group.transactions.map((_, i) => (r.value[i] === undefined ? [] : r.diagnostics));
    return build999(group, per, { groupDiagnostics: parsed.interchanges[0]?.diagnostics ?? [] });
  }

  it('accepts a clean 835 group: IK5 A, AK9 A 1/1/1', () => {
    const ack = ackFor('835/sedi-pass__era-sample.edi');
    expect(ack).toMatchObject({
      functionalId: 'HP',
      groupControlNumber: '278',
      status: 'A',
      included: 1,
      received: 1,
      accepted: 1,
    });
    expect(ack.transactions[0]).toMatchObject({
      transactionType: '835',
      controlNumber: '35681',
      status: 'A',
      segmentErrors: [],
      errorCodes: [],
    });
  });

  it('rejects a transaction set whose SE01 count is wrong: IK5 R 4', () => {
    const ack = ackFor('mutations/835/01_se_count_wrong.edi');
    expect(ack.transactions[0]).toMatchObject({ status: 'R', errorCodes: ['4'] });
    expect(ack).toMatchObject({ status: 'R', accepted: 0 });
  });

  it('locates an invalid code: IK3 CLP at its position in loop 2100, IK4 element 2 code 7', () => {
    const ack = ackFor('mutations/835/02_invalid_claim_status_code.edi');
    const t = ack.transactions[0];
    expect(t).toMatchObject({ status: 'R', errorCodes: ['5'] });
    // ST is position 1: CLP is the 11th segment of the set.
    expect(t?.segmentErrors).toEqual([
      {
        segmentId: 'CLP',
        position: 11,
        loop: '2100',
        code: '8',
        contexts: [],
        elementErrors: [{ position: { element: 2 }, code: '7', contexts: [] }],
      },
    ]);
  });

  it('reports a missing required segment with IK304 3', () => {
    const ack = ackFor('mutations/835/05_missing_trn.edi');
    expect(ack.transactions[0]?.segmentErrors[0]).toMatchObject({ segmentId: 'TRN', position: 3, code: '3' });
  });

  it('IK5 E / AK9 E when a set has only warnings; AK9 P when some sets are rejected', () => {
    const text = write835(
      [
        ...parse835(readCorpus('835/sedi-pass__era-sample.edi')).value,
        ...parse835(readCorpus('835/sedi-pass__tertiary-payments.edi')).value,
      ],
      {
        interchange,
        senderCode: 'PAYER',
        receiverCode: 'OPENRCM',
        groupControlNumber: 5,
      },
    );
    const group = parseX12(text).interchanges[0]?.groups[0];
    if (group === undefined) throw new Error('fixture');
    const second = group.transactions[1];
    if (second === undefined) throw new Error('fixture');
    const at = second.segments[2];
    if (at === undefined) throw new Error('fixture');
    const finding = (severity: 'error' | 'warning') => ({
      severity,
      code: 'invalid-code',
      message: 'N101 is not valid',
      segmentIndex: at.index,
      line: at.line,
      segmentId: at.id,
      loop: '1000A',
      element: 'N101',
      ik304: '8' as const,
      ik403: '7' as const,
    });
    const noted = build999(group, [[], [finding('warning')]]);
    expect(noted.transactions.map((t) => t.status)).toEqual(['A', 'E']);
    expect(noted.transactions[1]?.segmentErrors[0]).toMatchObject({
      segmentId: at.id,
      position: 4,
      loop: '1000',
      code: '8',
    });
    expect(noted).toMatchObject({ status: 'E', received: 2, accepted: 2 });
    const partial = build999(group, [[], [finding('error')]]);
    expect(partial.transactions.map((t) => t.status)).toEqual(['A', 'R']);
    expect(partial).toMatchObject({ status: 'P', included: 2, received: 2, accepted: 1 });
  });

  it('names the 837 claim of a segment in error with CTX CLM01 (business unit identifier)', () => {
    const parsed = parseX12(readCorpus('mutations/837p/03_invalid_place_of_service.edi'));
    const group = parsed.interchanges[0]?.groups[0];
    const tx = group?.transactions[0];
    if (group === undefined || tx === undefined) throw new Error('fixture');
    const clm = tx.segments.find((s) => s.id === 'CLM');
    if (clm === undefined) throw new Error('fixture');
    // What the 837P reader reports for this mutation: CLM05-1 is not a place of service code.
    const finding = {
      severity: 'error' as const,
      code: 'invalid-code',
      message: 'CLM05-1 is not a valid place of service code',
      segmentIndex: clm.index,
      line: clm.line,
      segmentId: 'CLM',
      loop: '2300',
      element: 'CLM05-1',
      ik304: '8' as const,
      ik403: '7' as const,
    };
    const ack = build999(group, [[finding]]);
    expect(ack.transactions[0]?.segmentErrors[0]).toEqual({
      segmentId: 'CLM',
      position: clm.index - tx.st.index + 1,
      loop: '2300',
      code: '8',
      contexts: [{ name: 'CLM01', reference: clm.elements[1] }],
      elementErrors: [{ position: { element: 5, component: 1 }, code: '7', contexts: [] }],
    });
    const text = write999Segments(ack).join('~');
    expect(text).toContain(
      `IK3*CLM*${clm.index - tx.st.index + 1}*2300*8~CTX*CLM01:${clm.elements[1] ?? ''}~IK4*5:1**7~IK5*R*5`,
    );
  });

  it('trims IK303 to its 4-character maximum (2010AA → 2010)', () => {
    const parsed = parseX12(readCorpus('mutations/837p/03_invalid_place_of_service.edi'));
    const group = parsed.interchanges[0]?.groups[0];
    const nm1 = group?.transactions[0]?.segments.find((s) => s.id === 'NM1' && s.elements[1] === '85');
    if (group === undefined || nm1 === undefined) throw new Error('fixture');
    const ack = build999(group, [
      [
        {
          severity: 'error',
          code: 'invalid-id',
          message: 'NM109 fails its check digit',
          segmentIndex: nm1.index,
          line: nm1.line,
          segmentId: 'NM1',
          loop: '2010AA',
          element: 'NM109',
          ik304: '8',
          ik403: '7',
        },
      ],
    ]);
    expect(ack.transactions[0]?.segmentErrors[0]?.loop).toBe('2010');
    expect(
      parse999(
        write999([ack], { interchange, senderCode: 'CH', receiverCode: 'OPENRCM', groupControlNumber: 8 }),
      ).diagnostics.filter((d) => d.severity === 'error'),
    ).toEqual([]);
  });

  it('IK303 is the loop number, left out outside loops, taken from another finding on the same segment', () => {
    expect(
      ['1000A', '2010AA', '2300', '2000', 'HEADER', 'SUMMARY', 'ST', 'ISA', 'GS', '', 'BHT', '23'].map(
        ik303LoopId,
      ),
    ).toEqual([
      '1000',
      '2010',
      '2300',
      '2000',
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    const parsed = parseX12(readCorpus('mutations/837p/03_invalid_place_of_service.edi'));
    const group = parsed.interchanges[0]?.groups[0];
    const tx = group?.transactions[0];
    const bht = tx?.segments.find((s) => s.id === 'BHT');
    const clm = tx?.segments.find((s) => s.id === 'CLM');
    if (group === undefined || bht === undefined || clm === undefined) throw new Error('fixture');
    const at = (seg: typeof bht) => ({ segmentIndex: seg.index, line: seg.line, segmentId: seg.id });
    const ack = build999(group, [
      [
        // A header-table segment: no loop to name.
        {
          severity: 'error',
          code: 'invalid-code',
          message: 'BHT02 is not valid',
          ...at(bht),
          loop: 'HEADER',
          element: 'BHT02',
          ik304: '8',
          ik403: '7',
        },
        // The finding that gives IK304 knows no loop; the reader's finding on the same CLM does.
        { severity: 'error', code: 'segment-id', message: 'bad id', ...at(clm), ik304: '1' },
        {
          severity: 'error',
          code: 'invalid-code',
          message: 'CLM05-1 is not valid',
          ...at(clm),
          loop: '2300',
          element: 'CLM05-1',
          ik403: '7',
        },
      ],
    ]);
    const errors = ack.transactions[0]?.segmentErrors ?? [];
    expect(errors.map((e) => [e.segmentId, e.loop, e.code])).toEqual([
      ['BHT', undefined, '8'],
      ['CLM', '2300', '1'],
    ]);
    expect('loop' in (errors[0] ?? {})).toBe(false);
    const text = write999Segments(ack).join('~');
    expect(text).toContain(`IK3*BHT*${bht.index - (tx?.st.index ?? 0) + 1}**8~`);
  });

  it('writes a 999 that reads back clean and identical', () => {
    const ack = ackFor('mutations/835/02_invalid_claim_status_code.edi');
    const text = write999([ack], {
      interchange,
      senderCode: 'CH',
      receiverCode: 'OPENRCM',
      groupControlNumber: 7,
    });
    const back = parse999(text);
    expect(back.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(back.value[0]).toEqual(ack);
  });

  it('refuses an invalid IK501 code', () => {
    const ack = ackFor('835/sedi-pass__era-sample.edi');
    const bad = { ...ack, transactions: [{ ...ack.transactions[0]!, status: 'Q' }] };
    expect(() => write999Segments(bad)).toThrow(X12WriteError);
  });

  it('counts transaction sets of a multi-set group and reports a wrong GE01 with AK905 5', () => {
    const parsed = parseX12(readCorpus('mutations/837p/08_ge_count_wrong.edi'));
    const ic = parsed.interchanges[0];
    const group = ic?.groups[0];
    if (ic === undefined || group === undefined) throw new Error('fixture');
    const ack = build999(group, [], { groupDiagnostics: ic.diagnostics });
    expect(ack).toMatchObject({ included: 2, received: 1, errorCodes: ['5'], status: 'R' });
    expect(transactionsOf(parsed)).toHaveLength(1);
  });
});

describe('TA1', () => {
  it('accepts a clean interchange with note 000', () => {
    const parsed = parseX12(readCorpus('835/sedi-pass__era-sample.edi'));
    const ic = parsed.interchanges[0];
    if (ic === undefined) throw new Error('fixture');
    expect(buildTa1(ic)).toEqual({
      controlNumber: '000000195',
      date: '2014-04-01',
      time: '0820',
      status: 'A',
      noteCode: '000',
    });
  });

  it('rejects an interchange whose IEA02 does not match ISA13 with note 001', () => {
    const parsed = parseX12(readCorpus('mutations/837p/04_iea_control_number_mismatch.edi'));
    const ic = parsed.interchanges[0];
    if (ic === undefined) throw new Error('fixture');
    expect(buildTa1(ic)).toMatchObject({ status: 'R', noteCode: '001' });
    expect(buildTa1(ic, { seenControlNumbers: new Set([ic.header.controlNumber]) })).toMatchObject({
      status: 'R',
      noteCode: '025',
    });
  });

  it('writes TA1 interchanges that read back identical and clean', () => {
    const acks = [
      { controlNumber: '000000195', date: '2014-04-01', time: '0820', status: 'A', noteCode: '000' },
      { controlNumber: '000010216', date: '2008-05-03', time: '1705', status: 'R', noteCode: '001' },
    ];
    for (const newlines of [false, true]) {
      const text = writeTa1(acks, { ...interchange, newlines });
      const back = parseTa1(text);
      expect(back.diagnostics).toEqual([]);
      expect(back.value.map(({ at: _at, ...rest }) => rest)).toEqual(acks);
    }
    expect(() => writeTa1([{ ...acks[0]!, noteCode: '999' }], interchange)).toThrow(X12WriteError);
  });
});
