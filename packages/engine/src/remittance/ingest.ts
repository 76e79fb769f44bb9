/**
 * ERA ingest (stage 4): reads an 835 file with the x12 reader and posts EACH transaction set (one payment:
 * BPR + TRN) in ONE database transaction — all or nothing. Idempotent: a remittance is identified by payer +
 * TRN trace + a hash of its content, so importing it again posts nothing and says so. A transaction set with
 * error diagnostics (e.g. money that does not balance) is refused with its located diagnostics and posts
 * nothing; the good ones in the same file post.
 *
 * Per claim payment: CLP01 → our claim, CLP07 kept as the payer claim number, SVC → our lines (match.ts);
 * the posting plan (posting/plan.ts) goes to the ledger; reversals (CLP02 = 22) post the exact negation of
 * the payment they reverse; crossovers are marked on the claim; denials and underpayments open work items;
 * anything not auto-postable becomes a posting exception (its money waits in unapplied_cash).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import {
  addHours,
  centsFromDb,
  ClaimId,
  coreError,
  OpenRcmError,
  LedgerTransactionId,
  PracticeId,
  type CalendarDate,
  type Cents,
  type ClaimLineId,
  type Instant,
  PayerId,
} from '@openrcm/core';
import { postLedgerTransaction, practiceScope, type Db, type PracticeScope, type Tx } from '@openrcm/db';
import { DiagnosticSink, type Diagnostic } from '@openrcm/x12';
import { stream835, type ClaimPayment, type Read835Options, type Remittance835 } from '@openrcm/x12/835';
import { findDenials } from '../posting/denials.ts';
import { reverseForRemittance } from '../posting/ledger.ts';
import {
  CROSSOVER_STATUSES,
  planClaimPayment,
  planProviderAdjustment,
  planUnapplied,
  REVERSAL_STATUS,
  type PlannedTransaction,
} from '../posting/plan.ts';
import { underpaidBy } from '../posting/underpayment.ts';
import {
  findClaim,
  lineControlNumberOf,
  matchServiceLines,
  serviceDateOf,
  type LineMatch,
  type MatchedClaim,
} from './match.ts';

export interface ImportEraOptions {
  /** When the file was received (posting lag = posted − received). */
  readonly receivedAt: Instant;
  /** 'system:<job>' or 'user:<id>' (claim status history, work items, ledger). */
  readonly actor?: string;
  /** Posting time (the injected clock); defaults to now. */
  readonly now?: Instant;
  /** Post to this practice instead of resolving it from the payee (N1*PE) or the claims. */
  readonly practiceId?: number;
  /** Post as this payer instead of resolving it from N1*PR / REF*2U / TRN03 or the claims. */
  readonly payerId?: number;
  /** CARC/RARC lists to check codes against (an unknown code refuses the transaction set). */
  readonly codeLists?: Read835Options['codeLists'];
}

export type EraInput = { readonly text: string; readonly fileName?: string } | { readonly file: string };

export const TRANSACTION_SET_OUTCOMES = ['posted', 'duplicate', 'refused'] as const;
export type TransactionSetOutcome = (typeof TRANSACTION_SET_OUTCOMES)[number];

/** What happened to one 835 transaction set. Ids and counts only: no patient data. */
export interface TransactionSetResult {
  /** ST02. */
  readonly controlNumber: string;
  readonly outcome: TransactionSetOutcome;
  /** The remittance posted now, or the one this set duplicates. */
  readonly remittanceId?: number;
  readonly traceNumber?: string;
  readonly paymentCents?: number;
  /** Why a set was refused: 'diagnostics' | 'payee_unknown' | 'payer_unknown'. */
  readonly reason?: string;
  readonly diagnostics: readonly Diagnostic[];
  readonly claims: number;
  readonly claimExceptions: number;
  readonly lines: number;
  readonly linesAutoPosted: number;
  readonly ledgerTransactions: number;
  readonly denials: number;
  readonly underpayments: number;
  readonly reversals: number;
}

export interface ImportEraResult {
  readonly fileSha256: string;
  readonly transactionSets: readonly TransactionSetResult[];
  /** Tokenizer / interchange findings not tied to one transaction set. */
  readonly fileDiagnostics: readonly Diagnostic[];
}

const DEFAULT_ACTOR = 'system:era.import';

