/** 276/277 claim status request and response (005010X212): typed model, reader, writer. */
export * from './types.ts';
export * from './read.ts';
export * from './write.ts';
export * from './codes.ts';
export * from './build.ts';
export * from './readers.ts';
export * from './items.ts';
