/**
 * A small seeded PRNG (sfc32, seeded through splitmix32) with named, indexed streams: user 12345
 * of seed 7 draws the same numbers however many users are generated and in whatever order, so
 * any object can be regenerated on its own (ids of managers, groups' member ids) without keeping
 * the whole tenant in memory.
 */

/** FNV-1a over UTF-16 code units, for stream names. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Eight lower-case hex digits of a 32-bit unsigned integer. */
function hex8(n: number): string {
  return HEX[n >>> 24]! + HEX[(n >>> 16) & 0xff]! + HEX[(n >>> 8) & 0xff]! + HEX[n & 0xff]!;
}

/** The text form of a UUID given as four 32-bit words. */
export function formatUuid(w: readonly [number, number, number, number] | Uint32Array): string {
  const b = hex8(w[1]!);
  const c = hex8(w[2]!);
  return `${hex8(w[0]!)}-${b.slice(0, 4)}-${b.slice(4)}-${c.slice(0, 4)}-${c.slice(4)}${hex8(w[3]!)}`;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** The stream `name` number `index` of `seed`. */
  constructor(seed: number, name: string, index = 0) {
    const st = { s: (seed ^ fnv1a(name)) | 0 };
    st.s = (st.s ^ Math.imul(index + 1, 0x27d4eb2d)) | 0;
    this.a = splitmix32(st);
    this.b = splitmix32(st);
    this.c = splitmix32(st);
    this.d = splitmix32(st);
    for (let i = 0; i < 8; i++) this.u32();
  }

  /** A uniform 32-bit unsigned integer. */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A uniform number in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [lo, hi] inclusive. */
  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** Picks by weight: `weight(item)` relative frequencies. */
  weighted<T>(items: readonly T[], weight: (t: T) => number): T {
    let total = 0;
    for (const t of items) total += weight(t);
    let r = this.next() * total;
    for (const t of items) {
      r -= weight(t);
      if (r < 0) return t;
    }
    return items[items.length - 1]!;
  }

  /** Picks from `[value, weight]` pairs. */
  pickWeighted<T>(pairs: readonly (readonly [T, number])[]): T {
    return this.weighted(pairs, (p) => p[1])[0];
  }

  /** A random (version 4) UUID, lower case. */
  uuid(): string {
    return formatUuid(this.uuidWords());
  }

  /** The 128 bits of a random (version 4) UUID, as four 32-bit words. */
  uuidWords(): [number, number, number, number] {
    const a = this.u32();
    const b = ((this.u32() & 0xffff0fff) | 0x00004000) >>> 0;
    const c = ((this.u32() & 0x3fffffff) | 0x80000000) >>> 0;
    return [a, b, c, this.u32()];
  }

  /** `n` random characters from `alphabet`. */
  chars(n: number, alphabet: string): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[this.int(alphabet.length)];
    return s;
  }
}

/** A weighted table prepared once, for hot loops. */
export class WeightedTable<T> {
  private readonly cumulative: number[] = [];
  private readonly total: number;
  constructor(private readonly items: readonly T[], weight: (t: T) => number) {
    let sum = 0;
    for (const t of items) {
      sum += weight(t);
      this.cumulative.push(sum);
    }
    this.total = sum;
  }
  draw(rng: Rng): T {
    const r = rng.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! > r) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo]!;
  }
}
