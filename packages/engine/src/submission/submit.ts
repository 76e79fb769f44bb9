import { createHash } from 'node:crypto';
import { addMillis, isOpenRcmError, type Instant } from '@openrcm/core';
import type { Db, PracticeScope } from '@openrcm/db';
import { MAX_CLAIMS_PER_TRANSACTION, split837PBatch, write837P } from '@openrcm/x12/837p';
import { loadClaims } from '../claims/load.ts';
import { toBatch837P, type BatchParties } from './to837p.ts';
import type { ClearinghouseTransport } from './transport.ts';

/**
 * Submission (issue 5 §5): the practice's `ready` claims to electronic payers go into one 837P interchange per
 * clearinghouse, with ISA13/GS06 control numbers from database sequences, sent through that clearinghouse's
 * transport (SFTP, folder drop, in-process).
 *
 * Two steps, each its own transaction:
 * 1. Queue: the ready claims' current versions that are in no batch yet are recorded in a new `queued` batch
 *    (batch_claims). Each row carries the idempotency key '<claim version id>/<rejections of that version>'
 *    (set by the database, unique per practice, migration 0010): a claim version belongs to one batch only —
 *    never to two sent batches — until the clearinghouse rejects it, after which the fixed claim may go once more.
 * 2. Send every queued batch that is due (`next_attempt_at <= at`, the injected clock). Before sending, a claim
 *    that left `ready` meanwhile (re-scrubbed and held, corrected to a new version) is dropped from the batch. Only
 *    after the transport confirmed the complete file does the batch become `sent` and its claims `submitted`. A
 *    failed transport leaves the batch `queued` and its claims `ready`, records the attempt, the error (code and a
 *    message without patient data) and the next attempt from `BACKOFF_MINUTES`; nothing is marked sent.
 *
 * A batch of more than `maxClaimsPerTransaction` claims (5,000, the TR3's recommendation) is written as several
 * transaction sets in the one interchange (`split837PBatch`); ST02 numbers the sets from one sequence value.
 * A retry writes the same claim versions with the same ISA13/GS06, so a clearinghouse that did get an earlier
 * attempt can recognise the interchange as a duplicate.
 */

/**
 * Minutes to wait after the n-th failed attempt (n = 1, 2, ...): 5 min, 15 min, 1 h, 4 h, then every 4 h.
 * A batch is never given up: it stays queued (and visible in `openrcm claims batches`) until it is sent.
 */
export const BACKOFF_MINUTES: readonly number[] = [5, 15, 60, 240];

/** Claims per batch (one file) unless told otherwise: four transaction sets of 5,000. */
export const MAX_CLAIMS_PER_BATCH = 20_000;

/** An attempt older than this is considered dead (the process died mid-send) and is taken over. */
export const SEND_LEASE_MINUTES = 15;

/** When the attempt after `attempts` failed attempts is due. */
export function nextAttemptAt(failedAt: Instant, attempts: number): Instant {
  const last = BACKOFF_MINUTES[BACKOFF_MINUTES.length - 1] ?? 240;
  const minutes = attempts < 1 ? 0 : (BACKOFF_MINUTES[attempts - 1] ?? last);
  return addMillis(failedAt, minutes * 60_000);
}

/** The error a batch records: its registered code and message (PHI-free by rule), or only the error's kind. */
export function describeTransportError(e: unknown): string {
  if (isOpenRcmError(e)) return `${e.code}: ${e.message}`.slice(0, 500);
  if (e instanceof Error) {
    // A foreign error's message is not ours to vouch for: keep its class and errno code only.
    const code = (e as NodeJS.ErrnoException).code;
    return `${e.name}${typeof code === 'string' ? ` ${code}` : ''}`.slice(0, 500);
  }
  return 'unknown error';
}

export interface FailedBatch {
  readonly batchId: number;
  readonly clearinghouseId: number;
  readonly claims: number;
  readonly attempts: number;
  readonly error: string;
  readonly nextAttemptAt: Instant;
}

