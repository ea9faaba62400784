// The live tenant through Microsoft Graph, in the real editor, against test/support/graphServer.ts
// (a real HTTP server on 127.0.0.1 speaking Graph's protocol over the workspace's contoso folder).
//
// Only the token is a stand-in: an authentication provider registered here hands out the test
// server's token, and "dynrule.graph.authenticationProvider" names it. Everything else is the
// product's own path: dynrule.selectTenant with { kind: 'live', endpoint } → the language server
// reads Graph → it asks the client for a token (dynrule/getToken) → client/src/live.ts asks
// vscode.authentication.getSession(…, { createIfNone: true }) → this provider.
//
// VS Code refuses modal dialogs in extension tests, so the "wants to sign in" consent is given
// the other way a person can give it: a passive getSession() puts "Sign in with … to use Entra
// Dynamic Rules" in the Accounts menu, and the test runs that menu entry's command. From then on
// the account is allowed for the extension and getSession(createIfNone) returns it without asking.
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { GRAPH_READ_SCOPES, type TenantInfo, type TenantSelection } from '../../../protocol/src/protocol';
import { startGraphServer, type Fault, type GraphServer } from '../../support/graphServer';
import {
  cliPreview, closeAllEditors, codeLensTitles, expectedLensTitles, getApi, openRuleFile, repoRoot, runCli, waitFor, workspacePath,
  type CliPreview,
} from './helpers';

const e3Rule = 'rules/licensing/m365-e3-all-staff.dynrule';
const e3Group = 'LIC - Microsoft 365 E3';
const providerId = 'dynrule-e2e-graph';
const account = { id: 'e2e-reader', label: 'e2e-reader@contoso.com' };

/** Hands out the token of the Graph test server in use; counts what the product asked for. */
class StandInAuthProvider implements vscode.AuthenticationProvider {
  private readonly changed = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.changed.event;
  private signedIn = false;
  server: GraphServer | undefined;
  /** Sessions handed out with a server's token: each one a token the product got from VS Code. */
  tokensHandedOut = 0;

  private session(scopes: readonly string[]): vscode.AuthenticationSession {
    if (this.server) this.tokensHandedOut++;
    return { id: 'dynrule-e2e-session', accessToken: this.server?.token ?? 'no-graph-test-server', account, scopes };
  }

  async getSessions(scopes: readonly string[] | undefined): Promise<vscode.AuthenticationSession[]> {
    return this.signedIn ? [this.session(scopes ?? [])] : [];
  }

  async createSession(scopes: readonly string[]): Promise<vscode.AuthenticationSession> {
    this.signedIn = true;
    const s = this.session(scopes);
    this.changed.fire({ added: [s], removed: [], changed: [] });
    return s;
  }

