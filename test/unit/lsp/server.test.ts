import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, CompletionList, Diagnostic, Hover, SemanticTokens, TextEdit } from 'vscode-languageserver-protocol';
import { startHarness, type Harness } from '../../support/lsp';

/** Applies LSP text edits to a text. */
function applyEdits(text: string, edits: readonly TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'dynrule', 1, text), [...edits]);
}

/** Splits `|` out of a text: the cursor offset and the text without it. */
function marker(text: string): { text: string; offset: number } {
  const offset = text.indexOf('|');
  return { text: text.slice(0, offset) + text.slice(offset + 1), offset };
}

const position = (text: string, offset: number) => TextDocument.create('file:///x', 'dynrule', 1, text).positionAt(offset);

describe('language server over LSP (in-process, real protocol connection)', () => {
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(() => h.close());

  it('announces its capabilities', () => {
    const c = h.init.capabilities;
    assert.equal(c.textDocumentSync, 2);
    assert.ok(c.completionProvider?.triggerCharacters?.includes('.'));
    assert.ok(c.completionProvider?.triggerCharacters?.includes('-'));
    assert.equal(c.hoverProvider, true);
    assert.equal(c.documentFormattingProvider, true);
    assert.equal(c.inlayHintProvider, true);
    assert.deepEqual((c.codeActionProvider as { codeActionKinds: string[] }).codeActionKinds, ['quickfix', 'source.fixAll.dynrule', 'source.explain']);
    assert.ok(c.semanticTokensProvider?.legend.tokenTypes.includes('property'));
    assert.equal(c.foldingRangeProvider, true);
    assert.equal(c.documentSymbolProvider, true);
    assert.ok(c.codeLensProvider);
  });

  it('publishes diagnostics with exact ranges, severity, stable code, source and docs link', async () => {
    const uri = await h.open('typo.dynrule', '# Sales\nuser.departmnt -eq "Sales"\n');
    const { diagnostics } = await h.diagnostics(uri);
    assert.equal(diagnostics.length, 1);
    const d = diagnostics[0]!;
    assert.deepEqual(d.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 14 } });
    assert.equal(d.severity, 1);
    assert.equal(d.code, 'type/unknown-property');
    assert.equal(d.source, 'dynrule');
    assert.match(d.codeDescription?.href ?? '', /^https:\/\/learn\.microsoft\.com\//);
  });

  it('updates diagnostics as the user types', async () => {
    const uri = await h.open('edit.dynrule', 'user.department -eq');
    assert.equal((await h.diagnostics(uri, 1)).diagnostics[0]!.code, 'syntax/missing-value');
    await h.change(uri, 'user.department -eq "Sales"');
    assert.deepEqual((await h.diagnostics(uri, 2)).diagnostics, []);
  });

  it('gives no errors or warnings for any sample rule, and the expected codes for every broken one', async () => {
    for (const file of readdirSync('samples/rules').filter((f) => f.endsWith('.dynrule'))) {
      const uri = await h.open(file, readFileSync(path.join('samples/rules', file), 'utf8'));
      const bad = (await h.diagnostics(uri)).diagnostics.filter((d) => d.severity === 1 || d.severity === 2);
      assert.deepEqual(bad.map((d) => d.code), [], file);
    }
    for (const file of readdirSync('samples/invalid').filter((f) => f.endsWith('.dynrule'))) {
      const text = readFileSync(path.join('samples/invalid', file), 'utf8');
      const expected = /^# expect: (.*)$/m.exec(text)![1]!.split(',').map((s) => s.trim());
      const uri = await h.open(file, text);
      const codes = new Set((await h.diagnostics(uri)).diagnostics.map((d) => String(d.code)));
      for (const code of expected) assert.ok(codes.has(code), `${file}: expected ${code}, got ${[...codes].join(', ')}`);
    }
  });

  it('offers only the operators a property type allows, and applying one gives the expected text', async () => {
    const { text, offset } = marker('user.accountEnabled -|');
    const uri = await h.open('ops.dynrule', text);
    const list = await h.client.sendRequest<CompletionList>('textDocument/completion', { textDocument: { uri }, position: position(text, offset) });
    const labels = list.items.map((i) => i.label);
    assert.ok(labels.includes('-eq') && labels.includes('-ne'), labels.join(' '));
    assert.ok(!labels.includes('-contains') && !labels.includes('-startsWith'), labels.join(' '));
    const eq = list.items.find((i) => i.label === '-eq')!;
    assert.equal(applyEdits(text, [eq.textEdit as TextEdit]).trimEnd(), 'user.accountEnabled -eq');
  });

  it('completes properties after user.', async () => {
    const { text, offset } = marker('user.dep|');
    const uri = await h.open('props.dynrule', text);
    const list = await h.client.sendRequest<CompletionList>('textDocument/completion', { textDocument: { uri }, position: position(text, offset) });
    const item = list.items.find((i) => i.label === 'department');
    assert.ok(item, list.items.map((i) => i.label).join(' '));
    assert.equal(applyEdits(text, [item.textEdit as TextEdit]), 'user.department');
    assert.ok(!list.items.some((i) => i.label === 'deviceModel'));
  });

  it('applies every quick fix of the broken samples and the problem goes away', async () => {
    let applied = 0;
    for (const file of readdirSync('samples/invalid').filter((f) => f.endsWith('.dynrule'))) {
      const text = readFileSync(path.join('samples/invalid', file), 'utf8');
      const uri = await h.open(file, text);
      const diagnostics = (await h.diagnostics(uri)).diagnostics;
      for (const d of diagnostics) {
        const actions = await h.client.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d], only: ['quickfix'] } });
        for (const a of actions) {
          const edits = a.edit!.changes![uri]!;
          const fixed = applyEdits(text, edits);
          assert.notEqual(fixed, text, `${file}: "${a.title}" changed nothing`);
          const check = await h.open(`fixed-${file}`, fixed);
          const after = (await h.diagnostics(check)).diagnostics;
          const same = after.filter((x: Diagnostic) => x.code === d.code && x.range.start.line === d.range.start.line && x.range.start.character === d.range.start.character);
          assert.equal(same.length, 0, `${file}: "${a.title}" left ${String(d.code)} in place:\n${fixed}`);
          applied++;
        }
      }
    }
    assert.ok(applied >= 25, `only ${applied} quick fixes were applied`);
  });

  it('fixes all auto-fixable problems at once (source.fixAll)', async () => {
    const text = 'user.Department –eq “Sales” and user.accountEnabled eq "true"';
    const uri = await h.open('fixall.dynrule', text);
    await h.diagnostics(uri);
    const actions = await h.client.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['source.fixAll'] } });
    assert.equal(actions.length, 1);
    assert.equal(applyEdits(text, actions[0]!.edit!.changes![uri]!), 'user.department -eq "Sales" -and user.accountEnabled -eq true');
  });

  it('formats idempotently and keeps every sample rule free of errors', async () => {
    for (const file of readdirSync('samples/rules').filter((f) => f.endsWith('.dynrule'))) {
      const text = readFileSync(path.join('samples/rules', file), 'utf8');
      const uri = await h.open(file, text);
      const edits = await h.client.sendRequest<TextEdit[]>('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
      const once = applyEdits(text, edits);
      const uri2 = await h.open(`formatted-${file}`, once);
      const edits2 = await h.client.sendRequest<TextEdit[]>('textDocument/formatting', { textDocument: { uri: uri2 }, options: { tabSize: 2, insertSpaces: true } });
      assert.equal(applyEdits(once, edits2), once, `${file} is not stable under formatting`);
      const errors = (await h.diagnostics(uri2)).diagnostics.filter((d) => d.severity === 1);
      assert.deepEqual(errors, [], file);
    }
  });

  it('hovers a property with its type and Graph field', async () => {
    const text = 'user.mobile -eq null';
    const uri = await h.open('hover.dynrule', text);
    const hover = await h.client.sendRequest<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 7 } });
    const value = (hover.contents as { value: string }).value;
    assert.match(value, /mobile/);
    assert.match(value, /mobilePhone/);
  });

  it('returns semantic tokens, folding ranges and an outline', async () => {
    const text = '# Sales\n# team\n(user.department -eq "Sales" -or\n  user.department -eq "Marketing")\n-and user.accountEnabled -eq true';
    const uri = await h.open('tokens.dynrule', text);
    const tokens = await h.client.sendRequest<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri } });
    assert.ok(tokens.data.length >= 5 * 8, `only ${tokens.data.length / 5} tokens`);
    const folds = await h.client.sendRequest<{ startLine: number; endLine: number }[]>('textDocument/foldingRange', { textDocument: { uri } });
    assert.ok(folds.some((f) => f.startLine === 0 && f.endLine === 1), JSON.stringify(folds));
    assert.ok(folds.some((f) => f.startLine === 2 && f.endLine === 3), JSON.stringify(folds));
    // A closing parenthesis on a line of its own stays visible under the folded group.
    const own = await h.open('fold-own-line.dynrule', '(\n  user.department -eq "Sales"\n  -or user.city -eq "Oslo"\n)\n-and user.accountEnabled -eq true');
    const ownFolds = await h.client.sendRequest<{ startLine: number; endLine: number }[]>('textDocument/foldingRange', { textDocument: { uri: own } });
    assert.deepEqual(ownFolds.map((f) => [f.startLine, f.endLine]), [[0, 2]]);
    const symbols = await h.client.sendRequest<{ name: string; children?: unknown[] }[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.ok(symbols.length > 0);
  });

  it('survives a handler that throws: logs it, answers neutrally, keeps serving', async () => {
    const r = await h.client.sendRequest('dynrule/preview', null);
    assert.deepEqual(r, { ok: false, reason: 'the preview failed (see the output log)', tenant: '' });
    assert.ok(h.logs.some((l) => /\[error\] preview failed: TypeError/.test(l)), h.logs.join('\n'));
    const uri = await h.open('after-crash.dynrule', 'user.city -eq');
    assert.equal((await h.diagnostics(uri)).diagnostics[0]!.code, 'syntax/missing-value');
  });
});
