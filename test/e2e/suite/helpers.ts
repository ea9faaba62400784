// Helpers for tests that run inside the extension host. Wait by polling with a timeout, never
// with a fixed sleep.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import * as vscode from 'vscode';
import manifest from '../../../package.json';

/** `publisher.name` from the manifest, so a rename cannot leave the tests behind. */
export const extensionId = `${manifest.publisher}.${manifest.name}`;

/** The repository root: the compiled suite lives in <repo>/.vscode-test/build/suite. */
export const repoRoot = resolve(__dirname, '../../..');

export function getExtension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(extensionId);
  if (!ext) throw new Error(`extension ${extensionId} is not loaded`);
  return ext;
}

/** Polls `predicate` every `intervalMs` until it returns a truthy value or `timeoutMs` passes. */
export async function waitFor<T>(
  predicate: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  what: string,
  { timeoutMs = 20_000, intervalMs = 50 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the tests need a workspace folder');
  return folder.uri;
}

/**
 * Opens a rule file of the workspace in an editor: `relativePath` if given, else
 * rules/all-employees.dynrule from the samples, else the first *.dynrule found.
 */
export async function openRuleFile(relativePath?: string): Promise<vscode.TextDocument> {
  let uri: vscode.Uri | undefined;
  if (relativePath) {
    uri = vscode.Uri.joinPath(workspaceRoot(), relativePath);
  } else {
    const sample = vscode.Uri.joinPath(workspaceRoot(), 'rules/all-employees.dynrule');
    uri = existsSync(sample.fsPath) ? sample : (await vscode.workspace.findFiles('**/*.dynrule', null, 1))[0];
  }
  if (!uri) throw new Error('no .dynrule file in the workspace');
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  return doc;
}
