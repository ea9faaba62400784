/**
 * memberOf from the groups' member lists, for snapshots whose users and devices do not carry it
 * (README, Files: `groups.json` holds each group's `members`), on objects and on columns alike.
 */
import { fillMissingCollection, type GraphObject, type Table } from '../../../grammar/engine/src/index';
import type { GraphGroup } from './snapshot';

export interface Side {
  readonly byId: ReadonlyMap<string, GraphObject>;
  readonly table: Table | undefined;
}

/**
 * Objects that carry no `memberOf` get it from the groups' `members` lists, so memberOf rules
 * can be evaluated when only groups.json records membership.
 */
export function deriveMemberOf(groups: readonly GraphGroup[], users: Side, devices: Side): Set<Table> {
  const changed = new Set<Table>();
  // Most snapshots carry memberOf on every object: then there is nothing to derive, and a
  // million member ids need not be looked up.
  const missing = (side: Side): boolean => {
    if (!side.table) {
      for (const o of side.byId.values()) if (o['memberOf'] === undefined) return true;
      return false;
    }
    const ids = side.table.collections.get('memberOf')!.setIds;
    for (let r = 0; r < side.table.rows; r++) if (ids[r] === 0) return true;
    return false;
  };
  if (!missing(users) && !missing(devices)) return changed;
  const derivedObjects = new Map<GraphObject, string[]>();
  const derivedRows = new Map<Table, Map<number, string[]>>();
  const push = <K>(m: Map<K, string[]>, k: K, id: string): void => {
    const list = m.get(k);
    if (list) list.push(id);
    else m.set(k, [id]);
  };
  const memberOfMissing = (t: Table, row: number): boolean => t.collections.get('memberOf')!.setIds[row] === 0;
  for (const g of groups) {
    if (!Array.isArray(g.members)) continue;
    const members = g.members;
    const rows: (Int32Array | undefined)[] = [users.table?.idRows().rowsOf(members), undefined];
    if (devices.table) {
      // Devices are looked up only for the ids that no user has.
      const first = rows[0];
      const place: number[] = [];
      const rest: unknown[] = [];
      members.forEach((m, k) => { if (!first || first[k]! < 0) { place.push(k); rest.push(m); } });
      const found = devices.table.idRows().rowsOf(rest);
      const all = new Int32Array(members.length).fill(-1);
      place.forEach((k, j) => { all[k] = found[j]!; });
      rows[1] = all;
    }
    members.forEach((id, k) => {
      if (typeof id !== 'string') return;
      for (const [i, side] of [users, devices].entries()) {
        if (side.table) {
          const row = rows[i]![k]!;
          if (row < 0) continue;
          if (memberOfMissing(side.table, row)) {
            let m = derivedRows.get(side.table);
            if (!m) derivedRows.set(side.table, (m = new Map()));
            push(m, row, g.id);
          }
        } else {
          const o = side.byId.get(id.toLowerCase());
          if (!o) continue;
          if (o['memberOf'] === undefined) push(derivedObjects, o, g.id);
        }
        break;
      }
    });
  }
  for (const side of [users, devices]) {
    if (side.table) {
      const m = derivedRows.get(side.table);
      if (fillMissingCollection(side.table.collections.get('memberOf')!, side.table.rows, (row) => m?.get(row) ?? [])) changed.add(side.table);
    } else {
      for (const o of side.byId.values()) {
        if (o['memberOf'] !== undefined) continue;
        (o as Record<string, unknown>)['memberOf'] = derivedObjects.get(o) ?? [];
      }
    }
  }
  return changed;
}
