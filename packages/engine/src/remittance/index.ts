/** Stage 4 ERA ingest and matching (and the posting it drives). */
export * from './match.ts';
export * from './ingest.ts';
export * from './queries.ts';
export * from '../posting/index.ts';
export * from './deposits.ts';
