/**
 * `npm run bench:sim`: generate and adjudicate a million claims, streaming (issue 4 benchmark).
 *
 *   npm run bench:sim -- [--claims 1000000] [--practices 24] [--runs 3] [--out DIR]
 *
 * (`node --expose-gc --import tsx packages/sim/bench/sim.ts`: --expose-gc adds the live heap after a GC.)
 *
 * One pass, practice-month by practice-month: the generator's chunk is written to DIR as JSON Lines (the
 * import files, DIR a temporary folder removed afterwards unless given), its insured encounters become claims
 * straight from the charges and the simulated payers adjudicate them with their bounded memory (duplicate
 * history, accumulators, authorizations: ../src/payers/memory.ts). The practices stay fixed and the months
 * run on, so a larger claim count means a longer period, as a billing company's volume grows over time.
 *
 * At 100k, 250k, 500k and 1M claims (the first chunk boundary past each) it records wall time, CPU time
 * (user + system of this process, `process.cpuUsage`), peak RSS so far (`process.resourceUsage().maxRSS`)
 * and what the payers hold. With `--runs N` it runs N child processes one after another and prints the
 * median of each figure (default 3 runs; `--runs 1` prints the one run's checkpoints).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { streamFirstPass } from '../src/payers/run.ts';
import { DatasetWriter } from '../src/write.ts';

interface Checkpoint {
  target: number;
  claims: number;
  wallS: number;
  cpuS: number;
  peakRssMiB: number;
  liveHeapMiB: number | null;
  historyLines: number;
  memberYears: number;
  authorizations: number;
  month: string;
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new RangeError(`--${name} must be a positive number`);
  return v;
}
function strArg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const claimsTarget = arg('claims', 1_000_000);
const practices = arg('practices', 24);
const runs = arg('runs', 3);
const json = process.argv.includes('--json');
const TARGETS = [100_000, 250_000, 500_000, 1_000_000].filter((t) => t <= claimsTarget);
if (!TARGETS.includes(claimsTarget)) TARGETS.push(claimsTarget);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}

function runOnce(): { checkpoints: Checkpoint[]; rejectionRate: number; denialRate: number } {
  const keep = strArg('out');
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'openrcm-bench-sim-'));
  const gc = (globalThis as { gc?: () => void }).gc;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  // About 1,300 insured claims per practice-month on average over the four specialties: ask for enough
  // months and stop at the target.
  const months = Math.ceil(claimsTarget / (practices * 1_100)) + 1;
  const config = { practices, months, seed: 1, startDate: '2026-01-05' };
  const writer = new DatasetWriter(dir, 'jsonl');
  const checkpoints: Checkpoint[] = [];
  let next = 0;
  const report = streamFirstPass(
    config,
    (month, r, chunk, memory) => {
      writer.write(chunk);
      const target = TARGETS[next];
      if (target === undefined || r.claims < target) return;
      const cpu = process.cpuUsage(c0);
      let liveHeapMiB: number | null = null;
      if (gc) {
        gc();
        liveHeapMiB = Math.round(process.memoryUsage().heapUsed / 2 ** 20);
      }
      checkpoints.push({
        target,
        claims: r.claims,
        wallS: (performance.now() - t0) / 1000,
        cpuS: (cpu.user + cpu.system) / 1e6,
        peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
        liveHeapMiB,
        historyLines: memory.lines,
        memberYears: memory.memberYears,
        authorizations: memory.authorizations,
        month,
      });
      next++;
      return next >= TARGETS.length ? 'stop' : undefined;
    },
    (setup) => writer.write(setup),
  );
  writer.close();
  if (!keep) rmSync(dir, { recursive: true, force: true });
  return { checkpoints, rejectionRate: report.rejectionRate, denialRate: report.denialRate };
}

if (runs <= 1) {
  const r = runOnce();
  if (json) process.stdout.write(`${JSON.stringify(r)}\n`);
  else {
    for (const c of r.checkpoints)
      console.log(
        `${c.claims} claims (through ${c.month}): ${c.wallS.toFixed(1)} s wall, ${c.cpuS.toFixed(1)} s CPU, peak RSS ${c.peakRssMiB} MiB` +
          (c.liveHeapMiB === null ? '' : `, live heap ${c.liveHeapMiB} MiB`) +
          `; payers hold ${c.historyLines} history lines, ${c.memberYears} member-years, ${c.authorizations} authorizations`,
      );
    console.log(
      `front-end rejection ${(r.rejectionRate * 100).toFixed(2)} %, first-adjudication denial ${(r.denialRate * 100).toFixed(2)} %`,
    );
  }
} else {
  const load = loadavg().map((x) => x.toFixed(1));
  const script = fileURLToPath(import.meta.url);
  const passOn = process.argv.slice(2).filter((a, i, all) => a !== '--runs' && all[i - 1] !== '--runs');
  const results: Checkpoint[][] = [];
  for (let i = 0; i < runs; i++) {
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, script, ...passOn, '--runs', '1', '--json'],
      {
        encoding: 'utf8',
        env: process.env,
        maxBuffer: 1 << 24,
      },
    );
    if (child.status !== 0) throw new Error(`run ${i + 1} failed: ${child.stderr}`);
    const line = child.stdout.trim().split('\n').pop() ?? '{}';
    results.push((JSON.parse(line) as { checkpoints: Checkpoint[] }).checkpoints);
    console.error(`run ${i + 1}/${runs} done`);
  }
  console.log(
    `${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, Node ${process.version}; load average before: ${load.join(' ')}, after: ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  console.log(`medians of ${runs} runs (${practices} practices, months run on until the claim count):`);
  console.log(
    '| claims | wall s | CPU s | peak RSS MiB | live heap MiB | history lines | member-years | authorizations |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  TARGETS.forEach((t, k) => {
    const at = results.map((r) => r[k]).filter((c): c is Checkpoint => c !== undefined);
    const m = (f: (c: Checkpoint) => number | null): string => {
      const xs = at.map(f).filter((x): x is number => x !== null);
      return xs.length === 0 ? '–' : String(Math.round(median(xs) * 10) / 10);
    };
    console.log(
      `| ${m((c) => c.claims)} | ${m((c) => c.wallS)} | ${m((c) => c.cpuS)} | ${m((c) => c.peakRssMiB)} | ${m((c) => c.liveHeapMiB)} | ${m((c) => c.historyLines)} | ${m((c) => c.memberYears)} | ${m((c) => c.authorizations)} |`,
    );
  });
}
