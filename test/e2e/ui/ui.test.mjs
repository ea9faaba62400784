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
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseArgs } from 'node:util';
import {
  codeServerVersion, ensureCodeServer, repoRoot, startCodeServer, stopCodeServer, vscodeTestDir, workbenchUrl,
} from '../../../scripts/e2e/codeServer.mjs';
import { launchBrowser } from '../support/browser.mjs';
import { findChromiumChild, sampleMemory } from '../support/memory.mjs';
import { htmlUser, prepareWorkspace, smallTenant } from '../support/fixtures.mjs';
import {
  closeQuickInput, defaultTimeoutMs, dismissSuggestions, editorLinesOfTab, editorTab, focusEditor, focusSuggestion, hidePanel, hoverUntil, openCommandPalette, openFile, openWorkbench, pasteInEditor, pickQuickInputRow,
  runCommand, screenshot, selectors, setSideBarVisible, typeInEditor, waitForAriaLabel, waitForCount, waitForText, webview,
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
const brokenFile = 'invalid/three-mistakes.dynrule';
const e3Rule = 'rules/licensing/m365-e3-all-staff.dynrule';
const failingTests = 'failing/e3-contractors.ruletests.json';
// A contractor, whom the E3 rule leaves out (see the Explain step).
const explainUser = 'diego.baker@contoso.com';
const exchangePlan = { name: 'EXCHANGE_S_ENTERPRISE', id: 'efb87545-963c-4e0d-99df-69c6916d9eb0' };
const extensionId = `${manifest.publisher}.${manifest.name}`;
// What a person adds to the E3 rule in the editor: only people with an Exchange mailbox, and a
// usage location. The -any condition is not in parentheses, which the editor warns about.
const e3Addition = `-and user.assignedPlans -any assignedPlan.servicePlanId -eq "${exchangePlan.id}"\n-and user.usageLocation -ne null`;
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `dynrule preview --format json` (the reference numbers) for a rule text against a tenant. */
function cliPreview(ruleText, tenantDir) {
  const dir = mkdtempSync(join(tmpdir(), 'dynrule-ui-rule-'));
  try {
    const file = join(dir, 'rule.dynrule');
    writeFileSync(file, ruleText);
    const r = spawnSync(process.execPath, [join(repoRoot, 'dist/cli.js'), 'preview', file, '--tenant', tenantDir, '--format', 'json'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`dynrule preview failed (${r.status}): ${r.stderr}`);
    return JSON.parse(r.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The first code lens title over a rule, as the server writes it. */
const membersLens = (p) => `members ${p.before} → ${p.after} (+${p.added.length} −${p.removed.length})`;
/** The rule text as Entra gets it: comment lines left out. */
const ruleOnly = (text) => text.split(/\r?\n/).filter((l) => !l.trimStart().startsWith('#')).join('\n').trim();

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

/** Screenshot into .e2e-artifacts/, and into docs/images/ with --update-docs; `clip` crops it. */
const shot = (name, clip) => screenshot(page, name, opts['update-docs'] ? [artifactsDir, docsImagesDir] : [artifactsDir], { clip });
/** The top of the window: title, tabs and the first lines of the editor, without empty space. */
const top = (height) => ({ x: 0, y: 0, width: 1280, height });

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
    let fixtures = Promise.resolve();
    if (!workspace) ({ root: tempWorkspace, workspace, ready: fixtures } = prepareWorkspace(repoRoot, 'dynrule-ui-ws-'));
    // No minimap: the screenshots keep the width for the rule.
    server = await startCodeServer({ runDir, workspace, vsix: [vsix], settings: { 'editor.minimap.enabled': false } });
    await fixtures;
    browser = await launchBrowser({ viewport: { width: 1280, height: 800 } });
    page = browser.page;
    // Playwright's own waits (locator.waitFor, click) get the same bound as the helpers'.
    page.setDefaultTimeout(defaultTimeoutMs);
    // The copy commands write to the clipboard; the steps read it back as a paste would.
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.url).origin });
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

  step('a broken rule shows its squiggles, and the Problems panel lists them with their codes', async () => {
    await openFile(page, brokenFile);
    const text = readFileSync(join(workspace, brokenFile), 'utf8');
    const codes = /^#\s*expect:\s*(.+)$/m.exec(text)[1].split(',').map((c) => c.trim());
    await page.locator(selectors.squigglyError).nth(codes.length - 1).waitFor();
    await focusEditor(page);
    await page.keyboard.press('Control+Shift+M');
    for (const code of codes) await waitForText(page, selectors.problemsRow, code);
    await waitForText(page, selectors.problemsRow, /user\.departmnet is not a user property\. Did you mean department\?/);
    await shot('problems');
    await hidePanel(page);
  });

  step('the status bar shows the rule\'s length against 3,072 and whether it is a user or a device rule', async () => {
    const item = selectors.statusBarItem(`${extensionId}.dynrule.ruleStatus`);
    const length = ruleOnly(readFileSync(join(workspace, brokenFile), 'utf8')).length;
    await waitForText(page, item, `${length} / 3,072 · user rule`);
    const device = 'rules/autopilot-devices.dynrule';
    await openFile(page, device);
    const deviceLength = ruleOnly(readFileSync(join(workspace, device), 'utf8')).length;
    await waitForText(page, item, `${deviceLength} / 3,072 · device rule`);
    // Over the limit, the item turns into an error.
    await openFile(page, 'invalid/rule-too-long.dynrule');
    const over = ruleOnly(readFileSync(join(workspace, 'invalid/rule-too-long.dynrule'), 'utf8')).length;
    assert.ok(over > 3072);
    await waitForText(page, item, `${over.toLocaleString('en-US')} / 3,072`);
    await page.locator(`${item} .codicon-error`).waitFor();
  });

  step('typing "user." lists the user properties at once, and Enter on one completes it', async () => {
    await openFile(page, ruleFile);
    await focusEditor(page);
    await page.keyboard.press('Control+End');
    // The sample ends with a newline: Ctrl+End is on a new, empty line.
    await typeInEditor(page, '-and user.');
    // No Ctrl+Space: the "." asks for the properties by itself.
    await waitForText(page, selectors.suggestRow, /accountEnabled.*assignedPlans/);
    await page.keyboard.type('depar');
    await waitForText(page, selectors.suggestFocusedRow, 'department');
    await page.keyboard.press('Enter');
    await page.locator(selectors.suggestWidget).waitFor({ state: 'hidden' });
    await waitForText(page, selectors.editorLines, '-and user.department');
  });

  step(`Ctrl+Space in servicePlanId -eq "" lists the tenant's service plans first; typing "exchange" puts ${exchangePlan.name} first, and picking it inserts its GUID, named inline`, async () => {
    await typeInEditor(page, ' -ne "Sales"\n-and user.assignedPlans -any (assignedPlan.servicePlanId -eq "');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Space');
    // The tenant's own plans come first, the most held first, each with how many hold it.
    await waitForText(page, selectors.suggestRow, / users · in your /);
    // Typing part of a name keeps that order: the plan the tenant owns is the first match.
    await page.keyboard.type('exchange');
    await waitForText(page, selectors.suggestFocusedRow, exchangePlan.name);
    await focusSuggestion(page, exchangePlan.name);
    // Ctrl+Space again shows the focused item's details: the GUID and the products that hold it.
    const details = page.locator(selectors.suggestDetails);
    if (!(await details.isVisible())) await page.keyboard.press('Control+Space');
    await waitForText(page, details, exchangePlan.id);
    await setSideBarVisible(page, false);
    await shot('completion', top(440));
    await page.keyboard.press('Enter');
    await waitForText(page, selectors.editorLines, `assignedPlan.servicePlanId -eq "${exchangePlan.id}"`);
    // The inlay hint names the GUID.
    await waitForText(page, selectors.editorLines, new RegExp(`"${exchangePlan.id}"\\s*${exchangePlan.name}`));
    await runCommand(page, 'File: Revert File');
    await waitForText(page, selectors.activeTab, 'all-employees.dynrule');
    await page.locator(`${selectors.activeTab}.dirty`).waitFor({ state: 'detached' });
  });

  step('the code lens over a licensing rule shows dynrule preview\'s numbers, per SKU with its seats, and each license error by name', async () => {
    const cli = cliPreview(readFileSync(join(workspace, e3Rule), 'utf8'), join(workspace, 'tenant/contoso'));
    const e3 = cli.licenses.find((l) => l.skuPartNumber === 'SPE_E3');
    const conflicts = cli.errors.filter((e) => e.reason === 'MutuallyExclusiveViolation').length;
    assert.ok(conflicts > 0 && e3.shortfall === 0, 'Retail Operations hold F3: E3 conflicts for them');
    await openFile(page, e3Rule);
    await waitForText(page, selectors.codeLens, membersLens(cli));
    await waitForText(page, selectors.codeLens, `SPE_E3 +${e3.gained.length} −${e3.lost.length} · ${e3.left} seats left`);
    await waitForText(page, selectors.codeLens, `${conflicts} × MutuallyExclusiveViolation: A plan of the product conflicts`);
  });

  step('Entra Dynamic Rules: Select Tenant… from the palette switches to a second snapshot, and the code lens follows', async () => {
    const small = cliPreview(readFileSync(join(workspace, e3Rule), 'utf8'), join(workspace, smallTenant.folder));
    const contoso = cliPreview(readFileSync(join(workspace, e3Rule), 'utf8'), join(workspace, 'tenant/contoso'));
    const tenantItem = selectors.statusBarItem(`${extensionId}.dynrule.tenant`);
    await runCommand(page, 'Entra Dynamic Rules: Select Tenant…');
    // The workspace's copy of the bundled sample is one tenant: listed once, saying what it is.
    await waitForText(page, selectors.quickInputRow, /tenant\/contoso\s*the bundled sample tenant \(Contoso\)/);
    await waitForText(page, selectors.quickInputRow, 'Browse for a snapshot folder');
    assert.equal((await page.locator(selectors.quickInputRow).allInnerTexts()).filter((r) => /Contoso/.test(r)).length, 1, 'one Contoso in the tenant picker');
    await pickQuickInputRow(page, smallTenant.folder);
    await waitForText(page, tenantItem, smallTenant.tenantName);
    await waitForText(page, selectors.codeLens, membersLens(small));
    // And back, by clicking the tenant in the status bar.
    await page.locator(tenantItem).click();
    await pickQuickInputRow(page, 'tenant/contoso');
    await waitForText(page, tenantItem, /^\S*\s*Contoso · /);
    await waitForText(page, selectors.codeLens, membersLens(contoso));
  });

  step('Explain Rule for User… from the palette: find a user by name, and the trace opens beside the rule', async () => {
    const users = JSON.parse(readFileSync(join(workspace, 'tenant/contoso/users.json'), 'utf8')).value;
    // The picker lists the first 100 people, filters them as text is typed, and replaces the list
    // with the tenant's answer to the search. Someone after the first 100 can only be listed by
    // that answer: once their row shows, the list is final and Enter picks them. (With someone
    // among the first 100, Enter could land while the answer replaced the list, and pick no one.)
    assert.ok(users.findIndex((u) => u.userPrincipalName === explainUser) >= 100, `${explainUser} should not be among the first 100 users`);
    await runCommand(page, 'Entra Dynamic Rules: Explain Rule for User…');
    // The palette closes and the extension's picker opens a moment later: type only into that.
    await waitForText(page, selectors.quickInputTitle, 'Explain the rule for');
    await page.locator(selectors.quickInputBox).fill(explainUser);
    await waitForAriaLabel(page, selectors.quickInputFocusedRow, new RegExp(escapeRegExp(explainUser)));
    await waitForCount(page, selectors.quickInputRow, 1);
    await page.keyboard.press('Enter');
    const traceTab = editorTab(page, `${explainUser}.trace`);
    await traceTab.waitFor();
    const trace = editorLinesOfTab(page, `${explainUser}.trace`);
    await waitForText(page, trace, 'Result: not a member');
    await waitForText(page, trace, '✗ user.extensionAttribute7 -ne "Contractor" [extensionAttribute7 = Contractor]');
    await setSideBarVisible(page, false);
    await shot('explain', top(420));
    await traceTab.locator('.codicon-close').click();
    await traceTab.waitFor({ state: 'detached' });
  });

  step('clicking the code lens opens the preview: who is added and removed, the seats, and each license error explained', async () => {
    const cli = cliPreview(readFileSync(join(workspace, e3Rule), 'utf8'), join(workspace, 'tenant/contoso'));
    const e3 = cli.licenses.find((l) => l.skuPartNumber === 'SPE_E3');
    await setSideBarVisible(page, false);
    await page.locator(selectors.codeLens, { hasText: membersLens(cli) }).click();
    const view = webview(page);
    await waitForText(page, view.locator('#summary'), `Members ${cli.before} → ${cli.after} +${cli.added.length} −${cli.removed.length}`);
    await waitForText(page, view.locator('.meta'), /^Group: LIC - Microsoft 365 E3 · Tenant: Contoso$/);
    // Nothing but the sections: no stray text such as "null" where a section is absent.
    assert.deepEqual(await view.locator('#app').evaluate((app) => [...app.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent)), []);
    await waitForText(page, view.locator('#licenses'), new RegExp(`SPE_E3.*\\+${e3.gained.length}\\s+−${e3.lost.length}\\s+${e3.available}\\s+${e3.needed}\\s+${e3.freed}\\s+${e3.left}\\s+${e3.shortfall}`));
    await waitForText(page, view.locator('#error-kinds'), /MutuallyExclusiveViolation\s*A plan of the product conflicts with a different plan/);
    await waitForText(page, view.locator('#list-added h2'), `Added (${cli.added.length})`);
    await waitForText(page, view.locator('#list-added'), 'johanna.bowen@contoso.com');
    await waitForText(page, view.locator('#list-removed'), `Removed (${cli.removed.length})`);
    await shot('preview');
  });

  // SECURITY.md: tenant values are only ever text in the webview. The second tenant has a person
  // named <img src=x onerror=...> whom the E3 rule adds (support/fixtures.mjs).
  step('a display name that is HTML shows as text in the preview, and no element is made of it', async () => {
    const tenantDir = join(workspace, smallTenant.folder);
    const small = cliPreview(readFileSync(join(workspace, e3Rule), 'utf8'), tenantDir);
    const contoso = cliPreview(readFileSync(join(workspace, e3Rule), 'utf8'), join(workspace, 'tenant/contoso'));
    const users = JSON.parse(readFileSync(join(tenantDir, 'users.json'), 'utf8')).value;
    const person = users.find((u) => u.displayName === htmlUser.displayName);
    assert.ok(person && small.added.includes(person.id), `the E3 rule should add ${htmlUser.displayName} in ${smallTenant.folder}`);
    const tenantItem = selectors.statusBarItem(`${extensionId}.dynrule.tenant`);
    // The open preview follows the tenant.
    await page.locator(tenantItem).click();
    await pickQuickInputRow(page, smallTenant.folder);
    const view = webview(page);
    await waitForText(page, view.locator('#summary'), `Members ${small.before} → ${small.after} +${small.added.length} −${small.removed.length}`);
    const row = view.locator(`#list-added tr[data-id="${person.id}"]`);
    await waitForText(page, row.locator('td').first(), htmlUser.displayName);
    assert.equal(await row.locator('td').first().evaluate((td) => td.textContent), htmlUser.displayName);
    assert.equal(await view.locator('img').count(), 0, 'an img element in the preview');
    assert.equal(await view.locator('html').evaluate(() => document.title), 'Membership and license preview');
    // Back to Contoso for the steps after this one.
    await page.locator(tenantItem).click();
    await pickQuickInputRow(page, 'tenant/contoso');
    await waitForText(page, tenantItem, /^\S*\s*Contoso · /);
    await waitForText(page, view.locator('#summary'), `Members ${contoso.before} → ${contoso.after} +${contoso.added.length} −${contoso.removed.length}`);
  });

  step('the preview follows the rule as it is edited', async () => {
    const edited = `${readFileSync(join(workspace, e3Rule), 'utf8').trimEnd()}\n  ${e3Addition.replace('\n', '\n  ')}\n`;
    const cli = cliPreview(edited, join(workspace, 'tenant/contoso'));
    await editorTab(page, 'm365-e3-all-staff.dynrule').click();
    await focusEditor(page);
    await page.keyboard.press('Control+End');
    // The sample ends with a newline: paste on the last, empty line, as from a colleague's mail.
    await pasteInEditor(page, `  ${e3Addition}`);
    await page.keyboard.press('Escape');
    await waitForText(page, selectors.editorLines, '-and user.usageLocation -ne null');
    const view = webview(page);
    await waitForText(page, view.locator('#summary'), `Members ${cli.before} → ${cli.after} +${cli.added.length} −${cli.removed.length}`);
    await waitForText(page, view.locator('#list-removed h2'), `Removed (${cli.removed.length})`);
  });

  step('the edited rule shows a warning squiggle, the new numbers in the code lens and the plan\'s name after its GUID', async () => {
    const edited = `${readFileSync(join(workspace, e3Rule), 'utf8').trimEnd()}\n  ${e3Addition.replace('\n', '\n  ')}\n`;
    const cli = cliPreview(edited, join(workspace, 'tenant/contoso'));
    await page.locator(selectors.editorTab, { hasText: 'Membership and license preview' }).locator('.codicon-close').click();
    await page.locator(selectors.webviewOuter).waitFor({ state: 'detached' });
    await waitForText(page, selectors.codeLens, membersLens(cli));
    await page.locator(selectors.squigglyWarning).first().waitFor();
    await waitForText(page, selectors.editorLines, new RegExp(`"${exchangePlan.id}"\\s*${exchangePlan.name}`));
    await dismissSuggestions(page);
    // Pointing at the squiggle tells why, and offers the fix.
    await hoverUntil(page, page.locator(selectors.squigglyWarning).first(), /The condition of -any is only .*Put the condition in parentheses/);
    await waitForText(page, selectors.hover, 'Quick Fix');
    await shot('editor', top(470));
    await page.mouse.move(640, 700);
    await runCommand(page, 'File: Revert File');
    await page.locator(`${selectors.activeTab}.dirty`).waitFor({ state: 'detached' });
  });

  step('a long list in the preview shows its first 200 rows, and the rest on request', async () => {
    const allUsers = 'rules/all-users.dynrule';
    const cli = cliPreview(readFileSync(join(workspace, allUsers), 'utf8'), join(workspace, 'tenant/contoso'));
    assert.ok(cli.added.length > 200, `${allUsers} should add more than 200 people`);
    await openFile(page, allUsers);
    await page.locator(selectors.codeLens, { hasText: membersLens(cli) }).click();
    const view = webview(page);
    await waitForText(page, view.locator('#list-added h2'), `Added (${cli.added.length})`);
    await waitForCount(page, view.locator('#list-added tbody tr'), 200);
    const more = view.locator('#list-added .more');
    await waitForText(page, more, `200 / ${cli.added.length}`);
    // Copy CSV has every row, not only the ones on the page.
    await view.locator('#list-added h2 button', { hasText: 'Copy CSV' }).click();
    await waitForText(page, selectors.notification, `Copied ${cli.added.length} rows as CSV.`);
    await more.locator('button', { hasText: 'Show more' }).click();
    await waitForCount(page, view.locator('#list-added tbody tr'), Math.min(400, cli.added.length));
    if (cli.added.length > 400) await more.locator('button', { hasText: 'Show all' }).click();
    await waitForCount(page, view.locator('#list-added tbody tr'), cli.added.length);
    assert.equal(await view.locator('#list-added .more').count(), 0);
    await page.locator(selectors.editorTab, { hasText: 'Membership and license preview' }).locator('.codicon-close').click();
    await page.locator(selectors.webviewOuter).waitFor({ state: 'detached' });
  });

  step('the Testing view runs the rule tests and shows the one failure on its case', async () => {
    await runCommand(page, 'Testing: Focus on Test Explorer View');
    await waitForAriaLabel(page, selectors.testExplorerRow, `${failingTests} (Not yet run)`);
    await page.locator(selectors.viewAction('Run Tests')).first().click();
    await waitForAriaLabel(page, selectors.testExplorerRow, `${failingTests} (Failed)`);
    for (const passing of ['autopilot-devices', 'copilot-pilot-with-sales', 'm365-e3-all-staff']) {
      await waitForAriaLabel(page, selectors.testExplorerRow, `rules/licensing/${passing}.ruletests.json (Passed)`);
    }
    const fileRow = page.locator(selectors.testExplorerRow, { hasText: failingTests });
    if ((await fileRow.getAttribute('aria-expanded')) !== 'true') await fileRow.locator('.monaco-tl-twistie').click();
    await waitForAriaLabel(page, selectors.testExplorerRow, /^Contractors are licensed \(Failed\)/);
    await waitForAriaLabel(page, selectors.testExplorerRow, /^Retail Operations staff get E3 \(Passed\)/);
    await page.locator(selectors.testExplorerRow, { hasText: 'Contractors are licensed' }).dblclick();
    // The failure opens on its case in the JSON file, with expected and actual.
    await waitForText(page, selectors.activeTab, 'e3-contractors.ruletests.json');
    await waitForText(page, selectors.peek, /nathan\.petit@contoso\.com.*expected member, got notMember/);
    await waitForText(page, selectors.peek, /member\s*Expected\s*notMember\s*Actual/);
    await shot('test-explorer');
  });
  step('Run All Rule Tests from the palette says how many passed and failed, and Show Failures opens them', async () => {
    const { stdout } = spawnSync(process.execPath, [join(repoRoot, 'dist/cli.js'), 'test', workspace, '--reporter', 'json'], { encoding: 'utf8' });
    const cli = JSON.parse(stdout);
    assert.ok(cli.failed > 0, 'the samples hold one failing test');
    await hidePanel(page);
    await runCommand(page, 'Entra Dynamic Rules: Run All Rule Tests');
    const summary = page.locator(selectors.notificationToast, { hasText: 'Rule tests:' });
    await waitForText(page, summary.locator('.notification-list-item-message'), `Rule tests: ${cli.passed} passed, ${cli.failed} failed.`);
    await summary.locator('.monaco-button', { hasText: 'Show Failures' }).click();
    // The Test Results panel, with the failing case and what it expected.
    await page.locator(selectors.panel).waitFor();
    await waitForText(page, selectors.panel, 'Contractors are licensed');
    await hidePanel(page);
  });

  step('Copy Rule for the Portal, as Microsoft Graph Request and as PowerShell put the rule on the clipboard for the # @group group', async () => {
    const text = readFileSync(join(workspace, e3Rule), 'utf8');
    const rule = ruleOnly(text);
    const groupName = /^#\s*@group\s+"([^"]+)"/m.exec(text)[1];
    const groups = JSON.parse(readFileSync(join(workspace, 'tenant/contoso/groups.json'), 'utf8')).value;
    const id = groups.find((g) => g.displayName === groupName).id.toLowerCase();
    const clipboard = () => page.evaluate(() => navigator.clipboard.readText());
    await openFile(page, e3Rule);
    await page.evaluate(() => navigator.clipboard.writeText(''));

    await runCommand(page, 'Entra Dynamic Rules: Copy Rule for the Portal');
    await waitForText(page, selectors.notification, `Copied the rule for the portal (${rule.length.toLocaleString('en-US')} characters, without comment lines).`);
    assert.equal(await clipboard(), rule);

    await runCommand(page, 'Entra Dynamic Rules: Copy as PowerShell');
    await waitForText(page, selectors.notification, `Copied the PowerShell command that sets the rule of ${groupName} (${id}).`);
    assert.equal(await clipboard(), `Update-MgGroup -GroupId '${id}' -MembershipRule (${rule.split('\n').map((l) => `'${l.replaceAll("'", "''")}'`).join(' + [char]0x0a + ')})`);

    await runCommand(page, 'Entra Dynamic Rules: Copy as Microsoft Graph Request');
    await waitForText(page, selectors.notification, `Copied the Microsoft Graph request that sets the rule of ${groupName} (${id}).`);
    const [head, body] = (await clipboard()).split('\n\n');
    assert.equal(head, `PATCH https://graph.microsoft.com/v1.0/groups/${id}\nContent-Type: application/json`);
    assert.deepEqual(JSON.parse(body), { membershipRule: rule });
  });

  step('cancelling the sign-in to a live tenant keeps the tenant in use, and the output says so', async () => {
    const cli = cliPreview(readFileSync(join(workspace, e3Rule), 'utf8'), join(workspace, 'tenant/contoso'));
    const tenantItem = selectors.statusBarItem(`${extensionId}.dynrule.tenant`);
    await waitForText(page, tenantItem, /^\S*\s*Contoso · /);
    await waitForText(page, selectors.codeLens, membersLens(cli));
    // No live tenant in use: its commands are not offered.
    for (const title of ['Refresh Live Tenant', 'Stop Reading the Live Tenant']) {
      // The palette lists the command itself first when it is offered; here only others, as similar.
      await openCommandPalette(page, `>Entra Dynamic Rules: ${title}`, 'Entra Dynamic Rules: ');
      const rows = (await page.locator(selectors.quickInputRow).allInnerTexts()).map((r) => r.replace(/\s+/g, ' ').trim());
      assert.ok(!rows.some((r) => r.startsWith(`Entra Dynamic Rules: ${title}`)), `${title} is offered: ${rows.join(' | ')}`);
      await closeQuickInput(page);
    }

    await page.locator(tenantItem).click();
    await pickQuickInputRow(page, 'Sign in and read my tenant');
    // VS Code asks whether the extension may sign in: the admin says no.
    await waitForText(page, selectors.dialog, 'wants to sign in');
    await page.locator(selectors.dialogButton, { hasText: 'Cancel' }).click();
    await page.locator(selectors.dialog).waitFor({ state: 'detached' });
    await runCommand(page, 'Entra Dynamic Rules: Show Output');
    await waitForText(page, selectors.panelLines, /signing in was cancelled\. The tenant in use stays Contoso\./);
    await waitForText(page, tenantItem, /^\S*\s*Contoso · /);
    await waitForText(page, selectors.codeLens, membersLens(cli));
    assert.equal(await page.locator(selectors.notificationToast, { hasText: 'could not be loaded' }).count(), 0, 'no error about the tenant');
    assert.ok(!(await page.locator(selectors.codeLens).allInnerTexts()).some((t) => /getToken|Canceled/.test(t)));
    await hidePanel(page);
  });
  step('Pull Rules from Tenant fills the Dynamic Groups view: the groups with their members, findings and state; a group opens its rule file', async () => {
    const groups = JSON.parse(readFileSync(join(workspace, 'tenant/contoso/groups.json'), 'utf8')).value.filter((g) => g.groupTypes?.includes('DynamicMembership'));
    const paused = groups.find((g) => g.membershipRuleProcessingState === 'Paused');
    await runCommand(page, 'View: Close All Editors');
    await hidePanel(page);
    await setSideBarVisible(page, true);
    // How many files dynrule pull writes for this tenant (every dynamic group and dynamic administrative unit).
    const out = mkdtempSync(join(tmpdir(), 'dynrule-ui-pull-'));
    const cli = spawnSync(process.execPath, [join(repoRoot, 'dist/cli.js'), 'pull', '--tenant', join(workspace, 'tenant/contoso'), '--out', out, '--format', 'json'], { encoding: 'utf8' });
    rmSync(out, { recursive: true, force: true });
    const written = JSON.parse(cli.stdout).written.length;
    await runCommand(page, 'Entra Dynamic Rules: Pull Rules from Tenant');
    await waitForText(page, selectors.notification, `Pulled the tenant's rules into dynamic-groups: ${written} written, 0 unchanged, 0 no longer in the tenant.`);
    // The workspace's folders folded away: the view has the side bar to itself.
    const folders = page.locator('.pane-header', { hasText: /^samples$/i }).first();
    if ((await folders.getAttribute('aria-expanded')) === 'true') await folders.click();
    await runCommand(page, 'Explorer: Focus on Dynamic Groups View');
    const rows = page.locator(selectors.paneRows('Dynamic Groups'));
    await waitForText(page, rows, /User groups\s*\d+/);
    await waitForText(page, rows, new RegExp(`${escapeRegExp(paused.displayName)}\\s*${paused.members.length} members · .*processing paused`));
    await shot('dynamic-groups');
    await rows.filter({ hasText: paused.displayName }).first().click();
    await waitForText(page, selectors.editorLines, `# @group "${paused.id}"`);
  });

  step('Audit Tenant opens the report: every finding in a table that sorts and filters; a row opens the rule at the finding', async () => {
    await runCommand(page, 'View: Close All Editors');
    await runCommand(page, 'Entra Dynamic Rules: Audit Tenant');
    const view = webview(page);
    await waitForText(page, view.locator('#summary'), /Dynamic groups: \d+/);
    await waitForText(page, view.locator('#findings'), 'group/processing-paused');
    const all = Number(/Findings \((\d+)\)/.exec(await waitForText(page, view.locator('#findings h2'), /Findings \(\d+\)/))[1]);
    await view.locator('#filter').fill('processing-paused');
    await waitForText(page, view.locator('#findings h2'), new RegExp(`Findings \\(\\d+ / ${all}\\)`));
    await shot('audit-report');
    await view.locator('tr', { hasText: 'group/processing-paused' }).first().locator('a.open').click();
    await waitForText(page, selectors.editorLines, '# @group');
  });

  step('the code lens on changes/new-hires.csv opens the What if view: groups, people, licenses and errors in tables that filter', async () => {
    await runCommand(page, 'View: Close All Editors');
    await hidePanel(page);
    await setSideBarVisible(page, true);
    // The Dynamic Groups step folded the workspace's folders away: unfold them to reach the file.
    const folders = page.locator('.pane-header', { hasText: /^samples$/i }).first();
    if ((await folders.getAttribute('aria-expanded')) !== 'true') await folders.click();
    await openFile(page, 'changes/new-hires.csv');
    await setSideBarVisible(page, false);
    const lens = page.locator(selectors.codeLens, { hasText: /What if: \d+ new users/ });
    await lens.first().waitFor({ timeout: 60_000 });
    await lens.first().click();
    const view = webview(page);
    await waitForText(page, view.locator('#summary'), /Groups: \d+ · \+\d+/);
    await waitForText(page, view.locator('#licenses'), 'SPE_E3');
    // The sample's ten hires bring the users in dynamic groups from 399 to 409, of 412 P1 seats.
    await waitForText(page, view.locator('#p1'), 'Entra ID P1: users in dynamic groups: 399 → 409 · owned: 412');
    await waitForText(page, view.locator('#people'), 'ana.costa@contoso.com');
    const all = Number(/People \((\d+)\)/.exec(await waitForText(page, view.locator('#people h2'), /People \(\d+\)/))[1]);
    await view.locator('#filter').fill('ana.costa');
    await waitForText(page, view.locator('#people h2'), `People (1 / ${all})`);
    await view.locator('#filter').fill('');
    await waitForText(page, view.locator('#people h2'), `People (${all})`);
    await shot('whatif');
  });

  step('the Settings editor shows the settings under the extension\'s name, without "Dynrule ›" before each', async () => {
    await runCommand(page, 'Preferences: Open Settings (UI)');
    const tocRow = (label) => page.locator('.settings-toc-container .monaco-list-row', { hasText: new RegExp(`^${escapeRegExp(label)}`) });
    await tocRow('Extensions').first().waitFor();
    if ((await tocRow('Extensions').first().getAttribute('aria-expanded')) !== 'true') await tocRow('Extensions').first().locator('.monaco-tl-twistie').click();
    await tocRow(manifest.displayName === '%displayName%' ? 'Entra Dynamic Rules' : manifest.displayName).first().click();
    const items = page.locator('.settings-tree-container .setting-item-title');
    await waitForText(page, items, 'Inlay Hints: Enabled');
    await waitForText(page, items, 'Diagnostics: Advice');
    const titles = await items.allInnerTexts();
    assert.ok(!titles.some((t) => /^Dynrule/.test(t.trim())), titles.join(' | '));
    await shot('settings');
  });
});
