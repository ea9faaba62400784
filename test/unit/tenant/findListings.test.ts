/**
 * Where a few ids are listed in the groups' `members` lists (what-if's current groups of a changed
 * user): the same answer as walking every list and comparing every member, ids in any case
 * (non-ASCII too), places in list order, a member listed twice found twice, ids that share their
 * first characters and length told apart, non-strings left out.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { findListings } from '../../../server/src/tenant/queries';
import type { GraphGroup } from '../../../server/src/tenant/snapshot';

function walk(groups: readonly GraphGroup[], ids: readonly string[]): [number, number, number][] {
  const out: [number, number, number][] = [];
  groups.forEach((g, gi) => (Array.isArray(g.members) ? g.members : []).forEach((m, place) => {
    if (typeof m !== 'string') return;
    const k = ids.findIndex((id) => id.toLowerCase() === m.toLowerCase());
    if (k >= 0) out.push([gi, place, k]);
  }));
  return out;
}

function found(groups: readonly GraphGroup[], ids: readonly string[]): [number, number, number][] {
  const out: [number, number, number][] = [];
  findListings(groups, ids, (g, place, k) => out.push([g, place, k]));
  return out;
}

describe('whatif findListings', () => {
  const id = (k: number): string => `${'abcdef01'[k % 8]}${String(k).padStart(7, '0')}-0000-4000-8000-00000000000${k % 10}`;

  it('finds what walking every list finds, in list order', () => {
    const groups = [
      { id: 'g0', members: [id(1), id(0).toUpperCase(), 'ffffffff-0000-0000-0000-000000000000', id(1)] },
      { id: 'g1' },
      { id: 'g2', members: [] },
      { id: 'g3', members: [42 as unknown as string, id(2), id(0), null as unknown as string] },
    ] as GraphGroup[];
    const ids = [id(0), id(1), id(2), id(3)];
    assert.deepEqual(found(groups, ids), walk(groups, ids));
    assert.deepEqual(found(groups, ids), [[0, 0, 1], [0, 1, 0], [0, 3, 1], [3, 1, 2], [3, 2, 0]]);
  });

  it('tells apart ids with the same length and first characters, and matches any case', () => {
    const ids = ['prefix00-a', 'prefix00-b', 'PREFIX00-C', 'Ünïcode-1', 'ǅx', 'short', '', 'abcdefgh\u0130'];
    // U+0130 lower-cases to two characters: an id with it after eight ASCII ones changes length.
    const groups = [{ id: 'g', members: ['prefix00-b', 'PREFIX00-A', 'prefix00-c', 'ünÏcode-1', 'ǆx', 'ǄX', 'SHORT', 'shor', '', 'prefix00-d', 'ABCDEFGH\u0130', 'abcdefgh\u0130'] }] as GraphGroup[];
    assert.deepEqual(found(groups, ids), walk(groups, ids));
    assert.equal(found(groups, ids).length, 10);
  });

  it('agrees with walking every list on random ids and lists', () => {
    const idArb = fc.oneof(fc.nat(30).map(id), fc.nat(30).map((k) => id(k).toUpperCase()), fc.string({ maxLength: 12 }), fc.constantFrom('İd', 'i̇d', 'K1', 'k1', 'ß', 'SS', 'abcdefgh\u0130', 'ABCDEFGH\u0130x'));
    fc.assert(fc.property(
      fc.uniqueArray(idArb, { maxLength: 20, selector: (s) => s.toLowerCase() }),
      fc.array(fc.array(fc.oneof(idArb, fc.constant(7 as unknown as string)), { maxLength: 30 }), { maxLength: 6 }),
      (ids, lists) => {
        const groups = lists.map((members, i) => ({ id: `g${i}`, members })) as GraphGroup[];
        assert.deepEqual(found(groups, ids), walk(groups, ids));
      },
    ), { numRuns: 500 });
  });
});
