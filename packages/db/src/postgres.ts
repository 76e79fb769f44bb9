/** node-postgres implementation of `Db` (a pool), used when DATABASE_URL is set. */
import pg from 'pg';
import { coreError } from '@openrcm/core';
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

const identity = (v: string): string => v;
// text[] parser: splits a Postgres array literal into strings (NULL → null).
const getParser = pg.types.getTypeParser as (oid: number, format: 'text') => (value: string) => unknown;
const textArray = getParser(PG_TYPE.TEXT_ARRAY, 'text') as (value: string) => (string | null)[];

// Pin parsers per pool (not globally) so other pg users in the process are unaffected, and so
// rows look exactly like PGlite's: int8 → number, date → string, numeric → string, arrays alike.
const types = {
  getTypeParser: (oid: number, format?: 'text' | 'binary'): ((value: string) => unknown) => {
    switch (oid) {
      case PG_TYPE.INT8:
        return decodeInt8;
      case PG_TYPE.DATE:
        return identity;
      case PG_TYPE.INT8_ARRAY:
        return (v) => textArray(v).map((x) => (x === null ? null : decodeInt8(x)));
      case PG_TYPE.DATE_ARRAY:
      case PG_TYPE.NUMERIC_ARRAY:
        return textArray;
      default:
        // numeric already arrives as a string with pg's defaults.
        return format === 'binary'
          ? (pg.types.getTypeParser(oid, 'binary') as (value: string) => unknown)
          : getParser(oid, 'text');
    }
  },
};

async function run<T extends Row>(
  client: pg.Pool | pg.PoolClient,
  sql: string,
  params: readonly unknown[] = [],
): Promise<QueryResult<T>> {
  try {
    const r = await client.query<T>(sql, params as unknown[]);
    return { rows: r.rows, rowCount: r.rowCount ?? r.rows.length };
  } catch (e) {
    throw wrapDbError(e);
  }
}

async function runMulti(client: pg.Pool | pg.PoolClient, sql: string): Promise<void> {
  try {
    // No parameters → simple query protocol, which accepts several statements.
    await client.query(sql);
  } catch (e) {
    throw wrapDbError(e);
  }
}

export interface PostgresOptions {
  readonly connectionString: string;
  readonly max?: number;
  readonly applicationName?: string;
}

/** Opens a pool and checks one connection, so a bad URL fails here with a clear error. */
export async function openPostgres(options: PostgresOptions): Promise<Db> {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'openrcm',
    types,
  });
  // An idle client's error (server restart) must not crash the process; the next query fails.
  pool.on('error', () => undefined);
  try {
    const c = await pool.connect();
    c.release();
  } catch (e) {
    await pool.end().catch(() => undefined);
    // The URL may carry a password: name the setting, not its value.
    throw coreError(
      'db.connect_failed',
      `cannot connect to the PostgreSQL server in DATABASE_URL: ${errMsg(e)}`,
      {
        cause: e,
      },
    );
  }
  let closed = false;
  const guard = new TransactionGuard();
  return {
    kind: 'postgres',
    location: describeUrl(options.connectionString),
    query: (sql, params) => {
      guard.check();
      return run(pool, sql, params);
    },
    exec: (sql) => {
      guard.check();
      return runMulti(pool, sql);
    },
    async transaction<R>(fn: (tx: Tx) => Promise<R>): Promise<R> {
      guard.check();
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (e) {
        throw wrapDbError(e);
      }
      let done = false;
      const tx: Tx = {
        inTransaction: true,
        query: (sql, params) => {
          if (done) throw coreError('core.internal', 'transaction handle used after the transaction ended');
          return run(client, sql, params);
        },
        exec: (sql) => {
          if (done) throw coreError('core.internal', 'transaction handle used after the transaction ended');
          return runMulti(client, sql);
        },
      };
      try {
        await run(client, 'BEGIN');
        const result = await guard.run(() => fn(tx));
        await run(client, 'COMMIT');
        done = true;
        client.release();
        return result;
      } catch (e) {
        done = true;
        // After a failed COMMIT the server has already rolled back; ROLLBACK is then a no-op warning.
        const broken = await client.query('ROLLBACK').then(
          () => false,
          () => true,
        );
        client.release(broken);
        throw wrapDbError(e);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

function errMsg(e: unknown): string {
  const m = (e as { message?: unknown } | null)?.message;
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string'
    ? code
    : typeof m === 'string'
      ? m.replace(/postgres(ql)?:\/\/\S+/g, '<url>')
      : 'error';
}

/** host:port/database of a connection string, without user or password. */
function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || 'localhost'}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return 'postgres';
  }
}
