import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fetchSnapshot, GraphError, refreshSnapshot, syncSnapshot } from '../../../server/src/graph/index';
import { loadSnapshot } from '../../../server/src/tenant/snapshot';
import { fakeJwt, type GraphServer } from '../../support/graphServer';
import { capture, FAST_RETRY, leftovers, serveSample, tmp, tokens } from './helpers';

/** The users of a snapshot folder as id → object, to compare two folders. */
async function usersOf(dir: string): Promise<Map<string, unknown>> {
  const s = await loadSnapshot(dir);
  return new Map((s.users ?? []).map((u) => [String(u['id']).toLowerCase(), u]));
}

describe('live tenant: delta refresh', function () {
  this.timeout(10_000);
  let server: GraphServer;
  let out: string;
  const groups = ['SG-Executives'];

  beforeEach(async () => {
    server = await serveSample();
    out = path.join(tmp(), 'snap');
    await fetchSnapshot({ endpoint: server.url, getToken: tokens(server).getToken, out, groups, retry: FAST_RETRY });
  });
  afterEach(async () => {
    assert.deepEqual([...new Set(server.requests.map((r) => r.method))], ['GET']);
    await server.close();
  });

  it('reads only the changes after 10 users change, and ends where a full read would', async () => {
    const changed = server.mutate({ users: 10, removeUsers: 2, addUsers: 1, devices: 3 });
    const from = server.requests.length;
    const c = capture();
    const r = await refreshSnapshot(out, { getToken: tokens(server).getToken, retry: FAST_RETRY, log: c.log, onProgress: c.onProgress });
    const sent = server.requests.slice(from).map((q) => decodeURIComponent(q.url));

    assert.equal(r.mode, 'delta');
    // The two removed users were not in SG-Executives, so the group did not change.
    assert.deepEqual(r.changes, { users: { added: 1, updated: 10, removed: 2 }, devices: { added: 0, updated: 3, removed: 0 }, groups: { added: 0, updated: 0, removed: 0 } });
    // Users and devices: the stored delta links, and one request for the changed users' license states.
    const userReqs = sent.filter((u) => u.startsWith('/v1.0/users'));
    assert.equal(userReqs.filter((u) => u.startsWith('/v1.0/users/delta?$deltatoken=')).length, 1);
    assert.deepEqual(userReqs.filter((u) => !u.startsWith('/v1.0/users/delta')), [userReqs.find((u) => u.includes("$filter=id in ("))]);
    assert.ok(sent.some((u) => u.startsWith('/v1.0/devices/delta?$deltatoken=')));
    assert.ok(!sent.some((u) => u.startsWith('/v1.0/devices?') || u.startsWith('/v1.0/organization')), 'no full list of devices, no organization');
    // The group through its own delta link; seat counts have no delta: subscribedSkus once.
    assert.deepEqual(sent.filter((u) => !u.startsWith('/v1.0/users') && !u.startsWith('/v1.0/devices')).map((u) => u.split('=')[0]).sort(),
      ['/v1.0/groups/delta?$deltatoken', '/v1.0/subscribedSkus'].sort());
    assert.equal(sent.length, 5, sent.join('\n'));

    // The refreshed folder equals a full read of the changed tenant.
    const fresh = path.join(tmp(), 'fresh');
    await fetchSnapshot({ endpoint: server.url, getToken: tokens(server).getToken, out: fresh, groups, retry: FAST_RETRY });
    const [a, b] = [await usersOf(out), await usersOf(fresh)];
    assert.equal(a.size, b.size);
    for (const [id, u] of b) assert.deepEqual(a.get(id), u, `user ${id}`);
    assert.deepEqual((await loadSnapshot(out)).devices, (await loadSnapshot(fresh)).devices);
    for (const id of changed.removed) assert.ok(!a.has(id.toLowerCase()));
    // License states are not in delta responses; the re-read brought them.
    const first = a.get(changed.updated[0]!.toLowerCase()) as Record<string, unknown>;
    assert.ok((first['licenseAssignmentStates'] as { error: string }[]).some((s) => s.error === 'CountViolation'));
    assert.equal(first['manager'], null);
    assert.ok(!c.text().includes(server.token));

    const meta = JSON.parse(await fs.readFile(path.join(out, 'snapshot.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(meta['complete'], true);
    assert.ok(meta['refreshedAt']);
    assert.equal((meta['counts'] as { users: number }).users, 399);
  });

  it('with nothing changed, reads one delta page per collection and keeps every user', async () => {
    const before = await usersOf(out);
    const from = server.requests.length;
    const r = await refreshSnapshot(out, { getToken: tokens(server).getToken });
    const none = { added: 0, updated: 0, removed: 0 };
    assert.deepEqual(r.changes, { users: none, devices: none, groups: none });
    assert.equal(server.requests.slice(from).filter((q) => q.url.includes('/delta')).length, 3);
    assert.deepEqual(await usersOf(out), before);
  });

  it('follows group membership and property changes through the groups\' delta link', async () => {
    const m = server.mutate({ group: { group: 'SG-Executives', add: 3, remove: 2, description: 'changed by the test' } });
    const from = server.requests.length;
    const r = await refreshSnapshot(out, { getToken: tokens(server).getToken });
    assert.deepEqual(r.changes?.groups, { added: 0, updated: 1, removed: 0 });
    const sent = server.requests.slice(from).map((q) => q.url);
    assert.ok(!sent.some((u) => u.includes('/members')), 'members are not read again');
    const fresh = path.join(tmp(), 'fresh');
    await fetchSnapshot({ endpoint: server.url, getToken: tokens(server).getToken, out: fresh, groups });
    const [a, b] = [(await loadSnapshot(out)).groups!, (await loadSnapshot(fresh)).groups!];
    assert.equal(a.length, 1);
    assert.deepEqual([...a[0]!.members!].sort(), [...b[0]!.members!].sort());
    assert.equal(a[0]!['description'], 'changed by the test');
    for (const id of m.membersAdded) assert.ok(a[0]!.members!.includes(id));
    for (const id of m.membersRemoved) assert.ok(!a[0]!.members!.includes(id));
    // memberOf, derived by the loader, follows.
    const snap = await loadSnapshot(out);
    assert.ok((snap.userById.get(m.membersAdded[0]!.toLowerCase())!['memberOf'] as string[]).includes(a[0]!.id));
  });

  it('reads a group asked for the first time in full and tracks it from then on', async () => {
    const r = await refreshSnapshot(out, { getToken: tokens(server).getToken, groups: ['All Guests'] });
    assert.equal(r.mode, 'delta');
    assert.deepEqual(r.changes?.groups, { added: 1, updated: 1, removed: 0 });
    assert.deepEqual(r.meta.groupsRequested, ['SG-Executives', 'All Guests']);
    server.mutate({ group: { group: 'All Guests', remove: 1 } });
    const again = await refreshSnapshot(out, { getToken: tokens(server).getToken });
    assert.deepEqual(again.changes?.groups, { added: 0, updated: 1, removed: 0 });
  });

  it('falls back to a full read when Graph no longer knows the delta link (410)', async () => {
    server.mutate({ users: 3 });
    server.addFault({ kind: 'delta-expired', match: '/v1.0/users/delta?$deltatoken=', times: 1 });
    const r = await refreshSnapshot(out, { getToken: tokens(server).getToken, retry: FAST_RETRY });
    assert.equal(r.mode, 'full');
    assert.match(r.fullReason ?? '', /410/);
    assert.equal(r.meta.counts.users, 400);
    const users = await usersOf(out);
    assert.equal([...users.values()].filter((u) => (u as Record<string, unknown>)['jobTitle'] === 'Delta Tester').length, 3);
  });

  it('reads everything again when the rules need an extension property the delta link does not select', async () => {
    const r = await refreshSnapshot(out, { getToken: tokens(server).getToken, extensionProperties: ['extension_c272a57b722d4eb29bfe327874ae79cb_OfficeNumber'] });
    assert.equal(r.mode, 'full');
    assert.match(r.fullReason ?? '', /extension_c272a57b722d4eb29bfe327874ae79cb_OfficeNumber/);
    assert.ok(r.meta.select.users.includes('extension_c272a57b722d4eb29bfe327874ae79cb_OfficeNumber'));
    assert.deepEqual(r.meta.groupsRequested, groups);
  });

  it('leaves the snapshot exactly as it was when the refresh fails', async () => {
    server.mutate({ users: 5 });
    const files = async (): Promise<Record<string, string>> => Object.fromEntries(await Promise.all((await fs.readdir(out)).map(async (f) => [f, await fs.readFile(path.join(out, f), 'utf8')] as const)));
    const before = await files();
    server.addFault({ kind: 'unavailable', match: '/v1.0/devices/delta', times: Infinity });
    await assert.rejects(refreshSnapshot(out, { getToken: tokens(server).getToken, retry: FAST_RETRY }), (e: unknown) => e instanceof GraphError && e.kind === 'throttled');
    assert.deepEqual(await files(), before);
    assert.deepEqual(await leftovers(out), ['snap']);
  });

  it('refuses a token for another tenant', async () => {
    await assert.rejects(refreshSnapshot(out, { getToken: async () => fakeJwt('99999999-9999-4999-8999-999999999999') }), /tenant/);
  });

  it('syncSnapshot refreshes a live snapshot and reads a new folder in full', async () => {
    server.mutate({ users: 2 });
    assert.equal((await syncSnapshot({ out, getToken: tokens(server).getToken })).mode, 'delta');
    const other = path.join(tmp(), 'other');
    const r = await syncSnapshot({ out: other, endpoint: server.url, getToken: tokens(server).getToken });
    assert.equal(r.mode, 'full');
    assert.equal((await syncSnapshot({ out, getToken: tokens(server).getToken, full: true })).mode, 'full');
  });
});
