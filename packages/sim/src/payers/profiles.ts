/**
 * Payer profiles as data: how each simulated payer pays, what it requires and what it denies.
 *
 * The numbers are industry-typical, not any real payer's contract: Medicare timely filing of 12 months and
 * its 14-day payment floor for clean electronic claims (42 CFR 424.44, SSA 1869(c)); the CY2024 Part B
 * deductible of $240 and 20 % coinsurance; commercial filing limits of 90-180 days and adjudication
 * medians of 14-21 days (see ../shared/docs/DOMAIN.md "Industry figures"). Bundling pairs and unit limits
 * come from the CMS NCCI tables curated in ../data/ncci.ts and ../data/procedures.ts.
 */
import { PTP_PAIRS } from '../data/ncci.ts';
import type { PtpPair } from '../data/ncci.ts';
import { PROCEDURES } from '../data/procedures.ts';
import type { MemberIdFormat } from '../ids.ts';
import type { PolicyPart, RuleChange } from './policy.ts';

export const PAYER_KINDS = ['medicare', 'medicaid', 'commercial', 'supplement', 'paper'] as const;
export type PayerKind = (typeof PAYER_KINDS)[number];

export const SUBMISSION_CHANNELS = ['electronic', 'paper'] as const;
export type SubmissionChannel = (typeof SUBMISSION_CHANNELS)[number];

/** Days from receipt to adjudication: lognormal around `medianDays`, clamped to [minDays, maxDays]. */
export interface LagDistribution {
  readonly minDays: number;
  readonly medianDays: number;
  readonly sigma: number;
  readonly maxDays: number;
}

/** Patient cost sharing. Amounts in integer cents, rates in basis points (2000 = 20 %). */
export interface BenefitDesign {
  readonly deductibleCents: number;
  readonly coinsuranceBp: number;
  readonly primaryCareCopayCents: number;
  readonly specialistCopayCents: number;
  readonly outOfPocketMaxCents: number;
  /** Whether office E/M visits go to the deductible (high-deductible plans) instead of a copay only. */
  readonly officeVisitsToDeductible: boolean;
  /** Whether preventive services are paid in full (ACA 2713 for non-grandfathered commercial plans). */
  readonly preventiveNoCostShare: boolean;
}

/** A non-covered service and the CARC its denial carries (96 non-covered charge, 204 not covered under the benefit plan). */
export interface NonCovered {
  readonly code: string;
  readonly carc: '96' | '204';
}

export interface PayerProfile {
  readonly profileId: string;
  /** X12 payer id (2010BB NM109) as the simulated clearinghouse knows it. */
  readonly payerId: string;
  readonly name: string;
  readonly kind: PayerKind;
  readonly submission: SubmissionChannel;
  /** Contracted allowed amount = Medicare PFS amount x feeFactorBp / 10000. */
  readonly feeFactorBp: number;
  readonly adjudicationLag: LagDistribution;
  /** Weekdays the payer issues payments (0 = Sunday ... 6 = Saturday). */
  readonly paymentWeekdays: readonly number[];
  readonly timelyFilingDays: number;
  readonly memberIdFormat: MemberIdFormat;
  /** Fixed alpha prefix for 'alpha3num9' member ids. */
  readonly memberIdPrefix: string;
  readonly hasGroupNumber: boolean;
  readonly priorAuthCodes: readonly string[];
  readonly nonCovered: readonly NonCovered[];
  /** code -> ICD-10-CM codes that support medical necessity (a line whose pointed diagnoses miss all deny CO-50). */
  readonly medicalNecessity: Readonly<Record<string, readonly string[]>>;
  readonly bundlingPairs: readonly PtpPair[];
  /** code -> maximum units per line per day (CO-151 above it). */
  readonly unitLimits: Readonly<Record<string, number>>;
  readonly benefit: BenefitDesign;
  /** Share of this payer's claims the simulator splits across two ERAs (issue 4 realism). */
  readonly eraSplitRate: number;
  /** Whether, as primary, the payer forwards adjudicated claims to supplemental payers (Medicare crossover). */
  readonly crossover: boolean;
  /**
   * Share of paid claims a post-payment review finds overpaid: 30-75 days after payment the payer takes back
   * 10-50 % of what it paid from a later payment to the same payee (835 PLB WO, PLB03-2 = its claim number).
   */
  readonly overpaymentRecoveryRate: number;
  /** Whether the 835 reports the copay (PR-3) at claim level (2100 CAS) instead of on the office-visit line. */
  readonly claimLevelCopay: boolean;
  /** Policy parts the payer applies but publishes nowhere a billing company reads (left out of the manual). */
  readonly unpublished: readonly PolicyPart[];
  /** Rules the payer adopts during the period, after the manual's date (./policy.ts). */
  readonly ruleChanges: readonly RuleChange[];
}

