/**
 * Starts the language server (dist/server.js over IPC) and keeps it running: if the server
 * process dies, or stops answering, it is restarted a bounded number of times and the user is told.
 */
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import {
  CloseAction, ErrorAction, LanguageClient, TransportKind, WorkDoneProgress, type ErrorHandler, type LanguageClientOptions, type NotificationType,
  type RequestType, type RequestType0, type ServerOptions,
} from 'vscode-languageclient/node';
import { CHANGES_DOCUMENTS, HOST_DOCUMENTS, LANGUAGE_ID, TenantInfoRequest, type TenantSelection } from '../../protocol/src/protocol';
import { SETTINGS_SECTION } from '../../protocol/src/settings';
import { rawSettings } from './settings';
import { RestartPolicy } from './restartPolicy';
import { Watchdog } from './watchdog';

/** Restarts the server when its process dies, within the bounds of {@link RestartPolicy}, and says so. */
class RestartingErrorHandler implements ErrorHandler {
  private readonly policy = new RestartPolicy();
  /** Set when the watchdog ended a server that did not answer: how long it waited. */
  private hungMs: number | undefined;

  constructor(private readonly output: vscode.OutputChannel) {}

  /** The next close is a server ended for not answering within `ms`: a crash like any other. */
  hung(ms: number): void {
    this.hungMs = ms;
  }

  /**
   * A failed read or write on the connection (a server that just died: `write EPIPE`) goes to the
   * output, not to a notification: `closed` tells the user what happened to the server, once.
   */
  error(error: Error): { action: ErrorAction; handled: boolean } {
    this.output.appendLine(`[client] connection to the server: ${error.message}`);
    return { action: ErrorAction.Continue, handled: true };
  }

  closed(): { action: CloseAction; message?: string } {
    const hungMs = this.hungMs;
    this.hungMs = undefined;
    const decision = this.policy.closed();
    if (!decision.restart) {
      return { action: CloseAction.DoNotRestart, message: vscode.l10n.t('The Entra Dynamic Rules language server stopped {0} times in 3 minutes and will not be restarted. Run "Entra Dynamic Rules: Restart Language Server" after checking the output.', decision.crashes) };
    }
    const message = hungMs !== undefined
      ? vscode.l10n.t('The Entra Dynamic Rules language server did not answer for {0} seconds and was restarted.', Math.round(hungMs / 1000))
      : vscode.l10n.t('The Entra Dynamic Rules language server stopped unexpectedly and was restarted.');
    this.output.appendLine(`[client] ${message}`);
    void vscode.window.showWarningMessage(message);
    return { action: CloseAction.Restart };
  }
}

/**
 * `tenant` is asked each time the server starts: a server restarted after a crash, or by the
 * Restart command, comes back on the tenant selected last, with the settings of that moment.
 */
export function createClient(context: vscode.ExtensionContext, output: vscode.OutputChannel, tenant: () => TenantSelection): LanguageClient {
  const module = vscode.Uri.joinPath(context.extensionUri, 'dist', 'server.js').fsPath;
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const errorHandler = new RestartingErrorHandler(output);
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: LANGUAGE_ID }, ...HOST_DOCUMENTS, ...CHANGES_DOCUMENTS],
    outputChannel: output,
    initializationOptions: () => ({ tenant: tenant(), settings: rawSettings(), storagePath: context.globalStorageUri.fsPath }),
    synchronize: { configurationSection: SETTINGS_SECTION },
    errorHandler,
    markdown: { isTrusted: false, supportHtml: false },
  };
  const client = new LanguageClient(SETTINGS_SECTION, vscode.l10n.t('Entra Dynamic Rules'), serverOptions, clientOptions);
  // A server that stops answering counts as a crash: its process is ended, and the error
  // handler's restart policy takes it from there. The question asked is the cheapest there is.
  const watchdog = new Watchdog({
    probe: () => client.sendRequest(TenantInfoRequest),
    server: () => serverProcessId(client),
    onHung: (pid, ms) => {
      if (serverProcessId(client) !== pid) return;
      output.appendLine(`[client] the language server (process ${pid}) did not answer for ${Math.round(ms / 1000)} s: ending it`);
      errorHandler.hung(ms);
      try {
        process.kill(pid, 'SIGKILL');
      } catch (e) {
        output.appendLine(`[client] could not end process ${pid}: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
  });
  watchdog.start();
  context.subscriptions.push({ dispose: () => watchdog.dispose() });
  return client;
}

/**
 * The process id of the server the client is connected to; undefined while none is.
 * vscode-languageclient keeps the server process it forked in a private field, `_serverProcess`
 * (set when it forks, cleared when the connection closes): there is no public accessor. Should a
 * new version rename it, this returns undefined: the watchdog then asks nothing, and the
 * resilience tests fail, not the extension.
 */
export function serverProcessId(c: LanguageClient): number | undefined {
  return c.isRunning() ? (c as unknown as { _serverProcess?: { pid?: number } })._serverProcess?.pid : undefined;
}

/**
 * The components' handle on the server: requests wait until the client has started, so
 * activation does not have to wait for the server process.
 */
export class Server {
  constructor(readonly client: LanguageClient, readonly ready: Promise<void>) {}

  /** Sends a request of the protocol (protocol/src/protocol.ts): its type fixes the parameters and the answer. */
  request<R>(type: RequestType0<R, void>): Promise<R>;
  request<P, R>(type: RequestType<P, R, void>, params: P, token?: vscode.CancellationToken): Promise<R>;
  async request<P, R>(type: RequestType0<R, void> | RequestType<P, R, void>, params?: P, token?: vscode.CancellationToken): Promise<R> {
    await this.ready;
    if (type.numberOfParams === 0) return this.client.sendRequest(type as RequestType0<R, void>);
    const withParams = type as RequestType<P, R, void>;
    return token ? this.client.sendRequest(withParams, params as P, token) : this.client.sendRequest(withParams, params as P);
  }

  /**
   * Sends a request that takes a `workDoneToken` (LSP work-done progress begun by the server), and
   * passes each of the server's reports to `onReport` until the answer arrives.
   */
  async requestWithProgress<P extends { workDoneToken?: string | number }, R>(
    type: RequestType<P, R, void>, params: P, token: vscode.CancellationToken | undefined,
    onReport: (report: { percentage?: number; message?: string }) => void,
  ): Promise<R> {
    await this.ready;
    const workDoneToken = randomUUID();
    const listening = this.client.onProgress(WorkDoneProgress.type, workDoneToken, (v) => {
      if (v.kind === 'report') onReport({ ...(v.percentage !== undefined ? { percentage: v.percentage } : {}), ...(v.message !== undefined ? { message: v.message } : {}) });
    });
    try {
      const withToken = { ...params, workDoneToken };
      return await (token ? this.client.sendRequest(type, withToken, token) : this.client.sendRequest(type, withToken));
    } finally {
      listening.dispose();
    }
  }

  onNotification<P>(type: NotificationType<P>, handler: (params: P) => void): vscode.Disposable {
    return this.client.onNotification(type, handler);
  }
}
