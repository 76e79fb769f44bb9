/**
 * Typed model of an 837P professional claim transaction (005010X222A1). Plain readonly data: amounts are
 * integer cents, quantities integer thousandths, dates 'YYYY-MM-DD'. Loop-scoped pieces are named after the
 * TR3 loops they come from. Segments OpenRCM does not interpret are kept in `other` (raw element arrays) so a
 * parse → write round trip loses nothing.
 */

/** One element of a segment kept raw: plain text, or the components of a composite. */
export type RawElement = string | readonly string[];

/** A segment kept as read (composites split into components so it can be rewritten with any delimiters). */
export interface RawSegment {
  readonly id: string;
  /** Element 01 first (the id is not repeated here). */
  readonly elements: readonly RawElement[];
}

/** Where a typed object was read from (for later diagnostics, e.g. scrubber issues pointing at a segment). */
export interface SourceLocation {
  readonly segmentIndex: number;
  readonly line: number;
}

/** NM1 individual or organizational name. */
export interface EntityName {
  /** NM101 entity identifier code, e.g. 85 billing provider, IL subscriber, PR payer, 82 rendering. */
  readonly entity: string;
  /** NM102: '1' person, '2' non-person entity (kept as read; the writer refuses anything else). */
  readonly entityType: string;
  /** NM103 last name or organization name (absent for 2010AB pay-to address, where NM103 is not used). */
  readonly lastOrOrganization?: string;
  /** NM104 */
  readonly first?: string;
  /** NM105 */
  readonly middle?: string;
  /** NM107 */
  readonly suffix?: string;
  /** NM108, e.g. XX (NPI), MI (member id), PI (payer id), 46 (ETIN). */
  readonly idQualifier?: string;
  /** NM109 */
  readonly id?: string;
}

/** N3 / N4 address. */
export interface Address {
  /** N301 */
  readonly line1?: string;
  /** N302 */
  readonly line2?: string;
  /** N401 */
  readonly city?: string;
  /** N402 */
  readonly state?: string;
  /** N403 */
  readonly postalCode?: string;
  /** N404 */
  readonly country?: string;
  /** N407 */
  readonly countrySubdivision?: string;
}

/** REF reference identification. */
export interface Reference {
  /** REF01, e.g. EI (TIN), SY (SSN), G2 (payer-assigned provider id), 6R (line item control number). */
  readonly qualifier: string;
  /** REF02 */
  readonly value: string;
  /** REF03 */
  readonly description?: string;
}

/** PER contact: PER01 function code, PER02 name, then up to three qualifier/number pairs. */
export interface Contact {
  readonly functionCode: string;
  readonly name?: string;
  readonly numbers: readonly { readonly qualifier: string; readonly number: string }[];
}

/** DMG demographics (D8 date of birth and gender code F/M/U). */
export interface Demographics {
  /** DMG02, YYYY-MM-DD. */
  readonly birthDate: string;
  /** DMG03: F, M or U. */
  readonly gender: string;
}

/** PRV provider information: PRV01 provider code (BI billing, PE performing), PRV03 NUCC taxonomy. */
export interface ProviderSpecialty {
  readonly providerCode: string;
  /** PRV02, PXC (taxonomy) in 5010. */
  readonly qualifier: string;
  readonly taxonomy: string;
}

/**
 * An NM1-headed loop (1000A/B, 2010AA-CA, 2310x, 2330x, 2420x): name plus the segments such loops carry, in TR3
 * order NM1, PRV, N3, N4, DMG, DTP, REF, PER.
 */
export interface Party {
  readonly name: EntityName;
  readonly specialty?: ProviderSpecialty;
  readonly address?: Address;
  readonly demographics?: Demographics;
  /** 2330B DTP*573 claim check or remittance date. */
  readonly adjudicationDate?: string;
  readonly references: readonly Reference[];
  readonly contacts: readonly Contact[];
  readonly other: readonly RawSegment[];
}

