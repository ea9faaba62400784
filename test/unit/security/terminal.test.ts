/**
 * Tenant data printed to a terminal cannot act on it: a display name such as
 * `Mallory\u001b[1A\u001b[2K\r` (cursor up, erase the line) would erase the line above it in a
 * review list. Every command of the bundled CLI, in every format, on stdout and stderr, prints it
 * as escapes — and JSON output still parses to the very same values. The language server sends
 * the editor the same data escaped, in every answer, notification and log line.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { TenantInfo } from '../../../protocol/src/protocol';
import { startHarness, type Harness } from '../../support/lsp';
import { dynrule, ensureBuilt, tmp } from '../robustness/helpers';

/** Characters a terminal acts on or that hide or reorder text; only the line feed may be printed. */
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/;

const MALLORY = {
  id: 'a0000000-0000-4000-8000-000000000001',
  displayName: 'Mallory\u001b[1A\u001b[2K\r',
  userPrincipalName: 'mallory\u202e@contoso.com',
  department: 'Sales\u009b2J',
  jobTitle: 'Boss\nFake User <ceo@contoso.com>',
  accountEnabled: true,
};
const RULE = 'user.department -startsWith "Sales"';

function assertPrintable(what: string, text: string): void {
  const m = UNSAFE.exec(text);
  assert.equal(m, null, `${what} printed U+${m?.[0].charCodeAt(0).toString(16).padStart(4, '0')} raw: ${JSON.stringify(text.slice(Math.max(0, (m?.index ?? 0) - 40), (m?.index ?? 0) + 40))}`);
}

