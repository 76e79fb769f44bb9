/**
 * Benchmark of the monthly package: `writeMonthlyReports` over a database the demo filled (every practice, the
 * roll-up, HTML + PDF + JSON + CSV), timed per run with the machine's load average, and where the time goes.
 *
 *   npx tsx packages/engine/src/reports/bench.ts DEMO_OUT/database 2026-01 2026-02 2026-03 [--runs 3]
 *   DATABASE_URL=postgres://... npx tsx packages/engine/src/reports/bench.ts - 2026-01 ...
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CalendarDate } from '@openrcm/core';
import { openPglite, openPostgres, type Db } from '@openrcm/db';
import { factsAsOf, loadFactSource } from './facts-db.ts';
import { factFigures, monthPeriod, reportAsOf } from './monthly.ts';
import { writeMonthlyReports } from './write.ts';

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 3;
const positional = args.filter((_, i) => i !== runsAt && i !== runsAt + 1);
const [where, ...months] = positional;
if (where === undefined || months.length === 0 || !Number.isInteger(runs) || runs < 1) {
  process.stderr.write('usage: bench.ts DATA_DIR|- YYYY-MM... [--runs N]\n');
  process.exit(2);
}
const url = process.env['DATABASE_URL'];
const db: Db =
  where === '-' && url !== undefined && url !== ''
    ? await openPostgres({ connectionString: url })
    : await openPglite({ dataDir: where });
const load = (): string =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
try {
  const practices = (await db.query<{ id: number }>('SELECT id FROM practices ORDER BY id')).rows.map(
    (r) => r.id,
  );
  const until = months
    .map((m) => reportAsOf(monthPeriod(m)))
    .reduce<CalendarDate>((a, b) => (b > a ? b : a), '0000-01-01' as CalendarDate);
  const out = mkdtempSync(join(tmpdir(), 'openrcm-report-bench-'));
  try {
    for (let i = 1; i <= runs; i++) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const w = await writeMonthlyReports(db, out, months);
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(c0);
      // CPU time of this process (PGlite runs in it) says more than wall time on a loaded machine.
      process.stdout.write(
        `run ${i}: ${w.files.length} files for ${practices.length} practice(s) × ${months.length} month(s) in ` +
          `${(ms / 1000).toFixed(2)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU ` +
          `(load average ${load()})\n`,
      );
    }
    // Where the time goes: the set-based read, then the in-memory facts and figures of every report.
    const t1 = performance.now();
    const source = await loadFactSource(db, practices, until);
    const t2 = performance.now();
    for (const m of months) {
      const period = monthPeriod(m);
      for (const p of practices) factFigures(factsAsOf(source, p, reportAsOf(period)), period, {});
    }
    const t3 = performance.now();
    process.stdout.write(
      `read rows once: ${((t2 - t1) / 1000).toFixed(2)} s; facts + figures of ${practices.length * months.length} ` +
        `reports: ${((t3 - t2) / 1000).toFixed(2)} s (load average ${load()})\n`,
    );
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
} finally {
  await db.close();
}
