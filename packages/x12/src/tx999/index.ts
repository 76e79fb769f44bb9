/** 999 Implementation Acknowledgment (005010X231A1): typed model, reader, writer. */
export * from './types.ts';
export {
  read999,
  parse999,
  ACKNOWLEDGED_FUNCTIONAL_IDS,
  ACKNOWLEDGED_TRANSACTION_TYPES,
  IK501_CODES,
  IK502_CODES,
  AK901_CODES,
  AK905_CODES,
} from './reader.ts';
export { write999, write999Segments, type Envelope999 } from './writer.ts';
