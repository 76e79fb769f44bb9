/**
 * `openrcm report monthly|rollup|drill`: the monthly performance report of a practice (issue 8 §3), the billing
 * company's roll-up, and the claims behind any figure.
 */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { formatCents, isCalendarDate, type CalendarDate, type Cents } from '@openrcm/core';
import { practiceScope } from '@openrcm/db';
import {
  drillClaimIds,
  drillMetrics,
  drillRows,
  monthPeriod,
  monthlyReport,
  renderReport,
  rollupReport,
  REPORT_FORMATS,
  type ReportFormat,
} from '@openrcm/engine';
import { invalid } from '../args.ts';
import type { CliContext } from '../context.ts';
import { practiceByCode } from '../practices.ts';

function checkMonth(month: string): string {
  try {
    monthPeriod(month);
  } catch {
    throw invalid(`--month must be YYYY-MM, got ${month}`);
  }
  return month;
}

/** The report's as-of day: `--as-of`, else the due date (5 business days after month end), never after today. */
function asOfOptions(
  month: string,
  asOf: string | undefined,
  today: CalendarDate,
): { asOf?: CalendarDate; today: CalendarDate } {
  if (asOf === undefined) return { today };
  if (!isCalendarDate(asOf)) throw invalid(`--as-of must be YYYY-MM-DD, got ${asOf}`);
  if (asOf < monthPeriod(month).to) throw invalid(`--as-of must be on or after the month's last day`);
  return { asOf, today };
}

const AS_OF_HELP =
  'what the report knows: events up to the end of this day (default: the due date, 5 business days after month end, or today if earlier)';

function checkFormat(format: string): ReportFormat {
  if (!(REPORT_FORMATS as readonly string[]).includes(format)) {
    throw invalid(`--format must be one of ${REPORT_FORMATS.join(', ')}`);
  }
  return format as ReportFormat;
}

export function register(program: Command, ctx: CliContext): void {
  const report = program.command('report').description('monthly performance reports');

  const emit = async (
    body: string | Buffer,
    out: string | undefined,
    format: ReportFormat,
  ): Promise<void> => {
    if (out !== undefined) {
      await writeFile(out, body);
      ctx.output().message(`wrote ${out}`);
    } else if (format === 'pdf') {
      throw invalid('--format pdf needs --out FILE');
    } else {
      ctx.stdout.write(typeof body === 'string' ? body : body.toString('utf8'));
    }
  };

  report
    .command('monthly')
    .description('the monthly performance report of one practice')
    .requiredOption('--practice <code>', 'practice code')
    .requiredOption('--month <YYYY-MM>', 'the month')
    .option('--format <format>', `one of ${REPORT_FORMATS.join(', ')}`, 'html')
    .option('--out <file>', 'write to this file (required for pdf)')
    .option('--as-of <YYYY-MM-DD>', AS_OF_HELP)
    .action(async (o: { practice: string; month: string; format: string; out?: string; asOf?: string }) => {
      const month = checkMonth(o.month);
      const format = checkFormat(o.format);
      const when = asOfOptions(month, o.asOf, ctx.clock.today());
      await ctx.withDb(async (db) => {
        const p = await practiceByCode(db, o.practice);
        const r = await monthlyReport(db, practiceScope(p.id), month, when);
        await emit(await renderReport(r, format), o.out, format);
      });
    });

  report
    .command('rollup')
    .description('the billing company roll-up across practices')
    .requiredOption('--month <YYYY-MM>', 'the month')
    .option('--format <format>', `one of ${REPORT_FORMATS.join(', ')}`, 'html')
    .option('--out <file>', 'write to this file (required for pdf)')
    .option('--as-of <YYYY-MM-DD>', AS_OF_HELP)
    .action(async (o: { month: string; format: string; out?: string; asOf?: string }) => {
      const month = checkMonth(o.month);
      const format = checkFormat(o.format);
      const when = asOfOptions(month, o.asOf, ctx.clock.today());
      await ctx.withDb(async (db) => {
        const { rollup } = await rollupReport(db, month, when);
        await emit(await renderReport(rollup, format), o.out, format);
      });
    });

  report
    .command('drill')
    .description('the claims behind one figure of the monthly report (--metric list shows the names)')
    .requiredOption(
      '--metric <name>',
      'figure key (e.g. denial_rate), denial_reason:CO-197, denial_payer:NAME, or "list"',
    )
    .requiredOption('--practice <code>', 'practice code')
    .requiredOption('--month <YYYY-MM>', 'the month')
    .option('--as-of <YYYY-MM-DD>', AS_OF_HELP)
    .action(async (o: { metric: string; practice: string; month: string; asOf?: string }) => {
      const month = checkMonth(o.month);
      const when = asOfOptions(month, o.asOf, ctx.clock.today());
      await ctx.withDb(async (db) => {
        const p = await practiceByCode(db, o.practice);
        const scope = practiceScope(p.id);
        const r = await monthlyReport(db, scope, month, when);
        if (o.metric === 'list') {
          ctx.output().records(
            drillMetrics(r).map((metric) => ({ metric })),
            [{ header: 'METRIC', value: (x) => x.metric }],
          );
          return;
        }
        const ids = drillClaimIds(r, o.metric);
        if (ids === undefined) throw invalid(`--metric: no metric ${o.metric} (try --metric list)`);
        // Open AR as of the month end, where the report's balances are.
        const rows = await drillRows(db, scope, ids, r.balancesAsOf);
        ctx.output().records(rows, [
          { header: 'CLAIM', value: (x) => x.claimId },
          { header: 'PCN', value: (x) => x.patientControlNumber },
          { header: 'PAYER', value: (x) => x.payer },
          { header: 'STATUS', value: (x) => x.status },
          { header: 'DOS', value: (x) => x.serviceDate },
          { header: 'CHARGE', value: (x) => formatCents(x.chargeCents as Cents) },
          { header: 'OPEN AR', value: (x) => formatCents(x.openArCents as Cents) },
        ]);
      });
    });
}
