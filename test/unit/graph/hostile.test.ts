/**
 * The Graph client against a hostile server on 127.0.0.1: answers that echo the token, links that
 * carry it or credentials, an organization id shaped like a path, bodies that trickle, collections
 * that never end, redirects and sign-in pages. Each must fail at once (or within its bound), say
 * what came back, keep the token out of every message, and leave an earlier snapshot as it was.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { fetchSnapshot, GraphError, syncSnapshot } from '../../../server/src/graph/index';
import type { FetchSnapshotOptions } from '../../../server/src/graph/types';
import { startGraphServer, type Fault, type GraphServer } from '../../support/graphServer';
import { capture, closeAfterOnlyGets, FAST_RETRY, leftovers, sampleData, serveSample, tmp, tokens } from './helpers';

const USERS_PAGE = '/v1.0/users?';
const OPAQUE = 'opaque-access-token-4f9c2e7a1b';

/** The token and each of its JWT parts long enough to be telling. */
const secretsOf = (token: string): string[] => [token, ...token.split('.').filter((p) => p.length >= 16)];

function assertNoToken(where: string, text: string, token: string): void {
  for (const s of secretsOf(token)) assert.ok(!text.includes(s), `${where} holds the token (or part of it): ${text}`);
}

/** Every string a GraphError carries to a user: its message and details. */
const errorText = (e: GraphError): string => JSON.stringify({ message: e.message, ...e.details, cause: undefined });

