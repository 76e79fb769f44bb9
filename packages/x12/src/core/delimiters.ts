/**
 * The four X12 delimiters. They are not fixed by the standard: each interchange declares its own in the ISA
 * segment (element separator = the character after "ISA", repetition separator = ISA11, component separator =
 * ISA16, segment terminator = the character right after ISA16).
 */
export interface Delimiters {
  readonly element: string;
  readonly repetition: string;
  readonly component: string;
  readonly segment: string;
}

/** The delimiters most 5010 senders use; writers default to them. */
export const DEFAULT_DELIMITERS: Delimiters = { element: '*', repetition: '^', component: ':', segment: '~' };

/** The fixed length of an ISA segment including its terminator is 106 characters (ISA01..ISA16 padded). */
export const ISA_LENGTH = 106;

/** Field widths of ISA01..ISA16 (the ISA is fixed-width in X12.5 / the 5010 TR3s). */
export const ISA_WIDTHS = [2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1] as const;

/** Returns a problem description when the delimiter set is unusable, or undefined. */
export function delimiterProblem(d: Delimiters): string | undefined {
  const all = [d.element, d.repetition, d.component, d.segment];
  for (const c of all) {
    if (c.length !== 1) return 'each delimiter must be exactly one character';
    if (/[A-Za-z0-9]/.test(c)) return 'a delimiter must not be a letter or a digit';
  }
  if (new Set(all).size !== all.length) return 'the four delimiters must all differ';
  return undefined;
}
