import type { CalendarDate, PayerId } from '@openrcm/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fixtureClaim,
  fixtureContext,
  FIXTURE_PAYER_ID,
  FIXTURE_RENDERING,
  fixtureNpi,
} from '../scrubber/fixtures.ts';
import { scrub } from '../scrubber/scrub.ts';
import type { EnrollmentSpan } from './hold.ts';
import { enrollmentLookup, enrollmentStatus, isReleased, releaseDate } from './hold.ts';

const d = (s: string): CalendarDate => s as CalendarDate;
const npi = FIXTURE_RENDERING;
const payer = FIXTURE_PAYER_ID;

describe('enrollmentStatus', () => {
  const spans: EnrollmentSpan[] = [
    { npi, payerId: payer, effectiveFrom: d('2026-01-01'), effectiveTo: d('2026-06-30') },
    // Re-enrolled after a gap; the payer made it effective December 1, retroactive to November 1.
    { npi, payerId: payer, effectiveFrom: d('2026-12-01'), coversFrom: d('2026-11-01') },
  ];
  const at = (dos: string, asOf: string) => enrollmentStatus(spans, npi, payer, d(dos), d(asOf));

  it('is enrolled inside an effective span', () => {
    expect(at('2026-03-10', '2026-11-02')).toEqual({ status: 'enrolled' });
  });
  it('is pending with the effective date when the covering span takes effect later', () => {
    expect(at('2026-11-05', '2026-11-20')).toEqual({ status: 'pending', effectiveFrom: '2026-12-01' });
    expect(at('2026-11-05', '2026-12-01')).toEqual({ status: 'enrolled' });
  });
  it('is not enrolled in a gap or with another payer or provider', () => {
    expect(at('2026-08-01', '2026-11-02')).toEqual({ status: 'not_enrolled' });
    expect(
      enrollmentStatus(spans, fixtureNpi('999999999'), payer, d('2026-03-10'), d('2026-11-02')).status,
    ).toBe('not_enrolled');
    expect(enrollmentStatus(spans, npi, 8 as PayerId, d('2026-03-10'), d('2026-11-02')).status).toBe(
      'not_enrolled',
    );
  });
});

describe('enrollmentLookup', () => {
  it('answers like enrollmentStatus over all spans (property)', () => {
    const npis = [npi, fixtureNpi('222222222')];
    const day = (n: number) =>
      new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString().slice(0, 10) as CalendarDate;
    const span = fc.record({
      npi: fc.constantFrom(...npis),
      payerId: fc.constantFrom(7, 8).map((n) => n as PayerId),
      from: fc.integer({ min: 0, max: 300 }),
      back: fc.integer({ min: 0, max: 60 }),
      len: fc.option(fc.integer({ min: 0, max: 200 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        fc.array(span, { maxLength: 6 }),
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 0, max: 400 }),
        (raw, dos, asOf) => {
          const spans: EnrollmentSpan[] = raw.map((r) => ({
            npi: r.npi,
            payerId: r.payerId,
            effectiveFrom: day(r.from),
            coversFrom: day(r.from - r.back),
            ...(r.len !== undefined ? { effectiveTo: day(r.from + r.len) } : {}),
          }));
          const lookup = enrollmentLookup(spans, day(asOf));
          for (const n of npis) {
            for (const p of [7, 8] as PayerId[]) {
              expect(lookup({ npi: n, payerId: p, serviceDate: day(dos) })).toEqual(
                enrollmentStatus(spans, n, p, day(dos), day(asOf)),
              );
            }
          }
        },
      ),
    );
  });
});

describe('releaseDate', () => {
  it('is the latest pending effective date; null when someone is not enrolled; undefined with no hold', () => {
    expect(releaseDate([{ status: 'enrolled' }])).toBeUndefined();
    expect(
      releaseDate([
        { status: 'pending', effectiveFrom: d('2026-12-01') },
        { status: 'pending', effectiveFrom: d('2027-01-15') },
        { status: 'enrolled' },
      ]),
    ).toBe('2027-01-15');
    expect(
      releaseDate([{ status: 'pending', effectiveFrom: d('2026-12-01') }, { status: 'not_enrolled' }]),
    ).toBeNull();
  });

  it('releases on, not before, the release date (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4000 }), fc.integer({ min: -400, max: 400 }), (base, offset) => {
        const day = (n: number) =>
          new Date(Date.UTC(2020, 0, 1) + n * 86_400_000).toISOString().slice(0, 10) as CalendarDate;
        return isReleased(day(base), day(base + offset)) === offset >= 0;
      }),
    );
    expect(isReleased(undefined, d('2026-01-01'))).toBe(true);
    expect(isReleased(null, d('2099-01-01'))).toBe(false);
  });
});

describe('credentialing hold through the scrubber', () => {
  // Scenario: Dr. Smith joined the practice in October; the payer approved her enrollment effective
  // 2026-12-01, retroactive to 2026-10-01. Her October claim waits and is released on December 1.
  const spans: EnrollmentSpan[] = [
    { npi, payerId: payer, effectiveFrom: d('2026-12-01'), coversFrom: d('2026-10-01') },
  ];
  const ctxOn = (asOf: string) =>
    fixtureContext({
      asOf: d(asOf),
      enrollment: (q) => enrollmentStatus(spans, q.npi, q.payerId, q.serviceDate, d(asOf)),
    });

  it('holds the claim with reason credentialing and the release date', () => {
    const result = scrub(fixtureClaim(), ctxOn('2026-11-02'));
    expect(result.clean).toBe(false);
    expect(result.holds).toEqual([
      { reason: 'credentialing', ruleIds: ['rendering-enrolled'], releaseOn: '2026-12-01' },
    ]);
    expect(result.issues[0]).toMatchObject({
      ruleId: 'rendering-enrolled',
      hold: 'credentialing',
      releaseOn: '2026-12-01',
      x12: '2310B.NM109',
    });
  });

  it('is still held the day before and clean on the effective date', () => {
    expect(scrub(fixtureClaim(), ctxOn('2026-11-30')).clean).toBe(false);
    expect(scrub(fixtureClaim(), ctxOn('2026-12-01'))).toEqual({ issues: [], holds: [], clean: true });
  });

  it('has no automatic release when a provider is not enrolled at all', () => {
    const result = scrub(fixtureClaim(), fixtureContext({ enrollment: () => ({ status: 'not_enrolled' }) }));
    expect(result.holds).toEqual([{ reason: 'credentialing', ruleIds: ['rendering-enrolled'] }]);
  });

  it('lists several holds in a fixed order', () => {
    const result = scrub(
      fixtureClaim({ totalChargeCents: 1 as never }),
      fixtureContext({
        eligibility: 'lapsed',
        enrollment: () => ({ status: 'pending', effectiveFrom: d('2026-12-01') }),
      }),
    );
    expect(result.holds.map((h) => h.reason)).toEqual(['scrubber', 'credentialing', 'eligibility']);
    expect(result.issues.map((i) => i.ruleId)).toEqual([
      'total-equals-lines',
      'eligibility-hold',
      'rendering-enrolled',
    ]);
  });
});
