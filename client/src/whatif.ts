/**
 * What if, in the editor: "Preview All Changes in the Workspace" (every edited rule file against
 * its group, together) and "What If People Change…" (a changes file, optionally with the rule
 * edits). The server computes the report with the whatif core; this shows it in a webview with
 * the shared tables (client/media/table.js: sorted, filtered, exported as CSV) — per group, per
 * person, per SKU, and the errors Entra would raise. The view follows the tenant and the files it
 * was computed from. Strict Content-Security-Policy; tenant values are only ever set as text.
 */
import * as vscode from 'vscode';
import type { Server } from './client';
import { exportCsv, toCsvText } from './csv';
import { newNonce, webviewHtml } from './webviewHtml';
import {
  ChangesFilesRequest, WhatIfRequest, type WhatIfParams, type WhatIfResponse,
} from '../../protocol/src/protocol';

/** The strings the webview shows, localised here (the webview has no l10n API). */
function labels(): Record<string, string> {
  const t = vscode.l10n.t;
  return {
    title: t('What if'), tenant: t('Tenant'), changes: t('Changes'), edits: t('Rule edits'), none: t('None'),
    groups: t('Groups'), group: t('Group'), kind: t('Kind'), before: t('Before'), after: t('After'), added: t('Added'), removed: t('Removed'),
    ruleFile: t('Rule file'), frozen: t('Frozen'),
    people: t('People'), user: t('User'), upn: t('User principal name'), change: t('Change'), joined: t('Joins'), left: t('Leaves'),
    gainedSkus: t('Gains'), lostSkus: t('Loses'), licensingGroups: t('Licensing groups joined'),
    licenses: t('Licenses'), sku: t('License'), gained: t('Gain'), lost: t('Lose'), available: t('Seats free now'), shortfall: t('Shortfall'),
    errors: t('Errors Entra would raise'), reason: t('Reason'), dueTo: t('Due to'),
    problems: t('Problems in the changes'), line: t('Line'), column: t('Column'), code: t('Code'), message: t('Message'),
    skipped: t('Rule files left out'), notes: t('Notes'),
    filter: t('Filter by group, user, license…'), copyCsv: t('Copy CSV'), saveCsv: t('Save CSV…'), open: t('Open'),
    unavailable: t('No what-if'), showMore: t('Show more'), showAll: t('Show all'), nobody: t('Nobody'),
    new: t('new'), changed: t('changed'), deleted: t('deleted'), unchanged: t('moved by an edited rule'),
    groupKind: t('group'), administrativeUnit: t('administrative unit'),
    p1: t('Entra ID P1: users in dynamic groups'), owned: t('owned'), short: t('short'), unknown: t('unknown'),
  };
}

export type WhatIfTable = 'groups' | 'people' | 'licenses' | 'errors';

/** One table of the report as CSV, names beside ids. */
export function whatIfCsv(r: WhatIfResponse, table: WhatIfTable): { csv: string; count: number } {
  const rep = r.report;
  if (!rep) return { csv: toCsvText([]), count: 0 };
  const group = new Map(rep.groups.map((g) => [g.id, g.displayName ?? g.id]));
  const sku = new Map(rep.licenses.map((l) => [l.skuId, l.skuPartNumber ?? l.skuId]));
  const names = (ids: readonly string[], m: Map<string, string>): string => ids.map((i) => m.get(i) ?? i).join('; ');
  const n = (x: number | null): string => (x === null ? '' : String(x));
  let rows: string[][];
  switch (table) {
    case 'groups':
      rows = [['id', 'displayName', 'kind', 'before', 'after', 'added', 'removed', 'ruleFile'],
        ...rep.groups.filter((g) => g.added || g.removed).map((g) => [g.id, g.displayName ?? '', g.kind, n(g.before), n(g.after), String(g.added), String(g.removed), g.ruleFile ? vscode.workspace.asRelativePath(vscode.Uri.parse(g.ruleFile)) : ''])];
      break;
    case 'people':
      rows = [['user', 'userPrincipalName', 'displayName', 'change', 'joined', 'left', 'gained', 'lost'],
        ...rep.users.map((u) => [u.user, u.userPrincipalName ?? '', u.displayName ?? '', u.change, names(u.joined, group), names(u.left, group), names(u.gained, sku), names(u.lost, sku)])];
      break;
    case 'licenses':
      rows = [['skuId', 'skuPartNumber', 'gained', 'lost', 'available', 'shortfall'],
        ...rep.licenses.map((l) => [l.skuId, l.skuPartNumber ?? '', String(l.gained), String(l.lost), n(l.available), n(l.shortfall)])];
      break;
    case 'errors':
      rows = [['user', 'skuId', 'skuPartNumber', 'group', 'reason', 'dueTo'],
        ...rep.errors.map((e) => [e.user, e.skuId, sku.get(e.skuId) ?? '', group.get(e.group) ?? e.group, e.reason, e.dueTo ?? ''])];
      break;
  }
  return { csv: toCsvText(rows), count: rows.length - 1 };
}

