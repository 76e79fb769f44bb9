/** `openrcm practice create|list|update`: the practices (tenants) served by the billing organization. */
import { Option, type Command } from 'commander';
import { Ein, Npi, parseCents, TaxonomyCode, formatCents } from '@openrcm/core';
import {
  createPractice,
  listPractices,
  practiceScope,
  PRACTICE_STATUSES,
  resolvePractice,
  updatePractice,
  type Practice,
  type PracticeChanges,
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

interface UpdateOptions {
  name?: string;
  npi?: string;
  tin?: string;
  taxonomy?: string;
  addressLine1?: string;
  addressLine2?: string;
  city?: string;
  state?: string;
  postalCode?: string;
}

/** The changes `practice update` asks for, each validated before the database opens. */
function practiceChanges(o: UpdateOptions): PracticeChanges {
  const text = (v: string, flag: string): string => {
    const t = v.trim();
    if (t.length === 0 || t.length > 200) throw invalid(`${flag}: 1–200 characters`);
    return t;
  };
  if (o.state !== undefined && !/^[A-Z]{2}$/.test(o.state))
    throw invalid('--state: two capital letters (e.g. NY)');
  if (o.postalCode !== undefined && !/^[0-9]{5}([0-9]{4})?$/.test(o.postalCode))
    throw invalid('--postal-code: 5 or 9 digits');
  const changes: PracticeChanges = {
    ...(o.name === undefined ? {} : { name: text(o.name, '--name') }),
    ...(o.npi === undefined ? {} : { npi: Npi(o.npi, '--npi') }),
    ...(o.tin === undefined ? {} : { tin: Ein(o.tin, '--tin') }),
    ...(o.taxonomy === undefined ? {} : { taxonomyCode: TaxonomyCode(o.taxonomy, '--taxonomy') }),
    ...(o.addressLine1 === undefined ? {} : { addressLine1: text(o.addressLine1, '--address-line1') }),
    ...(o.addressLine2 === undefined ? {} : { addressLine2: text(o.addressLine2, '--address-line2') }),
    ...(o.city === undefined ? {} : { city: text(o.city, '--city') }),
    ...(o.state === undefined ? {} : { state: o.state }),
    ...(o.postalCode === undefined ? {} : { postalCode: o.postalCode }),
  };
  if (Object.keys(changes).length === 0)
    throw invalid(
      'nothing to change: give --name, --npi, --tin, --taxonomy, --address-line1, --address-line2, --city, --state or --postal-code',
    );
  return changes;
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
    .command('update <practice>')
    .description(
      "correct the practice's billing provider data (2010AA: group NPI checked, TIN, taxonomy, name, address); its rejected claims then count as possibly fixed for `claims resubmit --all-rejected`",
    )
    .option('--name <name>', 'practice name')
    .option('--npi <npi>', 'the corrected group (billing) NPI')
    .option('--tin <ein>', 'tax id (EIN, NN-NNNNNNN)')
    .option('--taxonomy <code>', 'NUCC taxonomy code of the group')
    .option('--address-line1 <text>', 'billing address, first line')
    .option('--address-line2 <text>', 'billing address, second line')
    .option('--city <city>', 'billing address city')
    .option('--state <XX>', 'billing address state (two capital letters)')
    .option('--postal-code <zip>', 'billing address ZIP (5 or 9 digits)')
    .action(async (ref: string, o: UpdateOptions) => {
      const changes = practiceChanges(o);
      const updated = await ctx.withDb(async (db) => {
        const p = await resolvePractice(db, ref);
        return updatePractice(db, practiceScope(p.id), changes, ctx.clock.now());
      });
      ctx.output().record(updated, PRACTICE_COLUMNS);
    });

  practice
    .command('list')
    .description('list practices')
    .action(() => ctx.withDb(async (db) => ctx.output().records(await listPractices(db), PRACTICE_COLUMNS)));
}
