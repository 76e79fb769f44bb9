/**
 * Registry entries for the 270 and 271 readers (for `registerReader` in ../registry.ts), so the CLI and
 * other generic callers dispatch 005010X279 transaction sets here.
 */
import type { TransactionReader } from '../registry.ts';
import { readEligibility } from './read.ts';

export const ELIGIBILITY_READERS: readonly TransactionReader[] = [
  {
    name: '270',
    transactionType: '270',
    implementations: ['005010X279'],
    read: (tx, o) => readEligibility(tx, o),
  },
  {
    name: '271',
    transactionType: '271',
    implementations: ['005010X279'],
    read: (tx, o) => readEligibility(tx, o),
  },
];
