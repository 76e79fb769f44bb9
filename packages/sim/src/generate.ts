/**
 * The synthetic practice generator (issue 4 §4): a billing organization, its practices, their reference
 * data, patients and coverages, then month by month appointments, encounters, coded charges and prior
 * authorizations, with front-end errors injected at configurable rates and recorded in a ground truth.
 *
 * Deterministic: every random draw comes from a labelled sub-stream of one seed (./prng.ts), and every
 * collection is iterated in a fixed order, so the same configuration yields byte-identical files.
 * Streaming: `generateSetup` builds what is fixed for the whole period; `generateMonths` then yields one
 * month at a time, carrying only small state (who has been seen, id counters), so the caller can write
 * and drop each month.
 */
import { PTP_PAIRS } from './data/ncci.ts';
import { PROCEDURES } from './data/procedures.ts';
import type { ProcedureRow } from './data/procedures.ts';
import {
  GIVEN_NAMES_F,
  GIVEN_NAMES_M,
  PRACTICE_NAME_WORDS,
  STATES,
  STREET_NAMES,
  STREET_TYPES,
  SURNAME_HEADS,
  SURNAME_TAILS,
} from './data/names.ts';
import { SPECIALTY_PROFILES } from './data/specialties.ts';
import type { DraftLine, DraftVisit, SpecialtyProfile } from './data/specialties.ts';
import {
  addDays,
  ageOn,
  daysBetween,
  fromDay,
  isBusinessDay,
  localInstant,
  addHours,
  monthStart,
  toDay,
} from './dates.ts';
import { isValidMemberId, makeMemberId, makeNpi, makeTin, typoMemberId } from './ids.ts';
import { PAYER_PROFILES, nonCoveredEntry, payerProfile, requiresAuth } from './payers/profiles.ts';
import { changesByPayer, ruleTimeline, rulesOn, type DatedRuleChange } from './payers/policy.ts';
import type { PayerProfile } from './payers/profiles.ts';
import { Rng } from './prng.ts';
import { AGING_BUCKETS, SPECIALTIES } from './types.ts';
import type {
  AgingBucket,
  Appointment,
  DetectableBy,
  Authorization,
  Charge,
  ChargeMasterRow,
  Coverage,
  Dataset,
  Encounter,
  Enrollment,
  ErrorKind,
  FeeScheduleRow,
  GroundTruth,
  LegacyAr,
  Location,
  MonthData,
  Organization,
  Patient,
  Payer,
  Practice,
  PracticePayer,
  Provider,
  Relationship,
  SetupData,
  Sex,
  Specialty,
} from './types.ts';

/**
 * Injected error rates. Each is a probability over its own denominator (documented in
 * docs/import-format.md, "Ground truth"), so a test can check the realized rate against it.
 */
export interface ErrorRates {
  /** Share of primary coverages registered with a mistyped member id. */
  memberIdTypo: number;
  /** Share of open-ended primary coverages the payer terminates without the practice knowing. */
  outdatedCoverage: number;
  /** Share of encounters needing a prior authorization where none was obtained. */
  missingAuthorization: number;
  /** Share of encounters with a required modifier (25, 59, RT/LT) where one is dropped. */
  missingModifier: number;
  /** Share of insured encounters billed with the wrong place of service. */
  wrongPos: number;
  /** Share of insured encounters with a service the payer does not cover added. */
  nonCoveredService: number;
  /** Share of encounters with a medical-necessity-listed code whose diagnosis does not support it. */
  diagnosisMismatch: number;
  /** Share of insured encounters whose charges are entered twice (a second encounter). */
  duplicateSubmission: number;
  /** Share of insured encounters documented only after the primary payer's filing limit (lost charge found late). */
  lateDocumentation: number;
  /** Share of provider x payer enrollments still pending at the start, effective within ~2 months. */
  pendingEnrollment: number;
  /**
   * Share of primary coverages at an electronic commercial payer with group numbers whose member the payer
   * moved to another plan and group before the period; the file still shows the old ones (the 271 tells).
   */
  planChange: number;
  /**
   * Share of commercial primary coverages with no secondary on file whose payer knows of another coverage
   * (a spouse's plan, secondary to it) the practice was never told about (the 271's EB*R tells).
   */
  unknownOtherCoverage: number;
}

/**
 * Defaults tuned on seeds 1-3, 3 practices x 3 months, in two settings. Claims written straight from the
 * charges (no scrubbing, the payers' rule changes included) deny at about 6.5-7.7 % on first adjudication
 * and are rejected by the front end at about 1.0-1.7 % (DOMAIN.md: 10-12 % initial denials, 2-5 % rejections).
 * Through OpenRCM (`npm run demo`, seed 1), with the payers' partial manual in its scrubber and 270/271
 * checks, 3.5 % of the claims are held before submission and 4.0 % of the adjudicated ones denied (4.6 % in
 * the months the payers' new rules apply): the clean claim rate,
 * roughly (1 - held) x (1 - denied), must stay above 90 % (issue 8), which bounds both. That is why the
 * eligibility errors are rarer than the industry's cause mix would have them: every one the 271 catches is
 * a hold, which the clean claim rate counts.
 */
export const DEFAULT_ERROR_RATES: Readonly<ErrorRates> = {
  memberIdTypo: 0.016,
  outdatedCoverage: 0.009,
  missingAuthorization: 0.12,
  missingModifier: 0.035,
  wrongPos: 0.0025,
  nonCoveredService: 0.006,
  diagnosisMismatch: 0.04,
  duplicateSubmission: 0.002,
  lateDocumentation: 0.0025,
  pendingEnrollment: 0.03,
  // Eligibility-only (no claim outcome): about 1 in 50 commercial members changes plan or group during a
  // year without the practice hearing of it, and about 1 in 50 commercial patients has another coverage the
  // practice never recorded (CAQH Index and COB-recovery vendors put undisclosed other coverage at 2-5 %).
  planChange: 0.02,
  unknownOtherCoverage: 0.02,
};

export interface GenerateConfig {
  practices: number;
  months: number;
  seed: number | string;
  /** First date of service, 'YYYY-MM-DD'. The legacy AR is as of the day before. */
  startDate: string;
  errorRates?: Partial<ErrorRates>;
  /** Specialties assigned round-robin to practices (default: all four in a fixed order). */
  specialties?: readonly Specialty[];
  /** Multiplier on daily visit volume (default 1; realistic full clinic days). */
  volume?: number;
}

/** Injected-error bookkeeping: how many candidates each rate applied to, and how many were hit. */
export type InjectionStats = Record<keyof ErrorRates, { eligible: number; injected: number }>;

/** State carried from setup into the month stream; opaque to callers. */
export interface GeneratorState {
  readonly config: Required<Omit<GenerateConfig, 'errorRates'>> & { errorRates: ErrorRates };
  readonly setup: SetupData;
  readonly stats: InjectionStats;
  readonly endDate: string;
  /** internal */
  readonly practices: PracticeState[];
  /** internal: each payer's rule changes during the period (./payers/policy.ts). */
  readonly ruleChanges: ReadonlyMap<string, readonly DatedRuleChange[]>;
}

