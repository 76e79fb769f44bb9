/**
 * Typed 270 (eligibility inquiry) and 271 (eligibility response), 005010X279A1. Both share the HL tree
 * 2000A information source → 2000B information receiver → 2000C subscriber → 2000D dependent; the 270 carries
 * 2110 EQ inquiries, the 271 2110 EB benefits. Amounts are integer cents, dates YYYY-MM-DD.
 */
import type {
  Address,
  Contact,
  DatePeriod,
  Demographics,
  EntityName,
  Location,
  MonetaryAmount,
  ProcedureCode,
  ProviderInformation,
  RawSegment,
  Reference,
  Trace,
} from '../core/common-segments.ts';

/** BHT beginning of hierarchical transaction. */
export interface EligibilityHeader {
  /** BHT01 hierarchical structure code: 0022 for the 270/271. */
  readonly structureCode: string;
  /** BHT02 purpose: 13 request, 01 cancellation (270); 11 response, 06 confirmation (271). */
  readonly purpose: string;
  /** BHT03 submitter transaction identifier (the 271 echoes the 270's). */
  readonly referenceId?: string;
  /** BHT04 as YYYY-MM-DD (as written when it is not a valid date; the BHT check reports it). */
  readonly date: string;
  /** BHT05 HHMM[SS[D[D]]]. */
  readonly time: string;
  /** BHT06 transaction type code (RT real time in a 270). */
  readonly transactionType?: string;
}

/** AAA request validation: the payer could not process some part of the inquiry. */
export interface RequestValidation {
  /** AAA01: Y the request was valid but could not be processed; N it was invalid. */
  readonly valid: boolean;
  /** AAA03 reject reason code (see `AAA_REJECT_REASONS`). */
  readonly rejectReason: string;
  /** AAA04 follow-up action code (see `AAA_FOLLOW_UP_ACTIONS`). */
  readonly followUpAction: string;
  readonly at?: Location;
}

/** INS subscriber/dependent relationship (2100C/2100D). */
export interface MemberRelationship {
  /** INS01: Y the member is the subscriber, N a dependent. */
  readonly insured: string;
  /** INS02 individual relationship code (18 self, 01 spouse, 19 child, 34 other adult). */
  readonly relationship: string;
  /** INS03 maintenance type code (001 change) when the payer corrected identifying data (271). */
  readonly maintenanceType?: string;
  /** INS04 maintenance reason code (25 change in identifying data elements). */
  readonly maintenanceReason?: string;
  /** INS17 birth sequence number (twins, ...). */
  readonly birthSequence?: string;
}

/** HI diagnosis code (qualifier ABK principal / ABF other ICD-10-CM). */
export interface DiagnosisCode {
  readonly qualifier: string;
  readonly code: string;
}

/** 2110C/2110D (270) eligibility or benefit inquiry. */
export interface EligibilityInquiry {
  /** EQ01 service type codes (repeating), e.g. 30 health benefit plan coverage, 98 office visit. */
  readonly serviceTypes: readonly string[];
  /** EQ02 procedure when the inquiry is for one service. */
  readonly procedure?: ProcedureCode;
  /** EQ03 coverage level. */
  readonly coverageLevel?: string;
  /** EQ05 diagnosis code pointers to the HI codes. */
  readonly diagnosisPointers?: readonly string[];
  /** AMT R spend down / PB billed amount. */
  readonly amounts: readonly MonetaryAmount[];
  /** III additional information (place of service), kept as read. */
  readonly additionalInformation: readonly RawSegment[];
  readonly references: readonly Reference[];
  readonly dates: readonly DatePeriod[];
  readonly other: readonly RawSegment[];
  readonly at?: Location;
}

/** 2120C/2120D benefit related entity (inside LS/LE), e.g. the primary care provider NM1*P3. */
export interface BenefitRelatedEntity {
  readonly name: EntityName;
  readonly address?: Address;
  readonly contacts: readonly Contact[];
  readonly provider?: ProviderInformation;
  readonly other: readonly RawSegment[];
}

