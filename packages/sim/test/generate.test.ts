import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_ERROR_RATES, generate } from '../src/generate.ts';
import type { ErrorRates } from '../src/generate.ts';
import { isValidMemberId, isValidNpi } from '../src/ids.ts';
import { payerProfile } from '../src/payers/profiles.ts';
import { firstPassRun, streamFirstPass } from '../src/payers/run.ts';
import { ENTITIES, naturalKey } from '../src/schema.ts';
import type { FieldType } from '../src/schema.ts';
import { AGING_BUCKETS } from '../src/types.ts';
import type { Dataset } from '../src/types.ts';
import { generateToDirectory, writeDataset } from '../src/write.ts';

// One realistic default-size data set (3 practices x 3 months, ~12k encounters) shared by the checks below.
let ds: ReturnType<typeof generate>;
let generationCpuMs = 0;
const tmp: string[] = [];
beforeAll(() => {
  // CPU time, not wall time: the 2-core machine is shared, and wall time there measures the neighbours.
  const c0 = process.cpuUsage();
  ds = generate({ practices: 3, months: 3, seed: 1, startDate: '2026-01-05' });
  const c = process.cpuUsage(c0);
  generationCpuMs = (c.user + c.system) / 1000;
});
afterAll(() => {
  for (const d of tmp) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'openrcm-sim-'));
  tmp.push(d);
  return d;
}

function readAll(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir).sort()) out[f] = readFileSync(join(dir, f), 'utf8');
  return out;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

function typeOk(t: FieldType, v: unknown): boolean {
  switch (t) {
    case 'string':
      return typeof v === 'string' && v.length > 0;
    case 'string?':
      return v === null || (typeof v === 'string' && v.length > 0);
    case 'int':
    case 'cents':
      return Number.isSafeInteger(v);
    case 'date':
      return typeof v === 'string' && DATE.test(v);
    case 'date?':
      return v === null || (typeof v === 'string' && DATE.test(v));
    case 'instant':
      return typeof v === 'string' && INSTANT.test(v);
    case 'bool':
      return typeof v === 'boolean';
    case 'string[]':
      return Array.isArray(v) && v.every((x) => typeof x === 'string' && x.length > 0);
    case 'int[]':
      return Array.isArray(v) && v.every((x) => Number.isSafeInteger(x));
  }
}

describe('determinism', () => {
  it('writes byte-identical JSON Lines and CSV for the same seed, streaming or in memory', () => {
    // Two practices (two specialties), one month, a third of a full clinic day: small but touches every entity.
    const cfg = { practices: 2, months: 1, seed: 'det', startDate: '2026-03-02', volume: 0.3 } as const;
    const a = tempDir();
    const b = tempDir();
    generateToDirectory(cfg, a, { format: 'jsonl' });
    generateToDirectory(cfg, b, { format: 'jsonl' });
    const fa = readAll(a);
    expect(readAll(b)).toEqual(fa);
    expect(Object.keys(fa)).toHaveLength(ENTITIES.length + 1); // + manifest.json
    // The in-memory path writes the same entity files.
    const c = tempDir();
    writeDataset(generate(cfg), c);
    const fc = readAll(c);
    for (const s of ENTITIES) expect(fc[`${s.file}.jsonl`]).toBe(fa[`${s.file}.jsonl`]);
    const d = tempDir();
    const e = tempDir();
    generateToDirectory(cfg, d, { format: 'csv' });
    generateToDirectory(cfg, e, { format: 'csv' });
    expect(readAll(e)).toEqual(readAll(d));
    expect(readFileSync(join(d, 'charges.csv'), 'utf8').split('\n')[0]).toBe(
      Object.keys(ENTITIES.find((s) => s.file === 'charges')?.fields ?? {}).join(','),
    );
  });

  it('changes with the seed', () => {
    const x = generate({ practices: 1, months: 1, seed: 1, startDate: '2026-03-02' });
    const y = generate({ practices: 1, months: 1, seed: 2, startDate: '2026-03-02' });
    expect(JSON.stringify(y.charges)).not.toBe(JSON.stringify(x.charges));
  });
});

