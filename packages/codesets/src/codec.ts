// Encodings shared by the data build (scripts/build.ts) and the run-time loaders, so both sides
// agree byte for byte on how the compact files are laid out.

/** Radix used for 5-character procedure codes: digits then A-Z. */
const RADIX = 36;
/** 36^5: every 5-character [0-9A-Z] code maps below this. */
export const CODE5_SPACE = RADIX ** 5;

const CODE5 = /^[0-9A-Z]{5}$/;

/**
 * Encodes a 5-character CPT/HCPCS code ([0-9A-Z]{5}) as an integer in [0, 36^5), or -1 when the code has
 * another shape. Order is preserved for codes of the same shape (digits sort before letters, as in ASCII).
 */
export function encodeCode5(code: string): number {
  if (!CODE5.test(code)) return -1;
  let n = 0;
  for (let i = 0; i < 5; i++) n = n * RADIX + parseInt(code[i] ?? '0', RADIX);
  return n;
}

/** Inverse of {@link encodeCode5}. */
export function decodeCode5(n: number): string {
  let s = '';
  for (let i = 0; i < 5; i++) {
    s = (n % RADIX).toString(RADIX).toUpperCase() + s;
    n = Math.floor(n / RADIX);
  }
  return s;
}

/**
 * Key of an ordered (column1, column2) pair: column1 * 36^5 + column2 < 36^10 < 2^53, so it is an exact
 * double and pairs sort by column1 then column2.
 */
export function pairKey(column1: number, column2: number): number {
  return column1 * CODE5_SPACE + column2;
}

/** Appends an unsigned LEB128 varint (values up to 2^53, hence arithmetic instead of bit operations). */
export function writeVarint(out: number[], value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`varint out of range: ${value}`);
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

/** A read cursor over a byte buffer. */
export class ByteReader {
  offset = 0;
  constructor(readonly bytes: Uint8Array) {}

  varint(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      const b = this.bytes[this.offset++];
      if (b === undefined) throw new RangeError('truncated varint');
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 0x80;
    }
  }

  take(length: number): Uint8Array {
    if (this.offset + length > this.bytes.length) throw new RangeError('truncated section');
    const slice = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }

  /** Reads up to and excluding the next newline (used for the JSON header line). */
  line(): string {
    const end = this.bytes.indexOf(0x0a, this.offset);
    if (end < 0) throw new RangeError('missing header line');
    const text = new TextDecoder().decode(this.bytes.subarray(this.offset, end));
    this.offset = end + 1;
    return text;
  }
}

/** A tab-separated table: first line names the columns; no quoting (the build rejects tabs/newlines in values). */
export interface Tsv {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** Parses the TSV layout the build writes. */
export function parseTsv(text: string): Tsv {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const [head, ...rest] = lines;
  if (head === undefined) throw new Error('empty table');
  return { header: head.split('\t'), rows: rest.map((l) => l.split('\t')) };
}

/** Serializes a TSV table (LF line ends, trailing newline). */
export function formatTsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  for (const row of rows) {
    if (row.length !== header.length)
      throw new Error(`row has ${row.length} fields, header ${header.length}`);
    for (const v of row) if (/[\t\n\r]/.test(v)) throw new Error(`value contains a tab or newline: ${v}`);
  }
  return [header, ...rows].map((r) => r.join('\t')).join('\n') + '\n';
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when s is a real calendar date written YYYY-MM-DD. */
export function isIsoDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** Throws a RangeError naming the argument unless s is a YYYY-MM-DD calendar date. */
export function assertIsoDate(s: string, name: string): void {
  if (!isIsoDate(s)) throw new RangeError(`${name} must be a YYYY-MM-DD calendar date`);
}
