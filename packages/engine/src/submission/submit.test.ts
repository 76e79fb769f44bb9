import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMillis, type CalendarDate, type Instant } from '@openrcm/core';
import { practiceScope, type PracticeScope } from '@openrcm/db';
import { createTestDb, type TestDb } from '@openrcm/db/test-harness';
import { generateToDirectory } from '@openrcm/sim';
import { serveClearinghouse, type ClearinghouseServer } from '@openrcm/sim/clearinghouse';
import { read837P } from '@openrcm/x12/837p';
import { buildClaims } from '../claims/build.ts';
import { importPath } from '../intake/import.ts';
import { codesetsAdapter } from '../scrubber/codesets-adapter.ts';
import { scrubClaims } from '../scrubber/run.ts';
import {
  BACKOFF_MINUTES,
  describeTransportError,
  listBatches,
  nextAttemptAt,
  submitReadyClaims,
} from './submit.ts';
import { sftpTransport, transportError, type ClearinghouseTransport } from './transport.ts';

/**
 * Submission with retries (issue 5 §5) against the simulated clearinghouse behind its real SFTP server: a
 * transport that dies partway leaves nothing marked sent, the batch waits for its backoff, and the
 * clearinghouse receives every claim exactly once.
 */

let db: TestDb;
let dataDir: string;
let chRoot: string;
let server: ClearinghouseServer;
let scope: PracticeScope;
let houseId: number;
const password = 'submit-test-secret';
const parties = {
  submitterName: 'OPENRCM TEST BILLING',
  submitterId: 'OPENRCM',
  contactName: 'BILLING DESK',
  contactPhone: '8005550100',
  receiverName: 'SIM',
  receiverId: 'SIMCH',
};
const t0 = '2026-02-09T07:00:00.000Z' as Instant;
const minutes = (at: Instant, n: number): Instant => addMillis(at, n * 60_000);

/** A TCP relay in front of the SFTP server that can cut the connection after N bytes from the client. */
function relay(
  targetPort: number,
): Promise<{ port: number; cutAfter: { bytes: number }; close(): Promise<void> }> {
  const cutAfter = { bytes: Number.POSITIVE_INFINITY };
  const sockets = new Set<Socket>();
  const srv: Server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    let forwarded = 0;
    const limit = cutAfter.bytes;
    client.on('data', (chunk: Buffer) => {
      forwarded += chunk.length;
      if (forwarded > limit) {
        // The line drops mid-upload: part of the data went through, the rest never arrives.
        upstream.write(chunk.subarray(0, Math.max(0, chunk.length - (forwarded - limit))));
        client.destroy();
        upstream.destroy();
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    for (const s of [client, upstream]) {
      s.on('error', () => undefined);
      s.on('close', () => {
        sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
  });
  return new Promise((resolve) => {
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      resolve({
        port: typeof address === 'object' && address !== null ? address.port : 0,
        cutAfter,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            srv.close(() => done());
          }),
      });
    });
  });
}

