/**
 * Starts the language server (dist/server.js over IPC) and keeps it running: if the server
 * process dies, it is restarted a bounded number of times and the user is told.
 */
import * as vscode from 'vscode';
import {
  CloseAction, ErrorAction, LanguageClient, TransportKind, type ErrorHandler, type LanguageClientOptions, type ServerOptions,
} from 'vscode-languageclient/node';
import { HOST_DOCUMENTS, LANGUAGE_ID, type ServerSettings, type TenantSelection } from '../../server/src/lsp/protocol';
import { RestartPolicy } from './restartPolicy';

export function readSettings(): Partial<ServerSettings> {
  const c = vscode.workspace.getConfiguration('dynrule');
  return {
    diagnosticsDelay: c.get<number>('diagnostics.delay', 200),
    adviceEnabled: c.get<boolean>('diagnostics.advice', true),
    inlayHints: c.get<boolean>('inlayHints.enabled', true),
    codeLens: c.get<boolean>('codeLens.enabled', true),
    removalWarningPercent: c.get<number>('preview.removalWarningPercent', 10),
  };
}

/** Restarts the server when its process dies, within the bounds of {@link RestartPolicy}, and says so. */
class RestartingErrorHandler implements ErrorHandler {
  private readonly policy = new RestartPolicy();

  constructor(private readonly output: vscode.OutputChannel) {}

  /**
   * A failed read or write on the connection (a server that just died: `write EPIPE`) goes to the
   * output, not to a notification: `closed` tells the user what happened to the server, once.
   */
  error(error: Error): { action: ErrorAction; handled: boolean } {
    this.output.appendLine(`[client] connection to the server: ${error.message}`);
    return { action: ErrorAction.Continue, handled: true };
  }

  closed(): { action: CloseAction; message?: string } {
    const decision = this.policy.closed();
    if (!decision.restart) {
      return { action: CloseAction.DoNotRestart, message: vscode.l10n.t('The Entra Dynamic Rules language server stopped {0} times in 3 minutes and will not be restarted. Run "Entra Dynamic Rules: Restart Language Server" after checking the output.', decision.crashes) };
    }
    const message = vscode.l10n.t('The Entra Dynamic Rules language server stopped unexpectedly and was restarted.');
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
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: LANGUAGE_ID }, ...HOST_DOCUMENTS],
    outputChannel: output,
    initializationOptions: () => ({ tenant: tenant(), settings: readSettings(), storagePath: context.globalStorageUri.fsPath }),
    synchronize: { configurationSection: 'dynrule' },
    errorHandler: new RestartingErrorHandler(output),
    markdown: { isTrusted: false, supportHtml: false },
  };
  return new LanguageClient('dynrule', vscode.l10n.t('Entra Dynamic Rules'), serverOptions, clientOptions);
}

/**
 * The components' handle on the server: requests wait until the client has started, so
 * activation does not have to wait for the server process.
 */
export class Server {
  constructor(readonly client: LanguageClient, readonly ready: Promise<void>) {}

  async request<R>(method: string, params?: unknown, token?: vscode.CancellationToken): Promise<R> {
    await this.ready;
    return token ? this.client.sendRequest<R>(method, params, token) : this.client.sendRequest<R>(method, params);
  }

  onNotification<P>(method: string, handler: (params: P) => void): vscode.Disposable {
    return this.client.onNotification(method, handler);
  }
}
