import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTa1 } from '../../../src/ta1/ta1.ts';
import { parse999 } from '../../../src/tx999/reader.ts';
import { golden999, goldenTa1, scenarios999, scenariosTa1 } from './scenarios.ts';

// Goldens change only through scripts/regen-golden-835-999-ta1.ts.
const dir999 = import.meta.dirname;
const dirTa1 = join(import.meta.dirname, '..', 'ta1');

describe('999 golden files', () => {
  it.each(Object.keys(scenarios999()))('%s: generated 999 equals the committed file and reads back clean', (name) => {
    const committed = readFileSync(join(dir999, `${name}.edi`), 'utf8');
    expect(golden999(name)).toBe(committed);
    const back = parse999(committed);
    expect(back.diagnostics).toEqual([]);
    expect(back.value[0]).toEqual(scenarios999()[name]);
  });

  it('the rejection locates the fault: IK3 CLP position 11 loop 2100, IK4 element 2 code 7, IK5 R 5, AK9 R', () => {
    const text = readFileSync(join(dir999, 'rejected-invalid-code.edi'), 'utf8');
    expect(text).toContain('IK3*CLP*11*2100*8~\nIK4*2**7~\nIK5*R*5~\nAK9*R*1*1*0~');
  });
});

describe('TA1 golden files', () => {
  it.each(Object.keys(scenariosTa1()))('%s: generated TA1 equals the committed file and reads back clean', (name) => {
    const committed = readFileSync(join(dirTa1, `${name}.edi`), 'utf8');
    expect(goldenTa1(name)).toBe(committed);
    const back = parseTa1(committed);
    expect(back.diagnostics).toEqual([]);
    expect(back.value.map(({ at: _at, ...rest }) => rest)).toEqual([scenariosTa1()[name]]);
  });
});
