/**
 * A payer's claim policies — what its companion guide and policy bulletins say — turned into scrubber
 * configuration: `payerSettingsOf` gives the settings the built-in rules read (prior-authorization list, member
 * id format, filing limit) and `payerPolicyRules` gives configured rule definitions (stored as data, like any
 * rule a biller writes) for non-covered services, medical-necessity diagnosis lists, payer-specific bundling
 * pairs beyond NCCI, unit limits and side (laterality) modifiers. Used at onboarding (issue 5 §3, DOMAIN
 * "Onboarding": payer-specific scrubber rules configured per payer).
 */
import type { DataRuleDefinition } from './conditions.ts';
import { compilePattern } from './conditions.ts';
import type { PayerSettings } from './types.ts';

export interface PayerPolicy {
  /** Our payer id (the rules are scoped to it). */
  readonly payerId: number;
  readonly priorAuthorizationCodes?: readonly string[];
  /** Member id format as a regular expression (anchors optional). */
  readonly memberIdPattern?: string;
  readonly timelyFilingDays?: number;
  /** Codes the payer never pays (CARC 96/204). */
  readonly nonCoveredCodes?: readonly string[];
  /** Procedure code → the ICD-10-CM codes (dotted or not) that support its medical necessity (CARC 50). */
  readonly medicalNecessity?: Readonly<Record<string, readonly string[]>>;
  /**
   * The payer's own bundling pairs beyond NCCI (CARC 97): [column 1, column 2, modifier indicator]. Pairs that
   * NCCI already has are the built-in `ncci-ptp` rule's job; passing them here would report them twice.
   */
  readonly bundlingPairs?: readonly (readonly [
    column1: string,
    column2: string,
    modifierIndicator: 0 | 1 | 9,
  ])[];
  /** Procedure code → maximum units per line (CARC 151). */
  readonly unitLimits?: Readonly<Record<string, number>>;
  /** Codes the payer requires a side modifier on: RT, LT or 50 (CARC 4). */
  readonly lateralityCodes?: readonly string[];
}

/** Settings for the built-in rules; throws on a member id pattern the scrubber refuses (configuration error). */
export function payerSettingsOf(policy: PayerPolicy): PayerSettings {
  let memberIdPattern: RegExp | undefined;
  if (policy.memberIdPattern !== undefined) {
    const source = policy.memberIdPattern.replace(/^\^/, '').replace(/\$$/, '');
    const re = compilePattern(source, 200);
    if (typeof re === 'string') throw new Error(`payer ${policy.payerId} member id pattern: ${re}`);
    memberIdPattern = re;
  }
  return {
    priorAuthorizationCodes: new Set(policy.priorAuthorizationCodes ?? []),
    ...(policy.timelyFilingDays !== undefined ? { timelyFilingDays: policy.timelyFilingDays } : {}),
    ...(memberIdPattern !== undefined ? { memberIdPattern } : {}),
  };
}

// Modifiers that bypass a modifier-indicator-1 pair on the column 2 line (NCCI Policy Manual ch. I §E.1):
// for an E/M only 25/57/24; for other codes the distinct-procedure modifiers. Anatomic modifiers need a
// comparison with the other line, which the condition language cannot express, so data rules do not honour them.
const EM_BYPASS = ['24', '25', '57'];
const PROCEDURE_BYPASS = ['58', '78', '79', '27', '59', '91', 'XE', 'XS', 'XP', 'XU'];

const idPart = (code: string): string => code.toLowerCase().replace(/[^a-z0-9]/g, '');
const sorted = <T>(items: readonly T[]): T[] => [...items].sort();

/**
 * Configured rule definitions for a payer's policies, in a stable order with stable ids
 * (`payer-{id}-non-covered`, `payer-{id}-necessity-{code}`, `payer-{id}-bundle-{c1}-{c2}`,
 * `payer-{id}-units-{code}`, `payer-{id}-laterality`). Each passes `validateDataRule`.
 */
