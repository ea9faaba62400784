/**
 * The columns of the store. A scalar column maps each row to an entry of a {@link ValueDict}; a
 * collection column maps each row to an entry of a {@link SetDict} — a distinct sequence of item
 * entries (users with the same licences share one assignedPlans sequence), or missing, null, or a
 * non-array value kept as it is.
 */
import { ValueDict, type DictState } from './dict';

/** Row → entry ids, as narrow as the entry count allows. */
export type IdArray = Uint8Array | Uint16Array | Int32Array;

/** A growable Int32 vector whose unset slots read 0 (the "missing" entry). */
export class IdVec {
  a: Int32Array;
  constructor(capacity = 1024) {
    this.a = new Int32Array(capacity);
  }
  set(i: number, v: number): void {
    if (i >= this.a.length) {
      const b = new Int32Array(Math.max(i + 1, this.a.length * 2));
      b.set(this.a);
      this.a = b;
    }
    this.a[i] = v;
  }
  get(i: number): number {
    return i < this.a.length ? this.a[i]! : 0;
  }
  /** Makes room for `n` values. */
  ensure(n: number): void {
    if (n > this.a.length) {
      const b = new Int32Array(Math.max(n, this.a.length * 2));
      b.set(this.a);
      this.a = b;
    }
  }
  /** The first `n` values in the narrowest array that holds ids below `limit`. */
  finish(n: number, limit: number): IdArray {
    return narrow(this.a, n, limit);
  }
}

export function narrow(a: ArrayLike<number>, n: number, limit: number): IdArray {
  const out = limit <= 0x100 ? new Uint8Array(n) : limit <= 0x10000 ? new Uint16Array(n) : new Int32Array(n);
  const m = Math.min(n, a.length);
  if (a instanceof Int32Array && out instanceof Int32Array) out.set(a.subarray(0, m));
  else for (let i = 0; i < m; i++) out[i] = a[i]!;
  return out;
}

/** Items of a collection: anything with raw values by entry id. */
export interface ItemDict {
  readonly size: number;
  raw(id: number): unknown;
  freeze(): void;
}

/**
 * Tuples of raw values: the fields of an assignedPlans item, or of a licence assignment state,
 * that anything downstream reads. Identical tuples share an entry; `raw` gives a representative
 * object with exactly those fields (absent where the source lacked them).
 */
export class TupleDict implements ItemDict {
  readonly parts: ValueDict[];
  size = 0;
  private tuples: Int32Array = new Int32Array(256);
  private readonly ids = new Map<number | string, number>();
  private readonly other = new Map<number, unknown>();
  private reps: unknown[] = [];

  constructor(readonly fields: readonly string[]) {
    this.parts = fields.map(() => new ValueDict());
  }

  /** Interns a tuple of part entry ids (one per field). */
  internParts(p: ArrayLike<number>): number {
    const arity = this.fields.length;
    let key: number | string = 0;
    let small = true;
    for (let i = 0; i < arity; i++) if (p[i]! >= 0x2000) { small = false; break; }
    if (small) {
      let k = 0;
      for (let i = arity - 1; i >= 0; i--) k = k * 0x2000 + p[i]!;
      key = k;
    } else {
      key = Array.from({ length: arity }, (_, i) => p[i]!).join(',');
    }
    const hit = this.ids.get(key);
    if (hit !== undefined) return hit;
    const id = this.newEntry();
    for (let i = 0; i < arity; i++) this.tuples[id * arity + i] = p[i]!;
    this.ids.set(key, id);
    return id;
  }

  private readonly scratch = new Int32Array(8);
  /** Interns the fields of an object item. */
  internObject(o: Readonly<Record<string, unknown>>): number {
    for (let i = 0; i < this.fields.length; i++) this.scratch[i] = this.parts[i]!.intern(o[this.fields[i]!]);
    return this.internParts(this.scratch);
  }

  /** An item that is not an object (null, a string...): kept as it is. */
  internOther(v: unknown): number {
    const id = this.newEntry();
    const arity = this.fields.length;
    for (let f = 0; f < arity; f++) this.tuples[id * arity + f] = -1;
    this.other.set(id, v);
    return id;
  }

  private newEntry(): number {
    const id = this.size++;
    const need = (id + 1) * this.fields.length;
    if (need > this.tuples.length) {
      const b = new Int32Array(Math.max(need, this.tuples.length * 2));
      b.set(this.tuples);
      this.tuples = b;
    }
    return id;
  }

  /** Part entry id of field `f` of entry `id`, or -1 for a non-object item. */
  part(id: number, f: number): number {
    return this.tuples[id * this.fields.length + f]!;
  }

  raw(id: number): unknown {
    if (this.tuples[id * this.fields.length] === -1) return this.other.get(id);
    let r = this.reps[id];
    if (r === undefined) {
      const o: Record<string, unknown> = {};
      const arity = this.fields.length;
      for (let i = 0; i < arity; i++) {
        const v = this.parts[i]!.raw(this.tuples[id * arity + i]!);
        if (v !== undefined) o[this.fields[i]!] = v;
      }
      this.reps[id] = r = o;
    }
    return r;
  }

  freeze(): void {
    this.ids.clear();
    for (const p of this.parts) p.freeze();
    this.tuples = this.tuples.slice(0, this.size * this.fields.length);
  }

  exportState(): TupleState {
    return {
      fields: this.fields, size: this.size, parts: this.parts.map((p) => p.exportState()),
      tuples: this.tuples.subarray(0, this.size * this.fields.length), other: [...this.other],
    };
  }

