/**
 * What every command module receives: global options, output, the clock, and `withDb`, which opens
 * (and migrates) the database, holds the embedded data-directory lock for the command's duration
 * and always closes.
 */
import { systemClock, type Clock } from '@openrcm/core';
import { openDatabase, type Db } from '@openrcm/db';
import type { Command } from 'commander';
import { createOutput, type Output, type Sink } from './output.ts';

/** Options every command accepts (declared on the root program). */
export interface GlobalOptions {
  /** Embedded database directory (ignored when DATABASE_URL is set). */
  readonly dataDir: string | undefined;
  readonly json: boolean;
  readonly debug: boolean;
}

export interface WithDbOptions {
  /** Apply pending migrations after opening (default true; `db status` passes false). */
  readonly migrate?: boolean;
}

export interface CliContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly clock: Clock;
  readonly stdout: Sink;
  readonly stderr: Sink;
  /** The parsed global options (valid once commander has parsed argv, i.e. inside actions). */
  globals(): GlobalOptions;
  /** Output honouring `--json`. */
  output(): Output;
  /** Opens the database (DATABASE_URL or --data-dir), migrates, runs `fn`, always closes. */
  withDb<R>(fn: (db: Db) => Promise<R>, options?: WithDbOptions): Promise<R>;
}

/** A command module: adds its commands (and subcommands) to the program. */
export type RegisterCommands = (program: Command, ctx: CliContext) => void;

export interface ContextInit {
  readonly program: Command;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly clock?: Clock;
  readonly stdout?: Sink;
  readonly stderr?: Sink;
}

export function createContext(init: ContextInit): CliContext {
  const env = init.env ?? process.env;
  const stdout = init.stdout ?? { write: (t: string) => void process.stdout.write(t) };
  const stderr = init.stderr ?? { write: (t: string) => void process.stderr.write(t) };
  const globals = (): GlobalOptions => {
    const o = init.program.opts<{ dataDir?: string; json?: boolean; debug?: boolean }>();
    return { dataDir: o.dataDir ?? env['OPENRCM_DATA_DIR'], json: o.json === true, debug: o.debug === true };
  };
  return {
    env,
    clock: init.clock ?? systemClock,
    stdout,
    stderr,
    globals,
    output: () => createOutput(globals().json, stdout, stderr),
    async withDb(fn, options = {}) {
      const db = await openDatabase({
        databaseUrl: env['DATABASE_URL'],
        dataDir: globals().dataDir,
        migrate: options.migrate ?? true,
      });
      // Ctrl-C or a kill while the database is open: close it (flushes PGlite, releases the
      // data-directory lock) before exiting with the conventional 128 + signal number.
      const onSignal = (signal: NodeJS.Signals): void => {
        void db.close().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        return await fn(db);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        await db.close();
      }
    },
  };
}
