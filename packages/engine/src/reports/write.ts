/**
 * Writes the monthly package for every practice (and the roll-up) to disk, for the demo and the monthly job:
 * `<outDir>/reports/<practice code>/<YYYY-MM>.{html,pdf,json,csv}` and `<outDir>/reports/rollup/<YYYY-MM>.*`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Queryable } from '@openrcm/db';
import { rollupReport } from './monthly.ts';
import { renderCsv, renderHtml, renderJson, renderPdf } from './render.ts';

export interface WrittenReports {
  /** Every file written, relative to `outDir`. */
  readonly files: readonly string[];
}

/** Writes every practice's report and the roll-up for each month (`YYYY-MM`). */
export async function writeMonthlyReports(
  db: Queryable,
  outDir: string,
  months: readonly string[],
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
  for (const month of months) {
    const { rollup, reports } = await rollupReport(db, month);
    for (const r of reports) await write(r.practice.code, month, r);
    await write('rollup', month, rollup);
  }
  return { files };
}
