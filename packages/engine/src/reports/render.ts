/**
 * Renderers of the monthly report: JSON (the report object), CSV (one row per figure), HTML (self-contained,
 * inline SVG charts, no scripts, no external assets) and PDF (pdfkit, the same figures and text as the JSON).
 * Every renderer prints values through `formatFigure`, so the same figure reads the same everywhere.
 */
import PDFDocument from 'pdfkit';
import { formatCents, type Cents } from '@openrcm/core';
import { AGING_BUCKETS } from './metrics.ts';
import {
  formatBenchmark,
  formatFigure,
  type Figure,
  type MonthlyReport,
  type RollupReport,
} from './monthly.ts';

export const REPORT_FORMATS = ['html', 'pdf', 'json', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function renderJson(r: MonthlyReport | RollupReport): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}

function csvCell(v: string | number | null | undefined): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One row per figure: key, label, value, display text, numerator, denominator, benchmark, status, claims. */
export function renderCsv(r: MonthlyReport | RollupReport): string {
  const who = r.kind === 'practice' ? r.practice.code : 'rollup';
  const header = [
    'practice',
    'month',
    'section',
    'key',
    'label',
    'unit',
    'value',
    'display',
    'numerator',
    'denominator',
    'benchmark',
    'benchmark_source',
    'status',
    'claim_count',
    'claim_ids',
  ];
  const rows = r.figures.map((f) =>
    [
      who,
      r.month,
      f.section,
      f.key,
      f.label,
      f.unit,
      f.value,
      formatFigure(f),
      f.numerator,
      f.denominator,
      f.benchmark?.target,
      f.benchmark?.source,
      f.benchmark?.status,
      f.claimIds.length,
      f.claimIds.join(' '),
    ]
      .map(csvCell)
      .join(','),
  );
  return `${[header.join(','), ...rows].join('\n')}\n`;
}

/** When the report's figures are as of (the same sentence in HTML and PDF). */
export function asOfText(r: MonthlyReport | RollupReport): string {
  return (
    `Events known by the end of ${r.asOf} (the package is due ${r.dueBy}, 5 business days after month end); ` +
    `balances (open AR, aging, days in AR) at the end of ${r.balancesAsOf}.`
  );
}

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const money = (c: number): string => `$${formatCents(Math.round(c) as Cents)}`;

