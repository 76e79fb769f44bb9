import type { CalendarDate, ClaimId } from '@openrcm/core';
import type { Figure, MonthlyReport } from './monthly.ts';

/** A small monthly report with every kind of figure and section, for the renderer and browser tests. */
const id = (n: number): ClaimId => n as ClaimId;

export const figures: Figure[] = [
  {
    key: 'clean_claim_rate',
    label: 'Clean claim rate',
    section: 'Submission',
    unit: 'percent',
    value: 0.9625,
    numerator: 77,
    denominator: 80,
    benchmark: { target: 0.95, direction: 'min', source: 'default', status: 'pass' },
    claimIds: [id(1), id(2)],
  },
  {
    key: 'days_in_ar',
    label: 'Days in AR',
    section: 'Accounts receivable',
    unit: 'days',
    value: 44.25,
    benchmark: { target: 40, direction: 'max', source: 'contract', status: 'miss' },
    claimIds: [id(3)],
  },
  {
    key: 'open_ar_cents',
    label: 'Open AR',
    section: 'Accounts receivable',
    unit: 'cents',
    value: 1234567,
    claimIds: [id(3)],
  },
  {
    key: 'denial_resolution_hours_mean',
    label: 'Average resolution time',
    section: 'Denial work',
    unit: 'hours',
    value: null,
    benchmark: { target: 72, direction: 'max', source: 'default', status: 'no-data' },
    claimIds: [],
  },
  {
    key: 'denial_rate_change',
    label: 'Denial rate change vs prior month',
    section: 'Denials',
    unit: 'points',
    value: -2.5,
    claimIds: [id(4)],
    note: 'a note, with "quotes" & a comma',
  },
];

export const report: MonthlyReport = {
  kind: 'practice',
  practice: { id: 1, code: 'p-1', name: 'Smith & Jones <Family> Practice' },
  month: '2026-03',
  period: { from: '2026-03-01' as CalendarDate, to: '2026-03-31' as CalendarDate },
  asOf: '2026-04-07' as CalendarDate,
  balancesAsOf: '2026-03-31' as CalendarDate,
  dueBy: '2026-04-07' as CalendarDate,
  benchmarkSource: 'contract+defaults',
  figures,
  denialsByReason: [
    { reason: 'CO-197', claims: 3, claimIds: [id(4), id(5), id(6)] },
    { reason: 'CO-16', claims: 1, claimIds: [id(7)] },
  ],
  holdsByReason: [{ reason: 'credentialing', claims: 1, claimIds: [id(9)] }],
  denialsByPayer: [{ payerName: 'Acme', denied: 4, adjudicated: 40, rate: 0.1, claimIds: [id(4)] }],
  denialTrend: {
    current: 0.1,
    prior: 0.125,
    byReason: [
      { reason: 'CO-197', current: 3, prior: 2 },
      { reason: 'CO-16', current: 1, prior: 3 },
    ],
  },
  arAging: [
    {
      payerName: 'Acme',
      party: 'insurance',
      buckets: { '0-30': 1000000, '31-60': 200000, '61-90': 0, '91-120': 0, '120+': 34567 },
      totalCents: 1234567,
    },
  ],
  arAgingTotals: { '0-30': 1000000, '31-60': 200000, '61-90': 0, '91-120': 0, '120+': 34567 },
  arAgingClaims: { '0-30': [id(3)], '31-60': [id(3)], '61-90': [], '91-120': [], '120+': [id(3)] },
  appealsByStatus: [],
  eligibilityFlags: [{ classification: 'lapsed', checks: 2 }],
  credentialingHolds: [{ claimId: id(9), payerName: 'Acme', days: 6, stillHeld: true }],
  actionItems: [{ category: 'credentialing', title: 'Complete enrollment', count: 1, claimIds: [id(9)] }],
  ledgerOpenArCents: 1234567,
};

/** The text a PDF shows: every string of its (uncompressed) content streams' Tj/TJ operators, one per line. */
export function pdfText(pdf: Buffer): string {
  const s = pdf.toString('latin1');
  const lines: string[] = [];
  const decode = (part: string): string =>
    part.startsWith('<')
      ? Buffer.from(part.slice(1, -1), 'hex').toString('latin1')
      : part.slice(1, -1).replace(/\\([()\\])/g, '$1');
  for (const m of s.matchAll(
    /\[((?:<[0-9a-fA-F]*>|\((?:\\.|[^\\)])*\)|\s|-?[0-9.]+)*)\]\s*TJ|(<[0-9a-fA-F]*>|\((?:\\.|[^\\)])*\))\s*Tj/g,
  )) {
    const body = m[1] ?? m[2] ?? '';
    lines.push([...body.matchAll(/<[0-9a-fA-F]*>|\((?:\\.|[^\\)])*\)/g)].map((p) => decode(p[0])).join(''));
  }
  return lines.join('\n');
}
