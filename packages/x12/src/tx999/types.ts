/**
 * Typed 999 Implementation Acknowledgment (005010X231A1): AK1 group response header, 2000 AK2 transaction set
 * responses with 2100 IK3 segment errors (and CTX contexts), 2110 IK4 element errors, IK5 per transaction set,
 * AK9 for the group. Counts and positions are numbers; codes stay as the X12 code text.
 */

/** IK5 / AK9 acknowledgement codes: A accepted, E accepted with errors noted, R rejected, P partially accepted (AK9), M/W/X (other rejection forms). */
export const ACK_CODES = ['A', 'E', 'M', 'P', 'R', 'W', 'X'] as const;
export type AckCode = (typeof ACK_CODES)[number];

/** A position inside a segment: element (1-based), component and repetition when relevant (IK401, CTX05). */
export interface ElementPosition {
  readonly element: number;
  readonly component?: number;
  readonly repetition?: number;
}

/** CTX context: business unit (e.g. CLM01 claim id) or situational trigger location. */
export interface Context {
  /** CTX01-1, e.g. 'SITUATIONAL TRIGGER' or 'CLM01'. */
  readonly name: string;
  /** CTX01-2, the business identifier value (e.g. the claim id). */
  readonly reference?: string;
  /** CTX02 segment id of the trigger. */
  readonly segmentId?: string;
  /** CTX03 segment position in the transaction set. */
  readonly segmentPosition?: number;
  /** CTX04 loop id. */
  readonly loop?: string;
  /** CTX05 position in the segment. */
  readonly elementPosition?: ElementPosition;
  /** CTX06 reference in segment (data element reference numbers), components as written. */
  readonly elementReference?: readonly string[];
}

/** 2110 IK4 implementation data element note. */
export interface ElementError {
  /** IK401 position in segment. */
  readonly position: ElementPosition;
  /** IK402 data element reference number. */
  readonly referenceNumber?: string;
  /** IK403 implementation data element syntax error code. */
  readonly code: string;
  /** IK404 copy of the bad data element (may be patient data: never log it). */
  readonly badValue?: string;
  readonly contexts: readonly Context[];
}

/** 2100 IK3 implementation data segment note. */
export interface SegmentError {
  /** IK301 segment id code. */
  readonly segmentId: string;
  /** IK302 segment position in the transaction set (ST = 1). */
  readonly position: number;
  /** IK303 loop identifier code. */
  readonly loop?: string;
  /** IK304 implementation segment syntax error code. */
  readonly code?: string;
  readonly contexts: readonly Context[];
  readonly elementErrors: readonly ElementError[];
}

/** Loop 2000: AK2 transaction set response header ... IK5 transaction set response trailer. */
export interface TransactionSetResponse {
  /** AK201 transaction set identifier code (837, 835, 270, ...). */
  readonly transactionType: string;
  /** AK202 ST02 of the acknowledged transaction set. */
  readonly controlNumber: string;
  /** AK203 implementation convention reference (ST03). */
  readonly implementation?: string;
  readonly segmentErrors: readonly SegmentError[];
  /** IK501 A / E / R (M, W, X). */
  readonly status: string;
  /** IK502..IK506 implementation transaction set syntax error codes. */
  readonly errorCodes: readonly string[];
}

/** One 999 transaction set. */
export interface Ack999 {
  /** ST02. */
  readonly controlNumber: string;
  readonly implementation: string;
  /** AK101 functional id of the acknowledged group (HC, HP, HS, ...). */
  readonly functionalId: string;
  /** AK102 GS06 of the acknowledged group. */
  readonly groupControlNumber: string;
  /** AK103 GS08 of the acknowledged group. */
  readonly groupVersion?: string;
  readonly transactions: readonly TransactionSetResponse[];
  /** AK901 A / E / P / R (M, W, X). */
  readonly status: string;
  /** AK902 number of transaction sets included (GE01 as received). */
  readonly included: number;
  /** AK903 number of received transaction sets. */
  readonly received: number;
  /** AK904 number of accepted transaction sets. */
  readonly accepted: number;
  /** AK905..AK909 functional group syntax error codes. */
  readonly errorCodes: readonly string[];
}