/** The question a what-if answers: a changes file, the workspace's rule edits, or both. */
interface Question {
  readonly changes?: vscode.Uri;
  readonly rules: boolean;
}

export class WhatIfPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private question: Question | undefined;
  private last: WhatIfResponse | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: vscode.CancellationTokenSource | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<WhatIfResponse>();
  /** Fires with each report shown (for tests). */
  readonly onDidReport = this.changed.event;

  constructor(private readonly context: vscode.ExtensionContext, private readonly server: Server) {
    // Recompute when a file the report was computed from changes (edited, saved, created, deleted).
    const touches = (uri: vscode.Uri): boolean => !!this.panel && !!this.question
      && ((this.question.rules && uri.path.toLowerCase().endsWith('.dynrule')) || uri.toString() === this.question.changes?.toString());
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.dynrule');
    this.subscriptions.push(
      vscode.workspace.onDidChangeTextDocument((e) => { if (e.contentChanges.length && touches(e.document.uri)) this.schedule(); }),
      watcher, watcher.onDidCreate((u) => { if (touches(u)) this.schedule(); }), watcher.onDidDelete((u) => { if (touches(u)) this.schedule(); }),
      this.changed,
    );
  }

  /** Whether the view is open (for tests). */
  get visible(): boolean {
    return this.panel !== undefined;
  }

  /** The report shown (for tests). */
  get current(): WhatIfResponse | undefined {
    return this.last;
  }

  /** Preview All Changes in the Workspace: every edited rule file against its group, together. */
  async previewWorkspace(): Promise<WhatIfResponse | undefined> {
    return this.run({ rules: true }, true);
  }

  /**
   * What If People Change…: `changes` from a code lens, else picked from the workspace's changes
   * files (or an open dialog), with or without the workspace's rule edits.
   */
  async peopleChange(changes?: vscode.Uri | string): Promise<WhatIfResponse | undefined> {
    if (changes) return this.run({ changes: typeof changes === 'string' ? vscode.Uri.parse(changes) : changes, rules: false }, true);
    const file = await this.pickChanges();
    if (!file) return undefined;
    const withRules = await vscode.window.showQuickPick([
      { label: vscode.l10n.t('The changes only'), rules: false },
      { label: vscode.l10n.t('The changes and the workspace\'s rule edits'), rules: true },
    ], { title: vscode.l10n.t('What If People Change') });
    if (!withRules) return undefined;
    return this.run({ changes: file, rules: withRules.rules }, true);
  }

  /** The tenant changed: the view asks again. */
  refresh(): void {
    if (this.panel && this.question) this.schedule();
  }

  private async pickChanges(): Promise<vscode.Uri | undefined> {
    const candidates = await vscode.workspace.findFiles('**/*.{csv,json}', '**/node_modules/**', 500);
    const { files } = await this.server.request(ChangesFilesRequest, { files: candidates.map((u) => u.toString()) });
    type Item = vscode.QuickPickItem & { uri?: vscode.Uri };
    const items: Item[] = files.map((f) => {
      const uri = vscode.Uri.parse(f.file);
      return {
        label: vscode.workspace.asRelativePath(uri), uri,
        description: f.issues ? vscode.l10n.t('{0} problems', f.issues) : vscode.l10n.t('{0} changes', f.changes),
      };
    });
    items.push({ label: vscode.l10n.t('Browse…') });
    const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('What If People Change'), placeHolder: vscode.l10n.t('A changes file: the bulk-create CSV, an attribute-change CSV, or JSON') });
    if (!picked) return undefined;
    if (picked.uri) return picked.uri;
    const chosen = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { [vscode.l10n.t('Changes')]: ['csv', 'json'] } });
    return chosen?.[0];
  }

  /** Computes the what-if (with progress and Cancel when the user asked for it) and shows it. */
  private async run(q: Question, interactive: boolean): Promise<WhatIfResponse | undefined> {
    this.question = q;
    // This answer supersedes one pending or under way.
    clearTimeout(this.timer);
    this.running?.cancel();
    const source = new vscode.CancellationTokenSource();
    this.running = source;
    try {
      const ask = async (token: vscode.CancellationToken): Promise<WhatIfResponse> => {
        const rules = q.rules ? (await vscode.workspace.findFiles('**/*.dynrule', '**/node_modules/**')).map((u) => u.toString()) : [];
        const params: WhatIfParams = { ...(q.changes ? { changes: q.changes.toString() } : {}), ...(q.rules ? { rules } : {}) };
        return this.server.request(WhatIfRequest, params, token);
      };
      const r = interactive
        ? await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('What if: computing'), cancellable: true }, (_p, token) => {
          token.onCancellationRequested(() => source.cancel());
          return ask(source.token);
        })
        : await ask(source.token);
      if (source.token.isCancellationRequested) return undefined;
      this.last = r;
      if (interactive && !r.ok && r.issues.length === 0) void vscode.window.showWarningMessage(vscode.l10n.t('No what-if: {0}.', r.reason ?? ''));
      this.show();
      this.changed.fire(r);
      return r;
    } finally {
      if (this.running === source) this.running = undefined;
      source.dispose();
    }
  }

  private schedule(): void {
    clearTimeout(this.timer);
    // Typing in a rule file asks once the typing pauses, as the preview does.
    this.timer = setTimeout(() => { if (this.question) void this.run(this.question, false); }, 300);
  }

  private show(): void {
    if (!this.panel) {
      const media = vscode.Uri.joinPath(this.context.extensionUri, 'client', 'media');
      this.panel = vscode.window.createWebviewPanel('dynrule.whatif', labels()['title']!, vscode.ViewColumn.Active, {
        enableScripts: true, localResourceRoots: [media], retainContextWhenHidden: true,
      });
      this.panel.webview.html = webviewHtml({
        cspSource: this.panel.webview.cspSource,
        scriptUris: ['table.js', 'whatif.js'].map((f) => this.panel!.webview.asWebviewUri(vscode.Uri.joinPath(media, f)).toString()),
        styleUri: this.panel.webview.asWebviewUri(vscode.Uri.joinPath(media, 'preview.css')).toString(),
        nonce: newNonce(), lang: vscode.env.language, title: labels()['title']!,
      });
      this.panel.onDidDispose(() => { this.panel = undefined; this.question = undefined; }, null, this.subscriptions);
      this.panel.webview.onDidReceiveMessage((m: { type: string; table?: WhatIfTable; file?: string; line?: number; character?: number }) => void this.onMessage(m), null, this.subscriptions);
    }
    void this.post();
  }

  private async post(): Promise<void> {
    if (!this.panel || !this.last) return;
    const rel = (u: string): string => vscode.workspace.asRelativePath(vscode.Uri.parse(u));
    await this.panel.webview.postMessage({
      type: 'whatif', data: this.last, labels: labels(),
      files: { changes: this.last.changes ? rel(this.last.changes) : '', edits: this.last.edits.map((e) => [e.file, rel(e.file)]), skipped: this.last.skipped.map((s) => [s.file, rel(s.file)]) },
    });
  }

  private async onMessage(m: { type: string; table?: WhatIfTable; file?: string; line?: number; character?: number }): Promise<void> {
    const r = this.last;
    switch (m.type) {
      case 'ready':
        await this.post();
        break;
      case 'copyCsv':
      case 'saveCsv': {
        if (!r || !m.table) break;
        const { csv, count } = whatIfCsv(r, m.table);
        await exportCsv(m.type === 'copyCsv' ? 'copy' : 'save', csv, count, `whatif-${m.table}.csv`);
        break;
      }
      case 'open': {
        // Only files the report names: a rule file used as an edit or left out, the changes file.
        const known = new Set([...(r?.edits.map((e) => e.file) ?? []), ...(r?.skipped.map((s) => s.file) ?? []), ...(r?.changes ? [r.changes] : [])]);
        if (!m.file || !known.has(m.file)) break;
        const pos = new vscode.Position(m.line ?? 0, m.character ?? 0);
        await vscode.window.showTextDocument(vscode.Uri.parse(m.file), { selection: new vscode.Range(pos, pos) });
        break;
      }
      default:
        break;
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.running?.cancel();
    this.panel?.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
