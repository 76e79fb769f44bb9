import { describe, expect, it } from 'vitest';
import { parse999 } from '@openrcm/x12/999';
import {
  parseEligibility,
  summarizeEligibility,
  write270Batch,
  type EligibilityRequest,
} from '@openrcm/x12/270-271';
import { statusCodeLists } from '../../../x12/test/status-code-lists.ts';
import { generate } from '../generate.ts';
import { SimClearinghouse } from './clearinghouse.ts';

const ds = generate({ practices: 1, months: 1, seed: 21, startDate: '2026-01-05', volume: 0.05 });
const practice = ds.practices[0];
const ppo = ds.coverages.filter((c) => c.payerId === 'SIM03' && c.relationship === '18');

function request(
  trace: string,
  payer: { id: string; name: string },
  memberId: string,
  date = '2026-01-12',
): EligibilityRequest {
  return {
    traceNumber: trace,
    traceOriginator: '1470100277',
    payer,
    provider: { npi: practice?.groupNpi ?? '', organizationName: 'RIVERSIDE FAMILY MEDICINE' },
    subscriber: { lastName: 'DOE', firstName: 'JANE', memberId, birthDate: '1980-01-01', gender: 'F' },
    serviceDate: date,
  };
}

describe('270 batches answered with 271s', () => {
  it('active, not found, invalid id and unknown payer each get the right 271 answer', () => {
    const active = ppo.find((c) => c.effectiveTo === null);
    if (!active || !practice) throw new Error('no SIM03 coverage');
    const ppoPayer = { id: 'SIM03', name: 'SUMMIT HEALTH PPO' };
    const wrongDigit = active.memberId.slice(0, -1) + (active.memberId.endsWith('1') ? '2' : '1');
    const text = write270Batch(
      [
        request('CHK1', ppoPayer, active.memberId),
        request('CHK2', ppoPayer, wrongDigit),
        request('CHK3', ppoPayer, 'BAD'),
        request('CHK4', { id: 'NOPE1', name: 'UNKNOWN PLAN' }, active.memberId),
      ],
      { referenceId: 'ELIG1', date: '2026-01-11', time: '1800' },
      {
        interchange: {
          senderQualifier: 'ZZ',
          senderId: 'OPENRCM',
          receiverQualifier: 'ZZ',
          receiverId: 'SIMCH',
          date: '2026-01-11',
          time: '1800',
          controlNumber: 70,
        },
        senderCode: 'OPENRCM',
        receiverCode: 'SIMCH',
        groupControlNumber: 70,
      },
    );
    const ch = new SimClearinghouse({ setup: ds, authorizations: ds.authorizations, seed: 21 });
    const r = ch.receive('elig.270', text, '2026-01-11');
    expect(r.transactionSets).toEqual(['A', 'A', 'A', 'A']);
    const ack = ch.outboxFiles().find((f) => f.kind === '999');
    expect(parse999(ack?.content ?? '').value[0]?.status).toBe('A');
    const f271 = ch.outboxFiles().find((f) => f.kind === '271');
    const parsed = parseEligibility(f271?.content ?? '', { codeLists: statusCodeLists() });
    expect(parsed.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    const byTrace = new Map(parsed.value.flatMap(summarizeEligibility).map((s) => [s.traceNumber, s]));

    const ok = byTrace.get('CHK1');
    expect(ok?.status).toBe('active');
    // Summit PPO: $25 primary care copay, 20 % coinsurance, $1,500 deductible not yet met.
    expect(ok?.inNetwork.officeVisitCopayCents).toBe(2500);
    expect(ok?.inNetwork.coinsuranceBasisPoints).toBe(2000);
    expect(ok?.inNetwork.deductible.individual).toMatchObject({
      totalCents: 150_000,
      remainingCents: 150_000,
    });

    expect(byTrace.get('CHK2')?.rejects.map((x) => `${x.loop}:${x.reasonCode}`)).toEqual(['2100C:75']);
    expect(byTrace.get('CHK3')?.rejects.map((x) => `${x.loop}:${x.reasonCode}`)).toEqual(['2100C:72']);
    expect(byTrace.get('CHK4')?.rejects.map((x) => `${x.loop}:${x.reasonCode}`)).toContain('2100A:T4');
    expect(ch.stats.eligibilityInquiries).toBe(3);
  });

  it('a coverage the payer has terminated comes back inactive (EB*6) after its end date', () => {
    const ended = ds.coverages.find(
      (c) => c.payerId !== 'SIM06' && c.effectiveTo !== null && c.effectiveTo < '2026-03-01',
    );
    if (!ended || ended.effectiveTo === null) return; // no lapsed coverage in this small data set
    const ch = new SimClearinghouse({ setup: ds, authorizations: ds.authorizations, seed: 21 });
    const after = new Date(Date.parse(`${ended.effectiveTo}T00:00:00Z`) + 86_400_000)
      .toISOString()
      .slice(0, 10);
    const text = write270Batch(
      [request('CHK9', { id: ended.payerId, name: 'PAYER' }, ended.memberId, after)],
      { referenceId: 'ELIG2', date: '2026-01-11', time: '1800' },
      {
        interchange: {
          senderQualifier: 'ZZ',
          senderId: 'OPENRCM',
          receiverQualifier: 'ZZ',
          receiverId: 'SIMCH',
          date: '2026-01-11',
          time: '1800',
          controlNumber: 71,
        },
        senderCode: 'OPENRCM',
        receiverCode: 'SIMCH',
        groupControlNumber: 71,
      },
    );
    ch.receive('elig2.270', text, '2026-01-11');
    const f271 = ch.outboxFiles().find((f) => f.kind === '271');
    const s = parseEligibility(f271?.content ?? '').value.flatMap(summarizeEligibility)[0];
    expect(s?.status).toBe('inactive');
  });
});
