// Small helpers that drive VS Code's web workbench as a person would: click, type, read what is
// on screen. Every wait polls with a timeout. The selectors are VS Code 1.100 DOM classes (internal,
// so code-server is pinned): keep them here, out of the test steps.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

// Only a bound for a step that fails: every wait ends as soon as what it waits for is on screen.
// Generous, because the machine that runs the suite may be busy with other work.
export const defaultTimeoutMs = 60_000;

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
  quickInputTitle: '.quick-input-widget .quick-input-title',
  quickInputRow: '.quick-input-widget .quick-input-list .monaco-list-row',
  notification: '.notifications-toasts .notification-list-item-message',
  /** A notification toast (message, source and buttons). */
  notificationToast: '.notifications-toasts .notification-list-item',
  quickInputFocusedRow: '.quick-input-widget .quick-input-list .monaco-list-row.focused',
  dialog: '.monaco-dialog-box',
  dialogButton: '.monaco-dialog-box .dialog-buttons .monaco-button',
  panelLines: '.part.panel .monaco-editor .view-lines',
  sideBar: '.part.sidebar',
  panel: '.part.panel',
  editorTextArea: '.editor-group-container.active .monaco-editor textarea',
  editorTab: '.editor-group-container .tab',
  editorGroup: '.editor-group-container',
  squigglyError: '.editor-group-container.active .squiggly-error',
  squigglyWarning: '.editor-group-container.active .squiggly-warning',
  codeLens: '.editor-group-container.active .codelens-decoration a',
  problemsRow: '.markers-panel .monaco-list-row',
  suggestWidget: '.editor-widget.suggest-widget.visible',
  suggestRow: '.editor-widget.suggest-widget.visible .monaco-list-row',
  suggestFocusedRow: '.editor-widget.suggest-widget.visible .monaco-list-row.focused',
  suggestDetails: '.suggest-details-container .suggest-details',
  peek: '.peekview-widget',
  hover: '.monaco-hover:not(.hidden)',
  testExplorerRow: '.test-explorer .monaco-list-row',
  /** The rows of the side bar view titled `title` (a tree view's items). */
  paneRows: (title) => `.pane:has(> .pane-header:has-text(${JSON.stringify(title)})) .monaco-list-row`,
  viewAction: (label) => `.pane-header .actions .action-label[aria-label=${JSON.stringify(label)}], .title-actions .action-label[aria-label=${JSON.stringify(label)}]`,
  /** A status bar item an extension contributed, by `<publisher>.<name>.<item id>`. */
  statusBarItem: (id) => `#${id.replace(/\./g, '\\.')}`,
  // A webview is an iframe holding the page's own iframe; the view's content is in the inner one.
  webviewOuter: 'iframe.webview.ready',
  webviewInner: 'iframe#active-frame',
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

/**
 * Waits until one of the elements matched by `selector` has an aria-label containing `expected`
 * (a string) or matching it (a RegExp): what a screen reader says of a row, e.g. "x (Failed)".
 */
export async function waitForAriaLabel(page, selector, expected, { timeoutMs = defaultTimeoutMs } = {}) {
  const matches = (label) => (expected instanceof RegExp ? expected.test(label) : label.includes(expected));
  const deadline = Date.now() + timeoutMs;
  let labels = [];
  for (;;) {
    labels = await page.locator(selector).evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? '')).catch(() => []);
    const hit = labels.find(matches);
    if (hit !== undefined) return hit;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${selector} labelled ${expected}; labels: ${JSON.stringify(labels).slice(0, 400)}`);
    }
    await page.waitForTimeout(100);
  }
}

/** Waits until `target` (a selector or a locator) matches exactly `count` elements (a list that has settled). */
export async function waitForCount(page, target, count, { timeoutMs = defaultTimeoutMs } = {}) {
  const locator = typeof target === 'string' ? page.locator(target) : target;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const n = await locator.count();
    if (n === count) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${count} of ${locator}; there are ${n}`);
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
 * but the workbench scrolls only a few rows per wheel event. After each key it waits until the
 * focus has moved (the new page is rendered), or a busy machine could page past the row.
 */
