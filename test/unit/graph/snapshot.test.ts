import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { GraphObject } from '../../../grammar/engine/src/index';
import { BETA_ONLY_DEVICE_FIELDS, createGraphClient, DEVICE_FIELDS, fetchSnapshot, GraphError, redact } from '../../../server/src/graph/index';
import { parseRetryAfter } from '../../../server/src/graph/retry';
import { loadSnapshot, type Snapshot } from '../../../server/src/tenant/snapshot';
import type { GraphServer } from '../../support/graphServer';
import { capture, FAST_RETRY, SAMPLE, serveSample, tmp, tokens } from './helpers';

const sorted = (v: unknown): unknown => (Array.isArray(v) ? [...v].map(String).sort() : v);
const isEmpty = (v: unknown): boolean => v === null || (Array.isArray(v) && v.length === 0);

/** Every field of the sample object is in the fetched one, equal; the fetched one adds only nulls. */
function assertSameObject(sampleObj: GraphObject, live: GraphObject | undefined, label: string, skip: (k: string) => boolean = () => false): void {
  assert.ok(live, `${label} is in the live snapshot`);
  for (const [k, v] of Object.entries(sampleObj)) {
    if (skip(k)) continue;
    if (k === 'memberOf' || k === 'members') assert.deepEqual(sorted(live[k]), sorted(v), `${label}.${k}`);
    else assert.deepEqual(live[k], v, `${label}.${k}`);
  }
  for (const [k, v] of Object.entries(live)) if (!(k in sampleObj)) assert.ok(isEmpty(v), `${label}.${k} is extra: ${JSON.stringify(v)}`);
}

