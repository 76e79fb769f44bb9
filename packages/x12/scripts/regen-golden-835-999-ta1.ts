/**
 * Regenerates the golden 835, 999 and TA1 files from their scenarios:
 *   npx tsx packages/x12/scripts/regen-golden-835-999-ta1.ts
 * Review the diff before committing: a golden changes only when the wire output is meant to change.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCENARIOS_835, golden835 } from '../test/golden/835/scenarios.ts';
import { golden999, goldenTa1, scenarios999, scenariosTa1 } from '../test/golden/999/scenarios.ts';

const root = join(import.meta.dirname, '..', 'test', 'golden');
const write = (dir: string, name: string, text: string): void => {
  mkdirSync(join(root, dir), { recursive: true });
  writeFileSync(join(root, dir, `${name}.edi`), text);
  console.log(`wrote test/golden/${dir}/${name}.edi`);
};
for (const name of Object.keys(SCENARIOS_835)) write('835', name, golden835(name));
for (const name of Object.keys(scenarios999())) write('999', name, golden999(name));
for (const name of Object.keys(scenariosTa1())) write('ta1', name, goldenTa1(name));
