/** Entry point of the `openrcm` command (bin/openrcm.mjs imports this after registering tsx). */
import { COMMANDS } from './commands/index.ts';
import { run } from './program.ts';

process.exitCode = await run(process.argv.slice(2), { commands: COMMANDS });
