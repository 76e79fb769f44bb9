/** The reporting package (issue 8 §3): facts from the database, the monthly report, renderers, drill-down. */
export * from './facts.ts';
export * from './metrics.ts';
export * from './facts-db.ts';
export * from './benchmarks.ts';
export * from './monthly.ts';
export * from './render.ts';
export * from './drill.ts';
export * from './write.ts';
