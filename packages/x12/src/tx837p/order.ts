/**
 * TR3 segment order inside each 837P loop (005010X222A1 section 2.4), as ranks: the writer places segments by
 * rank, and the loop builder warns when a loop's segments arrive with a falling rank.
 */
// Where segments kept raw go back, per loop, in TR3 segment order. Unknown ids go after the loop's own segments.
export const PARTY_RANK: Readonly<Record<string, number>> = {
  NM1: 0,
  PRV: 1,
  N3: 2,
  N4: 3,
  DMG: 4,
  DTP: 5,
  REF: 6,
  PER: 7,
};
export const CLAIM_RANK: Readonly<Record<string, number>> = {
  DTP: 1,
  PWK: 2,
  CN1: 3,
  AMT: 4,
  REF: 5,
  K3: 6,
  NTE: 7,
  CR1: 8,
  CR2: 9,
  CRC: 10,
  HI: 11,
  HCP: 12,
};
export const LINE_RANK: Readonly<Record<string, number>> = {
  SV1: 1,
  SV5: 2,
  PWK: 3,
  CR1: 4,
  CR3: 5,
  CRC: 6,
  DTP: 7,
  QTY: 8,
  MEA: 9,
  CN1: 10,
  REF: 11,
  AMT: 12,
  K3: 13,
  NTE: 14,
  PS1: 15,
  HCP: 16,
  // 2440 form identification loops come last; LQ and FRM share a rank so their interleaving is kept.
  LQ: 40,
  FRM: 40,
};
export const OTHER_PAYER_RANK: Readonly<Record<string, number>> = { SBR: 0, CAS: 1, AMT: 2, OI: 3, MOA: 4 };
export const ADJUDICATION_RANK: Readonly<Record<string, number>> = { SVD: 0, CAS: 1, DTP: 2, AMT: 3 };

const HEADER_RANK: Readonly<Record<string, number>> = { BHT: 0 };
const BILLING_RANK: Readonly<Record<string, number>> = { HL: 0, PRV: 1, CUR: 2 };
const SUBSCRIBER_RANK: Readonly<Record<string, number>> = { HL: 0, SBR: 1, PAT: 2 };
const PATIENT_RANK: Readonly<Record<string, number>> = { HL: 0, PAT: 1 };
const DRUG_RANK: Readonly<Record<string, number>> = { LIN: 0, CTP: 1, REF: 2 };

/** The segment ranks of a loop id, or undefined for loops without a fixed order. */
export function ranksOf(loop: string): Readonly<Record<string, number>> | undefined {
  switch (loop) {
    case 'HEADER':
      return HEADER_RANK;
    case '2000A':
      return BILLING_RANK;
    case '2000B':
      return SUBSCRIBER_RANK;
    case '2000C':
      return PATIENT_RANK;
    case '2300':
      return CLAIM_RANK;
    case '2320':
      return OTHER_PAYER_RANK;
    case '2400':
      return LINE_RANK;
    case '2410':
      return DRUG_RANK;
    case '2430':
      return ADJUDICATION_RANK;
    default:
      return /^(1000|2010|2310|2330|2420)[A-H]$/.test(loop) ? PARTY_RANK : undefined;
  }
}