  static fromState(st: TupleState): TupleDict {
    const t = new TupleDict(st.fields);
    st.parts.forEach((p, i) => { t.parts[i] = ValueDict.fromState(p); });
    const arity = st.fields.length;
    const scratch = new Int32Array(arity);
    const other = new Map(st.other);
    for (let id = 0; id < st.size; id++) {
      if (other.has(id)) t.internOther(other.get(id));
      else {
        for (let f = 0; f < arity; f++) scratch[f] = st.tuples[id * arity + f]!;
        t.internParts(scratch);
      }
    }
    return t;
  }

  /** Adds the entries of `src` (same fields); returns the map from its ids to ids here. */
  appendFrom(src: TupleDict): Int32Array {
    const partMaps = src.parts.map((p, i) => this.parts[i]!.appendFrom(p));
    const arity = this.fields.length;
    const map = new Int32Array(src.size);
    const scratch = new Int32Array(arity);
    for (let id = 0; id < src.size; id++) {
      if (src.tuples[id * arity] === -1) map[id] = this.internOther(src.other.get(id));
      else {
        for (let f = 0; f < arity; f++) scratch[f] = partMaps[f]![src.tuples[id * arity + f]!]!;
        map[id] = this.internParts(scratch);
      }
    }
    return map;
  }
}

export interface TupleState {
  readonly fields: readonly string[];
  readonly size: number;
  readonly parts: readonly DictState[];
  readonly tuples: Int32Array;
  readonly other: readonly (readonly [number, unknown])[];
}

export interface SetState {
  readonly size: number;
  readonly kinds: Uint8Array;
  readonly offs: Int32Array;
  readonly items: Int32Array;
  readonly other: readonly (readonly [number, unknown])[];
  readonly dedup: boolean;
}

export const S_MISSING = 0;
export const S_NULL = 1;
export const SK_MISSING = 0;
export const SK_NULL = 1;
export const SK_ARRAY = 2;
export const SK_OTHER = 3;

/** As ValueDict: stop deduplicating sequences that are nearly all distinct. */
const LATE_CHECK = 1 << 16;

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
  private nextCheck = 1 << 12;
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
    let h = Math.imul(0x811c9dc5 ^ n, 0x01000193);
    for (let i = 0; i < n; i++) h = Math.imul(h ^ p[i]!, 0x01000193);
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
    if (this.usedItems + n > this.items.length) {
      const b = new Int32Array(Math.max(this.usedItems + n, this.items.length * 2));
      b.set(this.items);
      this.items = b;
    }
    for (let k = 0; k < n; k++) this.items[this.usedItems + k] = p[k]!;
    const id = this.newEntry(SK_ARRAY, n);
    if (table) {
      this.hashes![id] = h;
      table[slot] = id + 1;
      if (this.size * 2 > table.length) this.rehash(table.length * 2);
      if (this.lookups >= this.nextCheck) {
        this.nextCheck += 1 << 12;
        if (this.size > this.lookups * (this.lookups < LATE_CHECK ? 0.95 : 0.75)) {
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

  private newEntry(kind: number, n: number): number {
    const id = this.size++;
    if (id + 1 >= this.kinds.length) {
      const cap = this.kinds.length * 2;
      const k = new Uint8Array(cap);
      k.set(this.kinds);
      this.kinds = k;
      const o = new Int32Array(cap + 1);
      o.set(this.offs);
      this.offs = o;
      if (this.hashes) {
        const h = new Int32Array(cap);
        h.set(this.hashes);
        this.hashes = h;
      }
    }
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

  /** The non-array value of an SK_OTHER entry. */
  otherValue(id: number): unknown {
    return this.other.get(id);
  }

  freeze(): void {
    this.table = undefined;
    this.hashes = undefined;
    this.kinds = this.kinds.slice(0, this.size);
    this.offs = this.offs.slice(0, this.size + 1);
    this.items = this.items.slice(0, this.usedItems);
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
      if (st.kinds[s] === SK_OTHER) { map[s] = this.internOther(other.get(s)); continue; }
      this.begin();
      for (let k = st.offs[s]!, e = st.offs[s + 1]!; k < e; k++) this.push(itemMap ? itemMap[st.items[k]!]! : st.items[k]!);
      map[s] = this.end();
    }
    return map;
  }
}

/** A column read by a scalar property: one dictionary entry per row. */
export class ScalarColumn {
  readonly kind = 'scalar';
  readonly dict = new ValueDict();
  vec: IdVec | undefined = new IdVec();
  ids: IdArray = new Uint8Array(0);
  constructor(readonly key: string) {}
}

/** A column read by a collection property: one set entry per row. */
export class CollectionColumn {
  readonly kind = 'collection';
  readonly sets = new SetDict();
  vec: IdVec | undefined = new IdVec();
  setIds: IdArray = new Uint8Array(0);
  constructor(readonly key: string, readonly items: ItemDict) {}

  /** The items of row `row` as raw values, or the non-array value. */
  rawOf(row: number): unknown {
    const s = this.setIds[row]!;
    return this.rawOfSet(s);
  }

  rawOfSet(s: number): unknown {
    const sets = this.sets;
    switch (sets.kinds[s]) {
      case SK_MISSING: return undefined;
      case SK_NULL: return null;
      case SK_OTHER: return sets.otherValue(s);
      default: {
        const out: unknown[] = [];
        for (let k = sets.offs[s]!; k < sets.offs[s + 1]!; k++) out.push(this.items.raw(sets.items[k]!));
        return out;
      }
    }
  }
}

export type Column = ScalarColumn | CollectionColumn;
