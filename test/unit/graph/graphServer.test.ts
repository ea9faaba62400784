import assert from 'node:assert/strict';
import type { GraphServer } from '../../support/graphServer';
import { serveSample } from './helpers';

/** The test server speaks Graph's protocol, errors included, so the client is tested against it. */
describe('live tenant: the Graph test server', () => {
  let server: GraphServer;
  before(async () => (server = await serveSample()));
  after(() => server.close());

  const get = (url: string, token: string | null = server.token, method = 'GET') =>
    fetch(server.url + url, { method, headers: token ? { authorization: `Bearer ${token}` } : {} });
  const error = async (r: Response): Promise<{ code: string; message: string }> => ((await r.json()) as { error: { code: string; message: string } }).error;

  it('answers 401 with Graph\'s error JSON without a valid token', async () => {
    const r = await get('/v1.0/users', null);
    assert.equal(r.status, 401);
    assert.equal((await error(r)).code, 'InvalidAuthenticationToken');
    assert.equal((await get('/v1.0/users', 'not-the-token')).status, 401);
  });

  it('answers 405 to anything but GET', async () => {
    for (const method of ['POST', 'PATCH', 'PUT', 'DELETE']) {
      const r = await get('/v1.0/users', server.token, method);
      assert.equal(r.status, 405, method);
      assert.equal(r.headers.get('allow'), 'GET');
    }
  });

  it('takes $top from 1 to 999 with Graph\'s error text outside', async () => {
    for (const top of ['0', '1000']) {
      const r = await get(`/v1.0/users?$top=${top}`);
      assert.equal(r.status, 400);
      assert.equal((await error(r)).message, `Invalid page size specified: '${top}'. Must be between 1 and 999 inclusive.`);
    }
    const page = (await (await get('/v1.0/users?$top=999&$select=id')).json()) as { value: unknown[]; '@odata.nextLink'?: string };
    assert.equal(page.value.length, 400);
    assert.equal(page['@odata.nextLink'], undefined);
  });

  it('pages by 100 with $expand and carries the query into an opaque nextLink', async () => {
    const page = (await (await get('/v1.0/users?$top=999&$select=id,department&$expand=manager($select=id)')).json()) as { value: Record<string, unknown>[]; '@odata.nextLink': string };
    assert.equal(page.value.length, 100);
    assert.match(page['@odata.nextLink'], /^http:\/\/127\.0\.0\.1:\d+\/v1\.0\/users\?.*\$skiptoken=[\w-]+$/);
    const next = (await (await get(new URL(page['@odata.nextLink']).pathname + new URL(page['@odata.nextLink']).search)).json()) as { value: Record<string, unknown>[] };
    assert.deepEqual(Object.keys(next.value[0]!).filter((k) => k !== 'manager').sort(), ['department', 'id']);
  });

  it('rejects beta-only device fields on v1.0, like Graph', async () => {
    const r = await get('/v1.0/devices?$select=id,isRooted');
    assert.equal(r.status, 400);
    assert.match((await error(r)).message, /Could not find a property named 'isRooted' on type 'microsoft.graph.device'/);
  });

  it('reports changes through delta links, with @removed', async () => {
    const latest = (await (await get('/v1.0/users/delta?$select=id,department&$deltatoken=latest')).json()) as { value: unknown[]; '@odata.deltaLink': string };
    assert.deepEqual(latest.value, []);
    const m = server.mutate({ users: 2, removeUsers: 1 });
    const link = new URL(latest['@odata.deltaLink']);
    const changes = (await (await get(link.pathname + link.search)).json()) as { value: Record<string, unknown>[]; '@odata.deltaLink': string };
    assert.ok(changes['@odata.deltaLink']);
    const ids = changes.value.map((v) => v['id']);
    for (const id of [...m.updated, ...m.removed]) assert.ok(ids.includes(id));
    assert.deepEqual(changes.value.find((v) => v['id'] === m.removed[0])!['@removed'], { reason: 'changed' });
  });
});
