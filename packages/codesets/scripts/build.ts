// Builds packages/codesets/data from the public code-set copies in /work/shared/external/codesets
// (or `--from DIR`, a folder with the same layout holding a newer release).
//
//   npx tsx packages/codesets/scripts/build.ts [--from DIR] [--out DIR] [--ptp-deleted-since YYYY-MM-DD]
//     [--nucc-licensed]   also ship the full NUCC taxonomy list (only for a deployment holding a NUCC licence)
//
// Deterministic: inputs are picked by the vintage in their file names, rows are sorted or kept in source
// order, gzip runs at a fixed level with a zero mtime, and the manifest carries no build time. Same input and
// same Node/zlib → same bytes. The manifest records sha256 of every output (and of its uncompressed content,
// which stays stable even if a different zlib were to compress differently).

import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { encodeCode5, formatTsv, isIsoDate, pairKey, parseTsv, writeVarint } from '../src/codec.ts';
import { readCsvRecords } from './csv.ts';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const DEFAULT_FROM = '/work/shared/external/codesets';
const DEFAULT_OUT = resolve(HERE, '../data');

export interface Options {
  readonly from: string;
  readonly out: string;
  /** PTP pairs whose deletion date is before this are dropped (claims that old are past timely filing). */
  readonly ptpDeletedSince: string;
  /** The operator holds a NUCC licence: ship the full taxonomy list (codes + grouping/classification). */
  readonly nuccLicensed: boolean;
}

function parseArgs(argv: readonly string[]): Options {
  let from = DEFAULT_FROM;
  let out = DEFAULT_OUT;
  let ptpDeletedSince = '2023-01-01';
  let nuccLicensed = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--nucc-licensed') {
      nuccLicensed = true;
      continue;
    }
    const v = argv[i + 1];
    if ((a === '--from' || a === '--out' || a === '--ptp-deleted-since') && v === undefined) {
      throw new Error(`${a} needs a value`);
    }
    if (a === '--from') from = resolve(v ?? '');
    else if (a === '--out') out = resolve(v ?? '');
    else if (a === '--ptp-deleted-since') ptpDeletedSince = v ?? '';
    else throw new Error(`unknown argument ${a ?? ''}`);
    i++;
  }
  if (!isIsoDate(ptpDeletedSince)) throw new Error('--ptp-deleted-since must be YYYY-MM-DD');
  return { from, out, ptpDeletedSince, nuccLicensed };
}

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** gzip with fixed settings; Node writes mtime 0 and no file name, so output depends only on input. */
const gzip = (text: string): Buffer => gzipSync(Buffer.from(text, 'utf8'), { level: 9, memLevel: 9 });

interface SourceRef {
  readonly path: string;
  readonly sha256: string;
}

interface Output {
  readonly file: string;
  readonly content: Buffer;
  readonly compressed: boolean;
  readonly rows: number;
  readonly sources: readonly SourceRef[];
  readonly vintage: string;
  readonly meta?: Record<string, unknown>;
}

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const monthsAsNumbers = (name: string): string =>
  name.replace(/[a-z]+/g, (w) => (MONTHS.includes(w) ? String(MONTHS.indexOf(w) + 1).padStart(2, '0') : w));
const VINTAGE_ORDER = new Intl.Collator('en', { numeric: true, sensitivity: 'variant' });

class Inputs {
  readonly used: SourceRef[] = [];
  constructor(readonly root: string) {}

  /**
   * Newest file in `dir` whose name matches `pattern`, with its capture group 1 as the vintage. Names are
   * compared with numbers read as numbers (v9 < v41) and month names as months (2025_april < 2025_july).
   */
  pick(dir: string, pattern: RegExp): { path: string; vintage: string } {
    const names = readdirSync(join(this.root, dir))
      .filter((n) => pattern.test(n))
      .sort((a, b) => VINTAGE_ORDER.compare(monthsAsNumbers(a), monthsAsNumbers(b)));
    const name = names[names.length - 1];
    if (name === undefined) throw new Error(`no file matching ${String(pattern)} in ${dir}`);
    return { path: join(dir, name), vintage: pattern.exec(name)?.[1] ?? '' };
  }

