/** Chooses the engine: PostgreSQL when DATABASE_URL is set, otherwise PGlite in a data directory. */
import type { Db } from './db.ts';
import { migrate } from './migrate.ts';
import { openPglite } from './pglite.ts';
import { openPostgres } from './postgres.ts';

/** Default data directory of the embedded database, relative to the working directory. */
export const DEFAULT_DATA_DIR = './.openrcm/data';

export interface OpenOptions {
  /** A postgres:// URL; when set the server is used and `dataDir` is ignored. */
  readonly databaseUrl?: string | undefined;
  /** Embedded database directory (default `./.openrcm/data`). */
  readonly dataDir?: string | undefined;
  /** Apply pending migrations right after opening (default true). */
  readonly migrate?: boolean;
}

/** Opens the database chosen by the options (and migrates it unless told not to). */
export async function openDatabase(options: OpenOptions = {}): Promise<Db> {
  const url = options.databaseUrl;
  const db =
    url !== undefined && url !== ''
      ? await openPostgres({ connectionString: url })
      : await openPglite({ dataDir: options.dataDir ?? DEFAULT_DATA_DIR });
  if (options.migrate ?? true) {
    try {
      await migrate(db);
    } catch (e) {
      await db.close();
      throw e;
    }
  }
  return db;
}
