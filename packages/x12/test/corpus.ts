import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The public X12 conformance corpus copied into test/corpus (see test/corpus/SOURCES.md). */
export const CORPUS_DIR = join(import.meta.dirname, 'corpus');

export interface CorpusEntry {
  /** Path relative to the corpus folder, e.g. `835/sedi-pass__era-sample.edi`. */
  readonly file: string;
  readonly verdict: string;
  /** GS08 / implementation guide id as found. */
  readonly version: string;
  readonly functionalId: string;
  readonly bom: boolean;
}

/** The MANIFEST rows (one per corpus file, mutations excluded). */
export function corpusManifest(): CorpusEntry[] {
  const lines = readFileSync(join(CORPUS_DIR, 'MANIFEST.tsv'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  const header = (lines[0] ?? '').split('\t');
  const col = (name: string): number => header.indexOf(name);
  return lines.slice(1).map((line) => {
    const f = line.split('\t');
    return {
      file: f[col('file')] ?? '',
      verdict: f[col('verdict')] ?? '',
      version: f[col('gs08')] ?? '',
      functionalId: f[col('gs01')] ?? '',
      bom: (f[col('bom')] ?? '0') === '1',
    };
  });
}

/** Whether the MANIFEST says independent validators accept the file as is. */
export function isClean(e: CorpusEntry): boolean {
  return e.verdict === 'clean' || e.verdict.startsWith('clean (');
}

export function readCorpus(file: string): string {
  return readFileSync(join(CORPUS_DIR, file), 'utf8');
}

export function mutationFiles(kind: '835' | '837p'): string[] {
  return readdirSync(join(CORPUS_DIR, 'mutations', kind))
    .filter((f) => f.endsWith('.edi'))
    .sort()
    .map((f) => join('mutations', kind, f));
}
