/**
 * The editor and `dynrule check` report the same problems for the same file: the language
 * server (over a real protocol connection) and the bundled CLI, with and without a tenant.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { startHarnessWithFolder, type Harness } from '../../support/lsp';

const CONTOSO = path.resolve('samples/tenant/contoso');
const SEVERITY = ['', 'error', 'warning', 'info', 'info'];

interface Checked { range: Diagnostic['range']; severity: string; code: string; message: string }

function cliCheck(text: string, ...args: string[]): { code: number; issues: Checked[] } {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'dynrule-parity-')), 'rule.dynrule');
  writeFileSync(file, text);
  const r = spawnSync(process.execPath, ['dist/cli.js', 'check', file, '--format', 'json', ...args], { encoding: 'utf8' });
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  return { code: r.status!, issues: (JSON.parse(r.stdout) as (Checked & { file: string })[]).map(({ file: _f, ...i }) => i) };
}

const fromEditor = (ds: readonly Diagnostic[]): Checked[] =>
  ds.map((d) => ({ range: d.range, severity: SEVERITY[d.severity ?? 1]!, code: String(d.code), message: d.message }));
const byPlace = (a: Checked, b: Checked): number =>
  a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.code.localeCompare(b.code);

const RULES: Record<string, string> = {
  'an unknown SKU and plan': '# @licenses SPE_E9(-NOPE_PLAN)\nuser.department -eq "Sales"\n',
  'a group, a SKU and a plan the tenant lacks': '# @group "LIC - Microsoft 365 E4"\n# @licenses SPE_E3(-NOPE_PLAN), EMSPREMIUM\nuser.department -eq "Sales"\n',
  'a memberOf group the tenant lacks': `user.memberOf -any (group.objectId -in ['29ace8ad-3d4b-4d27-b08b-b90fe5aeb129', '00000000-0000-4000-8000-000000000001'])\n`,
  'a Direct Reports manager the tenant lacks': 'Direct Reports for "00000000-0000-4000-8000-000000000001"\n',
};

describe('editor and CLI report the same problems', () => {
  let h: Harness;
  before(async () => {
    h = await startHarnessWithFolder(CONTOSO, { settings: { diagnostics: { advice: true } } });
  });
  after(() => h.close());

  for (const [what, text] of Object.entries(RULES)) {
    it(`${what}: dynrule check --tenant gives exactly the editor's diagnostics`, async () => {
      const uri = await h.open('rule.dynrule', text);
      const editor = fromEditor((await h.diagnostics(uri)).diagnostics).sort(byPlace);
      const cli = cliCheck(text, '--tenant', CONTOSO).issues.sort(byPlace);
      assert.ok(editor.some((i) => /^(directive|rule)\/(unknown|sku-not)/.test(i.code)), `nothing about the tenant: ${editor.map((i) => i.code).join(', ')}`);
      assert.deepEqual(cli, editor);
    });
  }

  it('without --tenant, check still reports the SKU and plan names the licensing catalogue does not know', () => {
    const r = cliCheck(RULES['an unknown SKU and plan']!);
    assert.deepEqual(r.issues.map((i) => [i.code, i.range.start.line, i.range.start.character]), [
      ['directive/unknown-sku', 0, 12], ['directive/unknown-plan', 0, 20],
    ]);
    // Warnings: the contract's exit 0, and 1 with --strict.
    assert.equal(r.code, 0);
    assert.equal(cliCheck(RULES['an unknown SKU and plan']!, '--strict').code, 1);
  });

  it('the sample rules name only what the sample tenant has; a broken rule is not also told what is missing', () => {
    const r = spawnSync(process.execPath, ['dist/cli.js', 'check', 'samples/rules', '--tenant', CONTOSO], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, / checked: 0 errors, 0 warnings, /);
    // 51 unknown groups: the rule is wrong first for naming more than 50.
    const broken = cliCheck(readFileSync('samples/invalid/member-of-too-many-groups.dynrule', 'utf8'), '--tenant', CONTOSO).issues.map((i) => i.code);
    assert.ok(broken.includes('rule/member-of-too-many'));
    assert.ok(!broken.includes('rule/unknown-group'), broken.join(', '));
  });

  it('without --tenant, nothing is reported missing from a tenant it does not know', () => {
    for (const text of Object.values(RULES).slice(1)) {
      const codes = cliCheck(text).issues.map((i) => i.code);
      assert.deepEqual(codes.filter((c) => ['directive/unknown-group', 'directive/sku-not-in-tenant', 'rule/unknown-group', 'rule/unknown-manager'].includes(c)), [], text);
    }
  });
});
