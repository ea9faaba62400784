import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import MarkdownIt from 'markdown-it';
import { startGraphServer, type GraphServer } from '../../support/graphServer';

/**
 * docs/ci.md cannot rot: every `dynrule …` line of its workflows runs here, as written, in a
 * repository with a pull request's worth of rule changes, against a Graph-compatible server
 * holding the sample tenant.
 */
const DOC = 'docs/ci.md';
const CLI = path.resolve('dist/cli.js');

/** The `dynrule` command lines of each YAML block, with the workflow's own quoting. */
function workflows(): { title: string; commands: string[] }[] {
  const md = new MarkdownIt();
  const tokens = md.parse(readFileSync(DOC, 'utf8'), {});
  const out: { title: string; commands: string[] }[] = [];
  let heading = '';
  tokens.forEach((t, i) => {
    if (t.type === 'heading_open') heading = tokens[i + 1]!.content;
    if (t.type === 'fence' && t.info.trim() === 'yaml') {
      const commands = t.content.split('\n')
        .map((l) => l.trim().replace(/^(?:-\s+)?(?:run|script):\s*/, ''))
        .filter((l) => l.startsWith('dynrule '));
      out.push({ title: heading, commands });
    }
  });
  return out;
}

const git = (cwd: string, ...args: string[]): string => {
  const r = spawnSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=CI', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
};
const write = (dir: string, file: string, text: string): void => {
  mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  writeFileSync(path.join(dir, file), text);
};

