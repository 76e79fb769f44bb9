/**
 * Claims throughput (issue 5): `npm run bench:claims` — build, scrub and serialize N claims of three lines each
 * from the database, page by page, on embedded PGlite and (with a server reachable) on PostgreSQL.
 *
 *   npm run bench:claims -- [--sizes 25000,50000,100000] [--runs 3] [--db pglite-dir,postgres]
 *   node --expose-gc --import tsx packages/engine/src/claims/bench.ts --child --claims 100000 [--db pglite-dir|pglite|postgres]  (one run)
 *
 * Databases: `pglite-dir` is embedded PGlite in a data directory, as `openrcm` runs it (the default); `pglite` the
 * same in memory (the tests' database: its RSS holds the data, so it grows with N by construction); `postgres` a
 * fresh database on the server at DATABASE_URL (default postgres://postgres@127.0.0.1:5432).
 *
 * A run seeds a fresh database (not timed): a generated practice (1 month of the simulator's data: patients,
 * coverages, providers, payers) plus N coded encounters with three active charges each, cloned from the
 * generated encounters (patient, coverage, provider, location, diagnoses; dates spread over 60 days). Then it
 * times, each in its own phase: `buildClaims` (claims, versions, lines, CHARGE ledger rows), `scrubClaims`
 * (the full catalog with the payers' policies and the real code sets) and submission (`submitReadyClaims` to a
 * folder transport: load, 837P write, file, batch rows). It prints wall and CPU time per phase, the process's
 * peak RSS and, for the timed phases alone, RSS at their start and at most and the JS heap retained after each
 * (PGlite runs inside the process; a PostgreSQL server's memory is its own). The parent runs every size
 * and database `--runs` times in fresh child processes and prints medians, with the load average and a reference
 * (a fixed CPU loop) measured in the same run.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { addDays, type CalendarDate, type Instant } from '@openrcm/core';
import { migrate, openPglite, practiceScope, type Db } from '@openrcm/db';
import { createTestDb } from '@openrcm/db/test-harness';
import { generateToDirectory, payerPolicyManual } from '@openrcm/sim';
import { importPath } from '../intake/import.ts';
import { codesetsAdapter } from '../scrubber/codesets-adapter.ts';
import { importPayerPolicies } from '../scrubber/rules-db.ts';
import { scrubClaims } from '../scrubber/run.ts';
import { submitReadyClaims } from '../submission/submit.ts';
import { folderTransport } from '../submission/transport.ts';
import { buildClaims } from './build.ts';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? dflt) : dflt;
};

type Phase = { wallMs: number; cpuMs: number };
type RunResult = {
  db: string;
  claims: number;
  lines: number;
  seedMs: number;
  build: Phase;
  scrub: Phase;
  submit: Phase;
  totalWallMs: number;
  totalCpuMs: number;
  peakRssMb: number;
  /** RSS when the timed phases start (after seeding), and the highest RSS sampled every 50 ms during them. */
  rssAtStartMb: number;
  phasePeakRssMb: number;
  /** The JS heap still in use after a full garbage collection at the start and after each phase (what the run
   *  keeps: flat if memory does not grow with the number of claims; RSS also holds garbage not yet collected). */
  retainedHeapMb: number[];
  /** PGlite's WebAssembly memory at the end (it grows on demand and never shrinks). */
  wasmMemoryMb: number | null;
  ready: number;
  held: number;
  heldBy: Readonly<Record<string, number>>;
  templates: number;
  files: number;
};

async function timed<T>(fn: () => Promise<T>): Promise<[T, Phase]> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const v = await fn();
  const c = process.cpuUsage(c0);
  return [v, { wallMs: performance.now() - t0, cpuMs: (c.user + c.system) / 1000 }];
}

/** BENCH_TRACE=1: prints the slowest statements (profiling aid). */
function traceQueries(db: { query: (...a: never[]) => Promise<unknown>; transaction: unknown }): void {
  const stats = new Map<string, { n: number; ms: number; cpu: number }>();
  const wrap = (target: { query: (sql: string, params?: unknown[]) => Promise<unknown> }): void => {
    const orig = target.query.bind(target);
    target.query = async (sql: string, params?: unknown[]) => {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      try {
        return await orig(sql, params);
      } finally {
        const k = sql.replace(/\s+/g, ' ').slice(0, 90);
        const e = stats.get(k) ?? { n: 0, ms: 0, cpu: 0 };
        const c = process.cpuUsage(c0);
        e.n++;
        e.ms += performance.now() - t0;
        e.cpu += (c.user + c.system) / 1000;
        stats.set(k, e);
      }
    };
  };
  wrap(db as never);
  const tr = (
    db as unknown as { transaction: (fn: (tx: unknown) => Promise<unknown>) => Promise<unknown> }
  ).transaction.bind(db);
  (db as unknown as { transaction: unknown }).transaction = (fn: (tx: unknown) => Promise<unknown>) =>
    tr((tx) => {
      wrap(tx as never);
      return fn(tx);
    });
  process.on('exit', () => {
    for (const [k, v] of [...stats].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25))
      console.error(
        `${v.ms.toFixed(0).padStart(8)} ms ${v.cpu.toFixed(0).padStart(7)} cpu ${String(v.n).padStart(6)}× ${k}`,
      );
  });
}

