/** Stage 4 posting: pure posting math, denial categories, underpayment test, set-based ledger writes. */
export * from './plan.ts';
export * from './denials.ts';
export * from './underpayment.ts';
export * from './ledger.ts';