const WEEKDAYS = [1, 2, 3, 4, 5] as const;

/** MUE values from the curated CMS table, for every curated code that has one. */
const MUE_LIMITS: Readonly<Record<string, number>> = Object.fromEntries(
  PROCEDURES.filter((p) => p.mue > 0).map((p) => [p.code, p.mue]),
);

// Cosmetic and experimental services nobody in the simulation covers (CO-96).
const COSMETIC_AND_EXPERIMENTAL: readonly NonCovered[] = [
  { code: '17380', carc: '96' }, // electrolysis epilation
  { code: '15788', carc: '96' }, // chemical peel
  { code: '11200', carc: '96' }, // skin tag removal, cosmetic
  { code: '0232T', carc: '96' }, // platelet-rich plasma injection (category III)
  { code: '93702', carc: '96' }, // bioimpedance spectroscopy
];

// Medical-necessity diagnosis lists in the spirit of Medicare LCDs (carotid duplex, echo, nuclear stress,
// AK destruction, seborrheic keratosis removal, knee MRI, Holter, ABI). Every diagnosis the generator uses
// for these codes in a clean encounter is on the list; the injected "diagnosis mismatch" is not.
const MEDICAL_NECESSITY: Readonly<Record<string, readonly string[]>> = {
  '93880': ['I65.21', 'I65.22', 'I65.23', 'G45.9', 'R09.89', 'R55', 'R42'],
  '93306': ['I50.9', 'I35.0', 'I34.0', 'I48.91', 'R01.1', 'I25.10', 'R55', 'R06.00', 'I11.9'],
  '93350': ['I25.10', 'R07.9', 'R07.89', 'R06.00'],
  '78452': ['I25.10', 'R07.9', 'R07.89', 'R06.00'],
  '93224': ['R00.2', 'R55', 'R42', 'I48.91'],
  '93922': ['I73.9', 'R60.0', 'I87.2'],
  '17000': ['L57.0'],
  '17003': ['L57.0'],
  '11300': ['L82.0', 'D48.5'],
  '11301': ['L82.0', 'D48.5'],
  '73721': ['M17.11', 'M17.12', 'S83.241A', 'S83.242A', 'S83.281A', 'M25.561', 'M25.562'],
};

const MEDICARE_PREVENTIVE_EXCLUDED: readonly NonCovered[] = ['99385', '99386', '99395', '99396', '99397'].map(
  (code) => ({
    code,
    carc: '204' as const,
  }),
);

const IMAGING_AND_PROCEDURE_AUTH = ['73721', '78452', '29881', '93458'] as const;

// A coverage policy for electrocardiograms in the spirit of the Medicare LCDs: covered for cardiac signs,
// symptoms and disease, not for uncomplicated hypertension or hyperlipidemia alone, nor as screening.
const ECG_NECESSITY: readonly string[] = [
  'I48.91',
  'I48.0',
  'I48.19',
  'I49.9',
  'R07.9',
  'R07.89',
  'R07.2',
  'I11.9',
  'I11.0',
  'R01.1',
  'I35.0',
  'I34.0',
  'R00.0',
  'R00.1',
  'R00.2',
  'I25.10',
  'I25.2',
  'I50.9',
  'I50.22',
  'I50.32',
  'R42',
  'R55',
  'R06.00',
  'R06.02',
  'R94.31',
  'Z01.810',
  'I21.9',
  'I42.9',
  'Z95.0',
];
// Joint injection / arthrocentesis: covered for arthritis, tendon and meniscus disorders, not for joint pain
// without a diagnosis (M25.5-).
const JOINT_INJECTION_NECESSITY: readonly string[] = [
  'M17.0',
  'M17.11',
  'M17.12',
  'M17.9',
  'M19.011',
  'M19.012',
  'M19.90',
  'M75.101',
  'M75.102',
  'M75.41',
  'M75.42',
  'M75.51',
  'M75.52',
  'M70.61',
  'M70.62',
  'M77.11',
  'M77.12',
  'M65.311',
  'M65.312',
  'M06.9',
  'M10.9',
  'M23.205',
  'M23.206',
  'S83.241A',
  'S83.242A',
  'S83.281A',
  'S83.282A',
  'M25.461',
  'M25.462',
];
// A modifier-25 E/M on the day of a tendon sheath / trigger point injection is part of the procedure: some
// commercial plans deny it whatever the modifier (NCCI allows it with 25: indicator 1).
const EM_WITH_MINOR_PROCEDURE: readonly PtpPair[] = (['99212', '99213', '99214', '99215'] as const).map(
  (em): PtpPair => ['20550', em, 0],
);
const VENIPUNCTURE_WITH_EM: readonly PtpPair[] = (['99212', '99213', '99214', '99215'] as const).map(
  (em): PtpPair => [em, '36415', 0],
);