export interface SubmitResult {
  /** Batches sent by this run. */
  readonly batches: number;
  /** Claims sent by this run. */
  readonly claims: number;
  readonly files: readonly string[];
  /** Ready claims to paper-only payers: printed (CMS-1500), not sent electronically. */
  readonly paperClaims: number;
  /** Batches queued by this run (new claims). */
  readonly queued: number;
  /** Batches whose send failed in this run: still queued, with their next attempt. */
  readonly failed: readonly FailedBatch[];
  /** Queued batches not yet due (waiting for their backoff). */
  readonly waiting: number;
  /** Claims dropped from a batch before sending because they were no longer ready (or already sent). */
  readonly skippedClaims: number;
}

export interface SubmitOptions {
  readonly at: Instant;
  readonly transports: ReadonlyMap<number, ClearinghouseTransport>;
  readonly parties: BatchParties;
  readonly actor?: string;
  /** Called with every file sent (the demo keeps a copy). */
  readonly onSent?: (name: string, content: string) => void;
  /** Claims per 837P transaction set (default 5,000); larger batches are split into several sets. */
  readonly maxClaimsPerTransaction?: number;
  /** Claims per batch (one interchange, one file; default 20,000), which bounds a file's size and memory. */
  readonly maxClaimsPerBatch?: number;
}

type ClearinghouseRow = {
  code: string;
  name: string;
  sender_qualifier: string;
  sender_id: string;
  receiver_qualifier: string;
  receiver_id: string;
  usage_indicator: string;
};

type DueBatch = { id: number; clearinghouse_id: number; isa: number; gs: number; created: string };

/**
 * Step 1: records the ready claims' current versions that are in no batch yet in queued batches — per
 * clearinghouse, at most `perBatch` claims each. ST02 is planned here: one sequence value numbers the batch's
 * transaction sets (unique within its functional group), `perTransaction` claims per set, in claim order.
 */
async function queueReadyClaims(
  db: Db,
  scope: PracticeScope,
  at: Instant,
  perBatch: number,
  perTransaction: number,
): Promise<{ queued: number; paperClaims: number }> {
  return db.transaction(async (tx) => {
    const ready = await tx.query<{
      id: number;
      version_id: number;
      clearinghouse_id: number | null;
      channel: string;
    }>(
      `SELECT c.id, v.id AS version_id, p.clearinghouse_id, p.submission_channel AS channel
         FROM claims c
         JOIN payers p ON p.id = c.payer_id
         JOIN LATERAL (SELECT cv.id FROM claim_versions cv WHERE cv.claim_id = c.id
                        ORDER BY cv.version_no DESC LIMIT 1) v ON true
        WHERE c.practice_id = $1 AND c.status = 'ready'
          AND NOT EXISTS (SELECT 1 FROM batch_claims bc WHERE bc.practice_id = c.practice_id AND bc.claim_version_id = v.id
                             AND bc.idempotency_key = claim_submission_key(c.practice_id, v.id))
        ORDER BY c.id`,
      [scope.practiceId],
    );
    const paperClaims = ready.rows.filter((r) => r.channel === 'paper').length;
    const byClearinghouse = new Map<number, number[]>();
    for (const r of ready.rows) {
      if (r.channel !== 'electronic' || r.clearinghouse_id === null) continue;
      const list = byClearinghouse.get(r.clearinghouse_id) ?? [];
      list.push(r.version_id);
      byClearinghouse.set(r.clearinghouse_id, list);
    }
    let queued = 0;
    for (const [clearinghouseId, all] of byClearinghouse) {
      for (let from = 0; from < all.length; from += perBatch) {
        const versionIds = all.slice(from, from + perBatch);
        const sets = Math.ceil(versionIds.length / perTransaction);
        const batch = await tx.query<{ id: number; st: number }>(
          `INSERT INTO submission_batches (practice_id, clearinghouse_id, transaction_type, status, item_count, created_at,
                                           next_attempt_at)
           VALUES ($1, $2, '837P', 'queued', $3, $4, $4) RETURNING id, nextval('x12_st_control_seq')::bigint AS st`,
          [scope.practiceId, clearinghouseId, versionIds.length, at],
        );
        const b = batch.rows[0];
        if (b === undefined) continue;
        const st = Number(b.st) + sets - 1 > 999_999_999 ? 1 : Number(b.st);
        await tx.query(
          `INSERT INTO batch_claims (practice_id, batch_id, claim_version_id, st_control_number)
           SELECT $1, $2, t.id, lpad(($3::bigint + (t.k - 1) / $4)::text, 4, '0')
             FROM unnest($5::bigint[]) WITH ORDINALITY AS t(id, k)`,
          [scope.practiceId, b.id, st, perTransaction, versionIds],
        );
        queued++;
      }
    }
    return { queued, paperClaims };
  });
}

