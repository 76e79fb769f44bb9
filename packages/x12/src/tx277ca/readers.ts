/**
 * Registry entry for the 277CA (005010X214) reader, for `registerReader` in ../registry.ts.
 */
import type { TransactionReader } from '../registry.ts';
import { readClaimAcknowledgement } from './read.ts';

export const CLAIM_ACK_READERS: readonly TransactionReader[] = [
  {
    name: '277CA',
    transactionType: '277',
    implementations: ['005010X214'],
    read: (tx, o) => readClaimAcknowledgement(tx, o),
  },
];
