import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build999 } from '../ack/build.ts';
import { parseX12, transactionsOf } from '../core/parse.ts';
import { readEligibility } from './read.ts';

const batch = readFileSync(
  join(import.meta.dirname, '..', '..', 'test', 'golden', '270', 'batch.edi'),
  'utf8',
);

describe('a clearinghouse acknowledging a 270 batch with a 999', () => {
  it('rejects only the inquiries with faults, locating the segment, loop and element', () => {
    // Inquiry 2 asks with a coverage level that does not exist; inquiry 3 lost its member name segment.
    const text = batch
      .replace('EQ*30^98~', 'EQ*30^98**XYZ~')
      .replace('NM1*IL*1*RIVERA*ANA****MI*RM77881~\n', '')
      .replace('SE*14*0003', 'SE*13*0003');
    const parsed = parseX12(text);
    const group = parsed.interchanges[0]!.groups[0]!;
    const findings = transactionsOf(parsed).map((tx) => readEligibility(tx).diagnostics);
    const ack = build999(group, findings);
    expect(ack.transactions.map((t) => [t.controlNumber, t.status])).toEqual([
      ['0001', 'A'],
      ['0002', 'R'],
      ['0003', 'R'],
    ]);
    expect(ack.status).toBe('P');
    const eq = ack.transactions[1]!.segmentErrors[0]!;
    // ST = 1, so the dependent's EQ is segment 17 of the second transaction set.
    // IK303 holds at most four characters: the loop id without the level letter.
    expect([eq.segmentId, eq.position, eq.loop?.slice(0, 4), eq.code]).toEqual(['EQ', 17, '2110', '8']);
    expect(eq.elementErrors.map((e) => [e.position, e.code])).toEqual([[{ element: 3 }, '7']]);
    const missing = ack.transactions[2]!.segmentErrors[0]!;
    expect([missing.segmentId, missing.loop?.slice(0, 4), missing.code]).toEqual(['NM1', '2100', '3']);
  });
});
