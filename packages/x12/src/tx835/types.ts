/**
 * Typed 835 (Health Care Claim Payment/Advice, 005010X221A1). Plain readonly data: amounts are integer cents,
 * dates 'YYYY-MM-DD', quantities plain numbers. Loop-scoped types follow the TR3 loop ids (1000A payer, 1000B
 * payee, 2000 header number, 2100 claim payment, 2110 service payment). `at` keeps where a reader found an
 * object so posting exceptions and diagnostics can point back at the file; writers ignore it.
 */

/** Where a typed object was read from (segment index over the whole input and 1-based line). */
export interface SourceLocation {
  readonly segmentIndex: number;
  readonly line: number;
}

/** A segment kept as written (elements[0] is the segment id) because the library does not interpret it. */
export interface RawSegment {
  readonly elements: readonly string[];
}

/** BPR06..BPR09 / BPR12..BPR15: a depository financial institution and account. */
export interface BankAccount {
  /** BPR06 / BPR12: 01 ABA routing number, 04 Canadian branch. */
  readonly dfiQualifier?: string;
  readonly dfiId?: string;
  /** BPR08 / BPR14: DA demand deposit, SG savings. */
  readonly accountQualifier?: string;
  readonly accountNumber?: string;
}

/** BPR financial information. */
export interface FinancialInformation {
  /** BPR01 transaction handling code (I remittance only, C payment with remittance, H notification only, ...). */
  readonly handlingCode: string;
  /** BPR02 total actual provider payment amount, cents. */
  readonly amount: number;
  /** BPR03 C credit / D debit. */
  readonly creditDebit: string;
  /** BPR04 ACH, CHK, BOP, FWT, NON. */
  readonly method: string;
  /** BPR05 CCP / CTX. */
  readonly format?: string;
  readonly sender?: BankAccount;
  /** BPR10 payer identifier (originating company). */
  readonly originatingCompanyId?: string;
  /** BPR11 originating company supplemental code. */
  readonly originatingCompanySupplementalCode?: string;
  readonly receiver?: BankAccount;
  /** BPR16 check issue or EFT effective date. */
  readonly date: string;
  readonly at?: SourceLocation;
}

/** TRN reassociation trace number: the check or EFT trace that ties the 835 to the money. */
export interface Trace {
  /** TRN01 trace type code (1). */
  readonly typeCode: string;
  /** TRN02 check or EFT trace number. */
  readonly traceNumber: string;
  /** TRN03 payer identifier ('1' + EIN). */
  readonly originatorId: string;
  /** TRN04 originating company supplemental code. */
  readonly originatorSupplementalCode?: string;
  readonly at?: SourceLocation;
}

/** CUR foreign currency information (CUR01 PR, CUR02 currency code, CUR03 exchange rate as written). */
export interface Currency {
  readonly entity: string;
  readonly code: string;
  readonly exchangeRate?: string;
}

/** REF reference identification. */
export interface Reference {
  readonly qualifier: string;
  readonly value: string;
  /** REF03 description (rare). */
  readonly description?: string;
}

/** DTM date/time reference (DTM01 qualifier, DTM02 date). */
export interface DateReference {
  readonly qualifier: string;
  readonly date: string;
}

/** AMT monetary amount (cents). */
export interface AmountReference {
  readonly qualifier: string;
  readonly amount: number;
}

/** QTY quantity. */
export interface QuantityReference {
  readonly qualifier: string;
  readonly quantity: number;
}

/** PER contact: function code, name and up to three communication numbers. */
export interface Contact {
  /** PER01: CX claims, BL technical, IC web site. */
  readonly function: string;
  readonly name?: string;
  readonly numbers: readonly { readonly qualifier: string; readonly number: string }[];
}

/** N3 + N4 address. */
export interface Address {
  readonly line1: string;
  readonly line2?: string;
  readonly city: string;
  readonly state?: string;
  readonly postalCode?: string;
  readonly country?: string;
  /** N405 / N406 location qualifier and identifier (not used in 835, kept for round trip). */
  readonly locationQualifier?: string;
  readonly locationId?: string;
  /** N407 country subdivision code. */
  readonly countrySubdivision?: string;
}

