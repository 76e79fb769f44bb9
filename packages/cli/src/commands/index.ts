/**
 * Every command module of the CLI, in help order. To add commands for an area, write
 * `src/commands/<area>.ts` exporting `register(program, ctx)` and add one line here.
 */
import type { RegisterCommands } from '../context.ts';
import { register as db } from './db.ts';
import { register as practice } from './practice.ts';
import { register as payer } from './payer.ts';
import { register as provider } from './provider.ts';
import { register as location } from './location.ts';
import { register as intake } from './intake.ts';
import { register as claims } from './claims.ts';
import { register as scrubber } from './scrubber.ts';
import { register as demo } from './demo.ts';
import { register as eligibility } from './eligibility.ts';
import { register as sim } from './sim.ts';
import { register as simServe } from './sim-serve.ts';
import { register as era } from './era.ts';
import { register as x12 } from './x12.ts';
import { register as report } from './report.ts';
import { register as worker } from './worker.ts';
import { register as job } from './job.ts';

export const COMMANDS: readonly RegisterCommands[] = [
  db,
  practice,
  payer,
  provider,
  location,
  intake,
  claims,
  scrubber,
  eligibility,
  era,
  sim,
  simServe,
  x12,
  report,
  demo,
  worker,
  job,
];
