import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildPayerWorlds } from '../src/payers/world.ts';
import { checkEligibility } from '../src/payers/eligibility.ts';
import { ZERO_ACCUMULATOR } from '../src/payers/adjudicate.ts';
import { generate } from '../src/generate.ts';
import type { Dataset, Organization } from '../src/types.ts';
import { DatasetWriter } from '../src/write.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('writer encodings', () => {
  const org: Organization = {
    organizationId: 'ORG1',
    name: 'Smith, Jones & "Partners"',
    tin: '200000001',
    npi: '2000000008',
    address1: '1 Main St\nSuite 2',
    city: 'Port Larkin',
    state: 'OH',
    zip: '43215',
    phone: '6145550100',
  };

  it('quotes CSV cells with commas, quotes and line breaks (RFC 4180) and writes arrays with |', () => {
    const dir = mkdtempSync(join(tmpdir(), 'openrcm-sim-w-'));
    dirs.push(dir);
    const w = new DatasetWriter(dir, 'csv');
    w.write({
      organizations: [org],
      charges: [
        {
          chargeId: 'E1-1',
          encounterId: 'E1',
          practiceId: 'P',
          lineNumber: 1,
          dateOfService: '2026-01-05',
          code: '20610',
          modifiers: ['25', 'RT'],
          units: 1,
          diagnosisPointers: [1, 2],
          chargeCents: 15400,
          posCode: '11',
          authorizationId: null,
        },
      ],
    } satisfies Partial<Dataset>);
    w.close();
    const orgs = readFileSync(join(dir, 'organizations.csv'), 'utf8');
    expect(orgs).toBe(
      'organizationId,name,tin,npi,address1,city,state,zip,phone\nORG1,"Smith, Jones & ""Partners""",200000001,2000000008,"1 Main St\nSuite 2",Port Larkin,OH,43215,6145550100\n',
    );
    const charges = readFileSync(join(dir, 'charges.csv'), 'utf8').split('\n')[1];
    expect(charges).toBe('E1-1,E1,P,1,2026-01-05,20610,25|RT,1,1|2,15400,11,');
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
      formatVersion: number;
      files: { entity: string; rows: number }[];
    };
    expect(manifest.formatVersion).toBe(1);
    expect(manifest.files.find((f) => f.entity === 'charges')?.rows).toBe(1);
  });

  it('writes JSON Lines with every schema key, nulls included, in schema order', () => {
    const dir = mkdtempSync(join(tmpdir(), 'openrcm-sim-w-'));
    dirs.push(dir);
    const w = new DatasetWriter(dir, 'jsonl');
    w.write({ organizations: [org] });
    w.close();
    const line = readFileSync(join(dir, 'organizations.jsonl'), 'utf8');
    expect(Object.keys(JSON.parse(line) as object)).toEqual([
      'organizationId',
      'name',
      'tin',
      'npi',
      'address1',
      'city',
      'state',
      'zip',
      'phone',
    ]);
    expect(line.endsWith('}\n')).toBe(true);
  });
});

describe('eligibility from the payer roster', () => {
  it('answers active with benefits, inactive after the payer-side termination, not found for a typo', () => {
    const ds = generate({
      practices: 1,
      months: 1,
      seed: 3,
      startDate: '2026-03-02',
      volume: 0.2,
      errorRates: { outdatedCoverage: 0.3, memberIdTypo: 0.3 },
    });
    const worlds = buildPayerWorlds(ds);
    const outdatedIds = new Set(
      ds.groundTruth.filter((g) => g.errorKind === 'outdated_coverage').map((g) => g.coverageId),
    );
    const openEnded = new Set(ds.coverages.filter((c) => c.effectiveTo === null).map((c) => c.coverageId));
    // A typo on a coverage that is otherwise fine, and an outdated coverage without a typo.
    const typo = ds.groundTruth.find(
      (g) =>
        g.scope === 'coverage' &&
        g.errorKind === 'member_id_typo' &&
        !outdatedIds.has(g.coverageId) &&
        openEnded.has(g.coverageId ?? ''),
    );
    const typoIds = new Set(
      ds.groundTruth.filter((g) => g.errorKind === 'member_id_typo').map((g) => g.coverageId),
    );
    const outdated = ds.groundTruth.find(
      (g) => g.scope === 'coverage' && g.errorKind === 'outdated_coverage' && !typoIds.has(g.coverageId),
    );
    const cov = (id: string | null) => ds.coverages.find((c) => c.coverageId === id);
    const t = cov(typo?.coverageId ?? null);
    const o = cov(outdated?.coverageId ?? null);
    if (!t || !o || !typo?.payerMemberId || !outdated?.payerTerminationDate)
      throw new Error('fixture lacks injected coverages');
    const wt = worlds.get(t.payerId);
    const wo = worlds.get(o.payerId);
    if (!wt || !wo) throw new Error('no world');
    expect(['not_found', 'invalid_member_id']).toContain(
      checkEligibility(wt, t.memberId, '2026-03-10', ZERO_ACCUMULATOR).status,
    );
    const real = checkEligibility(wt, typo.payerMemberId, '2026-03-10', ZERO_ACCUMULATOR);
    expect(real.status).toBe('active');
    expect(real.benefits?.deductibleRemainingCents).toBe(wt.profile.benefit.deductibleCents);
    expect(checkEligibility(wo, o.memberId, outdated.payerTerminationDate, ZERO_ACCUMULATOR).status).toBe(
      'active',
    );
    const after = new Date(Date.parse(`${outdated.payerTerminationDate}T00:00:00Z`) + 86_400_000)
      .toISOString()
      .slice(0, 10);
    expect(checkEligibility(wo, o.memberId, after, ZERO_ACCUMULATOR).status).toBe('inactive');
  });
});
