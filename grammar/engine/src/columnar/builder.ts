/**
 * Builds a {@link Table} from objects fed to it one at a time (`addObject`), or — for a loader
 * that reads a file's bytes itself — through the columns directly (`startRow`, the columns'
 * dictionaries, `abortRow`). Either way each column receives what the core's property reader
 * returns, so both routes give the same table.
 */
import {
  DEVICE_PROPERTIES, DIRECTORY_EXTENSION, USER_PROPERTIES, directoryExtensionProperty,
  type PropertyDef, type RuleObject,
} from '../../../src/index';
import { managerId } from '../evaluate/compile';
import { propertyReader, type GraphObject, type Raw } from '../evaluate/semantics';
import { CollectionColumn, IdVec, ScalarColumn, narrow, type ItemDict } from './columns';
import type { SetState } from './sets';
import { TupleDict, type TupleState } from './tuples';
import { ValueDict, type DictState } from './dict';
import { RowIndex } from './rowIndex';
import { PLAN_FIELDS, STATE_FIELDS, Table } from './table';

/** Whether a property is read as a collection column. */
export function isCollection(def: PropertyDef): boolean {
  return def.type === 'stringCollection' || def.type === 'assignedPlans' || def.type === 'memberOf';
}

/** Whether an id map leaves every id as it is. */
function isIdentity(map: Int32Array): boolean {
  for (let i = 0; i < map.length; i++) if (map[i] !== i) return false;
  return true;
}

/** Puts one collection value (the reader's result) into a column at a row. */
export function setCollection(col: CollectionColumn, row: number, raw: unknown): void {
  const sets = col.sets;
  let id: number;
  if (raw === undefined) id = 0;
  else if (raw === null) id = 1;
  else if (!Array.isArray(raw)) id = sets.internOther(raw);
  else {
    sets.begin();
    const items = col.items;
    if (items instanceof TupleDict) {
      for (const it of raw) sets.push(it !== null && typeof it === 'object' ? items.internObject(it as Record<string, unknown>) : items.internOther(it));
    } else {
      const dict = items as ValueDict;
      for (const it of raw) sets.push(dict.intern(it));
    }
    id = sets.end();
  }
  col.vec!.set(row, id);
}

interface IdVecLike { a: Int32Array; ensure(n: number): void }

/** One column of an exported builder. */
export interface ColumnState {
  readonly key: string;
  readonly ids: Int32Array;
  readonly dict?: DictState;
  readonly sets?: SetState;
  readonly items?: DictState | TupleState;
}

/** A builder's rows as plain data: what a worker thread sends back. */
export interface BuilderState {
  readonly object: RuleObject;
  readonly rows: number;
  readonly scalars: readonly ColumnState[];
  readonly collections: readonly ColumnState[];
  readonly extras: readonly ColumnState[];
  readonly extensions: readonly string[];
}

/** The typed arrays' buffers of an exported builder, to transfer rather than copy. */
export function transferables(st: BuilderState): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const add = (a: ArrayBufferView | undefined): void => { if (a && a.buffer instanceof ArrayBuffer) out.add(a.buffer); };
  const dict = (d: DictState | undefined): void => { if (d) { add(d.kinds); add(d.ascii); add(d.plain); add(d.offs); add(d.bytes); } };
  for (const c of [...st.scalars, ...st.collections, ...st.extras]) {
    add(c.ids);
    dict(c.dict);
    if (c.sets) { add(c.sets.kinds); add(c.sets.offs); add(c.sets.items); }
    if (c.items && 'tuples' in c.items) { add(c.items.tuples); c.items.parts.forEach(dict); }
    else dict(c.items as DictState | undefined);
  }
  return [...out];
}

export interface BuildResult {
  readonly table: Table;
  /** Objects left out because they have no string "id". */
  readonly withoutId: number;
  /** Objects left out because an earlier one has the same id (any case). */
  readonly duplicates: number;
}

