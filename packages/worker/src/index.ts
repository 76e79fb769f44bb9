/**
 * @openrcm/worker — background jobs (issue #8): the job registry (jobs/registry.ts) with one handler per stage,
 * run by the production worker on PostgreSQL (graphile-worker, `openrcm worker`), by `openrcm job run`, and by
 * the end-to-end demo on its simulated clock. See README.md.
 */
export { runDemo, type DemoOptions, type DemoSummary } from './demo.ts';
export {
  JOBS,
  JOB_NAMES,
  isJobName,
  jobDefinition,
  runJob,
  type GlobalJob,
  type JobCounts,
  type JobDefinition,
  type JobName,
  type JobRunResult,
  type PracticeJob,
} from './jobs/registry.ts';
export type { JobContext, JobLog, LogValue, ReceivedKind } from './jobs/context.ts';
export { parsePayload, type JobPayload } from './jobs/payload.ts';
export { withSubjectLock, LOCK_NAMESPACE, type LockSubject } from './jobs/lock.ts';
export { kindOf } from './jobs/pickup.ts';
export { openTransports, type TransportSet } from './transports.ts';
export { workerError } from './errors.ts';
export {
  checkSchedule,
  defaultWorkerConfig,
  parseWorkerConfig,
  readWorkerConfig,
  resolveWorkerConfig,
  scheduleFlags,
  type WorkerConfig,
  type WorkerConfigInput,
} from './queue/config.ts';
export { cronItems, startWorker, type RunningWorker, type StartWorkerOptions } from './queue/runner.ts';
