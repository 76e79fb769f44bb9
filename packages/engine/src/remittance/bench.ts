/**
 * ERA posting throughput: `npm run bench:posting -- [claims] [claimsPerSet] [runs]`
 * (defaults 333334 claims ≈ 1,000,000 service lines, 1000 claims per 835 transaction set, 1 run).
 * DATABASE_URL set: a fresh database on that server (dropped afterwards); else PGlite in a temporary data
 * directory (removed afterwards).
 *
 * 1. Creates the claims it will pay, set-based: encounters, claims, versions and 3 lines each in a few
 *    INSERT … SELECT statements per chunk of claims, and their CHARGE ledger transactions through
 *    `postChargesForClaims` (one CHARGE per claim version, as claim construction posts them).
 * 2. Writes an 835 file paying them, one interchange per transaction set appended to the file (memory flat):
 *    every claim pays with CO-45 and PR-2; one claim in ten has its third line denied (CO-197), about the
 *    industry's initial denial rate. REF*6R on every line. Synthetic data only.
 * 3. Reference in the same run: the file read and parsed by stream835 alone (no database).
 * 4. Imports the file with `importEra` (timed), then again (every set must be a duplicate). Each run starts
 *    from a fresh database, so every run posts the same work.
 *
 * Prints one JSON line per run and a summary with medians: wall seconds, lines/s, client CPU seconds
 * (process.cpuUsage: the engine, and PGlite itself when embedded), server CPU seconds of the PostgreSQL backend
 * that did the work (from /proc when the server is local), peak RSS, load average before and after.
 */
import {
  closeSync,
  createReadStream,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Instant } from '@openrcm/core';
import { migrate, openPglite, openPostgres, type Db } from '@openrcm/db';
import { DiagnosticSink } from '@openrcm/x12';
import { stream835, write835 } from '@openrcm/x12/835';
import pg from 'pg';
import { postChargesForClaims } from '../posting/ledger.ts';
import { cas, claimPayment, createWorld, remittance, service, type World } from './fixtures.ts';
import { importEra } from './ingest.ts';

const claims = Number(process.argv[2] ?? 333334);
const perSet = Number(process.argv[3] ?? 1000);
const runs = Number(process.argv[4] ?? 1);
const SETUP_CHUNK = 20000;
const url = process.env['DATABASE_URL'];
const onServer = url !== undefined && url !== '';

type Opened = { db: Db; done: () => Promise<void> };