/**
 * Takes a due batch for this attempt (queued and due, or an attempt whose lease ran out): status `sending`,
 * one more attempt. Returns the attempt number, or undefined when another run took it first.
 */
async function takeBatch(db: Db, batchId: number, at: Instant): Promise<number | undefined> {
  const res = await db.query<{ attempts: number }>(
    `UPDATE submission_batches SET status = 'sending', attempts = attempts + 1, last_attempt_at = $2
      WHERE id = $1 AND (status = 'queued' OR (status = 'sending' AND last_attempt_at <= $2::timestamptz - $3 * interval '1 minute'))
      RETURNING attempts`,
    [batchId, at, SEND_LEASE_MINUTES],
  );
  return res.rows[0]?.attempts;
}

/** The batch's claims that can still be sent; the others are dropped from it (they may be queued again later). */
async function sendableClaims(
  db: Db,
  scope: PracticeScope,
  batchId: number,
): Promise<{ claimIds: number[]; stored: string[]; skipped: number; st: number }> {
  return db.transaction(async (tx) => {
    const dropped = await tx.query(
      `DELETE FROM batch_claims bc
        USING claim_versions v, claims c
        WHERE bc.practice_id = $1 AND bc.batch_id = $2
          AND v.practice_id = bc.practice_id AND v.id = bc.claim_version_id
          AND c.practice_id = v.practice_id AND c.id = v.claim_id
          AND (c.status <> 'ready'
               OR EXISTS (SELECT 1 FROM claim_versions later WHERE later.practice_id = v.practice_id
                             AND later.claim_id = v.claim_id AND later.version_no > v.version_no))`,
      [scope.practiceId, batchId],
    );
    const left = await tx.query<{ claim_id: number; st: string }>(
      `SELECT v.claim_id, bc.st_control_number AS st FROM batch_claims bc
         JOIN claim_versions v ON v.practice_id = bc.practice_id AND v.id = bc.claim_version_id
        WHERE bc.practice_id = $1 AND bc.batch_id = $2 ORDER BY v.claim_id`,
      [scope.practiceId, batchId],
    );
    const claimIds = left.rows.map((r) => r.claim_id);
    if (claimIds.length === 0) {
      await tx.query(
        `UPDATE submission_batches SET status = 'cancelled', item_count = 0, next_attempt_at = NULL WHERE id = $1`,
        [batchId],
      );
    } else if (dropped.rowCount > 0) {
      await tx.query(`UPDATE submission_batches SET item_count = $2 WHERE id = $1`, [
        batchId,
        claimIds.length,
      ]);
    }
    const st = Math.min(...left.rows.map((r) => Number(r.st)));
    return { claimIds, stored: left.rows.map((r) => r.st), skipped: dropped.rowCount, st };
  });
}

async function recordFailure(
  db: Db,
  batchId: number,
  attempts: number,
  at: Instant,
  error: string,
): Promise<Instant> {
  const next = nextAttemptAt(at, attempts);
  await db.query(
    `UPDATE submission_batches SET status = 'queued', last_error = $2, next_attempt_at = $3 WHERE id = $1 AND status = 'sending'`,
    [batchId, error, next],
  );
  return next;
}

