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

/** The envelope of a test 270 interchange with control numbers `n`. */
const envelope = (n: number) =>
  ({
    interchange: {
      senderQualifier: 'ZZ',
      senderId: 'OPENRCM',
      receiverQualifier: 'ZZ',
      receiverId: 'SIMCH',
      date: '2026-01-11',
      time: '1800',
      controlNumber: n,
    },
    senderCode: 'OPENRCM',
    receiverCode: 'SIMCH',
    groupControlNumber: n,
  }) as const;

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
      envelope(70),
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
      envelope(71),
    );
    ch.receive('elig2.270', text, '2026-01-11');
    const f271 = ch.outboxFiles().find((f) => f.kind === '271');
    const s = parseEligibility(f271?.content ?? '').value.flatMap(summarizeEligibility)[0];
    expect(s?.status).toBe('inactive');
  });
});

describe('what the payer knows and the file does not', () => {
  // Half the eligible coverages get each scenario, so a small data set has both.
  const many = generate({
    practices: 1,
    months: 1,
    seed: 22,
    startDate: '2026-01-05',
    volume: 0.1,
    errorRates: { planChange: 0.5, unknownOtherCoverage: 0.5 },
  });

  it('plan change: the 271 returns the plan (EB05) and group (REF*6P) the payer has, not those on file', () => {
    const truth = many.groundTruth.find(
      (g) =>
        g.errorKind === 'plan_change' &&
        !many.groundTruth.some((o) => o.coverageId === g.coverageId && o.errorKind !== 'plan_change'),
    );
    const cov = many.coverages.find((c) => c.coverageId === truth?.coverageId);
    const kept = many.coverages.find(
      (c) =>
        c.payerId === cov?.payerId &&
        c.groupNumber !== null &&
        !many.groundTruth.some((g) => g.coverageId === c.coverageId),
    );
    if (!truth || !cov || !kept) throw new Error('no plan change in the data set');
    expect(truth).toMatchObject({
      scope: 'coverage',
      detectableBy: 'eligibility',
      expectedOutcome: 'flag:eligibility',
    });
    expect(truth.payerGroupNumber).not.toBe(cov.groupNumber);
    const ch = new SimClearinghouse({ setup: many, authorizations: many.authorizations, seed: 22 });
    const payer = { id: cov.payerId, name: 'PAYER' };
    ch.receive(
      'plan.270',
      write270Batch(
        [request('CHG1', payer, cov.memberId), request('KEEP1', payer, kept.memberId)],
        { referenceId: 'ELIG3', date: '2026-01-11', time: '1800' },
        envelope(72),
      ),
      '2026-01-11',
    );
    const f271 = ch.outboxFiles().find((f) => f.kind === '271');
    const parsed = parseEligibility(f271?.content ?? '', { codeLists: statusCodeLists() });
    expect(parsed.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    const byTrace = new Map(parsed.value.flatMap(summarizeEligibility).map((s) => [s.traceNumber, s]));
    expect(byTrace.get('CHG1')).toMatchObject({
      status: 'active',
      groupNumber: truth.payerGroupNumber,
      planDescription: truth.payerPlanName?.toUpperCase(),
      otherPayers: [],
    });
    // A member the payer kept where the file has it: the plan and group on file come back.
    expect(byTrace.get('KEEP1')).toMatchObject({
      groupNumber: kept.groupNumber,
      planDescription: kept.planName.toUpperCase(),
    });
  });

  it('other coverage: EB*R with REF*IG and a 2120C NM1*SEP naming the other payer; that payer has the member', () => {
    const truth = many.groundTruth.find((g) => g.errorKind === 'unknown_other_coverage');
    const cov = many.coverages.find((c) => c.coverageId === truth?.coverageId);
    if (!truth || !cov || truth.otherPayerId === null || truth.otherMemberId === null)
      throw new Error('no unknown other coverage in the data set');
    // The practice has no secondary on file for this patient.
    expect(many.coverages.filter((c) => c.patientId === cov.patientId && c.rank === 2)).toEqual([]);
    const ch = new SimClearinghouse({ setup: many, authorizations: many.authorizations, seed: 22 });
    ch.receive(
      'other.270',
      write270Batch(
        [
          request('OTH1', { id: cov.payerId, name: 'PAYER' }, cov.memberId),
          request('OTH2', { id: truth.otherPayerId, name: 'OTHER' }, truth.otherMemberId),
        ],
        { referenceId: 'ELIG4', date: '2026-01-11', time: '1800' },
        envelope(73),
      ),
      '2026-01-11',
    );
    const text = ch.outboxFiles().find((f) => f.kind === '271')?.content ?? '';
    expect(text).toContain(`EB*R*IND*30*C1~\nREF*IG*${truth.otherMemberId}~\nLS*2120~\nNM1*SEP*2*`);
    expect(text).toContain(`*****PI*${truth.otherPayerId}~\nLE*2120~`);
    const parsed = parseEligibility(text, { codeLists: statusCodeLists() });
    expect(parsed.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    const byTrace = new Map(parsed.value.flatMap(summarizeEligibility).map((s) => [s.traceNumber, s]));
    expect(byTrace.get('OTH1')?.otherPayers).toEqual([
      expect.objectContaining({
        role: 'secondary',
        idQualifier: 'PI',
        id: truth.otherPayerId,
        memberId: truth.otherMemberId,
        insuranceType: 'C1',
      }),
    ]);
    // The other payer answers for the member too: active.
    expect(byTrace.get('OTH2')?.status).toBe('active');
  });
});
