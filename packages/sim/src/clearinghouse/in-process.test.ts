import { describe, expect, it } from 'vitest';
import { generate } from '../generate.ts';
import { inProcessClearinghouse } from './in-process.ts';
import { naive837Files } from './naive837.ts';

describe('in-process endpoint', () => {
  it('answers land in the pickup map, which the submitter empties', () => {
    const ds = generate({ practices: 1, months: 1, seed: 41, startDate: '2026-01-05', volume: 0.05 });
    const f = naive837Files(ds)[0];
    if (!f) throw new Error('no 837');
    let today = f.receivedDate;
    const ep = inProcessClearinghouse(
      { setup: ds, authorizations: ds.authorizations, seed: 41 },
      () => today,
    );
    ep.receive('batch.837', f.content);
    const names = [...ep.outbox.keys()].sort();
    expect(names.map((n) => n.split('-')[2])).toEqual(['999', '277CA']);
    for (const n of names) ep.outbox.delete(n);
    today = '2026-04-30';
    ep.advanceTo(today);
    expect([...ep.outbox.keys()].every((n) => n.includes('-835-'))).toBe(true);
    expect(ep.outbox.size).toBe(ep.clearinghouse.stats.eras);
    expect(ep.clearinghouse.outbox()).toEqual([]); // nothing retained beyond the pickup map
  });
});
