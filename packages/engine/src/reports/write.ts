/**
 * Writes the monthly package for every practice (and the roll-up) to disk, for the demo and the monthly job:
 * `<outDir>/reports/<practice code>/<YYYY-MM>.{html,pdf,json,csv}` and `<outDir>/reports/rollup/<YYYY-MM>.*`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compareDates, type CalendarDate } from '@openrcm/core';
import type { Queryable } from '@openrcm/db';
import { loadFactSource } from './facts-db.ts';
import { monthPeriod, reportAsOf, rollupReport, type ReportOptions } from './monthly.ts';
import { renderCsv, renderHtml, renderJson, renderPdf } from './render.ts';

export interface WrittenReports {
  /** Every file written, relative to `outDir`. */
  readonly files: readonly string[];
}

/**
 * Writes every practice's report and the roll-up for each month (`YYYY-MM`). The rows behind every report are read
 * once, for all practices, up to the latest as-of day; each report's facts are then built in memory.
 */
export async function writeMonthlyReports(
  db: Queryable,
  outDir: string,
  months: readonly string[],
  options: Pick<ReportOptions, 'today'> = {},
): Promise<WrittenReports> {
  const files: string[] = [];
  const write = async (dir: string, month: string, r: Parameters<typeof renderJson>[0]): Promise<void> => {
    const rel = join('reports', dir);
    await mkdir(join(outDir, rel), { recursive: true });
    const out: [string, string | Buffer][] = [
      [`${month}.html`, renderHtml(r)],
      [`${month}.json`, renderJson(r)],
      [`${month}.csv`, renderCsv(r)],
      [`${month}.pdf`, await renderPdf(r)],
    ];
    for (const [name, body] of out) {
      await writeFile(join(outDir, rel, name), body);
      files.push(join(rel, name));
    }
  };
  const asOfs = months.map((m) => reportAsOf(monthPeriod(m), options));
  const until = asOfs.reduce<CalendarDate | undefined>(
    (m, d) => (m === undefined || compareDates(d, m) > 0 ? d : m),
    undefined,
  );
  const practices = await db.query<{ id: number }>('SELECT id FROM practices ORDER BY id');
  const source =
    until === undefined
      ? undefined
      : await loadFactSource(
          db,
          practices.rows.map((p) => p.id),
          until,
        );
  for (const [i, month] of months.entries()) {
    const asOf = asOfs[i];
    const { rollup, reports } = await rollupReport(db, month, {
      ...(asOf === undefined ? {} : { asOf }),
      ...(source === undefined ? {} : { source }),
    });
    for (const r of reports) await write(r.practice.code, month, r);
    await write('rollup', month, rollup);
  }
  return { files };
}
