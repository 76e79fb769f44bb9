import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build999 } from '../ack/index.ts';
import { parseX12 } from '../core/parse.ts';
import { mutationFiles, readCorpus } from '../../test/corpus.ts';
import { read837PTransaction } from './read.ts';

const placeOfService = new Set(
  readFileSync(join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'place-of-service.txt'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#')),
);

/** The 999 a clearinghouse would return for an 837P file, from this reader's findings. */
function ack(text: string): ReturnType<typeof build999> | undefined {
  const parsed = parseX12(text);
  const group = parsed.interchanges[0]?.groups[0];
  if (group === undefined) return undefined;
  return build999(
    group,
    group.transactions.map((tx) => read837PTransaction(tx, { codeLists: { placeOfService } }).diagnostics),
    { groupDiagnostics: parsed.diagnostics },
  );
}

describe('837P findings in a 999', () => {
  it('a golden claim file is accepted (IK5 A, AK9 A)', () => {
    const text = readFileSync(
      join(import.meta.dirname, '..', '..', 'test', 'golden', '837p', 'multi-claim-batch.edi'),
      'utf8',
    );
    const a = ack(text);
    expect(a?.status).toBe('A');
    expect(a?.transactions.map((t) => t.status)).toEqual(['A']);
  });

  it('the claim whose total does not match its lines is rejected with IK3 CLM at its position in 2300', () => {
    const a = ack(readCorpus('mutations/837p/07_claim_total_not_equal_line_sum.edi'));
    expect(a?.status).toBe('R');
    const errors = a?.transactions[0]?.segmentErrors ?? [];
    // (The base file's warnings — NPI check digit, five-digit ZIP — are noted in IK3s of their own.)
    const clm = errors.find((e) => e.segmentId === 'CLM');
    expect([clm?.loop, clm?.position, clm?.code]).toEqual(['2300', 27, '8']);
    expect(clm?.elementErrors.map((x) => x.position)).toEqual([{ element: 2 }]);
  });

  it.each(mutationFiles('837p').filter((f) => !/0[148]_/.test(f)))('%s is rejected by its 999', (file) => {
    expect(ack(readCorpus(file))?.transactions[0]?.status).toBe('R');
  });
});
