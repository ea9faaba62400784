import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import {
  closeAllEditors, diagnosticCode, expectedCodes, getApi, openRuleFile, waitFor, workspacePath, workspaceUri,
} from './helpers';

// Every broken sample names the codes it must produce on its first line (`# expect: a/b, c/d`):
// the same contract the core's unit tests check, here through the real editor.
const invalidDir = 'invalid';

suite('Diagnostics', () => {
  suiteSetup(async () => {
    await getApi();
  });
  teardown(closeAllEditors);

  test('every broken sample gets exactly the codes its "# expect:" line names', async function () {
    this.timeout(60_000);
    const files = readdirSync(workspacePath(invalidDir)).filter((f) => f.endsWith('.dynrule')).sort();
    assert.ok(files.length >= 15, `only ${files.length} broken samples`);
    // Opened without an editor each: the language client syncs every open dynrule document.
    const docs = await Promise.all(files.map((f) => vscode.workspace.openTextDocument(workspaceUri(`${invalidDir}/${f}`))));
    const failures: string[] = [];
    for (const doc of docs) {
      const name = vscode.workspace.asRelativePath(doc.uri);
      const expected = expectedCodes(doc.getText());
      assert.ok(expected.length > 0, `${name}: the first line must be # expect: <code>[, <code>...]`);
      const diagnostics = await waitFor(() => {
        const d = vscode.languages.getDiagnostics(doc.uri);
        return d.length > 0 && d;
      }, `diagnostics for ${name}`);
      const codes = new Set(diagnostics.map(diagnosticCode));
      const missing = expected.filter((c) => !codes.has(c));
      // Errors and warnings that the line does not name are wrong; infos (advice) may accompany.
      const unexpected = diagnostics
        .filter((d) => d.severity <= vscode.DiagnosticSeverity.Warning && !expected.includes(diagnosticCode(d)))
        .map((d) => `${diagnosticCode(d)}: ${d.message}`);
      if (missing.length || unexpected.length) {
        failures.push(`${name}: missing ${JSON.stringify(missing)}, unexpected ${JSON.stringify(unexpected)}`);
      }
      for (const d of diagnostics) {
        assert.equal(d.source, 'dynrule', `${name}: ${diagnosticCode(d)} has source ${d.source}`);
        // An exact range on the rule, not the whole document or a comment line.
        assert.ok(!d.range.isEmpty || d.range.start.line > 1, `${name}: ${diagnosticCode(d)} has an empty range`);
        assert.ok(!doc.lineAt(d.range.start.line).text.trimStart().startsWith('#'), `${name}: ${diagnosticCode(d)} is on a comment line`);
      }
    }
    assert.deepEqual(failures, []);
  });

  test('three-mistakes.dynrule: each error is underlined exactly where it is', async () => {
    const doc = await openRuleFile(`${invalidDir}/three-mistakes.dynrule`);
    const errors = await waitFor(() => {
      const d = vscode.languages.getDiagnostics(doc.uri).filter((x) => x.severity === vscode.DiagnosticSeverity.Error);
      return d.length >= 3 && d;
    }, 'three errors');
    assert.deepEqual(
      errors.map((d) => [diagnosticCode(d), doc.getText(d.range)]).sort(),
      [['syntax/unknown-operator', '-gt'], ['type/operator-not-allowed', '-contains'], ['type/unknown-property', 'user.departmnet']],
    );
  });

  test('a valid sample has no diagnostics, and an edit that breaks it gets one that clears when undone', async () => {
    const doc = await openRuleFile('rules/all-employees.dynrule');
    const text = readFileSync(doc.uri.fsPath, 'utf8');
    assert.ok(!text.includes('-gt'), 'the sample must not contain -gt');
    // "None" only means something once the server has answered for this document: break the rule,
    // see the error arrive, undo, and see the list become empty again.
    const editor = vscode.window.activeTextEditor!;
    const last = doc.lineAt(doc.lineCount - 1);
    const lastRuleLine = last.isEmptyOrWhitespace ? doc.lineAt(doc.lineCount - 2) : last;
    await editor.edit((b) => b.insert(lastRuleLine.range.end, ' -and user.employeeHireDate -gt 2024-01-01T00:00:00Z'));
    await waitFor(() => vscode.languages.getDiagnostics(doc.uri).some((d) => diagnosticCode(d) === 'syntax/unknown-operator'), 'the -gt error');
    await vscode.commands.executeCommand('undo');
    await waitFor(() => doc.getText() === text || undefined, 'the undo');
    await waitFor(() => vscode.languages.getDiagnostics(doc.uri).length === 0, () => `no diagnostics; got ${vscode.languages.getDiagnostics(doc.uri).map(diagnosticCode).join(', ')}`);
    assert.equal(doc.isDirty, false);
  });

  test('the valid samples in rules/ report no errors or warnings', async function () {
    this.timeout(60_000);
    const files = (await vscode.workspace.findFiles('rules/**/*.dynrule')).sort((a, b) => a.path.localeCompare(b.path));
    assert.ok(files.length >= 20, `only ${files.length} valid samples`);
    const docs = await Promise.all(files.map((f) => vscode.workspace.openTextDocument(f)));
    // "None" needs a moment when the server has seen them all: it checks documents in the order
    // they were opened, so once a broken document opened after them has its error, they are done.
    const sentinel = await vscode.workspace.openTextDocument({ language: 'dynrule', content: 'user.department -gt "x"' });
    await waitFor(() => vscode.languages.getDiagnostics(sentinel.uri).length > 0, 'diagnostics of the document opened last');
    const problems = docs.flatMap((doc) => vscode.languages.getDiagnostics(doc.uri)
      .filter((d) => d.severity <= vscode.DiagnosticSeverity.Warning)
      .map((d) => `${vscode.workspace.asRelativePath(doc.uri)}: ${diagnosticCode(d)} ${d.message}`));
    assert.deepEqual(problems, []);
  });
});
