/** `openrcm location create|list`: service locations of a practice (place of service, address). */
import type { Command } from 'commander';
import { Npi, PlaceOfService } from '@openrcm/core';
import { createLocation, listLocations, practiceScope, resolvePractice, type Location } from '@openrcm/db';
import { invalid } from '../args.ts';
import type { CliContext } from '../context.ts';
import type { Column } from '../output.ts';

export const LOCATION_COLUMNS: readonly Column<Location>[] = [
  { header: 'ID', value: (l) => l.id },
  { header: 'NAME', value: (l) => l.name },
  { header: 'POS', value: (l) => l.placeOfService },
  { header: 'CITY', value: (l) => l.city },
  { header: 'STATE', value: (l) => l.state },
  { header: 'ZIP', value: (l) => l.postalCode },
];

interface CreateOptions {
  practice: string;
  name: string;
  pos: string;
  npi?: string;
  address: string;
  address2?: string;
  city: string;
  state: string;
  zip: string;
}

export function register(program: Command, ctx: CliContext): void {
  const location = program.command('location').description('service locations of a practice');

  location
    .command('create')
    .description('add a service location to a practice')
    .requiredOption('--practice <code>', 'practice code or id')
    .requiredOption('--name <name>', 'location name')
    .requiredOption('--pos <code>', 'CMS place of service code, e.g. 11 (office)')
    .option('--npi <npi>', 'service facility NPI')
    .requiredOption('--address <line>', 'street address')
    .option('--address2 <line>', 'second address line')
    .requiredOption('--city <city>', 'city')
    .requiredOption('--state <XX>', 'two-letter state code')
    .requiredOption('--zip <zip>', 'ZIP or ZIP+4')
    .action(async (o: CreateOptions) => {
      const zip = o.zip.replace('-', '');
      if (!/^[A-Z]{2}$/.test(o.state)) throw invalid('--state: expected a two-letter code like IL');
      if (!/^\d{5}(\d{4})?$/.test(zip)) throw invalid('--zip: expected 5 or 9 digits');
      const input = {
        name: o.name,
        placeOfService: PlaceOfService(o.pos, '--pos'),
        ...(o.npi === undefined ? {} : { npi: Npi(o.npi, '--npi') }),
        addressLine1: o.address,
        ...(o.address2 === undefined ? {} : { addressLine2: o.address2 }),
        city: o.city,
        state: o.state,
        postalCode: zip,
      };
      const created = await ctx.withDb(async (db) => {
        const p = await resolvePractice(db, o.practice);
        return createLocation(db, practiceScope(p.id), input);
      });
      ctx.output().record(created, LOCATION_COLUMNS);
    });

  location
    .command('list')
    .description("list a practice's locations")
    .requiredOption('--practice <code>', 'practice code or id')
    .action((o: { practice: string }) =>
      ctx.withDb(async (db) => {
        const p = await resolvePractice(db, o.practice);
        ctx.output().records(await listLocations(db, practiceScope(p.id)), LOCATION_COLUMNS);
      }),
    );
}
