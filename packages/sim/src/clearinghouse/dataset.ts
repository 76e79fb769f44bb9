/**
 * Reads what the payer worlds need from a data set directory written by `openrcm sim generate`
 * (docs/import-format.md): manifest.json plus one JSON Lines or CSV file per entity. Only the payers'
 * knowledge is loaded (setup entities and authorizations), not the encounters.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENTITIES } from '../schema.ts';
import type { EntitySpec, FieldType } from '../schema.ts';
import type { Authorization, Dataset, SetupData } from '../types.ts';

/** The payers' side of a data set, as `SimClearinghouse` takes it. */
export type PayerKnowledge = SetupData & { authorizations: Authorization[] };

interface Manifest {
  format?: string;
  generator?: { startDate?: string; endDate?: string; seed?: number | string };
}

/** Splits CSV text into rows of cells (RFC 4180: quoted cells, doubled quotes, CRLF or LF). */
function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (quoted) {
      if (ch === '"' && text.charAt(i + 1) === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text.charAt(i + 1) === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

function csvValue(cell: string, type: FieldType): unknown {
  if (type === 'string[]') return cell === '' ? [] : cell.split('|');
  if (type === 'int[]') return cell === '' ? [] : cell.split('|').map(Number);
  if (cell === '') return type === 'string' ? '' : null;
  if (type === 'int' || type === 'cents') return Number(cell);
  if (type === 'bool') return cell === 'true';
  return cell;
}

function readEntity(dir: string, spec: EntitySpec, format: string): Record<string, unknown>[] {
  const file = join(dir, `${spec.file}.${format}`);
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  if (format === 'csv') {
    const [header, ...rows] = csvRows(text);
    if (!header) return [];
    return rows
      .filter((r) => r.length > 1 || (r[0] ?? '') !== '')
      .map((r) => {
        const o: Record<string, unknown> = {};
        header.forEach((f, i) => {
          o[f] = csvValue(r[i] ?? '', spec.fields[f] ?? 'string');
        });
        return o;
      });
  }
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

const PAYER_SIDE: readonly (keyof Dataset)[] = [
  'organizations',
  'practices',
  'providers',
  'locations',
  'payers',
  'practicePayers',
  'enrollments',
  'feeSchedules',
  'chargeMaster',
  'patients',
  'coverages',
  'legacyAr',
  'groundTruth',
  'authorizations',
];

/** Loads the payers' knowledge from a generated data set directory; throws when it is not one. */
export function loadPayerKnowledge(dir: string): {
  data: PayerKnowledge;
  startDate: string | null;
  /** The generator seed from manifest.json, when the data set was generated (null for `writeDataset`). */
  seed: number | string | null;
} {
  const manifestFile = join(dir, 'manifest.json');
  if (!existsSync(manifestFile))
    throw new Error('data directory has no manifest.json (run openrcm sim generate)');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
  const format = manifest.format === 'csv' ? 'csv' : 'jsonl';
  const data: Record<string, unknown[]> = {};
  for (const spec of ENTITIES) {
    if (!PAYER_SIDE.includes(spec.property)) continue;
    data[spec.property] = readEntity(dir, spec, format);
  }
  // Without generator metadata (writeDataset), the earliest date of service stands in.
  let startDate = manifest.generator?.startDate ?? null;
  if (startDate === null) {
    const spec = ENTITIES.find((e) => e.property === 'encounters');
    const dates = spec ? readEntity(dir, spec, format).map((e) => String(e['dateOfService'])) : [];
    startDate = dates.reduce<string | null>((m, d) => (m === null || d < m ? d : m), null);
  }
  const seed = manifest.generator?.seed;
  return {
    data: data as unknown as PayerKnowledge,
    startDate,
    seed: typeof seed === 'number' || typeof seed === 'string' ? seed : null,
  };
}

/** The generator's start date and seed from a data set's manifest.json (null when not generated). */
export function datasetOrigin(dir: string): { startDate: string; seed: number | string } | null {
  const file = join(dir, 'manifest.json');
  if (!existsSync(file)) return null;
  const g = (JSON.parse(readFileSync(file, 'utf8')) as Manifest).generator;
  const seed = g?.seed;
  if (typeof g?.startDate !== 'string' || (typeof seed !== 'number' && typeof seed !== 'string')) return null;
  return { startDate: g.startDate, seed };
}

/** The whole data set (encounters and charges too), for `sim adjudicate --data` without an 837. */
export function loadDataset(dir: string): Dataset {
  if (!existsSync(join(dir, 'manifest.json')))
    throw new Error('data directory has no manifest.json (run openrcm sim generate)');
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  const format = manifest.format === 'csv' ? 'csv' : 'jsonl';
  const data: Record<string, unknown[]> = {};
  for (const spec of ENTITIES) data[spec.property] = readEntity(dir, spec, format);
  return data as unknown as Dataset;
}
