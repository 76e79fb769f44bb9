/** The worker's error codes (the platform registry, STYLE §9): whether a failed job should be retried. */
import { registerErrors } from '@openrcm/core';

export const workerError = registerErrors({
  'worker.invalid_payload': {
    retryable: false,
    usage: true,
    summary: 'a job payload field is missing or malformed',
  },
  'worker.unknown_job': { retryable: false, usage: true, summary: 'no job of that name is registered' },
  'worker.invalid_config': {
    retryable: false,
    usage: true,
    summary: 'the worker configuration (config file or flag) is malformed or incomplete',
  },
  'worker.needs_postgres': {
    retryable: false,
    usage: true,
    summary: 'the job queue needs a PostgreSQL server (DATABASE_URL); the embedded database has none',
  },
  'worker.import_rejected': {
    retryable: false,
    summary: 'a dropped practice file has bad rows and was rejected whole (located problems in the message)',
  },
  'worker.demo_unbalanced': {
    retryable: false,
    summary: 'a balance check of the demo summary is false (payments, claims or claim lines do not add up)',
  },
  'worker.pickup_incomplete': {
    retryable: true,
    summary: 'some picked-up files could not be ingested; they stay on the clearinghouse for the next run',
  },
});
