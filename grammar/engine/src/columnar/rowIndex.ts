/**
 * Case-insensitive lookup of rows by a string column (object id, userPrincipalName) without a
 * JavaScript string per row: an open-addressing table over the column's bytes. Keys are compared
 * with the value lower-cased, as `Map.get(key)` on `value.toLowerCase()` keys would.
 */
import { hashBytes, hashBytesLower } from './bytes';
import type { ScalarColumn } from './columns';
import { K_OTHER, K_STRING } from './dict';

/** `asciiSlotOf`'s buffer for the key's bytes (grown to the longest). */
let keyScratch = new Uint8Array(256);

export class RowIndex {
  private table: Int32Array;
  private readonly mask: number;
  /** Values that are not pure ASCII, by their lower-cased JavaScript string. */
  private readonly wide = new Map<string, number>();
  /** Rows that hold no string (they are never found). */
  readonly skipped: number[] = [];
  /** Rows whose key was already taken (first wins) or that replaced an earlier row (last wins). */
  readonly duplicates: number[] = [];

  /**
   * Indexes rows `0..rows-1` of `col`. With `lastWins`, a later row with the same key replaces
   * the earlier one; otherwise the first row keeps the key. `accept` filters rows.
   */
  constructor(private readonly col: ScalarColumn, rows: number, lastWins: boolean, accept?: (row: number) => boolean) {
    let cap = 16;
    while (cap < rows * 2) cap *= 2;
    this.table = new Int32Array(cap);
    this.mask = cap - 1;
    const { dict, ids } = col;
    for (let row = 0; row < rows; row++) {
      if (accept && !accept(row)) continue;
      const e = ids[row]!;
      const kind = dict.kinds[e];
      if (kind === K_STRING && dict.ascii[e]) {
        const s = dict.offs[e]!;
        const end = dict.offs[e + 1]!;
        if (end === s) { this.skipped.push(row); continue; }
        const h = hashBytesLower(dict.bytes, s, end);
        const slot = this.findAscii(dict.bytes, s, end, h, true);
        const taken = this.table[slot]! !== 0 ? this.table[slot]! - 1 : this.wideHit(dict.bytes, s, end);
        if (taken >= 0) {
          this.duplicates.push(row);
          if (!lastWins) continue;
          if (this.table[slot]! === 0) { this.wide.delete(this.lowerAscii(dict.bytes, s, end)); }
        }
        this.table[slot] = row + 1;
      } else if (kind === K_STRING || (kind === K_OTHER && typeof dict.raw(e) === 'string')) {
        const v = dict.raw(e) as string;
        if (v === '') { this.skipped.push(row); continue; }
        const key = v.toLowerCase();
        const asciiSlot = this.asciiSlotOf(key);
        const taken = this.wide.get(key) ?? (asciiSlot !== undefined && this.table[asciiSlot]! !== 0 ? this.table[asciiSlot]! - 1 : -1);
        if (taken >= 0) {
          this.duplicates.push(row);
          if (!lastWins) continue;
          if (asciiSlot !== undefined && this.table[asciiSlot]! !== 0) { this.table[asciiSlot] = row + 1; continue; }
        }
        this.wide.set(key, row);
      } else this.skipped.push(row);
    }
  }

  private lowerAscii(b: Uint8Array, s: number, e: number): string {
    let out = '';
    for (let i = s; i < e; i++) { const c = b[i]!; out += String.fromCharCode(c >= 65 && c <= 90 ? c | 32 : c); }
    return out;
  }

  private wideHit(b: Uint8Array, s: number, e: number): number {
    if (this.wide.size === 0) return -1;
    return this.wide.get(this.lowerAscii(b, s, e)) ?? -1;
  }

  /** The slot holding ASCII bytes `b[s, e)` (compared lower-cased), or the empty slot for them. */
  private findAscii(b: Uint8Array, s: number, e: number, h: number, lowerKey: boolean): number {
    const { dict, ids } = this.col;
    const len = e - s;
    let i = h & this.mask;
    for (;;) {
      const r = this.table[i]!;
      if (r === 0) return i;
      const id = ids[r - 1]!;
      const vs = dict.offs[id]!;
      if (dict.offs[id + 1]! - vs === len) {
        let k = 0;
        const vb = dict.bytes;
        for (; k < len; k++) {
          let x = vb[vs + k]!;
          if (x >= 65 && x <= 90) x |= 32;
          let y = b[s + k]!;
          if (lowerKey && y >= 65 && y <= 90) y |= 32;
          if (x !== y) break;
        }
        if (k === len) return i;
      }
      i = (i + 1) & this.mask;
    }
  }

  private asciiSlotOf(key: string): number | undefined {
    // Written into a scratch buffer: a lookup allocates nothing.
    const n = key.length;
    if (n > keyScratch.length) keyScratch = new Uint8Array(Math.max(n, keyScratch.length * 2));
    const b = keyScratch;
    for (let i = 0; i < n; i++) {
      const c = key.charCodeAt(i);
      if (c > 0x7f) return undefined;
      b[i] = c;
    }
    return this.findAscii(b, 0, n, hashBytes(b, 0, n), false);
  }

  /** The row whose value, lower-cased, equals `key`; -1 when there is none. */
  get(key: string): number {
    if (this.wide.size > 0) {
      const w = this.wide.get(key);
      if (w !== undefined) return w;
    }
    const slot = this.asciiSlotOf(key);
    if (slot === undefined) return -1;
    const r = this.table[slot]!;
    return r === 0 ? -1 : r - 1;
  }

  /** Looks up UTF-8 key bytes (already lower-cased where ASCII), e.g. straight from a file. */
  getBytes(b: Uint8Array, s: number, e: number, ascii: boolean): number {
    if (!ascii) return -2;
    const slot = this.findAscii(b, s, e, hashBytesLower(b, s, e), true);
    const r = this.table[slot]!;
    if (r !== 0) return r - 1;
    return this.wide.size > 0 ? this.wideHit(b, s, e) : -1;
  }
}
