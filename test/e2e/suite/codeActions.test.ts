import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { closeAllEditors, diagnosticCode, getApi, openScratchRule, waitFor, workspacePath } from './helpers';

const isCodeAction = (a: vscode.CodeAction | vscode.Command): a is vscode.CodeAction => !('command' in a && typeof a.command === 'string');

async function diagnosticsOf(doc: vscode.TextDocument, code: string): Promise<vscode.Diagnostic[]> {
  return waitFor(() => {
    const d = vscode.languages.getDiagnostics(doc.uri).filter((x) => diagnosticCode(x) === code);
    return d.length > 0 && d;
  }, `${code} on ${doc.uri.toString()}`);
}

async function actionsAt(doc: vscode.TextDocument, range: vscode.Range, kind?: vscode.CodeActionKind): Promise<vscode.CodeAction[]> {
  const all = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', doc.uri, range, kind?.value);
  return (all ?? []).filter(isCodeAction);
}

/** Applies an action's edit as the light bulb does, and returns the document's text after it. */
async function apply(doc: vscode.TextDocument, action: vscode.CodeAction): Promise<string> {
  assert.ok(action.edit, `"${action.title}" has no edit`);
  assert.equal(await vscode.workspace.applyEdit(action.edit), true, `"${action.title}" was not applied`);
  return doc.getText();
}

suite('Quick fixes', () => {
  suiteSetup(getApi);
  teardown(closeAllEditors);

  test('an en dash before an operator is fixed to a hyphen', async () => {
    const doc = (await openScratchRule('user.department –eq "Sales"')).document;
    const [d] = await diagnosticsOf(doc, 'syntax/typographic-dash');
    assert.equal(doc.getText(d!.range), '–');
    const fixes = await actionsAt(doc, d!.range, vscode.CodeActionKind.QuickFix);
    const fix = fixes.find((f) => f.isPreferred);
    assert.ok(fix, `no preferred quick fix for the en dash; got ${fixes.map((f) => f.title).join(' | ')}`);
    assert.match(fix.title, /hyphen/);
    assert.equal(await apply(doc, fix), 'user.department -eq "Sales"');
    await waitFor(() => vscode.languages.getDiagnostics(doc.uri).length === 0, 'the error to go away');
  });

  test('curly quotes around a value are fixed to straight quotes', async () => {
    const doc = (await openScratchRule('user.department -eq “Sales”')).document;
    const [d] = await diagnosticsOf(doc, 'syntax/typographic-quote');
    const fixes = await actionsAt(doc, d!.range, vscode.CodeActionKind.QuickFix);
    const fix = fixes.find((f) => /quote/i.test(f.title));
    assert.ok(fix, `no quick fix for the curly quotes; got ${fixes.map((f) => f.title).join(' | ')}`);
    assert.equal(await apply(doc, fix), 'user.department -eq "Sales"');
    await waitFor(() => vscode.languages.getDiagnostics(doc.uri).length === 0, 'the error to go away');
  });

  for (const kind of [vscode.CodeActionKind.SourceFixAll, vscode.CodeActionKind.SourceFixAll.append('dynrule')]) {
    // "source.fixAll.dynrule" is what "editor.codeActionsOnSave" asks for when it names us.
    test(`"Fix all" asked for as ${kind.value} repairs a rule pasted from Word in one edit`, async () => {
      const sample = readFileSync(workspacePath('invalid/pasted-from-word.dynrule'), 'utf8');
      const doc = (await openScratchRule(sample)).document;
      await diagnosticsOf(doc, 'syntax/typographic-quote');
      const whole = new vscode.Range(0, 0, doc.lineCount, 0);
      const actions = await actionsAt(doc, whole, kind);
      assert.deepEqual(actions.map((a) => a.kind?.value), ['source.fixAll.dynrule']);
      const after = await apply(doc, actions[0]!);
      assert.equal(after.split('\n').filter((l) => !l.startsWith('#')).join('\n').trim(),
        'user.department -eq "Sales" -and user.country -eq "US"');
      await waitFor(() => !vscode.languages.getDiagnostics(doc.uri).some((x) => x.severity === vscode.DiagnosticSeverity.Error), 'every error to go away');
    });
  }

  test('a misspelt property offers the property it probably meant', async () => {
    const doc = (await openScratchRule('user.departmnet -eq "Sales"')).document;
    const [d] = await diagnosticsOf(doc, 'type/unknown-property');
    const fixes = await actionsAt(doc, d!.range, vscode.CodeActionKind.QuickFix);
    const fix = fixes.find((f) => /department/.test(f.title));
    assert.ok(fix, `no fix naming department; got ${fixes.map((f) => f.title).join(' | ')}`);
    assert.equal(await apply(doc, fix), 'user.department -eq "Sales"');
  });
});
