import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, CompletionList, Diagnostic, Hover, TextEdit } from 'vscode-languageserver-protocol';
import { startHarness, type Harness } from '../../support/lsp';

const fixture = (name: string): string => readFileSync(`test/fixtures/iac/${name}`, 'utf8');
const show = (d: Diagnostic): string => `${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1} ${String(d.code)}`;

/** The text with `|` removed, and the LSP position of the `|`. */
function marker(text: string): { text: string; position: { line: number; character: number } } {
  const offset = text.indexOf('|');
  const clean = text.slice(0, offset) + text.slice(offset + 1);
  return { text: clean, position: TextDocument.create('file:///x', 'x', 1, clean).positionAt(offset) };
}

const applyEdits = (text: string, edits: readonly TextEdit[]): string =>
  TextDocument.applyEdits(TextDocument.create('file:///x', 'x', 1, text), [...edits]);

describe('language server: rules inside Terraform, Bicep and PowerShell documents', () => {
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(() => h.close());

  it('publishes diagnostics at the host positions, by language id or by file name alone', async () => {
    const tf = await h.open('groups.tf', fixture('groups.tf'), 'terraform');
    assert.deepEqual((await h.diagnostics(tf)).diagnostics.map(show), [
      '19:51-19:65 type/unknown-property',
      '29:28-29:34 syntax/typographic-quote',
      '38:38-38:55 iac/template-in-rule',
      '47:87-47:95 type/quoted-boolean',
    ]);
    // No Terraform extension: the document is plain text, the file name says what it is.
    const plain = await h.open('groups.tf', fixture('groups.tf'), 'plaintext');
    assert.equal((await h.diagnostics(plain)).diagnostics.length, 4);
    const bicep = await h.open('groups.bicep', fixture('groups.bicep'), 'bicep');
    assert.deepEqual((await h.diagnostics(bicep)).diagnostics.map(show), ['18:89-18:103 type/unknown-property', '30:9-30:86 perf/or-chain', '40:41-40:54 iac/template-in-rule']);
    const ps = await h.open('M365TenantConfig.ps1', fixture('M365TenantConfig.ps1'), 'powershell');
    const psDiagnostics = (await h.diagnostics(ps)).diagnostics;
    assert.equal(psDiagnostics.length, 4);
    assert.ok(psDiagnostics.every((d) => d.source === 'dynrule'));
    const none = await h.open('no-groups.tf', fixture('no-groups.tf'), 'terraform');
    assert.deepEqual((await h.diagnostics(none)).diagnostics, []);
  });

  it('follows edits', async () => {
    const text = 'resource "azuread_group" "g" {\n  dynamic_membership {\n    rule = "user.city -eq"\n  }\n}\n';
    const uri = await h.open('edit.tf', text, 'terraform');
    assert.equal((await h.diagnostics(uri, 1)).diagnostics[0]!.code, 'syntax/missing-value');
    await h.change(uri, text.replace('-eq"', '-eq \\"Oslo\\""'));
    assert.deepEqual((await h.diagnostics(uri, 2)).diagnostics, []);
  });

  it('hovers inside the rule string only', async () => {
    const { text, position } = marker('resource "azuread_group" "g" {\n  display_name = "G"\n  dynamic_membership {\n    rule = "user.dep|artment -eq \\"Sales\\""\n  }\n}\n');
    const uri = await h.open('hover.tf', text, 'terraform');
    const hover = await h.client.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position });
    assert.match(JSON.stringify(hover!.contents), /department/);
    assert.deepEqual(hover!.range, { start: { line: 3, character: 12 }, end: { line: 3, character: 27 } });
    for (const outside of [{ line: 1, character: 4 }, { line: 3, character: 6 }, { line: 3, character: 8 }]) {
      assert.equal(await h.client.sendRequest('textDocument/hover', { textDocument: { uri }, position: outside }), null);
    }
  });

  it('completes inside the rule string with the host\'s escaping, and nowhere else', async () => {
    const { text, position } = marker('AADGroup G {\n  DisplayName = "G"\n  MembershipRule = "user.userType -eq |"\n}\n');
    const uri = await h.open('complete.ps1', text, 'powershell');
    const list = await h.client.sendRequest<CompletionList>('textDocument/completion', { textDocument: { uri }, position });
    const member = list.items.find((i) => i.label === 'Member')!;
    assert.equal((member.textEdit as TextEdit).newText, '`"Member`"');
    assert.equal(applyEdits(text, [member.textEdit as TextEdit]).split('\n')[2], '  MembershipRule = "user.userType -eq `"Member`""');
    assert.ok(list.items.every((i) => i.insertTextFormat !== 2), 'no snippets in host documents');
    const outside = await h.client.sendRequest<CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line: 1, character: 2 } });
    assert.deepEqual(outside.items, []);
  });

  it('quick fixes edit the host text with its escaping, and offer nothing else', async () => {
    const text = 'resource "azuread_group" "g" {\n  dynamic_membership {\n    rule = "user.city -eq “Oslo”"\n  }\n}\n';
    const uri = await h.open('fix.tf', text, 'terraform');
    const { diagnostics } = await h.diagnostics(uri);
    const actions = await h.client.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri }, range: diagnostics[0]!.range, context: { diagnostics },
    });
    assert.ok(actions.length > 0 && actions.every((a) => a.kind === 'quickfix'), JSON.stringify(actions.map((a) => a.kind)));
    const fixed = applyEdits(text, actions[0]!.edit!.changes![uri]!);
    assert.equal(fixed.split('\n')[2], '    rule = "user.city -eq \\"Oslo\\""');
    await h.change(uri, fixed);
    assert.deepEqual((await h.diagnostics(uri, 2)).diagnostics, []);
  });

  it('gives the rule-file features nothing for a host document', async () => {
    const uri = await h.open('quiet.tf', fixture('groups.tf'), 'terraform');
    await h.diagnostics(uri);
    const doc = { textDocument: { uri } };
    assert.deepEqual(await h.client.sendRequest('textDocument/formatting', { ...doc, options: { tabSize: 2, insertSpaces: true } }), []);
    assert.deepEqual(await h.client.sendRequest('textDocument/semanticTokens/full', doc), { data: [] });
    assert.deepEqual(await h.client.sendRequest('textDocument/foldingRange', doc), []);
    assert.deepEqual(await h.client.sendRequest('textDocument/documentSymbol', doc), []);
    assert.deepEqual(await h.client.sendRequest('textDocument/codeLens', doc), []);
    assert.deepEqual(await h.client.sendRequest('textDocument/inlayHint', { ...doc, range: { start: { line: 0, character: 0 }, end: { line: 60, character: 0 } } }), []);
    assert.deepEqual(await h.client.sendRequest('textDocument/codeAction', { ...doc, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] } }), []);
  });
});

