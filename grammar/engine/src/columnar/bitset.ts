/**
 * Three-valued results for every row at once: two bitsets, `t` (true) and `u` (unknown), never
 * both set for a row; a row in neither is false. `-and`, `-or` and `-not` are word operations.
 */
import { F, T, U, type Tri3 } from '../evaluate/semantics';
import type { IdArray } from './columns';

export class TriBits {
  readonly t: Uint32Array;
  readonly u: Uint32Array;
  constructor(readonly rows: number, t?: Uint32Array, u?: Uint32Array) {
    const words = (rows + 31) >>> 5;
    this.t = t ?? new Uint32Array(words);
    this.u = u ?? new Uint32Array(words);
  }

  /** Every row the same value. */
  static constant(rows: number, v: Tri3): TriBits {
    const b = new TriBits(rows);
    if (v !== F) (v === T ? b.t : b.u).fill(0xffffffff);
    b.clearTail();
    return b;
  }

  /** The value of one row. */
  get(row: number): Tri3 {
    const w = row >>> 5;
    const bit = 1 << (row & 31);
    return this.t[w]! & bit ? T : this.u[w]! & bit ? U : F;
  }

  /** Zeroes the bits past the last row, so counts and negation stay exact. */
  clearTail(): void {
    const r = this.rows & 31;
    if (r === 0) return;
    const last = this.t.length - 1;
    const mask = (1 << r) - 1;
    this.t[last] &= mask;
    this.u[last] &= mask;
  }

  count(which: 't' | 'u'): number {
    const a = this[which];
    let n = 0;
    for (let i = 0; i < a.length; i++) {
      let x = a[i]!;
      x -= (x >>> 1) & 0x55555555;
      x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
      n += (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
    }
    return n;
  }

  /** Calls `fn` for each row in `which`, in row order. */
  forEach(which: 't' | 'u', fn: (row: number) => void): void {
    const a = this[which];
    for (let w = 0; w < a.length; w++) {
      let x = a[w]!;
      while (x !== 0) {
        const low = x & -x;
        fn((w << 5) + (31 - Math.clz32(low)));
        x ^= low;
      }
    }
  }
}

/** Three-valued AND, in place into `a`. */
export function and3(a: TriBits, b: TriBits): TriBits {
  const { t: at, u: au } = a;
  const { t: bt, u: bu } = b;
  for (let i = 0; i < at.length; i++) {
    const t = at[i]! & bt[i]!;
    const notF = (at[i]! | au[i]!) & (bt[i]! | bu[i]!);
    at[i] = t;
    au[i] = notF & ~t;
  }
  return a;
}

/** Three-valued OR, in place into `a`. */
export function or3(a: TriBits, b: TriBits): TriBits {
  const { t: at, u: au } = a;
  const { t: bt, u: bu } = b;
  for (let i = 0; i < at.length; i++) {
    const t = at[i]! | bt[i]!;
    at[i] = t;
    au[i] = (au[i]! | bu[i]!) & ~t;
  }
  return a;
}

/** Three-valued NOT, in place. */
export function not3Bits(a: TriBits): TriBits {
  const { t, u } = a;
  for (let i = 0; i < t.length; i++) t[i] = ~(t[i]! | u[i]!);
  a.clearTail();
  return a;
}

/** Rows from per-entry results: row r gets `lut[ids[r]]`. */
export function fromLut(ids: IdArray, lut: Uint8Array, rows: number): TriBits {
  const out = new TriBits(rows);
  const { t, u } = out;
  const full = rows >>> 5;
  for (let w = 0; w < full; w++) {
    let tw = 0;
    let uw = 0;
    const base = w << 5;
    for (let b = 0; b < 32; b++) {
      const v = lut[ids[base + b]!]!;
      tw |= (v & 1) << b;
      uw |= (v >>> 1) << b;
    }
    t[w] = tw;
    u[w] = uw;
  }
  for (let r = full << 5; r < rows; r++) {
    const v = lut[ids[r]!]!;
    const bit = 1 << (r & 31);
    if (v === T) t[r >>> 5] |= bit;
    else if (v === U) u[r >>> 5] |= bit;
  }
  return out;
}
