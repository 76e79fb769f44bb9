// Claim-level required data and identifiers: the TR3's required elements, NPI check digits, TIN format.
import { isAssignedEinPrefix } from '@openrcm/core';
import type { Claim } from '../../claims/model.ts';
import type { Finding, Rule, ScrubContext } from '../types.ts';
import {
  finding,
  isBlank,
  isDate,
  isValidNpiCached,
  linePath,
  patientLoop,
  renderingProviderOf,
} from './util.ts';

// 837P TR3 2010AA N403: the billing provider ZIP must be the full nine digits (ZIP+4).
const ZIP9 = /^\d{5}-?\d{4}$/;
// TR3 2010AA N301 note: the billing provider address must be a street address; PO and lock boxes go in 2010AB.
const PO_BOX = /^\s*(p\.?\s*o\.?\s*box|post\s+office\s+box|lock\s*box)\b/i;

export const tr3Required: Rule = {
  id: 'tr3-required',
  version: 1,
  severity: 'error',
  scope: 'global',
  title: 'TR3 required fields are present',
  suggestedFix:
    'Complete the missing field in the practice, provider, patient or charge record and rebuild the claim.',
  documentation: {
    checks:
      'Billing provider NPI, name, TIN and street address with a 9-digit ZIP (also for a service facility); payer id; subscriber member id and last ' +
      'name; patient birth date, sex and address; 1–12 diagnoses; 1–50 service lines, each with a procedure code, an integer ' +
      'charge, positive units, a valid service date, at least one diagnosis pointer and a rendering provider ' +
      '(the claim’s, the line’s, or the billing provider when it is a person).',
    why: 'A claim missing a required element is rejected by the clearinghouse (999/277CA) before any payer sees it.',
    source:
      'ASC X12N 837P 005010X222A1 TR3: loops 2010AA (NM1, N3, N4, REF*EI), 2010BA, 2010BB, 2010CA (DMG), 2300 (CLM, HI ' +
      'max 12), 2400 (SV1, DTP*472; loop max 50).',
    fix: 'Complete the named field at its source (practice set-up, registration or the charge) and rebuild.',
  },
  check(claim: Claim): Finding[] {
    const out: Finding[] = [];
    const bp = claim.billingProvider;
    const req = (blank: boolean, field: string, x12: string, what: string): void => {
      if (blank) out.push(finding(field, x12, `${what} is missing`));
    };
    req(isBlank(claim.patientControlNumber), 'patientControlNumber', '2300.CLM01', 'Patient control number');
    req(isBlank(bp.npi), 'billingProvider.npi', '2010AA.NM109', 'Billing provider NPI');
    req(
      isBlank(bp.lastOrOrganizationName),
      'billingProvider.lastOrOrganizationName',
      '2010AA.NM103',
      'Billing provider name',
    );
    req(isBlank(bp.tin), 'billingProvider.tin', '2010AA.REF02', 'Billing provider TIN');
    req(
      isBlank(bp.address.line1),
      'billingProvider.address.line1',
      '2010AA.N301',
      'Billing provider street address',
    );
    req(isBlank(bp.address.city), 'billingProvider.address.city', '2010AA.N401', 'Billing provider city');
    if (!/^[A-Z]{2}$/.test(bp.address.state)) {
      out.push(
        finding(
          'billingProvider.address.state',
          '2010AA.N402',
          'Billing provider state is not a 2-letter code',
        ),
      );
    }
    if (!ZIP9.test(bp.address.postalCode)) {
      out.push(
        finding(
          'billingProvider.address.postalCode',
          '2010AA.N403',
          'Billing provider ZIP code must have 9 digits',
          {
            suggestedFix: 'Record the billing address with its ZIP+4.',
          },
        ),
      );
    }
    if (PO_BOX.test(bp.address.line1)) {
      out.push(
        finding('billingProvider.address.line1', '2010AA.N301', 'Billing provider address is a PO box', {
          suggestedFix:
            'Use the street address for the billing provider; send the PO box as the pay-to address.',
        }),
      );
    }
    // TR3 2310C N403: the service facility ZIP must also be the full nine digits.
    const facility = claim.serviceFacility;
    if (facility !== undefined && !ZIP9.test(facility.address.postalCode)) {
      out.push(
        finding(
          'serviceFacility.address.postalCode',
          '2310C.N403',
          'Service facility ZIP code must have 9 digits',
          {
            suggestedFix: 'Record the location address with its ZIP+4.',
          },
        ),
      );
    }
    req(isBlank(claim.coverage.payer.payerCode), 'coverage.payer.payerCode', '2010BB.NM109', 'Payer id');
    req(
      isBlank(claim.coverage.memberId.reveal()),
      'coverage.memberId',
      '2010BA.NM109',
      'Subscriber member id',
    );
    req(
      isBlank(claim.coverage.subscriber.lastName.reveal()),
      'coverage.subscriber.lastName',
      '2010BA.NM103',
      'Subscriber last name',
    );
    const loop = patientLoop(claim);
    // TR3: N3/N4 of the patient's loop (2010BA when the patient is the subscriber, else 2010CA) are required.
    const addr = claim.patient.address.reveal();
    req(isBlank(addr.line1), 'patient.address.line1', `${loop}.N301`, 'Patient street address');
    req(isBlank(addr.city), 'patient.address.city', `${loop}.N401`, 'Patient city');
    req(isBlank(addr.state), 'patient.address.state', `${loop}.N402`, 'Patient state');
    req(isBlank(addr.postalCode), 'patient.address.postalCode', `${loop}.N403`, 'Patient ZIP code');
    if (!isDate(claim.patient.birthDate.reveal())) {
      out.push(finding('patient.birthDate', `${loop}.DMG02`, 'Patient birth date is missing or not a date'));
    }
    if (!['F', 'M', 'U'].includes(claim.patient.sex)) {
      out.push(finding('patient.sex', `${loop}.DMG03`, 'Patient sex is missing or not F, M or U'));
    }
    if (claim.diagnoses.length === 0)
      out.push(finding('diagnoses', '2300.HI01-2', 'No diagnosis on the claim'));
    if (claim.diagnoses.length > 12) {
      out.push(finding('diagnoses', '2300.HI', 'More than 12 diagnoses (the HI segment holds 12)'));
    }
    if (claim.lines.length === 0) out.push(finding('lines', '2400', 'No service line on the claim'));
    if (claim.lines.length > 50) {
      out.push(
        finding('lines', '2400', 'More than 50 service lines (loop 2400 repeats at most 50 times)', {
          suggestedFix: 'Split the claim.',
        }),
      );
    }
    claim.lines.forEach((line, i) => {
      req(
        isBlank(line.procedureCode),
        linePath(i, 'procedureCode'),
        '2400.SV101-2',
        `Line ${i + 1} procedure code`,
      );
      if (!Number.isSafeInteger(line.chargeCents)) {
        out.push(
          finding(
            linePath(i, 'chargeCents'),
            '2400.SV102',
            `Line ${i + 1} charge is not a whole number of cents`,
          ),
        );
      }
      if (!(Number.isFinite(line.units) && line.units > 0)) {
        out.push(
          finding(linePath(i, 'units'), '2400.SV104', `Line ${i + 1} units must be greater than zero`),
        );
      }
      if (!isDate(line.serviceDate)) {
        out.push(
          finding(
            linePath(i, 'serviceDate'),
            '2400.DTP03',
            `Line ${i + 1} service date is missing or invalid`,
          ),
        );
      }
      if (isBlank(renderingProviderOf(claim, line)?.npi)) {
        // 2310B is required when the rendering provider differs from the billing provider, which is always
        // the case when the billing provider is an organization (TR3 2310B situational rule).
        out.push(
          finding(linePath(i, 'renderingProvider'), '2310B.NM109', `Line ${i + 1} has no rendering provider`),
        );
      }
      if (line.diagnosisPointers.length === 0) {
        out.push(
          finding(linePath(i, 'diagnosisPointers'), '2400.SV107-1', `Line ${i + 1} has no diagnosis pointer`),
        );
      }
    });
    return out;
  },
};