export class TableBuilder {
  readonly scalars = new Map<string, ScalarColumn>();
  readonly collections = new Map<string, CollectionColumn>();
  readonly manager: ScalarColumn | undefined;
  readonly licenseStates: CollectionColumn | undefined;
  readonly assignedLicenses: CollectionColumn | undefined;
  /** Rows started so far. */
  rows = 0;
  private readonly readers: { col: ScalarColumn | CollectionColumn; read: (o: GraphObject) => Raw }[] = [];
  private readonly extensionDefs = new Map<string, PropertyDef>();
  private readonly objects: GraphObject[] | undefined;

  constructor(readonly object: RuleObject, options: { keepObjects?: boolean } = {}) {
    for (const def of object === 'user' ? USER_PROPERTIES : DEVICE_PROPERTIES) {
      const col = isCollection(def)
        ? new CollectionColumn(def.graph, def.type === 'assignedPlans' ? new TupleDict(PLAN_FIELDS) : new ValueDict())
        : new ScalarColumn(def.graph);
      if (col instanceof CollectionColumn) this.collections.set(def.graph, col);
      else this.scalars.set(def.graph, col);
      this.readers.push({ col, read: propertyReader(def) });
    }
    if (object === 'user') {
      this.manager = new ScalarColumn('manager');
      this.licenseStates = new CollectionColumn('licenseAssignmentStates', new TupleDict(STATE_FIELDS));
      this.assignedLicenses = new CollectionColumn('assignedLicenses', new ValueDict());
    }
    this.objects = options.keepObjects ? [] : undefined;
  }

  /** The column of a directory extension property (`extension_<app>_<name>`), created on first use. */
  extensionColumn(name: string): ScalarColumn {
    let col = this.scalars.get(name);
    if (!col) {
      col = new ScalarColumn(name);
      // Rows before this one lack the property: the reader gives null for them.
      for (let r = 0; r < this.rows; r++) col.vec!.set(r, 1);
      this.scalars.set(name, col);
      const def = directoryExtensionProperty(this.object, name);
      this.extensionDefs.set(name, def);
    }
    return col;
  }

  /** Whether a column is a directory extension column (missing reads as null). */
  isExtension(key: string): boolean {
    return this.extensionDefs.has(key);
  }

  /** Starts a row the caller fills through the columns; unset columns read as missing. */
  startRow(): number {
    const row = this.rows++;
    // Directory extension columns read null, not missing, where the object lacks them.
    for (const key of this.extensionDefs.keys()) this.scalars.get(key)!.vec!.set(row, 1);
    return row;
  }

  /** Forgets the row being filled (the caller will add the object another way). */
  abortRow(): void {
    const row = --this.rows;
    for (const c of this.scalars.values()) c.vec!.set(row, 0);
    for (const c of this.collections.values()) c.vec!.set(row, 0);
    for (const c of [this.manager, this.licenseStates, this.assignedLicenses]) c?.vec!.set(row, 0);
  }

  /** Adds one Graph object. */
  addObject(o: GraphObject): void {
    const row = this.startRow();
    this.objects?.push(o);
    for (const { col, read } of this.readers) {
      const raw = read(o);
      if (col instanceof ScalarColumn) col.vec!.set(row, col.dict.intern(raw));
      else setCollection(col, row, raw);
    }
    for (const key of Object.keys(o)) {
      if (!DIRECTORY_EXTENSION.test(key)) continue;
      const col = this.extensionColumn(key);
      col.vec!.set(row, col.dict.intern(propertyReader(this.extensionDefs.get(key)!)(o)));
    }
    if (this.manager) this.manager.vec!.set(row, this.manager.dict.intern(managerId(o)));
    if (this.licenseStates) {
      const states = o['licenseAssignmentStates'];
      setCollection(this.licenseStates, row, Array.isArray(states) ? states.filter(Boolean) : states);
    }
    if (this.assignedLicenses) {
      const assigned = o['assignedLicenses'];
      setCollection(this.assignedLicenses, row, Array.isArray(assigned)
        ? assigned.filter(Boolean).map((a) => (a as { skuId?: unknown }).skuId)
        : assigned);
    }
  }

