// Rules about the claim's relation to the payer: duplicates, prior authorization, enrollment (credentialing
// hold), coordination of benefits, corrected claims, eligibility (eligibility hold), and charges.
import { createHash } from 'node:crypto';
import type { Claim, ClaimLine, CoverageRank } from '../../claims/model.ts';
import type { EnrollmentStatus, Finding, Rule, ScrubContext } from '../types.ts';
import { finding, isBlank, isDate, linePath, renderingLocation, renderingProviderOf } from './util.ts';

/**
 * A short opaque key for the patient: the patient id when the claim carries it, else a hash of member id and
 * birth date (so the duplicate index never holds readable PHI).
 */
function patientKey(claim: Claim): string {
  if (claim.patientId !== undefined) return `p${claim.patientId}`;
  const raw = `${claim.coverage.memberId.reveal()}|${claim.patient.birthDate.reveal()}`;
  return `h${createHash('sha256').update(raw).digest('base64url').slice(0, 16)}`;
}

/** What identifies a service for duplicate detection (CARC 18: same patient, payer, date, code, modifiers). */
export interface DuplicateKeyParts {
  /** Our patient id (preferred: the claims loader always sets `Claim.patientId`). */
  readonly patientId: number;
  readonly payerId: number;
  readonly serviceDate: string;
  readonly procedureCode: string;
  readonly modifiers: readonly string[];
}

function keyOf(
  patient: string,
  payerId: number,
  serviceDate: string,
  code: string,
  modifiers: readonly string[],
): string {
  // Modifier order carries no meaning for duplicates: 59-LT and LT-59 are the same service.
  const mods = modifiers.length > 1 ? [...modifiers].sort().join(',') : (modifiers[0] ?? '');
  return `${patient}|${payerId}|${serviceDate}|${code}|${mods}`;
}

/**
 * The duplicate key of a submitted line from its parts, for building `ScrubContext.submitted` straight from
 * database rows; equal to `duplicateKey` of a claim line with the same patient id.
 */
export function duplicateKeyOf(parts: DuplicateKeyParts): string {
  return keyOf(`p${parts.patientId}`, parts.payerId, parts.serviceDate, parts.procedureCode, parts.modifiers);
}

/** Duplicate-detection key of one line: patient, payer, date of service, procedure and sorted modifiers. */
export function duplicateKey(claim: Claim, line: ClaimLine, patient = patientKey(claim)): string {
  return keyOf(patient, claim.coverage.payer.payerId, line.serviceDate, line.procedureCode, line.modifiers);
}

/** The keys of every line of a submitted claim, to build `ScrubContext.submitted`. */
export function duplicateKeys(claim: Claim): string[] {
  const patient = patientKey(claim);
  return claim.lines.map((line) => duplicateKey(claim, line, patient));
}

export const duplicateClaim: Rule = {
  id: 'duplicate-claim',
  version: 1,
  severity: 'error',
  scope: 'global',
  title: 'Not a duplicate of an already submitted claim',
  suggestedFix:
    'Do not resubmit: check the status of the earlier claim, or send a corrected claim (frequency 7).',
  documentation: {
    checks:
      'No line repeats, on another claim already submitted to the same payer, the same patient, date of service, ' +
      'procedure code and modifiers. Corrected (7) and void (8) claims are exempt.',
    why: 'Duplicates are denied (CARC 18) and count against the practice’s denial rate; payers flag repeat offenders.',
    source: 'CARC 18 (exact duplicate claim/service); CMS Medicare Claims Processing Manual ch. 1 §80.3.2.',
    fix: 'Follow up the earlier claim; to change it, submit a replacement claim with its payer claim number.',
  },
  check(claim: Claim, ctx: ScrubContext): Finding[] {
    if (claim.frequencyCode !== '1' || ctx.submitted.size === 0) return [];
    const out: Finding[] = [];
    const patient = patientKey(claim);
    claim.lines.forEach((line, i) => {
      const other = ctx.submitted.get(duplicateKey(claim, line, patient));
      if (other !== undefined && other !== claim.claimId) {
        out.push(
          finding(
            linePath(i, 'procedureCode'),
            '2400.SV101-2',
            `Line ${i + 1} duplicates a line of already submitted claim ${other}`,
          ),
        );
      }
    });
    return out;
  },
};

