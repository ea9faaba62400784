/**
 * The tenant in the workspace: the Dynamic Groups view (in the Explorer: the groups' rule files
 * are workspace files), Pull Rules from Tenant, and Audit Tenant. The view lists the dynamic user
 * groups, device groups and administrative units of the tenant in use with what the audit found
 * (`dynrule/audit`); selecting one opens its pulled rule file, or offers to pull.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Server } from './client';
import { setting } from './settings';
import type { TenantStatus } from './tenant';
import {
  AuditRequest, Commands, PullRequest, type AuditFindingDto, type AuditParams, type AuditGroupDto, type AuditResponse, type PullResponse,
} from '../../protocol/src/protocol';
import { SETTING_DEFAULTS } from '../../protocol/src/settings';

export const GROUPS_VIEW_ID = 'dynrule.groups';
/** A when-clause context key: the view shows only some groups. */
const FILTERED_CONTEXT_KEY = 'dynrule.groupsFiltered';

/**
 * The folder pulled rule files go to: the `dynrule.pull.folder` setting, relative to the first
 * workspace folder (its default in an untrusted workspace, which may not choose where files are
 * written). Undefined without a folder on disk to write to.
 */
export function pullFolder(): vscode.Uri | undefined {
  const base = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!base || base.scheme !== 'file') return undefined;
  const value = (vscode.workspace.isTrusted ? setting('pull.folder') : SETTING_DEFAULTS['pull.folder']).trim() || SETTING_DEFAULTS['pull.folder'];
  return path.isAbsolute(value) ? vscode.Uri.file(value) : vscode.Uri.joinPath(base, value);
}

type Category = 'tenant' | 'user' | 'device' | 'administrativeUnit';
type Node =
  | { readonly kind: 'category'; readonly category: Category; readonly groups: readonly AuditGroupDto[]; readonly findings: readonly AuditFindingDto[] }
  | { readonly kind: 'group'; readonly group: AuditGroupDto }
  | { readonly kind: 'finding'; readonly finding: AuditFindingDto; readonly group?: AuditGroupDto }
  | { readonly kind: 'message'; readonly text: string };

/** Which groups the view shows: those with one of `codes` (all when empty), or with any finding. */
export interface GroupsFilter {
  readonly codes: readonly string[];
  readonly onlyWithFindings: boolean;
}

const NO_FILTER: GroupsFilter = { codes: [], onlyWithFindings: false };

function counts(findings: readonly AuditFindingDto[]): { errors: number; warnings: number; infos: number } {
  return {
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
    infos: findings.filter((f) => f.severity === 'info').length,
  };
}

