/**
 * Typed 277CA health care claim acknowledgement (005010X214): the answer a clearinghouse or payer returns
 * for each claim of an 837. HL tree 2000A information source → 2000B information receiver → 2000C billing
 * provider → 2000D patient; each level has 2200 tracking loops, claims are 2200D with 2220D lines.
 */
import type { RawSegment } from '../core/common-segments.ts';
import type { ClaimStatusHeader, StatusLevelBase } from '../tx276277/types.ts';

/** 2000D patient (NM1*QC); its claims are in `tracking` (2200D). */
export type AckPatient = StatusLevelBase;

/** 2000C billing provider of service (NM1*85) with 2200C provider-level counts. */
export interface AckBillingProvider extends StatusLevelBase {
  readonly patients: readonly AckPatient[];
}

/** 2000B information receiver (NM1*41, the submitter) with 2200B batch counts QTY*90/AA, AMT*YU/YY. */
export interface AckInformationReceiver extends StatusLevelBase {
  readonly providers: readonly AckBillingProvider[];
}

/** 2000A information source (NM1*PR payer or AY clearinghouse) with 2200A receipt / process dates. */
export interface AckInformationSource extends StatusLevelBase {
  readonly receivers: readonly AckInformationReceiver[];
}

/** One 277CA transaction set. */
export interface ClaimAcknowledgementTransaction {
  readonly controlNumber?: string;
  readonly header: ClaimStatusHeader;
  readonly sources: readonly AckInformationSource[];
  readonly other: readonly RawSegment[];
}
