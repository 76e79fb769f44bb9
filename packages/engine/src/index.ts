/**
 * @openrcm/engine — the revenue-cycle domain, one folder per lifecycle stage (see README.md). Pure rules sit
 * in the stage folders; the database is reached only through @openrcm/db at the edges.
 */
export * from './claims/model.ts';
export * from './reports/facts.ts';
export * from './reports/metrics.ts';