/** Canonical content hash: the typed remittance without source locations or the ST02 control number. */
function contentHash(payerKey: string, trace: string, r: Remittance835): string {
  const body = JSON.stringify(r, (k, v: unknown) => (k === 'at' || k === 'controlNumber' ? undefined : v));
  return createHash('sha256').update(`${payerKey}\n${trace}\n${body}`).digest('hex');
}

/**
 * Imports one 835 file (text or path). Each transaction set is parsed, checked and posted in its own
 * database transaction; see the module doc.
 */
export async function importEra(
  db: Db,
  input: EraInput,
  options: ImportEraOptions,
): Promise<ImportEraResult> {
  const fileHash = createHash('sha256');
  let size = 0;
  const source: AsyncIterable<string | Uint8Array> | Iterable<string> =
    'file' in input
      ? (async function* () {
          for await (const chunk of createReadStream(input.file) as AsyncIterable<Buffer>) {
            fileHash.update(chunk);
            size += chunk.length;
            yield chunk;
          }
        })()
      : (function* () {
          fileHash.update(input.text);
          size += Buffer.byteLength(input.text);
          yield input.text;
        })();
  const sink = new DiagnosticSink();
  const results: TransactionSetResult[] = [];
  const readOptions = options.codeLists === undefined ? {} : { codeLists: options.codeLists };
  for await (const read of stream835(source, readOptions, sink)) {
    results.push(await postTransactionSet(db, read.value, read.diagnostics, options));
  }
  const sha = fileHash.digest('hex');
  const fileName = 'file' in input ? basename(input.file) : (input.fileName ?? 'era.835');
  await db.query(
    `INSERT INTO inbound_files (kind, file_name, content_sha256, size_bytes, received_at, status, processed_at)
     VALUES ('835', $1, $2, $3, $4, $5, $6) ON CONFLICT (content_sha256) DO NOTHING`,
    [
      fileName,
      sha,
      size,
      options.receivedAt,
      results.every((r) => r.outcome === 'duplicate') && results.length > 0 ? 'duplicate' : 'processed',
      postedAt(options),
    ],
  );
  return { fileSha256: sha, transactionSets: results, fileDiagnostics: sink.items };
}

function postedAt(options: ImportEraOptions): Instant {
  const now = options.now ?? (new Date().toISOString() as Instant);
  // remittances CHECK posted_at >= received_at: a receipt stamped in the future posts "at" receipt.
  return now < options.receivedAt ? options.receivedAt : now;
}

function refused(r: Remittance835, reason: string, diagnostics: readonly Diagnostic[]): TransactionSetResult {
  return {
    controlNumber: r.controlNumber,
    outcome: 'refused',
    reason,
    diagnostics,
    ...(r.trace === undefined ? {} : { traceNumber: r.trace.traceNumber }),
    paymentCents: r.payment.amount,
    claims: 0,
    claimExceptions: 0,
    lines: 0,
    linesAutoPosted: 0,
    ledgerTransactions: 0,
    denials: 0,
    underpayments: 0,
    reversals: 0,
  };
}

type IdRow = { id: number };

function claimPayments(r: Remittance835): ClaimPayment[] {
  return r.headers.flatMap((h) => h.claims);
}

/** N1*PE XX → practices.npi, FI/REF*TJ → practices.tin, else the one practice owning the CLP01 claims. */
async function resolvePractice(db: Db, r: Remittance835, forced: number | undefined): Promise<number | null> {
  if (forced !== undefined) return forced;
  const npi = r.payee.idQualifier === 'XX' ? r.payee.id : undefined;
  const tins = [
    ...(r.payee.idQualifier === 'FI' && r.payee.id !== undefined ? [r.payee.id] : []),
    ...r.payee.references.filter((x) => x.qualifier === 'TJ').map((x) => x.value),
  ].map((t) => t.replace(/-/g, ''));
  const byId = await db.query<IdRow>(
    `SELECT id FROM practices WHERE ($1::text IS NOT NULL AND npi = $1) OR tin = ANY($2::text[]) ORDER BY id`,
    [npi ?? null, tins],
  );
  if (byId.rows.length === 1) return byId.rows[0]?.id ?? null;
  const pcns = [...new Set(claimPayments(r).map((c) => c.patientControlNumber))];
  const byClaims = await db.query<IdRow>(
    'SELECT DISTINCT practice_id AS id FROM claims WHERE patient_control_number = ANY($1::text[])',
    [pcns],
  );
  return byClaims.rows.length === 1 ? (byClaims.rows[0]?.id ?? null) : null;
}

