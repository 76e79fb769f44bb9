import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
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

  // Every file of the corpus (all transaction types, negative tests and files that are not X12 at all, such as
  // UTF-16 text or a bare ST..SE), with its MANIFEST verdict, and every single-fault mutation.
  const manifest = readFileSync(`${corpus}MANIFEST.tsv`, 'utf8').trim().split('\n');
  const columns = (manifest[0] ?? '').split('\t');
  const entries = manifest.slice(1).map((line) => {
    const cells = line.split('\t');
    return {
      file: `${corpus}${cells[columns.indexOf('file')] ?? ''}`,
      verdict: cells[columns.indexOf('verdict')] ?? '',
    };
  });
  const clean = entries.filter((e) => e.verdict === 'clean' || e.verdict.startsWith('clean ('));
  const negative = entries.filter((e) => e.verdict.startsWith('negative'));
  const mutations = ['835', '837p'].flatMap((t) =>
    readdirSync(`${corpus}mutations/${t}`)
      .filter((f) => f.endsWith('.edi'))
      .map((f) => `${corpus}mutations/${t}/${f}`),
  );

  it('validates every file of the corpus and every mutation: each finding located, clean files silent, faults found', async () => {
    expect(entries.length).toBeGreaterThan(150);
    expect(clean.length).toBeGreaterThan(50);
    const r = await openrcm(['x12', 'validate', '--code-lists', ...entries.map((e) => e.file), ...mutations]);
    // 2: some inputs are not X12 at all (no ISA, unusable delimiters); each of them is named in its own finding.
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    const lines = r.stdout.trim().split('\n');
    for (const line of lines) expect(line).toMatch(/^.+:\d+: (error|warning|info) [a-z0-9-]+ \S+ .+$/);
    const errorsOf = (file: string) =>
      lines.filter((l) => l.startsWith(`${file}:`) && l.includes(': error '));
    for (const e of clean) expect(errorsOf(e.file), e.file).toEqual([]);
    for (const e of negative) expect(errorsOf(e.file).length, e.file).toBeGreaterThan(0);
    for (const file of mutations) expect(errorsOf(file).length, file).toBeGreaterThan(0);
  });

  it('parse --json prints the typed object of the largest clean file of each transaction type', async () => {
    // The validate test above reads every file; a process each for all clean files would take half a minute. The
    // corpus has no clean 277CA: its largest file stands in (exit 1 allowed).
    const largest = new Map<string, { file: string; clean: boolean }>();
    for (const e of entries) {
      if (e.verdict.startsWith('negative')) continue;
      const type = e.file.slice(corpus.length).split('/')[0] ?? '';
      const isClean = clean.includes(e);
      const now = largest.get(type);
      if (
        now === undefined ||
        (isClean && !now.clean) ||
        (isClean === now.clean && statSync(e.file).size > statSync(now.file).size)
      )
        largest.set(type, { file: e.file, clean: isClean });
    }
    expect([...largest].filter(([, v]) => !v.clean).map(([k]) => k)).toEqual(['277ca']);
    const results = await Promise.all(
      [...largest].map(async ([type, { file, clean: isClean }]) => {
        const r = await openrcm(['x12', 'parse', file, '--json']);
        const parsed = JSON.parse(r.stdout) as {
          transactions: { reader?: string; transactionType: string; diagnostics: { code: string }[] }[];
        };
        return {
          type,
          code: r.code,
          exitOk: isClean ? r.code === 0 : r.code === 0 || r.code === 1,
          // A typed reader's name, or, for the 837I, which has none (issue 3: read without crashing), the set's
          // type with the finding that says so.
          readers: parsed.transactions.map(
            (t) => t.reader ?? `${t.transactionType} (${t.diagnostics.map((d) => d.code).join(' ')})`,
          ),
        };
      }),
    );
    expect(results.filter((r) => !r.exitOk)).toEqual([]);
    expect(Object.fromEntries(results.map((r) => [r.type, [...new Set(r.readers)]]))).toEqual({
      '270': ['270'],
      '271': ['271'],
      '276': ['276'],
      '277': ['277'],
      '277ca': ['277CA'],
      '835': ['835'],
      '837i': ['837 (no-reader)'],
      '837p': ['837P'],
      '999': ['999'],
    });
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
