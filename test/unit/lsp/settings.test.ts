import assert from 'node:assert/strict';
import type { CodeLens, InlayHint } from 'vscode-languageserver-protocol';
import {
  DEFAULT_SETTINGS, SETTINGS_SECTION, settingOf, toServerSettings, type RawSettings,
} from '../../../protocol/src/settings';
import { startHarness, type Harness } from '../../support/lsp';

const EXCHANGE = 'efb87545-963c-4e0d-99df-69c6916d9eb0';
/** A plan GUID (an inlay hint names it) and an -or chain (advice: perf/or-chain). */
const RULE = `user.assignedPlans -any (assignedPlan.servicePlanId -eq "${EXCHANGE}")\n-and (user.city -eq "Seattle" -or user.city -eq "Redmond" -or user.city -eq "Bellevue")\n`;
const FULL_RANGE = { start: { line: 0, character: 0 }, end: { line: 10, character: 0 } };

/** What vscode-languageclient's synchronize.configurationSection sends: the whole section, nested. */
const vscodeSection = (over: { advice?: boolean; inlayHints?: boolean; codeLens?: boolean; removalWarningPercent?: number } = {}) => ({
  tenant: { folder: '' },
  diagnostics: { delay: 0, advice: over.advice ?? true },
  inlayHints: { enabled: over.inlayHints ?? true },
  codeLens: { enabled: over.codeLens ?? true },
  preview: { removalWarningPercent: over.removalWarningPercent ?? 10 },
  trace: { server: 'off' },
  graph: { endpoint: 'https://graph.microsoft.com', authenticationProvider: '' },
});

describe('settings: one raw shape, one reading', () => {
  it('reads the nested section VS Code holds, and gives the defaults for a missing or odd one', () => {
    assert.deepEqual(toServerSettings(vscodeSection({ advice: false, inlayHints: false, codeLens: false, removalWarningPercent: 25 })), {
      diagnosticsDelay: 0, adviceEnabled: false, inlayHints: false, codeLens: false, removalWarningPercent: 25,
    });
    for (const raw of [undefined, null, 'dynrule', 42, [], {}]) assert.deepEqual(toServerSettings(raw), DEFAULT_SETTINGS, JSON.stringify(raw));
    assert.deepEqual(DEFAULT_SETTINGS, { diagnosticsDelay: 200, adviceEnabled: true, inlayHints: true, codeLens: true, removalWarningPercent: 10 });
  });

  it('never takes an object or a string for a switch, and keeps numbers in their bounds', () => {
    // The flat merge of old made `inlayHints: {enabled: false}` an object that counted as true.
    assert.equal(settingOf({ inlayHints: { enabled: 'false' } }, 'inlayHints.enabled'), true);
    assert.equal(settingOf({ inlayHints: false }, 'inlayHints.enabled'), true);
    assert.equal(settingOf({ inlayHints: { enabled: false } }, 'inlayHints.enabled'), false);
    assert.equal(settingOf({ diagnostics: { delay: -5 } }, 'diagnostics.delay'), 0);
    assert.equal(settingOf({ diagnostics: { delay: 1e9 } }, 'diagnostics.delay'), 5000);
    assert.equal(settingOf({ diagnostics: { delay: Number.NaN } }, 'diagnostics.delay'), 200);
    assert.equal(settingOf({ preview: { removalWarningPercent: 300 } }, 'preview.removalWarningPercent'), 100);
    const raw = JSON.parse('{"__proto__": {"enabled": false}}') as RawSettings;
    assert.equal(settingOf({ inlayHints: raw }, 'inlayHints.enabled'), true, 'an inherited property is not a setting');
  });
});

describe('settings over LSP: workspace/didChangeConfiguration in the shape vscode-languageclient sends', () => {
  let h: Harness;
  let uri: string;
  before(async () => {
    // The capabilities vscode-languageclient announces for refreshes.
    h = await startHarness({
      settings: vscodeSection(),
      capabilities: { window: { workDoneProgress: true }, workspace: { codeLens: { refreshSupport: true }, inlayHint: { refreshSupport: true } } },
    });
    uri = await h.open('settings.dynrule', RULE);
  });
  after(() => h.close());

  const hints = () => h.client.sendRequest<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri }, range: FULL_RANGE });
  const lenses = () => h.client.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
  const codes = (d: { diagnostics: { code?: string | number }[] }) => d.diagnostics.map((x) => String(x.code));
  /** Sends the change and waits until the server has acted on it (its refresh requests arrive after). */
  const change = async (section: object, refreshes: string[]) => {
    const before = h.refreshes.length;
    const published = h.nextDiagnostics(uri);
    await h.client.sendNotification('workspace/didChangeConfiguration', { settings: { [SETTINGS_SECTION]: section } });
    return { published, refreshed: waitForRefreshes(before, refreshes) };
  };
  const waitForRefreshes = async (from: number, expected: string[]) => {
    const deadline = Date.now() + 20_000;
    while (!expected.every((m) => h.refreshes.slice(from).includes(m))) {
      if (Date.now() > deadline) throw new Error(`no ${expected.join(', ')}; got ${h.refreshes.slice(from).join(', ')}`);
      await new Promise((r) => setImmediate(r));
    }
  };

  it('starts with inlay hints, advice and the code lens on', async () => {
    assert.deepEqual((await hints()).map((x) => x.label), ['EXCHANGE_S_ENTERPRISE']);
    assert.ok(codes(await h.diagnostics(uri)).includes('perf/or-chain'));
    assert.ok((await lenses()).length > 0);
  });

  it('turning inlay hints, advice and the code lens off applies at once, and asks the editor to refresh', async () => {
    const { published, refreshed } = await change(vscodeSection({ advice: false, inlayHints: false, codeLens: false }), ['workspace/inlayHint/refresh', 'workspace/codeLens/refresh']);
    await refreshed;
    assert.deepEqual(await hints(), []);
    assert.deepEqual(await lenses(), []);
    assert.ok(!codes(await published).includes('perf/or-chain'), 'the diagnostics were published again without the advice');
  });

  it('turning them on again brings them back', async () => {
    const { published, refreshed } = await change(vscodeSection(), ['workspace/inlayHint/refresh', 'workspace/codeLens/refresh']);
    await refreshed;
    assert.deepEqual((await hints()).map((x) => x.label), ['EXCHANGE_S_ENTERPRISE']);
    assert.ok((await lenses()).length > 0);
    assert.ok(codes(await published).includes('perf/or-chain'));
  });

  it('a change to one setting refreshes only what it shows', async () => {
    const before = h.refreshes.length;
    const { refreshed } = await change(vscodeSection({ inlayHints: false }), ['workspace/inlayHint/refresh']);
    await refreshed;
    assert.deepEqual(await hints(), []);
    assert.ok((await lenses()).length > 0);
    assert.deepEqual(h.refreshes.slice(before), ['workspace/inlayHint/refresh']);
  });

  it('settings: null (a client that wants them pulled) keeps the settings in use', async () => {
    await h.client.sendNotification('workspace/didChangeConfiguration', { settings: null });
    assert.deepEqual(await hints(), [], 'inlay hints are still off');
    const { refreshed } = await change(vscodeSection(), ['workspace/inlayHint/refresh']);
    await refreshed;
    assert.equal((await hints()).length, 1);
  });
});
