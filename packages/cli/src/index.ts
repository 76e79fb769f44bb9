/**
 * @openrcm/cli — the `openrcm` command. Other packages add command modules under
 * src/commands/<area>.ts (see src/commands/index.ts); these exports are what they build on.
 */
export { run, createProgram, EXIT } from './program.ts';
export {
  createContext,
  type CliContext,
  type GlobalOptions,
  type RegisterCommands,
  type WithDbOptions,
} from './context.ts';
export { createOutput, formatTable, type Column, type Output, type Sink } from './output.ts';
export { invalid, positiveInt, validTimeZone } from './args.ts';
export { COMMANDS } from './commands/index.ts';