/** Queues the practice's ready claims, then sends every batch that is due (see the module comment). */
export async function submitReadyClaims(
  db: Db,
  scope: PracticeScope,
  options: SubmitOptions,
): Promise<SubmitResult> {
  const actor = options.actor ?? 'system:submission';
  const perTransaction = options.maxClaimsPerTransaction ?? MAX_CLAIMS_PER_TRANSACTION;
  const perBatch = options.maxClaimsPerBatch ?? MAX_CLAIMS_PER_BATCH;
  const { queued, paperClaims } = await queueReadyClaims(db, scope, options.at, perBatch, perTransaction);

  const due = await db.query<DueBatch>(
    `SELECT id, clearinghouse_id, isa_control_number AS isa, gs_control_number AS gs,
            to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI') AS created
       FROM submission_batches
      WHERE practice_id = $1 AND transaction_type = '837P'
        AND ((status = 'queued' AND next_attempt_at <= $2)
             OR (status = 'sending' AND last_attempt_at <= $2::timestamptz - $3 * interval '1 minute'))
      ORDER BY id`,
    [scope.practiceId, options.at, SEND_LEASE_MINUTES],
  );
  const waiting = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM submission_batches
      WHERE practice_id = $1 AND transaction_type = '837P' AND status = 'queued' AND next_attempt_at > $2`,
    [scope.practiceId, options.at],
  );

  const files: string[] = [];
  const failed: FailedBatch[] = [];
  let claimsSent = 0;
  let skippedClaims = 0;
  const houses = new Map<number, ClearinghouseRow | undefined>();
  for (const b of due.rows) {
    const attempts = await takeBatch(db, b.id, options.at);
    if (attempts === undefined) continue;
    const { claimIds, stored, skipped, st } = await sendableClaims(db, scope, b.id);
    skippedClaims += skipped;
    if (claimIds.length === 0) continue;
    const fail = async (error: string): Promise<void> => {
      const next = await recordFailure(db, b.id, attempts, options.at, error);
      failed.push({
        batchId: b.id,
        clearinghouseId: b.clearinghouse_id,
        claims: claimIds.length,
        attempts,
        error,
        nextAttemptAt: next,
      });
    };

    if (!houses.has(b.clearinghouse_id)) {
      const ch = await db.query<ClearinghouseRow>(
        'SELECT code, name, sender_qualifier, sender_id, receiver_qualifier, receiver_id, usage_indicator FROM clearinghouses WHERE id = $1',
        [b.clearinghouse_id],
      );
      houses.set(b.clearinghouse_id, ch.rows[0]);
    }
    const house = houses.get(b.clearinghouse_id);
    const transport = options.transports.get(b.clearinghouse_id);
    if (house === undefined || transport === undefined) {
      await fail(`no transport configured for clearinghouse ${String(b.clearinghouse_id)}`);
      continue;
    }

    const claims = await loadClaims(db, scope, claimIds);
    // The interchange is dated when the batch was built, so a retry of an unchanged batch sends the same bytes.
    const date = b.created.slice(0, 10);
    const time = b.created.slice(11, 13) + b.created.slice(14, 16);
    const whole = toBatch837P(
      claims,
      { ...options.parties, receiverName: house.name, receiverId: house.receiver_id },
      String(b.id),
      { date, time },
    );
    const text = write837P(split837PBatch(whole, perTransaction), {
      senderQualifier: house.sender_qualifier,
      senderId: house.sender_id,
      receiverQualifier: house.receiver_qualifier,
      receiverId: house.receiver_id,
      date,
      time,
      controlNumber: b.isa,
      usage: house.usage_indicator === 'P' ? 'P' : 'T',
      applicationSenderCode: house.sender_id,
      applicationReceiverCode: house.receiver_id,
      groupControlNumber: b.gs,
      transactionControlNumber: st,
      newlines: true,
    });
    const name = `837P-${String(scope.practiceId)}-${String(b.isa).padStart(9, '0')}.x12`;
    try {
      await transport.send(name, text);
    } catch (e) {
      // The transport failed: the batch stays queued (claims `ready`) and is retried per the backoff.
      await fail(describeTransportError(e));
      continue;
    }
    options.onSent?.(name, text);
    const sha = createHash('sha256').update(text).digest('hex');
    const total = claims.reduce((s, c) => s + c.totalChargeCents, 0);
    const loadedIds = claims.map((c) => Number(c.claimId));
    const stOf = loadedIds.map((_, i) => String(st + Math.floor(i / perTransaction)).padStart(4, '0'));
    // The transport confirmed (the file is in place): the batch is sent and its claims submitted.
    await db.transaction(async (tx) => {
      await tx.query(
        `UPDATE submission_batches SET status = 'sent', file_name = $2, content_sha256 = $3, total_charge_cents = $4,
                sent_at = $5, item_count = $6, last_error = NULL, next_attempt_at = NULL
          WHERE id = $1`,
        [b.id, name, sha, total, options.at, loadedIds.length],
      );
      // Each claim's transaction set as sent, where it differs from the one planned at queueing (claims dropped
      // from the batch, or another claims-per-set setting on a retry); usually none does.
      const restated =
        loadedIds.length !== claimIds.length ||
        loadedIds.some((id, i) => id !== claimIds[i] || stOf[i] !== stored[i]);
      if (restated)
        await tx.query(
          `UPDATE batch_claims bc SET st_control_number = t.st
           FROM unnest($3::bigint[], $4::text[]) AS t(claim_id, st), claim_versions v
          WHERE bc.practice_id = $1 AND bc.batch_id = $2 AND v.practice_id = bc.practice_id
            AND v.id = bc.claim_version_id AND v.claim_id = t.claim_id`,
          [scope.practiceId, b.id, loadedIds, stOf],
        );
      const moved = await tx.query<{ id: number; from_status: string }>(
        `UPDATE claims c SET status = 'submitted', updated_at = $3, first_submitted_at = COALESCE(c.first_submitted_at, $3)
           FROM (SELECT b.id, b.status FROM claims b WHERE b.practice_id = $1 AND b.id = ANY($2::bigint[])) before
          WHERE c.practice_id = $1 AND c.id = ANY($2::bigint[]) AND before.id = c.id
            AND c.status IN ('ready', 'held', 'draft')
          RETURNING c.id, before.status AS from_status`,
        [scope.practiceId, loadedIds, options.at],
      );
      await tx.query(
        `INSERT INTO claim_status_history (practice_id, claim_id, claim_version_id, from_status, to_status, at, actor, reason)
         SELECT $1, t.id, bc.claim_version_id, t.from_status, 'submitted', $2, $3, $4
           FROM unnest($5::bigint[], $6::text[]) AS t(id, from_status)
           JOIN claim_versions v ON v.practice_id = $1 AND v.claim_id = t.id
           JOIN batch_claims bc ON bc.practice_id = $1 AND bc.batch_id = $7 AND bc.claim_version_id = v.id`,
        [
          scope.practiceId,
          options.at,
          actor,
          `837P batch ${String(b.id)} (ISA13 ${String(b.isa)})`,
          moved.rows.map((r) => r.id),
          moved.rows.map((r) => r.from_status),
          b.id,
        ],
      );
    });
    files.push(name);
    claimsSent += loadedIds.length;
  }
  return {
    batches: files.length,
    claims: claimsSent,
    files,
    paperClaims,
    queued,
    failed,
    waiting: waiting.rows[0]?.n ?? 0,
    skippedClaims,
  };
}

export type BatchRow = {
  id: number;
  clearinghouse: string;
  status: string;
  claims: number;
  attempts: number;
  isa_control_number: number;
  file_name: string | null;
  created_at: string;
  sent_at: string | null;
  next_attempt_at: string | null;
  last_error: string | null;
};

/** The practice's 837P batches, newest first: what was sent, and what waits for a retry and why. */
export async function listBatches(
  db: Db,
  scope: PracticeScope,
  options: { readonly status?: string; readonly limit?: number } = {},
): Promise<BatchRow[]> {
  const ts = (col: string): string => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
  const res = await db.query<BatchRow>(
    `SELECT b.id, ch.code AS clearinghouse, b.status, b.item_count AS claims, b.attempts, b.isa_control_number,
            b.file_name, ${ts('b.created_at')} AS created_at, ${ts('b.sent_at')} AS sent_at,
            ${ts('b.next_attempt_at')} AS next_attempt_at, b.last_error
       FROM submission_batches b JOIN clearinghouses ch ON ch.id = b.clearinghouse_id
      WHERE b.practice_id = $1 AND b.transaction_type = '837P' AND ($2::text IS NULL OR b.status = $2)
      ORDER BY b.id DESC LIMIT $3`,
    [scope.practiceId, options.status ?? null, options.limit ?? 100],
  );
  return res.rows;
}
