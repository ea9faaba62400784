/**
 * The columns of the store. A scalar column maps each row to an entry of a {@link ValueDict}; a
 * collection column maps each row to an entry of a {@link SetDict} — a distinct sequence of item
 * entries (users with the same licences share one assignedPlans sequence), or missing, null, or a
 * non-array value kept as it is.
 */
import { ValueDict } from './dict';
import { SK_MISSING, SK_NULL, SK_OTHER, SetDict } from './sets';

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

/** A column read by a scalar property: one dictionary entry per row. */
export class ScalarColumn {
  readonly kind = 'scalar';
  vec: IdVec | undefined = new IdVec();
  ids: IdArray = new Uint8Array(0);
  constructor(readonly key: string, readonly dict: ValueDict = new ValueDict()) {}
}

/** A column read by a collection property: one set entry per row. */
export class CollectionColumn {
  readonly kind = 'collection';
  vec: IdVec | undefined = new IdVec();
  setIds: IdArray = new Uint8Array(0);
  constructor(readonly key: string, readonly items: ItemDict, readonly sets: SetDict = new SetDict()) {}

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
