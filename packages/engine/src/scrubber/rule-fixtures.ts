/**
 * TEST FIXTURES: at least one passing and one failing claim per catalog rule (STYLE §8). The catalog test
 * runs each rule on its fixtures and fails when a rule has none. Each case is a small change to the clean
 * fixture claim or context, named after the scenario it stands for.
 */
import type { CalendarDate, ClaimId, Icd10Code, MemberId, Npi, PlaceOfService, Tin } from '@openrcm/core';
import { phi } from '@openrcm/core';
import type { Claim, PriorAdjudication } from '../claims/model.ts';
import {
  FIXTURE_COVERAGE,
  FIXTURE_RENDERING,
  fixtureClaim,
  fixtureContext,
  fixtureLine,
  fixtureNpi,
} from './fixtures.ts';
import { duplicateKeys } from './rules/payer.ts';
import type { ScrubContext, Severity } from './types.ts';

export interface RuleCase {
  readonly name: string;
  readonly claim: Claim;
  readonly ctx: ScrubContext;
  /** For failing cases: the severity the rule must report (default: the rule's). */
  readonly severity?: Severity;
}

export interface RuleFixtures {
  readonly pass: readonly RuleCase[];
  readonly fail: readonly RuleCase[];
}

const d = (s: string): CalendarDate => s as CalendarDate;
const pos = (s: string): PlaceOfService => s as PlaceOfService;
const icd = (...codes: string[]): Icd10Code[] => codes as Icd10Code[];
const base = fixtureClaim();
const ctx = fixtureContext();

function c(name: string, claim: Claim = base, context: ScrubContext = ctx, severity?: Severity): RuleCase {
  return { name, claim, ctx: context, ...(severity ? { severity } : {}) };
}
const oneLine = (code: string, extra: Parameters<typeof fixtureLine>[4] = {}, charge = 10000): Claim =>
  fixtureClaim({ lines: [fixtureLine(1, code, charge, [1], extra)] });
const twoLines = (a: string, ma: string[], b: string, mb: string[] = []): Claim =>
  fixtureClaim({
    lines: [
      fixtureLine(1, a, 10000, [1], { modifiers: ma }),
      fixtureLine(2, b, 8000, [1], { modifiers: mb }),
    ],
  });

const { renderingProvider: _rendering, ...withoutRendering } = base;

function withoutEligibility(context: ScrubContext): ScrubContext {
  const { eligibility: _unused, ...rest } = context;
  return rest;
}

const primaryAdjudication: PriorAdjudication = {
  coverage: FIXTURE_COVERAGE,
  paidCents: 12000 as PriorAdjudication['paidCents'],
  adjudicatedOn: d('2026-10-30'),
  claimAdjustments: [],
  lines: [],
};
const medicare = {
  ...FIXTURE_COVERAGE,
  payer: {
    ...FIXTURE_COVERAGE.payer,
    type: 'medicare' as const,
    claimFilingIndicator: 'MB',
    timelyFilingDays: 365,
  },
};
const secondaryCoverage = { ...FIXTURE_COVERAGE, rank: 'secondary' as const };

