/**
 * The distinct item sequences of a collection column (users with the same licences share one
 * assignedPlans sequence), plus missing, null and non-array values kept as they are.
 */
import { CHECK_EVERY, replayInterning, resized, trim, worthDeduplicating } from './dict';

export const S_MISSING = 0;
export const S_NULL = 1;
export const SK_MISSING = 0;
export const SK_NULL = 1;
export const SK_ARRAY = 2;
export const SK_OTHER = 3;


/** The hash of the item sequence `a[from, from + n)`. */
function sequenceHash(a: Int32Array, from: number, n: number): number {
  let h = Math.imul(0x811c9dc5 ^ n, 0x01000193);
  for (let i = 0; i < n; i++) h = Math.imul(h ^ a[from + i]!, 0x01000193);
  return h;
}

/** Distinct item sequences of a collection column. */
export class SetDict {
  size = 2;
  kinds: Uint8Array = new Uint8Array(64);
  /** Entry i's items are `items[offs[i], offs[i + 1])`. */
  offs: Int32Array = new Int32Array(65);
  items: Int32Array = new Int32Array(1024);
  private usedItems = 0;
  private table: Int32Array | undefined = new Int32Array(64);
  private hashes: Int32Array | undefined = new Int32Array(64);
  private lookups = 0;
  private nextCheck = CHECK_EVERY;
  private readonly other = new Map<number, unknown>();
  private pending: Int32Array = new Int32Array(64);
  private pendingLen = 0;

  constructor() {
    this.kinds[0] = SK_MISSING;
    this.kinds[1] = SK_NULL;
  }

  /** Starts a sequence; `push` its items, then `end` gives its entry. */
  begin(): void {
    this.pendingLen = 0;
  }
  push(item: number): void {
    if (this.pendingLen === this.pending.length) {
      const b = new Int32Array(this.pending.length * 2);
      b.set(this.pending);
      this.pending = b;
    }
    this.pending[this.pendingLen++] = item;
  }
  end(): number {
    const p = this.pending;
    const n = this.pendingLen;
    const h = sequenceHash(p, 0, n);
    const table = this.table;
    let slot = -1;
    if (table) {
      this.lookups++;
      const mask = table.length - 1;
      const hashes = this.hashes!;
      const offs = this.offs;
      const items = this.items;
      let i = h & mask;
      for (;;) {
        const e = table[i]!;
        if (e === 0) break;
        const id = e - 1;
        if (hashes[id] === h) {
          const s = offs[id]!;
          if (offs[id + 1]! - s === n) {
            let k = 0;
            while (k < n && items[s + k] === p[k]) k++;
            if (k === n) return id;
          }
        }
        i = (i + 1) & mask;
      }
      slot = i;
    }
    this.roomForItems(n);
    for (let k = 0; k < n; k++) this.items[this.usedItems + k] = p[k]!;
    const id = this.newEntry(SK_ARRAY, n);
    if (table) {
      this.hashes![id] = h;
      table[slot] = id + 1;
      if (this.size * 2 > table.length) this.rehash(table.length * 2);
      if (this.lookups >= this.nextCheck) {
        // As ValueDict: stop deduplicating sequences that are nearly all distinct.
        this.nextCheck += CHECK_EVERY;
        if (!worthDeduplicating(this.size, this.lookups)) {
          this.table = undefined;
          this.hashes = undefined;
        }
      }
    }
    return id;
  }

  /** A non-array value where a collection was expected, kept as it is. */
  internOther(v: unknown): number {
    const id = this.newEntry(SK_OTHER, 0);
    this.other.set(id, v);
    return id;
  }

  /** Room for `need` entries: the per-entry arrays grow by doubling. */
  private reserve(need: number): void {
    if (need <= this.kinds.length) return;
    let cap = this.kinds.length;
    while (cap < need) cap *= 2;
    this.growEntries(cap);
  }

  /** Room for `n` more items: the items array grows by doubling. */
  private roomForItems(n: number): void {
    const need = this.usedItems + n;
    if (need > this.items.length) this.items = resized(this.items, Math.max(need, this.items.length * 2));
  }

  /** Room for `cap` entries in the per-entry arrays (the hashes too, while there is a table). */
  private growEntries(cap: number): void {
    this.kinds = resized(this.kinds, cap);
    this.offs = resized(this.offs, cap + 1);
    if (this.hashes) this.hashes = resized(this.hashes, cap);
  }

  private newEntry(kind: number, n: number): number {
    const id = this.size++;
    this.reserve(id + 2);
    this.kinds[id] = kind;
    this.usedItems += n;
    this.offs[id + 1] = this.usedItems;
    return id;
  }

  private rehash(capacity: number): void {
    const table = new Int32Array(capacity);
    const mask = capacity - 1;
    const hashes = this.hashes!;
    for (let id = 2; id < this.size; id++) {
      if (this.kinds[id] !== SK_ARRAY) continue;
      let i = hashes[id]! & mask;
      while (table[i] !== 0) i = (i + 1) & mask;
      table[i] = id + 1;
    }
    this.table = table;
  }

  /** As {@link ValueDict.reserveScaled}: room for `scale` times the sequences and items held now. */
  reserveScaled(scale: number): void {
    if (this.table || !(scale > 1)) return;
    this.growEntries(Math.ceil(this.size * scale) + 2);
    this.items = resized(this.items, Math.ceil(this.usedItems * scale) + 256);
  }

  /** The non-array value of an SK_OTHER entry. */
  otherValue(id: number): unknown {
    return this.other.get(id);
  }

  freeze(): void {
    this.table = undefined;
    this.hashes = undefined;
    this.kinds = trim(this.kinds, this.size);
    this.offs = trim(this.offs, this.size + 1);
    this.items = trim(this.items, this.usedItems);
    this.pending = new Int32Array(0);
  }

