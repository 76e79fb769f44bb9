/**
 * @openrcm/core — pure foundation types shared by every package: money in cents, calendar dates
 * vs instants, an injected clock, branded ids (incl. NPI with its check digit), the PHI wrapper
 * and the error registry. No dependencies, no I/O.
 */
export * from './errors.ts';
export * from './money.ts';
export * from './time.ts';
export * from './clock.ts';
export * from './ids.ts';
export * from './phi.ts';
