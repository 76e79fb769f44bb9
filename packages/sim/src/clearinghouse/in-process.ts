/**
 * The clearinghouse as an in-process endpoint (issue 4 §1: "plus an in-process call for tests"): the
 * shape OpenRCM's in-process transport takes (`receive(name, content)` and an `outbox` map the submitter
 * empties as it picks files up), built structurally so the simulator never imports OpenRCM code.
 */
import { SimClearinghouse, type ClearinghouseOptions } from './clearinghouse.ts';

export interface InProcessEndpoint {
  readonly clearinghouse: SimClearinghouse;
  /** Answers waiting for pickup, by file name (names sort by simulated time). */
  readonly outbox: Map<string, string>;
  /** Receives a file on the endpoint's current date. */
  receive(name: string, content: string): void;
  /** Moves the simulated clock (the 835s due meanwhile appear in `outbox`). */
  advanceTo(date: string): void;
}

/**
 * A clearinghouse whose answers land in a pickup map. `today` gives the simulated date a file is received
 * on (the demo's clock); the clearinghouse clock never moves backwards.
 */
export function inProcessClearinghouse(
  options: Omit<ClearinghouseOptions, 'onOutput' | 'keepOutbox'>,
  today: () => string,
): InProcessEndpoint {
  const outbox = new Map<string, string>();
  const clearinghouse = new SimClearinghouse({
    ...options,
    keepOutbox: false,
    onOutput: (f) => outbox.set(f.name, f.content),
  });
  return {
    clearinghouse,
    outbox,
    receive: (name, content) => {
      const t = today();
      const now = clearinghouse.today;
      clearinghouse.receive(name, content, now !== null && now > t ? now : t);
    },
    advanceTo: (date) => clearinghouse.advanceTo(date),
  };
}
