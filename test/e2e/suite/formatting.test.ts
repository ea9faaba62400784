import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, getApi, openScratchRule } from './helpers';

async function formatOnce(doc: vscode.TextDocument): Promise<number> {
  const edits = await vscode.commands.executeCommand<vscode.TextEdit[]>('vscode.executeFormatDocumentProvider', doc.uri, { tabSize: 2, insertSpaces: true });
  if (!edits?.length) return 0;
  const we = new vscode.WorkspaceEdit();
  we.set(doc.uri, edits);
  assert.equal(await vscode.workspace.applyEdit(we), true);
  return edits.length;
}

suite('Formatting', () => {
  suiteSetup(getApi);
  teardown(closeAllEditors);

  test('Format Document gives the canonical spelling and spacing, and formatting again changes nothing', async () => {
    const doc = (await openScratchRule('# Sales, enabled\n(USER.Department   EQ "Sales")  and user.accountenabled -EQ true')).document;
    assert.ok((await formatOnce(doc)) > 0, 'no edits');
    const once = doc.getText();
    assert.equal(once, '# Sales, enabled\n(user.department -eq "Sales") -and user.accountEnabled -eq true');
    assert.equal(await formatOnce(doc), 0, 'the second format changed the text');
    assert.equal(doc.getText(), once);
  });

  test('the editor command formats the active editor the same way', async () => {
    const editor = await openScratchRule('user.department  -in ["Sales","Marketing"]');
    await vscode.commands.executeCommand('editor.action.formatDocument');
    assert.equal(editor.document.getText(), 'user.department -in ["Sales", "Marketing"]');
  });

  test('a rule with a syntax error is left as it is', async () => {
    const text = 'user.department -eq "Sales" -and (user.city -eq "Seattle"';
    const doc = (await openScratchRule(text)).document;
    assert.equal(await formatOnce(doc), 0);
    assert.equal(doc.getText(), text);
  });
});
