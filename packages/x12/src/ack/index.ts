/** Acknowledgement generation for what was received: 999 per functional group, TA1 per interchange. */
export { build999, buildTa1, ik303LoopId, type Build999Options, type BuildTa1Options } from './build.ts';
