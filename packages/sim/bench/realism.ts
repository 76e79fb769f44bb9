/**
 * Realism check (issue 4 "done when"): generate, write claims straight from the charges (no scrubbing),
 * adjudicate them with the simulated payers, and print the first-adjudication denial rate and the
 * front-end rejection rate. `npx tsx packages/sim/bench/realism.ts [practices] [months] [seed]`.
 */
import { generate } from '../src/generate.ts';
import { firstPassRun } from '../src/payers/run.ts';

const [practices = 3, months = 3, seed = 1] = process.argv.slice(2).map(Number);
const t0 = performance.now();
const ds = generate({ practices, months, seed, startDate: '2026-01-05' });
const t1 = performance.now();
const r = firstPassRun(ds);
const t2 = performance.now();
console.log(
  `generated ${ds.encounters.length} encounters in ${((t1 - t0) / 1000).toFixed(2)} s; adjudicated ${r.claims} claims in ${((t2 - t1) / 1000).toFixed(2)} s`,
);
console.log(
  `front-end rejection rate ${(r.rejectionRate * 100).toFixed(2)} % (${r.rejected}), first-adjudication denial rate ${(r.denialRate * 100).toFixed(2)} % (${r.deniedClaims} of ${r.adjudicated})`,
);
console.log('denials by CARC:', r.byCarc);
console.log(
  `ground-truth denials matched: ${r.matched}/${r.expectedDenials}; denied claims without a ground-truth cause: ${r.unexplained.length}`,
  r.unexplained.slice(0, 10),
);
