// Load time and memory per code-set table, each measured in a fresh Node process so tables do not share
// warm-up. Run: npx tsx packages/codesets/bench/load.ts
//
// Prints first-load time (ms), heap and RSS growth (MB) and the time of a warm look-up.

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as cs from '../src/index.ts';

const TABLES: Record<string, { load: () => unknown; lookup: () => unknown }> = {
  icd10cm: {
    load: () => cs.icd10cm.lookup('E119'),
    lookup: () => cs.icd10cm.isBillable('E11.9', '2025-03-01'),
  },
  hcpcs: {
    load: () => cs.isHcpcsLevel2('G0008', '2024-01-01'),
    lookup: () => cs.isValidModifier('25', '2024-01-01'),
  },
  ptp: {
    load: () => cs.ptpEdit('11042', '97597', '2024-07-01'),
    lookup: () => cs.ptpEdit('97597', '11042', '2024-07-01'),
  },
  mue: { load: () => cs.mueFor('99213'), lookup: () => cs.mueFor('99214') },
  addOn: { load: () => cs.addOnEdit('99417'), lookup: () => cs.isAddOnCode('22552') },
  carcRarc: {
    load: () => cs.isValidCarc('45', '2024-01-01'),
    lookup: () => cs.isValidRarc('M1', '2024-01-01'),
  },
  x12Lists: { load: () => cs.externalCodeLists(), lookup: () => cs.isValidPos('11') },
  pfs: {
    load: () => cs.nationalAmountCents('99213', undefined, 'nonfacility'),
    lookup: () => cs.nationalAmountCents('99214', undefined, 'facility'),
  },
  taxonomy: { load: () => cs.isKnownTaxonomy('207R00000X'), lookup: () => cs.isKnownTaxonomy('208D00000X') },
};

const mb = (n: number): string => (n / 1024 / 1024).toFixed(1);

function measureOne(name: string): void {
  const t = TABLES[name];
  if (!t) throw new Error(`unknown table ${name}`);
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage();
  const t0 = performance.now();
  t.load();
  const loadMs = performance.now() - t0;
  gc?.();
  const after = process.memoryUsage();
  const n = 100_000;
  const t1 = performance.now();
  for (let i = 0; i < n; i++) t.lookup();
  const lookupUs = ((performance.now() - t1) * 1000) / n;
  const heap = after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers;
  console.log(
    `${name.padEnd(10)} load ${loadMs.toFixed(0).padStart(5)} ms  heap+buffers ${mb(heap).padStart(6)} MB  ` +
      `rss ${mb(after.rss - before.rss).padStart(6)} MB  look-up ${lookupUs.toFixed(2)} µs`,
  );
}

function measureAll(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage();
  const t0 = performance.now();
  for (const t of Object.values(TABLES)) t.load();
  const ms = performance.now() - t0;
  gc?.();
  const after = process.memoryUsage();
  const heap = after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers;
  console.log(
    `all tables load ${ms.toFixed(0)} ms  heap+buffers ${mb(heap)} MB  rss ${mb(after.rss - before.rss)} MB ` +
      `(process rss ${mb(after.rss)} MB)`,
  );
}

const [mode, name] = process.argv.slice(2);
if (mode === 'one' && name !== undefined) {
  measureOne(name);
} else if (mode === 'all') {
  measureAll();
} else {
  const self = fileURLToPath(import.meta.url);
  console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
  for (const table of Object.keys(TABLES)) {
    execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', self, 'one', table], {
      stdio: 'inherit',
    });
  }
  execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', self, 'all'], { stdio: 'inherit' });
}
