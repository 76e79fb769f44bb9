/**
 * @openrcm/db — one `Db` interface over PostgreSQL (node-postgres pool, DATABASE_URL) and PGlite
 * (embedded, persisted in a locked data directory); numbered SQL migrations; practice-scoped
 * queries.
 */
export * from './db.ts';
export { openPostgres, type PostgresOptions } from './postgres.ts';
export { openPglite, pgliteDb, type PgliteOptions } from './pglite.ts';
export { acquireDataDirLock, LOCK_FILE, type DataDirLock, type LockInfo } from './lock.ts';
export * from './migrate.ts';
export { openDatabase, DEFAULT_DATA_DIR, type OpenOptions } from './open.ts';
export { practiceScope, type PracticeScope } from './scope.ts';
export * from './queries/index.ts';
export { schemaCatalog } from './catalog.ts';
