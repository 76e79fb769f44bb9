// Reading the committed data files. Everything the package needs at run time lives in ../data (inside the
// repository); nothing outside it is read. Tables load on first use and stay in memory.

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parseTsv } from './codec.ts';
import type { Tsv } from './codec.ts';

/** Folder holding the committed data files (packages/codesets/data). */
export const DATA_DIR = new URL('../data/', import.meta.url);

/** Raw bytes of a data file, gunzipped when its name ends in .gz. */
export function readDataBytes(file: string): Buffer {
  const raw = readFileSync(new URL(file, DATA_DIR));
  return file.endsWith('.gz') ? gunzipSync(raw) : raw;
}

/** A data file parsed as the build's TSV layout. */
export function readDataTsv(file: string): Tsv {
  return parseTsv(readDataBytes(file).toString('utf8'));
}

/** Column index by name; throws if the data file lacks it (a build/reader mismatch). */
export function columnIndex(tsv: Tsv, name: string): number {
  const i = tsv.header.indexOf(name);
  if (i < 0) throw new Error(`code-set data file lacks column ${name}`);
  return i;
}

/** Memoizes a loader: the table is built on the first call and shared afterwards. */
export function lazy<T>(load: () => T): () => T {
  let value: T | undefined;
  let loaded = false;
  return () => {
    if (!loaded) {
      value = load();
      loaded = true;
    }
    return value as T;
  };
}

export interface ManifestFile {
  readonly bytes: number;
  readonly sha256: string;
  readonly contentSha256: string;
  readonly rows: number;
  readonly vintage: string;
  readonly sources: readonly { readonly path: string; readonly sha256: string }[];
  readonly meta?: Readonly<Record<string, unknown>>;
}

export interface Manifest {
  readonly format: string;
  readonly version: number;
  readonly files: Readonly<Record<string, ManifestFile>>;
}

/** The build manifest: every data file with its size, sha256, row count, vintage and sources. */
export const manifest = lazy((): Manifest => {
  const text = readFileSync(new URL('manifest.json', DATA_DIR), 'utf8');
  return JSON.parse(text) as Manifest;
});

/** Metadata the build recorded for one data file. */
export function fileMeta(file: string): Readonly<Record<string, unknown>> {
  const entry = manifest().files[file];
  if (!entry) throw new Error(`code-set data file ${file} is not in the manifest`);
  return entry.meta ?? {};
}

/** Vintage of every shipped data file (e.g. `ptp_practitioner.bin.gz` → `2024-07-01`), for "code sets as of" notes. */
export function dataVintages(): Readonly<Record<string, string>> {
  return Object.fromEntries(Object.entries(manifest().files).map(([file, f]) => [file, f.vintage]));
}
