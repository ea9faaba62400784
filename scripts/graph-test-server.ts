/**
 * Serves a tenant snapshot folder as a Microsoft Graph–compatible HTTP server on 127.0.0.1, for
 * demos and manual tests of the live-tenant client (we cannot reach Microsoft from here):
 *
 *     npx tsx scripts/graph-test-server.ts --tenant samples/tenant/contoso --port 8400
 *         [--throttle <fraction>] [--retry-after <seconds>] [--slow <ms>]
 *
 * prints the URL and a token, e.g. for
 *
 *     DYNRULE_GRAPH_TOKEN=<token> node dist/cli.js snapshot --endpoint http://127.0.0.1:8400 --out /tmp/contoso
 *
 * Type `mutate <n>` and Enter to change n users (the next delta refresh reports them), `groups <n>`
 * to create n dynamic groups, `stats` for a JSON line of request counts by status, fault and path.
 */
import { createInterface } from 'node:readline';
import { startGraphServer, type Fault } from '../test/support/graphServer';

const USAGE = 'usage: graph-test-server --tenant <dir> [--port N] [--throttle <fraction>] [--retry-after <seconds>] [--slow <ms>]';

function parse(argv: string[]): { tenant: string; port: number; throttle?: number; retryAfter?: string; slow?: number } {
  const o: { tenant?: string; port: number; throttle?: number; retryAfter?: string; slow?: number } = { port: 8400 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const v = argv[++i];
    if (v === undefined) throw new Error(`${a} needs a value`);
    switch (a) {
      case '--tenant': o.tenant = v; break;
      case '--port': o.port = Number(v); break;
      case '--throttle': o.throttle = Number(v); break;
      case '--retry-after': o.retryAfter = v; break;
      case '--slow': o.slow = Number(v); break;
      default: throw new Error(`unknown option ${a}`);
    }
  }
  if (!o.tenant) throw new Error('give --tenant <snapshot folder>');
  return { ...o, tenant: o.tenant };
}

let options: ReturnType<typeof parse>;
try {
  options = parse(process.argv.slice(2));
} catch (e) {
  console.error(`${(e as Error).message}\n${USAGE}`);
  process.exit(2);
}

const faults: Fault[] = options.slow ? [{ kind: 'slow', delayMs: options.slow, times: Infinity }] : [];
const server = await startGraphServer({
  tenantDir: options.tenant,
  port: options.port,
  faults,
  ...(options.throttle ? { throttle: { fraction: options.throttle, retryAfter: options.retryAfter ?? '1' } } : {}),
});
console.log(`Graph test server for ${options.tenant}: ${server.store.users.size} users, ${server.store.devices.size} devices, ${server.store.groups.size} groups`);
console.log(`URL:   ${server.url}`);
console.log(`Token: ${server.token}`);
console.log('');
console.log(`DYNRULE_GRAPH_TOKEN=${server.token} node dist/cli.js snapshot --endpoint ${server.url} --out /tmp/live-snapshot`);
console.log('Type "mutate <n>" to change n users, Ctrl+C to stop.');

const rl = createInterface({ input: process.stdin });
rl.on('line', (line) => {
  if (line.trim() === 'stats') {
    const count = (key: (r: (typeof server.requests)[number]) => string): Record<string, number> => {
      const out: Record<string, number> = {};
      for (const r of server.requests) out[key(r)] = (out[key(r)] ?? 0) + 1;
      return out;
    };
    // Paths with ids and tokens taken out: what kind of request each was.
    const kind = (r: (typeof server.requests)[number]): string => {
      const u = decodeURIComponent(r.url);
      const p = u.split('?')[0]!.replace(/\/[0-9a-f-]{36}(?=\/|$)/gi, '/{id}');
      return u.includes('$deltatoken=') && !u.includes('$deltatoken=latest') ? `${p} (delta link)` : p;
    };
    console.log(`stats ${JSON.stringify({ requests: server.requests.length, methods: count((r) => r.method), status: count((r) => String(r.status)), faults: count((r) => r.fault ?? 'none'), paths: count(kind) })}`);
    return;
  }
  const g = /^groups\s+(\d+)/.exec(line.trim());
  if (g) {
    const r = server.mutate({ createDynamicGroups: Number(g[1]) });
    console.log(`created ${r.groupsCreated.length} dynamic groups`);
    return;
  }
  const m = /^mutate\s+(\d+)/.exec(line.trim());
  if (!m) return;
  const r = server.mutate({ users: Number(m[1]) });
  console.log(`changed ${r.updated.length} users: ${r.updated.slice(0, 5).join(', ')}${r.updated.length > 5 ? ', …' : ''}`);
});
process.on('SIGINT', () => {
  rl.close();
  void server.close().then(() => process.exit(0));
});
