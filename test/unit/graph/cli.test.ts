import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { GraphServer } from '../../support/graphServer';
import { leftovers, SAMPLE, serveSample, tmp } from './helpers';
import { dynrule as runCli, ensureBuilt, type Run } from '../robustness/helpers';

/** The bundled CLI as users run it, with no token of the environment's (the test server answers from this process). */
const dynrule = (args: string[], env: Record<string, string>): Promise<Run> => runCli(args, { env: { DYNRULE_GRAPH_TOKEN: '', ...env } });

/** dist/cli.js, rebuilt when a source it bundles is newer (npm test builds it anyway). */
const LICENSE_GROUP = 'LIC - Microsoft 365 E3';

describe('live tenant: CLI', function () {
  this.timeout(30_000);
  let server: GraphServer;
  let rules: string;

  before(async () => {
    ensureBuilt();
    server = await serveSample();
    rules = tmp();
    // The E3 group's rule without its department exclusion: licenses move.
    await fs.writeFile(path.join(rules, 'e3.dynrule'), `# @group "${LICENSE_GROUP}"\nuser.userType -eq "Member" -and user.accountEnabled -eq true\n`);
  });
  after(async () => {
    assert.deepEqual([...new Set(server.requests.map((r) => r.method))], ['GET'], 'the CLI sent only GET requests');
    await server.close();
  });

  const tokenIn = (r: Run): boolean => [server.token].some((t) => r.stdout.includes(t) || r.stderr.includes(t));

  it('snapshot writes a folder that preview reads, with the same result as the sample tenant', async () => {
    const out = path.join(tmp(), 'contoso');
    const r = await dynrule(['snapshot', '--endpoint', server.url, '--out', out, '--rules', rules], { DYNRULE_GRAPH_TOKEN: server.token, DYNRULE_DEBUG: '1' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /full read: 400 users, 80 devices, 1 groups, 11 SKUs/);
    assert.ok(!tokenIn(r), 'no token on stdout or stderr, even with DYNRULE_DEBUG=1');
    assert.match(r.stderr, /\[debug\] GET \/v1\.0\/users\?/, 'the debug log ran');

    // The sample's snapshot.json has no countryLetterCode; Graph's organization does (US), and the
    // preview uses it for users without a usageLocation. Compare with the sample given the same.
    const withCountry = tmp();
    for (const f of await fs.readdir(SAMPLE)) await fs.copyFile(path.join(SAMPLE, f), path.join(withCountry, f));
    const meta = JSON.parse(await fs.readFile(path.join(SAMPLE, 'snapshot.json'), 'utf8')) as Record<string, unknown>;
    await fs.writeFile(path.join(withCountry, 'snapshot.json'), JSON.stringify({ ...meta, countryLetterCode: 'US' }));

    const rule = path.join(rules, 'e3.dynrule');
    const live = await dynrule(['preview', rule, '--tenant', out, '--format', 'json'], {});
    const fromSample = await dynrule(['preview', rule, '--tenant', withCountry, '--format', 'json'], {});
    assert.equal(live.code, 0, live.stderr);
    const [a, b] = [JSON.parse(live.stdout) as Record<string, unknown>, JSON.parse(fromSample.stdout) as Record<string, unknown>];
    assert.ok((a['added'] as string[]).length > 0, 'the preview has people to add');
    for (const k of ['group', 'before', 'after', 'added', 'removed', 'licenses', 'errors']) assert.deepEqual(a[k], b[k], k);
    assert.ok(!(a['errors'] as { reason: string }[]).some((e) => e.reason === 'NoUsageLocation'), 'the tenant country is the default usage location');
  });

  it('a second snapshot into the same folder reads only the changes', async () => {
    const own = await serveSample();
    try {
      const out = path.join(tmp(), 'again');
      const env = { DYNRULE_GRAPH_TOKEN: own.token };
      assert.equal((await dynrule(['snapshot', '--endpoint', own.url, '--out', out], env)).code, 0);
      own.mutate({ users: 10 });
      const r = await dynrule(['snapshot', '--endpoint', own.url, '--out', out, '--format', 'json'], env);
      assert.equal(r.code, 0, r.stderr);
      const j = JSON.parse(r.stdout) as { mode: string; changes: { users: { updated: number } } };
      assert.equal(j.mode, 'delta');
      assert.equal(j.changes.users.updated, 10);
    } finally {
      await own.close();
    }
  });

  it('fails with exit 2, one line, no token and nothing saved when Graph rejects the token', async () => {
    const out = path.join(tmp(), 'never');
    server.addFault({ kind: 'expire-token', match: '/v1.0/users?', nth: 2 });
    const old = server.token;
    const r = await dynrule(['snapshot', '--endpoint', server.url, '--out', out], { DYNRULE_GRAPH_TOKEN: old, DYNRULE_DEBUG: '1' });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /dynrule: snapshot failed: .*DYNRULE_GRAPH_TOKEN.*nothing was saved/);
    assert.ok(!r.stderr.includes(old) && !r.stdout.includes(old) && !tokenIn(r));
    assert.deepEqual(await leftovers(out), []);
  });

  it('--tenant live fetches into the cache, says where and how old, and reuses it', async () => {
    const cache = tmp();
    const env = { DYNRULE_GRAPH_TOKEN: server.token, DYNRULE_GRAPH_ENDPOINT: server.url, XDG_CACHE_HOME: cache };
    const rule = 'user.department -eq "Sales"';
    const first = await dynrule(['eval', '--rule', rule, '--tenant', 'live', '--format', 'json'], env);
    assert.equal(first.code, 0, first.stderr);
    const sample = await dynrule(['eval', '--rule', rule, '--tenant', SAMPLE, '--format', 'json'], {});
    assert.deepEqual((JSON.parse(first.stdout) as { members: string[] }).members.sort(), (JSON.parse(sample.stdout) as { members: string[] }).members.sort());
    const tenantId = (JSON.parse(await fs.readFile(path.join(SAMPLE, 'snapshot.json'), 'utf8')) as { tenantId: string }).tenantId;
    const dir = path.join(cache, 'dynrule', tenantId);
    assert.match(first.stderr, new RegExp(`live tenant Contoso: snapshot ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, taken just now`));
    assert.equal((await fs.stat(dir)).mode & 0o777, 0o700);
    assert.equal((await fs.stat(path.join(cache, 'dynrule'))).mode & 0o777, 0o700);
    assert.ok(!tokenIn(first));

    const before = server.requests.length;
    const second = await dynrule(['explain', '--rule', rule, '--tenant', 'live', '--user', 'ashley.miller@contoso.com'], env);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, /cached snapshot .*, taken \d+ s ago/);
    assert.equal(server.requests.length, before, 'a fresh cache is used without asking Graph');

    const third = await dynrule(['preview', path.join(rules, 'e3.dynrule'), '--tenant', 'live', '--endpoint', server.url], { ...env, DYNRULE_GRAPH_ENDPOINT: '', DYNRULE_LIVE_MAX_AGE: '0' });
    assert.equal(third.code, 0, third.stderr);
    assert.match(third.stderr, /refreshed with changes only/);
    assert.match(third.stdout, new RegExp(LICENSE_GROUP), 'the rule\'s @group was fetched for the preview');
    assert.ok(server.requests.slice(before).some((r) => r.url.startsWith('/v1.0/users/delta?$deltatoken=')));
  });

  it('test --tenant live runs rule tests against the live tenant', async () => {
    const dir = tmp();
    await fs.writeFile(path.join(dir, 'it.dynrule'), 'user.department -eq "IT"\n');
    await fs.writeFile(path.join(dir, 'it.ruletests.json'), JSON.stringify({
      rule: 'it.dynrule',
      cases: [{ name: 'the CIO', user: 'ashley.miller@contoso.com', expect: 'member' }, { name: 'the CEO', user: 'thomas.green@contoso.com', expect: 'notMember' }],
    }));
    const r = await dynrule(['test', dir, '--tenant', 'live', '--reporter', 'json'], { DYNRULE_GRAPH_TOKEN: server.token, DYNRULE_GRAPH_ENDPOINT: server.url, XDG_CACHE_HOME: tmp() });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stderr, /live tenant Contoso: snapshot /);
  });

  it('check --tenant live checks the groups a folder of rules names against the live tenant', async () => {
    const dir = tmp();
    await fs.writeFile(path.join(dir, 'known.dynrule'), `# @group "${LICENSE_GROUP}"\nuser.userType -eq "Member"\n`);
    await fs.writeFile(path.join(dir, 'unknown.dynrule'), '# @group "LIC - Microsoft 365 E4"\nuser.userType -eq "Member"\n');
    const r = await dynrule(['check', dir, '--tenant', 'live', '--format', 'json'], { DYNRULE_GRAPH_TOKEN: server.token, DYNRULE_GRAPH_ENDPOINT: server.url, XDG_CACHE_HOME: tmp() });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stderr, /live tenant Contoso: snapshot /);
    const issues = JSON.parse(r.stdout) as { file: string; code: string; message: string }[];
    assert.deepEqual(issues.map((i) => [path.basename(i.file), i.code]), [['unknown.dynrule', 'directive/unknown-group']]);
    assert.match(issues[0]!.message, new RegExp(`did you mean "${LICENSE_GROUP}"`));
  });

  it('stops on Ctrl+C without waiting for the answer, and saves nothing', async () => {
    const slow = await serveSample({ faults: [{ kind: 'slow', match: '/v1.0/users?', delayMs: 20_000, times: Infinity }] });
    try {
      const out = path.join(tmp(), 'interrupted');
      const child = spawn(process.execPath, ['dist/cli.js', 'snapshot', '--endpoint', slow.url, '--out', out], { env: { ...process.env, DYNRULE_GRAPH_TOKEN: slow.token }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      while (!slow.requests.some((q) => q.url.startsWith('/v1.0/users?'))) await new Promise((r) => setTimeout(r, 20));
      const t0 = Date.now();
      child.kill('SIGINT');
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      assert.ok(Date.now() - t0 < 5000, `exited after ${Date.now() - t0} ms (the server answers after 20 s)`);
      assert.equal(code, 2);
      assert.match(stderr, /snapshot cancelled; nothing was saved/);
      assert.deepEqual(await leftovers(out), []);
    } finally {
      await slow.close();
    }
  });

  it('documents the national clouds in snapshot --help', async () => {
    const r = await dynrule(['snapshot', '--help'], {});
    for (const host of ['graph.microsoft.us', 'dod-graph.microsoft.us', 'microsoftgraph.chinacloudapi.cn']) assert.ok(r.stdout.includes(host), host);
  });
});
