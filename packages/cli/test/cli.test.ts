import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { createTestDb, prepareDataDir, testDbKind, type TestDb } from '@openrcm/db/test-harness';
import { COMMANDS, createContext, createProgram, run } from '../src/index.ts';

const bin = fileURLToPath(new URL('../bin/openrcm.mjs', import.meta.url));

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function openrcm(args: readonly string[], env: Record<string, string | undefined>): Promise<Result> {
  return new Promise((resolve, reject) => {
    const { DATABASE_URL: _ignored, ...rest } = process.env;
    const p = spawn(process.execPath, [bin, ...args], {
      env: { ...rest, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function leafNames(cmd: Command, prefix = ''): string[] {
  return cmd.commands.flatMap((c) =>
    c.commands.length === 0 ? [`${prefix}${c.name()}`] : leafNames(c, `${prefix}${c.name()} `),
  );
}

function expectOneErrorLine(r: Result): void {
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('openrcm without a database', () => {
  it('--help lists every command, one line each', async () => {
    const r = await openrcm(['--help'], {});
    expect(r.code).toBe(0);
    const program = createProgram();
    const ctx = createContext({ program });
    for (const register of COMMANDS) register(program, ctx);
    const names = leafNames(program);
    expect(names).toEqual(
      expect.arrayContaining(['db migrate', 'db status', 'practice create', 'practice list']),
    );
    const commandLines = r.stdout.split('\n').filter((l) => /^ {2}[a-z]/.test(l));
    for (const name of names) {
      const line = commandLines.find((l) => l.trimStart().startsWith(`${name} `) || l.trim() === name);
      expect(line, `help shows ${name}`).toBeDefined();
      // Its description is on the same line.
      expect(line?.trim().length).toBeGreaterThan(name.length + 5);
    }
    // No wrapped continuation lines in the command list.
    const section = r.stdout.slice(r.stdout.indexOf('Commands:'), r.stdout.indexOf('Environment:'));
    expect(section.split('\n').filter((l) => /^ {6,}\S/.test(l))).toEqual([]);
    expect(r.stdout).toContain('--data-dir');
    expect(r.stdout).toContain('--json');
    expect(r.stdout).toContain('DATABASE_URL');
  });

  it('usage errors exit 2 with one line and no stack trace (real process)', async () => {
    const r = await openrcm(['--bogus'], {});
    expect(r.code).toBe(2);
    expectOneErrorLine(r);
  });

  it('usage errors exit 2 with one line (in process, same code path as the bin)', async () => {
    for (const args of [
      ['no-such-command'],
      ['practice', 'create', '--name', 'No code'],
      ['payer', 'create', '--payer-id', '00431', '--name', 'X', '--type', 'alien'],
      // The NPI is checked before any database is opened.
      ['provider', 'create', '--practice', 'x', '--npi', '1234567890', '--last-name', 'Doe'],
      ['practice', 'create', '--code', 'Bad Code', '--name', 'X'],
      [
        'provider',
        'enroll',
        '--practice',
        'x',
        '--npi',
        '1234567893',
        '--payer',
        'p',
        '--status',
        'enrolled',
      ],
    ]) {
      let stdout = '';
      let stderr = '';
      const code = await run(args, {
        commands: COMMANDS,
        env: {},
        stdout: { write: (t) => void (stdout += t) },
        stderr: { write: (t) => void (stderr += t) },
      });
      expect(code, args.join(' ')).toBe(2);
      expectOneErrorLine({ code, stdout, stderr });
    }
  });
});

describe(`openrcm on ${testDbKind()}`, () => {
  let env: Record<string, string>;
  let db: TestDb | undefined;
  let dir: string | undefined;
  beforeAll(async () => {
    if (testDbKind() === 'postgres') {
      db = await createTestDb();
      env = { DATABASE_URL: db.url ?? '' };
    } else {
      dir = mkdtempSync(join(tmpdir(), 'openrcm-cli-'));
      await prepareDataDir(join(dir, 'data'));
      env = { OPENRCM_DATA_DIR: join(dir, 'data') };
    }
  });
  afterAll(async () => {
    await db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('sets up a practice by hand: practice, payer, provider', async () => {
    const practice = await openrcm(
      [
        '--json',
        'practice',
        'create',
        '--code',
        'alpha',
        '--name',
        'Alpha Family Medicine',
        '--npi',
        '1234567893',
        '--write-off-threshold',
        '250.00',
      ],
      env,
    );
    expect(practice.stderr).toBe('');
    expect(practice.code).toBe(0);
    expect(JSON.parse(practice.stdout)).toMatchObject({
      code: 'alpha',
      npi: '1234567893',
      writeOffThresholdCents: 25000,
    });

    const payer = await openrcm(
      ['payer', 'create', '--payer-id', '00431', '--name', 'Medicare Part B', '--type', 'medicare'],
      env,
    );
    expect(payer.code).toBe(0);
    expect(payer.stdout).toMatch(/TIMELY FILING DAYS\s+365/);

    const provider = await openrcm(
      [
        'provider',
        'create',
        '--practice',
        'alpha',
        '--npi',
        '1000000004',
        '--last-name',
        'Doe',
        '--first-name',
        'Jane',
        '--taxonomy',
        '207Q00000X',
      ],
      env,
    );
    expect(provider.code, provider.stderr).toBe(0);

    const list = await openrcm(['provider', 'list', '--practice', 'alpha', '--json'], env);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toMatchObject([
      { npi: '1000000004', lastName: 'Doe', firstName: 'Jane' },
    ]);

    const enroll = await openrcm(
      [
        'provider',
        'enroll',
        '--practice',
        'alpha',
        '--npi',
        '1000000004',
        '--payer',
        '00431',
        '--from',
        '2024-01-01',
      ],
      env,
    );
    expect(enroll.code, enroll.stderr).toBe(0);
    expect(enroll.stdout).toMatch(/STATUS\s+enrolled/);

    const table = await openrcm(['practice', 'list'], env);
    expect(table.code).toBe(0);
    const [header, row] = table.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^ID\s+CODE\s+NAME/);
    expect(row).toMatch(/alpha\s+Alpha Family Medicine/);
    // Columns are aligned: CODE starts at the same offset on both lines.
    expect(row?.indexOf('alpha')).toBe(header?.indexOf('CODE'));
  }, 180_000); // six CLI processes in a row: ~55 s on a loaded 2-core machine

  it('corrects a provider: provider update refuses a bad NPI, takes a good one and stamps updated_at', async () => {
    const [before] = JSON.parse(
      (await openrcm(['provider', 'list', '--practice', 'alpha', '--json'], env)).stdout,
    ) as { id: number; updatedAt: string }[];
    if (before === undefined) throw new Error('no provider');
    const bad = await openrcm(
      ['provider', 'update', String(before.id), '--practice', 'alpha', '--npi', '1000000005'],
      env,
    );
    expect(bad.code).toBe(2);
    expectOneErrorLine(bad);
    expect(bad.stderr).toContain('--npi: not a valid NPI');
    const good = await openrcm(
      ['--json', 'provider', 'update', String(before.id), '--practice', 'alpha', '--npi', '1245319599'],
      env,
    );
    expect(good.code, good.stderr).toBe(0);
    const after = JSON.parse(good.stdout) as { npi: string; lastName: string; updatedAt: string };
    expect(after).toMatchObject({ npi: '1245319599', lastName: 'Doe' });
    expect(after.updatedAt > before.updatedAt).toBe(true);
  });

  it('corrects the practice: practice update refuses a bad NPI or state, takes good values and stamps updated_at', async () => {
    const [before] = (
      JSON.parse((await openrcm(['practice', 'list', '--json'], env)).stdout) as {
        code: string;
        updatedAt: string;
      }[]
    ).filter((p) => p.code === 'alpha');
    if (before === undefined) throw new Error('no practice alpha');
    const badNpi = await openrcm(['practice', 'update', 'alpha', '--npi', '1000000005'], env);
    expect(badNpi.code).toBe(2);
    expectOneErrorLine(badNpi);
    expect(badNpi.stderr).toContain('--npi: not a valid NPI');
    const badState = await openrcm(['practice', 'update', 'alpha', '--state', 'ny'], env);
    expect(badState.code).toBe(2);
    expect(badState.stderr).toContain('--state: two capital letters');
    const nothing = await openrcm(['practice', 'update', 'alpha'], env);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('nothing to change');
    const good = await openrcm(
      [
        '--json',
        'practice',
        'update',
        'alpha',
        '--npi',
        '1245319599',
        '--tin',
        '12-3456789',
        '--address-line1',
        '12 MAIN ST',
        '--city',
        'ALBANY',
        '--state',
        'NY',
        '--postal-code',
        '12207',
      ],
      env,
    );
    expect(good.code, good.stderr).toBe(0);
    const after = JSON.parse(good.stdout) as Record<string, string>;
    expect(after).toMatchObject({
      code: 'alpha',
      npi: '1245319599',
      tin: '123456789',
      addressLine1: '12 MAIN ST',
      city: 'ALBANY',
      state: 'NY',
      postalCode: '12207',
    });
    expect((after['updatedAt'] ?? '') > before.updatedAt).toBe(true);
  });

  it('reports failures on one line with exit 1; --debug adds the stack', async () => {
    const dup = await openrcm(['practice', 'create', '--code', 'alpha', '--name', 'Again'], env);
    expect(dup.code).toBe(1);
    expectOneErrorLine(dup);
    expect(dup.stderr).toContain('already exists');

    const missing = await openrcm(['--debug', 'provider', 'list', '--practice', 'nope'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: no practice with code or id nope/);
    expect(missing.stderr).toMatch(/\n\s+at /);
  });

  it('db status shows every migration applied', async () => {
    const r = await openrcm(['db', 'status', '--json'], env);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { state: string }[];
    expect(rows.length).toBeGreaterThanOrEqual(5);
    expect(rows.every((s) => s.state === 'applied')).toBe(true);
  });
});
