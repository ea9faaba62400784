/**
 * The objects of a columnar table seen as the arrays and maps `Snapshot` has always offered
 * (`users`, `userById`, ...), for a tenant too large to keep its objects: each object is built
 * from the columns when it is read. Fine for a lookup or a short list; code that runs over every
 * object (evaluation, the preview) reads the table instead.
 */
import type { GraphObject, Table } from '../../../grammar/engine/src/index';

const INDEX = /^(?:0|[1-9]\d*)$/;

/** An array-like of every row's object. */
export function objectList(table: Table): readonly GraphObject[] {
  const index = (p: string | symbol): number => (typeof p === 'string' && INDEX.test(p) ? Number(p) : -1);
  return new Proxy<GraphObject[]>([], {
    get(target, p, receiver) {
      if (p === 'length') return table.rows;
      const i = index(p);
      if (i >= 0) return i < table.rows ? table.objectAt(i) : undefined;
      return Reflect.get(target, p, receiver) as unknown;
    },
    has(target, p) {
      const i = index(p);
      return i >= 0 ? i < table.rows : Reflect.has(target, p);
    },
    getOwnPropertyDescriptor(target, p) {
      const i = index(p);
      if (i >= 0 && i < table.rows) return { value: table.objectAt(i), writable: false, enumerable: true, configurable: true };
      if (p === 'length') return { value: table.rows, writable: true, enumerable: false, configurable: false };
      return Reflect.getOwnPropertyDescriptor(target, p);
    },
    ownKeys(target) {
      return [...Array.from({ length: table.rows }, (_, i) => String(i)), ...Reflect.ownKeys(target)];
    },
    set() {
      return false;
    },
  });
}

/** A read-only map from lower-cased keys to the objects of a table, by row lookup. */
class RowMap implements ReadonlyMap<string, GraphObject> {
  constructor(
    private readonly table: Table,
    private readonly rowOf: (key: string) => number,
    /** The key of a row (lower-cased), or undefined when the row is not in the map. */
    private readonly keyOf: (row: number) => string | undefined,
  ) {}

  get(key: string): GraphObject | undefined {
    const r = this.rowOf(key);
    return r < 0 ? undefined : this.table.objectAt(r);
  }
  has(key: string): boolean {
    return this.rowOf(key) >= 0;
  }
  get size(): number {
    let n = 0;
    for (let r = 0; r < this.table.rows; r++) if (this.keyOf(r) !== undefined) n++;
    return n;
  }
  *entries(): MapIterator<[string, GraphObject]> {
    for (let r = 0; r < this.table.rows; r++) {
      const k = this.keyOf(r);
      if (k !== undefined) yield [k, this.table.objectAt(r)];
    }
  }
  *keys(): MapIterator<string> {
    for (const [k] of this.entries()) yield k;
  }
  *values(): MapIterator<GraphObject> {
    for (const [, v] of this.entries()) yield v;
  }
  [Symbol.iterator](): MapIterator<[string, GraphObject]> {
    return this.entries();
  }
  forEach(fn: (value: GraphObject, key: string, map: ReadonlyMap<string, GraphObject>) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }
}

/** Lower-cased object id → object (every row has a distinct id). */
export function byIdMap(table: Table): ReadonlyMap<string, GraphObject> {
  return new RowMap(table, (k) => table.byId.get(k), (r) => table.id(r).toLowerCase());
}

/** Lower-cased userPrincipalName → user; when several users share one, the last (as in a Map). */
export function byUpnMap(table: Table): ReadonlyMap<string, GraphObject> {
  return new RowMap(table, (k) => table.upnIndex().get(k), (r) => {
    const upn = table.text('userPrincipalName', r);
    if (upn === undefined) return undefined;
    const k = upn.toLowerCase();
    return table.upnIndex().get(k) === r ? k : undefined;
  });
}