async function scrollExplorerTo(page, row, { timeoutMs = defaultTimeoutMs } = {}) {
  if ((await row.count()) > 0) return;
  const focused = page.locator(`${selectors.explorerRow}.focused`).first();
  const focusedLabel = () => focused.getAttribute('aria-label', { timeout: 500 }).catch(() => null);
  const deadline = Date.now() + timeoutMs;
  /** Presses `key`; resolves false if the focus did not move within a few seconds (the end). */
  const press = async (key) => {
    const before = await focusedLabel();
    await page.keyboard.press(key);
    const settle = Math.min(deadline, Date.now() + 5000);
    while (Date.now() < settle) {
      if ((await row.count()) > 0) return true;
      const now = await focusedLabel();
      if (now !== null && now !== before) return true;
      await page.waitForTimeout(50);
    }
    return false;
  };
  await page.locator(`${selectors.explorer} .monaco-list`).first().focus();
  await press('Home');
  while ((await row.count()) === 0) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms scrolling the explorer to ${row}`);
    if (!(await press('PageDown')) && (await row.count()) === 0) throw new Error(`paged to the end of the explorer without finding ${row}`);
  }
}

const exactly = (title) => new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

/** The editor tab titled exactly `title` (a file's tab is titled with its name). */
export function editorTab(page, title) {
  return page.locator(selectors.editorTab).filter({ has: page.locator('.label-name', { hasText: exactly(title) }) });
}

/** The text lines of the editor group that has a tab titled `title` (active or not). */
export function editorLinesOfTab(page, title) {
  return page.locator(selectors.editorGroup)
    .filter({ has: page.locator('.tab .label-name', { hasText: exactly(title) }) })
    .locator('.monaco-editor .view-lines');
}

/** Shows or hides the primary side bar (Ctrl+B), for screenshots with room for the editor. */
export async function setSideBarVisible(page, visible, { timeoutMs = defaultTimeoutMs } = {}) {
  const sideBar = page.locator(selectors.sideBar);
  if ((await sideBar.isVisible()) === visible) return;
  await focusWorkbench(page);
  await page.keyboard.press('Control+B');
  await sideBar.waitFor({ state: visible ? 'visible' : 'hidden', timeout: timeoutMs });
}

/** Hides the panel (Problems, Output, Test Results...) if it is open. */
export async function hidePanel(page, { timeoutMs = defaultTimeoutMs } = {}) {
  const panel = page.locator(selectors.panel);
  if (!(await panel.isVisible())) return;
  await runCommand(page, 'View: Hide Panel');
  await panel.waitFor({ state: 'hidden', timeout: timeoutMs });
}

async function focusWorkbench(page) {
  await page.locator(selectors.workbench).focus().catch(() => {});
}

/** Puts the keyboard focus in the active editor, as a click into its text would. */
export async function focusEditor(page) {
  await page.locator(selectors.editorTextArea).first().focus();
}

/**
 * Types `text` into the active editor as a person would. A new line is entered as text, not
 * with the Enter key: Enter would accept a suggestion if the suggest widget opened a moment
 * before. The editor indents the new line as after Enter; auto-closed quotes and brackets are
 * typed over, as by hand.
 */
export async function typeInEditor(page, text) {
  for (const [i, line] of text.split('\n').entries()) {
    if (i > 0) await page.keyboard.insertText('\n');
    if (line) await page.keyboard.type(line, { delay: 5 });
  }
}

/**
 * Pastes `text` into the active editor at the cursor: for longer text, where typing each key
 * would only make the run slower. Lines after the first are indented by the editor (as after
 * Enter), so their own leading spaces are dropped.
 */
export async function pasteInEditor(page, text) {
  await page.keyboard.insertText(text.split('\n').map((l, i) => (i > 0 ? l.trimStart() : l)).join('\n'));
}

/**
 * Closes the suggest widget if it is open, as a person presses Escape: quick suggestions may
 * open it a moment after the last key, so poll until it stays closed.
 */
export async function dismissSuggestions(page, { timeoutMs = defaultTimeoutMs } = {}) {
  const widget = page.locator(selectors.suggestWidget);
  const deadline = Date.now() + timeoutMs;
  while (await widget.isVisible()) {
    if (Date.now() > deadline) throw new Error(`the suggest widget did not close within ${timeoutMs} ms`);
    await focusEditor(page);
    await page.keyboard.press('Escape');
    await widget.waitFor({ state: 'hidden', timeout: 1000 }).catch(() => {});
  }
}

/**
 * Points the mouse at `target` (a Locator; at a third of its width) until the editor's hover shows
 * `expected`. Decorations such as squiggles lie under the text, so this moves the mouse rather
 * than asking Playwright to hover the element; a hover that does not come (the pointer arrived
 * while the editor was busy) is retried by moving away and back.
 */
export async function hoverUntil(page, target, expected, { timeoutMs = defaultTimeoutMs } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const box = await target.boundingBox();
    if (box) {
      await page.mouse.move(box.x + box.width / 3, box.y + box.height / 2, { steps: 4 });
      try {
        return await waitForText(page, selectors.hover, expected, { timeoutMs: Math.min(5000, Math.max(0, deadline - Date.now())) });
      } catch (e) {
        if (Date.now() > deadline) throw e;
      }
      await page.mouse.move(box.x + box.width / 3, box.y + box.height * 8, { steps: 2 });
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms hovering ${target} for ${expected}`);
    await page.waitForTimeout(200);
  }
}

