import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { LSPErrorCodes, ResponseError, type CodeLens } from 'vscode-languageserver-protocol';
import { lensReason } from '../../../server/src/lsp/codeLens';
import { SelectTenantRequest, TenantInfoRequest, type GraphErrorKind, type TenantInfo } from '../../../protocol/src/protocol';
import { startGraphServer, type Fault, type GraphServer } from '../../support/graphServer';
import { readTenantDir } from '../../support/graphStore';
import { startHarness, type Harness } from '../../support/lsp';

describe('language server: a live tenant through the Graph-compatible test server', () => {
  let graph: GraphServer;
  let h: Harness;
  let storage: string;
  let tokensGiven = 0;

  before(async () => {
    graph = await startGraphServer({ tenantDir: 'samples/tenant/contoso' });
    storage = mkdtempSync(path.join(tmpdir(), 'dynrule-storage-'));
    h = await startHarness({
      storagePath: storage,
      workspaceFolders: [path.resolve('samples/rules/licensing')],
      token: () => { tokensGiven++; return graph.token; },
    });
  });
  after(async () => {
    h.close();
    await graph.close();
  });

  it('reads the tenant into the extension storage, not the workspace, and previews against it', async () => {
    const info = await h.client.sendRequest<TenantInfo>('dynrule/selectTenant', { selection: { kind: 'live', endpoint: graph.url, label: 'Contoso (live)' } });
    assert.equal(info.state, 'ready', info.error);
    assert.equal(info.users, 400);
    assert.equal(info.live?.mode, 'full');
    assert.ok(info.live?.dir?.startsWith(path.join(storage, 'tenants')), info.live?.dir);
    assert.ok(tokensGiven > 0);
    // Owner-only: the folder 0700, the files 0600.
    assert.equal(statSync(info.live!.dir!).mode & 0o777, 0o700);
    for (const f of readdirSync(info.live!.dir!)) assert.equal(statSync(path.join(info.live!.dir!, f)).mode & 0o077, 0, f);
    // Groups named by the workspace's # @group directives were fetched with their members.
    const uri = await h.open('e3.dynrule', readFileSync('samples/rules/licensing/m365-e3-all-staff.dynrule', 'utf8'));
    const lenses = await h.client.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.match(lenses[0]!.command!.title, /^members 276 → 323 \(\+47 −0\)/);
  });

  it('refreshes with delta queries and never sends anything but GET', async () => {
    const info = await h.client.sendRequest<TenantInfo>('dynrule/selectTenant', { selection: { kind: 'live', endpoint: graph.url } });
    assert.equal(info.state, 'ready', info.error);
    assert.equal(info.live?.mode, 'delta');
    assert.ok(graph.requests.length > 0);
    assert.deepEqual([...new Set(graph.requests.map((r) => r.method))], ['GET']);
  });

  it('keeps the token out of every log line', () => {
    assert.ok(h.logs.length > 0);
    for (const line of h.logs) assert.ok(!line.includes(graph.token), line);
  });

  it('reports a refused token as a failed tenant, with nothing half-written left as complete', async () => {
    const storage2 = mkdtempSync(path.join(tmpdir(), 'dynrule-storage-'));
    const h2 = await startHarness({ storagePath: storage2, token: () => 'not-a-valid-token' });
    try {
      const info = await h2.client.sendRequest<TenantInfo>('dynrule/selectTenant', { selection: { kind: 'live', endpoint: graph.url } });
      assert.equal(info.state, 'failed');
      assert.match(info.error!, /Microsoft Graph/);
      const written = existsSync(path.join(storage2, 'tenants')) ? readdirSync(path.join(storage2, 'tenants'), { recursive: true }).map(String) : [];
      assert.ok(!written.some((f) => f.endsWith('snapshot.json')), written.join(', '));
    } finally {
      h2.close();
    }
  });

  it('a denied token (403) fails the tenant, and the code lens names the permission it needs', async () => {
    const denied = await startGraphServer({ tenantDir: 'samples/tenant/contoso', faults: [{ kind: 'forbidden', match: /^\/v1\.0\/users\?/, times: Infinity }] });
    const h3 = await startHarness({ storagePath: mkdtempSync(path.join(tmpdir(), 'dynrule-storage-')), token: () => denied.token });
    try {
      const info = await h3.client.sendRequest<TenantInfo>('dynrule/selectTenant', { selection: { kind: 'live', endpoint: denied.url, label: 'Contoso (denied)' } });
      assert.equal(info.state, 'failed');
      assert.match(info.error!, /^Microsoft Graph: Graph refused GET \/v1\.0\/users \(403 Authorization_RequestDenied.*\); it needs User\.Read\.All$/);
      const uri = await h3.open('e3.dynrule', readFileSync('samples/rules/licensing/m365-e3-all-staff.dynrule', 'utf8'));
      const lenses = await h3.client.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
      assert.equal(lenses.length, 1);
      assert.equal(lenses[0]!.command!.title, `Tenant Contoso (denied) could not be loaded: ${info.error} — choose another`);
      assert.equal(lenses[0]!.command!.command, 'dynrule.selectTenant');
    } finally {
      h3.close();
      await denied.close();
    }
  });
});