/** N1*PR N104, REF*2U, TRN03 (with or without its leading '1'), BPR10 → payers.payer_code; else the claims' payer. */
async function resolvePayer(db: Db, practiceId: number, r: Remittance835): Promise<number | null> {
  const keys = [
    r.payer.id,
    ...r.payer.references.filter((x) => x.qualifier === '2U').map((x) => x.value),
    r.trace?.originatorId,
    r.trace?.originatorId.replace(/^1/, ''),
    r.payment.originatingCompanyId,
  ].filter((k): k is string => k !== undefined && k !== '');
  const byCode = await db.query<IdRow>(
    'SELECT id FROM payers WHERE payer_code = ANY($1::text[]) ORDER BY id',
    [keys],
  );
  if (byCode.rows[0]) return byCode.rows[0].id;
  const pcns = [...new Set(claimPayments(r).map((c) => c.patientControlNumber))];
  const byClaims = await db.query<IdRow>(
    `SELECT payer_id AS id FROM claims WHERE practice_id = $1 AND patient_control_number = ANY($2::text[])
      GROUP BY payer_id ORDER BY count(*) DESC, payer_id LIMIT 1`,
    [practiceId, pcns],
  );
  return byClaims.rows[0]?.id ?? null;
}

async function postTransactionSet(
  db: Db,
  r: Remittance835,
  diagnostics: readonly Diagnostic[],
  options: ImportEraOptions,
): Promise<TransactionSetResult> {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || r.trace === undefined) return refused(r, 'diagnostics', errors);
  const practiceId = await resolvePractice(db, r, options.practiceId);
  if (practiceId === null) return refused(r, 'payee_unknown', []);
  const payerId = options.payerId ?? (await resolvePayer(db, practiceId, r));
  if (payerId === null) return refused(r, 'payer_unknown', []);
  const trace = r.trace.traceNumber;
  const sha = contentHash(String(payerId), trace, r);
  const scope = practiceScope(practiceId);
  try {
    return await db.transaction((tx) => new Poster(tx, scope, PayerId(payerId), r, options).run(sha, trace));
  } catch (e) {
    // The set rolled back as a whole. A retryable failure (serialization, lost connection) is the caller's to
    // retry; anything else (a value the schema refuses, a broken invariant) refuses this set and lets the
    // other sets of the file post. The message names constraints and ids, never values (wrapDbError).
    if (!(e instanceof OpenRcmError) || e.retryable) throw e;
    return refused(r, `posting_failed: ${e.code}: ${e.message}`, []);
  }
}

type Counters = {
  claims: number;
  claimExceptions: number;
  lines: number;
  linesAutoPosted: number;
  ledgerTransactions: number;
  denials: number;
  underpayments: number;
  reversals: number;
};

/** Posts one transaction set inside one database transaction. */
class Poster {
  private readonly actor: string;
  private readonly at: Instant;
  private readonly effectiveDate: CalendarDate;
  private remittanceId = 0;
  private readonly n: Counters = {
    claims: 0,
    claimExceptions: 0,
    lines: 0,
    linesAutoPosted: 0,
    ledgerTransactions: 0,
    denials: 0,
    underpayments: 0,
    reversals: 0,
  };

  constructor(
    private readonly tx: Tx,
    private readonly scope: PracticeScope,
    private readonly payerId: PayerId,
    private readonly r: Remittance835,
    private readonly options: ImportEraOptions,
  ) {
    this.actor = options.actor ?? DEFAULT_ACTOR;
    this.at = postedAt(options);
    this.effectiveDate = r.payment.date as CalendarDate;
  }

  private get practiceId(): number {
    return this.scope.practiceId;
  }

