// Child process for crash.test.ts: imports one 835 file into the server database and prints the outcomes.
// The parent kills it part-way with SIGKILL, then runs it again to completion.
import { openPostgres } from '@openrcm/db';
import type { Instant } from '@openrcm/core';
import { importEra } from './ingest.ts';

const [url = '', file = '', practiceId = '0', payerId = '0'] = process.argv.slice(2);
const db = await openPostgres({ connectionString: url, max: 1 });
try {
  const at = '2026-03-02T08:00:00.000Z' as Instant;
  const res = await importEra(
    db,
    { file },
    {
      receivedAt: at,
      now: at,
      practiceId: Number(practiceId),
      payerId: Number(payerId),
      actor: 'system:crash-test',
    },
  );
  console.log(JSON.stringify(res.transactionSets.map((s) => s.outcome)));
} finally {
  await db.close();
}
