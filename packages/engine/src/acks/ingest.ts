import { createHash } from 'node:crypto';
import type { Instant } from '@openrcm/core';
import type { Db, Tx } from '@openrcm/db';
import { parseX12, transactionsOf, type Diagnostic } from '@openrcm/x12';
import { read999, type Ack999 } from '@openrcm/x12/999';
import { claimAcknowledgements, readClaimAcknowledgement, isClaimAcknowledgement } from '@openrcm/x12/277ca';
import { parseTa1, type Ta1 } from '@openrcm/x12/ta1';

/**
 * Acknowledgements (issue 5 §6): TA1, 999 and 277CA files from the clearinghouse update our batches and
 * claims. A 999 accepts or rejects each transaction set of a batch (a rejected set rejects its claims, with
 * the located IK3/IK4 reason); a 277CA accepts or rejects each claim by its patient control number (CLM01),
 * the STC category and status codes translated into words. Every rejection becomes a work item in the billing
 * queue; every transition is in the claim's history. A file is stored once by its content hash: receiving it
 * again changes nothing. One transaction per file.
 */

export interface AckIngestResult {
  readonly file: string;
  readonly kind: 'TA1' | '999' | '277CA' | 'unknown';
  readonly duplicate: boolean;
  readonly claimsAccepted: number;
  readonly claimsRejected: number;
  /** Acknowledged claims or batches we do not know (reported, not guessed). */
  readonly unmatched: number;
  readonly diagnostics: readonly Diagnostic[];
}

type ClaimRow = { id: number; practice_id: number; status: string; version_id: number };

const OPEN_STATUSES = ['submitted', 'accepted'];

/**
 * Moves claims to accepted / rejected with a history row each and, for rejections, a work item in the billing
 * queue (one per claim version) — in a fixed number of statements whatever the number of claims.
 */
async function transitionMany(
  tx: Tx,
  rows: readonly { readonly claim: ClaimRow; readonly reason: string }[],
  to: 'accepted' | 'rejected',
  at: Instant,
  actor: string,
): Promise<void> {
  const todo = rows.filter((r) => r.claim.status !== to);
  if (todo.length === 0) return;
  const practice = todo.map((r) => r.claim.practice_id);
  const ids = todo.map((r) => r.claim.id);
  await tx.query(
    `UPDATE claims c SET status = $3, updated_at = $4 FROM unnest($1::bigint[], $2::bigint[]) AS t(practice_id, id)
      WHERE c.practice_id = t.practice_id AND c.id = t.id`,
    [practice, ids, to, at],
  );
  await tx.query(
    `INSERT INTO claim_status_history (practice_id, claim_id, claim_version_id, from_status, to_status, at, actor, reason)
     SELECT t.practice_id, t.id, t.version_id, t.from_status, $5, $6, $7, t.reason
       FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $8::text[]) AS t(practice_id, id, version_id, from_status, reason)`,
    [
      practice,
      ids,
      todo.map((r) => r.claim.version_id),
      todo.map((r) => r.claim.status),
      to,
      at,
      actor,
      todo.map((r) => r.reason),
    ],
  );
  if (to === 'rejected') {
    await tx.query(
      `INSERT INTO work_items (practice_id, type, queue, priority, title, due_at, links, dedupe_key, created_at, updated_at)
       SELECT t.practice_id, 'clearinghouse_rejection', 'billing', 2, left('Claim ' || t.id || ' rejected: ' || t.reason, 300),
              $4::timestamptz + interval '2 days', jsonb_build_object('claimId', t.id, 'claimVersionId', t.version_id),
              'rejection:' || t.id || ':' || t.version_id, $4, $4
         FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $5::text[]) AS t(practice_id, id, version_id, reason)
       ON CONFLICT DO NOTHING`,
      [practice, ids, todo.map((r) => r.claim.version_id), at, todo.map((r) => r.reason)],
    );
  }
}

