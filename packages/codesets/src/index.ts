// @openrcm/codesets: the code-set data OpenRCM ships (ICD-10-CM, HCPCS Level II and modifiers, NCCI PTP /
// MUE / add-on edits, CARC / RARC / group codes, place of service, claim status codes, Medicare PFS,
// taxonomy) with typed, lazily loaded look-ups. Provenance and vintages: data/SOURCES.md.

export * as icd10cm from './icd10cm.ts';
export type { Icd10cmEntry, Icd10cmStatus, Icd10cmYearStatus } from './icd10cm.ts';

export {
  hcpcsLevel2,
  hcpcsFileYear,
  isHcpcsLevel2,
  isCptWellFormed,
  isProcedureCode,
  modifier,
  modifiers,
  isValidModifier,
} from './hcpcs.ts';
export type { HcpcsLevel2Entry, ModifierInfo } from './hcpcs.ts';

export {
  ptpEdit,
  ptpCoverage,
  PTP_MODIFIER_INDICATORS,
  mueFor,
  MUE_ADJUDICATION_INDICATORS,
  addOnEdit,
  isAddOnCode,
  hasEligiblePrimary,
  ADD_ON_EDIT_TYPES,
} from './ncci.ts';
export type {
  PtpEdit,
  PtpModifierIndicator,
  Mue,
  MueAdjudicationIndicator,
  AddOnEdit,
  AddOnEditType,
} from './ncci.ts';

export {
  GROUP_CODES,
  groupCodes,
  isGroupCode,
  carc,
  rarc,
  isValidCarc,
  isValidRarc,
  carcCodes,
  rarcCodes,
} from './adjustments.ts';
export type { GroupCode, AdjustmentCode } from './adjustments.ts';

export {
  X12_LIST_IDS,
  x12List,
  placesOfService,
  isValidPos,
  claimStatusCategoryCodes,
  claimStatusCodes,
  CLAIM_STATUS_CATEGORY_CLASSES,
  claimStatusCategoryClass,
  externalCodeLists,
} from './x12lists.ts';
export type { X12ListId, PlaceOfService, ClaimStatusCategoryClass, ExternalCodeLists } from './x12lists.ts';

export {
  PFS_SETTINGS,
  PFS_PRICING_MODIFIERS,
  pfsEntry,
  pfsEntries,
  isSidedProcedure,
  pfsVintage,
  nationalAmountCents,
  localityAmountCents,
  gpcis,
  pfsSettingForPos,
} from './pfs.ts';
export type { PfsSetting, PfsPricingModifier, PfsEntry, Gpci } from './pfs.ts';

export {
  isTaxonomyWellFormed,
  isKnownTaxonomy,
  medicareSpecialtiesFor,
  knownTaxonomyCodes,
  taxonomySource,
  nuccTaxonomy,
} from './taxonomy.ts';
export type { MedicareSpecialty, NuccTaxonomy } from './taxonomy.ts';

export { manifest, dataVintages, DATA_DIR } from './data.ts';
export type { Manifest, ManifestFile } from './data.ts';
