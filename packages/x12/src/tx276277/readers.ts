/**
 * Registry entries for the 276 and 277 (005010X212) readers, for `registerReader` in ../registry.ts.
 */
import type { TransactionReader } from '../registry.ts';
import { readClaimStatus } from './read.ts';

export const CLAIM_STATUS_READERS: readonly TransactionReader[] = [
  {
    name: '276',
    transactionType: '276',
    implementations: ['005010X212'],
    read: (tx, o) => readClaimStatus(tx, o),
  },
  {
    name: '277',
    transactionType: '277',
    implementations: ['005010X212'],
    read: (tx, o) => readClaimStatus(tx, o),
  },
];
