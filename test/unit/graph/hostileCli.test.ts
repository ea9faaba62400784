/**
 * The CLI against a hostile Graph server on 127.0.0.1, run as users run it (dist/cli.js): what it
 * prints, where it writes, and what it leaves behind when stopped by a signal.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { startGraphServer, type GraphServer } from '../../support/graphServer';
import { dynrule, ensureBuilt } from '../robustness/helpers';
import { leftovers, sampleData, serveSample, tmp } from './helpers';

const USERS_PAGE = '/v1.0/users?';

/** The token and each of its JWT parts long enough to be telling. */
const secretsOf = (token: string): string[] => [token, ...token.split('.').filter((p) => p.length >= 16)];

async function until(what: string, ready: () => boolean | Promise<boolean>, child?: ChildProcess): Promise<void> {
  while (!(await ready())) {
    if (child && child.exitCode !== null) throw new Error(`the CLI exited (${child.exitCode}) before ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** `dynrule snapshot` started in the background, to be stopped by a signal. */
function background(server: GraphServer, out: string): { child: ChildProcess; stderr: () => string; closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }> } {
  const child = spawn(process.execPath, ['dist/cli.js', 'snapshot', '--endpoint', server.url, '--out', out], {
    env: { ...process.env, DYNRULE_GRAPH_TOKEN: server.token }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout!.resume();
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return { child, stderr: () => stderr, closed };
}

const hasPartial = async (out: string): Promise<boolean> => (await leftovers(out)).some((e) => e.includes('.partial-'));

describe('live tenant: the CLI against a hostile Graph server', function () {
  this.timeout(60_000);
  before(() => ensureBuilt());

  for (const status of [400, 403]) {
    it(`prints no token when a ${status} error body echoes it (stderr, DYNRULE_DEBUG=1 included)`, async () => {
      const server = await serveSample({ faults: [{ kind: 'echo-token', status, match: USERS_PAGE, times: Infinity }] });
      try {
        const out = path.join(tmp(), 'snap');
        const r = await dynrule(['snapshot', '--endpoint', server.url, '--out', out], { env: { DYNRULE_GRAPH_TOKEN: server.token, DYNRULE_DEBUG: '1' }, timeoutMs: 120_000 });
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, new RegExp(`dynrule: snapshot failed: .*${status} InvalidRequest: The header 'Authorization: Bearer \\[redacted\\]' was not accepted for token \\[redacted\\]`));
        for (const s of secretsOf(server.token)) assert.ok(!r.stderr.includes(s) && !r.stdout.includes(s), 'no token on stdout or stderr');
        assert.deepEqual(await leftovers(out), []);
      } finally {
        await server.close();
      }
    });
  }

  it('--tenant live refuses an /organization id that would take the cache folder elsewhere', async () => {
    const data = await sampleData();
    const server = await startGraphServer({ data: { ...data, organization: { id: '../../escaped', displayName: 'Escaped' } } });
    try {
      const top = tmp();
      const cache = path.join(top, 'a', 'b');
      await fs.mkdir(cache, { recursive: true });
      const r = await dynrule(['eval', '--rule', 'user.department -eq "Sales"', '--tenant', 'live'], {
        env: { DYNRULE_GRAPH_TOKEN: server.token, DYNRULE_GRAPH_ENDPOINT: server.url, XDG_CACHE_HOME: cache },
      });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /--tenant live: GET \/v1\.0\/organization returned an id that is not a tenant id \(a GUID\): "\.\.\/\.\.\/escaped"/);
      // <cache>/dynrule/../../escaped is <top>/a/escaped.
      assert.deepEqual(await fs.readdir(path.join(top, 'a')), ['b'], 'nothing beside the cache');
      assert.ok(!existsSync(path.join(top, 'escaped')));
      const cached = existsSync(path.join(cache, 'dynrule')) ? await fs.readdir(path.join(cache, 'dynrule')) : [];
      assert.deepEqual(cached, [], 'nothing in the cache');
    } finally {
      await server.close();
    }
  });

  it('fails at once on a 302, saying what came back, without following it', async () => {
    const server = await serveSample({ faults: [{ kind: 'redirect', match: USERS_PAGE, times: Infinity, location: '/v1.0/devices?followed=yes' }] });
    try {
      const out = path.join(tmp(), 'snap');
      const r = await dynrule(['snapshot', '--endpoint', server.url, '--out', out], { env: { DYNRULE_GRAPH_TOKEN: server.token } });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /snapshot failed: GET \/v1\.0\/users\?\S+: Graph answered 302, a redirect to the same host; redirects are never followed; nothing was saved/);
      assert.equal(server.requests.filter((q) => q.url.startsWith(USERS_PAGE)).length, 1, 'asked once, not retried');
      assert.ok(!server.requests.some((q) => q.url.includes('followed=yes')), 'the redirect was not followed');
    } finally {
      await server.close();
    }
  });

  describe('stopped while a body trickles in', () => {
    let server: GraphServer;
    beforeEach(async () => {
      server = await serveSample({ faults: [{ kind: 'trickle', match: USERS_PAGE, delayMs: 1000, times: Infinity }] });
    });
    afterEach(async () => {
      await server.close();
    });

    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      it(`${signal === 'SIGINT' ? 'Ctrl+C' : 'SIGTERM'} stops it, exits 2 and leaves no partial folder`, async () => {
        const out = path.join(tmp(), 'snap');
        const run = background(server, out);
        await until('the body started to trickle', () => server.requests.some((q) => q.fault === 'trickle'), run.child);
        await until('the partial folder exists', () => hasPartial(out), run.child);
        run.child.kill(signal);
        const { code } = await run.closed;
        assert.equal(code, 2, run.stderr());
        assert.match(run.stderr(), /snapshot cancelled; nothing was saved/);
        assert.deepEqual(await leftovers(out), []);
      });
    }

    it('a second Ctrl+C exits at once and still leaves no partial folder', async () => {
      const out = path.join(tmp(), 'snap');
      const run = background(server, out);
      await until('the partial folder exists', () => hasPartial(out), run.child);
      run.child.kill('SIGINT');
      await until('the first Ctrl+C was seen', () => run.stderr().includes('cancelling'), run.child);
      run.child.kill('SIGINT');
      await run.closed;
      assert.deepEqual(await leftovers(out), []);
    });

    it('a partial folder left by a killed run is removed by the next run', async () => {
      const out = path.join(tmp(), 'snap');
      const run = background(server, out);
      await until('the partial folder exists', () => hasPartial(out), run.child);
      run.child.kill('SIGKILL');
      await run.closed;
      assert.ok(await hasPartial(out), 'SIGKILL leaves the partial folder behind');
      const healthy = await serveSample();
      try {
        const r = await dynrule(['snapshot', '--endpoint', healthy.url, '--out', out], { env: { DYNRULE_GRAPH_TOKEN: healthy.token } });
        assert.equal(r.code, 0, r.stderr);
      } finally {
        await healthy.close();
      }
      assert.deepEqual(await leftovers(out), ['snap']);
    });
  });
});