describe('language server: a live tenant from a hostile Graph server', () => {
  const storageIn = (parent: string): string => {
    const dir = path.join(parent, 'storage');
    mkdirSync(dir);
    return dir;
  };

  for (const status of [400, 403]) {
    it(`keeps the token a ${status} error body echoes out of tenantInfo.error, the code lens and the log`, async () => {
      const hostile = await startGraphServer({ tenantDir: 'samples/tenant/contoso', faults: [{ kind: 'echo-token', status, match: /^\/v1\.0\/users\?/, times: Infinity }] });
      const h = await startHarness({ storagePath: mkdtempSync(path.join(tmpdir(), 'dynrule-storage-')), token: () => hostile.token });
      try {
        const info = await h.client.sendRequest<TenantInfo>('dynrule/selectTenant', { selection: { kind: 'live', endpoint: hostile.url, label: 'Contoso (hostile)' } });
        assert.equal(info.state, 'failed');
        assert.match(info.error!, new RegExp(`^Microsoft Graph: .*${status} InvalidRequest: The header 'Authorization: Bearer \\[redacted\\]' was not accepted for token \\[redacted\\]`));
        const uri = await h.open('e3.dynrule', readFileSync('samples/rules/licensing/m365-e3-all-staff.dynrule', 'utf8'));
        const lenses = await h.client.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
        const tenantInfo = await h.client.sendRequest<TenantInfo>('dynrule/tenantInfo');
        const shown = JSON.stringify([info, tenantInfo, lenses, h.logs]);
        for (const secret of [hostile.token, ...hostile.token.split('.').filter((p) => p.length >= 16)]) assert.ok(!shown.includes(secret), 'the token (or part of it) is shown');
      } finally {
        h.close();
        await hostile.close();
      }
    });
  }

  it('refuses an /organization id that would take the snapshot out of <storage>/tenants', async () => {
    const data = await readTenantDir('samples/tenant/contoso');
    const hostile = await startGraphServer({ data: { ...data, organization: { id: '../../escaped', displayName: 'Escaped' } } });
    const parent = mkdtempSync(path.join(tmpdir(), 'dynrule-parent-'));
    const storage = storageIn(parent);
    const h = await startHarness({ storagePath: storage, token: () => hostile.token });
    try {
      const info = await h.client.sendRequest<TenantInfo>('dynrule/selectTenant', { selection: { kind: 'live', endpoint: hostile.url } });
      assert.equal(info.state, 'failed');
      assert.match(info.error!, /GET \/v1\.0\/organization returned an id that is not a tenant id \(a GUID\)/);
      // <storage>/tenants/../../escaped is <parent>/escaped.
      assert.deepEqual(readdirSync(parent), ['storage']);
      assert.deepEqual(existsSync(path.join(storage, 'tenants')) ? readdirSync(path.join(storage, 'tenants')) : [], []);
    } finally {
      h.close();
      await hostile.close();
    }
  });
});

describe('language server: the reason a failed tenant\'s code lens shows', () => {
  it('is one line, at most 200 characters, with $( kept as text', () => {
    assert.equal(lensReason('users.json:\n  invalid JSON'), 'users.json: invalid JSON');
    assert.equal(lensReason(undefined), '');
    const long = lensReason(`no such tenant folder /${'x'.repeat(300)}`);
    assert.equal(long.length, 200);
    assert.ok(long.endsWith('…'));
    assert.equal(lensReason('no such tenant folder /tmp/$(pwd)'), 'no such tenant folder /tmp/\\$(pwd)');
  });
});

