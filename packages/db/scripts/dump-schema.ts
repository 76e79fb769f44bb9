/**
 * Regenerates packages/db/schema/catalog.txt from the migrations (on an in-memory PGlite).
 * Run after adding a migration: `npx tsx packages/db/scripts/dump-schema.ts`, and commit the diff.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { migrate, openPglite, schemaCatalog } from '../src/index.ts';

const db = await openPglite();
try {
  await migrate(db);
  const lines = await schemaCatalog(db);
  const out = fileURLToPath(new URL('../schema/catalog.txt', import.meta.url));
  writeFileSync(out, `${lines.join('\n')}\n`);
  console.log(`wrote ${lines.length} lines to ${out}`);
} finally {
  await db.close();
}
