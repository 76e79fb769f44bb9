/** TA1 interchange acknowledgment: typed model, reader, writer. */
export * from './ta1.ts';
