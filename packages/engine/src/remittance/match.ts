/**
 * Matching an 835 claim payment to our claim and its SVC lines to our claim lines (stage 4).
 *
 * CLP01 is our patient control number (the claim id as text, 837P CLM01), so the claim match is exact or
 * nothing. Lines match by REF*6R (our line item control number, 837P 2400 REF*6R) with confidence 1; when the
 * payer did not echo it, fallbacks score the claim's still-unmatched lines:
 *   procedure + modifiers + date + charge ............ 0.95  `procedure_date_charge`
 *   SVC06 original procedure (payer re-coded) ....... 0.9   `original_procedure`
 *   NDC (SVC01-1 = N4) + date + charge .............. 0.9   `ndc`
 *   procedure + date + charge, modifiers differ ..... 0.85  `modifier_changed` (payer dropped/changed one)
 *   procedure + date, charge differs ................ 0.5   (below the auto-post threshold: an exception)
 * A line scoring below {@link AUTO_POST_CONFIDENCE} is not posted automatically: the claim payment becomes a
 * posting exception listing the candidate line ids.
 */
import {
  centsFromDb,
  ClaimId,
  ClaimLineId,
  PatientId,
  PayerId,
  type Cents,
  type PracticeId,
} from '@openrcm/core';
import type { Queryable } from '@openrcm/db';
import type { ServicePayment } from '@openrcm/x12/835';

/** Lowest match confidence that posts without a human. */
export const AUTO_POST_CONFIDENCE = 0.8;

export const MATCH_METHODS = [
  'line_control_number',
  'procedure_date_charge',
  'modifier_changed',
  'original_procedure',
  'ndc',
  'unmatched',
] as const;
export type MatchMethod = (typeof MATCH_METHODS)[number];

/** One of our claim lines as matching sees it. */
export interface CandidateLine {
  readonly lineId: ClaimLineId;
  readonly lineControlNumber: string;
  readonly procedureCode: string;
  readonly modifiers: readonly string[];
  readonly serviceDate: string;
  readonly chargeCents: Cents;
  readonly units: number;
  readonly ndcCode: string | null;
}

export interface LineMatch {
  /** The matched line when confidence reaches {@link AUTO_POST_CONFIDENCE}. */
  readonly lineId?: ClaimLineId;
  readonly method: MatchMethod;
  readonly confidence: number;
  /** Lines that were considered plausible (for the exception's links). */
  readonly candidates: readonly ClaimLineId[];
}

/** DTM*472 service date, else the 150 (period start) date (835 TR3 2110 DTM). */
export function serviceDateOf(svc: ServicePayment): string | undefined {
  return (svc.dates.find((d) => d.qualifier === '472') ?? svc.dates.find((d) => d.qualifier === '150'))?.date;
}

/** REF*6R line item control number echoed by the payer. */
export function lineControlNumberOf(svc: ServicePayment): string | undefined {
  return svc.references.find((r) => r.qualifier === '6R')?.value;
}

function sameModifiers(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join(',') === [...b].sort().join(',');
}

function score(svc: ServicePayment, line: CandidateLine): { method: MatchMethod; confidence: number } | null {
  const date = serviceDateOf(svc);
  // No DTM in the 2110 loop: the claim-level dates apply (835 TR3), so a line date cannot disagree.
  const dateOk = date === undefined || date === line.serviceDate;
  const chargeOk = svc.charge === line.chargeCents;
  const proc = svc.procedure.code === line.procedureCode;
  if (dateOk && chargeOk) {
    if (proc && sameModifiers(svc.procedure.modifiers, line.modifiers)) {
      return { method: 'procedure_date_charge', confidence: 0.95 };
    }
    if (svc.originalProcedure !== undefined && svc.originalProcedure.code === line.procedureCode) {
      return { method: 'original_procedure', confidence: 0.9 };
    }
    if (svc.procedure.qualifier === 'N4' && line.ndcCode !== null && svc.procedure.code === line.ndcCode) {
      return { method: 'ndc', confidence: 0.9 };
    }
    if (proc) return { method: 'modifier_changed', confidence: 0.85 };
  }
  if (proc && dateOk) return { method: 'procedure_date_charge', confidence: 0.5 };
  return null;
}

/**
 * Matches each SVC line of one claim payment to a distinct line of our claim (REF*6R first, then the
 * fallbacks in SVC order). Pure.
 */
export function matchServiceLines(
  services: readonly ServicePayment[],
  lines: readonly CandidateLine[],
): LineMatch[] {
  const used = new Set<number>();
  const byControl = new Map(lines.map((l) => [l.lineControlNumber, l]));
  const out: (LineMatch | undefined)[] = services.map((svc) => {
    const ref = lineControlNumberOf(svc);
    const line = ref === undefined ? undefined : byControl.get(ref);
    if (line === undefined || used.has(line.lineId)) return undefined;
    used.add(line.lineId);
    return { lineId: line.lineId, method: 'line_control_number', confidence: 1, candidates: [line.lineId] };
  });
  return services.map((svc, i) => {
    const done = out[i];
    if (done) return done;
    let best: { line: CandidateLine; method: MatchMethod; confidence: number } | undefined;
    const candidates: ClaimLineId[] = [];
    for (const line of lines) {
      if (used.has(line.lineId)) continue;
      const s = score(svc, line);
      if (s === null) continue;
      candidates.push(line.lineId);
      if (best === undefined || s.confidence > best.confidence) best = { line, ...s };
    }
    if (best === undefined || best.confidence < AUTO_POST_CONFIDENCE) {
      return { method: 'unmatched', confidence: best?.confidence ?? 0, candidates };
    }
    used.add(best.line.lineId);
    return { lineId: best.line.lineId, method: best.method, confidence: best.confidence, candidates };
  });
}