export const RULE_FIXTURES: Readonly<Record<string, RuleFixtures>> = {
  'tr3-required': {
    pass: [c('complete claim')],
    fail: [
      c(
        'member id blank',
        fixtureClaim({ coverage: { ...FIXTURE_COVERAGE, memberId: phi('' as MemberId) } }),
      ),
      c(
        '5-digit billing ZIP',
        fixtureClaim({
          billingProvider: {
            ...base.billingProvider,
            address: { ...base.billingProvider.address, postalCode: '62701' },
          },
        }),
      ),
      c(
        'billing address is a PO box',
        fixtureClaim({
          billingProvider: {
            ...base.billingProvider,
            address: { ...base.billingProvider.address, line1: 'PO Box 12' },
          },
        }),
      ),
      c(
        '5-digit service facility ZIP',
        fixtureClaim({
          serviceFacility: {
            name: 'Clinic',
            placeOfService: pos('11'),
            address: { line1: '1 Oak Ave', city: 'Springfield', state: 'IL', postalCode: '62702' },
          },
        }),
      ),
      c('no diagnosis', fixtureClaim({ diagnoses: [] })),
      c(
        'patient address without a city',
        fixtureClaim({
          patient: {
            ...base.patient,
            address: phi({ line1: '12 Elm St', city: '', state: 'IL', postalCode: '62701' }),
          },
        }),
      ),
      c('line without pointer', oneLine('99213', { diagnosisPointers: [] })),
      c('organization billing with no rendering provider', withoutRendering),
    ],
  },
  'npi-check-digit': {
    pass: [c('valid billing and rendering NPIs')],
    fail: [
      c(
        'rendering NPI with a wrong check digit',
        fixtureClaim({ renderingProvider: { ...base.renderingProvider!, npi: '1111111110' as Npi } }),
      ),
      c(
        'referring NPI of 9 digits',
        fixtureClaim({
          referringProvider: { npi: '123456789' as Npi, entityType: 'person', lastOrOrganizationName: 'Ref' },
        }),
      ),
    ],
  },
  'tin-format': {
    pass: [c('organization EIN with an assigned prefix')],
    fail: [
      c(
        '8-digit TIN',
        fixtureClaim({ billingProvider: { ...base.billingProvider, tin: '12345678' as Tin } }),
      ),
      c(
        'organization EIN with prefix 07',
        fixtureClaim({ billingProvider: { ...base.billingProvider, tin: '071234567' as Tin } }),
      ),
    ],
  },
  'member-id-format': {
    pass: [
      c('commercial payer without a configured format'),
      c(
        'member id matches the payer pattern',
        base,
        fixtureContext({
          payerSettings: () => ({ priorAuthorizationCodes: new Set(), memberIdPattern: /^W[0-9]{9}$/ }),
        }),
      ),
      c(
        'valid MBI for Medicare Part B',
        fixtureClaim({ coverage: { ...medicare, memberId: phi('1EG4TE5MK73' as MemberId) } }),
      ),
    ],
    fail: [
      c(
        'digit dropped from a W-number',
        fixtureClaim({ coverage: { ...FIXTURE_COVERAGE, memberId: phi('W12345678' as MemberId) } }),
        fixtureContext({
          payerSettings: () => ({ priorAuthorizationCodes: new Set(), memberIdPattern: /^W[0-9]{9}$/ }),
        }),
      ),
      c(
        'MBI with a forbidden letter S',
        fixtureClaim({ coverage: { ...medicare, memberId: phi('1SG4TE5MK73' as MemberId) } }),
      ),
    ],
  },
  'charge-positive': {
    pass: [c('positive charges')],
    fail: [c('zero charge line', oneLine('99213', {}, 0))],
  },
  'total-equals-lines': {
    pass: [c('total computed from lines')],
    fail: [
      c(
        'total off by one cent',
        fixtureClaim({ totalChargeCents: (base.totalChargeCents + 1) as Claim['totalChargeCents'] }),
      ),
    ],
  },
  'frequency-payer-claim-number': {
    pass: [
      c('original claim'),
      c('replacement with REF*F8', fixtureClaim({ frequencyCode: '7', payerClaimControlNumber: 'PCN123' })),
    ],
    fail: [c('void without REF*F8', fixtureClaim({ frequencyCode: '8' }))],
  },
  'icd10-valid': {
    pass: [
      c('billable codes'),
      c('code added FY2026 used after October 1, 2025', fixtureClaim({ diagnoses: icd('E11A') })),
    ],
    fail: [
      c('category header E11', fixtureClaim({ diagnoses: icd('E11', 'I10') })),
      c('B88.0 deleted October 1, 2025', fixtureClaim({ diagnoses: icd('B880', 'I10') })),
      c('unknown code', fixtureClaim({ diagnoses: icd('E119', 'Q9999') })),
      c(
        'date before the loaded releases',
        fixtureClaim({
          lines: [fixtureLine(1, '99213', 100, [1], { serviceDate: d('2023-05-02') })],
          diagnoses: icd('E119'),
        }),
        ctx,
        'warning',
      ),
    ],
  },
  'diagnosis-patient-consistency': {
    pass: [
      c('no MCE edits on E11.9 and I10'),
      c('manifestation G63 listed after its cause', fixtureClaim({ diagnoses: icd('E119', 'G63') })),
      c('female-only N95.1 for a female patient', fixtureClaim({ diagnoses: icd('N951', 'I10') })),
    ],
    fail: [
      c('manifestation G63 first-listed', fixtureClaim({ diagnoses: icd('G63', 'E119') })),
      c(
        'male-only C61 for a female patient',
        fixtureClaim({ diagnoses: icd('E119', 'C61') }),
        ctx,
        'warning',
      ),
      c(
        'pediatric Z00.121 for a 66-year-old',
        fixtureClaim({ diagnoses: icd('Z00121', 'I10') }),
        ctx,
        'warning',
      ),
    ],
  },
  'diagnosis-pointers': {
    pass: [c('pointers 1 and 2 of 2')],
    fail: [
      c('pointer 3 of 2', oneLine('99213', { diagnosisPointers: [1, 3] })),
      c('repeated pointer', oneLine('99213', { diagnosisPointers: [1, 1] })),
    ],
  },
  'procedure-code-valid': {
    pass: [c('CPT and HCPCS', twoLines('99213', [], 'J1100'))],
    fail: [c('unknown HCPCS Level II code', oneLine('Z9999')), c('malformed CPT', oneLine('9921'))],
  },
  'modifier-valid': {
    pass: [c('known modifiers', oneLine('20610', { modifiers: ['RT', 'XS'] }))],
    fail: [
      c('unknown modifier', oneLine('99213', { modifiers: ['ZZ'] })),
      c('repeated modifier', oneLine('20610', { modifiers: ['RT', 'RT'] })),
    ],
  },
  'modifier-25-em': {
    pass: [c('25 on the E/M', twoLines('99213', ['25'], '20610'))],
    fail: [c('25 on a joint injection', twoLines('99213', [], '20610', ['25']))],
  },
  'modifier-59-x': {
    pass: [c('XS alone', oneLine('20610', { modifiers: ['XS'] }))],
    fail: [
      c('59 with XU', oneLine('20610', { modifiers: ['59', 'XU'] })),
      c('XE with XS', oneLine('20610', { modifiers: ['XE', 'XS'] })),
    ],
  },
  'modifier-lt-rt': {
    pass: [c('one side per line', twoLines('20610', ['LT'], '20610', ['RT']))],
    fail: [
      c('LT and RT on one line', oneLine('20610', { modifiers: ['LT', 'RT'] })),
      c('50 with RT', oneLine('20610', { modifiers: ['50', 'RT'] })),
    ],
  },
  'laterality-modifier': {
    pass: [
      c('knee injection on the right', oneLine('20610', { modifiers: ['RT'] })),
      c('both knees, bilateral', oneLine('20610', { modifiers: ['50'] })),
      c('toe procedure with an anatomic modifier', oneLine('73560', { modifiers: ['T5'] })),
      c('office visit needs no side', oneLine('99213')),
    ],
    fail: [
      c('knee injection without a side', oneLine('20610')),
      c('knee x-ray with only a professional-component modifier', oneLine('73560', { modifiers: ['26'] })),
    ],
  },
  'modifier-50-units': {
    pass: [c('bilateral with 1 unit', oneLine('20610', { modifiers: ['50'] }))],
    fail: [c('bilateral with 2 units', oneLine('20610', { modifiers: ['50'], units: 2 }))],
  },
  'pos-valid': {
    pass: [c('office POS 11')],
    fail: [
      c(
        'POS 98 does not exist',
        fixtureClaim({ placeOfService: pos('98'), locationPlaceOfService: pos('98') }),
      ),
    ],
  },
  'pos-code-consistency': {
    pass: [
      c('office visit in the office'),
      c(
        'hospital care in POS 21',
        fixtureClaim({
          lines: [fixtureLine(1, '99222', 20000, [1])],
          placeOfService: pos('21'),
          locationPlaceOfService: pos('21'),
        }),
      ),
    ],
    fail: [
      c(
        'office E/M in the inpatient hospital',
        fixtureClaim({ placeOfService: pos('21'), locationPlaceOfService: pos('21') }),
      ),
      c('inpatient E/M in the office', oneLine('99222')),
    ],
  },
  'pos-location': {
    pass: [
      c('claim POS equals the location'),
      c('telehealth from an office location', fixtureClaim({ placeOfService: pos('10') })),
    ],
    fail: [
      c(
        'office POS at a hospital outpatient department',
        fixtureClaim({ locationPlaceOfService: pos('22') }),
      ),
    ],
  },
  'service-date-not-future': {
    pass: [c('service before the scrub date')],
    fail: [
      c('service tomorrow', oneLine('99213', { serviceDate: d('2026-11-03') })),
      c('end date before start', oneLine('99213', { serviceDateEnd: d('2026-10-19') })),
    ],
  },
  'service-date-in-coverage': {
    pass: [c('service within the coverage')],
    fail: [
      c(
        'coverage ended before the service',
        fixtureClaim({ coverage: { ...FIXTURE_COVERAGE, effectiveTo: d('2026-09-30') } }),
      ),
      c(
        'coverage starts after the service',
        fixtureClaim({ coverage: { ...FIXTURE_COVERAGE, effectiveFrom: d('2026-11-01') } }),
      ),
    ],
  },
  'timely-filing': {
    pass: [c('13 days after the service')],
    fail: [
      c('181 days after the service, 180-day payer', base, fixtureContext({ asOf: d('2027-04-19') })),
      c('170 days after the service: warning', base, fixtureContext({ asOf: d('2027-04-08') }), 'warning'),
      c(
        'payer setting overrides to 10 days',
        base,
        fixtureContext({
          payerSettings: () => ({ priorAuthorizationCodes: new Set(), timelyFilingDays: 10 }),
        }),
      ),
    ],
  },
  'mue-units': {
    pass: [
      c('6 units of 97110 (MUE 6, MAI 3)', oneLine('97110', { units: 6 })),
      c('4 units of 99486 (MUE 4, MAI 1)', oneLine('99486', { units: 4 })),
      c('preventive visit 99396 (MUE 0) for a commercial payer', oneLine('99396')),
    ],
    fail: [
      c('5 units of 99486 on one line (MAI 1)', oneLine('99486', { units: 5 })),
      c(
        'preventive visit 99396 (MUE 0) for Medicare',
        fixtureClaim({ coverage: medicare, lines: [fixtureLine(1, '99396', 20000, [1])] }),
      ),
      c(
        '4 + 3 units of 97110 on one day (MAI 3)',
        fixtureClaim({
          lines: [
            fixtureLine(1, '97110', 4000, [1], { units: 4 }),
            fixtureLine(2, '97110', 3000, [1], { units: 3, modifiers: ['59'] }),
          ],
        }),
      ),
    ],
  },
  'ncci-ptp': {
    pass: [
      c('no PTP pair'),
      c('E/M with 25 bypasses 20610 (indicator 1)', twoLines('20610', [], '99213', ['25'])),
      c('20610-RT with 20611-LT: different sides', twoLines('20611', ['LT'], '20610', ['RT'])),
      c('20610-XS with 20611', twoLines('20611', [], '20610', ['XS'])),
      c(
        'pair on different dates',
        fixtureClaim({
          lines: [
            fixtureLine(1, '20610', 9000, [1]),
            fixtureLine(2, '99213', 9000, [1], { serviceDate: d('2026-10-21') }),
          ],
        }),
      ),
    ],
    fail: [
      c('E/M bundled into 20610 without modifier', twoLines('20610', [], '99213')),
      c('E/M with 59 against 20610: 59 never bypasses an E/M edit', twoLines('20610', [], '99213', ['59'])),
      c('20610-RT with 20611-RT: same side', twoLines('20611', ['RT'], '20610', ['RT'])),
      c('20610-RT with 20611 without a side', twoLines('20611', [], '20610', ['RT'])),
      c('99211 with 96372, indicator 0, even with 25', twoLines('96372', [], '99211', ['25'])),
    ],
  },
  'add-on-primary': {
    pass: [c('11045 with 11042', twoLines('11042', [], '11045'))],
    fail: [
      c('11045 alone', oneLine('11045')),
      c('99417 with 99213 (type 1 needs 99205/99215)', twoLines('99213', [], '99417')),
    ],
  },
  'duplicate-claim': {
    pass: [
      c('no earlier submission'),
      c(
        'resubmission of the same claim id',
        base,
        fixtureContext({ submitted: new Map(duplicateKeys(base).map((k) => [k, base.claimId])) }),
      ),
    ],
    fail: [
      c(
        'same lines on claim 400',
        base,
        fixtureContext({ submitted: new Map(duplicateKeys(base).map((k) => [k, 400 as ClaimId])) }),
      ),
    ],
  },
  'prior-auth-required': {
    pass: [c('MRI with authorization', oneLine('70553', { priorAuthorization: 'AUTH77' }))],
    fail: [c('MRI without authorization', oneLine('70553'))],
  },
  'secondary-needs-primary': {
    pass: [
      c('primary claim'),
      c(
        'secondary with the primary ERA',
        fixtureClaim({
          coverage: secondaryCoverage,
          otherCoverages: [FIXTURE_COVERAGE],
          priorAdjudications: [primaryAdjudication],
        }),
      ),
    ],
    fail: [
      c(
        'secondary billed before the primary',
        fixtureClaim({ coverage: secondaryCoverage, otherCoverages: [FIXTURE_COVERAGE] }),
      ),
    ],
  },
  'eligibility-hold': {
    pass: [c('eligibility unchanged'), c('no check run', base, withoutEligibility(ctx))],
    fail: [
      c('coverage lapsed', base, fixtureContext({ eligibility: 'lapsed' })),
      c('subscriber not found', base, fixtureContext({ eligibility: 'not_found' })),
      c('payer did not answer', base, fixtureContext({ eligibility: 'unconfirmed' }), 'warning'),
      c('changes found, not yet accepted', base, fixtureContext({ eligibility: 'changed' }), 'warning'),
    ],
  },
  'rendering-enrolled': {
    pass: [c('enrolled')],
    fail: [
      c(
        'enrollment pending, effective 2026-12-01',
        base,
        fixtureContext({
          enrollment: (q) =>
            q.npi === FIXTURE_RENDERING
              ? { status: 'pending', effectiveFrom: d('2026-12-01') }
              : { status: 'enrolled' },
        }),
      ),
      c('not enrolled', base, fixtureContext({ enrollment: () => ({ status: 'not_enrolled' }) })),
      c(
        'line rendering provider not enrolled',
        fixtureClaim({
          lines: [
            fixtureLine(1, '99213', 9000, [1], {
              renderingProvider: {
                npi: fixtureNpi('222222222'),
                entityType: 'person',
                lastOrOrganizationName: 'Lee',
              },
            }),
          ],
        }),
        fixtureContext({
          enrollment: (q) =>
            q.npi === FIXTURE_RENDERING ? { status: 'enrolled' } : { status: 'not_enrolled' },
        }),
      ),
    ],
  },
};
