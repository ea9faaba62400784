/**
 * `dynrule snapshot --all` as users run it (dist/cli.js against the Graph test server), and
 * `openTenant('live', { allDynamicGroups: true })`, which pull, audit and whatif use.
 */
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { resolveLiveTenant } from '../../../server/src/cli/snapshot';
import { openTenant } from '../../../server/src/cli/tenant';
import { dynamicTenant, unitId } from '../../support/dynamicTenant';
import { startGraphServer, type GraphServer } from '../../support/graphServer';
import { leftovers, tmp } from './helpers';
import { dynrule as runCli, ensureBuilt, type Run } from '../robustness/helpers';

/** The dynamic groups the server holds now (tests add some). */
const dynamicCount = (server: GraphServer): number => [...server.store.groups.values()].filter((g) => (g['groupTypes'] as string[]).includes('DynamicMembership')).length;

/** The bundled CLI as users run it, with no token of the environment's (the test server answers from this process). */
const dynrule = (args: string[], env: Record<string, string>): Promise<Run> => runCli(args, { env: { DYNRULE_GRAPH_TOKEN: '', ...env } });

describe('live tenant: snapshot --all (CLI)', function () {
  this.timeout(60_000);
  let server: GraphServer;

  before(async () => {
    ensureBuilt();
    const data = dynamicTenant({ users: 40, dynamicGroups: 75, assignedGroups: 10, units: 2 });
    data.others = [{ id: '00000000-0000-4000-f000-000000000001', '@odata.type': '#microsoft.graph.servicePrincipal' }];
    (data.groups[0]!['members'] as string[]).push('00000000-0000-4000-f000-000000000001');
    server = await startGraphServer({ data });
  });
  after(async () => {
    assert.deepEqual([...new Set(server.requests.map((r) => r.method))], ['GET'], 'only GET requests');
    await server.close();
  });

  it('is in the help', async () => {
    const r = await dynrule(['snapshot', '--help'], {});
    assert.equal(r.code, 0);
    assert.match(r.stdout, /\[--all\]/);
    assert.match(r.stdout, /--all\s+also every dynamic group and dynamic administrative unit/);
  });

  it('writes every dynamic group and unit, says what it read, and a second run refreshes by delta', async () => {
    const out = path.join(tmp(), 'all');
    const env = { DYNRULE_GRAPH_TOKEN: server.token };
    const r = await dynrule(['snapshot', '--all', '--endpoint', server.url, '--out', out], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /full read: 40 users, 2 devices, 75 groups, 2 dynamic administrative units, 0 SKUs/);
    assert.match(r.stderr, /warning: 1 member of 1 dynamic group is neither a user nor a device/);
    assert.ok(!r.stdout.includes(server.token) && !r.stderr.includes(server.token));
    const groups = (JSON.parse(await fs.readFile(path.join(out, 'groups.json'), 'utf8')) as { value: unknown[] }).value;
    assert.equal(groups.length, 75);
    const units = (JSON.parse(await fs.readFile(path.join(out, 'administrativeUnits.json'), 'utf8')) as { value: { id: string }[] }).value;
    assert.deepEqual(units.map((u) => u.id), [unitId(0), unitId(1)]);

    server.mutate({ createDynamicGroups: 2 });
    const again = await dynrule(['snapshot', '--endpoint', server.url, '--out', out, '--format', 'json'], env);
    assert.equal(again.code, 0, again.stderr);
    const j = JSON.parse(again.stdout) as { mode: string; counts: { groups: number; administrativeUnits: number }; changes: { groups: { added: number } } };
    assert.equal(j.mode, 'delta');
    assert.deepEqual([j.counts.groups, j.counts.administrativeUnits, j.changes.groups.added], [77, 2, 2], 'kept --all without asking again');
  });

  it('a failure leaves nothing behind and exits 2 with one line', async () => {
    const out = path.join(tmp(), 'never');
    server.addFault({ kind: 'html', match: '/v1.0/groups/delta?$filter' });
    const r = await dynrule(['snapshot', '--all', '--endpoint', server.url, '--out', out], { DYNRULE_GRAPH_TOKEN: server.token });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /dynrule: snapshot failed: GET \/v1\.0\/groups\/delta.*not JSON; nothing was saved/);
    assert.deepEqual(await leftovers(out), []);
  });

  it('openTenant(\'live\', { allDynamicGroups: true }) gives a snapshot with every dynamic group and unit', async () => {
    const saved = { ...process.env };
    const cache = tmp();
    Object.assign(process.env, { DYNRULE_GRAPH_TOKEN: server.token, DYNRULE_GRAPH_ENDPOINT: server.url, XDG_CACHE_HOME: cache, DYNRULE_LIVE_MAX_AGE: '600' });
    const write = process.stderr.write;
    const said: string[] = [];
    process.stderr.write = ((s: string) => { said.push(String(s)); return true; }) as typeof process.stderr.write;
    try {
      const plain = await openTenant('live', ['users', 'groups']);
      assert.equal(plain.groups!.length, 0, 'without the option, no group was asked for');
      const s = await openTenant('live', { allDynamicGroups: true });
      assert.equal(s.groups!.length, dynamicCount(server));
      assert.equal(s.administrativeUnits.length, 2);
      const before = server.requests.length;
      const again = await openTenant('live', { allDynamicGroups: true, only: ['groups', 'administrativeUnits'] });
      assert.equal(again.groups!.length, dynamicCount(server));
      assert.equal(server.requests.length, before, 'the fresh cache already has them');
    } finally {
      process.stderr.write = write;
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
    assert.ok(said.some((l) => /live tenant Dynamic Contoso: snapshot .*taken just now/.test(l)), said.join(''));
  });

  it('audit and pull with --tenant live read the whole tenant from Graph: every dynamic group and unit is audited and pulled', async () => {
    const env = { DYNRULE_GRAPH_TOKEN: server.token, XDG_CACHE_HOME: tmp() };
    const audit = await dynrule(['audit', '--tenant', 'live', '--endpoint', server.url, '--format', 'json'], env);
    assert.ok(audit.code === 0 || audit.code === 1, `${audit.code}: ${audit.stderr}`);
    const report = JSON.parse(audit.stdout) as { groups: { id: string; kind: string }[] };
    const units = report.groups.filter((g) => g.kind === 'administrativeUnit').map((g) => g.id);
    assert.deepEqual(units.sort(), [unitId(0), unitId(1)].sort());
    assert.equal(report.groups.length - units.length, dynamicCount(server), 'every dynamic group, nothing else');
    assert.ok(!audit.stdout.includes(server.token) && !audit.stderr.includes(server.token));
    const out = path.join(tmp(), 'pulled');
    const pull = await dynrule(['pull', '--tenant', 'live', '--endpoint', server.url, '--out', out, '--format', 'json'], env);
    assert.equal(pull.code, 0, pull.stderr);
    const pulled = JSON.parse(pull.stdout) as { written: { file: string; id: string }[] };
    assert.deepEqual(pulled.written.map((w) => w.id).sort(), report.groups.map((g) => g.id).sort());
    const files = (await fs.readdir(out)).filter((f) => f.endsWith('.dynrule'));
    assert.equal(files.length, report.groups.length);
  });

  it('--tenant live for audit (and pull, whatif) resolves to a cached snapshot with every dynamic group', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { DYNRULE_GRAPH_TOKEN: server.token, XDG_CACHE_HOME: tmp() });
    const err: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((t: string) => { err.push(String(t)); return true; }) as typeof process.stderr.write;
    try {
      const argv = await resolveLiveTenant('audit', ['--tenant', 'live', '--endpoint', server.url, '--format', 'json'], { out: () => undefined, err: (s) => err.push(s) }, {});
      assert.equal(argv.length, 4, 'live replaced by the folder, --endpoint taken out');
      assert.deepEqual([argv[0], argv[2], argv[3]], ['--tenant', '--format', 'json']);
      const s = await openTenant(argv[1], { only: ['groups', 'administrativeUnits'] });
      assert.equal(s.groups!.length, dynamicCount(server));
      assert.equal(s.administrativeUnits.length, 2);
      const untouched = await resolveLiveTenant('snapshot', ['--out', 'x'], { out: () => undefined, err: () => undefined }, {});
      assert.deepEqual(untouched, ['--out', 'x']);
    } finally {
      process.stderr.write = write;
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
    assert.ok(err.some((l) => /live tenant Dynamic Contoso/.test(l)), err.join('\n'));
    assert.ok(err.some((l) => /warning: 1 member of 1 dynamic group is neither a user nor a device/.test(l)), 'the warning reached stderr');
  });
});
