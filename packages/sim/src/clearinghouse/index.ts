/**
 * The simulated clearinghouse (issue 4 §1, §3): 837P in; TA1, 999, 277CA and 835 out, over X12 only.
 * `SimClearinghouse` is the deterministic in-process core; `serveClearinghouse` puts it behind the
 * SFTP server's inbound/outbound folders.
 */
export { SimClearinghouse } from './clearinghouse.ts';
export type { ClearinghouseOptions, ClearinghouseStats, OutboxFile, ReceiveResult } from './clearinghouse.ts';
export { frontEndEdits, toReceivedClaim, versionKey } from './intake.ts';
export type { FrontEndRejection, ReceivedClaim, PersonName } from './intake.ts';
export { buildRemittance } from './era.ts';
export type { EraClaim, EraInput, EraPayer } from './era.ts';
export { naive837Files, naiveClaims837 } from './naive837.ts';
export type { Naive837File } from './naive837.ts';
export { serveClearinghouse } from './serve.ts';
export type { ServeClearinghouseOptions, ClearinghouseServer } from './serve.ts';
export { loadPayerKnowledge, loadDataset, datasetOrigin } from './dataset.ts';
export type { PayerKnowledge } from './dataset.ts';
export { answer270 } from './eligibility.ts';
export { answer276 } from './claim-status.ts';
export type { ClaimRecord } from './claim-status.ts';
export { inProcessClearinghouse } from './in-process.ts';
export type { InProcessEndpoint } from './in-process.ts';
