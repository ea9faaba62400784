#!/usr/bin/env node
// Runs the extension integration tests (test/e2e/suite) inside a real VS Code extension host:
// code-server 4.100.3's Node extension host, with this repository as the development extension
// (its dist/), exactly the extensionDevelopmentPath + extensionTestsPath contract of
// @vscode/test-electron.
//
// code-server's CLI rejects --extensionDevelopmentPath, but VS Code's web workbench reads the same
// two paths from a `payload` URL parameter (how VS Code runs its own browser integration tests).
// Headless Chromium opens that URL; the workbench loads the suite in the extension host, forwards
// what the extension host prints to the page console, and when run() settles calls
// window.codeAutomationExit(code), which we expose to learn the result.
//
//   node test/e2e/runExtensionTests.mjs [--workspace DIR] [--grep REGEXP] [--results FILE]
//                                       [--no-build] [--timeout SECONDS] [--verbose]
//
//   --workspace  folder to open (default: a temporary copy of samples/, deleted afterwards)
//   --grep       run only the tests whose full title matches
//   --results    JSON report (default .e2e-artifacts/integration-results.json)
//   --no-build   use dist/ as it is (default: npm run build first)
//   --verbose    also print the workbench's own log lines
// Exit code: the test runner's (0 all passed, 1 a test failed), 2 when the run could not start
// or timed out.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { format, parseArgs } from 'node:util';
import {
  ensureCodeServer, repoRoot, startCodeServer, stopCodeServer, vscodeTestDir, workbenchUrl,
} from '../../scripts/e2e/codeServer.mjs';
import { buildSuite } from './buildSuite.mjs';
import { prepareWorkspace } from './support/fixtures.mjs';
import { launchBrowser } from './support/browser.mjs';
import { findChromiumChild, sampleMemory } from './support/memory.mjs';

const { values: opts } = parseArgs({
  options: {
    workspace: { type: 'string' },
    grep: { type: 'string' },
    results: { type: 'string', default: join(repoRoot, '.e2e-artifacts/integration-results.json') },
    'no-build': { type: 'boolean', default: false },
    timeout: { type: 'string', default: '300' },
    verbose: { type: 'boolean', default: false },
  },
});

const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
const step = (msg) => console.log(`[e2e ${elapsed()}] ${msg}`);

