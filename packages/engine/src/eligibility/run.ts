import { addBusinessDays, dateInZone, type CalendarDate, type Instant } from '@openrcm/core';
import type { Db, PracticeScope } from '@openrcm/db';
import {
  buildEligibilityInquiry,
  eligibilityRejects,
  parseEligibility,
  summarizeMember,
  writeEligibilityInterchange,
  type EligibilityMember,
  type EligibilityRequest,
  type EligibilityTransaction,
} from '@openrcm/x12/270-271';
import type { ClearinghouseTransport } from '../submission/transport.ts';
import { classifyCheck, type CheckFacts, type OtherCoverageOnFile } from './classify.ts';
import { copayTierOf } from './tier.ts';

/**
 * Eligibility (issue 7): the schedule-driven 270 batch run and the 271 ingest. The database edge of stage 1:
 * 1. `planChecks` — one check per appointment × coverage on file (primary and secondary) for the practice's
 *    window (default: the next business day), idempotent per appointment and coverage;
 * 2. `sendChecks` — the unsent checks as one 270 batch per clearinghouse (one transaction set per check, TRN02 =
 *    our check id, control numbers from the database sequences), through the clearinghouse transport; checks are
 *    marked sent only after the transport confirmed the file;
 * 3. `ingestEligibilityResponses` — each 271 answer matched by its echoed TRN02, summarised, compared with the
 *    coverage on file and the previous check (classify.ts) and stored;
 * 4. `expireChecks` — unanswered checks are sent again up to `maxAttempts`, then classified `unconfirmed`.
 */

export interface PlanResult {
  readonly appointments: number;
  readonly checksCreated: number;
}

/** The business days the run covers: `windowDays` business days after `date`. */
export function eligibilityWindow(
  date: CalendarDate,
  windowDays = 1,
): { from: CalendarDate; to: CalendarDate } {
  return { from: addBusinessDays(date, 1), to: addBusinessDays(date, windowDays) };
}

