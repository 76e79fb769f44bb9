/**
 * Eligibility benchmark (`npm run bench:eligibility`): the nightly run for 50,000 appointments on the
 * embedded database (PGlite) and on the PostgreSQL server, database side included —
 *   plan:   planChecks over the 50,000 appointments (one check per appointment × coverage),
 *   send:   sendChecks — the checks read, the 270s built and serialized (validated), handed to the transport,
 *   ingest: ingestEligibilityResponses of every 271 — parsed, summarised, classified, stored.
 * The 271s come from the simulated clearinghouse and payers (in process, not timed). References measured in
 * the same run: parsing the same 271 files alone (the X12 share of the ingest) and a fixed CPU workload
 * (SHA-256 of 64 MB, how fast this machine is under its current load). Each run is the next night: a new
 * window of appointments, on a table holding the checks of the runs before.
 *
 *   npm run bench:eligibility -- [--appointments 50000] [--runs 3] [--pglite-only | --pg-only] [--pg postgres://…]
 *
 * Wall and CPU per phase, medians over the runs, and the load average. CPU = user + system of this process
 * (PGlite's database work included: it runs in this process) and, on PostgreSQL, of the server backends
 * connected to the benchmark's database (/proc/PID/stat). A generated practice (1 practice × 1 month) gives the practice, providers,
 * payers, patients and coverages; the appointments are spread over the business days after it.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { addBusinessDays, type CalendarDate, type Instant } from '@openrcm/core';
import { migrate, openPglite, openPostgres, practiceScope, type Db } from '@openrcm/db';
import { generateToDirectory } from '@openrcm/sim';
import { inProcessClearinghouse, loadPayerKnowledge } from '@openrcm/sim/clearinghouse';
import { parseEligibility } from '@openrcm/x12/270-271';
import { importPath } from '../intake/import.ts';
import { inProcessTransport } from '../submission/transport.ts';
import { expireChecks, ingestEligibilityResponses, planChecks, sendChecks } from './run.ts';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}
const APPOINTMENTS = Number(arg('appointments', '50000'));
const RUNS = Number(arg('runs', '3'));
/** Inquiries per 270 file (sendChecks' maxPerFile; its default when not given). */
const PER_FILE = process.argv.includes('--per-file') ? Number(arg('per-file', '10000')) : undefined;
const PG_URL = arg('pg', process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres');

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

/**
 * CPU milliseconds the PostgreSQL server spent for this benchmark's database: utime + stime of its backends
 * (/proc/PID/stat, clock ticks of 10 ms), found in pg_stat_activity. 0 for PGlite (in this process).
 */
let serverCpu: () => Promise<number> = () => Promise.resolve(0);

function ticksOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

async function measure<T>(
  f: () => Promise<T> | T,
): Promise<{ wall: number; cpu: number; server: number; value: T }> {
  const s0 = await serverCpu();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await f();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  const server = (await serverCpu()) - s0;
  return { wall, cpu: (c.user + c.system) / 1000, server, value };
}

const PHASES = [
  'plan',
  'send',
  'ingest',
  'total',
  'parse 271 (reference)',
  'sha256 64 MB (reference)',
] as const;
type Phase = (typeof PHASES)[number];

const START = '2026-01-05';
const dataDir = mkdtempSync(join(tmpdir(), 'openrcm-bench-elig-'));
generateToDirectory({ practices: 1, months: 1, seed: 3, startDate: START, volume: 1 }, dataDir);
const knowledge = loadPayerKnowledge(dataDir);

/** The appointments: APPOINTMENTS over `days` business days after the generated month, patients in turn. */
async function seed(
  db: Db,
): Promise<{ windows: CalendarDate[]; days: number; practiceId: number; houseId: number }> {
  if (!(await importPath(db, dataDir)).ok) throw new Error('the generated data set did not import');
  const practiceId = (await db.query<{ id: number }>('SELECT id FROM practices')).rows[0]?.id ?? 0;
  const patients = (
    await db.query<{ n: number }>('SELECT count(*)::int AS n FROM patients WHERE practice_id = $1', [
      practiceId,
    ])
  ).rows[0]?.n;
  const perDay = Math.min(patients ?? 1, 2500);
  const days = Math.ceil(APPOINTMENTS / perDay);
  // One window of `days` business days per run, one after the other: each run is the next night's work,
  // on a table that keeps the checks of the runs before (change detection compares with them).
  const windows: CalendarDate[] = [];
  for (let run = 0; run < RUNS; run++) {
    const eve = addBusinessDays('2026-02-27' as CalendarDate, run * days);
    windows.push(eve);
    const dates: string[] = [];
    for (let i = 1; i <= days; i++) dates.push(addBusinessDays(eve, i));
    await db.query(
      `INSERT INTO appointments (practice_id, patient_id, provider_id, location_id, external_id, starts_at, service_date, status)
     SELECT $1, p.id, pv.id, l.id, 'BENCH-' || $5 || '-' || d.i || '-' || p.id,
            (d.day::date + time '08:00' + (p.rn % 40) * interval '15 minutes') AT TIME ZONE 'UTC', d.day::date, 'scheduled'
       FROM unnest($2::text[]) WITH ORDINALITY AS d(day, i)
       JOIN LATERAL (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM patients WHERE practice_id = $1
                      ORDER BY id LIMIT $3) p ON true
       JOIN LATERAL (SELECT id FROM providers WHERE practice_id = $1 ORDER BY id OFFSET (p.rn % (SELECT count(*) FROM providers WHERE practice_id = $1)) LIMIT 1) pv ON true
       JOIN LATERAL (SELECT id FROM locations WHERE practice_id = $1 ORDER BY id LIMIT 1) l ON true
      WHERE (d.i - 1) * $3 + p.rn <= $4`,
      [practiceId, dates, perDay, APPOINTMENTS, run],
    );
  }
  const h = await db.query<{ id: number }>(
    `INSERT INTO clearinghouses (code, name, sender_id, receiver_id) VALUES ('bench', 'bench', 'OPENRCM', 'SIMCH') RETURNING id`,
  );
  const houseId = h.rows[0]?.id ?? 0;
  await db.query(`UPDATE payers SET clearinghouse_id = $1 WHERE submission_channel = 'electronic'`, [
    houseId,
  ]);
  return { windows, days, practiceId, houseId };
}

async function runOnce(
  db: Db,
  s: { windows: CalendarDate[]; days: number; practiceId: number; houseId: number },
  run: number,
): Promise<{
  times: Record<Phase, { wall: number; cpu: number; server: number }>;
  counts: Record<string, number>;
}> {
  // What the worker's nightly analyze job does: statistics as of the runs before.
  await db.exec('ANALYZE');
  const scope = practiceScope(s.practiceId);
  const the = s.windows[run] ?? ('2026-02-27' as CalendarDate); // the business day before the window
  const at = `${the}T22:00:00.000Z` as Instant;
  const ch = inProcessClearinghouse(
    { setup: knowledge.data, authorizations: knowledge.data.authorizations, seed: 3 },
    () => the,
  );
  const transports = new Map([[s.houseId, inProcessTransport(ch)]]);
  const plan = await measure(() => planChecks(db, scope, { date: the, windowDays: s.days, at }));
  // The transport hands the file to the simulated clearinghouse, which answers at once: that is not ours,
  // so its time is taken out of the send phase.
  let answerMs = 0;
  let answerCpu = 0;
  const timedTransports = new Map(
    [...transports].map(([id, t]) => [
      id,
      {
        ...t,
        send: async (name: string, content: string) => {
          const c0 = process.cpuUsage();
          const t0 = performance.now();
          await t.send(name, content);
          answerMs += performance.now() - t0;
          const c = process.cpuUsage(c0);
          answerCpu += (c.user + c.system) / 1000;
        },
      },
    ]),
  );
  const send = await measure(() =>
    sendChecks(db, scope, {
      at,
      transports: timedTransports,
      ...(PER_FILE === undefined ? {} : { maxPerFile: PER_FILE }),
    }),
  );
  send.wall -= answerMs;
  send.cpu -= answerCpu;
  const files = [...ch.outbox.entries()].filter(([n]) => n.includes('-271-')).map(([, c]) => c);
  const byClass: Record<string, number> = {};
  const ingest = await measure(async () => {
    for (const f of files) {
      const r = await ingestEligibilityResponses(db, f, { at });
      for (const [k, v] of Object.entries(r.byClassification)) byClass[k] = (byClass[k] ?? 0) + v;
    }
  });
  const parse = await measure(() => {
    for (const f of files) parseEligibility(f);
  });
  const buf = Buffer.alloc(64 * 1024 * 1024, 7);
  const sha = await measure(() => createHash('sha256').update(buf).digest('hex'));
  await expireChecks(db, scope, { at });
  return {
    times: {
      plan,
      send,
      ingest,
      total: {
        wall: plan.wall + send.wall + ingest.wall,
        cpu: plan.cpu + send.cpu + ingest.cpu,
        server: plan.server + send.server + ingest.server,
      },
      'parse 271 (reference)': parse,
      'sha256 64 MB (reference)': sha,
    },
    counts: {
      appointments: plan.value.appointments,
      checks: plan.value.checksCreated,
      sent: send.value.checksSent,
      files270: send.value.batches,
      files271: files.length,
      mb271: Math.round(files.reduce((n, f) => n + f.length, 0) / 1e5) / 10,
      ...byClass,
    },
  };
}

async function bench(kind: string, db: Db): Promise<void> {
  const s = await seed(db);
  const runs: Awaited<ReturnType<typeof runOnce>>[] = [];
  for (let i = 0; i < RUNS; i++) {
    const load = loadavg()[0]?.toFixed(2);
    const r = await runOnce(db, s, i);
    runs.push(r);
    console.log(
      `${kind} run ${i + 1}/${RUNS} (load ${load}): ` +
        PHASES.map((p) => `${p} ${(r.times[p].wall / 1000).toFixed(2)} s`).join(', '),
    );
  }
  console.log(`\n${kind}: ${JSON.stringify(runs[0]?.counts)}`);
  console.log(
    '| phase | wall median (s) | CPU median (s, this process) | CPU median (s, PostgreSQL server) |',
  );
  console.log('|---|---:|---:|---:|');
  for (const p of PHASES) {
    const wall = median(runs.map((r) => r.times[p].wall)) / 1000;
    const cpu = median(runs.map((r) => r.times[p].cpu)) / 1000;
    const server = median(runs.map((r) => r.times[p].server)) / 1000;
    console.log(
      `| ${p} | ${wall.toFixed(2)} | ${cpu.toFixed(2)} | ${kind === 'PGlite' ? '–' : server.toFixed(2)} |`,
    );
  }
  console.log('');
}

console.log(
  `eligibility bench: ${APPOINTMENTS} appointments, ${RUNS} runs; ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ` +
    `node ${process.version}, load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
);
try {
  if (!process.argv.includes('--pg-only')) {
    const lite = await openPglite();
    try {
      await migrate(lite);
      await bench('PGlite', lite);
    } finally {
      await lite.close();
    }
  }
  if (!process.argv.includes('--pglite-only')) {
    const name = `openrcm_bench_elig_${process.pid}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${name}`);
      const u = new URL(PG_URL);
      u.pathname = `/${name}`;
      const server = await openPostgres({ connectionString: u.toString() });
      // Per backend its last known ticks, so a connection the pool closes keeps counting what it used.
      const seen = new Map<number, number>();
      serverCpu = async () => {
        const pids = await admin.query<{ pid: number }>(
          'SELECT pid FROM pg_stat_activity WHERE datname = $1',
          [name],
        );
        for (const r of pids.rows) seen.set(r.pid, Math.max(seen.get(r.pid) ?? 0, ticksOf(r.pid)));
        return [...seen.values()].reduce((n, t) => n + t, 0) * 10;
      };
      try {
        await migrate(server);
        await bench('PostgreSQL', server);
      } finally {
        await server.close();
      }
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      await admin.end();
    }
  }
  console.log(
    `load average at the end ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
