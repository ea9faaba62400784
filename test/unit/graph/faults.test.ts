import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fetchSnapshot, GraphError } from '../../../server/src/graph/index';
import type { Fault, GraphServer } from '../../support/graphServer';
import { capture, closeAfterOnlyGets, FAST_RETRY, leftovers, serveSample, tmp, tokens } from './helpers';

/** Users come 100 a page (with $expand=manager), so the sample's 400 users take 4 pages. */
const USERS_PAGE = '/v1.0/users?';

describe('live tenant: faults', function () {
  this.timeout(10_000);
  let server: GraphServer | undefined;
  afterEach(async () => {
    await closeAfterOnlyGets(server);
    server = undefined;
  });

  async function snapshotWith(faults: Fault[], extra: { signal?: AbortSignal } = {}) {
    server = await serveSample({ faults });
    const t = tokens(server);
    const c = capture();
    const out = path.join(tmp(), 'snap');
    const started = Date.now();
    const run = fetchSnapshot({ endpoint: server.url, getToken: t.getToken, out, retry: FAST_RETRY, log: c.log, onProgress: c.onProgress, ...extra });
    return { server, out, t, c, started, run };
  }

  const usersPages = (s: GraphServer) => s.requests.filter((r) => r.url.startsWith(USERS_PAGE));

  it('waits a fractional Retry-After on 429, then goes on', async () => {
    const { server: s, run, c } = await snapshotWith([{ kind: 'throttle', match: USERS_PAGE, nth: 2, retryAfter: '0.25' }]);
    const r = await run;
    assert.equal(r.meta.counts.users, 400);
    const pages = usersPages(s);
    const i = pages.findIndex((p) => p.status === 429);
    assert.ok(i > 0, 'the second page was throttled');
    assert.equal(pages[i + 1]!.url, pages[i]!.url, 'the same nextLink is asked again');
    assert.ok(pages[i + 1]!.at - pages[i]!.at >= 245, `waited ${pages[i + 1]!.at - pages[i]!.at} ms for Retry-After 0.25`);
    assert.ok(c.events.some((e) => e.kind === 'retry' && e.notice.reason === 'throttled' && e.notice.waitMs === 250));
    assert.equal(r.retries, 1);
  });

  for (const [kind, status] of [['unavailable', 503], ['gateway-timeout', 504]] as const) {
    it(`retries ${status} with backoff when there is no Retry-After`, async () => {
      const { server: s, run } = await snapshotWith([{ kind, match: USERS_PAGE, nth: 3, times: 2 }]);
      const r = await run;
      assert.equal(r.meta.counts.users, 400);
      assert.equal(usersPages(s).filter((p) => p.status === status).length, 2);
    });
  }

  it('honours an HTTP-date Retry-After', async () => {
    const when = new Date(Date.now() + 1000).toUTCString();
    const { run } = await snapshotWith([{ kind: 'unavailable', match: '/v1.0/devices?', retryAfter: when }]);
    assert.equal((await run).meta.counts.devices, 80);
  });

  for (const kind of ['drop', 'truncate', 'reset'] as const) {
    it(`survives a ${kind === 'drop' ? 'connection dropped mid-page' : kind === 'truncate' ? 'truncated page' : 'connection reset'}`, async () => {
      const { server: s, run, c } = await snapshotWith([{ kind, match: USERS_PAGE, nth: 2 }]);
      const r = await run;
      assert.equal(r.meta.counts.users, 400);
      assert.ok(usersPages(s).some((p) => p.fault === kind));
      assert.ok(c.events.some((e) => e.kind === 'retry' && (e.notice.reason === 'network' || e.notice.reason === 'truncated')));
    });
  }

  it('gets a new token when the old one expires in the middle of paging', async () => {
    const { server: s, run, t, c } = await snapshotWith([{ kind: 'expire-token', match: USERS_PAGE, nth: 3 }]);
    const first = s.token;
    const r = await run;
    assert.equal(r.meta.counts.users, 400);
    assert.equal(t.refreshes(), 1);
    assert.notEqual(s.token, first, 'the server issued a new token');
    const pages = usersPages(s);
    const expired = pages.findIndex((p) => p.status === 401);
    assert.equal(pages[expired + 1]!.status, 200, 'the same page succeeds with the new token');
    for (const tk of [first, s.token]) assert.ok(!c.text().includes(tk), 'no token in the log');
  });

  it('fails with an auth error when a fresh token is rejected too, saving nothing', async () => {
    server = await serveSample({ faults: [{ kind: 'expire-token', match: USERS_PAGE, nth: 2, times: 2 }] });
    const out = path.join(tmp(), 'snap');
    const t = tokens(server);
    await assert.rejects(fetchSnapshot({ endpoint: server.url, getToken: t.getToken, out, retry: FAST_RETRY }), (e: unknown) => e instanceof GraphError && e.kind === 'auth');
    assert.deepEqual(await leftovers(out), []);
  });

  it('gives up after the retry bound and leaves nothing that looks like a snapshot', async () => {
    const { server: s, run, out } = await snapshotWith([{ kind: 'unavailable', match: USERS_PAGE, nth: 2, times: Infinity }]);
    await assert.rejects(run, (e: unknown) => e instanceof GraphError && e.kind === 'throttled' && /failed 5 times/.test(e.message));
    assert.equal(usersPages(s).filter((p) => p.status === 503).length, FAST_RETRY.maxAttempts);
    assert.deepEqual(await leftovers(out), [], 'no snapshot folder and no partial folder');
  });

  it('keeps the dropped connection retries bounded too', async () => {
    const { run, out } = await snapshotWith([{ kind: 'drop', match: '/v1.0/devices?', times: Infinity }]);
    await assert.rejects(run, (e: unknown) => e instanceof GraphError && e.kind === 'network');
    assert.deepEqual(await leftovers(out), []);
  });

  it('fails at once when Graph asks to wait longer than the policy allows', async () => {
    const { run, started } = await snapshotWith([{ kind: 'throttle', match: USERS_PAGE, retryAfter: '3600' }]);
    await assert.rejects(run, (e: unknown) => e instanceof GraphError && e.kind === 'throttled' && /wait 3600 s/.test(e.message));
    assert.ok(Date.now() - started < 2000);
  });

  it('names the missing permission on 403 and leaves an earlier snapshot as it was', async () => {
    server = await serveSample();
    const t = tokens(server);
    const out = path.join(tmp(), 'snap');
    await fetchSnapshot({ endpoint: server.url, getToken: t.getToken, out, retry: FAST_RETRY });
    const before = await fs.readFile(path.join(out, 'snapshot.json'), 'utf8');
    server.addFault({ kind: 'forbidden', match: '/v1.0/devices?' });
    await assert.rejects(fetchSnapshot({ endpoint: server.url, getToken: t.getToken, out, retry: FAST_RETRY }),
      (e: unknown) => e instanceof GraphError && e.kind === 'forbidden' && /Device\.Read\.All/.test(e.message));
    assert.equal(await fs.readFile(path.join(out, 'snapshot.json'), 'utf8'), before);
    assert.deepEqual(await leftovers(out), ['snap']);
  });

  // The bound is far below the server's delay (10 s, 120 s), and far above a busy machine's
  // scheduling noise: it tells "stopped at the abort" from "waited for the answer or the retry".
  it('stops at the abort, not at the answer, when cancelled while waiting for a slow server', async () => {
    const controller = new AbortController();
    const { run, out } = await snapshotWith([{ kind: 'slow', match: USERS_PAGE, nth: 2, delayMs: 10_000 }], { signal: controller.signal });
    let t0 = 0;
    setTimeout(() => { t0 = Date.now(); controller.abort(); }, 300);
    await assert.rejects(run, (e: unknown) => e instanceof GraphError && e.kind === 'cancelled');
    assert.ok(Date.now() - t0 < 3000, `stopped after ${Date.now() - t0} ms`);
    assert.deepEqual(await leftovers(out), []);
  });

  it('stops at the abort, not at the retry, when cancelled while waiting to retry', async () => {
    const controller = new AbortController();
    const { run, out, server: s } = await snapshotWith([{ kind: 'throttle', match: USERS_PAGE, nth: 2, retryAfter: '120' }], { signal: controller.signal });
    while (!s.requests.some((r) => r.status === 429)) await new Promise((r) => setTimeout(r, 10));
    const t0 = Date.now();
    controller.abort();
    await assert.rejects(run, (e: unknown) => e instanceof GraphError && e.kind === 'cancelled');
    assert.ok(Date.now() - t0 < 3000, `stopped after ${Date.now() - t0} ms`);
    assert.deepEqual(await leftovers(out), []);
  });
});