async function readyClaims(): Promise<number> {
  const r = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM claims c JOIN payers p ON p.id = c.payer_id
      WHERE c.practice_id = $1 AND c.status = 'ready' AND p.submission_channel = 'electronic'`,
    [scope.practiceId],
  );
  return r.rows[0]?.n ?? 0;
}

async function batches(): Promise<
  {
    id: number;
    status: string;
    attempts: number;
    next: string | null;
    last_error: string | null;
    items: number;
  }[]
> {
  const r = await db.query<{
    id: number;
    status: string;
    attempts: number;
    next: string | null;
    last_error: string | null;
    items: number;
  }>(
    `SELECT id, status, attempts, item_count AS items, last_error,
            to_char(next_attempt_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS next
       FROM submission_batches WHERE practice_id = $1 AND transaction_type = '837P' ORDER BY id`,
    [scope.practiceId],
  );
  return r.rows;
}

/** Claims the simulated clearinghouse has received, counted by CLM01 over its archive. */
function claimsAtClearinghouse(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const f of readdirSync(join(chRoot, 'archive'))) {
    const text = readFileSync(join(chRoot, 'archive', f), 'latin1');
    for (const m of text.matchAll(/(?:^|~|\n)CLM\*([^*~]+)\*/g)) {
      const id = m[1] ?? '';
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
  }
  return counts;
}

beforeAll(async () => {
  db = await createTestDb();
  dataDir = mkdtempSync(join(tmpdir(), 'openrcm-submit-data-'));
  chRoot = mkdtempSync(join(tmpdir(), 'openrcm-submit-ch-'));
  generateToDirectory({ practices: 1, months: 1, seed: 23, startDate: '2026-01-01', volume: 0.4 }, dataDir);
  const imp = await importPath(db, dataDir);
  expect(imp.ok).toBe(true);
  server = await serveClearinghouse({
    root: chRoot,
    username: 'openrcm',
    password,
    seed: 23,
    dataDir,
    startDate: '2026-02-09',
  });
  const house = await db.query<{ id: number }>(
    `INSERT INTO clearinghouses (code, name, sender_id, receiver_id, usage_indicator, transport, settings)
     VALUES ('sim', 'SIM CLEARINGHOUSE', 'OPENRCM', 'SIMCH', 'T', 'sftp', '{}'::jsonb) RETURNING id`,
  );
  houseId = house.rows[0]?.id ?? 0;
  await db.query(`UPDATE payers SET clearinghouse_id = $1 WHERE submission_channel = 'electronic'`, [
    houseId,
  ]);
  const p = await db.query<{ id: number }>('SELECT id FROM practices');
  scope = practiceScope(p.rows[0]?.id ?? 0);
  await buildClaims(db, scope, { at: t0 });
  await scrubClaims(db, scope, { asOf: '2026-02-09' as CalendarDate, at: t0, codeSets: codesetsAdapter() });
  expect(await readyClaims()).toBeGreaterThan(20);
}, 120_000);

afterAll(async () => {
  await server.close();
  await db.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(chRoot, { recursive: true, force: true });
});

describe('the backoff schedule', () => {
  it('waits 5 min, 15 min, 1 h, 4 h after the 1st to 4th failure, then every 4 h', () => {
    const at = '2026-03-01T10:00:00.000Z' as Instant;
    expect(BACKOFF_MINUTES).toEqual([5, 15, 60, 240]);
    expect([1, 2, 3, 4, 5, 9].map((n) => nextAttemptAt(at, n))).toEqual([
      '2026-03-01T10:05:00.000Z',
      '2026-03-01T10:15:00.000Z',
      '2026-03-01T11:00:00.000Z',
      '2026-03-01T14:00:00.000Z',
      '2026-03-01T14:00:00.000Z',
      '2026-03-01T14:00:00.000Z',
    ]);
  });

  it('records a registered error with its code, and of a foreign error only its kind (no message that could hold data)', () => {
    expect(describeTransportError(transportError('transport.unavailable', 'an SFTP operation failed'))).toBe(
      'transport.unavailable: an SFTP operation failed',
    );
    const foreign = Object.assign(new Error('write EPIPE while sending DOE^JOHN'), { code: 'EPIPE' });
    expect(describeTransportError(foreign)).toBe('Error EPIPE');
  });
});

describe('submission over SFTP with transport failures', () => {
  it('an upload that dies partway marks nothing sent; the batch is retried per the backoff and each claim arrives once', async () => {
    const expected = await readyClaims();
    // Attempt 1 (t0): the transport writes part of the file into the clearinghouse's inbound folder, then dies.
    const partial: ClearinghouseTransport = {
      send: (name, content) => {
        writeFileSync(join(chRoot, 'inbound', `.${name}.part`), content.slice(0, content.length / 2));
        return Promise.reject(transportError('transport.unavailable', 'the connection dropped mid-upload'));
      },
      list: () => Promise.resolve([]),
      fetch: () => Promise.reject(new Error('not used')),
      acknowledge: () => Promise.resolve(),
      close: () => Promise.resolve(),
    };
    const first = await submitReadyClaims(db, scope, {
      at: t0,
      transports: new Map([[houseId, partial]]),
      parties,
    });
    expect(first).toMatchObject({ batches: 0, claims: 0, queued: 1, waiting: 0 });
    expect(first.failed).toEqual([
      expect.objectContaining({
        attempts: 1,
        claims: expected,
        error: 'transport.unavailable: the connection dropped mid-upload',
        nextAttemptAt: minutes(t0, 5),
      }),
    ]);
    expect(await readyClaims()).toBe(expected);
    let [b] = await batches();
    expect(b).toMatchObject({ status: 'queued', attempts: 1, next: minutes(t0, 5), items: expected });
    const submittedHistory = async (): Promise<number> =>
      (
        await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM claim_status_history WHERE practice_id = $1 AND to_status = 'submitted'`,
          [scope.practiceId],
        )
      ).rows[0]?.n ?? 0;
    expect(await submittedHistory()).toBe(0);
    await server.processInbound();
    expect(claimsAtClearinghouse().size).toBe(0);

    // Attempt 2 (t0 + 5 min) through a relay that cuts the real SFTP connection after 30 kB of upload.
    const cut = await relay(server.port);
    cut.cutAfter.bytes = 30_000;
    const viaRelay = sftpTransport({
      host: '127.0.0.1',
      port: cut.port,
      username: 'openrcm',
      password,
      timeoutMs: 5000,
    });
    // Before the backoff has run out nothing is attempted.
    const early = await submitReadyClaims(db, scope, {
      at: minutes(t0, 4),
      transports: new Map([[houseId, viaRelay]]),
      parties,
    });
    expect(early).toMatchObject({ batches: 0, queued: 0, waiting: 1, failed: [] });
    const second = await submitReadyClaims(db, scope, {
      at: minutes(t0, 5),
      transports: new Map([[houseId, viaRelay]]),
      parties,
    });
    await viaRelay.close();
    await cut.close();
    expect(second.batches).toBe(0);
    expect(second.failed).toEqual([
      expect.objectContaining({ attempts: 2, nextAttemptAt: minutes(t0, 5 + 15) }),
    ]);
    expect(second.failed[0]?.error).toMatch(/^transport\.unavailable: /);
    [b] = await batches();
    expect(b).toMatchObject({ status: 'queued', attempts: 2, next: minutes(t0, 20) });
    // What `openrcm claims batches` shows a biller: the batch waits, with its next attempt and why.
    const [listed] = await listBatches(db, scope, { status: 'queued' });
    expect(listed).toMatchObject({
      clearinghouse: 'sim',
      claims: expected,
      attempts: 2,
      sent_at: null,
      next_attempt_at: '2026-02-09T07:20:00Z',
    });
    expect(listed?.last_error).toMatch(/^transport\.unavailable: /);
    expect(await readyClaims()).toBe(expected);
    await server.processInbound();
    expect(claimsAtClearinghouse().size).toBe(0);

    // Attempt 3 (t0 + 20 min) over a healthy connection: sent once, every claim submitted.
    const direct = sftpTransport({ host: server.host, port: server.port, username: 'openrcm', password });
    const third = await submitReadyClaims(db, scope, {
      at: minutes(t0, 20),
      transports: new Map([[houseId, direct]]),
      parties,
    });
    expect(third).toMatchObject({ batches: 1, claims: expected, failed: [], queued: 0 });
    [b] = await batches();
    expect(b).toMatchObject({ status: 'sent', attempts: 3, last_error: null, next: null });
    expect(await readyClaims()).toBe(0);
    expect(await submittedHistory()).toBe(expected);

    // A later run finds nothing to send: the claim versions already belong to a sent batch.
    const again = await submitReadyClaims(db, scope, {
      at: minutes(t0, 300),
      transports: new Map([[houseId, direct]]),
      parties,
    });
    expect(again).toMatchObject({ batches: 0, queued: 0, failed: [] });
    await direct.close();

    await server.processInbound();
    const received = claimsAtClearinghouse();
    expect(received.size).toBe(expected);
    expect([...received.values()].every((n) => n === 1)).toBe(true);
    expect(server.clearinghouse.stats.claimsReceived).toBe(expected);
  }, 120_000);

  it('one claim version can never belong to two batches until the clearinghouse rejects it (the idempotency key)', async () => {
    const sent = await db.query<{ batch_id: number; claim_version_id: number }>(
      `SELECT batch_id, claim_version_id FROM batch_claims WHERE practice_id = $1 LIMIT 1`,
      [scope.practiceId],
    );
    const row = sent.rows[0];
    expect(row).toBeDefined();
    const other = await db.query<{ id: number }>(
      `INSERT INTO submission_batches (practice_id, clearinghouse_id, transaction_type, status, created_at)
       VALUES ($1, $2, '837P', 'queued', $3) RETURNING id`,
      [scope.practiceId, houseId, t0],
    );
    await expect(
      db.query(
        `INSERT INTO batch_claims (practice_id, batch_id, claim_version_id, st_control_number) VALUES ($1, $2, $3, '0001')`,
        [scope.practiceId, other.rows[0]?.id, row?.claim_version_id],
      ),
    ).rejects.toThrow(/batch_claims_idempotency_key_key/);
    // Once the clearinghouse rejected that version, the fixed claim may go out once more, under the next key.
    await db.query(
      `INSERT INTO claim_status_history (practice_id, claim_id, claim_version_id, from_status, to_status, at, actor, reason)
       SELECT practice_id, claim_id, id, 'submitted', 'rejected', $2, 'clearinghouse:test', '277CA A7 21' FROM claim_versions WHERE id = $1`,
      [row?.claim_version_id, t0],
    );
    const resent = await db.query<{ key: string }>(
      `INSERT INTO batch_claims (practice_id, batch_id, claim_version_id, st_control_number) VALUES ($1, $2, $3, '0001')
       RETURNING idempotency_key AS key`,
      [scope.practiceId, other.rows[0]?.id, row?.claim_version_id],
    );
    expect(resent.rows[0]?.key).toBe(`${String(row?.claim_version_id)}/1`);
    await db.query(`DELETE FROM batch_claims WHERE batch_id = $1`, [other.rows[0]?.id]);
    await db.query(`UPDATE submission_batches SET status = 'cancelled' WHERE id = $1`, [other.rows[0]?.id]);
  });
});

