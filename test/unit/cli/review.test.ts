import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import MarkdownIt from 'markdown-it';

const CLI = path.resolve('dist/cli.js');
const TENANT = path.resolve('samples/tenant/contoso');

interface User { id: string; department?: string | null; city?: string | null; accountEnabled?: boolean; jobTitle?: string | null; userType?: string | null }
const users = ((): User[] => {
  const raw = JSON.parse(readFileSync(path.join(TENANT, 'users.json'), 'utf8')) as User[] | { value: User[] };
  return Array.isArray(raw) ? raw : raw.value;
})();
/** Ids of the users a plain JavaScript predicate selects: the expectation, written apart from the engine. */
const ids = (p: (u: User) => boolean): string[] => users.filter(p).map((u) => u.id).sort();
const is = (v: string | null | undefined, want: string): boolean => (v ?? '').toLowerCase() === want.toLowerCase();

function run(cwd: string, command: string, ...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: cwd } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
const git = (cwd: string, ...args: string[]): void => {
  const r = run(cwd, 'git', '-c', 'user.email=ci@example.com', '-c', 'user.name=CI', '-c', 'commit.gpgsign=false', ...args);
  assert.equal(r.code, 0, r.stderr);
};
const dynrule = (cwd: string, ...args: string[]) => run(cwd, process.execPath, CLI, ...args);

const write = (dir: string, file: string, text: string): void => {
  mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  writeFileSync(path.join(dir, file), text);
};

const TF = (rule: string): string => `resource "azuread_group" "analysts" {
  display_name     = "LIC - Power BI Pro (Analysts)"
  security_enabled = true
  dynamic_membership {
    enabled = true
    rule    = "${rule}"
  }
}
`;

interface Reviewed {
  file: string; status: string; resource?: string; group: string | null; before: number | null; after: number | null;
  added: string[]; removed: string[]; current: { members: number; added: string[]; removed: string[] } | null;
  findings: { code: string; severity: string; line: number; character: number }[]; removedPercent: number;
}