/** The benchmark's data (not timed): a generated practice and `n` coded encounters of three charges each. */
export async function seedClaimsBench(
  db: Db,
  n: number,
  dir: string,
): Promise<{ practiceId: number; houseId: number; templates: number }> {
  generateToDirectory(
    { practices: 1, months: 1, seed: 7, startDate: '2026-01-01', volume: 4 },
    join(dir, 'data'),
  );
  const imp = await importPath(db, join(dir, 'data'));
  if (!imp.ok) throw new Error('seed import failed');
  await importPayerPolicies(db, payerPolicyManual(), {
    at: '2026-01-01T00:00:00.000Z' as Instant,
    actor: 'system:bench',
  });
  const house = await db.query<{ id: number }>(
    `INSERT INTO clearinghouses (code, name, sender_id, receiver_id, usage_indicator, transport, settings)
     VALUES ('bench', 'BENCH CLEARINGHOUSE', 'OPENRCM', 'SIMCH', 'T', 'directory', '{}'::jsonb) RETURNING id`,
  );
  const houseId = house.rows[0]?.id ?? 0;
  await db.query(`UPDATE payers SET clearinghouse_id = $1 WHERE submission_channel = 'electronic'`, [
    houseId,
  ]);
  const practiceId = (await db.query<{ id: number }>('SELECT id FROM practices')).rows[0]?.id ?? 0;
  // The generated encounters are templates; drop them so only the N cloned ones are billed.
  // (Plain tables, not temporary ones: a server pool may run each statement on another connection.)
  await db.query(
    `CREATE TABLE bench_tpl AS
       SELECT row_number() OVER (ORDER BY e.id) - 1 AS k, e.id, e.patient_id, e.primary_coverage_id, e.rendering_provider_id,
              e.location_id, e.place_of_service, e.date_of_service
         FROM encounters e
        WHERE e.primary_coverage_id IS NOT NULL
          AND (SELECT count(*) FROM charges c WHERE c.encounter_id = e.id AND c.status = 'active') >= 3`,
  );
  await db.query('CREATE TABLE bench_new (id bigint, tpl bigint, dos date)');
  const t = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM bench_tpl')).rows[0]?.n ?? 0;
  if (t === 0) throw new Error('no template encounters');
  await db.query(`UPDATE encounters SET coding_status = 'uncoded' WHERE practice_id = $1`, [practiceId]);
  for (let from = 0; from < n; from += 20_000) {
    const count = Math.min(20_000, n - from);
    await db.transaction(async (tx) => {
      await tx.query('DELETE FROM bench_new');
      await tx.query(
        `WITH src AS (
           SELECT g, tpl.* FROM generate_series($2::int, $3::int) g JOIN bench_tpl tpl ON tpl.k = g % $4),
         ins AS (
           INSERT INTO encounters (practice_id, patient_id, primary_coverage_id, rendering_provider_id, location_id,
                                   place_of_service, date_of_service, coding_status, documentation_status,
                                   documentation_complete_at, coded_at, external_id, source)
           SELECT $1, patient_id, primary_coverage_id, rendering_provider_id, location_id, place_of_service,
                  DATE '2026-01-05' + g / $4, 'coded', 'complete', TIMESTAMPTZ '2026-01-05T00:00:00Z',
                  TIMESTAMPTZ '2026-01-05T00:00:00Z', 'bench-' || g, 'file'
             FROM src
           RETURNING id, external_id, date_of_service)
         INSERT INTO bench_new SELECT ins.id, src.id, ins.date_of_service FROM ins JOIN src ON 'bench-' || src.g = ins.external_id`,
        [practiceId, from, from + count - 1, t],
      );
      await tx.query(
        `INSERT INTO charges (practice_id, encounter_id, line_number, procedure_code, modifiers, units, charge_cents,
                              diagnosis_pointers, service_date, status, authorization_id)
         SELECT $1, n.id, c.ln, c.procedure_code, c.modifiers, c.units, c.charge_cents, c.diagnosis_pointers,
                n.dos, 'active', c.authorization_id
           FROM bench_new n
           JOIN LATERAL (SELECT row_number() OVER (ORDER BY ch.line_number)::smallint AS ln, ch.procedure_code, ch.modifiers,
                                ch.units, ch.charge_cents, ch.diagnosis_pointers, ch.authorization_id
                           FROM charges ch WHERE ch.encounter_id = n.tpl AND ch.status = 'active'
                          ORDER BY ch.line_number LIMIT 3) c ON true`,
        [practiceId],
      );
      await tx.query(
        `INSERT INTO encounter_diagnoses (practice_id, encounter_id, icd10_code, sequence)
         SELECT $1, n.id, d.icd10_code, d.sequence FROM bench_new n JOIN encounter_diagnoses d ON d.encounter_id = n.tpl`,
        [practiceId],
      );
    });
  }
  if (process.env['DATABASE_URL'] !== undefined) await db.query('ANALYZE');
  return { practiceId, houseId, templates: t };
}