/** Header: BHT and loops 1000A (submitter) / 1000B (receiver). */
export interface Header837P {
  /** BHT02: 00 original, 18 reissue. */
  readonly purpose: string;
  /** BHT03 originator application transaction id. */
  readonly referenceId: string;
  /** BHT04 */
  readonly createdDate: string;
  /** BHT05 HHMM or HHMMSS... as written. */
  readonly createdTime: string;
  /** BHT06: CH chargeable (claims), RP reporting (encounters). */
  readonly claimOrEncounter: string;
  readonly submitter: Party;
  readonly receiver: Party;
  /** Header-level segments not interpreted. */
  readonly other: readonly RawSegment[];
}

/** Loop 2000A billing provider hierarchical level with 2010AA/AB/AC. */
export interface BillingProvider {
  /** 2000A PRV*BI */
  readonly specialty?: ProviderSpecialty;
  /** 2000A CUR02 currency code (CUR01 = 85). */
  readonly currency?: string;
  /** 2010AA NM1*85 with N3/N4, REF*EI|SY, PER. */
  readonly provider: Party;
  /** 2010AB NM1*87 pay-to address. */
  readonly payToAddress?: Party;
  /** 2010AC NM1*PE pay-to plan. */
  readonly payToPlan?: Party;
  readonly other: readonly RawSegment[];
}

/** PAT patient information (2000C PAT01 relationship; PAT05-09 death date, weight, pregnancy). */
export interface PatientInformation {
  /** PAT01 individual relationship code (2000C only), e.g. 01 spouse, 19 child, 20 employee, G8 other. */
  readonly relationship?: string;
  /** PAT06 with PAT05 = D8. */
  readonly deathDate?: string;
  /** PAT08 weight in pounds (X12 decimal text, PAT07 = 01). */
  readonly weightPounds?: string;
  /** PAT09 = Y */
  readonly pregnant?: boolean;
}

/** Loop 2000B subscriber hierarchical level (SBR, PAT) with 2010BA subscriber. */
export interface Subscriber {
  /** SBR01 payer responsibility sequence: P primary, S secondary, T tertiary, A..H, U unknown. */
  readonly payerResponsibility: string;
  /** SBR02 = 18 when the subscriber is the patient. */
  readonly relationship?: string;
  /** SBR03 group or policy number. */
  readonly groupNumber?: string;
  /** SBR04 group name. */
  readonly groupName?: string;
  /** SBR05 insurance type code (Medicare secondary payer types). */
  readonly insuranceType?: string;
  /** SBR09 claim filing indicator: MB Medicare B, MC Medicaid, CI commercial, BL BCBS, HM HMO, ... */
  readonly claimFilingIndicator?: string;
  /** 2000B PAT (only when the subscriber is the patient and death/weight/pregnancy must be reported). */
  readonly patientInformation?: PatientInformation;
  /** 2010BA NM1*IL (member id in NM109 with NM108 = MI), N3/N4, DMG, REF. */
  readonly person: Party;
  readonly other: readonly RawSegment[];
}

/** Loop 2000C patient hierarchical level (patient is not the subscriber). */
export interface Patient {
  readonly information: PatientInformation;
  /** 2010CA NM1*QC, N3/N4, DMG, REF, PER. */
  readonly person: Party;
  readonly other: readonly RawSegment[];
}

/** DTP date with its qualifier. D8 when only `date`, RD8 with `through`, DT (CCYYMMDDHHMM) with `time`. */
export interface QualifiedDate {
  /** DTP01, e.g. 431 onset, 439 accident, 472 service, 573 adjudication. */
  readonly qualifier: string;
  readonly date: string;
  readonly through?: string;
  /** HHMM (DTP02 = DT). */
  readonly time?: string;
}

/** PWK claim supplemental information (attachments). */
export interface Attachment {
  /** PWK01 attachment report type code. */
  readonly reportType: string;
  /** PWK02 transmission code (AA available on request, BM by mail, EL electronically, FX fax, ...). */
  readonly transmission: string;
  /** PWK06 attachment control number (PWK05 = AC). */
  readonly controlNumber?: string;
}

/** NTE note. */
export interface Note {
  readonly reference: string;
  readonly text: string;
}

