/**
 * Per-practice (or per-clearinghouse) mutual exclusion for handlers whose two concurrent runs on the same
 * subject would conflict — two claims runs would both pick up the same `ready` claims and send them twice; two
 * pickups would ingest the same file twice. graphile-worker already runs each queued job once; this guards a
 * scheduled run meeting a manual `openrcm job run`, or two fanned-out jobs for the same practice.
 *
 * On PostgreSQL: a transaction-level advisory lock (`pg_advisory_xact_lock(namespace, id)`) held on one pooled
 * connection for as long as `fn` runs; `fn` itself uses the other connections of the pool. The second caller
 * waits, then runs and finds the work done (handlers re-check state). On the embedded database there is one
 * process (the data directory is locked) and one connection, so there is nothing to guard and nothing to hold.
 */
import type { Db } from '@openrcm/db';

/** Advisory lock namespaces (the first key of the two-key form): 'OR' + a letter per subject. */
export const LOCK_NAMESPACE = {
  practice: 0x4f520050, // 'OR\0P'
  clearinghouse: 0x4f520043, // 'OR\0C'
} as const;
export type LockSubject = keyof typeof LOCK_NAMESPACE;

export async function withSubjectLock<T>(
  db: Db,
  subject: LockSubject,
  id: number,
  fn: () => Promise<T>,
): Promise<T> {
  if (db.kind === 'pglite') return fn();
  // The transaction holds the lock; `fn` runs OUTSIDE its callback (the database handle refuses to be used
  // inside its own transaction callback), on the pool's other connections, and the transaction ends after it.
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const holder = db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1::int, $2::int)', [LOCK_NAMESPACE[subject], id]);
    locked();
    await released;
  });
  await Promise.race([isLocked, holder]);
  try {
    return await fn();
  } finally {
    release();
    await holder;
  }
}
