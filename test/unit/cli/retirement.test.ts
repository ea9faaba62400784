/**
 * memberOf's retirement (3 November 2026, UTC) through the real CLI, on the sample tenant: `check`
 * makes a memberOf rule an error from that date, `preview` keeps the group's members as they are
 * and says why, and `eval` still shows whom the rule selects. `--now` stands on either side of the
 * date; without it the clock decides (it is after the date).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

function dynrule(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['dist/cli.js', ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const TENANT = 'samples/tenant/contoso';
const BEFORE = '2026-11-02T23:59:59Z';
const AT = '2026-11-03T00:00:00Z';
/** The sample tenant's memberOf group (44 members) and the executives' static group (11). */
const FROZEN_GROUP = 'a64ec69e-69ce-4426-904c-3f3b565820ce';
const EXECUTIVES = 'fac7738f-5390-4d53-901e-44890023a1e6';

/** A memberOf rule for the memberOf group that selects other people than its members: the executives. */
function ruleFile(): string {
  const f = path.join(mkdtempSync(path.join(tmpdir(), 'dynrule-retired-')), 'executives.dynrule');
  writeFileSync(f, `# The executives, for the leadership site\n# @group "${FROZEN_GROUP}"\nuser.memberOf -any (group.objectId -in ['${EXECUTIVES}'])\n`);
  return f;
}

interface Preview { before: number; after: number; added: string[]; removed: string[]; unknown: string[]; notes: string[]; frozen: boolean; licenses: unknown[] }

describe('dynrule and memberOf\'s retirement', () => {
  const file = ruleFile();

  it('check: an error rule/member-of-retired from the date (the clock, or --now), an info before', () => {
    for (const now of [[], ['--now', AT]]) {
      const r = dynrule('check', file, '--format', 'json', ...now);
      assert.equal(r.code, 1, r.stderr);
      const issues = JSON.parse(r.stdout) as { code: string; severity: string; message: string; range: { start: { line: number } } }[];
      assert.deepEqual(issues.map((i) => [i.severity, i.code, i.range.start.line]), [['error', 'rule/member-of-retired', 2]]);
      assert.match(issues[0]!.message, /since 3 November 2026 .* stays in its last known state\. Replace it with a rule on user properties .* or convert the group to assigned membership\./);
    }
    const before = dynrule('check', file, '--format', 'json', '--now', BEFORE);
    assert.equal(before.code, 0, before.stderr);
    assert.deepEqual((JSON.parse(before.stdout) as { code: string }[]).map((i) => i.code), ['rule/member-of-preview']);
  });

  it('check: --now must be a date', () => {
    const r = dynrule('check', file, '--now', 'soon');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^dynrule: --now must be an ISO 8601 date-time \(got "soon"\)\n$/);
    // A day the calendar does not have is refused, not rolled over into the next month (which
    // would move 2026-11-31 past memberOf's retirement); so is a five-digit year without its sign.
    for (const bad of ['2026-02-30', '2026-11-31', '99999-01-01']) {
      const refused = dynrule('check', file, '--now', bad);
      assert.equal(refused.code, 2, bad);
      assert.match(refused.stderr, new RegExp(`^dynrule: --now must be an ISO 8601 date-time \\(got "${bad}"\\)\n$`));
    }
    assert.equal(dynrule('check', file, '--now', '2028-02-29T12:00:00+01:00').code, 1);
  });

  it('preview: before the date the rule moves members; from it nobody joins or leaves, and the notes say why', () => {
    const run = (now: string[]): Preview => {
      const r = dynrule('preview', file, '--tenant', TENANT, '--format', 'json', ...now);
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout) as Preview;
    };
    const before = run(['--now', BEFORE]);
    assert.equal(before.frozen, false);
    assert.equal(before.before, 44);
    assert.equal(before.after, 11);
    assert.ok(before.added.length > 0 && before.removed.length > 0);
    for (const after of [run(['--now', AT]), run([])]) {
      assert.equal(after.frozen, true);
      assert.deepEqual([after.before, after.after, after.added, after.removed, after.unknown], [44, 44, [], [], []]);
      assert.ok(after.notes.some((n) => /memberOf rules stopped updating on 3 November 2026: this group keeps its last known members, so nobody joins or leaves/.test(n)), after.notes.join('\n'));
    }
    const text = dynrule('preview', file, '--tenant', TENANT, '--now', AT);
    assert.match(text.stdout, /^Members {3}44 → 44 {2}\(\+0 −0\) {3}frozen: memberOf is retired \(see the notes\)$/m);
    assert.match(text.stdout, /^ {2}- memberOf rules stopped updating on 3 November 2026/m);
  });

  it('eval and explain still show whom the rule selects, with the retirement as a note', () => {
    const r = dynrule('eval', file, '--tenant', TENANT, '--format', 'json', '--now', AT);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { count: number }).count, 11);
    assert.match(r.stderr, /^dynrule: note: .*executives\.dynrule:3:1: rule\/member-of-retired: memberOf is retired/m);
    const x = dynrule('explain', file, '--tenant', TENANT, '--user', 'thomas.green@contoso.com', '--format', 'json');
    assert.equal(x.code, 0, x.stderr);
    assert.equal((JSON.parse(x.stdout) as { result: unknown }).result, true);
  });

  it('preview: Direct Reports holds the manager; a manager the tenant lacks is a warning with the id', () => {
    const cfo = JSON.parse(dynrule('preview', 'samples/rules/cfo-direct-reports.dynrule', '--tenant', TENANT, '--format', 'json').stdout) as Preview & { warnings: { code: string }[] };
    assert.equal(cfo.after, 3);
    assert.ok(cfo.added.includes('5b7b60ac-2673-4242-baa3-7c3a0aeb992f'));
    assert.deepEqual(cfo.warnings, []);
    const f = path.join(mkdtempSync(path.join(tmpdir(), 'dynrule-reports-')), 'gone.dynrule');
    writeFileSync(f, '# The team of someone who left\nDirect Reports for "c0a70500-0000-4000-8000-000000000101"\n');
    const gone = JSON.parse(dynrule('preview', f, '--tenant', TENANT, '--format', 'json').stdout) as Preview & { warnings: { code: string; message: string }[] };
    assert.equal(gone.after, 0);
    assert.deepEqual(gone.warnings.map((w) => [w.code, w.message]), [['rule/unknown-manager', 'The tenant contoso has no user c0a70500-0000-4000-8000-000000000101: this Direct Reports rule selects nobody.']]);
  });

  it('the sample rules stay clean today: the memberOf ones now show their replacement', () => {
    const r = dynrule('check', 'samples/rules');
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, / 0 errors, 0 warnings/);
  });
});
