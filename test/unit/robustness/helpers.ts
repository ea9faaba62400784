/**
 * Helpers for the robustness tests: the bundled CLI and server run as users run them, tenants
 * generated in memory from a template, and timing.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ProtocolConnection } from 'vscode-languageserver-protocol/node';

export const tmp = (prefix = 'dynrule-robust-'): string => mkdtempSync(path.join(tmpdir(), prefix));

/** dist/ rebuilt when a source it bundles is newer (npm test builds it anyway). */
export function ensureBuilt(): void {
  const bundles = ['dist/cli.js', 'dist/server.js', 'dist/extension.js'];
  const built = Math.min(...bundles.map((f) => statSync(f, { throwIfNoEntry: false })?.mtimeMs ?? 0));
  const newer = (dir: string): boolean =>
    spawnSync('find', [dir, '-name', '*.ts', '-newermt', `@${Math.floor(built / 1000)}`], { encoding: 'utf8' }).stdout.trim() !== '';
  // `npm run package` and `npm start` leave a minified production build (no source maps): the
  // tests read the development build, whose lines are the sources' own.
  const production = built > 0 && !readFileSync('dist/server.js', 'utf8').includes('//# sourceMappingURL=');
  if (!built || production || newer('server/src') || newer('grammar') || newer('client/src')) {
    const r = spawnSync(process.execPath, ['scripts/build.mjs'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  }
}

export interface Run { readonly code: number | null; readonly stdout: string; readonly stderr: string; readonly ms: number; readonly signal: NodeJS.Signals | null }

/** Runs dist/cli.js; kills it after `timeoutMs` (a hang fails the test instead of the run). */
export function dynrule(args: readonly string[], options: { timeoutMs?: number; env?: Record<string, string> } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['dist/cli.js', ...args], { env: { ...process.env, ...(options.env ?? {}) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - t0 });
    });
  });
}

/** A user made from a template: the i-th of a generated tenant. */
export type UserTemplate = (i: number) => Record<string, unknown>;

export const plainUser: UserTemplate = (i) => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  displayName: `User ${i}`,
  userPrincipalName: `user${i}@contoso.com`,
  accountEnabled: i % 10 !== 0,
  userType: i % 20 === 0 ? 'Guest' : 'Member',
  department: ['Sales', 'Marketing', 'Engineering', 'Finance'][i % 4],
  jobTitle: `${['Sales', 'Marketing', 'HR'][i % 3]} Regional Manager ${i % 1000}`,
  city: i % 7 === 0 ? null : 'Seattle',
  assignedPlans: [],
  memberOf: [],
});

/** Writes a tenant folder of `count` users (JSON Lines, or one Graph page) and returns its path. */
export function writeTenant(count: number, template: UserTemplate = plainUser, dir = tmp('dynrule-tenant-'), format: 'jsonl' | 'json' = 'jsonl'): string {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) lines.push(JSON.stringify(template(i)));
  if (format === 'jsonl') writeFileSync(path.join(dir, 'users.jsonl'), lines.join('\n') + '\n');
  else writeFileSync(path.join(dir, 'users.json'), `{"value":[\n${lines.join(',\n')}\n]}\n`);
  writeFileSync(path.join(dir, 'groups.json'), '[]');
  return dir;
}

/** The bundled server over stdio, as any editor starts it. */
export interface StdioServer {
  readonly client: ProtocolConnection;
  readonly child: ChildProcess;
  readonly stderr: () => string;
  readonly logs: string[];
  stop(): Promise<void>;
}

export async function startStdioServer(initializationOptions: object = {}): Promise<StdioServer> {
  const child = spawn(process.execPath, ['dist/server.js', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const client = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const logs: string[] = [];
  client.onNotification('window/logMessage', (p: { message: string }) => logs.push(p.message));
  client.onRequest('window/workDoneProgress/create', () => null);
  client.onNotification('$/progress', () => undefined);
  client.onNotification('dynrule/tenantChanged', () => undefined);
  client.onNotification('textDocument/publishDiagnostics', () => undefined);
  client.listen();
  await client.sendRequest('initialize', {
    processId: null, rootUri: null, capabilities: { window: { workDoneProgress: true } },
    initializationOptions: { settings: { diagnostics: { delay: 0 } }, ...initializationOptions },
  });
  await client.sendNotification('initialized', {});
  return {
    client, child, logs, stderr: () => stderr,
    async stop() {
      try {
        await Promise.race([client.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
        await client.sendNotification('exit');
      } catch {
        // Already gone.
      }
      client.dispose();
      child.kill();
    },
  };
}

/** Polls until `f` gives a value, or fails after `timeoutMs`. */
export async function until<T>(f: () => Promise<T | undefined> | T | undefined, timeoutMs: number, what: string): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
