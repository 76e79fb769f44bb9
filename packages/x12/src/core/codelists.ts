/**
 * External code lists (maintained outside the TR3s by X12, CMS or NUCC) that validators check only when the
 * caller supplies them. The library ships no copy: callers load the current lists (see
 * `../shared/external/codesets/`) and pass them in, so a stale list never hides inside the parser.
 */
export interface ExternalCodeLists {
  /** Claim adjustment reason codes (835 CAS, 837 2320/2430 CAS). */
  carc?: ReadonlySet<string>;
  /** Remittance advice remark codes (835 LQ, MOA, MIA). */
  rarc?: ReadonlySet<string>;
  /** CMS place of service codes (837P CLM05-1, SV105). */
  placeOfService?: ReadonlySet<string>;
  /** Health care claim status category codes, code source 507 (277 / 277CA STC01-1). */
  claimStatusCategory?: ReadonlySet<string>;
  /** Health care claim status codes, code source 508 (277 / 277CA STC01-2). */
  claimStatus?: ReadonlySet<string>;
  /** Entity identifier codes (STC01-3 in the 277 / 277CA, where the guide defers to the external list). */
  entityIdentifier?: ReadonlySet<string>;
  /** Service type codes (270 EQ01, 271 EB03). */
  serviceType?: ReadonlySet<string>;
}
