/** `openrcm payer create|list`: payers are shared by every practice of the organization. */
import { Option, type Command } from 'commander';
import { PayerCode } from '@openrcm/core';
import { createPayer, listPayers, PAYER_TYPES, type Payer, type PayerType } from '@openrcm/db';
import { invalid, positiveInt } from '../args.ts';
import type { CliContext } from '../context.ts';
import type { Column } from '../output.ts';

export const PAYER_COLUMNS: readonly Column<Payer>[] = [
  { header: 'ID', value: (p) => p.id },
  { header: 'PAYER ID', value: (p) => p.payerCode },
  { header: 'NAME', value: (p) => p.name },
  { header: 'TYPE', value: (p) => p.payerType },
  { header: 'FILING', value: (p) => p.claimFilingIndicator },
  { header: 'TIMELY FILING DAYS', value: (p) => p.timelyFilingDays },
];

interface CreateOptions {
  payerId: string;
  name: string;
  type: PayerType;
  timelyFilingDays?: string;
  filingIndicator?: string;
}

export function register(program: Command, ctx: CliContext): void {
  const payer = program.command('payer').description('payers (shared by all practices)');

  payer
    .command('create')
    .description('create a payer')
    .requiredOption('--payer-id <id>', "the payer's id at the clearinghouse (837P 2010BB NM109), e.g. 00431")
    .requiredOption('--name <name>', 'payer name')
    .addOption(new Option('--type <type>', 'payer type').choices(PAYER_TYPES).makeOptionMandatory())
    .option('--timely-filing-days <days>', 'days from date of service to file a claim (default by type)')
    .option(
      '--filing-indicator <code>',
      'claim filing indicator, 2000B SBR09 (default by type: MB, MC, CI, ZZ)',
    )
    .action(async (o: CreateOptions) => {
      if (o.filingIndicator !== undefined && !/^[0-9A-Z]{2}$/.test(o.filingIndicator)) {
        throw invalid('--filing-indicator: expected a 2-character SBR09 code');
      }
      const input = {
        payerCode: PayerCode(o.payerId, '--payer-id'),
        name: o.name,
        payerType: o.type,
        ...(o.timelyFilingDays === undefined
          ? {}
          : { timelyFilingDays: positiveInt(o.timelyFilingDays, '--timely-filing-days') }),
        ...(o.filingIndicator === undefined ? {} : { claimFilingIndicator: o.filingIndicator }),
      };
      const created = await ctx.withDb((db) => createPayer(db, input));
      ctx.output().record(created, PAYER_COLUMNS);
    });

  payer
    .command('list')
    .description('list payers')
    .action(() => ctx.withDb(async (db) => ctx.output().records(await listPayers(db), PAYER_COLUMNS)));
}
