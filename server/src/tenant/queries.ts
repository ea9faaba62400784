/**
 * Questions about a whole snapshot answered from its columns, for snapshots too large to walk
 * object by object: a group's members as rows, the values a property takes (for completion),
 * managers and their reports, objects matching a search, a device by id or name.
 *
 * Each answer is the one the object-walking code gave; only the way of getting it differs.
 */
import { findProperty, type RuleObject } from '../../../grammar/src/index';
import { K_STRING, SK_ARRAY, type GraphObject, type Table } from '../../../grammar/engine/src/index';
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

/** Characters of an id that `findListings` folds into its filter key, and into its first, cheaper test. */
const KEY_CHARS = 8;
const PREFIX_CHARS = 4;

/**
 * The first `chars` characters of a lower-cased id, or of an id whose first characters are ASCII
 * (any case), folded with bit 5 set (which lower-cases A–Z): equal ids in any case fold alike.
 * `undefined` when one of them is not ASCII (the caller lower-cases first). Not the length:
 * lower-casing can change it further on (U+0130 becomes two characters). 30 bits: a small
 * integer for V8 (a 32-bit one would be boxed on every call).
 */
function foldKey(s: string, chars: number): number | undefined {
  let h = 0x811c9dc5;
  const n = Math.min(chars, s.length);
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) return undefined;
    h = Math.imul(h ^ (c | 32), 0x01000193);
  }
  return h >>> 2;
}

/** The first four characters, as 16 bits (a bit of a 65,536-bit map). */
function prefixKey(s: string): number | undefined {
  const h = foldKey(s, PREFIX_CHARS);
  return h === undefined ? undefined : (h ^ (h >>> 16)) & 0xffff;
}

/** The filter key: the first eight characters, never 0 (an empty slot). */
function listingKey(s: string): number | undefined {
  const h = foldKey(s, KEY_CHARS);
  return h === undefined ? undefined : h | 1;
}

/**
 * Where a few ids are listed: `f(group, place, which)` for each place in the groups' `members`
 * lists naming `ids[which]` (any case), group by group, in list order.
 *
 * One pass over every list, which reads only the first characters of each member: four, tested
 * against a bit map of the ids' first four (most members stop there), then eight, looked up among
 * the ids' first eight; a member is compared in full only when those are one of `ids`'. A few
 * thousand people changed in a tenant whose groups list 25 million members (what-if) cost that
 * pass, not a lookup of every member (test/unit/tenant/findListings.test.ts).
 */
export function findListings(groups: readonly GraphGroup[], ids: readonly string[], f: (group: number, place: number, which: number) => void): void {
  // `ids` are distinct (in any case): a member matches one of them at most.
  if (ids.length === 0) return;
  let cap = 16;
  while (cap < ids.length * 4) cap *= 2;
  const mask = cap - 1;
  const keys = new Int32Array(cap);
  const which = new Int32Array(cap);
  const lower = ids.map((id) => id.toLowerCase());
  const prefixes = new Uint32Array(65536 >>> 5);
  lower.forEach((id, k) => {
    const p = prefixKey(id) ?? 0;
    prefixes[p >>> 5] |= 1 << (p & 31);
    const key = listingKey(id) ?? 1;
    let i = key & mask;
    while (keys[i] !== 0) i = (i + 1) & mask;
    keys[i] = key;
    which[i] = k;
  });
  groups.forEach((g, gi) => {
    const members = g.members;
    if (!Array.isArray(members)) return;
    for (let place = 0; place < members.length; place++) {
      const m = members[place];
      if (typeof m !== 'string') continue;
      let low: string | undefined;
      let p = prefixKey(m);
      if (p === undefined) p = prefixKey((low = m.toLowerCase())) ?? 0;
      if ((prefixes[p >>> 5]! & (1 << (p & 31))) === 0) continue;
      let key = low === undefined ? listingKey(m) : undefined;
      if (key === undefined) key = listingKey((low ??= m.toLowerCase())) ?? 1;
      for (let i = key & mask; keys[i] !== 0; i = (i + 1) & mask) {
        if (keys[i] !== key) continue;
        const k = which[i]!;
        if ((low ??= m.toLowerCase()) === lower[k]) { f(gi, place, k); break; }
      }
    }
  });
}

/**
 * The rows of `table` that are members of at least one of `groups` (lower-cased ids) by their
 * `memberOf`, as a bitset: each distinct id and each distinct set of ids is looked at once, so a
 * million users cost a pass over a typed array, not a lookup per membership.
 */
export function rowsInAny(table: Table, groups: ReadonlySet<string>): Uint32Array {
  const out = new Uint32Array((table.rows + 31) >>> 5);
  const col = table.collections.get('memberOf');
  if (!col || groups.size === 0) return out;
  const { sets, items } = col;
  const itemIn = new Uint8Array(items.size);
  for (let k = 0; k < items.size; k++) {
    const v = items.raw(k);
    if (typeof v === 'string' && groups.has(v.toLowerCase())) itemIn[k] = 1;
  }
  const setIn = new Uint8Array(sets.size);
  for (let e = 0; e < sets.size; e++) {
    if (sets.kinds[e] !== SK_ARRAY) continue;
    for (let k = sets.offs[e]!; k < sets.offs[e + 1]!; k++) if (itemIn[sets.items[k]!]) { setIn[e] = 1; break; }
  }
  for (let r = 0; r < table.rows; r++) if (setIn[col.setIds[r]!]) out[r >>> 5] |= 1 << (r & 31);
  return out;
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