describe('large batches and claims that leave ready', () => {
  it('splits a batch into transaction sets (lowered limit), drops a claim re-held while queued, and records each ST02', async () => {
    // Re-open some claims: a new scrub of the drafts makes them ready again with their current version, which
    // was sent; so they are given new versions the way a resubmission would be (a new claim version).
    const pick = await db.query<{ id: number }>(
      `SELECT id FROM claims WHERE practice_id = $1 AND status = 'submitted' ORDER BY id LIMIT 7`,
      [scope.practiceId],
    );
    const ids = pick.rows.map((r) => r.id);
    await db.query(
      `INSERT INTO claim_versions (practice_id, claim_id, version_no, kind, frequency_code, total_charge_cents, diagnosis_codes,
                                   service_date_from, service_date_to, place_of_service, created_at, created_by)
       SELECT practice_id, claim_id, version_no + 1, kind, frequency_code, total_charge_cents, diagnosis_codes,
              service_date_from, service_date_to, place_of_service, $2, 'test'
         FROM claim_versions WHERE practice_id = $1 AND claim_id = ANY($3::bigint[])`,
      [scope.practiceId, t0, ids],
    );
    await db.query(
      `INSERT INTO claim_lines (practice_id, claim_version_id, claim_id, charge_id, line_number, line_control_number, procedure_code,
                                modifiers, units, charge_cents, diagnosis_pointers, service_date_from, service_date_to, place_of_service)
       SELECT l.practice_id, v2.id, l.claim_id, l.charge_id, l.line_number, 'R' || l.id, l.procedure_code, l.modifiers, l.units,
              l.charge_cents, l.diagnosis_pointers, l.service_date_from, l.service_date_to, l.place_of_service
         FROM claim_lines l
         JOIN claim_versions v1 ON v1.id = l.claim_version_id AND v1.version_no = 1
         JOIN claim_versions v2 ON v2.claim_id = l.claim_id AND v2.version_no = 2
        WHERE l.practice_id = $1 AND l.claim_id = ANY($2::bigint[])`,
      [scope.practiceId, ids],
    );
    await db.query(`UPDATE claims SET status = 'ready' WHERE practice_id = $1 AND id = ANY($2::bigint[])`, [
      scope.practiceId,
      ids,
    ]);
    // Queue them while the clearinghouse is unreachable.
    const down: ClearinghouseTransport = {
      send: () => Promise.reject(transportError('transport.unavailable', 'connection refused')),
      list: () => Promise.resolve([]),
      fetch: () => Promise.reject(new Error('not used')),
      acknowledge: () => Promise.resolve(),
      close: () => Promise.resolve(),
    };
    const at = minutes(t0, 600);
    const failedRun = await submitReadyClaims(db, scope, {
      at,
      transports: new Map([[houseId, down]]),
      parties,
    });
    expect(failedRun.failed).toHaveLength(1);
    expect(failedRun.failed[0]?.claims).toBe(7);
    // Meanwhile one claim is held again (e.g. a fix re-scrubbed): it must not go out with the batch.
    const heldId = ids[0] ?? 0;
    await db.query(`UPDATE claims SET status = 'held', hold_reason = 'scrubber' WHERE id = $1`, [heldId]);

    let file = '';
    const direct = sftpTransport({ host: server.host, port: server.port, username: 'openrcm', password });
    const sent = await submitReadyClaims(db, scope, {
      at: minutes(at, 5),
      transports: new Map([[houseId, direct]]),
      parties,
      maxClaimsPerTransaction: 2,
      onSent: (_name, content) => {
        file = content;
      },
    });
    await direct.close();
    expect(sent).toMatchObject({ batches: 1, claims: 6, skippedClaims: 1 });
    const read = read837P(file);
    expect(read.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(read.value.transactions.map((t) => t.claims.length)).toEqual([2, 2, 2]);
    const stInFile = read.value.transactions.map((t) => t.controlNumber);
    const rows = await db.query<{ st: string; claim_id: number }>(
      `SELECT bc.st_control_number AS st, v.claim_id FROM batch_claims bc
         JOIN claim_versions v ON v.id = bc.claim_version_id
         JOIN submission_batches b ON b.id = bc.batch_id
        WHERE b.practice_id = $1 AND b.status = 'sent' AND b.sent_at = $2 ORDER BY v.claim_id`,
      [scope.practiceId, minutes(at, 5)],
    );
    expect(rows.rows.map((r) => r.claim_id)).toEqual(ids.slice(1));
    expect([...new Set(rows.rows.map((r) => r.st))]).toEqual(stInFile);
    const held = await db.query<{ status: string }>(`SELECT status FROM claims WHERE id = $1`, [heldId]);
    expect(held.rows[0]?.status).toBe('held');

    await server.processInbound();
    const received = claimsAtClearinghouse();
    for (const id of ids.slice(1)) expect(received.get(String(id))).toBe(2);
    expect(received.get(String(heldId))).toBe(1);
  }, 120_000);
});
