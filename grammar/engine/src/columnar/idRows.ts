/**
 * Object ids → rows for millions of lookups: the member lists of a tenant's groups name ~25
 * million ids at a million users, each to be found among the table's rows.
 *
 * Entra object ids are GUIDs (`8-4-4-4-12` hexadecimal). A GUID-shaped id is read as its 128 bits
 * and found in an open-addressing table that holds the 128 bits and the row side by side, so a
 * lookup touches one place in memory: a `Map` of id strings touches three or four (its bucket, the
 * entry, the key string), which at a million users are all cache misses, and the table's own
 * `RowIndex` hashes the id's UTF-8 bytes on every call. `rowsOf` reads the ids of a list in
 * blocks, all parsed first and then all probed, so that the processor overlaps the probes' misses.
 *
 * Any other id (`u1` in a hand-written snapshot, a value with a capital outside hexadecimal digits)
 * goes to the table's `RowIndex`. Both match ids in any case, and the first row with an id keeps
 * it, as `RowIndex` does: the answers are `table.rowOfId`'s (test/unit/engine/idRows.test.ts).
 */
import { K_STRING } from './dict';
import type { RowIndex } from './rowIndex';
import type { ScalarColumn } from './columns';

/** Hexadecimal digit values by UTF-16 code unit (−1: not a digit); any `charCodeAt` indexes it. */
const HEX = new Int8Array(65536).fill(-1);
for (let i = 0; i < 10; i++) HEX[48 + i] = i;
for (let i = 0; i < 6; i++) { HEX[65 + i] = 10 + i; HEX[97 + i] = 10 + i; }

/** Slot layout: row + 1 (0: empty), then the GUID's four 32-bit words. */
const STRIDE = 5;
/** Ids parsed per block before they are probed. */
const BLOCK = 1024;
const DASH = 45;

/** The four words of the GUID just parsed (module scratch: parsing returns only whether it is one). */
let w0 = 0;
let w1 = 0;
let w2 = 0;
let w3 = 0;

/** Parses `s` as a GUID into w0..w3; false when it is not one. */
function parseGuid(s: string): boolean {
  if (s.length !== 36 || s.charCodeAt(8) !== DASH || s.charCodeAt(13) !== DASH || s.charCodeAt(18) !== DASH || s.charCodeAt(23) !== DASH) return false;
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  let bad = 0;
  let v = 0;
  for (let i = 0; i < 8; i++) { v = HEX[s.charCodeAt(i)]!; bad |= v; a = (a << 4) | v; }
  for (let i = 9; i < 13; i++) { v = HEX[s.charCodeAt(i)]!; bad |= v; b = (b << 4) | v; }
  for (let i = 14; i < 18; i++) { v = HEX[s.charCodeAt(i)]!; bad |= v; b = (b << 4) | v; }
  for (let i = 19; i < 23; i++) { v = HEX[s.charCodeAt(i)]!; bad |= v; c = (c << 4) | v; }
  for (let i = 24; i < 28; i++) { v = HEX[s.charCodeAt(i)]!; bad |= v; c = (c << 4) | v; }
  for (let i = 28; i < 36; i++) { v = HEX[s.charCodeAt(i)]!; bad |= v; d = (d << 4) | v; }
  w0 = a; w1 = b; w2 = c; w3 = d;
  return bad >= 0;
}

/** The same over UTF-8 bytes `b[s, e)`. */
function parseGuidBytes(b: Uint8Array, s: number, e: number): boolean {
  if (e - s !== 36 || b[s + 8] !== DASH || b[s + 13] !== DASH || b[s + 18] !== DASH || b[s + 23] !== DASH) return false;
  let a = 0;
  let c1 = 0;
  let c2 = 0;
  let d = 0;
  let bad = 0;
  let v = 0;
  for (let i = s; i < s + 8; i++) { v = HEX[b[i]!]!; bad |= v; a = (a << 4) | v; }
  for (let i = s + 9; i < s + 13; i++) { v = HEX[b[i]!]!; bad |= v; c1 = (c1 << 4) | v; }
  for (let i = s + 14; i < s + 18; i++) { v = HEX[b[i]!]!; bad |= v; c1 = (c1 << 4) | v; }
  for (let i = s + 19; i < s + 23; i++) { v = HEX[b[i]!]!; bad |= v; c2 = (c2 << 4) | v; }
  for (let i = s + 24; i < s + 28; i++) { v = HEX[b[i]!]!; bad |= v; c2 = (c2 << 4) | v; }
  for (let i = s + 28; i < s + 36; i++) { v = HEX[b[i]!]!; bad |= v; d = (d << 4) | v; }
  w0 = a; w1 = c1; w2 = c2; w3 = d;
  return bad >= 0;
}