// Start-up chatter of the workbench and the (offline) extension gallery, dropped unless --verbose.
const noise = /^(Resolving connection token|Resolved connection token|Creating a socket|Updating additional builtin|\[Service Worker\]|ChatSessionStore|getaddrinfo ENOTFOUND|Overwriting extension|The web worker extension host|An iframe which has both|Started local extension host|Extension host \(|Loading development extension|Failed to load resource|\[LocalFileSearchWorker\]|Found unexpected service worker controller)/;

/** Stops everything main() started; replaced by main() once there is something to stop. */
let cleanUp = async () => {};

async function main() {
  const runDir = join(vscodeTestDir, 'run-integration');
  const resultsFile = resolve(opts.results);
  const hostResultsFile = join(runDir, 'host-results.json');
  let workspace = opts.workspace && resolve(opts.workspace);
  let tempWorkspace;
  let browser;
  let memory;
  let cleaning;
  // Both a signal handler and main's own finally may call this: the second caller must wait for
  // the first to finish, not return early and let the process exit with code-server still up.
  cleanUp = () => (cleaning ??= (async () => {
    memory?.stop();
    await browser?.close();
    await stopCodeServer(runDir);
    if (tempWorkspace) rmSync(tempWorkspace, { recursive: true, force: true });
  })());

  ensureCodeServer();
  if (!opts['no-build']) {
    step('bundling the extension (npm run build)');
    const r = spawnSync('npm', ['run', '--silent', 'build'], { cwd: repoRoot, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('npm run build failed');
  }
  if (!existsSync(join(repoRoot, 'dist/extension.js'))) throw new Error('dist/extension.js is missing: run npm run build');
  const suiteDir = await buildSuite();
  let fixtures = Promise.resolve();
  if (!workspace) {
    // The second tenant for the tenant-switching tests is generated while code-server starts.
    ({ root: tempWorkspace, workspace, ready: fixtures } = prepareWorkspace(repoRoot, 'dynrule-e2e-ws-'));
  }

  try {
    step('starting code-server');
    const server = await startCodeServer({
      runDir,
      workspace,
      env: {
        DYNRULE_E2E_RESULTS: hostResultsFile,
        DYNRULE_E2E_UI_KIND: 'web',
        ...(opts.grep ? { DYNRULE_E2E_GREP: opts.grep } : {}),
      },
    });
    step(`code-server up at ${server.url}, workspace ${workspace}`);

    browser = await launchBrowser();
    step('browser up');
    const chromiumPid = findChromiumChild();
    memory = sampleMemory(() => ({ codeServer: server.pid, chromium: chromiumPid }));
    const { page } = browser;

    let finish;
    const finished = new Promise((r) => { finish = r; });
    // The workbench logs the extension host's console (mocha's reporter) through its log service
    // as console.log('%c INFO', 'color: ...', format, ...args): strip the prefix, format the rest.
    page.on('console', async (message) => {
      let args = await Promise.all(message.args().map((a) => a.jsonValue().catch(() => '')));
      if (typeof args[0] === 'string' && /^%c\s*(TRACE|DEBUG|INFO|WARN|ERR)/.test(args[0])) args = args.slice(2);
      if (args.length === 0) return;
      const text = format(...args);
      if (opts.verbose || !noise.test(text)) console.log(text);
    });
    page.on('crash', () => finish({ code: 2, reason: 'the page crashed' }));
    await page.exposeFunction('codeAutomationLog', (level, args) => {
      if (opts.verbose) console.log(`[workbench ${level}]`, ...(Array.isArray(args) ? args : [args]));
    });
    await page.exposeFunction('codeAutomationExit', (code, logs) => {
      // The workbench hands over its log files: keep them for a failed run.
      if (Array.isArray(logs)) {
        for (const log of logs) {
          const file = join(runDir, 'workbench-logs', log.relativePath);
          mkdirSync(dirname(file), { recursive: true });
          writeFileSync(file, log.contents);
        }
      }
      finish({ code });
    });

    await fixtures;
    step('second tenant generated');
    const timeoutMs = Number(opts.timeout) * 1000;
    const timer = setTimeout(() => finish({ code: 2, reason: `no result after ${opts.timeout} s` }), timeoutMs);
    step('opening the workbench with the test payload');
    await page.goto(workbenchUrl(server.url, workspace, {
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: join(suiteDir, 'index.js'),
    }));
    const { code, reason } = await finished;
    clearTimeout(timer);
    if (reason) console.error(`[e2e] ${reason}; logs in ${runDir}`);
    step(`extension host test runner exit code: ${code}`);

    const peakMiB = memory.stop();
    memory = undefined;
    const host = existsSync(hostResultsFile) ? JSON.parse(readFileSync(hostResultsFile, 'utf8')) : undefined;
    const report = {
      exitCode: code,
      ...(reason ? { error: reason } : {}),
      passed: host?.passed ?? 0,
      failed: host?.failed ?? (code === 0 ? 0 : 1),
      pending: host?.pending ?? 0,
      wallSeconds: Number(((Date.now() - t0) / 1000).toFixed(1)),
      peakMemoryMiB: peakMiB,
      metrics: host?.metrics ?? {},
      host: host?.host,
      tests: host?.tests ?? [],
    };
    mkdirSync(dirname(resultsFile), { recursive: true });
    writeFileSync(resultsFile, JSON.stringify(report, null, 2) + '\n');
    console.log(`[e2e] results: ${resultsFile}; peak memory (PSS) ${peakMiB.total} MiB ` +
      `(code-server ${peakMiB.codeServer ?? 0}, chromium ${peakMiB.chromium ?? 0})`);
    console.log(`${report.passed} passed, ${report.failed} failed${report.pending ? `, ${report.pending} skipped` : ''}`);
    return code;
  } finally {
    await cleanUp();
  }
}

// Ctrl+C or a CI kill: code-server runs in its own process group, so stop it here.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, async () => {
    console.error(`[e2e] ${signal}: stopping`);
    await cleanUp();
    process.exit(130);
  });
}
let exitCode = 2;
try {
  exitCode = await main();
} catch (e) {
  console.error(`[e2e] ${e.stack ?? e}`);
} finally {
  await cleanUp();
}
process.exit(exitCode);
