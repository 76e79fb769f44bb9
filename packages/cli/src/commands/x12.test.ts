import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Scenario tests of `openrcm x12 ...`: the real bin, spawned on files of the x12 conformance corpus.
const bin = fileURLToPath(new URL('../../bin/openrcm.mjs', import.meta.url));
const corpus = fileURLToPath(new URL('../../../x12/test/corpus/', import.meta.url));

interface Result {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function openrcm(args: readonly string[], stdin?: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [bin, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
    p.stdin.end(stdin ?? '');
  });
}

describe('openrcm x12', () => {
  it('parse --json prints the typed 835 and exits 0 for a clean file', async () => {
    const r = await openrcm(['x12', 'parse', `${corpus}835/sedi-pass__era-sample.edi`, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      transactions: {
        reader: string;
        value: { payment: { amount: number }; headers: { claims: unknown[] }[] };
      }[];
    };
    expect(out.transactions[0]?.reader).toBe('835');
    expect(out.transactions[0]?.value.payment.amount).toBe(13200);
    expect(out.transactions[0]?.value.headers[0]?.claims).toHaveLength(1);
  });

  it('validate prints one located diagnostic per line and exits 1 when a file has errors', async () => {
    const files = readdirSync(`${corpus}mutations/835`)
      .filter((f) => f.endsWith('.edi'))
      .map((f) => `${corpus}mutations/835/${f}`);
    const r = await openrcm(['x12', 'validate', ...files]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    // Seven mutations are caught without code lists (the invalid CARC needs the CARC list).
    expect(lines).toHaveLength(7);
    expect(lines).toContain(
      `${corpus}mutations/835/02_invalid_claim_status_code.edi:1: error invalid-code 2100.CLP02 CLP02 is not a valid claim status code for this position`,
    );
    for (const line of lines) expect(line).toMatch(/^.+\.edi:\d+: error [a-z-]+ /);
  });

  it('validates every 835 and 999 of the corpus without crashing; clean files print nothing', async () => {
    const manifest = readFileSync(`${corpus}MANIFEST.tsv`, 'utf8').trim().split('\n');
    const header = (manifest[0] ?? '').split('\t');
    const rows = manifest.slice(1).map((l) => l.split('\t'));
    const fileCol = header.indexOf('file');
    const verdictCol = header.indexOf('verdict');
    const ours = rows.filter((r) => /^(835|999)\//.test(r[fileCol] ?? ''));
    const r = await openrcm(['x12', 'validate', ...ours.map((row) => `${corpus}${row[fileCol] ?? ''}`)]);
    expect([1, 2]).toContain(r.code);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    for (const row of ours) {
      const verdict = row[verdictCol] ?? '';
      if (verdict !== 'clean' && !verdict.startsWith('clean (')) continue;
      expect(r.stdout).not.toContain(`${corpus}${row[fileCol] ?? ''}:`);
    }
  });

  it('--code-lists checks CARC against the shipped code sets', async () => {
    const file = `${corpus}mutations/835/08_invalid_carc.edi`;
    const without = await openrcm(['x12', 'validate', file]);
    expect(without.code).toBe(0);
    const withLists = await openrcm(['x12', 'validate', '--code-lists', file]);
    expect(withLists.code).toBe(1);
    expect(withLists.stdout).toContain('error invalid-carc 2110.CAS02');
  });

  it('exits 2 when the input cannot be read', async () => {
    const r = await openrcm(['x12', 'parse', `${corpus}835/does-not-exist.edi`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot read (ENOENT)');
  });

  it('fmt - reads standard input and prints one segment per line', async () => {
    const text = readFileSync(`${corpus}999/emedny__999_Sample_Rejected.txt`, 'utf8');
    const r = await openrcm(['x12', 'fmt', '-'], text);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(11);
    expect(lines[5]).toBe('IK3*NM*17**1~');
  });
});