export async function planChecks(
  db: Db,
  scope: PracticeScope,
  options: {
    readonly date: CalendarDate;
    readonly windowDays?: number;
    readonly at: Instant;
    /** A real-time check of one appointment: asks again even when it was checked before; ignores the window. */
    readonly appointmentId?: number;
  },
): Promise<PlanResult> {
  const w = eligibilityWindow(options.date, options.windowDays ?? 1);
  const one = options.appointmentId ?? null;
  return db.transaction(async (tx) => {
    const appts = await tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM appointments WHERE practice_id = $1 AND status <> 'cancelled'
          AND (CASE WHEN $4::bigint IS NULL THEN service_date BETWEEN $2 AND $3 ELSE id = $4 END)`,
      [scope.practiceId, w.from, w.to, one],
    );
    // Scheduled checks: at most one per appointment, coverage and date of service (a unique index), so a
    // second run, or two runs at once, plan nothing twice, and a rescheduled appointment is checked for its new
    // day. A real-time check is always a new one.
    const res = await tx.query(
      `INSERT INTO eligibility_checks (practice_id, patient_id, coverage_id, appointment_id, payer_id, requested_at, status, attempts, origin, service_date)
       SELECT a.practice_id, a.patient_id, c.id, a.id, c.payer_id, $4, 'pending', 1,
              CASE WHEN $5::bigint IS NULL THEN 'scheduled' ELSE 'real_time' END, a.service_date
         FROM appointments a
         JOIN coverages c ON c.practice_id = a.practice_id AND c.patient_id = a.patient_id
              AND c.priority IN ('primary', 'secondary') AND c.status = 'active'
              AND c.effective_from <= a.service_date AND (c.effective_to IS NULL OR c.effective_to >= a.service_date)
        WHERE a.practice_id = $1 AND a.status <> 'cancelled'
          AND (CASE WHEN $5::bigint IS NULL THEN a.service_date BETWEEN $2 AND $3 ELSE a.id = $5 END)
        ORDER BY a.service_date, a.starts_at, a.id, c.id
       ON CONFLICT (practice_id, appointment_id, coverage_id, service_date) WHERE origin = 'scheduled' DO NOTHING`,
      [scope.practiceId, w.from, w.to, options.at, one],
    );
    return { appointments: appts.rows[0]?.n ?? 0, checksCreated: res.rowCount };
  });
}

type CheckRow = {
  id: number;
  payer_code: string;
  payer_name: string;
  member_id: string;
  group_number: string | null;
  relationship: string;
  sub_first: string | null;
  sub_last: string | null;
  sub_dob: string | null;
  sub_sex: string | null;
  p_first: string;
  p_last: string;
  p_dob: string;
  p_sex: string;
  service_date: string;
  practice_npi: string | null;
  practice_name: string;
  practice_tin: string | null;
  pv_npi: string | null;
  pv_entity: string | null;
  pv_first: string | null;
  pv_last: string | null;
  pv_taxonomy: string | null;
};

/**
 * The 270 for one check. The information receiver (2100B) is the provider the patient is scheduled with —
 * NM1*1P with their NPI and PRV*PE with their taxonomy (005010X279A1 2100B PRV: situational, when the
 * payer needs the provider's specialty to answer, as it does for a copay that depends on it) — so the payer
 * answers the office-visit benefits of that provider's tier; the practice when the appointment names none.
 */
function requestOf(r: CheckRow): EligibilityRequest {
  const self = r.relationship === '18';
  const gender = (v: string | null): 'F' | 'M' | 'U' => (v === 'F' || v === 'M' ? v : 'U');
  const person = r.pv_npi !== null && r.pv_entity !== 'organization' && r.pv_last !== null;
  return {
    traceNumber: String(r.id),
    // TRN03: '1' followed by the submitter's EIN (270 TR3 2000C TRN03).
    traceOriginator: `1${r.practice_tin ?? '000000000'}`,
    payer: { name: r.payer_name, id: r.payer_code },
    provider: person
      ? {
          npi: r.pv_npi ?? '',
          lastName: r.pv_last ?? '',
          ...(r.pv_first === null ? {} : { firstName: r.pv_first }),
          ...(r.pv_taxonomy === null ? {} : { taxonomy: r.pv_taxonomy }),
        }
      : {
          npi: r.pv_npi ?? r.practice_npi ?? '',
          organizationName: r.practice_name,
          ...(r.pv_taxonomy === null ? {} : { taxonomy: r.pv_taxonomy }),
        },
    subscriber: {
      memberId: r.member_id,
      lastName: self ? r.p_last : (r.sub_last ?? r.p_last),
      firstName: self ? r.p_first : (r.sub_first ?? ''),
      birthDate: self ? r.p_dob : (r.sub_dob ?? r.p_dob),
      gender: gender(self ? r.p_sex : r.sub_sex),
      ...(r.group_number === null ? {} : { groupNumber: r.group_number }),
    },
    ...(self
      ? {}
      : {
          dependent: {
            lastName: r.p_last,
            firstName: r.p_first,
            birthDate: r.p_dob,
            gender: gender(r.p_sex),
            relationship: r.relationship === '01' ? '01' : r.relationship === '19' ? '19' : '34',
          },
        }),
    serviceDate: r.service_date,
  };
}

export interface SendResult {
  readonly batches: number;
  readonly checksSent: number;
  readonly files: readonly string[];
}

/** BHT03 of a check's 270: the batch and the check, so an answer without its member levels still finds it. */
const bhtReference = (batchId: number, checkId: number): string => `${batchId}.${checkId}`;

/**
 * Sends the practice's unsent checks as 270 batches through the given transports (by clearinghouse id), at
 * most `maxPerFile` inquiries per file. Each batch claims its checks before the file is written (an UPDATE
 * that only takes checks no batch holds yet), so two runs at once never send a check twice; the checks count
 * as sent only once the transport took the file, and go back to the queue if it did not.
 */
export async function sendChecks(
  db: Db,
  scope: PracticeScope,
  options: {
    readonly at: Instant;
    readonly transports: ReadonlyMap<number, ClearinghouseTransport>;
    readonly maxPerFile?: number;
  },
): Promise<SendResult> {
  const maxPerFile = options.maxPerFile ?? 10_000;
  // A payer that takes no electronic inquiries cannot confirm anything: say so now, with the action.
  await db.query(
    `UPDATE eligibility_checks e SET status = 'no_response', classification = 'unconfirmed',
            response_summary = jsonb_build_object('reason', 'the payer does not answer electronic eligibility inquiries',
                                                  'action', 'Verify the coverage on the payer portal or by phone before the visit')
      FROM payers py
     WHERE e.practice_id = $1 AND e.status = 'pending' AND e.batch_id IS NULL AND py.id = e.payer_id
       AND (py.submission_channel <> 'electronic' OR py.clearinghouse_id IS NULL)`,
    [scope.practiceId],
  );
  const houses = await db.query<{ id: number }>(
    `SELECT DISTINCT py.clearinghouse_id AS id FROM eligibility_checks e JOIN payers py ON py.id = e.payer_id
      WHERE e.practice_id = $1 AND e.status = 'pending' AND e.batch_id IS NULL
        AND py.submission_channel = 'electronic' AND py.clearinghouse_id IS NOT NULL
      ORDER BY 1`,
    [scope.practiceId],
  );
  const files: string[] = [];
  let sent = 0;
  for (const { id: houseId } of houses.rows) {
    const transport = options.transports.get(houseId);
    if (transport === undefined) continue;
    const house = await db.query<{
      sender_qualifier: string;
      sender_id: string;
      receiver_qualifier: string;
      receiver_id: string;
      usage_indicator: string;
    }>(
      'SELECT sender_qualifier, sender_id, receiver_qualifier, receiver_id, usage_indicator FROM clearinghouses WHERE id = $1',
      [houseId],
    );
    const h = house.rows[0];
    if (h === undefined) continue;
    for (;;) {
      const claimed = await db.transaction(async (tx) => {
        const batch = await tx.query<{ id: number; isa: number; gs: number; st: number }>(
          `INSERT INTO submission_batches (practice_id, clearinghouse_id, transaction_type, status, item_count, created_at)
           VALUES ($1, $2, '270', 'building', 0, $3)
           RETURNING id, isa_control_number AS isa, gs_control_number AS gs, nextval('x12_st_control_seq')::bigint AS st`,
          [scope.practiceId, houseId, options.at],
        );
        const b = batch.rows[0];
        if (b === undefined) return undefined;
        // SKIP LOCKED: a run at the same time takes other checks instead of waiting for these. Two statements
        // (pick, then update by primary key) so the plan stays linear when the statistics do not know yet the
        // checks planned a moment ago.
        const picked = await tx.query<{ id: number }>(
          `SELECT e.id FROM eligibility_checks e JOIN payers py ON py.id = e.payer_id
            WHERE e.practice_id = $1 AND e.status = 'pending' AND e.batch_id IS NULL
              AND py.submission_channel = 'electronic' AND py.clearinghouse_id = $2
            ORDER BY e.id LIMIT $3 FOR UPDATE OF e SKIP LOCKED`,
          [scope.practiceId, houseId, maxPerFile],
        );
        const taken = await tx.query(
          `UPDATE eligibility_checks SET batch_id = $2, requested_at = $3
            WHERE id = ANY($4::bigint[]) AND practice_id = $1 AND batch_id IS NULL AND status = 'pending'`,
          [scope.practiceId, b.id, options.at, picked.rows.map((r) => r.id)],
        );
        if (taken.rowCount === 0) {
          await tx.query('DELETE FROM submission_batches WHERE id = $1', [b.id]);
          return undefined;
        }
        await tx.query('UPDATE submission_batches SET item_count = $2 WHERE id = $1', [b.id, taken.rowCount]);
        return { ...b, ids: picked.rows.map((r) => r.id) };
      });
      if (claimed === undefined) break;
      const b = claimed;
      // The claimed checks are read first (a materialized CTE, by primary key) and the rest joined to them: with
      // the checks of earlier nights in the table and a batch the statistics do not know, the planner otherwise
      // chose for some files a nested loop probing eligibility_checks' primary key inside, ~3 s a file of 10,000
      // on PGlite instead of ~0.5 s (EXPLAIN ANALYZE, the benchmark's second night).
      const rows = await db.query<CheckRow>(
        `WITH e AS MATERIALIZED (
           SELECT id, practice_id, coverage_id, payer_id, patient_id, appointment_id, service_date
             FROM eligibility_checks WHERE practice_id = $1 AND batch_id = $2 AND id = ANY($3::bigint[]))
         SELECT e.id, py.payer_code, py.name AS payer_name, c.member_id, c.group_number, c.relationship,
                c.subscriber_first_name AS sub_first, c.subscriber_last_name AS sub_last,
                c.subscriber_date_of_birth::text AS sub_dob, c.subscriber_sex AS sub_sex,
                p.first_name AS p_first, p.last_name AS p_last, p.date_of_birth::text AS p_dob, p.sex AS p_sex,
                COALESCE(e.service_date, a.service_date)::text AS service_date, pr.npi AS practice_npi, pr.name AS practice_name, pr.tin AS practice_tin,
                pv.npi AS pv_npi, pv.entity_type AS pv_entity, pv.first_name AS pv_first, pv.last_name AS pv_last,
                pv.taxonomy_code AS pv_taxonomy
           FROM e
           JOIN coverages c ON c.practice_id = e.practice_id AND c.id = e.coverage_id
           JOIN payers py ON py.id = e.payer_id
           JOIN patients p ON p.practice_id = e.practice_id AND p.id = e.patient_id
           JOIN appointments a ON a.practice_id = e.practice_id AND a.id = e.appointment_id
           LEFT JOIN providers pv ON pv.practice_id = a.practice_id AND pv.id = a.provider_id
           JOIN practices pr ON pr.id = e.practice_id
          ORDER BY e.id`,
        [scope.practiceId, b.id, claimed.ids],
      );
      const date = options.at.slice(0, 10);
      const time = options.at.slice(11, 13) + options.at.slice(14, 16);
      const name = `270-${String(scope.practiceId)}-${String(b.isa).padStart(9, '0')}.x12`;
      try {
        const text = writeEligibilityInterchange(
          rows.rows.map((r) =>
            buildEligibilityInquiry(requestOf(r), { referenceId: bhtReference(b.id, r.id), date, time }),
          ),
          {
            interchange: {
              senderQualifier: h.sender_qualifier,
              senderId: h.sender_id,
              receiverQualifier: h.receiver_qualifier,
              receiverId: h.receiver_id,
              date,
              time,
              controlNumber: b.isa,
              usage: h.usage_indicator === 'P' ? 'P' : 'T',
              newlines: true,
            },
            senderCode: h.sender_id,
            receiverCode: h.receiver_id,
            groupControlNumber: b.gs,
            firstTransactionControlNumber: b.st,
          },
        );
        await transport.send(name, text);
      } catch (e) {
        // Not sent: the checks go back to the queue for the next run.
        await db.transaction(async (tx) => {
          await tx.query(`UPDATE submission_batches SET status = 'failed' WHERE id = $1`, [b.id]);
          await tx.query(
            `UPDATE eligibility_checks SET batch_id = NULL WHERE practice_id = $1 AND batch_id = $2 AND status = 'pending'`,
            [scope.practiceId, b.id],
          );
        });
        throw e;
      }
      // Sent: the batch says so (the checks' requested_at was set when they were claimed; a retry only
      // counts checks of sent batches).
      await db.query(
        `UPDATE submission_batches SET status = 'sent', file_name = $2, sent_at = $3 WHERE id = $1`,
        [b.id, name, options.at],
      );
      files.push(name);
      sent += rows.rows.length;
      if (claimed.ids.length < maxPerFile) break;
    }
  }
  return { batches: files.length, checksSent: sent, files };
}

export interface IngestEligibilityResult {
  readonly answered: number;
  /** Answers whose payer asked to be asked again later (AAA 42 / 80): the checks stay open for a retry. */
  readonly retryLater: number;
  /** Answers for checks already answered (the same file twice, or two pickups at once): left as they are. */
  readonly duplicates: number;
  readonly unmatched: number;
  readonly byClassification: Readonly<Record<string, number>>;
}

type Located = { member: EligibilityMember; context: Parameters<typeof summarizeMember>[1] };

function membersOf(tx: EligibilityTransaction): Located[] {
  const out: Located[] = [];
  for (const source of tx.sources) {
    for (const receiver of source.receivers) {
      for (const s of receiver.subscribers) {
        out.push({ member: s, context: { source, receiver } });
        for (const d of s.dependents) out.push({ member: d, context: { source, receiver, subscriber: s } });
      }
    }
  }
  return out;
}

/** AAA reasons that ask the inquirer to send the same question again later. */
const ASK_AGAIN = new Set(['42', '80']);

/**
 * Reads a file of 271s and records each answer on its check: matched by the TRN02 we sent (echoed on the
 * member), or — when the payer rejected the inquiry above the member levels and returned none of them — by
 * the BHT03 we sent. One transaction and a fixed number of statements per file. An answer that only says
 * "ask again later" (AAA 42 payer unable to respond now, 80 no response) leaves the check open for the
 * retry (`expireChecks`). Ingesting the same file again changes nothing.
 */
export async function ingestEligibilityResponses(
  db: Db,
  content: string,
  options: { readonly at: Instant },
): Promise<IngestEligibilityResult> {
  const parsed = parseEligibility(content);
  let unmatched = 0;
  const byClassification: Record<string, number> = {};
  const answers: { checkId: string; located?: Located; rejects: ReturnType<typeof eligibilityRejects> }[] =
    [];
  for (const tx of parsed.value) {
    if (tx.type !== '271') continue;
    const located = membersOf(tx).find((m) => m.member.traces.some((t) => /^\d+$/.test(t.referenceId)));
    const traceId = located?.member.traces.find((t) => /^\d+$/.test(t.referenceId))?.referenceId;
    const bht = /^\d+\.(\d+)$/.exec(tx.header.referenceId ?? '')?.[1];
    const checkId = traceId ?? bht;
    if (checkId === undefined) {
      unmatched++;
      continue;
    }
    answers.push({
      checkId,
      ...(located === undefined || traceId === undefined ? {} : { located }),
      rejects: eligibilityRejects(tx),
    });
  }
  if (answers.length === 0) return { answered: 0, retryLater: 0, duplicates: 0, unmatched, byClassification };
  return db.transaction(async (q) => {
    const checks = await q.query<{
      id: number;
      status: string;
      member_id: string;
      group_number: string | null;
      plan_name: string | null;
      copay_cents: number | null;
      service_date: string;
      taxonomy: string | null;
      previous: { facts?: CheckFacts } | null;
      others: OtherCoverageOnFile[] | null;
    }>(
      `SELECT e.id, e.status, c.member_id, c.group_number, c.plan_name, c.copay_cents, COALESCE(e.service_date, a.service_date)::text AS service_date,
              pv.taxonomy_code AS taxonomy,
              (SELECT p.response_summary FROM eligibility_checks p
                WHERE p.practice_id = e.practice_id AND p.coverage_id = e.coverage_id AND p.id < e.id AND p.status = 'responded'
                ORDER BY p.id DESC LIMIT 1) AS previous,
              -- The patient's other coverages on file on the date of service (a 271's EB*R is compared with them).
              (SELECT jsonb_agg(jsonb_build_object('payerId', opy.payer_code, 'payerName', opy.name))
                 FROM coverages o JOIN payers opy ON opy.id = o.payer_id
                WHERE o.practice_id = e.practice_id AND o.patient_id = e.patient_id AND o.id <> e.coverage_id
                  AND o.status = 'active' AND o.effective_from <= COALESCE(e.service_date, a.service_date)
                  AND (o.effective_to IS NULL OR o.effective_to >= COALESCE(e.service_date, a.service_date))) AS others
         FROM eligibility_checks e
         JOIN coverages c ON c.practice_id = e.practice_id AND c.id = e.coverage_id
         JOIN appointments a ON a.practice_id = e.practice_id AND a.id = e.appointment_id
         LEFT JOIN providers pv ON pv.practice_id = a.practice_id AND pv.id = a.provider_id
        WHERE e.id = ANY($1::bigint[])
        FOR UPDATE OF e`,
      [answers.map((a) => a.checkId)],
    );
    const byId = new Map(checks.rows.map((r) => [String(r.id), r]));
    let duplicates = 0;
    let retryLater = 0;
    const updates: { id: number; classification: string; summary: string; aaa: string; trace: string }[] = [];
    const retries: { id: number; summary: string; aaa: string }[] = [];
    for (const a of answers) {
      const c = byId.get(a.checkId);
      if (c === undefined) {
        unmatched++;
        continue;
      }
      byId.delete(a.checkId); // one answer per check
      if (c.status !== 'pending') {
        duplicates++;
        continue;
      }
      const aaa = a.rejects.map((r) => r.reasonCode).join(',');
      const again = a.rejects.find((r) => ASK_AGAIN.has(r.reasonCode));
      if (again !== undefined && (a.located === undefined || a.located.member.benefits.length === 0)) {
        retries.push({
          id: c.id,
          summary: JSON.stringify({
            reason: `${again.reason} (AAA ${again.reasonCode})`,
            action: 'Asked again automatically',
          }),
          aaa,
        });
        retryLater++;
        continue;
      }
      const previous = c.previous?.facts ?? undefined;
      const tier = copayTierOf(c.taxonomy);
      const result = classifyCheck({
        onFile: {
          memberId: c.member_id,
          ...(c.group_number === null ? {} : { groupNumber: c.group_number }),
          ...(c.plan_name === null ? {} : { planName: c.plan_name }),
          ...(c.copay_cents === null ? {} : { copayCents: Number(c.copay_cents) }),
        },
        serviceDate: c.service_date,
        ...(a.located === undefined
          ? {}
          : {
              summary: summarizeMember(a.located.member, a.located.context),
              benefits: a.located.member.benefits,
            }),
        rejects: a.rejects,
        ...(previous === undefined ? {} : { previous }),
        ...(tier === undefined ? {} : { tier }),
        otherCoverageOnFile: c.others ?? [],
      });
      updates.push({
        id: c.id,
        classification: result.classification,
        summary: JSON.stringify({
          reason: result.reason,
          action: result.action,
          changedFields: result.changedFields,
          facts: result.facts ?? null,
        }),
        aaa,
        trace: a.checkId,
      });
      byClassification[result.classification] = (byClassification[result.classification] ?? 0) + 1;
    }
    if (updates.length > 0) {
      await q.query(
        `UPDATE eligibility_checks e SET status = 'responded', responded_at = $1, classification = t.classification,
                response_summary = t.summary::jsonb, aaa_codes = CASE WHEN t.aaa = '' THEN '{}'::text[] ELSE string_to_array(t.aaa, ',') END,
                trace_number = t.trace
           FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[]) AS t(id, classification, summary, aaa, trace)
          WHERE e.id = t.id AND e.status = 'pending'`,
        [
          options.at,
          updates.map((u) => u.id),
          updates.map((u) => u.classification),
          updates.map((u) => u.summary),
          updates.map((u) => u.aaa),
          updates.map((u) => u.trace),
        ],
      );
    }
    if (retries.length > 0) {
      // Still open: `expireChecks` sends it again after the retry interval, or closes it as unconfirmed.
      await q.query(
        `UPDATE eligibility_checks e SET response_summary = t.summary::jsonb, aaa_codes = string_to_array(t.aaa, ',')
           FROM unnest($1::bigint[], $2::text[], $3::text[]) AS t(id, summary, aaa)
          WHERE e.id = t.id AND e.status = 'pending'`,
        [retries.map((u) => u.id), retries.map((u) => u.summary), retries.map((u) => u.aaa)],
      );
    }
    return { answered: updates.length, retryLater, duplicates, unmatched, byClassification };
  });
}

/**
 * Unanswered checks — sent (whatever the clearinghouse's 999 said of the batch since), and either silent or
 * answered "ask again later" (AAA 42 / 80): sent again
 * (attempts + 1) once `retryAfterHours` have passed, up to `maxAttempts`; after that closed as `unconfirmed`
 * with the front-desk action. A batch left 'building' for an hour (a run that stopped between claiming its
 * checks and sending them) gives its checks back, unsent. Safe to run again and at the same time as another
 * run: each statement only moves checks still in the state it expects.
 */
export async function expireChecks(
  db: Db,
  scope: PracticeScope,
  options: { readonly at: Instant; readonly retryAfterHours?: number; readonly maxAttempts?: number },
): Promise<{ retried: number; unconfirmed: number; released: number }> {
  const hours = options.retryAfterHours ?? 4;
  const max = options.maxAttempts ?? 3;
  return db.transaction(async (tx) => {
    const stale = await tx.query<{ id: number }>(
      `UPDATE submission_batches SET status = 'failed'
        WHERE practice_id = $1 AND transaction_type = '270' AND status = 'building'
          AND created_at <= $2::timestamptz - interval '1 hour'
        RETURNING id`,
      [scope.practiceId, options.at],
    );
    const released = await tx.query(
      `UPDATE eligibility_checks SET batch_id = NULL
        WHERE practice_id = $1 AND status = 'pending' AND batch_id = ANY($2::bigint[])`,
      [scope.practiceId, stale.rows.map((r) => r.id)],
    );
    // A sent batch: sent_at is set once the transport took the file; its status moves on when the
    // clearinghouse's 999 arrives (accepted, partially accepted, rejected) — its unanswered checks still wait.
    const sentBefore = `EXISTS (SELECT 1 FROM submission_batches b WHERE b.practice_id = e.practice_id AND b.id = e.batch_id
                                 AND b.sent_at IS NOT NULL)
          AND e.requested_at <= $2::timestamptz - make_interval(hours => $4)`;
    const unconfirmed = await tx.query(
      `UPDATE eligibility_checks e SET status = 'no_response', classification = 'unconfirmed',
              response_summary = jsonb_build_object(
                'reason', CASE WHEN e.response_summary ? 'reason'
                               THEN (e.response_summary->>'reason') || ', ' || e.attempts || ' attempts'
                               ELSE 'no answer from the payer after ' || e.attempts || ' attempts' END,
                'action', 'Verify the insurance card at check-in; call the payer if the visit needs confirmed coverage')
        WHERE e.practice_id = $1 AND e.status = 'pending' AND e.attempts >= $3 AND ${sentBefore}`,
      [scope.practiceId, options.at, max, hours],
    );
    const retried = await tx.query(
      `UPDATE eligibility_checks e SET attempts = attempts + 1, batch_id = NULL
        WHERE e.practice_id = $1 AND e.status = 'pending' AND e.attempts < $3 AND ${sentBefore}`,
      [scope.practiceId, options.at, max, hours],
    );
    return { retried: retried.rowCount, unconfirmed: unconfirmed.rowCount, released: released.rowCount };
  });
}

/** The date a check is about, for the report (the appointment's service date in the practice's zone). */
export function runDate(at: Instant, timeZone = 'UTC'): CalendarDate {
  return dateInZone(at, timeZone);
}
