/**
 * The simulated clearinghouse (issue 4 §1 and §3): receives 837P interchanges and answers in X12 only —
 * TA1 for a broken interchange envelope, a 999 per functional group, a 277CA per accepted batch after the
 * front-end edits — and routes accepted claims to the simulated payers, which adjudicate them after a lag
 * drawn from their profile and pay them on their payment cycle with balanced 835s (one per check/EFT).
 *
 * Deterministic: given the seed, the payer worlds and the same sequence of `receive` / `advanceTo` calls,
 * every output byte is the same. Time is the simulated clock those calls move (never the wall clock).
 * Independence (issue 4): reads only what arrives in the X12; no OpenRCM engine or database code.
 */
import {
  parseX12,
  type Diagnostic,
  type FunctionalGroup,
  type Interchange,
  type InterchangeOptions,
} from '@openrcm/x12';
import { build999, buildTa1 } from '@openrcm/x12/ack';
import { writeTa1, type Ta1 } from '@openrcm/x12/ta1';
import { write999, type Ack999 } from '@openrcm/x12/999';
import { read837PTransaction, type Claim837P, type Transaction837P } from '@openrcm/x12/837p';
import {
  readEligibility,
  writeEligibilityInterchange,
  type EligibilityTransaction,
} from '@openrcm/x12/270-271';
import {
  buildClaimAcknowledgement,
  writeClaimAcknowledgementInterchange,
  type AckClaim,
  type AckInput,
} from '@openrcm/x12/277ca';
import { parse835, write835 } from '@openrcm/x12/835';
import {
  readClaimStatus,
  writeClaimStatusInterchange,
  type ClaimStatusTransaction,
} from '@openrcm/x12/276-277';
import { addDays, daysBetween } from '../dates.ts';
import { Rng } from '../prng.ts';
import {
  adjudicate,
  adjudicationDate,
  paymentDate,
  type ClaimAdjudication,
  type PayerWorld,
  type SimClaim,
} from '../payers/adjudicate.ts';
import { PayerMemory, hash52 } from '../payers/memory.ts';
import { SimulatedPayers } from '../payers/world.ts';
import type { Authorization, Payer } from '../types.ts';
import { buildRemittance, type EraClaim, type EraPayer } from './era.ts';
import { answer270 } from './eligibility.ts';
import { answer276, type ClaimRecord } from './claim-status.ts';
import {
  frontEndEdits,
  toReceivedClaim,
  versionKey,
  x12Text,
  type FrontEndRejection,
  type ReceivedClaim,
} from './intake.ts';

/** One file the clearinghouse sends back (999, TA1, 277CA, 835). */
export interface OutboxFile {
  /** `YYYYMMDD-NNNNNN-<kind>-<control>.x12`: unique, and sorting by name sorts by simulated time. */
  readonly name: string;
  readonly content: string;
  readonly kind: 'TA1' | '999' | '277CA' | '835' | '271' | '277';
  /** Simulated date the file was produced. */
  readonly date: string;
}

/** What `receive` did with one inbound file (counts only: no patient data). */
export interface ReceiveResult {
  /** TA104 of each interchange's TA1 (only when one was sent). */
  readonly ta1: readonly string[];
  /** IK501 of each transaction set acknowledged in a 999. */
  readonly transactionSets: readonly string[];
  readonly claimsReceived: number;
  readonly claimsAccepted: number;
  readonly claimsRejected: number;
  /** Names of the outbox files this call produced. */
  readonly files: readonly string[];
}

/** Running totals (for `sim adjudicate`'s summary and tests). */
export interface ClearinghouseStats {
  interchanges: number;
  interchangesRejected: number;
  transactionSetsRejected: number;
  claimsReceived: number;
  frontEndRejected: number;
  /** Rejections by 'category:status[:entity]'. */
  rejectionsByStatus: Record<string, number>;
  /** Original primary claims adjudicated for the first time. */
  firstAdjudications: number;
  /** Of those, claims with at least one denied line. */
  firstDenied: number;
  adjudications: number;
  deniedLinesByCarc: Record<string, number>;
  crossovers: number;
  reversals: number;
  eras: number;
  /** Σ BPR02 over every 835 written, cents. */
  paidCents: number;
  /** Adjudications of paper-only payers (no 835). */
  paperOnly: number;
  /** Claims paid in two parts on two ERAs. */
  splitClaims: number;
  /** Overpayment recoveries taken back through PLB WO, and their total (cents; refunds of a recovery count negative). */
  recoupments: number;
  recoupedCents: number;
  /** 270 eligibility questions answered (271 subscriber/dependent levels). */
  eligibilityInquiries: number;
  /** 276 claim status questions answered. */
  claimStatusInquiries: number;
  /** Outputs the simulator refused to emit because its own writer or reader found them broken (a bug). */
  internalErrors: number;
}

export interface ClearinghouseOptions {
  /** The payers' own knowledge: a generated data set's setup (rosters, enrollments, fee schedules, payers). */
  readonly setup: ConstructorParameters<typeof SimulatedPayers>[0];
  /** Prior authorizations on the payer side (add more later with `addAuthorizations`). */
  readonly authorizations?: readonly Authorization[];
  readonly seed: number | string;
  /** ISA06 / GS02 of everything the clearinghouse itself sends (default SIMCH). */
  readonly id?: string;
  /** Called for every outbox file as it is produced (file and SFTP modes write it to `outbound/`). */
  readonly onOutput?: (file: OutboxFile) => void;
  /** Prompt-pay limit in days after receipt; payments later than that carry interest (default 30). */
  readonly promptPayDays?: number;
  /** Share of multi-line claims paid across two ERAs; default: each payer profile's `eraSplitRate`. */
  readonly splitRate?: number;
  /** Share of paid claims later partly recovered (PLB WO); default: each payer profile's `overpaymentRecoveryRate`. */
  readonly recoveryRate?: number;
  /** Keep every file for `outbox()` (default true; a long-running server passes false to keep memory flat). */
  readonly keepOutbox?: boolean;
  /**
   * The data set's first date of service and generator seed (its manifest.json `generator`): the payers
   * apply their rule changes during the period (../payers/policy.ts), and members' benefit years that
   * began before it start seasoned (`seasonedAccumulator`). Without it: the profiles' rules, zero accumulators.
   */
  readonly dataset?: { readonly startDate: string; readonly seed: number | string };
  /**
   * Days after receipt a payer keeps a claim it can reverse (replacement / void), answer a 276 about, and
   * recognise as a resent duplicate (default 400). Past that a replacement is rejected (A7 21 REF*F8 not
   * found) and a 276 answered not found; memory stays flat however many claims pass through.
   */
  readonly retentionDays?: number;
}

