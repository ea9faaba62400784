/**
 * administrativeUnits.json (samples/tenant/README.md): optional, read by the same rules as
 * groups.json, with `members` as for groups; broken files fail with their position.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadSnapshot, SnapshotError } from '../../../server/src/tenant/snapshot';

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dynrule-aus-'));
  for (const [f, content] of Object.entries(files)) writeFileSync(path.join(dir, f), content);
  return dir;
}

const USERS = JSON.stringify([{ id: 'u1', department: 'Sales' }, { id: 'u2', department: 'HR' }]);
const SALES_AU = {
  id: 'a1', displayName: 'AU Sales', membershipType: 'Dynamic',
  membershipRule: 'user.department -eq "Sales"', membershipRuleProcessingState: 'On', members: ['u1'],
};
const ASSIGNED_AU = { id: 'a2', displayName: 'AU Assigned', membershipType: null, members: ['u2'] };

async function failure(dir: string): Promise<SnapshotError> {
  try {
    await loadSnapshot(dir);
  } catch (e) {
    assert.ok(e instanceof SnapshotError, String(e));
    return e;
  }
  assert.fail('loaded');
}

describe('administrativeUnits.json', () => {
  const shapes: [string, string][] = [
    ['administrativeUnits.json', JSON.stringify({ '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#directory/administrativeUnits', value: [SALES_AU, ASSIGNED_AU] })],
    ['administrativeUnits.json', JSON.stringify([SALES_AU, ASSIGNED_AU])],
    ['administrativeUnits.jsonl', `${JSON.stringify(SALES_AU)}\r\n\n${JSON.stringify(ASSIGNED_AU)}`],
  ];
  for (const [file, text] of shapes) {
    it(`${file} (${text.startsWith('{"@odata') ? 'a Graph page' : text.startsWith('[') ? 'an array' : 'JSON Lines'}): every unit with its fields and members`, async () => {
      const s = await loadSnapshot(folder({ 'users.json': USERS, [file]: text }));
      assert.deepEqual(s.administrativeUnits.map((a) => a.id), ['a1', 'a2']);
      const a = s.administrativeUnitById.get('a1')!;
      assert.equal(a.membershipType, 'Dynamic');
      assert.equal(a.membershipRule, 'user.department -eq "Sales"');
      assert.equal(a.membershipRuleProcessingState, 'On');
      assert.deepEqual(a.members, ['u1']);
      assert.deepEqual(s.administrativeUnitById.get('a2')!.members, ['u2']);
      assert.deepEqual(s.notes.filter((n) => n.includes('administrative')), []);
    });
  }

  it('is optional: empty without it, noted when a command asks for it, silent otherwise', async () => {
    const dir = folder({ 'users.json': USERS });
    const asked = await loadSnapshot(dir, { only: ['users', 'groups', 'administrativeUnits'] });
    assert.deepEqual(asked.administrativeUnits, []);
    assert.equal(asked.administrativeUnitById.size, 0);
    assert.ok(asked.notes.includes('no administrativeUnits.json: no administrative units (dynamic administrative units are unknown)'), asked.notes.join('\n'));
    const byDefault = await loadSnapshot(dir);
    assert.deepEqual(byDefault.administrativeUnits, []);
    assert.deepEqual(byDefault.notes.filter((n) => n.includes('administrative')), []);
    const notAsked = await loadSnapshot(folder({ 'users.json': USERS, 'administrativeUnits.json': JSON.stringify([SALES_AU]) }), { only: ['users'] });
    assert.deepEqual(notAsked.administrativeUnits, [], 'not read unless asked for');
  });

  it('a unit without members, or with "members" of the wrong shape: kept, members unknown or cleaned, and noted', async () => {
    const s = await loadSnapshot(folder({
      'administrativeUnits.json': JSON.stringify([
        { id: 'a1', membershipType: 'Dynamic', membershipRule: 'user.department -eq "Sales"' },
        { id: 'a2', membershipType: 'Dynamic', members: 'u1' },
        { id: 'a3', members: ['u1', 7, null, '', 'u2'] },
        { id: 'a4', members: [] },
      ]),
    }));
    assert.deepEqual(s.administrativeUnits.map((a) => a.id), ['a1', 'a2', 'a3', 'a4']);
    assert.equal(s.administrativeUnitById.get('a1')!.members, undefined);
    assert.equal(s.administrativeUnitById.get('a2')!.members, undefined);
    assert.deepEqual(s.administrativeUnitById.get('a3')!.members, ['u1', 'u2']);
    assert.deepEqual(s.administrativeUnitById.get('a4')!.members, []);
    assert.ok(s.notes.includes('administrativeUnits: 1 object whose "members" is not an array of ids; their members are unknown'), s.notes.join('\n'));
    assert.ok(s.notes.includes('administrativeUnits: 3 items of "members" that are not an id left out'), s.notes.join('\n'));
  });

  it('groups.json: the same check of "members"', async () => {
    const s = await loadSnapshot(folder({ 'groups.json': JSON.stringify([{ id: 'g1', members: { id: 'u1' } }, { id: 'g2', members: ['u1', { id: 'u2' }] }]) }));
    assert.equal(s.groupById.get('g1')!.members, undefined);
    assert.deepEqual(s.groupById.get('g2')!.members, ['u1']);
    assert.ok(s.notes.includes('groups: 1 object whose "members" is not an array of ids; their members are unknown'), s.notes.join('\n'));
    assert.ok(s.notes.includes('groups: 1 item of "members" that is not an id left out'), s.notes.join('\n'));
  });

  it('units without an id are left out and duplicates use the first, both noted', async () => {
    const s = await loadSnapshot(folder({ 'administrativeUnits.json': JSON.stringify([{ displayName: 'no id' }, { id: 'A1', displayName: 'first' }, { id: 'a1', displayName: 'second' }]) }));
    assert.deepEqual(s.administrativeUnits.map((a) => a.displayName), ['first']);
    assert.ok(s.notes.includes('administrativeUnits: 1 object without an "id" ignored'));
    assert.ok(s.notes.includes('administrativeUnits: 1 duplicate id; the first occurrence of each is used'));
  });

  const broken: [string, string, RegExp][] = [
    ['administrativeUnits.json', '{"value": [\n  {"id": "a1",}\n]}', /^administrativeUnits\.json:2:15: invalid JSON/],
    ['administrativeUnits.json', '{"administrativeUnits": []}', /^administrativeUnits\.json:1:1: expected a Microsoft Graph page/],
    ['administrativeUnits.json', '[{"id": "a1"},\n "a2"]', /^administrativeUnits\.json:2:2: item 2 is not a JSON object$/],
    ['administrativeUnits.jsonl', '{"id": "a1"}\n{"id": "a2"\n', /^administrativeUnits\.jsonl:2:\d+: invalid JSON/],
    ['administrativeUnits.jsonl', '{"id": "a1"}\n[1]\n', /^administrativeUnits\.jsonl:2:1: /],
  ];
  for (const [file, text, expected] of broken) {
    it(`${file} ${JSON.stringify(text)}: fails with the file and position`, async () => {
      assert.match((await failure(folder({ 'users.json': USERS, [file]: text }))).message, expected);
    });
  }

  it('a file that is not UTF-8 fails with its position', async () => {
    const dir = folder({});
    writeFileSync(path.join(dir, 'administrativeUnits.json'), Buffer.concat([Buffer.from('[{"id": "a1", "displayName": "'), Buffer.from([0xff]), Buffer.from('"}]')]));
    assert.match((await failure(dir)).message, /^administrativeUnits\.json:1:31: /);
  });
});