describe('rows follow the schema', () => {
  it('every row has exactly the schema fields with the declared types, and unique natural keys', () => {
    for (const spec of ENTITIES) {
      const rows = ds[spec.property] as unknown as Record<string, unknown>[];
      expect(rows.length, spec.file).toBeGreaterThan(0);
      const keys = new Set<string>();
      const columns = Object.keys(spec.fields).sort().join();
      const fields = Object.entries(spec.fields);
      for (const row of rows) {
        // Plain checks in the loop (vitest's expect is slow per call); one assertion per failure kind.
        if (Object.keys(row).sort().join() !== columns)
          throw new Error(`${spec.file}: columns differ from the schema`);
        for (const [f, t] of fields) {
          if (!typeOk(t, row[f])) throw new Error(`${spec.file}.${f}: not a ${t}`);
        }
        keys.add(naturalKey(spec, row));
      }
      expect(keys.size, `${spec.file} natural keys unique`).toBe(rows.length);
    }
  });

  it('references resolve (charges -> encounters -> patients, providers, locations, coverages -> payers)', () => {
    const ids = <T>(rows: T[], f: (r: T) => string) => new Set(rows.map(f));
    const enc = ids(ds.encounters, (e) => e.encounterId);
    const pat = ids(ds.patients, (p) => p.patientId);
    const prov = ids(ds.providers, (p) => p.providerId);
    const loc = ids(ds.locations, (l) => l.locationId);
    const cov = ids(ds.coverages, (c) => c.coverageId);
    const pay = ids(ds.payers, (p) => p.payerId);
    const auth = ids(ds.authorizations, (a) => a.authorizationId);
    const appt = ids(ds.appointments, (a) => a.appointmentId);
    const bad: string[] = [];
    for (const c of ds.charges) {
      if (!enc.has(c.encounterId) || (c.authorizationId !== null && !auth.has(c.authorizationId)))
        bad.push(c.chargeId);
    }
    for (const e of ds.encounters) {
      const ok =
        pat.has(e.patientId) &&
        prov.has(e.renderingProviderId) &&
        loc.has(e.locationId) &&
        appt.has(e.appointmentId) &&
        (e.primaryCoverageId === null || cov.has(e.primaryCoverageId)) &&
        (e.secondaryCoverageId === null || cov.has(e.secondaryCoverageId));
      if (!ok) bad.push(e.encounterId);
    }
    for (const c of ds.coverages) if (!pay.has(c.payerId) || !pat.has(c.patientId)) bad.push(c.coverageId);
    for (const g of ds.groundTruth) if (g.encounterId !== null && !enc.has(g.encounterId)) bad.push(g.key);
    for (const l of ds.legacyAr) {
      if (!pat.has(l.patientId) || (l.payerId !== null && !pay.has(l.payerId))) bad.push(l.legacyClaimId);
    }
    expect(bad).toEqual([]);
  });
});