describe('language server: sign-in cancelled while a live tenant is being read', () => {
  let graph: GraphServer;
  before(async () => { graph = await startGraphServer({ tenantDir: 'samples/tenant/contoso' }); });
  after(() => graph.close());

  // What the VS Code client answers dynrule/getToken with when the user cancels signing in.
  const cancelled = () => { throw new ResponseError(LSPErrorCodes.RequestCancelled, 'Sign-in was cancelled.'); };
  const cases: [string, (call: number) => string][] = [
    ['at the first token', () => cancelled()],
    // The Graph client wraps a token provider's error: the cancel is found as its cause.
    ['after the tenant id was read', (call) => (call === 1 ? graph.token : cancelled())],
  ];
  for (const [when, token] of cases) {
    it(`${when}: the tenant in use stays, its code lens is unchanged, and the log says what happened`, async () => {
      let calls = 0;
      const h = await startHarness({
        tenant: { kind: 'folder', path: path.resolve('samples/tenant/contoso'), label: 'Contoso' },
        storagePath: mkdtempSync(path.join(tmpdir(), 'dynrule-storage-')),
        token: () => token(++calls),
      });
      try {
        const uri = await h.open('e3.dynrule', readFileSync('samples/rules/licensing/m365-e3-all-staff.dynrule', 'utf8'));
        const ready = await h.client.sendRequest<TenantInfo>('dynrule/selectTenant', { selection: { kind: 'folder', path: path.resolve('samples/tenant/contoso'), label: 'Contoso' } });
        const before = await h.client.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
        assert.match(before[0]!.command!.title, /^members \d+ → \d+/);

        const info = await h.client.sendRequest<TenantInfo>('dynrule/selectTenant', { selection: { kind: 'live', endpoint: graph.url, label: 'Live tenant' } });
        assert.ok(calls >= 1, 'the server asked for a token');
        assert.deepEqual(info.selection, ready.selection);
        assert.equal(info.state, 'ready');
        assert.equal(info.users, ready.users);
        assert.equal(info.error, undefined);
        assert.deepEqual(h.server.tenant.info(), info);
        const after = await h.client.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
        assert.deepEqual(after.map((l) => l.command?.title), before.map((l) => l.command?.title));
        assert.ok(h.logs.some((l) => /Reading Live tenant: signing in was cancelled\. The tenant in use stays Contoso\./.test(l)), h.logs.join('\n'));
      } finally {
        h.close();
      }
    });
  }
});

describe('language server: tenantInfo says what kind of Graph failure failed a live tenant', () => {
  // Each answer is final at once: no retry waits (a Retry-After longer than the client waits fails the read).
  const cases: [string, readonly Fault[], ((g: GraphServer) => string) | undefined, GraphErrorKind][] = [
    ['a token Graph refuses (401)', [], () => 'not-a-valid-token', 'auth'],
    ['a missing permission (403)', [{ kind: 'forbidden', match: /^\/v1\.0\/users\?/, times: Infinity }], undefined, 'forbidden'],
    ['throttling longer than the client waits (429)', [{ kind: 'throttle', retryAfter: '3600', match: /^\/v1\.0\/users\?/, times: Infinity }], undefined, 'throttled'],
  ];
  for (const [what, faults, token, kind] of cases) {
    it(`${what}: ${kind}, in the answer and in tenantInfo, with the message still redacted`, async () => {
      const graph = await startGraphServer({ tenantDir: 'samples/tenant/contoso', faults });
      const h = await startHarness({ storagePath: mkdtempSync(path.join(tmpdir(), 'dynrule-storage-')), token: () => (token ? token(graph) : graph.token) });
      try {
        const info = await h.client.sendRequest(SelectTenantRequest, { selection: { kind: 'live', endpoint: graph.url, label: 'Contoso (live)' } });
        assert.equal(info.state, 'failed');
        assert.equal(info.errorKind, kind, info.error);
        assert.match(info.error!, /^Microsoft Graph: /);
        assert.deepEqual(await h.client.sendRequest(TenantInfoRequest), info);
        assert.ok(!JSON.stringify(info).includes(graph.token));
      } finally {
        h.close();
        await graph.close();
      }
    });
  }

  it('a tenant folder that fails to load has no Graph failure kind, and a tenant that loads none', async () => {
    const h = await startHarness();
    try {
      const missing = await h.client.sendRequest(SelectTenantRequest, { selection: { kind: 'folder', path: path.join(tmpdir(), 'dynrule-no-such-tenant') } });
      assert.equal(missing.state, 'failed');
      assert.ok(missing.error);
      assert.equal(missing.errorKind, undefined);
      const ready = await h.client.sendRequest(SelectTenantRequest, { selection: { kind: 'folder', path: path.resolve('samples/tenant/contoso') } });
      assert.equal(ready.state, 'ready');
      assert.equal(ready.errorKind, undefined);
    } finally {
      h.close();
    }
  });
});