describe('dynrule review', () => {
  let repo: string;
  before(() => {
    repo = mkdtempSync(path.join(tmpdir(), 'dynrule-review-'));
    git(repo, 'init', '-q');
    write(repo, 'rules/sales.dynrule', '# @group "Sales - All"\nuser.department -eq "Sales"\n');
    write(repo, 'rules/finance.dynrule', '# @group "LIC - Power BI Pro (Finance)"\nuser.department -eq "Finance" -and user.accountEnabled -eq true\n');
    write(repo, 'rules/unchanged.dynrule', 'user.city -eq "Oslo"\n');
    write(repo, 'infra/groups.tf', TF('user.jobTitle -contains \\"Analyst\\" -and user.userType -eq \\"Member\\"'));
    write(repo, 'README.md', 'not a rule\n');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'base');
    // The change under review: one rule modified, one added (not even staged), one deleted, one IaC rule modified.
    write(repo, 'rules/sales.dynrule', '# @group "Sales - All"\nuser.department -in ["Sales", "Marketing"]\n');
    write(repo, 'rules/seattle.dynrule', 'user.city -eq "Seattle"\n');
    rmSync(path.join(repo, 'rules/finance.dynrule'));
    write(repo, 'infra/groups.tf', TF('user.jobTitle -contains \\"Analyst\\" -and user.userType -eq \\"Member\\" -and user.accountEnabled -eq true'));
    write(repo, 'README.md', 'still not a rule\n');
  });
  after(() => rmSync(repo, { recursive: true, force: true }));

  it('reports each added, modified and deleted rule with the members that join and leave', () => {
    const r = dynrule(repo, 'review', '--base', 'HEAD', '--tenant', TENANT, '--format', 'json');
    assert.equal(r.code, 0, r.stderr);
    const { rules } = JSON.parse(r.stdout) as { rules: Reviewed[] };
    assert.deepEqual(rules.map((x) => [x.file, x.status]), [
      ['infra/groups.tf', 'modified'],
      ['rules/finance.dynrule', 'deleted'],
      ['rules/sales.dynrule', 'modified'],
      ['rules/seattle.dynrule', 'added'],
    ]);
    const [tf, finance, sales, seattle] = rules as [Reviewed, Reviewed, Reviewed, Reviewed];

    // Modified: the rule at the base against the rule now.
    const salesBefore = ids((u) => is(u.department, 'Sales'));
    const marketing = ids((u) => is(u.department, 'Marketing'));
    assert.ok(marketing.length > 0);
    assert.equal(sales.before, salesBefore.length);
    assert.equal(sales.after, salesBefore.length + marketing.length);
    assert.deepEqual([...sales.added].sort(), marketing);
    assert.deepEqual(sales.removed, []);
    // … and against the group's members today.
    assert.equal(sales.group, '0f5894b7-bfb9-4bc9-bcf7-e65d009e1a31');
    assert.equal(sales.current!.members, 80);

    // Added: everyone the rule selects joins a group that does not exist.
    const seattleIds = ids((u) => is(u.city, 'Seattle'));
    assert.equal(seattle.before, 0);
    assert.equal(seattle.after, seattleIds.length);
    assert.deepEqual([...seattle.added].sort(), seattleIds);
    assert.equal(seattle.current, null);

    // Deleted: everyone the old rule selected leaves.
    const financeIds = ids((u) => is(u.department, 'Finance') && u.accountEnabled === true);
    assert.equal(finance.before, financeIds.length);
    assert.equal(finance.after, 0);
    assert.deepEqual([...finance.removed].sort(), financeIds);
    assert.equal(finance.removedPercent, 100);

    // A rule inside Terraform, matched by its resource's display name.
    assert.equal(tf.resource, 'LIC - Power BI Pro (Analysts)');
    assert.equal(tf.group, '32f4c432-0146-4647-be0e-8ebcd1408ee8');
    const analysts = (u: User): boolean => (u.jobTitle ?? '').toLowerCase().includes('analyst') && is(u.userType, 'Member');
    assert.deepEqual([...tf.removed].sort(), ids((u) => analysts(u) && u.accountEnabled !== true));
    assert.deepEqual(tf.added, []);
  });

  it('writes Markdown for a pull-request comment: one summary table, then a folded block per rule', () => {
    const r = dynrule(repo, 'review', '--base', 'HEAD', '--tenant', TENANT, '--format', 'markdown');
    assert.equal(r.code, 0, r.stderr);
    const tokens = new MarkdownIt({ html: true }).parse(r.stdout, {});
    assert.equal(tokens.filter((t) => t.type === 'table_open').length, 1, 'exactly one table');
    const firstTable = tokens.findIndex((t) => t.type === 'table_open');
    const firstDetails = tokens.findIndex((t) => t.type === 'html_block' && t.content.startsWith('<details>'));
    assert.ok(firstTable >= 0 && firstTable < firstDetails, 'the table comes before the details');
    // The table: a header and one row per rule.
    const rows = tokens.filter((t) => t.type === 'tr_open').length;
    assert.equal(rows, 1 + 4);
    // Details blocks: each opens with a summary and closes, none nested.
    const html = tokens.filter((t) => t.type === 'html_block').map((t) => t.content.trim());
    let open = 0;
    let blocks = 0;
    for (const h of html) {
      if (h.startsWith('<details>')) {
        assert.equal(open, 0, 'nested details');
        assert.match(h, /^<details>\n<summary>[^<]*<\/summary>$/);
        open++;
        blocks++;
      } else if (h === '</details>') {
        assert.equal(open, 1, 'a </details> without its <details>');
        open--;
      }
    }
    assert.equal(open, 0);
    assert.equal(blocks, 4);
    // Long lists are cut with a count.
    const seattle = ids((u) => is(u.city, 'Seattle')).length;
    if (seattle > 20) assert.ok(r.stdout.includes(`- … and ${seattle - 20} more`));
    assert.ok(r.stdout.length < 60_000);
  });

  it('exits 1 when a change removes more than --max-removed-percent of a group, or a rule has errors', () => {
    const limited = dynrule(repo, 'review', '--base', 'HEAD', '--tenant', TENANT, '--max-removed-percent', '50');
    assert.equal(limited.code, 1, limited.stderr);
    assert.match(limited.stdout, /removes 100% of the group \(limit 50%\)/);
    // Only the paths asked for: the Sales change removes no one.
    assert.equal(dynrule(repo, 'review', '--base', 'HEAD', 'rules/sales.dynrule', '--tenant', TENANT, '--max-removed-percent', '50').code, 0);

    write(repo, 'rules/broken.dynrule', 'user.departmnt -eq "x"\n');
    try {
      const broken = dynrule(repo, 'review', '--base', 'HEAD', 'rules/broken.dynrule', '--tenant', TENANT, '--format', 'json');
      assert.equal(broken.code, 1);
      const [rule] = (JSON.parse(broken.stdout) as { rules: Reviewed[] }).rules;
      assert.deepEqual(rule!.findings.map((f) => [f.code, f.line, f.character]), [['type/unknown-property', 1, 1]]);
      assert.equal(rule!.after, null);
    } finally {
      rmSync(path.join(repo, 'rules/broken.dynrule'));
    }
  });

  for (const [what, args, pattern] of [
    ['no --base', ['review', '--tenant', TENANT], /give --base/],
    ['a ref that looks like an option', ['review', '--base=--output=/tmp/x', '--tenant', TENANT], /is not a git ref/],
    ['a ref that does not exist', ['review', '--base', 'no-such-branch', '--tenant', TENANT], /"no-such-branch" is not a commit/],
    ['a bad limit', ['review', '--base', 'HEAD', '--tenant', TENANT, '--max-removed-percent', 'ten'], /--max-removed-percent must be a number/],
  ] as const) {
    it(`exits 2 with one line for ${what}`, () => {
      const r = dynrule(repo, ...args);
      assert.equal(r.code, 2, r.stdout);
      assert.match(r.stderr, pattern);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    });
  }

  it('exits 2 outside a git repository', () => {
    const d = mkdtempSync(path.join(tmpdir(), 'dynrule-norepo-'));
    const r = dynrule(d, 'review', '--base', 'HEAD', '--tenant', TENANT);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^dynrule: review: .*git/i);
  });
});