describe('realistic reference data', () => {
  it('gives every provider, practice, location and the organization a valid NPI', () => {
    const npis = [
      ...ds.providers.map((p) => p.npi),
      ...ds.practices.map((p) => p.groupNpi),
      ...ds.locations.map((l) => l.npi),
      ...ds.organizations.map((o) => o.npi),
    ];
    expect(npis.length).toBeGreaterThan(10);
    for (const n of npis) expect(isValidNpi(n)).toBe(true);
  });

  it('fits names and addresses in their X12 elements (NM103 60, NM104 35, N301 55, N401 30)', () => {
    const named = [...ds.organizations, ...ds.practices, ...ds.locations, ...ds.payers];
    const tooLong = [
      ...named.filter((r) => r.name.length > 60).map((r) => r.name),
      ...[...named, ...ds.patients]
        .filter((r) => r.address1.length > 55 || r.city.length > 30)
        .map((r) => r.address1),
      ...[...ds.patients, ...ds.providers]
        .filter((p) => p.lastName.length > 60 || p.firstName.length > 35)
        .map((p) => p.lastName),
      ...ds.coverages.filter((c) => c.planName.length > 50).map((c) => c.planName),
    ];
    expect(tooLong).toEqual([]);
  });

  it('keeps member ids in the payer format except the injected typos', () => {
    const typo = new Set(
      ds.groundTruth
        .filter((g) => g.scope === 'coverage' && g.errorKind === 'member_id_typo')
        .map((g) => g.coverageId),
    );
    for (const c of ds.coverages) {
      if (typo.has(c.coverageId)) continue;
      expect(isValidMemberId(c.memberId, payerProfile(c.payerId).memberIdFormat)).toBe(true);
    }
  });

  it('codes claims consistently: at most 12 diagnoses, 1-4 valid pointers, positive integer charges', () => {
    const dx = new Map(ds.encounters.map((e) => [e.encounterId, e.diagnoses.length]));
    const bad: string[] = [];
    for (const e of ds.encounters)
      if (e.diagnoses.length === 0 || e.diagnoses.length > 12) bad.push(e.encounterId);
    for (const c of ds.charges) {
      const n = dx.get(c.encounterId) ?? 0;
      const pointersOk =
        c.diagnosisPointers.length >= 1 &&
        c.diagnosisPointers.length <= 4 &&
        c.diagnosisPointers.every((p) => p >= 1 && p <= n);
      if (!pointersOk || !(c.chargeCents > 0) || !(c.units > 0) || c.modifiers.length > 4)
        bad.push(c.chargeId);
    }
    expect(bad).toEqual([]);
  });

  it('adds modifier 25 to an E/M billed with a minor procedure', () => {
    const byEnc = new Map<string, Dataset['charges']>();
    for (const c of ds.charges) byEnc.set(c.encounterId, [...(byEnc.get(c.encounterId) ?? []), c]);
    const injected = new Set(
      ds.groundTruth.filter((g) => g.errorKind === 'missing_modifier').map((g) => g.encounterId),
    );
    let seen = 0;
    for (const [enc, lines] of byEnc) {
      if (injected.has(enc)) continue;
      const em = lines.find((l) => /^992[01]\d$/.test(l.code));
      if (em && lines.some((l) => l.code === '20610' || l.code === '17000' || l.code === '11102')) {
        expect(em.modifiers).toContain('25');
        seen++;
      }
    }
    expect(seen).toBeGreaterThan(20);
  });
});

describe('injected errors and ground truth', () => {
  it('injects each error at its configured rate (within 4 binomial standard deviations)', () => {
    for (const [kind, s] of Object.entries(ds.stats) as [
      keyof ErrorRates,
      { eligible: number; injected: number },
    ][]) {
      const p = DEFAULT_ERROR_RATES[kind];
      expect(s.eligible, kind).toBeGreaterThan(50);
      const sd = Math.sqrt(s.eligible * p * (1 - p));
      expect(Math.abs(s.injected - s.eligible * p), kind).toBeLessThanOrEqual(4 * sd + 1);
    }
  });

  it('records every injection in the ground truth file', () => {
    // Rows for the denials of a payer's rule change during the period are not injections (./payers/policy.ts).
    const count = (kind: string, scope: string) =>
      ds.groundTruth.filter(
        (g) => g.errorKind === kind && g.scope === scope && !g.detail.includes('after its published manual'),
      ).length;
    expect(count('member_id_typo', 'coverage')).toBe(ds.stats.memberIdTypo.injected);
    expect(count('outdated_coverage', 'coverage')).toBe(ds.stats.outdatedCoverage.injected);
    expect(count('missing_authorization', 'encounter')).toBe(ds.stats.missingAuthorization.injected);
    expect(count('missing_modifier', 'encounter')).toBe(ds.stats.missingModifier.injected);
    expect(count('wrong_pos', 'encounter')).toBe(ds.stats.wrongPos.injected);
    expect(count('non_covered_service', 'encounter')).toBe(ds.stats.nonCoveredService.injected);
    expect(count('diagnosis_mismatch', 'encounter')).toBe(ds.stats.diagnosisMismatch.injected);
    expect(count('duplicate_submission', 'encounter')).toBe(ds.stats.duplicateSubmission.injected);
    expect(count('late_documentation', 'encounter')).toBe(ds.stats.lateDocumentation.injected);
    expect(count('unenrolled_provider', 'encounter')).toBeGreaterThan(0);
    // Eligibility-only scenarios: the coverage row alone (no claim outcome of their own).
    expect(count('plan_change', 'coverage')).toBe(ds.stats.planChange.injected);
    expect(count('unknown_other_coverage', 'coverage')).toBe(ds.stats.unknownOtherCoverage.injected);
    expect(count('plan_change', 'encounter') + count('unknown_other_coverage', 'encounter')).toBe(0);
  });

  it('honours a zero rate and a configured rate', () => {
    const none = generate({
      practices: 1,
      months: 1,
      seed: 5,
      startDate: '2026-03-02',
      volume: 0.5,
      errorRates: { wrongPos: 0, duplicateSubmission: 0 },
    });
    expect(
      none.groundTruth.filter((g) => g.errorKind === 'wrong_pos' || g.errorKind === 'duplicate_submission'),
    ).toHaveLength(0);
    const many = generate({
      practices: 1,
      months: 1,
      seed: 5,
      startDate: '2026-03-02',
      volume: 0.5,
      errorRates: { wrongPos: 0.2 },
    });
    const s = many.stats.wrongPos;
    expect(s.injected / s.eligible).toBeGreaterThan(0.17);
    expect(s.injected / s.eligible).toBeLessThan(0.23);
  });

  it('makes the wrong-POS encounters disagree with their location', () => {
    const loc = new Map(ds.locations.map((l) => [l.locationId, l.posCode]));
    const wrong = new Set(
      ds.groundTruth.filter((g) => g.errorKind === 'wrong_pos').map((g) => g.encounterId),
    );
    const mismatched = ds.encounters
      .filter((e) => e.posCode !== loc.get(e.locationId))
      .map((e) => e.encounterId);
    expect(mismatched.sort()).toEqual([...wrong].sort());
  });

  it('implies unscrubbed first-pass outcomes in the realism band: denials 5-15 %, front-end rejections 1-6 %', () => {
    const insured = ds.encounters.filter((e) => e.primaryCoverageId !== null).length;
    const enc = (prefix: string) =>
      new Set(
        ds.groundTruth
          .filter((g) => g.scope === 'encounter' && g.expectedOutcome.startsWith(prefix))
          .map((g) => g.encounterId),
      ).size;
    // Credentialing holds become CO-B7 denials when nothing holds them.
    const deny = (enc('deny:') + enc('hold:')) / insured;
    const reject = enc('reject:') / insured;
    expect(deny).toBeGreaterThan(0.05);
    expect(deny).toBeLessThan(0.15);
    expect(reject).toBeGreaterThan(0.01);
    expect(reject).toBeLessThan(0.06);
  });
});

