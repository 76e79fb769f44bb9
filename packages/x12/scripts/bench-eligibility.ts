/**
 * Issue 7 benchmark: build the 270s for N appointments and interpret N 271s (default 50,000; target under
 * 30 s in total on the 2-core CI machine). Not a timed test; prints the figures.
 *
 *   npx tsx packages/x12/scripts/bench-eligibility.ts [N]
 */
import { performance } from 'node:perf_hooks';
import { datePeriod } from '../src/core/common-segments.ts';
import { buildEligibilityInquiry, type EligibilityRequest } from '../src/tx270271/inquiry.ts';
import { parseEligibility } from '../src/tx270271/read.ts';
import { benefit, eligibilityResponse } from '../src/tx270271/response.ts';
import { summarizeEligibility } from '../src/tx270271/summary.ts';
import { writeEligibilityInterchange } from '../src/tx270271/write.ts';
import { ENVELOPE_270, INQUIRY_HEADER, REQUESTS } from '../test/golden/270/scenarios.ts';
import { ENVELOPE_271 } from '../test/golden/271/scenarios.ts';

const n = Number(process.argv[2] ?? 50_000);
const perInterchange = 5_000;

const requests: EligibilityRequest[] = Array.from({ length: n }, (_, i) => {
  const base = REQUESTS[i % REQUESTS.length];
  if (base === undefined) throw new Error('no base request');
  return {
    ...base,
    traceNumber: `CHK-${i}`,
    subscriber: { ...base.subscriber, memberId: `M${String(100000000 + i)}` },
  };
});

const t0 = performance.now();
const c0 = process.cpuUsage();
const texts270: string[] = [];
for (let i = 0; i < n; i += perInterchange) {
  const txs = requests.slice(i, i + perInterchange).map((r) => buildEligibilityInquiry(r, INQUIRY_HEADER));
  texts270.push(writeEligibilityInterchange(txs, { ...ENVELOPE_270, validate: true }));
}
const t1 = performance.now();
const c1 = process.cpuUsage(c0);

// Synthetic 271 answers (not timed): active coverage with the office-visit benefits.
const texts271: string[] = [];
for (let i = 0; i < n; i += perInterchange) {
  const txs = requests.slice(i, i + perInterchange).map((r) =>
    eligibilityResponse(
      buildEligibilityInquiry(r, INQUIRY_HEADER),
      { date: '2026-03-01', time: '1905' },
      () => ({
        dates: [datePeriod('346', '2026-01-01')],
        benefits: [
          benefit({ code: '1', coverageLevel: 'IND', serviceTypes: ['30'], planDescription: 'PPO' }),
          benefit({
            code: 'B',
            coverageLevel: 'IND',
            serviceTypes: ['98'],
            timePeriod: '27',
            amountCents: 2500,
            inPlanNetwork: 'Y',
          }),
          benefit({
            code: 'A',
            coverageLevel: 'IND',
            serviceTypes: ['30'],
            percentBasisPoints: 2000,
            inPlanNetwork: 'Y',
          }),
          benefit({
            code: 'C',
            coverageLevel: 'IND',
            serviceTypes: ['30'],
            timePeriod: '23',
            amountCents: 150000,
            inPlanNetwork: 'Y',
          }),
          benefit({
            code: 'C',
            coverageLevel: 'IND',
            serviceTypes: ['30'],
            timePeriod: '29',
            amountCents: 82050,
            inPlanNetwork: 'Y',
          }),
          benefit({
            code: 'G',
            coverageLevel: 'IND',
            serviceTypes: ['30'],
            timePeriod: '29',
            amountCents: 425075,
            inPlanNetwork: 'Y',
          }),
        ],
      }),
    ),
  );
  texts271.push(writeEligibilityInterchange(txs, { ...ENVELOPE_271, validate: false }));
}

const t2 = performance.now();
const c2 = process.cpuUsage();
let summaries = 0;
let errors = 0;
for (const text of texts271) {
  const r = parseEligibility(text);
  errors += r.diagnostics.filter((d) => d.severity === 'error').length;
  for (const tx of r.value) summaries += summarizeEligibility(tx).length;
}
const t3 = performance.now();
const c3 = process.cpuUsage(c2);
// CPU time next to wall time: on a shared machine the wall clock measures the neighbours too.
const cpu = (c: NodeJS.CpuUsage): string => `${((c.user + c.system) / 1e6).toFixed(2)} s cpu`;

const mb = (texts: string[]): string => (texts.reduce((a, t) => a + t.length, 0) / 1e6).toFixed(1);
console.log(
  `270: built, wrote and re-validated ${n} inquiries (${mb(texts270)} MB) in ${((t1 - t0) / 1000).toFixed(2)} s (${cpu(c1)})`,
);
console.log(
  `271: read and summarised ${summaries} members (${mb(texts271)} MB, ${errors} errors) in ${((t3 - t2) / 1000).toFixed(2)} s (${cpu(c3)})`,
);
console.log(
  `total ${((t1 - t0 + t3 - t2) / 1000).toFixed(2)} s (target < 30 s); peak RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`,
);
