/**
 * Generate + adjudicate, streaming, no files: `npx tsx packages/sim/bench/pipeline.ts PRACTICES MONTHS`.
 * The issue 4 benchmark without the X12 legs (837 in, 835 out), which come with the clearinghouse.
 * Run with NODE_OPTIONS=--expose-gc to also report the live heap after a GC per practice-month.
 */
import { streamFirstPass } from '../src/payers/run.ts';

const practices = Number(process.argv[2] ?? 10);
const months = Number(process.argv[3] ?? 3);
const gc = (globalThis as { gc?: () => void }).gc;
let peakRss = 0;
let peakHeap = 0;
const t0 = performance.now();
const r = streamFirstPass({ practices, months, seed: 1, startDate: '2026-01-05' }, () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  if (gc) {
    gc();
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }
});
const s = (performance.now() - t0) / 1000;
console.log(
  `${practices} practices x ${months} months: ${r.claims} claims generated and adjudicated in ${s.toFixed(1)} s (${Math.round(r.claims / s)} claims/s); ` +
    `rejection ${(r.rejectionRate * 100).toFixed(2)} %, denial ${(r.denialRate * 100).toFixed(2)} %, unexplained denials ${r.unexplainedCount}; ` +
    `peak RSS ${Math.round(peakRss / 2 ** 20)} MiB` +
    (gc ? `, peak live heap ${Math.round(peakHeap / 2 ** 20)} MiB` : ''),
);
