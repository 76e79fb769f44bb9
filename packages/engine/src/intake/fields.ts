import { isValidNpi } from '@openrcm/core';
import type { RowError, SourceRow } from './read.ts';

/**
 * Field readers for import rows. Each returns the typed value or records a located error naming the
 * field (never its value: import files carry patient data). JSON rows hold typed values; CSV rows hold
 * strings, so every reader accepts both.
 */
export class RowReader {
  private readonly errors: RowError[];
  private readonly file: string;
  private row: SourceRow = { line: 0, values: {} };
  failed = false;

  constructor(file: string, errors: RowError[]) {
    this.file = file;
    this.errors = errors;
  }

  at(row: SourceRow): this {
    this.row = row;
    this.failed = false;
    return this;
  }

  fail(field: string, message: string): void {
    this.failed = true;
    this.errors.push({ file: this.file, line: this.row.line, field, message });
  }

  private raw(field: string): unknown {
    const v = this.row.values[field];
    return v === '' ? null : v;
  }

  /** Required text (trimmed, non-empty, at most `max` characters). */
  text(field: string, max = 200): string {
    const v = this.optText(field, max);
    if (v === null) {
      if (!this.failedOn(field)) this.fail(field, 'is required');
      return '';
    }
    return v;
  }

  private failedOn(field: string): boolean {
    const last = this.errors[this.errors.length - 1];
    return this.failed && last?.line === this.row.line && last.field === field;
  }

  optText(field: string, max = 200): string | null {
    const v = this.raw(field);
    if (v === null || v === undefined) return null;
    if (typeof v !== 'string' && typeof v !== 'number') {
      this.fail(field, 'must be text');
      return null;
    }
    const s = String(v).trim();
    if (s === '') return null;
    if (s.length > max) {
      this.fail(field, `is longer than ${max} characters`);
      return null;
    }
    return s;
  }

  /** Text matching a pattern; `what` describes the expected shape. */
  pattern(field: string, re: RegExp, what: string): string {
    const v = this.text(field);
    if (v !== '' && !re.test(v)) this.fail(field, `must be ${what}`);
    return v;
  }

  optPattern(field: string, re: RegExp, what: string): string | null {
    const v = this.optText(field);
    if (v !== null && !re.test(v)) this.fail(field, `must be ${what}`);
    return v;
  }

  int(field: string, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): number {
    const v = this.raw(field);
    const n =
      typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v.trim()) : NaN;
    if (v === null || v === undefined) {
      this.fail(field, 'is required');
      return 0;
    }
    if (!Number.isSafeInteger(n)) {
      this.fail(field, 'must be a whole number');
      return 0;
    }
    if (n < min || n > max) {
      this.fail(field, `must be between ${min} and ${max}`);
      return 0;
    }
    return n;
  }

  /** Integer cents (the import format never carries decimal money). */
  cents(field: string, min = 0): number {
    return this.int(field, min);
  }

  /** An optional true/false: absent or empty = `fallback`. */
  optBool(field: string, fallback: boolean): boolean {
    const v = this.raw(field);
    if (v === undefined || v === null || v === '') return fallback;
    return this.bool(field);
  }

  bool(field: string): boolean {
    const v = this.raw(field);
    if (v === true || v === 'true') return true;
    if (v === false || v === 'false') return false;
    this.fail(field, 'must be true or false');
    return false;
  }

  date(field: string): string {
    const v = this.optDate(field);
    if (v === null) {
      if (!this.failedOn(field)) this.fail(field, 'is required');
      return '1970-01-01';
    }
    return v;
  }

  optDate(field: string): string | null {
    const v = this.optText(field, 10);
    if (v === null) return null;
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
    const ok = m !== null && !Number.isNaN(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    if (!ok || new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) !== v) {
      this.fail(field, 'must be a calendar date YYYY-MM-DD');
      return null;
    }
    return v;
  }

  instant(field: string): string {
    const v = this.text(field, 40);
    if (v === '') return '1970-01-01T00:00:00.000Z';
    const t = Date.parse(v);
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v) || Number.isNaN(t)) {
      this.fail(field, 'must be an ISO-8601 instant with a time zone');
      return '1970-01-01T00:00:00.000Z';
    }
    return new Date(t).toISOString();
  }

  list(field: string): string[] {
    const v = this.raw(field);
    if (v === null || v === undefined) return [];
    if (Array.isArray(v)) {
      if (!v.every((x) => typeof x === 'string' || typeof x === 'number')) {
        this.fail(field, 'must be a list of text values');
        return [];
      }
      return v.map((x) => String(x).trim());
    }
    if (typeof v === 'string')
      return v
        .split('|')
        .map((x) => x.trim())
        .filter((x) => x !== '');
    this.fail(field, 'must be a list');
    return [];
  }

  intList(field: string, min: number, max: number): number[] {
    const out: number[] = [];
    for (const s of this.list(field)) {
      const n = Number(s);
      if (!Number.isInteger(n) || n < min || n > max) {
        this.fail(field, `must hold whole numbers between ${min} and ${max}`);
        return [];
      }
      out.push(n);
    }
    return out;
  }

  npi(field: string): string {
    const v = this.pattern(field, /^\d{10}$/, 'a 10-digit NPI');
    if (v !== '' && /^\d{10}$/.test(v) && !isValidNpi(v)) this.fail(field, 'fails the NPI check digit');
    return v;
  }

  oneOf<const T extends string>(field: string, allowed: readonly T[]): T {
    const v = this.text(field);
    if (v !== '' && !(allowed as readonly string[]).includes(v)) {
      this.fail(field, `must be one of ${allowed.join(', ')}`);
      return allowed[0] as T;
    }
    return v as T;
  }
}

export const PROCEDURE_CODE = /^([0-9]{4}[0-9FTU]|[A-V][0-9]{4})$/;
export const MODIFIER = /^[0-9A-Z]{2}$/;
/** ICD-10-CM with or without the dot: letter, digit, alphanumeric, then up to 4 more. */
export const ICD10 = /^[A-Z][0-9][0-9A-Z](\.?[0-9A-Z]{1,4})?$/;
export const POS = /^[0-9]{2}$/;
export const STATE = /^[A-Z]{2}$/;
export const ZIP = /^[0-9]{5}([0-9]{4})?$/;
export const TIN = /^[0-9]{9}$/;
export const TAXONOMY = /^[0-9A-Z]{9}X$/;
