import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, getApi, openRuleFile, openScratchRule, waitFor } from './helpers';

const exchange = { id: 'efb87545-963c-4e0d-99df-69c6916d9eb0', name: 'EXCHANGE_S_ENTERPRISE' };

const markdown = (h: vscode.Hover): string => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : '')).join('\n');
const hintText = (h: vscode.InlayHint): string => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join(''));

suite('Hover, inlay hints, highlighting, folding and outline', () => {
  suiteSetup(async () => {
    const api = await getApi();
    await waitFor(() => api.tenant.current?.state === 'ready', 'the tenant to load');
  });
  teardown(closeAllEditors);

  test('hovering a property tells its type and Graph field; hovering a plan GUID names the plan', async () => {
    const doc = (await openScratchRule(`user.mobile -ne null -and user.assignedPlans -any (assignedPlan.servicePlanId -eq "${exchange.id}" -and assignedPlan.capabilityStatus -eq "Enabled")`)).document;
    const at = (text: string): vscode.Position => doc.positionAt(doc.getText().indexOf(text) + 2);
    const [property] = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at('mobile'));
    assert.ok(property, 'no hover over user.mobile');
    assert.match(markdown(property), /mobilePhone/);
    const [guid] = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at(exchange.id));
    assert.ok(guid, 'no hover over the GUID');
    assert.match(markdown(guid), new RegExp(exchange.name));
  });

  test('a GUID is named inline (inlay hint) after its closing quote', async () => {
    const doc = await openRuleFile('rules/exchange-online-plan2-users.dynrule');
    const whole = new vscode.Range(0, 0, doc.lineCount, 0);
    const hints = await waitFor(async () => {
      const h = await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', doc.uri, whole);
      return h?.length ? h : undefined;
    }, 'inlay hints');
    const hint = hints.find((h) => hintText(h).includes(exchange.name));
    assert.ok(hint, `no hint naming ${exchange.name}: ${hints.map(hintText).join(', ')}`);
    assert.equal(doc.offsetAt(hint.position), doc.getText().indexOf(`${exchange.id}"`) + exchange.id.length + 1);
  });

  test('semantic tokens colour the rule from the server\'s legend', async () => {
    const doc = (await openScratchRule('# comment\nuser.department -eq "Sales" -and user.accountEnabled -eq true')).document;
    const legend = await vscode.commands.executeCommand<vscode.SemanticTokensLegend>('vscode.provideDocumentSemanticTokensLegend', doc.uri);
    assert.ok(legend, 'no semantic tokens legend');
    // Decode the relative encoding into [text, type].
    const decode = (tokens: vscode.SemanticTokens): [string, string][] => {
      const out: [string, string][] = [];
      let line = 0;
      let char = 0;
      for (let i = 0; i < tokens.data.length; i += 5) {
        line += tokens.data[i]!;
        char = tokens.data[i] === 0 ? char + tokens.data[i + 1]! : tokens.data[i + 1]!;
        const start = new vscode.Position(line, char);
        out.push([doc.getText(new vscode.Range(start, start.translate(0, tokens.data[i + 2]!))), legend.tokenTypes[tokens.data[i + 3]!]!]);
      }
      return out;
    };
    let out: [string, string][] = [];
    await waitFor(async () => {
      const tokens = await vscode.commands.executeCommand<vscode.SemanticTokens>('vscode.provideDocumentSemanticTokens', doc.uri);
      out = tokens ? decode(tokens) : [];
      return out.length >= 9;
    }, () => `semantic tokens for the whole rule; got ${JSON.stringify(out)}`);
    const typeOf = (text: string): string | undefined => out.find(([t]) => t === text)?.[1];
    assert.equal(typeOf('# comment'), 'comment', JSON.stringify(out));
    assert.equal(typeOf('-eq'), 'operator');
    assert.equal(typeOf('"Sales"'), 'string');
    assert.equal(typeOf('-and'), 'operator');
    assert.equal(typeOf('true'), 'keyword');
  });

  test('the outline shows the rule\'s conditions, and a multi-line rule folds', async () => {
    const doc = await openRuleFile('rules/licensing/m365-e3-all-staff.dynrule');
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri);
    const names = (s: vscode.DocumentSymbol[]): string[] => s.flatMap((x) => [x.name, ...names(x.children)]);
    const all = names(symbols ?? []);
    assert.ok(all.some((n) => n.includes('user.extensionAttribute7 -ne "Contractor"')), all.join(' | '));
    const folds = await vscode.commands.executeCommand<vscode.FoldingRange[]>('vscode.executeFoldingRangeProvider', doc.uri);
    // The comment lines above the rule (directives included) fold as one.
    const lastComment = doc.getText().split('\n').findIndex((l) => !l.trim().startsWith('#')) - 1;
    assert.deepEqual((folds ?? []).filter((f) => f.kind === vscode.FoldingRangeKind.Comment).map((f) => [f.start, f.end]), [[0, lastComment]]);
    // A parenthesised condition over several lines folds, its closing line left visible.
    const multiLine = await openRuleFile('rules/entra-premium-users.dynrule');
    const open = multiLine.getText().split('\n').findIndex((l) => l.trimEnd().endsWith('('));
    const close = multiLine.getText().split('\n').findIndex((l) => l.trim() === ')');
    const groupFolds = await vscode.commands.executeCommand<vscode.FoldingRange[]>('vscode.executeFoldingRangeProvider', multiLine.uri);
    assert.ok((groupFolds ?? []).some((f) => f.start === open && f.end === close - 1), `no fold from line ${open} to ${close}: ${JSON.stringify(groupFolds)}`);
  });
});
