/**
 * Posting math (stage 4): turns one adjudicated 835 claim payment (CLP + claim CAS + SVC lines with their
 * CAS), already matched to our claim lines, into balanced double-entry ledger transactions. Pure: no I/O, no
 * clock; the ingest step supplies ids and writes the result with `postLedgerTransaction`.
 *
 * Decisions (see README.md):
 * - One transaction per kind of money movement per claim payment: the payment (debit cash / credit
 *   ar_insurance), and one per CAS group + CARC (CO → contractual_adjustments, PR → ar_patient, OA/PI/CR →
 *   other_adjustments), so PR-1 deductible, PR-2 coinsurance and PR-3 copay stay apart and the CARC is on
 *   the memo and in the idempotency key. Entries are per claim line.
 * - Claim-level CAS (2100 CAS) — and CLP04 itself when the payer sent no SVC lines — is allocated to our
 *   claim lines in proportion to their charges by largest remainder (`allocate`), so every claim line keeps
 *   charge = paid + adjustments + patient responsibility + open balance. A claim with no lines on file posts
 *   at claim level (no claim_line_id).
 * - Negative amounts (reversal lines, CAS corrections) post as negative entries: the signs carry through.
 *   Zero amounts post nothing (the ledger refuses zero entries).
 * - Crossover (CLP02 = 19/20/21): the payer forwarded the claim, so its PR amounts are owed by the next payer,
 *   not the patient: they stay open in ar_insurance instead of moving to ar_patient.
 * - PLB amounts are provider-level: cash against provider_level_adjustments (L6 interest: interest_income),
 *   linked to the referenced claim.
 */
import {
  allocate,
  negate,
  sum,
  type Cents,
  type ClaimId,
  type ClaimLineId,
  type PatientId,
  type PayerId,
} from '@openrcm/core';
import type { LedgerAccount, LedgerEntryInput, LedgerTransactionKind } from '@openrcm/db';
import type { AdjustmentItem, ClaimPayment } from '@openrcm/x12/835';
import { claimDenied, isDenialAdjustment, lineDenied } from './denials.ts';

/** A ledger transaction the ingest step will post (effective date, remittance and actor are added there). */
export interface PlannedTransaction {
  readonly kind: Exclude<LedgerTransactionKind, 'reversal'>;
  /** Idempotency key: the business key of this posting. */
  readonly key: string;
  /** Short, PHI-free description (e.g. `PR-2`, `payment`, `PLB WO`). */
  readonly memo: string;
  readonly entries: readonly LedgerEntryInput[];
}

/** One of our claim lines, as far as posting needs it. */
export interface PlanLine {
  readonly lineId: ClaimLineId;
  readonly chargeCents: Cents;
}

/** A claim payment matched to our claim (every SVC line matched to one of our lines). */
export interface ClaimPostingInput {
  /** Prefix of every idempotency key, e.g. `era:<remittance id>:cp:<claim payment id>`. */
  readonly keyPrefix: string;
  readonly claimId: ClaimId;
  readonly patientId?: PatientId;
  readonly payerId?: PayerId;
  readonly payment: ClaimPayment;
  /** For each `payment.services[i]`, our claim line it was matched to. */
  readonly serviceLines: readonly ClaimLineId[];
  /** Our claim's lines, for claim-level amounts (allocated by charge). */
  readonly claimLines: readonly PlanLine[];
}

/** CAS01 claim adjustment group codes as posting treats them (CR is a 4010 leftover some payers still send). */
export const POSTING_GROUPS = ['CO', 'PR', 'OA', 'PI', 'CR'] as const;
export type PostingGroup = (typeof POSTING_GROUPS)[number];

/** CLP02 19/20/21: processed as primary/secondary/tertiary and forwarded to another payer (835 TR3). */
export const CROSSOVER_STATUSES: ReadonlySet<string> = new Set(['19', '20', '21']);
/** CLP02 22: reversal of a previous payment (835 TR3). */
export const REVERSAL_STATUS = '22';

export function isPostingGroup(g: string): g is PostingGroup {
  return (POSTING_GROUPS as readonly string[]).includes(g);
}

/** Which account a CAS group moves the insurance balance to, and the transaction kind. */
export function groupPosting(group: PostingGroup): {
  readonly account: LedgerAccount;
  readonly kind: PlannedTransaction['kind'];
} {
  switch (group) {
    case 'CO':
      return { account: 'contractual_adjustments', kind: 'contractual_adjustment' };
    case 'PR':
      return { account: 'ar_patient', kind: 'patient_responsibility' };
    case 'OA':
    case 'PI':
    case 'CR':
      return { account: 'other_adjustments', kind: 'adjustment' };
  }
}

