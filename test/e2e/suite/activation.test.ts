import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extensionId, getApi, getExtension, openRuleFile, recordMetric, repoRoot, waitFor } from './helpers';

suite('Activation', () => {
  test('the extension under test is the development copy of this repository', () => {
    const ext = getExtension();
    assert.equal(ext.extensionUri.fsPath, repoRoot, `${extensionId} was loaded from ${ext.extensionUri.fsPath}`);
    assert.equal(ext.extensionKind, vscode.ExtensionKind.Workspace);
  });

  test('opening a .dynrule file gives it the dynrule language and activates the extension', async () => {
    const doc = await openRuleFile();
    assert.equal(doc.languageId, 'dynrule');
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), doc.uri.toString());
    // Not activated by hand: the open must trigger onLanguage:dynrule.
    await waitFor(() => getExtension().isActive, `${extensionId} to activate`);
  });

  test('the API reports how long activation took, and the language server starts', async () => {
    const api = await getApi();
    assert.equal(typeof api.activationMs, 'number');
    assert.ok(api.activationMs >= 0, `activationMs ${api.activationMs}`);
    // Measured, not enforced here: the target (< 200 ms) is for npm run bench, and a loaded CI
    // machine would make an assertion flaky. The log keeps a trend visible in every CI run.
    console.log(`      activation took ${api.activationMs} ms (target < 200 ms)`);
    recordMetric('activationMs', api.activationMs);
    assert.equal(api.client.isRunning(), true);
  });

  test('runs in the expected kind of VS Code', function () {
    const uiKind = vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop';
    console.log(`      host: appName=${vscode.env.appName} version=${vscode.version} uiKind=${uiKind} ` +
      `appHost=${vscode.env.appHost} remoteName=${vscode.env.remoteName} node=${process.version}`);
    // The code-server runner sets "web", the @vscode/test-cli config "desktop".
    const expected = process.env.DYNRULE_E2E_UI_KIND;
    if (!expected) this.skip();
    assert.equal(uiKind, expected);
  });
});
