/**
 * Generation throughput and memory: `npx tsx packages/sim/bench/generate.ts PRACTICES MONTHS [DIR]`.
 * Streams to DIR (default a temp dir, removed afterwards) and prints rows/s and the peak RSS, sampled
 * after every practice-month chunk.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateMonths, generateSetup } from '../src/generate.ts';
import { DatasetWriter } from '../src/write.ts';

const practices = Number(process.argv[2] ?? 30);
const months = Number(process.argv[3] ?? 3);
const keep = process.argv[4];
const dir = keep ?? mkdtempSync(join(tmpdir(), 'openrcm-sim-bench-'));
const t0 = performance.now();
let peak = 0;
let peakHeap = 0;
// With --expose-gc (NODE_OPTIONS=--expose-gc), also record the live heap after a full GC per chunk:
// that, not RSS, shows whether memory grows with the number of claims.
const gc = (globalThis as { gc?: () => void }).gc;
const sample = () => {
  peak = Math.max(peak, process.memoryUsage().rss);
  if (gc) {
    gc();
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }
};
const state = generateSetup({ practices, months, seed: 1, startDate: '2026-01-05' });
const w = new DatasetWriter(dir, 'jsonl');
w.write(state.setup);
sample();
const tSetup = performance.now();
for (const chunk of generateMonths(state)) {
  w.write(chunk);
  sample();
}
w.close();
const s = (performance.now() - t0) / 1000;
const encounters = w.counts['encounters'] ?? 0;
const charges = w.counts['charges'] ?? 0;
console.log(
  `${practices} practices x ${months} months: ${encounters} encounters (claims), ${charges} charges in ${s.toFixed(1)} s ` +
    `(setup ${((tSetup - t0) / 1000).toFixed(1)} s); ${Math.round(encounters / s)} encounters/s; peak RSS ${Math.round(peak / 2 ** 20)} MiB` +
    (gc ? `; peak live heap ${Math.round(peakHeap / 2 ** 20)} MiB` : ''),
);
if (!keep) rmSync(dir, { recursive: true, force: true });
