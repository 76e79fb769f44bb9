import type { Queryable } from '@openrcm/db';

/** A column of a bulk insert: its name, the Postgres type of its parameter array, and how to select it. */
export interface Column {
  readonly name: string;
  /** Element type of the parameter array, e.g. `bigint`, `text`, `date`, `timestamptz`, `boolean`. */
  readonly type: string;
  /** Lists travel as comma-joined text and are rebuilt here (unnest cannot take an array of arrays). */
  readonly list?: 'text[]' | 'smallint[]';
}

const CHUNK = 2000;

/**
 * Inserts rows with one statement per chunk (`INSERT … SELECT FROM unnest(arrays)`), skipping rows whose
 * natural key already exists (`ON CONFLICT (key) DO NOTHING`, so a re-import changes nothing). Returns how
 * many rows were inserted. Works the same on PostgreSQL and PGlite.
 */
export async function bulkInsert(
  tx: Queryable,
  table: string,
  columns: readonly Column[],
  rows: readonly (readonly unknown[])[],
  conflict: string,
): Promise<number> {
  let inserted = 0;
  const names = columns.map((c) => c.name).join(', ');
  const select = columns
    .map((c) =>
      c.list === undefined
        ? c.name
        : `CASE WHEN ${c.name} IS NULL THEN NULL ELSE string_to_array(${c.name}, ',')::${c.list} END`,
    )
    .join(', ');
  const unnest = columns.map((c, i) => `$${i + 1}::${c.list === undefined ? c.type : 'text'}[]`).join(', ');
  const sql = `INSERT INTO ${table} (${names}) SELECT ${select} FROM unnest(${unnest}) AS t(${names}) ON CONFLICT ${conflict} DO NOTHING`;
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK);
    const params = columns.map((c, i) =>
      chunk.map((r) => {
        const v = r[i];
        if (c.list !== undefined && Array.isArray(v)) return v.join(',');
        return v ?? null;
      }),
    );
    const res = await tx.query(sql, params);
    inserted += res.rowCount;
  }
  return inserted;
}

/** Loads `external_id → id` for a practice-owned table, keyed `practiceId|externalId`. */
export async function externalIds(
  tx: Queryable,
  table: string,
  practiceIds: readonly number[],
): Promise<Map<string, number>> {
  const map = new Map<string, number>();
  if (practiceIds.length === 0) return map;
  const res = await tx.query<{ id: number; practice_id: number; external_id: string }>(
    `SELECT id, practice_id, external_id FROM ${table} WHERE practice_id = ANY($1::bigint[]) AND external_id IS NOT NULL`,
    [practiceIds],
  );
  for (const r of res.rows) map.set(`${r.practice_id}|${r.external_id}`, r.id);
  return map;
}