function findingsText(findings: readonly AuditFindingDto[]): string {
  const c = counts(findings);
  const parts = [
    c.errors === 1 ? vscode.l10n.t('1 error') : c.errors ? vscode.l10n.t('{0} errors', c.errors) : '',
    c.warnings === 1 ? vscode.l10n.t('1 warning') : c.warnings ? vscode.l10n.t('{0} warnings', c.warnings) : '',
    c.infos === 1 ? vscode.l10n.t('1 info') : c.infos ? vscode.l10n.t('{0} infos', c.infos) : '',
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : vscode.l10n.t('no findings');
}

const paused = (g: AuditGroupDto): boolean => (g.processingState ?? '').toLowerCase() === 'paused';

function severityIcon(severity: AuditFindingDto['severity'] | undefined): vscode.ThemeIcon | undefined {
  switch (severity) {
    case 'error': return new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
    case 'warning': return new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
    case 'info': return new vscode.ThemeIcon('info', new vscode.ThemeColor('problemsInfoIcon.foreground'));
    case undefined: return undefined;
  }
}

/** The worst severity among findings. */
function worst(findings: readonly AuditFindingDto[]): AuditFindingDto['severity'] | undefined {
  return findings.some((f) => f.severity === 'error') ? 'error' : findings.some((f) => f.severity === 'warning') ? 'warning' : findings.length ? 'info' : undefined;
}

export class GroupsView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<Node>;
  private report: AuditResponse | undefined;
  private filter: GroupsFilter = NO_FILTER;
  private running: vscode.CancellationTokenSource | undefined;
  /** The tenant changed while the view was hidden: it asks again when shown. */
  private stale = true;
  private readonly reportListeners: ((r: AuditResponse) => void)[] = [];
  /** Waiting for the tenant to finish loading. */
  private readonly tenantWaiters: (() => void)[] = [];
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly server: Server, private readonly tenant: TenantStatus) {
    tenant.onDidChange(() => { for (const w of this.tenantWaiters.splice(0)) w(); });
    this.view = vscode.window.createTreeView(GROUPS_VIEW_ID, { treeDataProvider: this, showCollapseAll: true });
    this.subscriptions.push(this.view, this.changed, this.view.onDidChangeVisibility((e) => {
      if (e.visible && this.stale) void this.refresh();
    }));
  }

  /** The report the view shows (for tests and the audit report). */
  get current(): AuditResponse | undefined {
    return this.report;
  }

  get currentFilter(): GroupsFilter {
    return this.filter;
  }

  /** Called with every new report (the audit report panel follows it). */
  onDidReport(listener: (r: AuditResponse) => void): void {
    this.reportListeners.push(listener);
  }

  /**
   * Asks the server for the tenant's groups and the audit's findings (its kept report unless
   * `refresh`), when the view is visible or `force`. A newer refresh cancels one in progress.
   */
  async refresh(options: { refresh?: boolean; force?: boolean; token?: vscode.CancellationToken; progress?: vscode.Progress<{ message?: string; increment?: number }> } = {}): Promise<AuditResponse | undefined> {
    if (!this.view.visible && !options.force) {
      this.stale = true;
      return undefined;
    }
    this.stale = false;
    this.running?.cancel();
    const source = new vscode.CancellationTokenSource();
    this.running = source;
    const forwarded = options.token?.onCancellationRequested(() => source.cancel());
    try {
      const folder = pullFolder();
      const report = await vscode.window.withProgress({ location: { viewId: GROUPS_VIEW_ID } }, async () => {
        await this.tenantSettled(source.token);
        const params: AuditParams = { ...(folder ? { folder: folder.fsPath } : {}), ...(options.refresh ? { refresh: true } : {}) };
        const shown = options.progress;
        if (!shown) return this.server.request(AuditRequest, params, source.token);
        // The server's reports (how many groups are done) move the notification's bar.
        let at = 0;
        return this.server.requestWithProgress(AuditRequest, params, source.token, (r) => {
          const to = r.percentage ?? at;
          shown.report({ ...(r.message ? { message: r.message } : {}), increment: Math.max(0, to - at) });
          at = Math.max(at, to);
        });
      });
      if (source.token.isCancellationRequested) return undefined;
      this.setReport(report);
      return report;
    } finally {
      forwarded?.dispose();
      if (this.running === source) this.running = undefined;
      source.dispose();
    }
  }

  /** Audit Tenant: the audit run again, with progress and Cancel; the view and the report follow. */
  async audit(): Promise<AuditResponse | undefined> {
    const report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Auditing the tenant'), cancellable: true },
      (progress, token) => this.refresh({ refresh: true, force: true, token, progress }),
    );
    if (report && !report.ok) void vscode.window.showWarningMessage(vscode.l10n.t('No audit: {0}.', report.reason ?? ''));
    return report;
  }

  /** Pull Rules from Tenant: every dynamic group's rule into the pull folder, with progress and Cancel. */
  async pull(): Promise<PullResponse | undefined> {
    const folder = pullFolder();
    if (!folder) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Open a folder first: pulled rules are written into the workspace.'));
      return undefined;
    }
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Pulling the rules of the tenant into {0}', vscode.workspace.asRelativePath(folder)), cancellable: true },
      async (_progress, token) => {
        await this.tenantSettled(token);
        return this.server.request(PullRequest, { folder: folder.fsPath }, token);
      },
    );
    if (!result) return undefined;
    if (!result.ok) {
      void vscode.window.showWarningMessage(vscode.l10n.t('No rules were pulled: {0}.', result.reason ?? ''));
      return result;
    }
    const summary = vscode.l10n.t('Pulled the tenant\'s rules into {0}: {1} written, {2} unchanged, {3} no longer in the tenant.',
      vscode.workspace.asRelativePath(folder), result.written.length, result.unchanged.length, result.gone.length);
    if (result.conflicts.length) {
      const names = result.conflicts.map((c) => vscode.workspace.asRelativePath(vscode.Uri.parse(c.file))).join(', ');
      const compare = vscode.l10n.t('Compare with the Tenant');
      const comparable = result.conflicts.some((c) => c.tenantFile);
      void vscode.window.showWarningMessage(`${summary} ${vscode.l10n.t('{0} files edited here were left as they are: {1}.', result.conflicts.length, names)}`, ...(comparable ? [compare] : []))
        .then((choice) => (choice === compare ? this.compareConflict(result.conflicts) : undefined));
    } else void vscode.window.showInformationMessage(summary);
    await this.refresh({ force: true });
    return result;
  }

  /**
   * Opens a pull conflict in a diff: the tenant's version (`<file>.tenant`) on the left, the file
   * edited here on the right, where the merge is made. With several, asks which.
   */
  async compareConflict(conflicts: PullResponse['conflicts']): Promise<void> {
    const withCopy = conflicts.filter((c) => c.tenantFile);
    const pick = withCopy.length === 1 ? withCopy[0] : (await vscode.window.showQuickPick(
      withCopy.map((c) => ({ label: vscode.workspace.asRelativePath(vscode.Uri.parse(c.file)), detail: c.reason, conflict: c })),
      { title: vscode.l10n.t('Compare with the Tenant'), placeHolder: vscode.l10n.t('A rule file edited here and changed in the tenant') },
    ))?.conflict;
    if (!pick?.tenantFile) return;
    const file = vscode.Uri.parse(pick.file);
    await vscode.commands.executeCommand('vscode.diff', vscode.Uri.parse(pick.tenantFile), file,
      vscode.l10n.t('{0}: the tenant\'s version ↔ yours', path.basename(file.fsPath)));
  }

  /** Resolves once the tenant in use is not loading (a pull or an audit started meanwhile waits for it), or on cancel. */
  private async tenantSettled(token: vscode.CancellationToken): Promise<void> {
    while (!token.isCancellationRequested && (this.tenant.current === undefined || this.tenant.current.state === 'loading')) {
      await new Promise<void>((resolve) => {
        this.tenantWaiters.push(resolve);
        token.onCancellationRequested(() => resolve());
      });
    }
  }

  /** Opens a group's pulled rule file at its `# @group` line, or offers to pull when it has none. */
  async open(id: string | undefined, range?: AuditFindingDto['range']): Promise<vscode.TextEditor | undefined> {
    const group = this.report?.groups.find((g) => g.id === id);
    if (!group) return undefined;
    let file = group.file;
    if (!file) {
      const pull = vscode.l10n.t('Pull Rules');
      const answer = await vscode.window.showInformationMessage(vscode.l10n.t('{0} has not been pulled into the workspace yet. Pull the rules of every dynamic group?', group.displayName), pull);
      if (answer !== pull) return undefined;
      await this.pull();
      file = this.report?.groups.find((g) => g.id === id)?.file;
      if (!file) return undefined;
    }
    // At the finding asked for, else the first one the file shows.
    const at = range ?? group.findings.find((f) => f.range)?.range;
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(file));
    const selection = at ? new vscode.Range(at.start.line, at.start.character, at.end.line, at.end.character) : undefined;
    return vscode.window.showTextDocument(doc, { preview: true, ...(selection ? { selection } : {}) });
  }

  /** The filter as a quick pick: groups with any finding, or with the chosen codes. */
  async pickFilter(): Promise<GroupsFilter | undefined> {
    const report = this.report ?? await this.refresh({ force: true });
    if (!report?.ok) return undefined;
    const byCode = new Map<string, number>();
    for (const g of report.groups) for (const code of new Set(g.findings.map((f) => f.code))) byCode.set(code, (byCode.get(code) ?? 0) + 1);
    type Item = vscode.QuickPickItem & { code?: string; any?: boolean };
    const items: Item[] = [
      { label: vscode.l10n.t('Only groups with findings'), any: true, picked: this.filter.onlyWithFindings },
      { label: '', kind: vscode.QuickPickItemKind.Separator },
      ...[...byCode].sort((a, b) => a[0].localeCompare(b[0])).map(([code, n]): Item => ({
        label: code, description: vscode.l10n.t('{0} groups', n), code, picked: this.filter.codes.includes(code),
      })),
    ];
    const picked = await vscode.window.showQuickPick(items, { canPickMany: true, title: vscode.l10n.t('Show the groups with these findings (none: every group)') });
    if (!picked) return undefined;
    this.setFilter({ codes: picked.flatMap((i) => (i.code ? [i.code] : [])), onlyWithFindings: picked.some((i) => i.any) });
    return this.filter;
  }

  setFilter(filter: GroupsFilter): void {
    this.filter = filter;
    const active = filter.onlyWithFindings || filter.codes.length > 0;
    void vscode.commands.executeCommand('setContext', FILTERED_CONTEXT_KEY, active);
    this.view.description = active ? (filter.codes.length ? filter.codes.join(', ') : vscode.l10n.t('with findings')) : undefined;
    this.changed.fire(undefined);
  }

  /** The groups the filter lets through. */
  visibleGroups(): AuditGroupDto[] {
    const f = this.filter;
    return (this.report?.groups ?? []).filter((g) => (!f.onlyWithFindings || g.findings.length > 0) && (f.codes.length === 0 || g.findings.some((x) => f.codes.includes(x.code))));
  }

  private setReport(report: AuditResponse): void {
    this.report = report;
    this.view.message = report.ok ? undefined : vscode.l10n.t('No audit: {0}.', report.reason ?? '');
    this.changed.fire(undefined);
    for (const l of this.reportListeners) l(report);
  }

  getChildren(node?: Node): Node[] {
    const r = this.report;
    if (!r?.ok) return [];
    if (!node) {
      const groups = this.visibleGroups();
      const of = (c: Category, gs: AuditGroupDto[]): Node[] => (gs.length ? [{ kind: 'category', category: c, groups: gs, findings: [] }] : []);
      return [
        ...(r.findings.length ? [{ kind: 'category', category: 'tenant', groups: [], findings: r.findings } as const] : []),
        ...of('user', groups.filter((g) => g.kind === 'group' && g.type === 'user')),
        ...of('device', groups.filter((g) => g.kind === 'group' && g.type === 'device')),
        ...of('administrativeUnit', groups.filter((g) => g.kind === 'administrativeUnit')),
        ...(groups.length === 0 && r.groups.length > 0 ? [{ kind: 'message', text: vscode.l10n.t('No group matches the filter.') } as const] : []),
      ];
    }
    if (node.kind === 'category') {
      return node.category === 'tenant'
        ? node.findings.map((finding) => ({ kind: 'finding', finding }))
        : [...node.groups].sort((a, b) => a.displayName.localeCompare(b.displayName)).map((group) => ({ kind: 'group', group }));
    }
    if (node.kind === 'group') return node.group.findings.map((finding) => ({ kind: 'finding', finding, group: node.group }));
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case 'category': {
        const label = {
          tenant: vscode.l10n.t('Tenant'), user: vscode.l10n.t('User groups'), device: vscode.l10n.t('Device groups'), administrativeUnit: vscode.l10n.t('Administrative units'),
        }[node.category];
        const item = new vscode.TreeItem(label, node.category === 'tenant' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded);
        item.description = node.category === 'tenant' ? findingsText(node.findings) : String(node.groups.length);
        item.id = `category:${node.category}`;
        item.iconPath = new vscode.ThemeIcon(node.category === 'tenant' ? 'organization' : node.category === 'device' ? 'device-desktop' : node.category === 'user' ? 'person' : 'symbol-namespace');
        return item;
      }
      case 'group': {
        const g = node.group;
        const item = new vscode.TreeItem(g.displayName, g.findings.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        item.id = `group:${g.id}`;
        const members = g.members === null ? vscode.l10n.t('members unknown') : vscode.l10n.t('{0} members', g.members);
        item.description = [members, findingsText(g.findings), paused(g) ? vscode.l10n.t('processing paused') : ''].filter(Boolean).join(' · ');
        item.tooltip = [
          g.displayName,
          g.kind === 'administrativeUnit' ? vscode.l10n.t('Administrative unit ({0} rule)', g.type) : vscode.l10n.t('Group ({0} rule)', g.type),
          vscode.l10n.t('Processing: {0}', g.processingState ?? vscode.l10n.t('not known')),
          vscode.l10n.t('Members now: {0}; selected by the rule: {1}', g.members ?? '?', g.ruleMembers),
          g.missing || g.extra ? vscode.l10n.t('Selected but not members: {0}; members not selected: {1}', g.missing, g.extra) : '',
          ...g.findings.map((f) => `${f.severity}: ${f.code} — ${f.message}`),
          g.file ? vscode.workspace.asRelativePath(vscode.Uri.parse(g.file)) : vscode.l10n.t('Not pulled into the workspace'),
        ].filter(Boolean).join('\n');
        item.iconPath = paused(g) ? new vscode.ThemeIcon('debug-pause', new vscode.ThemeColor('problemsWarningIcon.foreground'))
          : severityIcon(worst(g.findings)) ?? new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
        item.contextValue = g.file ? 'group.pulled' : 'group';
        item.command = { command: Commands.openGroup, title: vscode.l10n.t('Open Group Rule'), arguments: [g.id] };
        if (g.file) item.resourceUri = vscode.Uri.parse(g.file);
        return item;
      }
      case 'finding': {
        const f = node.finding;
        const item = new vscode.TreeItem(f.message, vscode.TreeItemCollapsibleState.None);
        item.description = f.code;
        item.tooltip = `${f.code}\n${f.message}`;
        item.iconPath = severityIcon(f.severity);
        if (node.group) item.command = { command: Commands.openGroup, title: vscode.l10n.t('Open Group Rule'), arguments: [node.group.id, f.range] };
        return item;
      }
      case 'message':
        return new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
    }
  }

  dispose(): void {
    this.running?.cancel();
    for (const s of this.subscriptions) s.dispose();
  }
}
