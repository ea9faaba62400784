/**
 * Access tokens are never logged, cached on disk or written by us. Dynamic: the live tenant read
 * through the language server and through the CLI, with a known token and every log switched on,
 * and then every log line, every output and every byte of every file either wrote is searched for
 * the token and its parts. Static: only the snapshot writer and the preview's CSV export write
 * files, and neither touches a token.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { PreviewResponse, TenantInfo } from '../../../server/src/lsp/protocol';
import { startGraphServer, type GraphServer } from '../../support/graphServer';
import { startHarness } from '../../support/lsp';
import { dynrule, ensureBuilt, tmp } from '../robustness/helpers';

/** Every file under a folder, recursively (hidden ones too). */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

/** The token and each of its JWT parts long enough to be telling: none may appear anywhere. */
function secretsOf(token: string): string[] {
  return [token, ...token.split('.').filter((p) => p.length >= 16)];
}

function assertAbsent(where: string, text: string, secrets: readonly string[]): void {
  for (const s of secrets) assert.ok(!text.includes(s), `${where} holds the token (or part of it)`);
}

describe('security: tokens are never logged or written', function () {
  this.timeout(120_000);
  let graph: GraphServer;
  let secrets: string[];
  before(async () => {
    ensureBuilt();
    graph = await startGraphServer({ tenantDir: 'samples/tenant/contoso' });
    secrets = secretsOf(graph.token);
    assert.ok(secrets.length >= 2, 'a JWT-shaped token');
  });
  after(async () => {
    await graph.close();
  });

  it('the language server: logs, answers and the storage folder hold no token', async () => {
    const storage = tmp('dynrule-storage-');
    const h = await startHarness({ storagePath: storage, workspaceFolders: [path.resolve('samples/rules/licensing')], token: () => graph.token });
    try {
      const first = await h.client.sendRequest<TenantInfo>('dynrule/selectTenant', { selection: { kind: 'live', endpoint: graph.url, label: 'Contoso (live)' } });
      assert.equal(first.state, 'ready', first.error);
      // A refresh by delta, and a failure: both log more.
      const refreshed = await h.client.sendRequest<TenantInfo>('dynrule/selectTenant', { selection: { kind: 'live', endpoint: graph.url } });
      assert.equal(refreshed.live?.mode, 'delta');
      graph.addFault({ kind: 'expire-token', match: '/v1.0/users', nth: 1 });
      await h.client.sendRequest<TenantInfo>('dynrule/selectTenant', { selection: { kind: 'live', endpoint: graph.url, full: true } });
      const uri = await h.open('e3.dynrule', readFileSync('samples/rules/licensing/m365-e3-all-staff.dynrule', 'utf8'));
      const preview = await h.client.sendRequest<PreviewResponse>('dynrule/preview', { uri });
      assert.ok(h.logs.length > 0);
      assertAbsent('the server log', h.logs.join('\n'), secrets);
      assertAbsent('the answers', JSON.stringify([first, refreshed, preview]), secrets);
      const written = filesUnder(storage);
      assert.ok(written.some((f) => f.endsWith('users.jsonl') || f.endsWith('users.json')), written.join(', '));
      for (const f of written) assertAbsent(f, readFileSync(f).toString('latin1'), secrets);
    } finally {
      h.close();
    }
  });

  it('the CLI: stdout, stderr (with DYNRULE_DEBUG=1), the snapshot folder and the live cache hold no token', async () => {
    const out = path.join(tmp('dynrule-out-'), 'contoso');
    const cache = tmp('dynrule-cache-');
    const env = { DYNRULE_GRAPH_TOKEN: graph.token, DYNRULE_DEBUG: '1', XDG_CACHE_HOME: cache, DYNRULE_GRAPH_ENDPOINT: graph.url };
    const runs = [
      await dynrule(['snapshot', '--endpoint', graph.url, '--out', out], { env }),
      await dynrule(['snapshot', '--endpoint', graph.url, '--out', out], { env }),
      await dynrule(['eval', '--rule', 'user.department -eq "Sales"', '--tenant', 'live', '--format', 'json'], { env }),
    ];
    for (const r of runs) assert.equal(r.code, 0, r.stderr);
    assert.match(runs[0]!.stderr, /\[debug\] GET /, 'the debug log ran');
    graph.addFault({ kind: 'expire-token', match: '/v1.0/users', nth: 1 });
    runs.push(await dynrule(['snapshot', '--endpoint', graph.url, '--out', path.join(tmp('dynrule-out-'), 'failed'), '--full'], { env }));
    for (const [i, r] of runs.entries()) assertAbsent(`run ${i}'s output`, r.stdout + r.stderr, secrets);
    const written = [...filesUnder(path.dirname(out)), ...filesUnder(cache)];
    assert.ok(written.length >= 8, written.join(', '));
    for (const f of written) {
      assertAbsent(f, readFileSync(f).toString('latin1'), secrets);
      // Owner-only, like every live snapshot file.
      assert.equal(statSync(f).mode & 0o077, 0, `${f} is readable by others`);
    }
  });

  it('only reviewed modules write files — snapshots, the column cache, the CSV export — and none touches a token', () => {
    const WRITES = /\b(writeFile|writeFileSync|appendFile|appendFileSync|createWriteStream|open\([^)]*['"](w|a)|\.write\(|copyFile|secrets\.store|globalState\.update)\b/;
    const writers = new Map<string, string>();
    for (const dir of ['server/src', 'client/src', 'grammar/src']) {
      for (const f of filesUnder(dir).filter((x) => x.endsWith('.ts'))) {
        const code = readFileSync(f, 'utf8').split('\n').filter((l) => !/^\s*(\*|\/\/|\/\*)/.test(l)).join('\n');
        if (WRITES.test(code)) writers.set(f, code);
      }
    }
    // process.stdout/stderr writes (cli.ts, snapshot progress) are output, covered by the CLI test above.
    const files = [...writers.keys()].filter((f) => !/server\/src\/cli(\.ts|\/snapshot\.ts)$/.test(f)).sort();
    // Each writes what it says, and was reviewed for it; a new module that writes files is added
    // here after the same review.
    const REVIEWED: Record<string, string> = {
      'server/src/graph/writer.ts': 'snapshot folders from Graph: directory data and delta links, owner-only',
      'server/src/tenant/columnCache.ts': 'the loader\'s cache of a snapshot\'s columns: directory data, no credentials',
      'server/src/audit/pull.ts': 'rule files pulled from the tenant into the folder the user names: rules, names and ids, no credentials',
      'client/src/csv.ts': 'the CSV the user saves from the preview or the audit report, where the user chooses',
    };
    assert.deepEqual(files.filter((f) => !(f in REVIEWED)), [], 'a module that writes files and was not reviewed');
    assert.ok(files.includes('server/src/graph/writer.ts') && files.includes('client/src/csv.ts'), files.join(', '));
    for (const f of files) {
      const mentions = writers.get(f)!.replace(/\$?(delta|skip)token|deltaLinks?|deltaToken/gi, '').match(/\b(access)?token\b|getToken|authorization|bearer/gi);
      assert.equal(mentions, null, `${f} mentions ${mentions?.join(', ')}`);
    }
    // The client remembers the tenant selection in the workspace state: a selection has no token.
    const protocol = readFileSync('server/src/lsp/protocol.ts', 'utf8');
    const selection = /export interface LiveSelection \{[\s\S]*?\n\}/.exec(protocol)?.[0] ?? '';
    assert.ok(selection.length > 0 && !/token/i.test(selection.replace(/tenant/gi, '')), selection);
  });
});
