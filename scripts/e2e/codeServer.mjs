// A throw-away code-server (VS Code 1.100.3: web workbench + Node extension host) for end-to-end
// tests and `npm start`: its own config, user data, extensions and XDG folders under a run folder in
// .vscode-test/, bound to 127.0.0.1 with --auth none, in its own process group so that stopping it
// also ends the extension host, language servers, file watcher and pty host it forks.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const vscodeTestDir = join(repoRoot, '.vscode-test');
export const codeServerVersion = process.env.CS_VERSION ?? '4.100.3';
export const codeServerPrefix = process.env.CS_PREFIX ?? join(vscodeTestDir, `code-server-${codeServerVersion}`);
const codeServerBin = join(codeServerPrefix, 'bin', 'code-server');
/** The run folder of `npm start`, which `npm stop` stops. */
export const startRunDir = join(vscodeTestDir, 'run-start');

/** Settings for a quiet, repeatable workbench: no welcome page, trust prompt, gallery or telemetry. */
const userSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'chat.disableAIFeatures': true,
  'files.autoSave': 'off',
};

/** Resolves when `predicate` returns a truthy value; polls every `intervalMs` until `timeoutMs`. */
export async function waitUntil(predicate, { timeoutMs, intervalMs = 100, what }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Installs code-server into .vscode-test/ unless it is already there (see install-code-server.sh). */
export function ensureCodeServer() {
  const result = spawnSync('bash', [join(repoRoot, 'scripts/e2e/install-code-server.sh')], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`install-code-server.sh failed (exit ${result.status})`);
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

function processGroupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts code-server and resolves once /healthz answers.
 * @param {object} options
 * @param {string} options.runDir     folder for its state; emptied first
 * @param {string} options.workspace  folder opened by default
 * @param {string[]} [options.vsix]   .vsix files to install before starting
 * @param {Record<string,unknown>} [options.settings]  user settings over the quiet defaults
 * @param {Record<string,string>} [options.env]  extra environment; the extension host inherits it
 * @param {number} [options.port]     default: a free port
 * @returns {Promise<{url: string, pid: number, runDir: string, workspace: string, logFile: string,
 *   child: import('node:child_process').ChildProcess}>}  child is unref'd: ref() it to stay alive with it
 */
export async function startCodeServer({ runDir, workspace, vsix = [], settings = {}, env = {}, port }) {
  if (!existsSync(codeServerBin)) {
    throw new Error(`code-server is not installed at ${codeServerPrefix}: run bash scripts/e2e/install-code-server.sh`);
  }
  runDir = resolve(runDir);
  workspace = resolve(workspace);
  await stopCodeServer(runDir);
  rmSync(runDir, { recursive: true, force: true });
  for (const d of ['ud/User', 'ext', 'xdg/cache']) mkdirSync(join(runDir, d), { recursive: true });
  writeFileSync(join(runDir, 'config.yaml'), 'auth: none\n');
  writeFileSync(join(runDir, 'ud/User/settings.json'), JSON.stringify({ ...userSettings, ...settings }, null, 2) + '\n');

  // Without these it would write ~/.config/code-server/config.yaml and ~/.local/share/code-server.
  const childEnv = {
    ...process.env,
    XDG_CONFIG_HOME: join(runDir, 'xdg'),
    XDG_DATA_HOME: join(runDir, 'xdg'),
    XDG_CACHE_HOME: join(runDir, 'xdg/cache'),
    ...env,
  };
  const common = ['--config', join(runDir, 'config.yaml'), '--user-data-dir', join(runDir, 'ud'),
    '--extensions-dir', join(runDir, 'ext')];

  for (const file of vsix) {
    const r = spawnSync(codeServerBin, [...common, '--install-extension', resolve(file), '--force'],
      { env: childEnv, encoding: 'utf8' });
    writeFileSync(join(runDir, 'install-extension.log'), `${r.stdout}${r.stderr}`, { flag: 'a' });
    if (r.status !== 0) throw new Error(`installing ${file} failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
  }

  port ??= await freePort();
  mkdirSync(workspace, { recursive: true });
  const logFile = join(runDir, 'code-server.log');
  const logFd = openSync(logFile, 'a');
  // detached: a new session and process group, so one kill(-pid) ends every process it forks,
  // and a Ctrl+C in the terminal reaches only our own process, which then stops it.
  const child = spawn(codeServerBin, [...common, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--ignore-last-opened', workspace],
  { env: childEnv, detached: true, stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  child.unref();
  const url = `http://127.0.0.1:${port}/`;
  writeFileSync(join(runDir, 'pid'), `${child.pid}\n`);
  writeFileSync(join(runDir, 'url'), `${url}\n`);

  let exited = false;
  child.on('exit', () => { exited = true; });
  try {
    await waitUntil(async () => {
      if (exited) throw new Error('code-server exited during start-up');
      try {
        return (await fetch(`${url}healthz`, { signal: AbortSignal.timeout(2000) })).ok;
      } catch {
        return false;
      }
    }, { timeoutMs: 30_000, what: `${url}healthz` });
  } catch (e) {
    await stopCodeServer(runDir);
    const tail = readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
    throw new Error(`${e.message}\n--- ${logFile} (last lines) ---\n${tail}`);
  }
  return { url, pid: child.pid, runDir, workspace, logFile, child };
}

/** Stops the code-server started in `runDir`, with its whole process group. Safe to call twice. */
export async function stopCodeServer(runDir) {
  const pidFile = join(resolve(runDir), 'pid');
  if (!existsSync(pidFile)) return false;
  const pgid = Number(readFileSync(pidFile, 'utf8').trim());
  rmSync(pidFile, { force: true });
  if (!pgid || !processGroupAlive(pgid)) return false;
  // A stale pid file (machine rebooted, pid reused): never signal a group that is not ours. The
  // leader may be gone while its children live on; then the group is still code-server's.
  try {
    if (!readFileSync(`/proc/${pgid}/cmdline`, 'utf8').includes('code-server')) return false;
  } catch { /* the leader exited */ }
  process.kill(-pgid, 'SIGTERM');
  try {
    await waitUntil(() => !processGroupAlive(pgid), { timeoutMs: 5000, what: `process group ${pgid} to exit` });
  } catch {
    try { process.kill(-pgid, 'SIGKILL'); } catch { /* already gone */ }
  }
  return true;
}

/**
 * The workbench URL that opens `folder`; with `payload` (VS Code's web test mechanism) it also
 * loads a development extension and runs its tests in the remote (Node) extension host.
 */
export function workbenchUrl(url, folder, { extensionDevelopmentPath, extensionTestsPath } = {}) {
  const base = new URL(url);
  const params = new URLSearchParams({ folder: resolve(folder) });
  if (extensionDevelopmentPath) {
    // code-server's remote authority is the Host header the browser sends.
    const remote = (p) => `vscode-remote://${base.host}${resolve(p)}`;
    const payload = [['extensionDevelopmentPath', remote(extensionDevelopmentPath)]];
    if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
    params.set('payload', JSON.stringify(payload));
  }
  return `${base.origin}/?${params}`;
}
