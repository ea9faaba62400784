// Small helpers that drive VS Code's web workbench as a person would: click, type, read what is
// on screen. Every wait polls with a timeout. The selectors are VS Code 1.100 DOM classes (internal,
// so code-server is pinned): keep them here, out of the test steps.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const defaultTimeoutMs = 30_000;

export const selectors = {
  workbench: '.monaco-workbench',
  explorer: '.explorer-folders-view',
  // Rows of the tree itself, not the copies that sticky scroll pins above it.
  explorerRow: '.explorer-folders-view .monaco-list-rows > .monaco-list-row',
  editorLines: '.editor-group-container.active .monaco-editor .view-lines',
  activeTab: '.editor-group-container.active .tab.active',
  statusBarLanguage: '#status\\.editor\\.mode',
  quickInput: '.quick-input-widget',
  quickInputBox: '.quick-input-widget input',
  quickInputRow: '.quick-input-widget .quick-input-list .monaco-list-row',
  notification: '.notifications-toasts .notification-list-item-message',
};

// VS Code renders spaces as U+00A0 and splits text over many spans.
const normalize = (text) => text.replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim();

/**
 * Waits until the element(s) matched by `target` (a selector or a Locator) show text containing
 * `expected` (a string, after whitespace is normalised) or matching it (a RegExp). Returns the text.
 */
export async function waitForText(page, target, expected, { timeoutMs = defaultTimeoutMs } = {}) {
  const locator = typeof target === 'string' ? page.locator(target) : target;
  const matches = (text) => (expected instanceof RegExp ? expected.test(text) : text.includes(normalize(expected)));
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    last = normalize((await locator.allInnerTexts().catch(() => [])).join('\n'));
    if (matches(last)) return last;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${locator} to show ${expected}; it shows "${last.slice(0, 300)}"`);
    }
    await page.waitForTimeout(100);
  }
}

/** Opens the workbench at `url` and waits until the explorer lists the workspace. */
export async function openWorkbench(page, url, { timeoutMs = 60_000 } = {}) {
  await page.goto(url);
  await page.locator(selectors.workbench).waitFor({ timeout: timeoutMs });
  await page.locator(selectors.explorerRow).first().waitFor({ timeout: timeoutMs });
}

/** The explorer row of the file or folder `name` at tree depth `level` (1 = top level). */
export function explorerRow(page, name, level) {
  return page.locator(`${selectors.explorerRow}[aria-label=${JSON.stringify(name)}][aria-level="${level}"]`);
}

/**
 * Brings `row` into the DOM: the tree renders only the rows in view. Like a person with the
 * keyboard: focus the explorer, Home, then Page Down until the row shows. The wheel would do too,
 * but the workbench scrolls only a few rows per wheel event.
 */
async function scrollExplorerTo(page, row, { timeoutMs = defaultTimeoutMs } = {}) {
  if ((await row.count()) > 0) return;
  await page.locator(`${selectors.explorer} .monaco-list`).first().focus();
  await page.keyboard.press('Home');
  const deadline = Date.now() + timeoutMs;
  while ((await row.count()) === 0) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms scrolling the explorer to ${row}`);
    await page.keyboard.press('PageDown');
    // Let the tree render the new page before paging on, or a row could be skipped.
    await row.waitFor({ state: 'attached', timeout: 250 }).catch(() => {});
  }
}

/**
 * Opens `relativePath` (e.g. "rules/all-employees.dynrule") by clicking through the explorer:
 * expands each folder, scrolls to and clicks the file, and waits until its editor tab is active.
 */
export async function openFile(page, relativePath, { timeoutMs = defaultTimeoutMs } = {}) {
  const parts = relativePath.split('/');
  await page.locator(selectors.explorerRow).first().waitFor({ timeout: timeoutMs });
  for (const [i, name] of parts.entries()) {
    const row = explorerRow(page, name, i + 1);
    await scrollExplorerTo(page, row, { timeoutMs });
    const isFolder = i < parts.length - 1;
    if (isFolder && (await row.getAttribute('aria-expanded')) === 'true') continue;
    await row.click();
  }
  const fileName = parts.at(-1);
  await waitForText(page, page.locator(selectors.activeTab), fileName, { timeoutMs });
  await page.locator(selectors.editorLines).first().waitFor({ timeout: timeoutMs });
}

/**
 * Opens the command palette (F1) with `text` typed in (a leading ">" filters commands) and waits
 * until a row containing `expectRow` is listed. Leaves the palette open.
 */
export async function openCommandPalette(page, text, expectRow, { timeoutMs = defaultTimeoutMs } = {}) {
  // The palette opens on F1 only where the workbench has focus.
  await page.locator(selectors.workbench).focus().catch(() => {});
  await page.keyboard.press('F1');
  const box = page.locator(selectors.quickInputBox);
  await box.waitFor({ timeout: timeoutMs });
  await box.fill(text);
  if (expectRow) await waitForText(page, selectors.quickInputRow, expectRow, { timeoutMs });
}

/** Runs the command titled `title` (e.g. "View: Toggle Word Wrap") from the command palette. */
export async function runCommand(page, title, { timeoutMs = defaultTimeoutMs } = {}) {
  await openCommandPalette(page, `>${title}`, title, { timeoutMs });
  await page.locator(selectors.quickInputRow, { hasText: title }).first().click();
}

/** Picks the row containing `text` in an open quick pick. */
export async function pickQuickInputRow(page, text, { timeoutMs = defaultTimeoutMs } = {}) {
  await waitForText(page, selectors.quickInputRow, text, { timeoutMs });
  await page.locator(selectors.quickInputRow, { hasText: text }).first().click();
}

/** Closes the command palette or quick pick if one is open. */
export async function closeQuickInput(page, { timeoutMs = defaultTimeoutMs } = {}) {
  const widget = page.locator(selectors.quickInput);
  if (!(await widget.isVisible())) return;
  await page.keyboard.press('Escape');
  await widget.waitFor({ state: 'hidden', timeout: timeoutMs });
}

/**
 * Saves a PNG of the page as `<name>.png` in every folder of `dirs` (run-time artifacts, and the
 * README's docs/images with --update-docs). Returns the paths written.
 */
export async function screenshot(page, name, dirs) {
  const buffer = await page.screenshot();
  const paths = [];
  for (const dir of dirs) {
    const file = join(dir, `${name}.png`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, buffer);
    paths.push(file);
  }
  return paths;
}