export function payerPolicyRules(policy: PayerPolicy, version = 1): DataRuleDefinition[] {
  const base = { version, severity: 'error' as const, scope: 'payer' as const, payerId: policy.payerId };
  const prefix = `payer-${policy.payerId}`;
  const out: DataRuleDefinition[] = [];
  const nonCovered = sorted(policy.nonCoveredCodes ?? []);
  if (nonCovered.length > 0) {
    out.push({
      ...base,
      id: `${prefix}-non-covered`,
      title: 'Services the payer does not cover',
      message: 'The payer does not cover this service',
      suggestedFix: 'Bill the patient with a signed advance notice/waiver, or remove the line.',
      documentation: 'Payer policy: non-covered services are denied (CARC 96/204).',
      when: { path: 'lines[*].procedureCode', op: 'in', value: nonCovered },
    });
  }
  for (const code of sorted(Object.keys(policy.medicalNecessity ?? {}))) {
    const dx = (policy.medicalNecessity?.[code] ?? []).map((d) => d.replace('.', '').toUpperCase());
    if (dx.length === 0) continue;
    out.push({
      ...base,
      id: `${prefix}-necessity-${idPart(code)}`,
      title: `Medical necessity for ${code}`,
      message: 'No diagnosis on the line is on the payer’s medical-necessity list for this code',
      suggestedFix: 'Point the line at the documented diagnosis that supports it, or query the physician.',
      documentation:
        'Payer coverage policy (LCD-style diagnosis list): other diagnoses are denied (CARC 50).',
      when: {
        all: [
          { path: 'lines[*].procedureCode', op: 'eq', value: code },
          { path: 'lines[*].diagnoses', op: 'not_in', value: sorted(dx) },
        ],
      },
    });
  }
  for (const [column1, column2, indicator] of policy.bundlingPairs ?? []) {
    if (indicator === 9) continue;
    const isEm = /^\d{5}$/.test(column2) && column2 >= '99202' && column2 <= '99499';
    out.push({
      ...base,
      id: `${prefix}-bundle-${idPart(column1)}-${idPart(column2)}`,
      title: `${column2} bundled into ${column1} by the payer`,
      message: `The payer bundles this code into ${column1} billed on the same claim`,
      suggestedFix:
        indicator === 0
          ? `Remove the ${column2} line: the payer allows no modifier for this pair.`
          : `Remove the ${column2} line, or add the modifier the documentation supports (${(isEm ? EM_BYPASS : PROCEDURE_BYPASS).join(', ')}).`,
      documentation: `Payer bundling policy beyond NCCI (CARC 97), modifier indicator ${indicator}.`,
      when: {
        all: [
          { path: 'procedureCodes', op: 'includes', value: column1 },
          { path: 'lines[*].procedureCode', op: 'eq', value: column2 },
          ...(indicator === 1
            ? [
                {
                  not: {
                    path: 'lines[*].modifiers',
                    op: 'in' as const,
                    value: isEm ? EM_BYPASS : PROCEDURE_BYPASS,
                  },
                },
              ]
            : []),
        ],
      },
    });
  }
  for (const code of sorted(Object.keys(policy.unitLimits ?? {}))) {
    const limit = policy.unitLimits?.[code];
    if (limit === undefined) continue;
    out.push({
      ...base,
      id: `${prefix}-units-${idPart(code)}`,
      title: `Unit limit for ${code}`,
      message: `Units exceed the payer’s limit of ${limit} per line`,
      suggestedFix: 'Correct the units to what was rendered and documented.',
      documentation: 'Payer unit limit per line (CARC 151).',
      when: {
        all: [
          { path: 'lines[*].procedureCode', op: 'eq', value: code },
          { path: 'lines[*].units', op: 'gt', value: limit },
        ],
      },
    });
  }
  const lateral = sorted(policy.lateralityCodes ?? []);
  if (lateral.length > 0) {
    out.push({
      ...base,
      id: `${prefix}-laterality`,
      title: 'Side modifier on procedures billed per side',
      message: 'Procedure billed per side without RT, LT or 50',
      suggestedFix: 'Add RT, LT or 50 as documented.',
      documentation: 'Payer policy: per-side procedures without a side modifier are incomplete (CARC 4).',
      when: {
        all: [
          { path: 'lines[*].procedureCode', op: 'in', value: lateral },
          { not: { path: 'lines[*].modifiers', op: 'in', value: ['RT', 'LT', '50'] } },
        ],
      },
    });
  }
  return out;
}
