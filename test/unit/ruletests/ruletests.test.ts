import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseRuleTestFile, RuleTestFileError } from '../../../server/src/ruletests/file';
import { jsonReport, junitReport, specReport } from '../../../server/src/ruletests/report';
import { runRuleTests } from '../../../server/src/ruletests/run';
import { user, writeTenant } from '../../support/tenant';

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dynrule-tests-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

const tenant = (): string => writeTenant({
  users: [
    user('a', { displayName: 'Ann', userPrincipalName: 'ann@contoso.com', department: 'Sales' }),
    user('b', { displayName: 'Ben', userPrincipalName: 'ben@contoso.com', department: 'Support' }),
    user('c', { displayName: 'Cy <script>', userPrincipalName: 'cy@contoso.com', department: 'Sales', accountEnabled: false }),
  ],
});

function rejects(text: string, line: number, column: number, pattern: RegExp): void {
  assert.throws(() => parseRuleTestFile('x.ruletests.json', text), (e: unknown) => {
    assert.ok(e instanceof RuleTestFileError);
    assert.match(e.reason, pattern);
    assert.deepEqual([e.line, e.column], [line, column]);
    return true;
  });
}

describe('rule test files', () => {
  it('point at the problem: bad JSON, missing fields, bad expectations, duplicates', () => {
    rejects('{"rule": "a.dynrule", "cases": [\n  {"name": "x", "user": "a", "expect": "member"},\n  {"name": "y" "user": "b"}]}', 3, 16, /invalid JSON: expected ',' or '}'/);
    rejects('{"cases": []}', 1, 1, /"rule" must name the rule file/);
    rejects('{"rule": "a.dynrule", "cases": [\n  {"name": "x", "user": "a", "expect": "yes"}]}', 2, 40, /"expect" must be "member" or "notMember"/);
    rejects('{"rule": "a.dynrule", "cases": [{"name": "x", "user": "a", "expect": "member"},\n {"name": "x", "user": "b", "expect": "member"}]}', 2, 11, /two cases are named "x"/);
    rejects('{"rule": "a.dynrule", "cases": [{"name": "x", "user": "a", "device": "d", "expect": "member"}]}', 1, 33, /exactly one of "user" or "device"/);
    rejects('{"rule": "a.dynrule", "tenat": "t", "cases": []}', 1, 32, /unknown property "tenat"/);
    rejects('{"rule": "a.dynrule", "count": {"min": -1}, "cases": []}', 1, 40, /"count.min" must be a whole number/);
  });

  it('resolve the rule and tenant against the test file and keep case positions', () => {
    const tf = parseRuleTestFile('/w/rules/x.ruletests.json', '{"rule": "a.dynrule", "tenant": "../tenant",\n "cases": [\n  {"name": "n", "user": {"department": "Sales"}, "expect": "member"}]}');
    assert.equal(tf.rule, '/w/rules/a.dynrule');
    assert.equal(tf.tenant, '/w/tenant');
    assert.equal(tf.cases[0]!.kind, 'user');
    assert.equal(tf.text.slice(tf.cases[0]!.span.start, tf.cases[0]!.span.start + 9), '{"name": ');
  });
});

