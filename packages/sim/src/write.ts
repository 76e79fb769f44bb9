/**
 * Writes a data set as one file per entity (docs/import-format.md): JSON Lines (default) or CSV.
 * Rows are serialized in schema column order, so the bytes depend only on the data. Files are appended
 * to as months arrive, which keeps memory flat for large runs (`generateToDirectory`).
 */
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { generateMonths, generateSetup } from './generate.ts';
import type { GenerateConfig, InjectionStats } from './generate.ts';
import { ENTITIES } from './schema.ts';
import type { EntitySpec, FieldType } from './schema.ts';
import type { Dataset, MonthData, SetupData } from './types.ts';

export const OUTPUT_FORMATS = ['jsonl', 'csv'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface WriteOptions {
  format?: OutputFormat;
}

/** Version of the file format in manifest.json; bump on an incompatible change. */
export const IMPORT_FORMAT_VERSION = 1;

/** Row counts per entity file, as written to manifest.json. */
export type EntityCounts = Record<string, number>;

function csvCell(value: unknown, type: FieldType): string {
  if (value === null || value === undefined) return '';
  let s: string;
  if (type === 'string[]' || type === 'int[]') s = (value as unknown[]).map(String).join('|');
  else if (typeof value === 'boolean') s = value ? 'true' : 'false';
  else if (typeof value === 'string' || typeof value === 'number') s = String(value);
  else s = JSON.stringify(value);
  // RFC 4180: quote cells containing a comma, quote or line break; double the quotes inside.
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function serialize(spec: EntitySpec, row: object, format: OutputFormat): string {
  const r = row as Record<string, unknown>;
  const fields = Object.entries(spec.fields);
  if (format === 'csv') return fields.map(([f, t]) => csvCell(r[f], t)).join(',') + '\n';
  const ordered: Record<string, unknown> = {};
  for (const [f] of fields) ordered[f] = r[f] ?? null;
  return JSON.stringify(ordered) + '\n';
}

/** An append-only writer over one directory: one open file per entity. */
export class DatasetWriter {
  private readonly fds = new Map<string, number>();
  readonly counts: EntityCounts = {};

  constructor(
    readonly dir: string,
    readonly format: OutputFormat = 'jsonl',
  ) {
    mkdirSync(dir, { recursive: true });
    for (const spec of ENTITIES) {
      const fd = openSync(join(dir, `${spec.file}.${format}`), 'w');
      this.fds.set(spec.file, fd);
      this.counts[spec.file] = 0;
      if (format === 'csv') writeSync(fd, Object.keys(spec.fields).join(',') + '\n');
    }
  }

  /** Appends the rows of every entity present in `part` (a SetupData, MonthData or Dataset). */
  write(part: Partial<SetupData & MonthData & Dataset>): void {
    for (const spec of ENTITIES) {
      const rows = part[spec.property] as readonly object[] | undefined;
      if (!rows || rows.length === 0) continue;
      const fd = this.fds.get(spec.file);
      if (fd === undefined) throw new Error('writer is closed');
      // Batch into ~1 MB chunks: one syscall per chunk, not per row.
      let chunk = '';
      for (const row of rows) {
        chunk += serialize(spec, row, this.format);
        if (chunk.length > 1 << 20) {
          writeSync(fd, chunk);
          chunk = '';
        }
      }
      if (chunk) writeSync(fd, chunk);
      this.counts[spec.file] = (this.counts[spec.file] ?? 0) + rows.length;
    }
  }

  /** Closes every file and writes manifest.json (format version, counts, and whatever `extra` holds). */
  close(extra: Record<string, unknown> = {}): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
    const manifest = {
      formatVersion: IMPORT_FORMAT_VERSION,
      format: this.format,
      files: ENTITIES.map((s) => ({
        entity: s.file,
        file: `${s.file}.${this.format}`,
        key: s.key,
        rows: this.counts[s.file] ?? 0,
      })),
      ...extra,
    };
    writeFileSync(join(this.dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  }
}

/** Writes an in-memory data set to `dir` (one file per entity plus manifest.json). */
export function writeDataset(dataset: Dataset, dir: string, options: WriteOptions = {}): EntityCounts {
  const w = new DatasetWriter(dir, options.format ?? 'jsonl');
  w.write(dataset);
  w.close();
  return w.counts;
}

/**
 * What the ground truth implies for claims written straight from the charges (no scrubbing): the
 * share of insured encounters with an expected denial (credentialing holds count, they deny CO-B7 when
 * sent), and with an expected front-end rejection.
 */
export interface ExpectedOutcomes {
  insuredEncounters: number;
  deniedEncounters: number;
  rejectedEncounters: number;
  heldEncounters: number;
  denialRate: number;
  rejectionRate: number;
}

/** Accumulates ExpectedOutcomes over months (or a whole data set). */
export class OutcomeTally {
  private insured = 0;
  private readonly denied = new Set<string>();
  private readonly rejected = new Set<string>();
  private readonly held = new Set<string>();

  add(part: Pick<MonthData, 'encounters' | 'groundTruth'>): void {
    for (const e of part.encounters) if (e.primaryCoverageId !== null) this.insured++;
    for (const g of part.groundTruth) {
      if (g.scope !== 'encounter' || g.encounterId === null) continue;
      if (g.expectedOutcome.startsWith('deny:')) this.denied.add(g.encounterId);
      else if (g.expectedOutcome.startsWith('reject:')) this.rejected.add(g.encounterId);
      else if (g.expectedOutcome.startsWith('hold:')) this.held.add(g.encounterId);
    }
  }

  result(): ExpectedOutcomes {
    const deniedOrHeld = new Set([...this.denied, ...this.held]);
    const n = this.insured;
    return {
      insuredEncounters: n,
      deniedEncounters: this.denied.size,
      rejectedEncounters: this.rejected.size,
      heldEncounters: this.held.size,
      denialRate: n === 0 ? 0 : Math.round((deniedOrHeld.size / n) * 10_000) / 10_000,
      rejectionRate: n === 0 ? 0 : Math.round((this.rejected.size / n) * 10_000) / 10_000,
    };
  }
}

export interface GenerateToDirectoryResult {
  counts: EntityCounts;
  stats: InjectionStats;
  expected: ExpectedOutcomes;
  startDate: string;
  endDate: string;
}

/**
 * Generates and writes month by month, never holding more than one month of activity in memory.
 * `onMonth` is called after each month is written (for progress display).
 * Memory: the setup (patients, coverages, fee schedules) plus one practice-month of activity.
 */
export function generateToDirectory(
  config: GenerateConfig,
  dir: string,
  options: WriteOptions & { onMonth?: (month: string, counts: EntityCounts) => void } = {},
): GenerateToDirectoryResult {
  const state = generateSetup(config);
  const w = new DatasetWriter(dir, options.format ?? 'jsonl');
  const tally = new OutcomeTally();
  w.write(state.setup);
  let current: string | null = null;
  for (const chunk of generateMonths(state)) {
    if (current !== null && chunk.month !== current) options.onMonth?.(current, w.counts);
    current = chunk.month;
    w.write(chunk);
    tally.add(chunk);
  }
  if (current !== null) options.onMonth?.(current, w.counts);
  const expected = tally.result();
  w.close({
    generator: {
      practices: state.config.practices,
      months: state.config.months,
      seed: state.config.seed,
      startDate: state.config.startDate,
      endDate: state.endDate,
      specialties: state.config.specialties,
      volume: state.config.volume,
      errorRates: state.config.errorRates,
    },
    injected: state.stats,
    expectedUnscrubbed: expected,
  });
  return {
    counts: w.counts,
    stats: state.stats,
    expected,
    startDate: state.config.startDate,
    endDate: state.endDate,
  };
}
