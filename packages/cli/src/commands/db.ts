/** `openrcm db migrate|status`: the schema of the database in use. */
import type { Command } from 'commander';
import { loadMigrations, migrate, migrationStatus } from '@openrcm/db';
import type { CliContext } from '../context.ts';

export function register(program: Command, ctx: CliContext): void {
  const db = program.command('db').description('database schema and migrations');

  db.command('migrate')
    .description('apply pending database migrations')
    .action(() =>
      ctx.withDb(
        async (conn) => {
          const result = await migrate(conn);
          const out = ctx.output();
          if (out.json) {
            out.record(
              {
                kind: conn.kind,
                location: conn.location,
                applied: result.applied,
                alreadyApplied: result.alreadyApplied,
              },
              [],
            );
          } else if (result.applied.length === 0) {
            out.message(
              `database (${conn.kind} ${conn.location}) is up to date: ${result.alreadyApplied} migrations applied`,
            );
          } else {
            for (const f of result.applied) out.message(`applied ${f}`);
            out.message(
              `database (${conn.kind} ${conn.location}) migrated: ${result.applied.length} applied now, ${loadMigrations().length} in total`,
            );
          }
        },
        { migrate: false },
      ),
    );

  db.command('status')
    .description('show which migrations are applied (without migrating)')
    .action(() =>
      ctx.withDb(
        async (conn) => {
          const rows = await migrationStatus(conn);
          const out = ctx.output();
          out.message(`database: ${conn.kind} ${conn.location}`);
          out.records(rows, [
            { header: 'VERSION', value: (r) => r.version },
            { header: 'NAME', value: (r) => r.name },
            { header: 'STATE', value: (r) => r.state },
            { header: 'APPLIED AT', value: (r) => r.appliedAt },
          ]);
        },
        { migrate: false },
      ),
    );
}