/** Loop 1000A (payer, N1*PR) or 1000B (payee, N1*PE) party identification. */
export interface Party {
  /** N101: PR payer, PE payee. */
  readonly entity: string;
  readonly name: string;
  /** N103: XV CMS plan id (payer); FI tax id, XX NPI, XV (payee). */
  readonly idQualifier?: string;
  readonly id?: string;
  /** N3 street lines; N4 may exist without N3 in the payee loop, so `line1` may be ''. */
  readonly address?: Address;
  readonly references: readonly Reference[];
  readonly contacts: readonly Contact[];
  /** 1000B RDM remittance delivery method (kept as written). */
  readonly deliveryMethod?: RawSegment;
  readonly at?: SourceLocation;
}

/** NM1 individual or organization name in loop 2100. Names are patient data: never log them. */
export interface Name {
  /** NM101 entity: QC patient, IL insured, 74 corrected patient, 82 rendering, TT crossover, PR corrected payer, GB other subscriber. */
  readonly entity: string;
  /** NM102: 1 person, 2 non-person entity. */
  readonly entityType: string;
  readonly last?: string;
  readonly first?: string;
  readonly middle?: string;
  readonly prefix?: string;
  readonly suffix?: string;
  /** NM108: MI member id, XX NPI, PI payer id, ... */
  readonly idQualifier?: string;
  readonly id?: string;
}

/** One (reason, amount, quantity) triple of a CAS segment. */
export interface AdjustmentItem {
  /** CAS02/05/08/11/14/17 Claim Adjustment Reason Code (CARC). */
  readonly reason: string;
  /** CAS03/06/... amount in cents; positive reduces the payment. */
  readonly amount: number;
  /** CAS04/07/... adjustment quantity (units or days). */
  readonly quantity?: number;
}

/** One CAS segment: a group code with up to six adjustments. */
export interface Adjustment {
  /** CAS01: CO contractual obligation, PR patient responsibility, OA other, PI payer initiated. */
  readonly group: string;
  readonly items: readonly AdjustmentItem[];
  readonly at?: SourceLocation;
}

/** MOA outpatient adjudication information. */
export interface OutpatientAdjudication {
  /** MOA01 reimbursement rate (percentage as written). */
  readonly reimbursementRate?: string;
  /** MOA02 HCPCS payable amount, cents. */
  readonly hcpcsPayable?: number;
  /** MOA03..MOA07 claim payment remark codes (RARC). */
  readonly remarks: readonly string[];
  /** MOA08 ESRD payment amount, cents. */
  readonly esrdPayment?: number;
  /** MOA09 non-payable professional component, cents. */
  readonly nonPayableProfessional?: number;
}

/** A procedure composite (SVC01 / SVC06): qualifier, code, up to 4 modifiers, description. */
export interface Procedure {
  /** -1: HC HCPCS/CPT, AD ADA dental, NU revenue code, N4 NDC, ... */
  readonly qualifier: string;
  readonly code: string;
  readonly modifiers: readonly string[];
  /** -7 procedure code description. */
  readonly description?: string;
}

/** LQ health care remark code (LQ01 HE = RARC, RX = NCPDP). */
export interface Remark {
  readonly qualifier: string;
  readonly code: string;
}

/** Loop 2110 service payment information. */
export interface ServicePayment {
  /** SVC01 adjudicated procedure. */
  readonly procedure: Procedure;
  /** SVC02 line item charge amount, cents. */
  readonly charge: number;
  /** SVC03 line item provider payment amount, cents. */
  readonly paid: number;
  /** SVC04 national uniform billing committee revenue code. */
  readonly revenueCode?: string;
  /** SVC05 units of service paid. */
  readonly units?: number;
  /** SVC06 submitted procedure, when the payer changed it. */
  readonly originalProcedure?: Procedure;
  /** SVC07 original units of service. */
  readonly originalUnits?: number;
  /** DTM*472 / 150 / 151. */
  readonly dates: readonly DateReference[];
  readonly adjustments: readonly Adjustment[];
  /** REF: 6R line item control number (our service line id), rendering provider, ... */
  readonly references: readonly Reference[];
  /** AMT: B6 allowed amount, ... */
  readonly amounts: readonly AmountReference[];
  readonly quantities: readonly QuantityReference[];
  /** LQ remark codes. */
  readonly remarks: readonly Remark[];
  /** Segments in the loop the library does not interpret. */
  readonly other: readonly RawSegment[];
  readonly at?: SourceLocation;
}