/** 2110C/2110D (271) eligibility or benefit information (EB and what follows it). */
export interface BenefitInformation {
  /** EB01 eligibility or benefit information code (see `EB01_CODES`). */
  readonly code: string;
  /** EB02 coverage level (IND, FAM, ...). */
  readonly coverageLevel?: string;
  /** EB03 service type codes (repeating). */
  readonly serviceTypes: readonly string[];
  /** EB04 insurance type code. */
  readonly insuranceType?: string;
  /** EB05 plan coverage description. */
  readonly planDescription?: string;
  /** EB06 time period qualifier (23 calendar year, 29 remaining, ...). */
  readonly timePeriod?: string;
  /** EB07 monetary amount in cents (copay, deductible, out-of-pocket ...). */
  readonly amountCents?: number;
  /** EB08 percent as basis points (EB08 0.2 = 20 % = 2000). */
  readonly percentBasisPoints?: number;
  /** EB09 quantity qualifier and EB10 quantity (thousandths). */
  readonly quantityQualifier?: string;
  readonly quantityMilli?: number;
  /** EB11 authorization or certification required (Y/N/U). */
  readonly authorizationRequired?: string;
  /** EB12 in plan network (Y in network, N out of network, W both, U unknown). */
  readonly inPlanNetwork?: string;
  /** EB13 procedure. */
  readonly procedure?: ProcedureCode;
  /** EB14 diagnosis code pointers. */
  readonly diagnosisPointers?: readonly string[];
  /** HSD health care services delivery, kept as read. */
  readonly serviceDeliveries: readonly RawSegment[];
  readonly references: readonly Reference[];
  readonly dates: readonly DatePeriod[];
  readonly validations: readonly RequestValidation[];
  /** MSG01 free-form messages. */
  readonly messages: readonly string[];
  /** 2115 III additional information, kept as read. */
  readonly additionalInformation: readonly RawSegment[];
  /** 2120 benefit related entities between LS*2120 and LE*2120. */
  readonly relatedEntities: readonly BenefitRelatedEntity[];
  readonly other: readonly RawSegment[];
  readonly at?: Location;
}

/** 2000C subscriber or 2000D dependent with its 2100 name loop and 2110 inquiries / benefits. */
export interface EligibilityMember {
  /** 2000C or 2000D. */
  readonly loop: '2000C' | '2000D';
  readonly at?: Location;
  /** HL04 as read, kept for a faithful rewrite; when absent the writer derives it from the children. */
  readonly hlChildCode?: string;
  /** TRN trace numbers (the 270's, echoed in the 271, plus the payer's own). */
  readonly traces: readonly Trace[];
  /** NM1*IL subscriber or NM1*03 dependent. */
  readonly name: EntityName;
  /** REF supplemental identifiers (SY, 6P group number, IG policy, 18 plan, 1L, ...). */
  readonly references: readonly Reference[];
  readonly address?: Address;
  /** AAA request validation at the name level (2100C/2100D). */
  readonly validations: readonly RequestValidation[];
  readonly provider?: ProviderInformation;
  readonly demographics?: Demographics;
  readonly relationship?: MemberRelationship;
  /** HI diagnosis codes (270). */
  readonly diagnoses: readonly DiagnosisCode[];
  /** DTP 291 plan, 307 eligibility, 346/347 plan begin/end, 356/357 eligibility begin/end, ... */
  readonly dates: readonly DatePeriod[];
  /** MPI military personnel information (271), kept as read. */
  readonly militaryPersonnel?: RawSegment;
  /** 2110 EQ inquiries (270). */
  readonly inquiries: readonly EligibilityInquiry[];
  /** 2110 EB benefits (271). */
  readonly benefits: readonly BenefitInformation[];
  /** 2000D dependents (subscriber only). */
  readonly dependents: readonly EligibilityMember[];
  readonly other: readonly RawSegment[];
}

/** 2000B information receiver (the provider asking). */
export interface InformationReceiver {
  readonly at?: Location;
  /** HL04 as read, kept for a faithful rewrite; when absent the writer derives it from the children. */
  readonly hlChildCode?: string;
  /** 2100B NM1*1P/FA/80/2B/36/GP/P5/PR. */
  readonly name: EntityName;
  readonly references: readonly Reference[];
  readonly address?: Address;
  readonly validations: readonly RequestValidation[];
  readonly provider?: ProviderInformation;
  readonly subscribers: readonly EligibilityMember[];
  readonly other: readonly RawSegment[];
}

/** 2000A information source (the payer). */
export interface InformationSource {
  readonly at?: Location;
  /** HL04 as read, kept for a faithful rewrite; when absent the writer derives it from the children. */
  readonly hlChildCode?: string;
  /** AAA at the 2000A level (payer cannot respond at all). */
  readonly levelValidations: readonly RequestValidation[];
  /** 2100A NM1*PR (or 2B, 36, GP, P5). */
  readonly name: EntityName;
  /** 2100A PER payer contacts (271). */
  readonly contacts: readonly Contact[];
  /** 2100A AAA. */
  readonly validations: readonly RequestValidation[];
  readonly receivers: readonly InformationReceiver[];
  readonly other: readonly RawSegment[];
}

/** One 270 or 271 transaction set. */
export interface EligibilityTransaction {
  /** ST01. */
  readonly type: '270' | '271';
  /** ST02 as read (the writer takes control numbers from the caller). */
  readonly controlNumber?: string;
  readonly header: EligibilityHeader;
  readonly sources: readonly InformationSource[];
  /** Header-level segments the reader did not interpret. */
  readonly other: readonly RawSegment[];
}
