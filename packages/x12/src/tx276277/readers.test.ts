import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCorpus } from '../../test/corpus.ts';
import { readX12, registerReader } from '../registry.ts';
import { ELIGIBILITY_READERS } from '../tx270271/readers.ts';
import { CLAIM_ACK_READERS } from '../tx277ca/readers.ts';
import { CLAIM_STATUS_READERS } from './readers.ts';

const golden = (name: string): string =>
  readFileSync(join(import.meta.dirname, '..', '..', 'test', 'golden', name), 'utf8');

describe('registry entries', () => {
  for (const r of [...ELIGIBILITY_READERS, ...CLAIM_STATUS_READERS, ...CLAIM_ACK_READERS]) registerReader(r);

  it.each([
    ['270/batch.edi', ['270', '270', '270']],
    ['271/rejects.edi', ['271', '271', '271']],
    ['276/claim-level.edi', ['276']],
    ['277/paid-pending-denied.edi', ['277']],
    ['277ca/accepted-and-rejected.edi', ['277CA']],
  ])('readX12 dispatches %s to the typed reader', (file, names) => {
    const r = readX12(golden(file));
    expect(r.transactions.map((t) => t.reader)).toEqual(names);
    expect(r.transactions.flatMap((t) => t.diagnostics)).toEqual([]);
  });

  it('tells a 277CA from a 277 by its implementation guide', () => {
    expect(readX12(readCorpus('277ca/ims__x12_277CA_accepted.txt')).transactions[0]?.reader).toBe('277CA');
    expect(readX12(readCorpus('277/lfh__claim-level-status.277')).transactions[0]?.reader).toBe('277');
  });
});
