/**
 * The index of whom each group's `members` list names (what-if's current groups of a changed
 * user): the same answer as walking every list, ids in any case, places in list order, a member
 * listed twice listed twice, ids the table lacks and non-strings left out.
 */
import assert from 'node:assert/strict';
import { buildTable, type GraphObject } from '../../../grammar/engine/src/index';
import { groupsListing } from '../../../server/src/tenant/queries';
import type { GraphGroup } from '../../../server/src/tenant/snapshot';

describe('whatif groupsListing', () => {
  const users = ['aa', 'bb', 'cc', 'dd'].map((id) => ({ id: `${id}000000-0000-0000-0000-000000000000` }) as GraphObject);
  const id = (k: number): string => users[k]!.id as string;
  const table = buildTable('user', users).table;
  const groups = [
    { id: 'g0', members: [id(1), id(0).toUpperCase(), 'ffffffff-0000-0000-0000-000000000000', id(1)] },
    { id: 'g1' },
    { id: 'g2', members: [] },
    { id: 'g3', members: [42 as unknown as string, id(2), id(0)] },
  ] as GraphGroup[];

  it('gives, per row, each listing with its group and place, as walking every list does', () => {
    const listing = groupsListing(groups, table);
    for (let row = 0; row < users.length; row++) {
      const got: [number, number][] = [];
      listing.forEach(row, (g, place) => got.push([g, place]));
      const want: [number, number][] = [];
      groups.forEach((g, gi) => (g.members ?? []).forEach((m, place) => {
        if (typeof m === 'string' && m.toLowerCase() === id(row)) want.push([gi, place]);
      }));
      assert.deepEqual(got, want, `row ${row}`);
    }
  });

  it('is built once per groups array and table', () => {
    assert.equal(groupsListing(groups, table), groupsListing(groups, table));
  });
});
