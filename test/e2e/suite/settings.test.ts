// Settings changed while the extension runs apply at once, through the real client: VS Code's
// configuration → vscode-languageclient's workspace/didChangeConfiguration (the nested section)
// → the server. Each test turns a setting off, sees its effect go, turns it back on (the user
// setting removed, so the default applies) and sees it return.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { smallTenant } from '../support/fixtures.mjs';
import { closeAllEditors, codeLensTitles, diagnosticCode, ensureSmallTenant, getApi, openRuleFile, openScratchRule, waitFor } from './helpers';

const exchange = { id: 'efb87545-963c-4e0d-99df-69c6916d9eb0', name: 'EXCHANGE_S_ENTERPRISE' };
const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('dynrule');
const hintText = (h: vscode.InlayHint): string => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join(''));

/** Sets a user setting (undefined: removes it, so the default applies). */
const set = (key: string, value: unknown): Thenable<void> => config().update(key, value, vscode.ConfigurationTarget.Global);

suite('Settings apply live', () => {
  suiteSetup(async () => {
    const api = await getApi();
    await waitFor(() => api.tenant.current?.state === 'ready', 'the tenant to load');
  });
  teardown(async () => {
    for (const key of ['inlayHints.enabled', 'diagnostics.advice', 'codeLens.enabled', 'preview.removalWarningPercent']) await set(key, undefined);
    await closeAllEditors();
  });

  test('Inlay Hints: Enabled off hides the names after GUIDs, and on shows them again', async () => {
    const doc = await openRuleFile('rules/exchange-online-plan2-users.dynrule');
    const whole = new vscode.Range(0, 0, doc.lineCount, 0);
    const names = async (): Promise<string[]> => ((await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', doc.uri, whole)) ?? []).map(hintText);
    await waitFor(async () => (await names()).includes(exchange.name), 'the inlay hint naming the plan');
    await set('inlayHints.enabled', false);
    let seen: string[] = [];
    await waitFor(async () => (seen = await names()).length === 0, () => `no inlay hints; there are ${JSON.stringify(seen)}`);
    await set('inlayHints.enabled', undefined);
    await waitFor(async () => (await names()).includes(exchange.name), 'the inlay hint back');
  });

  test('Diagnostics: Advice off removes perf/or-chain from the open rule, and on brings it back', async () => {
    const doc = await openRuleFile('invalid/or-chain.dynrule');
    const codes = (): string[] => vscode.languages.getDiagnostics(doc.uri).map(diagnosticCode);
    await waitFor(() => codes().includes('perf/or-chain'), 'the or-chain advice');
    await set('diagnostics.advice', false);
    await waitFor(() => !codes().includes('perf/or-chain'), () => `no advice; there is ${JSON.stringify(codes())}`);
    await set('diagnostics.advice', undefined);
    await waitFor(() => codes().includes('perf/or-chain'), 'the or-chain advice back');
  });

  test('Code Lens: Enabled off removes the preview lens, and on brings it back', async () => {
    const doc = await openRuleFile('rules/licensing/m365-e3-all-staff.dynrule');
    const titles = async (): Promise<string[]> => ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri)) ?? []).map((l) => l.command?.title ?? '');
    await waitFor(async () => (await titles()).some((t) => t.startsWith('members ')), 'the preview code lens');
    await set('codeLens.enabled', false);
    let seen: string[] = [];
    await waitFor(async () => (seen = await titles()).length === 0, () => `no code lens; there is ${JSON.stringify(seen)}`);
    await set('codeLens.enabled', undefined);
    await waitFor(async () => (await titles()).some((t) => t.startsWith('members ')), 'the preview code lens back');
    assert.equal(config().get('codeLens.enabled'), true);
  });

  test('Preview: Removal Warning Percent changes the warning in the open preview and the code lens', async () => {
    // The E3 group without its Sales members: some of the current members leave.
    const editor = await openScratchRule('# @group "LIC - Microsoft 365 E3"\nuser.userType -eq "Member" -and user.accountEnabled -eq true -and user.extensionAttribute7 -ne "Contractor" -and user.department -ne "Sales"\n');
    const api = await getApi();
    const warned = (): boolean => api.preview.current?.warnings?.some((w) => w.code === 'large-removal') === true;
    // The last code lens counts license errors and warnings ('' when there are none).
    const lensTail = async (): Promise<string> => ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri)) ?? [])
      .map((l) => l.command?.title ?? '').filter((t) => t.startsWith('$(warning)')).join('');
    const warnings = (tail: string): number => Number(/(\d+) warnings?/.exec(tail)?.[1] ?? 0);
    await set('preview.removalWarningPercent', 100);
    const shown = await api.preview.show(editor.document.uri);
    assert.ok(shown?.ok && (shown.removed?.length ?? 0) > 0, JSON.stringify(shown?.reason ?? shown?.removed?.length));
    await waitFor(() => api.preview.current?.ok && !warned(), 'a preview without the removal warning');
    await codeLensTitles(editor.document.uri);
    const quiet = await lensTail();
    await set('preview.removalWarningPercent', 0);
    await waitFor(() => warned(), 'the open preview to warn about the removal');
    await waitFor(async () => warnings(await lensTail()) === warnings(quiet) + 1, 'the code lens to count the removal warning');
    await set('preview.removalWarningPercent', 100);
    await waitFor(() => api.preview.current?.ok && !warned(), 'the warning gone from the open preview');
    await waitFor(async () => warnings(await lensTail()) === warnings(quiet), 'the warning gone from the code lens');
  });

  test('Tenant: Folder set while the extension runs loads that folder', async () => {
    const api = await getApi();
    const before = api.tenant.current!.selection;
    const dir = await ensureSmallTenant();
    try {
      await config().update('tenant.folder', smallTenant.folder, vscode.ConfigurationTarget.Workspace);
      await waitFor(() => {
        const cur = api.tenant.current;
        return cur?.state === 'ready' && cur.selection.kind === 'folder' && cur.selection.path === dir && cur.users === 120;
      }, () => `the folder ${smallTenant.folder} to load; the tenant is ${JSON.stringify(api.tenant.current)}`);
    } finally {
      await config().update('tenant.folder', undefined, vscode.ConfigurationTarget.Workspace);
      await vscode.commands.executeCommand('dynrule.selectTenant', before);
    }
  });
});
