/**
 * Every dynamic group and dynamic administrative unit (graph/dynamic.ts, `snapshot --all`),
 * against the Graph test server: what is read, what it costs in requests, refreshes, faults and
 * input a hostile or odd tenant gives.
 */
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fetchSnapshot, refreshSnapshot } from '../../../server/src/graph/index';
import { loadSnapshot } from '../../../server/src/tenant/snapshot';
import { dynamicGroupId, dynamicTenant, unitId, userId } from '../../support/dynamicTenant';
import { startGraphServer, type GraphServer, type GraphServerData } from '../../support/graphServer';
import { capture, FAST_RETRY, leftovers, tmp, tokens } from './helpers';

type Obj = Record<string, unknown>;

async function readPage(file: string): Promise<Obj[]> {
  return (JSON.parse(await fs.readFile(file, 'utf8')) as { value: Obj[] }).value;
}

/** The requests sent after `from`, decoded, by the kind of request. */
function kinds(server: GraphServer, from = 0): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of server.requests.slice(from)) {
    const u = decodeURIComponent(r.url);
    const k = u.startsWith('/v1.0/groups/delta') ? (u.includes('$deltatoken=') ? 'groups/delta (link)' : 'groups/delta')
      : u.startsWith('/v1.0/groups?') ? 'groups list'
        : /^\/v1\.0\/directory\/administrativeUnits\/[^/]+\/members/.test(u) ? 'unit members'
          : u.startsWith('/v1.0/directory/administrativeUnits') ? 'units list'
            : u.split('?')[0]!.replace(/\/[0-9a-f-]{36}/g, '/{id}');
    out.set(k, (out.get(k) ?? 0) + 1);
  }
  return out;
}

const expectedMembers = (data: GraphServerData, id: string): string[] => [...(data.groups.find((g) => g['id'] === id)!['members'] as string[])].sort();