/** The global payer list of the simulation, one profile each. */
export const PAYER_PROFILES: readonly PayerProfile[] = [
  {
    profileId: 'medicare',
    payerId: 'SIM01',
    name: 'Medicare Part B (simulated)',
    kind: 'medicare',
    submission: 'electronic',
    feeFactorBp: 10000,
    // Clean electronic claims are not paid before day 14 (payment floor).
    adjudicationLag: { minDays: 14, medianDays: 15, sigma: 0.12, maxDays: 30 },
    paymentWeekdays: WEEKDAYS,
    timelyFilingDays: 365,
    memberIdFormat: 'mbi',
    memberIdPrefix: '',
    hasGroupNumber: false,
    priorAuthCodes: [],
    nonCovered: [
      ...MEDICARE_PREVENTIVE_EXCLUDED,
      ...COSMETIC_AND_EXPERIMENTAL,
      { code: '97810', carc: '96' },
    ],
    medicalNecessity: MEDICAL_NECESSITY,
    bundlingPairs: PTP_PAIRS,
    unitLimits: MUE_LIMITS,
    benefit: {
      deductibleCents: 24_000,
      coinsuranceBp: 2000,
      primaryCareCopayCents: 0,
      specialistCopayCents: 0,
      outOfPocketMaxCents: 0, // original Medicare has no out-of-pocket maximum
      officeVisitsToDeductible: true,
      preventiveNoCostShare: true,
    },
    eraSplitRate: 0,
    overpaymentRecoveryRate: 0.004,
    claimLevelCopay: false,
    crossover: true,
    unpublished: [],
    ruleChanges: [
      // A new local coverage determination for ECGs.
      { id: 'lcd-ecg', afterDays: [5, 20], medicalNecessity: { '93000': ECG_NECESSITY } },
    ],
  },
  {
    profileId: 'medicaid',
    payerId: 'SIM02',
    name: 'State Medicaid (simulated)',
    kind: 'medicaid',
    submission: 'electronic',
    feeFactorBp: 7200,
    adjudicationLag: { minDays: 7, medianDays: 24, sigma: 0.4, maxDays: 75 },
    paymentWeekdays: [3],
    timelyFilingDays: 180,
    memberIdFormat: 'medicaid',
    memberIdPrefix: '',
    hasGroupNumber: false,
    priorAuthCodes: [...IMAGING_AND_PROCEDURE_AUTH, '93350', '93306', '17311'],
    nonCovered: [...COSMETIC_AND_EXPERIMENTAL, { code: '97810', carc: '96' }],
    medicalNecessity: MEDICAL_NECESSITY,
    bundlingPairs: PTP_PAIRS,
    unitLimits: MUE_LIMITS,
    benefit: {
      deductibleCents: 0,
      coinsuranceBp: 0,
      primaryCareCopayCents: 300,
      specialistCopayCents: 300,
      outOfPocketMaxCents: 0,
      officeVisitsToDeductible: false,
      preventiveNoCostShare: true,
    },
    eraSplitRate: 0.01,
    overpaymentRecoveryRate: 0.01,
    claimLevelCopay: true,
    crossover: false,
    // The state's prior-authorization list and medical policies live in provider bulletins the billing company
    // never loaded.
    unpublished: ['priorAuthorizationCodes', 'medicalNecessity'],
    ruleChanges: [{ id: 'pa-knee-xray', afterDays: [10, 30], priorAuthCodes: ['73560'] }],
  },
  {
    profileId: 'commercial-ppo',
    payerId: 'SIM03',
    name: 'Summit Health PPO (simulated)',
    kind: 'commercial',
    submission: 'electronic',
    feeFactorBp: 13500,
    adjudicationLag: { minDays: 5, medianDays: 15, sigma: 0.35, maxDays: 60 },
    paymentWeekdays: [2, 5],
    timelyFilingDays: 180,
    memberIdFormat: 'alpha3num9',
    memberIdPrefix: 'SHP',
    hasGroupNumber: true,
    priorAuthCodes: IMAGING_AND_PROCEDURE_AUTH,
    nonCovered: COSMETIC_AND_EXPERIMENTAL,
    medicalNecessity: MEDICAL_NECESSITY,
    bundlingPairs: PTP_PAIRS,
    unitLimits: MUE_LIMITS,
    benefit: {
      deductibleCents: 150_000,
      coinsuranceBp: 2000,
      primaryCareCopayCents: 2500,
      specialistCopayCents: 5000,
      outOfPocketMaxCents: 600_000,
      officeVisitsToDeductible: false,
      preventiveNoCostShare: true,
    },
    eraSplitRate: 0.01,
    overpaymentRecoveryRate: 0.006,
    claimLevelCopay: false,
    crossover: false,
    // Coverage and medical policies behind a portal: not in the manual.
    unpublished: ['nonCoveredCodes', 'medicalNecessity'],
    ruleChanges: [
      // A cardiology imaging prior-authorization program, venipuncture bundled into office visits, and the
      // modifier-25 E/M bundled into a same-day tendon sheath injection.
      { id: 'pa-cardiac-imaging', afterDays: [10, 25], priorAuthCodes: ['93306', '93350'] },
      { id: 'bundle-venipuncture', afterDays: [10, 30], bundlingPairs: VENIPUNCTURE_WITH_EM },
      { id: 'bundle-em-minor-procedure', afterDays: [5, 20], bundlingPairs: EM_WITH_MINOR_PROCEDURE },
    ],
  },
  {
    profileId: 'commercial-hmo',
    payerId: 'SIM04',
    name: 'Bluestone HMO (simulated)',
    kind: 'commercial',
    submission: 'electronic',
    feeFactorBp: 11800,
    adjudicationLag: { minDays: 7, medianDays: 18, sigma: 0.35, maxDays: 60 },
    paymentWeekdays: [4],
    timelyFilingDays: 90,
    memberIdFormat: 'w9',
    memberIdPrefix: '',
    hasGroupNumber: true,
    priorAuthCodes: [...IMAGING_AND_PROCEDURE_AUTH, '93350', '93306', '93224', '93880', '17311'],
    nonCovered: [...COSMETIC_AND_EXPERIMENTAL, { code: '97810', carc: '96' }],
    medicalNecessity: MEDICAL_NECESSITY,
    // This plan also bundles venipuncture into same-day E/M visits (a common commercial policy, beyond NCCI).
    bundlingPairs: [...PTP_PAIRS, ...VENIPUNCTURE_WITH_EM],
    unitLimits: MUE_LIMITS,
    benefit: {
      deductibleCents: 0,
      coinsuranceBp: 0,
      primaryCareCopayCents: 2000,
      specialistCopayCents: 4000,
      outOfPocketMaxCents: 450_000,
      officeVisitsToDeductible: false,
      preventiveNoCostShare: true,
    },
    eraSplitRate: 0.02,
    overpaymentRecoveryRate: 0.006,
    claimLevelCopay: true,
    crossover: false,
    // The venipuncture bundling and the exclusions are in reimbursement policies the plan never put in its
    // companion guide.
    unpublished: ['bundlingPairs', 'nonCoveredCodes'],
    ruleChanges: [],
  },
  {
    profileId: 'commercial-hdhp',
    payerId: 'SIM05',
    name: 'Great Lakes Choice HDHP (simulated)',
    kind: 'commercial',
    submission: 'electronic',
    feeFactorBp: 12500,
    adjudicationLag: { minDays: 6, medianDays: 21, sigma: 0.35, maxDays: 70 },
    paymentWeekdays: [1],
    timelyFilingDays: 120,
    memberIdFormat: 'num11',
    memberIdPrefix: '',
    hasGroupNumber: true,
    priorAuthCodes: IMAGING_AND_PROCEDURE_AUTH,
    nonCovered: COSMETIC_AND_EXPERIMENTAL,
    medicalNecessity: MEDICAL_NECESSITY,
    bundlingPairs: PTP_PAIRS,
    unitLimits: MUE_LIMITS,
    benefit: {
      deductibleCents: 300_000,
      coinsuranceBp: 2000,
      primaryCareCopayCents: 0,
      specialistCopayCents: 0,
      outOfPocketMaxCents: 700_000,
      officeVisitsToDeductible: true,
      preventiveNoCostShare: true,
    },
    eraSplitRate: 0.01,
    overpaymentRecoveryRate: 0.005,
    claimLevelCopay: false,
    crossover: false,
    unpublished: ['medicalNecessity', 'nonCoveredCodes'],
    ruleChanges: [
      {
        id: 'mn-joint-injection',
        afterDays: [10, 30],
        medicalNecessity: { '20610': JOINT_INJECTION_NECESSITY },
      },
    ],
  },
  {
    profileId: 'paper-indemnity',
    payerId: 'SIM06',
    name: 'Coastal Mutual Indemnity (simulated, paper only)',
    kind: 'paper',
    submission: 'paper',
    feeFactorBp: 14000,
    adjudicationLag: { minDays: 20, medianDays: 35, sigma: 0.3, maxDays: 90 },
    paymentWeekdays: [5],
    timelyFilingDays: 365,
    memberIdFormat: 'h8',
    memberIdPrefix: '',
    hasGroupNumber: true,
    priorAuthCodes: [],
    nonCovered: COSMETIC_AND_EXPERIMENTAL,
    medicalNecessity: {},
    bundlingPairs: PTP_PAIRS,
    unitLimits: MUE_LIMITS,
    benefit: {
      deductibleCents: 50_000,
      coinsuranceBp: 2000,
      primaryCareCopayCents: 0,
      specialistCopayCents: 0,
      outOfPocketMaxCents: 500_000,
      officeVisitsToDeductible: true,
      preventiveNoCostShare: false,
    },
    eraSplitRate: 0,
    overpaymentRecoveryRate: 0,
    claimLevelCopay: false,
    crossover: false,
    unpublished: [],
    ruleChanges: [],
  },
  {
    profileId: 'medigap',
    payerId: 'SIM07',
    name: 'Liberty Medigap Plan G (simulated supplement)',
    kind: 'supplement',
    submission: 'electronic',
    // A supplement pays what Medicare left to the patient; it has no fee schedule of its own.
    feeFactorBp: 10000,
    adjudicationLag: { minDays: 3, medianDays: 10, sigma: 0.3, maxDays: 40 },
    paymentWeekdays: [2],
    timelyFilingDays: 365,
    memberIdFormat: 'num9alpha',
    memberIdPrefix: '',
    hasGroupNumber: false,
    priorAuthCodes: [],
    nonCovered: [],
    medicalNecessity: {},
    bundlingPairs: [],
    unitLimits: {},
    benefit: {
      // Plan G: everything after the Part B deductible.
      deductibleCents: 0,
      coinsuranceBp: 0,
      primaryCareCopayCents: 0,
      specialistCopayCents: 0,
      outOfPocketMaxCents: 0,
      officeVisitsToDeductible: false,
      preventiveNoCostShare: true,
    },
    eraSplitRate: 0,
    overpaymentRecoveryRate: 0,
    claimLevelCopay: false,
    crossover: false,
    unpublished: [],
    ruleChanges: [],
  },
];

/** Profile by X12 payer id; throws for an unknown id (a programming error in the simulation setup). */
export function payerProfile(payerId: string): PayerProfile {
  const p = PAYER_PROFILES.find((x) => x.payerId === payerId);
  if (!p) throw new Error('unknown simulated payer id');
  return p;
}

/** Whether the payer requires a prior authorization for `code`. */
export function requiresAuth(profile: PayerProfile, code: string): boolean {
  return profile.priorAuthCodes.includes(code);
}

/** The non-covered entry for `code`, if the payer does not cover it. */
export function nonCoveredEntry(profile: PayerProfile, code: string): NonCovered | undefined {
  return profile.nonCovered.find((n) => n.code === code);
}