/** Amounts per line (undefined = claim level, no line on file), in insertion order. */
type LineAmounts = Map<ClaimLineId | undefined, number>;

function addTo(m: LineAmounts, line: ClaimLineId | undefined, amount: number): void {
  if (amount === 0) return;
  m.set(line, (m.get(line) ?? 0) + amount);
}

/** Splits a claim-level amount over our lines by charge (equal weights when every charge is zero). */
function spread(lines: readonly PlanLine[], amount: number): [ClaimLineId | undefined, number][] {
  if (amount === 0) return [];
  if (lines.length === 0) return [[undefined, amount]];
  const charges = lines.map((l) => l.chargeCents as number);
  const weights = charges.some((c) => c > 0) ? charges : charges.map(() => 1);
  const parts = allocate(amount as Cents, weights);
  return lines.map((l, i) => [l.lineId, parts[i] ?? 0]);
}

/** `debit` gets +amount and ar_insurance −amount, per line: each pair balances on its own. */
function pairs(
  m: LineAmounts,
  debit: LedgerAccount,
  ids: {
    readonly claimId: ClaimId;
    readonly patientId?: PatientId | undefined;
    readonly payerId?: PayerId | undefined;
  },
): LedgerEntryInput[] {
  const out: LedgerEntryInput[] = [];
  for (const [lineId, amount] of m) {
    if (amount === 0) continue;
    const common = {
      claimId: ids.claimId,
      ...(lineId === undefined ? {} : { claimLineId: lineId }),
      ...(ids.patientId === undefined ? {} : { patientId: ids.patientId }),
      ...(ids.payerId === undefined ? {} : { payerId: ids.payerId }),
    };
    out.push({ account: debit, amountCents: amount as Cents, ...common });
    out.push({ account: 'ar_insurance', amountCents: -amount as Cents, ...common });
  }
  return out;
}

function bucketKey(group: string, reason: string): string {
  return `${group}-${reason}`;
}

/**
 * The ledger transactions for one matched claim payment. Every transaction balances (each line's debit has
 * its ar_insurance credit); Σ cash = CLP04; Σ ar_insurance credits = CLP04 + Σ CAS (minus forwarded PR on a
 * crossover). Throws only on a programming error (service/line arrays of different length).
 */
export function planClaimPayment(input: ClaimPostingInput): PlannedTransaction[] {
  const { payment } = input;
  if (input.serviceLines.length !== payment.services.length) {
    throw new Error('planClaimPayment: every SVC line needs a matched claim line');
  }
  const crossover = CROSSOVER_STATUSES.has(payment.status);
  const paid: LineAmounts = new Map();
  const buckets = new Map<string, { group: PostingGroup; reason: string; amounts: LineAmounts }>();
  const bucket = (group: PostingGroup, reason: string): LineAmounts => {
    const k = bucketKey(group, reason);
    let b = buckets.get(k);
    if (!b) {
      b = { group, reason, amounts: new Map() };
      buckets.set(k, b);
    }
    return b.amounts;
  };
  const skip = (group: PostingGroup): boolean => crossover && group === 'PR';
  // A denial (CO/PI/OA other than a contractual CARC on a line or claim paid zero) is not written down: its
  // amount stays in ar_insurance, collectable, until the denial is worked (corrected and resubmitted,
  // appealed, or written off through an approved write-off). The denial row carries the amount.
  const denialLeftInAr = (denied: boolean, group: string, item: AdjustmentItem): boolean =>
    denied && isDenialAdjustment(group, item.reason, item.amount);

  payment.services.forEach((svc, i) => {
    const lineId = input.serviceLines[i];
    addTo(paid, lineId, svc.paid);
    const denied = lineDenied(svc) && payment.status !== REVERSAL_STATUS;
    for (const cas of svc.adjustments) {
      if (!isPostingGroup(cas.group) || skip(cas.group)) continue;
      for (const item of cas.items) {
        if (denialLeftInAr(denied, cas.group, item)) continue;
        addTo(bucket(cas.group, item.reason), lineId, item.amount);
      }
    }
  });
  // 2100 CAS applies to the whole claim; with no 2110 loops CLP04 is claim level too (835 TR3 2110 note).
  const withLines = payment.services.length > 0;
  if (!withLines) for (const [l, a] of spread(input.claimLines, payment.paid)) addTo(paid, l, a);
  const claimLevelDenied = claimDenied(payment);
  for (const cas of payment.adjustments) {
    for (const item of cas.items) {
      const parts = spread(input.claimLines, item.amount);
      // With 2110 loops, CLP04 = Σ SVC03 − Σ claim-level CAS (835 TR3 balancing): a claim-level adjustment
      // lowers the money received on the lines it is allocated to.
      if (withLines) for (const [l, a] of parts) addTo(paid, l, -a);
      if (!isPostingGroup(cas.group) || skip(cas.group)) continue;
      if (denialLeftInAr(claimLevelDenied, cas.group, item)) continue;
      const b = bucket(cas.group, item.reason);
      for (const [l, a] of parts) addTo(b, l, a);
    }
  }

  const ids = { claimId: input.claimId, patientId: input.patientId, payerId: input.payerId };
  const out: PlannedTransaction[] = [];
  const payEntries = pairs(paid, 'cash', ids);
  if (payEntries.length > 0) {
    out.push({
      kind: 'insurance_payment',
      key: `${input.keyPrefix}:pay`,
      memo: 'payment',
      entries: payEntries,
    });
  }
  for (const [k, b] of buckets) {
    const { account, kind } = groupPosting(b.group);
    const entries = pairs(b.amounts, account, ids);
    if (entries.length > 0) out.push({ kind, key: `${input.keyPrefix}:cas:${k}`, memo: k, entries });
  }
  return out;
}