/** Horizontal bars, one per item, labelled with the item and its value. */
export function svgBars(
  title: string,
  items: readonly { readonly label: string; readonly value: number; readonly text: string }[],
): string {
  if (items.length === 0) return `<p class="empty">${esc(title)}: none this month</p>`;
  const max = Math.max(...items.map((i) => i.value), 1);
  const rowH = 22;
  const h = items.length * rowH + 30;
  const bars = items
    .map((i, n) => {
      const y = 24 + n * rowH;
      const w = Math.max(1, Math.round((i.value / max) * 300));
      return `<text x="0" y="${y + 14}" font-size="12">${esc(i.label)}</text><rect x="170" y="${y + 2}" width="${w}" height="16" fill="#3b6ea5"/><text x="${176 + w}" y="${y + 14}" font-size="12">${esc(i.text)}</text>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="560" height="${h}" role="img" aria-label="${esc(title)}"><text x="0" y="14" font-size="13" font-weight="bold">${esc(title)}</text>${bars}</svg>`;
}

const BUCKET_COLORS = ['#4e9a57', '#9bbf4a', '#e0b33a', '#e07b39', '#c0392b'];

/** AR aging: one stacked bar per payer and party, one segment per age bucket, with a legend. */
export function svgAging(r: MonthlyReport): string {
  const rows = r.arAging.filter((x) => x.totalCents > 0);
  if (rows.length === 0) return '<p class="empty">AR aging: no open balance</p>';
  const max = Math.max(...rows.map((x) => x.totalCents), 1);
  const rowH = 22;
  const h = rows.length * rowH + 56;
  const legend = AGING_BUCKETS.map(
    (b, i) =>
      `<rect x="${290 + i * 80}" y="${h - 18}" width="12" height="12" fill="${BUCKET_COLORS[i] ?? '#999'}"/><text x="${306 + i * 80}" y="${h - 8}" font-size="11">${b}</text>`,
  ).join('');
  const bars = rows
    .map((row, n) => {
      const y = 24 + n * rowH;
      let x = 290;
      const segs = AGING_BUCKETS.map((b, i) => {
        const v = row.buckets[b];
        if (v <= 0) return '';
        const w = Math.max(1, Math.round((v / max) * 300));
        const s = `<rect x="${x}" y="${y + 2}" width="${w}" height="16" fill="${BUCKET_COLORS[i] ?? '#999'}"><title>${esc(`${b}: ${money(v)}`)}</title></rect>`;
        x += w;
        return s;
      }).join('');
      return `<text x="0" y="${y + 14}" font-size="12">${esc(`${row.payerName} (${row.party})`)}</text>${segs}<text x="${x + 6}" y="${y + 14}" font-size="12">${esc(money(row.totalCents))}</text>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="820" height="${h}" role="img" aria-label="AR aging by payer and responsible party"><text x="0" y="14" font-size="13" font-weight="bold">AR aging by payer and responsible party</text>${bars}${legend}</svg>`;
}

/** Denials per reason, this month next to the prior month (paired bars). */
export function svgTrend(r: MonthlyReport): string {
  const items = r.denialTrend.byReason.slice(0, 12);
  if (items.length === 0)
    return '<p class="empty">Denial trend: no denials this month or the prior month</p>';
  const max = Math.max(...items.flatMap((i) => [i.current, i.prior]), 1);
  const rowH = 30;
  const h = items.length * rowH + 50;
  const bars = items
    .map((i, n) => {
      const y = 24 + n * rowH;
      const wc = Math.round((i.current / max) * 300);
      const wp = Math.round((i.prior / max) * 300);
      return `<text x="0" y="${y + 14}" font-size="12">${esc(i.reason)}</text><rect x="120" y="${y}" width="${Math.max(wc, 1)}" height="11" fill="#3b6ea5"/><text x="${126 + wc}" y="${y + 10}" font-size="10">${i.current}</text><rect x="120" y="${y + 13}" width="${Math.max(wp, 1)}" height="11" fill="#b0b7c3"/><text x="${126 + wp}" y="${y + 23}" font-size="10">${i.prior}</text>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="560" height="${h}" role="img" aria-label="Denial trend versus prior month"><text x="0" y="14" font-size="13" font-weight="bold">Denials by reason: this month (blue) vs prior month (grey)</text>${bars}</svg>`;
}

function figureRows(figures: readonly Figure[]): string {
  let section = '';
  const out: string[] = [];
  for (const f of figures) {
    if (f.section !== section) {
      section = f.section;
      out.push(`<tr class="section"><th colspan="6">${esc(section)}</th></tr>`);
    }
    const status = f.benchmark?.status ?? '';
    const part = (n: number): string => (f.basisUnit === 'cents' ? money(n) : String(n));
    const basis =
      f.numerator !== undefined && f.denominator !== undefined
        ? `${part(f.numerator)} / ${part(f.denominator)}`
        : '';
    out.push(
      `<tr id="fig-${esc(f.key)}" data-key="${esc(f.key)}"><td>${esc(f.label)}${f.note === undefined || f.note === '' ? '' : `<br><span class="note">${esc(f.note)}</span>`}</td><td class="num">${esc(formatFigure(f))}</td><td class="num">${esc(basis)}</td><td>${esc(formatBenchmark(f))}</td><td class="${esc(status)}">${esc(status)}</td><td class="num">${f.claimIds.length}</td></tr>`,
    );
  }
  return out.join('\n');
}

const STYLE = `body{font-family:Helvetica,Arial,sans-serif;margin:24px;color:#222;max-width:980px}
h1{font-size:22px;margin-bottom:2px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%;font-size:13px}td,th{padding:3px 8px;border-bottom:1px solid #eee;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums}tr.section th{background:#f3f5f8}
.pass{color:#1e7b34;font-weight:bold}.miss{color:#b3261e;font-weight:bold}.no-data{color:#888}
.note{color:#555;font-size:12px}.empty{color:#888}`;

/** Self-contained HTML: figures table, charts (inline SVG), AR aging, eligibility, holds and action items. */
export function renderHtml(r: MonthlyReport | RollupReport): string {
  if (r.kind === 'rollup') return renderRollupHtml(r);
  const benchNote =
    r.benchmarkSource === 'defaults'
      ? 'This practice has no contracted benchmarks: figures are compared with the defaults of the domain guide.'
      : r.benchmarkSource === 'contract+defaults'
        ? 'Figures are compared with the contracted benchmarks; where the contract names none, with the defaults of the domain guide.'
        : 'Figures are compared with the contracted benchmarks.';
  const agingRows = r.arAging
    .map(
      (a) =>
        `<tr><td>${esc(a.payerName)}</td><td>${esc(a.party)}</td>${AGING_BUCKETS.map((b) => `<td class="num">${esc(money(a.buckets[b]))}</td>`).join('')}<td class="num">${esc(money(a.totalCents))}</td></tr>`,
    )
    .join('\n');
  const totalAging = AGING_BUCKETS.reduce((s, b) => s + r.arAgingTotals[b], 0);
  const payerRows = r.denialsByPayer
    .map(
      (p) =>
        `<tr><td>${esc(p.payerName)}</td><td class="num">${p.denied}</td><td class="num">${p.adjudicated}</td><td class="num">${esc(formatFigure({ unit: 'percent', value: p.rate }))}</td></tr>`,
    )
    .join('\n');
  const eligRows = r.eligibilityFlags
    .map((e) => `<tr><td>${esc(e.classification)}</td><td class="num">${e.checks}</td></tr>`)
    .join('\n');
  const holdRows = r.credentialingHolds
    .map(
      (h) =>
        `<tr><td>${h.claimId}</td><td>${esc(h.payerName)}</td><td class="num">${h.days.toFixed(1)}</td><td>${h.stillHeld ? 'still held' : 'released'}</td></tr>`,
    )
    .join('\n');
  const actions = r.actionItems
    .map(
      (a) =>
        `<li><b>${esc(a.category)}</b> (${a.count} claims): ${esc(a.title)}${a.count > 0 ? `<br><span class="note">claims ${esc(a.claimIds.slice(0, 30).join(', '))}${a.count > 30 ? ', ...' : ''}</span>` : ''}</li>`,
    )
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${esc(`${r.practice.name}: performance report ${r.month}`)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${esc(r.practice.name)} (${esc(r.practice.code)})</h1>
<p>Monthly performance report for ${esc(r.month)} (${esc(r.period.from)} to ${esc(r.period.to)}). ${esc(asOfText(r))}</p>
<p class="note">${esc(benchNote)} Every figure drills to its claims: <code>openrcm report drill --metric KEY --practice ${esc(r.practice.code)} --month ${esc(r.month)}</code>.</p>
<h2>Figures</h2>
<table>
<thead><tr><th>Figure</th><th>Value</th><th>Basis</th><th>Benchmark</th><th>Status</th><th>Claims</th></tr></thead>
<tbody>
${figureRows(r.figures)}
</tbody>
</table>
<h2>Holds before submission</h2>
${svgBars(
  'Claims held before submission, by hold and scrubber rule',
  r.holdsByReason.slice(0, 15).map((d) => ({ label: d.reason, value: d.claims, text: String(d.claims) })),
)}
<h2>Denials</h2>
${svgBars(
  'Claims denied by reason (group + CARC)',
  r.denialsByReason.slice(0, 15).map((d) => ({ label: d.reason, value: d.claims, text: String(d.claims) })),
)}
<table>
<thead><tr><th>Payer</th><th>Denied</th><th>Adjudicated</th><th>Denial rate</th></tr></thead>
<tbody>
${payerRows}
</tbody>
</table>
<h2>Denial trend</h2>
<p>Denial rate ${esc(formatFigure({ unit: 'percent', value: r.denialTrend.current }))} this month, ${esc(formatFigure({ unit: 'percent', value: r.denialTrend.prior }))} the prior month.</p>
${svgTrend(r)}
<h2>AR aging</h2>
${svgAging(r)}
<table>
<thead><tr><th>Payer</th><th>Party</th>${AGING_BUCKETS.map((b) => `<th>${b}</th>`).join('')}<th>Total</th></tr></thead>
<tbody>
${agingRows}
<tr><th colspan="2">Total</th>${AGING_BUCKETS.map((b) => `<th class="num">${esc(money(r.arAgingTotals[b]))}</th>`).join('')}<th class="num">${esc(money(totalAging))}</th></tr>
</tbody>
</table>
<p class="note">Open AR in the ledger (ar_insurance + ar_patient): ${esc(money(r.ledgerOpenArCents))}.</p>
<h2>Eligibility checks</h2>
<table>
<thead><tr><th>Classification</th><th>Checks</th></tr></thead>
<tbody>
${eligRows}
</tbody>
</table>
<h2>Credentialing holds</h2>
${r.credentialingHolds.length === 0 ? '<p class="empty">No claim on credentialing hold.</p>' : `<table><thead><tr><th>Claim</th><th>Payer</th><th>Days</th><th>State</th></tr></thead><tbody>${holdRows}</tbody></table>`}
<h2>Practice action items</h2>
<ul>
${actions}
</ul>
</body>
</html>
`;
}

function renderRollupHtml(r: RollupReport): string {
  const keys = r.figures.filter((f) => f.unit !== 'count' || f.key === 'claims_first_submitted').slice(0, 14);
  const head = keys.map((f) => `<th>${esc(f.label)}</th>`).join('');
  const rows = r.practices
    .map((p) => {
      const cells = keys
        .map((k) => {
          const f = p.figures.find((x) => x.key === k.key);
          const st = f?.benchmark?.status ?? '';
          return `<td class="num ${esc(st)}">${esc(f === undefined ? '' : formatFigure(f))}</td>`;
        })
        .join('');
      return `<tr><td>${esc(p.name)} (${esc(p.code)})</td>${cells}</tr>`;
    })
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${esc(`Billing company roll-up ${r.month}`)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Roll-up across practices, ${esc(r.month)}</h1>
<p>${esc(asOfText(r))}</p>
<h2>All practices pooled</h2>
<table>
<thead><tr><th>Figure</th><th>Value</th><th>Basis</th><th>Benchmark</th><th>Status</th><th>Claims</th></tr></thead>
<tbody>
${figureRows(r.figures)}
</tbody>
</table>
<h2>Per practice</h2>
<table>
<thead><tr><th>Practice</th>${head}</tr></thead>
<tbody>
${rows}
</tbody>
</table>
</body>
</html>
`;
}

/** The lines of text the PDF shows for the figures (also what the PDF test looks for). */
export function figureLine(f: Figure): string {
  const status = f.benchmark === undefined ? '' : `  [${f.benchmark.status}: ${formatBenchmark(f)}]`;
  return `${f.label}: ${formatFigure(f)}${status}`;
}

/** PDF with the same figures as the JSON (standard Helvetica, so only WinAnsi text). */
export function renderPdf(r: MonthlyReport | RollupReport): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 48,
    compress: false,
    info: { Title: `OpenRCM report ${r.month}` },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const title =
    r.kind === 'practice'
      ? `${r.practice.name} (${r.practice.code}): performance report ${r.month}`
      : `Roll-up across practices: ${r.month}`;
  doc.font('Helvetica-Bold').fontSize(16).text(title);
  doc
    .font('Helvetica')
    .fontSize(9)
    .text(`Period ${r.period.from} to ${r.period.to}. ${asOfText(r)}`);
  if (r.kind === 'practice') {
    doc.text(
      r.benchmarkSource === 'defaults'
        ? 'No contracted benchmarks: compared with the domain-guide defaults.'
        : `Benchmarks: ${r.benchmarkSource}.`,
    );
  }
  let section = '';
  for (const f of r.figures) {
    if (f.section !== section) {
      section = f.section;
      doc.moveDown(0.5).font('Helvetica-Bold').fontSize(11).text(section);
      doc.font('Helvetica').fontSize(10);
    }
    const color =
      f.benchmark?.status === 'miss' ? '#b3261e' : f.benchmark?.status === 'pass' ? '#1e7b34' : '#222222';
    doc.fillColor(color).text(figureLine(f)).fillColor('#222222');
    if (f.note !== undefined && f.note !== '') doc.fontSize(8).text(`    ${f.note}`).fontSize(10);
  }
  if (r.kind === 'practice') {
    doc.moveDown(0.5).font('Helvetica-Bold').fontSize(11).text('Denials by reason');
    doc.font('Helvetica').fontSize(10);
    const max = Math.max(1, ...r.denialsByReason.map((d) => d.claims));
    for (const d of r.denialsByReason.slice(0, 15)) {
      const y = doc.y;
      doc.text(`${d.reason}: ${d.claims}`, 48, y, { width: 110 });
      doc.rect(160, y + 1, Math.max(1, (d.claims / max) * 300), 8).fill('#3b6ea5');
      doc.fillColor('#222222');
    }
    doc.x = 48;
    doc.moveDown(0.5).font('Helvetica-Bold').fontSize(11).text('AR aging');
    doc.font('Helvetica').fontSize(9);
    for (const a of r.arAging) {
      doc.text(
        `${a.payerName} (${a.party}): ${AGING_BUCKETS.map((b) => `${b} ${money(a.buckets[b])}`).join(', ')}; total ${money(a.totalCents)}`,
      );
    }
    doc.moveDown(0.5).font('Helvetica-Bold').fontSize(11).text('Practice action items');
    doc.font('Helvetica').fontSize(10);
    for (const a of r.actionItems) doc.text(`${a.category}: ${a.count} claims. ${a.title}`);
  } else {
    doc.moveDown(0.5).font('Helvetica-Bold').fontSize(11).text('Practices');
    doc.font('Helvetica').fontSize(10);
    for (const p of r.practices) doc.text(`${p.name} (${p.code})`);
  }
  doc.end();
  return done;
}

/** Renders a report in a format: text for html/json/csv, bytes for pdf. */
export async function renderReport(
  r: MonthlyReport | RollupReport,
  format: ReportFormat,
): Promise<string | Buffer> {
  switch (format) {
    case 'html':
      return renderHtml(r);
    case 'json':
      return renderJson(r);
    case 'csv':
      return renderCsv(r);
    case 'pdf':
      return renderPdf(r);
  }
}
