/**
 * Credentialing holds, as pure logic (DOMAIN "Credentialing"): a claim whose rendering provider is not
 * enrolled with the payer on the date of service is held instead of being sent to be denied (CARC B7 /
 * N290-style denials), and released automatically when the enrollment becomes effective.
 *
 * Model: an enrollment span is what the credentialing team records per provider × payer once the payer
 * has given an effective date. `effectiveFrom` is the day the enrollment takes effect (claims may be sent
 * from then on); `coversFrom` is the first date of service it covers, earlier when the payer makes the
 * enrollment retroactive (e.g. Medicare allows billing up to 30 days before the application date, 42 CFR
 * 424.521(a)). A span that covers the date of service but whose effective date is still ahead means
 * "pending": the claim waits and is released on `effectiveFrom`. An application with no effective date yet
 * is not a span, so such claims are "not enrolled" and wait for a person.
 */
import type { CalendarDate, Npi, PayerId } from '@openrcm/core';
import { isWithin } from '@openrcm/core';
import type { EnrollmentQuery, EnrollmentStatus } from '../scrubber/types.ts';

export type { EnrollmentStatus } from '../scrubber/types.ts';

export interface EnrollmentSpan {
  readonly npi: Npi;
  readonly payerId: PayerId;
  /** The day the enrollment takes effect: claims covered by it may be submitted from this date. */
  readonly effectiveFrom: CalendarDate;
  /** First date of service covered (retroactive enrollment); `effectiveFrom` when absent. */
  readonly coversFrom?: CalendarDate;
  /** Last covered date of service; open-ended when absent. */
  readonly effectiveTo?: CalendarDate;
}

/**
 * The enrollment status of `npi` with `payerId` for a date of service, judged on `asOf`: enrolled when a
 * span covers the date and is already effective; pending (with the earliest effective date) when a span
 * covers it but takes effect later; otherwise not enrolled.
 */
export function enrollmentStatus(
  spans: readonly EnrollmentSpan[],
  npi: Npi,
  payerId: PayerId,
  serviceDate: CalendarDate,
  asOf: CalendarDate,
): EnrollmentStatus {
  let pendingFrom: CalendarDate | undefined;
  for (const s of spans) {
    if (s.npi !== npi || s.payerId !== payerId) continue;
    if (!isWithin(serviceDate, s.coversFrom ?? s.effectiveFrom, s.effectiveTo)) continue;
    if (s.effectiveFrom <= asOf) return { status: 'enrolled' };
    if (pendingFrom === undefined || s.effectiveFrom < pendingFrom) pendingFrom = s.effectiveFrom;
  }
  return pendingFrom === undefined
    ? { status: 'not_enrolled' }
    : { status: 'pending', effectiveFrom: pendingFrom };
}

/**
 * A `ScrubContext.enrollment` look-up over all spans, indexed once by provider × payer so each query scans
 * only that pair's few spans (a run scrubs many claims against the same spans).
 */
export function enrollmentLookup(
  spans: readonly EnrollmentSpan[],
  asOf: CalendarDate,
): (query: EnrollmentQuery) => EnrollmentStatus {
  const byPair = new Map<string, EnrollmentSpan[]>();
  for (const s of spans) {
    const key = `${s.npi}|${s.payerId}`;
    const list = byPair.get(key);
    if (list) list.push(s);
    else byPair.set(key, [s]);
  }
  return (q) =>
    enrollmentStatus(byPair.get(`${q.npi}|${q.payerId}`) ?? [], q.npi, q.payerId, q.serviceDate, asOf);
}

/**
 * The date a claim on credentialing hold can be released, given the enrollment status of every
 * provider × date of service on it: the latest pending effective date. `undefined` when the claim needs no
 * credentialing hold (all enrolled) and `null` when it cannot be released automatically (some provider is
 * not enrolled at all, so a person must act).
 */
export function releaseDate(statuses: readonly EnrollmentStatus[]): CalendarDate | null | undefined {
  let latest: CalendarDate | undefined;
  for (const s of statuses) {
    switch (s.status) {
      case 'enrolled':
        break;
      case 'not_enrolled':
        return null;
      case 'pending':
        if (latest === undefined || s.effectiveFrom > latest) latest = s.effectiveFrom;
        break;
    }
  }
  return latest;
}

/** Whether a credentialing hold with release date `releaseOn` is released on `asOf` (inclusive). */
export function isReleased(releaseOn: CalendarDate | null | undefined, asOf: CalendarDate): boolean {
  if (releaseOn === undefined) return true;
  if (releaseOn === null) return false;
  return releaseOn <= asOf;
}
