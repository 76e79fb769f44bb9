/**
 * PostgreSQL parity of the demo: runs `runDemo` twice with the same options, once on the embedded database (PGlite)
 * and once on a fresh database of a PostgreSQL server, then compares what they produced: `summary.json` (all but
 * the timings) and every report JSON (`reports/<practice>/<YYYY-MM>.json`, the roll-up too), figure for figure.
 * Prints each difference and exits 1 on any (2 on bad usage or a failed run).
 *
 *   npx tsx scripts/demo-parity.ts [--practices 1] [--months 1] [--volume 0.25] [--seed 1] [--start 2026-01-05]
 *                                  [--server postgres://postgres@127.0.0.1:5432] [--out DIR] [--keep] [--parallel]
 *   npx tsx scripts/demo-parity.ts --compare-only DIR     (compare DIR/embedded and DIR/server again)
 *
 * The server database is created as `openrcm_parity_<pid>_<time>` and dropped afterwards (kept with --keep).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { openPostgres } from '@openrcm/db';
import { runDemo, type DemoOptions } from '@openrcm/worker';

interface Args {
  practices: number;
  months: number;
  volume: number;
  seed: number;
  start: string;
  server: string;
  out: string | undefined;
  keep: boolean;
  parallel: boolean;
  /** Compare the embedded/ and server/ outputs already in this folder, without running anything. */
  compareOnly: string | undefined;
}

function usage(message: string): never {
  process.stderr.write(`demo-parity: ${message}\n`);
  process.exit(2);
}

function parseArgs(argv: readonly string[]): Args {
  const a: Args = {
    practices: 1,
    months: 1,
    volume: 0.25,
    seed: 1,
    start: '2026-01-05',
    server: 'postgres://postgres@127.0.0.1:5432',
    out: undefined,
    keep: false,
    parallel: false,
    compareOnly: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) usage(`${flag ?? ''} needs a value`);
      return v;
    };
    const num = (): number => {
      const n = Number(value());
      if (!Number.isFinite(n) || n <= 0) usage(`${flag ?? ''} must be a positive number`);
      return n;
    };
    switch (flag ?? '') {
      case '--practices':
        a.practices = num();
        break;
      case '--months':
        a.months = num();
        break;
      case '--volume':
        a.volume = num();
        break;
      case '--seed':
        a.seed = num();
        break;
      case '--start':
        a.start = value();
        break;
      case '--server':
        a.server = value().replace(/\/+$/, '');
        break;
      case '--out':
        a.out = value();
        break;
      case '--keep':
        a.keep = true;
        break;
      case '--parallel':
        a.parallel = true;
        break;
      case '--compare-only':
        a.compareOnly = value();
        break;
      default:
        usage(`unknown option ${flag ?? ''}`);
    }
  }
  return a;
}

/** Keys of summary.json that measure time, not results (`stepMs`, `elapsedMs`, `stepCpuMs`, `cpuMs`, ...). */
const isTiming = (key: string): boolean => /Ms$/.test(key);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every difference between two JSON values, as `path: a ≠ b` lines. Arrays of objects with a `key` (the report's
 * figures) are matched by key, so a difference names the figure. */
export function diffJson(
  a: Json,
  b: Json,
  path: string,
  skip: (key: string) => boolean = () => false,
): string[] {
  const show = (v: Json | undefined): string => (v === undefined ? '(absent)' : JSON.stringify(v));
  if (a === b) return [];
  if (Array.isArray(a) && Array.isArray(b)) {
    const keyed = (xs: Json[]): Map<string, Json> | undefined => {
      const m = new Map<string, Json>();
      for (const x of xs) {
        if (x === null || typeof x !== 'object' || Array.isArray(x) || typeof x['key'] !== 'string')
          return undefined;
        m.set(x['key'], x);
      }
      return m.size === xs.length ? m : undefined;
    };
    const ka = keyed(a);
    const kb = keyed(b);
    if (ka !== undefined && kb !== undefined) {
      const out: string[] = [];
      for (const k of new Set([...ka.keys(), ...kb.keys()])) {
        const x = ka.get(k);
        const y = kb.get(k);
        if (x === undefined || y === undefined) out.push(`${path}[${k}]: ${show(x)} ≠ ${show(y)}`);
        else out.push(...diffJson(x, y, `${path}[${k}]`, skip));
      }
      return out;
    }
    if (a.length !== b.length) return [`${path}: ${a.length} items ≠ ${b.length} items`];
    return a.flatMap((x, i) => diffJson(x, b[i] as Json, `${path}[${i}]`, skip));
  }
  if (
    a !== null &&
    b !== null &&
    typeof a === 'object' &&
    typeof b === 'object' &&
    !Array.isArray(a) &&
    !Array.isArray(b)
  ) {
    const out: string[] = [];
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (skip(k)) continue;
      const x = a[k];
      const y = b[k];
      if (x === undefined || y === undefined) {
        if (x !== y) out.push(`${path}.${k}: ${show(x)} ≠ ${show(y)}`);
      } else out.push(...diffJson(x, y, `${path}.${k}`, skip));
    }
    return out;
  }
  return [`${path}: ${show(a)} ≠ ${show(b)}`];
}

function jsonFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.json')) out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out;
}

const read = (p: string): Json => JSON.parse(readFileSync(p, 'utf8')) as Json;

/** Prints every difference between ROOT/embedded and ROOT/server; returns how many. */
function compare(root: string, label: string): number {
  const differences: string[] = [];
  const a = join(root, 'embedded');
  const b = join(root, 'server');
  differences.push(
    ...diffJson(read(join(a, 'summary.json')), read(join(b, 'summary.json')), 'summary', isTiming),
  );
  const ra = jsonFiles(join(a, 'reports'));
  const rb = jsonFiles(join(b, 'reports'));
  for (const f of new Set([...ra, ...rb])) {
    if (!ra.includes(f) || !rb.includes(f)) {
      differences.push(`reports/${f}: only on the ${ra.includes(f) ? 'embedded' : 'server'} run`);
      continue;
    }
    differences.push(...diffJson(read(join(a, 'reports', f)), read(join(b, 'reports', f)), `reports/${f}`));
  }
  const shown = differences.slice(0, 200);
  for (const d of shown) process.stdout.write(`DIFF ${d}\n`);
  if (differences.length > shown.length)
    process.stdout.write(`... and ${differences.length - shown.length} more\n`);
  process.stdout.write(
    `compared summary.json and ${ra.length} report files (${label}): ${differences.length} difference(s)\n`,
  );
  return differences.length;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (args.compareOnly !== undefined) return compare(args.compareOnly, args.compareOnly) === 0 ? 0 : 1;
  const root = args.out ?? mkdtempSync(join(tmpdir(), 'openrcm-parity-'));
  const dbName = `openrcm_parity_${process.pid}_${Date.now()}`;
  const base = (out: string, name: string): DemoOptions => ({
    practices: args.practices,
    months: args.months,
    seed: args.seed,
    volume: args.volume,
    startDate: args.start,
    out,
    log: (line) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} [${name}] ${line}\n`),
  });
  const admin = await openPostgres({ connectionString: `${args.server}/postgres`, max: 1 });
  const times: Record<string, number> = {};
  try {
    const timedRun = async (name: string, o: DemoOptions): Promise<void> => {
      const t0 = Date.now();
      await runDemo(o);
      times[name] = Date.now() - t0;
    };
    await admin.exec(`CREATE DATABASE ${dbName}`);
    const embedded = (): Promise<void> => timedRun('embedded', base(join(root, 'embedded'), 'embedded'));
    const server = (): Promise<void> =>
      timedRun('server', {
        ...base(join(root, 'server'), 'server'),
        databaseUrl: `${args.server}/${dbName}`,
      });
    // In parallel the two runs share one process and the same moment of the checkout (migrations are read from
    // disk when each database is created), at the price of interleaving on one event loop.
    if (args.parallel) await Promise.all([embedded(), server()]);
    else {
      await embedded();
      await server();
    }
  } catch (e) {
    process.stderr.write(`demo-parity: a run failed: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  } finally {
    if (!args.keep) await admin.exec(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.close();
  }

  const n = compare(
    root,
    `${args.practices} practice(s) × ${args.months} month(s), volume ${args.volume}, seed ${args.seed}`,
  );
  process.stdout.write(
    `runs took ${(times['embedded'] ?? 0) / 1000} s embedded, ${(times['server'] ?? 0) / 1000} s on the server\n`,
  );
  if (args.out === undefined && !args.keep) rmSync(root, { recursive: true, force: true });
  else process.stdout.write(`outputs kept under ${root}\n`);
  return n === 0 ? 0 : 1;
}

process.exitCode = await main();
