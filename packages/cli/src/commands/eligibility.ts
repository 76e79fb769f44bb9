/** `openrcm eligibility run|report|check|accept`: the schedule-driven 270/271 checks (issue 7). */
import { writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { dateInZone, parseDate, registerErrors, type CalendarDate, type Instant } from '@openrcm/core';
import { practiceScope, type Db } from '@openrcm/db';
import {
  eligibilityReport,
  expireChecks,
  ingestEligibilityResponses,
  planChecks,
  reportCsv,
  reportHtml,
  sendChecks,
  transportFor,
  type ClearinghouseTransport,
} from '@openrcm/engine';
import { positiveInt } from '../args.ts';
import type { CliContext } from '../context.ts';
import { practiceByCode, practicesByCode } from '../practices.ts';

const eligibilityError = registerErrors({
  'eligibility.not_found': {
    retryable: false,
    summary: 'no such eligibility check or patient in the practice',
  },
});

async function transports(
  db: Db,
  env: Readonly<Record<string, string | undefined>>,
): Promise<Map<number, ClearinghouseTransport>> {
  const rows = await db.query<{
    id: number;
    code: string;
    transport: string;
    settings: Record<string, unknown>;
  }>('SELECT id, code, transport, settings FROM clearinghouses ORDER BY id');
  const out = new Map<number, ClearinghouseTransport>();
  for (const r of rows.rows) out.set(r.id, transportFor(r, env));
  return out;
}

/**
 * Whether a file holds 271s: its first transaction set's ST01, whatever the file is called (clearinghouses
 * name their files their own way) and whatever the element separator (ISA04).
 */
export function holds271(content: string): boolean {
  const isa = content.indexOf('ISA');
  if (isa < 0) return false;
  const sep = content[isa + 3] ?? '*';
  return new RegExp(`(^|[^A-Za-z0-9])ST\\${sep}271\\${sep}`).test(content.slice(isa + 106, isa + 4096));
}

/**
 * Picks up waiting 271 files from every clearinghouse and records them; other files (999, 277CA, 835) stay
 * for their own pickup.
 */
async function pickup(db: Db, ts: Map<number, ClearinghouseTransport>, at: Instant): Promise<number> {
  let answered = 0;
  for (const t of ts.values()) {
    for (const name of await t.list()) {
      const content = await t.fetch(name);
      if (!holds271(content)) continue;
      const r = await ingestEligibilityResponses(db, content, { at });
      answered += r.answered;
      await t.acknowledge(name);
    }
  }
  return answered;
}

export function register(program: Command, ctx: CliContext): void {
  const elig = program.command('eligibility').description('eligibility checks (270/271)');

  elig
    .command('run')
    .description('check the coverage of the next business day(s) appointments: plan, send 270s, pick up 271s')
    .option(
      '--date <date>',
      'the day the run is for (default today); appointments on the following business day(s)',
    )
    .option('--practice <code>', 'only this practice')
    .option('--window <days>', 'business days ahead to check', '1')
    .action(async (o: { date?: string; practice?: string; window: string }) => {
      const at = ctx.clock.now();
      const date = o.date === undefined ? dateInZone(at) : parseDate(o.date, '--date');
      const windowDays = positiveInt(o.window, '--window');
      await ctx.withDb(async (db) => {
        const ts = await transports(db, ctx.env);
        try {
          const rows = [];
          for (const p of await practicesByCode(db, o.practice)) {
            const scope = practiceScope(p.id);
            const expired = await expireChecks(db, scope, { at });
            const planned = await planChecks(db, scope, { date, windowDays, at });
            const sent = await sendChecks(db, scope, { at, transports: ts });
            rows.push({
              practice: p.code,
              appointments: planned.appointments,
              planned: planned.checksCreated,
              sent: sent.checksSent,
              retried: expired.retried,
              unconfirmed: expired.unconfirmed,
            });
          }
          const answered = await pickup(db, ts, at);
          ctx.output().records(rows, [
            { header: 'PRACTICE', value: (r) => r.practice },
            { header: 'APPOINTMENTS', value: (r) => r.appointments },
            { header: 'NEW CHECKS', value: (r) => r.planned },
            { header: 'SENT', value: (r) => r.sent },
            { header: 'RETRIED', value: (r) => r.retried },
            { header: 'UNCONFIRMED', value: (r) => r.unconfirmed },
          ]);
          if (!ctx.globals().json) ctx.stdout.write(`${answered} answers picked up\n`);
        } finally {
          for (const t of ts.values()) await t.close();
        }
      });
    });

  elig
    .command('report')
    .description('the pre-visit report for a day: flagged patients first, with the reason and the action')
    .requiredOption('--date <date>', 'appointment date (YYYY-MM-DD)')
    .requiredOption('--practice <code>', 'practice code')
    .addOption(
      new Option('--format <format>', 'output format').choices(['html', 'csv', 'json']).default('html'),
    )
    .option('--out <file>', 'write to a file instead of standard output')
    .action(async (o: { date: string; practice: string; format: 'html' | 'csv' | 'json'; out?: string }) => {
      const date: CalendarDate = parseDate(o.date, '--date');
      await ctx.withDb(async (db) => {
        const p = await practiceByCode(db, o.practice);
        const report = await eligibilityReport(db, practiceScope(p.id), date);
        const text =
          o.format === 'html'
            ? reportHtml(report)
            : o.format === 'csv'
              ? reportCsv(report)
              : `${JSON.stringify(report, null, 2)}\n`;
        if (o.out === undefined) ctx.stdout.write(text);
        else writeFileSync(o.out, text);
      });
    });

  elig
    .command('check')
    .description('check one patient now (real time): their next appointment, or today')
    .argument('<mrn>', "the patient's medical record number")
    .requiredOption('--practice <code>', 'practice code')
    .option('--wait <seconds>', 'how long to wait for the answer', '30')
    .action(async (mrn: string, o: { practice: string; wait: string }) => {
      const wait = positiveInt(o.wait, '--wait');
      await ctx.withDb(async (db) => {
        const p = await practiceByCode(db, o.practice);
        const scope = practiceScope(p.id);
        const at = ctx.clock.now();
        const appt = await db.query<{ id: number; d: string }>(
          `SELECT a.id, a.service_date::text AS d FROM appointments a JOIN patients pt ON pt.practice_id = a.practice_id AND pt.id = a.patient_id
            WHERE a.practice_id = $1 AND pt.mrn = $2 AND a.status <> 'cancelled' AND a.service_date >= $3::date
            ORDER BY a.service_date LIMIT 1`,
          [p.id, mrn, dateInZone(at)],
        );
        const a = appt.rows[0];
        if (a === undefined)
          throw eligibilityError('eligibility.not_found', 'the patient has no upcoming appointment to check');
        // A real-time check: ask again for exactly that appointment, whatever was asked before.
        await planChecks(db, scope, { date: a.d as CalendarDate, at, appointmentId: a.id });
        const ts = await transports(db, ctx.env);
        try {
          await sendChecks(db, scope, { at, transports: ts });
          const deadline = Date.now() + wait * 1000;
          for (;;) {
            await pickup(db, ts, at);
            const open = await db.query<{ n: number }>(
              `SELECT count(*)::int AS n FROM eligibility_checks WHERE practice_id = $1 AND appointment_id = $2 AND status = 'pending'`,
              [p.id, a.id],
            );
            if ((open.rows[0]?.n ?? 0) === 0 || Date.now() > deadline) break;
            await new Promise((r) => setTimeout(r, 1000));
          }
        } finally {
          for (const t of ts.values()) await t.close();
        }
        const report = await eligibilityReport(db, scope, a.d as CalendarDate);
        const rows = report.rows.filter((r) => r.appointmentId === a.id);
        ctx.output().records(rows, [
          { header: 'DATE', value: () => a.d },
          { header: 'COVERAGE', value: (r) => r.coverage },
          { header: 'PAYER', value: (r) => r.payer },
          { header: 'RESULT', value: (r) => r.result },
          { header: 'REASON', value: (r) => r.reason },
          { header: 'ACTION', value: (r) => r.action },
        ]);
      });
    });

  elig
    .command('accept')
    .description(
      "accept a check's payer data into the coverage on file (member id, group, plan, copay); audited",
    )
    .argument('<check-id>', 'eligibility check id')
    .requiredOption('--practice <code>', 'practice code')
    .action(async (checkId: string, o: { practice: string }) => {
      const id = positiveInt(checkId, 'check-id');
      await ctx.withDb(async (db) => {
        const p = await practiceByCode(db, o.practice);
        const at = ctx.clock.now();
        const changed = await db.transaction(async (tx) => {
          const c = await tx.query<{
            coverage_id: number;
            facts: { memberId?: string; groupNumber?: string; plan?: string; copayCents?: number } | null;
            fields: string[] | null;
          }>(
            `SELECT coverage_id, response_summary->'facts' AS facts, ARRAY(SELECT jsonb_array_elements_text(response_summary->'changedFields')) AS fields
               FROM eligibility_checks WHERE practice_id = $1 AND id = $2 AND classification = 'changed'`,
            [p.id, id],
          );
          const row = c.rows[0];
          if (row === undefined || row.facts === null)
            throw eligibilityError('eligibility.not_found', `no changed check ${id} in practice ${p.code}`);
          const f = row.facts;
          const fields = row.fields ?? [];
          await tx.query(
            `UPDATE coverages SET member_id = CASE WHEN $3 THEN $4 ELSE member_id END,
                                  group_number = CASE WHEN $5 THEN $6 ELSE group_number END,
                                  copay_cents = CASE WHEN $7 THEN $8::bigint ELSE copay_cents END,
                                  plan_name = CASE WHEN $10 THEN $11 ELSE plan_name END,
                                  last_verified_at = $9, updated_at = $9
              WHERE practice_id = $1 AND id = $2`,
            [
              p.id,
              row.coverage_id,
              fields.includes('member_id') && f.memberId !== undefined,
              f.memberId ?? null,
              fields.includes('group') && f.groupNumber !== undefined,
              f.groupNumber ?? null,
              fields.includes('copay') && f.copayCents !== undefined,
              f.copayCents ?? null,
              at,
              fields.includes('plan') && f.plan !== undefined,
              f.plan ?? null,
            ],
          );
          // The audit log names the fields, never their values.
          await tx.query(
            `INSERT INTO audit_log (practice_id, at, actor, action, entity_type, entity_id, details)
             VALUES ($1, $2, 'user:cli', 'coverage.accept_eligibility_change', 'coverage', $3, $4::jsonb)`,
            [p.id, at, String(row.coverage_id), JSON.stringify({ eligibilityCheckId: id, fields })],
          );
          return fields;
        });
        ctx.output().message(`coverage updated from check ${id}: ${changed.join(', ')}`);
      });
    });
}
