/**
 * Regenerates the 270/271 writer golden files (packages/x12/test/golden/270|271/<scenario>.edi) from the
 * scenarios next to them. Goldens change only through this script; review the diff before committing.
 *
 *   npx tsx packages/x12/scripts/regen-golden-eligibility.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCENARIOS as S270 } from '../test/golden/270/scenarios.ts';
import { SCENARIOS as S271 } from '../test/golden/271/scenarios.ts';

const root = join(import.meta.dirname, '..', 'test', 'golden');
for (const [folder, scenarios] of [
  ['270', S270],
  ['271', S271],
] as const) {
  for (const s of scenarios) {
    const file = join(root, folder, `${s.name}.edi`);
    writeFileSync(file, s.write());
    console.log(`wrote ${file}`);
  }
}
