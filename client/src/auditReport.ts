/**
 * The audit report: a webview with every finding of the last audit — on the tenant and on each
 * dynamic group and administrative unit — in one table, sorted and filtered as the preview's
 * (client/media/table.js), exported as CSV; a row opens the group's pulled rule file at the
 * finding. It follows the Dynamic Groups view's report. The same strict Content-Security-Policy
 * as the preview; tenant values are only ever set as text.
 */
import * as vscode from 'vscode';
import { exportCsv, toCsvText } from './csv';
import type { GroupsView } from './groups';
import { newNonce, webviewHtml } from './webviewHtml';
import { Commands, type AuditResponse } from '../../server/src/lsp/protocol';

/** The strings the webview shows, localised here (the webview has no l10n API). */
function labels(): Record<string, string> {
  const t = vscode.l10n.t;
  return {
    title: t('Tenant audit'), tenant: t('Tenant'), severity: t('Severity'), code: t('Code'), group: t('Group'), kind: t('Kind'), message: t('Finding'),
    members: t('Members'),
    error: t('error'), warning: t('warning'), info: t('info'), groupKind: t('group'), administrativeUnit: t('administrative unit'), tenantKind: t('tenant'),
    groups: t('Dynamic groups'), administrativeUnits: t('Administrative units'), dynamicObjects: t('Dynamic objects'), limit: t('limit'),
    errors: t('Errors'), warnings: t('Warnings'), infos: t('Infos'), findings: t('Findings'), none: t('No findings'),
    filter: t('Filter by group, code, message…'), copyCsv: t('Copy CSV'), saveCsv: t('Save CSV…'), open: t('Open'), pull: t('Pull to open'),
    unavailable: t('No audit'), showMore: t('Show more'), showAll: t('Show all'),
  };
}

/** One row of the report: a finding, on the tenant (no group) or on a group. */
export interface ReportRow {
  readonly severity: string;
  readonly code: string;
  readonly message: string;
  readonly group?: { readonly id: string; readonly displayName: string; readonly kind: string; readonly file?: string };
}

/** The report's rows: tenant findings first, then each group's, as the server ordered them. */
export function reportRows(r: AuditResponse): ReportRow[] {
  return [
    ...r.findings.map((f) => ({ severity: f.severity, code: f.code, message: f.message })),
    ...r.groups.flatMap((g) => g.findings.map((f) => ({
      severity: f.severity, code: f.code, message: f.message,
      group: { id: g.id, displayName: g.displayName, kind: g.kind, ...(g.file ? { file: g.file } : {}) },
    }))),
  ];
}

/** The report as CSV: one line per finding. */
export function reportCsv(r: AuditResponse): string {
  return toCsvText([
    ['severity', 'code', 'groupId', 'group', 'kind', 'message', 'file'],
    ...reportRows(r).map((x) => [x.severity, x.code, x.group?.id ?? '', x.group?.displayName ?? '', x.group?.kind ?? 'tenant', x.message, x.group?.file ? vscode.workspace.asRelativePath(vscode.Uri.parse(x.group.file)) : '']),
  ]);
}

export class AuditReportPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly context: vscode.ExtensionContext, private readonly groups: GroupsView) {
    groups.onDidReport(() => void this.post());
  }

  /** Whether the report is open (for tests). */
  get visible(): boolean {
    return this.panel !== undefined;
  }

  /** Opens the report on the view's current audit. */
  show(): void {
    if (!this.panel) {
      const media = vscode.Uri.joinPath(this.context.extensionUri, 'client', 'media');
      this.panel = vscode.window.createWebviewPanel('dynrule.audit', labels()['title']!, vscode.ViewColumn.Active, {
        enableScripts: true,
        localResourceRoots: [media],
        retainContextWhenHidden: true,
      });
      this.panel.webview.html = webviewHtml({
        cspSource: this.panel.webview.cspSource,
        scriptUris: ['table.js', 'audit.js'].map((f) => this.panel!.webview.asWebviewUri(vscode.Uri.joinPath(media, f)).toString()),
        styleUri: this.panel.webview.asWebviewUri(vscode.Uri.joinPath(media, 'preview.css')).toString(),
        nonce: newNonce(),
        lang: vscode.env.language,
        title: labels()['title']!,
      });
      this.panel.onDidDispose(() => { this.panel = undefined; }, null, this.subscriptions);
      this.panel.webview.onDidReceiveMessage((m: { type: string; index?: number }) => void this.onMessage(m), null, this.subscriptions);
    } else this.panel.reveal();
    void this.post();
  }

  private async post(): Promise<void> {
    const r = this.groups.current;
    if (this.panel && r) await this.panel.webview.postMessage({ type: 'audit', data: r, labels: labels() });
  }

  private async onMessage(m: { type: string; index?: number }): Promise<void> {
    const r = this.groups.current;
    if (!r) return;
    switch (m.type) {
      case 'ready':
        await this.post();
        break;
      case 'copyCsv':
      case 'saveCsv':
        await exportCsv(m.type === 'copyCsv' ? 'copy' : 'save', reportCsv(r), reportRows(r).length, 'audit.csv');
        break;
      case 'open': {
        // The row's index in reportRows(): the finding with its range in the pulled file.
        const tenantRows = r.findings.length;
        if (m.index === undefined || m.index < tenantRows) break;
        let i = m.index - tenantRows;
        for (const g of r.groups) {
          if (i < g.findings.length) {
            await vscode.commands.executeCommand(Commands.openGroup, g.id, g.findings[i]!.range);
            break;
          }
          i -= g.findings.length;
        }
        break;
      }
      default:
        break;
    }
  }

  dispose(): void {
    this.panel?.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
