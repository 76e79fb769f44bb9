import type { CalendarDate } from '@openrcm/core';
import type { PracticeScope, Queryable } from '@openrcm/db';

/**
 * The pre-visit report (issue 7 §4): for one practice and one day, every appointment's eligibility result,
 * the flagged patients first (not found, lapsed, unconfirmed, changed), with the reason and what the front desk
 * should do. It is a document for the practice's front desk, so it names the patients; it is never logged.
 */

export interface ReportRow {
  readonly appointmentId: number;
  readonly time: string;
  readonly patient: string;
  readonly mrn: string;
  readonly coverage: string;
  readonly payer: string;
  readonly result: string;
  readonly reason: string;
  readonly action: string;
  readonly flagged: boolean;
}

export interface EligibilityReport {
  readonly practice: string;
  readonly date: CalendarDate;
  readonly rows: readonly ReportRow[];
  readonly counts: Readonly<Record<string, number>>;
}

const ORDER: Readonly<Record<string, number>> = {
  not_found: 0,
  lapsed: 1,
  unconfirmed: 2,
  changed: 3,
  pending: 4,
  unchanged: 5,
};

export async function eligibilityReport(
  q: Queryable,
  scope: PracticeScope,
  date: CalendarDate,
): Promise<EligibilityReport> {
  const practice = await q.query<{ name: string }>('SELECT name FROM practices WHERE id = $1', [
    scope.practiceId,
  ]);
  const res = await q.query<{
    appointment_id: number;
    starts_at: Date | string;
    first_name: string;
    last_name: string;
    mrn: string;
    priority: string;
    payer: string;
    classification: string | null;
    status: string;
    summary: { reason?: string; action?: string } | null;
  }>(
    `SELECT a.id AS appointment_id, a.starts_at, p.first_name, p.last_name, p.mrn, c.priority, py.name AS payer,
            e.classification, e.status, e.response_summary AS summary
       FROM eligibility_checks e
       JOIN appointments a ON a.practice_id = e.practice_id AND a.id = e.appointment_id
       JOIN patients p ON p.practice_id = e.practice_id AND p.id = e.patient_id
       JOIN coverages c ON c.practice_id = e.practice_id AND c.id = e.coverage_id
       JOIN payers py ON py.id = e.payer_id
      WHERE e.practice_id = $1 AND a.service_date = $2
        AND e.id = (SELECT max(e2.id) FROM eligibility_checks e2 WHERE e2.practice_id = e.practice_id
                      AND e2.appointment_id = e.appointment_id AND e2.coverage_id = e.coverage_id)`,
    [scope.practiceId, date],
  );
  const rows: ReportRow[] = res.rows.map((r) => {
    const result = r.classification ?? 'pending';
    return {
      appointmentId: r.appointment_id,
      time: new Date(r.starts_at).toISOString().slice(11, 16),
      patient: `${r.last_name}, ${r.first_name}`,
      mrn: r.mrn,
      coverage: r.priority,
      payer: r.payer,
      result,
      reason: r.summary?.reason ?? (result === 'pending' ? 'waiting for the payer' : ''),
      action: r.summary?.action ?? (result === 'pending' ? 'Verify the insurance card at check-in' : ''),
      flagged: result !== 'unchanged',
    };
  });
  rows.sort(
    (a, b) =>
      (ORDER[a.result] ?? 9) - (ORDER[b.result] ?? 9) ||
      a.time.localeCompare(b.time) ||
      a.appointmentId - b.appointmentId,
  );
  const counts: Record<string, number> = {};
  for (const r of rows) counts[r.result] = (counts[r.result] ?? 0) + 1;
  return { practice: practice.rows[0]?.name ?? '', date, rows, counts };
}

function csvCell(v: string | number | boolean): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function reportCsv(r: EligibilityReport): string {
  const header = ['time', 'patient', 'mrn', 'coverage', 'payer', 'result', 'reason', 'action'];
  const lines = r.rows.map((x) =>
    [x.time, x.patient, x.mrn, x.coverage, x.payer, x.result, x.reason, x.action].map(csvCell).join(','),
  );
  return `${[header.join(','), ...lines].join('\n')}\n`;
}

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function reportHtml(r: EligibilityReport): string {
  const flagged = r.rows.filter((x) => x.flagged).length;
  const body = r.rows
    .map(
      (x) =>
        `<tr class="${esc(x.result)}"><td>${esc(x.time)}</td><td>${esc(x.patient)}</td><td>${esc(x.mrn)}</td><td>${esc(x.coverage)}</td><td>${esc(x.payer)}</td><td><b>${esc(x.result.replace('_', ' '))}</b></td><td>${esc(x.reason)}</td><td>${esc(x.action)}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Pre-visit eligibility — ${esc(r.practice)} — ${r.date}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;color:#1d2530}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #dde3ea;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f6f9}tr.not_found td,tr.lapsed td{background:#fdecec}tr.unconfirmed td{background:#fff6e0}tr.changed td{background:#eef5ff}
</style></head><body>
<h1>Pre-visit eligibility</h1>
<p>${esc(r.practice)} — appointments on ${r.date}: ${r.rows.length} checks, ${flagged} flagged
(${Object.entries(r.counts)
    .map(([k, v]) => `${esc(k.replace('_', ' '))} ${v}`)
    .join(', ')}).</p>
<table><thead><tr><th>Time</th><th>Patient</th><th>MRN</th><th>Coverage</th><th>Payer</th><th>Result</th><th>Reason</th><th>Front-desk action</th></tr></thead>
<tbody>
${body}
</tbody></table></body></html>
`;
}
