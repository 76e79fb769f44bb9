// Health care provider taxonomy codes (NUCC code set; 837P PRV03, NPPES). The full NUCC list needs a NUCC
// licence for commercial use, so the package ships only the taxonomy codes that appear in CMS's Medicare
// provider/supplier specialty crosswalk (a CMS publication), without NUCC's descriptions. A code outside
// that subset may still be a valid NUCC code: treat "unknown" as a warning, not an error.

import { columnIndex, lazy, manifest, readDataTsv } from './data.ts';

export interface MedicareSpecialty {
  /** CMS Medicare provider/supplier specialty code (e.g. '11' internal medicine). */
  readonly code: string;
  readonly description: string;
}

const table = lazy((): ReadonlyMap<string, readonly MedicareSpecialty[]> => {
  const tsv = readDataTsv('taxonomy_medicare.tsv');
  const [ti, si, di] = ['taxonomy', 'medicare_specialty', 'medicare_specialty_description'].map((c) =>
    columnIndex(tsv, c),
  ) as [number, number, number];
  const map = new Map<string, MedicareSpecialty[]>();
  for (const r of tsv.rows) {
    const t = r[ti] ?? '';
    let list = map.get(t);
    if (!list) map.set(t, (list = []));
    list.push({ code: r[si] ?? '', description: r[di] ?? '' });
  }
  return map;
});

/** True when `code` has the NUCC taxonomy shape: three digits, six alphanumerics, then X (e.g. 207R00000X). */
export function isTaxonomyWellFormed(code: string): boolean {
  return /^[0-9]{3}[0-9A-Z]{6}X$/.test(code);
}

export interface NuccTaxonomy {
  readonly code: string;
  readonly grouping: string;
  readonly classification: string;
  readonly specialization: string;
  /** 'Individual' or 'Non-Individual'. */
  readonly section: string;
}

const NUCC_FILE = 'taxonomy_nucc.tsv.gz';

// Present only when the data was built with --nucc-licensed by an operator holding a NUCC licence.
const nuccTable = lazy((): ReadonlyMap<string, NuccTaxonomy> | undefined => {
  if (manifest().files[NUCC_FILE] === undefined) return undefined;
  const tsv = readDataTsv(NUCC_FILE);
  const [c, g, k, s, x] = ['code', 'grouping', 'classification', 'specialization', 'section'].map((n) =>
    columnIndex(tsv, n),
  ) as [number, number, number, number, number];
  return new Map(
    tsv.rows.map((r) => [
      r[c] ?? '',
      {
        code: r[c] ?? '',
        grouping: r[g] ?? '',
        classification: r[k] ?? '',
        specialization: r[s] ?? '',
        section: r[x] ?? '',
      },
    ]),
  );
});

/** Which list {@link isKnownTaxonomy} checks: the full NUCC list when licensed and built, else the CMS subset. */
export function taxonomySource(): 'nucc' | 'cms-crosswalk' {
  return nuccTable() ? 'nucc' : 'cms-crosswalk';
}

/** The NUCC entry (grouping, classification, ...) when the licensed NUCC list was built in; else undefined. */
export function nuccTaxonomy(code: string): NuccTaxonomy | undefined {
  return nuccTable()?.get(code);
}

/** True when the taxonomy code is in the shipped list (NUCC if built with a licence, else the CMS subset). */
export function isKnownTaxonomy(code: string): boolean {
  const nucc = nuccTable();
  return nucc ? nucc.has(code) : table().has(code);
}

/** Medicare specialties CMS maps to a taxonomy code (empty when the code is not in the crosswalk). */
export function medicareSpecialtiesFor(code: string): readonly MedicareSpecialty[] {
  return table().get(code) ?? [];
}

/** Every taxonomy code in the shipped subset, sorted. */
export function knownTaxonomyCodes(): readonly string[] {
  return [...table().keys()].sort();
}
