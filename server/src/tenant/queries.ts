/**
 * Questions about a whole snapshot answered from its columns, for snapshots too large to walk
 * object by object: a group's members as rows, the values a property takes (for completion),
 * managers and their reports, objects matching a search, a device by id or name.
 *
 * Each answer is the one the object-walking code gave; only the way of getting it differs.
 */
import { findProperty, type RuleObject } from '../../../grammar/src/index';
import { K_STRING, type GraphObject, type Table } from '../../../grammar/engine/src/index';
import type { GraphGroup, Snapshot } from './snapshot';

export interface MemberRows {
  /** Rows of the snapshot's table that the group lists, as a bitset (a row once, however listed). */
  readonly bits: Uint32Array;
  readonly count: number;
  /** Member ids not in the snapshot's users or devices. */
  readonly gone: number;
}

const memberCache = new WeakMap<GraphGroup, WeakMap<Table, MemberRows>>();

/**
 * The rows of `table` a group's `members` list names (by object id, any case). Kept for the
 * group's lifetime, unless `cache` is false (a pass over every group of a large tenant would
 * otherwise keep a bitset of the whole table per group).
 */
export function memberRows(group: GraphGroup, table: Table, cache = true): MemberRows {
  let byTable = memberCache.get(group);
  const hit = byTable?.get(table);
  if (hit) return hit;
  const bits = new Uint32Array((table.rows + 31) >>> 5);
  let count = 0;
  let gone = 0;
  const members = Array.isArray(group.members) ? group.members : [];
  const rows = table.idRows().rowsOf(members);
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k]!;
    if (r < 0) {
      if (typeof members[k] === 'string') gone++;
      continue;
    }
    const bit = 1 << (r & 31);
    if (!(bits[r >>> 5]! & bit)) { bits[r >>> 5] |= bit; count++; }
  }
  const out = { bits, count, gone };
  if (cache) {
    if (!byTable) memberCache.set(group, (byTable = new WeakMap()));
    byTable.set(table, out);
  }
  return out;
}

/**
 * Who is listed where: for each row of `table`, the groups of `groups` whose `members` list names
 * it, and at which place. Built in one pass over every list and kept for as long as the groups
 * array and the table live, so that a question about a few users (a what-if) need not walk every
 * group's members again.
 */
export class GroupsListing {
  /** Entries of row r: `entry[start[r] .. start[r + 1])`, in the order the lists give them. */
  private readonly start: Int32Array;
  /** An entry is a place in the concatenated member lists: group g's list begins at `offset[g]`. */
  private readonly entry: Int32Array;
  private readonly offset: Int32Array;

  constructor(groups: readonly GraphGroup[], table: Table) {
    const offset = new Int32Array(groups.length + 1);
    groups.forEach((g, i) => { offset[i + 1] = offset[i]! + (Array.isArray(g.members) ? g.members.length : 0); });
    const rowAt = new Int32Array(offset[groups.length]!);
    const count = new Int32Array(table.rows + 1);
    const index = table.idRows();
    groups.forEach((g, i) => {
      if (!Array.isArray(g.members)) return;
      const rows = index.rowsOf(g.members);
      rowAt.set(rows, offset[i]!);
      for (let k = 0; k < rows.length; k++) if (rows[k]! >= 0) count[rows[k]! + 1]!++;
    });
    for (let r = 0; r < table.rows; r++) count[r + 1]! += count[r]!;
    const entry = new Int32Array(count[table.rows]!);
    const fill = count.slice(0, table.rows);
    for (let e = 0; e < rowAt.length; e++) {
      const r = rowAt[e]!;
      if (r >= 0) entry[fill[r]!++] = e;
    }
    this.start = count;
    this.entry = entry;
    this.offset = offset;
  }

  /** Calls `f(group index, place in its members list)` for each listing of `row`, in list order per group. */
  forEach(row: number, f: (group: number, place: number) => void): void {
    const { entry, offset } = this;
    for (let k = this.start[row]!; k < this.start[row + 1]!; k++) {
      const e = entry[k]!;
      // The group whose list holds place e: the last offset ≤ e.
      let lo = 0;
      let hi = offset.length - 1;
      while (hi - lo > 1) {
        const mid = (lo + hi) >>> 1;
        if (offset[mid]! <= e) lo = mid; else hi = mid;
      }
      f(lo, e - offset[lo]!);
    }
  }
}

const listingCache = new WeakMap<readonly GraphGroup[], WeakMap<Table, GroupsListing>>();

/** The `GroupsListing` of `groups` over `table`, built on first use and kept with both. */
export function groupsListing(groups: readonly GraphGroup[], table: Table): GroupsListing {
  let byTable = listingCache.get(groups);
  let hit = byTable?.get(table);
  if (hit) return hit;
  hit = new GroupsListing(groups, table);
  if (!byTable) listingCache.set(groups, (byTable = new WeakMap()));
  byTable.set(table, hit);
  return hit;
}

/** The table of users or devices, if the snapshot has that collection. */
export function tableOf(s: Snapshot, object: RuleObject): Table | undefined {
  return object === 'user' ? s.tables.users : s.tables.devices;
}

/**
 * The non-empty string values of a property with how many times each occurs (an item of a
 * collection counts once per object holding it), most frequent first.
 */
