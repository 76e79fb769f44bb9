import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, type Instant } from '@openrcm/core';
import { createTestDb, testDbKind, type TestDb } from '@openrcm/db/test-harness';
import { codesetsAdapter, importPath } from '@openrcm/engine';
import { generateToDirectory } from '@openrcm/sim';
import { serveClearinghouse, type ClearinghouseServer } from '@openrcm/sim/clearinghouse';
import type { LogValue } from '../jobs/context.ts';
import { JOB_NAMES } from '../jobs/registry.ts';
import { resolveWorkerConfig } from './config.ts';
import { startWorker, type RunningWorker } from './runner.ts';

// graphile-worker needs a PostgreSQL server (LISTEN/NOTIFY, its own schema): on the embedded database these
// tests are skipped, and `openrcm worker` refuses (see packages/cli/src/commands/worker.test.ts).
const onServer = testDbKind() === 'postgres';
const allOff = Object.fromEntries(JOB_NAMES.map((n) => [n, 'off']));
const submitter = {
  submitterName: 'OPENRCM TEST BILLING',
  submitterId: 'OPENRCM',
  contactName: 'BILLING DESK',
  contactPhone: '8005550100',
};

type Line = { event: string } & Record<string, LogValue>;

async function until<T>(
  what: string,
  fn: () => T | undefined | Promise<T | undefined>,
  ms: number,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!onServer)(
  'the worker on graphile-worker (PostgreSQL only: skipped on the embedded database)',
  () => {
    let db: TestDb;
    let dir: string;
    let server: ClearinghouseServer;
    const password = 'worker-test-secret';
    const lines: Line[] = [];
    let worker: RunningWorker | undefined;

    const start = async (schedules: Record<string, string>): Promise<RunningWorker> => {
      await worker?.stop();
      worker = await startWorker({
        connectionString: db.url ?? '',
        db,
        config: resolveWorkerConfig({
          concurrency: 2,
          pollIntervalMs: 300,
          outDir: dir,
          submitter,
          schedules: { ...allOff, ...schedules },
        }),
        // Claims are built and scrubbed as of a February morning (the generated January schedule).
        clock: fixedClock('2026-02-10T07:00:00.000Z' as Instant),
        env: { OPENRCM_CLEARINGHOUSE_SIM_PASSWORD: password },
        codeSets: codesetsAdapter(),
        log: (event, fields) => lines.push({ event, ...fields }),
        workerName: 'test',
      });
      return worker;
    };
    const addJob = async (task: string, payload: object, maxAttempts = 3): Promise<string> => {
      const r = await db.query<{ id: string }>(
        'SELECT (graphile_worker.add_job($1, $2::json, max_attempts => $3)).id::text AS id',
        [task, JSON.stringify(payload), maxAttempts],
      );
      return r.rows[0]?.id ?? '';
    };
    const doneOf = (id: string): Line | undefined =>
      lines.find((l) => l.event === 'job.done' && l['queueJobId'] === id);

    beforeAll(async () => {
      db = await createTestDb();
      dir = mkdtempSync(join(tmpdir(), 'openrcm-worker-'));
      const data = join(dir, 'data');
      generateToDirectory({ practices: 2, months: 1, seed: 11, startDate: '2026-01-05', volume: 0.05 }, data);
      const imported = await importPath(db, data);
      expect(imported.ok).toBe(true);
      server = await serveClearinghouse({
        root: join(dir, 'clearinghouse'),
        username: 'openrcm',
        password,
        seed: 11,
        dataDir: data,
        startDate: '2026-02-10',
        pollMs: 60_000,
      });
      const house = await db.query<{ id: number }>(
        `INSERT INTO clearinghouses (code, name, sender_id, receiver_id, usage_indicator, transport, settings)
       VALUES ('sim', 'OpenRCM simulated clearinghouse', 'OPENRCM', 'SIMCH', 'T', 'sftp', $1::jsonb) RETURNING id`,
        [JSON.stringify({ host: server.host, port: server.port, username: 'openrcm' })],
      );
      await db.query(`UPDATE payers SET clearinghouse_id = $1 WHERE submission_channel = 'electronic'`, [
        house.rows[0]?.id,
      ]);
    }, 120_000);

    afterAll(async () => {
      await worker?.stop();
      await server?.close();
      await db?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('two claims runs on one practice at once: the practice lock serialises them, every claim is built and sent once', async () => {
      await start({});
      const practice = (await db.query<{ id: number }>('SELECT id FROM practices ORDER BY id LIMIT 1'))
        .rows[0];
      if (practice === undefined) throw new Error('no practice');
      const a = await addJob('claims.daily', { practiceId: practice.id });
      const b = await addJob('claims.daily', { practiceId: practice.id });
      await until('both runs', () => (doneOf(a) && doneOf(b) ? true : undefined), 120_000);
      // Both were taken at once (concurrency 2): both started before either finished.
      const at = (event: string, id: string): number =>
        lines.findIndex((l) => l.event === event && l['queueJobId'] === id);
      expect(Math.max(at('job.start', a), at('job.start', b))).toBeLessThan(
        Math.min(at('job.done', a), at('job.done', b)),
      );
      expect(lines.filter((l) => l.event === 'job.failed')).toEqual([]);
      // One run did the work, the other found none; no encounter has two claims, no claim is in two sent batches.
      const built = [doneOf(a)?.['built'], doneOf(b)?.['built']].map(Number).sort((x, y) => x - y);
      expect(built[0]).toBe(0);
      expect(built[1]).toBeGreaterThan(0);
      const dup = await db.query<{ claims: number; sentTwice: number }>(
        `SELECT (SELECT count(*)::int FROM (SELECT encounter_id FROM claims WHERE practice_id = $1
                 GROUP BY encounter_id, responsibility HAVING count(*) > 1) x) AS claims,
              (SELECT count(*)::int FROM (
                 SELECT v.claim_id FROM batch_claims bc
                   JOIN submission_batches sb ON sb.practice_id = bc.practice_id AND sb.id = bc.batch_id AND sb.status = 'sent'
                   JOIN claim_versions v ON v.practice_id = bc.practice_id AND v.id = bc.claim_version_id
                  WHERE bc.practice_id = $1 GROUP BY v.claim_id HAVING count(*) > 1) y) AS "sentTwice"`,
        [practice.id],
      );
      expect(dup.rows[0]).toEqual({ claims: 0, sentTwice: 0 });
    }, 180_000);

    it('claims.daily fans out per practice, sends 837Ps over SFTP; the pickup ingests the 999s and 277CAs', async () => {
      const from = lines.length;
      const fan = await addJob('claims.daily', {});
      await until(
        'the fan-out',
        () => lines.find((l) => l.event === 'job.fanout' && l['queueJobId'] === fan),
        30_000,
      );
      // One job per practice, each run once.
      const perPractice = await until(
        'both practices',
        () => {
          const done = lines
            .slice(from)
            .filter((l) => l.event === 'job.practice' && l['job'] === 'claims.daily');
          return done.length >= 2 ? done : undefined;
        },
        90_000,
      );
      expect(perPractice.map((l) => l['practiceId']).sort()).toHaveLength(2);
      // Each practice has sent 837Ps (the first one in the test before, the second one now).
      const sent = await db.query<{ n: number }>(
        `SELECT count(DISTINCT practice_id)::int AS n FROM submission_batches WHERE status = 'sent'`,
      );
      expect(sent.rows[0]?.n).toBe(2);

      // The clearinghouse answers every 837P with a 999 and a 277CA, in its outbound folder.
      await server.processInbound();
      const waiting = readdirSync(join(dir, 'clearinghouse', 'outbound')).filter((f) => !f.startsWith('.'));
      expect(waiting.length).toBeGreaterThanOrEqual(2);
      const pickup = await addJob('clearinghouse.pickup', {});
      const done = await until('the pickup', () => doneOf(pickup), 60_000);
      expect(done['files']).toBe(waiting.length);
      expect(done['999'] ?? 0).toBeGreaterThan(0);
      expect(done['277CA'] ?? 0).toBeGreaterThan(0);
      // Ingested (acknowledgement rows, claims moved on) and acknowledged (gone from the clearinghouse).
      const acks = await db.query<{ kind: string; n: number }>(
        'SELECT ack_type AS kind, count(*)::int AS n FROM acknowledgements GROUP BY ack_type ORDER BY 1',
      );
      expect(acks.rows.map((r) => r.kind)).toEqual(expect.arrayContaining(['999', '277CA']));
      const moved = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM claims WHERE status IN ('accepted', 'rejected')`,
      );
      expect(moved.rows[0]?.n ?? 0).toBeGreaterThan(0);
      expect(readdirSync(join(dir, 'clearinghouse', 'outbound')).filter((f) => !f.startsWith('.'))).toEqual(
        [],
      );
    }, 180_000);

    it('a failing job is retried: intake.import of a drop folder that appears after the first attempt', async () => {
      const drop = join(dir, 'late-drop');
      const id = await addJob('intake.import', { path: drop }, 3);
      const failed = await until(
        'the first failure',
        () => lines.find((l) => l.event === 'job.failed' && l['queueJobId'] === id),
        30_000,
      );
      expect(failed['attempt']).toBe(1);
      mkdirSync(drop, { recursive: true });
      // graphile-worker's back-off: the second attempt about e¹ ≈ 2.7 s later.
      const done = await until('the retry', () => doneOf(id), 30_000);
      const started = lines.filter((l) => l.event === 'job.start' && l['queueJobId'] === id);
      expect(started.map((l) => l['attempt'])).toEqual([1, 2]);
      expect(done['files']).toBe(0);
      const left = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE id = $1',
        [id],
      );
      expect(left.rows[0]?.n).toBe(0);
    }, 60_000);

    it('stopping while a job runs lets it finish: done before stopped, nothing left in the queue', async () => {
      const w = await start({});
      const from = lines.length;
      const id = await addJob('reports.monthly', { month: '2026-01' });
      await until(
        'the job to start',
        () => lines.slice(from).find((l) => l.event === 'job.start' && l['queueJobId'] === id),
        30_000,
      );
      await w.stop();
      const events = lines.slice(from).map((l) => `${l.event}${l['queueJobId'] === id ? ':job' : ''}`);
      expect(events.indexOf('job.done:job')).toBeGreaterThan(-1);
      expect(events.indexOf('job.done:job')).toBeLessThan(events.indexOf('worker.stopped'));
      const left = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE id = $1',
        [id],
      );
      expect(left.rows[0]?.n).toBe(0);
    }, 90_000);

    it('a cron schedule fires: db.analyze every minute is queued and run at the next minute boundary', async () => {
      const before = lines.length;
      await start({ 'db.analyze': '* * * * *' });
      const fired = await until(
        'the scheduled run',
        () => lines.slice(before).find((l) => l.event === 'job.done' && l['job'] === 'db.analyze'),
        75_000,
      );
      expect(typeof fired['tables']).toBe('number');
    }, 90_000);
  },
);
