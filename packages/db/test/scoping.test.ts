import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { OpenRcmError, ProviderId, parseDate } from '@openrcm/core';
import {
  activeEnrollment,
  createEnrollment,
  getLocation,
  getProvider,
  listPractices,
  SCOPED_LIST_QUERIES,
} from '../src/index.ts';
import { createTestDb, testDbKind, type TestDb } from './harness.ts';
import { seedTwoPractices } from './seed.ts';

describe(`practice scoping on ${testDbKind()}`, () => {
  let db: TestDb;
  let seeded: Awaited<ReturnType<typeof seedTwoPractices>>;
  beforeAll(async () => {
    db = await createTestDb();
    seeded = await seedTwoPractices(db);
  });
  afterAll(async () => {
    await db.close();
  });

  it('every registered scoped list query returns only the scope practice rows', async () => {
    const names = Object.keys(SCOPED_LIST_QUERIES);
    expect(names.length).toBeGreaterThanOrEqual(5);
    for (const [name, list] of Object.entries(SCOPED_LIST_QUERIES)) {
      for (const side of [seeded.a, seeded.b]) {
        const rows = await list(db, side.scope);
        // Each query must see its own practice's seeded row (else the test proves nothing) ...
        expect(rows.length, `${name} returns the practice's own rows`).toBeGreaterThan(0);
        // ... and nothing of the other practice.
        const foreign = rows.filter((r) => r.practiceId !== side.practice.id);
        expect(foreign, `${name} leaks rows of another practice`).toEqual([]);
      }
    }
  });

  it('get-by-id refuses another practice row', async () => {
    await expect(getProvider(db, seeded.a.scope, seeded.b.provider.id)).rejects.toMatchObject({
      code: 'core.not_found',
    });
    await expect(getLocation(db, seeded.b.scope, seeded.a.location.id)).rejects.toMatchObject({
      code: 'core.not_found',
    });
    expect((await getProvider(db, seeded.a.scope, seeded.a.provider.id)).npi).toBe('1234567893');
  });

  it('the schema refuses a row pointing at another practice row (composite foreign keys)', async () => {
    const err: unknown = await createEnrollment(db, seeded.a.scope, {
      providerId: ProviderId(seeded.b.provider.id),
      payerId: seeded.payer.id,
      status: 'submitted',
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenRcmError);
    expect((err as OpenRcmError).details['sqlstate']).toBe('23503'); // foreign_key_violation
  });

  it('finds the enrollment span in force on a date of service', async () => {
    const { a, payer } = seeded;
    expect(
      await activeEnrollment(db, a.scope, a.provider.id, payer.id, parseDate('2024-06-01')),
    ).toMatchObject({
      status: 'enrolled',
      effectiveFrom: '2024-01-01',
    });
    expect(await activeEnrollment(db, a.scope, a.provider.id, payer.id, parseDate('2023-12-31'))).toBeNull();
    // Practice B's scope does not see A's provider's enrollment.
    expect(
      await activeEnrollment(db, seeded.b.scope, a.provider.id, payer.id, parseDate('2024-06-01')),
    ).toBeNull();
  });

  it('the practice list is organization-level and sees both practices', async () => {
    const all = await listPractices(db);
    expect(all.map((p) => p.code)).toEqual(['alpha', 'beta']);
  });
});
