import { describe, expect, it } from 'vitest';
import { corpusManifest, isClean, readCorpus } from '../../test/corpus.ts';
import { normalizeSegment, normalizeText } from '../../test/roundtrip.ts';
import { statusCodeLists } from '../../test/status-code-lists.ts';
import { DEFAULT_DELIMITERS } from '../core/delimiters.ts';
import { formatDiagnostic } from '../core/diagnostics.ts';
import { parseX12, transactionsOf } from '../core/parse.ts';
import { readClaimStatus } from './read.ts';
import { writeClaimStatusSegments } from './write.ts';

const files = corpusManifest().filter((e) => e.file.startsWith('276/') || e.file.startsWith('277/'));

describe('276/277 corpus', () => {
  for (const entry of files) {
    it(`${entry.file} (${entry.verdict.split(' ')[0]}) reads, and clean files round-trip`, () => {
      const parsed = parseX12(readCorpus(entry.file));
      for (const tx of transactionsOf(parsed)) {
        const r = readClaimStatus(tx, { codeLists: statusCodeLists() });
        if (isClean(entry)) {
          // Clean files read with no finding at all, not even a warning.
          expect(r.diagnostics.map((d) => formatDiagnostic(d, entry.file))).toEqual([]);
          const written = writeClaimStatusSegments(r.value).map((s) => normalizeText(s, DEFAULT_DELIMITERS));
          expect(written).toEqual(tx.segments.map(normalizeSegment));
        }
      }
    });
  }
});
