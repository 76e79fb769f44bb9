import { describe, expect, it } from 'vitest';
import { generate } from '../src/generate.ts';
import { lineKey, type SimClaim } from '../src/payers/adjudicate.ts';
import { LineHistory, PayerMemory, hash52 } from '../src/payers/memory.ts';
import { payerPolicyManual } from '../src/payers/policy-export.ts';
import { changesByPayer, ruleTimeline, rulesOn } from '../src/payers/policy.ts';
import { PAYER_PROFILES, payerProfile } from '../src/payers/profiles.ts';
import { firstPassRun, streamFirstPass } from '../src/payers/run.ts';
import { seasonedAccumulator } from '../src/payers/accumulators.ts';

const START = '2026-01-05';

describe('payer rule changes during the period (a stale manual)', () => {
  it('dates every change inside its window after the start, the same for the same seed', () => {
    const a = ruleTimeline(1, START);
    expect(a).toEqual(ruleTimeline(1, START));
    const expected = PAYER_PROFILES.reduce((n, p) => n + p.ruleChanges.length, 0);
    expect(a).toHaveLength(expected);
    for (const c of a) {
      const days = (Date.parse(c.effectiveFrom) - Date.parse(START)) / 86_400_000;
      expect(days).toBeGreaterThanOrEqual(c.change.afterDays[0]);
      expect(days).toBeLessThanOrEqual(c.change.afterDays[1]);
    }
    // Another seed moves at least one effective date (each is its own stream).
    expect(ruleTimeline(2, START).map((c) => c.effectiveFrom)).not.toEqual(a.map((c) => c.effectiveFrom));
  });

  it('applies a change from its effective date on, not the day before', () => {
    const ppo = payerProfile('SIM03');
    const changes = changesByPayer(ruleTimeline(1, START)).get('SIM03') ?? [];
    const pa = changes.find((c) => c.change.id === 'pa-cardiac-imaging');
    expect(pa).toBeDefined();
    if (!pa) return;
    const dayBefore = new Date(Date.parse(pa.effectiveFrom) - 86_400_000).toISOString().slice(0, 10);
    expect(rulesOn(ppo, changes, dayBefore).priorAuthCodes).not.toContain('93306');
    expect(rulesOn(ppo, changes, pa.effectiveFrom).priorAuthCodes).toContain('93306');
    // The base profile is never modified, and the merged rules are cached per set of changes.
    expect(ppo.priorAuthCodes).not.toContain('93306');
    expect(rulesOn(ppo, changes, '2026-12-31')).toBe(rulesOn(ppo, changes, '2027-06-30'));
  });

  it('publishes a partial manual: unpublished parts and later changes are left out, a later edition has the changes', () => {
    const manual = payerPolicyManual();
    expect(Object.keys(manual.payers)).toHaveLength(PAYER_PROFILES.length);
    // Medicaid applies a prior-authorization list it does not publish; the PPO hides coverage and necessity.
    expect(payerProfile('SIM02').priorAuthCodes.length).toBeGreaterThan(0);
    expect(manual.payers['SIM02']?.priorAuthorizationCodes).toBeUndefined();
    expect(manual.payers['SIM03']?.nonCoveredCodes).toBeUndefined();
    expect(manual.payers['SIM03']?.medicalNecessity).toBeUndefined();
    expect(manual.payers['SIM03']?.priorAuthorizationCodes).toEqual(['29881', '73721', '78452', '93458']);
    expect(manual.payers['SIM04']?.bundlingPairs).toBeUndefined();
    expect(manual.payers['SIM01']?.medicalNecessity?.['93000']).toBeUndefined();
    // The edition of 2026-06-30 carries the rules adopted by then (still without unpublished parts).
    const later = payerPolicyManual({ asOf: '2026-06-30', seed: 1, startDate: START });
    expect(later.payers['SIM03']?.priorAuthorizationCodes).toContain('93306');
    expect(later.payers['SIM01']?.medicalNecessity?.['93000']).toBeDefined();
    expect(later.payers['SIM02']?.priorAuthorizationCodes).toBeUndefined();
    // The array form (profiles) still works.
    expect(Object.keys(payerPolicyManual([payerProfile('SIM01')]).payers)).toEqual(['SIM01']);
  });

  it('denies after a change exactly where the ground truth says the practice could not know', () => {
    const ds = generate({
      practices: 2,
      months: 2,
      seed: 4,
      startDate: START,
      volume: 0.4,
      specialties: ['cardiology', 'orthopedics'],
    });
    const rows = ds.groundTruth.filter((g) => g.detail.includes('after its published manual'));
    expect(rows.length).toBeGreaterThan(10);
    const r = firstPassRun(ds);
    expect(r.unexplained).toEqual([]);
    const outcome = (id: string | null) => (id === null ? undefined : r.outcomes.get(id));
    let matched = 0;
    for (const g of rows) {
      const o = outcome(g.encounterId);
      const want = g.expectedOutcome.slice('deny:'.length);
      if (
        o?.kind === 'adjudicated' &&
        o.lines.some(
          (l) => l.lineId === g.chargeId && l.adjustments.some((c) => `${c.group}-${c.reason}` === want),
        )
      )
        matched++;
    }
    // A line already denied by an earlier rule (terminated coverage, unenrolled provider) keeps that reason.
    expect(matched / rows.length).toBeGreaterThan(0.85);
    // Without the timeline the same claims are adjudicated under the profiles' rules: fewer denials.
    const unchanged = firstPassRun(ds, null);
    expect(unchanged.deniedClaims).toBeLessThan(r.deniedClaims);
  });
});

