/**
 * Test databases for OpenRCM's database tests (import from '@openrcm/db/test-harness').
 *
 * Each test FILE gets its own migrated database:
 * - DATABASE_URL set (CI): a fresh PostgreSQL database cloned from a migrated template
 *   (`CREATE DATABASE … TEMPLATE openrcm_tpl_<migrations hash>`), dropped on `close()`. The
 *   template is built once per schema version under an advisory lock, so parallel vitest forks
 *   do not race.
 * - otherwise: an in-memory PGlite loaded from a migrated data-directory tarball cached in the
 *   OS temp dir (`openrcm-pglite-<migrations hash>.tar`, built once; ~1 s per file instead of
 *   ~2.5 s for initdb + migrate, much more under load).
 *
 * Usage:
 *   let db: TestDb;
 *   beforeAll(async () => { db = await createTestDb(); });
 *   afterAll(async () => { await db.close(); });
 * or `await withTestDb(async (db) => { ... })`.
 */
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrate, migrationsFingerprint } from '../src/migrate.ts';
import { openPglite } from '../src/pglite.ts';
import { openPostgres } from '../src/postgres.ts';
import type { Db } from '../src/db.ts';

/** A migrated, private database; `close()` also drops it (server) or discards it (PGlite). */
export interface TestDb extends Db {
  /** The server database name, or 'pglite:memory'. */
  readonly name: string;
  /** postgres:// URL of the server database (to hand to a child process), or null for PGlite. */
  readonly url: string | null;
}

// Key for pg_advisory_lock while building templates / cloning: 'ORTT'.
const TEMPLATE_LOCK_KEY = 0x4f525454;
let counter = 0;

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

function isLocalServer(url: string): boolean {
  const host = new URL(url).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || host === '' || host === hostname();
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function createServerDb(url: string): Promise<TestDb> {
  const template = `openrcm_tpl_${migrationsFingerprint().slice(0, 16)}`;
  const name = `openrcm_t_${process.pid}_${Date.now().toString(36)}_${(counter += 1)}`;
  const admin = new pg.Client({ connectionString: url, application_name: 'openrcm-test-harness' });
  await admin.connect();
  try {
    await admin.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK_KEY]);
    try {
      const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
      if (exists.rowCount === 0) {
        // Build under a temporary name and rename when complete, so a crash never leaves a
        // half-migrated template behind under the real name.
        const building = `${template}_b`;
        await admin.query(`DROP DATABASE IF EXISTS ${building}`);
        await admin.query(`CREATE DATABASE ${building}`);
        const db = await openPostgres({ connectionString: withDatabase(url, building), max: 1 });
        try {
          await migrate(db);
        } finally {
          await db.close();
        }
        await admin.query(`ALTER DATABASE ${building} RENAME TO ${template}`);
        // Templates of older schema versions are no longer needed.
        const old = await admin.query<{ datname: string }>(
          "SELECT datname FROM pg_database WHERE datname LIKE 'openrcm\\_tpl\\_%' AND datname <> $1",
          [template],
        );
        for (const { datname } of old.rows) {
          await admin.query(`DROP DATABASE IF EXISTS ${datname}`).catch(() => undefined);
        }
      }
      // Leftovers of test processes that died before dropping their database.
      if (isLocalServer(url)) {
        const stale = await admin.query<{ datname: string }>(
          "SELECT datname FROM pg_database WHERE datname LIKE 'openrcm\\_t\\_%'",
        );
        for (const { datname } of stale.rows) {
          const pid = Number(datname.split('_')[2]);
          if (Number.isSafeInteger(pid) && pid !== process.pid && !alive(pid)) {
            await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`).catch(() => undefined);
          }
        }
      }
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    } finally {
      await admin.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK_KEY]);
    }
  } finally {
    await admin.end();
  }
  const db = await openPostgres({ connectionString: withDatabase(url, name), max: 4 });
  return {
    ...db,
    name,
    url: withDatabase(url, name),
    async close() {
      await db.close();
      const dropper = new pg.Client({ connectionString: url, application_name: 'openrcm-test-harness' });
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

const PGLITE_CACHE_PREFIX = 'openrcm-pglite-';

/** A migrated PGlite data directory as a tarball, cached on disk per schema version. */
async function pgliteTemplate(): Promise<Blob> {
  const fingerprint = migrationsFingerprint().slice(0, 16);
  const file = join(tmpdir(), `${PGLITE_CACHE_PREFIX}${fingerprint}.tar`);
  try {
    return new Blob([readFileSync(file)]);
  } catch {
    // Not built yet (or unreadable): build it below.
  }
  const db = await openPglite();
  let dump: Blob;
  try {
    await migrate(db);
    dump = await db.pglite.dumpDataDir('none');
  } finally {
    await db.close();
  }
  // Write then rename: parallel forks may race, and each rename installs a complete file.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
  renameSync(tmp, file);
  for (const old of readdirSync(tmpdir())) {
    if (old.startsWith(PGLITE_CACHE_PREFIX) && old.endsWith('.tar') && !old.includes(fingerprint)) {
      rmSync(join(tmpdir(), old), { force: true });
    }
  }
  return dump;
}

async function createPgliteDb(): Promise<TestDb> {
  let db;
  try {
    db = await openPglite({ loadDataDir: await pgliteTemplate() });
  } catch {
    // A cache from another PGlite version or a damaged file: start from scratch.
    db = await openPglite();
  }
  // A no-op on a good template; completes a fresh or outdated one.
  await migrate(db);
  return { ...db, name: 'pglite:memory', url: null };
}

/** Creates this test file's private, migrated database (see module doc). */
export async function createTestDb(): Promise<TestDb> {
  const url = process.env['DATABASE_URL'];
  if (url !== undefined && url !== '') return createServerDb(url);
  return createPgliteDb();
}

/** Runs `fn` with a fresh test database and always disposes of it. */
export async function withTestDb<R>(fn: (db: TestDb) => Promise<R>): Promise<R> {
  const db = await createTestDb();
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/**
 * The SQLSTATE a statement was refused with ('accepted' when it went through, 'none' for an error without one),
 * for tests of what the database refuses: `expect(await refusalState(db.query(...))).toBe('23503')`.
 */
export async function refusalState(statement: Promise<unknown>): Promise<string> {
  try {
    await statement;
  } catch (e) {
    const state = (e as { details?: Record<string, unknown> }).details?.['sqlstate'];
    return typeof state === 'string' ? state : 'none';
  }
  return 'accepted';
}

/** Which engine the tests run on: 'postgres' when DATABASE_URL is set, else 'pglite'. */
export function testDbKind(): 'postgres' | 'pglite' {
  const url = process.env['DATABASE_URL'];
  return url !== undefined && url !== '' ? 'postgres' : 'pglite';
}

/**
 * Prepares `dir` as a migrated embedded data directory (for tests that spawn the CLI with
 * `--data-dir`): faster than letting the first command run initdb and the migrations.
 */
export async function prepareDataDir(dir: string): Promise<void> {
  const db = await openPglite({ dataDir: dir, loadDataDir: await pgliteTemplate() });
  try {
    await migrate(db);
  } finally {
    await db.close();
  }
}
