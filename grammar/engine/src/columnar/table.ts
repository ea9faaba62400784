/**
 * A table: the users (or devices) of a snapshot as columns, one per property a rule can read,
 * plus what the preview needs (manager, licence assignment states, assigned licences). Each
 * column holds exactly what the language core's property reader returns for the object, so a
 * rule evaluated over the columns sees the same values as over the objects.
 *
 * A table built from objects keeps them (`objects`); one streamed from a large file does not,
 * and gives a Graph-shaped object on demand (`object(row)`) holding every field a rule, a trace,
 * a rule test or the licence preview reads.
 */
import type { RuleObject } from '../../../src/index';
import type { GraphObject } from '../evaluate/semantics';
import type { CollectionColumn, ScalarColumn } from './columns';
import { IdRows } from './idRows';
import { RowIndex } from './rowIndex';

/** The assignedPlans item fields a rule can read (`group.objectId` reads `id`). */
export const PLAN_FIELDS = ['servicePlanId', 'service', 'capabilityStatus', 'id'] as const;
/** The licence assignment state fields the licence preview reads. */
export const STATE_FIELDS = ['skuId', 'assignedByGroup', 'state'] as const;

/** Writes a column's raw value back at its Graph path, so the property reader reads it again. */
export function put(o: Record<string, unknown>, key: string, raw: unknown): void {
  if (raw === undefined) return;
  if (key.startsWith('first:')) {
    o[key.slice(6)] = [raw];
    return;
  }
  const dot = key.indexOf('.');
  if (dot < 0) {
    o[key] = raw;
    return;
  }
  const head = key.slice(0, dot);
  let container = o[head] as Record<string, unknown> | undefined;
  if (container === undefined || container === null || typeof container !== 'object') o[head] = container = {};
  put(container, key.slice(dot + 1), raw);
}

export interface TableExtras {
  /** What `managerId` reads: the manager's id, null, or missing. */
  readonly manager?: ScalarColumn;
  /** licenseAssignmentStates: tuples of STATE_FIELDS. */
  readonly licenseStates?: CollectionColumn;
  /** assignedLicenses: the skuId of each item. */
  readonly assignedLicenses?: CollectionColumn;
}

export class Table {
  private upn: RowIndex | undefined;
  private guids: IdRows | undefined;

  constructor(
    readonly object: RuleObject,
    /** Number of rows. */
    readonly rows: number,
    /** Scalar columns by Graph path as the catalogue writes it (`department`, `first:imAddresses`, ...). */
    readonly scalars: ReadonlyMap<string, ScalarColumn>,
    /** Collection columns by Graph path (`proxyAddresses`, `assignedPlans`, `memberOf`, ...). */
    readonly collections: ReadonlyMap<string, CollectionColumn>,
    readonly extras: TableExtras,
    /** Lower-cased object id → row. */
    readonly byId: RowIndex,
    /** The objects themselves, when the table was built from objects. */
    readonly objects: readonly GraphObject[] | undefined,
  ) {}

  /** The object id of a row, as the object holds it. */
  id(row: number): string {
    const c = this.scalars.get('id');
    return c ? String(c.dict.raw(c.ids[row]!) ?? '') : '';
  }

  /** The raw value of a scalar column at a row (undefined when the column does not exist). */
  value(key: string, row: number): unknown {
    const c = this.scalars.get(key);
    return c ? c.dict.raw(c.ids[row]!) : undefined;
  }

  /** The string value of a scalar column at a row, or undefined when it is not a string. */
  text(key: string, row: number): string | undefined {
    const v = this.value(key, row);
    return typeof v === 'string' ? v : undefined;
  }

  /** Row of an object id (any case), or -1 (through `idRows()` once it is built: the same answers, faster). */
  rowOfId(id: string): number {
    return this.guids ? this.guids.get(id) : this.byId.get(id.toLowerCase());
  }

  /** Row of a userPrincipalName (any case), or -1; the last user with it wins, as in a Map. */
  rowOfUpn(upn: string): number {
    return this.upnIndex().get(upn.toLowerCase());
  }

  /**
   * Ids → rows for lists of millions of ids (the groups' members), built on first use: the
   * answers of `rowOfId`, several times faster per id.
   */
  idRows(): IdRows {
    return (this.guids ??= new IdRows(this.scalars.get('id')!, this.rows, this.byId));
  }

  /** Lower-cased userPrincipalName → row (the last row with it). */
  upnIndex(): RowIndex {
    return (this.upn ??= new RowIndex(this.scalars.get('userPrincipalName')!, this.rows, true));
  }

  /**
   * The object at a row: the original when the table keeps objects, else a Graph-shaped object
   * built from the columns (fields a rule reads, manager, licences; unknown fields are not kept).
   */
  objectAt(row: number): GraphObject {
    if (this.objects) return this.objects[row]!;
    return this.materialise(row);
  }

  /** A Graph-shaped object built from the columns only. */
  materialise(row: number): GraphObject {
    const o: Record<string, unknown> = {};
    for (const [key, c] of this.scalars) put(o, key, c.dict.raw(c.ids[row]!));
    for (const [key, c] of this.collections) put(o, key, c.rawOf(row));
    const { manager } = this.extras;
    if (manager) {
      const m = manager.dict.raw(manager.ids[row]!);
      if (m !== undefined) o['manager'] = typeof m === 'string' ? { id: m } : m;
    }
    this.putLicences(o, row);
    return o;
  }

  /** A number that is equal for rows whose licence fields (as `licences` gives them) are equal. */
  licenceKey(row: number): number {
    const { licenseStates, assignedLicenses } = this.extras;
    const a = licenseStates ? licenseStates.setIds[row]! : 0;
    const b = assignedLicenses ? assignedLicenses.setIds[row]! : 0;
    return a * (assignedLicenses?.sets.size ?? 1) + b;
  }

  /**
   * The licence fields of a row (`licenseAssignmentStates`, `assignedLicenses`), with the fields
   * the licence arithmetic reads.
   */
  licences(row: number): GraphObject {
    const o: Record<string, unknown> = {};
    this.putLicences(o, row);
    return o;
  }

  private putLicences(o: Record<string, unknown>, row: number): void {
    const { licenseStates, assignedLicenses } = this.extras;
    if (licenseStates) put(o, 'licenseAssignmentStates', licenseStates.rawOf(row));
    if (assignedLicenses) {
      const raw = assignedLicenses.rawOf(row);
      put(o, 'assignedLicenses', Array.isArray(raw) ? raw.map((skuId) => (skuId === undefined ? {} : { skuId })) : raw);
    }
  }
}
