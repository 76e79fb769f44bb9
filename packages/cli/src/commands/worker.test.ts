import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, prepareDataDir, testDbKind, type TestDb } from '@openrcm/db/test-harness';
import { JOB_NAMES } from '@openrcm/worker';
import { COMMANDS, run } from '../index.ts';

const dir = mkdtempSync(join(tmpdir(), 'openrcm-cli-worker-'));
const bin = new URL('../../bin/openrcm.mjs', import.meta.url).pathname;
let db: TestDb | undefined;

beforeAll(async () => {
  if (testDbKind() === 'postgres') db = await createTestDb();
  else await prepareDataDir(join(dir, 'data'));
}, 120_000);

afterAll(async () => {
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function openrcm(
  env: Record<string, string>,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    commands: COMMANDS,
    env,
    stdout: { write: (t) => void (stdout += t) },
    stderr: { write: (t) => void (stderr += t) },
  });
  return { code, stdout, stderr };
}

/** This test file's database: the server one (DATABASE_URL) or an embedded data directory. */
const where = (): { env: Record<string, string>; args: string[] } =>
  db?.url != null
    ? { env: { DATABASE_URL: db.url }, args: [] }
    : { env: {}, args: ['--data-dir', join(dir, 'data')] };

describe('openrcm worker and openrcm job', () => {
  it('worker refuses the embedded database with a clear message (usage error, exit 2)', async () => {
    const r = await openrcm({}, '--data-dir', join(dir, 'data'), 'worker');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/needs a PostgreSQL server: set DATABASE_URL/);
    expect(r.stderr).toMatch(/worker\.needs_postgres/);
  });

  it('a malformed schedule is a usage error naming the flag and the job', async () => {
    const r = await openrcm(
      { DATABASE_URL: 'postgres://127.0.0.1:1/none' },
      'worker',
      '--schedule',
      'claims.daily=61 7 * * *',
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--schedule: schedules\.claims\.daily: not a crontab pattern/);
  });

  it('job list: every registered job with its default schedule, or the config file’s', async () => {
    const cfg = join(dir, 'list.json');
    writeFileSync(
      cfg,
      JSON.stringify({ schedules: { 'claims.daily': '30 6 * * 1-5', 'db.analyze': 'off' } }),
    );
    const r = await openrcm({}, '--json', 'job', 'list', '--config', cfg);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { name: string; schedule: string }[];
    expect(rows.map((x) => x.name)).toEqual(JOB_NAMES);
    const by = Object.fromEntries(rows.map((x) => [x.name, x.schedule]));
    expect(by).toMatchObject({
      'eligibility.nightly': '0 22 * * 1-5',
      'claims.daily': '30 6 * * 1-5',
      'db.analyze': 'on demand',
      'reports.monthly': '0 5 1 * *',
    });
  });

  it('job run: one job now, on this database; an unknown job or a misplaced --practice is a usage error', async () => {
    const { env, args } = where();
    const ok = await openrcm(env, ...args, '--json', 'job', 'run', 'db.analyze');
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ job: 'db.analyze', tables: expect.any(Number) as number });
    const claims = await openrcm(env, ...args, '--json', 'job', 'run', 'claims.daily');
    expect(claims.code).toBe(0);
    expect(JSON.parse(claims.stdout)).toMatchObject({ job: 'claims.daily', practices: 0 });
    const unknown = await openrcm(env, ...args, 'job', 'run', 'claims.weekly');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no job named claims\.weekly/);
    const misplaced = await openrcm(env, ...args, 'job', 'run', 'db.analyze', '--practice', 'pr001');
    expect(misplaced.code).toBe(2);
  }, 60_000);
});

