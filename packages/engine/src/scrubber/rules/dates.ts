// Date rules: service dates against the scrub date, the coverage on file and the payer's filing limit.
import { isWithin } from '@openrcm/core';
import type { Claim } from '../../claims/model.ts';
import type { Finding, Rule, ScrubContext } from '../types.ts';
import { epochDay, finding, isDate, linePath } from './util.ts';

export const serviceDateNotFuture: Rule = {
  id: 'service-date-not-future',
  version: 1,
  severity: 'error',
  scope: 'global',
  title: 'Service dates are not in the future',
  suggestedFix: 'Correct the date of service; bill the service after it is rendered.',
  documentation: {
    checks:
      'No line’s service date (or end date) is after the scrub date, and no end date precedes its start date.',
    why: 'Claims for future services are rejected by the clearinghouse and indicate a date entry error.',
    source: '837P TR3 2400 DTP*472 (service date); clearinghouse front-end edits.',
    fix: 'Correct the date of service on the charge.',
  },
  check(claim: Claim, ctx: ScrubContext): Finding[] {
    const out: Finding[] = [];
    claim.lines.forEach((line, i) => {
      if (!isDate(line.serviceDate)) return; // tr3-required
      if (line.serviceDate > ctx.asOf) {
        out.push(
          finding(linePath(i, 'serviceDate'), '2400.DTP03', `Line ${i + 1} service date is in the future`),
        );
      }
      const end = line.serviceDateEnd;
      if (end !== undefined && end > ctx.asOf && line.serviceDate <= ctx.asOf) {
        out.push(
          finding(
            linePath(i, 'serviceDateEnd'),
            '2400.DTP03',
            `Line ${i + 1} service end date is in the future`,
          ),
        );
      }
      if (end !== undefined && end < line.serviceDate) {
        out.push(
          finding(
            linePath(i, 'serviceDateEnd'),
            '2400.DTP03',
            `Line ${i + 1} service end date precedes its start date`,
          ),
        );
      }
    });
    return out;
  },
};

export const serviceDateInCoverage: Rule = {
  id: 'service-date-in-coverage',
  version: 1,
  severity: 'error',
  scope: 'global',
  title: 'Service dates fall within the coverage dates on file',
  suggestedFix: 'Verify eligibility for the date of service and bill the coverage active that day.',
  documentation: {
    checks: 'Every line’s service date is within the billed coverage’s effective dates on file.',
    why: 'Services outside the coverage period are denied (CARC 26 expenses before coverage, 27 after coverage ended).',
    source: 'CARC 26/27; DOMAIN stage 1 (eligibility and registration cause about a quarter of denials).',
    fix: 'Update the coverage from a new eligibility check, or bill the coverage that was active.',
  },
  check(claim: Claim): Finding[] {
    const out: Finding[] = [];
    const { effectiveFrom, effectiveTo } = claim.coverage;
    claim.lines.forEach((line, i) => {
      if (!isDate(line.serviceDate)) return;
      if (!isWithin(line.serviceDate, effectiveFrom, effectiveTo)) {
        out.push(
          finding(
            linePath(i, 'serviceDate'),
            '2400.DTP03',
            line.serviceDate < effectiveFrom
              ? `Line ${i + 1} service date is before the coverage effective date`
              : `Line ${i + 1} service date is after the coverage ended`,
          ),
        );
      }
    });
    return out;
  },
};

/** Days before the limit at which the timely-filing rule starts warning. */
export const TIMELY_FILING_WARNING_DAYS = 15;

export const timelyFiling: Rule = {
  id: 'timely-filing',
  version: 1,
  severity: 'error',
  scope: 'payer',
  title: 'Within the payer’s timely filing limit',
  suggestedFix:
    'Submit immediately; if the limit has passed, attach proof of timely filing or route for write-off.',
  documentation: {
    checks:
      'For each line, the days from the date of service to the scrub date do not exceed the payer’s filing limit ' +
      '(payer settings, else the payer record); within 15 days of the limit it warns.',
    why: 'Claims past the limit are denied (CARC 29, the time limit for filing has expired) and cannot be billed to the patient.',
    source:
      '42 CFR 424.44 (Medicare: 12 months from the date of service); payer contracts (commercial 90–180 days, Medicaid 90–365).',
    fix: 'Send the claim now; past the limit, appeal with proof of timely filing or write the balance off.',
  },
  check(claim: Claim, ctx: ScrubContext): Finding[] {
    const limit =
      ctx.payerSettings(claim.coverage.payer.payerId)?.timelyFilingDays ??
      claim.coverage.payer.timelyFilingDays;
    const out: Finding[] = [];
    const asOfDay = epochDay(ctx.asOf);
    claim.lines.forEach((line, i) => {
      if (!isDate(line.serviceDate) || line.serviceDate > ctx.asOf) return;
      const age = asOfDay - epochDay(line.serviceDate);
      if (age > limit) {
        out.push(
          finding(
            linePath(i, 'serviceDate'),
            '2400.DTP03',
            `Line ${i + 1} is past the payer’s ${limit}-day filing limit`,
          ),
        );
      } else if (age > limit - TIMELY_FILING_WARNING_DAYS) {
        out.push(
          finding(
            linePath(i, 'serviceDate'),
            '2400.DTP03',
            `Line ${i + 1} reaches the payer’s ${limit}-day filing limit in ${limit - age} days`,
            {
              severity: 'warning',
              suggestedFix: 'Submit this claim first.',
            },
          ),
        );
      }
    });
    return out;
  },
};
