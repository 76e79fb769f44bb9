/**
 * X12 benchmark (`npm run bench:x12`): typed 835 parse throughput against x12-parser 1.3 and node-x12 1.7 on
 * the same synthetic file in the same run, and streaming a 1 GB 835 with bounded memory.
 *
 *   npm run bench:x12 -- [--mb 50] [--runs 5] [--warmup 1] [--rounds 3] [--stream-gb 1] [--no-node-x12]
 *                        [--no-stream] [--no-semi-space] [--keep]
 *
 * x12-parser and the typed claim stream (the headline ratio) run in `--rounds` interleaved rounds, each a child of
 * `--runs` runs; their rows pool every round's runs, and each round's ratio is printed too.
 *
 * Each reader (x12-parser too) runs `--warmup` times unmeasured in its child before its `--runs` measured runs, so
 * the medians are of code the JIT has compiled; the warm-up runs' CPU is printed as well.
 *
 * Files are written to a fresh directory under the system's temp dir (never inside the repository) and deleted at
 * the end unless --keep.
 * Heavy or memory-hungry measurements run in child processes so their peak RSS is their own.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { buildSync } from 'esbuild';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import type { X12Parser as X12ParserType } from 'node-x12';
import { X12parser } from 'x12-parser';
import { DiagnosticSink } from '../src/core/diagnostics.ts';
import { Scanner } from '../src/core/scan.ts';
import { parse835, stream835, stream835Claims } from '../src/tx835/reader.ts';
import { write835 } from '../src/tx835/writer.ts';
import { streamBig } from './stream-big.ts';
import { synthetic835 } from './synth835.ts';

const CLAIMS_PER_TRANSACTION = 1000;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}
const flag = (name: string): boolean => process.argv.includes(`--${name}`);
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};
const mbOf = (bytes: number): number => bytes / 1e6;

/** Wall and CPU milliseconds of `f` (CPU = user + system of this process, all threads). */
async function measure(f: () => Promise<void> | void): Promise<{ wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await f();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

interface Timing {
  readonly wall: number[];
  readonly cpu: number[];
}
const timing = (): Timing => ({ wall: [], cpu: [] });
const add = (t: Timing, m: { wall: number; cpu: number }): void => {
  t.wall.push(m.wall);
  t.cpu.push(m.cpu);
};

const ENVELOPE = {
  interchange: {
    senderQualifier: 'ZZ',
    senderId: 'SYNTHPAYER',
    receiverQualifier: 'ZZ',
    receiverId: 'OPENRCM',
    date: '2026-11-20',
    time: '1200',
    controlNumber: 1,
  },
  senderCode: 'SYNTHPAYER',
  receiverCode: 'OPENRCM',
  groupControlNumber: 1,
} as const;

/** One interchange of synthetic 835s of at least `targetMb` MB; returns its text and claim count. */
function buildInterchange(targetMb: number): { text: string; claims: number } {
  // Estimate transactions from one sample, then build exactly that many distinct ones.
  const sample = write835([synthetic835(CLAIMS_PER_TRANSACTION, 1)], ENVELOPE).length;
  const count = Math.ceil((targetMb * 1e6) / sample) + 1;
  const remits = Array.from({ length: count }, (_, i) => synthetic835(CLAIMS_PER_TRANSACTION, i + 1));
  return { text: write835(remits, ENVELOPE), claims: count * CLAIMS_PER_TRANSACTION };
}

/** Writes `copies` interchanges (distinct ISA13/IEA02) of the same content to `file`. */
async function writeRepeated(file: string, text: string, copies: number): Promise<void> {
  const isaEnd = 106;
  const ieaAt = text.lastIndexOf('IEA*');
  const isa = text.slice(0, isaEnd);
  const body = text.slice(isaEnd, ieaAt);
  const out = createWriteStream(file);
  for (let k = 1; k <= copies; k++) {
    const control = String(k).padStart(9, '0');
    const els = isa.split('*');
    els[13] = control;
    if (!out.write(`${els.join('*')}${body}IEA*1*${control}~`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** The runs of several children of one reader as one result: medians over all their runs. */
function pooled(results: readonly ChildResult[]): ChildResult {
  const failed = results.find((r) => !r.ok);
  if (failed !== undefined) return failed;
  const cpuRuns = results.flatMap((r) => r.cpuRuns ?? []);
  const wallRuns = results.flatMap((r) => r.wallRuns ?? []);
  return {
    ok: true,
    ms: median(wallRuns),
    cpuMs: median(cpuRuns),
    cpuRuns,
    wallRuns,
    claims: results[0]?.claims ?? 0,
    maxRssMb: Math.max(...results.map((r) => r.maxRssMb ?? 0)),
  };
}

/** The readers measured, each in its own child process (a clean heap: no garbage of the previous reader). */
const READERS = ['claims', 'whole', 'stream', 'structural', 'scanner', 'x12-parser'] as const;
type ReaderName = (typeof READERS)[number];

/** One run of a reader over the file; returns what it counted (claims, or segments for untyped readers). */
async function runReader(name: ReaderName, file: string, text: string): Promise<number> {
  switch (name) {
    case 'whole': {
      const r = parse835(text);
      return r.value.reduce((n, v) => n + v.headers.reduce((m, h) => m + h.claims.length, 0), 0);
    }
    case 'claims': {
      // Each claim handed over complete (typed and checked as in stream835) and used: its lines and money are
      // summed, its findings counted, then it is dropped.
      let claims = 0;
      let lines = 0;
      let paid = 0;
      let findings = 0;
      for await (const batch of stream835Claims(createReadStream(file))) {
        for (const item of batch) {
          findings += item.diagnostics.length;
          if (item.kind !== 'claim') continue;
          claims++;
          paid += item.claim.paid;
          for (const s of item.claim.services) {
            lines++;
            paid -= s.paid;
          }
        }
      }
      // Every synthetic claim balances (CLP04 = Σ SVC03) and reads without a finding.
      if (paid !== 0 || findings !== 0 || lines < claims) throw new Error('claim stream: unexpected content');
      return claims;
    }
    case 'stream':
    case 'structural': {
      let claims = 0;
      const options = name === 'structural' ? { validate: false } : {};
      for await (const x of stream835(createReadStream(file), options)) {
        for (const h of x.value.headers) claims += h.claims.length;
      }
      return claims;
    }
    case 'scanner': {
      // The scanner alone (segment views handed to a handler that only counts): the floor under the typed reader.
      let segments = 0;
      const scanner = new Scanner(new DiagnosticSink(), {
        segment() {
          segments++;
        },
      });
      scanner.push(text);
      scanner.end();
      return segments;
    }
    case 'x12-parser': {
      let segments = 0;
      const parser = new X12parser();
      parser.on('data', () => segments++);
      createReadStream(file).pipe(parser);
      await once(parser, 'end');
      return segments;
    }
  }
}

interface ChildResult {
  readonly ok: boolean;
  readonly ms?: number;
  readonly cpuMs?: number;
  /** CPU milliseconds of every measured run, in order. */
  readonly cpuRuns?: number[];
  /** Wall milliseconds of every measured run, in order. */
  readonly wallRuns?: number[];
  /** CPU milliseconds of the unmeasured warm-up runs before them. */
  readonly warmupCpu?: number[];
  readonly claims?: number;
  readonly maxRssMb?: number;
  readonly error?: string;
}

function child(
  mode: string,
  file: string,
  extraNodeArgs: readonly string[],
  timeoutMs: number,
  runs = 1,
  warmup = 0,
): ChildResult {
  const r = spawnSync(
    process.execPath,
    [
      ...extraNodeArgs,
      ...process.execArgv,
      import.meta.filename,
      '--child',
      mode,
      file,
      String(runs),
      String(warmup),
    ],
    { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 1 << 20 },
  );
  return parseChild(r);
}

/** The JSON line a child printed last, or why there is none. */
function parseChild(r: SpawnSyncReturns<string>): ChildResult {
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status === 0 && line.startsWith('{')) return JSON.parse(line) as ChildResult;
  return {
    ok: false,
    error:
      r.error?.message ??
      (r.signal !== null
        ? `killed by ${r.signal}`
        : `exit ${r.status ?? '?'}: ${r.stderr.trim().split('\n').slice(-2).join(' ')}`),
  };
}

async function childMain(mode: string, file: string, runs: number, warmup: number): Promise<void> {
  if ((READERS as readonly string[]).includes(mode)) {
    const name = mode as ReaderName;
    const text = name === 'whole' || name === 'scanner' ? readFileSync(file, 'utf8') : '';
    const warmupCpu: number[] = [];
    for (let k = 0; k < warmup; k++) {
      const w = await measure(async () => {
        await runReader(name, file, text);
      });
      warmupCpu.push(w.cpu);
    }
    const t = timing();
    let counted = 0;
    for (let k = 0; k < runs; k++) {
      add(
        t,
        await measure(async () => {
          counted = await runReader(name, file, text);
        }),
      );
    }
    process.stdout.write(
      `${JSON.stringify({ ok: true, ms: median(t.wall), cpuMs: median(t.cpu), cpuRuns: t.cpu, wallRuns: t.wall, warmupCpu, claims: counted, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
    );
    return;
  }
  if (mode === 'big-stream' || mode === 'big-claims') {
    const r = await streamBig(mode === 'big-claims' ? 'claims' : 'stream', file);
    process.stdout.write(`${JSON.stringify({ ok: true, ...r })}\n`);
    return;
  } else if (mode === 'node-x12') {
    const require = createRequire(import.meta.url);
    const { X12Parser } = require('node-x12') as { X12Parser: typeof X12ParserType };
    const text = readFileSync(file, 'utf8');
    const m = await measure(() => {
      new X12Parser(true).parse(text);
    });
    process.stdout.write(
      `${JSON.stringify({ ok: true, ms: m.wall, cpuMs: m.cpu, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
    );
    return;
  }
  process.stdout.write(`${JSON.stringify({ ok: false, error: `unknown child mode ${mode}` })}\n`);
}

async function main(): Promise<void> {
  const targetMb = Number(arg('mb', '50'));
  const runs = Number(arg('runs', '5'));
  const warmup = Number(arg('warmup', '1'));
  const roundCount = Math.max(1, Number(arg('rounds', '3')));
  const streamGb = Number(arg('stream-gb', '1'));
  // A directory of this run's own: two runs at once (two engineers on one machine) must not rewrite or delete
  // each other's files mid-measurement.
  const dir = mkdtempSync(join(tmpdir(), 'openrcm-bench-x12-'));
  const file = join(dir, `synthetic-835-${targetMb}mb.edi`);
  const bigFile = join(dir, `synthetic-835-${streamGb}gb.edi`);
  const load0 = loadavg();
  console.log(
    `node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, load average ${load0.map((x) => x.toFixed(2)).join(' ')}`,
  );

  console.log(`building a synthetic 835 of >= ${targetMb} MB in ${dir} ...`);
  const { text, claims } = buildInterchange(targetMb);
  await writeRepeated(file, text, 1);
  const bytes = statSync(file).size;
  const check = parse835(text);
  const errors = check.diagnostics.filter((d) => d.severity === 'error').length;
  console.log(
    `  ${mbOf(bytes).toFixed(1)} MB, ${claims} claims, ${check.value.length} transaction sets, ${errors} error diagnostics`,
  );

  // Each reader in its own child process, x12-parser before and after ours (the load moves during a run on a
  // shared machine); the reference is the mean of its two medians.
  const mb = mbOf(bytes);
  const measureChild = (name: string, extraNodeArgs: readonly string[] = []): ChildResult => {
    console.log(
      `${name}${extraNodeArgs.length > 0 ? ` (${extraNodeArgs.join(' ')})` : ''}: ${runs} runs in a child after ${warmup} warm-up ...`,
    );
    const r = child(name, file, extraNodeArgs, 1_800_000, runs, warmup);
    if (!r.ok) console.log(`  failed: ${r.error ?? ''}`);
    else
      console.log(
        `  CPU ms per run: ${(r.cpuRuns ?? []).map((x) => x.toFixed(0)).join(' ')} (warm-up: ${(r.warmupCpu ?? []).map((x) => x.toFixed(0)).join(' ') || 'none'})`,
      );
    return r;
  };
  // The headline pair, x12-parser and the claim stream, runs in `--rounds` interleaved rounds: the machine's speed
  // drifts over minutes here, so each round's ratio compares runs made side by side, and the pooled medians span
  // every round.
  const rounds: { ref: ChildResult; claims: ChildResult }[] = [];
  for (let r = 1; r <= roundCount; r++) {
    console.log(`round ${r} of ${roundCount}:`);
    rounds.push({ ref: measureChild('x12-parser'), claims: measureChild('claims') });
  }
  const whole = measureChild('whole');
  const stream = measureChild('stream');
  const structural = measureChild('structural');
  const scan = measureChild('scanner');
  const semi = flag('no-semi-space') ? undefined : measureChild('stream', ['--max-semi-space-size=64']);
  const ref = pooled(rounds.map((r) => r.ref));
  const claimStream = pooled(rounds.map((r) => r.claims));
  const refCpu = ref.cpuMs ?? NaN;
  if (
    whole.claims !== claims ||
    stream.claims !== claims ||
    structural.claims !== claims ||
    rounds.some((r) => r.claims.claims !== claims)
  ) {
    throw new Error('the readers disagree on the claim count');
  }
  const roundRatios = rounds.map((r) => (r.ref.cpuMs ?? NaN) / (r.claims.cpuMs ?? NaN));
  console.log(
    `\nclaim stream vs x12-parser by round (ratio of the CPU medians): ${roundRatios.map((x) => `${x.toFixed(2)}x`).join(', ')}; pooled ${(refCpu / (claimStream.cpuMs ?? NaN)).toFixed(2)}x`,
  );

  const row = (name: string, r: ChildResult, perClaim: boolean): string[] => {
    if (!r.ok || r.cpuMs === undefined || r.ms === undefined)
      return [name, 'failed', '-', '-', r.error ?? '', '-'];
    return [
      name,
      (mb / (r.cpuMs / 1000)).toFixed(1),
      (mb / (r.ms / 1000)).toFixed(1),
      perClaim ? ((r.claims ?? 0) / (r.cpuMs / 1000)).toFixed(0) : '-',
      `${(refCpu / r.cpuMs).toFixed(1)}x`,
      r.maxRssMb?.toFixed(0) ?? '?',
    ];
  };
  const rows: string[][] = [
    row(
      `typed 835, claim stream (stream835Claims, validation on; all ${roundCount} rounds)`,
      claimStream,
      true,
    ),
    row('typed 835, whole text (parse835)', whole, true),
    row('typed 835, stream (stream835)', stream, true),
    row('typed 835, stream, structure only (validate: false)', structural, true),
    row(
      `x12-parser 1.3 (untyped segments, stream; ${ref.claims ?? '?'} segments; all ${roundCount} rounds)`,
      ref,
      false,
    ),
    row('scanner alone (segment views, no typed objects)', scan, false),
  ];
  // Most of the typed reader's remaining cost is V8's young-generation GC (the typed objects of a transaction
  // set outlive a scavenge): the same stream with a larger young generation, for comparison.
  if (semi !== undefined) rows.push(row('typed 835, stream, node --max-semi-space-size=64', semi, true));

  if (!flag('no-node-x12')) {
    console.log('node-x12 1.7 whole-file parse (child process, one run) ...');
    const nx = child('node-x12', file, ['--max-old-space-size=8192'], 600_000);
    rows.push(
      nx.ok && nx.ms !== undefined
        ? [
            'node-x12 1.7 (untyped, whole file, one run)',
            nx.cpuMs === undefined ? '?' : (mb / (nx.cpuMs / 1000)).toFixed(1),
            (mb / (nx.ms / 1000)).toFixed(1),
            '-',
            nx.cpuMs === undefined ? '?' : `${(refCpu / nx.cpuMs).toFixed(1)}x`,
            nx.maxRssMb?.toFixed(0) ?? '?',
          ]
        : ['node-x12 1.7 (untyped, whole file)', 'failed', '-', '-', nx.error ?? '', '-'],
    );
  }

  console.log('');
  console.log(
    `| reader (median of ${runs} runs after ${warmup} warm-up) | MB per CPU-second | MB/s wall | claims per CPU-second | speed vs x12-parser (CPU) | peak RSS of its child (MB) |`,
  );
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);

  if (!flag('no-stream') && streamGb > 0) {
    const copies = Math.ceil((streamGb * 1e9) / bytes);
    console.log(
      `\nwriting ${copies} interchanges (${((copies * bytes) / 1e9).toFixed(2)} GB) to ${bigFile} ...`,
    );
    await writeRepeated(bigFile, text, copies);
    const bigBytes = statSync(bigFile).size;
    // The library as a program using it runs it (bundled to JavaScript, plain node), and under the tsx loader as
    // the rest of this bench runs (the loader's own memory comes on top).
    const bundle = join(dir, 'stream-big.mjs');
    buildSync({
      entryPoints: [join(import.meta.dirname, 'stream-big.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: bundle,
      logLevel: 'warning',
    });
    for (const [mode, name] of [
      ['stream', 'stream835'],
      ['claims', 'stream835Claims'],
    ] as const) {
      for (const how of ['compiled', 'tsx'] as const) {
        console.log(
          `streaming it through ${name} in a child process (${how === 'tsx' ? 'under tsx' : 'bundled JavaScript, plain node'}) ...`,
        );
        const s =
          how === 'tsx'
            ? child(`big-${mode}`, bigFile, [], 1_800_000)
            : parseChild(
                spawnSync(process.execPath, [bundle, mode, bigFile], {
                  encoding: 'utf8',
                  timeout: 1_800_000,
                }),
              );
        if (s.ok && s.ms !== undefined) {
          const cpu = s.cpuMs ?? s.ms;
          console.log(
            `| stream ${(bigBytes / 1e9).toFixed(2)} GB (${name}, ${how}) | ${(mbOf(bigBytes) / (cpu / 1000)).toFixed(1)} MB per CPU-s | ${(mbOf(bigBytes) / (s.ms / 1000)).toFixed(1)} MB/s wall | ${s.claims ?? 0} claims | peak RSS ${s.maxRssMb?.toFixed(0) ?? '?'} MB |`,
          );
        } else {
          console.log(`stream failed: ${s.error ?? ''}`);
        }
      }
    }
    if (!flag('keep')) rmSync(bigFile, { force: true });
  }
  const load1 = loadavg();
  console.log(`\nload average at the end ${load1.map((x) => x.toFixed(2)).join(' ')}`);
  if (!flag('keep')) rmSync(file, { force: true });
  if (!flag('keep') && existsSync(dir)) rmSync(dir, { recursive: true, force: true });
}

const childAt = process.argv.indexOf('--child');
if (childAt >= 0) {
  await childMain(
    process.argv[childAt + 1] ?? '',
    process.argv[childAt + 2] ?? '',
    Number(process.argv[childAt + 3] ?? '1'),
    Number(process.argv[childAt + 4] ?? '0'),
  );
} else {
  await main();
}
