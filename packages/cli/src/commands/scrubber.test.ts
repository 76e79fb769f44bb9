import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../program.ts';
import { register as payer } from './payer.ts';
import { register as scrubber } from './scrubber.ts';

// Scenario tests of `openrcm scrubber …`, in process, on an embedded database directory of their own.
const dir = mkdtempSync(join(tmpdir(), 'openrcm-cli-scrubber-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function openrcm(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(['--data-dir', join(dir, 'db'), ...args], {
    commands: [payer, scrubber],
    env: {},
    stdout: { write: (t) => void (stdout += t) },
    stderr: { write: (t) => void (stderr += t) },
  });
  return { code, stdout, stderr };
}

type Listed = { key: string; payerCode: string | null; enabled: boolean; errors: unknown[] };

describe('openrcm scrubber rules and policies', () => {
  it('a biller writes a bad rule (one located line, exit 2), then a good one, lists, disables and deletes it', async () => {
    const bad = await openrcm(
      'scrubber',
      'rules',
      'add',
      '--key',
      'pos-99-review',
      '--description',
      'Review POS 99',
      '--severity',
      'fatal',
      '--condition',
      '{"all":[{"path":"placeOfService","op":"equals","value":"99"}]}',
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('severity: must be one of error, warning');
    expect(bad.stderr).toContain('condition.all[0].op');

    const good = await openrcm(
      'scrubber',
      'rules',
      'add',
      '--key',
      'pos-99-review',
      '--description',
      'Review POS 99',
      '--severity',
      'warning',
      '--condition',
      '{"path":"placeOfService","op":"eq","value":"99"}',
    );
    expect(good.code).toBe(0);
    const listed = JSON.parse((await openrcm('--json', 'scrubber', 'rules', 'list')).stdout) as Listed[];
    expect(listed).toEqual([expect.objectContaining({ key: 'pos-99-review', enabled: true, errors: [] })]);
    expect((await openrcm('scrubber', 'rules', 'disable', 'pos-99-review')).code).toBe(0);
    expect((await openrcm('scrubber', 'rules', 'delete', 'pos-99-review')).code).toBe(0);
    const again = await openrcm('scrubber', 'rules', 'delete', 'pos-99-review');
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('rule pos-99-review: no such rule');
  }, 60_000);

  it('imports a payer policy file into payer rules; a bad file is refused whole with the entry located', async () => {
    expect(
      (
        await openrcm(
          'payer',
          'create',
          '--payer-id',
          'SIMX1',
          '--name',
          'Test Payer',
          '--type',
          'commercial',
        )
      ).code,
    ).toBe(0);
    const file = join(dir, 'policies.json');
    writeFileSync(
      file,
      JSON.stringify({
        format: 'openrcm-payer-policies/1',
        payers: { SIMX1: { priorAuthorizationCodes: ['73721'], nonCoveredCodes: ['17380'] } },
      }),
    );
    const ok = await openrcm('scrubber', 'policies', 'import', file);
    expect(ok.code).toBe(0);
    const listed = JSON.parse(
      (await openrcm('--json', 'scrubber', 'rules', 'list', '--payer', 'SIMX1')).stdout,
    ) as Listed[];
    expect(listed.map((r) => [r.key.replace(/\d+/, 'N'), r.payerCode])).toEqual([
      ['payer-N-non-covered', 'SIMX1'],
    ]);

    writeFileSync(
      file,
      JSON.stringify({
        format: 'openrcm-payer-policies/1',
        payers: { SIMX1: { unitLimits: { '97110': -1 } } },
      }),
    );
    const bad = await openrcm('scrubber', 'policies', 'import', file);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('payers.SIMX1.unitLimits.97110');
  }, 60_000);
});