export const priorAuthorizationRequired: Rule = {
  id: 'prior-auth-required',
  version: 1,
  severity: 'error',
  scope: 'payer',
  title: 'Prior authorization number present where the payer requires one',
  suggestedFix: 'Obtain or look up the authorization and record its number on the encounter.',
  documentation: {
    checks:
      'A line whose procedure code is on the payer’s prior-authorization list has an authorization number (line or claim REF*G1).',
    why: 'Services that needed authorization are denied without it (CARC 197/15); authorization causes 12–15 % of denials.',
    source: 'Payer prior-authorization lists (payer settings); 837P TR3 2300/2400 REF*G1.',
    fix: 'Record the authorization number; if none was obtained, request a retro-authorization.',
  },
  check(claim: Claim, ctx: ScrubContext): Finding[] {
    const settings = ctx.payerSettings(claim.coverage.payer.payerId);
    if (!settings || settings.priorAuthorizationCodes.size === 0) return [];
    const out: Finding[] = [];
    claim.lines.forEach((line, i) => {
      if (
        settings.priorAuthorizationCodes.has(line.procedureCode) &&
        isBlank(line.priorAuthorization) &&
        isBlank(claim.priorAuthorization)
      ) {
        out.push(
          finding(
            linePath(i, 'priorAuthorization'),
            '2300.REF02',
            `Line ${i + 1} needs a prior authorization number for this payer`,
          ),
        );
      }
    });
    return out;
  },
};

export const renderingEnrolled: Rule = {
  id: 'rendering-enrolled',
  version: 1,
  severity: 'error',
  scope: 'global',
  holdReason: 'credentialing',
  title: 'Rendering provider enrolled with the payer on the date of service',
  suggestedFix:
    'Wait for the enrollment to become effective (released automatically), or complete the enrollment.',
  documentation: {
    checks:
      'The rendering provider of every line is enrolled with the billed payer on its date of service. A pending ' +
      'enrollment holds the claim until its effective date, when it is released automatically; no enrollment at all ' +
      'holds it for the credentialing team.',
    why: 'Claims for an unenrolled provider are denied (CARC B7 / N290) and the denial may be final; holding avoids it.',
    source:
      '42 CFR 424.505 and 424.521 (Medicare enrollment, retroactive billing); payer credentialing contracts.',
    fix: 'Credentialing: complete the enrollment and record the effective date; the hold releases on that date.',
  },
  check(claim: Claim, ctx: ScrubContext): Finding[] {
    const out: Finding[] = [];
    // One look-up (and at most one finding) per provider and date of service.
    const seen = new Set<string>();
    claim.lines.forEach((line, i) => {
      const provider = renderingProviderOf(claim, line);
      if (provider === undefined || provider.npi === '' || !isDate(line.serviceDate)) return;
      const key = `${provider.npi}|${line.serviceDate}`;
      if (seen.has(key)) return;
      seen.add(key);
      const status: EnrollmentStatus = ctx.enrollment({
        npi: provider.npi,
        ...(provider.providerId !== undefined ? { providerId: provider.providerId } : {}),
        payerId: claim.coverage.payer.payerId,
        serviceDate: line.serviceDate,
      });
      const { field, x12 } = renderingLocation(claim, line, i);
      switch (status.status) {
        case 'enrolled':
          break;
        case 'pending':
          out.push(
            finding(
              field,
              x12,
              `Line ${i + 1} rendering provider’s enrollment with the payer is effective ${status.effectiveFrom}`,
              {
                releaseOn: status.effectiveFrom,
                suggestedFix: `Held until ${status.effectiveFrom}, then released automatically.`,
              },
            ),
          );
          break;
        case 'not_enrolled':
          out.push(
            finding(
              field,
              x12,
              `Line ${i + 1} rendering provider is not enrolled with the payer on the date of service`,
            ),
          );
          break;
      }
    });
    return out;
  },
};

const RANK_ORDER: Readonly<Record<CoverageRank, number>> = { primary: 0, secondary: 1, tertiary: 2 };

export const secondaryNeedsPrimary: Rule = {
  id: 'secondary-needs-primary',
  version: 1,
  severity: 'error',
  scope: 'global',
  title: 'Secondary claims carry the primary’s adjudication',
  suggestedFix: 'Bill the primary payer first; the secondary claim is built from the primary’s ERA.',
  documentation: {
    checks:
      'A claim billed to a secondary (or tertiary) coverage has a prior adjudication from every higher-ranked coverage ' +
      'on file (primary, and secondary for a tertiary claim).',
    why: 'A secondary claim without the primary’s payment and adjustments (COB loops 2320/2430) is denied (CARC 22).',
    source: '837P TR3 loops 2320, 2330B, 2430 (coordination of benefits); CARC 22.',
    fix: 'Wait for the primary ERA; secondary billing then builds the claim automatically.',
  },
  check(claim: Claim): Finding[] {
    const rank = RANK_ORDER[claim.coverage.rank];
    if (rank === 0) return [];
    const adjudicated = new Set(claim.priorAdjudications.map((p) => RANK_ORDER[p.coverage.rank]));
    const out: Finding[] = [];
    for (let r = 0; r < rank; r++) {
      if (!adjudicated.has(r)) {
        const missing = (Object.keys(RANK_ORDER) as CoverageRank[])[r] ?? 'primary';
        out.push(
          finding(
            'priorAdjudications',
            '2320',
            `Billed as ${claim.coverage.rank} without the ${missing} payer’s adjudication`,
          ),
        );
      }
    }
    return out;
  },
};