/** A transaction set the 999 accepted, read into its typed model. */
type AcceptedSet =
  | { readonly kind: '837'; readonly tx: Transaction837P }
  | { readonly kind: '270'; readonly tx: EligibilityTransaction }
  | { readonly kind: '276'; readonly tx: ClaimStatusTransaction };

interface Submitter {
  readonly qualifier: string;
  readonly id: string;
  /** GS02 of the received group (our GS03 back). */
  readonly appCode: string;
}

interface Queued {
  readonly received: ReceivedClaim;
  readonly payerClaimNumber: string;
  readonly adjudicateOn: string;
  readonly order: number;
  readonly submitter: Submitter;
  /** A void (CLM05-3 = 8): reverses the original, adjudicates nothing. */
  readonly voidOnly: boolean;
  /** The payer claim number this one replaces or voids. */
  readonly replaces: string | null;
  readonly crossoverOf: string | null;
}

interface Adjudicated {
  readonly received: ReceivedClaim;
  readonly outcome: ClaimAdjudication;
  readonly lineKeys: readonly string[];
  readonly accKey: string;
  readonly deductibleApplied: number;
  readonly patientApplied: number;
  readonly submitter: Submitter;
  reversed: boolean;
}

interface Pending {
  readonly era: EraClaim;
  readonly payDate: string;
  readonly submitter: Submitter;
}

const CH_NAME = 'OPENRCM SIMULATED CLEARINGHOUSE';

function ymd(date: string): string {
  return date.replaceAll('-', '');
}

/** A value safe for a fixed-width ISA id (15) or GS code (2-15 characters of X12 basic characters). */
function safeId(v: string, fallback: string): string {
  const t = v.trim();
  return /^[A-Za-z0-9 ]{2,15}$/.test(t) ? t : fallback;
}

function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

function casTotals(outcome: ClaimAdjudication): { deductible: number; patient: number } {
  let deductible = 0;
  let patient = 0;
  for (const l of outcome.lines)
    for (const c of l.adjustments) {
      if (c.group !== 'PR') continue;
      patient += c.amountCents;
      if (c.reason === '1') deductible += c.amountCents;
    }
  return { deductible, patient };
}

/** The simulated clearinghouse with its payers behind it. */
export class SimClearinghouse {
  private readonly payers: SimulatedPayers;
  private readonly payerRows: Map<string, Payer>;
  private readonly rng: Rng;
  private readonly id: string;
  private readonly onOutput: ((file: OutboxFile) => void) | undefined;
  private readonly promptPayDays: number;
  private readonly splitRate: number | undefined;
  private readonly recoveryRate: number | undefined;
  private readonly keepOutbox: boolean;
  private clock: string | null = null;
  private fileSeq = 0;
  private isaSeq = 0;
  private order = 0;
  private readonly files: OutboxFile[] = [];
  private readonly seenIsa = new Map<string, Set<string>>();
  /** Hashed version keys (`versionKey`) of the claims received (A3 78 duplicates). */
  private readonly versions = new Set<number>();
  /** What to forget, by month of receipt: payer claim numbers, version hashes, CLM01 keys. */
  private readonly expiry = new Map<string, { pcn: string; version: number; clm01: string | null }[]>();
  private readonly retentionDays: number;
  /** Month ('YYYY-MM') of the last pruning. */
  private prunedMonth = '';
  private readonly claimSeq = new Map<string, number>();
  private readonly traceSeq = new Map<string, number>();
  private queue: Queued[] = [];
  /** By payer claim number. */
  private readonly adjudicated = new Map<string, Adjudicated>();
  /** Queued claims by payer claim number (to supersede before adjudication). */
  private readonly queuedByNumber = new Map<string, Queued>();
  private readonly pending = new Map<string, Pending[]>();
  /** Duplicate history and benefit accumulators per payer (bounded, see ../payers/memory.ts). */
  private readonly memory: PayerMemory;
  /** Forward balance owed back by a payee, by 'payer|payee npi', cents. */
  private readonly forwardBalance = new Map<string, number>();
  /** Overpayment recoveries (PLB WO) waiting for a payment to the payee, by 'payer|submitter|payee npi'. */
  private readonly recoveries = new Map<string, { pcn: string; amount: number; due: string }[]>();
  /** What a recovery already took back, by payer claim number (returned if the claim is reversed later). */
  private readonly recovered = new Map<string, number>();
  private readonly internalErrors: string[] = [];
  /** Names produced by the current `receive` call. */
  private produced: string[] | null = null;
  /** What each payer did with each claim, by payer claim number (276/277 answers). */
  private readonly records = new Map<string, ClaimRecord>();
  private readonly latestByClm01 = new Map<string, string>();
  readonly stats: ClearinghouseStats = {
    interchanges: 0,
    interchangesRejected: 0,
    transactionSetsRejected: 0,
    claimsReceived: 0,
    frontEndRejected: 0,
    rejectionsByStatus: {},
    firstAdjudications: 0,
    firstDenied: 0,
    adjudications: 0,
    deniedLinesByCarc: {},
    crossovers: 0,
    reversals: 0,
    eras: 0,
    paidCents: 0,
    paperOnly: 0,
    splitClaims: 0,
    recoupments: 0,
    recoupedCents: 0,
    eligibilityInquiries: 0,
    claimStatusInquiries: 0,
    internalErrors: 0,
  };

  constructor(options: ClearinghouseOptions) {
    this.payers = new SimulatedPayers(options.setup, options.dataset);
    if (options.authorizations) this.payers.addAuthorizations([...options.authorizations]);
    this.payerRows = new Map(options.setup.payers.map((p) => [p.payerId, p]));
    this.rng = new Rng(options.seed).fork('clearinghouse');
    this.id = options.id ?? 'SIMCH';
    this.onOutput = options.onOutput;
    this.promptPayDays = options.promptPayDays ?? 30;
    this.splitRate = options.splitRate;
    this.recoveryRate = options.recoveryRate;
    this.keepOutbox = options.keepOutbox ?? true;
    this.retentionDays = options.retentionDays ?? 400;
    this.memory = new PayerMemory(options.dataset ?? null);
  }

  /** The payers' worlds (read-only use). */
  get worlds(): ReadonlyMap<string, PayerWorld> {
    return this.payers.worlds;
  }

  /** Records authorizations the payers issued (e.g. as generated months arrive). */
  addAuthorizations(authorizations: readonly Authorization[]): void {
    this.payers.addAuthorizations([...authorizations]);
  }

  /** The simulated date (null before the first call). */
  get today(): string | null {
    return this.clock;
  }

  /** Every file produced so far, in production order (names sort the same way). */
  outbox(): { name: string; content: string }[] {
    return this.files.map((f) => ({ name: f.name, content: f.content }));
  }

  /** Outbox files with their kind and date. */
  outboxFiles(): readonly OutboxFile[] {
    return this.files;
  }

