import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { PreviewResponse } from '../../../protocol/src/protocol';
import {
  cliPreview, closeAllEditors, codeLensTitles, expectedLensTitles, getApi, openRuleFile, sorted, waitFor, workspacePath, workspaceUri,
  type CliPreview,
} from './helpers';

const licensingDir = 'rules/licensing';
const contoso = 'tenant/contoso';
const e3Rule = `${licensingDir}/m365-e3-all-staff.dynrule`;

/** The licensing samples and whether each is a user or a device rule. */
function licensingSamples(): { file: string; noun: 'members' | 'devices' }[] {
  return readdirSync(workspacePath(licensingDir)).filter((f) => f.endsWith('.dynrule')).sort()
    .map((f) => ({ file: `${licensingDir}/${f}`, noun: f.includes('device') ? 'devices' : 'members' }));
}

function assertSamePreview(view: PreviewResponse, cli: CliPreview, what: string): void {
  assert.equal(view.ok, true, `${what}: ${view.reason}`);
  assert.equal(view.before, cli.before, `${what}: before`);
  assert.equal(view.after, cli.after, `${what}: after`);
  assert.deepEqual(sorted(view.added), sorted(cli.added), `${what}: added`);
  assert.deepEqual(sorted(view.removed), sorted(cli.removed), `${what}: removed`);
  assert.equal(view.group?.id ?? null, cli.group, `${what}: group`);
  assert.deepEqual(
    (view.licenses ?? []).map((l) => ({ sku: l.skuPartNumber, gained: sorted(l.gained), lost: sorted(l.lost), available: l.available, shortfall: l.shortfall })),
    cli.licenses.map((l) => ({ sku: l.skuPartNumber, gained: sorted(l.gained), lost: sorted(l.lost), available: l.available, shortfall: l.shortfall })),
    `${what}: licenses`,
  );
  assert.deepEqual(sorted((view.errors ?? []).map((e) => `${e.user} ${e.skuId} ${e.reason}`)), sorted(cli.errors.map((e) => `${e.user} ${e.skuId} ${e.reason}`)), `${what}: errors`);
}

const previewTab = (): vscode.Tab | undefined => vscode.window.tabGroups.all.flatMap((g) => g.tabs)
  .find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('dynrule.preview'));