  async run(sha: string, trace: string): Promise<TransactionSetResult> {
    const { r } = this;
    const inserted = await this.tx.query<IdRow>(
      `INSERT INTO remittances (practice_id, payer_id, content_sha256, trace_number, payer_trn_id, handling_code,
                                payment_cents, credit_debit, payment_method, payment_date, status, received_at,
                                st_control_number)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'posting', $11, $12)
       ON CONFLICT (content_sha256) DO NOTHING RETURNING id`,
      [
        this.practiceId,
        this.payerId,
        sha,
        trace,
        r.trace?.originatorId ?? null,
        r.payment.handlingCode,
        r.payment.amount,
        r.payment.creditDebit,
        r.payment.method,
        r.payment.date,
        this.options.receivedAt,
        r.controlNumber,
      ],
    );
    const base = {
      controlNumber: r.controlNumber,
      traceNumber: trace,
      paymentCents: r.payment.amount,
      diagnostics: [] as Diagnostic[],
    };
    const row = inserted.rows[0];
    if (!row) {
      const existing = await this.tx.query<IdRow>('SELECT id FROM remittances WHERE content_sha256 = $1', [
        sha,
      ]);
      return {
        ...base,
        outcome: 'duplicate',
        ...(existing.rows[0] ? { remittanceId: existing.rows[0].id } : {}),
        ...this.n,
      };
    }
    this.remittanceId = row.id;
    for (const cp of claimPayments(r)) await this.claimPayment(cp);
    for (const plb of r.providerAdjustments) {
      for (const item of plb.items) await this.providerAdjustment(plb.providerId, plb.fiscalPeriodDate, item);
    }
    await this.checkCash();
    const status =
      this.n.claimExceptions === 0
        ? 'posted'
        : this.n.claimExceptions === this.n.claims
          ? 'exception'
          : 'partially_posted';
    await this.tx.query(
      `UPDATE remittances SET status = $3, posted_at = $4, claims_total = $5, claims_exception = $6,
              lines_total = $7, lines_auto_posted = $8
        WHERE practice_id = $1 AND id = $2`,
      [
        this.practiceId,
        this.remittanceId,
        status,
        this.at,
        this.n.claims,
        this.n.claimExceptions,
        this.n.lines,
        this.n.linesAutoPosted,
      ],
    );
    await this.tx.query(
      `INSERT INTO audit_log (practice_id, at, actor, action, entity_type, entity_id, details)
       VALUES ($1, $2, $3, 'remittance.posted', 'remittance', $4, $5)`,
      [
        this.practiceId,
        this.at,
        this.actor,
        String(this.remittanceId),
        JSON.stringify({ ...this.n, status }),
      ],
    );
    return { ...base, outcome: 'posted', remittanceId: this.remittanceId, ...this.n };
  }

  /** Guard: the remittance's cash postings must equal BPR02 (signed by BPR03), or the whole set rolls back. */
  private async checkCash(): Promise<void> {
    const res = await this.tx.query<{ total: number | string | null }>(
      `SELECT sum(e.amount_cents) AS total FROM ledger_entries e
         JOIN ledger_transactions t ON t.practice_id = e.practice_id AND t.id = e.transaction_id
        WHERE t.practice_id = $1 AND t.remittance_id = $2 AND e.account = 'cash'`,
      [this.practiceId, this.remittanceId],
    );
    const cash = centsFromDb(res.rows[0]?.total ?? 0, 'cash');
    const bpr = this.r.payment.creditDebit === 'D' ? -this.r.payment.amount : this.r.payment.amount;
    if (cash !== bpr) {
      throw coreError('core.internal', `remittance cash postings ${cash} differ from BPR02 ${bpr}`, {
        details: { remittanceId: this.remittanceId },
      });
    }
  }

  private async post(plan: readonly PlannedTransaction[], claimPaymentId?: number): Promise<void> {
    for (const t of plan) {
      const res = await postLedgerTransaction(this.tx, this.scope, {
        kind: t.kind,
        effectiveDate: this.effectiveDate,
        idempotencyKey: t.key,
        entries: t.entries,
        remittanceId: this.remittanceId,
        ...(claimPaymentId === undefined ? {} : { claimPaymentId }),
        actor: this.actor,
        memo: t.memo,
      });
      if (res.created) this.n.ledgerTransactions += 1;
    }
  }

