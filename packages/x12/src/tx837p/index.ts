/** 837P professional claim (005010X222A1): typed model, reader with located diagnostics, writer. */
export type * from './model.ts';
export {
  read837P,
  read837PTransaction,
  stream837P,
  type Read837POptions,
  type Read837PResult,
} from './read.ts';
export {
  build837PSegments,
  write837P,
  split837PBatch,
  IMPLEMENTATION_837P,
  MAX_CLAIMS_PER_TRANSACTION,
  type Envelope837P,
} from './write.ts';
export { buildLoopTree, type LoopNode } from './loops.ts';
export { cobProblems, describeCobProblem, sumAdjustments, type CobProblem } from './cob.ts';
export {
  billingNpi,
  memberId,
  partyId,
  payerId,
  referenceValue,
  renderingNpi,
  serviceDateRange,
} from './accessors.ts';
