/**
 * `npm run bench:demo [-- --runs 3] [--practices 3 --months 3] [--concurrent]`: the demo at its default size,
 * measured by wall time AND by the process's CPU time (user + system), with a fixed reference workload
 * (SHA-256 over 256 MiB) timed in the same process just before, so runs on a loaded machine can be compared:
 * CPU time hardly depends on the load, wall time does. Each run is a child process of its own (the demo runs
 * the embedded database in-process). Prints one JSON object: machine, load averages, per-run figures, medians.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { runDemo } from '../src/demo.ts';

type RunResult = {
  wallMs: number;
  cpuMs: number;
  referenceCpuMs: number;
  referenceWallMs: number;
  claims: number;
  balanced: boolean;
  stepMs: Record<string, number>;
  stepCpuMs: Record<string, number>;
};

const args = process.argv.slice(2);
const opt = (name: string, dflt: number): number => {
  const i = args.indexOf(`--${name}`);
  const v = i < 0 ? undefined : Number(args[i + 1]);
  return v !== undefined && Number.isSafeInteger(v) && v > 0 ? v : dflt;
};
const cpuNow = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

function reference(): { cpuMs: number; wallMs: number } {
  const buf = Buffer.alloc(1 << 20, 7);
  const c0 = cpuNow();
  const t0 = performance.now();
  const h = createHash('sha256');
  for (let i = 0; i < 256; i++) h.update(buf);
  h.digest();
  return { cpuMs: Math.round(cpuNow() - c0), wallMs: Math.round(performance.now() - t0) };
}

async function child(): Promise<void> {
  const ref = reference();
  const out = mkdtempSync(join(tmpdir(), 'openrcm-bench-demo-'));
  try {
    const c0 = cpuNow();
    const t0 = performance.now();
    const s = await runDemo({
      practices: opt('practices', 3),
      months: opt('months', 3),
      seed: 1,
      out,
      startDate: '2026-01-05',
      log: () => undefined,
    });
    const r: RunResult = {
      wallMs: Math.round(performance.now() - t0),
      cpuMs: Math.round(cpuNow() - c0),
      referenceCpuMs: ref.cpuMs,
      referenceWallMs: ref.wallMs,
      claims: s.claims['built'] ?? 0,
      balanced: Object.values(s.balance).every(Boolean),
      stepMs: { ...s.stepMs },
      stepCpuMs: { ...s.stepCpuMs },
    };
    process.stdout.write(`${JSON.stringify(r)}\n`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function runChild(): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [...process.execArgv, process.argv[1] ?? '', ...args, '--child'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    p.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || line === '') reject(new Error(`bench child exited with ${code}`));
      else resolve(JSON.parse(line) as RunResult);
    });
  });
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] ?? 0) : Math.round(((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2);
};

async function main(): Promise<void> {
  if (args.includes('--child')) return child();
  const runs = opt('runs', 3);
  const startedAt = new Date().toISOString();
  const loadStart = loadavg();
  const results: RunResult[] = [];
  if (args.includes('--concurrent'))
    results.push(...(await Promise.all(Array.from({ length: runs }, runChild))));
  else for (let i = 0; i < runs; i++) results.push(await runChild());
  const steps = [...new Set(results.flatMap((r) => Object.keys(r.stepCpuMs)))];
  const report = {
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model ?? '',
      memGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
    },
    loadAverage: {
      start: loadStart.map((x) => Number(x.toFixed(1))),
      end: loadavg().map((x) => Number(x.toFixed(1))),
    },
    size: {
      practices: opt('practices', 3),
      months: opt('months', 3),
      concurrent: args.includes('--concurrent'),
    },
    runs: results.map((r) => ({
      wallMs: r.wallMs,
      cpuMs: r.cpuMs,
      referenceCpuMs: r.referenceCpuMs,
      referenceWallMs: r.referenceWallMs,
      claims: r.claims,
      balanced: r.balanced,
    })),
    median: {
      wallMs: median(results.map((r) => r.wallMs)),
      cpuMs: median(results.map((r) => r.cpuMs)),
      referenceCpuMs: median(results.map((r) => r.referenceCpuMs)),
      referenceWallMs: median(results.map((r) => r.referenceWallMs)),
      stepCpuMs: Object.fromEntries(steps.map((k) => [k, median(results.map((r) => r.stepCpuMs[k] ?? 0))])),
      stepMs: Object.fromEntries(steps.map((k) => [k, median(results.map((r) => r.stepMs[k] ?? 0))])),
    },
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

await main();
