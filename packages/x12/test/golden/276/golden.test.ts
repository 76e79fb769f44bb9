import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DELIMITERS } from '../../../src/core/delimiters.ts';
import { formatDiagnostic } from '../../../src/core/diagnostics.ts';
import { parseX12, transactionsOf } from '../../../src/core/parse.ts';
import { readClaimStatus } from '../../../src/tx276277/read.ts';
import { writeClaimStatusSegments } from '../../../src/tx276277/write.ts';
import { readClaimAcknowledgement } from '../../../src/tx277ca/read.ts';
import { writeClaimAcknowledgementSegments } from '../../../src/tx277ca/write.ts';
import { normalizeSegment, normalizeText } from '../../roundtrip.ts';
import { statusCodeLists } from '../../status-code-lists.ts';
import { SCENARIOS as S276 } from './scenarios.ts';
import { SCENARIOS as S277 } from '../277/scenarios.ts';
import { SCENARIOS as S277CA } from '../277ca/scenarios.ts';

const codeLists = statusCodeLists();

describe.each([
  ['276', S276],
  ['277', S277],
  ['277ca', S277CA],
] as const)('%s writer golden files', (folder, scenarios) => {
  for (const s of scenarios) {
    it(`${s.name}: ${s.description}`, () => {
      const golden = readFileSync(join(import.meta.dirname, '..', folder, `${s.name}.edi`), 'utf8');
      expect(s.write()).toBe(golden);
      const parsed = parseX12(golden);
      expect(parsed.diagnostics).toEqual([]);
      for (const tx of transactionsOf(parsed)) {
        const again =
          folder === '277ca'
            ? (() => {
                const r = readClaimAcknowledgement(tx, { codeLists });
                expect(r.diagnostics.map((d) => formatDiagnostic(d))).toEqual([]);
                return writeClaimAcknowledgementSegments(r.value);
              })()
            : (() => {
                const r = readClaimStatus(tx, { codeLists });
                expect(r.diagnostics.map((d) => formatDiagnostic(d))).toEqual([]);
                return writeClaimStatusSegments(r.value);
              })();
        expect(again.map((x) => normalizeText(x, DEFAULT_DELIMITERS))).toEqual(
          tx.segments.map(normalizeSegment),
        );
      }
    });
  }
});
