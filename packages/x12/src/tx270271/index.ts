/** 270/271 eligibility inquiry and response (005010X279A1): typed model, reader, writer, summary. */
export * from './codes.ts';
export * from './types.ts';
export * from './read.ts';
export * from './write.ts';
export * from './summary.ts';
export * from './inquiry.ts';
export * from './response.ts';
export * from './readers.ts';
