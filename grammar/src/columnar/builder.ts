/**
 * Builds a {@link Table} from objects fed to it one at a time (`addObject`), or — for a loader
 * that reads a file's bytes itself — through the columns directly (`startRow`, the columns'
 * dictionaries, `abortRow`). Either way each column receives what the core's property reader
 * returns, so both routes give the same table.
 */
import {
  DEVICE_PROPERTIES, DIRECTORY_EXTENSION, USER_PROPERTIES, directoryExtensionProperty,
  type PropertyDef, type RuleObject,
} from '../catalogue';
import { managerId } from '../evaluate/compile';
import { propertyReader, type GraphObject, type Raw } from '../evaluate/semantics';
import { CollectionColumn, ScalarColumn, TupleDict, narrow, type ItemDict } from './columns';
import { ValueDict } from './dict';
import { RowIndex } from './rowIndex';
import { PLAN_FIELDS, STATE_FIELDS, Table } from './table';

/** Whether a property is read as a collection column. */
export function isCollection(def: PropertyDef): boolean {
  return def.type === 'stringCollection' || def.type === 'assignedPlans' || def.type === 'memberOf';
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

  /** Ends building: narrows the columns, indexes ids, leaves out objects without or with a repeated id. */
  finish(): BuildResult {
    let rows = this.rows;
    const all: (ScalarColumn | CollectionColumn)[] = [...this.scalars.values(), ...this.collections.values()];
    for (const c of [this.manager, this.licenseStates, this.assignedLicenses]) if (c) all.push(c);
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
