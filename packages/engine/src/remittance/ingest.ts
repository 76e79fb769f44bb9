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
import { pfsSettingForPos } from '@openrcm/codesets';
import { practiceScope, type Db, type PracticeScope, type Tx } from '@openrcm/db';
import { DiagnosticSink, type Diagnostic } from '@openrcm/x12';
import { stream835, type ClaimPayment, type Read835Options, type Remittance835 } from '@openrcm/x12/835';
import { findDenials } from '../posting/denials.ts';
import { postPlanned, reverseForRemittance, type PlannedPosting } from '../posting/ledger.ts';
import {
  CROSSOVER_STATUSES,
  planClaimPayment,
  planProviderAdjustment,
  planUnapplied,
  REVERSAL_STATUS,
} from '../posting/plan.ts';
import { underpaidBy } from '../posting/underpayment.ts';
import {
  lineControlNumberOf,
  loadClaimsByControlNumber,
  loadPaymentLines,
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
  /** The inbound_files row of this file (its remittances link to it). */
  readonly inboundFileId: number;
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
/**
 * A large file grows the posting tables from whatever they held to many times that within one import. Planner
 * statistics taken when they were small (or empty, right after onboarding) make every later set's statements plan
 * as if they still were — seq scans where an index probe is right, so each set costs more than the one before
 * (measured: 2,977 lines/s at 30,000 lines, 714 lines/s at 180,000 on a server with autovacuum off). The embedded
 * database has no autovacuum at all, so the import does what it would: re-read the statistics of the tables it
 * writes after 8, 32, 128, 512 and 2,048 sets — a handful of ANALYZEs per file, each a bounded sample.
 */
const ANALYZE_AFTER_SETS = new Set([8, 32, 128, 512, 2048]);
const POSTING_TABLES =
  'remittances, claim_payments, line_payments, adjustments, remark_codes, ledger_transactions, ledger_entries';

export async function importEra(
  db: Db,
  input: EraInput,
  options: ImportEraOptions,
): Promise<ImportEraResult> {
  // The file is recorded (inbound_files) before its sets post, so each remittance links to the file it came
  // in; a path is hashed in a first streaming pass, so memory stays flat whatever the file size.
  const { sha, size } = 'file' in input ? await hashFile(input.file) : hashText(input.text);
  const fileName = 'file' in input ? basename(input.file) : (input.fileName ?? 'era.835');
  const inboundFileId = await recordInboundFile(db, { fileName, sha, size, receivedAt: options.receivedAt });
  const source: AsyncIterable<string | Uint8Array> | Iterable<string> =
    'file' in input ? (createReadStream(input.file) as AsyncIterable<Buffer>) : [input.text];
  const sink = new DiagnosticSink();
  const results: TransactionSetResult[] = [];
  const readOptions = options.codeLists === undefined ? {} : { codeLists: options.codeLists };
  // Read-ahead of one transaction set: the next set is read and parsed while the database posts this one
  // (the parse runs whenever posting waits on the database). At most two sets are in memory.
  const sets = stream835(source, readOptions, sink)[Symbol.asyncIterator]();
  try {
    let next = sets.next();
    for (;;) {
      const read = await next;
      if (read.done === true) break;
      next = sets.next();
      // Awaited on the next turn; until then a failure must not surface as an unhandled rejection.
      next.catch(() => undefined);
      results.push(
        await postTransactionSet(db, read.value.value, read.value.diagnostics, inboundFileId, options),
      );
      if (ANALYZE_AFTER_SETS.has(results.length)) await db.exec(`ANALYZE ${POSTING_TABLES}`);
    }
  } finally {
    await sets.return?.(undefined);
  }
  const status =
    results.length === 0 || results.every((r) => r.outcome === 'refused')
      ? 'failed'
      : results.every((r) => r.outcome === 'duplicate')
        ? 'duplicate'
        : 'processed';
  // A file processed before keeps its first outcome; one left 'received' (an import that stopped midway)
  // takes this run's.
  await db.query(
    `UPDATE inbound_files SET status = $2, processed_at = $3, error_code = $4
      WHERE id = $1 AND (status = 'received' OR $2 = 'processed')`,
    [inboundFileId, status, postedAt(options), status === 'failed' ? 'no_transaction_set_posted' : null],
  );
  return { fileSha256: sha, inboundFileId, transactionSets: results, fileDiagnostics: sink.items };
}

async function hashFile(path: string): Promise<{ sha: string; size: number }> {
  const h = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    h.update(chunk);
    size += chunk.length;
  }
  return { sha: h.digest('hex'), size };
}

function hashText(text: string): { sha: string; size: number } {
  return { sha: createHash('sha256').update(text).digest('hex'), size: Buffer.byteLength(text) };
}

