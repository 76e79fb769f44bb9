/**
 * Underpayment test (stage 4, pure): the payer's allowed amount (835 AMT*B6) against the practice's contracted
 * rate for the payer (fee_schedule_entries × units), with the per-payer tolerance from
 * practice_payer_settings: an underpayment is a shortfall larger than max(cents, basis points of expected).
 * The rate is the one of the line's setting (fee_schedules.setting): a line billed with a facility place of
 * service is compared with the facility rate, any other with the non-facility rate (Medicare PFS split);
 * a schedule of setting 'any' applies to both. Which places of service are facility: `pfsSettingForPos`
 * (@openrcm/codesets).
 */
import { scale, type Cents } from '@openrcm/core';

export interface Tolerance {
  readonly cents: Cents;
  /** Basis points of the expected amount (100 bp = 1 %). */
  readonly bp: number;
}

/** The shortfall in cents when `allowed` is below `expected` by more than the tolerance, else null. */
export function underpaidBy(expected: Cents, allowed: Cents, tolerance: Tolerance): Cents | null {
  const shortfall = expected - allowed;
  if (shortfall <= 0) return null;
  const pct = scale(expected, tolerance.bp, 10_000, 'half-up');
  return shortfall > Math.max(tolerance.cents, pct) ? (shortfall as Cents) : null;
}
