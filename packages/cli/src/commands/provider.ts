/** `openrcm provider create|list`: rendering/billing providers of a practice (NPI checked). */
import type { Command } from 'commander';
import { Npi, TaxonomyCode, Tin } from '@openrcm/core';
import { createProvider, listProviders, practiceScope, resolvePractice, type Provider } from '@openrcm/db';
import type { CliContext } from '../context.ts';
import type { Column } from '../output.ts';

export const PROVIDER_COLUMNS: readonly Column<Provider>[] = [
  { header: 'ID', value: (p) => p.id },
  { header: 'NPI', value: (p) => p.npi },
  { header: 'NAME', value: (p) => [p.lastName, p.firstName].filter(Boolean).join(', ') },
  { header: 'CREDENTIAL', value: (p) => p.credential },
  { header: 'TAXONOMY', value: (p) => p.taxonomyCode },
  { header: 'TYPE', value: (p) => p.entityType },
];

interface CreateOptions {
  practice: string;
  npi: string;
  lastName: string;
  firstName?: string;
  credential?: string;
  taxonomy?: string;
  tin?: string;
  organization?: boolean;
}

export function register(program: Command, ctx: CliContext): void {
  const provider = program.command('provider').description('providers of a practice');

  provider
    .command('create')
    .description('add a provider (NPI check digit verified) to a practice')
    .requiredOption('--practice <code>', 'practice code or id')
    .requiredOption('--npi <npi>', '10-digit NPI')
    .requiredOption('--last-name <name>', 'last name (or organization name with --organization)')
    .option('--first-name <name>', 'first name')
    .option('--credential <text>', 'credential, e.g. MD, DO, NP')
    .option('--taxonomy <code>', 'NUCC taxonomy code, e.g. 207Q00000X')
    .option('--tin <tin>', 'own tax id when not billing under the practice TIN')
    .option('--organization', 'the provider is an organization (NM102 = 2)')
    .action(async (o: CreateOptions) => {
      const input = {
        npi: Npi(o.npi, '--npi'),
        lastName: o.lastName,
        entityType: o.organization === true ? ('organization' as const) : ('person' as const),
        ...(o.firstName === undefined ? {} : { firstName: o.firstName }),
        ...(o.credential === undefined ? {} : { credential: o.credential }),
        ...(o.taxonomy === undefined ? {} : { taxonomyCode: TaxonomyCode(o.taxonomy, '--taxonomy') }),
        ...(o.tin === undefined ? {} : { tin: Tin(o.tin, '--tin') }),
      };
      const created = await ctx.withDb(async (db) => {
        const p = await resolvePractice(db, o.practice);
        return createProvider(db, practiceScope(p.id), input);
      });
      ctx.output().record(created, PROVIDER_COLUMNS);
    });

  provider
    .command('list')
    .description("list a practice's providers")
    .requiredOption('--practice <code>', 'practice code or id')
    .action((o: { practice: string }) =>
      ctx.withDb(async (db) => {
        const p = await resolvePractice(db, o.practice);
        ctx.output().records(await listProviders(db, practiceScope(p.id)), PROVIDER_COLUMNS);
      }),
    );
}
