/**
 * Regenerates the 837P writer golden files (packages/x12/test/golden/837p/<scenario>.edi) from the scenarios in
 * test/golden/837p/scenarios.ts. Goldens change only through this script; review the diff before committing.
 *
 *   npx tsx packages/x12/scripts/regen-golden-837p.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCENARIOS } from '../test/golden/837p/scenarios.ts';
import { write837P } from '../src/tx837p/write.ts';

const dir = join(import.meta.dirname, '..', 'test', 'golden', '837p');
for (const s of SCENARIOS) {
  const file = join(dir, `${s.name}.edi`);
  writeFileSync(file, write837P(s.batch, s.envelope));
  console.log(`wrote ${file}`);
}