async function claimsOfBatch(tx: Tx, batchId: number, stControlNumber?: string): Promise<ClaimRow[]> {
  const res = await tx.query<ClaimRow>(
    `SELECT c.id, c.practice_id, c.status, bc.claim_version_id AS version_id
       FROM batch_claims bc
       JOIN claim_versions v ON v.practice_id = bc.practice_id AND v.id = bc.claim_version_id
       JOIN claims c ON c.practice_id = v.practice_id AND c.id = v.claim_id
      WHERE bc.batch_id = $1 AND ($2::text IS NULL OR bc.st_control_number = $2)`,
    [batchId, stControlNumber ?? null],
  );
  return res.rows;
}

/** Readable reason for a rejected 999 transaction set: where (segment, loop, element) and which IK code. */
function reasonOf999(t: Ack999['transactions'][number]): string {
  const first = t.segmentErrors[0];
  if (first === undefined)
    return `999 rejected the transaction set (IK5 ${t.status}${t.errorCodes.length > 0 ? ` ${t.errorCodes.join(',')}` : ''})`;
  const el = first.elementErrors[0];
  const where = `${first.segmentId} at position ${first.position}${first.loop === undefined ? '' : ` in loop ${first.loop}`}`;
  return el === undefined
    ? `999 rejected: segment ${where} (IK304 ${first.code ?? '?'})`
    : `999 rejected: ${first.segmentId}${String(el.position.element).padStart(2, '0')}${el.position.component === undefined ? '' : `-${el.position.component}`} in ${where} (IK403 ${el.code})`;
}

