import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse835 } from '../../../src/tx835/reader.ts';
import { write835 } from '../../../src/tx835/writer.ts';
import { testCodeLists } from '../../codelists.ts';
import { INTERCHANGE, SCENARIOS_835, golden835 } from './scenarios.ts';

// Goldens change only through scripts/regen-golden-835-999-ta1.ts.
const stripLocations = (x: unknown): unknown =>
  JSON.parse(JSON.stringify(x, (k, v: unknown) => (k === 'at' ? undefined : v)));

describe('835 golden files', () => {
  it.each(Object.keys(SCENARIOS_835))('%s: the writer reproduces the committed file byte for byte', (name) => {
    const committed = readFileSync(join(import.meta.dirname, `${name}.edi`), 'utf8');
    expect(golden835(name)).toBe(committed);
  });

  it.each(Object.keys(SCENARIOS_835))('%s: reads back clean (balanced, CARC/RARC known) and re-writes identically', (name) => {
    const committed = readFileSync(join(import.meta.dirname, `${name}.edi`), 'utf8');
    const r = parse835(committed, { codeLists: testCodeLists() });
    expect(r.diagnostics).toEqual([]);
    expect(stripLocations(r.value[0])).toEqual(stripLocations(SCENARIOS_835[name]));
    const again = write835(r.value, { interchange: INTERCHANGE, senderCode: 'SYNTHPAYER', receiverCode: 'OPENRCM', groupControlNumber: 835 });
    expect(again).toBe(committed);
  });
});
