import { createHash } from 'node:crypto';
import type { Instant } from '@openrcm/core';
import type { Db, PracticeScope } from '@openrcm/db';
import { loadClaims } from '../claims/load.ts';
import { toBatch837P, type BatchParties } from './to837p.ts';
import type { ClearinghouseTransport } from './transport.ts';
import { write837P } from '@openrcm/x12/837p';

/**
 * Submission: the practice's `ready` claims to electronic payers go into one 837P interchange per
 * clearinghouse, with ISA13/GS06/ST02 control numbers from database sequences, sent through that
 * clearinghouse's transport (SFTP, folder drop, in-process). Only after the transport confirmed the complete
 * file does the batch become `sent` and its claims `submitted`; a failed send marks the batch failed and leaves
 * the claims `ready` for the next run, so nothing is marked sent that was not.
 */

export interface SubmitResult {
  readonly batches: number;
  readonly claims: number;
  readonly files: readonly string[];
  /** Ready claims to paper-only payers: printed (CMS-1500), not sent electronically. */
  readonly paperClaims: number;
}

export async function submitReadyClaims(
  db: Db,
  scope: PracticeScope,
  options: {
    readonly at: Instant;
    readonly transports: ReadonlyMap<number, ClearinghouseTransport>;
    readonly parties: BatchParties;
    readonly actor?: string;
    /** Called with every file sent (the demo keeps a copy). */
    readonly onSent?: (name: string, content: string) => void;
  },
): Promise<SubmitResult> {
  const actor = options.actor ?? 'system:submission';
  const ready = await db.query<{ id: number; clearinghouse_id: number | null; channel: string }>(
    `SELECT c.id, p.clearinghouse_id, p.submission_channel AS channel
       FROM claims c JOIN payers p ON p.id = c.payer_id
      WHERE c.practice_id = $1 AND c.status = 'ready' ORDER BY c.id`,
    [scope.practiceId],
  );
  const paperClaims = ready.rows.filter((r) => r.channel === 'paper').length;
  const byClearinghouse = new Map<number, number[]>();
  for (const r of ready.rows) {
    if (r.channel !== 'electronic' || r.clearinghouse_id === null) continue;
    const list = byClearinghouse.get(r.clearinghouse_id) ?? [];
    list.push(r.id);
    byClearinghouse.set(r.clearinghouse_id, list);
  }
  const files: string[] = [];
  let claimsSent = 0;
  for (const [clearinghouseId, claimIds] of byClearinghouse) {
    const ch = await db.query<{
      code: string;
      name: string;
      sender_qualifier: string;
      sender_id: string;
      receiver_qualifier: string;
      receiver_id: string;
      usage_indicator: string;
    }>(
      'SELECT code, name, sender_qualifier, sender_id, receiver_qualifier, receiver_id, usage_indicator FROM clearinghouses WHERE id = $1',
      [clearinghouseId],
    );
    const house = ch.rows[0];
    if (house === undefined) continue;
    // Control numbers come from the sequences (the batch row's defaults); ST02 from its own sequence.
    const batch = await db.query<{ id: number; isa: number; gs: number; st: number }>(
      `INSERT INTO submission_batches (practice_id, clearinghouse_id, transaction_type, status, item_count, created_at)
       VALUES ($1, $2, '837P', 'building', $3, $4)
       RETURNING id, isa_control_number AS isa, gs_control_number AS gs, nextval('x12_st_control_seq')::bigint AS st`,
      [scope.practiceId, clearinghouseId, claimIds.length, options.at],
    );
    const b = batch.rows[0];
    if (b === undefined) continue;
    const claims = await loadClaims(db, scope, claimIds);
    const date = options.at.slice(0, 10);
    const time = options.at.slice(11, 13) + options.at.slice(14, 16);
    const text = write837P(
      toBatch837P(
        claims,
        { ...options.parties, receiverName: house.name, receiverId: house.receiver_id },
        String(b.id),
        { date, time },
      ),
      {
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
        transactionControlNumber: b.st,
        newlines: true,
      },
    );
    const name = `837P-${String(scope.practiceId)}-${String(b.isa).padStart(9, '0')}.x12`;
    const transport = options.transports.get(clearinghouseId);
    if (transport === undefined) {
      await db.query(`UPDATE submission_batches SET status = 'failed' WHERE id = $1`, [b.id]);
      continue;
    }
    try {
      await transport.send(name, text);
    } catch (e) {
      // The transport failed: the batch is marked failed and its claims stay `ready` for the next run.
      await db.query(`UPDATE submission_batches SET status = 'failed' WHERE id = $1`, [b.id]);
      throw e;
    }
    options.onSent?.(name, text);
    const sha = createHash('sha256').update(text).digest('hex');
    const total = claims.reduce((s, c) => s + c.totalChargeCents, 0);
    // The transport confirmed (the file is in place): record the batch as sent and the claims as submitted.
    await db.transaction(async (tx) => {
      await tx.query(
        `UPDATE submission_batches SET status = 'sent', file_name = $2, content_sha256 = $3, total_charge_cents = $4, sent_at = $5 WHERE id = $1`,
        [b.id, name, sha, total, options.at],
      );
      await tx.query(
        `INSERT INTO batch_claims (practice_id, batch_id, claim_version_id, st_control_number)
         SELECT $1, $2, (SELECT max(v.id) FROM claim_versions v WHERE v.practice_id = $1 AND v.claim_id = t.id), $3
           FROM unnest($4::bigint[]) AS t(id)`,
        [scope.practiceId, b.id, String(b.st).padStart(4, '0'), claimIds],
      );
      await tx.query(
        `UPDATE claims SET status = 'submitted', updated_at = $3, first_submitted_at = COALESCE(first_submitted_at, $3)
          WHERE practice_id = $1 AND id = ANY($2::bigint[])`,
        [scope.practiceId, claimIds, options.at],
      );
      await tx.query(
        `INSERT INTO claim_status_history (practice_id, claim_id, from_status, to_status, at, actor, reason)
         SELECT $1, t.id, 'ready', 'submitted', $2, $3, $4 FROM unnest($5::bigint[]) AS t(id)`,
        [
          scope.practiceId,
          options.at,
          actor,
          `837P batch ${String(b.id)} (ISA13 ${String(b.isa)})`,
          claimIds,
        ],
      );
    });
    files.push(name);
    claimsSent += claimIds.length;
  }
  return { batches: files.length, claims: claimsSent, files, paperClaims };
}
