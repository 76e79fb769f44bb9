import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExternalCodeLists } from '../src/core/codelists.ts';

/**
 * The external claim status / entity / service type lists of test/fixtures/x12-status-eligibility-code-lists.csv
 * (provenance in the .md next to it), as the readers take them.
 */
export function statusCodeLists(): ExternalCodeLists {
  const sets = new Map<string, Set<string>>();
  const text = readFileSync(
    join(import.meta.dirname, 'fixtures', 'x12-status-eligibility-code-lists.csv'),
    'utf8',
  );
  for (const line of text.split('\n').slice(1)) {
    const first = line.indexOf(',');
    const last = line.lastIndexOf(',');
    if (first < 0) continue;
    const id = line.slice(0, first);
    const code = line.slice(last + 1).trim();
    let set = sets.get(id);
    if (set === undefined) sets.set(id, (set = new Set()));
    set.add(code);
  }
  const get = (id: string): ReadonlySet<string> => sets.get(id) ?? new Set();
  return {
    claimStatusCategory: get('claim_status_cat'),
    claimStatus: get('claim_status'),
    entityIdentifier: get('entity_id'),
    serviceType: get('service_type'),
  };
}
