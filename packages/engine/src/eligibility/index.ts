export * from './classify.ts';
export * from './run.ts';
export * from './report.ts';
export * from './tier.ts';
export * from './figures.ts';