/** CLM11 related causes (accident) composite. */
export interface RelatedCauses {
  /** CLM11-1..3: AA auto accident, EM employment, OA other accident. */
  readonly codes: readonly string[];
  /** CLM11-4 auto accident state. */
  readonly state?: string;
  /** CLM11-5 country. */
  readonly country?: string;
}

/** Loop 2300 claim information. */
export interface ClaimInformation {
  /** CLM01 patient control number (OpenRCM: our claim id; comes back as 835 CLP01). */
  readonly patientControlNumber: string;
  /** CLM02 total claim charge; must equal the sum of SV102. */
  readonly totalChargeCents: number;
  /** CLM05-1 place of service code. */
  readonly placeOfService: string;
  /** CLM05-2 facility code qualifier (always B in 837P). */
  readonly facilityCodeQualifier: string;
  /** CLM05-3 claim frequency type: 1 original, 7 replacement, 8 void. */
  readonly frequencyCode: string;
  /** CLM06 provider signature on file (Y/N). */
  readonly providerSignature: string;
  /** CLM07 assignment or plan participation (A assigned, B lab services only, C not assigned). */
  readonly assignmentParticipation: string;
  /** CLM08 benefits assignment certification (Y/N/W). */
  readonly benefitsAssignment: string;
  /** CLM09 release of information (I/Y). */
  readonly releaseOfInformation: string;
  /** CLM10 patient signature source (P). */
  readonly patientSignatureSource?: string;
  /** CLM11 */
  readonly relatedCauses?: RelatedCauses;
  /** CLM12 special program code. */
  readonly specialProgram?: string;
  /** CLM20 delay reason code. */
  readonly delayReason?: string;
  /** 2300 DTP segments (onset 431, accident 439, last seen 304, ...). */
  readonly dates: readonly QualifiedDate[];
  readonly attachments: readonly Attachment[];
  /** AMT*F5 patient amount paid. */
  readonly patientPaidCents?: number;
  /** REF*G1 prior authorization. */
  readonly priorAuthorization?: string;
  /** REF*9F referral number. */
  readonly referralNumber?: string;
  /** REF*F8 payer claim control number (required when frequency is 7 or 8). */
  readonly payerClaimControlNumber?: string;
  /** REF*D9 clearinghouse (value added network) trace number. */
  readonly clearinghouseTraceNumber?: string;
  /** REF*EA medical record number. */
  readonly medicalRecordNumber?: string;
  /** REF*X4 CLIA number. */
  readonly cliaNumber?: string;
  /** Other 2300 REF segments (4N, F5, EW, 9A, 9C, LX, P4, 1J). */
  readonly references: readonly Reference[];
  readonly notes: readonly Note[];
  /** HI diagnoses, principal first (ICD-10-CM without the dot, unless `diagnosisCodeSet` is icd9). */
  readonly diagnoses: readonly string[];
  /** Absent = ICD-10-CM (ABK/ABF); `icd9` = legacy BK/BF. */
  readonly diagnosisCodeSet?: 'icd9';
  /** Segments kept raw (CN1, K3, CR1, CR2, CRC, HI other than diagnoses, HCP, unexpected ones). */
  readonly other: readonly RawSegment[];
}

/** Loops 2310A-F claim-level providers (NM101 in `name.entity` decides the loop). */
export interface ClaimProviders {
  /** 2310A NM1*DN referring / NM1*P3 primary care (up to 2). */
  readonly referring?: readonly Party[];
  /** 2310B NM1*82 (+ PRV*PE). */
  readonly rendering?: Party;
  /** 2310C NM1*77. */
  readonly serviceFacility?: Party;
  /** 2310D NM1*DQ. */
  readonly supervising?: Party;
  /** 2310E NM1*PW. */
  readonly ambulancePickUp?: Party;
  /** 2310F NM1*45. */
  readonly ambulanceDropOff?: Party;
}

/** One CAS segment: a group code with up to six reason/amount/quantity triplets. */
export interface Adjustment {
  /** CAS01: CO, PR, OA, PI, CR. */
  readonly group: string;
  readonly items: readonly {
    readonly reason: string;
    readonly amountCents: number;
    readonly quantityMilli?: number;
  }[];
}