/** Loop 2100 claim payment information. */
export interface ClaimPayment {
  /** CLP01 patient control number: OpenRCM's claim id as sent in CLM01. */
  readonly patientControlNumber: string;
  /** CLP02 claim status code (1 primary, 2 secondary, 3 tertiary, 4 denied, 22 reversal, ...). */
  readonly status: string;
  /** CLP03 total claim charge amount, cents. */
  readonly charge: number;
  /** CLP04 claim payment amount, cents. */
  readonly paid: number;
  /** CLP05 patient responsibility amount, cents. */
  readonly patientResponsibility?: number;
  /** CLP06 claim filing indicator code. */
  readonly filingIndicator: string;
  /** CLP07 payer claim control number (the payer's id for the claim; never confuse with CLP01). */
  readonly payerClaimControlNumber?: string;
  /** CLP08 facility type code (place of service for professional claims). */
  readonly facilityType?: string;
  /** CLP09 claim frequency type code. */
  readonly frequency?: string;
  /** CLP11 diagnosis related group (DRG) code. */
  readonly drg?: string;
  /** CLP12 DRG weight (as written). */
  readonly drgWeight?: string;
  /** CLP13 discharge fraction (percentage as written). */
  readonly dischargeFraction?: string;
  readonly adjustments: readonly Adjustment[];
  readonly patient?: Name;
  readonly insured?: Name;
  readonly correctedPatient?: Name;
  readonly renderingProvider?: Name;
  readonly crossoverCarrier?: Name;
  readonly correctedPriorityPayer?: Name;
  readonly otherSubscriber?: Name;
  /** MIA inpatient adjudication (kept as written; remark codes MIA05/MIA20-23 are checked against RARC). */
  readonly inpatient?: RawSegment;
  readonly outpatient?: OutpatientAdjudication;
  readonly references: readonly Reference[];
  /** DTM*232/233 statement period, 050 received, 036 coverage expiration. */
  readonly dates: readonly DateReference[];
  readonly contacts: readonly Contact[];
  /** AMT*AU coverage amount, I interest, F5 patient paid, ... */
  readonly amounts: readonly AmountReference[];
  readonly quantities: readonly QuantityReference[];
  readonly services: readonly ServicePayment[];
  readonly other: readonly RawSegment[];
  readonly at?: SourceLocation;
}

/** Loop 2000 header number: LX with the optional provider summary (TS3) and supplemental summary (TS2). */
export interface HeaderNumber {
  /** LX01; undefined for claims sent without an LX. */
  readonly number?: string;
  /** TS3 provider summary information (kept as written). */
  readonly providerSummary?: RawSegment;
  /** TS2 provider supplemental summary information (kept as written). */
  readonly providerSupplementalSummary?: RawSegment;
  readonly claims: readonly ClaimPayment[];
  readonly at?: SourceLocation;
}

/** One PLB adjustment: reason (PLB03-1), reference (PLB03-2), amount (PLB04). */
export interface ProviderAdjustmentItem {
  /** L6 interest, WO overpayment recovery, FB forward balance, 72 authorized return, CS adjustment, ... */
  readonly reason: string;
  readonly reference?: string;
  /** Cents; positive reduces the payment (BPR02 = Σ CLP04 − Σ PLB). */
  readonly amount: number;
}

/** PLB provider level adjustment. */
export interface ProviderAdjustment {
  /** PLB01 provider identifier (NPI or tax id). */
  readonly providerId: string;
  /** PLB02 fiscal period date. */
  readonly fiscalPeriodDate: string;
  readonly items: readonly ProviderAdjustmentItem[];
  readonly at?: SourceLocation;
}

/** A whole 835 transaction set. */
export interface Remittance835 {
  /** ST02. */
  readonly controlNumber: string;
  /** ST03 (or GS08), normally 005010X221A1. */
  readonly implementation: string;
  readonly payment: FinancialInformation;
  readonly trace?: Trace;
  readonly currency?: Currency;
  /** REF*EV receiver id, REF*F2 version. */
  readonly references: readonly Reference[];
  /** DTM*405 production date. */
  readonly productionDate?: string;
  readonly payer: Party;
  readonly payee: Party;
  readonly headers: readonly HeaderNumber[];
  readonly providerAdjustments: readonly ProviderAdjustment[];
  /** Segments the library does not interpret, outside any loop it models. */
  readonly other: readonly RawSegment[];
}

/**
 * A transaction set's data outside its claims, as known when its first claim is complete: ST, the header table
 * (BPR, TRN, CUR, REF, DTM*405) and the payer and payee loops. PLB and anything after the claims come with the
 * end of the set.
 */
export type Remittance835Header = Pick<
  Remittance835,
  | 'controlNumber'
  | 'implementation'
  | 'payment'
  | 'trace'
  | 'currency'
  | 'references'
  | 'productionDate'
  | 'payer'
  | 'payee'
>;
