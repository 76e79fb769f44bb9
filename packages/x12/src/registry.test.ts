import { describe, expect, it } from 'vitest';
import { readCorpus } from '../test/corpus.ts';
import { readX12, registeredReaders } from './registry.ts';
import { writeTa1 } from './ta1/ta1.ts';

describe('transaction reader registry', () => {
  it('dispatches 835 and 999 to their typed readers', () => {
    const r = readX12(
      readCorpus('835/sedi-pass__era-sample.edi') + readCorpus('999/emedny__999_Sample_Accepted.txt'),
    );
    expect(r.transactions.map((t) => [t.transactionType, t.reader])).toEqual([
      ['835', '835'],
      ['999', '999'],
    ]);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(registeredReaders().map((x) => x.name)).toEqual(expect.arrayContaining(['835', '999']));
  });

  it('reads TA1 interchanges instead of calling the TA1 misplaced', () => {
    const text = writeTa1(
      [{ controlNumber: '000000195', date: '2014-04-01', time: '0820', status: 'A', noteCode: '000' }],
      {
        senderQualifier: 'ZZ',
        senderId: 'CH',
        receiverQualifier: 'ZZ',
        receiverId: 'OPENRCM',
        date: '2026-11-28',
        time: '1000',
        controlNumber: 5,
      },
    );
    const r = readX12(text);
    expect(r.ta1).toHaveLength(1);
    expect(r.diagnostics).toEqual([]);
  });

  it('reports a set without a registered reader as info, not an error', () => {
    const text = readCorpus('835/sedi-pass__era-sample.edi').replace('ST*835*', 'ST*820*');
    const r = readX12(text);
    const tx = r.transactions[0];
    expect(tx?.reader).toBeUndefined();
    expect(tx?.diagnostics.some((d) => d.code === 'no-reader' && d.severity === 'info')).toBe(true);
    expect(r.transactions.length).toBe(1);
  });
});
