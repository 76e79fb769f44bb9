/**
 * Throughput of the simulated clearinghouse on a generated data set, claims straight from the charges:
 *   npx tsx packages/sim/src/clearinghouse/bench.ts [practices] [months]
 * Prints wall time per stage (write 837s, receive: parse + 999 + edits + 277CA, clock: adjudicate + 835
 * with its read-back check), claims per second and peak RSS.
 */
import { addDays } from '../dates.ts';
import { generate } from '../generate.ts';
import { SimClearinghouse } from './clearinghouse.ts';
import { naive837Files } from './naive837.ts';

const practices = Number(process.argv[2] ?? 3);
const months = Number(process.argv[3] ?? 3);
let t = performance.now();
const lap = (): number => {
  const now = performance.now();
  const d = now - t;
  t = now;
  return Math.round(d);
};
const ds = generate({ practices, months, seed: 1, startDate: '2026-01-05' });
const gen = lap();
const files = naive837Files(ds);
const write = lap();
const ch = new SimClearinghouse({ setup: ds, authorizations: ds.authorizations, seed: 1, keepOutbox: false });
let bytes = 0;
for (const f of files) {
  bytes += f.content.length;
  ch.receive(f.name, f.content, f.receivedDate);
}
const receive = lap();
ch.advanceTo(addDays(files[files.length - 1]?.receivedDate ?? '2026-01-05', 150));
const clock = lap();
const s = ch.stats;
console.log(
  JSON.stringify(
    {
      claims: s.claimsReceived,
      mb837: Math.round(bytes / 1e5) / 10,
      ms: { generate: gen, write837: write, receive, clock },
      claimsPerSecond: Math.round((s.claimsReceived * 1000) / (receive + clock)),
      eras: s.eras,
      frontEndRejectionRate: Math.round((s.frontEndRejected / s.claimsReceived) * 1000) / 1000,
      firstAdjudicationDenialRate: Math.round((s.firstDenied / s.firstAdjudications) * 1000) / 1000,
      internalErrors: s.internalErrors,
      rssMb: Math.round(process.memoryUsage().rss / 1e6),
    },
    null,
    2,
  ),
);
