/**
 * One registry of error codes for the whole platform (STYLE §9): expected outcomes are values,
 * unexpected failures are thrown `OpenRcmError`s with a stable code, a cause and a retryable flag,
 * so a job knows whether to retry (clearinghouse timeout) or to open a work item.
 *
 * Messages must never contain patient data: name the field, not its value (STYLE §13).
 */

/** What the registry knows about one code. */
export interface ErrorSpec {
  /** A job may retry the operation unchanged (timeouts, lock contention, transient I/O). */
  readonly retryable: boolean;
  /** The caller asked for something malformed: the CLI exits with code 2 instead of 1. */
  readonly usage?: boolean;
  /** One line for the docs: what the code means. */
  readonly summary: string;
}

/** Codes owned by the foundation packages (core, db, cli). */
export const CORE_ERRORS = {
  'core.invalid_money': { retryable: false, usage: true, summary: 'a money amount is not a valid decimal' },
  'core.money_overflow': { retryable: false, summary: 'a money amount exceeds the safe integer range' },
  'core.invalid_allocation': {
    retryable: false,
    summary: 'allocation weights are empty, negative or all zero',
  },
  'core.invalid_date': {
    retryable: false,
    usage: true,
    summary: 'a calendar date is not a valid YYYY-MM-DD',
  },
  'core.invalid_instant': {
    retryable: false,
    usage: true,
    summary: 'an instant is not a valid ISO-8601 time',
  },
  'core.invalid_id': {
    retryable: false,
    usage: true,
    summary: 'an identifier fails its format or check digit',
  },
  'core.invalid_argument': { retryable: false, usage: true, summary: 'an argument is missing or malformed' },
  'core.not_found': { retryable: false, summary: 'a record does not exist (in this practice)' },
  'core.conflict': { retryable: false, summary: 'a record conflicts with an existing one' },
  'core.internal': { retryable: false, summary: 'an invariant was broken: a bug' },
  'db.locked': { retryable: true, summary: 'another process holds the embedded database lock' },
  'db.connect_failed': { retryable: true, summary: 'the database could not be opened' },
  'db.migration_changed': { retryable: false, summary: 'an applied migration file was edited afterwards' },
  'db.migration_failed': { retryable: false, summary: 'a migration failed and was rolled back' },
  'db.migration_unknown': {
    retryable: false,
    summary: 'the database has a migration this code does not know',
  },
  'db.decode_failed': { retryable: false, summary: 'a column value could not be decoded safely' },
  'db.query_failed': { retryable: false, summary: 'a query failed' },
  'db.ledger_unbalanced': {
    retryable: false,
    summary: 'a ledger posting does not balance (a bug in the posting code)',
  },
  'db.serialization': {
    retryable: true,
    summary: 'a transaction conflicted with another and may be retried',
  },
  'cli.usage': { retryable: false, usage: true, summary: 'the command line is malformed' },
  'cli.config': { retryable: false, usage: true, summary: 'the configuration (env, options) is invalid' },
} as const satisfies Record<string, ErrorSpec>;

export type CoreErrorCode = keyof typeof CORE_ERRORS;

const registry = new Map<string, ErrorSpec>(Object.entries(CORE_ERRORS));

export interface OpenRcmErrorOptions {
  readonly cause?: unknown;
  /** Structured, PHI-free context (ids, field names, counts). */
  readonly details?: Readonly<Record<string, string | number | boolean | null>>;
}

/** The one error class thrown across OpenRCM. Use a factory from `registerErrors` or `coreError`. */
export class OpenRcmError extends Error {
  override readonly name = 'OpenRcmError';
  readonly code: string;
  readonly retryable: boolean;
  readonly usage: boolean;
  readonly details: Readonly<Record<string, string | number | boolean | null>>;

  constructor(code: string, message: string, options: OpenRcmErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    // An unregistered code is a programming error; keep the error usable but flag it as internal.
    const spec = registry.get(code);
    this.code = spec ? code : 'core.internal';
    this.retryable = spec?.retryable ?? false;
    this.usage = spec?.usage ?? false;
    this.details = options.details ?? {};
  }

  /** JSON form for APIs and job logs: code and message, never the cause's payload. */
  toJSON(): { code: string; message: string; retryable: boolean; details: Record<string, unknown> } {
    return {
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      details: { ...this.details },
    };
  }
}

export type ErrorFactory<C extends string> = (
  code: C,
  message: string,
  options?: OpenRcmErrorOptions,
) => OpenRcmError;

/**
 * Registers a package's error codes (call once at module load, e.g. `x12.*` in @openrcm/x12) and
 * returns a typed factory. Registering the same code twice with a different spec throws.
 */
export function registerErrors<const T extends Record<string, ErrorSpec>>(
  specs: T,
): ErrorFactory<Extract<keyof T, string>> {
  for (const [code, spec] of Object.entries(specs)) {
    const existing = registry.get(code);
    if (
      existing &&
      (existing.retryable !== spec.retryable ||
        (existing.usage ?? false) !== (spec.usage ?? false) ||
        existing.summary !== spec.summary)
    ) {
      throw new OpenRcmError('core.internal', `error code ${code} registered twice with different specs`);
    }
    registry.set(code, spec);
  }
  return (code, message, options) => new OpenRcmError(code, message, options);
}

/** Factory for the foundation's own codes. */
export const coreError: ErrorFactory<CoreErrorCode> = (code, message, options) =>
  new OpenRcmError(code, message, options);

/** Every registered code with its spec (for docs and a test that codes are documented). */
export function registeredErrors(): ReadonlyMap<string, ErrorSpec> {
  return registry;
}

export function isOpenRcmError(e: unknown): e is OpenRcmError {
  return e instanceof OpenRcmError;
}

/** True when a failure may be retried unchanged (unknown errors are not retryable). */
export function isRetryable(e: unknown): boolean {
  return e instanceof OpenRcmError && e.retryable;
}