async function open(run: number): Promise<Opened> {
  if (!onServer) {
    // In a data directory, as `openrcm` runs it (not in memory: a million lines outgrow the WASM heap).
    const dataDir = mkdtempSync(join(tmpdir(), 'openrcm-era-bench-pglite-'));
    const db = await openPglite({ dataDir });
    await migrate(db);
    return {
      db,
      done: async () => {
        await db.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const name = `openrcm_era_bench_${process.pid}_${run}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  // One connection: every statement of the import runs in the one backend whose CPU time is read below.
  const db = await openPostgres({ connectionString: u.toString(), max: 1 });
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

async function backendOf(db: Db): Promise<number | null> {
  return (await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid ?? null;
}

/** utime + stime of a local process in seconds (null when /proc does not show it: a remote server). */
function procCpuSeconds(pid: number | null): number | null {
  if (pid === null) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of /proc/<pid>/stat (1-based), after the ')' of the command name: index 11 and 12.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

const LINES = [
  { code: '99213', charge: 10000 },
  { code: '36415', charge: 3000 },
  { code: '81002', charge: 4000 },
] as const;

/** Claims B1..Bn with three lines each, and their CHARGE postings, set-based in chunks. */
async function createClaims(db: Db, w: World): Promise<void> {
  for (let from = 1; from <= claims; from += SETUP_CHUNK) {
    const to = Math.min(claims, from + SETUP_CHUNK - 1);
    await db.transaction(async (tx) => {
      const ids = await tx.query<{ id: number }>(
        `WITH e AS (
           INSERT INTO encounters (practice_id, patient_id, rendering_provider_id, location_id, date_of_service,
                                   place_of_service, coding_status, external_id)
           SELECT $1, $2, $3, $4, DATE '2026-02-10', '11', 'coded', 'B' || g FROM generate_series($7::int, $8::int) g
           RETURNING id, external_id)
         INSERT INTO claims (practice_id, encounter_id, patient_id, coverage_id, payer_id, responsibility,
                             patient_control_number, billing_provider_id, rendering_provider_id, location_id, status)
         SELECT $1, e.id, $2, $5, $6, 'primary', e.external_id, $3, $3, $4, 'submitted' FROM e
         RETURNING id`,
        [w.practiceId, w.patientId, w.providerId, w.locationId, w.coverageId, w.payerId, from, to],
      );
      const claimIds = ids.rows.map((r) => r.id);
      await tx.query(
        `WITH v AS (
           INSERT INTO claim_versions (practice_id, claim_id, version_no, kind, frequency_code, total_charge_cents,
                                       diagnosis_codes, service_date_from, service_date_to, place_of_service)
           SELECT $1, c, 1, 'original', '1', 17000, '{Z0000}', DATE '2026-02-10', DATE '2026-02-10', '11'
             FROM unnest($2::bigint[]) c
           RETURNING id, claim_id)
         INSERT INTO claim_lines (practice_id, claim_version_id, claim_id, line_number, line_control_number,
                                  procedure_code, units, charge_cents, diagnosis_pointers, service_date_from,
                                  service_date_to)
         SELECT $1, v.id, v.claim_id, k, c.patient_control_number || '-' || k, ($3::text[])[k], 1, ($4::bigint[])[k],
                '{1}', DATE '2026-02-10', DATE '2026-02-10'
           FROM v JOIN claims c ON c.practice_id = $1 AND c.id = v.claim_id, generate_series(1, 3) k`,
        [w.practiceId, claimIds, LINES.map((l) => l.code), LINES.map((l) => l.charge)],
      );
      // Planner statistics, as a live database has them (PostgreSQL scales them as the tables grow).
      if (from === 1) await tx.exec('ANALYZE claims, claim_versions, claim_lines');
      await postChargesForClaims(tx, w.scope, claimIds);
    });
  }
  // A live database has planner statistics for its claims; a freshly loaded one needs them first.
  await db.exec('ANALYZE');
}

/** The 835 file: one interchange per transaction set, appended, so memory does not grow with the file. */
function write835File(w: World, file: string): number {
  const fd = openSync(file, 'w');
  let sets = 0;
  try {
    for (let first = 1; first <= claims; first += perSet) {
      const cps = [];
      for (let i = first; i <= Math.min(claims, first + perSet - 1); i += 1) {
        const denied = i % 10 === 0;
        cps.push(
          claimPayment(`B${i}`, '1', [
            service('99213', 10000, [cas('CO', ['45', 2500]), cas('PR', ['2', 1500])], { ref: `B${i}-1` }),
            service('36415', 3000, [cas('CO', ['45', 1000])], { ref: `B${i}-2` }),
            denied
              ? service('81002', 4000, [cas('CO', ['197', 4000])], { ref: `B${i}-3` })
              : service('81002', 4000, [cas('CO', ['45', 1500])], { ref: `B${i}-3` }),
          ]),
        );
      }
      sets += 1;
      const text = write835([remittance(w, `BENCH-${sets}`, cps)], {
        interchange: {
          senderQualifier: 'ZZ',
          senderId: 'PAYER',
          receiverQualifier: 'ZZ',
          receiverId: 'OPENRCM',
          date: '2026-03-02',
          time: '0800',
          controlNumber: sets,
        },
        senderCode: 'PAYER',
        receiverCode: 'OPENRCM',
        groupControlNumber: sets,
      });
      writeSync(fd, text);
    }
  } finally {
    closeSync(fd);
  }
  return sets;
}

/** Reference: the same file read and parsed, no database. */
async function parseOnly(file: string): Promise<{ seconds: number; cpu: number; lines: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let lines = 0;
  for await (const read of stream835(createReadStream(file), {}, new DiagnosticSink())) {
    for (const h of read.value.headers) for (const c of h.claims) lines += Math.max(1, c.services.length);
  }
  const c = process.cpuUsage(c0);
  return { seconds: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6, lines };
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};
const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;

const file = join(tmpdir(), `openrcm-era-bench-${process.pid}.835`);
const results: Record<string, number | string | null>[] = [];
try {
  for (let run = 1; run <= runs; run += 1) {
    const { db, done } = await open(run);
    try {
      const w = await createWorld(db, 'bench');
      const s0 = performance.now();
      await createClaims(db, w);
      const setupSeconds = (performance.now() - s0) / 1000;
      const sets = write835File(w, file);
      const ref = await parseOnly(file);
      const at = '2026-03-02T08:00:00.000Z' as Instant;
      const load0 = loadavg()[0] ?? 0;
      // The pool's one connection may have been closed while idle: take its backend now, and check after the
      // import that the same backend did all the work.
      const pid = onServer ? await backendOf(db) : null;
      const server0 = procCpuSeconds(pid);
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const res = await importEra(
        db,
        { file },
        { receivedAt: at, now: at, practiceId: w.practiceId, payerId: w.payerId },
      );
      const seconds = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(c0);
      const server1 = pid !== null && (await backendOf(db)) === pid ? procCpuSeconds(pid) : null;
      const lines = res.transactionSets.reduce((n, s) => n + s.lines, 0);
      const posted = res.transactionSets.filter((s) => s.outcome === 'posted').length;
      if (posted !== sets || lines !== ref.lines) {
        throw new Error(`only ${posted} of ${sets} sets posted (${lines} of ${ref.lines} lines)`);
      }
      const again0 = performance.now();
      const again = await importEra(
        db,
        { file },
        { receivedAt: at, now: at, practiceId: w.practiceId, payerId: w.payerId },
      );
      const againSeconds = (performance.now() - again0) / 1000;
      if (!again.transactionSets.every((s) => s.outcome === 'duplicate')) {
        throw new Error('re-import posted something');
      }
      const row = {
        engine: db.kind,
        run,
        claims,
        lines,
        sets,
        fileMb: round(statSync(file).size / 1e6, 1),
        setupSeconds: round(setupSeconds, 1),
        importSeconds: round(seconds, 1),
        linesPerSecond: Math.round(lines / seconds),
        clientCpuSeconds: round((cpu.user + cpu.system) / 1e6, 1),
        serverCpuSeconds: server0 === null || server1 === null ? null : round(server1 - server0, 1),
        reimportSeconds: round(againSeconds, 1),
        parseOnlySeconds: round(ref.seconds, 1),
        parseOnlyCpuSeconds: round(ref.cpu, 1),
        parseOnlyLinesPerSecond: Math.round(ref.lines / ref.seconds),
        peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
        load1Before: round(load0),
        load1After: round(loadavg()[0] ?? 0),
      };
      results.push(row);
      console.log(JSON.stringify(row));
    } finally {
      await done();
    }
  }
  if (runs > 1) {
    const num = (k: string): number[] => results.map((r) => Number(r[k]));
    console.log(
      JSON.stringify({
        summary: 'median',
        runs,
        importSeconds: round(median(num('importSeconds')), 1),
        linesPerSecond: Math.round(median(num('linesPerSecond'))),
        clientCpuSeconds: round(median(num('clientCpuSeconds')), 1),
        serverCpuSeconds: onServer ? round(median(num('serverCpuSeconds')), 1) : null,
        parseOnlyLinesPerSecond: Math.round(median(num('parseOnlyLinesPerSecond'))),
        peakRssMb: Math.max(...num('peakRssMb')),
      }),
    );
  }
} finally {
  rmSync(file, { force: true });
}