async function child(): Promise<void> {
  const n = Number(opt('claims', '100000'));
  const dbKind = opt('db', 'pglite-dir');
  if (dbKind === 'postgres') process.env['DATABASE_URL'] ??= 'postgres://postgres@127.0.0.1:5432/postgres';
  else delete process.env['DATABASE_URL'];
  const dir = mkdtempSync(join(tmpdir(), 'openrcm-bench-claims-'));
  // pglite-dir: the embedded database in a data directory, as `openrcm` runs it (--data-dir); its files are then
  // on disk, so the process's RSS is the engine's and PGlite's working memory, not the stored data.
  const db: Db =
    dbKind === 'pglite-dir' ? await openPglite({ dataDir: join(dir, 'db') }) : await createTestDb();
  if (dbKind === 'pglite-dir') await migrate(db);
  try {
    const s0 = performance.now();
    const { practiceId, houseId, templates: t } = await seedClaimsBench(db, n, dir);
    const seedMs = performance.now() - s0;

    const scope = practiceScope(practiceId);
    if (process.env['BENCH_TRACE'] === '1') traceQueries(db);
    // The scrub date follows the last date of service (templates × days cover the N encounters).
    const lastDos = (
      await db.query<{ d: string }>(
        `SELECT max(date_of_service)::text AS d FROM encounters WHERE external_id LIKE 'bench-%'`,
      )
    ).rows[0]?.d;
    const asOf = addDays((lastDos ?? '2026-03-09') as CalendarDate, 1);
    const at = `${asOf}T07:00:00.000Z` as Instant;
    const codeSets = codesetsAdapter();
    // The process's peak RSS covers the seeding too (the generator and the import); the phases' own peak is sampled.
    const rssAtStartMb = process.memoryUsage().rss / 2 ** 20;
    let phasePeakRssMb = rssAtStartMb;
    const sampler = setInterval(() => {
      phasePeakRssMb = Math.max(phasePeakRssMb, process.memoryUsage().rss / 2 ** 20);
    }, 50);
    // Retained heap between the phases (outside their timing; the parent runs children with --expose-gc).
    const retained: number[] = [];
    const keep = (): void => {
      (globalThis as { gc?: () => void }).gc?.();
      retained.push(process.memoryUsage().heapUsed / 2 ** 20);
    };
    keep();
    const [built, build] = await timed(() => buildClaims(db, scope, { at }));
    keep();
    const [scrubbed, scrub] = await timed(() => scrubClaims(db, scope, { asOf, at, codeSets }));
    keep();
    const transport = folderTransport(join(dir, 'clearinghouse'));
    const parties = {
      submitterName: 'OPENRCM BENCH',
      submitterId: 'OPENRCM',
      contactName: 'BILLING DESK',
      contactPhone: '8005550100',
      receiverName: 'BENCH',
      receiverId: 'SIMCH',
    };
    const [sent, submit] = await timed(() =>
      submitReadyClaims(db, scope, {
        at,
        transports: new Map([[houseId, transport]]),
        parties,
        maxClaimsPerBatch: 5000,
      }),
    );
    clearInterval(sampler);
    phasePeakRssMb = Math.max(phasePeakRssMb, process.memoryUsage().rss / 2 ** 20);
    keep();
    const result: RunResult = {
      db: dbKind,
      claims: built.claimsBuilt,
      lines: built.linesBuilt,
      seedMs,
      build,
      scrub,
      submit,
      totalWallMs: build.wallMs + scrub.wallMs + submit.wallMs,
      totalCpuMs: build.cpuMs + scrub.cpuMs + submit.cpuMs,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      rssAtStartMb,
      phasePeakRssMb,
      retainedHeapMb: retained,
      wasmMemoryMb: wasmMemoryMb(db),
      ready: scrubbed.ready,
      held: scrubbed.held,
      heldBy: scrubbed.heldBy,
      templates: t,
      files: sent.files.length,
    };
    if (sent.failed.length > 0) throw new Error('a batch failed to send');
    console.log(`RESULT ${JSON.stringify(result)}`);
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The size of PGlite's WebAssembly memory (its `mod` is not part of the typed API), or null on a server. */
function wasmMemoryMb(db: Db): number | null {
  const engine = (db as { pglite?: { mod?: { wasmMemory?: { buffer: ArrayBuffer } } } }).pglite;
  const bytes = engine?.mod?.wasmMemory?.buffer.byteLength;
  return bytes === undefined ? null : bytes / 2 ** 20;
}

/** A fixed amount of CPU work (integer hashing), to compare machines and loads between runs. */
function reference(): Phase {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let h = 0;
  for (let i = 0; i < 200_000_000; i++) h = (h * 31 + i) | 0;
  if (h === 42) console.log('');
  const c = process.cpuUsage(c0);
  return { wallMs: performance.now() - t0, cpuMs: (c.user + c.system) / 1000 };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

function parent(): void {
  const sizes = opt('sizes', '25000,50000,100000').split(',').map(Number);
  const runs = Number(opt('runs', '3'));
  const dbs = opt('db', 'pglite-dir,postgres').split(',');
  const self = fileURLToPath(import.meta.url);
  console.log(
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB; node ${process.version}`,
  );
  console.log(
    `load average at start: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  const refs: Phase[] = [reference()];
  const fmt = (ms: number): string => (ms / 1000).toFixed(1);
  for (const dbKind of dbs) {
    for (const size of sizes) {
      const results: RunResult[] = [];
      for (let r = 0; r < runs; r++) {
        const out = spawnSync(
          process.execPath,
          ['--expose-gc', '--import', 'tsx', self, '--child', '--claims', String(size), '--db', dbKind],
          { encoding: 'utf8', maxBuffer: 1 << 26, env: process.env },
        );
        const line = out.stdout.split('\n').find((l) => l.startsWith('RESULT '));
        if (line === undefined) {
          console.log(`${dbKind} ${size}: run failed\n${out.stderr.slice(-2000)}`);
          break;
        }
        results.push(JSON.parse(line.slice(7)) as RunResult);
      }
      if (results.length === 0) continue;
      const m = (f: (r: RunResult) => number): number => median(results.map(f));
      console.log(
        `${dbKind.padEnd(8)} ${String(size).padStart(7)} claims (${results.length} runs, medians): ` +
          `build ${fmt(m((r) => r.build.wallMs))} s (cpu ${fmt(m((r) => r.build.cpuMs))}), ` +
          `scrub ${fmt(m((r) => r.scrub.wallMs))} s (cpu ${fmt(m((r) => r.scrub.cpuMs))}), ` +
          `submit ${fmt(m((r) => r.submit.wallMs))} s (cpu ${fmt(m((r) => r.submit.cpuMs))}), ` +
          `total ${fmt(m((r) => r.totalWallMs))} s (cpu ${fmt(m((r) => r.totalCpuMs))}), ` +
          `peak RSS ${m((r) => r.peakRssMb).toFixed(0)} MB (timed phases: ${m((r) => r.rssAtStartMb).toFixed(0)} MB at the ` +
          `start, ${m((r) => r.phasePeakRssMb).toFixed(0)} MB at most; JS heap retained after build / scrub / ` +
          `submit ${[1, 2, 3].map((i) => m((r) => r.retainedHeapMb[i] ?? 0).toFixed(0)).join(' / ')} MB` +
          `${results[0]?.wasmMemoryMb == null ? '' : `; PGlite memory ${m((r) => r.wasmMemoryMb ?? 0).toFixed(0)} MB`}); ` +
          `${results[0]?.lines ?? 0} lines, ` +
          `${results[0]?.ready ?? 0} ready / ${results[0]?.held ?? 0} held, ${results[0]?.files ?? 0} files`,
      );
    }
  }
  refs.push(reference());
  console.log(
    `reference (200M-step integer loop): ${refs.map((r) => `${fmt(r.wallMs)} s wall / ${fmt(r.cpuMs)} s cpu`).join(', then ')}`,
  );
  console.log(
    `load average at end: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
}

// Run only as a script (the seed is also imported by profiling scripts).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (args.includes('--child')) await child();
  else parent();
}
