/**
 * Rule tests in the Test Explorer: a test controller that finds `*.ruletests.json` files in the
 * workspace and watches them; each case is a test item located on its case in the JSON file.
 * Runs go to the language server; a failure shows expected/actual and the evaluation trace.
 */
import * as vscode from 'vscode';
import type { Server } from './client';
import {
  ListRuleTestsRequest, RunRuleTestsRequest,
  type RuleTestFileDto, type RunRuleTestsResponse,
} from '../../protocol/src/protocol';

const PATTERN = '**/*.ruletests.json';
const COUNT_ID = '#count';

export class RuleTestController implements vscode.Disposable {
  readonly controller = vscode.tests.createTestController('dynrule.ruleTests', vscode.l10n.t('Entra rule tests'));
  private readonly watcher = vscode.workspace.createFileSystemWatcher(PATTERN);
  /** Test file → the rule file it tests. */
  private readonly rules = new Map<string, string>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private discovered: Promise<void> | undefined;

  constructor(private readonly client: Server) {
    this.controller.resolveHandler = async (item) => {
      if (!item) await this.discoverAll();
      else if (item.uri) await this.refreshFile(item.uri);
    };
    this.controller.refreshHandler = () => this.discoverAll(true);
    this.controller.createRunProfile(vscode.l10n.t('Run'), vscode.TestRunProfileKind.Run, async (request, token) => { await this.run(request, token); }, true);
    this.subscriptions.push(
      this.watcher.onDidCreate((u) => void this.refreshFile(u)),
      this.watcher.onDidChange((u) => void this.refreshFile(u)),
      this.watcher.onDidDelete((u) => { this.controller.items.delete(u.toString()); this.rules.delete(u.fsPath); }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.path.endsWith('.ruletests.json')) void this.refreshFile(e.document.uri, e.document.getText());
      }),
    );
  }

  /** Finds every test file in the workspace (once, unless forced). */
  discoverAll(force = false): Promise<void> {
    if (!this.discovered || force) {
      this.discovered = (async () => {
        const files = await vscode.workspace.findFiles(PATTERN, '**/node_modules/**');
        await Promise.all(files.map((f) => this.refreshFile(f)));
      })();
    }
    return this.discovered;
  }

  private async refreshFile(uri: vscode.Uri, text?: string): Promise<vscode.TestItem | undefined> {
    const list = await this.client.request(ListRuleTestsRequest, { file: uri.fsPath, ...(text !== undefined ? { text } : {}) }).catch(() => undefined);
    if (!list) return undefined;
    const doc = text !== undefined ? undefined : await vscode.workspace.openTextDocument(uri).then((d) => d, () => undefined);
    const source = text ?? doc?.getText() ?? '';
    const position = (offset: number): vscode.Position => {
      const before = source.slice(0, offset);
      const line = before.split('\n').length - 1;
      return new vscode.Position(line, offset - (before.lastIndexOf('\n') + 1));
    };
    const fileItem = this.controller.items.get(uri.toString()) ?? this.controller.createTestItem(uri.toString(), vscode.workspace.asRelativePath(uri), uri);
    this.controller.items.add(fileItem);
    if (list.rule) this.rules.set(uri.fsPath, list.rule);
    fileItem.error = list.error ? new vscode.MarkdownString(`${list.error.message} (${vscode.l10n.t('line {0}', list.error.line)})`) : undefined;
    const children: vscode.TestItem[] = [];
    for (const c of list.cases) {
      const item = fileItem.children.get(c.name) ?? this.controller.createTestItem(c.name, c.name, uri);
      item.range = new vscode.Range(position(c.start), position(c.end));
      children.push(item);
    }
    fileItem.children.replace(children);
    return fileItem;
  }

  /** Test files whose "rule" is the given rule file. */
  async filesForRule(rule: vscode.Uri): Promise<vscode.TestItem[]> {
    await this.discoverAll();
    const out: vscode.TestItem[] = [];
    this.controller.items.forEach((item) => {
      if (item.uri && this.rules.get(item.uri.fsPath) === rule.fsPath) out.push(item);
    });
    return out;
  }

  /** Runs the given items (all when empty) and reports to the Test Explorer. */
  async run(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<RunRuleTestsResponse> {
    await this.discoverAll();
    const run = this.controller.createTestRun(request);
    const roots: vscode.TestItem[] = [];
    if (request.include?.length) roots.push(...request.include);
    else this.controller.items.forEach((i) => roots.push(i));
    const excluded = new Set(request.exclude ?? []);
    const files = new Map<string, { file: vscode.TestItem; only?: string[] }>();
    for (const item of roots) {
      if (excluded.has(item)) continue;
      const file = item.parent ?? item;
      if (!file.uri) continue;
      const entry = files.get(file.uri.fsPath) ?? { file };
      if (item.parent) entry.only = [...(entry.only ?? []), item.id];
      else delete entry.only;
      files.set(file.uri.fsPath, entry);
    }
    for (const { file, only } of files.values()) {
      file.children.forEach((c) => { if (!only || only.includes(c.id)) run.enqueued(c); });
    }
    const only: Record<string, string[]> = {};
    for (const [path, e] of files) if (e.only) only[path] = e.only;
    const cancel = token.onCancellationRequested(() => run.end());
    let result: RunRuleTestsResponse = { files: [], passed: 0, failed: 0 };
    try {
      result = await this.client.request(RunRuleTestsRequest, { files: [...files.keys()], only }, token);
      for (const f of result.files) this.report(run, files.get(f.file)?.file, f);
    } catch (e) {
      run.appendOutput(`${String(e)}\r\n`);
    } finally {
      cancel.dispose();
      run.end();
    }
    return result;
  }

  /**
   * Runs from the command palette show no Test Explorer: say how many passed and failed, with
   * a way to the failures (the Test Results panel, or the first failing case in its file).
   */
  async runAndSummarize(request: vscode.TestRunRequest): Promise<RunRuleTestsResponse> {
    const result = await this.run(request, new vscode.CancellationTokenSource().token);
    const broken = result.files.filter((f) => f.error);
    const total = result.passed + result.failed;
    if (total === 0 && broken.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No rule tests ran: there is no .ruletests.json file with cases in the workspace.'));
      return result;
    }
    if (result.failed === 0 && broken.length === 0) {
      void vscode.window.showInformationMessage(total === 1 ? vscode.l10n.t('Rule tests: 1 passed.') : vscode.l10n.t('Rule tests: all {0} passed.', total));
      return result;
    }
    const parts = [vscode.l10n.t('{0} passed', result.passed), vscode.l10n.t('{0} failed', result.failed)];
    if (broken.length) parts.push(broken.length === 1 ? vscode.l10n.t('1 test file could not be read') : vscode.l10n.t('{0} test files could not be read', broken.length));
    const showResults = vscode.l10n.t('Show Failures');
    const goTo = vscode.l10n.t('Go to First Failure');
    const first = this.firstFailure(result);
    // Not awaited: the command answers with the result while the notification waits for a click.
    void vscode.window.showErrorMessage(vscode.l10n.t('Rule tests: {0}.', parts.join(', ')), showResults, ...(first ? [goTo] : [])).then(async (choice) => {
      if (choice === showResults) await vscode.commands.executeCommand('testing.showMostRecentOutput');
      else if (choice === goTo && first) await vscode.window.showTextDocument(first.uri, { selection: first.range });
    });
    return result;
  }

  /** Where the first failing case (or unreadable test file) of a run is. */
  private firstFailure(result: RunRuleTestsResponse): vscode.Location | undefined {
    for (const f of result.files) {
      const uri = vscode.Uri.file(f.file);
      if (f.error) return new vscode.Location(uri, new vscode.Position(Math.max(0, f.error.line - 1), Math.max(0, f.error.column - 1)));
      const failed = f.cases.find((c) => !c.passed);
      const item = failed && this.controller.items.get(uri.toString())?.children.get(failed.name);
      if (item?.range) return new vscode.Location(uri, item.range);
    }
    return undefined;
  }

  private report(run: vscode.TestRun, fileItem: vscode.TestItem | undefined, f: RuleTestFileDto): void {
    if (!fileItem) return;
    if (f.error) {
      const message = new vscode.TestMessage(f.error.message);
      if (fileItem.uri) message.location = new vscode.Location(fileItem.uri, new vscode.Position(Math.max(0, f.error.line - 1), Math.max(0, f.error.column - 1)));
      run.errored(fileItem, message);
      return;
    }
    for (const c of f.cases) {
      const item = fileItem.children.get(c.name);
      if (!item) continue;
      run.started(item);
      if (c.passed) {
        run.passed(item, c.durationMs);
        continue;
      }
      const details = [`${c.subject}: ${c.message ?? ''}`, ...(c.lines ? ['', ...c.lines] : [])].join('\n');
      const message = c.actual === 'error' ? new vscode.TestMessage(details) : vscode.TestMessage.diff(details, c.expect, c.actual);
      if (item.uri && item.range) message.location = new vscode.Location(item.uri, item.range);
      if (c.actual === 'error') run.errored(item, message, c.durationMs);
      else run.failed(item, message, c.durationMs);
      run.appendOutput(`${details.replace(/\n/g, '\r\n')}\r\n`, item.uri && item.range ? new vscode.Location(item.uri, item.range) : undefined, item);
    }
    if (f.count) {
      const item = fileItem.children.get(COUNT_ID) ?? this.controller.createTestItem(COUNT_ID, vscode.l10n.t('member count'), fileItem.uri);
      fileItem.children.add(item);
      const text = vscode.l10n.t('{0} members; expected {1}{2}', f.count.actual, f.count.min !== undefined ? `≥ ${f.count.min}` : '', f.count.max !== undefined ? ` ≤ ${f.count.max}` : '');
      if (f.count.passed) run.passed(item);
      else run.failed(item, new vscode.TestMessage(text));
    }
  }

  dispose(): void {
    this.controller.dispose();
    this.watcher.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