// Two real worker processes on one database (PostgreSQL only: graphile-worker needs the server).
describe.skipIf(testDbKind() !== 'postgres')(
  'two `openrcm worker` processes on one database (skipped on the embedded database: no job queue there)',
  () => {
    type Line = { event: string; queueJobId?: string; job?: string; worker?: string };
    const children: { proc: ChildProcess; lines: Line[]; exit: Promise<number | null> }[] = [];

    const startChild = (name: string, cfg: string): (typeof children)[number] => {
      const proc = spawn(process.execPath, [bin, 'worker', '--config', cfg], {
        env: { ...process.env, DATABASE_URL: db?.url ?? '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const lines: Line[] = [];
      let buf = '';
      proc.stdout?.on('data', (d: Buffer) => {
        buf += d.toString('utf8');
        for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
          lines.push({ ...(JSON.parse(buf.slice(0, nl)) as Line), worker: name });
          buf = buf.slice(nl + 1);
        }
      });
      proc.stderr?.on('data', (d: Buffer) => process.stderr.write(`[${name}] ${d.toString('utf8')}`));
      const exit = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
      const child = { proc, lines, exit };
      children.push(child);
      return child;
    };

    afterAll(async () => {
      for (const c of children) if (c.proc.exitCode === null) c.proc.kill('SIGKILL');
      await Promise.all(children.map((c) => c.exit));
    });

    const until = async <T>(what: string, fn: () => T | undefined, ms: number): Promise<T> => {
      const end = Date.now() + ms;
      for (;;) {
        const v = fn();
        if (v !== undefined) return v;
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };

    it('pull the same queue: each job runs exactly once; SIGTERM stops both gracefully', async () => {
      if (db === undefined) throw new Error('no server database');
      const cfg = join(dir, 'worker.json');
      writeFileSync(
        cfg,
        JSON.stringify({
          concurrency: 2,
          pollIntervalMs: 500,
          outDir: dir,
          schedules: Object.fromEntries(JOB_NAMES.map((n) => [n, 'off'])),
        }),
      );
      const a = startChild('a', cfg);
      const b = startChild('b', cfg);
      await until(
        'both workers',
        () =>
          a.lines.some((l) => l.event === 'worker.started') &&
          b.lines.some((l) => l.event === 'worker.started')
            ? true
            : undefined,
        90_000,
      );
      // 60 jobs at once into the queue both are listening on: pickups (no clearinghouse configured: nothing to
      // fetch) and ANALYZEs.
      const added = await db.query<{ id: string }>(
        `SELECT (graphile_worker.add_job(CASE WHEN i % 4 = 0 THEN 'db.analyze' ELSE 'clearinghouse.pickup' END, '{}'::json)).id::text AS id
           FROM generate_series(1, 60) AS i`,
      );
      const ids = added.rows.map((r) => r.id).sort();
      expect(ids).toHaveLength(60);
      const done = (): Line[] => [...a.lines, ...b.lines].filter((l) => l.event === 'job.done');
      await until('all 60 jobs', () => (done().length >= 60 ? true : undefined), 120_000);
      // A moment for any duplicate run to show up before counting.
      await new Promise((r) => setTimeout(r, 1500));
      const ran = done()
        .map((l) => l.queueJobId ?? '')
        .sort();
      expect(ran).toEqual(ids);
      expect(new Set(ran).size).toBe(60);
      const left = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM graphile_worker.jobs');
      expect(left.rows[0]?.n).toBe(0);
      // Both took part (each logs the jobs it ran under its own name).
      const byWorker = {
        a: a.lines.filter((l) => l.event === 'job.done').length,
        b: b.lines.filter((l) => l.event === 'job.done').length,
      };
      expect(byWorker.a).toBeGreaterThan(0);
      expect(byWorker.b).toBeGreaterThan(0);

      a.proc.kill('SIGTERM');
      b.proc.kill('SIGTERM');
      expect(await a.exit).toBe(0);
      expect(await b.exit).toBe(0);
      for (const c of [a, b])
        expect(c.lines.map((l) => l.event)).toEqual(
          expect.arrayContaining(['worker.signal', 'worker.stopped']),
        );
    }, 240_000);
  },
);
