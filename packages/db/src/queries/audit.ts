/** The append-only audit log: who did what to which record. Details carry ids, never PHI. */
import { coreError, PracticeId, type Instant } from '@openrcm/core';
import type { Queryable, Row } from '../db.ts';
import type { PracticeScope } from '../scope.ts';
import { instant, json, num, optStr, str } from './rows.ts';

export interface AuditInput {
  /** null for organization-level events. */
  readonly practiceId: PracticeId | null;
  /** 'user:<id>' or 'system:<job>'. */
  readonly actor: string;
  /** Dotted lower-case verb, e.g. 'claim.submit', 'write_off.approve'. */
  readonly action: string;
  readonly entityType: string;
  readonly entityId?: string | number;
  /** Ids, counts, field names — never patient data. */
  readonly details?: Readonly<Record<string, string | number | boolean | null>>;
}

export interface AuditEntry {
  readonly id: number;
  readonly practiceId: PracticeId;
  readonly at: Instant;
  readonly actor: string;
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string | null;
  readonly details: Record<string, unknown>;
}

export async function recordAudit(q: Queryable, input: AuditInput): Promise<void> {
  if (!/^[a-z][a-z0-9_.]*$/.test(input.action)) {
    throw coreError('core.invalid_argument', 'audit action must be a dotted lower-case name');
  }
  await q.query(
    `INSERT INTO audit_log (practice_id, actor, action, entity_type, entity_id, details) VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      input.practiceId,
      input.actor,
      input.action,
      input.entityType,
      input.entityId === undefined ? null : String(input.entityId),
      JSON.stringify(input.details ?? {}),
    ],
  );
}

function toEntry(row: Row): AuditEntry {
  return {
    id: num(row, 'id'),
    practiceId: PracticeId(num(row, 'practice_id')),
    at: instant(row, 'at'),
    actor: str(row, 'actor'),
    action: str(row, 'action'),
    entityType: str(row, 'entity_type'),
    entityId: optStr(row, 'entity_id'),
    details: json(row, 'details'),
  };
}

/** The practice's audit entries, newest first. */
export async function listAudit(
  q: Queryable,
  scope: PracticeScope,
  options: { readonly limit?: number } = {},
): Promise<AuditEntry[]> {
  const r = await q.query(
    `SELECT id, practice_id, at, actor, action, entity_type, entity_id, details FROM audit_log
      WHERE practice_id = $1 ORDER BY id DESC LIMIT $2`,
    [scope.practiceId, options.limit ?? 1000],
  );
  return r.rows.map(toEntry);
}