describe('timing and aging', () => {
  it('completes documentation with a median lag of about a day and a long tail', () => {
    const start = new Map(ds.appointments.map((a) => [a.appointmentId, Date.parse(a.startAt)]));
    const lags = ds.encounters
      .map((e) => (Date.parse(e.documentedAt) - (start.get(e.appointmentId) ?? 0)) / 86_400_000)
      .sort((a, b) => a - b);
    const q = (p: number) => lags[Math.floor(lags.length * p)] ?? NaN;
    expect(q(0.5)).toBeGreaterThan(0.8);
    expect(q(0.5)).toBeLessThan(1.25);
    expect(q(0.9)).toBeGreaterThan(2.5);
    expect(lags[0]).toBeGreaterThan(0);
  });

  it('ages the legacy AR in the typical mix (0-30 ~50 %, 31-60 ~11 %, 61-90 ~7 %, 91-120 ~6 %, 120+ ~25 %)', () => {
    const target = { '0-30': 0.5, '31-60': 0.11, '61-90': 0.07, '91-120': 0.06, '120+': 0.25 } as const;
    const total = ds.legacyAr.reduce((s, r) => s + r.balanceCents, 0);
    for (const b of AGING_BUCKETS) {
      const rows = ds.legacyAr.filter((r) => r.agingBucket === b);
      const countShare = rows.length / ds.legacyAr.length;
      const balanceShare = rows.reduce((s, r) => s + r.balanceCents, 0) / total;
      expect(Math.abs(countShare - target[b]), b).toBeLessThan(0.02);
      expect(Math.abs(balanceShare - target[b]), b).toBeLessThan(0.05);
    }
    for (const r of ds.legacyAr) {
      expect(r.billedCents - r.paidCents - r.adjustedCents).toBe(r.balanceCents);
      expect(r.balanceCents).toBeGreaterThan(0);
    }
  });

  it('schedules only business days and stays inside the period', () => {
    const bad = ds.appointments.filter((a) => {
      const wd = new Date(`${a.date}T00:00:00Z`).getUTCDay();
      return wd === 0 || wd === 6 || a.date < '2026-01-05' || a.date > '2026-04-04';
    });
    expect(bad).toEqual([]);
  });
});

