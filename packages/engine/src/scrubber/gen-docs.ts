/** Writes docs/scrubber-rules.md from the catalog: `npx tsx packages/engine/src/scrubber/gen-docs.ts`. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RULES_DOC_PATH, renderRulesDoc } from './docs.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const target = resolve(root, RULES_DOC_PATH);
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, renderRulesDoc());
console.log(`wrote ${RULES_DOC_PATH}`);
