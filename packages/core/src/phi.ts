/**
 * Protected health information wrapper (STYLE §13). Whatever stringifies a `Phi` — template
 * strings, `JSON.stringify`, `console.log`/`util.inspect`, pino — sees `[PHI]`. The value comes out
 * only through an explicit `reveal()`, which is easy to find in review.
 */

const REDACTED = '[PHI]';
const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

export class Phi<T> {
  readonly #value: T;

  constructor(value: T) {
    this.#value = value;
  }

  /** The protected value. Call only where the value must leave (DB write, X12, statement). */
  reveal(): T {
    return this.#value;
  }

  /** Transforms the value without revealing it to the caller's scope. */
  map<U>(fn: (value: T) => U): Phi<U> {
    return new Phi(fn(this.#value));
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspectSymbol](): string {
    return REDACTED;
  }

  get [Symbol.toStringTag](): string {
    return REDACTED;
  }
}

export function phi<T>(value: T): Phi<T> {
  return new Phi(value);
}

export function isPhi(v: unknown): v is Phi<unknown> {
  return v instanceof Phi;
}
