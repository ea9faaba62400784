/**
 * Evaluates a rule over a whole {@link Table} at once.
 *
 * Each comparison is evaluated once per distinct value of its column (a dictionary entry), by
 * the very closure the compiled evaluator would run on an object holding that value; rows then
 * take their entry's result, and `-and`/`-or`/`-not` combine whole bitsets. Quantifiers evaluate
 * their condition once per distinct item, then once per distinct item sequence. So the results
 * are the closures' results by construction; what is new is only how often they run.
 *
 * Large dictionaries of strings (ids, UPNs, addresses) are tested on their bytes for the plain
 * string operators (see byteTest.ts). Anything the engine does not handle — a quantifier whose
 * condition reads the user or device, for example — falls back to the compiled closure for that
 * sub-expression, run per row on the row's object.
 */
import { isNegated, resolveRef, unparen, type Comparison, type ComparisonOperator, type Expr, type Quantified } from '../../../src/index';
import { compileExpression } from '../evaluate/compile';
import { not3, F, T, U, type EvalOptions, type GraphObject, type Tri3 } from '../evaluate/semantics';
import { TriBits, and3, fromLut, not3Bits, or3 } from './bitset';
import { bytePattern, testBytes, type BytePattern } from './byteTest';
import type { CollectionColumn, ItemDict } from './columns';
import { SK_ARRAY } from './sets';
import { TupleDict } from './tuples';
import { K_STRING, ValueDict } from './dict';
import { put, type Table } from './table';

export interface ColumnarOptions extends EvalOptions {
  /** Dictionaries with at least this many entries are tested on their bytes where possible (default 256). */
  readonly bytePathMinEntries?: number;
}

/** What an evaluation did, for tests and the bench. */
export interface ColumnarStats {
  /** Sub-expressions evaluated per row through the compiled closures. */
  fallbacks: number;
  /** Dictionary entries evaluated. */
  entries: number;
}

type Closure = (obj: GraphObject, item?: unknown) => Tri3;

const EMPTY: GraphObject = Object.freeze({});

const and3v = (a: Tri3, b: Tri3): Tri3 => (a === F || b === F ? F : a === U || b === U ? U : T);
const or3v = (a: Tri3, b: Tri3): Tri3 => (a === T || b === T ? T : a === U || b === U ? U : F);

function objectWith(key: string, raw: unknown): GraphObject {
  const o: Record<string, unknown> = {};
  put(o, key, raw);
  return o;
}

class Evaluator {
  readonly stats: ColumnarStats = { fallbacks: 0, entries: 0 };
  private readonly byteMin: number;

  constructor(private readonly table: Table, private readonly options: ColumnarOptions) {
    this.byteMin = options.bytePathMinEntries ?? 256;
  }

  run(e: Expr): TriBits {
    switch (e.kind) {
      case 'paren': return this.run(e.expr);
      case 'not': return not3Bits(this.run(e.operand));
      case 'and':
      case 'or': {
        let acc: TriBits | undefined;
        for (const o of e.operands) {
          const r = this.run(o);
          acc = acc ? (e.kind === 'and' ? and3(acc, r) : or3(acc, r)) : r;
        }
        return acc ?? TriBits.constant(this.table.rows, e.kind === 'and' ? T : F);
      }
      case 'compare': return this.comparison(e);
      case 'quantifier': return this.quantifier(e);
      case 'directReports': {
        const col = this.table.extras.manager;
        if (!col) return this.fallback(e);
        // The closure on the manager column alone leaves out the manager's own row (it reads the
        // id too): that row is true whatever its manager is.
        const fn = this.closure(e);
        const reports = this.scalarLut(col.dict, col.ids, (raw) => fn(raw === undefined ? EMPTY : { manager: raw }));
        const row = e.manager.kind === 'string' ? this.table.rowOfId(e.manager.value) : -1;
        if (row >= 0) {
          reports.t[row >>> 5] |= 1 << (row & 31);
          reports.u[row >>> 5] &= ~(1 << (row & 31));
        }
        return reports;
      }
      case 'error': return TriBits.constant(this.table.rows, U);
    }
  }

  private closure(e: Expr): Closure {
    return compileExpression(e, this.options);
  }

  /** Evaluates `e` row by row through its compiled closure (the general, slow path). */
  private fallback(e: Expr): TriBits {
    this.stats.fallbacks++;
    const fn = this.closure(e);
    const out = new TriBits(this.table.rows);
    for (let r = 0; r < this.table.rows; r++) {
      const v = fn(this.table.objectAt(r), undefined);
      if (v === T) out.t[r >>> 5] |= 1 << (r & 31);
      else if (v === U) out.u[r >>> 5] |= 1 << (r & 31);
    }
    return out;
  }