  /** Every column: the rule properties', then manager, licence states and assigned licences. */
  private allColumns(): (ScalarColumn | CollectionColumn)[] {
    const all: (ScalarColumn | CollectionColumn)[] = [...this.scalars.values(), ...this.collections.values()];
    for (const c of [this.manager, this.licenseStates, this.assignedLicenses]) if (c) all.push(c);
    return all;
  }

  /**
   * Room for `rows` rows in every column, estimated by a loader from the rows read so far: id
   * vectors get exactly that many slots and dictionaries that grow with the rows grow by the
   * same factor, instead of doubling (and copying) as they fill.
   */
  reserve(rows: number): void {
    if (this.rows === 0 || rows <= this.rows) return;
    const scale = rows / this.rows;
    for (const c of this.allColumns()) {
      c.vec!.ensure(rows);
      if (c instanceof ScalarColumn) c.dict.reserveScaled(scale);
      else {
        c.sets.reserveScaled(scale);
        if (c.items instanceof ValueDict) c.items.reserveScaled(scale);
      }
    }
  }

  /**
   * The rows built so far as plain data (views of the builder's arrays), to send to another
   * thread; the builder must not be used after.
   */
  exportState(): BuilderState {
    const rows = this.rows;
    const column = (c: ScalarColumn | CollectionColumn): ColumnState => (c.vec!.ensure(rows), c instanceof ScalarColumn)
      ? { key: c.key, ids: c.vec!.a.subarray(0, rows), dict: c.dict.exportState() }
      : { key: c.key, ids: c.vec!.a.subarray(0, rows), sets: c.sets.exportState(), items: c.items instanceof TupleDict ? c.items.exportState() : (c.items as ValueDict).exportState() };
    return {
      object: this.object, rows,
      scalars: [...this.scalars.values()].map(column),
      collections: [...this.collections.values()].map(column),
      extras: [this.manager, this.licenseStates, this.assignedLicenses].filter((c): c is ScalarColumn | CollectionColumn => c !== undefined).map(column),
      extensions: [...this.extensionDefs.keys()],
    };
  }

  /** Appends rows exported by another builder of the same object (another part of the file). */
  absorb(st: BuilderState): void {
    const base = this.rows;
    const rows = st.rows;
    // Extension columns the source has and this builder does not yet: created for the rows so far.
    for (const key of st.extensions) this.extensionColumn(key);
    const fill = (vec: IdVecLike, map: Int32Array, ids: Int32Array): void => {
      vec.ensure(base + rows);
      const a = vec.a;
      for (let r = 0; r < rows; r++) a[base + r] = map[ids[r]!]!;
    };
    // The first part, into this builder while it is empty, is adopted where that keeps every id
    // (it nearly always does): its dictionaries and id vectors become the columns' own, with
    // nothing re-hashed or remapped. The table is the same as appending would make.
    const adopting = base === 0;
    const adoptIds = (vec: IdVecLike, ids: Int32Array): void => {
      if (ids.length === rows) vec.a = ids;
      else {
        vec.a = new Int32Array(rows);
        vec.a.set(ids.subarray(0, rows));
      }
    };
    const scalar = (col: ScalarColumn, c: ColumnState): void => {
      if (adopting && col.dict.adoptState(c.dict!)) adoptIds(col.vec!, c.ids);
      else fill(col.vec!, col.dict.appendFrom(ValueDict.fromState(c.dict!, false)), c.ids);
    };
    const seen = new Set<string>();
    for (const c of st.scalars) {
      seen.add(c.key);
      scalar(this.scalars.get(c.key)!, c);
    }
    // Extension columns the source lacks read null there.
    for (const key of this.extensionDefs.keys()) {
      if (seen.has(key)) continue;
      const vec = this.scalars.get(key)!.vec!;
      vec.ensure(base + rows);
      vec.a.fill(1, base, base + rows);
    }
    const collection = (col: CollectionColumn, c: ColumnState): void => {
      const itemMap = col.items instanceof TupleDict
        ? col.items.appendFrom(TupleDict.fromState(c.items as TupleState))
        : adopting && (col.items as ValueDict).adoptState(c.items as DictState)
          ? undefined
          : (col.items as ValueDict).appendFrom(ValueDict.fromState(c.items as DictState, false));
      if (adopting && (!itemMap || isIdentity(itemMap)) && col.sets.adoptState(c.sets!)) adoptIds(col.vec!, c.ids);
      else fill(col.vec!, col.sets.appendState(c.sets!, itemMap), c.ids);
    };
    for (const c of st.collections) collection(this.collections.get(c.key)!, c);
    for (const c of st.extras) {
      const col = [this.manager, this.licenseStates, this.assignedLicenses].find((x) => x?.key === c.key);
      if (col instanceof ScalarColumn) scalar(col, c);
      else if (col) collection(col, c);
    }
    this.rows += rows;
  }

