/**
 * db.analyze: refreshes the planner statistics of the tables that changed enough since their last ANALYZE —
 * autovacuum's own rule (more than 50 + 10 % of the table's rows inserted, updated or deleted) — so the
 * set-based queries of the other jobs keep good plans as the tables grow. On a server autovacuum usually got
 * there first and this finds little to do; the embedded database has no autovacuum, so this is its only one.
 * Tables that did not change are not re-read: a run costs in proportion to what changed.
 */
import { timed, type JobContext } from './context.ts';

type TableRow = { schema: string; name: string };

export async function dbAnalyze(ctx: JobContext): Promise<Record<string, number>> {
  return timed(ctx, 'analyze', async () => {
    // Counters are flushed to the statistics system at the end of a statement batch; make this one current.
    await ctx.db.query('SELECT pg_stat_force_next_flush()');
    const due = await ctx.db.query<TableRow>(
      `SELECT schemaname AS schema, relname AS name FROM pg_stat_user_tables
        WHERE n_mod_since_analyze > 50 + 0.1 * n_live_tup
        ORDER BY schemaname, relname`,
    );
    if (due.rows.length === 0) return { tables: 0 };
    const quote = (id: string): string => `"${id.replace(/"/g, '""')}"`;
    await ctx.db.exec(`ANALYZE ${due.rows.map((t) => `${quote(t.schema)}.${quote(t.name)}`).join(', ')}`);
    return { tables: due.rows.length };
  });
}