export function valueCounts(table: Table, object: RuleObject, property: string): { value: string; count: number }[] {
  const def = findProperty(object, property);
  const counts = new Map<string, number>();
  if (!def || (def.type !== 'string' && def.type !== 'stringCollection')) return [];
  const add = (x: unknown, n: number): void => {
    if (typeof x === 'string' && x !== '') counts.set(x, (counts.get(x) ?? 0) + n);
  };
  const scalar = table.scalars.get(def.graph);
  if (scalar) {
    const per = new Uint32Array(scalar.dict.size);
    for (let r = 0; r < table.rows; r++) per[scalar.ids[r]!]!++;
    for (let e = 0; e < per.length; e++) {
      if (per[e] === 0) continue;
      const v = scalar.dict.raw(e);
      for (const x of Array.isArray(v) ? v : [v]) add(x, per[e]!);
    }
  }
  const coll = table.collections.get(def.graph);
  if (coll) {
    const per = new Uint32Array(coll.sets.size);
    for (let r = 0; r < table.rows; r++) per[coll.setIds[r]!]!++;
    for (let s = 0; s < per.length; s++) {
      if (per[s] === 0) continue;
      const v = coll.rawOfSet(s);
      for (const x of Array.isArray(v) ? v : [v]) add(x, per[s]!);
    }
  }
  return [...counts].map(([value, count]) => ({ value, count }));
}

/** Lower-cased servicePlanId → number of users who hold it enabled (counted once per distinct set of plans). */
export function planHolders(table: Table): Map<string, number> {
  const out = new Map<string, number>();
  const coll = table.collections.get('assignedPlans');
  if (!coll) return out;
  const per = new Uint32Array(coll.sets.size);
  for (let r = 0; r < table.rows; r++) per[coll.setIds[r]!]!++;
  for (let s = 0; s < per.length; s++) {
    if (per[s] === 0) continue;
    const items = coll.rawOfSet(s);
    const ids = new Set<string>();
    for (const p of Array.isArray(items) ? items : []) {
      const item = p as { servicePlanId?: unknown; capabilityStatus?: unknown } | null;
      if (typeof item?.servicePlanId === 'string' && item.capabilityStatus === 'Enabled') ids.add(item.servicePlanId.toLowerCase());
    }
    for (const id of ids) out.set(id, (out.get(id) ?? 0) + per[s]!);
  }
  return out;
}

/** Lower-cased manager id → number of direct reports. */
export function reportCounts(table: Table): Map<string, number> {
  const out = new Map<string, number>();
  const col = table.extras.manager;
  if (!col) return out;
  const per = new Uint32Array(col.dict.size);
  for (let r = 0; r < table.rows; r++) per[col.ids[r]!]!++;
  for (let e = 0; e < per.length; e++) {
    if (per[e] === 0 || col.dict.kind(e) !== K_STRING) continue;
    const id = (col.dict.peek(e) as string).toLowerCase();
    out.set(id, (out.get(id) ?? 0) + per[e]!);
  }
  return out;
}

/** Rows whose display name, UPN, id or mail contain the lower-cased query, in order. */
export function searchRows(table: Table, query: string, limit: number): number[] {
  const out: number[] = [];
  const cols = ['displayName', 'userPrincipalName', 'id', 'mail'].map((k) => table.scalars.get(k));
  for (let r = 0; r < table.rows && out.length < limit; r++) {
    if (query) {
      const hay = cols.map((c) => String((c ? c.dict.peek(c.ids[r]!) : undefined) ?? '')).join(' ').toLowerCase();
      if (!hay.includes(query)) continue;
    }
    out.push(r);
  }
  return out;
}

/** A device by object id, device id or display name (any case), as the CLI and rule tests find one. */
export function findDeviceIn(s: Snapshot, key: string): GraphObject | undefined {
  const k = key.toLowerCase();
  const byId = s.deviceById.get(k);
  if (byId) return byId;
  const table = s.tables.devices;
  if (!table) return s.devices?.find((d) => String(d['deviceId'] ?? '').toLowerCase() === k || String(d['displayName'] ?? '').toLowerCase() === k);
  const luts = ['deviceId', 'displayName'].map((name) => {
    const c = table.scalars.get(name);
    if (!c) return undefined;
    const lut = new Uint8Array(c.dict.size);
    for (let e = 0; e < lut.length; e++) lut[e] = String(c.dict.raw(e) ?? '').toLowerCase() === k ? 1 : 0;
    return { ids: c.ids, lut };
  });
  for (let r = 0; r < table.rows; r++) {
    if (luts.some((l) => l !== undefined && l.lut[l.ids[r]!] === 1)) return table.objectAt(r);
  }
  return undefined;
}

const SUMMARY_FIELDS = ['id', 'displayName', 'userPrincipalName', 'mail', 'department', 'jobTitle', 'userType', 'operatingSystem'];

/** The fields lists and labels show (names, UPN, department...), read from the columns only. */
export function summaryObject(table: Table, row: number): GraphObject {
  const o: Record<string, unknown> = {};
  for (const k of SUMMARY_FIELDS) {
    const v = table.value(k, row);
    if (v !== undefined) o[k] = v;
  }
  return o;
}
