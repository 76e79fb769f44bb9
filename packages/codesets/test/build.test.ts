import { mkdtempSync, readdirSync, readFileSync, rmSync, cpSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from '../scripts/build.ts';
import { ByteReader, decodeCode5, CODE5_SPACE, parseTsv } from '../src/codec.ts';

// The real inputs live outside the repository, so the build is exercised here on a few rows of each
// input (test/fixtures/mini-release, same layout and columns).
const FIXTURE = fileURLToPath(new URL('./fixtures/mini-release', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'codesets-build-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const opts = (out: string, extra: { ptpDeletedSince?: string; nuccLicensed?: boolean } = {}) => ({
  from: FIXTURE,
  out: join(scratch, out),
  ptpDeletedSince: extra.ptpDeletedSince ?? '2023-01-01',
  nuccLicensed: extra.nuccLicensed ?? false,
});

const readOut = (dir: string, file: string): string => {
  const raw = readFileSync(join(scratch, dir, file));
  return (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
};

function decodePtp(bytes: Buffer): { pairs: string[]; mods: number[]; deleted: string[] } {
  const r = new ByteReader(bytes);
  const header = JSON.parse(r.line()) as { count: number; dates: string[] };
  let key = 0;
  const keys = Array.from({ length: header.count }, () => (key += r.varint()));
  const mods = [...r.take(header.count)];
  const deleted = keys.map(() => {
    const i = r.varint();
    return i === 0 ? '' : (header.dates[i - 1] ?? '?');
  });
  const pairs = keys.map(
    (k) => `${decodeCode5(Math.floor(k / CODE5_SPACE))}/${decodeCode5(k % CODE5_SPACE)}`,
  );
  return { pairs, mods, deleted };
}

describe('scripts/build.ts on a mini release', () => {
  it('is deterministic: two builds give the same bytes, manifest included', () => {
    const a = build(opts('a'));
    build(opts('b'));
    const files = readdirSync(join(scratch, 'a')).sort();
    expect(files).toEqual(readdirSync(join(scratch, 'b')).sort());
    expect(files).toContain('manifest.json');
    for (const f of files) {
      expect(readFileSync(join(scratch, 'b', f)).equals(readFileSync(join(scratch, 'a', f))), f).toBe(true);
    }
    expect(a.files.map((f) => f.file).sort()).toEqual(files.filter((f) => f !== 'manifest.json'));
  });

  it('keeps active PTP pairs and deletions since the cut-off, ordered by pair then deletion date', () => {
    const ptp = decodePtp(gunzipSync(readFileSync(join(scratch, 'a', 'ptp_practitioner.bin.gz'))));
    expect(ptp.pairs).toEqual([
      '0007U/0328U',
      '0007U/0328U',
      '11042/97597',
      '58573/58570',
      '58573/58570',
      '74710/36591',
    ]);
    expect(ptp.deleted).toEqual(['2023-06-30', '', '', '2024-03-31', '', '2023-12-31']);
    expect(ptp.mods).toEqual([0, 1, 1, 1, 0, 0]);
    build(opts('all-history', { ptpDeletedSince: '1996-01-01' }));
    const all = decodePtp(gunzipSync(readFileSync(join(scratch, 'all-history', 'ptp_practitioner.bin.gz'))));
    expect(all.pairs).toContain('97140/97530');
  });

  it('writes ICD-10-CM statuses per fiscal year and the manifest metadata', () => {
    const icd = parseTsv(readOut('a', 'icd10cm.tsv.gz'));
    expect(icd.header).toEqual(['code', 'status_fy2024_fy2027', 'short_description']);
    expect(icd.rows.find((r) => r[0] === 'G35')?.[1]).toBe('1100');
    expect(icd.rows.find((r) => r[0] === 'E11')?.[1]).toBe('0000');
    const manifest = JSON.parse(readOut('a', 'manifest.json')) as {
      files: Record<string, { rows: number; vintage: string; meta?: Record<string, unknown> }>;
    };
    expect(manifest.files['icd10cm.tsv.gz']?.meta).toEqual({ fiscalYears: [2024, 2025, 2026, 2027] });
    expect(manifest.files['ptp_practitioner.bin.gz']?.meta).toMatchObject({
      droppedOlder: 1,
      deletedKept: 3,
    });
    expect(manifest.files['mue_practitioner.tsv.gz']?.vintage).toBe('2024-07-01');
  });

  it('adds Level II codes seen only in the newer CMS tables; money becomes cents', () => {
    const hcpcs = parseTsv(readOut('a', 'hcpcs_level2.tsv.gz'));
    expect(hcpcs.rows.find((r) => r[0] === 'G2211')?.[7]).toBe('cms-tables');
    expect(hcpcs.rows.find((r) => r[0] === 'G0008')?.[7]).toBe('hcpcs2019');
    const pfs = parseTsv(readOut('a', 'pfs_national.tsv.gz'));
    const row = pfs.rows.find((r) => r[0] === '99213' && r[1] === '');
    expect(row?.slice(7, 9)).toEqual(['9087', '6524']);
  });

  it('ships the NUCC list only with --nucc-licensed, and removes it again without', () => {
    build(opts('nucc', { nuccLicensed: true }));
    expect(parseTsv(readOut('nucc', 'taxonomy_nucc.tsv.gz')).rows).toEqual([
      ['999999999X', 'Synthetic Grouping', 'Synthetic Classification', '', 'Individual'],
    ]);
    build(opts('nucc'));
    expect(readdirSync(join(scratch, 'nucc'))).not.toContain('taxonomy_nucc.tsv.gz');
  });

  it('fails loudly on a malformed input row instead of writing a partial table', () => {
    const bad = join(scratch, 'bad-input');
    cpSync(FIXTURE, bad, { recursive: true });
    const mue = join(bad, 'ncci', 'mue_practitioner_2024-07-01.csv');
    writeFileSync(mue, readFileSync(mue, 'utf8').replace(/^99213,2,3/m, '99213,2,7'));
    expect(() => build({ ...opts('bad-out'), from: bad })).toThrow(/bad MUE row 99213/);
  });
});