/**
 * Moves the focus in the open suggest widget down to the row `label` (at most `max` rows) and
 * returns the row. The list renders only the rows in view, as a person scrolls it with the keys.
 */
export async function focusSuggestion(page, label, { max = 60 } = {}) {
  const focused = page.locator(selectors.suggestFocusedRow);
  for (let i = 0; i < max; i++) {
    const aria = (await focused.getAttribute('aria-label').catch(() => '')) ?? '';
    if (aria.startsWith(`${label},`)) return focused;
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`no suggestion ${label} within ${max} rows`);
}

/** The preview view's document (the webview's inner frame). */
export function webview(page) {
  return page.frameLocator(selectors.webviewOuter).frameLocator(selectors.webviewInner);
}

/**
 * Opens `relativePath` (e.g. "rules/all-employees.dynrule") by clicking through the explorer:
 * expands each folder, scrolls to and clicks the file, and waits until its editor tab is active.
 */
export async function openFile(page, relativePath, { timeoutMs = defaultTimeoutMs } = {}) {
  const parts = relativePath.split('/');
  if (!(await page.locator(selectors.explorer).isVisible())) {
    await focusWorkbench(page);
    await page.keyboard.press('Control+Shift+E');
  }
  await page.locator(selectors.explorerRow).first().waitFor({ timeout: timeoutMs });
  for (const [i, name] of parts.entries()) {
    const row = explorerRow(page, name, i + 1);
    await scrollExplorerTo(page, row, { timeoutMs });
    const isFolder = i < parts.length - 1;
    if (isFolder && (await row.getAttribute('aria-expanded')) === 'true') continue;
    await row.click();
    // A folder's children are read from disk: wait until it shows them.
    if (isFolder) {
      await page.locator(`${selectors.explorerRow}[aria-label=${JSON.stringify(name)}][aria-level="${i + 1}"][aria-expanded="true"]`).waitFor({ timeout: timeoutMs });
      await page.locator(`${selectors.explorerRow}[aria-level="${i + 2}"]`).first().waitFor({ timeout: timeoutMs });
    }
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
  await focusWorkbench(page);
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
 * README's docs/images with --update-docs); `clip` ({x, y, width, height}) crops it to what
 * matters. Returns the paths written.
 */
export async function screenshot(page, name, dirs, { clip } = {}) {
  const buffer = await page.screenshot(clip ? { clip } : {});
  const paths = [];
  for (const dir of dirs) {
    const file = join(dir, `${name}.png`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, buffer);
    paths.push(file);
  }
  return paths;
}