  private async claimPayment(cp: ClaimPayment): Promise<void> {
    this.n.claims += 1;
    const lineCount = Math.max(1, cp.services.length);
    this.n.lines += lineCount;
    const claim = await findClaim(this.tx, PracticeId(this.practiceId), cp.patientControlNumber);
    const matches = claim ? matchServiceLines(cp.services, claim.lines) : cp.services.map(() => undefined);
    const crossoverName = CROSSOVER_STATUSES.has(cp.status)
      ? (cp.crossoverCarrier?.last ?? cp.crossoverCarrier?.id ?? null)
      : null;
    const cpRow = await this.tx.query<IdRow>(
      `INSERT INTO claim_payments (practice_id, remittance_id, claim_id, patient_control_number, claim_status_code,
                                   charge_cents, paid_cents, patient_responsibility_cents, claim_filing_indicator,
                                   payer_claim_number, crossover_payer_name, posting_status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'pending') RETURNING id`,
      [
        this.practiceId,
        this.remittanceId,
        claim?.claimId ?? null,
        cp.patientControlNumber,
        cp.status,
        cp.charge,
        cp.paid,
        cp.patientResponsibility ?? 0,
        cp.filingIndicator,
        cp.payerClaimControlNumber ?? null,
        crossoverName,
      ],
    );
    const cpId = cpRow.rows[0]?.id ?? 0;
    const lineIds = await this.storeDetail(cpId, cp, matches);
    const keyPrefix = `era:${this.remittanceId}:cp:${cpId}`;

    const unmatchedLines = matches.filter((m) => m?.lineId === undefined).length;
    if (claim === null || unmatchedLines > 0) {
      await this.exception(cpId, cp, claim, matches, keyPrefix);
      return;
    }
    if (cp.status === REVERSAL_STATUS && (await this.reverse(cpId, cp, claim.claimId))) {
      this.n.linesAutoPosted += lineCount;
      await this.markPosted(cpId);
      return;
    }
    const plan = planClaimPayment({
      keyPrefix,
      claimId: claim.claimId,
      patientId: claim.patientId,
      payerId: this.payerId,
      payment: cp,
      serviceLines: matches.map((m) => m?.lineId).filter((x): x is ClaimLineId => x !== undefined),
      claimLines: claim.lines.map((l) => ({ lineId: l.lineId, chargeCents: l.chargeCents })),
    });
    await this.post(plan, cpId);
    this.n.linesAutoPosted += lineCount;
    await this.markPosted(cpId);
    await this.afterAdjudication(cpId, cp, claim, lineIds);
  }

  private async markPosted(cpId: number): Promise<void> {
    await this.tx.query(
      `UPDATE claim_payments SET posting_status = 'posted' WHERE practice_id = $1 AND id = $2`,
      [this.practiceId, cpId],
    );
  }

  /** line_payments, adjustments (claim and line CAS) and remark codes; returns the line_payments ids. */
  private async storeDetail(
    cpId: number,
    cp: ClaimPayment,
    matches: readonly (LineMatch | undefined)[],
  ): Promise<number[]> {
    const ids: number[] = [];
    const adj = async (
      lineId: number | null,
      group: string,
      reason: string,
      amount: number,
      qty?: number,
    ): Promise<void> => {
      await this.tx.query(
        `INSERT INTO adjustments (practice_id, claim_payment_id, line_payment_id, group_code, reason_code, amount_cents, quantity)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [this.practiceId, cpId, lineId, group, reason, amount, qty === undefined ? null : Math.round(qty)],
      );
    };
    const remark = async (lineId: number | null, code: string, source: string): Promise<void> => {
      // remark_codes.code CHECK: RARC shape only (LQ*RX NCPDP reject codes are kept in the file, not here).
      if (!/^[A-Z]{1,2}[0-9]{1,4}$/.test(code)) return;
      await this.tx.query(
        `INSERT INTO remark_codes (practice_id, claim_payment_id, line_payment_id, code, source) VALUES ($1, $2, $3, $4, $5)`,
        [this.practiceId, cpId, lineId, code, source],
      );
    };
    for (const cas of cp.adjustments)
      for (const it of cas.items) await adj(null, cas.group, it.reason, it.amount, it.quantity);
    for (const code of cp.outpatient?.remarks ?? []) await remark(null, code, 'MOA');
    for (const [i, svc] of cp.services.entries()) {
      const m = matches[i];
      const res = await this.tx.query<IdRow>(
        `INSERT INTO line_payments (practice_id, claim_payment_id, claim_line_id, line_control_number, procedure_code,
                                    modifiers, charge_cents, paid_cents, units_paid, service_date, allowed_cents,
                                    match_method, match_confidence)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
        [
          this.practiceId,
          cpId,
          m?.lineId ?? null,
          lineControlNumberOf(svc) ?? null,
          svc.procedure.code,
          svc.procedure.modifiers,
          svc.charge,
          svc.paid,
          svc.units === undefined ? null : Math.round(svc.units),
          serviceDateOf(svc) ?? null,
          svc.amounts.find((a) => a.qualifier === 'B6')?.amount ?? null,
          m?.method ?? 'unmatched',
          m?.confidence ?? 0,
        ],
      );
      const lpId = res.rows[0]?.id ?? 0;
      ids.push(lpId);
      for (const cas of svc.adjustments)
        for (const it of cas.items) await adj(lpId, cas.group, it.reason, it.amount, it.quantity);
      for (const rk of svc.remarks) if (rk.qualifier === 'HE') await remark(lpId, rk.code, 'LQ');
    }
    return ids;
  }

