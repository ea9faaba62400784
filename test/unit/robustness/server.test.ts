/**
 * Server resilience over the real protocol: every request handler that throws is logged and
 * answered neutrally, and the server goes on serving; a cancelled preview or rule test run stops
 * its work instead of finishing it.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { CancellationTokenSource, type CompletionList } from 'vscode-languageserver-protocol/node';
import type { PreviewResponse, RunRuleTestsResponse, TenantInfo } from '../../../protocol/src/protocol';
import { startHarness, type Harness } from '../../support/lsp';
import { plainUser, tmp, writeTenant } from './helpers';

/**
 * Every request the server handles, with the neutral answer it gives when its handler throws.
 * Parameters without what the handler reads make it throw a TypeError: `{}` for the standard
 * requests (the protocol layer refuses `null` for them), `null` for ours.
 */
const HANDLERS: readonly (readonly [method: string, name: string, neutral: unknown])[] = [
  ['textDocument/completion', 'completion', { isIncomplete: false, items: [] }],
  ['textDocument/hover', 'hover', null],
  ['textDocument/inlayHint', 'inlay hints', []],
  ['textDocument/formatting', 'formatting', []],
  ['textDocument/semanticTokens/full', 'semantic tokens', { data: [] }],
  ['textDocument/foldingRange', 'folding', []],
  ['textDocument/documentSymbol', 'symbols', []],
  ['textDocument/codeAction', 'code actions', []],
  ['textDocument/codeLens', 'code lens', []],
  ['dynrule/selectTenant', 'select tenant', 'tenant info'],
  ['dynrule/preview', 'preview', { ok: false, reason: 'the preview failed (see the output log)', tenant: '' }],
  ['dynrule/explain', 'explain', { ok: false, reason: 'explain failed (see the output log)' }],
  ['dynrule/searchObjects', 'search', []],
  ['dynrule/runRuleTests', 'rule tests', { files: [], passed: 0, failed: 0 }],
  ['dynrule/listRuleTests', 'list rule tests', { file: '', cases: [] }],
  ['dynrule/ruleStatus', 'rule status', null],
];

describe('robustness: a handler that throws is logged and answered neutrally', () => {
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(() => h.close());

  for (const [method, name, neutral] of HANDLERS) {
    it(`${method}`, async () => {
      const logged = h.logs.length;
      const answer = await h.client.sendRequest(method, method.startsWith('dynrule/') ? null : {});
      if (neutral === 'tenant info') assert.deepEqual(answer, await h.client.sendRequest<TenantInfo>('dynrule/tenantInfo'));
      else assert.deepEqual(answer, neutral);
      const lines = h.logs.slice(logged);
      assert.ok(lines.some((l) => l.includes(`[error] ${name} failed: TypeError`)), lines.join('\n'));
      // And it goes on serving.
      const uri = await h.open(`after-${name.replace(/ /g, '-')}.dynrule`, 'user.');
      const list = await h.client.sendRequest<CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 5 } });
      assert.ok(list.items.length > 0);
    });
  }

  it('covers every request the server registers', () => {
    // The request methods of protocol.ts and the LSP features announced at initialize.
    const custom = ['dynrule/selectTenant', 'dynrule/tenantInfo', 'dynrule/preview', 'dynrule/explain', 'dynrule/searchObjects', 'dynrule/runRuleTests', 'dynrule/listRuleTests', 'dynrule/ruleStatus'];
    const tested = new Set(HANDLERS.map(([m]) => m));
    // dynrule/tenantInfo reads no parameters: it cannot throw on any input.
    assert.deepEqual(custom.filter((m) => !tested.has(m)), ['dynrule/tenantInfo']);
    const c = h.init.capabilities;
    const announced = [
      c.completionProvider && 'textDocument/completion', c.hoverProvider && 'textDocument/hover', c.inlayHintProvider && 'textDocument/inlayHint',
      c.documentFormattingProvider && 'textDocument/formatting', c.semanticTokensProvider && 'textDocument/semanticTokens/full',
      c.foldingRangeProvider && 'textDocument/foldingRange', c.documentSymbolProvider && 'textDocument/documentSymbol',
      c.codeActionProvider && 'textDocument/codeAction', c.codeLensProvider && 'textDocument/codeLens',
    ].filter((m): m is string => typeof m === 'string');
    assert.deepEqual(announced.filter((m) => !tested.has(m)), []);
  });
});

