/** Helpers for validating command-line values (errors are usage errors: exit code 2). */
import { coreError, type OpenRcmError } from '@openrcm/core';

/** A usage error naming the option. */
export function invalid(message: string): OpenRcmError {
  return coreError('core.invalid_argument', message);
}

export function positiveInt(value: string, option: string): number {
  if (!/^[1-9]\d{0,8}$/.test(value)) throw invalid(`${option}: expected a positive whole number`);
  return Number(value);
}

export function validTimeZone(tz: string, option = '--time-zone'): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return tz;
  } catch {
    throw invalid(`${option}: not an IANA time zone (e.g. America/Chicago)`);
  }
}
