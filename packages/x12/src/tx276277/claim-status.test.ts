import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCorpus } from '../../test/corpus.ts';
import { QUERIES, request } from '../../test/golden/276/scenarios.ts';
import { ENVELOPE_277 } from '../../test/golden/277/scenarios.ts';
import { statusCodeLists } from '../../test/status-code-lists.ts';
import { X12WriteError } from '../core/writer.ts';
import { buildClaimStatusRequest, claimStatusResponse } from './build.ts';
import { claimStatusCategoryText, claimStatusState } from './codes.ts';
import { claimStatusItems } from './items.ts';
import { parseClaimStatus } from './read.ts';
import { writeClaimStatusInterchange } from './write.ts';

const golden = (name: string): string =>
  readFileSync(join(import.meta.dirname, '..', '..', 'test', 'golden', name), 'utf8');
const codes = (text: string, opts = {}) =>
  parseClaimStatus(text, opts).diagnostics.map(
    (d) => `${d.severity} ${d.code} ${d.loop}.${d.element ?? d.segmentId} ${d.ik403 ?? d.ik304 ?? ''}`,
  );

describe('277 claim status response', () => {
  it('reads paid, pending and denied claims with amounts in cents and the check details', () => {
    const r = parseClaimStatus(golden('277/paid-pending-denied.edi'), { codeLists: statusCodeLists() });
    expect(r.diagnostics).toEqual([]);
    const provider = r.value[0]?.sources[0]?.receivers[0]?.providers[0];
    const claims = provider?.subscribers.flatMap((s) => [
      ...s.tracking,
      ...s.dependents.flatMap((d) => d.tracking),
    ]);
    expect(
      claims?.map((c) => {
        const s = c.statuses[0];
        return [
          c.loop,
          c.trace.referenceId,
          s?.statuses[0]?.category,
          claimStatusState(s?.statuses[0]?.category ?? ''),
          s?.chargeCents,
          s?.paidCents,
          s?.checkNumber,
        ];
      }),
    ).toEqual([
      ['2200D', 'CSR-00001', 'F1', 'finalized', 24500, 17150, '0004412'],
      ['2200D', 'CSR-00002', 'P1', 'pending', 18000, undefined, undefined],
      ['2200E', 'CSR-00003', 'F2', 'finalized', 13550, 0, undefined],
    ]);
    expect(claimStatusCategoryText('F2')).toBe('Finalized: denial');
  });

  it('flattens to one record per claim, matched to the 276 by trace and patient control number', () => {
    const [tx] = parseClaimStatus(golden('277/paid-pending-denied.edi')).value;
    expect(
      claimStatusItems(tx!).map((i) => [
        i.traceNumber,
        i.patientControlNumber,
        i.payerClaimControlNumber,
        i.state,
        i.paidCents,
        i.checkNumber,
      ]),
    ).toEqual([
      ['CSR-00001', 'PCN2026000101', '2026061000123', 'finalized', 17150, '0004412'],
      ['CSR-00002', 'PCN2026000102', '2026071000456', 'pending', undefined, undefined],
      ['CSR-00003', 'PCN2026000103', '2026092000789', 'finalized', 0, undefined],
    ]);
    const [asked] = parseClaimStatus(golden('276/claim-level.edi')).value;
    expect(claimStatusItems(asked!).map((i) => [i.traceNumber, i.memberId, i.chargeCents])).toEqual([
      ['CSR-00001', 'SHP100200300', 24500],
      ['CSR-00002', 'SHP700800900', 18000],
      ['CSR-00003', 'SHP400500600', 13550],
    ]);
  });

  it('reads line-level (2220D) status from the TR3 example', () => {
    const r = parseClaimStatus(readCorpus('277/lfh__claim-level-status.277'));
    const dep = r.value[0]?.sources[0]?.receivers[0]?.providers[1]?.subscribers[0]?.dependents[0];
    const line = dep?.tracking[0]?.lines[0];
    expect(line?.service).toEqual({
      procedure: { qualifier: 'HC', code: '99203', modifiers: [] },
      chargeCents: 15000,
      paidCents: 0,
      unitsMilli: 1000,
    });
    expect(line?.statuses[0]?.statuses).toEqual([{ category: 'F2', status: '88', entity: 'QC' }]);
  });

  it('checks claim status category and status codes against the external lists when given', () => {
    const text = golden('277/paid-pending-denied.edi').replace('STC*P1:20', 'STC*Q9:99999');
    expect(codes(text)).toEqual([]);
    expect(codes(text, { codeLists: statusCodeLists() })).toEqual([
      'error invalid-code 2200D.STC01-1 7',
      'error invalid-code 2200D.STC01-2 7',
    ]);
  });

  it('reports a claim without a status (STC) and a status without its status code', () => {
    const text = golden('277/paid-pending-denied.edi');
    expect(codes(text.replace('STC*P1:20*20260414**180~', 'REF*D9*X1~'))).toEqual([
      'error required-segment 2200D.STC 3',
    ]);
    expect(codes(text.replace('STC*P1:20*', 'STC*P1*'))).toEqual(['error required-element 2200D.STC01-2 1']);
    expect(codes(text.replace('*CHK*', '*XXX*'))).toEqual(['error invalid-code 2200D.STC07 7']);
  });

  it('answers every claim of a 276; a claim the payer cannot find gets E1 (response not possible)', () => {
    const tx = claimStatusResponse(request(), { date: '2026-04-15', time: '0815' }, () => undefined);
    const text = writeClaimStatusInterchange([tx], ENVELOPE_277);
    const r = parseClaimStatus(text);
    expect(r.diagnostics).toEqual([]);
    const traces = r.value[0]?.sources[0]?.receivers[0]?.providers[0]?.subscribers.flatMap((s) => [
      ...s.tracking,
      ...s.dependents.flatMap((d) => d.tracking),
    ]);
    expect(
      traces?.map((t) => [t.trace.typeCode, t.trace.referenceId, t.statuses[0]?.statuses[0]?.category]),
    ).toEqual([
      ['2', 'CSR-00001', 'E1'],
      ['2', 'CSR-00002', 'E1'],
      ['2', 'CSR-00003', 'E1'],
    ]);
  });
});

