import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, getApi, openScratchRule, waitFor } from './helpers';

/**
 * Completion at the end of `text` (or at `|` in it) through VS Code's own command, as the suggest
 * widget asks for it. Waits for the tenant (values and plan names come from it).
 */
async function completeAt(marked: string, trigger?: string): Promise<{ editor: vscode.TextEditor; items: vscode.CompletionItem[] }> {
  const at = marked.includes('|') ? marked.indexOf('|') : marked.length;
  const editor = await openScratchRule(marked.replace('|', ''));
  const position = editor.document.positionAt(at);
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, position, trigger);
  return { editor, items: list?.items ?? [] };
}

const label = (i: vscode.CompletionItem): string => (typeof i.label === 'string' ? i.label : i.label.label);

/** The text of the document after accepting `item` the way the suggest widget does. */
async function accept(editor: vscode.TextEditor, item: vscode.CompletionItem): Promise<string> {
  const range = item.range instanceof vscode.Range ? item.range : item.range?.replacing;
  assert.ok(range, `${label(item)} has no range to replace`);
  const text = typeof item.insertText === 'string' ? item.insertText : item.insertText?.value ?? label(item);
  if (item.insertText instanceof vscode.SnippetString) await editor.insertSnippet(item.insertText, range);
  else await editor.edit((b) => b.replace(range, text));
  return editor.document.getText();
}

suite('Completion', () => {
  suiteSetup(async () => {
    const api = await getApi();
    await waitFor(() => api.tenant.current?.state === 'ready', 'the tenant to load');
  });
  teardown(closeAllEditors);

  test('after "user." it offers user properties, and picking one completes the text', async () => {
    const { editor, items } = await completeAt('user.', '.');
    const labels = items.map(label);
    for (const p of ['accountEnabled', 'department', 'userPrincipalName', 'assignedPlans', 'extensionAttribute7', 'employeeHireDate']) {
      assert.ok(labels.includes(p), `${p} is not offered; got ${labels.slice(0, 20).join(', ')}…`);
    }
    // Device properties belong to device rules.
    for (const p of ['deviceOSType', 'devicePhysicalIds']) assert.ok(!labels.includes(p), `${p} is offered after user.`);
    const department = items.find((i) => label(i) === 'department')!;
    assert.equal(department.kind, vscode.CompletionItemKind.Field);
    assert.match(String(department.detail ?? ''), /string/);
    assert.equal(await accept(editor, department), 'user.department');
  });

  test('after a boolean property only the operators a boolean takes are offered', async () => {
    const { items } = await completeAt('user.accountEnabled ', ' ');
    const labels = items.map(label).sort();
    assert.deepEqual(labels, ['-eq', '-ne']);
    // A string property takes many more.
    const { items: stringOps } = await completeAt('user.department ', ' ');
    const forString = stringOps.map(label);
    for (const op of ['-eq', '-ne', '-startsWith', '-contains', '-match', '-in', '-notIn']) {
      assert.ok(forString.includes(op), `${op} is not offered for a string; got ${forString.join(', ')}`);
    }
    assert.ok(!forString.includes('-ge'), '-ge is only for dates');
  });

  test('inside assignedPlan.servicePlanId -eq " it offers service plan GUIDs with their names', async () => {
    const text = 'user.assignedPlans -any (assignedPlan.servicePlanId -eq "|")';
    const { editor, items } = await completeAt(text, '"');
    assert.ok(items.length > 10, `only ${items.length} items`);
    const exchange = items.find((i) => label(i) === 'EXCHANGE_S_ENTERPRISE');
    assert.ok(exchange, `EXCHANGE_S_ENTERPRISE is not offered; got ${items.slice(0, 15).map(label).join(', ')}…`);
    assert.equal(exchange.kind, vscode.CompletionItemKind.Constant);
    assert.match(String(exchange.detail ?? ''), /Exchange Online/);
    // Every item is a GUID under a plan name, and the name can be typed to find it.
    for (const i of items) {
      const insert = typeof i.insertText === 'string' ? i.insertText : i.insertText?.value ?? '';
      assert.match(insert, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"?$/, `${label(i)} inserts ${insert}`);
    }
    assert.match(exchange.filterText ?? '', /EXCHANGE_S_ENTERPRISE/);
    const after = await accept(editor, exchange);
    assert.match(after, /assignedPlan\.servicePlanId -eq "efb87545-963c-4e0d-99df-69c6916d9eb0"/);
  });

  test('the values seen in the tenant are offered for a string property', async () => {
    const { items } = await completeAt('user.department -eq "', '"');
    const labels = items.map(label);
    assert.ok(labels.some((l) => /Sales/.test(l)), `no Sales among ${labels.slice(0, 20).join(', ')}`);
  });
});
