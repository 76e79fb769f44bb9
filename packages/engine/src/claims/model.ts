import type {
  CalendarDate,
  Cents,
  ClaimId,
  ClaimLineId,
  Icd10Code,
  MemberId,
  Modifier,
  Npi,
  PayerCode,
  PatientId,
  PayerId,
  Phi,
  PlaceOfService,
  PracticeId,
  ProcedureCode,
  ProviderId,
  TaxonomyCode,
  Tin,
} from '@openrcm/core';

/**
 * The claim as the engine sees it between construction and submission: everything the scrubber checks and the
 * 837P writer needs, as plain data. Built from the database by `claims/`, checked by `scrubber/`, serialized by
 * `submission/`. Patient-identifying values are wrapped in `Phi` so they cannot leak into logs.
 */

/** CLM05-3 claim frequency type code: 1 original, 7 replacement (corrected), 8 void. */
export const FREQUENCY_CODES = ['1', '7', '8'] as const;
export type FrequencyCode = (typeof FREQUENCY_CODES)[number];

/** Payer responsibility sequence (SBR01). */
export const COVERAGE_RANKS = ['primary', 'secondary', 'tertiary'] as const;
export type CoverageRank = (typeof COVERAGE_RANKS)[number];

export const PAYER_TYPES = ['medicare', 'medicaid', 'commercial', 'other'] as const;
export type PayerType = (typeof PAYER_TYPES)[number];

/** Patient relationship to the subscriber, as X12 individual relationship codes (18 self, 01 spouse, 19 child, ...). */
export type RelationshipCode = '18' | '01' | '19' | '20' | '21' | '39' | '40' | '53' | 'G8';

export interface PostalAddress {
  readonly line1: string;
  readonly line2?: string;
  readonly city: string;
  readonly state: string;
  readonly postalCode: string;
}

export interface ClaimProvider {
  readonly providerId?: ProviderId;
  readonly npi: Npi;
  /** Person (1) or organization (2): NM102. */
  readonly entityType: 'person' | 'organization';
  readonly lastOrOrganizationName: string;
  readonly firstName?: string;
  readonly taxonomy?: TaxonomyCode;
}

export interface BillingProvider extends ClaimProvider {
  readonly tin: Tin;
  readonly address: PostalAddress;
}

export interface ServiceFacility {
  readonly npi?: Npi;
  readonly name: string;
  readonly address: PostalAddress;
  readonly placeOfService: PlaceOfService;
}

export interface ClaimPayer {
  readonly payerId: PayerId;
  /** The payer's X12 id (2010BB NM109). */
  readonly payerCode: PayerCode;
  readonly name: string;
  readonly type: PayerType;
  readonly timelyFilingDays: number;
  /** 2000B SBR09 claim filing indicator (MB, MC, CI, BL, HM, ...). */
  readonly claimFilingIndicator: string;
}

export interface Person {
  readonly lastName: Phi<string>;
  readonly firstName: Phi<string>;
  readonly birthDate: Phi<CalendarDate>;
  readonly sex: 'F' | 'M' | 'U';
  readonly address: Phi<PostalAddress>;
}

export interface ClaimCoverage {
  readonly rank: CoverageRank;
  readonly payer: ClaimPayer;
  readonly memberId: Phi<MemberId>;
  readonly groupNumber?: string;
  readonly planName?: string;
  readonly relationship: RelationshipCode;
  readonly subscriber: Person;
  readonly effectiveFrom: CalendarDate;
  readonly effectiveTo?: CalendarDate;
}

/** What an earlier payer did with this claim, for secondary claims (837P 2320/2330B/2430 COB loops). */
export interface PriorAdjudication {
  readonly coverage: ClaimCoverage;
  readonly paidCents: Cents;
  readonly adjudicatedOn: CalendarDate;
  readonly claimAdjustments: readonly Adjustment[];
  readonly lines: readonly {
    readonly lineControlNumber: string;
    readonly paidCents: Cents;
    readonly procedureCode: ProcedureCode;
    readonly modifiers: readonly Modifier[];
    readonly units: number;
    readonly adjustments: readonly Adjustment[];
  }[];
}

export interface Adjustment {
  /** CAS01 claim adjustment group code. */
  readonly group: 'CO' | 'PR' | 'OA' | 'PI' | 'CR';
  /** CAS02 claim adjustment reason code (CARC). */
  readonly reason: string;
  readonly amountCents: Cents;
  readonly quantity?: number;
}

export interface ClaimLine {
  readonly lineId: ClaimLineId;
  /** 1-based LX01. */
  readonly lineNumber: number;
  /** 2400 REF*6R: OpenRCM always sends it so 835 lines post deterministically. */
  readonly lineControlNumber: string;
  readonly procedureCode: ProcedureCode;
  readonly modifiers: readonly Modifier[];
  /** Service units (SV104); whole units for professional claims, decimals allowed by the guide. */
  readonly units: number;
  readonly chargeCents: Cents;
  /** 1-based pointers into `Claim.diagnoses` (SV107), up to 4. */
  readonly diagnosisPointers: readonly number[];
  readonly serviceDate: CalendarDate;
  readonly serviceDateEnd?: CalendarDate;
  /** SV105 when it differs from the claim's POS. */
  readonly placeOfService?: PlaceOfService;
  /** Line-level rendering provider when it differs from the claim's (2420A). */
  readonly renderingProvider?: ClaimProvider;
  readonly priorAuthorization?: string;
}

export interface Claim {
  readonly claimId: ClaimId;
  readonly practiceId: PracticeId;
  /** 1 for the first version; each correction or void is a new version of the same claim. */
  readonly version: number;
  /** CLM01: our claim id as text (the 835 CLP01 comes back with it). */
  readonly patientControlNumber: string;
  readonly frequencyCode: FrequencyCode;
  /** REF*F8, required for frequency 7 and 8. */
  readonly payerClaimControlNumber?: string;
  readonly billingProvider: BillingProvider;
  readonly renderingProvider?: ClaimProvider;
  readonly referringProvider?: ClaimProvider;
  readonly supervisingProvider?: ClaimProvider;
  readonly serviceFacility?: ServiceFacility;
  /** The coverage billed by this claim. */
  readonly coverage: ClaimCoverage;
  /** Other coverages on file (for COB and for the "secondary before primary" check). */
  readonly otherCoverages: readonly ClaimCoverage[];
  readonly priorAdjudications: readonly PriorAdjudication[];
  readonly patient: Person;
  /** Our patient id, when known: lets the scrubber's duplicate check match patients without reading PHI. */
  readonly patientId?: PatientId;
  readonly placeOfService: PlaceOfService;
  /** Location's own POS on file, for the POS-consistency check. */
  readonly locationPlaceOfService: PlaceOfService;
  readonly priorAuthorization?: string;
  readonly referralNumber?: string;
  /** Up to 12 ICD-10-CM codes; the first is the principal diagnosis (HI ABK). */
  readonly diagnoses: readonly Icd10Code[];
  readonly lines: readonly ClaimLine[];
  readonly totalChargeCents: Cents;
  /** CLM06 provider signature on file, CLM07 assignment, CLM08 benefits assignment, CLM09 release of information. */
  readonly signatureOnFile: boolean;
  readonly acceptsAssignment: boolean;
  readonly benefitsAssigned: boolean;
  readonly releaseOfInformation: 'Y' | 'I';
  /** The earliest date of service on the claim. */
  readonly firstServiceDate: CalendarDate;
}
