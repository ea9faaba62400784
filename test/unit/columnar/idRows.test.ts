/**
 * `Table.idRows()` gives `rowOfId`'s answers — GUIDs in any case, ids that are not GUIDs, ids
 * that look like GUIDs but are not, duplicates (the first row keeps its id), values that are not
 * strings — one id at a time and for whole lists, longer than one of its blocks.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildTable, type GraphObject } from '../../../grammar/engine/src/index';

const guid = (n: number): string => {
  const h = (n * 2654435761 >>> 0).toString(16).padStart(8, '0');
  return `${h}-${h.slice(0, 4)}-4${h.slice(1, 4)}-8${h.slice(5, 8)}-${h}${h.slice(0, 4)}`;
};

/** Ids of every kind a snapshot can hold, and strings that come close to a GUID. */
const idArb = fc.oneof(
  fc.nat(50).map(guid),
  fc.nat(50).map((n) => guid(n).toUpperCase()),
  fc.nat(50).map((n) => guid(n).replace(/^./, 'g')),
  fc.nat(50).map((n) => guid(n).replace(/-/, '_')),
  fc.nat(50).map((n) => `${guid(n)}x`),
  fc.nat(50).map((n) => guid(n).replace(/a/g, 'Ａ')),
  fc.constantFrom('u1', 'U1', 'dev-1', '', 'İd', 'ﬀ'),
  fc.string(),
);

describe('idRows: ids to rows for member lists', () => {
  it('answers as rowOfId does, for single ids and for lists', () => {
    fc.assert(fc.property(
      fc.array(fc.oneof(idArb, fc.constant(null), fc.integer()), { maxLength: 40 }),
      fc.array(fc.oneof(idArb, fc.constant(null), fc.integer(), fc.constant(undefined)), { maxLength: 60 }),
      (tableIds, lookups) => {
        const objects = tableIds.map((id) => ({ id } as GraphObject));
        const { table } = buildTable('user', objects, { keepObjects: false });
        const index = table.idRows();
        const want = lookups.map((x) => (typeof x === 'string' ? table.rowOfId(x) : -1));
        assert.deepEqual(lookups.map((x) => (typeof x === 'string' ? index.get(x) : -1)), want);
        assert.deepEqual([...index.rowsOf(lookups)], want);
      },
    ), { numRuns: 400 });
  });

  it('finds every member of a list longer than a block, and no id it does not hold', () => {
    const n = 5000;
    const objects = Array.from({ length: n }, (_, i) => ({ id: i % 7 === 0 ? guid(i).toUpperCase() : guid(i) } as GraphObject));
    const { table } = buildTable('user', objects, { keepObjects: false });
    const index = table.idRows();
    assert.equal(index.guids, n);
    const members: unknown[] = [];
    for (let i = n - 1; i >= 0; i -= 3) members.push(i % 2 ? guid(i).toUpperCase() : guid(i), guid(n + i), `x${i}`);
    const rows = index.rowsOf(members);
    for (let k = 0; k < members.length; k += 3) {
      assert.equal(rows[k], n - 1 - (k / 3) * 3);
      assert.equal(rows[k + 1], -1);
      assert.equal(rows[k + 2], -1);
    }
  });

  it('rowsOf gives rowOfId\'s rows, list after list', () => {
    const n = 400;
    const objects = Array.from({ length: n }, (_, i) => ({ id: i % 3 ? guid(i) : `u${i}` } as GraphObject));
    const { table } = buildTable('user', objects, { keepObjects: false });
    const list = (from: number, count: number): unknown[] => Array.from({ length: count }, (_, k) => {
      const i = from + k;
      return i % 5 === 0 ? guid(i).toUpperCase() : i % 7 === 0 ? null : i % 3 ? guid(i) : `U${i}`;
    });
    const want = (ids: unknown[]): number[] => ids.map((x) => (typeof x === 'string' ? table.rowOfId(x) : -1));
    for (const ids of [list(0, 40), list(40, 60), list(100, 300), list(0, 50)]) assert.deepEqual([...table.idRows().rowsOf(ids)], want(ids));
    assert.ok(want(list(0, 400)).filter((r) => r >= 0).length > 300, 'most ids are in the table');
  });

  it('keeps the first row of an id given twice', () => {
    const { table } = buildTable('user', [{ id: guid(1), n: 1 }, { id: guid(1).toUpperCase(), n: 2 }, { id: 'u1', n: 3 }, { id: 'U1', n: 4 }] as GraphObject[], { keepObjects: false });
    const rows = [...table.idRows().rowsOf([guid(1).toUpperCase(), 'U1'])];
    assert.deepEqual(rows.map((r) => table.id(r)), [guid(1), 'u1']);
  });
});