  private scalarLut(dict: ValueDict, ids: Uint8Array | Uint16Array | Int32Array, fn: (raw: unknown) => Tri3): TriBits {
    const lut = new Uint8Array(dict.size);
    for (let id = 0; id < dict.size; id++) lut[id] = fn(dict.raw(id));
    this.stats.entries += dict.size;
    return fromLut(ids, lut, this.table.rows);
  }

  /**
   * Per-entry results of comparison `e` over a dictionary: by the closure on `probe(raw)`, or on
   * the bytes for large dictionaries. With `positive`, the byte path gives the result before
   * negation and `slow` must do the same.
   */
  private dictLut(dict: ValueDict, e: Comparison, type: 'string' | 'stringCollection' | 'other', slow: (raw: unknown) => Tri3, positive = false): Uint8Array {
    const lut = new Uint8Array(dict.size);
    this.stats.entries += dict.size;
    const pattern: BytePattern | undefined = dict.size >= this.byteMin && type !== 'other' ? bytePattern(e, type) : undefined;
    if (!pattern) {
      for (let id = 0; id < dict.size; id++) lut[id] = slow(dict.raw(id));
      return lut;
    }
    const { kinds, ascii, offs, bytes } = dict;
    const hit: Tri3 = pattern.negated && !positive ? F : T;
    const miss: Tri3 = hit === T ? F : T;
    for (let id = 0; id < dict.size; id++) {
      if (kinds[id] === K_STRING && ascii[id]) lut[id] = testBytes(pattern, bytes, offs[id]!, offs[id + 1]!) ? hit : miss;
      else lut[id] = slow(dict.raw(id));
    }
    return lut;
  }

  private comparison(e: Comparison): TriBits {
    const r = resolveRef(e.left);
    const rows = this.table.rows;
    if (r.kind !== 'property' || r.def.object === 'assignedPlan' || r.def.object === 'group') {
      // Reads nothing from the object: the same for every row.
      return TriBits.constant(rows, this.closure(e)(EMPTY, undefined));
    }
    if (r.def.object !== this.table.object) return this.fallback(e);
    const key = r.def.graph;
    const scalar = this.table.scalars.get(key);
    const fn = this.closure(e);
    if (scalar) {
      const type = r.def.type === 'string' ? 'string' : 'other';
      const lut = this.dictLut(scalar.dict, e, type, (raw) => fn(objectWith(key, raw)));
      return fromLut(scalar.ids, lut, rows);
    }
    const coll = this.table.collections.get(key);
    if (coll) return this.collectionComparison(e, coll, fn);
    // A directory extension no object has: the reader gives null everywhere.
    return TriBits.constant(rows, fn(EMPTY, undefined));
  }

  /**
   * A string operator applied to a collection: true when some item satisfies the positive
   * operator, then negated for `-ne`, `-notContains`...; so each item is tested once.
   */
  private collectionComparison(e: Comparison, coll: CollectionColumn, fn: Closure): TriBits {
    if (!(coll.items instanceof ValueDict)) return this.fallback(e);
    const key = coll.key;
    const negated = e.op.name !== undefined && isNegated(e.op.name as ComparisonOperator);
    const itemPos = this.dictLut(coll.items, e, 'stringCollection', (raw) => {
      const v = fn(objectWith(key, [raw]));
      return negated ? not3(v) : v;
    }, true);
    const sets = coll.sets;
    const setLut = new Uint8Array(sets.size);
    let empty: Tri3 | undefined;
    for (let s = 0; s < sets.size; s++) {
      const from = sets.offs[s]!;
      const to = sets.offs[s + 1]!;
      if (sets.kinds[s] !== SK_ARRAY) setLut[s] = fn(objectWith(key, coll.rawOfSet(s)));
      else if (from === to) setLut[s] = empty ??= fn(objectWith(key, []));
      else {
        let acc: Tri3 = F;
        for (let k = from; k < to; k++) {
          const v = itemPos[sets.items[k]!]! as Tri3;
          if (v === T) { acc = T; break; }
          if (v === U) acc = U;
        }
        setLut[s] = negated ? not3(acc) : acc;
      }
    }
    return fromLut(coll.setIds, setLut, this.table.rows);
  }

