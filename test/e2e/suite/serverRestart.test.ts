import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../client/src/extension';
import { MAX_RESTARTS } from '../../../client/src/restartPolicy';
import { ANSWER_BOUND_MS, PROBE_INTERVAL_MS } from '../../../client/src/watchdog';
import type { TenantInfo } from '../../../protocol/src/protocol';
import { closeAllEditors, diagnosticCode, ensureSmallTenant, getApi, openScratchRule, waitFor } from './helpers';

// SECURITY.md: a crash of the language server must not leave the editor without its checks. The
// client restarts a dead server (restartPolicy.ts: at most MAX_RESTARTS times in 3 minutes), and
// one that stops answering (watchdog.ts: a question unanswered within its bound counts as a
// crash), and tells the user. The policy's arithmetic is unit-tested; this kills the real server process in
// the real extension host and watches what a person would see.

type Notify = (message: string, ...rest: unknown[]) => Thenable<unknown>;

/**
 * Records the notifications the extension shows while `fn` runs, and still shows them. The test
 * shares the extension's `vscode` API object (the extension host hands one to each extension, and
 * the suite lives inside the development extension's folder), so its window functions are the
 * ones the extension calls.
 */
async function withNotifications<T>(fn: (seen: { warnings: string[]; errors: string[]; infos: string[] }) => Promise<T>): Promise<T> {
  const seen = { warnings: [] as string[], errors: [] as string[], infos: [] as string[] };
  const win = vscode.window as unknown as Record<'showWarningMessage' | 'showErrorMessage' | 'showInformationMessage', Notify>;
  const originals = { warning: win.showWarningMessage, error: win.showErrorMessage, info: win.showInformationMessage };
  win.showWarningMessage = (m, ...rest) => { seen.warnings.push(m); return originals.warning.call(vscode.window, m, ...rest); };
  win.showErrorMessage = (m, ...rest) => { seen.errors.push(m); return originals.error.call(vscode.window, m, ...rest); };
  win.showInformationMessage = (m, ...rest) => { seen.infos.push(m); return originals.info.call(vscode.window, m, ...rest); };
  try {
    return await fn(seen);
  } finally {
    win.showWarningMessage = originals.warning;
    win.showErrorMessage = originals.error;
    win.showInformationMessage = originals.info;
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Waits for a running server whose process is not `previous`, and returns its pid. */
function newServer(api: ExtensionApi, previous: number | undefined): Promise<number> {
  return waitFor(() => {
    const pid = api.serverPid();
    return api.client.isRunning() && pid !== undefined && pid !== previous && pid;
  }, () => `a new language server process (the killed one was ${previous}; now ${api.serverPid()}, running ${api.client.isRunning()})`);
}

/** SIGKILL, as the OOM killer or a crash would end it: no shutdown, no exit notification. */
async function killServer(api: ExtensionApi): Promise<number> {
  const pid = api.serverPid();
  assert.ok(pid, 'the API should name the running server\'s process');
  assert.notEqual(pid, process.pid, 'the server runs in its own process, not in the extension host');
  process.kill(pid, 'SIGKILL');
  await waitFor(() => !alive(pid), `process ${pid} to end`);
  return pid;
}

/** Replaces a scratch rule's text and waits until the server reports exactly `code` on it. */
async function expectDiagnostic(editor: vscode.TextEditor, text: string, code: string): Promise<void> {
  const doc = editor.document;
  await editor.edit((b) => b.replace(new vscode.Range(doc.lineAt(0).range.start, doc.lineAt(doc.lineCount - 1).range.end), text));
  await waitFor(() => {
    const codes = vscode.languages.getDiagnostics(doc.uri).map(diagnosticCode);
    return codes.length > 0 && codes.every((c) => c === code);
  }, () => `only ${code} on "${text}"; got ${JSON.stringify(vscode.languages.getDiagnostics(doc.uri).map(diagnosticCode))}`);
}

const restartedMessage = 'The Entra Dynamic Rules language server stopped unexpectedly and was restarted.';

suite('Language server resilience', () => {
  let api: ExtensionApi;
  /**
   * Restarts announced in this suite. The policy's window (3 minutes) spans both tests and starts
   * empty: a crash in an earlier suite would show here as too few restarts before giving up. The
   * window stays full for the suites after this one, so a crash there leaves the server stopped
   * (and fails loudly) instead of being restarted unnoticed.
   */
  let restarts = 0;

  suiteSetup(async () => {
    api = await getApi();
    await waitFor(() => api.client.isRunning() && api.tenant.current?.state === 'ready', 'the server and its tenant');
  });

  // Whatever happened, leave a running server (and its tenant) to the suites after this one.
  suiteTeardown(async function () {
    this.timeout(30_000);
    if (!api.client.isRunning()) await vscode.commands.executeCommand('dynrule.restartServer');
    await waitFor(() => api.client.isRunning() && api.tenant.current?.state === 'ready', 'a running server after the resilience tests');
  });
  teardown(closeAllEditors);

  test('a killed server is restarted, the user is told, and diagnostics work again', async function () {
    this.timeout(60_000);
    // On a tenant other than the one the extension started with: the restarted server must
    // come back on the tenant selected last, not on the first one.
    const started = api.tenant.current!.selection;
    const small = await ensureSmallTenant();
    await vscode.commands.executeCommand('dynrule.selectTenant', { kind: 'folder', path: small, label: 'small-120' });
    await waitFor(() => api.tenant.current?.state === 'ready' && api.tenant.current.selection.kind === 'folder' && api.tenant.current.selection.path === small, 'the second tenant');
    const editor = await openScratchRule('user.departmnet -eq "Sales"');
    await expectDiagnostic(editor, 'user.departmnet -eq "Sales"', 'type/unknown-property');

    await withNotifications(async (seen) => {
      const killed = await killServer(api);
      const pid = await newServer(api, killed);
      assert.ok(alive(pid));
      await waitFor(() => seen.warnings.includes(restartedMessage),
        () => `the warning "${restartedMessage}"; warnings shown: ${JSON.stringify(seen.warnings)}`);
      assert.deepEqual(seen.errors, []);
      restarts += seen.warnings.length;
    });

    // The new server has the open document (the client opens it again) and follows its edits.
    await expectDiagnostic(editor, 'user.department -gt "Sales"', 'syntax/unknown-operator');
    await expectDiagnostic(editor, 'user.departmnet -eq "Sales"', 'type/unknown-property');
    // The tenant comes back too, the one selected last: the code lens and preview need it.
    const info = await api.client.sendRequest<TenantInfo>('dynrule/tenantInfo', {});
    assert.equal(info.selection.kind === 'folder' && info.selection.path, small, `the restarted server's tenant: ${JSON.stringify(info.selection)}`);
    await waitFor(() => api.tenant.current?.state === 'ready', 'the tenant after the restart');
    await vscode.commands.executeCommand('dynrule.selectTenant', started);
    await waitFor(() => api.tenant.current?.state === 'ready' && JSON.stringify(api.tenant.current.selection) === JSON.stringify(started), 'the first tenant again');
  });

  test('a server that stops answering is ended and restarted like a crashed one, and the user is told', async function () {
    // Waiting for the watchdog takes up to its interval plus its bound; then the restart.
    this.timeout(PROBE_INTERVAL_MS + ANSWER_BOUND_MS + 60_000);
    const editor = await openScratchRule('user.departmnet -eq "Sales"');
    await expectDiagnostic(editor, 'user.departmnet -eq "Sales"', 'type/unknown-property');
    await withNotifications(async (seen) => {
      const pid = api.serverPid();
      assert.ok(pid, 'the API should name the running server\'s process');
      // The process lives on but answers nothing, as when its event loop is stuck in one call.
      process.kill(pid, 'SIGSTOP');
      try {
        const next = await waitFor(() => {
          const now = api.serverPid();
          return api.client.isRunning() && now !== undefined && now !== pid && now;
        }, () => `a new language server after process ${pid} stopped answering (now ${api.serverPid()}, running ${api.client.isRunning()})`, { timeoutMs: PROBE_INTERVAL_MS + ANSWER_BOUND_MS + 30_000 });
        assert.ok(alive(next));
        await waitFor(() => !alive(pid), `the unanswering process ${pid} to be ended`);
        const hung = seen.warnings.filter((w) => /^The Entra Dynamic Rules language server did not answer for \d+ seconds and was restarted\.$/.test(w));
        assert.equal(hung.length, 1, JSON.stringify(seen.warnings));
        assert.deepEqual(seen.errors, []);
        restarts += seen.warnings.length;
      } finally {
        // Never leave a stopped process behind, whatever happened.
        if (alive(pid)) process.kill(pid, 'SIGKILL');
      }
    });
    // The new server has the document and follows its edits.
    await expectDiagnostic(editor, 'user.department -gt "Sales"', 'syntax/unknown-operator');
    await waitFor(() => api.tenant.current?.state === 'ready', 'the tenant after the restart');
  });

  test(`one crash more than ${MAX_RESTARTS} in 3 minutes: the server stays stopped, the user is told, and Restart Language Server brings it back`, async function () {
    this.timeout(90_000);
    const editor = await openScratchRule('user.departmnet -eq "Sales"');
    await withNotifications(async (seen) => {
      // The first test used one restart of the window: use up the rest, then crash once more.
      for (;;) {
        const killed = await killServer(api);
        await waitFor(() => seen.errors.length > 0 || (api.client.isRunning() && ![undefined, killed].includes(api.serverPid())),
          () => `a restart after killing ${killed}, or the client giving up`);
        if (seen.errors.length > 0) break;
        assert.deepEqual(seen.warnings.at(-1), restartedMessage);
        assert.ok(restarts + seen.warnings.length <= MAX_RESTARTS, `restarted ${restarts + seen.warnings.length} times: the policy allows ${MAX_RESTARTS}`);
      }
      assert.equal(restarts + seen.warnings.length, MAX_RESTARTS, 'restarts before the client gave up');
      assert.deepEqual(seen.errors, [`The Entra Dynamic Rules language server stopped ${MAX_RESTARTS + 1} times in 3 minutes and will not be restarted. Run "Entra Dynamic Rules: Restart Language Server" after checking the output.`]);
      assert.equal(api.client.isRunning(), false);
      assert.equal(api.serverPid(), undefined);
      // It stays stopped: no new process turns up a moment later.
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(api.client.isRunning(), false);

      // What the message says to do.
      await vscode.commands.executeCommand('dynrule.restartServer');
      await newServer(api, undefined);
      assert.ok(seen.infos.includes('The Entra Dynamic Rules language server was restarted.'), JSON.stringify(seen.infos));
    });
    await expectDiagnostic(editor, 'user.department -gt "Sales"', 'syntax/unknown-operator');
  });
});
