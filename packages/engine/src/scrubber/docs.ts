/**
 * Renders docs/scrubber-rules.md from the catalog, its fixtures and the condition language, so the
 * documentation cannot drift from the code (a test compares the committed file with this output).
 * Regenerate with `npx tsx packages/engine/src/scrubber/gen-docs.ts`.
 */
import { CATALOG } from './catalog.ts';
import { CONDITION_OPS, CONDITION_PATHS } from './conditions.ts';
import type { ConditionOp } from './conditions.ts';
import { RULE_FIXTURES } from './rule-fixtures.ts';
import type { Rule } from './types.ts';

/** Where the generated file lives, relative to the repository root. */
export const RULES_DOC_PATH = 'docs/scrubber-rules.md';

const OP_MEANING: Readonly<Record<ConditionOp, string>> = {
  eq: 'equals the value',
  ne: 'does not equal the value (true when the property is missing)',
  in: 'is one of the listed values (for a list property: any element is)',
  not_in: 'is none of the listed values (true when missing)',
  exists: 'is present and not empty (no value)',
  missing: 'is absent or empty (no value)',
  includes: 'the list property contains the value',
  lacks: 'the list property does not contain the value (true when missing)',
  gt: 'greater than (numbers and dates)',
  gte: 'greater than or equal (numbers and dates)',
  lt: 'less than (numbers and dates)',
  lte: 'less than or equal (numbers and dates)',
  matches:
    'matches the regular expression, anchored at both ends (at most 100 characters; no nested quantifiers, back-references or look-around)',
};

/**
 * Worked definitions for the payer policies billing teams configure most (each one validated by a test):
 * what the payer's companion guide or policy bulletin says, expressed as a configured rule.
 */
export const POLICY_EXAMPLES: readonly {
  readonly policy: string;
  readonly definition: Record<string, unknown>;
}[] = [
  {
    policy: 'Non-covered service: the payer never pays a code (CARC 96)',
    definition: {
      id: 'acme-non-covered',
      version: 1,
      severity: 'error',
      scope: 'payer',
      payerId: 12,
      title: 'Services Acme does not cover',
      message: 'The payer does not cover this service: bill the patient with a signed waiver, or remove it',
      suggestedFix: 'Obtain an advance notice/waiver and bill the patient, or remove the line.',
      when: { path: 'lines[*].procedureCode', op: 'in', value: ['97810', '97811', 'S9986'] },
    },
  },
  {
    policy: 'Medical necessity: a code is paid only with listed diagnoses (CARC 50)',
    definition: {
      id: 'acme-vitamin-d-necessity',
      version: 1,
      severity: 'error',
      scope: 'payer',
      payerId: 12,
      title: 'Vitamin D assay needs a supporting diagnosis',
      message: 'No diagnosis on the line supports medical necessity for this test',
      suggestedFix: 'Point the line at the documented diagnosis that supports the test.',
      when: {
        all: [
          { path: 'lines[*].procedureCode', op: 'eq', value: '82306' },
          { path: 'lines[*].diagnoses', op: 'not_in', value: ['E559', 'M810', 'N186', 'E210'] },
        ],
      },
    },
  },
  {
    policy: 'Payer-specific bundling beyond NCCI (CARC 97)',
    definition: {
      id: 'acme-bundles-venipuncture',
      version: 1,
      severity: 'error',
      scope: 'payer',
      payerId: 12,
      title: 'Venipuncture bundled into the visit',
      message: 'The payer bundles venipuncture into an office visit on the same claim',
      suggestedFix: 'Remove the venipuncture line, or add 59 when it was a distinct encounter.',
      when: {
        all: [
          { path: 'procedureCodes', op: 'in', value: ['99212', '99213', '99214', '99215'] },
          { path: 'lines[*].procedureCode', op: 'eq', value: '36415' },
          { path: 'lines[*].modifiers', op: 'lacks', value: '59' },
        ],
      },
    },
  },
  {
    policy: 'Laterality required: the payer denies joint procedures without RT, LT or 50 (CARC 4)',
    definition: {
      id: 'acme-laterality',
      version: 1,
      severity: 'error',
      scope: 'payer',
      payerId: 12,
      title: 'Side modifier on joint procedures',
      message: 'Joint procedure without a side modifier (RT, LT or 50)',
      suggestedFix: 'Add RT, LT or 50 as documented.',
      when: {
        all: [
          { path: 'lines[*].procedureCode', op: 'in', value: ['20610', '20611', '73560', '73030'] },
          { not: { path: 'lines[*].modifiers', op: 'in', value: ['RT', 'LT', '50'] } },
        ],
      },
    },
  },
  {
    policy: 'Practice rule: ask Medicare patients about a supplemental plan (warning)',
    definition: {
      id: 'riverside-check-medigap',
      version: 1,
      severity: 'warning',
      scope: 'practice',
      practiceId: 3,
      title: 'Medicare primary without a secondary on file',
      message: 'Medicare is billed as primary and no other coverage is on file',
      suggestedFix: 'Ask the patient about a Medigap or employer plan at the next visit.',
      when: {
        all: [
          { path: 'coverage.payer.type', op: 'eq', value: 'medicare' },
          { path: 'otherCoverageCount', op: 'eq', value: 0 },
        ],
      },
    },
  },
];