  exportState(): SetState {
    return {
      size: this.size, kinds: this.kinds.subarray(0, this.size), offs: this.offs.subarray(0, this.size + 1),
      items: this.items.subarray(0, this.usedItems), other: [...this.other], dedup: this.table !== undefined,
    };
  }

  static fromState(st: SetState): SetDict {
    const d = new SetDict();
    d.appendState(st, undefined, st.dedup);
    return d;
  }

  /** A read-only set dictionary over exported data (the arrays are used, not copied). */
  static adopt(st: SetState): SetDict {
    const d = new SetDict();
    d.size = st.size;
    d.kinds = st.kinds;
    d.offs = st.offs;
    d.items = st.items;
    d.usedItems = st.items.length;
    d.table = undefined;
    d.hashes = undefined;
    for (const [id, v] of st.other) d.other.set(id, v);
    return d;
  }

  /**
   * appendState's loop from set `from` on, once this dictionary no longer deduplicates: every
   * set becomes a new entry, so they are appended in one block rather than one at a time.
   */
  private appendRest(st: SetState, from: number, itemMap: Int32Array | undefined, map: Int32Array, other: Map<number, unknown>): void {
    this.reserve(this.size + (st.size - from) + 1);
    let count = 0;
    for (let s = from; s < st.size; s++) if (st.kinds[s] !== SK_OTHER) count += st.offs[s + 1]! - st.offs[s]!;
    this.roomForItems(count);
    const { kinds, offs, items } = this;
    const srcItems = st.items;
    let used = this.usedItems;
    let id = this.size;
    for (let s = from; s < st.size; s++, id++) {
      map[s] = id;
      if (st.kinds[s] === SK_OTHER) {
        kinds[id] = SK_OTHER;
        this.other.set(id, other.get(s));
      } else {
        kinds[id] = SK_ARRAY;
        const e = st.offs[s + 1]!;
        if (itemMap) for (let k = st.offs[s]!; k < e; k++) items[used++] = itemMap[srcItems[k]!]!;
        else for (let k = st.offs[s]!; k < e; k++) items[used++] = srcItems[k]!;
      }
      offs[id + 1] = used;
    }
    this.size = id;
    this.usedItems = used;
  }

  /**
   * Makes exported sets (whose item ids stay as they are) the whole content of this set
   * dictionary, which must be new, taking ownership of their arrays: it is then exactly what
   * `appendState(st, undefined)` would make of it — same entries, same deduplication state —
   * but every set keeps its id. Returns false, having changed nothing, where appendState would
   * not keep every id (two equal sequences it would merge).
   */
  adoptState(st: SetState): boolean {
    if (this.size !== 2 || this.usedItems !== 0 || this.other.size !== 0 || !this.table || this.lookups !== 0 || this.nextCheck !== CHECK_EVERY) return false;
    const n = st.size;
    const { kinds, offs, items } = st;
    if (n < 2 || kinds.length !== n || offs.length !== n + 1) return false;
    if (kinds[0] !== SK_MISSING || kinds[1] !== SK_NULL || offs[0] !== 0 || offs[1] !== 0 || offs[2] !== 0 || offs[n] !== items.length) return false;
    for (let s = 2; s < n; s++) {
      const len = offs[s + 1]! - offs[s]!;
      if (kinds[s] === SK_ARRAY ? len < 0 : (kinds[s] !== SK_OTHER || len !== 0)) return false;
    }
    // appendState looks every sequence up while it deduplicates: each must be new. The hashes are
    // as long as the kinds (newEntry grows both together, copying these into twice the length);
    // the check counts the entries so far, as `size` does when sequence `s` is added.
    const interned = replayInterning(n, 2, (s) => kinds[s] === SK_ARRAY, offs, items,
      (from, to) => sequenceHash(items, from, to - from), kinds.length, (s) => s + 1);
    if (!interned) return false;
    this.size = n;
    this.kinds = kinds;
    this.offs = offs;
    this.items = items;
    this.usedItems = items.length;
    const other = new Map(st.other);
    for (let s = 2; s < n; s++) if (kinds[s] === SK_OTHER) this.other.set(s, other.get(s));
    this.lookups = interned.lookups;
    this.nextCheck = interned.nextCheck;
    this.table = interned.table;
    this.hashes = interned.hashes;
    return true;
  }

  /** Adds the sets of `src` with their items mapped by `itemMap`; returns the map of set ids. */
  appendFrom(src: SetDict, itemMap: Int32Array): Int32Array {
    return this.appendState(src.exportState(), itemMap, this.table !== undefined);
  }

  /** Adds exported sets with their items mapped by `itemMap`; returns the map of set ids. */
  appendState(st: SetState, itemMap: Int32Array | undefined, dedup = this.table !== undefined): Int32Array {
    const map = new Int32Array(st.size);
    map[0] = 0;
    map[1] = 1;
    const other = new Map(st.other);
    if (!dedup) {
      this.table = undefined;
      this.hashes = undefined;
    }
    for (let s = 2; s < st.size; s++) {
      if (!this.table) { this.appendRest(st, s, itemMap, map, other); break; }
      if (st.kinds[s] === SK_OTHER) { map[s] = this.internOther(other.get(s)); continue; }
      this.begin();
      for (let k = st.offs[s]!, e = st.offs[s + 1]!; k < e; k++) this.push(itemMap ? itemMap[st.items[k]!]! : st.items[k]!);
      map[s] = this.end();
    }
    return map;
  }
}

export interface SetState {
  readonly size: number;
  readonly kinds: Uint8Array;
  readonly offs: Int32Array;
  readonly items: Int32Array;
  readonly other: readonly (readonly [number, unknown])[];
  readonly dedup: boolean;
}