interface PracticeState {
  practice: Practice;
  profile: SpecialtyProfile;
  providers: Provider[];
  apps: Set<string>;
  offices: Location[];
  facility: Location | null;
  patients: Patient[];
  newToPractice: Set<string>;
  coveragesByPatient: Map<string, Coverage[]>;
  enrollment: Map<string, Enrollment>; // providerId|payerId
  chargeMaster: Map<string, number>; // code|modifier
  typoCoverages: Map<string, GroundTruth>;
  outdatedCoverages: Map<string, GroundTruth>;
  seen: Set<string>;
  nextAppointment: number;
  nextEncounter: number;
  nextAuthorization: number;
}

const PROC = new Map<string, ProcedureRow>(PROCEDURES.map((p) => [p.code, p]));
const PTP = new Map<string, 0 | 1 | 9>(PTP_PAIRS.map(([a, b, m]) => [`${a}|${b}`, m]));
const EM_CODE = /^992\d\d$|^G043[89]$|^993[89]\d$/;
const PAYER_ADDRESSES: Readonly<Record<string, readonly [string, string, string, string]>> = {
  SIM01: ['PO Box 100001', 'Port Larkin', 'OH', '43215'],
  SIM02: ['PO Box 200002', 'Millbrook Station', 'PA', '17101'],
  SIM03: ['PO Box 300003', 'Lake Umber', 'MI', '48909'],
  SIM04: ['PO Box 400004', 'Thistleton', 'NC', '27601'],
  SIM05: ['PO Box 500005', 'East Brindle', 'OH', '44101'],
  SIM06: ['PO Box 600006', 'Hazelmere', 'PA', '19103'],
  SIM07: ['PO Box 700007', 'Crane Mill', 'NC', '28202'],
};

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function emptyStats(): InjectionStats {
  const s = {} as InjectionStats;
  for (const k of Object.keys(DEFAULT_ERROR_RATES) as (keyof ErrorRates)[])
    s[k] = { eligible: 0, injected: 0 };
  return s;
}

/** Draw an injection: counts the candidate and returns whether the error is injected. */
function inject(stats: InjectionStats, kind: keyof ErrorRates, rate: number, rng: Rng): boolean {
  stats[kind].eligible++;
  // Always consume exactly one draw so other decisions do not shift when a rate changes to 0.
  const hit = rng.float() < rate;
  if (hit) stats[kind].injected++;
  return hit;
}

/** Integers proportional to weights summing exactly to `total` (largest remainder). */
export function apportion(weights: readonly number[], total: number): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const raw = weights.map((w) => (sum > 0 ? (w * total) / sum : 0));
  const out = raw.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    out[i] = (out[i] ?? 0) + 1;
    left--;
  }
  return out;
}

function personName(rng: Rng, sex: Sex): { first: string; last: string } {
  return {
    first: rng.pick(sex === 'F' ? GIVEN_NAMES_F : GIVEN_NAMES_M),
    last: rng.pick(SURNAME_HEADS) + rng.pick(SURNAME_TAILS),
  };
}

/**
 * A street address. Provider addresses carry ZIP+4 as 9 digits: the 837P TR3 requires the full nine
 * digits for the billing provider (2010AA N403) and the service facility (2310C N403).
 */
function address(
  rng: Rng,
  st: (typeof STATES)[number],
  zipPlus4 = false,
): { address1: string; city: string; state: string; zip: string } {
  return {
    address1: `${rng.int(10, 9899)} ${rng.pick(STREET_NAMES)} ${rng.pick(STREET_TYPES)}`,
    city: rng.pick(st.towns),
    state: st.state,
    zip: pad(rng.int(st.zipFrom, st.zipTo), 3) + rng.digits(2) + (zipPlus4 ? rng.digits(4) : ''),
  };
}

function phone(rng: Rng): string {
  // NANP reserves 555-0100 through 555-0199 for fictional use.
  return `${rng.int(2, 9)}${rng.digits(2)}5550${rng.int(100, 199)}`.slice(0, 10);
}

function activeOn(c: Coverage, date: string): boolean {
  return c.effectiveFrom <= date && (c.effectiveTo === null || c.effectiveTo >= date);
}

