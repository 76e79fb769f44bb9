import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../../src/core/diagnostics.ts';
import { read837P } from '../../../src/tx837p/read.ts';
import { write837P } from '../../../src/tx837p/write.ts';
import type { Claim837P } from '../../../src/tx837p/model.ts';
import { SCENARIOS } from './scenarios.ts';

/** Drops the read locations so a read claim can be compared with the one the scenario built. */
function withoutLocations(c: Claim837P): unknown {
  return JSON.parse(
    JSON.stringify(c, (k, v: unknown) => (k === 'location' ? undefined : v)),
  ) as unknown;
}

describe('837P writer golden files (regenerate with scripts/regen-golden-837p.ts)', () => {
  describe.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', (name, s) => {
    const golden = readFileSync(join(import.meta.dirname, `${name}.edi`), 'utf8');

    it(`writes the golden file byte for byte (${s.description})`, () => {
      expect(write837P(s.batch, s.envelope)).toBe(golden);
    });

    it('reads back with no diagnostic at all', () => {
      const { diagnostics } = read837P(golden);
      expect(diagnostics.map((d) => formatDiagnostic(d, `${name}.edi`))).toEqual([]);
    });

    it('reads back into the same claims', () => {
      const { value } = read837P(golden);
      expect(value.transactions).toHaveLength(1);
      const read = [...(value.transactions[0]?.claims ?? [])]
        .map(withoutLocations)
        .sort((a, b) => key(a).localeCompare(key(b)));
      const built = s.batch.claims.map(withoutLocations).sort((a, b) => key(a).localeCompare(key(b)));
      expect(read).toEqual(built);
      expect(value.transactions[0]?.header).toEqual(s.batch.header);
    });
  });
});

function key(c: unknown): string {
  return (c as Claim837P).claim.patientControlNumber;
}