/** The inbound_files row of this content (one per SHA-256): created now, or the one of an earlier import. */
async function recordInboundFile(
  db: Db,
  f: { fileName: string; sha: string; size: number; receivedAt: Instant },
): Promise<number> {
  const inserted = await db.query<IdRow>(
    `INSERT INTO inbound_files (kind, file_name, content_sha256, size_bytes, received_at, status)
     VALUES ('835', $1, $2, $3, $4, 'received') ON CONFLICT (content_sha256) DO NOTHING RETURNING id`,
    [f.fileName, f.sha, f.size, f.receivedAt],
  );
  const id =
    inserted.rows[0]?.id ??
    (await db.query<IdRow>('SELECT id FROM inbound_files WHERE content_sha256 = $1', [f.sha])).rows[0]?.id;
  if (id === undefined) throw coreError('core.internal', 'inbound file row neither inserted nor found');
  return id;
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
  inboundFileId: number,
  options: ImportEraOptions,
): Promise<TransactionSetResult> {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || r.trace === undefined) return refused(r, 'diagnostics', errors);
  const practiceId = await resolvePractice(db, r, options.practiceId);
  if (practiceId === null) return refused(r, 'payee_unknown', []);
  const payerId = options.payerId ?? (await resolvePayer(db, practiceId, r));
  if (payerId === null) return refused(r, 'payer_unknown', []);
  const trace = r.trace.traceNumber;
  // Keyed on the payer as the 835 names it (TRN03), not on how we resolved it: importing the same ERA again
  // with or without --payer, or for another practice, is still the same remittance.
  const sha = contentHash(r.trace.originatorId, trace, r);
  const scope = practiceScope(practiceId);
  try {
    return await db.transaction((tx) =>
      new Poster(tx, scope, PayerId(payerId), r, inboundFileId, options).run(sha, trace),
    );
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
  private readonly workItems: WorkItemRow[] = [];

  constructor(
    private readonly tx: Tx,
    private readonly scope: PracticeScope,
    private readonly payerId: PayerId,
    private readonly r: Remittance835,
    private readonly inboundFileId: number,
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
                                st_control_number, inbound_file_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'posting', $11, $12, $13)
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
        this.inboundFileId,
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
    await this.claimPayments(claimPayments(r));
    await this.providerAdjustments();
    await this.flushWorkItems();
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
      // LATERAL drives the sum from this remittance's transactions through the entries' transaction index,
      // whatever the planner's statistics say (a stale estimate once made this a nested loop over all cash).
      `SELECT sum(e.amount_cents) AS total
         FROM (SELECT id FROM ledger_transactions WHERE practice_id = $1 AND remittance_id = $2) t
         CROSS JOIN LATERAL (SELECT x.amount_cents FROM ledger_entries x
                              WHERE x.transaction_id = t.id AND x.account = 'cash') e`,
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

  private async post(plan: readonly PlannedPosting[]): Promise<void> {
    this.n.ledgerTransactions += await postPlanned(
      this.tx,
      this.scope,
      { effectiveDate: this.effectiveDate, remittanceId: this.remittanceId, actor: this.actor },
      plan,
    );
  }

  /**
   * Every claim payment of the set, in a fixed number of statements: claims loaded and lines matched in
   * memory, rows inserted with pre-allocated ids, all ledger transactions in one batch. Reversals (rare) are
   * resolved one by one after the batch.
   */
  private async claimPayments(cps: readonly ClaimPayment[]): Promise<void> {
    if (cps.length === 0) return;
    const practiceId = PracticeId(this.practiceId);
    const claims = await loadClaimsByControlNumber(
      this.tx,
      practiceId,
      cps.map((c) => c.patientControlNumber),
    );
    const cpIds = await allocateIds(this.tx, 'claim_payments', cps.length);
    const lpIdList = await allocateIds(
      this.tx,
      'line_payments',
      cps.reduce((n, c) => n + c.services.length, 0),
    );
    let next = 0;
    const items: Item[] = cps.map((cp, i) => {
      const claim = claims.get(cp.patientControlNumber) ?? null;
      const matches: (LineMatch | undefined)[] = claim
        ? matchServiceLines(cp.services, claim.lines)
        : cp.services.map(() => undefined);
      const lpIds = cp.services.map(() => lpIdList[next++] ?? 0);
      const matched = claim !== null && matches.every((m) => m?.lineId !== undefined);
      // A reversal is matched later, against the lines of the payment it reverses (reverse()): those may be
      // the lines of an earlier claim version than the one loaded here.
      const kind: Item['kind'] =
        claim !== null && cp.status === REVERSAL_STATUS ? 'reversal' : matched ? 'adjudication' : 'exception';
      return { cp, id: cpIds[i] ?? 0, claim, matches, lpIds, kind };
    });
    await this.storeRows(items);

    const plan: PlannedPosting[] = [];
    for (const it of items) {
      const lineCount = Math.max(1, it.cp.services.length);
      this.n.claims += 1;
      this.n.lines += lineCount;
      if (it.kind === 'exception') {
        this.n.claimExceptions += 1;
        for (const t of planUnapplied(
          `era:${this.remittanceId}:cp:${it.id}`,
          it.cp.paid as Cents,
          this.payerId,
        )) {
          plan.push({ ...t, claimPaymentId: it.id });
        }
        continue;
      }
      this.n.linesAutoPosted += lineCount;
      if (it.kind === 'adjudication') plan.push(...this.planFor(it));
    }
    await this.post(plan);
    // CLP02 = 22 after the batch: the payment it reverses may be an earlier claim payment of this very set.
    const unmatched: { it: Item; why: ExceptionReason }[] = [];
    for (const it of items) {
      if (it.kind !== 'reversal' || it.claim === null) continue;
      const failed = await this.reverse(it, it.claim.claimId);
      if (failed !== null) unmatched.push({ it: { ...it, matches: failed.matches }, why: failed.why });
    }
    await this.reversalExceptions(unmatched);
    await this.claimUpdates(items.filter((it) => it.kind === 'adjudication'));
    await this.denials(items.filter((it) => it.kind === 'adjudication'));
    await this.underpayments(items.filter((it) => it.kind === 'adjudication'));
    for (const it of items) if (it.kind === 'exception') await this.exceptionItem(it);
  }

  /**
   * A reversal (CLP02 = 22) with no posted, unreversed payment of the claim for −CLP04 to undo
   * (`reversal_without_payment`), or whose SVC lines do not match the lines that payment posted to
   * (`line_not_matched`): nothing is guessed. Its (negative) CLP04 goes to unapplied_cash so the set still
   * reconciles to BPR02, the claim payment becomes an exception and a posting_exception work item asks a person
   * to resolve it.
   */
  private async reversalExceptions(failed: readonly { it: Item; why: ExceptionReason }[]): Promise<void> {
    if (failed.length === 0) return;
    const items = failed.map((f) => f.it);
    const plan: PlannedPosting[] = [];
    for (const { it, why } of failed) {
      this.n.claimExceptions += 1;
      this.n.linesAutoPosted -= Math.max(1, it.cp.services.length);
      for (const t of planUnapplied(
        `era:${this.remittanceId}:cp:${it.id}`,
        it.cp.paid as Cents,
        this.payerId,
      )) {
        plan.push({ ...t, claimPaymentId: it.id });
      }
      await this.exceptionItem(it, why);
    }
    await this.post(plan);
    await this.tx.query(
      `UPDATE claim_payments SET posting_status = 'exception' WHERE practice_id = $1 AND id = ANY($2::bigint[])`,
      [this.practiceId, items.map((it) => it.id)],
    );
  }

  private planFor(it: Item): PlannedPosting[] {
    if (it.claim === null) return [];
    return planClaimPayment({
      keyPrefix: `era:${this.remittanceId}:cp:${it.id}`,
      claimId: it.claim.claimId,
      patientId: it.claim.patientId,
      payerId: this.payerId,
      payment: it.cp,
      serviceLines: it.matches.map((m) => m?.lineId).filter((x): x is ClaimLineId => x !== undefined),
      claimLines: it.claim.lines.map((l) => ({ lineId: l.lineId, chargeCents: l.chargeCents })),
    }).map((t) => ({ ...t, claimPaymentId: it.id }));
  }

  /** claim_payments, line_payments, adjustments (claim and line CAS) and RARC rows, one statement each. */
  private async storeRows(items: readonly Item[]): Promise<void> {
    const { tx, practiceId } = this;
    await tx.query(
      `INSERT INTO claim_payments (id, practice_id, remittance_id, claim_id, patient_control_number, claim_status_code,
                                   charge_cents, paid_cents, patient_responsibility_cents, claim_filing_indicator,
                                   payer_claim_number, crossover_payer_name, posting_status)
       SELECT c.id, $1, $2, c.claim_id, c.pcn, c.status, c.charge, c.paid, c.pr, c.cfi, c.pcc, c.xover, c.posting
         FROM unnest($3::bigint[], $4::bigint[], $5::text[], $6::text[], $7::bigint[], $8::bigint[], $9::bigint[],
                     $10::text[], $11::text[], $12::text[], $13::text[])
           AS c(id, claim_id, pcn, status, charge, paid, pr, cfi, pcc, xover, posting)`,
      [
        practiceId,
        this.remittanceId,
        items.map((it) => it.id),
        items.map((it) => it.claim?.claimId ?? null),
        items.map((it) => it.cp.patientControlNumber),
        items.map((it) => it.cp.status),
        items.map((it) => it.cp.charge),
        items.map((it) => it.cp.paid),
        items.map((it) => it.cp.patientResponsibility ?? 0),
        items.map((it) => it.cp.filingIndicator),
        items.map((it) => it.cp.payerClaimControlNumber ?? null),
        items.map((it) => crossoverName(it.cp)),
        items.map((it) => (it.kind === 'exception' ? 'exception' : 'posted')),
      ],
    );
    const lines = items.flatMap((it) =>
      it.cp.services.map((svc, i) => ({ it, svc, id: it.lpIds[i] ?? 0, m: it.matches[i] })),
    );
    if (lines.length > 0) {
      await tx.query(
        `INSERT INTO line_payments (id, practice_id, claim_payment_id, claim_line_id, line_control_number, procedure_code,
                                    modifiers, charge_cents, paid_cents, units_paid, service_date, allowed_cents,
                                    match_method, match_confidence)
         SELECT l.id, $1, l.cp, l.line, l.lcn, l.code, COALESCE(string_to_array(l.mods, ','), '{}'), l.charge, l.paid, l.units, l.dos,
                l.allowed, l.method, l.confidence
           FROM unnest($2::bigint[], $3::bigint[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::bigint[],
                       $9::bigint[], $10::int[], $11::date[], $12::bigint[], $13::text[], $14::real[])
             AS l(id, cp, line, lcn, code, mods, charge, paid, units, dos, allowed, method, confidence)`,
        [
          practiceId,
          lines.map((x) => x.id),
          lines.map((x) => x.it.id),
          lines.map((x) => x.m?.lineId ?? null),
          lines.map((x) => lineControlNumberOf(x.svc) ?? null),
          lines.map((x) => x.svc.procedure.code),
          lines.map((x) =>
            x.svc.procedure.modifiers.length === 0 ? null : x.svc.procedure.modifiers.join(','),
          ),
          lines.map((x) => x.svc.charge),
          lines.map((x) => x.svc.paid),
          lines.map((x) => (x.svc.units === undefined ? null : Math.round(x.svc.units))),
          lines.map((x) => serviceDateOf(x.svc) ?? null),
          lines.map((x) => x.svc.amounts.find((a) => a.qualifier === 'B6')?.amount ?? null),
          lines.map((x) => x.m?.method ?? 'unmatched'),
          lines.map((x) => x.m?.confidence ?? 0),
        ],
      );
    }
    const adj: {
      cp: number;
      lp: number | null;
      group: string;
      reason: string;
      amount: number;
      qty: number | null;
    }[] = [];
    const rarc: { cp: number; lp: number | null; code: string; source: string }[] = [];
    for (const it of items) {
      for (const c of it.cp.adjustments) {
        for (const x of c.items) {
          adj.push({
            cp: it.id,
            lp: null,
            group: c.group,
            reason: x.reason,
            amount: x.amount,
            qty: qtyOf(x.quantity),
          });
        }
      }
      for (const code of it.cp.outpatient?.remarks ?? [])
        rarc.push({ cp: it.id, lp: null, code, source: 'MOA' });
      it.cp.services.forEach((svc, i) => {
        const lp = it.lpIds[i] ?? null;
        for (const c of svc.adjustments) {
          for (const x of c.items) {
            adj.push({
              cp: it.id,
              lp,
              group: c.group,
              reason: x.reason,
              amount: x.amount,
              qty: qtyOf(x.quantity),
            });
          }
        }
        for (const rk of svc.remarks)
          if (rk.qualifier === 'HE') rarc.push({ cp: it.id, lp, code: rk.code, source: 'LQ' });
      });
    }
    if (adj.length > 0) {
      await tx.query(
        `INSERT INTO adjustments (practice_id, claim_payment_id, line_payment_id, group_code, reason_code, amount_cents, quantity)
         SELECT $1, a.cp, a.lp, a.grp, a.reason, a.amount, a.qty
           FROM unnest($2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::bigint[], $7::int[]) AS a(cp, lp, grp, reason, amount, qty)`,
        [
          practiceId,
          adj.map((a) => a.cp),
          adj.map((a) => a.lp),
          adj.map((a) => a.group),
          adj.map((a) => a.reason),
          adj.map((a) => a.amount),
          adj.map((a) => a.qty),
        ],
      );
    }
    // remark_codes.code CHECK: RARC shape only (LQ*RX NCPDP reject codes stay in the file).
    const remarks = rarc.filter((x) => /^[A-Z]{1,2}[0-9]{1,4}$/.test(x.code));
    if (remarks.length > 0) {
      await tx.query(
        `INSERT INTO remark_codes (practice_id, claim_payment_id, line_payment_id, code, source)
         SELECT $1, x.cp, x.lp, x.code, x.source FROM unnest($2::bigint[], $3::bigint[], $4::text[], $5::text[]) AS x(cp, lp, code, source)`,
        [
          practiceId,
          remarks.map((x) => x.cp),
          remarks.map((x) => x.lp),
          remarks.map((x) => x.code),
          remarks.map((x) => x.source),
        ],
      );
    }
  }

  /** A posting exception work item; its money already went to unapplied_cash. */
  private async exceptionItem(it: Item, why?: ExceptionReason): Promise<void> {
    let candidateClaimIds: number[] = [];
    if (it.claim === null) {
      // Candidates for a person to choose from: this payer's claims with the same billed total.
      const c = await this.tx.query<IdRow>(
        `SELECT c.id FROM claims c JOIN claim_versions v ON v.practice_id = c.practice_id AND v.claim_id = c.id
          WHERE c.practice_id = $1 AND c.payer_id = $2 AND v.total_charge_cents = $3 ORDER BY c.id DESC LIMIT 5`,
        [this.practiceId, this.payerId, Math.abs(it.cp.charge)],
      );
      candidateClaimIds = c.rows.map((x) => x.id);
    }
    const reason = why ?? (it.claim === null ? 'claim_not_found' : 'line_not_matched');
    this.workItems.push({
      type: 'posting_exception',
      queue: 'posting',
      dedupeKey: `posting_exception:cp:${it.id}`,
      priority: 2,
      dueAt: null,
      title: `Posting exception (${reason}): claim payment ${it.id} of remittance ${this.remittanceId}`,
      links: {
        remittanceId: this.remittanceId,
        claimPaymentId: it.id,
        reason,
        ...(it.claim === null ? { candidateClaimIds } : { claimId: it.claim.claimId }),
        unmatchedServices: it.matches.flatMap((m, i) => (m?.lineId === undefined ? [i + 1] : [])),
        candidateLineIds: [
          ...new Set(it.matches.flatMap((m) => (m?.lineId === undefined ? (m?.candidates ?? []) : []))),
        ],
      },
    });
  }

  /**
   * CLP02 = 22: negate exactly what the reversed claim payment posted, on the lines it posted to. The reversed
   * payment is an earlier, posted, not yet reversed payment of this claim whose CLP04 is the negation of this
   * one's (preferring the same CLP07, then the latest) and whose lines the reversal's SVCs match (REF*6R or the
   * fallbacks) — whichever claim version those lines belong to: after a correction the payer reverses the
   * original adjudication against version 1's lines. The reversal's line payments are linked to those lines.
   * Returns null when posted, else why not (the reversal is then a posting exception: reversalExceptions).
   */
  private async reverse(
    it: Item,
    claimId: ClaimId,
  ): Promise<{ why: ExceptionReason; matches: Item['matches'] } | null> {
    const { id: cpId, cp } = it;
    const priors = await this.tx.query<IdRow>(
      `SELECT p.id FROM claim_payments p
        WHERE p.practice_id = $1 AND p.claim_id = $2 AND p.id < $3 AND p.claim_status_code <> '22'
          AND p.posting_status = 'posted' AND p.paid_cents = $4
          AND NOT EXISTS (SELECT 1 FROM claim_payments q WHERE q.practice_id = p.practice_id AND q.reverses_claim_payment_id = p.id)
        ORDER BY (p.payer_claim_number IS NOT DISTINCT FROM $5) DESC, p.id DESC`,
      [this.practiceId, claimId, cpId, -cp.paid, cp.payerClaimControlNumber ?? null],
    );
    if (priors.rows.length === 0) return { why: 'reversal_without_payment', matches: it.matches };
    let found: { priorId: number; matches: readonly LineMatch[] } | undefined;
    let firstMiss: readonly LineMatch[] = [];
    for (const p of priors.rows) {
      const lines = await loadPaymentLines(this.tx, PracticeId(this.practiceId), p.id);
      const matches = matchServiceLines(cp.services, lines);
      if (matches.every((m) => m.lineId !== undefined)) {
        found = { priorId: p.id, matches };
        break;
      }
      if (firstMiss.length === 0) firstMiss = matches;
    }
    if (found === undefined) return { why: 'line_not_matched', matches: firstMiss };
    const { priorId, matches } = found;
    if (matches.length > 0) {
      await this.tx.query(
        `UPDATE line_payments lp SET claim_line_id = x.line, match_method = x.method, match_confidence = x.confidence
           FROM unnest($2::bigint[], $3::bigint[], $4::text[], $5::real[]) AS x(id, line, method, confidence)
          WHERE lp.practice_id = $1 AND lp.id = x.id`,
        [
          this.practiceId,
          it.lpIds,
          matches.map((m) => m.lineId ?? null),
          matches.map((m) => m.method),
          matches.map((m) => m.confidence),
        ],
      );
    }
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
    return null;
  }

  /** CLP07 payer claim number, crossover mark, and status (with history) of every adjudicated claim. */
  private async claimUpdates(items: readonly Item[]): Promise<void> {
    const last = new Map<number, { pcc: string | null; xover: string | null; status: string }>();
    const history: { claimId: number; from: string; to: string; reason: string }[] = [];
    const current = new Map<number, string>();
    for (const it of items) {
      if (it.claim === null) continue;
      const id = it.claim.claimId;
      const prev = last.get(id);
      const from = current.get(id) ?? it.claim.status;
      const denied = findDenials(it.cp).length > 0 || it.cp.status === '4';
      const to = denied ? (it.cp.paid > 0 ? 'partially_paid' : 'denied') : 'paid';
      if (to !== from) {
        history.push({
          claimId: id,
          from,
          to,
          reason: `835 CLP02 ${it.cp.status}, remittance ${this.remittanceId}`,
        });
      }
      current.set(id, to);
      const pcc = it.cp.payerClaimControlNumber;
      last.set(id, {
        // 2100 CLP07 payer claim control number: REF*F8 of a corrected or void claim (837P 2300).
        pcc: pcc !== undefined && pcc !== '' ? pcc : (prev?.pcc ?? null),
        // CLP02 19/20/21 + NM1*TT: forwarded by the payer; the secondary must not be billed by us.
        xover: crossoverName(it.cp) ?? prev?.xover ?? null,
        status: to,
      });
    }
    if (last.size === 0) return;
    const ids = [...last.keys()];
    const rows = ids.map((id) => last.get(id));
    await this.tx.query(
      `UPDATE claims c SET status = u.status, updated_at = $2,
              payer_claim_number = COALESCE(u.pcc, c.payer_claim_number),
              crossed_over_to = COALESCE(u.xover, c.crossed_over_to),
              crossed_over_at = CASE WHEN u.xover IS NULL THEN c.crossed_over_at ELSE $2 END
         FROM unnest($3::bigint[], $4::text[], $5::text[], $6::text[]) AS u(id, status, pcc, xover)
        WHERE c.practice_id = $1 AND c.id = u.id`,
      [
        this.practiceId,
        this.at,
        ids,
        rows.map((x) => x?.status ?? 'paid'),
        rows.map((x) => x?.pcc ?? null),
        rows.map((x) => x?.xover ?? null),
      ],
    );
    if (history.length > 0) {
      await this.tx.query(
        `INSERT INTO claim_status_history (practice_id, claim_id, from_status, to_status, at, actor, reason)
         SELECT $1, h.claim_id, h.from_status, h.to_status, $2, $3, h.reason
           FROM unnest($4::bigint[], $5::text[], $6::text[], $7::text[]) WITH ORDINALITY AS h(claim_id, from_status, to_status, reason, ord)
          ORDER BY h.ord`,
        [
          this.practiceId,
          this.at,
          this.actor,
          history.map((h) => h.claimId),
          history.map((h) => h.from),
          history.map((h) => h.to),
          history.map((h) => h.reason),
        ],
      );
    }
  }

  /** Denial rows (category and route by CARC) and their 'denial' work items, due in 72 h (DOMAIN stage 5). */
  private async denials(items: readonly Item[]): Promise<void> {
    const found = items.flatMap((it) =>
      it.claim === null
        ? []
        : findDenials(it.cp).map((d) => ({
            d,
            it,
            claimId: it.claim?.claimId ?? 0,
            lp: d.serviceIndex === undefined ? null : (it.lpIds[d.serviceIndex] ?? null),
          })),
    );
    if (found.length === 0) return;
    const ids = await allocateIds(this.tx, 'denials', found.length);
    await this.tx.query(
      `INSERT INTO denials (id, practice_id, claim_id, claim_payment_id, line_payment_id, payer_id, group_code, reason_code,
                            remark_codes, amount_cents, category, route, detected_at)
       SELECT d.id, $1, d.claim_id, d.cp, d.lp, $2, d.grp, d.reason, COALESCE(string_to_array(d.remarks, ','), '{}'), d.amount, d.category,
              d.route, $3
         FROM unnest($4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[], $8::text[], $9::text[], $10::text[],
                     $11::bigint[], $12::text[], $13::text[])
           AS d(id, claim_id, cp, lp, grp, reason, remarks, amount, category, route)`,
      [
        this.practiceId,
        this.payerId,
        this.at,
        ids,
        found.map((f) => f.claimId),
        found.map((f) => f.it.id),
        found.map((f) => f.lp),
        found.map((f) => f.d.group),
        found.map((f) => f.d.reason),
        found.map((f) => (f.d.remarks.length === 0 ? null : f.d.remarks.join(','))),
        found.map((f) => f.d.amountCents),
        found.map((f) => f.d.category),
        found.map((f) => f.d.route),
      ],
    );
    this.n.denials += found.length;
    found.forEach((f, i) => {
      const denialId = ids[i] ?? 0;
      this.workItems.push({
        type: 'denial',
        queue: 'denials',
        dedupeKey: `denial:${denialId}`,
        priority: 2,
        dueAt: addHours(this.at, 72),
        title: `Denial ${f.d.group}-${f.d.reason} (${f.d.category}) on claim ${f.claimId}`,
        links: {
          claimId: f.claimId,
          denialId,
          claimPaymentId: f.it.id,
          ...(f.lp === null ? {} : { linePaymentId: f.lp }),
          remittanceId: this.remittanceId,
          group: f.d.group,
          carc: f.d.reason,
          rarc: f.d.remarks,
          amountCents: f.d.amountCents,
          route: f.d.route,
        },
      });
    });
  }

  /** AMT*B6 allowed vs the contracted fee schedule (code + modifier + date) beyond the payer's tolerance. */
  private async underpayments(items: readonly Item[]): Promise<void> {
    const lines = items.flatMap((it) =>
      it.claim === null
        ? []
        : it.cp.services.flatMap((svc, i) => {
            const allowed = svc.amounts.find((a) => a.qualifier === 'B6')?.amount;
            return allowed === undefined ? [] : [{ it, svc, i, allowed }];
          }),
    );
    if (lines.length === 0) return;
    const fees = await this.tx.query<{
      procedure_code: string;
      modifier: string;
      amount_cents: number | string;
      effective_from: string;
      effective_to: string | null;
      setting: string;
    }>(
      `SELECT e.procedure_code, e.modifier, e.amount_cents, f.effective_from::text AS effective_from,
              f.effective_to::text AS effective_to, f.setting
         FROM fee_schedules f
         JOIN fee_schedule_entries e ON e.practice_id = f.practice_id AND e.fee_schedule_id = f.id
        WHERE f.practice_id = $1 AND f.payer_id = $2 AND f.kind = 'contracted' AND e.procedure_code = ANY($3::text[])
        ORDER BY f.effective_from DESC`,
      [this.practiceId, this.payerId, [...new Set(lines.map((l) => l.svc.procedure.code))]],
    );
    if (fees.rows.length === 0) return;
    const tol = await this.tx.query<{ cents: number | string; bp: number }>(
      `SELECT underpayment_tolerance_cents AS cents, underpayment_tolerance_bp AS bp FROM practice_payer_settings
        WHERE practice_id = $1 AND payer_id = $2`,
      [this.practiceId, this.payerId],
    );
    const tolerance = { cents: centsFromDb(tol.rows[0]?.cents ?? 0, 'tolerance'), bp: tol.rows[0]?.bp ?? 0 };
    // The place of service each matched line was billed with: its own (SV105), else its claim version's.
    const pos = await this.tx.query<{ id: number; pos: string }>(
      `SELECT l.id, COALESCE(l.place_of_service, v.place_of_service) AS pos
         FROM claim_lines l JOIN claim_versions v ON v.practice_id = l.practice_id AND v.id = l.claim_version_id
        WHERE l.practice_id = $1 AND l.id = ANY($2::bigint[])`,
      [this.practiceId, [...new Set(lines.flatMap((l) => l.it.matches[l.i]?.lineId ?? []))]],
    );
    const posOf = new Map(pos.rows.map((r) => [Number(r.id), r.pos]));
    for (const { it, svc, i, allowed } of lines) {
      const lineId = it.matches[i]?.lineId;
      const line = it.claim?.lines.find((l) => l.lineId === lineId);
      const date = serviceDateOf(svc) ?? line?.serviceDate ?? this.effectiveDate;
      const code = svc.procedure.code;
      const modifier = svc.procedure.modifiers[0] ?? '';
      const linePos = lineId === undefined ? undefined : posOf.get(lineId);
      if (linePos === undefined) continue;
      const setting = pfsSettingForPos(linePos);
      // The modifier-specific rate first, then the code's plain rate; within each, a schedule of the line's
      // setting (facility / non-facility) before one for any setting; the latest schedule in effect that day.
      const rate = [modifier, '']
        .flatMap((m) => [setting, 'any'].map((s) => ({ m, s })))
        .map(({ m, s }) =>
          fees.rows.find(
            (f) => inEffect(f, date) && f.procedure_code === code && f.modifier === m && f.setting === s,
          ),
        )
        .find((f) => f !== undefined);
      if (rate === undefined) continue;
      const units = svc.units ?? line?.units ?? 1;
      const expected = Math.round(centsFromDb(rate.amount_cents, 'fee') * units) as Cents;
      const short = underpaidBy(expected, allowed as Cents, tolerance);
      if (short === null) continue;
      this.n.underpayments += 1;
      const lpId = it.lpIds[i] ?? 0;
      this.workItems.push({
        type: 'underpayment',
        queue: 'posting',
        dedupeKey: `underpayment:lp:${lpId}`,
        priority: 3,
        dueAt: null,
        title: `Underpayment on claim ${it.claim?.claimId ?? 0}: allowed below contract`,
        links: {
          claimId: it.claim?.claimId ?? null,
          claimPaymentId: it.id,
          linePaymentId: lpId,
          remittanceId: this.remittanceId,
          procedureCode: code,
          expectedCents: expected,
          receivedCents: allowed,
          shortfallCents: short,
        },
      });
    }
  }

  /** PLB items: stored, linked to the claim PLB03-2 names (CLP07 or our claim id) when found, posted. */
  private async providerAdjustments(): Promise<void> {
    const items = this.r.providerAdjustments.flatMap((p) => p.items.map((item) => ({ p, item })));
    if (items.length === 0) return;
    const ids = await allocateIds(this.tx, 'plb_adjustments', items.length);
    await this.tx.query(
      `INSERT INTO plb_adjustments (id, practice_id, remittance_id, provider_identifier, fiscal_period_date, reason_code, reference_id, amount_cents)
       SELECT x.id, $1, $2, x.provider, x.fiscal, x.reason, x.ref, x.amount
         FROM unnest($3::bigint[], $4::text[], $5::date[], $6::text[], $7::text[], $8::bigint[]) AS x(id, provider, fiscal, reason, ref, amount)`,
      [
        this.practiceId,
        this.remittanceId,
        ids,
        items.map((x) => x.p.providerId),
        items.map((x) => x.p.fiscalPeriodDate),
        items.map((x) => x.item.reason),
        items.map((x) => x.item.reference ?? null),
        items.map((x) => x.item.amount),
      ],
    );
    const plan: PlannedPosting[] = [];
    for (const [i, { item }] of items.entries()) {
      const claimId = item.reference === undefined ? null : await this.claimByReference(item.reference);
      plan.push(
        ...planProviderAdjustment({
          key: `era:${this.remittanceId}:plb:${ids[i] ?? 0}`,
          reason: item.reason,
          amountCents: item.amount as Cents,
          payerId: this.payerId,
          ...(claimId === null ? {} : { claimId: ClaimId(claimId) }),
        }),
      );
    }
    await this.post(plan);
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

  /** Every work item of the set in one statement; an open item with the same dedupe key is left alone. */
  private async flushWorkItems(): Promise<void> {
    const w = this.workItems;
    if (w.length === 0) return;
    await this.tx.query(
      `INSERT INTO work_items (practice_id, type, queue, priority, title, due_at, links, dedupe_key, created_at, updated_at)
       SELECT $1, x.type, x.queue, x.priority, x.title, x.due_at, x.links::jsonb, x.dedupe_key, $2, $2
         FROM unnest($3::text[], $4::text[], $5::smallint[], $6::text[], $7::timestamptz[], $8::text[], $9::text[])
           AS x(type, queue, priority, title, due_at, links, dedupe_key)
       ON CONFLICT (practice_id, dedupe_key) WHERE dedupe_key IS NOT NULL AND status NOT IN ('done', 'cancelled') DO NOTHING`,
      [
        this.practiceId,
        this.at,
        w.map((x) => x.type),
        w.map((x) => x.queue),
        w.map((x) => x.priority),
        w.map((x) => x.title),
        w.map((x) => x.dueAt),
        w.map((x) => JSON.stringify(x.links)),
        w.map((x) => x.dedupeKey),
      ],
    );
  }
}

type ExceptionReason = 'reversal_without_payment' | 'line_not_matched';

type Item = {
  readonly cp: ClaimPayment;
  /** claim_payments.id */
  readonly id: number;
  readonly claim: MatchedClaim | null;
  readonly matches: readonly (LineMatch | undefined)[];
  /** line_payments.id per SVC. */
  readonly lpIds: readonly number[];
  readonly kind: 'exception' | 'reversal' | 'adjudication';
};

type WorkItemRow = {
  readonly type: 'denial' | 'underpayment' | 'posting_exception';
  readonly queue: 'denials' | 'posting';
  readonly dedupeKey: string;
  readonly priority: number;
  readonly dueAt: Instant | null;
  readonly title: string;
  readonly links: Record<string, unknown>;
};

function crossoverName(cp: ClaimPayment): string | null {
  if (!CROSSOVER_STATUSES.has(cp.status)) return null;
  return cp.crossoverCarrier?.last ?? cp.crossoverCarrier?.id ?? 'crossover';
}

function qtyOf(q: number | undefined): number | null {
  return q === undefined ? null : Math.round(q);
}

function inEffect(f: { effective_from: string; effective_to: string | null }, date: string): boolean {
  return f.effective_from <= date && (f.effective_to === null || f.effective_to >= date);
}

/** Ids from the table's identity sequence, so rows inserted in one statement can be referenced by later ones. */
async function allocateIds(q: Tx, table: string, n: number): Promise<number[]> {
  if (n === 0) return [];
  const res = await q.query<{ id: number }>(
    // The identity sequence by its name (a constant for the statement): pg_get_serial_sequence in the row's
    // expression looked it up in the catalog for every id (3-5x the cost of nextval itself on PGlite).
    `SELECT nextval($1::regclass)::bigint AS id FROM generate_series(1, $2::int)`,
    [`${table}_id_seq`, n],
  );
  return res.rows.map((r) => r.id);
}
