/**
 * Editing a rule from its first keystroke, over a real protocol connection: a new empty file is
 * not an error, an unclosed parenthesis has a quick fix, and Format Document indents with the
 * editor's tab size.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { startHarness, type Harness } from '../../support/lsp';

const applyEdits = (text: string, edits: readonly TextEdit[]): string =>
  TextDocument.applyEdits(TextDocument.create('file:///x', 'dynrule', 1, text), [...edits]);
const ERROR = 1;
const HINT = 4;

describe('language server: editing a rule', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  it('a new empty file is not an error; a file with only comments is, and a rule clears it', async () => {
    const uri = await h.open('new.dynrule', '');
    const blank = (await h.diagnostics(uri, 1)).diagnostics;
    assert.deepEqual(blank.filter((d) => d.severity !== HINT), [], JSON.stringify(blank));
    await h.change(uri, '# Sales staff\n');
    const comment = (await h.diagnostics(uri, 2)).diagnostics;
    assert.deepEqual(comment.map((d) => [d.code, d.severity]), [['rule/empty', ERROR]]);
    await h.change(uri, '# Sales staff\nuser.department -eq "Sales"\n');
    assert.deepEqual((await h.diagnostics(uri, 3)).diagnostics, []);
  });

  it('an unclosed parenthesis has a quick fix that closes every open bracket', async () => {
    const text = '(user.department -eq "Sales" -or user.city -in ["Oslo", "Bergen"';
    const uri = await h.open('unclosed.dynrule', text);
    const d = (await h.diagnostics(uri)).diagnostics.find((x: Diagnostic) => x.code === 'syntax/unclosed-bracket' || x.code === 'syntax/unclosed-paren');
    assert.ok(d, 'no unclosed-bracket diagnostic');
    const actions = await h.client.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d], only: ['quickfix'] } });
    assert.equal(actions.length, 1, JSON.stringify(actions));
    const fixed = applyEdits(text, actions[0]!.edit!.changes![uri]!);
    assert.equal(fixed, `${text}])`);
    const after = await h.open('fixed.dynrule', fixed);
    assert.deepEqual((await h.diagnostics(after)).diagnostics.filter((x) => x.severity === ERROR), []);
  });

  describe('Format Document uses the editor\'s indentation', () => {
    const text = readFileSync('samples/rules/licensing/m365-e3-all-staff.dynrule', 'utf8');
    const continuation = async (options: { tabSize: number; insertSpaces: boolean }): Promise<string[]> => {
      const uri = await h.open('format.dynrule', text);
      const edits = await h.client.sendRequest<TextEdit[]>('textDocument/formatting', { textDocument: { uri }, options });
      return applyEdits(text, edits).split('\n').filter((l) => /^\s+-and /.test(l)).map((l) => /^\s+/.exec(l)![0]);
    };

    it('tab size 4 with spaces indents continuation lines by four spaces', async () => {
      const indents = await continuation({ tabSize: 4, insertSpaces: true });
      assert.ok(indents.length >= 3);
      assert.deepEqual(new Set(indents), new Set(['    ']));
    });

    it('tabs indent with a tab; tab size 2 with two spaces', async () => {
      assert.deepEqual(new Set(await continuation({ tabSize: 4, insertSpaces: false })), new Set(['\t']));
      assert.deepEqual(new Set(await continuation({ tabSize: 2, insertSpaces: true })), new Set(['  ']));
    });
  });
});