suite('Preview in the editor', () => {
  suiteSetup(async function () {
    this.timeout(60_000);
    const api = await getApi();
    await waitFor(() => api.tenant.current?.state === 'ready' && api.tenant.current, 'the tenant to load');
  });
  teardown(closeAllEditors);

  test('the code lenses over every licensing sample show dynrule preview\'s numbers', async function () {
    this.timeout(60_000);
    const samples = licensingSamples();
    assert.ok(samples.length >= 4, `only ${samples.length} licensing samples`);
    for (const { file, noun } of samples) {
      const cli = await cliPreview(workspacePath(file), workspacePath(contoso));
      const doc = await openRuleFile(file);
      const titles = await codeLensTitles(doc.uri);
      // Lenses for license errors and warnings may follow ("$(warning) 45 × MutuallyExclusiveViolation: …"): compare the rest.
      const expected = expectedLensTitles(cli, noun);
      assert.deepEqual(titles.slice(0, expected.length), expected, file);
      for (const reason of new Set(cli.errors.map((e) => e.reason))) {
        const count = cli.errors.filter((e) => e.reason === reason).length;
        assert.ok(titles.some((t) => t.startsWith(`$(warning) ${count} × ${reason}: `)), `${file}: ${reason} is not shown with its explanation`);
      }
    }
  });

  test('m365-e3-all-staff: members 276 → 323 (+47 −0), and E3 fails for Retail Operations (F3) with MutuallyExclusiveViolation, as the README says', async () => {
    const doc = await openRuleFile(e3Rule);
    const titles = await codeLensTitles(doc.uri);
    assert.match(titles[0]!, /^members 276 → 323 \(\+47 −0\)$/);
    assert.equal(titles[1], 'SPE_E3 +0 −0 · 15 seats left');
    assert.ok(titles.some((t) => /^\$\(warning\) 45 × MutuallyExclusiveViolation: A plan of the product conflicts/.test(t)), titles.join(' | '));
  });

  test('clicking a code lens runs Show Preview for its rule', async () => {
    const doc = await openRuleFile(e3Rule);
    await codeLensTitles(doc.uri);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
    const command = lenses[0]!.command!;
    assert.equal(command.command, 'dynrule.showPreview');
    const result = await vscode.commands.executeCommand<PreviewResponse>(command.command, ...(command.arguments ?? []));
    assert.equal(result.ok, true);
    await waitFor(previewTab, 'the preview view to open');
  });

  test('the preview command\'s lists and license moves equal dynrule preview\'s', async function () {
    this.timeout(60_000);
    const api = await getApi();
    for (const { file } of licensingSamples()) {
      const cli = await cliPreview(workspacePath(file), workspacePath(contoso));
      const view = await vscode.commands.executeCommand<PreviewResponse>('dynrule.showPreview', workspaceUri(file));
      assertSamePreview(view, cli, file);
      assert.equal(api.preview.current, view, `${file}: the view shows another result`);
      // Every listed person has a name and a reason in the view.
      for (const id of [...(view.added ?? []), ...(view.removed ?? [])]) {
        assert.ok(view.objects?.[id]?.displayName, `${file}: ${id} has no name`);
        assert.ok(view.explanations?.[id]?.decidedBy, `${file}: ${id} has no reason`);
      }
    }
    const tab = await waitFor(previewTab, 'the preview view');
    assert.match(tab.label, /power-bi-finance|preview/i);
  });

  test('the preview view follows the rule as it is edited', async function () {
    this.timeout(60_000);
    const api = await getApi();
    const doc = await openRuleFile(e3Rule);
    await vscode.commands.executeCommand('dynrule.showPreview', doc.uri);
    const before = api.preview.current!;
    assert.equal(before.after, 323);
    // Narrow the rule: Retail Operations out again, as the group is today.
    const editor = vscode.window.activeTextEditor!;
    const line = doc.lineAt(doc.lineCount - 1).isEmptyOrWhitespace ? doc.lineAt(doc.lineCount - 2) : doc.lineAt(doc.lineCount - 1);
    await editor.edit((b) => b.insert(line.range.end, '\n  -and user.department -ne "Retail Operations"'));
    const tmp = mkdtempSync(join(tmpdir(), 'dynrule-e2e-'));
    try {
      const edited = join(tmp, 'edited.dynrule');
      writeFileSync(edited, doc.getText());
      const cli = await cliPreview(edited, workspacePath(contoso));
      assert.notEqual(cli.after, before.after, 'the edit should change the membership');
      const updated = await waitFor(() => {
        const c = api.preview.current;
        return c && c.version === doc.version && c;
      }, () => `the preview of version ${doc.version}; it shows version ${api.preview.current?.version}`);
      assertSamePreview(updated, cli, 'edited rule');
      // The code lens follows too.
      const titles = await codeLensTitles(doc.uri, { accept: (t) => t[0] === expectedLensTitles(cli, 'members')[0] });
      assert.deepEqual(titles.slice(0, cli.licenses.length + 1), expectedLensTitles(cli, 'members'));
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  test('a rule with errors has no preview, and says why', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'dynrule', content: 'user.department -gt "Sales"' });
    await vscode.window.showTextDocument(doc);
    const view = await vscode.commands.executeCommand<PreviewResponse>('dynrule.showPreview', doc.uri);
    assert.equal(view.ok, false);
    assert.ok(view.reason && view.reason.length > 0);
    const titles = await codeLensTitles(doc.uri);
    assert.match(titles[0]!, /^Preview unavailable/);
  });
});