/**
 * A claim payment that could not be matched: its money is real (it is in BPR02), so it posts to
 * unapplied_cash until someone applies it.
 */
export function planUnapplied(keyPrefix: string, paidCents: Cents, payerId?: PayerId): PlannedTransaction[] {
  if (paidCents === 0) return [];
  const p = payerId === undefined ? {} : { payerId };
  return [
    {
      kind: 'insurance_payment',
      key: `${keyPrefix}:unapplied`,
      memo: 'unapplied: claim payment not matched',
      entries: [
        { account: 'cash', amountCents: paidCents, ...p },
        { account: 'unapplied_cash', amountCents: negate(paidCents), ...p },
      ],
    },
  ];
}

/** PLB03-1 adjustment reason → ledger transaction kind. */
export function plbKind(reason: string): PlannedTransaction['kind'] {
  switch (reason) {
    // L6 interest owed (835 TR3 PLB03-1).
    case 'L6':
      return 'interest';
    // WO overpayment recovery, 72 authorized return, J1 nonreimbursable, B2 rebate: money taken back.
    case 'WO':
    case '72':
    case 'J1':
    case 'B2':
      return 'recoupment';
    default:
      return 'provider_level_adjustment';
  }
}

export interface ProviderAdjustmentInput {
  /** e.g. `era:<remittance id>:plb:<plb row id>`. */
  readonly key: string;
  readonly reason: string;
  /** PLB04, cents; positive reduces the payment (BPR02 = Σ CLP04 − Σ PLB). */
  readonly amountCents: Cents;
  /** The claim PLB03-2 refers to, when found. */
  readonly claimId?: ClaimId;
  readonly payerId?: PayerId;
}

/**
 * The account a PLB item posts against cash: L6 interest is income of the practice (`interest_income`, kept
 * apart from claim payments), every other reason a provider-level adjustment.
 */
export function plbAccount(reason: string): LedgerAccount {
  return reason === 'L6' ? 'interest_income' : 'provider_level_adjustments';
}

/** One PLB item: cash −amount, its account (plbAccount) +amount, both linked to the claim when known. */
export function planProviderAdjustment(input: ProviderAdjustmentInput): PlannedTransaction[] {
  if (input.amountCents === 0) return [];
  const common = {
    ...(input.claimId === undefined ? {} : { claimId: input.claimId }),
    ...(input.payerId === undefined ? {} : { payerId: input.payerId }),
  };
  return [
    {
      kind: plbKind(input.reason),
      key: input.key,
      memo: `PLB ${input.reason}`,
      entries: [
        { account: 'cash', amountCents: negate(input.amountCents), ...common },
        { account: plbAccount(input.reason), amountCents: input.amountCents, ...common },
      ],
    },
  ];
}

/** Σ of the items of every CAS in a list (claim or line level). */
export function casTotal(list: readonly { readonly items: readonly AdjustmentItem[] }[]): Cents {
  return sum(list.flatMap((c) => c.items.map((i) => i.amount as Cents)));
}

/** Σ of the entries of one account over planned transactions (tests and summaries). */
export function accountTotal(plan: readonly PlannedTransaction[], account: LedgerAccount): Cents {
  return sum(plan.flatMap((t) => t.entries.filter((e) => e.account === account).map((e) => e.amountCents)));
}
