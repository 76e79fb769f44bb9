/**
 * Seeded, deterministic pseudo-random numbers for the simulator.
 *
 * Generator: sfc32 (Chris Doty-Humphrey's "small fast counting" generator, public domain), 128-bit state,
 * 32-bit output; passes PractRand to 2^40+ bytes, which is far beyond what a data-set generator needs.
 * Seeding: the seed and a label path are hashed (FNV-1a over UTF-16 code units, then the splitmix32
 * finalizer) into the four state words, and the first 12 outputs are discarded to decorrelate close seeds.
 *
 * Streams are derived by label (`rng.fork('practice/3/month/2')`) from the *seed path*, not from the
 * current state, so a sub-stream gives the same numbers no matter what was drawn before it. That is what
 * lets the generator produce month 7 identically whether or not months 1-6 were written.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  /** The label path this stream was derived from (seed/label/label...). */
  readonly path: string;

  constructor(seed: number | string, path?: string) {
    this.path = path ?? `seed:${String(seed)}`;
    let h = 0x811c9dc5;
    const words: number[] = [];
    for (let k = 0; k < 4; k++) {
      h = Math.imul(h ^ (0x9e3779b9 + k), 0x01000193) >>> 0;
      for (let i = 0; i < this.path.length; i++) {
        h = Math.imul(h ^ this.path.charCodeAt(i), 0x01000193) >>> 0;
      }
      words.push(splitmix32(h + k * 0x6d2b79f5));
    }
    this.a = words[0] ?? 1;
    this.b = words[1] ?? 2;
    this.c = words[2] ?? 3;
    this.d = words[3] ?? 4;
    for (let i = 0; i < 12; i++) this.nextU32();
  }

  /** An independent stream named by `label`; depends only on this stream's path and the label. */
  fork(label: string | number): Rng {
    return new Rng(0, `${this.path}/${String(label)}`);
  }

  /** Next 32-bit unsigned integer (sfc32 step). */
  nextU32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform float in [0, 1) with 32 bits of resolution. */
  float(): number {
    return this.nextU32() / 4294967296;
  }

  /** Uniform integer in [min, max] (inclusive). Multiply-shift; the bias is below 2^-32 per draw for the ranges used here. */
  int(min: number, max: number): number {
    if (max < min) throw new RangeError('int: max < min');
    return min + Math.floor(this.float() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** A uniformly chosen element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick: empty array');
    return items[Math.floor(this.float() * items.length)] as T;
  }

  /** Pick by weight from `[item, weight]` pairs (weights >= 0, not all zero). */
  weighted<T>(pairs: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of pairs) total += w;
    if (!(total > 0)) throw new RangeError('weighted: no positive weight');
    let r = this.float() * total;
    for (const [item, w] of pairs) {
      r -= w;
      if (r < 0) return item;
    }
    // Floating-point residue: fall back to the last positively weighted item.
    for (let i = pairs.length - 1; i >= 0; i--) {
      const p = pairs[i];
      if (p && p[1] > 0) return p[0];
    }
    throw new RangeError('weighted: unreachable');
  }

  /** Standard normal deviate (Box-Muller; one value per call so the stream position is predictable). */
  normal(mean = 0, sd = 1): number {
    const u1 = 1 - this.float(); // (0, 1]
    const u2 = this.float();
    return mean + sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Lognormal with the given median and log-scale sigma. */
  lognormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Poisson deviate: Knuth's product method for small means, rounded normal approximation above 30. */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 30) return Math.max(0, Math.round(this.normal(mean, Math.sqrt(mean))));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.float();
    while (p > limit) {
      k++;
      p *= this.float();
    }
    return k;
  }

  /** Fisher-Yates shuffle in place; returns the same array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.float() * (i + 1));
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }

  /** A string of `n` decimal digits (leading zeros allowed). */
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(0, 9));
    return s;
  }

  /** A string of `n` characters drawn from `alphabet`. */
  chars(n: number, alphabet: string): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet.charAt(this.int(0, alphabet.length - 1));
    return s;
  }
}

/** A precomputed weighted table for hot paths (binary search over cumulative weights). */
export class WeightedTable<T> {
  private readonly items: T[] = [];
  private readonly cumulative: number[] = [];
  private readonly total: number;

  constructor(pairs: readonly (readonly [T, number])[]) {
    let acc = 0;
    for (const [item, w] of pairs) {
      if (w <= 0) continue;
      acc += w;
      this.items.push(item);
      this.cumulative.push(acc);
    }
    if (acc <= 0) throw new RangeError('WeightedTable: no positive weight');
    this.total = acc;
  }

  draw(rng: Rng): T {
    const r = rng.float() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.cumulative[mid] as number) > r) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo] as T;
  }
}

/** splitmix32 finalizer: a bijective avalanche over 32-bit integers. */
function splitmix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}
