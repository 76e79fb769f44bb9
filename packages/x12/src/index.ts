/**
 * @openrcm/x12 — a pure X12 5010 library: tokenizer (whole text or stream), envelope, typed HIPAA
 * transactions with readers and writers, and located diagnostics. No dependency on the rest of OpenRCM.
 */
export * from './core/delimiters.ts';
export * from './core/diagnostics.ts';
export * from './core/segment.ts';
export * from './core/tokenizer.ts';
export * from './core/envelope.ts';
export * from './core/parse.ts';
export * from './core/values.ts';
export * from './core/writer.ts';
export * from './core/spec.ts';
export * from './core/view.ts';
export * from './core/scan.ts';
export * from './core/check.ts';