describe('rule test runner', () => {
  it('passes and fails cases, with the trace of each failure and the line of its case', async () => {
    const t = tenant();
    const dir = project({
      'sales.dynrule': '# Sales\nuser.department -eq "Sales" -and user.accountEnabled -eq true\n',
      'sales.ruletests.json': JSON.stringify({
        rule: 'sales.dynrule', tenant: t,
        cases: [
          { name: 'Ann is in', user: 'ann@contoso.com', expect: 'member' },
          { name: 'Ben is out', user: 'b', expect: 'notMember' },
          { name: 'Cy is in (wrong: disabled)', user: 'cy@contoso.com', expect: 'member' },
          { name: 'inline user, fields left out are empty', user: { department: 'sales', accountEnabled: true }, expect: 'member' },
          { name: 'inline user without department', user: { accountEnabled: true }, expect: 'notMember' },
          { name: 'nobody', user: 'zed@contoso.com', expect: 'member' },
        ],
      }, null, 1),
    });
    const r = await runRuleTests([path.join(dir, 'sales.ruletests.json')]);
    assert.equal(r.passed, 4);
    assert.equal(r.failed, 2);
    const cases = r.files[0]!.cases;
    const cy = cases.find((c) => c.name.startsWith('Cy'))!;
    assert.equal(cy.actual, 'notMember');
    assert.equal(cy.message, 'expected member, got notMember');
    assert.equal(cy.subject, 'Cy <script> <cy@contoso.com>');
    assert.equal(cy.line, 15);
    assert.deepEqual(cy.trace!.children.map((c) => [c.expression, c.result]), [['user.department -eq "Sales"', true], ['user.accountEnabled -eq true', false]]);
    const nobody = cases.find((c) => c.name === 'nobody')!;
    assert.equal(nobody.actual, 'error');
    assert.match(nobody.message!, /no user "zed@contoso\.com"/);
  });

  it('count the manager of a Direct Reports rule as a member, and run a retired memberOf rule all the same', async () => {
    const manager = 'aaaaaaaa-0000-4000-8000-000000000001';
    const group = 'bbbbbbbb-0000-4000-8000-000000000001';
    const t = writeTenant({
      users: [
        user(manager, { userPrincipalName: 'boss@contoso.com', manager: null, memberOf: [group] }),
        user('r', { userPrincipalName: 'report@contoso.com', manager: { id: manager }, memberOf: [] }),
        user('o', { userPrincipalName: 'other@contoso.com', manager: { id: 'r' }, memberOf: [] }),
      ],
    });
    const dir = project({
      'team.dynrule': `# The boss's team\nDirect Reports for "${manager}"\n`,
      'team.ruletests.json': JSON.stringify({
        rule: 'team.dynrule', tenant: t, count: { min: 2, max: 2 },
        cases: [
          { name: 'the manager is in', user: 'boss@contoso.com', expect: 'member' },
          { name: 'a direct report is in', user: 'report@contoso.com', expect: 'member' },
          { name: 'an indirect report is out', user: 'other@contoso.com', expect: 'notMember' },
          { name: 'an inline manager is in', user: { id: manager }, expect: 'member' },
        ],
      }),
      'old.dynrule': `# Members of the old group\nuser.memberOf -any (group.objectId -in ['${group}'])\n`,
      'old.ruletests.json': JSON.stringify({ rule: 'old.dynrule', tenant: t, cases: [{ name: 'the boss is selected', user: 'boss@contoso.com', expect: 'member' }] }),
    });
    const r = await runRuleTests([path.join(dir, 'team.ruletests.json'), path.join(dir, 'old.ruletests.json')], { now: Date.parse('2026-12-01T00:00:00Z') });
    assert.deepEqual(r.files.map((f) => f.error), [undefined, undefined]);
    // Four cases and the count of the first file, one case of the second.
    assert.deepEqual([r.passed, r.failed], [6, 0]);
    assert.deepEqual([r.files[0]!.count!.actual, r.files[0]!.count!.passed], [2, true]);
  });

  it('checks member count bounds over the tenant', async () => {
    const t = tenant();
    const dir = project({
      'r.dynrule': 'user.department -eq "Sales"',
      'ok.ruletests.json': JSON.stringify({ rule: 'r.dynrule', tenant: t, count: { min: 2, max: 2 }, cases: [] }),
      'bad.ruletests.json': JSON.stringify({ rule: 'r.dynrule', tenant: t, count: { max: 1 }, cases: [] }),
    });
    const r = await runRuleTests([path.join(dir, 'ok.ruletests.json'), path.join(dir, 'bad.ruletests.json')]);
    assert.deepEqual(r.files.map((f) => [f.count!.actual, f.count!.passed]), [[2, true], [2, false]]);
  });

  it('turns a broken rule, a missing tenant or a missing rule file into a file error', async () => {
    const dir = project({
      'broken.dynrule': 'user.department -eq',
      'a.ruletests.json': JSON.stringify({ rule: 'broken.dynrule', cases: [{ name: 'x', user: { department: 'a' }, expect: 'member' }] }),
      'b.ruletests.json': JSON.stringify({ rule: 'missing.dynrule', cases: [] }),
      'ok.dynrule': 'user.department -eq "Sales"',
      'c.ruletests.json': JSON.stringify({ rule: 'ok.dynrule', cases: [{ name: 'x', user: 'ann@contoso.com', expect: 'member' }] }),
    });
    const r = await runRuleTests(['a', 'b', 'c'].map((n) => path.join(dir, `${n}.ruletests.json`)));
    assert.equal(r.errors, 3);
    assert.match(r.files[0]!.error!.message, /the rule broken\.dynrule has errors \(broken\.dynrule:1:17 syntax\/missing-value/);
    assert.match(r.files[1]!.error!.message, /the rule file missing\.dynrule cannot be read/);
    assert.match(r.files[2]!.error!.message, /there is no "tenant" folder/);
  });

  it('reports as spec text, JSON and JUnit XML (escaped)', async () => {
    const t = tenant();
    const dir = project({
      'r.dynrule': 'user.department -eq "Sales" -and user.accountEnabled -eq true',
      'r.ruletests.json': JSON.stringify({ rule: 'r.dynrule', tenant: t, cases: [
        { name: 'Ann', user: 'a', expect: 'member' },
        { name: 'Cy & co', user: 'c', expect: 'member' },
      ] }),
    });
    const r = await runRuleTests([path.join(dir, 'r.ruletests.json')]);
    const spec = specReport(r).join('\n');
    assert.match(spec, /✓ Ann\n/);
    assert.match(spec, /✗ Cy & co {2}\[.*r\.ruletests\.json:1\]\n {6}Cy <script> <cy@contoso\.com>: expected member, got notMember\n {6}✗ user\.department/);
    assert.match(spec, /1 passed, 1 failed$/);
    const json = JSON.parse(jsonReport(r)) as { passed: number; failed: number; files: { cases: { name: string; passed: boolean; trace?: unknown }[] }[] };
    assert.equal(json.passed, 1);
    assert.equal(json.files[0]!.cases[1]!.passed, false);
    assert.ok(json.files[0]!.cases[1]!.trace);
    const xml = junitReport(r);
    assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="dynrule" tests="2" failures="1" errors="0">/);
    assert.match(xml, /<testcase classname="[^"]*r\.ruletests\.json" name="Ann" time="[\d.]+"\/>/);
    assert.match(xml, /<testcase classname="[^"]*" name="Cy &amp; co" time="[\d.]+"><failure message="expected member, got notMember" type="assertion">Cy &lt;script&gt; &lt;cy@contoso\.com&gt;: expected member/);
    assert.doesNotMatch(xml, /<script>/);
  });

  it('dynrule test exits 0 when all pass, 1 on a failing case, 2 on a broken file', () => {
    const t = tenant();
    const dir = project({
      'r.dynrule': 'user.department -eq "Sales"',
      'pass.ruletests.json': JSON.stringify({ rule: 'r.dynrule', tenant: t, cases: [{ name: 'Ann', user: 'a', expect: 'member' }] }),
      'fail.ruletests.json': JSON.stringify({ rule: 'r.dynrule', tenant: t, cases: [{ name: 'Ben', user: 'b', expect: 'member' }] }),
      'broken.ruletests.json': '{"rule": ',
    });
    const run = (...args: string[]) => spawnSync(process.execPath, ['dist/cli.js', 'test', ...args], { encoding: 'utf8' });
    const pass = run(path.join(dir, 'pass.ruletests.json'));
    assert.equal(pass.status, 0, pass.stdout + pass.stderr);
    assert.match(pass.stdout, /1 passed, 0 failed\n$/);
    const fail = run(path.join(dir, 'pass.ruletests.json'), path.join(dir, 'fail.ruletests.json'), '--reporter', 'junit');
    assert.equal(fail.status, 1);
    assert.match(fail.stdout, /<testsuites name="dynrule" tests="2" failures="1" errors="0">/);
    const broken = run(dir);
    assert.equal(broken.status, 2);
    assert.match(broken.stderr, /^dynrule: .*broken\.ruletests\.json:1:10: invalid JSON: expected a value but found the end of the file/);
  });
});