  /** Internal failures (a writer refusing its own output): what and why, never patient data. */
  errors(): readonly string[] {
    return this.internalErrors;
  }

  /**
   * Runs one output step; a failure of the simulator itself is recorded (stats.internalErrors) instead of
   * escaping, so one bad answer never stops the clearinghouse (and never reaches the submitter half-built).
   */
  private guard(what: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.stats.internalErrors++;
      if (this.internalErrors.length < 100)
        this.internalErrors.push(`${what}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Claims waiting for adjudication or payment (for tests and progress displays). */
  backlog(): { queued: number; awaitingPayment: number } {
    let awaiting = 0;
    for (const list of this.pending.values()) awaiting += list.length;
    return { queued: this.queue.length, awaitingPayment: awaiting };
  }

  // ---------------------------------------------------------------------------------------------------
  // Inbound

  /**
   * Receives one inbound file (837P interchanges) on `receivedDate` (the clock first advances to it).
   * Never throws on bad input: a broken envelope gets a rejecting TA1, a broken transaction set a
   * rejecting 999.
   */
  receive(name: string, content: string, receivedDate: string): ReceiveResult {
    void name; // the file name carries no meaning for routing; it is the caller's archive key
    this.advanceTo(receivedDate);
    const date = this.clock ?? receivedDate;
    const produced: string[] = [];
    this.produced = produced;
    const ta1: string[] = [];
    const sets: string[] = [];
    let received = 0;
    let accepted = 0;
    let rejected = 0;
    const parsed = parseX12(content);
    if (parsed.interchanges.length === 0) {
      // Nothing that even starts like an interchange: TA1 R 024 (invalid interchange content).
      this.stats.interchanges++;
      this.stats.interchangesRejected++;
      const t: Ta1 = { controlNumber: '000000000', date, time: '0000', status: 'R', noteCode: '024' };
      this.emitTa1(t, { qualifier: 'ZZ', id: 'UNKNOWN', appCode: 'UNKNOWN' }, date);
      ta1.push('R');
    }
    // Tokenizer findings not attached to any interchange (ISA length, delimiters) belong to the TA1.
    const loose = parsed.diagnostics.filter(
      (d) => d.loop === undefined || d.loop === 'ISA' || d.loop === 'IEA',
    );
    for (const ic of parsed.interchanges) {
      this.stats.interchanges++;
      const h = ic.header;
      const submitter: Submitter = {
        qualifier: safeId(h.senderQualifier, 'ZZ').slice(0, 2).padEnd(2, 'Z'),
        id: safeId(h.senderId, 'UNKNOWN'),
        appCode: safeId(ic.groups[0]?.header.senderCode ?? '', safeId(h.senderId, 'UNKNOWN')),
      };
      const seen = this.seenIsa.get(submitter.id) ?? new Set<string>();
      this.seenIsa.set(submitter.id, seen);
      const t = buildTa1(ic, {
        extraDiagnostics: loose.filter((d) => d.segmentIndex === undefined || d.segmentIndex === h.isa.index),
        seenControlNumbers: seen,
      });
      const ta1Valid = /^\d{9}$/.test(t.controlNumber) && t.date !== '' && /^\d{4}$/.test(t.time);
      const safeTa1: Ta1 = ta1Valid ? t : { ...t, controlNumber: '000000000', date, time: '0000' };
      if (t.status === 'R') {
        this.stats.interchangesRejected++;
        this.emitTa1(safeTa1, submitter, date);
        ta1.push('R');
        continue;
      }
      seen.add(h.controlNumber);
      if (h.ackRequested === '1' || t.status === 'E') {
        this.emitTa1(safeTa1, submitter, date);
        ta1.push(t.status);
      }
      this.guard('interchange', () => {
        const r = this.receiveInterchange(ic, parsed.diagnostics, submitter, date);
        sets.push(...r.sets);
        received += r.received;
        accepted += r.accepted;
        rejected += r.rejected;
      });
    }
    this.produced = null;
    return {
      ta1,
      transactionSets: sets,
      claimsReceived: received,
      claimsAccepted: accepted,
      claimsRejected: rejected,
      files: produced,
    };
  }

  private receiveInterchange(
    ic: Interchange,
    allDiagnostics: readonly Diagnostic[],
    submitter: Submitter,
    date: string,
  ): { sets: string[]; received: number; accepted: number; rejected: number } {
    const acks: Ack999[] = [];
    const batches: {
      referenceId: string;
      submitterName: string;
      submitterEtin: string;
      claims: Claim837P[];
    }[] = [];
    const sets: string[] = [];
    const inquiries: EligibilityTransaction[] = [];
    const statusRequests: ClaimStatusTransaction[] = [];
    for (const group of ic.groups) {
      const { ack, accepted } = this.acknowledgeGroup(group, allDiagnostics);
      acks.push(ack);
      for (const t of ack.transactions) {
        sets.push(t.status);
        if (t.status === 'R') this.stats.transactionSetsRejected++;
      }
      for (const a of accepted) {
        if (a.kind === '270') {
          inquiries.push(a.tx);
          continue;
        }
        if (a.kind === '276') {
          statusRequests.push(a.tx);
          continue;
        }
        const tx = a.tx;
        batches.push({
          referenceId: x12Text(tx.header.referenceId),
          submitterName: x12Text(tx.header.submitter.name.lastOrOrganization ?? 'SUBMITTER'),
          submitterEtin: x12Text(tx.header.submitter.name.id ?? submitter.id),
          claims: [...tx.claims],
        });
      }
    }
    if (acks.length > 0) this.guard('999', () => this.emit999(acks, submitter, date));
    if (inquiries.length > 0) this.guard('271', () => this.emit271(inquiries, submitter, date));
    if (statusRequests.length > 0) this.guard('277', () => this.emit277(statusRequests, submitter, date));
    let received = 0;
    let accepted = 0;
    let rejected = 0;
    const transactions: AckInput[] = [];
    for (const b of batches) {
      const byProvider = new Map<string, { p: Claim837P['billingProvider']; claims: AckClaim[] }>();
      for (const c of b.claims) {
        received++;
        const ack = this.routeClaim(c, submitter, date);
        if (ack.accepted) accepted++;
        else rejected++;
        const npi = c.billingProvider.provider.name.id ?? '';
        const key = /^\d{10}$/.test(npi) ? npi : '0000000000';
        const entry = byProvider.get(key) ?? { p: c.billingProvider, claims: [] };
        entry.claims.push(ack.claim);
        byProvider.set(key, entry);
      }
      if (b.claims.length === 0) continue;
      transactions.push({
        referenceId: `${this.id}${String(this.fileSeq + 1).padStart(6, '0')}${String(transactions.length + 1)}`,
        date,
        time: '1200',
        source: { entity: 'AY', name: CH_NAME, idQualifier: '46', id: this.id },
        sourceTrace: `${this.id}-${ymd(date)}-${String(this.isaSeq + 1)}`,
        receivedDate: date,
        processedDate: date,
        receiver: {
          name: b.submitterName === '' ? 'SUBMITTER' : b.submitterName,
          etin: b.submitterEtin === '' ? submitter.id : b.submitterEtin,
        },
        batchReference: b.referenceId === '' ? '0' : b.referenceId,
        providers: [...byProvider].map(([npi, { p, claims }]) => {
          const n = p.provider.name;
          return n.entityType === '1'
            ? {
                npi,
                lastName: x12Text(n.lastOrOrganization ?? '') || 'UNKNOWN',
                ...(n.first ? { firstName: x12Text(n.first) } : {}),
                claims,
              }
            : { npi, organizationName: x12Text(n.lastOrOrganization ?? '') || 'UNKNOWN', claims };
        }),
      });
    }
    if (transactions.length > 0) this.guard('277CA', () => this.emit277ca(transactions, submitter, date));
    return { sets, received, accepted, rejected };
  }

  /** 999 for one functional group, and the 837 transaction sets it accepts (A or E). */
  private acknowledgeGroup(
    group: FunctionalGroup,
    allDiagnostics: readonly Diagnostic[],
  ): { ack: Ack999; accepted: AcceptedSet[] } {
    const per: Diagnostic[][] = [];
    const values: (AcceptedSet | null)[] = [];
    for (const tx of group.transactions) {
      const fid = group.header.functionalId;
      const is837 = tx.transactionType === '837' && fid === 'HC';
      const is270 = tx.transactionType === '270' && fid === 'HS';
      const is276 = tx.transactionType === '276' && fid === 'HR';
      if (!is837 && !is270 && !is276) {
        // This clearinghouse accepts 837P claims and 270 inquiries only: any other set is rejected.
        per.push([
          {
            severity: 'error',
            code: 'unsupported-transaction',
            message: 'transaction set type not supported by this receiver',
            segmentIndex: tx.st.index,
            line: tx.st.line,
            segmentId: 'ST',
            loop: 'ST',
            element: 'ST01',
            ik403: '7',
          },
        ]);
        values.push(null);
        continue;
      }
      try {
        if (is837) {
          const r = read837PTransaction(tx);
          per.push([...r.diagnostics]);
          values.push({ kind: '837', tx: r.value });
        } else if (is270) {
          const r = readEligibility(tx);
          per.push([...r.diagnostics]);
          values.push({ kind: '270', tx: r.value });
        } else {
          const r = readClaimStatus(tx);
          per.push([...r.diagnostics]);
          values.push({ kind: '276', tx: r.value });
        }
      } catch {
        // The reader promises not to throw on input; if it ever does, reject the set rather than crash.
        per.push([
          {
            severity: 'error',
            code: 'unreadable-transaction',
            message: 'transaction set could not be read',
            segmentIndex: tx.st.index,
            line: tx.st.line,
            segmentId: 'ST',
            loop: 'ST',
          },
        ]);
        values.push(null);
      }
    }
    // ST02 of each 999 is numbered when the interchange is written (emit999).
    const built = build999(group, per, { groupDiagnostics: allDiagnostics });
    // 999 IK303 (loop identifier code) is AN 1-4: report the numeric loop id ('2010AA' -> '2010').
    // Echoed values (AK101-103, AK201-203) come from the input: keep only characters our delimiters allow.
    const echo = (v: string, fallback: string): string => {
      const c = v.replace(/[^A-Za-z0-9 .-]/g, '').trim();
      return c === '' ? fallback : c;
    };
    const ack: Ack999 = {
      ...built,
      functionalId: echo(built.functionalId, 'HC'),
      groupControlNumber: echo(built.groupControlNumber, '0'),
      ...(built.groupVersion === undefined ? {} : { groupVersion: echo(built.groupVersion, '005010X222A1') }),
      transactions: built.transactions.map((t) => ({
        ...t,
        transactionType: echo(t.transactionType, '837'),
        controlNumber: echo(t.controlNumber, '0'),
        ...(t.implementation === undefined ? {} : { implementation: echo(t.implementation, '005010X222A1') }),
        segmentErrors: t.segmentErrors.map((e) => {
          // IK301 is the segment id as received (AN 2-3): a garbled id keeps only what X12 can carry.
          const id = e.segmentId.replace(/[^A-Z0-9]/g, '').slice(0, 3);
          return {
            ...e,
            segmentId: id.length >= 2 ? id : 'ZZ',
            ...(e.loop !== undefined && e.loop.length > 4 ? { loop: e.loop.slice(0, 4) } : {}),
          };
        }),
      })),
    };
    const accepted: AcceptedSet[] = [];
    ack.transactions.forEach((t, i) => {
      const v = values[i];
      if (v && (t.status === 'A' || t.status === 'E') && ack.status !== 'R') accepted.push(v);
    });
    return { ack, accepted };
  }

  private nextPayerClaimNumber(payerId: string): string {
    const n = (this.claimSeq.get(payerId) ?? 0) + 1;
    this.claimSeq.set(payerId, n);
    return `${payerId}${String(n).padStart(9, '0')}`;
  }

  /** Front-end edits, then queueing at the payer. Returns the claim's 277CA entry. */
  private routeClaim(
    c: Claim837P,
    submitter: Submitter,
    date: string,
  ): { accepted: boolean; claim: AckClaim } {
    this.stats.claimsReceived++;
    const received = toReceivedClaim(c, date);
    const base = {
      patientControlNumber: received.sim.claimId === '' ? '0' : received.sim.claimId,
      patient: {
        lastName: received.insured?.last || received.patient.last || 'UNKNOWN',
        ...((received.insured?.first ?? received.patient.first)
          ? { firstName: (received.insured?.first ?? received.patient.first) as string }
          : {}),
        memberId: received.sim.memberId === '' ? 'UNKNOWN' : received.sim.memberId,
      },
      chargeCents: c.claim.totalChargeCents,
      clearinghouseTrace: `${this.id}${ymd(date)}${String(this.stats.claimsReceived).padStart(8, '0')}`,
      serviceDate: received.serviceDate,
      ...(received.serviceDateEnd !== received.serviceDate
        ? { serviceDateEnd: received.serviceDateEnd }
        : {}),
    };
    const rejectWith = (r: FrontEndRejection): { accepted: boolean; claim: AckClaim } => {
      this.stats.frontEndRejected++;
      const key = [r.status.category, r.status.status, r.status.entity]
        .filter((x) => x !== undefined)
        .join(':');
      this.stats.rejectionsByStatus[key] = (this.stats.rejectionsByStatus[key] ?? 0) + 1;
      return { accepted: false, claim: { ...base, statuses: [r.status], message: r.message } };
    };
    const edit = frontEndEdits(c, this.payers.worlds);
    if (edit) return rejectWith(edit);
    const vkey = hash52(versionKey(received));
    // 78: duplicate of a previously processed claim (the same claim version sent again).
    if (this.versions.has(vkey))
      return rejectWith({
        status: { category: 'A3', status: '78' },
        message: '2300 CLM01 duplicate submission',
      });
    let replaces: string | null = null;
    if (received.frequency === '7' || received.frequency === '8') {
      const f8 = received.originalPayerClaimNumber;
      const known =
        f8 !== null &&
        f8.startsWith(received.sim.payerId) &&
        (this.adjudicated.has(f8) || this.queuedByNumber.has(f8));
      if (!known)
        return rejectWith({
          status: { category: 'A7', status: '21' },
          message: '2300 REF*F8 payer claim control number not found for this payer',
        });
      replaces = f8;
    }
    this.versions.add(vkey);
    const payerClaimNumber = this.nextPayerClaimNumber(received.sim.payerId);
    this.enqueue(received, payerClaimNumber, submitter, replaces, null);
    this.remember(date, payerClaimNumber, vkey, `${received.sim.payerId}|${received.sim.claimId}`);
    return {
      accepted: true,
      // A2 20: accepted into the payer's adjudication system, with the payer's claim number (REF*1K).
      claim: {
        ...base,
        statuses: [{ category: 'A2', status: '20' }],
        payerClaimControlNumber: payerClaimNumber,
      },
    };
  }

  private enqueue(
    received: ReceivedClaim,
    payerClaimNumber: string,
    submitter: Submitter,
    replaces: string | null,
    crossoverOf: string | null,
  ): void {
    const world = this.payers.worlds.get(received.sim.payerId);
    if (!world) return;
    const voidOnly = received.frequency === '8';
    if (replaces !== null) {
      // Superseded before adjudication: the original simply never adjudicates.
      const q = this.queuedByNumber.get(replaces);
      if (q) {
        this.queue = this.queue.filter((x) => x !== q);
        this.queuedByNumber.delete(replaces);
      }
    }
    // Lag drawn from a stream named by the payer claim number: independent of what else is queued.
    const on = adjudicationDate(
      received.sim.receivedDate,
      world.profile,
      this.rng.fork(`lag/${payerClaimNumber}`),
    );
    const q: Queued = {
      received,
      payerClaimNumber,
      adjudicateOn: voidOnly ? addDays(received.sim.receivedDate, 1) : on,
      order: this.order++,
      submitter,
      voidOnly,
      replaces,
      crossoverOf,
    };
    this.queue.push(q);
    this.queuedByNumber.set(payerClaimNumber, q);
    if (!voidOnly) {
      this.latestByClm01.set(`${received.sim.payerId}|${received.sim.claimId}`, payerClaimNumber);
      this.record(payerClaimNumber, {
        payerClaimNumber,
        state: 'queued',
        chargeCents: received.sim.lines.reduce((t, l) => t + l.chargeCents, 0),
        paidCents: 0,
        allDenied: false,
        adjudicationDate: null,
        paymentDate: null,
        trace: null,
      });
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Clock

  /** Moves the simulated clock forward to `date`, adjudicating and paying what falls due on each day. */
  advanceTo(date: string): void {
    if (this.clock === null) {
      this.clock = date;
      this.runDay(date);
      return;
    }
    while (this.clock < date) {
      this.clock = addDays(this.clock, 1);
      this.runDay(this.clock);
    }
  }

  private runDay(day: string): void {
    this.prune(day);
    const due = this.queue.filter((q) => q.adjudicateOn <= day);
    if (due.length > 0) {
      this.queue = this.queue.filter((q) => q.adjudicateOn > day);
      due.sort((a, b) =>
        a.adjudicateOn < b.adjudicateOn ? -1 : a.adjudicateOn > b.adjudicateOn ? 1 : a.order - b.order,
      );
      for (const q of due) {
        this.queuedByNumber.delete(q.payerClaimNumber);
        this.adjudicateQueued(q, day);
      }
    }
    for (const payerId of [...this.pending.keys()].sort()) this.payPayer(payerId, day);
  }

  private addPending(payerId: string, p: Pending): void {
    const list = this.pending.get(payerId) ?? [];
    list.push(p);
    this.pending.set(payerId, list);
  }

  private adjudicateQueued(q: Queued, day: string): void {
    const payerId = q.received.sim.payerId;
    const world = this.payers.worlds.get(payerId);
    if (!world) return;
    const paper = world.profile.submission === 'paper';
    const payDate = paymentDate(day, world.profile);
    if (q.replaces !== null) {
      // Replacement (7) or void (8) of an adjudicated claim: reverse it (CLP02 22) in the next payment.
      const orig = this.adjudicated.get(q.replaces);
      if (orig && !orig.reversed) {
        orig.reversed = true;
        const seen = this.memory.history(payerId);
        for (const k of orig.lineKeys) seen.delete(k);
        const acc = this.memory.stored(orig.accKey);
        if (acc)
          this.memory.set(orig.accKey, {
            deductibleCents: Math.max(0, acc.deductibleCents - orig.deductibleApplied),
            outOfPocketCents: Math.max(0, acc.outOfPocketCents - orig.patientApplied),
          });
        this.stats.reversals++;
        this.cancelRecovery(payerId, orig, q.replaces, payDate);
        if (!paper)
          this.addPending(payerId, {
            era: {
              received: orig.received,
              payerClaimNumber: q.replaces,
              outcome: orig.outcome,
              clp02: '22',
              crossover: null,
              interestCents: 0,
            },
            payDate,
            submitter: orig.submitter,
          });
      }
      if (q.voidOnly) return;
    }
    const claim = q.received.sim;
    const firstDos = claim.lines[0]?.dateOfService ?? claim.receivedDate;
    const accKey = PayerMemory.key(payerId, claim.memberId, firstDos);
    const seen = this.memory.history(payerId);
    const res = adjudicate({
      claim,
      world,
      accumulator: this.memory.accumulator(world.profile, claim.memberId, firstDos),
      priorLineKeys: seen,
    });
    if (res.outcome.kind === 'rejected') return; // the front-end edits already screen what the core rejects
    this.memory.set(accKey, res.accumulator);
    for (const k of res.lineKeys) seen.add(k);
    const outcome = res.outcome;
    const totals = casTotals(outcome);
    this.adjudicated.set(q.payerClaimNumber, {
      received: q.received,
      outcome,
      lineKeys: res.lineKeys,
      accKey,
      deductibleApplied: totals.deductible,
      patientApplied: totals.patient,
      submitter: q.submitter,
      reversed: false,
    });
    this.stats.adjudications++;
    const anyDenied = outcome.lines.some((l) => l.denied);
    for (const l of outcome.lines) {
      const c = l.denied ? l.adjustments[0] : undefined;
      if (c)
        this.stats.deniedLinesByCarc[`${c.group}-${c.reason}`] =
          (this.stats.deniedLinesByCarc[`${c.group}-${c.reason}`] ?? 0) + 1;
    }
    if (q.replaces === null && q.crossoverOf === null && q.received.responsibility === 'P') {
      this.stats.firstAdjudications++;
      if (anyDenied) this.stats.firstDenied++;
    }
    this.record(q.payerClaimNumber, {
      payerClaimNumber: q.payerClaimNumber,
      // A paper-only payer mails its check on the payment date: no ERA, the status says paid.
      state: paper ? 'paid' : 'adjudicated',
      chargeCents: outcome.chargeCents,
      paidCents: outcome.paidCents,
      allDenied: outcome.clp02 === '4',
      adjudicationDate: day,
      paymentDate: paper ? payDate : null,
      trace: null,
    });
    const crossover = this.crossover(q, world, outcome, day);
    if (paper) {
      this.stats.paperOnly++;
      return;
    }
    const interest = this.interest(claim, outcome, payDate);
    const parts = this.splitForEras(q.payerClaimNumber, outcome, world);
    if (parts.length > 1) this.stats.splitClaims++;
    parts.forEach((part, i) => {
      this.addPending(payerId, {
        era: {
          received: q.received,
          payerClaimNumber: q.payerClaimNumber,
          outcome: part,
          clp02: crossover !== null && part.clp02 === '1' ? '19' : part.clp02,
          crossover,
          interestCents: i === 0 ? interest : 0,
        },
        // The second part goes out on the payer's next payment run.
        payDate: i === 0 ? payDate : paymentDate(addDays(payDate, 1), world.profile),
        submitter: q.submitter,
      });
    });
    this.scheduleRecovery(payerId, world, q, outcome, payDate);
  }

  private recoveryKey(payerId: string, submitter: Submitter, received: ReceivedClaim): string {
    return `${payerId}|${submitter.id}|${received.billing.npi}`;
  }

  /**
   * Post-payment review (the profile's `overpaymentRecoveryRate`, a stream named by the claim number): the
   * payer finds part of a paid claim overpaid and takes 10-50 % of the payment back 30-75 days later, from
   * the next payment to the same payee (PLB WO with the claim number in PLB03-2).
   */
  private scheduleRecovery(
    payerId: string,
    world: PayerWorld,
    q: Queued,
    outcome: ClaimAdjudication,
    payDate: string,
  ): void {
    const rate =
      world.profile.submission === 'paper' ? 0 : (this.recoveryRate ?? world.profile.overpaymentRecoveryRate);
    if (rate <= 0 || outcome.paidCents <= 0) return;
    const r = this.rng.fork(`recoup/${q.payerClaimNumber}`);
    if (!r.chance(rate)) return;
    const due = addDays(payDate, r.int(30, 75));
    const amount = Math.max(1, Math.round((outcome.paidCents * r.int(10, 50)) / 100));
    const key = this.recoveryKey(payerId, q.submitter, q.received);
    const list = this.recoveries.get(key) ?? [];
    list.push({ pcn: q.payerClaimNumber, amount, due });
    this.recoveries.set(key, list);
  }

  /**
   * A reversed claim gives back its whole payment, so a recovery not yet taken is dropped and one already
   * taken is returned (a negative PLB WO) with the reversal.
   */
  private cancelRecovery(payerId: string, orig: Adjudicated, pcn: string, payDate: string): void {
    const key = this.recoveryKey(payerId, orig.submitter, orig.received);
    const list = (this.recoveries.get(key) ?? []).filter((x) => x.pcn !== pcn);
    const taken = this.recovered.get(pcn);
    if (taken !== undefined) {
      list.push({ pcn, amount: -taken, due: payDate });
      this.recovered.delete(pcn);
    }
    if (list.length > 0) this.recoveries.set(key, list);
    else this.recoveries.delete(key);
  }

  /**
   * Claims split across ERAs (issue 4): with the payer's split rate, a claim of two or more lines is paid
   * in two parts, each a balanced CLP with its own lines, on consecutive payment runs.
   */
  private splitForEras(pcn: string, outcome: ClaimAdjudication, world: PayerWorld): ClaimAdjudication[] {
    const rate = this.splitRate ?? world.profile.eraSplitRate;
    if (outcome.lines.length < 2 || rate <= 0 || !this.rng.fork(`split/${pcn}`).chance(rate))
      return [outcome];
    const k = Math.ceil(outcome.lines.length / 2);
    const part = (lines: ClaimAdjudication['lines']): ClaimAdjudication => {
      const allDenied = lines.every((l) => l.denied);
      return {
        ...outcome,
        lines,
        clp02: allDenied ? '4' : outcome.clp02 === '4' ? '1' : outcome.clp02,
        status: allDenied ? 'denied' : lines.some((l) => l.denied) ? 'partial' : 'paid',
        chargeCents: lines.reduce((t, l) => t + l.chargeCents, 0),
        paidCents: lines.reduce((t, l) => t + l.paidCents, 0),
        patientResponsibilityCents: lines.reduce(
          (t, l) => t + l.adjustments.filter((c) => c.group === 'PR').reduce((u, c) => u + c.amountCents, 0),
          0,
        ),
      };
    };
    return [part(outcome.lines.slice(0, k)), part(outcome.lines.slice(k))];
  }

  /** Prompt-pay interest: simple annual 5 % on what is paid after the prompt-pay limit. */
  private interest(claim: SimClaim, outcome: ClaimAdjudication, payDate: string): number {
    const late = daysBetween(claim.receivedDate, payDate) - this.promptPayDays;
    if (late <= 0 || outcome.paidCents <= 0) return 0;
    return Math.round((outcome.paidCents * 500 * late) / (10_000 * 365));
  }

  /**
   * Medicare crossover: a primary claim whose 2320 names a supplemental payer known to the clearinghouse
   * is forwarded there automatically as a secondary claim (COB from this adjudication); the 835 says so
   * with CLP02 19 and NM1*TT.
   */
  private crossover(
    q: Queued,
    world: PayerWorld,
    outcome: ClaimAdjudication,
    day: string,
  ): { name: string; payerId: string } | null {
    if (!world.profile.crossover || q.received.responsibility !== 'P' || outcome.clp02 === '4') return null;
    for (const o of q.received.otherPayers) {
      const sw = this.payers.worlds.get(o.payerId);
      if (!sw || sw.profile.kind !== 'supplement' || !sw.roster.has(o.memberId)) continue;
      const sim: SimClaim = {
        ...q.received.sim,
        payerId: o.payerId,
        memberId: o.memberId,
        receivedDate: day,
        cob: outcome.lines.map((l) => {
          const pr: Record<string, number> = {};
          for (const c of l.adjustments)
            if (c.group === 'PR') pr[c.reason] = (pr[c.reason] ?? 0) + c.amountCents;
          return { lineId: l.lineId, primaryPaidCents: l.paidCents, patientResponsibility: pr };
        }),
      };
      const forwarded: ReceivedClaim = {
        ...q.received,
        sim,
        responsibility: 'S',
        filingIndicator: '',
        patient: { ...q.received.patient, memberId: o.memberId },
        insured: q.received.insured === null ? null : { ...q.received.insured, memberId: o.memberId },
        otherPayers: [],
      };
      this.stats.crossovers++;
      const pcn = this.nextPayerClaimNumber(o.payerId);
      this.enqueue(forwarded, pcn, q.submitter, null, q.payerClaimNumber);
      this.remember(day, pcn, -1, `${o.payerId}|${sim.claimId}`);
      return { name: sw.profile.name.toUpperCase(), payerId: o.payerId };
    }
    return null;
  }

  private eraPayer(payerId: string, world: PayerWorld): EraPayer {
    const row = this.payerRows.get(payerId);
    return {
      payerId,
      name: world.profile.name,
      kind: world.profile.kind,
      address: {
        line1: row?.address1 ?? '1 PAYER PLAZA',
        city: row?.city ?? 'COLUMBUS',
        state: row?.state ?? 'OH',
        postalCode: row?.zip ?? '43215',
      },
      ein: String(100_000_000 + (fnv(payerId) % 899_999_999)),
      claimLevelCopay: world.profile.claimLevelCopay,
    };
  }

  /** One ERA per payee (billing NPI and submitter) for everything due on or before `day`. */
  private payPayer(payerId: string, day: string): void {
    const list = this.pending.get(payerId) ?? [];
    const due = list.filter((p) => p.payDate <= day);
    if (due.length === 0) return;
    this.pending.set(
      payerId,
      list.filter((p) => p.payDate > day),
    );
    const world = this.payers.worlds.get(payerId);
    if (!world) return;
    const groups = new Map<string, Pending[]>();
    for (const p of due) {
      const key = `${p.submitter.id}|${p.era.received.billing.npi}`;
      const g = groups.get(key) ?? [];
      g.push(p);
      groups.set(key, g);
    }
    const payer = this.eraPayer(payerId, world);
    for (const [key, g] of groups) this.guard('835', () => this.payGroup(payerId, payer, key, g, day));
  }

  /** One ERA: one payment (check/EFT) to one payee. */
  private payGroup(payerId: string, payer: EraPayer, key: string, g: Pending[], day: string): void {
    const first = g[0];
    if (!first) return;
    const n = (this.traceSeq.get(payerId) ?? 0) + 1;
    this.traceSeq.set(payerId, n);
    const claims = g.map((p) => p.era);
    // Forward balance (PLB FB): a payment run that nets negative (reversals) pays zero and recovers
    // the rest from the next payments to the same payee.
    const fbKey = `${payerId}|${key}`;
    const owed = this.forwardBalance.get(fbKey) ?? 0;
    const paid = claims.reduce(
      (s, c) => s + (c.clp02 === '22' ? -c.outcome.paidCents : c.outcome.paidCents),
      0,
    );
    const interest = claims.reduce((s, c) => s + (c.clp02 === '22' ? 0 : c.interestCents), 0);
    const extraPlb: { reason: string; reference: string; amount: number }[] = [];
    // Overpayment recoveries due by now (PLB WO, positive: taken from this payment).
    const waiting = this.recoveries.get(fbKey) ?? [];
    const dueNow = waiting.filter((x) => x.due <= day);
    let recovered = 0;
    for (const x of dueNow) {
      extraPlb.push({ reason: 'WO', reference: x.pcn, amount: x.amount });
      recovered += x.amount;
      if (x.amount > 0) this.recovered.set(x.pcn, x.amount);
      this.stats.recoupments++;
      this.stats.recoupedCents += x.amount;
    }
    if (dueNow.length > 0) {
      const rest = waiting.filter((x) => x.due > day);
      if (rest.length > 0) this.recoveries.set(fbKey, rest);
      else this.recoveries.delete(fbKey);
    }
    const net = paid + interest - recovered;
    const ref = `${payerId}FB`;
    if (net < 0) {
      extraPlb.push({ reason: 'FB', reference: ref, amount: net });
      this.forwardBalance.set(fbKey, owed - net);
    } else if (owed > 0 && net > 0) {
      const take = Math.min(owed, net);
      extraPlb.push({ reason: 'FB', reference: ref, amount: take });
      this.forwardBalance.set(fbKey, owed - take);
    }
    const r = buildRemittance({
      payer,
      controlNumber: '0001',
      paymentDate: day,
      // TRN02 unique per payer; 14 characters so a 277 STC09 (AN 1-16) can carry it too.
      traceNumber: `${payerId}${String(n).padStart(9, '0')}`,
      receiverId: first.submitter.id,
      claims,
      extraPlb,
    });
    const control = this.nextIsa();
    const text = write835([r], {
      interchange: this.interchange(first.submitter, day, control, payerId),
      senderCode: payerId,
      receiverCode: first.submitter.appCode,
      groupControlNumber: control,
    });
    // Refuse to emit an 835 OpenRCM's own reader finds an error in (balancing, codes, structure).
    const check = parse835(text);
    const err = check.diagnostics.find((d) => d.severity === 'error');
    if (err)
      throw new Error(
        `simulated clearinghouse built a non-conforming 835: ${err.code} ${err.loop ?? ''} ${err.element ?? ''}`,
      );
    this.stats.eras++;
    this.stats.paidCents += r.payment.amount;
    for (const c of claims) {
      const rec = this.records.get(c.payerClaimNumber);
      if (rec && c.clp02 !== '22')
        this.record(c.payerClaimNumber, {
          ...rec,
          state: 'paid',
          paymentDate: day,
          trace: r.trace?.traceNumber ?? null,
        });
    }
    this.push('835', text, day, `${payerId}-${String(control).padStart(9, '0')}`);
  }

  // ---------------------------------------------------------------------------------------------------
  // Outbound

  private nextIsa(): number {
    this.isaSeq = (this.isaSeq % 999_999_999) + 1;
    return this.isaSeq;
  }

  private interchange(to: Submitter, date: string, control: number, from?: string): InterchangeOptions {
    return {
      senderQualifier: 'ZZ',
      senderId: from ?? this.id,
      receiverQualifier: to.qualifier,
      receiverId: to.id,
      date,
      time: '1200',
      controlNumber: control,
      usage: 'P',
      newlines: true,
    };
  }

  private push(kind: OutboxFile['kind'], content: string, date: string, tag: string): void {
    this.fileSeq++;
    const file: OutboxFile = {
      name: `${ymd(date)}-${String(this.fileSeq).padStart(6, '0')}-${kind}-${tag}.x12`,
      content,
      kind,
      date,
    };
    if (this.keepOutbox) this.files.push(file);
    this.produced?.push(file.name);
    this.onOutput?.(file);
  }

  private emitTa1(t: Ta1, to: Submitter, date: string): void {
    this.guard('TA1', () => {
      const control = this.nextIsa();
      this.push(
        'TA1',
        writeTa1([t], this.interchange(to, date, control)),
        date,
        String(control).padStart(9, '0'),
      );
    });
  }

  private emit999(acks: Ack999[], to: Submitter, date: string): void {
    const control = this.nextIsa();
    const write = (list: Ack999[]): string =>
      write999(
        list.map((a, i) => ({ ...a, controlNumber: String(i + 1).padStart(4, '0') })),
        {
          interchange: this.interchange(to, date, control),
          senderCode: this.id,
          receiverCode: to.appCode,
          groupControlNumber: control,
        },
      );
    let text: string;
    try {
      text = write(acks);
    } catch {
      // A finding the 999 writer cannot carry (a value with a delimiter in it): still answer, with the
      // IK5/AK9 verdicts and without the segment detail, rather than leave the submitter without a 999.
      text = write(
        acks.map((a) => ({ ...a, transactions: a.transactions.map((t) => ({ ...t, segmentErrors: [] })) })),
      );
    }
    this.push('999', text, date, String(control).padStart(9, '0'));
  }

  private emit277(requests: ClaimStatusTransaction[], to: Submitter, date: string): void {
    const control = this.nextIsa();
    const responses = requests.map((r) => {
      const a = answer276(r, (payerId, pcn, clm01) => this.findClaim(payerId, pcn, clm01), date);
      this.stats.claimStatusInquiries += a.questions;
      return a.response;
    });
    const text = writeClaimStatusInterchange(responses, {
      interchange: this.interchange(to, date, control),
      senderCode: this.id,
      receiverCode: to.appCode,
      groupControlNumber: control,
    });
    this.push('277', text, date, String(control).padStart(9, '0'));
  }

  /** A payer's record of a claim by payer claim number, else the latest with that CLM01. */
  private findClaim(
    payerId: string,
    pcn: string | undefined,
    clm01: string | undefined,
  ): ClaimRecord | undefined {
    if (pcn !== undefined) {
      const r = this.records.get(pcn);
      if (r && pcn.startsWith(payerId)) return r;
    }
    if (clm01 === undefined) return undefined;
    const latest = this.latestByClm01.get(`${payerId}|${clm01}`);
    return latest === undefined ? undefined : this.records.get(latest);
  }

  private record(pcn: string, r: ClaimRecord): void {
    this.records.set(pcn, r);
  }

  /** The 271's view of a member-year ('payerId|memberId|YYYY'): what was adjudicated, else the seasoned start. */
  private accumulatorByKey(key: string): ReturnType<PayerMemory['stored']> {
    const stored = this.memory.stored(key);
    if (stored) return stored;
    const [payerId = '', memberId = '', year = ''] = key.split('|');
    const world = this.payers.worlds.get(payerId);
    return world && /^\d{4}$/.test(year)
      ? this.memory.accumulator(world.profile, memberId, `${year}-01-01`)
      : undefined;
  }

  /** Schedules a received claim's records to be forgotten after the retention period. */
  private remember(date: string, pcn: string, version: number, clm01: string | null): void {
    const month = date.slice(0, 7);
    const list = this.expiry.get(month);
    const item = { pcn, version, clm01 };
    if (list) list.push(item);
    else this.expiry.set(month, [item]);
  }

  /**
   * Once a month: forgets claims received more than the retention period ago (records, reversible
   * adjudications, version hashes), duplicate-history months and authorizations no claim can reach any
   * more (past every payer's timely filing limit from the earliest receipt still queued), and benefit
   * years that can no longer receive a claim.
   */
  private prune(day: string): void {
    const month = day.slice(0, 7);
    if (month === this.prunedMonth) return;
    this.prunedMonth = month;
    const cutoff = addDays(day, -this.retentionDays).slice(0, 7);
    for (const [m, items] of [...this.expiry]) {
      if (m >= cutoff) continue;
      for (const it of items) {
        this.records.delete(it.pcn);
        this.adjudicated.delete(it.pcn);
        this.recovered.delete(it.pcn);
        this.versions.delete(it.version);
        if (it.clm01 !== null && this.latestByClm01.get(it.clm01) === it.pcn)
          this.latestByClm01.delete(it.clm01);
      }
      this.expiry.delete(m);
    }
    let earliest = day;
    for (const q of this.queue)
      if (q.received.sim.receivedDate < earliest) earliest = q.received.sim.receivedDate;
    let maxFiling = 0;
    for (const [payerId, world] of this.payers.worlds) {
      const tf = world.profile.timelyFilingDays;
      maxFiling = Math.max(maxFiling, tf);
      this.memory.history(payerId).pruneTimelyFiling(earliest, tf);
      this.payers.pruneAuthorizations(addDays(earliest, -tf), payerId);
    }
    this.memory.pruneYearsBefore(Number(addDays(earliest, -maxFiling).slice(0, 4)));
  }

  /** What the clearinghouse and its payers hold (for memory tests and benchmarks). */
  memorySize(): {
    records: number;
    reversible: number;
    versions: number;
    lines: number;
    memberYears: number;
  } {
    return {
      records: this.records.size,
      reversible: this.adjudicated.size,
      versions: this.versions.size,
      ...this.memory.size,
    };
  }

  private emit271(requests: EligibilityTransaction[], to: Submitter, date: string): void {
    const control = this.nextIsa();
    const responses = requests.map((r) => {
      const a = answer270(r, this.payers.worlds, (key) => this.accumulatorByKey(key), date);
      this.stats.eligibilityInquiries += a.questions;
      return a.response;
    });
    const text = writeEligibilityInterchange(responses, {
      interchange: this.interchange(to, date, control),
      senderCode: this.id,
      receiverCode: to.appCode,
      groupControlNumber: control,
    });
    this.push('271', text, date, String(control).padStart(9, '0'));
  }

  private emit277ca(inputs: AckInput[], to: Submitter, date: string): void {
    const control = this.nextIsa();
    const text = writeClaimAcknowledgementInterchange(
      inputs.map((i) => buildClaimAcknowledgement(i)),
      {
        interchange: this.interchange(to, date, control),
        senderCode: this.id,
        receiverCode: to.appCode,
        groupControlNumber: control,
      },
    );
    this.push('277CA', text, date, String(control).padStart(9, '0'));
  }
}