/** Builds everything fixed for the period (the first half of `generate`). */
export function generateSetup(input: GenerateConfig): GeneratorState {
  if (!Number.isInteger(input.practices) || input.practices < 1)
    throw new RangeError('practices must be a positive integer');
  if (!Number.isInteger(input.months) || input.months < 1)
    throw new RangeError('months must be a positive integer');
  toDay(input.startDate); // validates
  const config = {
    practices: input.practices,
    months: input.months,
    seed: input.seed,
    startDate: input.startDate,
    specialties: input.specialties && input.specialties.length > 0 ? input.specialties : SPECIALTIES,
    volume: input.volume ?? 1,
    errorRates: { ...DEFAULT_ERROR_RATES, ...input.errorRates },
  };
  const rates = config.errorRates;
  const root = new Rng(config.seed);
  const stats = emptyStats();
  const start = config.startDate;
  const endDate = addDays(addMonthsSameDay(start, config.months), -1);
  const periodDays = daysBetween(start, endDate) + 1;
  const businessDays = countBusinessDays(start, endDate);

  const setup: SetupData = {
    organizations: [],
    practices: [],
    providers: [],
    locations: [],
    payers: [],
    practicePayers: [],
    enrollments: [],
    feeSchedules: [],
    chargeMaster: [],
    patients: [],
    coverages: [],
    legacyAr: [],
    groundTruth: [],
  };

  const orgRng = root.fork('organization');
  const org: Organization = {
    organizationId: 'ORG1',
    name: 'Keystone Revenue Partners (simulated)',
    tin: makeTin(orgRng),
    npi: makeNpi(orgRng, 'organization'),
    ...address(orgRng, STATES[0], true),
    phone: phone(orgRng),
  };
  setup.organizations.push(org);

  for (const p of PAYER_PROFILES) {
    const [a1, city, state, zip] = PAYER_ADDRESSES[p.payerId] ?? ['PO Box 1', 'Port Larkin', 'OH', '43215'];
    const payer: Payer = {
      payerId: p.payerId,
      name: p.name,
      kind: p.kind,
      profileId: p.profileId,
      submission: p.submission,
      timelyFilingDays: p.timelyFilingDays,
      memberIdFormat: p.memberIdFormat,
      memberIdPattern: memberIdPatternSource(p),
      address1: a1,
      city,
      state,
      zip,
    };
    setup.payers.push(payer);
  }

  const states: PracticeState[] = [];
  for (let i = 1; i <= config.practices; i++) {
    const specialty = config.specialties[(i - 1) % config.specialties.length] ?? 'family_medicine';
    const profile = SPECIALTY_PROFILES[specialty];
    const rng = root.fork(`practice/${i}`);
    const practiceId = `PR${pad(i, 3)}`;
    const st = STATES[(i - 1) % STATES.length] ?? STATES[0];
    const practice: Practice = {
      practiceId,
      organizationId: org.organizationId,
      name: `${PRACTICE_NAME_WORDS[(i - 1) % PRACTICE_NAME_WORDS.length] ?? 'Summit'} ${profile.label} Associates (simulated)`,
      specialty,
      groupNpi: makeNpi(rng, 'organization'),
      tin: makeTin(rng),
      taxonomy: '193400000X', // NUCC: single-specialty group
      ...address(rng, st, true),
      phone: phone(rng),
      writeOffThresholdCents: rng.pick([5_000, 10_000, 25_000]),
    };
    setup.practices.push(practice);

    // Locations: one or two offices, plus the hospital outpatient department / ASC where the specialty operates.
    const offices: Location[] = [];
    const officeCount = rng.chance(0.5) ? 2 : 1;
    for (let l = 1; l <= officeCount; l++) {
      offices.push({
        locationId: `${practiceId}-L${l}`,
        practiceId,
        name:
          l === 1
            ? `${practice.name.replace(' (simulated)', '')} - Main Office`
            : `${practice.name.replace(' (simulated)', '')} - Satellite Office`,
        posCode: '11',
        npi: practice.groupNpi,
        ...(l === 1
          ? { address1: practice.address1, city: practice.city, state: practice.state, zip: practice.zip }
          : address(rng, st, true)),
      });
    }
    let facility: Location | null = null;
    if (profile.facilityPos) {
      facility = {
        locationId: `${practiceId}-L${officeCount + 1}`,
        practiceId,
        name:
          profile.facilityPos === '22'
            ? `${st.towns[0]} Community Hospital OPD (sim)`
            : `${st.towns[1]} Surgery Center (sim)`,
        posCode: profile.facilityPos,
        npi: makeNpi(rng, 'organization'),
        ...address(rng, st, true),
      };
    }
    setup.locations.push(...offices, ...(facility ? [facility] : []));

    // Providers.
    const providers: Provider[] = [];
    const apps = new Set<string>();
    const nPhys = rng.int(profile.physicians[0], profile.physicians[1]);
    const nApp = rng.int(profile.apps[0], profile.apps[1]);
    for (let j = 1; j <= nPhys + nApp; j++) {
      const isApp = j > nPhys;
      const sex: Sex = rng.chance(0.5) ? 'F' : 'M';
      const nm = personName(rng, sex);
      const prov: Provider = {
        providerId: `${practiceId}-PV${pad(j, 2)}`,
        practiceId,
        npi: makeNpi(rng, 'individual'),
        firstName: nm.first,
        lastName: nm.last,
        credential: isApp
          ? profile.appTaxonomy === '363LF0000X'
            ? 'NP'
            : 'PA'
          : rng.chance(0.8)
            ? 'MD'
            : 'DO',
        taxonomy: isApp ? profile.appTaxonomy : profile.physicianTaxonomy,
      };
      providers.push(prov);
      if (isApp) apps.add(prov.providerId);
    }
    setup.providers.push(...providers);

    // Payer mix (basis points over insured primaries) and contracts.
    const mixEntries = PAYER_PROFILES.filter((pp) => (profile.payerMix[pp.profileId] ?? 0) > 0);
    const bps = apportion(
      mixEntries.map((pp) => profile.payerMix[pp.profileId] ?? 0),
      10_000,
    );
    const contractFrom = `${Number(start.slice(0, 4)) - rng.int(1, 4)}-01-01`;
    const practicePayers: PracticePayer[] = mixEntries.map((pp, k) => ({
      practiceId,
      payerId: pp.payerId,
      mixBp: bps[k] ?? 0,
      inNetwork: pp.kind !== 'paper',
      contractEffectiveFrom: contractFrom,
    }));
    const supplement = PAYER_PROFILES.find((pp) => pp.kind === 'supplement');
    if (supplement)
      practicePayers.push({
        practiceId,
        payerId: supplement.payerId,
        mixBp: 0,
        inNetwork: true,
        contractEffectiveFrom: contractFrom,
      });
    setup.practicePayers.push(...practicePayers);

    // Enrollments: every provider at every payer; a share still pending at the start.
    const enrollment = new Map<string, Enrollment>();
    for (const prov of providers) {
      for (const pp of practicePayers) {
        const erng = rng.fork(`enroll/${prov.providerId}/${pp.payerId}`);
        const pending =
          pp.payerId !== supplement?.payerId &&
          inject(stats, 'pendingEnrollment', rates.pendingEnrollment, erng);
        const effectiveFrom = pending
          ? addDays(start, erng.int(5, 40))
          : addDays(start, -erng.int(120, 3000));
        const e: Enrollment = {
          providerId: prov.providerId,
          practiceId,
          payerId: pp.payerId,
          status: pending ? 'pending' : 'enrolled',
          appliedOn: addDays(effectiveFrom, -erng.int(45, 120)),
          effectiveFrom,
          effectiveTo: null,
        };
        enrollment.set(`${prov.providerId}|${pp.payerId}`, e);
        setup.enrollments.push(e);
      }
    }

    // Charge master: a practice-wide multiple of the Medicare amount, rounded up to whole dollars.
    const chargeMaster = new Map<string, number>();
    const chargeMultiple = 1.9 + rng.float() * 0.7;
    const localityBp = 9_500 + rng.int(0, 2_000); // a GPCI-like geographic adjustment per practice
    for (const proc of PROCEDURES) {
      const rows: [string | null, number][] = [[null, proc.nonFacilityCents]];
      if (proc.professionalCents > 0) rows.push(['26', proc.professionalCents]);
      for (const [mod, base] of rows) {
        const chargeCents = Math.ceil((base * chargeMultiple) / 100) * 100;
        const row: ChargeMasterRow = { practiceId, code: proc.code, modifier: mod, chargeCents };
        chargeMaster.set(`${proc.code}|${mod ?? ''}`, chargeCents);
        setup.chargeMaster.push(row);
      }
      // Contracted fee schedules: PFS amount x payer factor x locality.
      for (const pp of practicePayers) {
        const prof = payerProfile(pp.payerId);
        if (prof.kind === 'supplement') continue;
        const feeRows: [string | null, 'nonfacility' | 'facility', number][] = [
          [null, 'nonfacility', proc.nonFacilityCents],
          [null, 'facility', proc.facilityCents],
        ];
        if (proc.professionalCents > 0) {
          feeRows.push(
            ['26', 'nonfacility', proc.professionalCents],
            ['26', 'facility', proc.professionalCents],
          );
        }
        for (const [mod, setting, base] of feeRows) {
          const fee: FeeScheduleRow = {
            practiceId,
            payerId: pp.payerId,
            code: proc.code,
            modifier: mod,
            setting,
            allowedCents: Math.round((base * prof.feeFactorBp * localityBp) / 100_000_000),
            effectiveFrom: contractFrom,
            effectiveTo: null,
          };
          setup.feeSchedules.push(fee);
        }
      }
    }

    // Patients: a panel sized so each patient averages about 1.3 + 0.3/month visits over the period.
    const dailyVisits =
      providers.reduce(
        (s, p) => s + (apps.has(p.providerId) ? profile.visitsPerDayApp : profile.visitsPerDayPhysician),
        0,
      ) * config.volume;
    const expectedVisits = dailyVisits * businessDays * 0.91;
    const panelSize = Math.max(20, Math.round(expectedVisits / (1.3 + 0.3 * config.months)));
    const prng = rng.fork('patients');
    const patients: Patient[] = [];
    const newToPractice = new Set<string>();
    const coveragesByPatient = new Map<string, Coverage[]>();
    const typoCoverages = new Map<string, GroundTruth>();
    const outdatedCoverages = new Map<string, GroundTruth>();
    const mixTable = Object.entries<number>(profile.payerMix);
    const commercial = PAYER_PROFILES.filter((pp) => pp.kind === 'commercial');
    for (let k = 1; k <= panelSize; k++) {
      const r = prng.fork(k);
      const patientId = `${practiceId}-PT${pad(k, 6)}`;
      const sex: Sex = r.chance(0.54) ? 'F' : 'M';
      const nm = personName(r, sex);
      const payerKey = r.weighted(mixTable);
      const primaryProfile =
        payerKey === 'selfpay' ? null : (PAYER_PROFILES.find((pp) => pp.profileId === payerKey) ?? null);
      const age =
        primaryProfile?.kind === 'medicare' ? r.int(65, 92) : r.int(profile.youngAge[0], profile.youngAge[1]);
      const dob = addDays(start, -(age * 365 + r.int(0, 364)));
      const patient: Patient = {
        patientId,
        practiceId,
        mrn: `M${pad(i, 2)}${pad(k, 6)}`,
        firstName: nm.first,
        lastName: nm.last,
        dateOfBirth: dob,
        sex,
        ...address(r, st),
        phone: phone(r),
      };
      patients.push(patient);
      if (r.chance(0.15)) newToPractice.add(patientId);
      const covs: Coverage[] = [];
      if (primaryProfile) {
        const first = makeCoverage(r, patient, primaryProfile, 1, 1, start, profile);
        covs.push(first);
        // Plan change (known to the practice) or lapse during the period.
        const fate = r.weighted([
          ['keep', 91],
          ['change', 6],
          ['lapse', 3],
        ] as const);
        if (fate !== 'keep' && primaryProfile.kind !== 'medicare') {
          const changeOn = addDays(start, r.int(7, Math.max(8, periodDays - 7)));
          first.effectiveTo = addDays(changeOn, -1);
          if (fate === 'change') {
            const next = r.pick(commercial);
            const c2 = makeCoverage(r, patient, next, 1, 3, changeOn, profile);
            c2.effectiveFrom = changeOn;
            covs.push(c2);
          }
        }
        // Secondary coverage: Medicare + Medigap / Medicaid (dual), or a spouse's commercial plan.
        if (primaryProfile.kind === 'medicare' && r.chance(0.25)) {
          const sec = r.chance(0.6) ? supplement : PAYER_PROFILES.find((pp) => pp.kind === 'medicaid');
          if (sec) covs.push(makeCoverage(r, patient, sec, 2, 2, start, profile));
        } else if (primaryProfile.kind === 'commercial' && r.chance(0.04)) {
          const sec = r.pick(commercial.filter((c) => c.payerId !== primaryProfile.payerId));
          const c2 = makeCoverage(r, patient, sec, 2, 2, start, profile);
          c2.effectiveTo = first.effectiveTo;
          covs.push(c2);
        }
        // Injected registration errors on the first primary coverage.
        const er = r.fork('errors');
        if (inject(stats, 'memberIdTypo', rates.memberIdTypo, er)) {
          const typo = typoMemberId(er, first.memberId);
          const gt = coverageTruth(
            practiceId,
            first,
            'member_id_typo',
            `memberId ${typo.kind}${isValidMemberId(typo.value, primaryProfile.memberIdFormat) ? '' : `, ${FORMAT_BREAK}`}`,
          );
          gt.payerMemberId = first.memberId;
          first.memberId = typo.value;
          typoCoverages.set(first.coverageId, gt);
          setup.groundTruth.push(gt);
        }
        if (first.effectiveTo === null && inject(stats, 'outdatedCoverage', rates.outdatedCoverage, er)) {
          const gt = coverageTruth(
            practiceId,
            first,
            'outdated_coverage',
            'payer terminated the coverage; the practice file still shows it active',
          );
          gt.payerTerminationDate = addDays(start, er.int(-45, Math.floor(periodDays * 0.6)));
          outdatedCoverages.set(first.coverageId, gt);
          setup.groundTruth.push(gt);
        }
        // Eligibility-only scenarios, from their own stream so the draws above do not shift.
        const el = r.fork('eligibility-scenarios');
        if (
          primaryProfile.kind === 'commercial' &&
          primaryProfile.submission === 'electronic' &&
          first.groupNumber !== null &&
          inject(stats, 'planChange', rates.planChange, el)
        ) {
          const gt = coverageTruth(
            practiceId,
            first,
            'plan_change',
            'payer moved the member to another plan and group; the practice file shows the old plan and group',
          );
          gt.payerPlanName = `${first.planName} ${el.pick(PLAN_TIERS)}`;
          gt.payerGroupNumber = `G${el.digits(el.int(5, 8))}`;
          setup.groundTruth.push(gt);
        }
        if (
          primaryProfile.kind === 'commercial' &&
          !covs.some((c) => c.rank === 2) &&
          inject(stats, 'unknownOtherCoverage', rates.unknownOtherCoverage, el)
        ) {
          const other = el.pick(commercial.filter((c) => c.payerId !== primaryProfile.payerId));
          const gt = coverageTruth(
            practiceId,
            first,
            'unknown_other_coverage',
            `payer reports other coverage at ${other.payerId} (secondary to it); the practice file has no secondary`,
          );
          gt.otherPayerId = other.payerId;
          gt.otherMemberId = makeMemberId(el, other.memberIdFormat, other.memberIdPrefix);
          setup.groundTruth.push(gt);
        }
      }
      coveragesByPatient.set(patientId, covs);
      setup.coverages.push(...covs);
    }
    setup.patients.push(...patients);

    const ps: PracticeState = {
      practice,
      profile,
      providers,
      apps,
      offices,
      facility,
      patients,
      newToPractice,
      coveragesByPatient,
      enrollment,
      chargeMaster,
      typoCoverages,
      outdatedCoverages,
      seen: new Set(),
      nextAppointment: 1,
      nextEncounter: 1,
      nextAuthorization: 1,
    };
    states.push(ps);
    setup.legacyAr.push(
      ...legacyAr(rng.fork('legacy-ar'), ps, start, Math.round((expectedVisits / periodDays) * 30 * 0.5)),
    );
  }

  return {
    config: { ...config },
    setup,
    stats,
    endDate,
    practices: states,
    ruleChanges: changesByPayer(ruleTimeline(config.seed, config.startDate)),
  };
}

