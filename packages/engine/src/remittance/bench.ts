/**
 * ERA posting throughput: `npx tsx packages/engine/src/remittance/bench.ts [claims] [claimsPerSet]`
 * (DATABASE_URL set: a fresh database on that server; else an in-memory PGlite). Builds `claims` claims of 3
 * lines in bulk SQL, writes an 835 with one set per `claimsPerSet` claims (REF*6R on every line), imports it and
 * prints lines/s. Synthetic data only.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Instant } from '@openrcm/core';
import { migrate, openPglite, openPostgres, type Db } from '@openrcm/db';
import pg from 'pg';
import { postChargesForClaims } from '../posting/ledger.ts';
import { cas, claimPayment, createWorld, remittance, service, write } from './fixtures.ts';
import { importEra } from './ingest.ts';

const claims = Number(process.argv[2] ?? 2000);
const perSet = Number(process.argv[3] ?? 500);

async function open(): Promise<{ db: Db; done: () => Promise<void> }> {
  const url = process.env['DATABASE_URL'];
  if (url === undefined || url === '') {
    const db = await openPglite();
    await migrate(db);
    return { db, done: () => db.close() };
  }
  const name = `openrcm_era_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const db = await openPostgres({ connectionString: u.toString(), max: 2 });
  await migrate(db);
  return {
    db,
    done: async () => {
      await db.close();
      await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

const { db, done } = await open();
try {
  const w = await createWorld(db, 'bench');
  const t0 = performance.now();
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO encounters (practice_id, patient_id, rendering_provider_id, location_id, date_of_service, place_of_service, coding_status, external_id)
       SELECT $1, $2, $3, $4, '2026-02-10', '11', 'coded', 'B' || g FROM generate_series(1, $5) g`,
      [w.practiceId, w.patientId, w.providerId, w.locationId, claims],
    );
    await tx.query(
      `INSERT INTO claims (practice_id, encounter_id, patient_id, coverage_id, payer_id, responsibility, patient_control_number,
                           billing_provider_id, rendering_provider_id, location_id, status)
       SELECT $1, e.id, $2, $3, $4, 'primary', e.external_id, $5, $5, $6, 'submitted' FROM encounters e
        WHERE e.practice_id = $1 AND e.external_id LIKE 'B%'`,
      [w.practiceId, w.patientId, w.coverageId, w.payerId, w.providerId, w.locationId],
    );
    await tx.query(
      `INSERT INTO claim_versions (practice_id, claim_id, version_no, kind, frequency_code, total_charge_cents, diagnosis_codes,
                                   service_date_from, service_date_to, place_of_service)
       SELECT $1, c.id, 1, 'original', '1', 17000, '{Z0000}', '2026-02-10', '2026-02-10', '11' FROM claims c WHERE c.practice_id = $1`,
      [w.practiceId],
    );
    await tx.query(
      `INSERT INTO claim_lines (practice_id, claim_version_id, claim_id, line_number, line_control_number, procedure_code,
                                units, charge_cents, diagnosis_pointers, service_date_from, service_date_to)
       SELECT $1, v.id, v.claim_id, k, c.patient_control_number || '-' || k, (ARRAY['99213', '36415', '81002'])[k], 1,
              (ARRAY[10000, 3000, 4000])[k], '{1}', '2026-02-10', '2026-02-10'
         FROM claim_versions v JOIN claims c ON c.id = v.claim_id, generate_series(1, 3) k WHERE v.practice_id = $1`,
      [w.practiceId],
    );
    const ids = await tx.query<{ id: number }>('SELECT id FROM claims WHERE practice_id = $1', [
      w.practiceId,
    ]);
    await postChargesForClaims(
      tx,
      w.scope,
      ids.rows.map((r) => r.id),
    );
  });
  // A live database has planner statistics for its claims; a freshly loaded one needs them first.
  await db.exec('ANALYZE');
  const t1 = performance.now();
  const sets = [];
  for (let s = 0; s * perSet < claims; s += 1) {
    const cps = [];
    for (let i = s * perSet + 1; i <= Math.min(claims, (s + 1) * perSet); i += 1) {
      cps.push(
        claimPayment(`B${i}`, '1', [
          service('99213', 10000, [cas('CO', ['45', 2500]), cas('PR', ['2', 1500])], { ref: `B${i}-1` }),
          service('36415', 3000, [cas('CO', ['45', 1000])], { ref: `B${i}-2` }),
          service('81002', 4000, [cas('CO', ['97', 4000])], { ref: `B${i}-3` }),
        ]),
      );
    }
    sets.push(remittance(w, `BENCH-${s}`, cps));
  }
  const file = join(tmpdir(), `openrcm-era-bench-${process.pid}.835`);
  writeFileSync(file, write(sets));
  const t2 = performance.now();
  const at = '2026-03-02T08:00:00.000Z' as Instant;
  const res = await importEra(
    db,
    { file },
    { receivedAt: at, now: at, practiceId: w.practiceId, payerId: w.payerId },
  );
  const t3 = performance.now();
  const lines = res.transactionSets.reduce((n, s) => n + s.lines, 0);
  const posted = res.transactionSets.filter((s) => s.outcome === 'posted').length;
  const rssMb = Math.round(process.memoryUsage().rss / 1e6);
  console.log(
    JSON.stringify({
      engine: db.kind,
      claims,
      lines,
      sets: res.transactionSets.length,
      posted,
      setupSeconds: Math.round(t1 - t0) / 1000,
      importSeconds: Math.round(t3 - t2) / 1000,
      linesPerSecond: Math.round(lines / ((t3 - t2) / 1000)),
      rssMb,
    }),
  );
} finally {
  await done();
}
