import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CATALOG, CATALOG_IDS } from './catalog.ts';
import { validateDataRule } from './conditions.ts';
import { POLICY_EXAMPLES, RULES_DOC_PATH, renderRulesDoc } from './docs.ts';

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

  it('shows only example definitions that validate', () => {
    for (const e of POLICY_EXAMPLES)
      expect(validateDataRule(e.definition, CATALOG_IDS), e.policy).toMatchObject({ ok: true });
  });
});
