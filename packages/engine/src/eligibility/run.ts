import { addBusinessDays, dateInZone, type CalendarDate, type Instant } from '@openrcm/core';
import type { Db, PracticeScope } from '@openrcm/db';
import {
  eligibilityRejects,
  parseEligibility,
  summarizeMember,
  write270Batch,
  type EligibilityMember,
  type EligibilityRequest,
  type EligibilityTransaction,
} from '@openrcm/x12/270-271';
import type { ClearinghouseTransport } from '../submission/transport.ts';
import { classifyCheck, type CheckFacts } from './classify.ts';

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
    const res = await tx.query(
      `INSERT INTO eligibility_checks (practice_id, patient_id, coverage_id, appointment_id, payer_id, requested_at, status, attempts)
       SELECT a.practice_id, a.patient_id, c.id, a.id, c.payer_id, $4, 'pending', 1
         FROM appointments a
         JOIN coverages c ON c.practice_id = a.practice_id AND c.patient_id = a.patient_id
              AND c.priority IN ('primary', 'secondary') AND c.status = 'active'
              AND c.effective_from <= a.service_date AND (c.effective_to IS NULL OR c.effective_to >= a.service_date)
        WHERE a.practice_id = $1 AND a.status <> 'cancelled'
          AND (CASE WHEN $5::bigint IS NULL
                    THEN a.service_date BETWEEN $2 AND $3
                         AND NOT EXISTS (SELECT 1 FROM eligibility_checks e WHERE e.practice_id = a.practice_id
                                           AND e.appointment_id = a.id AND e.coverage_id = c.id)
                    ELSE a.id = $5 END)`,
      [scope.practiceId, w.from, w.to, options.at, one],
    );
    return { appointments: appts.rows[0]?.n ?? 0, checksCreated: res.rowCount };
  });
}

type CheckRow = {
  id: number;
  payer_code: string;
  payer_name: string;
  clearinghouse_id: number | null;
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
};

