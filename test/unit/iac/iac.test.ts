import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { escapeFor, extractRules, type HostString, type Issue } from '../../../grammar/src/index';
import { checkHostFile } from '../../../server/src/iac';

const FIXTURES = 'test/fixtures/iac';

function dynrule(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['dist/cli.js', ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

interface Checked { file: string; code: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } }
/** `file line:col-line:col code`, 1-based as editors show it. */
const show = (i: Checked): string =>
  `${path.basename(i.file)} ${i.range.start.line + 1}:${i.range.start.character + 1}-${i.range.end.line + 1}:${i.range.end.character + 1} ${i.code}`;

/** Applies edits (host offsets) to a text. */
function apply(text: string, edits: readonly { span: { start: number; end: number }; newText: string }[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.span.start - a.span.start)) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}

describe('rules inside Terraform, Bicep and Microsoft365DSC files', () => {
  it('check <dir> reports each finding at the line and column of the host file, escapes included', () => {
    const r = dynrule('check', FIXTURES, '--format', 'json');
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as Checked[]).map(show), [
      'groups.bicep 18:89-18:103 type/unknown-property',
      'groups.bicep 30:9-30:86 perf/or-chain',
      'groups.bicep 40:41-40:54 iac/template-in-rule',
      'groups.tf 19:51-19:65 type/unknown-property',
      'groups.tf 29:28-29:34 syntax/typographic-quote',
      'groups.tf 38:38-38:55 iac/template-in-rule',
      // After \" and $${ escapes: `\"true\"` spans eight characters of the host for six of the rule.
      'groups.tf 47:87-47:95 type/quoted-boolean',
      'M365TenantConfig.ps1 14:84-14:98 type/unknown-property',
      'M365TenantConfig.ps1 23:90-23:96 type/quoted-boolean',
      'M365TenantConfig.ps1 29:48-29:53 iac/template-in-rule',
      'M365TenantConfig.ps1 37:8-37:22 type/unknown-property',
    ]);
    const text = dynrule('check', FIXTURES);
    // no-groups.tf holds no azuread_group: it is not counted and reports nothing.
    assert.match(text.stdout, /^3 files checked: 5 errors, 5 warnings, 1 info\.$/m);
    assert.match(text.stdout, /^test\/fixtures\/iac\/groups\.tf:19:51: error type\/unknown-property: /m);
  });

  it('a folder whose host files hold no group rules has nothing to check (exit 2)', () => {
    const d = mkdtempSync(path.join(tmpdir(), 'dynrule-iac-'));
    writeFileSync(path.join(d, 'main.tf'), 'resource "azurerm_resource_group" "rg" { name = "x" }\n');
    const r = dynrule('check', d);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no \.dynrule files \(nor \.tf, \.bicep or \.ps1 files with group rules\)/);
  });

  it('takes the display name as the group, decoded', () => {
    const names = (file: string): (string | undefined)[] => {
      const f = path.join(FIXTURES, file);
      return extractRules(f, readFileSync(f, 'utf8')).map((r) => r.groupName);
    };
    assert.deepEqual(names('groups.tf'), ['Sales "EMEA"', 'Engineers', 'Templated', 'Cost ${centre}']);
    assert.deepEqual(names('groups.bicep'), ["Sales 'EMEA'", 'Cities', 'Interpolated']);
    assert.deepEqual(names('M365TenantConfig.ps1'), ['Sales "EMEA"', 'Managers', 'No manager', 'Here']);
    assert.deepEqual(names('no-groups.tf'), []);
  });

  describe('decoding', () => {
    for (const [file, text, rule] of [
      ['a.tf', 'resource "azuread_group" "g" {\n dynamic_membership {\n rule = "a\\\\b \\"q\\" \\u00e9 \\U0001F600 $${x} %%{y} $ %"\n }\n}', 'a\\b "q" é 😀 ${x} %{y} $ %'],
      ['a.tf', 'resource "azuread_group" "g" {\n  dynamic_membership {\n    rule = <<EOT\n  x \\n "y"\n$${z}\nEOT\n  }\n}', '  x \\n "y"\n${z}\n'],
      ['a.tf', 'resource "azuread_group" "g" {\n  dynamic_membership {\n    rule = <<-EOT\n      a\n        b\n\n      c\n    EOT\n  }\n}', 'a\n  b\n\nc\n'],
      ['a.tf', '# resource "azuread_group" "x" {\n/* dynamic_membership { rule = "no" } */\nresource "azuread_group" "g" { // c\n  dynamic_membership { rule = "yes" }\n}', 'yes'],
      ['a.bicep', "resource g 'Microsoft.Graph/groups@v1.0' = {\n  membershipRule: 'a\\'b \\\\ \\$x \\u{e9} \\t'\n}", "a'b \\ $x é \t"],
      ['a.bicep', "resource g 'Microsoft.Graph/groups@beta' = {\n  membershipRule: '''\r\nline 'one'\n\\n two'''\n}", "line 'one'\n\\n two"],
      ['a.ps1', 'AADGroup G {\n  MembershipRule = "a ""q"" `"r`" `` `$x `n `u{e9} $ "\n}', 'a "q" "r" ` $x \n é $ '],
      ['a.ps1', "AADGroup 'G' {\n  MembershipRule = 'a ''q'' `n $x'\n}", "a 'q' `n $x"],
      ['a.ps1', 'aadgroup "G" {\n  membershiprule = @"\n  "q" `$x\n"@\n}', '  "q" $x'],
      ['a.ps1', "AADGroup G {\n  MembershipRule = @'\n$x `n 'q'\n'@\n}", "$x `n 'q'"],
    ] as const) {
      it(`${file}: ${JSON.stringify(rule)}`, () => {
        const [r, ...more] = extractRules(file, text);
        assert.equal(more.length, 0);
        assert.deepEqual(r!.problems, []);
        assert.equal(r!.rule, rule);
        // Every character maps to where it is written: plain characters to themselves.
        for (let n = 0; n < r!.rule.length; n++) {
          const h = r!.mapOffset(n);
          assert.ok(h >= r!.hostRange.start && h < r!.hostRange.end, `${n} → ${h}`);
          if (/[a-z]/.test(r!.rule[n]!) && text[h - 1] !== '\\' && text[h - 1] !== '`') assert.equal(text[h], r!.rule[n], `${n} → ${h}`);
          assert.equal(r!.mapOffset(r!.unmapOffset(h)!), h);
        }
      });
    }

    it('reports broken strings with their position and never throws on any input', () => {
      const broken = extractRules('a.tf', 'resource "azuread_group" "g" {\n dynamic_membership {\n rule = "user.city -eq \\"x\n }\n}');
      assert.equal(broken[0]?.problems[0]?.code, 'iac/unterminated-string');
      assert.equal(extractRules('a.bicep', "resource g 'Microsoft.Graph/groups@v1.0' = { membershipRule: 'a \\q' }")[0]?.problems[0]?.code, 'iac/invalid-escape');
      // An escaped control character is a finding at the escape, and never reaches a message or a group name.
      const esc = 'resource "azuread_group" "g" {\n  display_name = "Red\\u001b[31m"\n  dynamic_membership { rule = "user.city -eq \\u001b[31m" }\n}';
      const [withEsc] = extractRules('a.tf', esc);
      assert.deepEqual(withEsc!.problems.map((p) => [p.code, esc.slice(p.span.start, p.span.end)]), [['iac/control-character', '\\u001b']]);
      assert.equal(withEsc!.groupName, undefined);
      assert.deepEqual(checkHostFile('a.tf', esc)[0]!.issues.map((i) => i.code), ['iac/control-character']);
      const garbage = fc.stringMatching(/^[a-zA-Z "'`$%{}()=\\<#@\n\r\t\-:*/]*$/);
      fc.assert(fc.property(garbage, fc.constantFrom('a.tf', 'a.bicep', 'a.ps1'), (tail, file) => {
        const heads: Record<string, string> = {
          'a.tf': 'resource "azuread_group" "g" { dynamic_membership { rule = ',
          'a.bicep': "resource g 'Microsoft.Graph/groups@v1.0' = { membershipRule: ",
          'a.ps1': 'AADGroup G { MembershipRule = ',
        };
        for (const r of checkHostFile(file, heads[file]! + tail)) {
          for (const i of r.issues) assert.ok(i.span.start >= 0 && i.span.end >= i.span.start);
        }
      }), { numRuns: 300 });
    });

    it('scans a large file in linear time', () => {
      const block = 'resource "azuread_group" "g" {\n  display_name = "G"\n  dynamic_membership {\n    enabled = true\n    rule = "user.city -eq \\"Oslo\\""\n  }\n}\n';
      const big = block.repeat(20_000) + 'resource "azuread_group" "open" { dynamic_membership { rule = "user.city';
      const started = process.hrtime.bigint();
      const rules = extractRules('big.tf', big);
      assert.equal(rules.length, 20_001);
      assert.equal(rules.at(-1)!.problems[0]!.code, 'iac/unterminated-string');
      // A generous bound: a quadratic scan would take minutes.
      assert.ok(Number(process.hrtime.bigint() - started) / 1e9 < 20);
    });
  });

  describe('escapeFor writes text that the host decodes back to it', () => {
    const hosts: Record<HostString, [file: string, wrap: (escaped: string) => string]> = {
      'hcl-quoted': ['a.tf', (e) => `resource "azuread_group" "g" {\n  dynamic_membership {\n    rule = "${e}"\n  }\n}\n`],
      'hcl-heredoc': ['a.tf', (e) => `resource "azuread_group" "g" {\n  dynamic_membership {\n    rule = <<EOT\n${e}\nEOT\n  }\n}\n`],
      'bicep-quoted': ['a.bicep', (e) => `resource g 'Microsoft.Graph/groups@v1.0' = {\n  membershipRule: '${e}'\n}\n`],
      'bicep-multiline': ['a.bicep', (e) => `resource g 'Microsoft.Graph/groups@v1.0' = {\n  membershipRule: '''${e}'''\n}\n`],
      'powershell-double': ['a.ps1', (e) => `AADGroup G {\n  MembershipRule = "${e}"\n}\n`],
      'powershell-single': ['a.ps1', (e) => `AADGroup G {\n  MembershipRule = '${e}'\n}\n`],
      'powershell-here-double': ['a.ps1', (e) => `AADGroup G {\n  MembershipRule = @"\n${e}\n"@\n}\n`],
      'powershell-here-single': ['a.ps1', (e) => `AADGroup G {\n  MembershipRule = @'\n${e}\n'@\n}\n`],
    };
    // What the host cannot hold in that kind of string: a line that closes it, or the closer itself.
    const fits: Record<HostString, (s: string) => boolean> = {
      'hcl-quoted': () => true,
      'hcl-heredoc': (s) => !s.split('\n').some((l) => l.trim() === 'EOT') && !s.includes('\r'),
      'bicep-quoted': () => true,
      'bicep-multiline': (s) => !s.includes("'") && !/^\r?\n/.test(s),
      'powershell-double': () => true,
      'powershell-single': () => true,
      'powershell-here-double': (s) => !/(^|\n)["\u201C\u201D\u201E]@/.test(s) && !s.includes('\r'),
      'powershell-here-single': (s) => !/(^|\n)['\u2018\u2019\u201A\u201B]@/.test(s) && !s.includes('\r'),
    };
    for (const [quoting, [file, wrap]] of Object.entries(hosts) as [HostString, (typeof hosts)[HostString]][]) {
      it(quoting, () => {
        const text = fc.stringMatching(/^[a-z "'`$%{}\\\n\t“”‘’.-]*$/);
        fc.assert(fc.property(text, (s) => {
          fc.pre(fits[quoting](s));
          const [r] = extractRules(file, wrap(escapeFor(quoting, s)));
          assert.equal(r?.quoting, quoting);
          assert.deepEqual(r.problems.map((p: Issue) => p.code), []);
          // Heredocs and here-strings end with the line break before their closer.
          assert.equal(r.rule, quoting === 'hcl-heredoc' ? `${s}\n` : s);
        }), { numRuns: 300 });
      });
    }
  });

  describe('quick fixes edit the host text with its escaping', () => {
    for (const [file, text, fixed] of [
      ['a.tf', 'resource "azuread_group" "g" {\n  dynamic_membership {\n    rule = "user.city -eq “Oslo”"\n  }\n}', 'user.city -eq "Oslo"'],
      ['a.bicep', "resource g 'Microsoft.Graph/groups@v1.0' = {\n  membershipRule: 'user.city -eq ‘Oslo’'\n}", "user.city -eq 'Oslo'"],
      ['a.ps1', 'AADGroup G {\n  MembershipRule = "user.city -eq `“Oslo`”"\n}', 'user.city -eq "Oslo"'],
      ['a.ps1', "AADGroup G {\n  MembershipRule = 'user.city -eq “Oslo”'\n}", 'user.city -eq "Oslo"'],
      ['a.tf', 'resource "azuread_group" "g" {\n  dynamic_membership {\n    rule = "user.departmnt -eq \\"$${x}\\""\n  }\n}', 'user.department -eq "${x}"'],
    ] as const) {
      it(`${file}: ${fixed}`, () => {
        const [checked] = checkHostFile(file, text);
        const fix = checked!.issues.find((i) => i.fixes?.length)!.fixes![0]!;
        const after = apply(text, fix.edits);
        const [again] = checkHostFile(file, after);
        assert.equal(again!.rule.rule, fixed, after);
      });
    }
  });
});
