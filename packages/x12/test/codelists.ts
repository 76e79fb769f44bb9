import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExternalCodeLists } from '../src/core/codelists.ts';

/** CARC and RARC values from the June 2024 inventory fixture (every code listed, active or stopped). */
export function testCodeLists(): ExternalCodeLists {
  const text = readFileSync(
    join(import.meta.dirname, 'fixtures', 'carc_rarc_code_inventory_2024-06.csv'),
    'utf8',
  );
  const carc = new Set<string>();
  const rarc = new Set<string>();
  for (const line of text.split('\n').slice(1)) {
    const [type, code] = line.split(',');
    if (code === undefined || code === '') continue;
    if (type === 'CARC') carc.add(code);
    else if (type === 'RARC') rarc.add(code);
  }
  return { carc, rarc };
}