  read(path: string): { text: string; ref: SourceRef } {
    const raw = readFileSync(join(this.root, path));
    const ref = { path, sha256: sha256(raw) };
    const text = (path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
    return { text, ref };
  }
}

const yyyymmddToIso = (s: string): string => {
  if (s === '' || s === '*') return '';
  const iso = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
  if (s.length !== 8 || !isIsoDate(iso)) throw new Error(`bad YYYYMMDD date ${s}`);
  return iso;
};

const compareRows = <T extends readonly string[]>(a: T, b: T): number => {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? '';
    const y = b[i] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
};

function tsvOutput(
  file: string,
  header: readonly string[],
  rows: readonly (readonly string[])[],
  sources: readonly SourceRef[],
  vintage: string,
  compress: boolean,
  meta?: Record<string, unknown>,
): Output {
  const text = formatTsv(header, rows);
  const content = compress ? gzip(text) : Buffer.from(text, 'utf8');
  return {
    file,
    content,
    compressed: compress,
    rows: rows.length,
    sources,
    vintage,
    ...(meta ? { meta } : {}),
  };
}

// ICD-10-CM: code (no dot), one status character per fiscal year ('1' billable, '0' header, '-' absent),
// CMS short description. FY runs Oct 1 - Sep 30 (FY2025 = dates of service 2024-10-01 .. 2025-09-30).
function buildIcd10cm(inp: Inputs): Output {
  const { path, vintage } = inp.pick('icd10cm', /^icd10cm_codes_(fy\d{4}_fy\d{4})\.tsv\.gz$/);
  const { text, ref } = inp.read(path);
  const src = parseTsv(text);
  const fyCols = src.header.map((h, i) => ({ h, i })).filter(({ h }) => /^fy\d{4}$/.test(h));
  const years = fyCols.map(({ h }) => Number(h.slice(2)));
  years.forEach((y, k) => {
    if (k > 0 && y !== (years[k - 1] ?? 0) + 1) throw new Error('ICD-10-CM fiscal years must be consecutive');
  });
  const codeCol = src.header.indexOf('code');
  const descCol = src.header.indexOf('short_description');
  if (codeCol < 0 || descCol < 0 || years.length === 0) throw new Error('ICD-10-CM file lacks columns');
  const seen = new Set<string>();
  const rows = src.rows.map((r) => {
    const code = r[codeCol] ?? '';
    if (!/^[A-Z][0-9A-Z]{2,6}$/.test(code)) throw new Error(`bad ICD-10-CM code ${code}`);
    if (seen.has(code)) throw new Error(`duplicate ICD-10-CM code ${code}`);
    seen.add(code);
    const status = fyCols
      .map(({ i }) => {
        const v = r[i] ?? '';
        if (v === '1' || v === '0') return v;
        if (v === '') return '-';
        throw new Error(`bad ICD-10-CM status ${v} for ${code}`);
      })
      .join('');
    return [code, status, (r[descCol] ?? '').trim()];
  });
  const first = years[0] ?? 0;
  const last = years[years.length - 1] ?? 0;
  // Tabular (source) order is kept: it is already deterministic and keeps parents before children.
  return tsvOutput(
    'icd10cm.tsv.gz',
    ['code', `status_fy${first}_fy${last}`, 'short_description'],
    rows,
    [ref],
    vintage,
    true,
    { fiscalYears: years },
  );
}

// Medicare Code Editor diagnosis edits (age, sex, manifestation-not-principal) for the MS-DRG version
// named in the file; one row per code with its age category, sex and manifestation flag.
function buildMce(inp: Inputs): Output {
  const { path, vintage } = inp.pick('icd10cm', /^mce_age_sex_edits_msdrg_(v\d+)\.csv$/);
  const { text, ref } = inp.read(path);
  const recs = readCsvRecords(text, ['icd10cm_code', 'edit_group', 'edit_rule']);
  const AGE: Readonly<Record<string, string>> = {
    'Perinatal/Newborn (Age 0 Only)': 'newborn',
    'Pediatric (Ages 0-17)': 'pediatric',
    'Maternity (Ages 9-64)': 'maternity',
    'Adult (Ages 15-124)': 'adult',
  };
  const edits = new Map<string, { age: string; sex: string; manifestation: string }>();
  for (const r of recs) {
    const code = (r.icd10cm_code ?? '').replace('.', '');
    if (!/^[A-Z][0-9A-Z]{2,6}$/.test(code)) throw new Error(`bad MCE code ${r.icd10cm_code ?? ''}`);
    let e = edits.get(code);
    if (!e) edits.set(code, (e = { age: '', sex: '', manifestation: '' }));
    const rule = r.edit_rule ?? '';
    if (r.edit_group === 'Age') {
      const age = AGE[rule];
      if (age === undefined || e.age !== '') throw new Error(`MCE age edit ${rule} for ${code}`);
      e.age = age;
    } else if (r.edit_group === 'Sex') {
      const sex = rule === 'Female Only' ? 'F' : rule === 'Male Only' ? 'M' : '';
      if (sex === '' || e.sex !== '') throw new Error(`MCE sex edit ${rule} for ${code}`);
      e.sex = sex;
    } else if (r.edit_group === 'Other' && rule.startsWith('Manifestation')) {
      e.manifestation = '1';
    } else {
      throw new Error(`unknown MCE edit ${r.edit_group ?? ''} / ${rule}`);
    }
  }
  const rows = [...edits].map(([code, e]) => [code, e.age, e.sex, e.manifestation]).sort(compareRows);
  return tsvOutput(
    'icd10cm_mce_edits.tsv.gz',
    ['code', 'age', 'sex', 'manifestation'],
    rows,
    [ref],
    vintage,
    true,
    {
      msdrgVersion: vintage,
    },
  );
}

// HCPCS Level II: the CMS annual file (procedures and modifiers with dates), plus Level II codes that
// only appear in the newer CMS tables used here (PFS, MUE, add-on edits) so codes created after the
// HCPCS file's year are not reported as non-existent.
function buildHcpcs(
  inp: Inputs,
  newerTables: readonly { codes: Iterable<string>; ref: SourceRef }[],
): Output {
  const { path, vintage } = inp.pick('hcpcs', /^hcpcs_level2_(\d{4})\.csv$/);
  const { text, ref } = inp.read(path);
  const recs = readCsvRecords(text, [
    'code',
    'kind',
    'short_description',
    'added_date',
    'action_effective_date',
    'termination_date',
    'action_code',
  ]);
  const rows: string[][] = [];
  const known = new Set<string>();
  for (const r of recs) {
    const code = r.code ?? '';
    const kind = r.kind === 'modifier' ? 'M' : r.kind === 'procedure' ? 'P' : '';
    if (kind === '') throw new Error(`unknown HCPCS kind ${r.kind ?? ''}`);
    if (known.has(code)) throw new Error(`duplicate HCPCS code ${code}`);
    known.add(code);
    rows.push([
      code,
      kind,
      (r.short_description ?? '').trim(),
      yyyymmddToIso(r.added_date ?? ''),
      yyyymmddToIso(r.action_effective_date ?? ''),
      yyyymmddToIso(r.termination_date ?? ''),
      r.action_code ?? '',
      `hcpcs${vintage}`,
    ]);
  }
  const sources: SourceRef[] = [ref];
  let added = 0;
  for (const t of newerTables) {
    for (const code of t.codes) {
      // Level II procedure codes are a letter and four digits; CPT (incl. Cat II/III, PLA) starts with a digit.
      if (!/^[A-Z][0-9]{4}$/.test(code) || known.has(code)) continue;
      known.add(code);
      added++;
      rows.push([code, 'P', '', '', '', '', '', 'cms-tables']);
    }
    if (!sources.includes(t.ref)) sources.push(t.ref);
  }
  rows.sort(compareRows);
  return tsvOutput(
    'hcpcs_level2.tsv.gz',
    ['code', 'kind', 'short_description', 'added', 'action_effective', 'terminated', 'action', 'source'],
    rows,
    sources,
    vintage,
    true,
    { hcpcsFileYear: Number(vintage), codesOnlyInNewerCmsTables: added },
  );
}

// NCCI PTP practitioner edits as a binary table (see src/ptp.ts for the reader):
//   line 1: JSON header {format, count, dates}
//   count varints: delta-encoded sorted pair keys (column1 * 36^5 + column2)
//   count bytes:   modifier indicator (0, 1 or 9)
//   count varints: deletion date index into header.dates, 0 = active
function buildPtp(inp: Inputs, deletedSince: string): Output {
  const { path, vintage } = inp.pick('ncci', /^ptp_practitioner_(\d{4}-\d{2}-\d{2})\.tsv\.gz$/);
  const { text, ref } = inp.read(path);
  const src = parseTsv(text);
  const [c1, c2, mi, del] = ['column1', 'column2', 'modifier_indicator', 'deletion_date'].map((h) =>
    src.header.indexOf(h),
  ) as [number, number, number, number];
  if ([c1, c2, mi, del].some((i) => i < 0)) throw new Error('PTP file lacks columns');
  const entries: { key: number; mod: number; deleted: string }[] = [];
  let dropped = 0;
  for (const r of src.rows) {
    const a = encodeCode5(r[c1] ?? '');
    const b = encodeCode5(r[c2] ?? '');
    if (a < 0 || b < 0) throw new Error(`PTP code not 5 characters: ${r.join(' ')}`);
    const mod = Number(r[mi]);
    if (mod !== 0 && mod !== 1 && mod !== 9) throw new Error(`bad modifier indicator ${r[mi] ?? ''}`);
    const deleted = yyyymmddToIso(r[del] ?? '');
    if (deleted !== '' && deleted < deletedSince) {
      dropped++;
      continue;
    }
    entries.push({ key: pairKey(a, b), mod, deleted });
  }
  // A pair can have several records: e.g. an edit deleted 2023-06-30 and re-added with another modifier
  // indicator. Records of one pair are kept in deletion-date order, the active one last, so a reader can
  // pick the first record still in force on the date of service (the files carry no effective dates).
  const rank = (d: string): string => (d === '' ? '9999-99-99' : d);
  entries.sort(
    (x, y) =>
      x.key - y.key || (rank(x.deleted) < rank(y.deleted) ? -1 : rank(x.deleted) > rank(y.deleted) ? 1 : 0),
  );
  let multi = 0;
  for (let i = 1; i < entries.length; i++) {
    const [p, q] = [entries[i - 1], entries[i]];
    if (p?.key !== q?.key) continue;
    if (p?.deleted === q?.deleted) throw new Error('PTP pair listed twice with the same deletion date');
    multi++;
  }
  const dates = [...new Set(entries.map((e) => e.deleted).filter((d) => d !== ''))].sort();
  const dateIndex = new Map(dates.map((d, i) => [d, i + 1]));
  const header = JSON.stringify({ format: 'openrcm-ptp', version: 1, count: entries.length, dates });
  const keys: number[] = [];
  let prev = 0;
  for (const e of entries) {
    writeVarint(keys, e.key - prev);
    prev = e.key;
  }
  const idx: number[] = [];
  for (const e of entries) writeVarint(idx, e.deleted === '' ? 0 : (dateIndex.get(e.deleted) ?? 0));
  const body = Buffer.concat([
    Buffer.from(header + '\n', 'utf8'),
    Buffer.from(keys),
    Buffer.from(entries.map((e) => e.mod)),
    Buffer.from(idx),
  ]);
  const content = gzipSync(body, { level: 9, memLevel: 9 });
  const active = entries.filter((e) => e.deleted === '').length;
  return {
    file: 'ptp_practitioner.bin.gz',
    content,
    compressed: true,
    rows: entries.length,
    sources: [ref],
    vintage,
    meta: {
      quarter: vintage,
      deletedSince,
      active,
      deletedKept: entries.length - active,
      droppedOlder: dropped,
      extraRecordsForAPair: multi,
    },
  };
}

function buildMue(inp: Inputs): Output {
  const { path, vintage } = inp.pick('ncci', /^mue_practitioner_(\d{4}-\d{2}-\d{2})\.csv$/);
  const { text, ref } = inp.read(path);
  const recs = readCsvRecords(text, ['hcpcs_code', 'practitioner_mue_value', 'mai', 'mue_rationale']);
  const rows = recs.map((r) => {
    const limit = r.practitioner_mue_value ?? '';
    const mai = r.mai ?? '';
    if (!/^\d+$/.test(limit) || !/^[123]$/.test(mai)) throw new Error(`bad MUE row ${r.hcpcs_code ?? ''}`);
    return [r.hcpcs_code ?? '', limit, mai, (r.mue_rationale ?? '').trim()];
  });
  rows.sort(compareRows);
  return tsvOutput(
    'mue_practitioner.tsv.gz',
    ['code', 'limit', 'mai', 'rationale'],
    rows,
    [ref],
    vintage,
    true,
    {
      quarter: vintage,
    },
  );
}

function buildAddOn(inp: Inputs): Output {
  const { path, vintage } = inp.pick('ncci', /^add_on_code_edits_(\d{4}-\d{2}-\d{2})\.csv$/);
  const { text, ref } = inp.read(path);
  const recs = readCsvRecords(text, ['primary_code', 'add_on_code', 'aoc_edit_type']);
  const rows = recs.map((r) => {
    if (!/^[123]$/.test(r.aoc_edit_type ?? '')) throw new Error(`bad add-on type ${r.aoc_edit_type ?? ''}`);
    return [r.add_on_code ?? '', r.primary_code ?? '', r.aoc_edit_type ?? ''];
  });
  rows.sort(compareRows);
  return tsvOutput('addon_codes.tsv.gz', ['add_on_code', 'primary_code', 'type'], rows, [ref], vintage, true);
}

function buildCarcRarc(inp: Inputs): Output {
  const { path, vintage } = inp.pick('carc', /^carc_rarc_code_inventory_(\d{4}-\d{2})\.csv$/);
  const { text, ref } = inp.read(path);
  const recs = readCsvRecords(text, ['code_type', 'code', 'start_date', 'stop_date']);
  const rows = recs.map((r) => {
    const type = r.code_type ?? '';
    if (type !== 'CARC' && type !== 'RARC') throw new Error(`bad code type ${type}`);
    for (const d of [r.start_date ?? '', r.stop_date ?? ''])
      if (d !== '' && !isIsoDate(d)) throw new Error(`bad date ${d}`);
    return [type, r.code ?? '', r.start_date ?? '', r.stop_date ?? ''];
  });
  return tsvOutput('carc_rarc.tsv', ['type', 'code', 'start', 'stop'], rows, [ref], vintage, false, {
    snapshot: vintage,
  });
}

function buildX12Lists(inp: Inputs): Output {
  const path = 'x12-external-lists/pyx12_external_code_lists.csv';
  const { text, ref } = inp.read(path);
  const recs = readCsvRecords(text, ['codeset_id', 'code']);
  const seen = new Set<string>();
  const rows: string[][] = [];
  for (const r of recs) {
    const key = `${r.codeset_id ?? ''}\t${r.code ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push([r.codeset_id ?? '', (r.code ?? '').trim()]);
  }
  return tsvOutput('x12_external_lists.tsv', ['list', 'code'], rows, [ref], 'pyx12@8893c59', false);
}

/** '90.87' → 9087 without floating point. */
function decimalToCents(s: string): number {
  const m = /^(\d+)\.(\d{2})$/.exec(s);
  if (!m) throw new Error(`bad dollar amount ${s}`);
  return Number(m[1]) * 100 + Number(m[2]);
}

function buildPfs(inp: Inputs): Output {
  const { path, vintage } = inp.pick('pfs', /^pprrvu_(\d{4})_[a-z]+_national\.csv$/);
  const { text, ref } = inp.read(path);
  const recs = readCsvRecords(text, [
    'hcpcs_code',
    'modifier',
    'status_code',
    'work_rvu',
    'nonfac_pe_rvu',
    'facility_pe_rvu',
    'mp_rvu',
    'pctc_ind',
    'global_days',
    'bilat_surg_ind',
    'nonfac_na_ind',
    'facility_na_ind',
    'conversion_factor',
    'national_nonfac_amount',
    'national_facility_amount',
  ]);
  const cfs = new Set(recs.map((r) => r.conversion_factor));
  if (cfs.size !== 1) throw new Error('PFS file has more than one conversion factor');
  const rvu = (s: string | undefined): string => {
    if (!/^\d+(\.\d{1,2})?$/.test(s ?? '')) throw new Error(`bad RVU ${s ?? ''}`);
    return s ?? '';
  };
  // Bilateral surgery indicator: 0 not applicable, 1 150 % payment adjustment, 2 already bilateral, 3 each
  // side priced separately (paired organs, e.g. extremity imaging), 9 concept does not apply.
  const bilateral = (s: string | undefined): string => {
    if (!/^[01239]$/.test(s ?? '')) throw new Error(`bad bilateral surgery indicator ${s ?? ''}`);
    return s ?? '';
  };
  const rows = recs.map((r) => [
    r.hcpcs_code ?? '',
    r.modifier ?? '',
    r.status_code ?? '',
    rvu(r.work_rvu),
    rvu(r.nonfac_pe_rvu),
    rvu(r.facility_pe_rvu),
    rvu(r.mp_rvu),
    String(decimalToCents(r.national_nonfac_amount ?? '')),
    String(decimalToCents(r.national_facility_amount ?? '')),
    r.pctc_ind ?? '',
    r.global_days ?? '',
    r.nonfac_na_ind === 'NA' ? 'NA' : '',
    r.facility_na_ind === 'NA' ? 'NA' : '',
    bilateral(r.bilat_surg_ind),
  ]);
  rows.sort(compareRows);
  return tsvOutput(
    'pfs_national.tsv.gz',
    [
      'code',
      'modifier',
      'status',
      'work_rvu',
      'nonfac_pe_rvu',
      'facility_pe_rvu',
      'mp_rvu',
      'nonfac_cents',
      'facility_cents',
      'pctc',
      'global_days',
      'nonfac_na',
      'facility_na',
      'bilateral',
    ],
    rows,
    [ref],
    vintage,
    true,
    { year: Number(vintage), conversionFactor: [...cfs][0] ?? '' },
  );
}

function buildGpci(inp: Inputs): Output {
  const { path, vintage } = inp.pick('pfs', /^gpci_(\d{4})\.csv$/);
  const { text, ref } = inp.read(path);
  const recs = readCsvRecords(text, [
    'mac',
    'state',
    'locality',
    'locality_name',
    'gpci_work',
    'gpci_pe',
    'gpci_mp',
  ]);
  const rows = recs.map((r) => {
    for (const g of [r.gpci_work, r.gpci_pe, r.gpci_mp]) {
      if (!/^\d+(\.\d{1,3})?$/.test(g ?? '')) throw new Error(`bad GPCI ${g ?? ''}`);
    }
    return [
      r.mac ?? '',
      r.locality ?? '',
      r.state ?? '',
      (r.locality_name ?? '').trim(),
      r.gpci_work ?? '',
      r.gpci_pe ?? '',
      r.gpci_mp ?? '',
    ];
  });
  rows.sort(compareRows);
  return tsvOutput(
    'pfs_gpci.tsv',
    ['mac', 'locality', 'state', 'locality_name', 'work', 'pe', 'mp'],
    rows,
    [ref],
    vintage,
    false,
  );
}

// Taxonomy: only the CMS Medicare specialty ↔ taxonomy crosswalk (a CMS publication) is shipped, as codes
// without NUCC's descriptions. The full NUCC list needs a NUCC licence for commercial use (see SOURCES.md).
function buildTaxonomy(inp: Inputs): Output {
  const { path, vintage } = inp.pick(
    'nucc',
    /^cms_medicare_specialty_taxonomy_crosswalk_(\d{4}-\d{2}-\d{2})\.csv$/,
  );
  const { text, ref } = inp.read(path);
  const recs = readCsvRecords(text, [
    'MEDICARE SPECIALTY CODE',
    'MEDICARE PROVIDER/SUPPLIER TYPE DESCRIPTION',
    'PROVIDER TAXONOMY CODE',
  ]);
  const clean = (s: string | undefined): string => (s ?? '').replace(/[\s\u00a0]+/g, ' ').trim();
  const seen = new Set<string>();
  const rows: string[][] = [];
  let skipped = 0;
  for (const r of recs) {
    const taxonomy = clean(r['PROVIDER TAXONOMY CODE']);
    if (!/^[0-9]{3}[0-9A-Z]{6}X$/.test(taxonomy)) {
      skipped++;
      continue;
    }
    const row = [
      taxonomy,
      clean(r['MEDICARE SPECIALTY CODE']),
      clean(r['MEDICARE PROVIDER/SUPPLIER TYPE DESCRIPTION']),
    ];
    const key = row.join('\t');
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push(row);
  }
  rows.sort(compareRows);
  return tsvOutput(
    'taxonomy_medicare.tsv',
    ['taxonomy', 'medicare_specialty', 'medicare_specialty_description'],
    rows,
    [ref],
    vintage,
    false,
    { rowsWithoutACode: skipped },
  );
}

// Full NUCC list: written only with --nucc-licensed (NUCC requires a licence for commercial use). Codes,
// grouping, classification, specialization and section; no definitions or notes.
function buildNucc(inp: Inputs): Output {
  const { path, vintage } = inp.pick('nucc', /^nucc_taxonomy_(\d+)\.csv$/);
  const { text, ref } = inp.read(path);
  const recs = readCsvRecords(text, ['Code', 'Grouping', 'Classification', 'Specialization', 'Section']);
  const clean = (s: string | undefined): string => (s ?? '').replace(/\s+/g, ' ').trim();
  const rows = recs.map((r) => {
    const code = clean(r.Code);
    if (!/^[0-9]{3}[0-9A-Z]{6}X$/.test(code)) throw new Error(`bad NUCC code ${code}`);
    return [code, clean(r.Grouping), clean(r.Classification), clean(r.Specialization), clean(r.Section)];
  });
  rows.sort(compareRows);
  return tsvOutput(
    'taxonomy_nucc.tsv.gz',
    ['code', 'grouping', 'classification', 'specialization', 'section'],
    rows,
    [ref],
    `v${vintage}`,
    true,
    { licence: 'NUCC licence held by the operator (--nucc-licensed)' },
  );
}

/** What a build wrote: file name, rows and bytes per data file. */
export interface BuildSummary {
  readonly files: readonly { readonly file: string; readonly rows: number; readonly bytes: number }[];
  readonly totalBytes: number;
}

/** Builds every data file from `opts.from` into `opts.out` and writes the manifest. */
export function build(opts: Options): BuildSummary {
  const inp = new Inputs(opts.from);

  const pfs = buildPfs(inp);
  const mue = buildMue(inp);
  const aoc = buildAddOn(inp);
  const column = (o: Output, name: string): string[] => {
    const t = parseTsv((o.compressed ? gunzipSync(o.content) : o.content).toString('utf8'));
    const i = t.header.indexOf(name);
    return t.rows.map((r) => r[i] ?? '');
  };
  const [pfsRef, mueRef, aocRef] = [pfs, mue, aoc].map((o) => o.sources[0]) as [
    SourceRef,
    SourceRef,
    SourceRef,
  ];
  const outputs: Output[] = [
    buildIcd10cm(inp),
    buildMce(inp),
    buildHcpcs(inp, [
      { codes: column(pfs, 'code'), ref: pfsRef },
      { codes: column(mue, 'code'), ref: mueRef },
      { codes: [...column(aoc, 'add_on_code'), ...column(aoc, 'primary_code')], ref: aocRef },
    ]),
    buildPtp(inp, opts.ptpDeletedSince),
    mue,
    aoc,
    buildCarcRarc(inp),
    buildX12Lists(inp),
    pfs,
    buildGpci(inp),
    buildTaxonomy(inp),
    ...(opts.nuccLicensed ? [buildNucc(inp)] : []),
  ];

  mkdirSync(opts.out, { recursive: true });
  // Remove data files from an earlier build that this build does not produce (e.g. the NUCC list after a
  // build without --nucc-licensed), so the folder always equals the manifest.
  const produced = new Set(outputs.map((o) => o.file));
  for (const name of readdirSync(opts.out)) {
    if (/\.(tsv|gz)$/.test(name) && !produced.has(name)) rmSync(join(opts.out, name));
  }
  const files: Record<string, unknown> = {};
  for (const o of outputs) {
    writeFileSync(join(opts.out, o.file), o.content);
    files[o.file] = {
      bytes: o.content.length,
      sha256: sha256(o.content),
      contentSha256: sha256(o.compressed ? gunzipSync(o.content) : o.content),
      rows: o.rows,
      vintage: o.vintage,
      sources: o.sources,
      ...(o.meta ? { meta: o.meta } : {}),
    };
  }
  const manifest = { format: 'openrcm-codesets', version: 1, files };
  writeFileSync(join(opts.out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  const summary = outputs.map((o) => ({ file: o.file, rows: o.rows, bytes: o.content.length }));
  return { files: summary, totalBytes: summary.reduce((t, f) => t + f.bytes, 0) };
}

function main(): void {
  const opts = parseArgs(process.argv.slice(2));
  const summary = build(opts);
  for (const f of summary.files) {
    console.log(
      `${f.file.padEnd(26)} ${String(f.rows).padStart(9)} rows ${String(f.bytes).padStart(10)} bytes`,
    );
  }
  console.log(`total ${summary.totalBytes} bytes in ${relative(process.cwd(), opts.out) || '.'}`);
}

// Run only when executed as a script (the tests import build()).
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
