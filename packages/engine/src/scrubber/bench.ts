/**
 * Scrub throughput: `npx tsx packages/engine/src/scrubber/bench.ts [claims]` scrubs N (default 100,000)
 * three-line claims with the real code sets (@openrcm/codesets) and the full catalog plus one configured
 * rule, and prints the timing. Claims are varied fixture claims built up front (not timed); code-set loading
 * is timed separately because it happens once per process.
 */
import type { CalendarDate, ClaimId, Icd10Code } from '@openrcm/core';
import { addDays } from '@openrcm/core';
import type { Claim } from '../claims/model.ts';
import { CATALOG } from './catalog.ts';
import { codesetsAdapter } from './codesets-adapter.ts';
import { compileDataRule, validateDataRule } from './conditions.ts';
import { fixtureClaim, fixtureContext, fixtureLine } from './fixtures.ts';
import { duplicateKeys } from './rules/payer.ts';
import { scrub } from './scrub.ts';

const n = Number(process.argv[2] ?? 100_000);
const codes = ['99213', '99214', '93000', '36415', '97110', '20610', '11042', '96372', 'J1100', '99203'];
const dx = ['E119', 'I10', 'J069', 'M5450', 'Z0000', 'E785', 'K219', 'F419'] as Icd10Code[];

const claims: Claim[] = [];
for (let i = 0; i < n; i++) {
  const dos = addDays('2026-06-01' as CalendarDate, i % 150);
  const pick = (k: number): string => codes[(i * 7 + k * 3) % codes.length] ?? '99213';
  claims.push(
    fixtureClaim({
      claimId: (i + 1) as ClaimId,
      firstServiceDate: dos,
      diagnoses: [dx[i % dx.length], dx[(i + 3) % dx.length]] as Icd10Code[],
      lines: [
        fixtureLine(1, pick(0), 12000, [1, 2], { serviceDate: dos }),
        fixtureLine(2, pick(1), 4000, [1], { serviceDate: dos, modifiers: i % 5 === 0 ? ['59'] : [] }),
        fixtureLine(3, pick(2), 2500, [2], { serviceDate: dos, units: 1 + (i % 3) }),
      ],
    }),
  );
}
const rule = validateDataRule({
  id: 'therapy-needs-gp',
  version: 1,
  severity: 'error',
  scope: 'payer',
  payerId: 7,
  title: 'Therapy codes carry GP',
  message: 'Therapy code without the GP modifier',
  suggestedFix: 'Add GP.',
  when: {
    all: [
      { path: 'lines[*].procedureCode', op: 'in', value: ['97110', '97140'] },
      { path: 'lines[*].modifiers', op: 'lacks', value: 'GP' },
    ],
  },
});
if (!rule.ok) throw new Error('bench rule invalid');
const rules = [...CATALOG, compileDataRule(rule.definition)];

// 2 % of the claims were already submitted under other ids: the duplicate index holds their line keys.
const submitted = new Map<string, ClaimId>();
for (let i = 0; i < n; i += 50)
  for (const k of duplicateKeys(claims[i] as Claim)) submitted.set(k, 999_999_999 as ClaimId);

const codeSets = codesetsAdapter();
let t = performance.now();
codeSets.icd10Status('E119', '2026-06-01' as CalendarDate);
codeSets.ptpEdit('20610', '99213', '2026-06-01' as CalendarDate);
codeSets.mue('99213');
codeSets.addOn('11045');
codeSets.isHcpcsLevel2('J1100', '2026-06-01' as CalendarDate);
const loadMs = performance.now() - t;

const ctx = fixtureContext({ asOf: '2026-11-02' as CalendarDate, codeSets, submitted });
t = performance.now();
const cpu0 = process.cpuUsage();
let clean = 0;
let issues = 0;
const byRule = new Map<string, number>();
for (const claim of claims) {
  const r = scrub(claim, ctx, rules);
  if (r.clean) clean += 1;
  issues += r.issues.length;
  for (const i of r.issues) byRule.set(i.ruleId, (byRule.get(i.ruleId) ?? 0) + 1);
}
const ms = performance.now() - t;
const cpu = process.cpuUsage(cpu0);
// CPU time next to wall time: on a shared machine the wall clock includes other processes' turns.
const cpuMs = (cpu.user + cpu.system) / 1000;
console.log(`code sets loaded in ${loadMs.toFixed(0)} ms`);
console.log(
  `scrubbed ${n} claims (3 lines, ${rules.length} rules) in ${ms.toFixed(0)} ms: ${((n / ms) * 1000).toFixed(0)} claims/s, ${((ms * 1000) / n).toFixed(1)} µs/claim`,
);
console.log(`CPU time ${cpuMs.toFixed(0)} ms: ${((cpuMs * 1000) / n).toFixed(1)} µs/claim`);
console.log(`clean ${clean}, issues ${issues}:`, Object.fromEntries([...byRule].sort()));