describe('robustness: cancelled requests stop their work', function () {
  this.timeout(180_000);
  let h: Harness;
  let tenant: string;
  before(async () => {
    h = await startHarness();
    tenant = writeTenant(100_000, plainUser);
    const info = await h.client.sendRequest<TenantInfo>('dynrule/selectTenant', { selection: { kind: 'folder', path: tenant } });
    assert.equal(info.state, 'ready', info.error);
  });
  after(() => h.close());

  /** Sends a request, cancels it after `afterMs`, and times how long the answer takes after that. */
  async function cancelled<R>(method: string, params: unknown, afterMs: number): Promise<{ answer: R | Error; msAfterCancel: number }> {
    const source = new CancellationTokenSource();
    const pending = h.client.sendRequest<R>(method, params, source.token).then((r) => r, (e: unknown) => e as Error);
    await new Promise((r) => setTimeout(r, afterMs));
    const t0 = performance.now();
    source.cancel();
    const answer = await pending;
    return { answer, msAfterCancel: performance.now() - t0 };
  }

  it('a preview of 100,000 changes, cancelled, answers at once instead of explaining them all', async function () {
    // Every user is added: the view's data explains 100,000 changes, several seconds of work.
    const uri = await h.open('everyone.dynrule', 'user.department -ne "Nobody"');
    const t0 = performance.now();
    const full = await h.client.sendRequest<PreviewResponse>('dynrule/preview', { uri });
    const fullMs = performance.now() - t0;
    assert.ok(full.ok && full.added?.length === 100_000);
    // Nothing to cancel if the whole preview takes less than a second.
    if (fullMs < 1000) this.skip();
    await h.change(uri, 'user.department -ne "Nobody at all"');
    const { answer, msAfterCancel } = await cancelled<PreviewResponse>('dynrule/preview', { uri }, Math.min(300, fullMs / 5));
    console.log(`      full preview ${fullMs.toFixed(0)} ms; answered ${msAfterCancel.toFixed(0)} ms after the cancellation`);
    assert.ok(answer instanceof Error || answer.ok === false, 'a cancelled preview gives no result');
    assert.ok(msAfterCancel < Math.max(500, fullMs / 3), `${msAfterCancel.toFixed(0)} ms after cancelling a ${fullMs.toFixed(0)} ms preview`);
  });

  it('a run of 1,000 rule test files, cancelled, stops between files', async () => {
    const dir = tmp('dynrule-ruletests-');
    writeFileSync(path.join(dir, 'rule.dynrule'), 'user.department -eq "Sales"\n');
    const files: string[] = [];
    for (let i = 0; i < 1000; i++) {
      const f = path.join(dir, `t${i}.ruletests.json`);
      writeFileSync(f, JSON.stringify({ rule: 'rule.dynrule', tenant, count: { min: 0 }, cases: [{ name: 'one', user: `user${i}@contoso.com`, expect: i % 4 === 0 ? 'member' : 'notMember' }] }));
      files.push(f);
    }
    const t0 = performance.now();
    const full = await h.client.sendRequest<RunRuleTestsResponse>('dynrule/runRuleTests', { files: files.slice(0, 30) });
    const perFile = (performance.now() - t0) / 30;
    assert.equal(full.failed, 0, JSON.stringify(full.files.find((f) => f.error || f.cases.some((c) => !c.passed))));
    const { answer, msAfterCancel } = await cancelled<RunRuleTestsResponse>('dynrule/runRuleTests', { files }, perFile * 10);
    console.log(`      ${perFile.toFixed(1)} ms a file; 1,000 files answered ${msAfterCancel.toFixed(0)} ms after the cancellation`);
    assert.ok(answer instanceof Error || answer.files.length < 1000);
    assert.ok(msAfterCancel < Math.max(500, perFile * 100), `${msAfterCancel.toFixed(0)} ms`);
  });
});
