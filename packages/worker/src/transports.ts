/**
 * The clearinghouse transports of an installation, from the `clearinghouses` table: one per row whose
 * transport is configured (`transportFor`: folder drop or SFTP; the password comes from the environment,
 * `OPENRCM_CLEARINGHOUSE_<CODE>_PASSWORD`, never from the database). SFTP connects lazily, on first use.
 */
import type { Db } from '@openrcm/db';
import { transportFor, type ClearinghouseTransport } from '@openrcm/engine';

type ClearinghouseRow = { id: number; code: string; transport: string; settings: Record<string, unknown> };

export interface TransportSet {
  readonly transports: ReadonlyMap<number, ClearinghouseTransport>;
  /** Clearinghouses that could not be opened (missing setting or password), by code: the reason, no secret. */
  readonly unavailable: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

export async function openTransports(
  db: Db,
  env: Readonly<Record<string, string | undefined>>,
): Promise<TransportSet> {
  const rows = await db.query<ClearinghouseRow>(
    'SELECT id, code, transport, settings FROM clearinghouses ORDER BY id',
  );
  const transports = new Map<number, ClearinghouseTransport>();
  const unavailable: Record<string, string> = {};
  for (const r of rows.rows) {
    try {
      transports.set(r.id, transportFor(r, env));
    } catch (e) {
      unavailable[r.code] = e instanceof Error ? e.message : 'could not open the transport';
    }
  }
  return {
    transports,
    unavailable,
    async close() {
      for (const t of transports.values()) await t.close();
    },
  };
}
