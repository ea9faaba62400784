/**
 * A real LSP client connection joined to the real server by two in-memory streams: the
 * protocol-level test harness (no editor). Every message goes through JSON-RPC framing.
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createConnection } from 'vscode-languageserver/node';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter,
  type InitializeResult, type ProtocolConnection, type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { startServer, type ServerHandle } from '../../server/src/lsp/languageServer';
import { GetTokenRequest, TenantChangedNotification, type TenantInfo, type TenantSelection } from '../../protocol/src/protocol';
import type { RawSettings } from '../../protocol/src/settings';

export interface Harness {
  readonly client: ProtocolConnection;
  readonly server: ServerHandle;
  readonly init: InitializeResult;
  readonly logs: string[];
  /** The refresh requests the server sent (`workspace/codeLens/refresh`, `workspace/inlayHint/refresh`), in order. */
  readonly refreshes: string[];
  /** The capabilities the server registered dynamically (`client/registerCapability`). */
  readonly registrations: { id: string; method: string; registerOptions?: unknown }[];
  /** The methods the server gave its own handlers (`connection.onRequest`, `connection.onNotification`), in order. */
  readonly handled: { readonly requests: string[]; readonly notifications: string[] };
  /** Opens a document (language `dynrule` unless given) and returns its uri. */
  open(name: string, text: string, languageId?: string): Promise<string>;
  change(uri: string, text: string): Promise<void>;
  /** The next diagnostics published for `uri` (with version ≥ the given one). */
  diagnostics(uri: string, minVersion?: number): Promise<PublishDiagnosticsParams>;
  /** The first diagnostics published for `uri` after this call (a re-publication of the same version counts). */
  nextDiagnostics(uri: string): Promise<PublishDiagnosticsParams>;
  close(): void;
}

let counter = 0;

/** The repository's message bundles, as dist/server.js finds them in l10n/ beside dist/. */
export const L10N_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../l10n');

export async function startHarness(options: {
  tenant?: TenantSelection;
  /** The `dynrule` settings section, nested as VS Code sends it; diagnostics.delay is 0 unless given. */
  settings?: RawSettings;
  capabilities?: object; storagePath?: string; workspaceFolders?: string[];
  /** The client's display language (`initialize`'s `locale`), as VS Code sends it. */
  locale?: string;
  /** Answers the server's dynrule/getToken requests (live tenants). */
  token?: () => string;
} = {}): Promise<Harness> {
  const up = new PassThrough();
  const down = new PassThrough();
  const serverConnection = createConnection(new StreamMessageReader(up), new StreamMessageWriter(down));
  // The standard features register through the connection's own on… methods; these two are what
  // the server's code calls for the protocol's messages. Noted, then passed on unchanged.
  const handled: Harness['handled'] = { requests: [], notifications: [] };
  const onRequest = serverConnection.onRequest.bind(serverConnection);
  const onNotification = serverConnection.onNotification.bind(serverConnection);
  serverConnection.onRequest = ((type: string | { method: string }, ...rest: unknown[]) => {
    handled.requests.push(typeof type === 'string' ? type : type.method);
    return (onRequest as (...args: unknown[]) => unknown)(type, ...rest);
  }) as typeof serverConnection.onRequest;
  serverConnection.onNotification = ((type: string | { method: string }, ...rest: unknown[]) => {
    handled.notifications.push(typeof type === 'string' ? type : type.method);
    return (onNotification as (...args: unknown[]) => unknown)(type, ...rest);
  }) as typeof serverConnection.onNotification;
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
  client.onRequest(GetTokenRequest, () => {
    if (!options.token) throw new Error('no token in this test');
    return { token: options.token() };
  });
  const refreshes: string[] = [];
  for (const method of ['workspace/codeLens/refresh', 'workspace/inlayHint/refresh']) {
    client.onRequest(method, () => {
      refreshes.push(method);
      return null;
    });
  }
  // `$/progress` is the connection's own: it hands each token's reports to `client.onProgress`, as vscode-languageclient does.
  client.onNotification(TenantChangedNotification, () => undefined);
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
      settings: { ...options.settings, diagnostics: { delay: 0, ...options.settings?.diagnostics } },
    },
  });
  await client.sendNotification('initialized', {});
  const versions = new Map<string, number>();
  const harness: Harness = {
    client, server, init, logs, refreshes, registrations, handled,
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
    diagnostics(uri, minVersion = 0) {
      return published_(uri, (p) => (p.version ?? 0) >= minVersion, 0);
    },
    nextDiagnostics(uri) {
      return published_(uri, () => true, published.length);
    },
    close() {
      client.dispose();
      serverConnection.dispose();
    },
  };
  /** The latest publication for `uri` at index `from` or later that `accept`s, waiting for one. */
  async function published_(uri: string, accept: (p: PublishDiagnosticsParams) => boolean, from: number): Promise<PublishDiagnosticsParams> {
    for (;;) {
      const hit = published.slice(from).reverse().find((p) => p.uri === uri && accept(p));
      if (hit) return hit;
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no diagnostics for ${uri}`)), 20_000);
        waiters.push(() => { clearTimeout(t); resolve(); });
      });
    }
  }
  return harness;
}

/** A harness with the snapshot folder `dir` selected and loaded (the tenant's state is `ready`). */
export async function startHarnessWithFolder(dir: string, options: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  const h = await startHarness(options);
  const info = await h.client.sendRequest<TenantInfo>('dynrule/selectTenant', { selection: { kind: 'folder', path: dir } });
  assert.equal(info.state, 'ready', info.error);
  return h;
}
