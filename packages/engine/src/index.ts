/**
 * @openrcm/engine — the revenue-cycle domain, one folder per lifecycle stage (see README.md). Pure rules sit
 * in the stage folders; the database is reached only through @openrcm/db at the edges.
 */
export * from './claims/model.ts';
export * from './reports/index.ts';
export * from './claims/build.ts';
export * from './claims/load.ts';
export * from './submission/to837p.ts';
export * from './intake/index.ts';
export * as scrubber from './scrubber/index.ts';
export * as credentialing from './credentialing/index.ts';
export * from './scrubber/index.ts';
export * from './scrubber/run.ts';
export * from './scrubber/rules-db.ts';
export * from './credentialing/index.ts';
export * from './acks/ingest.ts';
export * from './remittance/index.ts';
export * from './eligibility/index.ts';
export * from './submission/transport.ts';
export * from './claims/queries.ts';
export * from './claims/versions.ts';
export * from './claims/resubmit.ts';
export * from './claims/late.ts';
export * from './submission/submit.ts';