  /** Ends building: narrows the columns, indexes ids, leaves out objects without or with a repeated id. */
  finish(): BuildResult {
    let rows = this.rows;
    const all = this.allColumns();
    const limitOf = (c: ScalarColumn | CollectionColumn): number => (c instanceof ScalarColumn ? c.dict.size : c.sets.size);
    for (const c of all) {
      const ids = c.vec!.finish(rows, limitOf(c));
      if (c instanceof ScalarColumn) c.ids = ids;
      else c.setIds = ids;
      c.vec = undefined;
    }
    const idCol = this.scalars.get('id')!;
    let index = new RowIndex(idCol, rows, false);
    const drop = new Uint8Array(rows);
    for (const r of index.skipped) drop[r] = 1;
    for (const r of index.duplicates) drop[r] = 1;
    const withoutId = index.skipped.length;
    const duplicates = index.duplicates.length;
    let objects = this.objects;
    if (withoutId + duplicates > 0) {
      const keep: number[] = [];
      for (let r = 0; r < rows; r++) if (!drop[r]) keep.push(r);
      for (const c of all) {
        const src = c instanceof ScalarColumn ? c.ids : c.setIds;
        const out = narrow(keep.map((r) => src[r]!), keep.length, limitOf(c));
        if (c instanceof ScalarColumn) c.ids = out;
        else c.setIds = out;
      }
      objects = objects && keep.map((r) => objects![r]!);
      rows = keep.length;
      index = new RowIndex(idCol, rows, false);
    }
    const table = new Table(this.object, rows, this.scalars, this.collections, {
      ...(this.manager ? { manager: this.manager } : {}),
      ...(this.licenseStates ? { licenseStates: this.licenseStates } : {}),
      ...(this.assignedLicenses ? { assignedLicenses: this.assignedLicenses } : {}),
    }, index, objects);
    return { table, withoutId, duplicates };
  }
}

/**
 * Gives the rows of a finished table whose collection is missing the value `valueOf(row)` (for
 * memberOf, which a snapshot can derive from the groups' member lists).
 */
export function fillMissingCollection(col: CollectionColumn, rows: number, valueOf: (row: number) => unknown): boolean {
  const ids = new Int32Array(rows);
  let changed = false;
  for (let r = 0; r < rows; r++) {
    const s = col.setIds[r]!;
    ids[r] = s;
    if (s !== 0) continue;
    changed = true;
    col.vec = new IdVec(1);
    setCollection(col, 0, valueOf(r));
    ids[r] = col.vec.a[0]!;
  }
  col.vec = undefined;
  if (changed) col.setIds = narrow(ids, rows, col.sets.size);
  return changed;
}

/** Builds a table from objects in one call. */
export function buildTable(object: RuleObject, objects: Iterable<GraphObject>, options: { keepObjects?: boolean } = {}): BuildResult {
  const b = new TableBuilder(object, options);
  for (const o of objects) b.addObject(o);
  return b.finish();
}

/** Freezes every dictionary of a table: read-only from now on, and smaller. */
export function freezeTable(t: Table): void {
  for (const c of t.scalars.values()) c.dict.freeze();
  for (const c of t.collections.values()) { c.sets.freeze(); c.items.freeze(); }
  const { manager, licenseStates, assignedLicenses } = t.extras;
  manager?.dict.freeze();
  for (const c of [licenseStates, assignedLicenses]) if (c) { c.sets.freeze(); c.items.freeze(); }
}

export type { ItemDict };