function memberIdPatternSource(p: PayerProfile): string {
  switch (p.memberIdFormat) {
    case 'alpha3num9':
      return `^${p.memberIdPrefix}[0-9]{9}$`;
    case 'mbi':
      return '^[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9][0-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9][0-9][AC-HJKMNP-RT-Y]{2}[0-9]{2}$';
    case 'medicaid':
      return '^[A-Z]{2}[0-9]{8}$';
    case 'w9':
      return '^W[0-9]{9}$';
    case 'num11':
      return '^[0-9]{11}$';
    case 'h8':
      return '^H[0-9]{8}$';
    case 'num9alpha':
      return '^[0-9]{9}[A-Z]$';
  }
}

function addMonthsSameDay(date: string, n: number): string {
  const first = monthStart(date, n);
  const dom = Number(date.slice(8, 10));
  const last = Number(addDays(monthStart(date, n + 1), -1).slice(8, 10));
  return `${first.slice(0, 8)}${pad(Math.min(dom, last), 2)}`;
}

function countBusinessDays(from: string, to: string): number {
  let n = 0;
  for (let d = toDay(from); d <= toDay(to); d++) if (isBusinessDay(d)) n++;
  return n;
}

function makeCoverage(
  r: Rng,
  patient: Patient,
  payer: PayerProfile,
  rank: number,
  seq: number,
  start: string,
  sp: SpecialtyProfile,
): Coverage {
  const age = ageOn(patient.dateOfBirth, start);
  // Dependants: under 26 on a parent's commercial plan; some adults on a spouse's plan.
  let relationship: Relationship = '18';
  if (payer.kind === 'commercial' && age < 26 && r.chance(0.8)) relationship = '19';
  else if (payer.kind === 'commercial' && r.chance(0.15)) relationship = '01';
  let sub = { first: patient.firstName, last: patient.lastName, dob: patient.dateOfBirth, sex: patient.sex };
  if (relationship !== '18') {
    const sex: Sex = relationship === '01' ? (patient.sex === 'F' ? 'M' : 'F') : r.chance(0.5) ? 'F' : 'M';
    const first = r.pick(sex === 'F' ? GIVEN_NAMES_F : GIVEN_NAMES_M);
    const gap = relationship === '19' ? r.int(22, 40) : r.int(-5, 5);
    sub = {
      first,
      last: patient.lastName,
      dob: addDays(patient.dateOfBirth, -gap * 365 - r.int(0, 364)),
      sex,
    };
  }
  const specialist = sp.specialty !== 'family_medicine';
  const copayCents = specialist ? payer.benefit.specialistCopayCents : payer.benefit.primaryCareCopayCents;
  return {
    coverageId: `${patient.patientId}-C${seq}`,
    patientId: patient.patientId,
    practiceId: patient.practiceId,
    payerId: payer.payerId,
    rank,
    memberId: makeMemberId(r, payer.memberIdFormat, payer.memberIdPrefix),
    groupNumber: payer.hasGroupNumber ? `G${r.digits(r.int(5, 8))}` : null,
    planName: payer.name.replace(' (simulated)', '').replace(/ \(simulated.*\)$/, ''),
    relationship,
    subscriberFirstName: sub.first,
    subscriberLastName: sub.last,
    subscriberDateOfBirth: sub.dob,
    subscriberSex: sub.sex,
    effectiveFrom: `${Number(start.slice(0, 4)) - r.int(1, 6)}-${pad(r.int(1, 12), 2)}-01`,
    effectiveTo: null,
    copayCents,
  };
}