describe('review Markdown with hostile names', () => {
  it('keeps names from the tenant and file names as text: one table, no HTML, no broken cells', async () => {
    const { reviewMarkdown } = await import('../../../server/src/review/report');
    const hostile = ['a | b', '<img src=x onerror=alert(1)>', '**bold** _it_ `code`', '- not a list', '1. not a list', 'ESC\u001b[31m red', 'two\nlines', '[link](http://x)'];
    const rule = {
      file: 'rules/a|b <x>.dynrule', status: 'modified' as const, group: 'id', groupName: hostile[0]!, type: 'user' as const,
      before: 8, after: 8, added: hostile.map((_, i) => `u${i}`), removed: [], current: null, licenses: [], errors: [],
      findings: [{ severity: 'error' as const, code: 'type/x', message: hostile[1]!, line: 1, character: 1 }], notes: [hostile[2]!], removedPercent: 0,
    };
    const md = reviewMarkdown({ base: 'main', tenant: 'contoso|<b>', rules: [rule] }, (id) => hostile[Number(id.slice(1))]!);
    const tokens = new MarkdownIt({ html: true }).parse(md, {});
    assert.equal(tokens.filter((t) => t.type === 'table_open').length, 1);
    // Eight columns in every row.
    const cells = tokens.reduce<number[]>((rows, t) => {
      if (t.type === 'tr_open') rows.push(0);
      if (t.type === 'th_open' || t.type === 'td_open') rows[rows.length - 1]!++;
      return rows;
    }, []);
    assert.deepEqual(cells, [8, 8]);
    const inline = tokens.flatMap((t) => t.children ?? []);
    assert.deepEqual(inline.filter((t) => t.type === 'html_inline' && !/^<\/?(summary|code)>$/.test(t.content)).map((t) => t.content), []);
    assert.equal(inline.filter((t) => t.type === 'link_open').length, 0);
    assert.equal(inline.filter((t) => t.type === 'em_open' || t.type === 'code_inline').length, 0);
    // Bold: the headline (a rule failed) and the Findings, Joins and Notes titles; never a name.
    assert.equal(inline.filter((t) => t.type === 'strong_open').length, 4);
    const text = inline.filter((t) => t.type === 'text').map((t) => t.content).join('\n');
    for (const literal of ['a | b', '**bold** _it_ `code`', '- not a list', '1. not a list', '[link](http://x)', '<img src=x onerror=alert(1)>']) {
      assert.ok(text.includes(literal), `${literal} reads as written`);
    }
    assert.doesNotMatch(md, /\u001b/);
    // Joins: one list of eight items, none nested.
    assert.equal(tokens.filter((t) => t.type === 'bullet_list_open').length, 3);
    assert.equal(tokens.filter((t) => t.type === 'ordered_list_open').length, 0);
  });
});