describe('language server: a client that registers dynamically', () => {
  it('gets formatting, highlighting, folding, outline, code lens and inlay hints for rule files only', async () => {
    const dynamic = { dynamicRegistration: true };
    const h = await startHarness({
      capabilities: {
        window: { workDoneProgress: true },
        textDocument: { formatting: dynamic, semanticTokens: { ...dynamic, requests: { full: true }, tokenTypes: [], tokenModifiers: [], formats: ['relative'] }, foldingRange: dynamic, documentSymbol: dynamic, codeLens: dynamic, inlayHint: dynamic },
      },
    });
    try {
      const c = h.init.capabilities;
      for (const k of ['documentFormattingProvider', 'semanticTokensProvider', 'foldingRangeProvider', 'documentSymbolProvider', 'codeLensProvider', 'inlayHintProvider'] as const) {
        assert.equal(c[k], undefined, k);
      }
      assert.equal(c.hoverProvider, true);
      // Registrations arrive after `initialized`: wait for them.
      const deadline = Date.now() + 10_000;
      while (h.registrations.length < 6 && Date.now() < deadline) await new Promise((r) => setImmediate(r));
      assert.deepEqual(h.registrations.map((r) => r.method).sort(), [
        'textDocument/codeLens', 'textDocument/documentSymbol', 'textDocument/foldingRange', 'textDocument/formatting', 'textDocument/inlayHint', 'textDocument/semanticTokens',
      ]);
      // Code lenses also sit on changes files (the what-if of the file); the rest are for rule files only.
      const changes = [{ scheme: 'file', pattern: '**/changes/*.{csv,json}' }, { scheme: 'file', pattern: '**/*.changes.{csv,json}' }];
      for (const r of h.registrations) {
        assert.deepEqual((r.registerOptions as { documentSelector: unknown }).documentSelector,
          [{ language: 'dynrule' }, { pattern: '**/*.dynrule' }, ...(r.method === 'textDocument/codeLens' ? changes : [])], r.method);
      }
      const legend = (h.registrations.find((r) => r.method === 'textDocument/semanticTokens')!.registerOptions as { legend: { tokenTypes: string[] } }).legend;
      assert.ok(legend.tokenTypes.includes('property'));
    } finally {
      h.close();
    }
  });
});
