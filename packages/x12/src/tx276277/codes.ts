/**
 * Claim status category codes (STC01-1, external code source 507) with short descriptions of our own, and how
 * OpenRCM reads them. The authoritative list is maintained by X12; callers pass the current one to the
 * readers (`ExternalCodeLists.claimStatusCategory`) to have codes checked.
 *
 * Checked on 2026-11-28 against the code set of the pyx12 external lists (codes.xml, element 507: the codes in
 * use) and a dated copy of the X12 list with effective / deactivation dates (the Hippo_eyeDoc gem's
 * ClaimStatusCategoryCodes): R7..R16 described other requests than the list says and are corrected; DR (not a
 * code: data reporting categories are DR01..DR08) and RQ (deactivated 2008-01-01) are removed; F5 and X0 were
 * deactivated in 2003 and are not listed. Codes without a description here read as "Claim status category X".
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
  R7: 'Request for information: confirm the care is consistent with the plan coverage policy',
  R8: 'Request for information: confirm the care is consistent with coverage exceptions',
  R9: 'Request for information: medical necessity determination',
  R10: 'Request for information: support for a filed grievance or appeal',
  R11: 'Request for information: pre-payment review',
  R12: 'Request for information: justify the use of the procedure code',
  R13: 'Request for information: documents received were not readable',
  R14: 'Request for information: documents received were not the ones requested',
  R15: "Request for information: workers' compensation coverage determination",
  R16: 'Request for information: eligibility determination',
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