  async removeSession(): Promise<void> {
    this.signedIn = false;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('dynrule');

suite('Live tenant (Graph test server)', () => {
  const provider = new StandInAuthProvider();
  const servers: GraphServer[] = [];
  let registration: vscode.Disposable | undefined;
  let contoso: TenantSelection;
  let contosoInfo: TenantInfo;
  let tenantDir: string;
  /** The settings as they were (user settings: both are application-scoped). */
  let saved: { endpoint: unknown; provider: unknown };

  suiteSetup(async function () {
    this.timeout(60_000);
    assert.ok(vscode.workspace.isTrusted, 'live tenants need a trusted workspace (the runners pass --disable-workspace-trust)');
    const api = await getApi();
    await waitFor(() => api.tenant.current?.state === 'ready', 'the tenant to load');
    contosoInfo = api.tenant.current!;
    contoso = contosoInfo.selection;
    tenantDir = existsSync(workspacePath('tenant/contoso/users.json')) ? workspacePath('tenant/contoso') : join(repoRoot, 'samples/tenant/contoso');
    saved = {
      endpoint: config().inspect('graph.endpoint')?.globalValue,
      provider: config().inspect('graph.authenticationProvider')?.globalValue,
    };

    registration = vscode.authentication.registerAuthenticationProvider(providerId, 'Graph test server', provider);
    // Consent through the Accounts menu (see the comment at the top), once for the suite.
    const none = await vscode.authentication.getSession(providerId, GRAPH_READ_SCOPES);
    assert.equal(none, undefined, 'nobody is signed in to the stand-in provider yet');
    const signIn = await waitFor(async () => (await vscode.commands.getCommands()).find((c) => c.startsWith(`${providerId}:`) && /:signIn\d+$/.test(c)),
      'the Accounts menu entry "Sign in with Graph test server to use Entra Dynamic Rules"');
    await vscode.commands.executeCommand(signIn);
    const allowed = await vscode.authentication.getSession(providerId, GRAPH_READ_SCOPES, { silent: true });
    assert.equal(allowed?.account.label, account.label, 'the extension may use the account without asking');

    await config().update('graph.authenticationProvider', providerId, vscode.ConfigurationTarget.Global);
  });

  // Whatever happens, leave the next suites on the tenant and settings they expect.
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('dynrule.selectTenant', contoso);
    await config().update('graph.endpoint', saved.endpoint, vscode.ConfigurationTarget.Global);
    await config().update('graph.authenticationProvider', saved.provider, vscode.ConfigurationTarget.Global);
    registration?.dispose();
    provider.dispose();
    await Promise.all(servers.map((s) => s.close()));
  });
  teardown(closeAllEditors);

  /** A Graph test server over the contoso folder, whose token the stand-in provider hands out. */
  async function serve(faults: Fault[] = []): Promise<GraphServer> {
    const server = await startGraphServer({ tenantDir, faults });
    servers.push(server);
    provider.server = server;
    return server;
  }

  /**
   * Points "dynrule.graph.endpoint" at the server and selects the live tenant there, as Select
   * Tenant… → "Sign in and read my tenant…" does (client/src/live.ts pickLive reads the setting);
   * resolves once the language server has read it (or failed to).
   */
  async function selectLive(server: GraphServer, label: string): Promise<TenantInfo> {
    await config().update('graph.endpoint', server.url, vscode.ConfigurationTarget.Global);
    const endpoint = config().get<string>('graph.endpoint');
    assert.equal(endpoint, server.url, 'plain http on 127.0.0.1 is a valid endpoint (docs/live-tenant.md)');
    const selection: TenantSelection = { kind: 'live', endpoint: endpoint!, label };
    const info = await vscode.commands.executeCommand<TenantInfo>('dynrule.selectTenant', selection);
    const api = await getApi();
    await waitFor(() => {
      const cur = api.tenant.current;
      return cur?.selection.kind === 'live' && cur.selection.endpoint === server.url && cur.state !== 'loading';
    }, () => `the live tenant at ${server.url} to load; the status bar has ${JSON.stringify(api.tenant.current)}`, { timeoutMs: 60_000 });
    return info;
  }

  /** `dynrule preview --tenant live` against the same server: its own sign-in (a token) and cache. */
  async function cliPreviewLive(server: GraphServer): Promise<CliPreview> {
    const cache = mkdtempSync(join(tmpdir(), 'dynrule-e2e-cli-cache-'));
    try {
      const { stdout, stderr } = await runCli(['preview', workspacePath(e3Rule), '--tenant', 'live', '--format', 'json'], {
        env: { DYNRULE_GRAPH_TOKEN: server.token, DYNRULE_GRAPH_ENDPOINT: server.url, XDG_CACHE_HOME: cache },
      });
      assert.match(stderr, /live tenant .*taken just now/, 'the CLI read the server, not a cached snapshot');
      return JSON.parse(stdout) as CliPreview;
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  }

  const onlyGets = (server: GraphServer): void => {
    assert.ok(server.requests.length > 0);
    assert.deepEqual([...new Set(server.requests.map((r) => r.method))], ['GET'], 'nothing but GET reaches Graph');
  };

  test('the code lenses over a licensing rule equal dynrule preview --tenant live', async function () {
    this.timeout(120_000);
    const server = await serve();
    // An admin changed the group since the workspace's snapshot was taken, so the live numbers
    // differ from the folder's: equal lenses can only come from reading the server.
    const change = server.mutate({ group: { group: e3Group, remove: 4 } });
    assert.equal(change.membersRemoved.length, 4);
    const doc = await openRuleFile(e3Rule);
    const tokensBefore = provider.tokensHandedOut;

    const info = await selectLive(server, 'Contoso (live)');
    assert.equal(info.state, 'ready', info.error);
    assert.equal(info.live?.endpoint, server.url);
    assert.equal(info.live?.mode, 'full');
    assert.equal(info.users, contosoInfo.users);
    assert.equal(info.devices, contosoInfo.devices);
    assert.ok(provider.tokensHandedOut > tokensBefore, 'the extension got its token through VS Code\'s authentication API');
    assert.ok(server.requests.every((r) => r.headers['authorization'] === 'Bearer' && r.status !== 401), 'every request carried the accepted bearer token');

    const cli = await cliPreviewLive(server);
    const expected = expectedLensTitles(cli, 'members');
    const onFolder = expectedLensTitles(await cliPreview(workspacePath(e3Rule), tenantDir), 'members');
    assert.notDeepEqual(expected, onFolder, 'the changed group should give other numbers than the folder');
    const titles = await codeLensTitles(doc.uri, { accept: (t) => t[0] === expected[0] });
    assert.deepEqual(titles.slice(0, expected.length), expected);
    // The extension's own snapshot (in its storage, not the workspace) says the same.
    assert.ok(info.live?.dir && !info.live.dir.startsWith(workspacePath('')), info.live?.dir);
    assert.deepEqual(expectedLensTitles(await cliPreview(workspacePath(e3Rule), info.live.dir), 'members'), expected);
    onlyGets(server);
  });

  test('throttled pages (429 with Retry-After) still load the whole tenant', async function () {
    this.timeout(120_000);
    const retryAfterMs = 400;
    // The second and third user pages asked for (a page, then its retry), and the first device page.
    const server = await serve([
      { kind: 'throttle', match: /^\/v1\.0\/users\?/, nth: 2, times: 2, retryAfter: String(retryAfterMs / 1000) },
      { kind: 'throttle', match: /^\/v1\.0\/devices\?/, retryAfter: String(retryAfterMs / 1000) },
    ]);
    const doc = await openRuleFile(e3Rule);
    const info = await selectLive(server, 'Contoso (throttled)');
    assert.equal(info.state, 'ready', info.error);
    assert.equal(info.live?.mode, 'full');
    assert.equal(info.users, contosoInfo.users, 'every user page arrived');
    assert.equal(info.devices, contosoInfo.devices, 'every device page arrived');

    const throttled = server.requests.filter((r) => r.status === 429);
    assert.equal(throttled.length, 3, JSON.stringify(server.requests.map((r) => [r.status, r.url.slice(0, 40)])));
    for (const t of throttled) {
      // The same page again, no sooner than Graph asked.
      const retried = server.requests.find((r) => r.at >= t.at && r !== t && r.url === t.url && r.status === 200);
      assert.ok(retried, `${t.url} was retried`);
      assert.ok(retried.at - t.at >= retryAfterMs - 20, `${t.url} retried after ${retried.at - t.at} ms; Retry-After was ${retryAfterMs} ms`);
    }
    // Complete, so the numbers are the snapshot's the server serves.
    const expected = expectedLensTitles(await cliPreview(workspacePath(e3Rule), tenantDir), 'members');
    const titles = await codeLensTitles(doc.uri, { accept: (t) => t[0] === expected[0] });
    assert.deepEqual(titles.slice(0, expected.length), expected);
    onlyGets(server);
  });

  test('a denied token (403) fails the tenant with a reason the code lens shows', async function () {
    this.timeout(120_000);
    const server = await serve([{ kind: 'forbidden', match: /^\/v1\.0\/users\?/, times: Infinity }]);
    const doc = await openRuleFile(e3Rule);
    const info = await selectLive(server, 'Contoso (denied)');
    assert.equal(info.state, 'failed');
    assert.match(info.error ?? '', /403 Authorization_RequestDenied/);
    assert.match(info.error ?? '', /it needs User\.Read\.All/);
    // The kind crosses the real client too: the editor offers signing in again for it.
    assert.equal(info.errorKind, 'forbidden');
    assert.ok(server.requests.some((r) => r.status === 403));

    const lens = await waitFor(async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
      return l?.[0]?.command?.title.includes('could not be loaded') && l[0];
    }, 'the failed-tenant code lens');
    assert.match(lens.command!.title, /^Tenant Contoso \(denied\) could not be loaded: .*403 Authorization_RequestDenied.*it needs User\.Read\.All/);
    assert.equal(lens.command!.command, 'dynrule.selectTenant');
    onlyGets(server);
  });
});
