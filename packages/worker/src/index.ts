/**
 * @openrcm/worker — background jobs. This stage: the submission job over the folder-drop transport and the
 * end-to-end demo run; the scheduled worker process (`openrcm worker`) comes with issue #8.
 */
export { submitReadyClaims, type SubmitResult } from './submit.ts';
export { runDemo, type DemoOptions, type DemoSummary } from './demo.ts';