const FORMAT_BREAK = 'breaks the payer format';

/** Plan variants a commercial payer moves members between (EB05 names: the payer's plan name and tier). */
const PLAN_TIERS = ['Select', 'Choice Plus', 'Bronze', 'Silver', 'Gold'] as const;

/**
 * Which step can catch an error before the payer does: the scrubber (claim data alone, with the payer's
 * rules and the credentialing file), or only the eligibility check (270/271 against the payer's roster).
 */
function detectableBy(kind: ErrorKind, detail: string): DetectableBy {
  switch (kind) {
    case 'member_id_typo':
      return detail.includes(FORMAT_BREAK) ? 'scrubber' : 'eligibility';
    case 'outdated_coverage':
    case 'plan_change':
    case 'unknown_other_coverage':
      return 'eligibility';
    case 'missing_authorization':
    case 'missing_modifier':
    case 'wrong_pos':
    case 'unenrolled_provider':
    case 'non_covered_service':
    case 'diagnosis_mismatch':
    case 'duplicate_submission':
    case 'payer_bundling':
    case 'late_documentation':
      return 'scrubber';
  }
}

function coverageTruth(practiceId: string, c: Coverage, kind: ErrorKind, detail: string): GroundTruth {
  return {
    key: `coverage:${c.coverageId}:${kind}`,
    scope: 'coverage',
    errorKind: kind,
    practiceId,
    coverageId: c.coverageId,
    encounterId: null,
    chargeId: null,
    expectedOutcome:
      kind === 'member_id_typo'
        ? 'reject:277CA'
        : kind === 'plan_change' || kind === 'unknown_other_coverage'
          ? 'flag:eligibility'
          : 'deny:CO-27',
    detectableBy: detectableBy(kind, detail),
    detail,
    payerMemberId: null,
    payerTerminationDate: null,
    payerGroupNumber: null,
    payerPlanName: null,
    otherPayerId: null,
    otherMemberId: null,
  };
}

function encounterTruth(
  e: Encounter,
  kind: ErrorKind,
  expectedOutcome: string,
  detail: string,
  chargeId: string | null = null,
  coverageId: string | null = null,
): GroundTruth {
  return {
    key: `encounter:${e.encounterId}:${kind}`,
    scope: 'encounter',
    errorKind: kind,
    practiceId: e.practiceId,
    coverageId,
    encounterId: e.encounterId,
    chargeId,
    expectedOutcome,
    detectableBy: detectableBy(kind, detail),
    detail,
    payerMemberId: null,
    payerTerminationDate: null,
    payerGroupNumber: null,
    payerPlanName: null,
    otherPayerId: null,
    otherMemberId: null,
  };
}

/**
 * Yields the activity month by month (the first and last may be partial), one chunk per practice within
 * a month, in that order: concatenating the chunks gives the same rows as a month-at-a-time stream.
 */
export function* generateMonths(state: GeneratorState): Generator<MonthData> {
  const { config, endDate } = state;
  let cursor = config.startDate;
  let m = 0;
  while (cursor <= endDate) {
    const next = monthStart(cursor, 1);
    const last = next > endDate ? endDate : addDays(next, -1);
    for (const ps of state.practices) {
      // One chunk per practice-month keeps memory bounded by the largest practice's month.
      const chunk: MonthData = {
        month: cursor.slice(0, 7),
        practiceId: ps.practice.practiceId,
        appointments: [],
        encounters: [],
        charges: [],
        authorizations: [],
        groundTruth: [],
      };
      const rng = new Rng(config.seed).fork(`practice/${ps.practice.practiceId}/month/${m}`);
      for (let day = toDay(cursor); day <= toDay(last); day++) {
        if (!isBusinessDay(day)) continue;
        generateDay(state, ps, rng.fork(day), day, chunk);
      }
      yield chunk;
    }
    cursor = next;
    m++;
  }
}

