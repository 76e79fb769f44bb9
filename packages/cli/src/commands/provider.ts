/** `openrcm provider create|list|update|enroll|enrollments`: rendering/billing providers of a practice (NPI checked). */
import { Option, type Command } from 'commander';
import { Npi, parseDate, ProviderId, TaxonomyCode, Tin } from '@openrcm/core';
import {
  createEnrollment,
  createProvider,
  ENROLLMENT_STATUSES,
  findProviderByNpi,
  listEnrollments,
  listProviders,
  practiceScope,
  resolvePayer,
  resolvePractice,
  updateProvider,
  type Enrollment,
  type EnrollmentStatus,
  type Provider,
} from '@openrcm/db';
import { invalid } from '../args.ts';
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

export const ENROLLMENT_COLUMNS: readonly Column<Enrollment>[] = [
  { header: 'ID', value: (e) => e.id },
  { header: 'PROVIDER', value: (e) => e.providerId },
  { header: 'PAYER', value: (e) => e.payerId },
  { header: 'STATUS', value: (e) => e.status },
  { header: 'FROM', value: (e) => e.effectiveFrom },
  { header: 'TO', value: (e) => e.effectiveTo },
];

interface EnrollOptions {
  practice: string;
  npi: string;
  payer: string;
  status: EnrollmentStatus;
  from?: string;
  to?: string;
}

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

  provider
    .command('update <id>')
    .description(
      'correct a provider (NPI check digit verified); rejected claims of the provider then count as possibly fixed for `claims resubmit --all-rejected`',
    )
    .requiredOption('--practice <code>', 'practice code or id')
    .option('--npi <npi>', 'the corrected 10-digit NPI')
    .option('--last-name <name>', 'last name (or organization name)')
    .option('--first-name <name>', 'first name')
    .option('--credential <text>', 'credential, e.g. MD, DO, NP')
    .option('--taxonomy <code>', 'NUCC taxonomy code, e.g. 207Q00000X')
    .option('--tin <tin>', 'own tax id when not billing under the practice TIN')
    .action(
      async (
        idArg: string,
        o: Omit<CreateOptions, 'npi' | 'lastName' | 'organization'> & { npi?: string; lastName?: string },
      ) => {
        const id = Number(idArg);
        if (!(Number.isSafeInteger(id) && id > 0))
          throw invalid(`ID: a positive integer, not ${JSON.stringify(idArg)}`);
        const changes = {
          ...(o.npi === undefined ? {} : { npi: Npi(o.npi, '--npi') }),
          ...(o.lastName === undefined ? {} : { lastName: o.lastName }),
          ...(o.firstName === undefined ? {} : { firstName: o.firstName }),
          ...(o.credential === undefined ? {} : { credential: o.credential }),
          ...(o.taxonomy === undefined ? {} : { taxonomyCode: TaxonomyCode(o.taxonomy, '--taxonomy') }),
          ...(o.tin === undefined ? {} : { tin: Tin(o.tin, '--tin') }),
        };
        if (Object.keys(changes).length === 0)
          throw invalid(
            'nothing to change: give --npi, --last-name, --first-name, --credential, --taxonomy or --tin',
          );
        const updated = await ctx.withDb(async (db) => {
          const p = await resolvePractice(db, o.practice);
          return updateProvider(db, practiceScope(p.id), ProviderId(id), changes, ctx.clock.now());
        });
        ctx.output().record(updated, PROVIDER_COLUMNS);
      },
    );

  provider
    .command('enroll')
    .description("record a provider's enrollment span with a payer (credentialing)")
    .requiredOption('--practice <code>', 'practice code or id')
    .requiredOption('--npi <npi>', "the provider's NPI")
    .requiredOption('--payer <payer-id>', 'payer id (clearinghouse payer id) or internal id')
    .addOption(
      new Option('--status <status>', 'enrollment status').choices(ENROLLMENT_STATUSES).default('enrolled'),
    )
    .option('--from <date>', 'effective from (YYYY-MM-DD), required when enrolled')
    .option('--to <date>', 'effective through (YYYY-MM-DD)')
    .action(async (o: EnrollOptions) => {
      const npi = Npi(o.npi, '--npi');
      const from = o.from === undefined ? undefined : parseDate(o.from, '--from');
      const to = o.to === undefined ? undefined : parseDate(o.to, '--to');
      if (o.status === 'enrolled' && from === undefined)
        throw invalid('--from: required when --status is enrolled');
      if (from !== undefined && to !== undefined && to < from)
        throw invalid('--to: must not be before --from');
      const created = await ctx.withDb(async (db) => {
        const p = await resolvePractice(db, o.practice);
        const scope = practiceScope(p.id);
        const prov = await findProviderByNpi(db, scope, npi);
        if (!prov) throw invalid(`--npi: no provider with this NPI in practice ${p.code}`);
        const payer = await resolvePayer(db, o.payer);
        return createEnrollment(db, scope, {
          providerId: prov.id,
          payerId: payer.id,
          status: o.status,
          ...(from === undefined ? {} : { effectiveFrom: from }),
          ...(to === undefined ? {} : { effectiveTo: to }),
        });
      });
      ctx.output().record(created, ENROLLMENT_COLUMNS);
    });

  provider
    .command('enrollments')
    .description("list a practice's provider enrollment spans")
    .requiredOption('--practice <code>', 'practice code or id')
    .action((o: { practice: string }) =>
      ctx.withDb(async (db) => {
        const p = await resolvePractice(db, o.practice);
        ctx.output().records(await listEnrollments(db, practiceScope(p.id)), ENROLLMENT_COLUMNS);
      }),
    );
}
