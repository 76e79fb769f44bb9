/**
 * The clearinghouse over X12, streaming month by month: does its memory stay flat as claims pass through?
 *
 *   node --expose-gc --import tsx packages/sim/bench/clearinghouse-stream.ts [--practices 4] [--months 12] [--retention-days 400]
 *
 * Each month the generator's chunks become 837P files written straight from the charges (naive837.ts), the
 * clearinghouse receives them in date order (999, 277CA, adjudication, 835 written and read back with
 * `parse835`), outputs are counted and dropped (`keepOutbox: false`). Files sent more than a month ahead (a
 * note signed late) wait for their date. After each month it prints claims so far, CPU seconds, peak RSS,
 * the live heap after a full GC and what the clearinghouse holds (`memorySize`).
 */
import { generateMonths, generateSetup } from '../src/generate.ts';
import { SimClearinghouse } from '../src/clearinghouse/clearinghouse.ts';
import { naive837Files, type Naive837File } from '../src/clearinghouse/naive837.ts';
import { addDays, monthStart } from '../src/dates.ts';
import type { MonthData } from '../src/types.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v <= 0) throw new RangeError(`--${name} must be a positive integer`);
  return v;
}

const practices = arg('practices', 4);
const months = arg('months', 12);
const retentionDays = arg('retention-days', 400);
const config = { practices, months, seed: 1, startDate: '2026-01-05' };
const gc = (globalThis as { gc?: () => void }).gc;
const t0 = performance.now();
const c0 = process.cpuUsage();
const state = generateSetup(config);
let bytesOut = 0;
const ch = new SimClearinghouse({
  setup: state.setup,
  seed: 1,
  dataset: { startDate: config.startDate, seed: config.seed },
  keepOutbox: false,
  retentionDays,
  onOutput: (f) => {
    bytesOut += f.content.length;
  },
});
let deferred: Naive837File[] = [];
let bytesIn = 0;

function receiveMonth(month: string, chunks: MonthData[]): void {
  const files = naive837Files(
    {
      ...state.setup,
      encounters: chunks.flatMap((c) => c.encounters),
      charges: chunks.flatMap((c) => c.charges),
      authorizations: chunks.flatMap((c) => c.authorizations),
    },
    // One submitter id per month: interchange control numbers restart with each call.
    `ORCM${month.replace('-', '')}`,
  );
  const horizon = monthStart(`${month}-01`, 2);
  const all = [...deferred, ...files].sort((a, b) => (a.receivedDate < b.receivedDate ? -1 : 1));
  deferred = [];
  for (const f of all) {
    if (f.receivedDate >= horizon) {
      deferred.push(f);
      continue;
    }
    bytesIn += f.content.length;
    ch.receive(f.name, f.content, f.receivedDate);
  }
  const cpu = process.cpuUsage(c0);
  let heap = '';
  if (gc) {
    gc();
    heap = `, live heap ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MiB`;
  }
  const m = ch.memorySize();
  console.log(
    `${month}: ${ch.stats.claimsReceived} claims received, ${ch.stats.eras} ERAs; ${((performance.now() - t0) / 1000).toFixed(1)} s wall, ` +
      `${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU; peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB${heap}; ` +
      `holds ${m.records} claim records, ${m.reversible} reversible, ${m.versions} versions, ${m.lines} history lines, ${m.memberYears} member-years`,
  );
}

let month: string | null = null;
let chunks: MonthData[] = [];
for (const chunk of generateMonths(state)) {
  ch.addAuthorizations(chunk.authorizations);
  if (month !== null && chunk.month !== month) {
    receiveMonth(month, chunks);
    chunks = [];
  }
  month = chunk.month;
  chunks.push(chunk);
}
if (month !== null) receiveMonth(month, chunks);
for (const f of deferred) ch.receive(f.name, f.content, f.receivedDate);
ch.advanceTo(addDays(ch.today ?? config.startDate, 150));
const cpu = process.cpuUsage(c0);
const s = ch.stats;
console.log(
  `done: ${s.claimsReceived} claims, ${(bytesIn / 1e6).toFixed(1)} MB of 837 in, ${(bytesOut / 1e6).toFixed(1)} MB out, ${s.eras} ERAs, ` +
    `${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU (${Math.round(s.claimsReceived / ((cpu.user + cpu.system) / 1e6))} claims per CPU-second), ` +
    `${((performance.now() - t0) / 1000).toFixed(1)} s wall; rejection ${((s.frontEndRejected / s.claimsReceived) * 100).toFixed(2)} %, ` +
    `first-adjudication denial ${((s.firstDenied / s.firstAdjudications) * 100).toFixed(2)} %; internal errors ${s.internalErrors}`,
);