export async function ingestAcknowledgement(
  db: Db,
  file: { readonly name: string; readonly content: string; readonly clearinghouseId?: number },
  options: { readonly at: Instant; readonly actor?: string },
): Promise<AckIngestResult> {
  const actor = options.actor ?? 'clearinghouse:sim';
  const sha = createHash('sha256').update(file.content).digest('hex');
  const parsed = parseX12(file.content);
  const txs = transactionsOf(parsed);
  const hasTa1 = /(^|[~\n])\s*TA1[^A-Z0-9]/.test(file.content);
  const kind: AckIngestResult['kind'] = txs.some((t) => t.transactionType === '999')
    ? '999'
    : txs.some(isClaimAcknowledgement)
      ? '277CA'
      : hasTa1
        ? 'TA1'
        : 'unknown';
  return db.transaction(async (tx) => {
    const inserted = await tx.query<{ id: number }>(
      `INSERT INTO inbound_files (clearinghouse_id, kind, file_name, content_sha256, size_bytes, received_at, status)
       VALUES ($1, $2, $3, $4, $5, $6, 'received') ON CONFLICT (content_sha256) DO NOTHING RETURNING id`,
      [
        file.clearinghouseId ?? null,
        kind === 'unknown' ? 'unknown' : kind,
        file.name,
        sha,
        Buffer.byteLength(file.content),
        options.at,
      ],
    );
    const fileId = inserted.rows[0]?.id;
    const base = { file: file.name, kind, claimsAccepted: 0, claimsRejected: 0, unmatched: 0 };
    if (fileId === undefined) return { ...base, duplicate: true, diagnostics: [] };
    let accepted = 0;
    let rejected = 0;
    let unmatched = 0;
    const diagnostics: Diagnostic[] = [];

    if (kind === 'TA1') {
      const r = parseTa1(file.content);
      diagnostics.push(...r.diagnostics);
      for (const ta1 of r.value as readonly Ta1[]) {
        const batch = await tx.query<{ id: number; practice_id: number }>(
          'SELECT id, practice_id FROM submission_batches WHERE isa_control_number = $1::bigint AND ($2::bigint IS NULL OR clearinghouse_id = $2)',
          [Number(ta1.controlNumber), file.clearinghouseId ?? null],
        );
        const b = batch.rows[0];
        if (b === undefined) {
          unmatched++;
          continue;
        }
        const status =
          ta1.status === 'R' ? 'rejected' : ta1.status === 'E' ? 'accepted_with_errors' : 'accepted';
        await tx.query(
          `INSERT INTO acknowledgements (practice_id, batch_id, inbound_file_id, ack_type, acknowledged_control_number, status, received_at, details)
           VALUES ($1, $2, $3, 'TA1', $4, $5, $6, $7::jsonb)`,
          [
            b.practice_id,
            b.id,
            fileId,
            ta1.controlNumber,
            status,
            options.at,
            JSON.stringify({ noteCode: ta1.noteCode }),
          ],
        );
        if (ta1.status === 'R') {
          await tx.query(`UPDATE submission_batches SET status = 'rejected' WHERE id = $1`, [b.id]);
          const open = (await claimsOfBatch(tx, b.id)).filter((c) => OPEN_STATUSES.includes(c.status));
          const reason = `TA1 rejected the interchange (note ${ta1.noteCode})`;
          await transitionMany(
            tx,
            open.map((claim) => ({ claim, reason })),
            'rejected',
            options.at,
            actor,
          );
          rejected += open.length;
        }
      }
    } else if (kind === '999') {
      for (const t of txs.filter((x) => x.transactionType === '999')) {
        const r = read999(t);
        diagnostics.push(...r.diagnostics);
        const ack = r.value;
        const batch = await tx.query<{ id: number; practice_id: number }>(
          'SELECT id, practice_id FROM submission_batches WHERE gs_control_number = $1::bigint AND ($2::bigint IS NULL OR clearinghouse_id = $2)',
          [Number(ack.groupControlNumber), file.clearinghouseId ?? null],
        );
        const b = batch.rows[0];
        if (b === undefined) {
          unmatched++;
          continue;
        }
        const anyRejected = ack.transactions.some(
          (s) => s.status === 'R' || s.status === 'M' || s.status === 'W' || s.status === 'X',
        );
        const allRejected =
          ack.transactions.length > 0 && ack.transactions.every((s) => s.status !== 'A' && s.status !== 'E');
        const status = allRejected
          ? 'rejected'
          : anyRejected
            ? 'partially_accepted'
            : ack.transactions.some((s) => s.status === 'E')
              ? 'accepted_with_errors'
              : 'accepted';
        // Located findings without IK404 copies of the bad value (it may be patient data).
        const details = ack.transactions.map((s) => ({
          st: s.controlNumber,
          status: s.status,
          errors: s.segmentErrors.map((e) => ({
            segment: e.segmentId,
            position: e.position,
            loop: e.loop ?? null,
            code: e.code ?? null,
            elements: e.elementErrors.map((x) => ({
              element: x.position.element,
              component: x.position.component ?? null,
              code: x.code,
            })),
          })),
        }));
        await tx.query(
          `INSERT INTO acknowledgements (practice_id, batch_id, inbound_file_id, ack_type, acknowledged_control_number, status, received_at, details)
           VALUES ($1, $2, $3, '999', $4, $5, $6, $7::jsonb)`,
          [
            b.practice_id,
            b.id,
            fileId,
            ack.groupControlNumber,
            status,
            options.at,
            JSON.stringify({ transactions: details }),
          ],
        );
        await tx.query(
          `UPDATE submission_batches SET status = $2 WHERE id = $1 AND status IN ('sent', 'accepted', 'partially_accepted')`,
          [b.id, status === 'accepted_with_errors' ? 'accepted' : status],
        );
        for (const s of ack.transactions) {
          if (s.status === 'A' || s.status === 'E') continue;
          const open = (await claimsOfBatch(tx, b.id, s.controlNumber)).filter((c) =>
            OPEN_STATUSES.includes(c.status),
          );
          const reason = reasonOf999(s);
          await transitionMany(
            tx,
            open.map((claim) => ({ claim, reason })),
            'rejected',
            options.at,
            actor,
          );
          rejected += open.length;
        }
      }
    } else if (kind === '277CA') {
      // Set-based: one look-up for every claim of the file, one acknowledgement row per practice, and the
      // results and transitions written with a fixed number of statements.
      const items = new Map<
        string,
        { accepted: boolean; codes: string[]; words: string; payer: string | null; control: string }
      >();
      for (const t of txs.filter(isClaimAcknowledgement)) {
        const r = readClaimAcknowledgement(t);
        diagnostics.push(...r.diagnostics);
        for (const a of claimAcknowledgements(r.value)) {
          items.set(a.patientControlNumber, {
            accepted: a.accepted,
            codes: a.statuses.map(
              (s) => `${s.category}:${s.status}${s.entity === undefined ? '' : `:${s.entity}`}`,
            ),
            words: a.statuses.map((s) => `${s.category}:${s.status} ${s.categoryText}`).join('; '),
            payer: a.payerClaimControlNumber ?? null,
            control: t.controlNumber,
          });
        }
      }
      const found =
        items.size === 0
          ? { rows: [] }
          : await tx.query<ClaimRow & { pcn: string }>(
              `SELECT DISTINCT ON (c.patient_control_number) c.patient_control_number AS pcn, c.id, c.practice_id, c.status,
                      (SELECT max(v.id) FROM claim_versions v WHERE v.practice_id = c.practice_id AND v.claim_id = c.id) AS version_id
                 FROM claims c WHERE c.patient_control_number = ANY($1::text[]) AND c.status = ANY($2::text[])
                ORDER BY c.patient_control_number, c.id DESC`,
              [[...items.keys()], [...OPEN_STATUSES, 'rejected']],
            );
      const byPcn = new Map(found.rows.map((r) => [r.pcn, r]));
      const matched: { claim: ClaimRow; pcn: string; item: NonNullable<ReturnType<typeof items.get>> }[] = [];
      for (const [pcn, item] of items) {
        const claim = byPcn.get(pcn);
        if (claim === undefined) unmatched++;
        else matched.push({ claim, pcn, item });
      }
      const ackIds = new Map<number, number>();
      for (const practiceId of new Set(matched.map((m) => m.claim.practice_id))) {
        const mine = matched.filter((m) => m.claim.practice_id === practiceId);
        const status = mine.every((m) => m.item.accepted)
          ? 'accepted'
          : mine.every((m) => !m.item.accepted)
            ? 'rejected'
            : 'partially_accepted';
        const row = await tx.query<{ id: number }>(
          `INSERT INTO acknowledgements (practice_id, inbound_file_id, ack_type, acknowledged_control_number, status, received_at, details)
           VALUES ($1, $2, '277CA', $3, $4, $5, $6::jsonb) RETURNING id`,
          [
            practiceId,
            fileId,
            mine[0]?.item.control ?? null,
            status,
            options.at,
            JSON.stringify({ claims: mine.length }),
          ],
        );
        ackIds.set(practiceId, row.rows[0]?.id ?? 0);
      }
      if (matched.length > 0) {
        await tx.query(
          `INSERT INTO ack_claim_results (practice_id, acknowledgement_id, claim_id, claim_version_id, patient_control_number, result,
                                          status_codes, payer_claim_number, message)
           SELECT t.practice_id, t.ack_id, t.claim_id, t.version_id, t.pcn, t.result,
                  CASE WHEN t.codes = '' THEN '{}'::text[] ELSE string_to_array(t.codes, '|') END, t.payer, t.message
             FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
                  AS t(practice_id, ack_id, claim_id, version_id, pcn, result, codes, payer, message)`,
          [
            matched.map((m) => m.claim.practice_id),
            matched.map((m) => ackIds.get(m.claim.practice_id)),
            matched.map((m) => m.claim.id),
            matched.map((m) => m.claim.version_id),
            matched.map((m) => m.pcn),
            matched.map((m) => (m.item.accepted ? 'accepted' : 'rejected')),
            matched.map((m) => m.item.codes.join('|')),
            matched.map((m) => m.item.payer),
            matched.map((m) => m.item.words.slice(0, 500)),
          ],
        );
      }
      const ok = matched.filter((m) => m.item.accepted);
      const bad = matched.filter((m) => !m.item.accepted);
      await transitionMany(
        tx,
        ok.map((m) => ({ claim: m.claim, reason: `277CA accepted (${m.item.codes.join(', ')})` })),
        'accepted',
        options.at,
        actor,
      );
      await transitionMany(
        tx,
        bad.map((m) => ({ claim: m.claim, reason: `277CA rejected: ${m.item.words}`.slice(0, 500) })),
        'rejected',
        options.at,
        actor,
      );
      accepted += ok.length;
      rejected += bad.length;
    }
    await tx.query(`UPDATE inbound_files SET status = 'processed', processed_at = $2 WHERE id = $1`, [
      fileId,
      options.at,
    ]);
    return {
      ...base,
      duplicate: false,
      claimsAccepted: accepted,
      claimsRejected: rejected,
      unmatched,
      diagnostics,
    };
  });
}
