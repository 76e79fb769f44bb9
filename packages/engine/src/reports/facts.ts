import type { CalendarDate, Cents, ClaimId, Instant, PayerId } from '@openrcm/core';

/**
 * The facts the monthly report is computed from: one record per claim, one per remittance line posted, one per
 * denial work item, plus money movements. They are read from the database by the report job; the metric
 * functions here are pure, so a report for a past month reproduces exactly.
 */

/** Outcome of one submission of one claim version, as the acknowledgements and the payer told it. */
export interface SubmissionFact {
  readonly version: number;
  /** 1 original, 7 corrected, 8 void. */
  readonly frequencyCode: '1' | '7' | '8';
  readonly submittedAt: Instant;
  /** 999 + 277CA verdict; undefined while no acknowledgement has arrived. */
  readonly acknowledgement?: 'accepted' | 'rejected';
  readonly acknowledgedAt?: Instant;
  /** The payer's first adjudication of this submission (kept even when the payer later reversed it). */
  readonly adjudication?: AdjudicationFact;
  /** Adjudications after the first one (reprocessing after a reversal, a split claim's later part), in order. */
  readonly laterAdjudications?: readonly AdjudicationFact[];
}

export interface AdjudicationFact {
  readonly adjudicatedOn: CalendarDate;
  /** When the ERA carrying it was received: a denial is detected then. */
  readonly receivedAt: Instant;
  /** Denied = the payer paid nothing on the claim and gave a non-contractual reason; partial = some lines denied. */
  readonly outcome: 'paid' | 'partial' | 'denied';
  readonly lineCount: number;
  readonly deniedLineCount: number;
  readonly deniedCents: Cents;
  /** CARCs of the denial (group + code, e.g. `CO-197`), for the by-reason breakdown. */
  readonly denialReasons: readonly string[];
}

export interface ClaimFact {
  readonly claimId: ClaimId;
  readonly payerId: PayerId;
  readonly payerName: string;
  /** Earliest date of service on the claim. */
  readonly serviceDate: CalendarDate;
  readonly chargeCents: Cents;
  /** When documentation was completed and when the encounter was coded (for the charge-lag parts). */
  readonly documentedOn?: CalendarDate;
  readonly codedOn?: CalendarDate;
  /**
   * When the claim entered the submission pipeline: its first scrubber verdict (draft → ready or held), else its
   * first submission. The clean-claim cohort is by this instant, so a claim held before submission is counted.
   */
  readonly enteredAt?: Instant;
  /** Every submission in order; the first is the "first submission" the rates are about. */
  readonly submissions: readonly SubmissionFact[];
  /** Held by the scrubber before its first submission (and why), for the practice-side action items. */
  readonly heldReasons: readonly string[];
  readonly credentialingHoldDays?: number;
  /** When every denial recorded on the claim was closed (resolved, written off, upheld) or its work items done. */
  readonly denialClosedAt?: Instant;
}

/** A money movement on a claim, as posted to the ledger (signed: payments and adjustments reduce AR). */
export interface MoneyFact {
  readonly claimId: ClaimId;
  readonly payerId: PayerId;
  readonly serviceDate: CalendarDate;
  readonly postedOn: CalendarDate;
  readonly kind:
    | 'insurance-payment'
    | 'patient-payment'
    | 'contractual'
    | 'other-adjustment'
    | 'write-off'
    | 'transfer-to-patient'
    /** The charge itself (raises insurance AR); a claim's charge facts sum to its chargeCents. */
    | 'charge';
  readonly amountCents: Cents;
}

export interface RemittanceFact {
  readonly remittanceId: number;
  readonly receivedAt: Instant;
  readonly postedAt?: Instant;
  readonly lineCount: number;
  /** Lines posted with no human touch. */
  readonly autoPostedLineCount: number;
}

export interface DenialWorkFact {
  readonly claimId: ClaimId;
  readonly openedAt: Instant;
  readonly resolvedAt?: Instant;
  readonly outcome?: 'paid' | 'written-off' | 'upheld';
}