function ruleSection(rule: Rule): string {
  const fx = RULE_FIXTURES[rule.id];
  const hold = rule.severity === 'error' ? (rule.holdReason ?? 'scrubber') : '—';
  return [
    `<a id="${rule.id}"></a>`,
    '',
    `## \`${rule.id}\` — ${rule.title}`,
    '',
    `Version ${rule.version} · severity **${rule.severity}** · scope ${rule.scope} · hold reason ${hold}`,
    '',
    `- **Checks:** ${rule.documentation.checks}`,
    `- **Why:** ${rule.documentation.why}`,
    `- **Source:** ${rule.documentation.source}`,
    `- **Fix:** ${rule.documentation.fix}`,
    `- **Passing fixtures:** ${(fx?.pass ?? []).map((c) => c.name).join('; ')}`,
    `- **Failing fixtures:** ${(fx?.fail ?? []).map((c) => c.name).join('; ')}`,
    '',
  ].join('\n');
}

/** The whole document. */
export function renderRulesDoc(rules: readonly Rule[] = CATALOG): string {
  const head = [
    '# Scrubber rules',
    '',
    '<!-- Generated from packages/engine/src/scrubber (catalog, fixtures, conditions). Do not edit by hand:',
    '     run `npx tsx packages/engine/src/scrubber/gen-docs.ts`. A test fails when this file is stale. -->',
    '',
    'The scrubber runs every rule below on each claim before it leaves (issue 5 §3). A rule returns located',
    'issues: rule id and version, severity, a message that names fields but never patient values, the claim',
    'path (`lines[1].modifiers[0]`), the 837P location (`2400.SV101-3`) and a suggested fix. An **error** holds',
    'the claim; a **warning** does not. Holds are grouped by reason: `scrubber` (a biller corrects the data),',
    '`credentialing` (released automatically on the enrollment’s effective date when it is known) and',
    '`eligibility` (until the coverage is resolved). Rules run in the order listed; issues come out in that',
    'order.',
    '',
    `Built-in rules (${rules.length}):`,
    '',
    ...rules.map((r) => `- [\`${r.id}\`](#${r.id}) — ${r.title} (${r.severity})`),
    '',
  ];
  const paths = Object.entries(CONDITION_PATHS).map(
    ([p, s]) =>
      `- \`${p}\` — ${s.kind === 'strings' ? 'list of strings' : s.kind}${s.line ? ', per line' : ''} (${s.x12})`,
  );
  const tail = [
    '# Configured payer and practice rules',
    '',
    'Payer- and practice-specific rules are data: a definition with `id`, `version`, `severity`, `scope`',
    '(`payer` with `payerId`, or `practice` with `practiceId`), `title`, a fixed `message`, `suggestedFix`,',
    'optional `documentation` and `field`, and a condition `when`. The rule reports an issue when the',
    'condition is true. Conditions combine with `{"all": [...]}`, `{"any": [...]}` and `{"not": {...}}`',
    '(at most 8 levels, 200 nodes); a leaf is `{"path": ..., "op": ..., "value": ...}`. A condition that',
    'reads a `lines[*]` path is evaluated once per line and each matching line gets its own issue, pointing at',
    'the last `lines[*]` path of the condition unless `field` says otherwise. An unknown path, an op that',
    'does not fit the path’s type or a value of the wrong type is a definition error, reported with its',
    'location (`when.all[2].value`).',
    '',
    'Example — therapy lines for Medicare need the GP modifier:',
    '',
    '```json',
    '{ "all": [ { "path": "coverage.payer.type", "op": "eq", "value": "medicare" },',
    '           { "path": "lines[*].procedureCode", "op": "in", "value": ["97110", "97140"] },',
    '           { "path": "lines[*].modifiers", "op": "lacks", "value": "GP" } ] }',
    '```',
    '',
    '## Examples',
    '',
    ...POLICY_EXAMPLES.flatMap((e) => [
      `${e.policy}:`,
      '',
      '```json',
      JSON.stringify(e.definition, null, 2),
      '```',
      '',
    ]),
    '## Operators',
    '',
    ...CONDITION_OPS.map((op) => `- \`${op}\` — ${OP_MEANING[op]}`),
    '',
    '## Readable claim paths',
    '',
    'Only these paths can be read; none exposes a patient-identifying value (patient age is capped at 90).',
    '',
    ...paths,
    '',
  ];
  return [...head, ...rules.map(ruleSection), ...tail].join('\n');
}
