/** 835 Health Care Claim Payment/Advice (005010X221A1): typed model, reader with validation, writer. */
export * from './types.ts';
export * from './codes.ts';
export {
  read835,
  parse835,
  stream835,
  stream835Claims,
  type Claim835Item,
  type Item835,
  type Read835Options,
  type ReadResult,
  type Set835Item,
} from './reader.ts';
export { write835, write835Segments, type Envelope835 } from './writer.ts';
