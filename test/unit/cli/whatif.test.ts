/**
 * `dynrule whatif` as scripts run it: dist/cli.js spawned on the sample tenant and its samples.
 * The JSON keeps the shape the README promises; every problem of every changes file is on stderr
 * with its place, exit 2 and no report; the Markdown parses.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import MarkdownIt from 'markdown-it';

const CLI = path.resolve('dist/cli.js');
const TENANT = 'samples/tenant/contoso';
const NOW = '2026-12-04T00:00:00Z';
const dynrule = (...args: string[]): { code: number | null; stdout: string; stderr: string } => {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

interface Report {
  users: { user: string; change: string; joined: string[]; left: string[]; gained: string[]; lost: string[]; accountEnabled: boolean | null }[];
  groups: { id: string; displayName: string; before: number | null; after: number | null; added: string[]; removed: string[]; ruleFile?: string }[];
  licenses: { skuId: string; skuPartNumber: string; gained: number; lost: number; available: number; shortfall: number }[];
  errors: { user: string; skuId: string; reason: string }[];
  summary: { newUsers: number; seatsShort: number };
}

const users = (JSON.parse(readFileSync(`${TENANT}/users.json`, 'utf8')) as { value: Record<string, unknown>[] }).value;
const groupsJson = (JSON.parse(readFileSync(`${TENANT}/groups.json`, 'utf8')) as { value: { id: string; displayName: string; membershipRule?: string; groupTypes: string[]; members: string[] }[] }).value;

describe('dynrule whatif', () => {
  it('JSON: the README shape, every dynamic group and unit listed, counts that add up', () => {
    const r = dynrule('whatif', '--tenant', TENANT, '--changes', 'samples/changes/new-hires.csv', '--now', NOW, '--format', 'json');
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as Report;
    assert.equal(report.users.length, 10);
    for (const u of report.users) assert.deepEqual(Object.keys(u).slice(0, 2), ['user', 'change']);
    for (const key of ['user', 'change', 'joined', 'left', 'gained', 'lost']) assert.ok(key in report.users[0]!, key);
    const dynamicIds = groupsJson.filter((g) => g.groupTypes.includes('DynamicMembership')).map((g) => g.id);
    assert.deepEqual(report.groups.filter((g) => dynamicIds.includes(g.id)).map((g) => g.id), dynamicIds);
    for (const g of report.groups) {
      assert.equal(g.after, g.before! + g.added.length - g.removed.length, g.displayName);
      if (dynamicIds.includes(g.id)) assert.equal(g.before, groupsJson.find((x) => x.id === g.id)!.members.length);
    }
    // The blocked hire is disabled and in no licensing group.
    const sara = report.users.find((u) => u.user === 'sara.lindqvist@contoso.com')!;
    assert.equal(sara.accountEnabled, false);
    assert.deepEqual(sara.gained, []);
    const e3 = report.licenses.find((l) => l.skuPartNumber === 'SPE_E3')!;
    assert.equal(e3.gained, report.users.filter((u) => u.gained.includes(e3.skuId)).length);
    assert.equal(e3.available, 15);
    assert.equal(e3.shortfall, Math.max(0, e3.gained - e3.lost - e3.available));
  });

  it('the changes combine in order; a manager change joins the Direct Reports group', () => {
    const r = dynrule('whatif', '--tenant', TENANT, '--changes', 'samples/changes/hr-updates.csv', '--changes', 'samples/changes/reorg.json', '--now', NOW, '--format', 'json');
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as Report;
    const noah = users.find((u) => u['userPrincipalName'] === 'noah.baker@contoso.com')!;
    const leadership = groupsJson.find((g) => g.displayName === 'Engineering Leadership')!;
    assert.deepEqual(report.users.find((u) => u.user === noah['id'])!.joined, [leadership.id]);
    assert.deepEqual(report.users.map((u) => u.change).filter((c) => c !== 'changed'), ['deleted', 'new']);
  });

  it('every problem of every file with its place, exit 2, and no report on stdout', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dynrule-whatif-'));
    writeFileSync(path.join(dir, 'a.csv'), '\ufeffuserPrincipalName,departmnet\r\nana@contoso.com,Sales\r\n');
    writeFileSync(path.join(dir, 'b.json'), '[\n  {"user": "nobody@contoso.com", "delete": true},\n  {"create": {"userPrincipalName": "megan.allen@contoso.com"}}\n]');
    writeFileSync(path.join(dir, 'c.json'), '[{"user": "x@contoso.com" "set": {}}]');
    const r = dynrule('whatif', '--tenant', TENANT, '--changes', path.join(dir, 'a.csv'), '--changes', path.join(dir, 'c.json'), '--now', NOW);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    const lines = r.stderr.trimEnd().split('\n');
    assert.match(lines[0]!, /a\.csv:1:19: changes\/unknown-heading: column "departmnet": .*did you mean department\?/);
    assert.match(lines[1]!, /c\.json:1:27: changes\/invalid-json: /);
    assert.match(lines[2]!, /2 problems in the changes; nothing was evaluated/);
    // Problems that need the tenant: a user to delete it lacks, a new user it has.
    const t = dynrule('whatif', '--tenant', TENANT, '--changes', path.join(dir, 'b.json'));
    assert.equal(t.code, 2);
    assert.deepEqual(t.stderr.trimEnd().split('\n').map((l) => l.replace(/^.*b\.json:/, '')), [
      '2:3: changes/unknown-user: the tenant has no user nobody@contoso.com to delete',
      '3:36: changes/user-exists: the tenant already has a user megan.allen@contoso.com',
      'dynrule: whatif: 2 problems in the changes; nothing was evaluated',
    ]);
  });

  it('usage errors: no --changes, a bad --format, a missing tenant', () => {
    assert.equal(dynrule('whatif', '--tenant', TENANT).code, 2);
    assert.equal(dynrule('whatif', '--tenant', TENANT, '--changes', 'samples/changes/reorg.json', '--format', 'xml').code, 2);
    const r = dynrule('whatif', '--tenant', '/nonexistent', '--changes', 'samples/changes/reorg.json');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no such tenant folder/);
  });

  it('--rules: an edited rule file replaces its group\'s rule, together with the people changes', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dynrule-whatif-rules-'));
    mkdirSync(path.join(dir, 'rules'));
    writeFileSync(path.join(dir, 'rules', 'leadership.dynrule'), '# @group "Engineering Leadership"\nuser.jobTitle -startsWith "Director of Engineering"\n');
    const r = dynrule('whatif', '--tenant', TENANT, '--changes', 'samples/changes/hr-updates.csv', '--rules', path.join(dir, 'rules'), '--now', NOW, '--format', 'json');
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as Report;
    const g = report.groups.find((x) => x.displayName === 'Engineering Leadership')!;
    assert.ok(g.ruleFile?.endsWith('leadership.dynrule'));
    const directors = users.filter((u) => String(u['jobTitle'] ?? '').startsWith('Director of Engineering') && u['accountEnabled'] !== undefined).map((u) => u['id'] as string);
    const noah = users.find((u) => u['userPrincipalName'] === 'noah.baker@contoso.com')!['id'] as string;
    // Noah becomes a Director of Engineering in the changes; the manager himself is no director.
    const expected = new Set([...directors, noah]);
    const before = new Set(groupsJson.find((x) => x.id === g.id)!.members);
    assert.deepEqual(new Set(g.added), new Set([...expected].filter((id) => !before.has(id))));
    assert.deepEqual(new Set(g.removed), new Set([...before].filter((id) => !expected.has(id))));
    const broken = path.join(dir, 'broken');
    mkdirSync(broken);
    writeFileSync(path.join(broken, 'x.dynrule'), '# @group "Engineering Leadership"\nuser.department -gt "x"\n');
    assert.equal(dynrule('whatif', '--tenant', TENANT, '--changes', 'samples/changes/hr-updates.csv', '--rules', broken).code, 2);
  });

  it('Markdown parses into the tables, with names escaped', () => {
    const r = dynrule('whatif', '--tenant', TENANT, '--changes', 'samples/changes/hr-updates.csv', '--now', NOW, '--format', 'markdown');
    assert.equal(r.code, 0, r.stderr);
    const tokens = new MarkdownIt({ html: true }).parse(r.stdout, {});
    const tables = tokens.filter((t) => t.type === 'table_open').length;
    assert.equal(tables, 3, 'groups, licenses, people');
    const cells = tokens.filter((t) => t.type === 'inline').map((t) => t.content);
    assert.ok(cells.includes('LIC - Teams Phone (Customer Support, US and Canada)'));
    assert.ok(cells.some((c) => c.includes('MCOEV')));
  });

  it('text: control characters from the changes never reach the terminal', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dynrule-whatif-esc-'));
    writeFileSync(path.join(dir, 'h.json'), JSON.stringify([{ create: { userPrincipalName: 'eve@contoso.com', displayName: 'Eve\u001b[2J\u001b[31mRed', department: 'Sales', usageLocation: 'US' } }]));
    const r = dynrule('whatif', '--tenant', TENANT, '--changes', path.join(dir, 'h.json'), '--now', NOW);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stdout.includes('\u001b'));
    assert.match(r.stdout, /Eve\\u001b\[2J\\u001b\[31mRed <eve@contoso\.com>  new/);
  });
});
