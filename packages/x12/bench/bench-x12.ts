/**
 * X12 benchmark (`npm run bench:x12`): typed 835 parse throughput against x12-parser 1.3 and node-x12 1.7 on
 * the same synthetic file in the same run, and streaming a 1 GB 835 with bounded memory.
 *
 *   npm run bench:x12 -- [--mb 50] [--runs 5] [--stream-gb 1] [--no-node-x12] [--no-stream] [--keep]
 *
 * Files are written to /tmp/openrcm-bench (never inside the repository) and deleted at the end unless --keep.
 * Heavy or memory-hungry measurements run in child processes so their peak RSS is their own.
 */
import { spawnSync } from 'node:child_process';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import type { X12Parser as X12ParserType } from 'node-x12';
import { X12parser } from 'x12-parser';
import { parse835, stream835 } from '../src/tx835/reader.ts';
import { write835 } from '../src/tx835/writer.ts';
import { synthetic835 } from './synth835.ts';

const DIR = '/tmp/openrcm-bench';
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

async function timeOurs(
  file: string,
  text: string,
  runs: number,
): Promise<{ whole: number[]; stream: number[]; claims: number }> {
  const whole: number[] = [];
  const stream: number[] = [];
  let claims = 0;
  for (let k = 0; k < runs; k++) {
    const t0 = performance.now();
    const r = parse835(text);
    whole.push(performance.now() - t0);
    claims = r.value.reduce((n, v) => n + v.headers.reduce((m, h) => m + h.claims.length, 0), 0);
    const t1 = performance.now();
    let streamed = 0;
    for await (const x of stream835(createReadStream(file, { highWaterMark: 1 << 20 }))) {
      for (const h of x.value.headers) streamed += h.claims.length;
    }
    stream.push(performance.now() - t1);
    if (streamed !== claims) throw new Error('stream and whole-text readers disagree on the claim count');
  }
  return { whole, stream, claims };
}

async function timeX12Parser(file: string, runs: number): Promise<{ ms: number[]; segments: number }> {
  const ms: number[] = [];
  let segments = 0;
  for (let k = 0; k < runs; k++) {
    const t0 = performance.now();
    let n = 0;
    const parser = new X12parser();
    parser.on('data', () => n++);
    createReadStream(file, { highWaterMark: 1 << 20 }).pipe(parser);
    await once(parser, 'end');
    ms.push(performance.now() - t0);
    segments = n;
  }
  return { ms, segments };
}

interface ChildResult {
  readonly ok: boolean;
  readonly ms?: number;
  readonly claims?: number;
  readonly maxRssMb?: number;
  readonly error?: string;
}

