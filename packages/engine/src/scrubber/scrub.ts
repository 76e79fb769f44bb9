import type { CalendarDate } from '@openrcm/core';
import type { Claim } from '../claims/model.ts';
import { releaseDate } from '../credentialing/hold.ts';
import { CATALOG } from './catalog.ts';
import type { EnrollmentStatus, Hold, HoldReason, Issue, Rule, ScrubContext, ScrubResult } from './types.ts';
import { HOLD_REASONS } from './types.ts';
import { duplicateKeys } from './rules/payer.ts';
import type { ClaimId } from '@openrcm/core';

/** Runs one rule on a claim and stamps its findings into issues (rule id, version, severity, hold). */
export function runRule(rule: Rule, claim: Claim, ctx: ScrubContext): Issue[] {
  if (rule.appliesTo !== undefined && !rule.appliesTo(claim)) return [];
  const findings = rule.check(claim, ctx);
  if (findings.length === 0) return [];
  const out: Issue[] = [];
  for (const f of findings) {
    // A finding may downgrade its rule's severity (e.g. "close to the limit"), never raise it.
    const severity = rule.severity === 'warning' ? 'warning' : (f.severity ?? rule.severity);
    out.push({
      ruleId: rule.id,
      ruleVersion: rule.version,
      severity,
      ...(severity === 'error' ? { hold: rule.holdReason ?? 'scrubber' } : {}),
      ...(f.releaseOn !== undefined && severity === 'error' ? { releaseOn: f.releaseOn } : {}),
      message: f.message,
      field: f.field,
      x12: f.x12,
      suggestedFix: f.suggestedFix ?? rule.suggestedFix,
    });
  }
  return out;
}

/**
 * Scrubs one claim: runs `rules` (the built-in catalog unless given; append compiled configured rules with
 * `[...CATALOG, ...compiled]`) in order and collects their issues in that order, so the output is
 * deterministic. Errors put the claim on hold, grouped by reason; a credentialing hold carries the date it
 * can be released automatically when every provider's enrollment is pending with a known effective date.
 */
export function scrub(claim: Claim, ctx: ScrubContext, rules: readonly Rule[] = CATALOG): ScrubResult {
  const issues: Issue[] = [];
  for (const rule of rules) {
    const found = runRule(rule, claim, ctx);
    for (const issue of found) issues.push(issue);
  }
  return { issues, holds: holdsOf(issues), clean: !issues.some((i) => i.severity === 'error') };
}

/** Groups error issues into holds, in `HOLD_REASONS` order. */
export function holdsOf(issues: readonly Issue[]): Hold[] {
  const byReason = new Map<HoldReason, Issue[]>();
  for (const issue of issues) {
    if (issue.hold === undefined) continue;
    const list = byReason.get(issue.hold);
    if (list) list.push(issue);
    else byReason.set(issue.hold, [issue]);
  }
  const holds: Hold[] = [];
  for (const reason of HOLD_REASONS) {
    const list = byReason.get(reason);
    if (!list) continue;
    const ruleIds = [...new Set(list.map((i) => i.ruleId))];
    let releaseOn: CalendarDate | null | undefined;
    if (reason === 'credentialing') {
      const statuses: EnrollmentStatus[] = list.map((i) =>
        i.releaseOn !== undefined
          ? { status: 'pending', effectiveFrom: i.releaseOn }
          : { status: 'not_enrolled' },
      );
      releaseOn = releaseDate(statuses);
    }
    holds.push({ reason, ruleIds, ...(releaseOn ? { releaseOn } : {}) });
  }
  return holds;
}

/**
 * Scrubs claims in order as one run: each clean original claim's lines join the duplicate index for the
 * claims after it, so the same visit keyed in twice (two encounters, two claims) is caught even when neither
 * has been submitted yet. `ctx.submitted` itself is not modified.
 */
export function* scrubAll(
  claims: Iterable<Claim>,
  ctx: ScrubContext,
  rules: readonly Rule[] = CATALOG,
): Generator<{ readonly claim: Claim; readonly result: ScrubResult }> {
  const submitted = new Map<string, ClaimId>(ctx.submitted);
  const runCtx: ScrubContext = { ...ctx, submitted };
  for (const claim of claims) {
    const eligibility = ctx.eligibilityFor?.(claim);
    const claimCtx: ScrubContext =
      ctx.eligibilityFor === undefined
        ? runCtx
        : { ...runCtx, ...(eligibility === undefined ? {} : { eligibility }) };
    const result = scrub(claim, claimCtx, rules);
    if (result.clean && claim.frequencyCode === '1') {
      for (const key of duplicateKeys(claim)) if (!submitted.has(key)) submitted.set(key, claim.claimId);
    }
    yield { claim, result };
  }
}