function generateDay(state: GeneratorState, ps: PracticeState, rng: Rng, day: number, out: MonthData): void {
  const date = fromDay(day);
  const { profile } = ps;
  const bookedToday = new Set<string>();
  ps.providers.forEach((prov, j) => {
    const isApp = ps.apps.has(prov.providerId);
    const prng = rng.fork(prov.providerId);
    const mean = (isApp ? profile.visitsPerDayApp : profile.visitsPerDayPhysician) * state.config.volume;
    const n = prng.poisson(mean);
    const office = ps.offices[j % ps.offices.length] ?? ps.offices[0];
    if (!office) return;
    for (let s = 0; s < n; s++) {
      const arng = prng.fork(s);
      // One visit per patient per practice per day: a second same-day visit would look like a duplicate claim.
      let patient = arng.pick(ps.patients);
      for (let t = 0; t < 5 && bookedToday.has(patient.patientId); t++) patient = arng.pick(ps.patients);
      if (bookedToday.has(patient.patientId)) continue;
      bookedToday.add(patient.patientId);
      const startMinute = 8 * 60 + Math.floor((s * 540) / Math.max(n, 1) / 5) * 5;
      const status = arng.weighted([
        ['completed', 91],
        ['no_show', 6],
        ['cancelled', 3],
      ] as const);
      const isNew = ps.newToPractice.has(patient.patientId) && !ps.seen.has(patient.patientId);
      const covs = ps.coveragesByPatient.get(patient.patientId) ?? [];
      const primary = covs.find((c) => c.rank === 1 && activeOn(c, date)) ?? null;
      const secondary = primary ? (covs.find((c) => c.rank === 2 && activeOn(c, date)) ?? null) : null;
      const primaryProfile = primary ? payerProfile(primary.payerId) : null;
      const month = Number(date.slice(5, 7));
      let draft: DraftVisit = profile.buildVisit({
        rng: arng,
        isNewPatient: isNew,
        age: ageOn(patient.dateOfBirth, date),
        primaryKind: primaryProfile?.kind ?? null,
        month,
      });
      // Advanced practice providers do not perform the hospital/ASC procedures in these templates.
      for (let t = 0; t < 3 && isApp && draft.setting === 'facility'; t++) {
        draft = profile.buildVisit({
          rng: arng,
          isNewPatient: isNew,
          age: ageOn(patient.dateOfBirth, date),
          primaryKind: primaryProfile?.kind ?? null,
          month,
        });
      }
      const location = draft.setting === 'facility' && ps.facility ? ps.facility : office;
      const appointment: Appointment = {
        appointmentId: `${ps.practice.practiceId}-A${pad(ps.nextAppointment++, 7)}`,
        practiceId: ps.practice.practiceId,
        patientId: patient.patientId,
        providerId: prov.providerId,
        locationId: location.locationId,
        date,
        startAt: localInstant(day, startMinute),
        durationMinutes: draft.durationMinutes,
        visitType: draft.visitType,
        status,
      };
      out.appointments.push(appointment);
      if (status !== 'completed') continue;
      ps.seen.add(patient.patientId);
      buildEncounter(
        state,
        ps,
        arng.fork('encounter'),
        appointment,
        draft,
        location.posCode,
        primary,
        secondary,
        primaryProfile,
        out,
      );
    }
  });
}

const payerOnlyCache = new WeakMap<PayerProfile, readonly (readonly [string, string])[]>();

/** A payer's never-together bundling pairs that NCCI does not have (so the generator's NCCI pass cannot avoid them). */
function payerOnlyPairs(payer: PayerProfile): readonly (readonly [string, string])[] {
  let pairs = payerOnlyCache.get(payer);
  if (!pairs) {
    // Never-together pairs NCCI does not have, or has with modifier indicator 1 (the payer ignores 25 / 59).
    pairs = payer.bundlingPairs
      .filter(([a, b, mi]) => mi === 0 && PTP.get(`${a}|${b}`) !== 0)
      .map(([a, b]) => [a, b] as const);
    payerOnlyCache.set(payer, pairs);
  }
  return pairs;
}

/** Applies the NCCI pairs among the draft's lines: drop never-together components, add 25 / 59 where allowed. */
function applyNcci(lines: DraftLine[]): DraftLine[] {
  const dropped = new Set<number>();
  for (let a = 0; a < lines.length; a++) {
    for (let b = 0; b < lines.length; b++) {
      if (a === b || dropped.has(a) || dropped.has(b)) continue;
      const la = lines[a];
      const lb = lines[b];
      if (!la || !lb) continue;
      const mi = PTP.get(`${la.code}|${lb.code}`);
      if (mi === undefined) continue;
      if (mi === 0) {
        dropped.add(b);
      } else if (mi === 1) {
        if (EM_CODE.test(lb.code)) {
          if (!lb.modifiers.includes('25')) lb.modifiers.unshift('25');
        } else {
          const distinctSides =
            la.modifiers.some((m) => m === 'RT' || m === 'LT') &&
            lb.modifiers.some((m) => m === 'RT' || m === 'LT') &&
            la.modifiers.join() !== lb.modifiers.join();
          if (!distinctSides && !lb.modifiers.includes('59')) lb.modifiers.push('59');
        }
      }
    }
  }
  return lines.filter((_, i) => !dropped.has(i));
}

