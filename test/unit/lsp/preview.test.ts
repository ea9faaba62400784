import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { CodeLens } from 'vscode-languageserver-protocol';
import type { Hover } from 'vscode-languageserver-protocol';
import { formatRule } from '../../../grammar/src/index';
import type {
  CurrentRuleResponse, ExplainResponse, ListRuleTestsResponse, ObjectSummary, PreviewResponse, RunRuleTestsResponse, TenantInfo,
} from '../../../server/src/lsp/protocol';
import { startHarness, startHarnessWithFolder, type Harness } from '../../support/lsp';
import { user, writeTenant } from '../../support/tenant';

const CONTOSO = path.resolve('samples/tenant/contoso');
const E3_RULE = 'samples/rules/licensing/m365-e3-all-staff.dynrule';

interface CliPreview {
  before: number; after: number; added: string[]; removed: string[]; unknown: string[];
  licenses: { skuPartNumber: string; gained: string[]; lost: string[]; available: number; freed: number; left: number; shortfall: number }[];
}

function cliPreview(file: string): CliPreview {
  const r = spawnSync(process.execPath, ['dist/cli.js', 'preview', file, '--tenant', CONTOSO, '--format', 'json'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as CliPreview;
}

describe('language server: preview, explain and rule tests against the sample tenant', () => {
  let h: Harness;
  before(async () => {
    h = await startHarnessWithFolder(CONTOSO);
  });
  after(() => h.close());

  it('reports the tenant it loaded', async () => {
    const info = await h.client.sendRequest<TenantInfo>('dynrule/tenantInfo');
    assert.equal(info.label, 'Contoso');
    assert.equal(info.users, 400);
    assert.equal(info.devices, 80);
    assert.equal(info.takenAt, '2026-11-01T00:00:00Z');
  });

  for (const file of ['m365-e3-all-staff', 'copilot-pilot-with-sales', 'power-bi-finance', 'e5-executives-new-group', 'autopilot-devices']) {
    it(`code lenses over ${file} show the numbers dynrule preview gives`, async () => {
      const rel = `samples/rules/licensing/${file}.dynrule`;
      const uri = await h.open(`${file}.dynrule`, readFileSync(rel, 'utf8'));
      const lenses = await h.client.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
      const cli = cliPreview(rel);
      const titles = lenses.map((l) => l.command!.title);
      assert.match(titles[0]!, new RegExp(`^(members|devices) ${cli.before} → ${cli.after} \\(\\+${cli.added.length} −${cli.removed.length}\\)`));
      for (const l of cli.licenses) {
        // The lens shows the preview's own figures: the shortfall, or what is freed and left.
        const seats = l.shortfall > 0 ? `${l.shortfall} short: CountViolation for ${l.shortfall} of the ${l.gained.length} gaining it, Entra picks which`
          : `${l.freed > 0 ? `${l.freed} seats? freed · ` : ''}${l.left} seats? left`;
        assert.ok(titles.some((t) => new RegExp(`^${l.skuPartNumber} \\+${l.gained.length} −${l.lost.length} · ${seats}$`).test(t)), `${l.skuPartNumber}: ${titles.join(' | ')}`);
      }
      assert.ok(lenses.every((l) => l.command!.command === 'dynrule.showPreview'));
      // The lens sits on the first line of the rule, not on the comment lines above it.
      const firstRuleLine = readFileSync(rel, 'utf8').split('\n').findIndex((line) => line.trim() !== '' && !line.trim().startsWith('#'));
      assert.equal(lenses[0]!.range.start.line, firstRuleLine);
    });
  }

  it('the preview view gets the same lists and license moves as the CLI, with names and reasons', async () => {
    const uri = await h.open('e3.dynrule', readFileSync(E3_RULE, 'utf8'));
    const p = await h.client.sendRequest<PreviewResponse>('dynrule/preview', { uri });
    const cli = cliPreview(E3_RULE);
    assert.equal(p.ok, true, p.reason);
    assert.deepEqual([p.before, p.after, p.added, p.removed, p.unknown], [cli.before, cli.after, cli.added, cli.removed, cli.unknown]);
    const e3 = p.licenses!.find((l) => l.skuPartNumber === 'SPE_E3')!;
    const c = cli.licenses[0]!;
    assert.deepEqual([e3.gained, e3.lost, e3.available, e3.needed, e3.freed, e3.left, e3.shortfall], [c.gained, c.lost, c.available, 0, c.freed, c.left, c.shortfall]);
    assert.equal(e3.displayName, 'Microsoft 365 E3');
    assert.deepEqual(e3.disabledPlans.map((d) => d.name), ['YAMMER_ENTERPRISE']);
    const first = p.added![0]!;
    assert.ok(p.objects![first]!.userPrincipalName);
    // Added because the Retail Operations exclusion is gone: the deciding condition is shown.
    assert.ok(p.explanations![first]!.decidedBy.length > 0);
    // Retail Operations hold F3: its SharePoint Kiosk conflicts with E3's SharePoint (Plan 2).
    assert.ok(p.errors!.some((e) => e.reason === 'MutuallyExclusiveViolation' && e.detail === 'SHAREPOINTENTERPRISE conflicts with SHAREPOINTDESKLESS'));
    assert.ok(p.errorKinds!['MutuallyExclusiveViolation']);
  });

  it('a memberOf group: the rule is an error since its retirement, and the lens and the view show its members frozen', async () => {
    const rule = "# @group \"Remote Workers and Security Champions\"\nuser.memberOf -any (group.objectId -in ['fac7738f-5390-4d53-901e-44890023a1e6'])\n";
    const uri = await h.open('retired.dynrule', rule);
    const { diagnostics } = await h.diagnostics(uri);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.severity, d.range.start.line]), [['rule/member-of-retired', 1, 1]]);
    assert.match(diagnostics[0]!.message, /since 3 November 2026 .* last known state/);
    const lenses = await h.client.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.equal(lenses[0]!.command!.title, 'members 44 → 44 (+0 −0) · memberOf retired: members frozen');
    const p = await h.client.sendRequest<PreviewResponse>('dynrule/preview', { uri });
    assert.equal(p.ok, true, p.reason);
    assert.deepEqual([p.before, p.after, p.added, p.removed], [44, 44, [], []]);
    assert.ok(p.notes!.some((n) => n.startsWith('memberOf rules stopped updating on 3 November 2026')), p.notes!.join(' | '));
  });

  it('a Direct Reports rule includes its manager, and one naming a manager the tenant lacks gets a warning with the id', async () => {
    const cfo = await h.open('cfo.dynrule', readFileSync('samples/rules/cfo-direct-reports.dynrule', 'utf8'));
    assert.deepEqual((await h.diagnostics(cfo)).diagnostics, []);
    const p = await h.client.sendRequest<PreviewResponse>('dynrule/preview', { uri: cfo });
    assert.equal(p.ok, true, p.reason);
    assert.ok(p.added!.includes('5b7b60ac-2673-4242-baa3-7c3a0aeb992f'), 'the CFO is not in the group');
    assert.equal(p.added!.length, 3);

    const missing = 'c0a70500-0000-4000-8000-000000000199';
    const uri = await h.open('nobody.dynrule', `Direct Reports for "${missing}"\n`);
    const { diagnostics } = await h.diagnostics(uri);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.severity]), [['rule/unknown-manager', 2]]);
    assert.equal(diagnostics[0]!.message, `The tenant contoso has no user ${missing}: this Direct Reports rule selects nobody.`);
    const none = await h.client.sendRequest<PreviewResponse>('dynrule/preview', { uri });
    assert.ok(none.warnings!.some((w) => w.code === 'rule/unknown-manager' && w.message.includes(missing)));
  });

  describe('with the group\'s current rule', () => {
    const E3_GROUP = '4ef29ab4-5925-4f33-81a0-0b8368887ff6';
    const currentRule = (): string => {
      const groups = JSON.parse(readFileSync(path.join(CONTOSO, 'groups.json'), 'utf8')) as { value?: { id: string; membershipRule: string }[] };
      return (groups.value ?? (groups as unknown as { id: string; membershipRule: string }[])).find((g) => g.id === E3_GROUP)!.membershipRule;
    };

    it('everyone the E3 change adds is there because the current rule excludes Retail Operations', async () => {
      const uri = await h.open('e3-reasons.dynrule', readFileSync(E3_RULE, 'utf8'));
      const p = await h.client.sendRequest<PreviewResponse>('dynrule/preview', { uri });
      assert.equal(p.ok, true, p.reason);
      assert.equal(p.added!.length, 47);
      const reasons = new Set(p.added!.map((id) => JSON.stringify(p.explanations![id])));
      assert.deepEqual([...reasons].map((r) => JSON.parse(r) as object), [{
        decidedBy: 'user.department -ne "Retail Operations"', property: 'department', value: 'Retail Operations', rule: 'current',
      }]);
    });

    it('someone a narrower rule removes is there because of the condition only the edited rule has', async () => {
      const text = readFileSync(E3_RULE, 'utf8').replace('user.userType -eq "Member"', 'user.userType -eq "Member" -and user.department -ne "Sales"');
      const uri = await h.open('e3-narrower.dynrule', text);
      const p = await h.client.sendRequest<PreviewResponse>('dynrule/preview', { uri });
      assert.equal(p.ok, true, p.reason);
      assert.ok(p.removed!.length > 0);
      for (const id of p.removed!) {
        assert.deepEqual(p.explanations![id], { decidedBy: 'user.department -ne "Sales"', property: 'department', value: 'Sales', rule: 'edited' });
      }
    });

    it('a group without a current rule keeps the condition that decided the edited rule', async () => {
      const uri = await h.open('new-group.dynrule', '# @licenses SPE_E3\nuser.department -eq "Sales" -and user.accountEnabled -eq true\n');
      const p = await h.client.sendRequest<PreviewResponse>('dynrule/preview', { uri });
      assert.equal(p.ok, true, p.reason);
      const id = p.added![0]!;
      assert.equal(p.explanations![id]!.rule, undefined);
      assert.equal(p.explanations![id]!.decidedBy, 'user.department -eq "Sales"');
    });

    it('hover on # @group shows the current rule', async () => {
      const text = readFileSync(E3_RULE, 'utf8');
      const uri = await h.open('e3-hover.dynrule', text);
      const line = text.split('\n').findIndex((l) => l.startsWith('# @group'));
      const hover = await h.client.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line, character: 14 } });
      const markdown = (hover?.contents as { value: string } | undefined)?.value ?? '';
      assert.match(markdown, /LIC - Microsoft 365 E3/);
      assert.ok(markdown.includes(`Its current rule:\n\n\`\`\`dynrule\n${currentRule()}\n\`\`\``), markdown);
    });

    it('dynrule/currentRule gives the current rule, formatted, under the edited file\'s comment lines, for the diff', async () => {
      const text = readFileSync(E3_RULE, 'utf8');
      const uri = await h.open('e3-compare.dynrule', text);
      const r = await h.client.sendRequest<CurrentRuleResponse>('dynrule/currentRule', { uri });
      assert.equal(r.ok, true, r.reason);
      assert.deepEqual(r.group, { id: E3_GROUP, displayName: 'LIC - Microsoft 365 E3' });
      const header = text.slice(0, text.indexOf('user.userType'));
      const formatted = formatRule(currentRule());
      assert.ok(formatted.ok);
      assert.equal(r.text, `${header}${formatted.text.trimEnd()}\n`);
      // Against the edited file, the only difference is the line with the Retail Operations exclusion.
      const removed = r.text!.split('\n').filter((l) => !text.split('\n').includes(l));
      assert.deepEqual(removed.map((l) => l.trim()), ['-and user.department -ne "Retail Operations"']);
    });

    it('dynrule/currentRule says why when there is nothing to compare', async () => {
      const none = await h.client.sendRequest<CurrentRuleResponse>('dynrule/currentRule', { uri: await h.open('no-group.dynrule', 'user.city -eq "Oslo"\n') });
      assert.equal(none.ok, false);
      assert.match(none.reason!, /names no group/);
      const assigned = await h.client.sendRequest<CurrentRuleResponse>('dynrule/currentRule', { uri: await h.open('assigned.dynrule', '# @group "SG-Executives"\nuser.city -eq "Oslo"\n') });
      assert.equal(assigned.ok, false);
      assert.match(assigned.reason!, /no membership rule/);
    });
  });

  it('explains the rule for one user with the trace', async () => {
    const uri = await h.open('explain.dynrule', readFileSync(E3_RULE, 'utf8'));
    const r = await h.client.sendRequest<ExplainResponse>('dynrule/explain', { uri, objectId: 'nathan.petit@contoso.com' });
    assert.equal(r.ok, true, r.reason);
    assert.equal(r.result, false);
    assert.equal(r.object!.displayName, 'Nathan Petit');
    const failing = r.trace!.children.filter((c) => c.result === false);
    assert.deepEqual(failing.map((c) => [c.expression, c.value]), [['user.extensionAttribute7 -ne "Contractor"', 'Contractor']]);
  });

  it('explain gives the lines dynrule explain prints: the item that decided, GUIDs named', async () => {
    const rule = 'user.department -eq "Sales" -and user.assignedPlans -any (assignedPlan.servicePlanId -eq "efb87545-963c-4e0d-99df-69c6916d9eb0" -and assignedPlan.capabilityStatus -eq "Enabled")';
    const uri = await h.open('any.dynrule', `${rule}\n`);
    const r = await h.client.sendRequest<ExplainResponse>('dynrule/explain', { uri, objectId: 'megan.allen@contoso.com' });
    assert.equal(r.ok, true, r.reason);
    const cli = spawnSync(process.execPath, ['dist/cli.js', 'explain', '--rule', rule, '--tenant', CONTOSO, '--user', 'megan.allen@contoso.com'], { encoding: 'utf8' });
    assert.equal(cli.status, 0, cli.stderr);
    assert.deepEqual(r.lines, cli.stdout.trimEnd().split('\n').slice(1));
    assert.ok(r.lines!.some((l) => l.endsWith('item 5 of 52 matched')));
    assert.ok(r.lines!.some((l) => l.includes('(EXCHANGE_S_ENTERPRISE)')));
  });

  it('searches users for the explain picker', async () => {
    const uri = await h.open('search.dynrule', readFileSync(E3_RULE, 'utf8'));
    const found = await h.client.sendRequest<ObjectSummary[]>('dynrule/searchObjects', { uri, query: 'petit', limit: 10 });
    assert.ok(found.some((o) => o.userPrincipalName === 'nathan.petit@contoso.com'));
  });

  it('lists and runs rule tests: the sample ones pass, the failing sample fails on its case', async () => {
    const failing = path.resolve('samples/failing/e3-contractors.ruletests.json');
    const list = await h.client.sendRequest<ListRuleTestsResponse>('dynrule/listRuleTests', { file: failing });
    assert.deepEqual(list.cases.map((c) => c.name), ['Retail Operations staff get E3', 'Contractors are licensed']);
    const good = ['m365-e3-all-staff', 'copilot-pilot-with-sales', 'autopilot-devices'].map((f) => path.resolve(`samples/rules/licensing/${f}.ruletests.json`));
    const ok = await h.client.sendRequest<RunRuleTestsResponse>('dynrule/runRuleTests', { files: good });
    assert.equal(ok.failed, 0);
    assert.equal(ok.passed, 14);
    const bad = await h.client.sendRequest<RunRuleTestsResponse>('dynrule/runRuleTests', { files: [failing] });
    assert.deepEqual([bad.passed, bad.failed], [1, 1]);
    const c = bad.files[0]!.cases.find((x) => !x.passed)!;
    assert.equal(c.name, 'Contractors are licensed');
    const text = readFileSync(failing, 'utf8');
    assert.match(text.slice(c.start, c.end), /^\{ "name": "Contractors are licensed"/);
    assert.ok(c.trace);
    const one = await h.client.sendRequest<RunRuleTestsResponse>('dynrule/runRuleTests', { files: [failing], only: { [failing]: ['Retail Operations staff get E3'] } });
    assert.deepEqual([one.passed, one.failed], [1, 0]);
  });

  it('switching tenant changes the code lens numbers', async () => {
    const small = writeTenant({
      users: [user('a', { department: 'Retail Operations', userType: 'Member', accountEnabled: true, jobTitle: 'Clerk', onPremisesExtensionAttributes: { extensionAttribute7: null } })],
      groups: [{ id: '4ef29ab4-5925-4f33-81a0-0b8368887ff6', displayName: 'LIC - Microsoft 365 E3', members: [], assignedLicenses: [] }],
    });
    const h2 = await startHarness();
    try {
      const uri = await h2.open('switch.dynrule', readFileSync(E3_RULE, 'utf8'));
      await h2.client.sendRequest('dynrule/selectTenant', { selection: { kind: 'folder', path: CONTOSO } });
      const before = await h2.client.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
      await h2.client.sendRequest('dynrule/selectTenant', { selection: { kind: 'folder', path: small } });
      const after = await h2.client.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
      assert.match(before[0]!.command!.title, /^members 276 → 323/);
      assert.equal(after[0]!.command!.title, 'members 0 → 1 (+1 −0)');
    } finally {
      h2.close();
    }
  });

  it('says what to do when no tenant is loaded or the rule has errors', async () => {
    const h3 = await startHarness();
    try {
      const uri = await h3.open('none.dynrule', 'user.department -eq "Sales"');
      const lenses = await h3.client.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
      assert.equal(lenses[0]!.command!.command, 'dynrule.selectTenant');
      await h3.client.sendRequest('dynrule/selectTenant', { selection: { kind: 'folder', path: CONTOSO } });
      const broken = await h3.open('broken.dynrule', 'user.department -eq');
      const l2 = await h3.client.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: broken } });
      assert.match(l2[0]!.command!.title, /^Preview unavailable: the rule has errors/);
      const bad = await h3.client.sendRequest<TenantInfo>('dynrule/selectTenant', { selection: { kind: 'folder', path: '/no/such/folder' } });
      assert.equal(bad.state, 'failed');
      assert.match(bad.error!, /no such tenant folder/);
    } finally {
      h3.close();
    }
  });
});