function child(mode: string, file: string, extraNodeArgs: readonly string[], timeoutMs: number): ChildResult {
  const r = spawnSync(
    process.execPath,
    [...extraNodeArgs, ...process.execArgv, import.meta.filename, '--child', mode, file],
    { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 1 << 20 },
  );
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

async function childMain(mode: string, file: string): Promise<void> {
  const t0 = performance.now();
  let claims = 0;
  if (mode === 'stream') {
    for await (const x of stream835(createReadStream(file, { highWaterMark: 1 << 20 }))) {
      for (const h of x.value.headers) claims += h.claims.length;
    }
  } else if (mode === 'node-x12') {
    const require = createRequire(import.meta.url);
    const { X12Parser } = require('node-x12') as { X12Parser: typeof X12ParserType };
    const text = readFileSync(file, 'utf8');
    const t1 = performance.now();
    const parsed = new X12Parser(true).parse(text);
    const ms = performance.now() - t1;
    void parsed;
    process.stdout.write(
      `${JSON.stringify({ ok: true, ms, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
    );
    return;
  }
  const ms = performance.now() - t0;
  process.stdout.write(
    `${JSON.stringify({ ok: true, ms, claims, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
  );
}

async function main(): Promise<void> {
  const targetMb = Number(arg('mb', '50'));
  const runs = Number(arg('runs', '5'));
  const streamGb = Number(arg('stream-gb', '1'));
  mkdirSync(DIR, { recursive: true });
  const file = join(DIR, `synthetic-835-${targetMb}mb.edi`);
  const bigFile = join(DIR, `synthetic-835-${streamGb}gb.edi`);
  const load0 = loadavg();
  console.log(
    `node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, load average ${load0.map((x) => x.toFixed(2)).join(' ')}`,
  );

  console.log(`building a synthetic 835 of >= ${targetMb} MB in ${DIR} ...`);
  const { text, claims } = buildInterchange(targetMb);
  await writeRepeated(file, text, 1);
  const bytes = statSync(file).size;
  const check = parse835(text);
  const errors = check.diagnostics.filter((d) => d.severity === 'error').length;
  console.log(
    `  ${mbOf(bytes).toFixed(1)} MB, ${claims} claims, ${check.value.length} transaction sets, ${errors} error diagnostics`,
  );

  console.log(`typed 835 parse (validation on), ${runs} runs ...`);
  const ours = await timeOurs(file, text, runs);
  console.log(`x12-parser 1.3 (segments only, stream), ${runs} runs ...`);
  const ref = await timeX12Parser(file, runs);

  const wholeMs = median(ours.whole);
  const streamMs = median(ours.stream);
  const refMs = median(ref.ms);
  const rows: [string, string, string, string][] = [
    [
      'typed 835, whole text (parse835)',
      (mbOf(bytes) / (wholeMs / 1000)).toFixed(1),
      (ours.claims / (wholeMs / 1000)).toFixed(0),
      `${(refMs / wholeMs).toFixed(1)}x`,
    ],
    [
      'typed 835, stream (stream835, 1 MB chunks)',
      (mbOf(bytes) / (streamMs / 1000)).toFixed(1),
      (ours.claims / (streamMs / 1000)).toFixed(0),
      `${(refMs / streamMs).toFixed(1)}x`,
    ],
    ['x12-parser 1.3 (untyped segments, stream)', (mbOf(bytes) / (refMs / 1000)).toFixed(1), '-', '1.0x'],
  ];

  if (!flag('no-node-x12')) {
    console.log('node-x12 1.7 whole-file parse (child process, one run) ...');
    const nx = child('node-x12', file, ['--max-old-space-size=8192'], 600_000);
    rows.push(
      nx.ok && nx.ms !== undefined
        ? [
            'node-x12 1.7 (untyped, whole file)',
            (mbOf(bytes) / (nx.ms / 1000)).toFixed(1),
            '-',
            `${(refMs / nx.ms).toFixed(1)}x (peak RSS ${nx.maxRssMb?.toFixed(0) ?? '?'} MB)`,
          ]
        : ['node-x12 1.7 (untyped, whole file)', 'failed', '-', nx.error ?? ''],
    );
  }

  console.log('');
  console.log(`| reader | MB/s (median of ${runs}) | claims/s | vs x12-parser |`);
  console.log('|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);

  if (!flag('no-stream') && streamGb > 0) {
    const copies = Math.ceil((streamGb * 1e9) / bytes);
    console.log(
      `\nwriting ${copies} interchanges (${((copies * bytes) / 1e9).toFixed(2)} GB) to ${bigFile} ...`,
    );
    await writeRepeated(bigFile, text, copies);
    const bigBytes = statSync(bigFile).size;
    console.log('streaming it through streamTransactions + read835 in a child process ...');
    const s = child('stream', bigFile, [], 1_800_000);
    if (s.ok && s.ms !== undefined) {
      console.log(
        `| stream ${(bigBytes / 1e9).toFixed(2)} GB | ${(mbOf(bigBytes) / (s.ms / 1000)).toFixed(1)} MB/s | ${((s.claims ?? 0) / (s.ms / 1000)).toFixed(0)} claims/s | ${s.claims ?? 0} claims | peak RSS ${s.maxRssMb?.toFixed(0) ?? '?'} MB |`,
      );
    } else {
      console.log(`stream failed: ${s.error ?? ''}`);
    }
    if (!flag('keep')) rmSync(bigFile, { force: true });
  }
  const load1 = loadavg();
  console.log(`\nload average at the end ${load1.map((x) => x.toFixed(2)).join(' ')}`);
  if (!flag('keep')) rmSync(file, { force: true });
  if (!flag('keep') && existsSync(DIR)) rmSync(DIR, { recursive: true, force: true });
}

const childAt = process.argv.indexOf('--child');
if (childAt >= 0) {
  await childMain(process.argv[childAt + 1] ?? '', process.argv[childAt + 2] ?? '');
} else {
  await main();
}