/** Our claim as posting needs it. */
export interface MatchedClaim {
  readonly claimId: ClaimId;
  readonly patientId: PatientId;
  readonly payerId: PayerId;
  readonly status: string;
  readonly lines: readonly CandidateLine[];
}

type ClaimRow = {
  id: number;
  patient_id: number;
  payer_id: number;
  status: string;
  patient_control_number: string;
};
type LineRow = {
  claim_id: number;
  id: number;
  line_control_number: string;
  procedure_code: string;
  modifiers: string[];
  service_date: string;
  charge_cents: number | string;
  units: number;
  ndc_code: string | null;
};

function candidateOf(r: LineRow): CandidateLine {
  return {
    lineId: ClaimLineId(r.id),
    lineControlNumber: r.line_control_number,
    procedureCode: r.procedure_code,
    modifiers: r.modifiers,
    serviceDate: r.service_date,
    chargeCents: centsFromDb(r.charge_cents, 'charge_cents'),
    units: r.units,
    ndcCode: r.ndc_code,
  };
}

/**
 * The claim lines an earlier claim payment posted to (its matched line payments), whichever claim version they
 * belong to: what a reversal (CLP02 = 22) of that payment is matched against. A corrected claim's reversal of
 * the original adjudication names version 1's lines (REF*6R), not the latest version's.
 */
export async function loadPaymentLines(
  q: Queryable,
  practiceId: PracticeId,
  claimPaymentId: number,
): Promise<CandidateLine[]> {
  const l = await q.query<LineRow>(
    `SELECT l.claim_id, l.id, l.line_control_number, l.procedure_code, l.modifiers,
            l.service_date_from::text AS service_date, l.charge_cents, l.units, l.ndc_code
       FROM claim_lines l
      WHERE l.practice_id = $1
        AND l.id IN (SELECT lp.claim_line_id FROM line_payments lp WHERE lp.practice_id = $1 AND lp.claim_payment_id = $2)
      ORDER BY l.claim_version_id, l.line_number`,
    [practiceId, claimPaymentId],
  );
  return l.rows.map(candidateOf);
}

/**
 * CLP01s → our claims in the practice (patient control number), each with the lines of its latest version:
 * two queries for a whole transaction set.
 */
export async function loadClaimsByControlNumber(
  q: Queryable,
  practiceId: PracticeId,
  patientControlNumbers: readonly string[],
): Promise<Map<string, MatchedClaim>> {
  const out = new Map<string, MatchedClaim>();
  if (patientControlNumbers.length === 0) return out;
  const c = await q.query<ClaimRow>(
    `SELECT id, patient_id, payer_id, status, patient_control_number FROM claims
      WHERE practice_id = $1 AND patient_control_number = ANY($2::text[])`,
    [practiceId, [...new Set(patientControlNumbers)]],
  );
  if (c.rows.length === 0) return out;
  const l = await q.query<LineRow>(
    `SELECT l.claim_id, l.id, l.line_control_number, l.procedure_code, l.modifiers,
            l.service_date_from::text AS service_date, l.charge_cents, l.units, l.ndc_code
       FROM (SELECT DISTINCT ON (claim_id) id FROM claim_versions
              WHERE practice_id = $1 AND claim_id = ANY($2::bigint[]) ORDER BY claim_id, version_no DESC) v
       JOIN claim_lines l ON l.practice_id = $1 AND l.claim_version_id = v.id
      ORDER BY l.claim_id, l.line_number`,
    [practiceId, c.rows.map((r) => r.id)],
  );
  const lines = new Map<number, CandidateLine[]>();
  for (const r of l.rows) {
    const list = lines.get(r.claim_id) ?? [];
    list.push(candidateOf(r));
    lines.set(r.claim_id, list);
  }
  for (const r of c.rows) {
    out.set(r.patient_control_number, {
      claimId: ClaimId(r.id),
      patientId: PatientId(r.patient_id),
      payerId: PayerId(r.payer_id),
      status: r.status,
      lines: lines.get(r.id) ?? [],
    });
  }
  return out;
}

/** CLP01 → our claim in the practice (see {@link loadClaimsByControlNumber}). */
export async function findClaim(
  q: Queryable,
  practiceId: PracticeId,
  patientControlNumber: string,
): Promise<MatchedClaim | null> {
  return (
    (await loadClaimsByControlNumber(q, practiceId, [patientControlNumber])).get(patientControlNumber) ?? null
  );
}
