/**
 * Typed 276 (claim status request) and 277 (claim status response), 005010X212. The HL tree is 2000A
 * information source (payer) → 2000B information receiver → 2000C service provider → 2000D subscriber →
 * 2000E dependent; claims sit in 2200D/2200E claim status tracking loops, lines in 2210 (276) / 2220 (277).
 * The same loop shapes carry the 277CA (005010X214, see ../tx277ca). Amounts are integer cents.
 */
import type {
  Contact,
  DatePeriod,
  Demographics,
  EntityName,
  Location,
  MonetaryAmount,
  ProcedureCode,
  Quantity,
  RawSegment,
  Reference,
  Trace,
} from '../core/common-segments.ts';

/** BHT of a 276 / 277 / 277CA. */
export interface ClaimStatusHeader {
  /** BHT01: 0010 (276/277), 0085 (277CA). */
  readonly structureCode: string;
  /** BHT02: 13 request (276), 08 status (277, 277CA). */
  readonly purpose: string;
  /** BHT03 originator application transaction identifier. */
  readonly referenceId?: string;
  /** BHT04 as YYYY-MM-DD (as written when it is not a valid date; the BHT check reports it). */
  readonly date: string;
  /** BHT05 time as written. */
  readonly time: string;
  /** BHT06: DG response (277), TH receipt acknowledgement (277CA). */
  readonly transactionType?: string;
}

/** One status triple: STC01 (or STC10 / STC11) composite C043. */
export interface StatusCode {
  /** C043-1 claim status category code (external code source 507), e.g. A1, A7, F1, P3. */
  readonly category: string;
  /** C043-2 claim status code (external code source 508). */
  readonly status: string;
  /** C043-3 entity identifier code the status is about (85 billing provider, IL, QC, ...). */
  readonly entity?: string;
  /** C043-4 code list qualifier (RX: the status is an NCPDP reject/payment code). */
  readonly codeListQualifier?: string;
}

/** STC status information. */
export interface StatusInformation {
  /** STC01, then STC10 and STC11 when present (up to three statuses). */
  readonly statuses: readonly StatusCode[];
  /** STC02 status information effective date. */
  readonly effectiveDate?: string;
  /** STC03 action code (277CA: WQ accept, U reject). */
  readonly actionCode?: string;
  /** STC04 total claim charge amount (cents). */
  readonly chargeCents?: number;
  /** STC05 claim payment amount (cents). */
  readonly paidCents?: number;
  /** STC06 adjudication or payment date. */
  readonly adjudicationDate?: string;
  /** STC07 payment method code (ACH, BOP, CHK, FWT, NON). */
  readonly paymentMethod?: string;
  /** STC08 check issue or EFT effective date. */
  readonly checkDate?: string;
  /** STC09 check or EFT trace number. */
  readonly checkNumber?: string;
  /** STC12 free-form message text. */
  readonly message?: string;
  readonly at?: Location;
}

/** SVC service line information (276 2210, 277 2220, 277CA 2220D). */
export interface ServiceLineInformation {
  /** SVC01 procedure (HC CPT/HCPCS, N4 NDC, NU revenue code, ...). */
  readonly procedure: ProcedureCode;
  /** SVC02 line item charge amount. */
  readonly chargeCents: number;
  /** SVC03 line item provider payment amount (277). */
  readonly paidCents?: number;
  /** SVC04 revenue code. */
  readonly revenueCode?: string;
  /** SVC07 original units of service (thousandths). */
  readonly unitsMilli?: number;
}

/** 2210 / 2220 service line status loop. */
export interface ServiceLineStatus {
  readonly service: ServiceLineInformation;
  readonly statuses: readonly StatusInformation[];
  /** REF*FJ line item control number, REF*XZ prescription number. */
  readonly references: readonly Reference[];
  /** DTP*472 service date. */
  readonly dates: readonly DatePeriod[];
  readonly other: readonly RawSegment[];
  readonly at?: Location;
}

/**
 * 2200x claim status tracking (276/277 2200D/E claims; 277CA 2200A-D): TRN, STC, REF, QTY, AMT, DTP and the
 * service lines.
 */
export interface ClaimStatusTracking {
  /** TR3 loop id, e.g. 2200D. */
  readonly loop: string;
  /** TRN: 276 TRN*1 our trace; 277 TRN*2 echoes it; 277CA TRN*2 carries the patient control number (CLM01). */
  readonly trace: Trace;
  readonly statuses: readonly StatusInformation[];
  /** REF*1K payer claim control number, BLT bill type, EJ patient account, D9 clearinghouse trace, ... */
  readonly references: readonly Reference[];
  /** QTY*90 accepted / AA rejected counts (277CA). */
  readonly quantities: readonly Quantity[];
  /** AMT*T3 total claim charge (276), AMT*YU accepted / YY rejected amounts (277CA). */
  readonly amounts: readonly MonetaryAmount[];
  /** DTP*472 service dates, 050 received / 009 processed (277CA 2200A). */
  readonly dates: readonly DatePeriod[];
  readonly lines: readonly ServiceLineStatus[];
  readonly other: readonly RawSegment[];
  readonly at?: Location;
}

/** What every HL level of these guides carries: its HL, an optional DMG, the NM1 name, PER contacts. */
export interface StatusLevelBase {
  readonly at?: Location;
  /** HL04 as read; when absent the writer derives it (or omits it where the guide does not use it). */
  readonly hlChildCode?: string;
  /** DMG (276 2000D/2000E). */
  readonly demographics?: Demographics;
  readonly name: EntityName;
  /** PER (277 2100A payer contact). */
  readonly contacts: readonly Contact[];
  /** 2200 tracking loops at this level. */
  readonly tracking: readonly ClaimStatusTracking[];
  readonly other: readonly RawSegment[];
}

/** 2000E dependent (patient who is not the subscriber). */
export type StatusDependent = StatusLevelBase;

/** 2000D subscriber; its claims are in `tracking` (2200D). */
export interface StatusSubscriber extends StatusLevelBase {
  readonly dependents: readonly StatusDependent[];
}

/** 2000C service provider (NM1*1P). */
export interface StatusServiceProvider extends StatusLevelBase {
  readonly subscribers: readonly StatusSubscriber[];
}

/** 2000B information receiver (NM1*41). */
export interface StatusInformationReceiver extends StatusLevelBase {
  readonly providers: readonly StatusServiceProvider[];
}

/** 2000A information source (payer, NM1*PR). */
export interface StatusInformationSource extends StatusLevelBase {
  readonly receivers: readonly StatusInformationReceiver[];
}

/** One 276 or 277 transaction set. */
export interface ClaimStatusTransaction {
  readonly type: '276' | '277';
  readonly controlNumber?: string;
  readonly header: ClaimStatusHeader;
  readonly sources: readonly StatusInformationSource[];
  readonly other: readonly RawSegment[];
}
