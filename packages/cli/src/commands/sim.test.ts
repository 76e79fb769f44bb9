import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// Scenario tests of `openrcm sim generate`: the real bin, spawned, writing small data sets.
const bin = fileURLToPath(new URL('../../bin/openrcm.mjs', import.meta.url));
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function openrcm(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('openrcm sim generate', () => {
  it('writes one file per entity plus a manifest, the same bytes for the same seed, and a JSON summary', async () => {
    const a = mkdtempSync(join(tmpdir(), 'openrcm-cli-sim-'));
    const b = mkdtempSync(join(tmpdir(), 'openrcm-cli-sim-'));
    dirs.push(a, b);
    const args = [
      'sim',
      'generate',
      '--practices',
      '2',
      '--months',
      '1',
      '--seed',
      '7',
      '--volume',
      '0.2',
      '--quiet',
    ];
    const [ra, rb] = await Promise.all([
      openrcm([...args, '--out', a]),
      openrcm(['--json', ...args, '--out', b]),
    ]);
    expect(ra.code).toBe(0);
    expect(ra.stdout).toMatch(
      /^wrote .* in [\d.]+ s; ground truth expects [\d.]+ % denials and [\d.]+ % front-end rejections/,
    );
    expect(rb.code).toBe(0);
    const summary = JSON.parse(rb.stdout) as {
      rows: Record<string, number>;
      expectedUnscrubbed: { denialRate: number };
    };
    expect(summary.rows['encounters']).toBeGreaterThan(0);
    const files = readdirSync(a).sort();
    expect(files).toEqual(readdirSync(b).sort());
    expect(files).toContain('manifest.json');
    expect(files).toContain('charges.jsonl');
    for (const f of files) expect(readFileSync(join(a, f), 'utf8'), f).toBe(readFileSync(join(b, f), 'utf8'));
  });

  it('refuses bad options with a one-line usage error and exit code 2', async () => {
    const r = await openrcm([
      'sim',
      'generate',
      '--out',
      join(tmpdir(), 'never-written'),
      '--rate',
      'nonsense=0.1',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('rate name must be one of');
  });
});