const mix = (a: number, b: number, c: number, d: number): number => {
  const x = Math.imul(a ^ Math.imul(b, 0x9e3779b1) ^ Math.imul(c, 0x85ebca77) ^ Math.imul(d, 0x27d4eb2f), 0xc2b2ae3d);
  return x ^ (x >>> 15);
};

export class IdRows {
  private readonly slots: Int32Array;
  private readonly mask: number;
  /** Rows whose id is a GUID. */
  readonly guids: number;
  // Scratch for rowsOf's blocks.
  private readonly words = new Int32Array(BLOCK * 4);
  private readonly at = new Int32Array(BLOCK);
  private readonly place = new Int32Array(BLOCK);

  /** Indexes the GUID ids of rows `0..rows-1` of the id column; `byId` answers for the others. */
  constructor(col: ScalarColumn, rows: number, private readonly byId: RowIndex) {
    let cap = 16;
    while (cap < rows * 2) cap *= 2;
    this.mask = cap - 1;
    this.slots = new Int32Array(cap * STRIDE);
    const { dict, ids } = col;
    const { words, place, slots } = this;
    let guids = 0;
    // In blocks, as rowsOf does: the block's ids parsed first, then inserted, so that the
    // processor overlaps the inserts' cache misses.
    for (let start = 0; start < rows; start += BLOCK) {
      const end = Math.min(rows, start + BLOCK);
      let n = 0;
      for (let row = start; row < end; row++) {
        const e = ids[row]!;
        if (dict.kinds[e] !== K_STRING || !dict.ascii[e] || !parseGuidBytes(dict.bytes, dict.offs[e]!, dict.offs[e + 1]!)) continue;
        this.stage(n++, row);
      }
      for (let j = 0; j < n; j++) {
        const o = this.probe(j);
        if (slots[o] !== 0) continue; // the first row keeps its id, as in RowIndex
        const q = j * 4;
        slots[o] = place[j]! + 1;
        slots[o + 1] = words[q]!;
        slots[o + 2] = words[q + 1]!;
        slots[o + 3] = words[q + 2]!;
        slots[o + 4] = words[q + 3]!;
        guids++;
      }
    }
    this.guids = guids;
  }

  /** Stages the GUID just parsed (w0..w3) as the block's `n`-th, for row or place `k`. */
  private stage(n: number, k: number): void {
    const q = n * 4;
    this.words[q] = w0;
    this.words[q + 1] = w1;
    this.words[q + 2] = w2;
    this.words[q + 3] = w3;
    this.at[n] = mix(w0, w1, w2, w3) & this.mask;
    this.place[n] = k;
  }

  /** The slot (its first index) holding the block's `j`-th GUID, or the empty slot for it. */
  private probe(j: number): number {
    const { slots, words, mask } = this;
    const q = j * 4;
    const a = words[q]!;
    const b = words[q + 1]!;
    const c = words[q + 2]!;
    const d = words[q + 3]!;
    let i = this.at[j]!;
    for (;;) {
      const o = i * STRIDE;
      if (slots[o] === 0 || (slots[o + 1] === a && slots[o + 2] === b && slots[o + 3] === c && slots[o + 4] === d)) return o;
      i = (i + 1) & mask;
    }
  }

  /** The row of an id (any case), or -1. */
  get(id: string): number {
    if (!parseGuid(id)) return this.byId.get(id.toLowerCase());
    this.stage(0, 0);
    return this.slots[this.probe(0)]! - 1;
  }

  /** The row of each item of `ids` (-1: not in the table, or not a string). */
  rowsOf(ids: readonly unknown[]): Int32Array {
    const out = new Int32Array(ids.length);
    const { place, slots } = this;
    for (let start = 0; start < ids.length; start += BLOCK) {
      const end = Math.min(ids.length, start + BLOCK);
      // Parse the block: each GUID's words and the slot its search starts at.
      let n = 0;
      for (let k = start; k < end; k++) {
        const id = ids[k];
        if (typeof id !== 'string') { out[k] = -1; continue; }
        if (!parseGuid(id)) { out[k] = this.byId.get(id.toLowerCase()); continue; }
        this.stage(n++, k);
      }
      // Probe the block: independent searches, whose cache misses the processor overlaps.
      for (let j = 0; j < n; j++) out[place[j]!] = slots[this.probe(j)]! - 1;
    }
    return out;
  }
}