function requestOf(r: CheckRow): EligibilityRequest {
  const self = r.relationship === '18';
  const gender = (v: string | null): 'F' | 'M' | 'U' => (v === 'F' || v === 'M' ? v : 'U');
  return {
    traceNumber: String(r.id),
    // TRN03: '1' followed by the submitter's EIN (270 TR3 2000C TRN03).
    traceOriginator: `1${r.practice_tin ?? '000000000'}`,
    payer: { name: r.payer_name, id: r.payer_code },
    provider: { npi: r.practice_npi ?? '', organizationName: r.practice_name },
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

/** Sends the practice's unsent checks as 270 batches through the given transports (by clearinghouse id). */
export async function sendChecks(
  db: Db,
  scope: PracticeScope,
  options: { readonly at: Instant; readonly transports: ReadonlyMap<number, ClearinghouseTransport> },
): Promise<SendResult> {
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
  const rows = await db.query<CheckRow>(
    `SELECT e.id, py.payer_code, py.name AS payer_name, py.clearinghouse_id, c.member_id, c.group_number, c.relationship,
            c.subscriber_first_name AS sub_first, c.subscriber_last_name AS sub_last,
            c.subscriber_date_of_birth::text AS sub_dob, c.subscriber_sex AS sub_sex,
            p.first_name AS p_first, p.last_name AS p_last, p.date_of_birth::text AS p_dob, p.sex AS p_sex,
            a.service_date::text AS service_date, pr.npi AS practice_npi, pr.name AS practice_name, pr.tin AS practice_tin
       FROM eligibility_checks e
       JOIN coverages c ON c.practice_id = e.practice_id AND c.id = e.coverage_id
       JOIN payers py ON py.id = e.payer_id
       JOIN patients p ON p.practice_id = e.practice_id AND p.id = e.patient_id
       JOIN appointments a ON a.practice_id = e.practice_id AND a.id = e.appointment_id
       JOIN practices pr ON pr.id = e.practice_id
      WHERE e.practice_id = $1 AND e.status = 'pending' AND e.batch_id IS NULL AND py.submission_channel = 'electronic'
      ORDER BY e.id`,
    [scope.practiceId],
  );
  const byHouse = new Map<number, CheckRow[]>();
  for (const r of rows.rows) {
    if (r.clearinghouse_id === null) continue;
    const list = byHouse.get(r.clearinghouse_id) ?? [];
    list.push(r);
    byHouse.set(r.clearinghouse_id, list);
  }
  const files: string[] = [];
  let sent = 0;
  for (const [houseId, checks] of byHouse) {
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
    const batch = await db.query<{ id: number; isa: number; gs: number; st: number }>(
      `INSERT INTO submission_batches (practice_id, clearinghouse_id, transaction_type, status, item_count, created_at)
       VALUES ($1, $2, '270', 'building', $3, $4)
       RETURNING id, isa_control_number AS isa, gs_control_number AS gs, nextval('x12_st_control_seq')::bigint AS st`,
      [scope.practiceId, houseId, checks.length, options.at],
    );
    const b = batch.rows[0];
    if (b === undefined) continue;
    const date = options.at.slice(0, 10);
    const time = options.at.slice(11, 13) + options.at.slice(14, 16);
    const text = write270Batch(
      checks.map(requestOf),
      { referenceId: String(b.id), date, time },
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
    const name = `270-${String(scope.practiceId)}-${String(b.isa).padStart(9, '0')}.x12`;
    try {
      await transport.send(name, text);
    } catch (e) {
      await db.query(`UPDATE submission_batches SET status = 'failed' WHERE id = $1`, [b.id]);
      throw e;
    }
    await db.transaction(async (tx) => {
      await tx.query(
        `UPDATE submission_batches SET status = 'sent', file_name = $2, sent_at = $3 WHERE id = $1`,
        [b.id, name, options.at],
      );
      await tx.query(
        `UPDATE eligibility_checks SET batch_id = $2, requested_at = $3 WHERE practice_id = $1 AND id = ANY($4::bigint[])`,
        [scope.practiceId, b.id, options.at, checks.map((c) => c.id)],
      );
    });
    files.push(name);
    sent += checks.length;
  }
  return { batches: files.length, checksSent: sent, files };
}

export interface IngestEligibilityResult {
  readonly answered: number;
  readonly unmatched: number;
  readonly byClassification: Readonly<Record<string, number>>;
}

function membersOf(
  tx: EligibilityTransaction,
): { member: EligibilityMember; context: Parameters<typeof summarizeMember>[1] }[] {
  const out: { member: EligibilityMember; context: Parameters<typeof summarizeMember>[1] }[] = [];
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

/** Reads a file of 271s and records each answer on its check (matched by the TRN02 we sent). */
export async function ingestEligibilityResponses(
  db: Db,
  content: string,
  options: { readonly at: Instant },
): Promise<IngestEligibilityResult> {
  const parsed = parseEligibility(content);
  let answered = 0;
  let unmatched = 0;
  const byClassification: Record<string, number> = {};
  // Each answer names its check by the TRN02 we sent; a reject above the member level (payer cannot
  // respond) still echoes it on the member.
  const answers: {
    traceId: string;
    member: ReturnType<typeof membersOf>[number];
    rejects: ReturnType<typeof eligibilityRejects>;
  }[] = [];
  for (const tx of parsed.value) {
    if (tx.type !== '271') continue;
    const withTrace = membersOf(tx).find((m) => m.member.traces.some((t) => /^\d+$/.test(t.referenceId)));
    const traceId = withTrace?.member.traces.find((t) => /^\d+$/.test(t.referenceId))?.referenceId;
    if (withTrace === undefined || traceId === undefined) {
      unmatched++;
      continue;
    }
    answers.push({ traceId, member: withTrace, rejects: eligibilityRejects(tx) });
  }
  if (answers.length === 0) return { answered, unmatched, byClassification };
  // One transaction per file, a fixed number of statements whatever its size.
  await db.transaction(async (q) => {
    const checks = await q.query<{
      id: number;
      member_id: string;
      group_number: string | null;
      plan_name: string | null;
      copay_cents: number | null;
      service_date: string;
      previous: { facts?: CheckFacts } | null;
    }>(
      `SELECT e.id, c.member_id, c.group_number, c.plan_name, c.copay_cents, a.service_date::text AS service_date,
              (SELECT p.response_summary FROM eligibility_checks p
                WHERE p.practice_id = e.practice_id AND p.coverage_id = e.coverage_id AND p.id < e.id AND p.status = 'responded'
                ORDER BY p.id DESC LIMIT 1) AS previous
         FROM eligibility_checks e
         JOIN coverages c ON c.practice_id = e.practice_id AND c.id = e.coverage_id
         JOIN appointments a ON a.practice_id = e.practice_id AND a.id = e.appointment_id
        WHERE e.id = ANY($1::bigint[]) AND e.status = 'pending'`,
      [answers.map((a) => a.traceId)],
    );
    const byId = new Map(checks.rows.map((r) => [String(r.id), r]));
    const updates: { id: number; classification: string; summary: string; aaa: string; trace: string }[] = [];
    for (const a of answers) {
      const c = byId.get(a.traceId);
      if (c === undefined) {
        unmatched++;
        continue;
      }
      byId.delete(a.traceId); // one answer per check
      const previous = c.previous?.facts ?? undefined;
      const result = classifyCheck({
        onFile: {
          memberId: c.member_id,
          ...(c.group_number === null ? {} : { groupNumber: c.group_number }),
          ...(c.plan_name === null ? {} : { planName: c.plan_name }),
          ...(c.copay_cents === null ? {} : { copayCents: Number(c.copay_cents) }),
        },
        serviceDate: c.service_date,
        summary: summarizeMember(a.member.member, a.member.context),
        rejects: a.rejects,
        ...(previous === undefined ? {} : { previous }),
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
        aaa: a.rejects.map((r) => r.reasonCode).join(','),
        trace: a.traceId,
      });
      byClassification[result.classification] = (byClassification[result.classification] ?? 0) + 1;
    }
    if (updates.length === 0) return;
    await q.query(
      `UPDATE eligibility_checks e SET status = 'responded', responded_at = $1, classification = t.classification,
              response_summary = t.summary::jsonb, aaa_codes = CASE WHEN t.aaa = '' THEN '{}'::text[] ELSE string_to_array(t.aaa, ',') END,
              trace_number = t.trace
         FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[]) AS t(id, classification, summary, aaa, trace)
        WHERE e.id = t.id`,
      [
        options.at,
        updates.map((u) => u.id),
        updates.map((u) => u.classification),
        updates.map((u) => u.summary),
        updates.map((u) => u.aaa),
        updates.map((u) => u.trace),
      ],
    );
    answered = updates.length;
  });
  return { answered, unmatched, byClassification };
}

/**
 * Unanswered checks: sent again (attempts + 1) once `retryAfterHours` have passed, up to `maxAttempts`; after
 * that they are closed as `unconfirmed`.
 */
export async function expireChecks(
  db: Db,
  scope: PracticeScope,
  options: { readonly at: Instant; readonly retryAfterHours?: number; readonly maxAttempts?: number },
): Promise<{ retried: number; unconfirmed: number }> {
  const hours = options.retryAfterHours ?? 4;
  const max = options.maxAttempts ?? 3;
  return db.transaction(async (tx) => {
    const unconfirmed = await tx.query(
      `UPDATE eligibility_checks SET status = 'no_response', classification = 'unconfirmed',
              response_summary = jsonb_build_object('reason', 'no answer from the payer after ' || attempts || ' attempts',
                                                    'action', 'Verify the insurance card at check-in; call the payer if the visit needs confirmed coverage')
        WHERE practice_id = $1 AND status = 'pending' AND batch_id IS NOT NULL AND attempts >= $3
          AND requested_at <= $2::timestamptz - make_interval(hours => $4)`,
      [scope.practiceId, options.at, max, hours],
    );
    const retried = await tx.query(
      `UPDATE eligibility_checks SET attempts = attempts + 1, batch_id = NULL
        WHERE practice_id = $1 AND status = 'pending' AND batch_id IS NOT NULL AND attempts < $3
          AND requested_at <= $2::timestamptz - make_interval(hours => $4)`,
      [scope.practiceId, options.at, max, hours],
    );
    return { retried: retried.rowCount, unconfirmed: unconfirmed.rowCount };
  });
}

/** The date a check is about, for the report (the appointment's service date in the practice's zone). */
export function runDate(at: Instant, timeZone = 'UTC'): CalendarDate {
  return dateInZone(at, timeZone);
}
