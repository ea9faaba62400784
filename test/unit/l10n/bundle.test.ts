import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { l10n } from '../../../grammar/src/index';
import { BUNDLE, REPO, bundleText, collectMessages, isMessageCall, placeholders, sourceFiles } from '../../../scripts/l10n-export';

const read = (file: string): string => readFileSync(path.join(REPO, file), 'utf8');
const english = JSON.parse(read(BUNDLE)) as Record<string, string>;
const dutch = JSON.parse(read('l10n/bundle.l10n.nl.json')) as Record<string, string>;

describe('l10n: the message table', () => {
  afterEach(() => l10n.setMessageBundle(undefined));

  it('formats {n} placeholders like vscode.l10n.t, and is English without a bundle', () => {
    assert.equal(l10n.t('{0} of {1}, {0} again', 'a', 2), 'a of 2, a again');
    assert.equal(l10n.t('left as {1}', 'x'), 'left as {1}');
    assert.equal(l10n.t('no arguments keep {0}'), 'no arguments keep {0}');
    assert.equal(l10n.t('{0}', '{1}', 'not re-read'), '{1}');
    assert.equal(l10n.formatNumber(3072), '3,072');
  });

  it('translates through the installed bundle and falls back to the English key', () => {
    l10n.setMessageBundle({ 'Change to {0}': 'Wijzigen in {0}' }, 'nl');
    assert.equal(l10n.t('Change to {0}', '-eq'), 'Wijzigen in -eq');
    assert.equal(l10n.t('Not translated {0}', 1), 'Not translated 1');
    assert.equal(l10n.formatNumber(3072), '3.072');
    l10n.setMessageBundle(undefined);
    assert.equal(l10n.t('Change to {0}', '-eq'), 'Change to -eq');
  });
});

describe('l10n: the bundles in l10n/', () => {
  it('bundle.l10n.json holds exactly the messages of the sources and the catalogue (run scripts/l10n-export.ts when this fails)', () => {
    const { messages } = collectMessages();
    const current = new Set(Object.keys(english));
    assert.deepEqual(messages.filter((m) => !current.has(m)), [], 'messages missing from the bundle');
    assert.deepEqual([...current].filter((m) => !messages.includes(m)), [], 'messages in the bundle that no source uses');
    assert.equal(read(BUNDLE), bundleText(messages), 'the bundle is not sorted or not formatted as the export writes it');
  });

  it('every message has a Dutch translation with the same placeholders, and there are no stale ones', () => {
    const missing = Object.keys(english).filter((k) => typeof dutch[k] !== 'string' || dutch[k]!.trim() === '');
    assert.deepEqual(missing, [], 'messages without a Dutch translation');
    assert.deepEqual(Object.keys(dutch).filter((k) => !(k in english)), [], 'Dutch messages that are no longer used');
    const differing = Object.keys(english).filter((k) => placeholders(k).join() !== placeholders(dutch[k]!).join());
    assert.deepEqual(differing, [], 'Dutch messages whose placeholders differ from the English');
  });

  it('the Dutch bundle is Dutch: most messages differ from the English', () => {
    const same = Object.keys(english).filter((k) => dutch[k] === k);
    // Names and code stay as they are (Microsoft Graph: {0}, Operators: {0}, **{0}** — {1}.).
    assert.ok(same.length < 20, `${same.length} messages are the same in Dutch: ${same.join(' | ')}`);
  });
});

/** Whether an expression is a translated text: an `l10n.t(...)` call, or a choice between such. */
function translated(e: ts.Expression, allow: (e: ts.Expression) => boolean): boolean {
  if (ts.isParenthesizedExpression(e)) return translated(e.expression, allow);
  if (ts.isConditionalExpression(e)) return translated(e.whenTrue, allow) && translated(e.whenFalse, allow);
  if (ts.isCallExpression(e) && isMessageCall(e)) return true;
  return allow(e);
}

/** `issue(code, severity, message, …)` calls and `title:` properties whose text is not translated. */
function bypasses(file: string, allow: (e: ts.Expression) => boolean = () => false): string[] {
  const source = ts.createSourceFile(file, read(file), ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const where = (n: ts.Node): string => `${file}:${source.getLineAndCharacterOfPosition(n.getStart()).line + 1}: ${n.getText().slice(0, 80)}`;
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'issue' && n.arguments.length >= 3) {
      if (!translated(n.arguments[2]!, allow)) out.push(where(n.arguments[2]!));
    }
    if (ts.isPropertyAssignment(n) && ts.isIdentifier(n.name) && n.name.text === 'title' && !translated(n.initializer, allow)) out.push(where(n));
    ts.forEachChild(n, visit);
  };
  visit(source);
  return out;
}

describe('l10n: no user-facing string bypasses the message table', () => {
  it('every issue message and fix title in grammar/src/checks goes through l10n.t', () => {
    // Regex findings are translated where regex.ts makes them (checked below).
    const finding = (e: ts.Expression): boolean => ts.isPropertyAccessExpression(e) && e.name.text === 'message';
    assert.deepEqual(sourceFiles(REPO, 'grammar/src/checks').flatMap((f) => bypasses(f, finding)), []);
  });

  it('so does every one in the parser, the AST builder and the server\'s directive checks', () => {
    // parseErrorIssue's message is the parser's, rendered by localizeParserMessage.
    const parserMessage = (e: ts.Expression): boolean => ts.isIdentifier(e) && e.text === 'message';
    assert.deepEqual(['grammar/src/parse.ts', 'server/src/lsp/diagnostics.ts', 'server/src/preview/licenses.ts'].flatMap((f) => bypasses(f)), []);
    assert.deepEqual(bypasses('grammar/src/build.ts', parserMessage), []);
  });

  it('so does every finding of the audit, of a group and of the tenant', () => {
    const raw: string[] = [];
    for (const file of ['server/src/audit/audit.ts', 'server/src/audit/tenantFindings.ts']) {
      const source = ts.createSourceFile(file, read(file), ts.ScriptTarget.Latest, true);
      // A rule's own issues arrive translated (i.message).
      const issueMessage = (e: ts.Expression): boolean => ts.isPropertyAccessExpression(e) && e.name.text === 'message';
      const visit = (n: ts.Node): void => {
        const message = ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'finding' ? n.arguments[1]
          : ts.isPropertyAssignment(n) && ts.isIdentifier(n.name) && n.name.text === 'message' ? n.initializer : undefined;
        if (message && !translated(message, issueMessage)) raw.push(`${file}: ${message.getText().slice(0, 80)}`);
        ts.forEachChild(n, visit);
      };
      visit(source);
    }
    assert.deepEqual(raw, []);
  });

  it('regex findings carry translated messages', () => {
    const source = ts.createSourceFile('regex.ts', read('grammar/src/regex.ts'), ts.ScriptTarget.Latest, true);
    const raw: string[] = [];
    const visit = (n: ts.Node): void => {
      if (ts.isPropertyAssignment(n) && ts.isIdentifier(n.name) && n.name.text === 'message' && !translated(n.initializer, () => false)) raw.push(n.getText());
      ts.forEachChild(n, visit);
    };
    visit(source);
    assert.deepEqual(raw, []);
  });
});
