/** PGlite (embedded PostgreSQL in WASM) implementation of `Db`. */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { coreError } from '@openrcm/core';
import { acquireDataDirLock, type DataDirLock } from './lock.ts';
import {
  decodeInt8,
  PG_TYPE,
  TransactionGuard,
  wrapDbError,
  type Db,
  type QueryResult,
  type Row,
  type Tx,
} from './db.ts';

const parsers = {
  [PG_TYPE.INT8]: decodeInt8,
  [PG_TYPE.DATE]: (v: string): string => v,
  [PG_TYPE.NUMERIC]: (v: string): string => v,
};

type Engine = Pick<PGlite, 'query' | 'exec'> | Transaction;

async function run<T extends Row>(
  engine: Engine,
  sql: string,
  params: readonly unknown[] = [],
): Promise<QueryResult<T>> {
  try {
    const r = await engine.query<T>(sql, params as unknown[]);
    // PGlite reports affectedRows = 0 for SELECT; pg reports the row count: align on pg.
    return { rows: r.rows, rowCount: Math.max(r.affectedRows ?? 0, r.rows.length) };
  } catch (e) {
    throw wrapDbError(e);
  }
}

async function runMulti(engine: Engine, sql: string): Promise<void> {
  try {
    await engine.exec(sql);
  } catch (e) {
    throw wrapDbError(e);
  }
}

export interface PgliteOptions {
  /** Directory for the database files; omitted = in memory (tests). */
  readonly dataDir?: string;
  /** A tarball from `dumpDataDir()` to start from (test templates). */
  readonly loadDataDir?: Blob;
}

/** Wraps an open PGlite as a `Db`; `onClose` runs after the engine closes (lock release). */
export function pgliteDb(
  pg: PGlite,
  onClose: () => void = () => undefined,
  location = 'memory',
): Db & { readonly pglite: PGlite } {
  let closed = false;
  const guard = new TransactionGuard();
  return {
    kind: 'pglite',
    location,
    pglite: pg,
    query: (sql, params) => {
      guard.check();
      return run(pg, sql, params);
    },
    exec: (sql) => {
      guard.check();
      return runMulti(pg, sql);
    },
    async transaction<R>(fn: (tx: Tx) => Promise<R>): Promise<R> {
      guard.check();
      try {
        return await pg.transaction(async (t) => {
          const tx: Tx = {
            inTransaction: true,
            query: (sql, params) => run(t, sql, params),
            exec: (sql) => runMulti(t, sql),
          };
          return guard.run(() => fn(tx));
        });
      } catch (e) {
        throw wrapDbError(e);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await pg.close();
      } finally {
        onClose();
      }
    },
  };
}

/**
 * Opens the embedded database. With a data directory, takes the directory lock first (throws
 * `db.locked` naming the other process) and releases it on close.
 */
export async function openPglite(options: PgliteOptions = {}): Promise<Db & { readonly pglite: PGlite }> {
  let lock: DataDirLock | undefined;
  let dataDir: string | undefined;
  if (options.dataDir !== undefined) {
    dataDir = resolve(options.dataDir);
    mkdirSync(dataDir, { recursive: true });
    lock = acquireDataDirLock(dataDir);
  }
  try {
    const pg = await PGlite.create({
      // PGlite keeps its cluster in a subfolder so the lock file sits beside, not inside, it.
      ...(dataDir === undefined ? {} : { dataDir: resolve(dataDir, 'pgdata') }),
      ...(options.loadDataDir === undefined ? {} : { loadDataDir: options.loadDataDir }),
      parsers,
    });
    return pgliteDb(pg, () => lock?.release(), dataDir ?? 'memory');
  } catch (e) {
    lock?.release();
    throw coreError('db.connect_failed', 'cannot open the embedded database in the data directory', {
      cause: e,
    });
  }
}