export const npiCheckDigit: Rule = {
  id: 'npi-check-digit',
  version: 1,
  severity: 'error',
  scope: 'global',
  title: 'NPIs have 10 digits and a valid check digit',
  suggestedFix: 'Correct the NPI from NPPES (npiregistry.cms.hhs.gov).',
  documentation: {
    checks:
      'Billing, rendering (claim and line), referring, supervising and service facility NPIs are 10 digits whose last digit is the Luhn check digit over 80840 + the first nine.',
    why: 'An invalid NPI is rejected at the front end; a typo in an NPI is the most common provider-data error.',
    source: '45 CFR 162.406; CMS NPI check digit algorithm (ISO/IEC 7812 Luhn with the 80840 prefix).',
    fix: 'Look the provider up in NPPES and correct the NPI in the provider record.',
  },
  check(claim: Claim): Finding[] {
    const out: Finding[] = [];
    const test = (npi: string | undefined, field: string, x12: string, who: string): void => {
      if (npi !== undefined && npi !== '' && !isValidNpiCached(npi)) {
        out.push(finding(field, x12, `${who} NPI fails the NPI format or check digit`));
      }
    };
    test(claim.billingProvider.npi, 'billingProvider.npi', '2010AA.NM109', 'Billing provider');
    test(claim.renderingProvider?.npi, 'renderingProvider.npi', '2310B.NM109', 'Rendering provider');
    test(claim.referringProvider?.npi, 'referringProvider.npi', '2310A.NM109', 'Referring provider');
    test(claim.supervisingProvider?.npi, 'supervisingProvider.npi', '2310D.NM109', 'Supervising provider');
    test(claim.serviceFacility?.npi, 'serviceFacility.npi', '2310C.NM109', 'Service facility');
    claim.lines.forEach((line, i) => {
      test(
        line.renderingProvider?.npi,
        linePath(i, 'renderingProvider.npi'),
        '2420A.NM109',
        `Line ${i + 1} rendering provider`,
      );
    });
    return out;
  },
};