  /** Not auto-postable: the money waits in unapplied_cash and a person gets a posting exception. */
  private async exception(
    cpId: number,
    cp: ClaimPayment,
    claim: MatchedClaim | null,
    matches: readonly (LineMatch | undefined)[],
    keyPrefix: string,
  ): Promise<void> {
    this.n.claimExceptions += 1;
    await this.post(planUnapplied(keyPrefix, cp.paid as Cents, this.payerId), cpId);
    await this.tx.query(
      `UPDATE claim_payments SET posting_status = 'exception' WHERE practice_id = $1 AND id = $2`,
      [this.practiceId, cpId],
    );
    let candidateClaimIds: number[] = [];
    if (claim === null) {
      // Candidates for a person to choose from: this payer's claims with the same billed total.
      const c = await this.tx.query<IdRow>(
        `SELECT c.id FROM claims c JOIN claim_versions v ON v.practice_id = c.practice_id AND v.claim_id = c.id
          WHERE c.practice_id = $1 AND c.payer_id = $2 AND v.total_charge_cents = $3 ORDER BY c.id DESC LIMIT 5`,
        [this.practiceId, this.payerId, Math.abs(cp.charge)],
      );
      candidateClaimIds = c.rows.map((x) => x.id);
    }
    const reason = claim === null ? 'claim_not_found' : 'line_not_matched';
    await this.workItem(
      'posting_exception',
      'posting',
      `posting_exception:cp:${cpId}`,
      2,
      null,
      `Posting exception (${reason}): claim payment ${cpId} of remittance ${this.remittanceId}`,
      {
        remittanceId: this.remittanceId,
        claimPaymentId: cpId,
        reason,
        ...(claim === null ? { candidateClaimIds } : { claimId: claim.claimId }),
        unmatchedServices: matches.flatMap((m, i) => (m?.lineId === undefined ? [i + 1] : [])),
        candidateLineIds: [
          ...new Set(matches.flatMap((m) => (m?.lineId === undefined ? (m?.candidates ?? []) : []))),
        ],
      },
    );
  }

  /**
   * CLP02 = 22: negate exactly what the reversed claim payment posted (the ledger is append-only). The
   * reversed payment is this claim's latest posted, not yet reversed payment whose CLP04 is the negation of
   * this one's (preferring the same CLP07). Returns false when there is none: the reversal then posts its own
   * (negative) amounts through the ordinary plan.
   */
  private async reverse(cpId: number, cp: ClaimPayment, claimId: ClaimId): Promise<boolean> {
    const prior = await this.tx.query<IdRow>(
      `SELECT p.id FROM claim_payments p
        WHERE p.practice_id = $1 AND p.claim_id = $2 AND p.id <> $3 AND p.claim_status_code <> '22'
          AND p.posting_status = 'posted' AND p.paid_cents = $4
          AND NOT EXISTS (SELECT 1 FROM claim_payments q WHERE q.practice_id = p.practice_id AND q.reverses_claim_payment_id = p.id)
        ORDER BY (p.payer_claim_number IS NOT DISTINCT FROM $5) DESC, p.id DESC LIMIT 1`,
      [this.practiceId, claimId, cpId, -cp.paid, cp.payerClaimControlNumber ?? null],
    );
    const priorId = prior.rows[0]?.id;
    if (priorId === undefined) return false;
    const txns = await this.tx.query<IdRow>(
      `SELECT id FROM ledger_transactions WHERE practice_id = $1 AND claim_payment_id = $2 AND kind <> 'reversal' ORDER BY id`,
      [this.practiceId, priorId],
    );
    for (const t of txns.rows) {
      const created = await reverseForRemittance(this.tx, this.scope, LedgerTransactionId(t.id), {
        effectiveDate: this.effectiveDate,
        idempotencyKey: `era:${this.remittanceId}:cp:${cpId}:reverses:${t.id}`,
        remittanceId: this.remittanceId,
        claimPaymentId: cpId,
        actor: this.actor,
        memo: `reversal of claim payment ${priorId}`,
      });
      if (created) this.n.ledgerTransactions += 1;
    }
    await this.tx.query(
      `UPDATE claim_payments SET reverses_claim_payment_id = $3 WHERE practice_id = $1 AND id = $2`,
      [this.practiceId, cpId, priorId],
    );
    this.n.reversals += 1;
    return true;
  }