export const frequencyNeedsPayerClaimNumber: Rule = {
  id: 'frequency-payer-claim-number',
  version: 1,
  severity: 'error',
  scope: 'global',
  title: 'Corrected and void claims carry the payer claim control number',
  suggestedFix: 'Record the payer’s claim control number (835 CLP07) of the claim being replaced or voided.',
  documentation: {
    checks: 'A claim with frequency 7 (replacement) or 8 (void) has the original payer claim control number.',
    why: 'Without REF*F8 the payer cannot find the claim to replace or void: the claim is rejected or paid twice.',
    source: '837P TR3 2300 CLM05-3 and REF*F8 (payer claim control number, required when CLM05-3 is 7 or 8).',
    fix: 'Copy the payer claim control number from the original claim’s 835 (CLP07) or 277CA.',
  },
  check(claim: Claim): Finding[] {
    if (claim.frequencyCode === '1' || !isBlank(claim.payerClaimControlNumber)) return [];
    return [
      finding(
        'payerClaimControlNumber',
        '2300.REF02',
        `Frequency ${claim.frequencyCode} claim has no payer claim control number (REF*F8)`,
      ),
    ];
  },
};

export const eligibilityHold: Rule = {
  id: 'eligibility-hold',
  version: 1,
  severity: 'error',
  scope: 'global',
  holdReason: 'eligibility',
  title: 'Eligibility for the encounter is not lapsed or not found',
  suggestedFix:
    'Resolve the coverage with the patient (new card, new payer, or self-pay) and re-run eligibility.',
  documentation: {
    checks:
      'The latest eligibility check for the encounter is not lapsed or not found (error, eligibility hold); ' +
      'changed (not yet accepted) and unconfirmed (no answer after retries) are warnings.',
    why: 'Eligibility and registration cause about a quarter of denials (CARC 27, 31); claims against a lapsed coverage are denied.',
    source: 'Issue 7 §5 (held with that reason until the coverage is resolved); 270/271 005010X279A1.',
    fix: 'Update the coverage on file from a new eligibility check, then re-scrub.',
  },
  check(claim: Claim, ctx: ScrubContext): Finding[] {
    switch (ctx.eligibility) {
      case undefined:
      case 'unchanged':
        return [];
      case 'changed':
        // Issue 7 §3: changes reach the coverage on file only through an explicit accept; until then the
        // claim may carry a stale member id or plan.
        return [
          finding(
            'coverage',
            '2000B.SBR',
            'Eligibility check found coverage changes that are not yet accepted',
            {
              severity: 'warning',
              suggestedFix: 'Review and accept (or reject) the eligibility changes, then re-scrub.',
            },
          ),
        ];
      case 'lapsed':
        return [
          finding(
            'coverage',
            '2000B.SBR',
            'Eligibility check: coverage lapsed or terminated on the date of service',
          ),
        ];
      case 'not_found':
        return [finding('coverage', '2000B.SBR', 'Eligibility check: subscriber not found at the payer')];
      case 'unconfirmed':
        return [
          finding('coverage', '2000B.SBR', 'Eligibility check: no answer from the payer', {
            severity: 'warning',
            suggestedFix: 'Verify eligibility on the payer portal.',
          }),
        ];
    }
    return [];
  },
};

export const chargePositive: Rule = {
  id: 'charge-positive',
  version: 1,
  severity: 'error',
  scope: 'global',
  title: 'Line charges are greater than zero',
  suggestedFix: 'Enter the practice’s fee schedule charge for the service.',
  documentation: {
    checks: 'Every line’s charge is greater than zero.',
    why: 'SV102 must be a positive amount for a billable line; zero or negative charges are rejected at the front end.',
    source: '837P TR3 2400 SV102 (line item charge amount); clearinghouse front-end edits.',
    fix: 'Set the charge from the practice fee schedule; remove no-charge lines that are not reportable.',
  },
  check(claim: Claim): Finding[] {
    const out: Finding[] = [];
    claim.lines.forEach((line, i) => {
      if (line.chargeCents <= 0)
        out.push(
          finding(linePath(i, 'chargeCents'), '2400.SV102', `Line ${i + 1} charge is zero or negative`),
        );
    });
    return out;
  },
};

export const totalEqualsLines: Rule = {
  id: 'total-equals-lines',
  version: 1,
  severity: 'error',
  scope: 'global',
  title: 'Claim total equals the sum of the lines',
  suggestedFix: 'Rebuild the claim so the total is recomputed from the lines.',
  documentation: {
    checks: 'The claim total charge equals the sum of the line charges, in cents.',
    why: 'CLM02 must equal the sum of SV102; a mismatch is a front-end rejection.',
    source: '837P TR3 2300 CLM02 (total claim charge amount: the sum of all line charges).',
    fix: 'Recompute the total from the lines (a construction bug if it happens: report it).',
  },
  check(claim: Claim): Finding[] {
    let sum = 0;
    for (const line of claim.lines) sum += line.chargeCents;
    return sum === claim.totalChargeCents
      ? []
      : [
          finding(
            'totalChargeCents',
            '2300.CLM02',
            'Claim total charge differs from the sum of the line charges',
          ),
        ];
  },
};
