import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DELIMITERS } from '../../../src/core/delimiters.ts';
import { formatDiagnostic } from '../../../src/core/diagnostics.ts';
import { parseX12, transactionsOf } from '../../../src/core/parse.ts';
import { readEligibility } from '../../../src/tx270271/read.ts';
import { writeEligibilitySegments } from '../../../src/tx270271/write.ts';
import { normalizeSegment, normalizeText } from '../../roundtrip.ts';
import { statusCodeLists } from '../../status-code-lists.ts';
import { SCENARIOS as S270 } from './scenarios.ts';
import { SCENARIOS as S271 } from '../271/scenarios.ts';

const codeLists = statusCodeLists();

describe.each([
  ['270', S270],
  ['271', S271],
] as const)('%s writer golden files', (folder, scenarios) => {
  for (const s of scenarios) {
    it(`${s.name}: ${s.description}`, () => {
      const golden = readFileSync(join(import.meta.dirname, '..', folder, `${s.name}.edi`), 'utf8');
      expect(s.write()).toBe(golden);
      const parsed = parseX12(golden);
      expect(parsed.diagnostics).toEqual([]);
      for (const tx of transactionsOf(parsed)) {
        const r = readEligibility(tx, { codeLists });
        expect(r.diagnostics.map((d) => formatDiagnostic(d))).toEqual([]);
        const again = writeEligibilitySegments(r.value).map((x) => normalizeText(x, DEFAULT_DELIMITERS));
        expect(again).toEqual(tx.segments.map(normalizeSegment));
      }
    });
  }
});