describe('live tenant: a hostile Graph server', function () {
  this.timeout(20_000);
  let server: GraphServer | undefined;
  afterEach(async () => {
    await closeAfterOnlyGets(server);
    server = undefined;
  });

  async function run(faults: Fault[], extra: Partial<FetchSnapshotOptions> & { token?: string } = {}) {
    const { token, ...options } = extra;
    server = await serveSample({ faults, ...(token ? { token } : {}) });
    const t = tokens(server);
    const c = capture();
    const out = options.out ?? path.join(tmp(), 'snap');
    const error = await fetchSnapshot({ endpoint: server.url, getToken: t.getToken, retry: FAST_RETRY, log: c.log, onProgress: c.onProgress, ...options, out })
      .then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof GraphError, `the fetch failed with a GraphError (got ${String(error)})`);
    return { error, c, out, server };
  }

  describe('the token echoed in an error body', () => {
    for (const [status, kind] of [[400, 'bad-request'], [403, 'forbidden'], [500, 'server']] as const) {
      for (const token of [undefined, OPAQUE]) {
        it(`${status} with the Authorization header and the ${token ? 'opaque' : 'JWT'} token in its message: redacted everywhere`, async () => {
          const { error, c, server: s } = await run([{ kind: 'echo-token', status, match: USERS_PAGE, times: Infinity }], token ? { token } : {});
          assert.equal(error.kind, status === 500 ? 'throttled' : kind, error.message);
          assert.match(error.message, new RegExp(`${status} InvalidRequest: The header 'Authorization: Bearer \\[redacted\\]' was not accepted for token \\[redacted\\]`));
          assertNoToken('the error', errorText(error), s.token);
          assertNoToken('the log and progress', c.text(), s.token);
        });
      }
    }
  });

  it('refuses a delta link that carries the token, and leaves the earlier snapshot byte-identical', async () => {
    server = await serveSample();
    const t = tokens(server);
    const out = path.join(tmp(), 'snap');
    await fetchSnapshot({ endpoint: server.url, getToken: t.getToken, out, retry: FAST_RETRY });
    const before = await fs.readFile(path.join(out, 'snapshot.json'));
    server.addFault({ kind: 'token-in-link', match: '/v1.0/users/delta?' });
    const error = await syncSnapshot({ endpoint: server.url, getToken: t.getToken, out, retry: FAST_RETRY, full: true }).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof GraphError && error.kind === 'invalid-response', String(error));
    assert.match(error.message, /@odata\.deltaLink .*carries the access token/);
    assertNoToken('the error', errorText(error), server.token);
    assert.deepEqual(await fs.readFile(path.join(out, 'snapshot.json')), before);
    assert.deepEqual(await leftovers(out), ['snap']);
  });

  it('refuses a next link that carries the token before following it', async () => {
    const { error, server: s } = await run([{ kind: 'token-in-link', match: USERS_PAGE }]);
    assert.equal(error.kind, 'invalid-response');
    assert.match(error.message, /@odata\.nextLink .*carries the access token/);
    assert.ok(!s.requests.some((r) => r.url.includes('access_token')), 'the link was not followed');
  });

  it('writes no file that carries the token, wherever the server puts it in its data', async () => {
    const data = await sampleData();
    server = await startGraphServer({ data: { ...data, organization: { id: '0d59291c-83c3-49c7-8268-d038b61bf63c', displayName: `Contoso ${OPAQUE}` } }, token: OPAQUE });
    const out = path.join(tmp(), 'snap');
    const error = await fetchSnapshot({ endpoint: server.url, getToken: tokens(server).getToken, out, retry: FAST_RETRY }).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof GraphError && error.kind === 'invalid-response', String(error));
    assert.equal(error.message, "Graph's answer carries the credential it was sent (in snapshot.json); not writing it");
    assert.deepEqual(await leftovers(out), []);
  });

  it('refuses an /organization id that is not a GUID: it never becomes a folder', async () => {
    const data = await sampleData();
    server = await startGraphServer({ data: { ...data, organization: { id: '../../escaped', displayName: 'Escaped' } } });
    const parent = tmp();
    const out = path.join(parent, 'a', 'snap');
    const error = await fetchSnapshot({ endpoint: server.url, getToken: tokens(server).getToken, out, retry: FAST_RETRY }).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof GraphError && error.kind === 'invalid-response', String(error));
    assert.match(error.message, /GET \/v1\.0\/organization returned an id that is not a tenant id \(a GUID\): "\.\.\/\.\.\/escaped"/);
    assert.deepEqual(await fs.readdir(parent), ['a']);
    assert.deepEqual(await fs.readdir(path.join(parent, 'a')), []);
  });

  describe('answers that are not transient fail at once, saying what came back', () => {
    const cases: { name: string; fault: Fault; message: RegExp }[] = [
      { name: 'a 302', fault: { kind: 'redirect', match: USERS_PAGE, location: 'http://127.0.0.1:9/common/oauth2/authorize?client_id=x' }, message: /GET \/v1\.0\/users\?.*: Graph answered 302, a redirect to http:\/\/127\.0\.0\.1:9; redirects are never followed/ },
      { name: 'an HTML 200', fault: { kind: 'html', match: USERS_PAGE }, message: /GET \/v1\.0\/users\?.*: Graph answered 200 with text\/html \(\d+ bytes\), not JSON/ },
      { name: 'a response larger than a page can be', fault: { kind: 'oversize', match: USERS_PAGE }, message: /GET \/v1\.0\/users\?.*: the response is 209,715,200 bytes, more than 134,217,728/ },
      { name: 'a next link with credentials', fault: { kind: 'userinfo-link', match: USERS_PAGE }, message: /Graph returned an @odata\.nextLink with credentials in it \(user:password@\); not following it/ },
      { name: 'a next link to another host', fault: { kind: 'foreign-link', match: USERS_PAGE }, message: /Graph returned an @odata\.nextLink to another host \(http:\/\/localhost:\d+\); not following it with the token/ },
    ];
    for (const { name, fault, message } of cases) {
      it(name, async () => {
        const { error, c, server: s } = await run([{ ...fault, times: Infinity }]);
        assert.equal(error.kind, 'invalid-response', error.message);
        assert.match(error.message, message);
        assert.ok(!c.events.some((e) => e.kind === 'retry'), 'no retry');
        const users = s.requests.filter((r) => r.url.startsWith('/v1.0/users?'));
        assert.equal(users.filter((r) => r.fault === fault.kind).length, 1, 'asked once');
        assert.equal(users.length, 1, 'no link from the answer was followed');
      });
    }
  });

  /**
   * Node 20 holds the parts of AbortSignal.any() weakly: after a collection, a timeout joined that
   * way never fired. The tests of deadlines and cancellation collect garbage often while they wait.
   */
  function collectingGarbage(): { stop: () => void; collections: () => number } {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    let collections = 0;
    const timer = setInterval(() => {
      gc();
      collections++;
    }, 50);
    return { stop: () => clearInterval(timer), collections: () => collections };
  }

  it('bounds a body that trickles: the whole request, headers and body, has a deadline, garbage collection or not', async () => {
    const { stop } = collectingGarbage();
    // The first request, so that no other runs beside it to meet the short deadline on a busy machine.
    const { error, server: s } = await run([{ kind: 'trickle', match: '/v1.0/organization', delayMs: 50, times: Infinity }], { requestTimeoutMs: 1000, retry: { ...FAST_RETRY, maxAttempts: 2 } })
      .finally(stop);
    assert.equal(error.kind, 'network', error.message);
    assert.match(error.message, /GET \/v1\.0\/organization\?.* failed 2 times; last: no complete response in 1 s/);
    assert.equal(s.requests.filter((r) => r.fault === 'trickle').length, 2);
  });

  it('stops a trickling body at the abort, garbage collection or not, and removes the partial folder', async () => {
    const controller = new AbortController();
    const { stop, collections } = collectingGarbage();
    server = await serveSample({ faults: [{ kind: 'trickle', match: '/v1.0/organization', delayMs: 50, times: Infinity }] });
    const out = path.join(tmp(), 'snap');
    const s = server;
    const fetching = fetchSnapshot({ endpoint: s.url, getToken: tokens(s).getToken, out, retry: FAST_RETRY, signal: controller.signal }).then(() => undefined, (e: unknown) => e);
    while (!s.requests.some((r) => r.fault === 'trickle')) await new Promise((r) => setTimeout(r, 10));
    const before = collections();
    while (collections() < before + 5) await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    const error = await fetching.finally(stop);
    assert.ok(error instanceof GraphError && error.kind === 'cancelled', String(error));
    assert.deepEqual(await leftovers(out), []);
  });

  it('a process that exits with a partial folder open removes it on the way out', async () => {
    const out = path.join(tmp(), 'snap');
    const writer = pathToFileURL(path.resolve('server/src/graph/writer.ts')).href;
    const code = `const { SnapshotWriter } = await import(${JSON.stringify(writer)});
      const w = await SnapshotWriter.create(${JSON.stringify(out)});
      await (await w.open('users.jsonl')).write('{}\\n');
      console.log(w.dir);
      process.exit(130);`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8' });
    assert.equal(child.status, 130, child.stderr);
    assert.match(child.stdout, /\.snap\.partial-\d+-/, 'the partial folder was made');
    assert.deepEqual(await leftovers(out), []);
  });

  describe('collections that never end', () => {
    it('stops when a link leads back to a page already read', async () => {
      const { error, server: s } = await run([{ kind: 'loop', match: '/v1.0/devices?', times: Infinity }]);
      assert.equal(error.kind, 'invalid-response');
      assert.match(error.message, /Graph sent the same @odata\.nextLink twice \(\/v1\.0\/devices\); stopping instead of looping/);
      assert.equal(s.requests.filter((r) => r.url.startsWith('/v1.0/devices?')).length, 1, 'the first page links to itself: not asked again');
    });

    it('stops after the page bound of a collection, saying so', async () => {
      const { error, server: s, out } = await run([{ kind: 'endless', match: '/v1.0/devices?', times: Infinity }], { limits: { maxPages: 25 } });
      assert.equal(error.kind, 'invalid-response');
      assert.match(error.message, /GET \/v1\.0\/devices: Graph sent more than 25 pages for one collection, more than a tenant holds; stopping/);
      assert.equal(s.requests.filter((r) => r.url.startsWith('/v1.0/devices?')).length, 25);
      assert.deepEqual(await leftovers(out), []);
    });

    it('stops after the object bound of a collection, saying so', async () => {
      const { error, server: s } = await run([{ kind: 'endless', match: '/v1.0/devices?', objects: 100, times: Infinity }], { limits: { maxObjects: 1000 } });
      assert.match(error.message, /GET \/v1\.0\/devices: Graph sent more than 1,000 objects for one collection, more than a tenant holds; stopping/);
      assert.equal(s.requests.filter((r) => r.url.startsWith('/v1.0/devices?')).length, 11);
    });
  });
});
