/**
 * reports.monthly: the monthly performance package of every practice and the roll-up, for the month just ended
 * (or `payload.month`), written under `<outDir>/reports/`. Re-running rewrites the same files from the same data.
 */
import { writeMonthlyReports } from '@openrcm/engine';
import { timed, type JobContext } from './context.ts';
import type { JobPayload } from './payload.ts';

/** The month before the one `date` (YYYY-MM-DD) falls in, as YYYY-MM. */
export function previousMonth(date: string): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

export async function reportsMonthly(ctx: JobContext, payload: JobPayload): Promise<Record<string, number>> {
  const months = [payload.month ?? previousMonth(ctx.clock.today())];
  const written = await timed(ctx, 'reports', () => writeMonthlyReports(ctx.db, ctx.outDir, months));
  return { months: months.length, files: written.files.length };
}
