/**
 * Time is injected (STYLE §5): domain code asks a `Clock`, never `Date.now()`, so a report for a
 * past date or a simulated month reproduces exactly.
 */
import { addMillis, dateInZone, instantFromMillis, type CalendarDate, type Instant } from './time.ts';

export interface Clock {
  now(): Instant;
  /** Today's calendar date in a time zone (default UTC). */
  today(timeZone?: string): CalendarDate;
}

/** A clock that can be moved by hand (tests, the simulator). */
export interface ManualClock extends Clock {
  set(i: Instant): void;
  advance(ms: number): Instant;
}

/** The wall clock. Only entry points (CLI, server, worker) should construct it. */
export const systemClock: Clock = {
  now: () => instantFromMillis(Date.now()),
  today: (timeZone) => dateInZone(instantFromMillis(Date.now()), timeZone),
};

/** A clock stopped at `at`. */
export function fixedClock(at: Instant): Clock {
  return { now: () => at, today: (timeZone) => dateInZone(at, timeZone) };
}

/** A clock that starts at `start` and moves only when told. */
export function manualClock(start: Instant): ManualClock {
  let current = start;
  return {
    now: () => current,
    today: (timeZone) => dateInZone(current, timeZone),
    set: (i) => {
      current = i;
    },
    advance: (ms) => {
      current = addMillis(current, ms);
      return current;
    },
  };
}
