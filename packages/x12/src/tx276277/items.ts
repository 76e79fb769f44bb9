/**
 * Flat per-claim views of a 276 (what was asked) and a 277 (what the payer answered), for AR follow-up and
 * the simulator: one record per 2200D / 2200E claim status tracking loop.
 */
import { refValue, type DatePeriod } from '../core/common-segments.ts';
import { claimStatusCategoryText, claimStatusState, type ClaimStatusState } from './codes.ts';
import type { ClaimStatusTracking, ClaimStatusTransaction, StatusLevelBase } from './types.ts';

/** One status of a claim with readable text. */
export interface ClaimStatusEntry {
  readonly category: string;
  readonly status: string;
  readonly entity?: string;
  readonly categoryText: string;
  readonly state: ClaimStatusState;
}

/** One claim of a 276 or 277. */
export interface ClaimStatusItem {
  /** 2200D or 2200E. */
  readonly loop: string;
  /** TRN02: the 276's trace, echoed by the 277. */
  readonly traceNumber: string;
  /** REF*EJ patient account number (our patient control number, CLM01). */
  readonly patientControlNumber?: string;
  /** REF*1K payer claim control number. */
  readonly payerClaimControlNumber?: string;
  readonly payerId?: string;
  readonly providerId?: string;
  /** Subscriber NM109 (member id). */
  readonly memberId?: string;
  /** 276 AMT*T3 or 277 STC04 in cents. */
  readonly chargeCents?: number;
  /** 277 STC05 in cents. */
  readonly paidCents?: number;
  readonly adjudicationDate?: string;
  readonly paymentMethod?: string;
  readonly checkDate?: string;
  readonly checkNumber?: string;
  /** All statuses of the claim (277), first STC first. */
  readonly statuses: readonly ClaimStatusEntry[];
  /** The broad state of the first status (277), e.g. `finalized`, `pending`. */
  readonly state?: ClaimStatusState;
  readonly serviceDates?: DatePeriod;
  readonly tracking: ClaimStatusTracking;
}

/** Every claim of a 276 or 277, in file order. */
export function claimStatusItems(tx: ClaimStatusTransaction): ClaimStatusItem[] {
  const out: ClaimStatusItem[] = [];
  const add = (
    t: ClaimStatusTracking,
    source: StatusLevelBase,
    provider: StatusLevelBase,
    subscriber: StatusLevelBase,
  ): void => {
    const first = t.statuses[0];
    const statuses: ClaimStatusEntry[] = t.statuses.flatMap((s) =>
      s.statuses.map((c) => ({
        category: c.category,
        status: c.status,
        ...(c.entity === undefined ? {} : { entity: c.entity }),
        categoryText: claimStatusCategoryText(c.category),
        state: claimStatusState(c.category),
      })),
    );
    const item: { -readonly [K in keyof ClaimStatusItem]: ClaimStatusItem[K] } = {
      loop: t.loop,
      traceNumber: t.trace.referenceId,
      statuses,
      tracking: t,
    };
    const set = <K extends keyof ClaimStatusItem>(k: K, v: ClaimStatusItem[K] | undefined): void => {
      if (v !== undefined) item[k] = v;
    };
    set('patientControlNumber', refValue(t.references, 'EJ'));
    set('payerClaimControlNumber', refValue(t.references, '1K'));
    set('payerId', source.name.id);
    set('providerId', provider.name.id);
    set('memberId', subscriber.name.id);
    set('chargeCents', first?.chargeCents ?? t.amounts.find((a) => a.qualifier === 'T3')?.cents);
    set('paidCents', first?.paidCents);
    set('adjudicationDate', first?.adjudicationDate);
    set('paymentMethod', first?.paymentMethod);
    set('checkDate', first?.checkDate);
    set('checkNumber', first?.checkNumber);
    set('state', statuses[0]?.state);
    set(
      'serviceDates',
      t.dates.find((d) => d.qualifier === '472'),
    );
    out.push(item);
  };
  for (const a of tx.sources) {
    for (const b of a.receivers) {
      for (const c of b.providers) {
        for (const d of c.subscribers) {
          for (const t of d.tracking) add(t, a, c, d);
          for (const e of d.dependents) for (const t of e.tracking) add(t, a, c, d);
        }
      }
    }
  }
  return out;
}
