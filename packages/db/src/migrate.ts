/**
 * Numbered, forward-only SQL migrations (`migrations/0001_name.sql`), applied in order, each in
 * its own transaction, recorded with a SHA-256 checksum in `schema_migrations`. An applied file
 * that changed afterwards is refused (write a new migration instead).
 *
 * Concurrency: every step runs under a transaction-scoped advisory lock and re-reads what is
 * applied while holding it, so concurrent workers starting against one server do not race.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { coreError, instantFromDb, type Instant } from '@openrcm/core';
import type { Db, Queryable } from './db.ts';

/** Directory of the packaged migrations. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));

// Arbitrary constant key for pg_advisory_xact_lock: 'ORCM' in ASCII.
const MIGRATION_LOCK_KEY = 0x4f52434d;

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly file: string;
  readonly sql: string;
  readonly checksum: string;
}

const FILE_RE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** Reads and orders the migration files; throws on duplicate or malformed numbering. */
export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const out: Migration[] = [];
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.sql')) continue;
    const m = FILE_RE.exec(file);
    if (!m)
      throw coreError('db.migration_failed', `migration file name ${file} does not match NNNN_name.sql`);
    // Normalise line endings so a checkout on Windows does not look like an edit.
    const sql = readFileSync(`${dir}/${file}`, 'utf8').replace(/\r\n/g, '\n');
    out.push({
      version: Number(m[1]),
      name: m[2] ?? '',
      file,
      sql,
      checksum: createHash('sha256').update(sql).digest('hex'),
    });
  }
  out.forEach((mig, i) => {
    if (mig.version !== i + 1) {
      throw coreError(
        'db.migration_failed',
        `migrations must be numbered 0001, 0002, … without gaps (at ${mig.file})`,
      );
    }
  });
  return out;
}

/** A hash over all migrations: names test templates so they are rebuilt when the schema changes. */
export function migrationsFingerprint(migrations: readonly Migration[] = loadMigrations()): string {
  const h = createHash('sha256');
  for (const m of migrations) h.update(`${m.file}:${m.checksum}\n`);
  return h.digest('hex');
}

const CREATE_TABLE = `
CREATE TABLE IF NOT EXISTS schema_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

interface AppliedRow extends Record<string, unknown> {
  version: number;
  name: string;
  checksum: string;
  applied_at: unknown;
}

async function applied(q: Queryable): Promise<Map<number, AppliedRow>> {
  const r = await q.query<AppliedRow>(
    'SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version',
  );
  return new Map(r.rows.map((row) => [row.version, row]));
}

function verify(migrations: readonly Migration[], done: Map<number, AppliedRow>): void {
  const known = new Map(migrations.map((m) => [m.version, m]));
  for (const [version, row] of done) {
    const m = known.get(version);
    if (!m) {
      throw coreError(
        'db.migration_unknown',
        `the database has migration ${version} (${row.name}) which this version of OpenRCM does not know; upgrade OpenRCM`,
      );
    }
    if (m.checksum !== row.checksum) {
      throw coreError(
        'db.migration_changed',
        `migration ${m.file} was changed after it was applied (checksum differs); add a new migration instead`,
      );
    }
  }
}

export interface MigrateResult {
  readonly applied: readonly string[];
  readonly alreadyApplied: number;
}

/** Applies every pending migration in order. Safe to call concurrently from several processes. */
export async function migrate(
  db: Db,
  migrations: readonly Migration[] = loadMigrations(),
): Promise<MigrateResult> {
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.exec(CREATE_TABLE);
  });
  const before = await applied(db);
  verify(migrations, before);
  const appliedNow: string[] = [];
  for (const m of migrations) {
    if (before.has(m.version)) continue;
    await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      // Another process may have applied it while we waited for the lock.
      const exists = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [m.version]);
      if (exists.rowCount > 0) return;
      try {
        await tx.exec(m.sql);
      } catch (e) {
        const msg = (e as { message?: unknown }).message;
        throw coreError(
          'db.migration_failed',
          `migration ${m.file} failed: ${typeof msg === 'string' ? msg : 'error'}`,
          {
            cause: e,
          },
        );
      }
      await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
        m.version,
        m.name,
        m.checksum,
      ]);
      appliedNow.push(m.file);
    });
  }
  return { applied: appliedNow, alreadyApplied: before.size };
}

export const MIGRATION_STATES = ['applied', 'pending', 'changed', 'unknown'] as const;
export type MigrationState = (typeof MIGRATION_STATES)[number];

export interface MigrationStatus {
  readonly version: number;
  readonly name: string;
  readonly state: MigrationState;
  readonly appliedAt: Instant | null;
}

/** Each migration with its state, without changing anything. */
export async function migrationStatus(
  db: Queryable,
  migrations: readonly Migration[] = loadMigrations(),
): Promise<MigrationStatus[]> {
  const table = await db.query<{ t: string | null }>("SELECT to_regclass('schema_migrations')::text AS t");
  const done = table.rows[0]?.t ? await applied(db) : new Map<number, AppliedRow>();
  const out: MigrationStatus[] = migrations.map((m) => {
    const row = done.get(m.version);
    return {
      version: m.version,
      name: m.name,
      state: row === undefined ? 'pending' : row.checksum === m.checksum ? 'applied' : 'changed',
      appliedAt: row === undefined ? null : instantFromDb(row.applied_at),
    };
  });
  for (const [version, row] of done) {
    if (!migrations.some((m) => m.version === version)) {
      out.push({ version, name: row.name, state: 'unknown', appliedAt: instantFromDb(row.applied_at) });
    }
  }
  return out.sort((a, b) => a.version - b.version);
}
