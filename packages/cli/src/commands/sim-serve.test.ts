import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generate, writeDataset } from '@openrcm/sim';
import { naive837Files } from '@openrcm/sim/clearinghouse';
import { COMMANDS, run } from '../index.ts';

const dir = mkdtempSync(join(tmpdir(), 'openrcm-sim-adjudicate-'));
const ds = generate({ practices: 1, months: 1, seed: 4, startDate: '2026-01-05', volume: 0.05 });
writeDataset(ds, join(dir, 'data'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function openrcm(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    commands: COMMANDS,
    env: {},
    stdout: { write: (t) => void (stdout += t) },
    stderr: { write: (t) => void (stderr += t) },
  });
  return { code, stdout, stderr };
}

describe('openrcm sim adjudicate', () => {
  it('one 837: writes its 999 and 277CA, then the 835s once the clock has run', async () => {
    const f = naive837Files(ds)[0];
    if (!f) throw new Error('no 837');
    writeFileSync(join(dir, 'in.837'), f.content);
    const out = join(dir, 'out1');
    const r = await openrcm(
      '--json',
      'sim',
      'adjudicate',
      join(dir, 'in.837'),
      '--data',
      join(dir, 'data'),
      '--out',
      out,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as { claimsReceived: number; eras: number };
    expect(summary.claimsReceived).toBe(f.claims);
    const names = readdirSync(out);
    expect(names.some((n) => n.includes('-999-'))).toBe(true);
    expect(names.some((n) => n.includes('-277CA-'))).toBe(true);
    expect(names.filter((n) => n.includes('-835-')).length).toBe(summary.eras);
  });

  it('without an 837: sends the data set charges unscrubbed and prints both realism rates', async () => {
    const r = await openrcm('sim', 'adjudicate', '--data', join(dir, 'data'), '--out', join(dir, 'out2'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/front-end rejection rate \d+\.\d %/);
    expect(r.stdout).toMatch(/first-adjudication denial rate \d+\.\d %/);
  });

  it('a missing data directory is a clear failure, not a crash', async () => {
    const r = await openrcm('sim', 'adjudicate', '--data', join(dir, 'nope'), '--out', join(dir, 'out3'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/manifest/);
  });
});
