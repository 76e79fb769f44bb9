/**
 * External code lists a caller may hand to a reader / validator. The x12 library stays pure: it does not ship
 * or load these lists (they change several times a year and some carry licence terms); when a list is given,
 * codes in the positions it governs are checked against it, and when it is absent they are not.
 */
export interface ExternalCodeLists {
  /** Claim Adjustment Reason Codes (CAS02/05/08/...; 835 and 837 COB loops). */
  readonly carc?: ReadonlySet<string>;
  /** Remittance Advice Remark Codes (835 MIA/MOA remarks, LQ02 with LQ01 = HE). */
  readonly rarc?: ReadonlySet<string>;
  /** CMS Place of Service codes (837P CLM05-1, SV105; 835 CLP08). */
  readonly placeOfService?: ReadonlySet<string>;
  /** Claim Status Category Codes (277 / 277CA STC01-1). */
  readonly claimStatusCategory?: ReadonlySet<string>;
  /** Claim Status Codes (277 / 277CA STC01-2). */
  readonly claimStatus?: ReadonlySet<string>;
  /** Entity Identifier Codes where a guide defers to the external list (277 / 277CA STC01-3, STC10-3). */
  readonly entityIdentifier?: ReadonlySet<string>;
  /** Service Type Codes (270 EQ01, 271 EB03). */
  readonly serviceType?: ReadonlySet<string>;
}