describe('performance', () => {
  it('generates 3 practices x 3 months well under a few seconds', () => {
    expect(ds.encounters.length).toBeGreaterThan(5000);
    // Measured ~0.7 s wall on the 2-core machine when idle; the bound leaves room for a loaded machine.
    expect(generationCpuMs).toBeLessThan(5000);
  });
});

describe('realism check (issue 4): claims straight from the charges, adjudicated by the simulated payers', () => {
  it('denies 5-15 % on first adjudication, rejects 1-6 % at the front end, and every denial has a ground-truth cause', () => {
    const r = firstPassRun(ds);
    expect(r.claims).toBeGreaterThan(5000);
    expect(r.denialRate).toBeGreaterThan(0.05);
    expect(r.denialRate).toBeLessThan(0.15);
    expect(r.rejectionRate).toBeGreaterThan(0.01);
    expect(r.rejectionRate).toBeLessThan(0.06);
    expect(r.unexplained).toEqual([]);
    // Where an encounter carries two errors the payer reports the first rule that fires, so not all match.
    expect(r.matched / r.expectedDenials).toBeGreaterThan(0.9);
    let unbalanced = 0;
    for (const o of r.outcomes.values()) {
      if (o.kind !== 'adjudicated') continue;
      for (const l of o.lines)
        if (l.chargeCents - l.adjustments.reduce((t, c) => t + c.amountCents, 0) !== l.paidCents)
          unbalanced++;
    }
    expect(unbalanced).toBe(0);
  });

  it('leaves a clean claim rate above 90 % when every scrubber-detectable error is caught before sending', () => {
    const insured = ds.encounters.filter((e) => e.primaryCoverageId !== null).length;
    const scrubberOnly = new Set<string>();
    const eligibilityOnly = new Set<string>();
    for (const g of ds.groundTruth) {
      if (g.scope !== 'encounter' || g.encounterId === null) continue;
      (g.detectableBy === 'eligibility' ? eligibilityOnly : scrubberOnly).add(g.encounterId);
    }
    // Without an eligibility check, the eligibility-only errors still reach the payer.
    expect(1 - eligibilityOnly.size / insured).toBeGreaterThan(0.9);
    expect(scrubberOnly.size / insured).toBeGreaterThan(0.03);
  });

  it('gives the same counts streaming one practice-month at a time as in memory', () => {
    const cfg = { practices: 2, months: 2, seed: 11, startDate: '2026-05-04', volume: 0.4 } as const;
    const a = firstPassRun(generate(cfg));
    const b = streamFirstPass(cfg);
    expect([b.claims, b.rejected, b.deniedClaims, b.unexplainedCount, b.matched]).toEqual([
      a.claims,
      a.rejected,
      a.deniedClaims,
      a.unexplainedCount,
      a.matched,
    ]);
    expect(b.outcomes.size).toBe(0);
  });
});

describe('any configuration (property)', () => {
  it('produces schema-valid, referentially whole, business-day data for random seeds, start dates and sizes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 4 * 365 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 2 }),
        (seed, offset, practices, months) => {
          // Start dates across month ends, year ends and leap days (2026-2029).
          const start = new Date(Date.UTC(2026, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10);
          const d = generate({ practices, months, seed, startDate: start, volume: 0.05 });
          for (const spec of ENTITIES) {
            const rows = d[spec.property] as unknown as Record<string, unknown>[];
            const keys = new Set<string>();
            for (const row of rows) {
              for (const [f, t] of Object.entries(spec.fields))
                if (!typeOk(t, row[f])) throw new Error(`${spec.file}.${f}: not a ${t}`);
              keys.add(naturalKey(spec, row));
            }
            if (keys.size !== rows.length) throw new Error(`${spec.file}: duplicate natural key`);
          }
          const enc = new Set(d.encounters.map((e) => e.encounterId));
          if (d.charges.some((c) => !enc.has(c.encounterId))) throw new Error('orphan charge');
          for (const a of d.appointments) {
            const wd = new Date(`${a.date}T00:00:00Z`).getUTCDay();
            if (wd === 0 || wd === 6 || a.date < start)
              throw new Error('appointment outside business days or period');
          }
          if (d.legacyAr.some((r) => r.dateOfService >= start))
            throw new Error('legacy AR dated inside the period');
        },
      ),
      { numRuns: 12 },
    );
  });
});
