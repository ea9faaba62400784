// Helpers for tests that run inside the extension host. Wait by polling with a timeout, never
// with a fixed sleep.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../client/src/extension';
import manifest from '../../../package.json';
import { generateSmallTenant, smallTenant } from '../support/fixtures.mjs';

/** `publisher.name` from the manifest, so a rename cannot leave the tests behind. */
export const extensionId = `${manifest.publisher}.${manifest.name}`;

/** The repository root: the compiled suite lives in <repo>/.vscode-test/build/suite. */
export const repoRoot = resolve(__dirname, '../../..');

export function getExtension(): vscode.Extension<ExtensionApi> {
  const ext = vscode.extensions.getExtension<ExtensionApi>(extensionId);
  if (!ext) throw new Error(`extension ${extensionId} is not loaded`);
  return ext;
}

/** The extension's API once it is active and its language server runs. */
export async function getApi(): Promise<ExtensionApi> {
  const api = await getExtension().activate();
  await api.ready;
  return api;
}

const METRICS_KEY = '__dynruleE2eMetrics';

/**
 * Records a measurement (e.g. activation time) for the run's report: index.ts writes them into
 * integration-results.json as `metrics`. Under another runner they are only logged.
 */
export function recordMetric(name: string, value: number): void {
  const g = globalThis as { [METRICS_KEY]?: Record<string, number> };
  (g[METRICS_KEY] ??= {})[name] = value;
}

/** Polls `predicate` every `intervalMs` until it returns a truthy value or `timeoutMs` passes. */
export async function waitFor<T>(
  predicate: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  what: string | (() => string),
  { timeoutMs = 20_000, intervalMs = 50 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the tests need a workspace folder');
  return folder.uri;
}

/** The absolute path of a file or folder of the workspace (a copy of samples/). */
export function workspacePath(relativePath: string): string {
  return vscode.Uri.joinPath(workspaceRoot(), relativePath).fsPath;
}

export function workspaceUri(relativePath: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), relativePath);
}

/**
 * Opens a rule file of the workspace in an editor: `relativePath` if given, else
 * rules/all-employees.dynrule from the samples, else the first *.dynrule found.
 */
export async function openRuleFile(relativePath?: string): Promise<vscode.TextDocument> {
  let uri: vscode.Uri | undefined;
  if (relativePath) {
    uri = workspaceUri(relativePath);
  } else {
    const sample = workspaceUri('rules/all-employees.dynrule');
    uri = existsSync(sample.fsPath) ? sample : (await vscode.workspace.findFiles('**/*.dynrule', null, 1))[0];
  }
  if (!uri) throw new Error('no .dynrule file in the workspace');
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  return doc;
}

/**
 * Opens an untitled dynrule document with `text` in an editor: for tests that edit, so that
 * nothing is written to the workspace and nothing is left dirty on disk.
 */
export async function openScratchRule(text: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument({ language: 'dynrule', content: text });
  return vscode.window.showTextDocument(doc);
}

/**
 * Closes every editor without saving and without a prompt: edited documents are reverted first
 * (an untitled one to empty), so that a test's edits never reach the disk or the next test.
 */