describe('docs/ci.md: the workflows run as written', () => {
  let graph: GraphServer;
  let bin: string;
  before(async () => {
    graph = await startGraphServer({ tenantDir: 'samples/tenant/contoso' });
    // `dynrule` on the PATH, as `npm install --global` leaves it.
    bin = mkdtempSync(path.join(tmpdir(), 'dynrule-bin-'));
    writeFileSync(path.join(bin, 'dynrule'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
    chmodSync(path.join(bin, 'dynrule'), 0o755);
  });
  after(async () => {
    await graph.close();
    rmSync(bin, { recursive: true, force: true });
  });

  const blocks = workflows();
  it('has a GitHub Actions and an Azure Pipelines workflow, each checking, testing, reviewing and reading the tenant', () => {
    assert.deepEqual(blocks.map((b) => b.title), ['GitHub Actions', 'Azure Pipelines']);
    for (const b of blocks) {
      const has = (re: RegExp): boolean => b.commands.some((c) => re.test(c));
      assert.ok(has(/^dynrule snapshot /), `${b.title}: snapshot`);
      assert.ok(has(/^dynrule check .*--format sarif/), `${b.title}: check --format sarif`);
      assert.ok(has(/^dynrule test .*--reporter junit/), `${b.title}: test --reporter junit`);
      assert.ok(has(/^dynrule review .*--format markdown/), `${b.title}: review --format markdown`);
    }
  });

  for (const block of blocks) {
    it(`${block.title}: every dynrule command succeeds on a pull request and writes its report`, async function () {
      this.timeout(120_000);
      const repo = mkdtempSync(path.join(tmpdir(), 'dynrule-ci-repo-'));
      const temp = mkdtempSync(path.join(tmpdir(), 'dynrule-ci-temp-'));
      try {
        git(repo, 'init', '-q', '-b', 'main');
        write(repo, 'rules/sales.dynrule', '# @group "Sales - All"\nuser.department -eq "Sales"\n');
        write(repo, 'rules/sales.ruletests.json', JSON.stringify({
          rule: 'sales.dynrule',
          cases: [
            { name: 'Sales stays in', user: 'zoe.smith@contoso.com', expect: 'member' },
            { name: 'Finance stays out', user: 'omar.baker@contoso.com', expect: 'notMember' },
          ],
        }, null, 2));
        write(repo, 'infra/groups.tf', 'resource "azuread_group" "analysts" {\n  display_name = "LIC - Power BI Pro (Analysts)"\n  dynamic_membership {\n    enabled = true\n    rule    = "user.jobTitle -contains \\"Analyst\\" -and user.userType eq \\"Member\\""\n  }\n}\n');
        git(repo, 'add', '-A');
        git(repo, 'commit', '-q', '-m', 'base');
        git(repo, 'update-ref', 'refs/remotes/origin/main', 'HEAD');
        // The pull request: Marketing joins the Sales rule, a new rule is added.
        git(repo, 'checkout', '-q', '-b', 'change');
        write(repo, 'rules/sales.dynrule', '# @group "Sales - All"\nuser.department -in ["Sales", "Marketing"]\n');
        write(repo, 'rules/seattle.dynrule', 'user.city -eq "Seattle"\n');
        git(repo, 'add', '-A');
        git(repo, 'commit', '-q', '-m', 'change');

        const env = {
          PATH: `${bin}${path.delimiter}${process.env['PATH'] ?? ''}`,
          HOME: temp,
          XDG_CACHE_HOME: path.join(temp, 'cache'),
          DYNRULE_GRAPH_ENDPOINT: graph.url,
          DYNRULE_GRAPH_TOKEN: graph.token,
          // What each CI system sets.
          BASE_REF: 'main',
          RUNNER_TEMP: temp,
          SYSTEM_PULLREQUEST_TARGETBRANCH: 'refs/heads/main',
          AGENT_TEMPDIRECTORY: temp,
          BUILD_ARTIFACTSTAGINGDIRECTORY: path.join(temp, 'staging'),
        };
        mkdirSync(path.join(temp, 'staging', 'CodeAnalysisLogs'), { recursive: true });
        for (const command of block.commands) {
          // spawnSync blocks this process, and the Graph server lives in it: run the shell asynchronously.
          const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
            const child = spawn('bash', ['-c', `set -o pipefail; ${command}`], { cwd: repo, env });
            let stderr = '';
            child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
            child.on('close', (code) => resolve({ code, stderr }));
          });
          assert.equal(r.code, 0, `${command}\n${r.stderr}`);
        }

        // The snapshot holds the groups the rules name, the Terraform resource's among them.
        const groupsJson = JSON.parse(readFileSync(path.join(temp, 'tenant', 'groups.json'), 'utf8')) as { displayName: string }[] | { value: { displayName: string }[] };
        const names = (Array.isArray(groupsJson) ? groupsJson : groupsJson.value).map((g) => g.displayName);
        assert.ok(names.includes('Sales - All') && names.includes('LIC - Power BI Pro (Analysts)'), names.join(', '));

        const sarifFile = [path.join(repo, 'dynrule.sarif'), path.join(temp, 'staging', 'CodeAnalysisLogs', 'dynrule.sarif')].find((f) => existsSync(f))!;
        const sarif = JSON.parse(readFileSync(sarifFile, 'utf8')) as { version: string; runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
        assert.equal(sarif.version, '2.1.0');
        assert.deepEqual(sarif.runs[0]!.results.map((x) => [x.ruleId, x.locations[0]!.physicalLocation.artifactLocation.uri]), [['style/missing-hyphen', 'infra/groups.tf']]);

        const junit = readFileSync(path.join(repo, 'rule-tests.xml'), 'utf8');
        assert.match(junit, /<testsuites?[\s>]/);
        assert.match(junit, /Sales stays in/);
        assert.doesNotMatch(junit, /<failure/);

        const review = readFileSync(path.join(repo, 'review.md'), 'utf8');
        const tokens = new MarkdownIt({ html: true }).parse(review, {});
        assert.equal(tokens.filter((t) => t.type === 'table_open').length, 1);
        assert.match(review, /\| rules\/sales\.dynrule \| modified \| Sales - All \|/);
        assert.match(review, /\| rules\/seattle\.dynrule \| added \|/);
      } finally {
        rmSync(repo, { recursive: true, force: true });
        rmSync(temp, { recursive: true, force: true });
      }
    });
  }
});
