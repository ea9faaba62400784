import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CurrentRuleResponse } from '../../../protocol/src/protocol';
import { closeAllEditors, getApi, openRuleFile, waitFor } from './helpers';

const e3Rule = 'rules/licensing/m365-e3-all-staff.dynrule';

suite("Compare with the group's current rule", () => {
  suiteSetup(async () => {
    const api = await getApi();
    await waitFor(() => api.tenant.current?.state === 'ready', 'the tenant to load');
  });
  teardown(closeAllEditors);

  test('opens the current rule beside the edited one as a diff', async () => {
    const doc = await openRuleFile(e3Rule);
    const r = await vscode.commands.executeCommand<CurrentRuleResponse>('dynrule.compareWithCurrentRule', doc.uri);
    assert.equal(r?.ok, true, r?.reason);
    const diff = await waitFor(() => vscode.window.tabGroups.all.flatMap((g) => g.tabs)
      .map((t) => t.input).find((i): i is vscode.TabInputTextDiff => i instanceof vscode.TabInputTextDiff && i.original.scheme === 'dynrule-current'), 'the diff editor');
    assert.equal(diff.modified.toString(), doc.uri.toString());
    const current = await vscode.workspace.openTextDocument(diff.original);
    assert.equal(current.getText(), r!.text);
    // The edit drops the Retail Operations exclusion: that line is what the diff shows.
    assert.ok(current.getText().includes('-and user.department -ne "Retail Operations"'));
    assert.ok(!doc.getText().includes('Retail Operations"'));
  });
});
