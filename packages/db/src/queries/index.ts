/** Query modules, one per area, and the registry of practice-scoped list queries. */
import type { PracticeId } from '@openrcm/core';
import type { Queryable } from '../db.ts';
import type { PracticeScope } from '../scope.ts';
import { getPractice } from './practices.ts';
import { listPracticePayerSettings } from './payers.ts';
import { listEnrollments, listProviders } from './providers.ts';
import { listLocations } from './locations.ts';
import { listLedgerTransactions } from './ledger.ts';
import { listAudit } from './audit.ts';

export * from './practices.ts';
export * from './payers.ts';
export * from './providers.ts';
export * from './locations.ts';
export * from './ledger.ts';
export * from './audit.ts';

/**
 * Every query that lists practice-owned rows, by name. The scoping test seeds two practices and
 * calls each with practice A's scope: any row of practice B fails it. Add new scoped list queries
 * here (other packages keep their own registry and reuse the test pattern).
 */
export const SCOPED_LIST_QUERIES: Readonly<
  Record<
    string,
    (q: Queryable, scope: PracticeScope) => Promise<readonly { readonly practiceId: PracticeId }[]>
  >
> = {
  getPractice: async (q, scope) => [await getPractice(q, scope)],
  listPracticePayerSettings,
  listProviders,
  listEnrollments: (q, scope) => listEnrollments(q, scope),
  listLocations,
  listLedgerTransactions: (q, scope) => listLedgerTransactions(q, scope),
  listAudit: (q, scope) => listAudit(q, scope),
};
