import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { OpenRcmError } from '@openrcm/core';
import {
  loadMigrations,
  migrate,
  migrationStatus,
  openPglite,
  openPostgres,
  schemaCatalog,
  type Db,
} from '../src/index.ts';
import { createTestDb, testDbKind, type TestDb } from './harness.ts';

const snapshot = readFileSync(new URL('../schema/catalog.txt', import.meta.url), 'utf8')
  .trim()
  .split('\n');
const serverUrl = process.env['DATABASE_URL'];

/** A brand-new, empty database on the engine under test (not migrated). */
async function emptyDb(): Promise<{ db: Db; drop: () => Promise<void> }> {
  if (serverUrl === undefined || serverUrl === '') {
    const db = await openPglite();
    return { db, drop: () => db.close() };
  }
  const name = `openrcm_t_${process.pid}_empty_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  const db = await openPostgres({ connectionString: u.toString() });
  return {
    db,
    drop: async () => {
      await db.close();
      const a = new pg.Client({ connectionString: serverUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

describe(`migrations on ${testDbKind()}`, () => {
  it('are numbered without gaps and carry checksums', () => {
    const ms = loadMigrations();
    expect(ms.length).toBeGreaterThanOrEqual(5);
    ms.forEach((m, i) => {
      expect(m.version).toBe(i + 1);
      expect(m.checksum).toMatch(/^[0-9a-f]{64}$/);
    });
  });

  it('apply from zero, in order, and a second run is a no-op; concurrent runs do not race', async () => {
    const { db, drop } = await emptyDb();
    try {
      expect((await migrationStatus(db)).every((s) => s.state === 'pending')).toBe(true);
      // Two migrators at once (two workers starting): the advisory lock serialises them.
      const [a, b] = await Promise.all([migrate(db), migrate(db)]);
      expect([...a.applied, ...b.applied].sort()).toEqual(loadMigrations().map((m) => m.file));
      const again = await migrate(db);
      expect(again.applied).toEqual([]);
      expect(again.alreadyApplied).toBe(loadMigrations().length);
      const status = await migrationStatus(db);
      expect(status.map((s) => s.state)).toEqual(loadMigrations().map(() => 'applied'));
      expect(status.every((s) => s.appliedAt !== null)).toBe(true);
      expect(await schemaCatalog(db)).toEqual(snapshot);
    } finally {
      await drop();
    }
  });
});

describe(`an applied database on ${testDbKind()}`, () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(async () => {
    await db.close();
  });

  it('matches the committed schema snapshot (schema/catalog.txt) exactly', async () => {
    // The same snapshot is checked on PGlite and on the server: the schemas are identical.
    expect(await schemaCatalog(db)).toEqual(snapshot);
  });

  it.runIf(testDbKind() === 'postgres')(
    'has exactly the schema of the embedded engine (direct comparison)',
    async () => {
      const embedded = await openPglite();
      try {
        await migrate(embedded);
        expect(await schemaCatalog(db)).toEqual(await schemaCatalog(embedded));
      } finally {
        await embedded.close();
      }
    },
  );

  it('refuses to run when an applied migration file was edited', async () => {
    await db.query("UPDATE schema_migrations SET checksum = repeat('0', 64) WHERE version = 2");
    try {
      await expect(migrate(db)).rejects.toMatchObject({ code: 'db.migration_changed' });
      const status = await migrationStatus(db);
      expect(status.find((s) => s.version === 2)?.state).toBe('changed');
    } finally {
      const m = loadMigrations()[1];
      await db.query('UPDATE schema_migrations SET checksum = $1 WHERE version = 2', [m?.checksum]);
    }
    await expect(migrate(db)).resolves.toMatchObject({ applied: [] });
  });

  it('refuses a database migrated by a newer OpenRCM', async () => {
    await db.query("INSERT INTO schema_migrations (version, name, checksum) VALUES (9999, 'future', 'x')");
    try {
      const err: unknown = await migrate(db).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpenRcmError);
      expect((err as OpenRcmError).code).toBe('db.migration_unknown');
      expect((await migrationStatus(db)).at(-1)).toMatchObject({ version: 9999, state: 'unknown' });
    } finally {
      await db.query('DELETE FROM schema_migrations WHERE version = 9999');
    }
  });

  it('decodes int8 to numbers, numeric to strings, dates to YYYY-MM-DD on both engines', async () => {
    const r = await db.query(
      `SELECT 42::bigint AS n, 12.50::numeric AS d, DATE '2024-02-29' AS dos, TIMESTAMPTZ '2024-01-01T00:00:00Z' AS at,
              count(*) AS c, sum(x) AS s
         FROM (VALUES (1::bigint), (2::bigint)) v(x)`,
    );
    expect(r.rows[0]).toEqual({
      n: 42,
      d: '12.50',
      dos: '2024-02-29',
      at: new Date('2024-01-01T00:00:00Z'),
      c: 2,
      s: '3',
    });
    const arrays = await db.query(
      `SELECT ARRAY[1, NULL, 3]::bigint[] AS b, ARRAY[1, 2]::smallint[] AS s, ARRAY[DATE '2024-01-02'] AS d,
              ARRAY[1.50]::numeric[] AS n, ARRAY['x']::text[] AS t, '{"a": [1]}'::jsonb AS j`,
    );
    expect(arrays.rows[0]).toEqual({
      b: [1, null, 3],
      s: [1, 2],
      d: ['2024-01-02'],
      n: ['1.50'],
      t: ['x'],
      j: { a: [1] },
    });
    await expect(db.query('SELECT ARRAY[9007199254740993]::bigint[] AS n')).rejects.toMatchObject({
      code: 'db.decode_failed',
    });
    await expect(db.query('SELECT 9007199254740993::bigint AS n')).rejects.toMatchObject({
      code: 'db.decode_failed',
    });
    // The connection is still usable after a decode failure.
    expect((await db.query('SELECT 1::bigint AS n')).rows[0]).toEqual({ n: 1 });
  });

  it('hands out X12 control numbers from sequences', async () => {
    const r = await db.query<{ a: number; b: number }>(
      "SELECT nextval('x12_isa_control_seq') AS a, nextval('x12_isa_control_seq') AS b",
    );
    const row = r.rows[0];
    expect(row && row.b - row.a).toBe(1);
  });
});