describe('276 builder', () => {
  it('refuses a query it cannot send', () => {
    const header = { referenceId: 'X', date: '2026-04-15', time: '0800' };
    expect(() => buildClaimStatusRequest([], header)).toThrow(X12WriteError);
    expect(() => buildClaimStatusRequest([{ ...QUERIES[0]!, chargeCents: 10.5 }], header)).toThrow(
      /chargeCents/,
    );
    expect(() => buildClaimStatusRequest([{ ...QUERIES[0]!, serviceDate: '03/02/2026' }], header)).toThrow(
      /service dates/,
    );
  });

  it('asks about lines by their line item control number (REF*FJ = the 837P REF*6R)', () => {
    const tx = buildClaimStatusRequest(
      [
        {
          ...QUERIES[0]!,
          lines: [
            {
              procedure: { qualifier: 'HC', code: '99214', modifiers: ['25'] },
              chargeCents: 17500,
              unitsMilli: 1000,
              lineItemControlNumber: 'SL-000101-1',
              serviceDate: '2026-02-26',
            },
          ],
        },
      ],
      { referenceId: 'X', date: '2026-04-15', time: '0800' },
    );
    const text = writeClaimStatusInterchange([tx], { ...ENVELOPE_277, groupControlNumber: 5 });
    expect(text).toContain('SVC*HC:99214:25*175*****1~\nREF*FJ*SL-000101-1~\nDTP*472*D8*20260226~');
    expect(parseClaimStatus(text).diagnostics).toEqual([]);
  });

  it('groups claims under one payer, receiver and provider', () => {
    const tx = request();
    expect(tx.sources).toHaveLength(1);
    expect(tx.sources[0]?.receivers[0]?.providers).toHaveLength(1);
    expect(tx.sources[0]?.receivers[0]?.providers[0]?.subscribers).toHaveLength(3);
  });
});
