/**
 * A real LSP client connection joined to the real server by two in-memory streams: the
 * protocol-level test harness (no editor). Every message goes through JSON-RPC framing.
 */
import { PassThrough } from 'node:stream';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createConnection } from 'vscode-languageserver/node';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter,
  type InitializeResult, type ProtocolConnection, type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { startServer, type ServerHandle } from '../../server/src/lsp/languageServer';
import type { TenantSelection } from '../../server/src/lsp/protocol';

export interface Harness {
  readonly client: ProtocolConnection;
  readonly server: ServerHandle;
  readonly init: InitializeResult;
  readonly logs: string[];
  /** The capabilities the server registered dynamically (`client/registerCapability`). */
  readonly registrations: { id: string; method: string; registerOptions?: unknown }[];
  /** Opens a document (language `dynrule` unless given) and returns its uri. */
  open(name: string, text: string, languageId?: string): Promise<string>;
  change(uri: string, text: string): Promise<void>;
  /** The next diagnostics published for `uri` (with version ≥ the given one). */
  diagnostics(uri: string, minVersion?: number): Promise<PublishDiagnosticsParams>;
  close(): void;
}

let counter = 0;

/** The repository's message bundles, as dist/server.js finds them in l10n/ beside dist/. */
export const L10N_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../l10n');

export async function startHarness(options: {
  tenant?: TenantSelection; settings?: object; capabilities?: object; storagePath?: string; workspaceFolders?: string[];
  /** The client's display language (`initialize`'s `locale`), as VS Code sends it. */
  locale?: string;
  /** Answers the server's dynrule/getToken requests (live tenants). */
  token?: () => string;
} = {}): Promise<Harness> {
  const up = new PassThrough();
  const down = new PassThrough();
  const serverConnection = createConnection(new StreamMessageReader(up), new StreamMessageWriter(down));
  const server = startServer(serverConnection, { l10nDir: L10N_DIR });
  const client = createProtocolConnection(new StreamMessageReader(down), new StreamMessageWriter(up));
  const logs: string[] = [];
  const registrations: Harness['registrations'] = [];
  const published: PublishDiagnosticsParams[] = [];
  const waiters: (() => void)[] = [];
  client.onNotification('window/logMessage', (p: { message: string }) => logs.push(p.message));
  client.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    published.push(p);
    for (const w of waiters.splice(0)) w();
  });
  client.onRequest('window/workDoneProgress/create', () => null);
  client.onRequest('client/registerCapability', (p: { registrations: Harness['registrations'] }) => {
    registrations.push(...p.registrations);
    return null;
  });
  client.onRequest('dynrule/getToken', () => {
    if (!options.token) throw new Error('no token in this test');
    return { token: options.token() };
  });
  client.onRequest('workspace/codeLens/refresh', () => null);
  client.onRequest('workspace/inlayHint/refresh', () => null);
  client.onNotification('$/progress', () => undefined);
  client.onNotification('dynrule/tenantChanged', () => undefined);
  client.listen();
  const init = await client.sendRequest<InitializeResult>('initialize', {
    // No processId: the server would poll that process every few seconds and keep the test run alive.
    processId: null,
    rootUri: null,
    ...(options.locale ? { locale: options.locale } : {}),
    workspaceFolders: (options.workspaceFolders ?? []).map((f) => ({ uri: pathToFileURL(f).toString(), name: f })),
    capabilities: options.capabilities ?? { window: { workDoneProgress: true }, workspace: { codeLens: { refreshSupport: true } } },
    initializationOptions: {
      ...(options.tenant ? { tenant: options.tenant } : {}),
      ...(options.storagePath ? { storagePath: options.storagePath } : {}),
      settings: { diagnosticsDelay: 0, ...(options.settings ?? {}) },
    },
  });
  await client.sendNotification('initialized', {});
  const versions = new Map<string, number>();
  const harness: Harness = {
    client, server, init, logs, registrations,
    async open(name, text, languageId = 'dynrule') {
      const uri = `file:///test/${++counter}/${name}`;
      versions.set(uri, 1);
      await client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
      return uri;
    },
    async change(uri, text) {
      const v = (versions.get(uri) ?? 1) + 1;
      versions.set(uri, v);
      await client.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ text }] });
    },
    async diagnostics(uri, minVersion = 0) {
      for (;;) {
        const hit = [...published].reverse().find((p) => p.uri === uri && (p.version ?? 0) >= minVersion);
        if (hit) return hit;
        await new Promise<void>((resolve, reject) => {
          const t = setTimeout(() => reject(new Error(`no diagnostics for ${uri}`)), 5000);
          waiters.push(() => { clearTimeout(t); resolve(); });
        });
      }
    },
    close() {
      client.dispose();
      serverConnection.dispose();
    },
  };
  return harness;
}