  /** After a (non-reversal) adjudication: claim number, crossover, status, denials, underpayments. */
  private async afterAdjudication(
    cpId: number,
    cp: ClaimPayment,
    claim: MatchedClaim,
    lpIds: readonly number[],
  ): Promise<void> {
    if (cp.payerClaimControlNumber !== undefined && cp.payerClaimControlNumber !== '') {
      // 2100 CLP07 payer claim control number: REF*F8 of a corrected or void claim (837P 2300).
      await this.tx.query(`UPDATE claims SET payer_claim_number = $3 WHERE practice_id = $1 AND id = $2`, [
        this.practiceId,
        claim.claimId,
        cp.payerClaimControlNumber,
      ]);
    }
    if (CROSSOVER_STATUSES.has(cp.status)) {
      // CLP02 19/20/21 + NM1*TT: forwarded by the payer; the secondary must not be billed by us.
      await this.tx.query(
        `UPDATE claims SET crossed_over_to = $3, crossed_over_at = $4 WHERE practice_id = $1 AND id = $2`,
        [
          this.practiceId,
          claim.claimId,
          cp.crossoverCarrier?.last ?? cp.crossoverCarrier?.id ?? 'crossover',
          this.at,
        ],
      );
    }
    const denials = findDenials(cp);
    for (const d of denials) {
      const lpId = d.serviceIndex === undefined ? null : (lpIds[d.serviceIndex] ?? null);
      const res = await this.tx.query<IdRow>(
        `INSERT INTO denials (practice_id, claim_id, claim_payment_id, line_payment_id, payer_id, group_code, reason_code,
                              remark_codes, amount_cents, category, route, detected_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
        [
          this.practiceId,
          claim.claimId,
          cpId,
          lpId,
          this.payerId,
          d.group,
          d.reason,
          d.remarks,
          d.amountCents,
          d.category,
          d.route,
          this.at,
        ],
      );
      const denialId = res.rows[0]?.id ?? 0;
      this.n.denials += 1;
      // DOMAIN stage 5: every denial is worked within 72 h.
      await this.workItem(
        'denial',
        'denials',
        `denial:${denialId}`,
        2,
        addHours(this.at, 72),
        `Denial ${d.group}-${d.reason} (${d.category}) on claim ${claim.claimId}`,
        {
          claimId: claim.claimId,
          denialId,
          claimPaymentId: cpId,
          ...(lpId === null ? {} : { linePaymentId: lpId }),
          remittanceId: this.remittanceId,
          group: d.group,
          carc: d.reason,
          rarc: d.remarks,
          amountCents: d.amountCents,
          route: d.route,
        },
      );
    }
    await this.underpayments(cpId, cp, claim, lpIds);
    const deniedAny = denials.length > 0 || cp.status === '4';
    const next = deniedAny ? (cp.paid > 0 ? 'partially_paid' : 'denied') : 'paid';
    if (next !== claim.status) {
      await this.tx.query(
        `UPDATE claims SET status = $3, updated_at = $4 WHERE practice_id = $1 AND id = $2`,
        [this.practiceId, claim.claimId, next, this.at],
      );
      await this.tx.query(
        `INSERT INTO claim_status_history (practice_id, claim_id, from_status, to_status, at, actor, reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          this.practiceId,
          claim.claimId,
          claim.status,
          next,
          this.at,
          this.actor,
          `835 CLP02 ${cp.status}, remittance ${this.remittanceId}`,
        ],
      );
    }
  }