/** OI other insurance coverage information. */
export interface OtherInsurance {
  /** OI03 benefits assignment certification (Y/N/W). */
  readonly benefitsAssignment: string;
  /** OI04 patient signature source (P). */
  readonly patientSignatureSource?: string;
  /** OI06 release of information (I/Y). */
  readonly releaseOfInformation: string;
}

/** Loop 2320 other subscriber information (COB) with 2330A-G. */
export interface OtherPayer {
  /** SBR01 */
  readonly payerResponsibility: string;
  /** SBR02 individual relationship code. */
  readonly relationship: string;
  readonly groupNumber?: string;
  readonly groupName?: string;
  readonly insuranceType?: string;
  readonly claimFilingIndicator?: string;
  /** Claim-level CAS adjustments made by that payer. */
  readonly adjustments: readonly Adjustment[];
  /** AMT*D payer paid amount. */
  readonly paidCents?: number;
  /** AMT*A8 non-covered charge amount. */
  readonly nonCoveredCents?: number;
  /** AMT*EAF remaining patient liability. */
  readonly remainingPatientLiabilityCents?: number;
  readonly otherInsurance: OtherInsurance;
  /** 2330A other subscriber NM1*IL. */
  readonly subscriber: Party;
  /** 2330B other payer NM1*PR (+ DTP*573 adjudication date, REF). */
  readonly payer: Party;
  /** 2330C-G other payer provider loops (NM1*DN/P3, 82, 77, DQ, 85), in order. */
  readonly providers: readonly Party[];
  /** Raw segments (MOA, unexpected ones). */
  readonly other: readonly RawSegment[];
}

/** SV101 / SVD03 composite medical procedure identifier. */
export interface Procedure {
  /** Component 1: HC (CPT/HCPCS), ER, IV, WK. */
  readonly qualifier: string;
  readonly code: string;
  /** Components 3-6, up to 4 modifiers. */
  readonly modifiers: readonly string[];
  /** Component 7 description (for unlisted / not otherwise classified codes). */
  readonly description?: string;
}

/** Loop 2430 line adjudication information from another payer. */
export interface LineAdjudication {
  /** SVD01 other payer primary identifier (matches 2330B NM109). */
  readonly payerId: string;
  /** SVD02 service line paid amount. */
  readonly paidCents: number;
  /** SVD03 */
  readonly procedure: Procedure;
  /** SVD05 paid units of service. */
  readonly paidUnitsMilli: number;
  /** SVD06 bundled or unbundled line number. */
  readonly bundledLineNumber?: string;
  readonly adjustments: readonly Adjustment[];
  /** DTP*573 line check or remittance date. */
  readonly adjudicationDate?: string;
  /** AMT*EAF remaining patient liability. */
  readonly remainingPatientLiabilityCents?: number;
  readonly other: readonly RawSegment[];
}

/** Loop 2410 drug identification. */
export interface DrugIdentification {
  /** LIN02 product id qualifier (N4 = NDC 5-4-2). */
  readonly qualifier: string;
  /** LIN03 */
  readonly code: string;
  /** CTP04 national drug unit count. */
  readonly quantityMilli: number;
  /** CTP05-1 unit: F2, GR, ME, ML, UN. */
  readonly unit: string;
  /** REF*XZ prescription number or REF*VY link sequence. */
  readonly references: readonly Reference[];
  readonly other: readonly RawSegment[];
}

/** Loops 2420A-H line-level providers. */
export interface LineProviders {
  /** 2420A NM1*82 */
  readonly rendering?: Party;
  /** 2420B NM1*QB */
  readonly purchasedService?: Party;
  /** 2420C NM1*77 */
  readonly serviceFacility?: Party;
  /** 2420D NM1*DQ */
  readonly supervising?: Party;
  /** 2420E NM1*DK */
  readonly ordering?: Party;
  /** 2420F NM1*DN / P3 (up to 2) */
  readonly referring?: readonly Party[];
  /** 2420G NM1*PW */
  readonly ambulancePickUp?: Party;
  /** 2420H NM1*45 */
  readonly ambulanceDropOff?: Party;
}

