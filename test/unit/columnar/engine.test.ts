/**
 * The columnar engine against the reference interpreter: for random rules over random users —
 * nulls, missing keys, empty collections, values of the wrong type, non-ASCII strings, .NET-only
 * patterns — every row must get exactly the interpreter's result. Tables are built keeping the
 * objects and without them (the engine then reads objects rebuilt from the columns), and with the
 * byte path forced on every dictionary.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { parseRule } from '../../../grammar/src/index';
import {
  buildTable, compileRule, evaluateColumnar, interpretResult, toTri, type ColumnarStats, type GraphObject, type Table, type Tri,
} from '../../../grammar/engine/src/index';
import { EXT, ruleArb, usersArb } from './arbitraries';

const NOW = Date.parse('2025-06-01T00:00:00Z');

function resultsOf(rule: string, table: Table, bytePathMinEntries: number, stats?: ColumnarStats): Tri[] {
  const parsed = parseRule(rule);
  const bits = evaluateColumnar(parsed.expr!, table, { now: NOW, bytePathMinEntries }, stats);
  return Array.from({ length: table.rows }, (_, r) => toTri(bits.get(r)));
}

function reference(rule: string, objects: readonly GraphObject[]): Tri[] {
  const parsed = parseRule(rule);
  return objects.map((o) => interpretResult(parsed.text, parsed.expr!, o, { now: NOW }));
}

describe('columnar engine', () => {
  it('gives the reference interpreter\'s result for every row, on random rules and users', function () {
    this.timeout(120_000);
    let compiled = 0;
    fc.assert(fc.property(usersArb(), fc.array(ruleArb, { minLength: 1, maxLength: 6 }), (users, rules) => {
      const tables = [buildTable('user', users, { keepObjects: true }).table, buildTable('user', users).table];
      for (const rule of rules) {
        if (!compileRule(parseRule(rule), { now: NOW }).ok) continue;
        compiled++;
        const expected = reference(rule, users);
        for (const t of tables) {
          for (const min of [0, 256]) assert.deepEqual(resultsOf(rule, t, min), expected, `${rule} (${t.objects ? 'objects' : 'columns'}, byte path from ${min})`);
        }
      }
    }), { seed: 20261122, numRuns: 300 });
    assert.ok(compiled > 500, `only ${compiled} random rules compiled`);
  });

  it('evaluates each distinct value once, not each row', () => {
    const users = Array.from({ length: 1000 }, (_, i) => ({ id: `u${i}`, department: ['Sales', 'Marketing', null][i % 3], proxyAddresses: [`smtp:u${i % 10}@contoso.com`] }));
    const { table } = buildTable('user', users);
    const stats: ColumnarStats = { fallbacks: 0, entries: 0 };
    const r = resultsOf('user.department -eq "sales" -or user.proxyAddresses -any (_ -startsWith "SMTP:U1")', table, 256, stats);
    assert.deepEqual(r, reference('user.department -eq "sales" -or user.proxyAddresses -any (_ -startsWith "SMTP:U1")', users));
    assert.equal(stats.fallbacks, 0);
    assert.ok(stats.entries < 60, `${stats.entries} entries evaluated`);
  });

  it('falls back to the compiled closures for a condition that reads more than the item', () => {
    // The checks reject this rule (rule/wrong-element), but the closures give it a meaning: the
    // engine must give the same one rather than another.
    const users = [
      { id: 'a', department: 'Sales', proxyAddresses: ['smtp:a'] },
      { id: 'b', department: 'Sales', proxyAddresses: [] },
      { id: 'c', department: 'Legal', proxyAddresses: ['smtp:c'] },
      { id: 'd', proxyAddresses: ['smtp:d'] },
    ];
    const rule = 'user.proxyAddresses -any (_ -startsWith "smtp" -and user.department -eq "Sales")';
    for (const keepObjects of [true, false]) {
      const stats: ColumnarStats = { fallbacks: 0, entries: 0 };
      assert.deepEqual(resultsOf(rule, buildTable('user', users, { keepObjects }).table, 256, stats), reference(rule, users));
      assert.equal(stats.fallbacks, 1);
    }
  });

  it('reads a directory extension no user has as null', () => {
    const users = [{ id: 'a' }, { id: 'b', [EXT]: 'x' }];
    for (const rule of ['user.extension_ffffffffffffffffffffffffffffffff_none -eq null', `user.${EXT} -eq null`, `user.${EXT} -ne "x"`]) {
      assert.deepEqual(resultsOf(rule, buildTable('user', users).table, 256), reference(rule, users), rule);
    }
  });

  it('leaves out objects without an id and repeated ids, as the snapshot does', () => {
    const users = [{ id: 'A', department: 'x' }, { department: 'y' }, { id: 'a', department: 'z' }, { id: '' }, { id: 7 }, { id: 'b' }];
    const { table, withoutId, duplicates } = buildTable('user', users);
    assert.equal(table.rows, 2);
    assert.deepEqual([withoutId, duplicates], [3, 1]);
    assert.deepEqual([table.id(0), table.id(1)], ['A', 'b']);
    assert.equal(table.rowOfId('a'), 0);
    assert.equal(table.rowOfId('B'), 1);
  });

  it('agrees with the interpreter on every sample rule over the sample tenant', () => {
    const now = Date.parse('2026-11-01T00:00:00Z');
    const users = (JSON.parse(readFileSync('samples/tenant/contoso/users.json', 'utf8')) as { value: GraphObject[] }).value;
    const devices = (JSON.parse(readFileSync('samples/tenant/contoso/devices.json', 'utf8')) as { value: GraphObject[] }).value;
    const tables = { user: buildTable('user', users).table, device: buildTable('device', devices).table };
    const kept = (list: GraphObject[]): GraphObject[] => {
      const seen = new Set<string>();
      return list.filter((o) => typeof o['id'] === 'string' && o['id'] !== '' && !seen.has(o['id'].toLowerCase()) && !!seen.add(o['id'].toLowerCase()));
    };
    const objects = { user: kept(users), device: kept(devices) };
    let n = 0;
    for (const f of readdirSync('samples/rules').filter((x) => x.endsWith('.dynrule'))) {
      const parsed = parseRule(readFileSync(`samples/rules/${f}`, 'utf8'));
      const c = compileRule(parsed, { now });
      if (!c.ok) continue;
      const t = tables[c.rule.object];
      const bits = evaluateColumnar(parsed.expr!, t, { now });
      const expected = objects[c.rule.object].map((o) => interpretResult(parsed.text, parsed.expr!, o, { now }));
      assert.deepEqual(Array.from({ length: t.rows }, (_, r) => toTri(bits.get(r))), expected, f);
      n++;
    }
    assert.ok(n > 30);
  });
});
