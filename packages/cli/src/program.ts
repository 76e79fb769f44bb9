/**
 * Builds the `openrcm` program and runs it with OpenRCM's error contract: one clear line on
 * stderr, exit 1 for failures and 2 for usage errors (commander's own included), and a stack trace
 * only with --debug.
 */
import { Command, CommanderError, Help, Option } from 'commander';
import { isOpenRcmError } from '@openrcm/core';
import { createContext, type CliContext, type ContextInit, type RegisterCommands } from './context.ts';

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

function fullName(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

function leafCommands(cmd: Command): Command[] {
  const out: Command[] = [];
  for (const sub of cmd.commands) {
    if ((sub as Command & { _hidden?: boolean })._hidden) continue;
    if (sub.commands.length === 0) out.push(sub);
    else out.push(...leafCommands(sub));
  }
  return out;
}

/** Root help lists every leaf command (`db migrate`, `practice create`, ...) with its one line. */
class OpenRcmHelp extends Help {
  override visibleCommands(cmd: Command): Command[] {
    if (cmd.parent) return super.visibleCommands(cmd);
    return leafCommands(cmd).sort((a, b) => fullName(a).localeCompare(fullName(b)));
  }

  override subcommandTerm(cmd: Command): string {
    const args = cmd.registeredArguments
      .map((a) => (a.required ? `<${a.name()}>` : `[${a.name()}]`))
      .join(' ');
    const path = cmd.parent?.parent ? fullName(cmd) : cmd.name();
    return `${path}${cmd.options.length > 0 ? ' [options]' : ''}${args ? ` ${args}` : ''}`;
  }
}

export function createProgram(): Command {
  const program = new Command('openrcm');
  program
    .description('OpenRCM: claims processing and revenue cycle management for physician practices')
    .addOption(
      new Option(
        '--data-dir <dir>',
        'embedded database directory (default ./.openrcm/data; ignored when DATABASE_URL is set)',
      ),
    )
    .option('--json', 'print records as JSON')
    .option('--debug', 'print stack traces on errors')
    .addHelpText(
      'after',
      '\nEnvironment:\n  DATABASE_URL      use this PostgreSQL server instead of the embedded database\n  OPENRCM_DATA_DIR  default for --data-dir\n',
    )
    .showSuggestionAfterError(true)
    // Subcommand help also lists --data-dir, --json and --debug.
    .configureHelp({ showGlobalOptions: true })
    .exitOverride();
  program.createHelp = () => Object.assign(new OpenRcmHelp(), program.configureHelp());
  return program;
}

export interface RunOptions extends Omit<ContextInit, 'program'> {
  readonly commands: readonly RegisterCommands[];
}

/** Parses `argv` (user arguments only, without node and script) and runs the command; returns the exit code. */
export async function run(argv: readonly string[], options: RunOptions): Promise<number> {
  const program = createProgram();
  const ctx: CliContext = createContext({ ...options, program });
  program.configureOutput({
    writeOut: (s) => ctx.stdout.write(s),
    writeErr: (s) => ctx.stderr.write(s),
    // Commander's own errors: keep them to one line (its suggestion joins the line).
    outputError: (s, write) => write(`${s.trimEnd().replace(/\n+/g, ' ')}\n`),
    // One line per command in help, however long the description: never wrap.
    getOutHelpWidth: () => 250,
    getErrHelpWidth: () => 250,
  });
  for (const register of options.commands) register(program, ctx);
  // Subcommands created by modules inherit the output settings and exitOverride.
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version are "errors" only to commander.
      if (
        e.code === 'commander.helpDisplayed' ||
        e.code === 'commander.help' ||
        e.code === 'commander.version'
      ) {
        return EXIT.ok;
      }
      if (e.code === 'commander.executeSubCommandAsync') return e.exitCode;
      return EXIT.usage;
    }
    return reportError(e, ctx);
  }
}

function reportError(e: unknown, ctx: CliContext): number {
  let debug = false;
  try {
    debug = ctx.globals().debug;
  } catch {
    debug = false;
  }
  if (isOpenRcmError(e)) {
    ctx.stderr.write(`error: ${e.message} [${e.code}]\n`);
    if (debug) writeDebug(e, ctx);
    return e.usage ? EXIT.usage : EXIT.failure;
  }
  const message = e instanceof Error ? e.message : String(e);
  ctx.stderr.write(
    `error: unexpected failure: ${message.split('\n')[0] ?? ''}${debug ? '' : ' (run with --debug for details)'}\n`,
  );
  if (debug) writeDebug(e, ctx);
  return EXIT.failure;
}

function writeDebug(e: unknown, ctx: CliContext): void {
  for (let cur: unknown = e, depth = 0; cur !== undefined && depth < 5; depth += 1) {
    const stack = cur instanceof Error ? cur.stack : JSON.stringify(cur);
    ctx.stderr.write(`${depth === 0 ? '' : 'caused by: '}${stack ?? ''}\n`);
    cur = cur instanceof Error ? cur.cause : undefined;
  }
}
