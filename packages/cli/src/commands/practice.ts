/** `openrcm practice create|list`: the practices (tenants) served by the billing organization. */
import { Option, type Command } from 'commander';
import { Ein, Npi, parseCents, TaxonomyCode, formatCents } from '@openrcm/core';
import {
  createPractice,
  listPractices,
  PRACTICE_STATUSES,
  type Practice,
  type PracticeStatus,
} from '@openrcm/db';
import { invalid, validTimeZone } from '../args.ts';
import type { CliContext } from '../context.ts';
import type { Column } from '../output.ts';

export const PRACTICE_COLUMNS: readonly Column<Practice>[] = [
  { header: 'ID', value: (p) => p.id },
  { header: 'CODE', value: (p) => p.code },
  { header: 'NAME', value: (p) => p.name },
  { header: 'STATUS', value: (p) => p.status },
  { header: 'NPI', value: (p) => p.npi },
  { header: 'TIME ZONE', value: (p) => p.timeZone },
  { header: 'WRITE-OFF THRESHOLD', value: (p) => formatCents(p.writeOffThresholdCents) },
];

interface CreateOptions {
  code: string;
  name: string;
  npi?: string;
  tin?: string;
  taxonomy?: string;
  timeZone?: string;
  writeOffThreshold?: string;
  status?: PracticeStatus;
}

export function register(program: Command, ctx: CliContext): void {
  const practice = program.command('practice').description('practices (tenants)');

  practice
    .command('create')
    .description('create a practice')
    .requiredOption('--code <code>', 'short handle, lowercase letters, digits and dashes (e.g. smith-family)')
    .requiredOption('--name <name>', 'practice name')
    .option('--npi <npi>', 'group (billing) NPI, checked')
    .option('--tin <ein>', 'tax id (EIN, NN-NNNNNNN)')
    .option('--taxonomy <code>', 'NUCC taxonomy code of the group')
    .option('--time-zone <tz>', 'IANA time zone of the practice', 'America/New_York')
    .option(
      '--write-off-threshold <amount>',
      'write-offs above this amount (e.g. 250.00) need practice approval',
      '0',
    )
    .addOption(
      new Option('--status <status>', 'onboarding status').choices(PRACTICE_STATUSES).default('onboarding'),
    )
    .action(async (o: CreateOptions) => {
      // Validate before opening the database: a typo should not wait for the engine to start.
      const input = {
        code: o.code,
        name: o.name,
        ...(o.npi === undefined ? {} : { npi: Npi(o.npi, '--npi') }),
        ...(o.tin === undefined ? {} : { tin: Ein(o.tin, '--tin') }),
        ...(o.taxonomy === undefined ? {} : { taxonomyCode: TaxonomyCode(o.taxonomy, '--taxonomy') }),
        timeZone: validTimeZone(o.timeZone ?? 'America/New_York'),
        writeOffThresholdCents: parseCents(o.writeOffThreshold ?? '0', '--write-off-threshold'),
        status: o.status ?? 'onboarding',
      };
      if (!/^[a-z0-9][a-z0-9-]{0,39}$/.test(o.code)) {
        throw invalid('--code: use 1–40 lowercase letters, digits and dashes');
      }
      const created = await ctx.withDb((db) => createPractice(db, input));
      ctx.output().record(created, PRACTICE_COLUMNS);
    });

  practice
    .command('list')
    .description('list practices')
    .action(() => ctx.withDb(async (db) => ctx.output().records(await listPractices(db), PRACTICE_COLUMNS)));
}