describe('bounded payer memory', () => {
  const claim = (dos: string): SimClaim => ({
    claimId: 'C',
    payerId: 'SIM03',
    memberId: 'SHP123456789',
    billingNpi: '2000000008',
    renderingNpi: '1234567893',
    renderingTaxonomy: null,
    serviceFacilityNpi: null,
    posCode: '11',
    diagnoses: ['I10'],
    priorAuthNumber: null,
    receivedDate: dos,
    lines: [],
    cob: null,
  });
  const key = (dos: string, code: string) =>
    lineKey(claim(dos), {
      lineId: 'L1',
      dateOfService: dos,
      code,
      modifiers: ['25'],
      units: 1,
      chargeCents: 100,
      diagnosisPointers: [1],
    });

  it('hashes keys to 52-bit integers with no collision over 200,000 distinct line keys', () => {
    const seen = new Set<number>();
    let unsafe = 0;
    for (let i = 0; i < 200_000; i++) {
      const h = hash52(`SHP${100000000 + i}|2026-02-10|99213|25|1234567893`);
      if (!Number.isSafeInteger(h) || h < 0) unsafe++;
      seen.add(h);
    }
    expect(unsafe).toBe(0);
    expect(seen.size).toBe(200_000);
  });

  it('remembers a line until no claim can match it: past timely filing, or before the stream month', () => {
    const h = new LineHistory();
    h.add(key('2026-01-20', '99213'));
    h.add(key('2026-03-02', '99214'));
    expect(h.has(key('2026-01-20', '99213'))).toBe(true);
    expect(h.has(key('2026-01-20', '99214'))).toBe(false);
    // Received 2026-07-30 with a 180-day limit: January lines are past it (denied CO-29 first), March's are not.
    h.pruneTimelyFiling('2026-07-30', 180);
    expect(h.has(key('2026-01-20', '99213'))).toBe(true);
    h.pruneTimelyFiling('2026-08-01', 180);
    expect(h.has(key('2026-01-20', '99213'))).toBe(false);
    expect(h.has(key('2026-03-02', '99214'))).toBe(true);
    h.pruneBefore('2026-04-01');
    expect(h.size).toBe(0);
  });

  it('starts a member-year seasoned when the data set starts after January 1, and forgets past years', () => {
    const ppo = payerProfile('SIM03');
    const m = new PayerMemory({ startDate: '2026-07-01', seed: 1 });
    let seasoned = 0;
    for (let i = 0; i < 200; i++) {
      const id = `SHP${100000000 + i}`;
      const a = m.accumulator(ppo, id, '2026-08-15');
      expect(a).toEqual(seasonedAccumulator(ppo, id, '2026-07-01', 1));
      if (a.deductibleCents > 0) seasoned++;
      // The next benefit year starts inside the simulation: from zero.
      expect(m.accumulator(ppo, id, '2027-01-10')).toEqual({ deductibleCents: 0, outOfPocketCents: 0 });
    }
    expect(seasoned).toBeGreaterThan(100);
    m.set(PayerMemory.key('SIM03', 'SHP100000000', '2026-08-15'), {
      deductibleCents: 5,
      outOfPocketCents: 5,
    });
    m.set(PayerMemory.key('SIM03', 'SHP100000000', '2027-01-10'), {
      deductibleCents: 1,
      outOfPocketCents: 1,
    });
    m.pruneYearsBefore(2027);
    expect(m.size.memberYears).toBe(1);
    // Without a season every member-year starts at zero.
    expect(new PayerMemory().accumulator(ppo, 'SHP100000001', '2026-08-15')).toEqual({
      deductibleCents: 0,
      outOfPocketCents: 0,
    });
  });

  it('streams a year of one practice with the duplicate history of one month at a time', () => {
    const sizes: number[] = [];
    const r = streamFirstPass(
      { practices: 1, months: 12, seed: 2, startDate: START, volume: 0.3 },
      (_m, _r, _chunk, memory) => {
        sizes.push(memory.lines);
      },
    );
    expect(r.claims).toBeGreaterThan(3000);
    expect(r.unexplained).toEqual([]);
    // What the payers remember after a month is about one month of lines, not the year so far.
    const perMonth = Math.max(...sizes.slice(0, 2));
    expect(Math.max(...sizes)).toBeLessThan(perMonth * 1.6);
  });
});
