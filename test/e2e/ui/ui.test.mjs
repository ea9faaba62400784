#!/usr/bin/env node
// UI test: the packaged extension (.vsix) installed in a real VS Code (code-server 4.100.3), driven
// with Debian's Chromium as a person would: open the workspace, open a rule from the explorer,
// read the status bar, use the command palette, take screenshots.
//
//   node test/e2e/ui/ui.test.mjs [--update-docs] [--no-package] [--vsix FILE] [--workspace DIR]
//
//   --update-docs  also write the screenshots into docs/images/ (for the README)
//   --no-package   install entra-dynamic-rules.vsix as it is (default: npm run package first)
//   --vsix         install this .vsix instead
//   --workspace    folder to open (default: a temporary copy of samples/)
// Screenshots, a failure screenshot and ui-results.json (timings, peak memory) go to .e2e-artifacts/.
//
// Adding a step: append a step('what a person sees', async () => { ... }) below, built from the
// helpers in workbench.mjs (openFile, runCommand, waitForText, screenshot, ...). Steps run in
// order on one page; after a failing step the rest are skipped.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseArgs } from 'node:util';
import {
  codeServerVersion, ensureCodeServer, repoRoot, startCodeServer, stopCodeServer, vscodeTestDir, workbenchUrl,
} from '../../../scripts/e2e/codeServer.mjs';
import { launchBrowser } from '../support/browser.mjs';
import { findChromiumChild, sampleMemory } from '../support/memory.mjs';
import {
  closeQuickInput, openFile, openWorkbench, runCommand, screenshot, selectors, waitForText,
} from './workbench.mjs';

const { values: opts } = parseArgs({
  options: {
    'update-docs': { type: 'boolean', default: false },
    'no-package': { type: 'boolean', default: false },
    vsix: { type: 'string' },
    workspace: { type: 'string' },
  },
});

const artifactsDir = join(repoRoot, '.e2e-artifacts');
const docsImagesDir = join(repoRoot, 'docs/images');
const runDir = join(vscodeTestDir, 'run-ui');
const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
const languageName = manifest.contributes.languages.find((l) => l.id === 'dynrule').aliases[0];
const ruleFile = 'rules/all-employees.dynrule';
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const t0 = Date.now();
const timings = {};
const results = { passed: 0, failed: 0, skipped: 0 };
let page;
let browser;
let server;
let memory;
let workspace;
let tempWorkspace;
let failedStep;

/** Screenshot into .e2e-artifacts/, and into docs/images/ with --update-docs. */
const shot = (name) => screenshot(page, name, opts['update-docs'] ? [artifactsDir, docsImagesDir] : [artifactsDir]);

/** One user-visible step. Once a step fails the rest are skipped: they would only fail after it. */
function step(name, fn) {
  it(name, async (t) => {
    if (failedStep) {
      results.skipped++;
      t.skip(`after the failed step "${failedStep}"`);
      return;
    }
    const started = Date.now();
    try {
      await fn();
      results.passed++;
    } catch (e) {
      results.failed++;
      failedStep = name;
      const [file] = await shot('failure').catch(() => []);
      if (file) console.error(`# failure screenshot: ${file}; code-server log: ${server?.logFile}`);
      throw e;
    } finally {
      timings[name] = Date.now() - started;
    }
  });
}

let cleaning;
/**
 * Stops what before() started and resolves to the peak memory. A signal and the after() hook may
 * both call it: the second caller waits for the first instead of exiting with code-server up.
 */
function cleanUp() {
  cleaning ??= (async () => {
    const peakMemoryMiB = memory?.stop();
    await browser?.close();
    await stopCodeServer(runDir);
    if (tempWorkspace) rmSync(tempWorkspace, { recursive: true, force: true });
    return peakMemoryMiB;
  })();
  return cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, async () => {
    await cleanUp();
    process.exit(130);
  });
}

describe(`Entra Dynamic Rules in the VS Code UI (code-server ${codeServerVersion})`, () => {
  before(async () => {
    ensureCodeServer();
    let vsix = opts.vsix && resolve(opts.vsix);
    if (!vsix) {
      vsix = join(repoRoot, 'entra-dynamic-rules.vsix');
      if (!opts['no-package'] || !existsSync(vsix)) {
        const r = spawnSync('npm', ['run', '--silent', 'package'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
        if (r.status !== 0) throw new Error('npm run package failed');
      }
    }
    workspace = opts.workspace && resolve(opts.workspace);
    if (!workspace) {
      tempWorkspace = mkdtempSync(join(tmpdir(), 'dynrule-ui-ws-'));
      workspace = join(tempWorkspace, 'samples');
      cpSync(join(repoRoot, 'samples'), workspace, { recursive: true });
    }
    server = await startCodeServer({ runDir, workspace, vsix: [vsix] });
    browser = await launchBrowser({ viewport: { width: 1280, height: 800 } });
    page = browser.page;
    const chromiumPid = findChromiumChild();
    memory = sampleMemory(() => ({ codeServer: server.pid, chromium: chromiumPid }));
    timings.setup = Date.now() - t0;
  });

  after(async () => {
    const peakMemoryMiB = await cleanUp();
    mkdirSync(artifactsDir, { recursive: true });
    const report = { ...results, failedStep: failedStep ?? null, wallSeconds: (Date.now() - t0) / 1000, timingsMs: timings, peakMemoryMiB };
    writeFileSync(join(artifactsDir, 'ui-results.json'), JSON.stringify(report, null, 2) + '\n');
    const memoryText = peakMemoryMiB ? `; peak memory (PSS) ${peakMemoryMiB.total} MiB ` +
      `(code-server ${peakMemoryMiB.codeServer ?? 0}, chromium ${peakMemoryMiB.chromium ?? 0})` : '';
    console.log(`# UI run: ${report.wallSeconds.toFixed(1)} s${memoryText}`);
  });

  step('the workbench opens with the workspace in the explorer', async () => {
    await openWorkbench(page, workbenchUrl(server.url, workspace));
  });

  step(`${ruleFile} opens from the explorer and shows the rule`, async () => {
    await openFile(page, ruleFile);
    const lastLine = readFileSync(join(workspace, ruleFile), 'utf8').trim().split('\n').at(-1);
    await waitForText(page, selectors.editorLines, lastLine);
  });

  step(`the status bar names the language "${languageName}"`, async () => {
    await waitForText(page, selectors.statusBarLanguage, languageName);
    await shot('editor');
  });

  step('the command palette offers the language in "Change Language Mode"', async () => {
    await runCommand(page, 'Change Language Mode');
    await page.keyboard.type('dynrule');
    // The row reads "Entra Dynamic Rule (dynrule) - Configured Language"; the name and the id are
    // separate elements, so innerText has no space between them.
    await waitForText(page, selectors.quickInputRow, new RegExp(`${escapeRegExp(languageName)}\\s*\\(dynrule\\) - Configured Language`));
    await shot('command-palette');
    await closeQuickInput(page);
  });
});
