import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DATA_DIR, manifest } from '@openrcm/codesets';
import { ByteReader, decodeCode5, encodeCode5, pairKey, writeVarint } from '../src/codec.ts';

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const DOCS = new Set(['manifest.json', 'SOURCES.md']);

// The build needs /work/shared (not available in CI), so instead of rebuilding we check that the
// committed files are exactly the ones the build recorded.
describe('committed data matches the build manifest', () => {
  const m = manifest();
  const onDisk = readdirSync(DATA_DIR)
    .filter((f) => !DOCS.has(f))
    .sort();

  it('lists exactly the data files present', () => {
    expect(Object.keys(m.files).sort()).toEqual(onDisk);
  });

  it.each(onDisk)('%s has the recorded size and sha256 (file and content)', (file) => {
    const bytes = readFileSync(new URL(file, DATA_DIR));
    const entry = m.files[file];
    expect(bytes.length).toBe(entry?.bytes);
    expect(sha256(bytes)).toBe(entry?.sha256);
    expect(sha256(file.endsWith('.gz') ? gunzipSync(bytes) : bytes)).toBe(entry?.contentSha256);
  });

  it('gzip files carry no timestamp (deterministic build)', () => {
    for (const file of onDisk.filter((f) => f.endsWith('.gz'))) {
      const bytes = readFileSync(new URL(file, DATA_DIR));
      expect(bytes.readUInt32LE(4), file).toBe(0);
    }
  });

  it('stays well under 15 MB', () => {
    const total = Object.values(m.files).reduce((s, f) => s + f.bytes, 0);
    expect(total).toBeLessThan(15 * 1024 * 1024);
  });

  it('SOURCES.md names every data file', () => {
    const sources = readFileSync(new URL('SOURCES.md', DATA_DIR), 'utf8');
    for (const file of onDisk) expect(sources, file).toContain(file);
  });
});

describe('codec', () => {
  const code5 = fc.stringMatching(/^[0-9A-Z]{5}$/);

  it('5-character codes round-trip and keep their order', () => {
    fc.assert(
      fc.property(code5, code5, (a, b) => {
        expect(decodeCode5(encodeCode5(a))).toBe(a);
        expect(Math.sign(encodeCode5(a) - encodeCode5(b))).toBe(a < b ? -1 : a > b ? 1 : 0);
      }),
    );
    expect(encodeCode5('9921')).toBe(-1);
    expect(encodeCode5('9921a')).toBe(-1);
  });

  it('pair keys are exact and ordered by column 1 then column 2', () => {
    fc.assert(
      fc.property(code5, code5, code5, code5, (a, b, c, d) => {
        const k1 = pairKey(encodeCode5(a), encodeCode5(b));
        const k2 = pairKey(encodeCode5(c), encodeCode5(d));
        expect(Number.isSafeInteger(k1)).toBe(true);
        const expected = a + b < c + d ? -1 : a + b > c + d ? 1 : 0;
        expect(Math.sign(k1 - k2)).toBe(expected);
      }),
    );
  });

  it('varints round-trip up to 2^53', () => {
    fc.assert(
      fc.property(fc.array(fc.maxSafeNat()), (values) => {
        const out: number[] = [];
        for (const v of values) writeVarint(out, v);
        const r = new ByteReader(Uint8Array.from(out));
        expect(values.map(() => r.varint())).toEqual(values);
        expect(r.offset).toBe(out.length);
      }),
    );
  });
});

describe('vintages', () => {
  it('reports the vintage of each data file', async () => {
    const { dataVintages } = await import('@openrcm/codesets');
    expect(dataVintages()).toMatchObject({
      'icd10cm.tsv.gz': 'fy2024_fy2027',
      'ptp_practitioner.bin.gz': '2024-07-01',
      'mue_practitioner.tsv.gz': '2024-07-01',
      'pfs_national.tsv.gz': '2024',
      'carc_rarc.tsv': '2024-06',
    });
  });
});
