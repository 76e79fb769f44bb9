import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CATALOG } from './catalog.ts';
import { RULES_DOC_PATH, renderRulesDoc } from './docs.ts';

describe('docs/scrubber-rules.md', () => {
  it('matches the catalog (regenerate: npx tsx packages/engine/src/scrubber/gen-docs.ts)', () => {
    const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
    const committed = readFileSync(resolve(root, RULES_DOC_PATH), 'utf8');
    expect(committed).toBe(renderRulesDoc());
  });

  it('documents every rule', () => {
    const doc = renderRulesDoc();
    for (const rule of CATALOG) expect(doc).toContain(`## \`${rule.id}\``);
  });
});
