import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../core/diagnostics.ts';
import { CORPUS_DIR, mutationFiles, readCorpus } from '../../test/corpus.ts';
import { read837P } from './read.ts';

// CMS place of service list copied into test/fixtures with its provenance.
const placeOfService = new Set(
  readFileSync(join(CORPUS_DIR, '..', 'fixtures', 'place-of-service.txt'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#')),
);

interface Expected {
  readonly code: string;
  readonly loop: string;
  readonly element?: string;
  readonly segmentId?: string;
}

// Each single-fault file of test/corpus/mutations/837p (see its README) and the located finding it must yield.
const EXPECTED: Readonly<Record<string, Expected>> = {
  '01_se_count_wrong.edi': { code: 'se-count', loop: 'ST', element: 'SE01', segmentId: 'SE' },
  // Located at the N3 that is left without its NM1*85 (where pyx12 reports it too).
  '02_missing_billing_provider_nm1_85.edi': { code: 'missing-segment', loop: '2010AA', segmentId: 'N3' },
  '03_invalid_place_of_service.edi': {
    code: 'invalid-code',
    loop: '2300',
    element: 'CLM05-1',
    segmentId: 'CLM',
  },
  '04_iea_control_number_mismatch.edi': {
    code: 'iea-control-number',
    loop: 'ISA',
    element: 'IEA02',
    segmentId: 'IEA',
  },
  '05_hi_bad_code_qualifier.edi': { code: 'invalid-code', loop: '2300', element: 'HI01-1', segmentId: 'HI' },
  '06_lx_out_of_sequence.edi': { code: 'lx-sequence', loop: '2400', element: 'LX01', segmentId: 'LX' },
  '07_claim_total_not_equal_line_sum.edi': {
    code: 'balance-claim-charge',
    loop: '2300',
    element: 'CLM02',
    segmentId: 'CLM',
  },
  '08_ge_count_wrong.edi': { code: 'ge-count', loop: 'GS', element: 'GE01', segmentId: 'GE' },
  '09_missing_sv1_line_date.edi': { code: 'missing-segment', loop: '2400', segmentId: 'LX' },
  '10_invalid_date.edi': { code: 'invalid-date', loop: '2010BA', element: 'DMG02', segmentId: 'DMG' },
};

function matches(d: Diagnostic, e: Expected): boolean {
  return (
    d.severity === 'error' &&
    d.code === e.code &&
    d.loop === e.loop &&
    (e.element === undefined || d.element === e.element) &&
    (e.segmentId === undefined || d.segmentId === e.segmentId) &&
    d.segmentIndex !== undefined &&
    d.line !== undefined
  );
}

describe('837P single-fault mutations', () => {
  const files = mutationFiles('837p');

  it('covers all ten mutation files', () => {
    expect(files.map((f) => f.split('/').pop())).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(files)('%s yields its located diagnostic', (file) => {
    const name = file.split('/').pop() ?? '';
    const expected = EXPECTED[name];
    expect(expected).toBeDefined();
    if (expected === undefined) return;
    const { diagnostics } = read837P(readCorpus(file), { codeLists: { placeOfService } });
    expect(diagnostics.filter((d) => matches(d, expected))).toHaveLength(1);
  });

  it('the unmutated base file has no error (so each finding is caused by its mutation)', () => {
    const { diagnostics } = read837P(readCorpus('837p/sedi-pass__commercial-health-insurance.edi'), {
      codeLists: { placeOfService },
    });
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('the place of service list is only checked when the caller gives it', () => {
    const { diagnostics } = read837P(readCorpus('mutations/837p/03_invalid_place_of_service.edi'));
    expect(diagnostics.some((d) => d.element === 'CLM05-1')).toBe(false);
  });
});
