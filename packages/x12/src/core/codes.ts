/**
 * Character codes of X12 text, read in place of the text by the scanner and the value readers: indexing a typed
 * array is about twice as fast here as `charCodeAt` on a string. ASCII text (nearly all X12) is its bytes, one per
 * character; other text is 16-bit codes. Offsets are those of the text.
 */
export type Codes = Uint8Array | Uint16Array;

/** The codes of `text`: a copy of its bytes when it is ASCII, else its 16-bit codes. */
export function codesOf(text: string): Codes {
  // Only ASCII text has as many UTF-8 bytes as characters.
  if (Buffer.byteLength(text, 'utf8') === text.length) return Buffer.from(text, 'latin1');
  const codes = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) codes[i] = text.charCodeAt(i);
  return codes;
}

/** `codes[a, e)` as text, for the rare reads that need a string where only the codes are at hand. */
export function textOf(codes: Codes, a: number, e: number): string {
  let s = '';
  for (let i = a; i < e; i++) s += String.fromCharCode(codes[i]!);
  return s;
}

let scratch = new Uint8Array(64);

/**
 * The codes of `text` when it is ASCII, in an array shared by every call (valid until the next): for the string
 * conversions (`parseAmount`) that run the readers of codes without allocating. Undefined when not ASCII.
 */
export function asciiScratch(text: string): Uint8Array | undefined {
  if (text.length > scratch.length) scratch = new Uint8Array(text.length * 2);
  const codes = scratch;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 127) return undefined;
    codes[i] = c;
  }
  return codes;
}

/** No text. */
export const NO_CODES: Codes = new Uint8Array(0);
