/**
 * db.analyze: refreshes the planner statistics (ANALYZE) so the set-based queries of the other jobs keep their
 * plans as the tables grow — what autovacuum does on a server, and what the embedded database never does alone.
 */
import { timed, type JobContext } from './context.ts';

export async function dbAnalyze(ctx: JobContext): Promise<Record<string, number>> {
  await timed(ctx, 'analyze', () => ctx.db.exec('ANALYZE'));
  return { analyzed: 1 };
}
