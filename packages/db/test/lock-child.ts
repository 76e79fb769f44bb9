// Child process for lock.test.ts: tries to open the embedded database in argv[2] and reports.
import { openPglite } from '../src/pglite.ts';
import { OpenRcmError } from '@openrcm/core';

const dir = process.argv[2] ?? '';
try {
  const db = await openPglite({ dataDir: dir });
  await db.query('SELECT 1');
  await db.close();
  console.log(JSON.stringify({ ok: true }));
} catch (e) {
  console.log(
    JSON.stringify({
      ok: false,
      code: e instanceof OpenRcmError ? e.code : 'other',
      message: (e as Error).message,
    }),
  );
}