function buildEncounter(
  state: GeneratorState,
  ps: PracticeState,
  rng: Rng,
  appt: Appointment,
  draft: DraftVisit,
  locationPos: string,
  primary: Coverage | null,
  secondary: Coverage | null,
  payer: PayerProfile | null,
  out: MonthData,
): void {
  const rates = state.config.errorRates;
  const stats = state.stats;
  const er = rng.fork('errors');
  const lines = applyNcci(draft.lines.map((l) => ({ ...l, modifiers: [...l.modifiers], dx: [...l.dx] })));
  if (locationPos !== '11') {
    // Hospital / ASC setting: the practice bills only the professional component of PC/TC-split codes.
    for (const l of lines)
      if ((PROC.get(l.code)?.professionalCents ?? 0) > 0 && !l.modifiers.includes('26'))
        l.modifiers.unshift('26');
  }
  const truths: GroundTruth[] = [];
  const practiceId = ps.practice.practiceId;
  const encounterId = `${practiceId}-E${pad(ps.nextEncounter++, 7)}`;
  // Documentation completion: a lognormal lag with a median of about a day and a long tail.
  let docHours = Math.min(60 * 24, appt.durationMinutes / 60 + rng.lognormal(23.5, 1.1));
  // A note signed only after the payer's filing limit (its own stream, so other draws do not move).
  const lr = rng.fork('late');
  const late =
    payer !== null && primary !== null && inject(stats, 'lateDocumentation', rates.lateDocumentation, lr);
  if (late && payer) docHours = (payer.timelyFilingDays + lr.int(1, 45)) * 24;
  const encounter: Encounter = {
    encounterId,
    appointmentId: appt.appointmentId,
    practiceId,
    patientId: appt.patientId,
    renderingProviderId: appt.providerId,
    locationId: appt.locationId,
    dateOfService: appt.date,
    posCode: locationPos,
    documentedAt: addHours(appt.startAt, docHours),
    primaryCoverageId: primary?.coverageId ?? null,
    secondaryCoverageId: secondary?.coverageId ?? null,
    diagnoses: [],
  };

  if (late) {
    truths.push(
      encounterTruth(
        encounter,
        'late_documentation',
        'deny:CO-29',
        "documentedAt is past the primary payer's timely-filing limit",
      ),
    );
  }
  // Injections that need the payer (insured encounters only). Every candidate consumes one draw.
  let missingAuth = false;
  if (payer && primary) {
    const typo = ps.typoCoverages.get(primary.coverageId);
    if (typo)
      truths.push(
        encounterTruth(encounter, 'member_id_typo', 'reject:277CA', typo.detail, null, primary.coverageId),
      );
    const outdated = ps.outdatedCoverages.get(primary.coverageId);
    if (outdated?.payerTerminationDate && appt.date > outdated.payerTerminationDate) {
      truths.push(
        encounterTruth(
          encounter,
          'outdated_coverage',
          'deny:CO-27',
          'service after the payer-side termination date',
          null,
          primary.coverageId,
        ),
      );
    }
    const enr = ps.enrollment.get(`${appt.providerId}|${payer.payerId}`);
    if (!enr || enr.effectiveFrom > appt.date) {
      truths.push(
        encounterTruth(
          encounter,
          'unenrolled_provider',
          'hold:credentialing',
          'rendering provider enrollment not yet effective at the primary payer (CO-B7 if sent)',
        ),
      );
    }
    if (lines.some((l) => requiresAuth(payer, l.code)))
      missingAuth = inject(stats, 'missingAuthorization', rates.missingAuthorization, er);
    if (lines.some((l) => l.modifiers.some((m) => m === '25' || m === '59' || m === 'RT' || m === 'LT'))) {
      if (inject(stats, 'missingModifier', rates.missingModifier, er)) {
        const candidates = lines.flatMap((l, idx) =>
          l.modifiers
            .filter((m) => m === '25' || m === '59' || m === 'RT' || m === 'LT')
            .map((m) => [idx, m] as const),
        );
        const [idx, mod] = er.pick(candidates);
        const l = lines[idx];
        if (l) l.modifiers = l.modifiers.filter((m) => m !== mod);
        const outcome = mod === 'RT' || mod === 'LT' ? 'deny:CO-4' : 'deny:CO-97';
        truths.push(
          encounterTruth(
            encounter,
            'missing_modifier',
            outcome,
            `modifier ${mod} removed from line ${idx + 1}`,
            `${encounterId}-${idx + 1}`,
          ),
        );
      }
    }
    if (inject(stats, 'wrongPos', rates.wrongPos, er)) {
      encounter.posCode = locationPos === '11' ? '22' : '11';
      truths.push(
        encounterTruth(
          encounter,
          'wrong_pos',
          'deny:CO-5',
          `posCode ${encounter.posCode} does not match the location (${locationPos})`,
        ),
      );
    }
    if (inject(stats, 'nonCoveredService', rates.nonCoveredService, er)) {
      const opt = er.pick(ps.profile.nonCovered);
      lines.push({ code: opt.code, modifiers: [], units: 1, dx: [opt.dx] });
      const nc = nonCoveredEntry(payer, opt.code);
      truths.push(
        encounterTruth(
          encounter,
          'non_covered_service',
          `deny:CO-${nc?.carc ?? '96'}`,
          `line ${lines.length} is a service the payer does not cover`,
          `${encounterId}-${lines.length}`,
        ),
      );
    }
    const mnIdx = lines.findIndex((l) => payer.medicalNecessity[l.code] !== undefined);
    if (mnIdx >= 0 && inject(stats, 'diagnosisMismatch', rates.diagnosisMismatch, er)) {
      const l = lines[mnIdx];
      // A vague symptom code instead of the supporting diagnosis: on no payer's list for these codes.
      if (l) l.dx = ['R53.83'];
      truths.push(
        encounterTruth(
          encounter,
          'diagnosis_mismatch',
          'deny:CO-50',
          `line ${mnIdx + 1} points only to a diagnosis outside the payer's medical-necessity list`,
          `${encounterId}-${mnIdx + 1}`,
        ),
      );
    }
  }

  if (payer && primary) {
    // The payer's pairs in force on the date of service, including a bundling policy adopted after its manual.
    const rules = rulesOn(payer, state.ruleChanges.get(payer.payerId) ?? [], appt.date);
    for (const [c1, c2] of payerOnlyPairs(rules)) {
      const idx = lines.findIndex((l) => l.code === c2);
      if (idx >= 0 && lines.some((l) => l.code === c1)) {
        truths.push(
          encounterTruth(
            encounter,
            'payer_bundling',
            'deny:CO-97',
            `line ${idx + 1} is bundled by this payer's own policy`,
            `${encounterId}-${idx + 1}`,
          ),
        );
        break;
      }
    }
  }

  // Diagnoses (claim order) and pointers.
  const dxList: string[] = [];
  for (const l of lines) for (const d of l.dx) if (!dxList.includes(d) && dxList.length < 12) dxList.push(d);
  encounter.diagnoses = dxList;

  // Prior authorization for the codes the primary payer lists.
  let authorization: Authorization | null = null;
  const authCodes = payer ? lines.filter((l) => requiresAuth(payer, l.code)).map((l) => l.code) : [];
  if (payer && primary && authCodes.length > 0) {
    if (missingAuth) {
      truths.push(
        encounterTruth(
          encounter,
          'missing_authorization',
          'deny:CO-197',
          `no prior authorization obtained for ${authCodes.length} line(s)`,
        ),
      );
    } else {
      const validFrom = addDays(appt.date, -rng.int(3, 21));
      authorization = {
        authorizationId: `${practiceId}-AU${pad(ps.nextAuthorization++, 6)}`,
        practiceId,
        patientId: appt.patientId,
        payerId: payer.payerId,
        coverageId: primary.coverageId,
        authNumber: `${payer.payerId.slice(-2)}${rng.digits(9)}`,
        codes: authCodes,
        units: lines.filter((l) => authCodes.includes(l.code)).reduce((s, l) => s + l.units, 0),
        validFrom,
        validTo: addDays(validFrom, 90),
      };
      out.authorizations.push(authorization);
    }
  }

  const charges: Charge[] = lines.map((l, idx) => {
    const mod26 = l.modifiers.includes('26') ? '26' : '';
    const unit = ps.chargeMaster.get(`${l.code}|${mod26}`) ?? ps.chargeMaster.get(`${l.code}|`) ?? 0;
    return {
      chargeId: `${encounterId}-${idx + 1}`,
      encounterId,
      practiceId,
      lineNumber: idx + 1,
      dateOfService: appt.date,
      code: l.code,
      modifiers: l.modifiers,
      units: l.units,
      diagnosisPointers: l.dx
        .map((d) => dxList.indexOf(d) + 1)
        .filter((p) => p > 0)
        .slice(0, 4),
      chargeCents: unit * l.units,
      posCode: encounter.posCode,
      authorizationId:
        authorization && authorization.codes.includes(l.code) ? authorization.authorizationId : null,
    };
  });

  if (payer && primary) ruleChangeTruths(state, payer, encounter, charges, truths);

  out.encounters.push(encounter);
  out.charges.push(...charges);
  out.groundTruth.push(...truths);

  // Duplicate entry: the same visit's charges keyed in a second time, as a separate encounter.
  if (payer && primary && inject(stats, 'duplicateSubmission', rates.duplicateSubmission, er)) {
    const dupId = `${practiceId}-E${pad(ps.nextEncounter++, 7)}`;
    const dup: Encounter = { ...encounter, encounterId: dupId, diagnoses: [...encounter.diagnoses] };
    out.encounters.push(dup);
    out.charges.push(
      ...charges.map((c) => ({
        ...c,
        chargeId: `${dupId}-${c.lineNumber}`,
        encounterId: dupId,
        modifiers: [...c.modifiers],
        diagnosisPointers: [...c.diagnosisPointers],
      })),
    );
    out.groundTruth.push(
      encounterTruth(
        dup,
        'duplicate_submission',
        'deny:CO-18',
        `same patient, date, provider and codes as ${encounterId}`,
      ),
    );
  }
}

/**
 * Denials a payer's rule changes cause (./payers/policy.ts): neither the practice nor the manual knew the
 * rule on the date of service. At most one row per kind and encounter (the ground truth's natural key), and
 * none where an injected error of that kind already explains the encounter.
 */