describe('live tenant: every dynamic group and administrative unit', function () {
  this.timeout(60_000);
  const servers: GraphServer[] = [];
  const serve = async (data: GraphServerData, options: Omit<Parameters<typeof startGraphServer>[0], 'data'> = {}): Promise<GraphServer> => {
    const s = await startGraphServer({ ...options, data });
    servers.push(s);
    return s;
  };
  afterEach(async () => {
    for (const s of servers.splice(0)) {
      assert.deepEqual([...new Set(s.requests.map((r) => r.method))].filter((m) => m !== 'GET'), [], 'only GET requests');
      await s.close();
    }
  });

  it('reads every dynamic group with its members and every dynamic unit, and nothing else', async () => {
    const data = dynamicTenant({ users: 120, dynamicGroups: 130, assignedGroups: 20, units: 3, membersOf: (i) => (i === 7 ? 350 : i % 12) });
    const server = await serve(data, { deltaMembersPerEntry: 40 });
    const out = path.join(tmp(), 'all');
    const c = capture();
    const r = await fetchSnapshot({ endpoint: server.url, getToken: tokens(server).getToken, out, allDynamicGroups: true, retry: FAST_RETRY, log: c.log, onProgress: c.onProgress });
    const groups = await readPage(path.join(out, 'groups.json'));
    assert.equal(groups.length, 130, 'the 130 dynamic groups, not the 20 assigned ones');
    assert.equal(r.meta.counts.groups, 130);
    for (const g of groups) {
      assert.deepEqual(g['groupTypes'], ['DynamicMembership']);
      assert.deepEqual([...(g['members'] as string[])].sort(), expectedMembers(data, String(g['id'])), String(g['id']));
      for (const f of ['membershipRule', 'membershipRuleProcessingState', 'securityEnabled', 'assignedLicenses']) assert.ok(f in g, `${String(g['id'])}: ${f}`);
    }
    // Group 7 has 120 members (every user), in entries of 40 across the round.
    assert.equal((groups.find((g) => g['id'] === dynamicGroupId(7))!['members'] as string[]).length, 120);

    const units = await readPage(path.join(out, 'administrativeUnits.json'));
    assert.deepEqual(units.map((u) => u['id']), [unitId(0), unitId(1), unitId(2)], 'the dynamic units only');
    assert.equal(r.meta.counts.administrativeUnits, 3);
    assert.deepEqual(units[1]!['members'], data.administrativeUnits![1]!['members']);
    assert.equal(units[1]!['membershipRule'], 'user.department -eq "Dept 1"');

    // The advanced query's header went with the units list, and only there.
    const unitList = server.requests.filter((q) => q.url.startsWith('/v1.0/directory/administrativeUnits?'));
    assert.equal(unitList.length, 1);
    assert.equal(unitList[0]!.headers['consistencylevel'], 'eventual');
    assert.match(decodeURIComponent(unitList[0]!.url), /\$count=true/);
    assert.ok(server.requests.filter((q) => q.url.startsWith('/v1.0/groups')).every((q) => q.headers['consistencylevel'] === undefined));

    // The loader reads it; snapshot.json says it holds every dynamic group.
    const s = await loadSnapshot(out, { only: ['users', 'groups', 'administrativeUnits'] });
    assert.equal(s.groups!.length, 130);
    assert.equal(s.administrativeUnits.length, 3);
    assert.deepEqual(s.notes, []);
    const meta = JSON.parse(await fs.readFile(path.join(out, 'snapshot.json'), 'utf8')) as Obj;
    assert.equal(meta['allDynamicGroups'], true);
    assert.equal((meta['deltaLinks'] as { dynamicGroups: string[] }).dynamicGroups.length, 3, 'one link per 50 groups');
  });

  it('5,000 dynamic groups: ceil(5000/999) list pages + one delta round per 50 groups, far fewer than a read per group', async () => {
    const data = dynamicTenant({ users: 2_000, dynamicGroups: 5_000, assignedGroups: 1_000, units: 10 });
    const server = await serve(data);
    const out = path.join(tmp(), 'five');
    const r = await fetchSnapshot({ endpoint: server.url, getToken: tokens(server).getToken, out, allDynamicGroups: true, retry: FAST_RETRY });
    const k = kinds(server);
    // Members per group ≤ 39 < 100 per entry, 50 entries a round < 200 a page: one page per round.
    assert.equal(k.get('groups list'), Math.ceil(5_000 / 999));
    assert.equal(k.get('groups/delta'), 5_000 / 50);
    assert.equal(k.get('units list'), 1);
    assert.equal(k.get('unit members'), 10);
    // Besides: organization, two delta links, users (100 a page with the manager), devices, subscribedSkus.
    const rest = r.requests - 6 - 100 - 1 - 10;
    assert.equal(rest, 1 + 2 + Math.ceil(2_000 / 100) + 1 + 1, JSON.stringify([...k]));
    assert.equal(r.requests, 142);
    const groups = await readPage(path.join(out, 'groups.json'));
    assert.equal(groups.length, 5_000);
    const sample = [0, 1, 39, 2_500, 4_999].map(dynamicGroupId);
    for (const id of sample) assert.deepEqual([...(groups.find((g) => g['id'] === id)!['members'] as string[])].sort(), expectedMembers(data, id));
  });

  it('measured against a read per group (the way named groups are read): the delta rounds cost a fraction', async () => {
    const data = dynamicTenant({ users: 300, dynamicGroups: 200 });
    const server = await serve(data);
    const all = await fetchSnapshot({ endpoint: server.url, getToken: tokens(server).getToken, out: path.join(tmp(), 'a'), allDynamicGroups: true, retry: FAST_RETRY });
    const named = await fetchSnapshot({ endpoint: server.url, getToken: tokens(server).getToken, out: path.join(tmp(), 'b'), groups: data.groups.map((g) => String(g['id'])), retry: FAST_RETRY });
    // Without --all: users, devices and the rest are the same 1 + 2 + 3 + 1 + 1 = 8 requests.
    const base = 1 + 2 + Math.ceil(300 / 100) + 1 + 1;
    assert.equal(all.requests - base, 1 + 200 / 50 + 1, 'one list page, four rounds, the (empty) units list');
    assert.equal(named.requests - base, 200 / 50 + 200 + 200, 'a delta link per 50, then each group and its members');
  });

  it('members that are not users or devices are kept apart, groups without a rule are kept, and both are said', async () => {
    const data = dynamicTenant({ users: 10, dynamicGroups: 3, units: 1 });
    const sp = '00000000-0000-4000-f000-000000000001';
    const contact = '00000000-0000-4000-f000-000000000002';
    data.others = [{ id: sp, '@odata.type': '#microsoft.graph.servicePrincipal' }, { id: contact, '@odata.type': '#microsoft.graph.orgContact' }];
    (data.groups[0]!['members'] as string[]).push(sp, contact, dynamicGroupId(2));
    data.groups[1]!['membershipRule'] = null;
    data.groups[2]!['members'] = [];
    (data.administrativeUnits![0]!['members'] as string[]).push(contact);
    data.administrativeUnits!.push({ id: unitId(7), displayName: 'AU empty', membershipType: 'Dynamic', membershipRule: 'user.department -eq "None"', membershipRuleProcessingState: 'Paused', members: [] });
    const server = await serve(data);
    const out = path.join(tmp(), 'odd');
    const r = await fetchSnapshot({ endpoint: server.url, getToken: tokens(server).getToken, out, allDynamicGroups: true, retry: FAST_RETRY });
    const groups = await readPage(path.join(out, 'groups.json'));
    const g0 = groups.find((g) => g['id'] === dynamicGroupId(0))!;
    assert.ok(!(g0['members'] as string[]).some((m) => [sp, contact, dynamicGroupId(2)].includes(m)), 'not in members');
    assert.deepEqual(g0['otherMembers'], [
      { '@odata.type': '#microsoft.graph.servicePrincipal', id: sp },
      { '@odata.type': '#microsoft.graph.orgContact', id: contact },
      { '@odata.type': '#microsoft.graph.group', id: dynamicGroupId(2) },
    ]);
    assert.equal(groups.find((g) => g['id'] === dynamicGroupId(1))!['membershipRule'], null, 'kept without a rule');
    assert.deepEqual(groups.find((g) => g['id'] === dynamicGroupId(2))!['members'], [], 'a group without members has an empty list');
    const units = await readPage(path.join(out, 'administrativeUnits.json'));
    assert.deepEqual(units[0]!['otherMembers'], [{ '@odata.type': '#microsoft.graph.orgContact', id: contact }]);
    const empty = units.find((u) => u['id'] === unitId(7))!;
    assert.deepEqual([empty['members'], empty['membershipRuleProcessingState']], [[], 'Paused'], 'a unit without members has an empty list');
    assert.ok(r.warnings.includes('1 dynamic group has no membershipRule; kept, with their members'), r.warnings.join('\n'));
    assert.ok(r.warnings.includes('3 members of 1 dynamic group are neither a user nor a device (a group, service principal or contact): kept in "otherMembers", not in "members"'), r.warnings.join('\n'));
    assert.ok(r.warnings.includes('1 member of 1 dynamic administrative unit is neither a user nor a device (a group, service principal or contact): kept in "otherMembers", not in "members"'), r.warnings.join('\n'));
    assert.deepEqual(r.meta.notes.filter((n) => n.includes('dynamic')).length, 3);
  });

  it('a refresh follows the dynamic groups\' links, adds new dynamic groups, drops deleted ones and reads units again', async () => {
    const data = dynamicTenant({ users: 60, dynamicGroups: 120, units: 2 });
    const server = await serve(data);
    const out = path.join(tmp(), 'refresh');
    await fetchSnapshot({ endpoint: server.url, getToken: tokens(server).getToken, out, allDynamicGroups: true, retry: FAST_RETRY });
    const changed = server.mutate({ group: { group: dynamicGroupId(5), add: 2, remove: 1 }, createDynamicGroups: 1, deleteGroups: [dynamicGroupId(9)] });
    server.store.units.get(unitId(0))!['members'] = [userId(1)];
    const from = server.requests.length;
    const r = await refreshSnapshot(out, { getToken: tokens(server).getToken, retry: FAST_RETRY });
    assert.equal(r.mode, 'delta');
    assert.deepEqual(r.changes!.groups, { added: 1, updated: 1, removed: 1 });
    const k = kinds(server, from);
    assert.equal(k.get('groups list'), 1, 'which groups are dynamic now');
    assert.equal(k.get('groups/delta (link)'), 3, 'the three stored links');
    assert.equal(k.get('groups/delta'), 1, 'one initial round for the new group');
    assert.equal(k.get('units list'), 1);
    assert.equal(k.get('unit members'), 2);
    const groups = await readPage(path.join(out, 'groups.json'));
    assert.equal(groups.length, 120);
    assert.ok(!groups.some((g) => g['id'] === dynamicGroupId(9)));
    const g5 = groups.find((g) => g['id'] === dynamicGroupId(5))!;
    assert.deepEqual([...(g5['members'] as string[])].sort(), [...(server.store.groups.get(dynamicGroupId(5))!['members'] as string[])].sort());
    for (const id of changed.membersAdded) assert.ok((g5['members'] as string[]).includes(id));
    const created = groups.find((g) => g['id'] === changed.groupsCreated[0]);
    assert.ok(created, 'the new dynamic group');
    assert.equal((created['members'] as string[]).length, 3);
    assert.deepEqual((await readPage(path.join(out, 'administrativeUnits.json')))[0]!['members'], [userId(1)]);
    const meta = JSON.parse(await fs.readFile(path.join(out, 'snapshot.json'), 'utf8')) as { deltaLinks: { dynamicGroups: string[] } };
    assert.equal(meta.deltaLinks.dynamicGroups.length, 4);

    // A second refresh with no change: the list, the four links, and the units again.
    const again = server.requests.length;
    const r2 = await refreshSnapshot(out, { getToken: tokens(server).getToken, retry: FAST_RETRY });
    assert.deepEqual(r2.changes!.groups, { added: 0, updated: 0, removed: 0 });
    const k2 = kinds(server, again);
    assert.deepEqual([k2.get('groups list'), k2.get('groups/delta (link)'), k2.get('groups/delta')], [1, 4, undefined]);
  });

  it('a snapshot without --all gains every dynamic group when a refresh asks for them, and keeps them', async () => {
    const data = dynamicTenant({ users: 30, dynamicGroups: 12 });
    const server = await serve(data);
    const out = path.join(tmp(), 'grow');
    await fetchSnapshot({ endpoint: server.url, getToken: tokens(server).getToken, out, groups: [dynamicGroupId(3)], retry: FAST_RETRY });
    const r = await refreshSnapshot(out, { getToken: tokens(server).getToken, retry: FAST_RETRY, allDynamicGroups: true });
    assert.equal(r.mode, 'delta');
    assert.equal((await readPage(path.join(out, 'groups.json'))).length, 12, 'group 3 once, and the other 11');
    const r2 = await refreshSnapshot(out, { getToken: tokens(server).getToken, retry: FAST_RETRY });
    assert.equal(r2.meta.allDynamicGroups, true);
    assert.equal((await readPage(path.join(out, 'groups.json'))).length, 12);
  });

  it('users are read with the extension properties dynamic rules use; a refresh that finds a new one reads again', async () => {
    const costCenter = 'extension_0123456789abcdef0123456789abcdef_costCenter';
    const region = 'extension_0123456789abcdef0123456789abcdef_region';
    const data = dynamicTenant({ users: 20, dynamicGroups: 4, units: 1 });
    for (const [i, u] of data.users.entries()) Object.assign(u, { [costCenter]: `CC${i % 3}`, [region]: `R${i % 2}` });
    data.groups[2]!['membershipRule'] = `user.${costCenter} -eq "CC1"`;
    const server = await serve(data);
    const out = path.join(tmp(), 'ext');
    const r = await fetchSnapshot({ endpoint: server.url, getToken: tokens(server).getToken, out, allDynamicGroups: true, retry: FAST_RETRY });
    assert.deepEqual(r.meta.extensionProperties, [costCenter]);
    const s = await loadSnapshot(out);
    assert.equal(s.userById.get(userId(4))![costCenter], 'CC1');
    assert.equal(s.userById.get(userId(4))![region], undefined, 'only what the rules use');

    server.mutate({ createDynamicGroups: 1 });
    const created = [...server.store.groups.values()].find((g) => String(g['displayName']).startsWith('New Dynamic'))!;
    created['membershipRule'] = `user.${region} -eq "R0"`;
    const again = await refreshSnapshot(out, { getToken: tokens(server).getToken, retry: FAST_RETRY });
    assert.equal(again.mode, 'full');
    assert.match(again.fullReason ?? '', /dynamic groups' rules use extension_0123456789abcdef0123456789abcdef_region/);
    assert.deepEqual([...again.meta.extensionProperties].sort(), [costCenter, region].sort());
    assert.equal((await loadSnapshot(out)).userById.get(userId(3))![region], 'R1');
  });

  it('throttled and cut-short pages of rounds, lists and unit members are retried; nothing is lost', async () => {
    const data = dynamicTenant({ users: 50, dynamicGroups: 160, units: 3 });
    const server = await serve(data, {
      deltaMembersPerEntry: 5, deltaPageSize: 20,
      faults: [
        { kind: 'throttle', match: '/v1.0/groups/delta?$skiptoken', nth: 2, times: 3, retryAfter: '0.01' },
        { kind: 'truncate', match: '/v1.0/groups?', nth: 1 },
        { kind: 'unavailable', match: '/members', nth: 2, retryAfter: '0' },
        { kind: 'reset', match: '/v1.0/directory/administrativeUnits?', nth: 1 },
      ],
    });
    const out = path.join(tmp(), 'faults');
    const r = await fetchSnapshot({ endpoint: server.url, getToken: tokens(server).getToken, out, allDynamicGroups: true, retry: FAST_RETRY });
    assert.equal(r.retries, 6);
    const groups = await readPage(path.join(out, 'groups.json'));
    assert.equal(groups.length, 160);
    for (const g of groups) assert.deepEqual([...(g['members'] as string[])].sort(), expectedMembers(data, String(g['id'])));
    assert.equal((await readPage(path.join(out, 'administrativeUnits.json'))).length, 3);
  });

  it('cancelled while the rounds are read: stops, and leaves nothing behind', async () => {
    const server = await serve(dynamicTenant({ users: 10, dynamicGroups: 120 }), { faults: [{ kind: 'slow', match: '/v1.0/groups/delta?$filter', delayMs: 60_000, times: Infinity }] });
    const out = path.join(tmp(), 'cancel');
    const controller = new AbortController();
    const r = fetchSnapshot({
      endpoint: server.url, getToken: tokens(server).getToken, out, allDynamicGroups: true, retry: FAST_RETRY, signal: controller.signal,
      // The list is read: the rounds are next, and the server holds them.
      onProgress: (p) => { if (p.kind === 'count' && p.collection === 'groups' && p.count === 120) controller.abort(); },
    });
    await assert.rejects(r, (e: Error & { kind?: string }) => e.kind === 'cancelled');
    assert.deepEqual(await leftovers(out), []);
  });

  it('a dynamic link Graph no longer knows (410) turns the refresh into a full read, with every dynamic group', async () => {
    const data = dynamicTenant({ users: 20, dynamicGroups: 60 });
    const server = await serve(data);
    const out = path.join(tmp(), 'gone');
    await fetchSnapshot({ endpoint: server.url, getToken: tokens(server).getToken, out, allDynamicGroups: true, retry: FAST_RETRY });
    server.addFault({ kind: 'delta-expired', match: /\/v1\.0\/groups\/delta\?\$deltatoken=/ });
    const r = await refreshSnapshot(out, { getToken: tokens(server).getToken, retry: FAST_RETRY });
    assert.equal(r.mode, 'full');
    assert.match(r.fullReason ?? '', /410/);
    assert.equal(r.meta.allDynamicGroups, true);
    assert.equal((await readPage(path.join(out, 'groups.json'))).length, 60);
  });

  it('the server refuses the units filter without the advanced-query headers, as Graph does', async () => {
    const server = await serve(dynamicTenant({ users: 5, dynamicGroups: 1, units: 1 }));
    const get = (url: string, headers: Record<string, string> = {}): Promise<Response> => fetch(`${server.url}${url}`, { headers: { Authorization: `Bearer ${server.token}`, ...headers } });
    const filter = "/v1.0/directory/administrativeUnits?$filter=membershipType eq 'Dynamic'";
    const plain = await get(filter);
    assert.equal(plain.status, 400);
    assert.equal(((await plain.json()) as { error: { code: string } }).error.code, 'Request_UnsupportedQuery');
    assert.equal((await get(`${filter}&$count=true`)).status, 400, 'the header is needed too');
    const ok = await get(`${filter}&$count=true`, { ConsistencyLevel: 'eventual' });
    assert.equal(ok.status, 200);
    assert.equal(((await ok.json()) as { '@odata.count': number })['@odata.count'], 1);
    // The groups filter is a standard query; its negation is not.
    assert.equal((await get("/v1.0/groups?$filter=groupTypes/any(c:c eq 'DynamicMembership')")).status, 200);
    assert.equal((await get("/v1.0/groups?$filter=not groupTypes/any(c:c eq 'DynamicMembership')")).status, 400);
    assert.equal((await get('/v1.0/administrativeUnits/delta')).status, 400, 'v1.0 has no administrative unit delta');
  });

  it('a token without AdministrativeUnit.Read.All: groups are read, units are not, and it is said', async () => {
    const server = await serve(dynamicTenant({ users: 10, dynamicGroups: 4, units: 2 }), { faults: [{ kind: 'forbidden', match: '/v1.0/directory/administrativeUnits' }] });
    const out = path.join(tmp(), 'noperm');
    const r = await fetchSnapshot({ endpoint: server.url, getToken: tokens(server).getToken, out, allDynamicGroups: true, retry: FAST_RETRY });
    assert.equal((await readPage(path.join(out, 'groups.json'))).length, 4);
    await assert.rejects(fs.stat(path.join(out, 'administrativeUnits.json')));
    assert.ok(r.warnings.some((w) => /administrative units were not read: .*AdministrativeUnit\.Read\.All/.test(w)), r.warnings.join('\n'));
    assert.ok(r.meta.notes.includes('administrative units were not read (no permission): administrativeUnits.json is missing'));
    const s = await loadSnapshot(out, { only: ['groups', 'administrativeUnits'] });
    assert.ok(s.notes.some((n) => n.startsWith('no administrativeUnits.json')));
  });

  it('an id that is not a GUID, or a round that loops, fails the read and leaves nothing behind', async () => {
    for (const [mutate, message] of [
      [(d: GraphServerData) => { d.groups[1]!['id'] = '../../etc/passwd'; }, /dynamic group whose id is not a GUID/],
      [(d: GraphServerData) => { d.administrativeUnits![0]!['id'] = 'x/../y'; }, /administrative unit whose id is not a GUID/],
    ] as const) {
      const data = dynamicTenant({ users: 5, dynamicGroups: 3, units: 1 });
      mutate(data);
      const server = await serve(data);
      const out = path.join(tmp(), 'bad');
      await assert.rejects(fetchSnapshot({ endpoint: server.url, getToken: tokens(server).getToken, out, allDynamicGroups: true, retry: FAST_RETRY }), message);
      assert.deepEqual(await leftovers(out), []);
    }
    const server = await serve(dynamicTenant({ users: 5, dynamicGroups: 3 }), { faults: [{ kind: 'loop', match: '/v1.0/groups/delta?$filter' }] });
    const out = path.join(tmp(), 'loop');
    await assert.rejects(fetchSnapshot({ endpoint: server.url, getToken: tokens(server).getToken, out, allDynamicGroups: true, retry: FAST_RETRY }), /same @odata\.nextLink twice/);
    assert.deepEqual(await leftovers(out), []);
  });

  it('a units answer that echoes the token: refused as a permission problem, with no token in any warning or note', async () => {
    const server = await serve(dynamicTenant({ users: 5, dynamicGroups: 2, units: 1 }), { faults: [{ kind: 'echo-token', status: 403, match: '/v1.0/directory/administrativeUnits' }] });
    const out = path.join(tmp(), 'echo');
    const c = capture();
    const r = await fetchSnapshot({ endpoint: server.url, getToken: tokens(server).getToken, out, allDynamicGroups: true, retry: FAST_RETRY, log: c.log, onProgress: c.onProgress });
    assert.ok(r.warnings.some((w) => w.startsWith('administrative units were not read')), r.warnings.join('\n'));
    const written = (await Promise.all((await fs.readdir(out)).map((f) => fs.readFile(path.join(out, f), 'utf8')))).join('\n');
    for (const text of [r.warnings.join('\n'), c.text(), written]) assert.ok(!text.includes(server.token), 'the token is nowhere');
    assert.ok(r.warnings.some((w) => w.includes('[redacted]')), 'what the server echoed was redacted');
  });

  it('50,000 dynamic groups: every one read, within the page bounds, without a hang', async function () {
    this.timeout(120_000);
    const data = dynamicTenant({ users: 100, dynamicGroups: 50_000, membersOf: (i) => i % 3 });
    const server = await serve(data, { deltaPageSize: 200 });
    const out = path.join(tmp(), 'fifty');
    const r = await fetchSnapshot({ endpoint: server.url, getToken: tokens(server).getToken, out, allDynamicGroups: true, retry: FAST_RETRY, format: 'jsonl' });
    assert.equal(r.meta.counts.groups, 50_000);
    const k = kinds(server);
    assert.equal(k.get('groups list'), Math.ceil(50_000 / 999));
    assert.equal(k.get('groups/delta'), 1_000);
    const s = await loadSnapshot(out, { only: ['groups'] });
    assert.equal(s.groupById.size, 50_000);
    assert.equal(s.groupById.get(dynamicGroupId(49_999))!.members!.length, 49_999 % 3);
  });
});
