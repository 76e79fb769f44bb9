/**
 * One database interface over two engines: a node-postgres pool (DATABASE_URL set) and PGlite, the
 * embedded PostgreSQL, persisted in a data directory. Same SQL, same migrations, same row shapes:
 * - int8 → number (safe-integer checked; an unsafe value is a `db.decode_failed` error),
 * - numeric → string (decode money with `centsFromDb`),
 * - date → 'YYYY-MM-DD' string (never a local-midnight Date),
 * - arrays of these → arrays of the same element shapes; jsonb → parsed value; bytea → Uint8Array,
 * - timestamptz → Date (decode with `instantFromDb`).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { OpenRcmError, coreError } from '@openrcm/core';

/** A row as returned by the driver: column name → decoded value. */
export type Row = Record<string, unknown>;

export interface QueryResult<T> {
  readonly rows: T[];
  /** Rows affected by INSERT/UPDATE/DELETE, or returned by SELECT. */
  readonly rowCount: number;
}

/** Anything that runs parameterized SQL: the database itself or a transaction handle. */
export interface Queryable {
  /** One statement with `$1…$n` parameters. */
  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>>;
  /** Several statements, no parameters (migrations, DDL). */
  exec(sql: string): Promise<void>;
}

/** An open transaction. Only valid inside the `transaction` callback that received it. */
export interface Tx extends Queryable {
  readonly inTransaction: true;
}

export const DB_KINDS = ['postgres', 'pglite'] as const;
export type DbKind = (typeof DB_KINDS)[number];

export interface Db extends Queryable {
  readonly kind: DbKind;
  /** Where the data lives, for humans: 'host:port/dbname' (never the password) or the data dir. */
  readonly location: string;
  /**
   * Runs `fn` in a transaction: COMMIT when it resolves, ROLLBACK when it throws. Deferred
   * constraints (the ledger balance trigger) are checked at COMMIT, so a commit can throw too.
   */
  transaction<R>(fn: (tx: Tx) => Promise<R>): Promise<R>;
  /** Closes the pool / the embedded engine and releases the data-directory lock. Idempotent. */
  close(): Promise<void>;
}

const MAX = BigInt(Number.MAX_SAFE_INTEGER);

/** int8 text → number, refusing values a JS number cannot hold exactly. */
export function decodeInt8(text: string): number {
  const b = BigInt(text);
  if (b > MAX || b < -MAX) {
    throw coreError('db.decode_failed', 'an int8 column value exceeds the safe integer range');
  }
  return Number(b);
}

/** Postgres type oids whose parsing we pin so both engines agree. */
export const PG_TYPE = {
  INT8: 20,
  DATE: 1082,
  NUMERIC: 1700,
  TEXT_ARRAY: 1009,
  INT8_ARRAY: 1016,
  DATE_ARRAY: 1182,
  NUMERIC_ARRAY: 1231,
} as const;

/** Wraps a driver error as an OpenRcmError, keeping SQLSTATE and constraint name (never values). */
export function wrapDbError(e: unknown): OpenRcmError {
  if (e instanceof OpenRcmError) return e;
  const err = e as { code?: unknown; constraint?: unknown; message?: unknown };
  const sqlstate = typeof err.code === 'string' ? err.code : null;
  const constraint = typeof err.constraint === 'string' ? err.constraint : null;
  const message = typeof err.message === 'string' ? err.message : 'query failed';
  // 40001 serialization_failure, 40P01 deadlock_detected: safe to retry the transaction.
  const code = sqlstate === '40001' || sqlstate === '40P01' ? 'db.serialization' : 'db.query_failed';
  // Postgres messages may quote a failing value in DETAIL (which we drop); the primary message
  // names the constraint or the column, which is what an operator needs.
  return coreError(code, message, { cause: e, details: { sqlstate, constraint } });
}

/** SQLSTATE of a database error (wrapped or raw), e.g. '23505' unique_violation. */
export function sqlState(e: unknown): string | null {
  if (e instanceof OpenRcmError) {
    const s = e.details['sqlstate'];
    return typeof s === 'string' ? s : sqlState(e.cause);
  }
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
}

/**
 * Guards against using the database handle inside its own transaction callback. On PGlite that
 * call would wait for the transaction to finish — forever; on a pool it would silently run outside
 * the transaction. Either way it is a bug: use the `tx` handle.
 */
export class TransactionGuard {
  readonly #als = new AsyncLocalStorage<true>();

  run<R>(fn: () => Promise<R>): Promise<R> {
    return this.#als.run(true, fn);
  }

  check(): void {
    if (this.#als.getStore() === true) {
      throw coreError(
        'core.internal',
        'the database handle was used inside its own transaction: use the tx handle',
      );
    }
  }
}