function ruleChangeTruths(
  state: GeneratorState,
  payer: PayerProfile,
  encounter: Encounter,
  charges: readonly Charge[],
  truths: GroundTruth[],
): void {
  const changes = state.ruleChanges.get(payer.payerId) ?? [];
  const rules = rulesOn(payer, changes, encounter.dateOfService);
  if (rules === payer) return;
  const since = (test: (c: DatedRuleChange) => boolean): string =>
    changes.find((c) => c.effectiveFrom <= encounter.dateOfService && test(c))?.effectiveFrom ?? '';
  const has = (kind: ErrorKind) => truths.some((t) => t.errorKind === kind);
  for (const c of charges) {
    if (!has('missing_authorization') && requiresAuth(rules, c.code) && !requiresAuth(payer, c.code)) {
      const from = since((d) => d.change.priorAuthCodes?.includes(c.code) === true);
      truths.push(
        encounterTruth(
          encounter,
          'missing_authorization',
          'deny:CO-197',
          `line ${c.lineNumber}: the payer requires prior authorization for this code from ${from}, after its published manual`,
          c.chargeId,
        ),
      );
    }
    const nc = nonCoveredEntry(rules, c.code);
    if (!has('non_covered_service') && nc && !nonCoveredEntry(payer, c.code)) {
      truths.push(
        encounterTruth(
          encounter,
          'non_covered_service',
          `deny:CO-${nc.carc}`,
          `line ${c.lineNumber}: the payer stopped covering this code, after its published manual`,
          c.chargeId,
        ),
      );
    }
    const list = rules.medicalNecessity[c.code];
    if (!has('diagnosis_mismatch') && list && list !== payer.medicalNecessity[c.code]) {
      const pointed = c.diagnosisPointers.map((p) => encounter.diagnoses[p - 1]);
      if (!pointed.some((d) => d !== undefined && list.includes(d))) {
        const from = since((d) => d.change.medicalNecessity?.[c.code] !== undefined);
        truths.push(
          encounterTruth(
            encounter,
            'diagnosis_mismatch',
            'deny:CO-50',
            `line ${c.lineNumber}: the payer's medical-necessity policy for this code from ${from} (after its published manual) does not list the pointed diagnoses`,
            c.chargeId,
          ),
        );
      }
    }
  }
}

const AGING_WEIGHTS: Readonly<Record<AgingBucket, number>> = {
  '0-30': 50,
  '31-60': 11,
  '61-90': 7,
  '91-120': 6,
  '120+': 25,
};

function bucketOf(age: number): AgingBucket {
  if (age <= 30) return '0-30';
  if (age <= 60) return '31-60';
  if (age <= 90) return '61-90';
  if (age <= 120) return '91-120';
  return '120+';
}

/** The previous billing operation's open claims, aged in the typical mix (DOMAIN.md, "AR aging"). */
function legacyAr(rng: Rng, ps: PracticeState, start: string, count: number): LegacyAr[] {
  const asOf = addDays(start, -1);
  const counts = apportion(
    AGING_BUCKETS.map((b) => AGING_WEIGHTS[b]),
    Math.max(count, 10),
  );
  const ages: number[] = [];
  AGING_BUCKETS.forEach((b, i) => {
    for (let k = 0; k < (counts[i] ?? 0); k++) {
      switch (b) {
        case '0-30':
          ages.push(rng.int(1, 30));
          break;
        case '31-60':
          ages.push(rng.int(31, 60));
          break;
        case '61-90':
          ages.push(rng.int(61, 90));
          break;
        case '91-120':
          ages.push(rng.int(91, 120));
          break;
        case '120+':
          ages.push(Math.min(720, 121 + Math.floor(-Math.log(1 - rng.float()) * 110)));
          break;
      }
    }
  });
  rng.shuffle(ages);
  const rows: LegacyAr[] = [];
  ages.forEach((ageDays, k) => {
    const r = rng.fork(k);
    const patient = r.pick(ps.patients);
    const dos = addDays(asOf, -ageDays);
    const cov =
      (ps.coveragesByPatient.get(patient.patientId) ?? []).find(
        (c) => c.rank === 1 && c.effectiveFrom <= dos,
      ) ?? null;
    const prof = cov ? payerProfile(cov.payerId) : null;
    const draft = ps.profile.buildVisit({
      rng: r,
      isNewPatient: false,
      age: ageOn(patient.dateOfBirth, dos),
      primaryKind: prof?.kind ?? null,
      month: Number(dos.slice(5, 7)),
    });
    const lines = applyNcci(draft.lines);
    const billed = lines.reduce((s, l) => s + (ps.chargeMaster.get(`${l.code}|`) ?? 0) * l.units, 0);
    const allowed = lines.reduce(
      (s, l) =>
        s +
        Math.round(((PROC.get(l.code)?.nonFacilityCents ?? 0) * (prof?.feeFactorBp ?? 10_000)) / 10_000) *
          l.units,
      0,
    );
    let status: LegacyAr['status'];
    let paid = 0;
    let adjusted = 0;
    let responsible: LegacyAr['responsibleParty'] = 'insurance';
    if (!prof) {
      status = 'patient_balance';
      responsible = 'patient';
    } else {
      status = r.weighted([
        ['submitted', 52],
        ['denied', 20],
        ['partially_paid', 10],
        ['patient_balance', 18],
      ] as const);
      if (status === 'partially_paid' || status === 'patient_balance') {
        adjusted = Math.max(0, billed - allowed);
        paid = Math.round(allowed * (status === 'patient_balance' ? 0.8 : 0.3 + r.float() * 0.4));
        if (status === 'patient_balance') responsible = 'patient';
      }
    }
    const balance = billed - paid - adjusted;
    if (balance <= 0) return;
    const provider = r.pick(ps.providers);
    rows.push({
      legacyClaimId: `${ps.practice.practiceId}-LG${pad(k + 1, 6)}`,
      practiceId: ps.practice.practiceId,
      patientId: patient.patientId,
      payerId: responsible === 'insurance' && cov ? cov.payerId : null,
      renderingProviderId: provider.providerId,
      dateOfService: dos,
      codes: lines.map((l) => l.code),
      billedCents: billed,
      paidCents: paid,
      adjustedCents: adjusted,
      balanceCents: balance,
      responsibleParty: responsible,
      status,
      ageDays,
      agingBucket: bucketOf(ageDays),
      lastActivityDate: addDays(dos, r.int(0, ageDays)),
      asOf,
    });
  });
  return rows;
}

/** Where a data set comes from: its first date of service and seed (what the payers' rule timeline and seasoned accumulators follow). */
export interface DatasetOrigin {
  readonly startDate: string;
  readonly seed: number | string;
}

/** Generates a whole data set in memory (small runs and tests; large runs should stream, see ./write.ts). */
export function generate(config: GenerateConfig): Dataset & { stats: InjectionStats; origin: DatasetOrigin } {
  const state = generateSetup(config);
  const ds: Dataset = {
    ...state.setup,
    groundTruth: [...state.setup.groundTruth],
    appointments: [],
    encounters: [],
    charges: [],
    authorizations: [],
  };
  for (const m of generateMonths(state)) {
    ds.appointments.push(...m.appointments);
    ds.encounters.push(...m.encounters);
    ds.charges.push(...m.charges);
    ds.authorizations.push(...m.authorizations);
    ds.groundTruth.push(...m.groundTruth);
  }
  return {
    ...ds,
    stats: state.stats,
    origin: { startDate: state.config.startDate, seed: state.config.seed },
  };
}
