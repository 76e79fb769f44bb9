/** 277CA health care claim acknowledgement (005010X214): typed model, reader, writer, per-claim helper. */
export * from './types.ts';
export * from './read.ts';
export * from './write.ts';
export * from './acknowledgements.ts';
export * from './build.ts';
export * from './readers.ts';