  private quantifier(e: Quantified): TriBits {
    const r = resolveRef(e.collection);
    if (r.kind !== 'property') return TriBits.constant(this.table.rows, this.closure(e)(EMPTY, undefined));
    if (r.def.object !== this.table.object) return this.fallback(e);
    const coll = this.table.collections.get(r.def.graph);
    if (!coll) return this.fallback(e);
    const items = this.itemLut(unparen(e.predicate), coll.items);
    if (!items) return this.fallback(e);
    const all = e.op.name === 'all';
    const sets = coll.sets;
    const setLut = new Uint8Array(sets.size);
    // Missing, null, a non-array and the empty array: whatever the closure says of them.
    const fn = this.closure(e);
    const key = coll.key;
    let empty: Tri3 | undefined;
    for (let s = 0; s < sets.size; s++) {
      if (sets.kinds[s] !== SK_ARRAY) { setLut[s] = fn(objectWith(key, coll.rawOfSet(s))); continue; }
      if (sets.offs[s] === sets.offs[s + 1]) { setLut[s] = empty ??= fn(objectWith(key, [])); continue; }
      let acc: Tri3 = all ? T : F;
      for (let k = sets.offs[s]!, end = sets.offs[s + 1]!; k < end; k++) {
        const v = items[sets.items[k]!]! as Tri3;
        if (all ? v === F : v === T) { acc = v; break; }
        if (v === U) acc = U;
      }
      setLut[s] = acc;
    }
    this.stats.entries += sets.size;
    return fromLut(coll.setIds, setLut, this.table.rows);
  }

  /**
   * A quantifier's condition for each distinct item, or undefined when the condition reads more
   * than the item (then the caller falls back to the closures).
   */
  private itemLut(e: Expr, items: ItemDict): Uint8Array | undefined {
    switch (e.kind) {
      case 'paren': return this.itemLut(e.expr, items);
      case 'not': {
        const a = this.itemLut(e.operand, items);
        if (a) for (let i = 0; i < a.length; i++) a[i] = not3(a[i] as Tri3);
        return a;
      }
      case 'and':
      case 'or': {
        let acc: Uint8Array | undefined;
        for (const o of e.operands) {
          const x = this.itemLut(o, items);
          if (!x) return undefined;
          if (!acc) acc = x;
          else for (let i = 0; i < acc.length; i++) acc[i] = (e.kind === 'and' ? and3v : or3v)(acc[i] as Tri3, x[i] as Tri3);
        }
        return acc ?? new Uint8Array(items.size).fill(e.kind === 'and' ? T : F);
      }
      case 'compare': {
        const r = resolveRef(e.left);
        if (r.kind === 'property' && (r.def.object === 'user' || r.def.object === 'device')) return undefined;
        const fn = this.closure(e);
        const field = r.kind === 'property' ? r.def.graph : undefined;
        if (items instanceof ValueDict) {
          // A string item is what `_` reads, and what `group.objectId` reads (its `id`).
          const readsItem = r.kind === 'underscore' || (r.kind === 'property' && r.def.graph === 'id' && r.def.type === 'string');
          const type = readsItem ? 'string' : 'other';
          return this.dictLut(items, e, type, (raw) => fn(EMPTY, raw));
        }
        const tuples = items as TupleDict;
        const f = field === undefined ? -1 : tuples.fields.indexOf(field);
        const lut = new Uint8Array(tuples.size);
        this.stats.entries += tuples.size;
        if (f < 0) {
          for (let t = 0; t < tuples.size; t++) lut[t] = fn(EMPTY, tuples.raw(t));
          return lut;
        }
        const partLut = this.dictLut(tuples.parts[f]!, e, r.kind === 'property' && r.def.type === 'string' ? 'string' : 'other',
          (raw) => fn(EMPTY, raw === undefined ? {} : { [field!]: raw }));
        for (let t = 0; t < tuples.size; t++) {
          const p = tuples.part(t, f);
          lut[t] = p < 0 ? fn(EMPTY, tuples.raw(t)) : partLut[p]!;
        }
        return lut;
      }
      case 'error': return new Uint8Array(items.size).fill(U);
      case 'quantifier':
      case 'directReports':
        return undefined;
    }
  }
}

/**
 * Evaluates a rule's expression for every row of a table. The rule must have passed the checks
 * (compile it with `compileRule` first); `options` are the evaluation options it would get.
 */
export function evaluateColumnar(expr: Expr, table: Table, options: ColumnarOptions = {}, stats?: ColumnarStats): TriBits {
  const ev = new Evaluator(table, options);
  const out = ev.run(expr);
  if (stats) { stats.fallbacks += ev.stats.fallbacks; stats.entries += ev.stats.entries; }
  return out;
}
