/**
 * Per-claim view of a 277CA: which claims (by patient control number, CLM01 of the 837) were accepted or
 * rejected, with their statuses and the identifiers the payer / clearinghouse assigned.
 */
import { refValue, type DatePeriod } from '../core/common-segments.ts';
import { ACCEPTING_CATEGORIES, REJECTING_CATEGORIES, claimStatusCategoryText } from '../tx276277/codes.ts';
import type { ClaimStatusTracking } from '../tx276277/types.ts';
import type { ClaimAcknowledgementTransaction } from './types.ts';

/** One status of a claim, with readable category text. */
export interface AcknowledgedStatus {
  readonly category: string;
  readonly status: string;
  readonly entity?: string;
  readonly categoryText: string;
}

/** What a 277CA says about one claim (2200D). */
export interface ClaimAcknowledgement {
  /** TRN02 of the 2200D: the patient control number the 837 sent in CLM01. */
  readonly patientControlNumber: string;
  readonly accepted: boolean;
  readonly statuses: readonly AcknowledgedStatus[];
  /** STC03 action code of the first status (WQ accept, U reject). */
  readonly actionCode?: string;
  /** STC04 total claim charge as acknowledged (cents). */
  readonly chargeCents?: number;
  /** STC02 status effective date. */
  readonly statusDate?: string;
  /** STC12 free-form message of the first status (e.g. which field a rejection is about). */
  readonly message?: string;
  /** REF*1K payer claim control number. */
  readonly payerClaimControlNumber?: string;
  /** REF*D9 clearinghouse trace number. */
  readonly clearinghouseTrace?: string;
  /** REF*BLT institutional bill type. */
  readonly billType?: string;
  readonly serviceDates?: DatePeriod;
  /** Billing provider (2100C NM109) the claim is under. */
  readonly billingProviderId?: string;
  /** Line-level statuses (2220D) by line item control number (REF*FJ) when given. */
  readonly lines: readonly {
    readonly lineItemControlNumber?: string;
    readonly accepted: boolean;
    readonly statuses: readonly AcknowledgedStatus[];
  }[];
}

function statusesOf(t: { readonly statuses: ClaimStatusTracking['statuses'] }): AcknowledgedStatus[] {
  const out: AcknowledgedStatus[] = [];
  for (const s of t.statuses) {
    for (const c of s.statuses) {
      const a: { -readonly [K in keyof AcknowledgedStatus]: AcknowledgedStatus[K] } = {
        category: c.category,
        status: c.status,
        categoryText: claimStatusCategoryText(c.category),
      };
      if (c.entity !== undefined) a.entity = c.entity;
      out.push(a);
    }
  }
  return out;
}

/**
 * A claim is accepted when no status has a rejecting category (A3, A4, A6-A8, E*, D0) or a U (reject) action,
 * and at least one status acknowledges it (A0, A1, A2, A5) or carries the WQ (accept) action.
 */
export function isAccepted(t: { readonly statuses: ClaimStatusTracking['statuses'] }): boolean {
  let accepting = false;
  for (const s of t.statuses) {
    if (s.actionCode === 'U') return false;
    if (s.actionCode === 'WQ') accepting = true;
    for (const c of s.statuses) {
      if ((REJECTING_CATEGORIES as readonly string[]).includes(c.category)) return false;
      if ((ACCEPTING_CATEGORIES as readonly string[]).includes(c.category)) accepting = true;
    }
  }
  return accepting;
}

/** Every claim acknowledged in a 277CA, in file order. */
export function claimAcknowledgements(tx: ClaimAcknowledgementTransaction): ClaimAcknowledgement[] {
  const out: ClaimAcknowledgement[] = [];
  for (const a of tx.sources) {
    for (const b of a.receivers) {
      for (const c of b.providers) {
        for (const d of c.patients) {
          for (const t of d.tracking) {
            const first = t.statuses[0];
            const ack: { -readonly [K in keyof ClaimAcknowledgement]: ClaimAcknowledgement[K] } = {
              patientControlNumber: t.trace.referenceId,
              accepted: isAccepted(t),
              statuses: statusesOf(t),
              lines: t.lines.map((l) => {
                const line: {
                  lineItemControlNumber?: string;
                  accepted: boolean;
                  statuses: AcknowledgedStatus[];
                } = { accepted: isAccepted(l), statuses: statusesOf(l) };
                const fj = refValue(l.references, 'FJ');
                if (fj !== undefined) line.lineItemControlNumber = fj;
                return line;
              }),
            };
            const set = <K extends keyof ClaimAcknowledgement>(
              k: K,
              v: ClaimAcknowledgement[K] | undefined,
            ): void => {
              if (v !== undefined) ack[k] = v;
            };
            set('actionCode', first?.actionCode);
            set('chargeCents', first?.chargeCents);
            set('statusDate', first?.effectiveDate);
            set('message', first?.message);
            set('payerClaimControlNumber', refValue(t.references, '1K'));
            set('clearinghouseTrace', refValue(t.references, 'D9'));
            set('billType', refValue(t.references, 'BLT'));
            set(
              'serviceDates',
              t.dates.find((x) => x.qualifier === '472'),
            );
            set('billingProviderId', c.name.id);
            out.push(ack);
          }
        }
      }
    }
  }
  return out;
}
