/**
 * A normalized, engine-independent dump of the public schema: tables, columns (type, nullability,
 * default, identity), constraints, indexes, triggers, functions and sequences, one line each,
 * sorted. Used to prove PGlite (PostgreSQL 17+ in WASM) and the server (PostgreSQL 15+) end up with
 * the same schema, and to keep a committed snapshot (`schema/catalog.txt`) reviewed in diffs.
 */
import { createHash } from 'node:crypto';
import type { Queryable } from './db.ts';

export async function schemaCatalog(q: Queryable): Promise<string[]> {
  const lines: string[] = [];
  const columns = await q.query<{
    t: string;
    c: string;
    ty: string;
    nn: boolean;
    def: string | null;
    ident: string;
  }>(
    `SELECT c.relname AS t, a.attname AS c, format_type(a.atttypid, a.atttypmod) AS ty, a.attnotnull AS nn,
            pg_get_expr(d.adbin, d.adrelid) AS def, a.attidentity::text AS ident
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped`,
  );
  for (const r of columns.rows) {
    lines.push(
      `column ${r.t}.${r.c} ${r.ty}${r.nn ? ' not null' : ''}${r.def ? ` default ${r.def}` : ''}${
        r.ident ? ` identity ${r.ident}` : ''
      }`,
    );
  }
  // contype 'n' (named NOT NULL constraints) exists only from PostgreSQL 18: nullability is
  // already covered by the column lines.
  const constraints = await q.query<{ t: string; name: string; def: string }>(
    `SELECT c.relname AS t, k.conname AS name, pg_get_constraintdef(k.oid) AS def
       FROM pg_constraint k
       JOIN pg_class c ON c.oid = k.conrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND k.contype <> 'n'`,
  );
  for (const r of constraints.rows) lines.push(`constraint ${r.t}.${r.name} ${r.def}`);
  const indexes = await q.query<{ name: string; def: string }>(
    `SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE schemaname = 'public'`,
  );
  for (const r of indexes.rows) lines.push(`index ${r.name} ${r.def}`);
  const triggers = await q.query<{ t: string; name: string; def: string }>(
    `SELECT c.relname AS t, g.tgname AS name, pg_get_triggerdef(g.oid) AS def
       FROM pg_trigger g
       JOIN pg_class c ON c.oid = g.tgrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND NOT g.tgisinternal`,
  );
  for (const r of triggers.rows) lines.push(`trigger ${r.t}.${r.name} ${r.def}`);
  const functions = await q.query<{ name: string; args: string; src: string }>(
    `SELECT p.proname AS name, pg_get_function_identity_arguments(p.oid) AS args, p.prosrc AS src
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = 'public'`,
  );
  for (const r of functions.rows) {
    lines.push(
      `function ${r.name}(${r.args}) sha256:${createHash('sha256').update(r.src).digest('hex').slice(0, 16)}`,
    );
  }
  const sequences = await q.query<{ name: string; min: string; max: string; cycle: boolean }>(
    `SELECT sequencename AS name, min_value::text AS min, max_value::text AS max, cycle FROM pg_sequences
      WHERE schemaname = 'public'`,
  );
  for (const r of sequences.rows) {
    lines.push(`sequence ${r.name} ${r.min}..${r.max}${r.cycle ? ' cycle' : ''}`);
  }
  return lines.sort();
}