/** Loop 2400 service line. LX01 is assigned 1..n by the writer. */
export interface ServiceLine {
  readonly procedure: Procedure;
  /** SV102 line item charge. */
  readonly chargeCents: number;
  /** SV103: UN units, MJ minutes (anesthesia). */
  readonly unitBasis: string;
  /** SV104 service unit count, in thousandths. */
  readonly unitsMilli: number;
  /** SV105, only when different from CLM05-1. */
  readonly placeOfService?: string;
  /** SV107 diagnosis code pointers (1-based into `claim.diagnoses`), up to 4. */
  readonly pointers: readonly number[];
  /** SV109 = Y (the TR3 allows only Y: false is written as absent). */
  readonly emergency?: boolean;
  /** SV111 = Y (false is written as absent). */
  readonly epsdt?: boolean;
  /** SV112 = Y (false is written as absent). */
  readonly familyPlanning?: boolean;
  /** SV115 copay status code (0 = exempt). */
  readonly copayStatus?: string;
  /** DTP*472 service date (D8), or the start of the RD8 range. */
  readonly serviceDate?: string;
  /** DTP*472 RD8 end date. */
  readonly serviceDateThrough?: string;
  /** Other line DTPs (471, 607, 463, 461, 304, 738, 739, 011, 455, 454). */
  readonly dates: readonly QualifiedDate[];
  /** REF*6R line item control number (OpenRCM always sends its service-line id; 835 SVC REF*6R echoes it). */
  readonly lineControlNumber?: string;
  /** REF*G1 line prior authorization. */
  readonly priorAuthorization?: string;
  /** Other line REFs (9B, 9D, EW, X4, F4, BT, 9F). */
  readonly references: readonly Reference[];
  readonly notes: readonly Note[];
  /** 2410 */
  readonly drug?: DrugIdentification;
  readonly providers: LineProviders;
  /** 2430 (one per payer that adjudicated the line before). */
  readonly adjudications: readonly LineAdjudication[];
  /** Raw segments (SV5, PWK, CR1, CR3, CRC, QTY, MEA, CN1, AMT, K3, PS1, HCP, 2440 LQ/FRM, unexpected). */
  readonly other: readonly RawSegment[];
  readonly location?: SourceLocation;
}

/**
 * One claim with everything it needs from the hierarchy above it: billing provider (2000A), subscriber and
 * payer (2000B), patient (2000C) when the patient is not the subscriber, the claim (2300) and its lines (2400).
 */
export interface Claim837P {
  readonly billingProvider: BillingProvider;
  readonly subscriber: Subscriber;
  /** 2010BB NM1*PR (payer id in NM109 with NM108 = PI). */
  readonly payer: Party;
  /** 2000C / 2010CA; absent when the subscriber is the patient (SBR02 = 18). */
  readonly patient?: Patient;
  readonly claim: ClaimInformation;
  readonly providers: ClaimProviders;
  /** 2320 / 2330 COB loops, one per other payer. */
  readonly otherPayers: readonly OtherPayer[];
  readonly lines: readonly ServiceLine[];
  readonly location?: SourceLocation;
}

/** A batch of claims written as one 837P transaction set. */
export interface Batch837P {
  readonly header: Header837P;
  readonly claims: readonly Claim837P[];
}

/** Who sent a transaction set and in which interchange / group (to address the 999 / 277CA answer). */
export interface Envelope837PInfo {
  /** ISA05 / ISA06 */
  readonly senderQualifier: string;
  readonly senderId: string;
  /** ISA07 / ISA08 */
  readonly receiverQualifier: string;
  readonly receiverId: string;
  /** ISA13 */
  readonly interchangeControlNumber: string;
  /** ISA15: P production, T test. */
  readonly usage: string;
  /** GS02 / GS03 */
  readonly applicationSenderCode: string;
  readonly applicationReceiverCode: string;
  /** GS06 */
  readonly groupControlNumber: string;
}

/** One 837P transaction set as read. */
export interface Transaction837P extends Batch837P {
  /** ST02 */
  readonly controlNumber: string;
  /** ST03 (or GS08) */
  readonly implementation: string;
  readonly envelope: Envelope837PInfo;
}
