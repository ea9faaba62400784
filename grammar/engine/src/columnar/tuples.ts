/**
 * Items that are objects (an assignedPlans item, a licence assignment state) as tuples of the
 * fields anything downstream reads, each field interned in its own dictionary.
 */
import { ValueDict, trim, type DictState } from './dict';
import type { ItemDict } from './columns';

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
    this.tuples = trim(this.tuples, this.size * this.fields.length);
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