describe('live tenant: snapshot', function () {
  this.timeout(10_000);
  let server: GraphServer;
  let sample: Snapshot;
  let out: string;
  let log: ReturnType<typeof capture>;
  let result: Awaited<ReturnType<typeof fetchSnapshot>>;

  before(async () => {
    sample = await loadSnapshot(SAMPLE);
    server = await serveSample();
    out = path.join(tmp(), 'contoso');
    log = capture();
    const extensions = [...new Set((sample.users ?? []).flatMap((u) => Object.keys(u).filter((k) => k.startsWith('extension_'))))];
    result = await fetchSnapshot({
      endpoint: server.url, getToken: tokens(server).getToken, out, retry: FAST_RETRY,
      groups: (sample.groups ?? []).map((g) => g.id), extensionProperties: extensions, log: log.log, onProgress: log.onProgress,
    });
  });
  after(async () => {
    assert.deepEqual([...new Set(server.requests.map((r) => r.method))], ['GET']);
    await server.close();
  });

  it('reads the sample tenant through Graph into the same users, with the same fields', async () => {
    const live = await loadSnapshot(out);
    assert.equal(live.users?.length, sample.users?.length);
    for (const u of sample.users!) assertSameObject(u, live.userById.get(String(u['id']).toLowerCase()), `user ${String(u['userPrincipalName'])}`);
  });

  it('reads devices with their v1.0 fields and records the beta-only ones as unavailable', async () => {
    const live = await loadSnapshot(out);
    assert.equal(live.devices?.length, sample.devices?.length);
    const notAsked = new Set<string>();
    for (const d of sample.devices!) {
      const l = live.deviceById.get(String(d['id']).toLowerCase());
      assertSameObject(d, l, `device ${String(d['displayName'])}`, (k) => {
        if (k === 'memberOf' || DEVICE_FIELDS.includes(k)) return false;
        assert.equal(l?.[k], undefined, `device field ${k} is not read`);
        if (!BETA_ONLY_DEVICE_FIELDS.includes(k)) notAsked.add(k);
        return true;
      });
    }
    // Not rule properties, so not asked for.
    assert.deepEqual([...notAsked].sort(), ['approximateLastSignInDateTime', 'registrationDateTime']);
    assert.deepEqual(result.meta.unavailable.devices, ['isRooted', 'managementType']);
    assert.ok(result.meta.notes.some((n) => n.includes('beta') && n.includes('isRooted')));
    // Graph v1.0 has these: a live snapshot reads them, so device rules on them are decided.
    for (const d of sample.devices!) {
      const l = live.deviceById.get(String(d['id']).toLowerCase())!;
      for (const k of ['deviceCategory', 'deviceOwnership', 'enrollmentProfileName']) assert.deepEqual(l[k], d[k], `${String(d['displayName'])}: ${k}`);
    }
  });

  it('reads the groups with their member ids, and the subscriptions', async () => {
    const live = await loadSnapshot(out);
    assert.equal(live.groups?.length, sample.groups?.length);
    for (const g of sample.groups!) assertSameObject(g, live.groupById.get(g.id.toLowerCase()), `group ${String(g.displayName)}`);
    assert.deepEqual(live.skus, sample.skus);
  });

  it('writes snapshot.json last, marked complete, with the tenant, the country and delta links', async () => {
    const meta = JSON.parse(await fs.readFile(path.join(out, 'snapshot.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(meta['source'], 'graph');
    assert.equal(meta['complete'], true);
    assert.equal(meta['tenantId'], sample.meta?.tenantId);
    assert.equal(meta['countryLetterCode'], 'US');
    assert.equal(meta['endpoint'], server.url);
    const links = meta['deltaLinks'] as Record<string, string>;
    assert.match(links['users']!, /\/v1\.0\/users\/delta\?\$deltatoken=/);
    assert.match(links['devices']!, /\/v1\.0\/devices\/delta\?\$deltatoken=/);
    const names = (await fs.readdir(out)).sort();
    assert.deepEqual(names, ['devices.jsonl', 'groups.json', 'snapshot.json', 'subscribedSkus.json', 'users.jsonl']);
  });

  it('is owner-only: folder 0700, files 0600', async () => {
    assert.equal((await fs.stat(out)).mode & 0o777, 0o700);
    for (const f of await fs.readdir(out)) assert.equal((await fs.stat(path.join(out, f))).mode & 0o777, 0o600, f);
  });

  it('asks for exactly the rule fields, 999 a page, managers expanded, and follows nextLinks', () => {
    const users = server.requests.filter((r) => r.url.startsWith('/v1.0/users?'));
    const first = new URL(users[0]!.url, server.url);
    assert.equal(first.searchParams.get('$top'), '999');
    assert.equal(first.searchParams.get('$expand'), 'manager($select=id)');
    const select = first.searchParams.get('$select')!.split(',');
    assert.ok(select.includes('onPremisesExtensionAttributes') && select.includes('licenseAssignmentStates') && select.includes('assignedPlans'));
    // Graph pages expanded users by 100: 400 users, 4 pages, each later one a nextLink with a skiptoken.
    assert.equal(users.length, 4);
    assert.ok(users.slice(1).every((r) => r.url.includes('$skiptoken=')));
    const devices = new URL(server.requests.find((r) => r.url.startsWith('/v1.0/devices?'))!.url, server.url);
    for (const beta of BETA_ONLY_DEVICE_FIELDS) assert.ok(!devices.searchParams.get('$select')!.includes(beta));
  });

  it('never logs the token', () => {
    assert.ok(log.text().length > 0);
    assert.ok(!log.text().includes(server.token));
    for (const r of server.requests) assert.equal(r.headers['authorization'], 'Bearer');
  });

  it('finds groups by display name, warns about names that match nothing', async () => {
    const c = capture();
    const dir = path.join(tmp(), 'named');
    const name = sample.groups![0]!.displayName!;
    const r = await fetchSnapshot({ endpoint: server.url, getToken: tokens(server).getToken, out: dir, groups: [name, "No Such Group's Name"], onProgress: c.onProgress });
    assert.equal(r.meta.counts.groups, 1);
    assert.deepEqual(r.meta.missingGroups, ["No Such Group's Name"]);
    assert.ok(r.warnings.some((w) => w.includes("No Such Group's Name")));
    assert.ok(server.requests.some((q) => decodeURIComponent(q.url).includes("displayName eq 'No Such Group''s Name'")));
  });

  it('takes the tenant id from the token when /organization is forbidden', async () => {
    const s = await serveSample({ faults: [{ kind: 'forbidden', match: '/v1.0/organization' }] });
    try {
      const r = await fetchSnapshot({ endpoint: s.url, getToken: tokens(s).getToken, out: path.join(tmp(), 'no-org') });
      assert.equal(r.meta.tenantId, sample.meta?.tenantId);
      assert.equal(r.meta.countryLetterCode, undefined);
      assert.ok(r.meta.notes.some((n) => n.includes('Organization.Read.All')));
    } finally {
      await s.close();
    }
  });

  it('writes Graph pages (.json) when asked', async () => {
    const dir = path.join(tmp(), 'pages');
    await fetchSnapshot({ endpoint: server.url, getToken: tokens(server).getToken, out: dir, format: 'json' });
    const live = await loadSnapshot(dir);
    assert.equal(live.users?.length, sample.users?.length);
    assert.ok((await fs.readdir(dir)).includes('users.json'));
  });

  it('refuses a folder that holds other files, before sending anything', async () => {
    const dir = tmp();
    await fs.writeFile(path.join(dir, 'notes.txt'), 'mine');
    const before = server.requests.length;
    await assert.rejects(fetchSnapshot({ endpoint: server.url, getToken: tokens(server).getToken, out: dir }), (e: unknown) => e instanceof GraphError && e.kind === 'io' && /notes\.txt/.test(e.message));
    assert.equal(server.requests.length, before);
    assert.equal(await fs.readFile(path.join(dir, 'notes.txt'), 'utf8'), 'mine');
  });
});

describe('live tenant: HTTP client', () => {
  it('reads Retry-After as fractional seconds or an HTTP date', () => {
    assert.equal(parseRetryAfter('2.128'), 2128);
    assert.equal(parseRetryAfter('0'), 0);
    assert.equal(parseRetryAfter('Wed, 21 Oct 2015 07:28:05 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')), 5000);
    assert.equal(parseRetryAfter('soon'), undefined);
    assert.equal(parseRetryAfter(null), undefined);
  });

  it('can only GET: the client has no other method', () => {
    const client = createGraphClient({ endpoint: 'https://graph.microsoft.com', getToken: async () => 'x' });
    assert.deepEqual(Object.keys(client).sort(), ['endpoint', 'get', 'limits', 'stats']);
    assert.deepEqual(Object.keys(client).filter((k) => typeof client[k as keyof typeof client] === 'function'), ['get'], 'the others are data');
    assert.ok(Object.isFrozen(client));
  });

  it('will not send the token to another host or over plain http', async () => {
    let asked = 0;
    const client = createGraphClient({ endpoint: 'https://graph.microsoft.com/v1.0/', getToken: async () => { asked++; return 'secret-token-value'; } });
    assert.equal(client.endpoint, 'https://graph.microsoft.com');
    await assert.rejects(client.get('https://evil.example/v1.0/users?$skiptoken=x'), (e: unknown) => e instanceof GraphError && /another host/.test(e.message));
    assert.equal(asked, 0);
    assert.throws(() => createGraphClient({ endpoint: 'http://graph.example.com', getToken: async () => 'x' }), /https/);
  });

  it('redacts tokens and anything shaped like a JWT', () => {
    const jwt = 'eyJ0eXAiOiJKV1QifQ.eyJ0aWQiOiJ4eHh4eHgifQ.c2lnbmF0dXJl';
    assert.equal(redact(`Authorization: Bearer ${jwt}`), 'Authorization: Bearer [redacted]');
    assert.equal(redact('token=opaque-secret-1234 ok', ['opaque-secret-1234']), 'token=[redacted] ok');
  });
});
