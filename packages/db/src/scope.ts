/**
 * Practice scoping. Every query over practice-owned rows takes a `PracticeScope` and filters by
 * it; the schema's composite foreign keys (practice_id, id) make cross-practice references
 * impossible, and the scoping test checks every registered list query.
 */
import { PracticeId } from '@openrcm/core';

declare const scopeBrand: unique symbol;

/** Proof that the caller acts for one practice. Build it with `practiceScope`. */
export interface PracticeScope {
  readonly practiceId: PracticeId;
  readonly [scopeBrand]: true;
}

export function practiceScope(practiceId: PracticeId | number | string): PracticeScope {
  return { practiceId: PracticeId(practiceId) } as PracticeScope;
}
