/**
 * Claim status category codes (STC01-1, external code source 507) with short descriptions of our own, and how
 * OpenRCM reads them. The authoritative list is maintained by X12; callers pass the current one to the
 * readers (`ExternalCodeLists.claimStatusCategory`) to have codes checked.
 */
export const CLAIM_STATUS_CATEGORIES = {
  A0: 'Acknowledged: forwarded to another entity',
  A1: 'Acknowledged: received',
  A2: 'Acknowledged: accepted into adjudication',
  A3: 'Acknowledged: returned as unprocessable',
  A4: 'Acknowledged: not found',
  A5: 'Acknowledged: split claim',
  A6: 'Acknowledged: rejected for missing information',
  A7: 'Acknowledged: rejected for invalid information',
  A8: 'Acknowledged: rejected for relational field in error',
  DR: 'Data reporting acknowledgement',
  D0: 'Data search unsuccessful',
  E0: 'Response not possible: error in the submitted request',
  E1: 'Response not possible: payer system status',
  E2: 'Response not possible: information holder not responding',
  E3: 'Correction required: relational fields in error',
  E4: 'Trading partner agreement requirement not met',
  F0: 'Finalized',
  F1: 'Finalized: payment',
  F2: 'Finalized: denial',
  F3: 'Finalized: revised adjudication',
  F3F: 'Finalized: forwarded',
  F3N: 'Finalized: not forwarded',
  F4: 'Finalized: adjudication complete, no payment forthcoming',
  P0: 'Pending: adjudication, no details',
  P1: 'Pending: in process',
  P2: 'Pending: payer review',
  P3: 'Pending: provider requested information',
  P4: 'Pending: patient requested information',
  P5: 'Pending: payer administrative or system hold',
  R0: 'Request for information: general',
  R1: 'Request for information: entity requests',
  R3: 'Request for information: claim or line',
  R4: 'Request for information: documentation',
  R5: 'Request for information: more specific detail',
  R6: 'Request for information: regulatory requirements',
  R7: 'Request for information: confirmation of a response',
  R8: 'Request for information: additional documentation',
  R9: 'Request for information: documentation per claim',
  R10: 'Request for information: patient information',
  R11: 'Request for information: subscriber information',
  R12: 'Request for information: provider information',
  R13: 'Request for information: medical records',
  R14: 'Request for information: provider record',
  R15: 'Request for information: employer information',
  R16: 'Request for information: treatment information',
  RQ: 'General questions',
} as const;
export type ClaimStatusCategory = keyof typeof CLAIM_STATUS_CATEGORIES;

/** Categories that mean a claim was not accepted (front-end rejection or an unprocessable request). */
export const REJECTING_CATEGORIES = [
  'A3',
  'A4',
  'A6',
  'A7',
  'A8',
  'E0',
  'E1',
  'E2',
  'E3',
  'E4',
  'D0',
] as const;
/** Categories that mean a claim was acknowledged and accepted (or forwarded). */
export const ACCEPTING_CATEGORIES = ['A0', 'A1', 'A2', 'A5'] as const;

/** Readable text for a claim status category code (the code itself when unknown). */
export function claimStatusCategoryText(code: string): string {
  return code in CLAIM_STATUS_CATEGORIES
    ? CLAIM_STATUS_CATEGORIES[code as ClaimStatusCategory]
    : `Claim status category ${code}`;
}

/** The broad state a category puts a claim in (277 answers to a 276). */
export const CLAIM_STATUS_STATES = [
  'acknowledged',
  'rejected',
  'pending',
  'finalized',
  'request',
  'error',
  'unknown',
] as const;
export type ClaimStatusState = (typeof CLAIM_STATUS_STATES)[number];

/** Maps a category code to its broad state. */
export function claimStatusState(category: string): ClaimStatusState {
  if ((REJECTING_CATEGORIES as readonly string[]).includes(category))
    return category.startsWith('E') ? 'error' : 'rejected';
  if ((ACCEPTING_CATEGORIES as readonly string[]).includes(category)) return 'acknowledged';
  if (category.startsWith('F')) return 'finalized';
  if (category.startsWith('P')) return 'pending';
  if (category.startsWith('R')) return 'request';
  return 'unknown';
}