  /** AMT*B6 allowed vs the contracted fee schedule (code + modifier + date) beyond the payer's tolerance. */
  private async underpayments(
    cpId: number,
    cp: ClaimPayment,
    claim: MatchedClaim,
    lpIds: readonly number[],
  ): Promise<void> {
    const tol = await this.tx.query<{ cents: number | string; bp: number }>(
      `SELECT underpayment_tolerance_cents AS cents, underpayment_tolerance_bp AS bp FROM practice_payer_settings
        WHERE practice_id = $1 AND payer_id = $2`,
      [this.practiceId, this.payerId],
    );
    const tolerance = { cents: centsFromDb(tol.rows[0]?.cents ?? 0, 'tolerance'), bp: tol.rows[0]?.bp ?? 0 };
    for (const [i, svc] of cp.services.entries()) {
      const allowed = svc.amounts.find((a) => a.qualifier === 'B6')?.amount;
      if (allowed === undefined) continue;
      const date = serviceDateOf(svc) ?? claim.lines[0]?.serviceDate;
      const line = claim.lines.find((l) => lpIds[i] !== undefined && l.procedureCode === svc.procedure.code);
      const code = line?.procedureCode ?? svc.procedure.code;
      const modifier = svc.procedure.modifiers[0] ?? '';
      const fee = await this.tx.query<{ amount_cents: number | string }>(
        `SELECT e.amount_cents FROM fee_schedules f
           JOIN fee_schedule_entries e ON e.practice_id = f.practice_id AND e.fee_schedule_id = f.id
          WHERE f.practice_id = $1 AND f.payer_id = $2 AND f.kind = 'contracted'
            AND f.effective_from <= $3::date AND (f.effective_to IS NULL OR f.effective_to >= $3::date)
            AND e.procedure_code = $4 AND e.modifier IN ($5, '')
          ORDER BY (e.modifier = $5) DESC, f.effective_from DESC LIMIT 1`,
        [this.practiceId, this.payerId, date ?? this.effectiveDate, code, modifier],
      );
      const rate = fee.rows[0];
      if (!rate) continue;
      const units = svc.units ?? line?.units ?? 1;
      const expected = Math.round(centsFromDb(rate.amount_cents, 'fee') * units) as Cents;
      const short = underpaidBy(expected, allowed as Cents, tolerance);
      if (short === null) continue;
      this.n.underpayments += 1;
      await this.workItem(
        'underpayment',
        'posting',
        `underpayment:lp:${lpIds[i] ?? 0}`,
        3,
        null,
        `Underpayment on claim ${claim.claimId}: allowed below contract`,
        {
          claimId: claim.claimId,
          claimPaymentId: cpId,
          linePaymentId: lpIds[i] ?? null,
          remittanceId: this.remittanceId,
          procedureCode: code,
          expectedCents: expected,
          receivedCents: allowed,
          shortfallCents: short,
        },
      );
    }
  }

  /** PLB item: stored, linked to the claim PLB03-2 names (CLP07 or our claim id) when found, posted. */
  private async providerAdjustment(
    providerId: string,
    fiscalDate: string,
    item: { readonly reason: string; readonly reference?: string; readonly amount: number },
  ): Promise<void> {
    const res = await this.tx.query<IdRow>(
      `INSERT INTO plb_adjustments (practice_id, remittance_id, provider_identifier, fiscal_period_date, reason_code, reference_id, amount_cents)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [
        this.practiceId,
        this.remittanceId,
        providerId,
        fiscalDate,
        item.reason,
        item.reference ?? null,
        item.amount,
      ],
    );
    const plbId = res.rows[0]?.id ?? 0;
    const claimId = item.reference === undefined ? null : await this.claimByReference(item.reference);
    await this.post(
      planProviderAdjustment({
        key: `era:${this.remittanceId}:plb:${plbId}`,
        reason: item.reason,
        amountCents: item.amount as Cents,
        payerId: this.payerId,
        ...(claimId === null ? {} : { claimId: ClaimId(claimId) }),
      }),
    );
  }

  /** PLB03-2 → claim: the payer claim number (CLP07) or our patient control number, also after a 'FCN#'-style prefix. */
  private async claimByReference(reference: string): Promise<number | null> {
    const refs = [...new Set([reference, reference.replace(/^.*[#:]/, '')])].filter((x) => x !== '');
    const c = await this.tx.query<IdRow>(
      `SELECT id FROM claims WHERE practice_id = $1 AND (payer_claim_number = ANY($2::text[]) OR patient_control_number = ANY($2::text[]))
        ORDER BY id DESC LIMIT 1`,
      [this.practiceId, refs],
    );
    return c.rows[0]?.id ?? null;
  }

  private async workItem(
    type: 'denial' | 'underpayment' | 'posting_exception',
    queue: 'denials' | 'posting',
    dedupeKey: string,
    priority: number,
    dueAt: Instant | null,
    title: string,
    links: Record<string, unknown>,
  ): Promise<void> {
    await this.tx.query(
      `INSERT INTO work_items (practice_id, type, queue, priority, title, due_at, links, dedupe_key, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
       ON CONFLICT (practice_id, dedupe_key) WHERE dedupe_key IS NOT NULL AND status NOT IN ('done', 'cancelled') DO NOTHING`,
      [this.practiceId, type, queue, priority, title, dueAt, JSON.stringify(links), dedupeKey, this.at],
    );
  }
}
