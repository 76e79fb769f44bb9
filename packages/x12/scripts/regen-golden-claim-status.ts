/**
 * Regenerates the 276/277/277CA writer golden files (packages/x12/test/golden/276|277|277ca/<scenario>.edi)
 * from the scenarios next to them. Goldens change only through this script; review the diff before committing.
 *
 *   npx tsx packages/x12/scripts/regen-golden-claim-status.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCENARIOS as S276 } from '../test/golden/276/scenarios.ts';
import { SCENARIOS as S277 } from '../test/golden/277/scenarios.ts';
import { SCENARIOS as S277CA } from '../test/golden/277ca/scenarios.ts';

const root = join(import.meta.dirname, '..', 'test', 'golden');
for (const [folder, scenarios] of [
  ['276', S276],
  ['277', S277],
  ['277ca', S277CA],
] as const) {
  for (const s of scenarios) {
    const file = join(root, folder, `${s.name}.edi`);
    writeFileSync(file, s.write());
    console.log(`wrote ${file}`);
  }
}
