/**
 * `openrcm era import|list|show` and `openrcm ledger claim`: 835 ERA posting (stage 4) and the ledger of a
 * claim with its running balance. Output carries ids, codes and amounts only.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { formatCents, registerErrors, type Cents } from '@openrcm/core';
import {
  claimLedger,
  importDeposits,
  importEra,
  listRemittances,
  reconcileDeposits,
  showRemittance,
  type ClaimLedgerEntry,
  type PostedEntry,
  type Reconciliation,
  type RemittanceSummary,
  type TransactionSetResult,
} from '@openrcm/engine';
import { practiceScope } from '@openrcm/db';
import { invalid, positiveInt } from '../args.ts';
import type { CliContext } from '../context.ts';
import type { Column } from '../output.ts';

const eraError = registerErrors({
  'era.refused': {
    retryable: false,
    summary:
      'an 835 transaction set was refused (diagnostics or unknown payee/payer); nothing of it was posted',
  },
});

const money = (c: number | undefined): string => (c === undefined ? '' : formatCents(c as Cents));

type ImportRow = TransactionSetResult & { readonly file: string };

const IMPORT_COLUMNS: readonly Column<ImportRow>[] = [
  { header: 'FILE', value: (r) => r.file },
  { header: 'ST02', value: (r) => r.controlNumber },
  { header: 'OUTCOME', value: (r) => r.outcome },
  { header: 'REMITTANCE', value: (r) => r.remittanceId },
  { header: 'TRACE', value: (r) => r.traceNumber },
  { header: 'PAYMENT', value: (r) => money(r.paymentCents) },
  { header: 'CLAIMS', value: (r) => r.claims },
  { header: 'EXCEPTIONS', value: (r) => r.claimExceptions },
  { header: 'LINES AUTO/ALL', value: (r) => `${r.linesAutoPosted}/${r.lines}` },
  { header: 'DENIALS', value: (r) => r.denials },
  { header: 'UNDERPAID', value: (r) => r.underpayments },
];

const LIST_COLUMNS: readonly Column<RemittanceSummary>[] = [
  { header: 'ID', value: (r) => r.id },
  { header: 'PRACTICE', value: (r) => r.practiceId },
  { header: 'PAYER', value: (r) => r.payerId },
  { header: 'TRACE', value: (r) => r.traceNumber },
  { header: 'DATE', value: (r) => r.paymentDate },
  { header: 'PAYMENT', value: (r) => money(r.paymentCents) },
  { header: 'STATUS', value: (r) => r.status },
  { header: 'CLAIMS', value: (r) => r.claims },
  { header: 'EXCEPTIONS', value: (r) => r.claimExceptions },
  {
    header: 'AUTO-POSTED',
    value: (r) => (r.autoPostingRate === null ? '' : `${(r.autoPostingRate * 100).toFixed(1)} %`),
  },
  { header: 'LAG (H)', value: (r) => r.postingLagHours },
];

const ENTRY_COLUMNS: readonly Column<PostedEntry>[] = [
  { header: 'TXN', value: (e) => e.transactionId },
  { header: 'KIND', value: (e) => e.kind },
  { header: 'MEMO', value: (e) => e.memo },
  { header: 'CLAIM PAYMENT', value: (e) => e.claimPaymentId },
  { header: 'CLAIM', value: (e) => e.claimId },
  { header: 'LINE', value: (e) => e.claimLineId },
  { header: 'ACCOUNT', value: (e) => e.account },
  { header: 'AMOUNT', value: (e) => money(e.amountCents) },
];

const LEDGER_COLUMNS: readonly Column<ClaimLedgerEntry>[] = [
  { header: 'TXN', value: (e) => e.transactionId },
  { header: 'DATE', value: (e) => e.effectiveDate },
  { header: 'KIND', value: (e) => e.kind },
  { header: 'MEMO', value: (e) => e.memo },
  { header: 'REMITTANCE', value: (e) => e.remittanceId },
  { header: 'LINE', value: (e) => e.claimLineId },
  { header: 'ACCOUNT', value: (e) => e.account },
  { header: 'AMOUNT', value: (e) => money(e.amountCents) },
  { header: 'OPEN BALANCE', value: (e) => money(e.openBalanceCents) },
];

export function register(program: Command, ctx: CliContext): void {
  const era = program.command('era').description('835 ERA remittances: import (auto-post), list, show');

  era
    .command('import')
    .description('import and post 835 files (each transaction set in one database transaction; idempotent)')
    .argument('<files...>', '835 files')
    .option('--practice <id>', 'post to this practice id (default: from the payee NPI/TIN or the claims)')
    .option('--payer <id>', 'post as this payer id (default: from N1*PR / REF*2U / TRN03 or the claims)')
    .action(async (files: string[], o: { practice?: string; payer?: string }) => {
      const practiceId = o.practice === undefined ? undefined : positiveInt(o.practice, '--practice');
      const payerId = o.payer === undefined ? undefined : positiveInt(o.payer, '--payer');
      const rows: ImportRow[] = [];
      await ctx.withDb(async (db) => {
        for (const file of files) {
          const at = ctx.clock.now();
          const res = await importEra(
            db,
            { file },
            {
              receivedAt: at,
              now: at,
              actor: 'system:cli.era-import',
              ...(practiceId === undefined ? {} : { practiceId }),
              ...(payerId === undefined ? {} : { payerId }),
            },
          );
          for (const d of res.fileDiagnostics) {
            if (d.severity === 'error')
              ctx.stderr.write(`${file}: segment ${d.segmentIndex ?? '?'} ${d.code}: ${d.message}\n`);
          }
          for (const s of res.transactionSets) {
            rows.push({ ...s, file });
            if (s.outcome === 'duplicate')
              ctx
                .output()
                .message(
                  `${file} ST02 ${s.controlNumber}: already imported as remittance ${s.remittanceId ?? '?'}, nothing posted`,
                );
            for (const d of s.diagnostics) {
              ctx.stderr.write(
                `${file} ST02 ${s.controlNumber}: segment ${d.segmentIndex ?? '?'} ${d.segmentId ?? ''}${d.element === undefined ? '' : ` ${d.element}`} (loop ${d.loop ?? '?'}) ${d.code}: ${d.message}\n`,
              );
            }
          }
        }
      });
      ctx.output().records(rows, IMPORT_COLUMNS);
      const refused = rows.filter((r) => r.outcome === 'refused');
      if (refused.length > 0) {
        throw eraError(
          'era.refused',
          `${refused.length} transaction set(s) refused: ${refused.map((r) => `${r.file} ST02 ${r.controlNumber} (${r.reason ?? ''})`).join(', ')}`,
        );
      }
    });

  era
    .command('list')
    .description('list remittances, newest first, with auto-posting rate and posting lag')
    .option('--practice <id>', 'only this practice id')
    .option('--limit <n>', 'at most this many', '100')
    .action(async (o: { practice?: string; limit?: string }) => {
      const practiceId = o.practice === undefined ? undefined : positiveInt(o.practice, '--practice');
      const limit = positiveInt(o.limit ?? '100', '--limit');
      const rows = await ctx.withDb((db) =>
        listRemittances(db, { limit, ...(practiceId === undefined ? {} : { practiceId }) }),
      );
      ctx.output().records(rows, LIST_COLUMNS);
    });

  era
    .command('show')
    .description('one remittance: its claim payments and every ledger entry it posted')
    .argument('<id>', 'remittance id')
    .action(async (id: string) => {
      const detail = await ctx.withDb((db) => showRemittance(db, positiveInt(id, 'ID')));
      const out = ctx.output();
      if (out.json) {
        ctx.stdout.write(`${JSON.stringify(detail, null, 2)}\n`);
        return;
      }
      out.record(detail, LIST_COLUMNS);
      out.message('');
      out.records(detail.claimPayments, [
        { header: 'CLAIM PAYMENT', value: (c) => c.id },
        { header: 'CLAIM', value: (c) => c.claimId },
        { header: 'CLP02', value: (c) => c.status },
        { header: 'CHARGE', value: (c) => money(c.chargeCents) },
        { header: 'PAID', value: (c) => money(c.paidCents) },
        { header: 'POSTING', value: (c) => c.postingStatus },
        { header: 'REVERSES', value: (c) => c.reversesClaimPaymentId },
      ]);
      out.message('');
      out.records(detail.entries, ENTRY_COLUMNS);
    });

  const printReconciliation = (r: Reconciliation & { inserted?: number }): void => {
    const out = ctx.output();
    if (out.json) {
      ctx.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
      return;
    }
    if (r.inserted !== undefined) out.message(`deposits added: ${r.inserted}`);
    out.message(`remittances matched now: ${r.matched}`);
    out.message(`unmatched deposits: ${r.unmatchedDepositIds.join(', ') || '(none)'}`);
    out.message(`unmatched ERAs (remittance ids): ${r.unmatchedRemittanceIds.join(', ') || '(none)'}`);
  };

  era
    .command('deposits')
    .description('import bank deposits (CSV: date,amount,trace) and reconcile them with 835 payments')
    .argument('<file>', 'CSV file')
    .requiredOption('--practice <id>', 'practice id')
    .action(async (file: string, o: { practice: string }) => {
      const scope = practiceScope(positiveInt(o.practice, '--practice'));
      const text = readFileSync(file, 'utf8');
      printReconciliation(await ctx.withDb((db) => importDeposits(db, scope, text)));
    });

  era
    .command('reconcile')
    .description('match deposits to 835 payments again and list unmatched deposits and ERAs')
    .requiredOption('--practice <id>', 'practice id')
    .action(async (o: { practice: string }) => {
      const scope = practiceScope(positiveInt(o.practice, '--practice'));
      printReconciliation(await ctx.withDb((db) => reconcileDeposits(db, scope)));
    });

  program
    .command('ledger')
    .description('the double-entry ledger')
    .command('claim')
    .description('every ledger entry of a claim and the running open balance (insurance + patient AR)')
    .argument('<id>', 'claim id')
    .action(async (id: string) => {
      const claimId = positiveInt(id, 'ID');
      const rows = await ctx.withDb((db) => claimLedger(db, claimId));
      if (rows.length === 0 && !ctx.output().json) throw invalid(`claim ${claimId}: no ledger entries`);
      ctx.output().records(rows, LEDGER_COLUMNS);
    });
}