describe('security: tenant data printed by the CLI is printable', function () {
  this.timeout(60_000);
  let dir: string;
  let tenant: string;
  before(() => {
    ensureBuilt();
    dir = tmp('dynrule-terminal-');
    tenant = path.join(dir, 'tenant');
    mkdirSync(tenant);
    writeFileSync(path.join(tenant, 'users.json'), JSON.stringify([MALLORY, { id: 'b0000000-0000-4000-8000-000000000002', displayName: 'Bob', department: 'HR' }]));
    writeFileSync(path.join(tenant, 'groups.json'), JSON.stringify([{ id: 'c0000000-0000-4000-8000-000000000003', displayName: 'Sales\u001b]8;;http://x\u0007team', membershipRule: RULE, members: [] }]));
    writeFileSync(path.join(dir, 'sales.dynrule'), `# @group "c0000000-0000-4000-8000-000000000003"\n${RULE}\n`);
    writeFileSync(path.join(dir, 'sales.ruletests.json'), JSON.stringify({ rule: 'sales.dynrule', tenant: 'tenant', cases: [{ name: 'mallory\u001b[2K', user: MALLORY.id, expect: 'notMember' }] }));
  });

  const commands = (): [string, string[]][] => [
    ['eval', ['eval', path.join(dir, 'sales.dynrule'), '--tenant', tenant]],
    ['explain', ['explain', path.join(dir, 'sales.dynrule'), '--tenant', tenant, '--user', MALLORY.id]],
    ['preview', ['preview', path.join(dir, 'sales.dynrule'), '--tenant', tenant, '--explain']],
    ['test', ['test', dir]],
  ];

  it('eval, explain, preview, test: as text, with the data written as escapes', async () => {
    for (const [name, args] of commands()) {
      const r = await dynrule(args);
      assert.ok(r.code === 0 || r.code === 1, `${name}: ${r.stderr}`);
      assertPrintable(`${name} (stdout)`, r.stdout);
      assertPrintable(`${name} (stderr)`, r.stderr);
      if (name !== 'test') assert.ok(r.stdout.includes('Mallory\\u001b[1A\\u001b[2K\\u000d'), `${name}: ${r.stdout}`);
    }
  });

  it('eval, explain, preview: JSON output is printable and parses to the same values', async () => {
    for (const [name, args] of commands().filter(([n]) => n !== 'test')) {
      const r = await dynrule([...args, '--format', 'json']);
      assert.equal(r.code, 0, `${name}: ${r.stderr}`);
      assertPrintable(`${name} --format json`, r.stdout);
      const parsed = JSON.parse(r.stdout) as Record<string, unknown>;
      if (name === 'eval') assert.deepEqual(parsed['members'], [MALLORY.id]);
      if (name === 'explain') assert.equal((parsed['trace'] as { value: string }).value, MALLORY.department);
    }
    for (const reporter of ['json', 'junit']) {
      const r = await dynrule(['test', dir, '--reporter', reporter]);
      assert.equal(r.code, 1, r.stderr);
      assertPrintable(`test --reporter ${reporter}`, r.stdout);
      if (reporter === 'json') assert.equal((JSON.parse(r.stdout) as { files: { cases: { name: string }[] }[] }).files[0]!.cases[0]!.name, 'mallory\u001b[2K');
    }
  });

  it('messages on stderr (no such user, rule file content in check messages) are printable', async () => {
    const missing = await dynrule(['explain', '--rule', RULE, '--tenant', tenant, '--user', 'eve\u001b[2K\r@contoso.com']);
    assert.equal(missing.code, 2);
    assertPrintable('explain --user (stderr)', missing.stderr);
    assert.match(missing.stderr, /eve\\u001b\[2K\\u000d@contoso\.com/);
    const hostile = path.join(dir, 'hostile.dynrule');
    writeFileSync(hostile, 'user.departmen\u001b[2Kt -eq "x\u001b[1A"\n');
    for (const format of ['text', 'json']) {
      const r = await dynrule(['check', hostile, '--format', format]);
      assert.equal(r.code, 1, r.stderr);
      assertPrintable(`check --format ${format}`, r.stdout);
    }
  });
});

/** Every string in an answer, except text meant for the document or handed back to the server. */
function assertPrintableDeep(what: string, value: unknown, at = ''): void {
  if (typeof value === 'string') {
    const m = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/.exec(value);
    assert.equal(m, null, `${what}${at}: ${JSON.stringify(value)}`);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [k, v] of Object.entries(value)) {
    assertPrintableDeep(what, k, `${at} (key)`);
    if (!['newText', 'insertText', 'filterText', 'data', 'arguments'].includes(k)) assertPrintableDeep(what, v, `${at}.${k}`);
  }
}

describe('security: tenant data the language server sends the editor is printable', function () {
  this.timeout(60_000);
  let h: Harness;
  let dir: string;
  before(async () => {
    dir = tmp('dynrule-editor-');
    const tenant = path.join(dir, 'tenant');
    mkdirSync(tenant);
    writeFileSync(path.join(tenant, 'users.json'), JSON.stringify([MALLORY, { id: 'b0000000-0000-4000-8000-000000000002', displayName: 'Bob', department: 'HR' }]));
    writeFileSync(path.join(tenant, 'groups.json'), JSON.stringify([{ id: 'c0000000-0000-4000-8000-000000000003', displayName: 'Sales\u001b]8;;http://x\u0007team', membershipRule: RULE, members: [] }]));
    writeFileSync(path.join(tenant, 'snapshot.json'), JSON.stringify({ tenantName: 'Contoso\u001b[2J\u202e' }));
    writeFileSync(path.join(dir, 'sales.dynrule'), `${RULE}\n`);
    writeFileSync(path.join(dir, 'sales.ruletests.json'), JSON.stringify({ rule: 'sales.dynrule', tenant: 'tenant', cases: [{ name: 'mallory\u001b[2K', user: MALLORY.id, expect: 'notMember' }] }));
    h = await startHarness();
    const info = await h.client.sendRequest<TenantInfo>('dynrule/selectTenant', { selection: { kind: 'folder', path: tenant } });
    assert.equal(info.state, 'ready', info.error);
    assertPrintableDeep('selectTenant', info);
    assert.equal(info.label, 'Contoso\\u001b[2J\\u202e');
  });
  after(() => h?.close());

  it('code lens, preview data, explain, inlay hints, completion, hover, search, rule tests, diagnostics, logs', async () => {
    const text = `# @group "c0000000-0000-4000-8000-000000000003"\n${RULE} -or user.department -eq "`;
    const uri = await h.open('sales.dynrule', text);
    const end = { line: 1, character: text.split('\n')[1]!.length };
    const answers: [string, unknown][] = [
      ['codeLens', await h.client.sendRequest('textDocument/codeLens', { textDocument: { uri } })],
      ['inlayHint', await h.client.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end } })],
      ['completion', await h.client.sendRequest('textDocument/completion', { textDocument: { uri }, position: end })],
      ['hover', await h.client.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 7 } })],
      ['search', await h.client.sendRequest('dynrule/searchObjects', { uri, query: 'Mallory' })],
      ['tests', await h.client.sendRequest('dynrule/runRuleTests', { files: [path.join(dir, 'sales.ruletests.json')] })],
      ['diagnostics', await h.diagnostics(uri)],
    ];
    await h.change(uri, `# @group "c0000000-0000-4000-8000-000000000003"\n${RULE}`);
    answers.push(['preview', await h.client.sendRequest('dynrule/preview', { uri })]);
    answers.push(['explain', await h.client.sendRequest('dynrule/explain', { uri, objectId: MALLORY.id })]);
    answers.push(['logs', h.logs]);
    for (const [what, answer] of answers) assertPrintableDeep(what, answer);
    // The data is there, escaped.
    const seen = JSON.stringify(answers.map(([, a]) => a));
    for (const escaped of ['Mallory\\\\u001b[1A\\\\u001b[2K\\\\u000d', 'Sales\\\\u009b2J', 'Sales\\\\u001b]8;;http://x\\\\u0007team']) {
      assert.ok(seen.includes(escaped), `${escaped} not in the answers`);
    }
    const completion = answers.find(([w]) => w === 'completion')![1] as { items: { label: string; insertText?: string; textEdit?: { newText: string } }[] };
    const item = completion.items.find((i) => i.label.startsWith('Sales\\u009b2J'));
    assert.ok(item, completion.items.map((i) => i.label).join(' | '));
  });
});
