import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { closeAllEditors, diagnosticCode, getApi, repoRoot, waitFor, workspacePath, workspaceUri } from './helpers';

// A Terraform file in a workspace without a Terraform extension: the document is plain text, and
// the rule string inside its azuread_group still gets its squiggles where the characters are.
suite('Rules inside infrastructure code', () => {
  const folder = 'iac-e2e';
  suiteSetup(async () => {
    await getApi();
    mkdirSync(workspacePath(folder), { recursive: true });
    writeFileSync(join(workspacePath(folder), 'groups.tf'), readFileSync(join(repoRoot, 'test/fixtures/iac/groups.tf'), 'utf8'));
  });
  suiteTeardown(() => rmSync(workspacePath(folder), { recursive: true, force: true }));
  teardown(closeAllEditors);

  test('a squiggle inside a .tf rule, after its escapes, and none outside the rule', async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceUri(`${folder}/groups.tf`));
    await vscode.window.showTextDocument(doc);
    const diagnostics = await waitFor(() => {
      const d = vscode.languages.getDiagnostics(doc.uri).filter((x) => x.source === 'dynrule');
      return d.length >= 4 && d;
    }, 'diagnostics in groups.tf');
    const unknown = diagnostics.find((d) => diagnosticCode(d) === 'type/unknown-property')!;
    assert.equal(doc.getText(unknown.range), 'user.departmnt');
    assert.deepEqual([unknown.range.start.line, unknown.range.start.character], [18, 50]);
    assert.equal(unknown.severity, vscode.DiagnosticSeverity.Error);
    // Eight characters of the host (`\"true\"`) for the rule's six.
    const quoted = diagnostics.find((d) => diagnosticCode(d) === 'type/quoted-boolean')!;
    assert.equal(doc.getText(quoted.range), '\\"true\\"');
    for (const d of diagnostics) {
      assert.match(doc.lineAt(d.range.start.line).text, /^\s*(rule\s*=|[^=]*“)/, `${diagnosticCode(d)} is not on a rule line`);
    }
  });
});