export const tinFormat: Rule = {
  id: 'tin-format',
  version: 1,
  severity: 'error',
  scope: 'global',
  title: 'Billing provider TIN is a 9-digit EIN or SSN',
  suggestedFix: 'Correct the TIN in the practice record (IRS letter CP 575 shows the EIN).',
  documentation: {
    checks:
      'The billing provider TIN is 9 digits (no dash), not all zeros; an organization must bill under an EIN, whose ' +
      'first two digits are an assigned IRS prefix; an SSN must not start with 000, 666 or 9.',
    why: 'The TIN is matched against the payer enrollment; a malformed TIN is rejected and a wrong one is denied.',
    source: '837P TR3 2010AA REF*EI / REF*SY; IRS EIN prefix list; SSA SSN randomization rules (2011).',
    fix: 'Correct the TIN in the practice or provider record.',
  },
  check(claim: Claim): Finding[] {
    const tin = claim.billingProvider.tin;
    if (tin === '') return []; // reported by tr3-required
    const at = (message: string): Finding[] => [finding('billingProvider.tin', '2010AA.REF02', message)];
    if (!/^\d{9}$/.test(tin) || /^0+$/.test(tin)) return at('Billing provider TIN is not 9 digits');
    const prefix = tin.slice(0, 2);
    if (claim.billingProvider.entityType === 'organization') {
      if (!isAssignedEinPrefix(prefix)) return at('Billing provider EIN has an unassigned IRS prefix');
    } else if (
      !isAssignedEinPrefix(prefix) &&
      (tin.startsWith('000') || tin.startsWith('666') || tin.startsWith('9'))
    ) {
      // A person may bill under an EIN or an SSN: fail only when it can be neither.
      return at('Billing provider TIN is neither a valid EIN nor a valid SSN');
    }
    return [];
  },
};

// CMS Medicare Beneficiary Identifier: 11 characters — positions 1 (1–9), 4, 7, 10, 11 digits; 2, 5, 8, 9
// letters; 3 and 6 letter or digit. Letters exclude S, L, O, I, B and Z (CMS "Understanding the MBI Format").
const MBI =
  /^[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9][0-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9][0-9][AC-HJKMNP-RT-Y]{2}[0-9]{2}$/;

export const memberIdFormat: Rule = {
  id: 'member-id-format',
  version: 1,
  severity: 'error',
  scope: 'payer',
  title: 'Member id matches the payer’s format',
  suggestedFix: 'Re-enter the member id from the insurance card, or run an eligibility check.',
  documentation: {
    checks:
      'For Medicare Part B (claim filing indicator MB) the member id is a Medicare Beneficiary Identifier; for ' +
      'other payers it matches the member id pattern in the payer settings, when one is configured.',
    why:
      'A mistyped member id is rejected at the front end (277CA) or denied (CARC 31: patient cannot be identified ' +
      'as our insured); registration errors cause about a quarter of denials.',
    source:
      'CMS MBI format specification (2018 New Medicare Card project); payer companion guides (2010BA NM109).',
    fix: 'Correct the member id from the card or the 271 response.',
  },
  check(claim: Claim, ctx: ScrubContext): Finding[] {
    const memberId = claim.coverage.memberId.reveal();
    if (memberId === '') return []; // tr3-required
    const payer = claim.coverage.payer;
    const pattern =
      payer.claimFilingIndicator === 'MB' ? MBI : ctx.payerSettings(payer.payerId)?.memberIdPattern;
    if (pattern === undefined || pattern.test(memberId)) return [];
    return [
      finding(
        'coverage.memberId',
        '2010BA.NM109',
        'Subscriber member id does not match the payer’s member id format',
      ),
    ];
  },
};
