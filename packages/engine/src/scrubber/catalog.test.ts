import { describe, expect, it } from 'vitest';
import { CATALOG } from './catalog.ts';
import { fixtureClaim, fixtureContext } from './fixtures.ts';
import { RULE_FIXTURES } from './rule-fixtures.ts';
import { runRule, scrub } from './scrub.ts';
import { HOLD_REASONS, RULE_SCOPES, SEVERITIES } from './types.ts';

// STYLE §8: every rule is documented and has a passing and a failing fixture, and the fixtures do pass/fail.
describe('rule catalog', () => {
  it('has unique, stable-looking ids', () => {
    const ids = CATALOG.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  for (const rule of CATALOG) {
    describe(rule.id, () => {
      it('is fully described', () => {
        expect(Number.isInteger(rule.version) && rule.version >= 1).toBe(true);
        expect(SEVERITIES).toContain(rule.severity);
        expect(RULE_SCOPES).toContain(rule.scope);
        if (rule.holdReason !== undefined) expect(HOLD_REASONS).toContain(rule.holdReason);
        expect(rule.title.length).toBeGreaterThan(5);
        expect(rule.suggestedFix.length).toBeGreaterThan(5);
        for (const part of ['checks', 'why', 'source', 'fix'] as const) {
          expect(rule.documentation[part].trim().length, `documentation.${part}`).toBeGreaterThan(10);
        }
      });

      const fixtures = RULE_FIXTURES[rule.id];
      it('has at least one passing and one failing fixture', () => {
        expect(fixtures?.pass.length ?? 0).toBeGreaterThan(0);
        expect(fixtures?.fail.length ?? 0).toBeGreaterThan(0);
      });

      for (const f of fixtures?.pass ?? []) {
        it(`passes: ${f.name}`, () => {
          expect(runRule(rule, f.claim, f.ctx)).toEqual([]);
        });
      }
      for (const f of fixtures?.fail ?? []) {
        it(`fails: ${f.name}`, () => {
          const issues = runRule(rule, f.claim, f.ctx);
          expect(issues.length).toBeGreaterThan(0);
          for (const issue of issues) {
            expect(issue.ruleId).toBe(rule.id);
            expect(issue.ruleVersion).toBe(rule.version);
            expect(issue.field).not.toBe(undefined);
            expect(issue.x12).toMatch(/^\d{4}[A-Z]{0,2}(\.[A-Z0-9]+(-\d+)?)?$/);
            expect(issue.suggestedFix.length).toBeGreaterThan(0);
          }
          expect(issues.map((i) => i.severity)).toContain(f.severity ?? rule.severity);
        });
      }
    });
  }

  it('has no fixtures for rules that do not exist', () => {
    const ids = new Set(CATALOG.map((r) => r.id));
    expect(Object.keys(RULE_FIXTURES).filter((id) => !ids.has(id))).toEqual([]);
  });

  it('finds the clean fixture claim clean under every rule', () => {
    const result = scrub(fixtureClaim(), fixtureContext());
    expect(result).toEqual({ issues: [], holds: [], clean: true });
  });

  it('never puts a patient value into an issue', () => {
    // Every failing fixture's issues, serialized, contain none of the fixture patient's values.
    const secrets = ['Doe', 'Jane', '1960-04-12', 'W123456789', '12 Elm St'];
    for (const rule of CATALOG) {
      for (const f of RULE_FIXTURES[rule.id]?.fail ?? []) {
        const text = JSON.stringify(scrub(f.claim, f.ctx));
        for (const s of secrets) expect(text.includes(s), `${rule.id}: ${f.name}`).toBe(false);
      }
    }
  });
});