export async function closeAllEditors(): Promise<void> {
  for (const tab of vscode.window.tabGroups.all.flatMap((g) => g.tabs)) {
    if (!tab.isDirty || !(tab.input instanceof vscode.TabInputText)) continue;
    await vscode.window.showTextDocument(tab.input.uri, { viewColumn: tab.group.viewColumn, preserveFocus: false });
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** The codes named by a broken sample's first line: `# expect: a/b, c/d`. */
export function expectedCodes(text: string): string[] {
  const m = /^#\s*expect:\s*(.+)$/.exec(text.split(/\r?\n/, 1)[0] ?? '');
  return m ? m[1]!.split(',').map((c) => c.trim()).filter(Boolean) : [];
}

export function diagnosticCode(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code ?? '');
}

/** Waits until the server's code lenses for `uri` are there and none is still loading. */
export async function codeLensTitles(uri: vscode.Uri, { accept = (_titles: string[]): boolean => true, timeoutMs = 20_000 } = {}): Promise<string[]> {
  let last: string[] = [];
  return waitFor(async () => {
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    last = (lenses ?? []).map((l) => l.command?.title ?? '');
    const settled = last.length > 0 && !last.some((t) => /Loading|choose a tenant/.test(t));
    return settled && accept(last) && last;
  }, () => `code lenses of ${vscode.workspace.asRelativePath(uri)}; last seen ${JSON.stringify(last)}`, { timeoutMs });
}

/** `dynrule preview --format json`, the CLI's contract (README, The command line). */
export interface CliPreview {
  group: string | null;
  before: number;
  after: number;
  added: string[];
  removed: string[];
  unknown?: string[];
  licenses: { skuId: string; skuPartNumber: string | null; gained: string[]; lost: string[]; available: number | null; needed: number; freed: number; left: number | null; shortfall: number | null }[];
  errors: { user: string; skuId: string; reason: string }[];
}

/**
 * Runs the repository's CLI (dist/cli.js, the same bundle the extension ships) with Node: the
 * reference the editor's numbers are compared with. Resolves to stdout and stderr; rejects on
 * exit code 2. `env` is added to the extension host's environment (e.g. DYNRULE_GRAPH_TOKEN).
 */
export function runCli(args: string[], { env = {} }: { env?: Record<string, string> } = {}): Promise<{ stdout: string; stderr: string; code: number }> {
  // In desktop VS Code process.execPath is Electron, not Node.
  const node = process.versions['electron'] ? 'node' : process.execPath;
  return new Promise((resolvePromise, reject) => {
    execFile(node, [join(repoRoot, 'dist/cli.js'), ...args], { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', ...env } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      if (code !== 0 && code !== 1) reject(new Error(`dynrule ${args.join(' ')} exited ${code}: ${stderr}`));
      else resolvePromise({ stdout, stderr, code });
    });
  });
}

export async function cliPreview(ruleFile: string, tenantDir: string): Promise<CliPreview> {
  const { stdout } = await runCli(['preview', ruleFile, '--tenant', tenantDir, '--format', 'json']);
  return JSON.parse(stdout) as CliPreview;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The code lens titles a preview should produce, from the figures dynrule preview gives:
 * `members 276 → 323 (+47 −0)` and per SKU `SPE_E3 +0 −0 · 15 seats left` (or what is freed, or
 * how many go short).
 */
export function expectedLensTitles(p: CliPreview, noun: 'members' | 'devices'): string[] {
  const unknown = p.unknown?.length ? ` · ${p.unknown.length} unknown` : '';
  const titles = [`${noun} ${p.before} → ${p.after} (+${p.added.length} −${p.removed.length})${unknown}`];
  for (const l of p.licenses) {
    const seats = l.shortfall === null ? ['seats unknown']
      : l.shortfall > 0 ? [`${l.shortfall} short: CountViolation for ${l.shortfall} of the ${l.gained.length} gaining it, Entra picks which`]
        : [...(l.freed > 0 ? [`${plural(l.freed, 'seat')} freed`] : []), ...(l.left !== null ? [`${plural(l.left, 'seat')} left`] : [])];
    titles.push(`${l.skuPartNumber ?? l.skuId} +${l.gained.length} −${l.lost.length}${seats.length ? ` · ${seats.join(' · ')}` : ''}`);
  }
  return titles;
}

/** A user of a snapshot folder by user principal name. */
export interface SnapshotUser { id: string; displayName: string; userPrincipalName?: string; department?: string }

export function userByUpn(tenantDir: string, upn: string): SnapshotUser {
  const raw = JSON.parse(readFileSync(join(tenantDir, 'users.json'), 'utf8')) as { value?: unknown[] } | unknown[];
  const users = (Array.isArray(raw) ? raw : raw.value ?? []) as SnapshotUser[];
  const u = users.find((x) => x.userPrincipalName?.toLowerCase() === upn.toLowerCase());
  if (!u) throw new Error(`no user ${upn} in ${tenantDir}`);
  return u;
}

/**
 * The second tenant's folder: generated by the runner (support/fixtures.mjs), or here when the
 * suite runs under another runner (@vscode/test-cli).
 */
export async function ensureSmallTenant(): Promise<string> {
  const dir = workspacePath(smallTenant.folder);
  if (!existsSync(join(dir, 'users.json'))) await generateSmallTenant(repoRoot, dir);
  return dir;
}

export const sorted = (ids: readonly string[] | undefined): string[] => [...(ids ?? [])].map((s) => s.toLowerCase()).sort();
